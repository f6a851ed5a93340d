//! The server crate (`<prefix>-server`): traits to implement (one per tag, one async method per
//! operation), typed requests and response enums, and an axum router that reads and checks every
//! request against the spec before the implementation sees it.

mod operation;
mod runtime;
mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToSnakeCase;
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use self::runtime::Usage;
use super::rust::{doc_attrs, ident, inner_doc_attrs, mixed_doc_attrs};
use super::{models, rust_file, templates, Crates};
use crate::diag::Error;
use crate::ir::{Api, Field, Method, ParamLocation, TypeKind, TypeRef};

/// What the per-operation emitters need.
pub(super) struct Ctx {
    /// `models`, the alias of the API's module in the models crate.
    pub models: TokenStream,
    /// The API's module name, for doc links.
    pub module: String,
}

/// The largest request body the router accepts; larger ones get 413.
const BODY_LIMIT: usize = 1024 * 1024;

/// Name of the server crate for a prefix.
pub fn crate_name(prefix: &str) -> String {
    format!("{prefix}-server")
}


fn field_has_pattern(f: &Field) -> bool {
    f.constraints.pattern.is_some()
}

fn usage(apis: &[Api]) -> Usage {
    let ops = || apis.iter().flat_map(|a| &a.operations);
    let params = || ops().flat_map(|o| &o.params);
    let is_plain_value = |ty: &TypeRef, api: &Api| match ty {
        TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => true,
        TypeRef::Named(n) => matches!(api.type_def(n).map(|t| &t.kind), Some(TypeKind::Alias(TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean))),
        _ => false,
    };
    Usage {
        reads_query: params().any(|p| p.location == ParamLocation::Query),
        reads_headers: params().any(|p| p.location == ParamLocation::Header),
        reads_body: ops().any(|o| o.body.as_ref().is_some_and(|b| b.content.first().is_some_and(|c| c.ty.is_some()))),
        checks_patterns: params().any(|p| p.constraints.pattern.is_some())
            || apis.iter().flat_map(|a| &a.types).any(|t| matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(field_has_pattern))),
        parses_date_times: params().any(|p| p.ty == TypeRef::DateTime),
        parses_values: apis.iter().any(|a| a.operations.iter().flat_map(|o| &o.params).any(|p| is_plain_value(&p.ty, a))),
        answers_empty: ops().any(|o| o.method == Method::Head || o.responses.iter().any(|r| r.content.is_empty())),
    }
}

/// Adds the server crate's files to `files`.
pub fn emit(crates: &Crates<'_>, files: &mut BTreeMap<PathBuf, String>) -> Result<(), Error> {
    let name = crate_name(crates.prefix);
    let root = PathBuf::from(&name);
    let usage = usage(crates.apis);
    for api in crates.apis {
        let ctx = Ctx { models: quote!(models), module: api.module.clone() };
        let path = format!("src/{}.rs", api.module);
        files.insert(root.join(&path), rust_file(crates, &format!("{name}/{path}"), module_tokens(crates, api, &ctx))?);
    }
    files.insert(root.join("src/runtime.rs"), rust_file(crates, &format!("{name}/src/runtime.rs"), runtime::runtime_module(usage))?);
    files.insert(root.join("src/validation.rs"), rust_file(crates, &format!("{name}/src/validation.rs"), runtime::validation_module(usage))?);
    files.insert(root.join("src/lib.rs"), rust_file(crates, &format!("{name}/src/lib.rs"), lib_tokens(crates))?);
    let context = templates::ServerContext {
        crate_name: name.clone(),
        models_crate: models::crate_name(crates.prefix),
        header: crates.header(),
        description: format!("Server traits and a validating axum router for {}, generated from the OpenAPI description", models::api_titles(crates.apis)),
        deps: super::TypeDeps::of_operations(crates.apis),
        runtime: crates.runtime.to_owned(),
        dependencies: crates.extra_dependencies(),
        uses_regex: usage.checks_patterns,
        uses_url: usage.reads_query,
        uses_path_to_error: usage.reads_body,
        body_limit: BODY_LIMIT,
        apis: crates
            .apis
            .iter()
            .map(|a| templates::ServerApi {
                module: a.module.clone(),
                title: format!("{} ({})", a.title, a.version),
                traits: traits_of(a).keys().cloned().collect(),
                operations: a.operations.len(),
            })
            .collect(),
    };
    files.insert(root.join("Cargo.toml"), templates::render("server/Cargo.toml.j2", &context)?);
    files.insert(root.join("README.md"), templates::render("server/README.md.j2", &context)?);
    Ok(())
}

/// Operations by trait name, in spec order.
fn traits_of(api: &Api) -> IndexMap<String, Vec<&crate::ir::Operation>> {
    let mut traits: IndexMap<String, Vec<&crate::ir::Operation>> = IndexMap::new();
    for op in &api.operations {
        traits.entry(operation::trait_name_of(op)).or_default().push(op);
    }
    traits
}

fn lib_tokens(crates: &Crates<'_>) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    let intro = format!("Server side of {}: implement the traits, get an axum router.", models::api_titles(crates.apis));
    let how = format!(
        "Each API module has one trait per tag with one async method per operation, taking a typed request (path, query and header parameters, the body, the caller's parsed credentials) and returning a response enum that can only hold what the spec documents. [`router`] serves every path and method of every API; before an implementation is called, each request is read and checked against the spec (types, required fields, enum values, lengths, patterns, ranges, content type). A request that breaks the spec gets 400 with the body shape its operation documents for 400, or the default [`ErrorBody`] (which also answers unknown paths with 404, wrong methods with 405 and `Allow`, bodies over {BODY_LIMIT} bytes with 413 and unsupported content types with 415). A handler that panics answers 500 for that request; the server keeps serving."
    );
    let modules = crates.apis.iter().map(|a| {
        let line = format!(" - [`{}`]: {} ({}), {} operations.", a.module, a.title, a.version, a.operations.len());
        quote!(#![doc = #line])
    });
    let prose = inner_doc_attrs(&[Some(intro), Some(how)]);
    let mods = crates.apis.iter().map(|a| {
        let m = ident(&a.module);
        let doc = doc_attrs(&[Some(format!("Server side of {} ({}).", a.title, a.version))]);
        quote!(#doc pub mod #m;)
    });
    let bounds = crates.apis.iter().map(|a| {
        let m = ident(&a.module);
        quote!(#m::Service)
    });
    let routes = crates.apis.iter().map(|a| {
        let m = ident(&a.module);
        quote!(.merge(#m::routes::<S>()))
    });
    let limit_doc = format!(" The largest request body accepted, in bytes ({BODY_LIMIT}); a larger one is answered 413.");
    quote! {
        #prose
        #![doc = ""]
        #(#modules)*
        #![forbid(unsafe_code)]

        mod runtime;
        pub mod validation;

        pub use runtime::Credentials;
        pub use validation::ErrorBody;

        /// The models crate the bodies come from.
        pub use #models_crate as models;

        #(#mods)*

        #[doc = #limit_doc]
        pub const BODY_LIMIT: usize = #BODY_LIMIT;

        /// An axum router serving every operation of every API with `service`, which implements all
        /// their traits; unknown paths answer 404, wrong methods 405, large bodies 413, all with
        /// [`ErrorBody`], and a panicking handler 500 without stopping the server.
        pub fn router<S>(service: std::sync::Arc<S>) -> axum::Router
        where
            S: #(#bounds)+*,
        {
            axum::Router::new()
                #(#routes)*
                .fallback(runtime::not_found)
                .layer(axum::middleware::from_fn(runtime::shape_errors))
                .layer(tower_http::catch_panic::CatchPanicLayer::custom(runtime::panicked))
                .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
                .with_state(service)
        }
    }
}

/// The route pattern of a path, with parameters named by position (`{p2}`) so that paths whose
/// parameters have different names at the same place can share the router.
fn route_pattern(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(i, segment)| if segment.starts_with('{') && segment.ends_with('}') { format!("{{p{i}}}") } else { segment.to_owned() })
        .collect::<Vec<_>>()
        .join("/")
}

fn module_tokens(crates: &Crates<'_>, api: &Api, ctx: &Ctx) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    let module = ident(&api.module);
    let intro = format!("Server side of {} ({}), generated from `{}`.", api.title, api.version, api.source);
    let docs = inner_doc_attrs(&[Some(intro), api.description.clone()]);
    let traits = traits_of(api);

    let trait_defs = traits.iter().map(|(name, ops)| {
        let trait_name = format_ident!("{}", name);
        let tag = ops.first().and_then(|o| o.tags.first()).and_then(|t| api.tags.iter().find(|x| &x.name == t));
        let docs = mixed_doc_attrs(
            &[tag.map(|t| t.display_name.clone()), tag.and_then(|t| t.description.clone())],
            &[Some(format!("Operations of {} tagged `{}`.", api.title, tag.map(|t| t.name.as_str()).unwrap_or("(untagged)")))],
        );
        let methods = ops.iter().map(|op| operation::trait_method(op));
        quote! {
            #docs
            pub trait #trait_name: Send + Sync + 'static {
                #(#methods)*
            }
        }
    });
    let trait_names: Vec<_> = traits.keys().map(|n| format_ident!("{}", n)).collect();
    let service_doc = format!(" Everything {} needs: implement each trait, and [`routes`] (or [`crate::router`]) serves them.", api.title);

    let mut by_path: IndexMap<String, Vec<&crate::ir::Operation>> = IndexMap::new();
    for op in &api.operations {
        by_path.entry(op.path.clone()).or_default().push(op);
    }
    let route_calls = by_path.iter().map(|(path, ops)| {
        let pattern = route_pattern(path);
        let mut chain = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let handler = format_ident!("handle_{}", op.name);
            let method = format_ident!("{}", op.method.as_str().to_lowercase());
            if i == 0 {
                chain.push(quote!(axum::routing::#method(#handler::<S>)));
            } else {
                chain.push(quote!(.#method(#handler::<S>)));
            }
        }
        quote!(.route(#pattern, #(#chain)*))
    });
    let route_list: Vec<String> = api.operations.iter().map(|op| format!("- {}", operation::route_doc(op))).collect();
    let routes_doc = mixed_doc_attrs(&[], &[Some(format!("The routes of {}, for merging into a larger router:", api.title)), Some(route_list.join("\n"))]);

    let requests = api.operations.iter().map(|op| operation::request_struct(op, ctx));
    let responses = api.operations.iter().map(|op| operation::response_enum(op, ctx));
    let handlers = api.operations.iter().map(|op| operation::handler(api, op, ctx));
    let validates = validate::validate_impls(api, ctx);
    let bad_requests = operation::bad_request_builders(api, ctx);
    quote! {
        #docs

        use #models_crate::#module as models;

        #(#trait_defs)*

        #[doc = #service_doc]
        pub trait Service: #(#trait_names)+* {}

        impl<T: #(#trait_names)+*> Service for T {}

        #routes_doc
        pub fn routes<S: Service>() -> axum::Router<std::sync::Arc<S>> {
            axum::Router::new()
                #(#route_calls)*
        }

        #(#requests)*
        #(#responses)*
        #(#handlers)*
        #bad_requests
        #validates
    }
}
