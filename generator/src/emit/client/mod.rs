//! The client crate (`<prefix>-client`): one async `Client` per API, one method per operation.
//!
//! Each method takes typed path parameters, a typed body from the models crate and a parameters
//! struct for query and header parameters; it returns the typed success body, or an error carrying
//! the body the spec documents for that status. The shared `transport` module (emitted by `runtime`) does
//! credentials, retries on 429, rate limits and the plain-HTTP credential guard.

mod example;
mod flows;
mod operation;
mod runtime;

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use self::operation::OpPlan;
use self::runtime::Usage;
use super::rust::{doc_attrs, ident, inner_doc_attrs};
use super::{models, rust_file, templates, Crates};
use crate::diag::Error;
use crate::ir::{Api, ParamLocation, TypeRef};

/// What every per-operation emitter needs: the path of the API's models and the crate's usage flags.
pub(super) struct Ctx {
    /// `models`, the alias of the API's module in the models crate.
    pub models: TokenStream,
    /// Which optional runtime parts exist.
    pub usage: Usage,
}

/// Name of the client crate for a prefix.
pub fn crate_name(prefix: &str) -> String {
    format!("{prefix}-client")
}

/// Adds the client crate's files to `files`.
pub fn emit(crates: &Crates<'_>, files: &mut BTreeMap<PathBuf, String>) -> Result<(), Error> {
    let name = crate_name(crates.prefix);
    let root = PathBuf::from(&name);
    let plans: Vec<Vec<OpPlan<'_>>> = crates.apis.iter().map(|api| api.operations.iter().map(|op| OpPlan::new(api, op)).collect()).collect();
    let usage = usage(crates.apis, &plans);
    let ctx = Ctx { models: quote!(models), usage };

    for (api, plans) in crates.apis.iter().zip(&plans) {
        let path = format!("src/{}.rs", api.module);
        files.insert(root.join(&path), rust_file(crates, &format!("{name}/{path}"), module_tokens(crates, api, plans, &ctx))?);
    }
    files.insert(root.join("src/transport.rs"), rust_file(crates, &format!("{name}/src/transport.rs"), runtime::transport_module(usage))?);
    files.insert(root.join("src/lib.rs"), rust_file(crates, &format!("{name}/src/lib.rs"), lib_tokens(crates))?);

    let example = example::readme_example(crates, &plans)?;
    let context = templates::ClientContext {
        crate_name: name.clone(),
        crate_ident: name.to_snake_case(),
        models_crate: models::crate_name(crates.prefix),
        header: crates.header(),
        description: format!("Async HTTP client of {}, generated from the OpenAPI description", models::api_titles(crates.apis)),
        deps: super::TypeDeps::of_operations(crates.apis),
        runtime: crates.runtime.to_owned(),
        dependencies: crates.extra_dependencies(),
        apis: crates.apis.iter().map(|a| templates::ClientApi { module: a.module.clone(), title: format!("{} ({})", a.title, a.version), server: default_base_url(a), operations: a.operations.len() }).collect(),
        example,
    };
    files.insert(root.join("Cargo.toml"), templates::render("client/Cargo.toml.j2", &context)?);
    files.insert(root.join("README.md"), templates::render("client/README.md.j2", &context)?);
    Ok(())
}

fn usage(apis: &[Api], plans: &[Vec<OpPlan<'_>>]) -> Usage {
    let all = || plans.iter().flatten();
    let json_content = |content: &[crate::ir::Content]| content.first().is_some_and(|c| c.ty.as_ref().is_some_and(|t| *t != TypeRef::String));
    Usage {
        follows_links: all().any(|p| p.pagination.as_ref().is_some_and(|pg| pg.follows_links())),
        reads_headers: all().any(|p| !p.is_head() && p.successes.iter().any(|r| !r.headers.is_empty()) && (p.successes.len() > 1 || p.successes.iter().any(|r| !r.headers.is_empty()))),
        reads_text: all().any(|p| !p.is_head() && p.op.responses.iter().any(|r| r.content.first().is_some_and(|c| c.ty == Some(TypeRef::String)))),
        reads_json: all().any(|p| (!p.is_head() && p.op.responses.iter().any(|r| json_content(&r.content) || (r.content.first().is_some_and(|c| c.ty.is_none())))) || p.flow.is_some()),
        keeps_issued_credentials: all().any(|p| !p.issued.is_empty()),
        encodes_path: apis.iter().flat_map(|a| &a.operations).any(|o| o.params.iter().any(|p| p.location == ParamLocation::Path)),
        paginates: all().any(|p| p.pagination.is_some()),
        writes_json: all().any(|p| p.body.is_some_and(|(_, ty)| ty.is_some())),
        reports_unexpected: all().any(|p| !p.op.responses.iter().any(|r| r.status == crate::ir::Status::Default)),
    }
}

/// The server the spec names first, or loopback when it names none.
fn default_base_url(api: &Api) -> String {
    api.servers.first().cloned().unwrap_or_else(|| "http://localhost/".to_owned())
}

fn lib_tokens(crates: &Crates<'_>) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    let intro = format!("Async HTTP client of {}.", models::api_titles(crates.apis));
    let how = "Each API has its own module with a `Client`: build one with `Client::builder()`, then call one async method per operation. Bodies are the types of the models crate; documented error statuses come back as [`Error::Api`] with the operation's own error enum, which carries the body the spec gives that status. Clones of a client share its credentials and rate-limit state.".to_owned();
    let guard = "Credentials are never shown by `Debug`, and are not sent over plain `http://` to any host but loopback unless [`ClientBuilder::allow_insecure_credentials`] says so.".to_owned();
    let modules = crates.apis.iter().map(|a| {
        let line = format!(" - [`{}`]: {} ({}), {} operations.", a.module, a.title, a.version, a.operations.len());
        quote!(#![doc = #line])
    });
    let prose = inner_doc_attrs(&[Some(intro), Some(how), Some(guard)]);
    let mods = crates.apis.iter().map(|a| {
        let m = ident(&a.module);
        let doc = doc_attrs(&[Some(format!("Client of {} ({}).", a.title, a.version))]);
        quote!(#doc pub mod #m;)
    });
    quote! {
        #prose
        #![doc = ""]
        #(#modules)*
        #![forbid(unsafe_code)]

        mod transport;

        pub use transport::{ApiClient, AuthKind, BuildError, ClientBuilder, Credentials, Error, RateLimit, RetryPolicy};

        /// The models crate the bodies come from, so that one dependency is enough.
        pub use #models_crate as models;

        #(#mods)*

        /// The README's example, compiled as a doctest.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeDoctests;
    }
}

fn module_tokens(crates: &Crates<'_>, api: &Api, plans: &[OpPlan<'_>], ctx: &Ctx) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    let module = ident(&api.module);
    let base_url = default_base_url(api);
    let intro = format!("Client of {} ({}), generated from `{}`; the default server is <{}>.", api.title, api.version, api.source, base_url);
    let docs = inner_doc_attrs(&[Some(intro)]);
    let mut types = Vec::new();
    let mut methods = Vec::new();
    for plan in plans {
        let (t, m) = operation::operation(plan, ctx);
        types.push(t);
        methods.push(m);
    }
    let client_doc = doc_attrs(&[
        Some(format!("A client of {}.", api.title)),
        api.description.as_ref().and_then(|d| d.split("\n\n").next()).map(str::to_owned),
        Some("Cheap to clone: clones share credentials and rate-limit state.".to_owned()),
    ]);
    let uses_models = quote!(#(#types)* #(#methods)*).to_string().contains("models ::");
    let import = uses_models.then(|| quote!(use #models_crate::#module as models;));
    quote! {
        #docs

        #import

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: crate::transport::Transport,
        }

        impl crate::ApiClient for Client {
            const DEFAULT_BASE_URL: &'static str = #base_url;

            fn from_transport(transport: crate::transport::Transport) -> Self {
                Client { transport }
            }
        }

        impl Client {
            /// A builder for a client of this API, preset to the spec's first server.
            pub fn builder() -> crate::ClientBuilder<Client> {
                crate::ClientBuilder::default()
            }

            /// A client of the spec's first server with default settings.
            pub fn new() -> Result<Client, crate::BuildError> {
                Self::builder().build()
            }

            /// Presents `credentials` on later calls, replacing any kept credential of the same kind.
            pub fn set_credentials(&self, credentials: crate::Credentials) {
                self.transport.set_credentials(credentials);
            }

            /// Forgets every credential.
            pub fn clear_credentials(&self) {
                self.transport.clear_credentials();
            }

            /// The rate-limit headers of the last answer (`X-RateLimit-*`, `X-Retry-After`), if it had any.
            pub fn rate_limit(&self) -> Option<crate::RateLimit> {
                self.transport.rate_limit()
            }

            #(#methods)*
        }

        #(#types)*
    }
}
