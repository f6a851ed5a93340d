//! The client crate (`<prefix>-client`): one async `Client` per API, one method per operation.
//!
//! Each method takes typed path parameters, a typed body from the models crate and a parameters
//! struct for query, header and cookie parameters; it returns the typed success body, or an error
//! carrying the body the spec documents for that status. Everything the same for every API
//! (sending, credentials, retries on 429, rate limits, hooks, parameter styles) is the runtime
//! crate's `client` module; generated code only says what differs per operation.

mod example;
mod flows;
mod operation;

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use self::operation::OpPlan;
use super::features::Features;
use super::rust::{doc_attrs, ident, inner_doc_attrs};
use super::{models, rust_file, templates, Crates, ModuleCode};
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

/// Adds the client crate's files to `files`.
pub fn emit(crates: &Crates<'_>, features: &Features, files: &mut BTreeMap<PathBuf, String>) -> Result<(), Error> {
    let name = crate_name(crates.prefix);
    let root = PathBuf::from(&name);
    let plans: Vec<Vec<OpPlan<'_>>> = crates.apis.iter().map(|api| api.operations.iter().map(|op| OpPlan::new(api, op)).collect()).collect();
    let ctx = Ctx { models: quote!(models) };

    for (index, (api, plans)) in crates.apis.iter().zip(&plans).enumerate() {
        module_code(crates, index, api, plans, features, &ctx).write(crates, features, &name, &api.module, files)?;
    }
    files.insert(root.join("src/lib.rs"), rust_file(crates, &format!("{name}/src/lib.rs"), lib_tokens(crates))?);

    let example = example::readme_example(crates, &plans)?;
    let models_crate = models::crate_name(crates.prefix);
    let context = templates::ClientContext {
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
    };
    files.insert(root.join("Cargo.toml"), templates::render("client/Cargo.toml.j2", &context)?);
    files.insert(root.join("README.md"), templates::render("client/README.md.j2", &context)?);
    Ok(())
}

/// The server the spec names first, or loopback when it names none.
fn default_base_url(api: &Api) -> String {
    api.servers.first().cloned().unwrap_or_else(|| "http://localhost/".to_owned())
}

fn lib_tokens(crates: &Crates<'_>) -> TokenStream {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
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

        pub use generator_runtime::client::{reqwest, AfterReceive, ApiClient, AuthKind, BuildError, ClientBuilder, Credentials, Error, Hook, HookError, HookFuture, RateLimit, RetryPolicy};

        /// The models crate the bodies come from, so that one dependency is enough.
        pub use #models_crate as models;

        #(#mods)*

        /// The README's example, compiled as a doctest.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeDoctests;
    }
}

fn module_code(crates: &Crates<'_>, index: usize, api: &Api, plans: &[OpPlan<'_>], features: &Features, ctx: &Ctx) -> ModuleCode {
    let models_crate = ident(&models::crate_name(crates.prefix).to_snake_case());
    let module = ident(&api.module);
    let base_url = default_base_url(api);
    let intro = format!("Client of {} ({}), generated from `{}`; the default server is <{}>.", api.title, api.version, api.source, base_url);
    let docs = inner_doc_attrs(&[Some(intro)]);
    let mut groups: BTreeMap<usize, TokenStream> = BTreeMap::new();
    for (op_index, plan) in plans.iter().enumerate() {
        let (types, methods) = operation::operation(plan, ctx);
        let code = quote! {
            impl Client {
                #methods
            }
            #types
        };
        groups.entry(features.of_operation(index, op_index)).or_default().extend(code);
    }
    let client_doc = doc_attrs(&[
        Some(format!("A client of {}.", api.title)),
        api.description.as_ref().and_then(|d| d.split("\n\n").next()).map(str::to_owned),
        Some("Cheap to clone: clones share credentials and rate-limit state.".to_owned()),
    ]);
    let root = quote! {
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

            /// The rate-limit headers of the last answer (`X-RateLimit-*`, `X-Retry-After`), if it had any.
            pub fn rate_limit(&self) -> Option<crate::RateLimit> {
                self.transport.rate_limit()
            }
        }
    };
    let imports = vec![
        ("models", quote!(#models_crate::#module as models)),
        ("ApiClient", quote!(generator_runtime::client::ApiClient)),
        ("Transport", quote!(generator_runtime::client::Transport)),
        ("Request", quote!(generator_runtime::client::Request)),
        ("Response", quote!(generator_runtime::client::Response)),
        ("Method", quote!(generator_runtime::client::Method)),
        ("Cursor", quote!(generator_runtime::client::Cursor)),
        ("Encoding", quote!(generator_runtime::params::Encoding)),
        ("Style", quote!(generator_runtime::params::Style)),
        ("Error", quote!(crate::Error)),
        ("AuthKind", quote!(crate::AuthKind)),
    ];
    let group_uses = groups.keys().map(|g| (*g, std::iter::once("Client".to_owned()).collect())).collect();
    ModuleCode { docs, root, groups, imports, group_uses }
}
