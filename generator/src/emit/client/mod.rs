//! The client crate (`<prefix>-client`): one async `Client` per API, one method per operation.
//!
//! Each method takes typed path parameters, a typed body from the models crate and a parameters
//! struct for query, header and cookie parameters; it returns the typed success body, or an error
//! carrying the body the spec documents for that status. Everything the same for every API
//! (sending, credentials, retries, rate limits, hooks, parameter styles) is the runtime
//! crate's `client` module; generated code only says what differs per operation.

mod answer;
mod body;
mod example;
pub(in crate::emit) mod stream;
pub(in crate::emit) mod flows;
pub(in crate::emit) mod operation;

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use self::operation::OpPlan;
use super::features::Features;
use super::layout::{Layout, ModuleCode, Units};
use super::rust::{doc_attrs, ident, inner_doc_attrs};
use super::{models, rust_file, templates, Crates};
use crate::diag::Error;
use crate::ir::Api;

/// What every per-operation emitter needs: the path of the API's models.
pub(super) struct Ctx {
    /// `models`, the alias of the API's module in the models crate.
    pub models: TokenStream,
}

/// Name of the client crate for a prefix.
pub fn crate_name(prefix: &str) -> String {
    format!("{prefix}-client")
}

/// Adds the client crate's small files to `files`, and its modules to `layout`.
pub(crate) fn emit<'a>(crates: &'a Crates<'a>, features: &'a Features, files: &mut BTreeMap<PathBuf, String>, layout: &mut Layout<'a>) -> Result<(), Error> {
    let name = crate_name(crates.prefix);
    let root = PathBuf::from(&name);
    let plans: Vec<Vec<OpPlan<'_>>> = crates.apis.iter().map(|api| api.operations.iter().map(|op| OpPlan::new(api, op)).collect()).collect();

    for (index, (api, plans)) in crates.apis.iter().zip(&plans).enumerate() {
        layout.add(module_code(crates, index, api, plans, features), features, &name, &api.module);
    }
    files.insert(root.join("src/lib.rs"), rust_file(crates, &format!("{name}/src/lib.rs"), lib_tokens(crates))?);

    let example = example::readme_example(crates, &plans)?;
    let models_crate = models::crate_name(crates.prefix);
    let context = templates::ClientContext {
        overlays: crates.overlays(),
        note: crates.readme_note.map(|n| n.trim_end().to_owned()),
        crate_name: name.clone(),
        crate_ident: name.to_snake_case(),
        models_crate: models_crate.clone(),
        header: crates.header(),
        description: format!("Async HTTP client of {}, generated from the OpenAPI description", models::api_titles(crates.apis)),
        deps: super::TypeDeps::of_operations(crates.apis),
        runtime: crates.runtime.to_owned(),
        dependencies: crates.extra_dependencies(),
        features: features.cargo_table(&[models_crate]),
        paginates: plans.iter().flatten().any(|p| p.pagination.is_some()),
        apis: crates.apis.iter().map(|a| templates::ClientApi { module: a.module.clone(), title: format!("{} ({})", a.title, a.version), server: default_base_url(a), operations: a.operations.len() }).collect(),
        example,
        rate_headers: rate_headers(crates.apis),
    };
    files.insert(root.join("Cargo.toml"), templates::render("client/Cargo.toml.j2", &context)?);
    files.insert(root.join("README.md"), templates::render("client/README.md.j2", &context)?);
    Ok(())
}

/// The server the spec names first, or loopback when it names none.
/// The response headers the APIs document that the client reads for rate limits and retries
/// (`X-RateLimit-*`, `RateLimit*`, `Retry-After`, `X-Retry-After`), each once, as first written.
fn rate_headers(apis: &[Api]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let headers = apis.iter().flat_map(|a| &a.operations).flat_map(|op| &op.responses).flat_map(|r| &r.headers);
    for header in headers {
        let lower = header.wire_name.to_ascii_lowercase();
        let read = lower.starts_with("x-ratelimit-") || lower.starts_with("ratelimit") || lower == "retry-after" || lower == "x-retry-after";
        if read && !found.iter().any(|f| f.eq_ignore_ascii_case(&header.wire_name)) {
            found.push(header.wire_name.clone());
        }
    }
    found.sort_by_key(|h| h.to_ascii_lowercase());
    found
}

fn default_base_url(api: &Api) -> String {
    api.servers.first().map(|s| s.default_url.clone()).unwrap_or_else(|| "http://localhost/".to_owned())
}

fn lib_tokens(crates: &Crates<'_>) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    // What streamed answers hand over, for crates that have any.
    let streamed = crates.apis.iter().flat_map(|a| &a.operations).flat_map(|op| &op.responses).flat_map(|r| &r.content).any(|c| c.sequence.is_some());
    let streams = streamed.then(|| {
        quote! {
            pub use generator_runtime::client::StreamError;
            /// One server-sent event of a streamed answer: its typed data, name, id and retry time.
            pub use generator_runtime::stream::Event;
        }
    });
    let intro = format!("Async HTTP client of {}.", models::api_titles(crates.apis));
    let modules = crates.apis.iter().map(|a| {
        let line = format!(" - [`{}`]: {} ({}), {} operations.", a.module, a.title, a.version, a.operations.len());
        quote!(#![doc = #line])
    });
    let prose = inner_doc_attrs(&[Some(intro)]);
    let mods = crates.apis.iter().map(|a| {
        let m = ident(&a.module);
        let doc = doc_attrs(&[Some(format!("Client of {} ({}).", a.title, a.version))]);
        quote!(#doc pub mod #m;)
    });
    quote! {
        #prose
        //!
        //! Each API has its own module with a `Client`: build one with `Client::builder()`, then call
        //! one async method per operation. Bodies are the types of the models crate; documented error
        //! statuses come back as [`Error::Api`] with the operation's own error enum, which carries the
        //! body the spec gives that status. Clones of a client share its credentials and rate-limit
        //! state; [`Hook`]s added to the builder run around every request.
        //!
        //! Credentials are never shown by `Debug`, and are not sent over plain `http://` to any host
        //! but loopback unless [`ClientBuilder::allow_insecure_credentials`] says so.
        #![doc = ""]
        #(#modules)*
        #![forbid(unsafe_code)]

        pub use generator_runtime::client::{reqwest, AfterReceive, ApiClient, AuthKind, BuildError, ClientBuilder, Credentials, Error, Hook, HookError, HookFuture, Jitter, RateLimit, Response, RetryPolicy, Server, ServerError, ServerVariable};
        #streams

        /// The models crate the bodies come from, so that one dependency is enough.
        pub use #models_crate as models;

        #(#mods)*

        /// The README's example, compiled as a doctest.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeDoctests;
    }
}

fn module_code<'a>(crates: &Crates<'_>, index: usize, api: &'a Api, plans: &[OpPlan<'_>], features: &'a Features) -> ModuleCode<'a> {
    let mut ops_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for op_index in 0..api.operations.len() {
        ops_of.entry(features.of_operation(index, op_index)).or_default().push(op_index);
    }
    let exporting = ops_of.iter().filter(|(_, ops)| ops.iter().any(|&i| operation::defines_types(&plans[i]))).map(|(g, _)| *g).collect();
    let group_uses = ops_of.keys().map(|g| (*g, std::iter::once("Client".to_owned()).collect())).collect();
    let groups = ops_of
        .into_iter()
        .map(|(g, ops)| {
            let units = Units::new(ops.len(), move |i| {
                let ctx = Ctx { models: quote!(models) };
                let plan = OpPlan::new(api, &api.operations[ops[i]]);
                let (types, methods) = operation::operation(&plan, &ctx);
                quote! {
                    impl Client {
                        #methods
                    }
                    #types
                }
            });
            (g, units)
        })
        .collect();
    let imports = vec![
        ("models", format!("{}::{} as models", models::crate_name(crates.prefix).to_snake_case(), api.module)),
        ("ApiClient", "generator_runtime::client::ApiClient".to_owned()),
        ("Transport", "generator_runtime::client::Transport".to_owned()),
        ("Request", "generator_runtime::client::Request".to_owned()),
        ("Response", "generator_runtime::client::Response".to_owned()),
        ("Method", "generator_runtime::client::Method".to_owned()),
        ("Cursor", "generator_runtime::client::Cursor".to_owned()),
        ("ByteStream", "generator_runtime::client::ByteStream".to_owned()),
        ("Events", "generator_runtime::client::Events".to_owned()),
        ("Records", "generator_runtime::client::Records".to_owned()),
        ("Encoding", "generator_runtime::params::Encoding".to_owned()),
        ("Style", "generator_runtime::params::Style".to_owned()),
        ("Shape", "generator_runtime::params::Shape".to_owned()),
        ("FieldEncoding", "generator_runtime::body::form::FieldEncoding".to_owned()),
        ("Multipart", "generator_runtime::body::multipart::Multipart".to_owned()),
        ("Error", "crate::Error".to_owned()),
        ("AuthKind", "crate::AuthKind".to_owned()),
    ];
    let docs = Box::new(move || {
        let intro = format!("Client of {} ({}), generated from `{}`; the default server is <{}>.", api.title, api.version, api.source, default_base_url(api));
        inner_doc_attrs(&[Some(intro)])
    });
    ModuleCode { docs, root: Units::new(1, move |_| client_struct(api)), groups, exporting, imports, group_uses }
}

/// The spec's servers (`SERVERS`), for a caller to choose one and fill in its variables.
fn servers_const(api: &Api) -> TokenStream {
    let text = |value: &Option<String>| match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let servers = api.servers.iter().map(|server| {
        let (url, name, description) = (&server.url, text(&server.name), text(&server.description));
        let variables = server.variables.iter().map(|v| {
            let (name, default, values, description) = (&v.name, &v.default, &v.values, text(&v.description));
            quote!(crate::ServerVariable { name: #name, default: #default, values: &[#(#values),*], description: #description })
        });
        quote!(crate::Server { url: #url, name: #name, description: #description, variables: &[#(#variables),*] })
    });
    let first = api.servers.first().map(|s| s.default_url.as_str());
    let doc = match first {
        None => " The servers the spec names: none, so [`Client::new`] sends to <http://localhost/>; give the real server to [`Client::builder`]`().base_url(…)`.".to_owned(),
        Some(url) if !(url.starts_with("http://") || url.starts_with("https://")) => format!(" The servers the spec names, in its order. The first, `{url}`, is relative to where the spec is served, so a client needs the absolute URL: [`Client::builder`]`().base_url(…)`."),
        Some(_) => " The servers the spec names, in its order: the first (its variables at their defaults) is where [`Client::new`] sends. Another is chosen with [`Client::builder`]`().base_url(SERVERS[i].url_with(&[(variable, value)])?)`.".to_owned(),
    };
    quote! {
        #[doc = #doc]
        pub const SERVERS: &[crate::Server] = &[#(#servers),*];
    }
}

/// The module's `Client`.
fn client_struct(api: &Api) -> TokenStream {
    let base_url = default_base_url(api);
    let client_doc = doc_attrs(&[
        Some(format!("A client of {}.", api.title)),
        api.description.as_ref().and_then(|d| d.split("\n\n").next()).map(str::to_owned),
        Some("Cheap to clone: clones share credentials and rate-limit state.".to_owned()),
    ]);
    let servers = servers_const(api);
    quote! {
        #servers

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: Transport,
        }

        impl ApiClient for Client {
            const DEFAULT_BASE_URL: &'static str = #base_url;

            fn from_transport(transport: Transport) -> Self {
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

            /// The rate-limit state the last answer reported, if it did: `X-RateLimit-*`, the IETF draft's
            /// `RateLimit` fields, `Retry-After` (see [`crate::RateLimit`]).
            pub fn rate_limit(&self) -> Option<crate::RateLimit> {
                self.transport.rate_limit()
            }
        }
    }
}
