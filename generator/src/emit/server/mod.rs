//! The server crate (`<prefix>-server`): traits to implement (one per tag, one async method per
//! operation), typed requests and response enums, and an axum router that reads and checks every
//! request against the spec before the implementation sees it.
//!
//! What is the same for every API (reading requests, the checks, the default error shape, the
//! router's layers) is the runtime crate's `server` module; generated code says what differs per
//! operation. The `Validate` trait stays in the generated crate: it is implemented for the models
//! crate's types, which only a local trait may be.

pub(crate) mod answers;
pub(crate) mod operation;
mod params;
mod rejection;
mod routes;
pub(crate) mod stream;
mod validate;
mod webhooks;

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToSnakeCase;
use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::features::{Features, Placement};
use super::layout::{gated, Layout, ModuleCode, Units};
use super::rust::{doc_attrs, ident, inner_doc_attrs, mixed_doc_attrs};
use super::{models, rust_file, templates, Crates};
use crate::diag::Error;
use crate::ir::{Api, Field, Operation, SecurityKind, TypeKind};
use routes::route_calls;

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

/// Whether some value of the APIs is checked against a pattern (the crate then needs `regex`).
fn checks_patterns(apis: &[Api]) -> bool {
    apis.iter().flat_map(|a| &a.operations).flat_map(|o| &o.params).any(|p| p.constraints.pattern.is_some())
        || apis.iter().flat_map(|a| &a.types).any(|t| matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(field_has_pattern)) || t.member_rules.iter().any(|r| r.pattern.is_some()))
}

/// Adds the server crate's small files to `files`, and its modules to `layout`.
pub(crate) fn emit<'a>(crates: &'a Crates<'a>, features: &'a Features, files: &mut BTreeMap<PathBuf, String>, layout: &mut Layout<'a>) -> Result<(), Error> {
    let name = crate_name(crates.prefix);
    let root = PathBuf::from(&name);
    for (index, api) in crates.apis.iter().enumerate() {
        layout.add(module_code(crates, index, api, features), features, &name, &api.module);
    }
    files.insert(root.join("src/validation.rs"), rust_file(crates, &format!("{name}/src/validation.rs"), validation_module(operation::checks_streamed_items(crates.apis)))?);
    files.insert(root.join("src/lib.rs"), rust_file(crates, &format!("{name}/src/lib.rs"), lib_tokens(crates))?);
    super::mock::emit(crates, features, &name, files)?;
    let models_crate = models::crate_name(crates.prefix);
    let deps = super::TypeDeps::of_operations(crates.apis);
    let context = templates::ServerContext {
        overlays: crates.overlays(),
        note: crates.readme_note.map(|n| n.trim_end().to_owned()),
        crate_name: name.clone(),
        models_crate: models_crate.clone(),
        header: crates.header(),
        description: format!("Server traits and a validating axum router for {}, generated from the OpenAPI description", models::api_titles(crates.apis)),
        runtime_features: runtime_features(checks_patterns(crates.apis)),
        deps,
        runtime: crates.runtime.to_owned(),
        dependencies: crates.extra_dependencies(),
        features: features.cargo_table(&[models_crate]),
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

/// The runtime's features the server crate needs.
fn runtime_features(patterns: bool) -> Vec<&'static str> {
    let mut features = vec!["server"];
    if patterns {
        features.push("regex");
    }
    features
}

/// Operations by trait name, in spec order.
fn traits_of(api: &Api) -> IndexMap<String, Vec<&Operation>> {
    let mut traits: IndexMap<String, Vec<&Operation>> = IndexMap::new();
    for op in &api.operations {
        traits.entry(operation::trait_name_of(op)).or_default().push(op);
    }
    traits
}

/// The crate's `validation` module: the `Validate` trait, which generated code implements for the
/// models, and the checks it uses; with `streamed_items`, the reader of a streamed body's item.
fn validation_module(streamed_items: bool) -> TokenStream {
    let item = streamed_items.then(|| {
        quote! {
            /// Reads one item of a streamed request body as JSON of `T`, held to its schema: what
            /// is wrong with it is the item's error, and the stream goes on.
            pub fn checked_item<T: generator_runtime::server::DeserializeOwned + Validate>(text: &str) -> Result<T, String> {
                let item: T = generator_runtime::server::json_item(text)?;
                let mut errors = Vec::new();
                item.validate("item", &mut errors);
                match errors.into_iter().next() {
                    Some(error) => Err(error.text()),
                    None => Ok(item),
                }
            }
        }
    });
    quote! {
        //! The rules of the spec that requests are checked against before an implementation is
        //! called. Implementations may use them too.

        pub use generator_runtime::server::{check_email, check_items, check_known, check_length, check_range, Rejection};

        /// Values the spec constrains: every rule broken adds a rejection.
        pub trait Validate {
            /// Checks the value, naming fields from `field`.
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>);
        }

        impl<T: Validate> Validate for Option<T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                if let Some(v) = self {
                    v.validate(field, errors);
                }
            }
        }

        impl<T: Validate> Validate for Vec<T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                for (i, v) in self.iter().enumerate() {
                    v.validate(&format!("{field}[{i}]"), errors);
                }
            }
        }

        impl<T: Validate> Validate for Box<T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                self.as_ref().validate(field, errors);
            }
        }

        impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                for (k, v) in self {
                    v.validate(&format!("{field}.{k}"), errors);
                }
            }
        }

        #item
    }
}

fn lib_tokens(crates: &Crates<'_>) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    let v07 = literal_segments(crates.apis);
    let intro = format!("Server side of {}: implement the traits, get an axum router.", models::api_titles(crates.apis));
    let how = "Each API module has one trait per tag with one async method per operation, taking a typed request (path, query and header parameters, the body, and the request's [`Context`]: URI, headers, middleware extensions and the caller's credentials) and returning a response enum that can only hold what the spec documents. [`router`] serves every path and method of every API; before an implementation is called, each request is read and checked against the spec (types, required fields, enum values, lengths, patterns, ranges, content type). A request that breaks the spec gets 400 with the body shape its operation documents for 400, or the default [`ErrorBody`] (which also answers unknown paths with 404, wrong methods with 405 and `Allow`, bodies over [`BODY_LIMIT`] bytes with 413 and unsupported content types with 415). A handler that panics answers 500 for that request; the server keeps serving.".to_owned();
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
    let limit_doc = format!(" The largest request body read, in bytes ({BODY_LIMIT}); a larger one is answered 413. A layer of `axum::Extension(generator_runtime::server::BodyLimit(n))` on the router sets another limit.");
    quote! {
        #prose
        #![doc = ""]
        #(#modules)*
        #![forbid(unsafe_code)]

        pub mod validation;

        pub use generator_runtime::server::{Context, Credentials, ErrorBody, Rejection};

        /// The models crate the bodies come from.
        pub use #models_crate as models;

        #(#mods)*

        #[cfg(feature = "mock")]
        pub mod mock;

        #[doc = #limit_doc]
        pub const BODY_LIMIT: usize = #BODY_LIMIT;

        /// An axum router serving every operation of every API with `service`, which implements all
        /// their traits; unknown paths answer 404, wrong methods 405, large bodies 413, all with
        /// [`ErrorBody`], and a panicking handler 500 without stopping the server.
        pub fn router<S>(service: std::sync::Arc<S>) -> generator_runtime::server::axum::Router
        where
            S: #(#bounds)+*,
        {
            generator_runtime::server::router(generator_runtime::server::axum::Router::new() #v07 #(#routes)*, service)
        }
    }
}

pub(crate) use crate::ir::routes::routed;

/// The call that lets a router take paths with a segment starting with `:` or `*` as the
/// literal text they are (an Express-style path left as written beside its template), which axum
/// otherwise refuses, panicking as the server starts; nothing where `apis` have none.
fn literal_segments(apis: &[Api]) -> Option<TokenStream> {
    let literal = |path: &str| path.split('/').any(|segment| segment.starts_with(':') || segment.starts_with('*'));
    apis.iter().flat_map(|a| &a.operations).any(|op| literal(&op.path)).then(|| quote!(.without_v07_checks()))
}

/// Where the server code of one API goes: each group's traits (with their requests, responses
/// and handlers), webhooks and 400 builders; whatever several groups share is in the module file.
struct Parts<'a> {
    api: &'a Api,
    index: usize,
    features: &'a Features,
    /// Traits by name: their group and operations.
    traits: IndexMap<String, (usize, Vec<&'a Operation>)>,
    /// 400 builders by the type they build, with the groups whose handlers call them.
    bad_requests: Vec<(String, std::collections::BTreeSet<usize>)>,
    /// Every path of the API, so that a slashed route never shadows one the spec declares.
    paths: std::collections::HashSet<&'a str>,
    /// Whether paths are also routed with one trailing slash.
    trailing_slash: bool,
    /// Routes (pattern and method) whose operations belong to several traits: the module's own
    /// dispatchers serve them, calling each trait's handler ([`routes::shared_routes`]).
    shared_routes: Vec<routes::SharedRoute<'a>>,
    /// Operations a server never reaches ([`crate::ir::routes::shadowed`]): no handler of their own.
    shadowed: std::collections::HashSet<usize>,
}

impl Parts<'_> {
    /// Whether `op` has a handler: a server reaches it.
    fn reached(&self, op: &Operation) -> bool {
        self.api.operations.iter().position(|o| std::ptr::eq(o, op)).is_none_or(|i| !self.shadowed.contains(&i))
    }

    /// Whether `op` is on a route several traits share, served from the module.
    fn on_shared_route(&self, op: &Operation) -> bool {
        self.shared_routes.iter().any(|r| r.ops.iter().any(|o| std::ptr::eq(*o, op)))
    }
}

/// One unit of server code.
#[derive(Clone, Copy)]
enum Unit<'a> {
    /// A trait and the function of its routes (by index in [`Parts::traits`]).
    Trait(usize),
    /// An operation's request, response and handler.
    Operation(&'a Operation),
    /// A webhook's request builder (by index in the API's webhooks).
    Webhook(usize),
    /// The `Validate` impl of a type.
    Validate(&'a crate::ir::TypeDef),
    /// A 400 builder (by index in [`Parts::bad_requests`]).
    BadRequest(usize),
    /// `Service`, `routes`, the `Webhooks` type and the stand-ins of traits whose feature is off.
    Shared,
}

fn module_code<'a>(crates: &Crates<'_>, index: usize, api: &'a Api, features: &'a Features) -> ModuleCode<'a> {
    let group_of = |op: &Operation| api.operations.iter().position(|o| std::ptr::eq(o, op)).map_or(0, |i| features.of_operation(index, i));
    let traits: IndexMap<String, (usize, Vec<&'a Operation>)> = traits_of(api).into_iter().map(|(name, ops)| (name, (ops.first().map_or(0, |o| group_of(o)), ops))).collect();
    let shadowed: std::collections::HashSet<usize> = crate::ir::routes::shadowed(api).into_iter().map(|(op, _)| op).collect();
    let routed = |op: &Operation| api.operations.iter().position(|o| std::ptr::eq(o, op)).is_none_or(|i| !shadowed.contains(&i));
    let reached: Vec<&'a Operation> = api.operations.iter().filter(|op| routed(op)).collect();
    let shared_routes = routes::shared_routes(&reached);
    let bad_requests: Vec<(String, std::collections::BTreeSet<usize>)> = rejection::bad_request_users(api)
        .into_iter()
        .map(|(name, users)| (name, users.iter().filter(|op| routed(op)).map(|op| group_of(op)).collect::<std::collections::BTreeSet<usize>>()))
        .filter(|(_, groups)| !groups.is_empty())
        .collect();

    let mut units: BTreeMap<usize, Vec<Unit<'a>>> = BTreeMap::new();
    let mut root = vec![Unit::Shared];
    // What each group file names from the module file: `Service` for its routes, `Webhooks` for
    // its webhook functions, the 400 builders its handlers share with other groups.
    let mut group_uses: BTreeMap<usize, std::collections::BTreeSet<String>> = BTreeMap::new();
    for (t, (g, ops)) in traits.values().enumerate() {
        units.entry(*g).or_default().push(Unit::Trait(t));
        units.entry(*g).or_default().extend(ops.iter().map(|op| Unit::Operation(op)));
        group_uses.entry(*g).or_default().insert("Service".to_owned());
        if ops.iter().any(|op| routed(op)) {
            group_uses.entry(*g).or_default().insert("SCHEME_ALIASES".to_owned());
        }
    }
    for w in 0..api.webhooks.len() {
        let g = features.of_webhook(index, w);
        units.entry(g).or_default().push(Unit::Webhook(w));
        group_uses.entry(g).or_default().insert("Webhooks".to_owned());
    }
    for def in &api.types {
        match features.place_type(index, &def.name) {
            Placement::Group(g) => units.entry(g).or_default().push(Unit::Validate(def)),
            Placement::Shared(_) => root.push(Unit::Validate(def)),
        }
    }
    for (b, (type_name, users)) in bad_requests.iter().enumerate() {
        match users.first() {
            Some(g) if users.len() == 1 => units.entry(*g).or_default().push(Unit::BadRequest(b)),
            _ => {
                root.push(Unit::BadRequest(b));
                for g in users {
                    group_uses.entry(*g).or_default().insert(rejection::bad_request_fn(type_name).to_string());
                }
            }
        }
    }
    // A group with a trait exports it (and its requests and responses), one with a webhook's
    // headers struct that struct; the others hold impls alone.
    let mut exporting: std::collections::BTreeSet<usize> = traits.values().map(|(g, _)| *g).collect();
    exporting.extend(api.webhooks.iter().enumerate().filter(|(_, hook)| webhooks::has_headers(hook)).map(|(w, _)| features.of_webhook(index, w)));
    let paths = api.operations.iter().map(|o| o.path.as_str()).collect();
    let parts = std::sync::Arc::new(Parts { api, index, features, traits, bad_requests, paths, trailing_slash: crates.trailing_slash, shared_routes, shadowed });
    let groups = units
        .into_iter()
        .map(|(g, list)| {
            let parts = parts.clone();
            (g, Units::new(list.len(), move |i| parts.unit(list[i])))
        })
        .collect();
    let imports = vec![
        ("models", format!("{}::{} as models", models::crate_name(crates.prefix).to_snake_case(), api.module)),
        ("axum", "generator_runtime::server::axum".to_owned()),
        ("server", "generator_runtime::server".to_owned()),
        ("Shape", "generator_runtime::params::Shape".to_owned()),
        ("Encoding", "generator_runtime::params::Encoding".to_owned()),
        ("Style", "generator_runtime::params::Style".to_owned()),
        ("FieldEncoding", "generator_runtime::body::form::FieldEncoding".to_owned()),
        ("Rejection", "generator_runtime::server::Rejection".to_owned()),
        ("Validate", "crate::validation::Validate".to_owned()),
        ("route_and_slashed", "generator_runtime::server::SlashRoutes as _".to_owned()),
    ];
    let docs = Box::new(move || {
        let intro = format!("Server side of {} ({}), generated from `{}`.", api.title, api.version, api.source);
        inner_doc_attrs(&[Some(intro), api.description.clone()])
    });
    ModuleCode { docs, root: Units::new(root.len(), move |i| parts.unit(root[i])), groups, exporting, imports, group_uses }
}

impl Parts<'_> {
    /// The code of one unit.
    fn unit(&self, unit: Unit<'_>) -> TokenStream {
        let (api, ctx) = (self.api, Ctx { models: quote!(models), module: self.api.module.clone() });
        match unit {
            Unit::Trait(t) => match self.traits.get_index(t) {
                Some((name, (_, ops))) => {
                    let routed: Vec<&Operation> = ops.iter().copied().filter(|op| self.reached(op) && !self.on_shared_route(op)).collect();
                    trait_code(api, name, ops, route_calls(api, &routed, &self.paths, self.trailing_slash))
                }
                None => TokenStream::new(),
            },
            Unit::Operation(op) => {
                let request = operation::request_struct(op, &ctx);
                let body = operation::body_enum(op, &ctx);
                let response = answers::response_enum(api, op, &ctx);
                // An operation a server never reaches has no handler.
                let handler = self.reached(op).then(|| operation::handler(api, op, &ctx, self.features.enabled() && self.on_shared_route(op)));
                quote!(#request #body #response #handler)
            }
            Unit::Webhook(w) => {
                api.webhooks.get(w).map(|hook| webhooks::webhook_fn(hook, &ctx)).unwrap_or_default()
            }
            Unit::Validate(def) => {
                let code = validate::validate_impl(api, def, &ctx).unwrap_or_default();
                match self.features.place_type(self.index, &def.name) {
                    Placement::Shared(cfg) => gated(code, cfg.as_ref()),
                    Placement::Group(_) => code,
                }
            }
            Unit::BadRequest(b) => {
                let Some((type_name, users)) = self.bad_requests.get(b) else { return TokenStream::new() };
                let code = rejection::bad_request_builder(api, type_name, &ctx);
                // Builders of one group are in its file; those of several are shared under any of their features.
                let list = users.iter().map(|g| self.features.groups[*g].feature.as_str());
                let cfg = (self.features.enabled() && users.len() > 1).then(|| quote!(#[cfg(any(#(feature = #list),*))]));
                gated(code, cfg.as_ref())
            }
            Unit::Shared => self.shared(),
        }
    }

    /// `Service`, `routes`, the `Webhooks` type and the stand-ins of traits whose feature is off.
    fn shared(&self) -> TokenStream {
        let (api, features) = (self.api, self.features);
        let v07 = literal_segments(std::slice::from_ref(api));
        let mut root = TokenStream::new();
        let mut merges = Vec::new();
        for (name, (group, _)) in &self.traits {
            let trait_name = format_ident!("{}", name);
            let routes_fn = format_ident!("{}_routes", name.to_snake_case());
            if !features.enabled() {
                merges.push(quote!(.merge(#routes_fn::<S>())));
                continue;
            }
            let cfg = features.cfg_of(*group);
            let feature = &features.groups[*group].feature;
            let stand_in_doc = format!(" Stands for [`{name}`] while the `{feature}` feature is off: every type implements it.");
            root.extend(quote! {
                #[doc = #stand_in_doc]
                #[cfg(not(feature = #feature))]
                pub trait #trait_name {}

                #[cfg(not(feature = #feature))]
                impl<T: ?Sized> #trait_name for T {}
            });
            let group_module = format_ident!("{}", features.groups[*group].module);
            merges.push(quote!(#cfg let router = router.merge(#group_module::#routes_fn::<S>());));
        }
        let trait_names = self.traits.keys().map(|n| format_ident!("{}", n));
        let service_doc = format!(" Everything {} needs: implement each trait, and [`routes`] (or [`crate::router`]) serves them.", api.title);
        let route_list: Vec<String> = api.operations.iter().map(|op| format!("- {}", operation::route_doc(op))).collect();
        let routes_doc = mixed_doc_attrs(&[], &[Some(format!("The routes of {}, for merging into a larger router:", api.title)), Some(route_list.join("\n"))]);
        let bound = if self.traits.is_empty() { quote!(Send + Sync + 'static) } else { quote!(#(#trait_names)+*) };
        // Routes several tags share are the module's own, told apart by its dispatchers.
        let locate = |op: &Operation| {
            let group = self.api.operations.iter().position(|o| std::ptr::eq(o, op)).map_or(0, |i| features.of_operation(self.index, i));
            let module = features.enabled().then(|| format_ident!("{}", features.groups[group].module));
            (features.enabled().then(|| features.groups[group].feature.clone()), module.map(|m| quote!(#m::)).unwrap_or_default())
        };
        let (dispatchers, shared_calls) = routes::shared_route_calls(api, &self.shared_routes, &self.paths, self.trailing_slash, &locate);
        root.extend(dispatchers);
        // With features, each tag's routes are merged under its feature; without, in one expression.
        let body = if features.enabled() {
            // Called in full, not as methods: with the tags' features off, the trait's import would be unused.
            let shared_calls = shared_calls.iter().map(|(cfg, slashed, pattern, handler)| {
                if *slashed {
                    quote!(#cfg let router = generator_runtime::server::SlashRoutes::route_and_slashed(router, #pattern, #handler);)
                } else {
                    quote!(#cfg let router = router.route(#pattern, #handler);)
                }
            });
            quote!(let router = axum::Router::new() #v07; #(#merges)* #(#shared_calls)* router)
        } else {
            let shared_calls = shared_calls.iter().map(|(_, slashed, pattern, handler)| if *slashed { quote!(.route_and_slashed(#pattern, #handler)) } else { quote!(.route(#pattern, #handler)) });
            quote!(axum::Router::new() #v07 #(#merges)* #(#shared_calls)*)
        };
        root.extend(quote! {
            #[doc = #service_doc]
            pub trait Service: #bound {}

            impl<T: #bound> Service for T {}

            #routes_doc
            pub fn routes<S: Service>() -> axum::Router<std::sync::Arc<S>> {
                #body
            }
        });
        if !api.webhooks.is_empty() {
            root.extend(webhooks::webhooks_type(&api.title));
        }
        if !api.operations.is_empty() {
            let pairs = api.security_schemes.iter().flat_map(|scheme| {
                let meant = match &scheme.kind {
                    SecurityKind::Basic => "Basic",
                    SecurityKind::Bearer => "Bearer",
                    SecurityKind::HttpOther(other) => other.as_str(),
                    _ => "",
                };
                scheme.aliases.iter().map(move |alias| quote!((#alias, #meant)))
            });
            root.extend(quote! {
                /// Other names of authorization schemes this API accepts (`x-scheme-aliases`), and
                /// the scheme each means: [`Context::credentials`](crate::Context::credentials) reads them.
                const SCHEME_ALIASES: &[(&str, &str)] = &[#(#pairs),*];
            });
        }
        root
    }
}

/// A trait and the function of its routes.
fn trait_code(api: &Api, name: &str, ops: &[&Operation], (dispatchers, route_calls): (Vec<TokenStream>, Vec<TokenStream>)) -> TokenStream {
    let trait_name = format_ident!("{}", name);
    let tag = ops.first().and_then(|o| o.tags.first()).and_then(|t| api.tags.iter().find(|x| &x.name == t));
    let trait_docs = mixed_doc_attrs(
        &[tag.map(|t| t.display_name.clone()), tag.and_then(|t| t.description.clone())],
        &[Some(format!("Operations of {} tagged `{}`.", api.title, tag.map(|t| t.name.as_str()).unwrap_or("(untagged)")))],
    );
    let methods = ops.iter().map(|op| operation::trait_method(op));
    let routes_fn = format_ident!("{}_routes", name.to_snake_case());
    let routes_doc = format!(" The routes of the operations of [`{name}`].");
    let v07 = literal_segments(std::slice::from_ref(api));
    quote! {
        #trait_docs
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        #[doc = #routes_doc]
        pub(super) fn #routes_fn<S: Service>() -> axum::Router<std::sync::Arc<S>> {
            axum::Router::new() #v07 #(#route_calls)*
        }

        #(#dispatchers)*
    }
}
