//! The server crate's `mock` feature: `mock::Mock`, an implementation of every trait of every API
//! that answers each operation from the spec (the documented example of the status a request
//! prefers, or a value the runtime's value generator makes of the schema), through the same
//! router and typed answers as any implementation, so that a mock can only answer what its server
//! may.
//!
//! Per API, `src/mock/<module>.rs` holds the operations' table (statuses, the pointers of their
//! schemas and examples, the credentials they need) and the trait impls, which read the runtime's
//! JSON answer into the typed one; `src/mock/<module>/document.rs` holds the schemas and examples
//! ([`crate::ir::Api::answers`]) as JSON text. What is the same for every API (picking an answer, making
//! values, CORS, logging) is the runtime's `mock` module.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::body::{self, BodyKind};
use super::features::Features;
use super::rust::{ident, status_variant};
use super::server::operation::{names, trait_name_of};
use super::{rust_file, Crates};
use crate::diag::Error;
use crate::ir::{Api, Method, Operation, SecurityKind, Status};

/// Adds `src/mock/…` of the server crate `krate` to `files`.
pub(crate) fn emit(crates: &Crates<'_>, features: &Features, krate: &str, files: &mut BTreeMap<PathBuf, String>) -> Result<(), Error> {
    let root = PathBuf::from(krate).join("src/mock");
    files.insert(root.join("mod.rs"), rust_file(crates, &format!("{krate}/src/mock/mod.rs"), mock_type(crates))?);
    for (index, api) in crates.apis.iter().enumerate() {
        let tokens = api_module(api, index, features);
        files.insert(root.join(format!("{}.rs", api.module)), rust_file(crates, &format!("{krate}/src/mock/{}.rs", api.module), tokens)?);
        let what = format!("{krate}/src/mock/{}/document.rs", api.module);
        files.insert(root.join(&api.module).join("document.rs"), rust_file(crates, &what, document(api, &what)?)?);
    }
    Ok(())
}

/// `src/mock/<module>/document.rs`: the answers' schemas and examples ([`Api::answers`]), as the
/// JSON text the runtime reads, kept readable (one value per line) for reviews.
fn document(api: &Api, what: &str) -> Result<TokenStream, Error> {
    let json = serde_json::to_string_pretty(&api.answers).map_err(|e| Error::Emit { what: what.to_owned(), message: e.to_string() })?;
    // A raw string, its delimiter longer than any run of `#` after a quote in the text.
    let mut hashes = "#".to_owned();
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal: TokenStream = format!("r{hashes}\"{json}\"{hashes}").parse().map_err(|e: proc_macro2::LexError| Error::Emit { what: what.to_owned(), message: e.to_string() })?;
    let doc = format!(" The schemas and examples of the answers of {} ({}), as JSON Schema: what the mock makes its answers of.", api.title, api.version);
    Ok(quote! {
        //! What the mock answers are made of: the API's answer schemas (with every schema they
        //! refer to) and documented examples, each at its pointer in the spec.

        #[doc = #doc]
        pub(in crate::mock) const DOCUMENT: &str = #literal;
    })
}

/// `src/mock/mod.rs`: the `Mock` type, one runtime mock per API.
fn mock_type(crates: &Crates<'_>) -> TokenStream {
    let modules: Vec<_> = crates.apis.iter().map(|a| ident(&a.module)).collect();
    let titles = super::models::api_titles(crates.apis);
    let intro = format!(" A mock of {titles}: every operation answered from the spec, through this crate's router.");
    quote! {
        //! A mock server of the crate's APIs (feature `mock`): [`Mock`] implements every trait,
        //! answering each operation from the spec.
        //!
        //! Which answer a request gets: the status it asks for with `Prefer: code=404` (or
        //! `?__code=404`), where documented; `401` where it lacks the credentials the operation
        //! needs (the documented `401`, `4XX` or `default`, else an undocumented 401 rather than a
        //! success); else the lowest documented `2xx`. Its body is the
        //! documented example asked for (`Prefer: example=NAME`), else the first documented one,
        //! else a value made from the schema by a seeded generator; `Prefer: dynamic=true` asks
        //! for values made anew. Requests are read and checked as for any implementation, so an
        //! invalid one gets the `400` its operation documents.

        #(mod #modules;)*

        use std::sync::Arc;

        pub use generator_runtime::mock::Log;

        #[doc = #intro]
        ///
        /// Serve it with [`Mock::router`] (in a test, on a loopback listener), or wrap it in a type
        /// of your own that implements some traits itself and forwards the rest to it.
        #[derive(Debug)]
        pub struct Mock {
            #(#modules: generator_runtime::mock::Mock,)*
        }

        impl Mock {
            /// A mock whose generated values come from `seed` (the same seed, the same answers).
            pub fn new(seed: u64) -> Self {
                Mock { #(#modules: generator_runtime::mock::Mock::new(#modules::DOCUMENT, #modules::OPERATIONS, seed),)* }
            }

            /// The operations it answers, of each API.
            pub fn operations(&self) -> Vec<&'static [generator_runtime::mock::Operation]> {
                vec![#(self.#modules.operations()),*]
            }

            /// An axum router serving the mock as a mock server does: the crate's router, CORS
            /// preflights answered and any origin allowed, `Deprecation: true` on deprecated
            /// operations, and with [`Log::Requests`] a line per request on standard error.
            pub fn router(self, log: Log) -> generator_runtime::server::axum::Router {
                let operations = self.operations();
                generator_runtime::mock::layer(crate::router(Arc::new(self)), operations, log)
            }
        }

        impl Default for Mock {
            /// The mock of seed 0.
            fn default() -> Self {
                Mock::new(0)
            }
        }
    }
}

/// `src/mock/<module>.rs`: the API's operations table and its traits implemented by `Mock`.
fn api_module(api: &Api, index: usize, features: &Features) -> TokenStream {
    let module = ident(&api.module);
    let field = &module;
    let operations = api.operations.iter().map(|op| operation_entry(api, op));
    let mut impls: Vec<(String, usize, Vec<TokenStream>)> = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        let name = trait_name_of(op);
        let method = answer_method(op, i, field, &module);
        match impls.iter_mut().find(|(n, ..)| *n == name) {
            Some((_, _, methods)) => methods.push(method),
            None => impls.push((name, features.of_operation(index, i), vec![method])),
        }
    }
    let impls = impls.into_iter().map(|(name, group, methods)| {
        let name = ident(&name);
        let cfg = features.cfg_of(group);
        quote! {
            #cfg
            impl crate::#module::#name for crate::mock::Mock {
                #(#methods)*
            }
        }
    });
    let doc = format!(" What the mock knows of the answers of {} ({}).", api.title, api.version);
    // Only the names the table uses: an unused import is a warning in the user's build.
    let responses = api.operations.iter().flat_map(|op| &op.responses);
    let mut used = vec![quote!(Operation)];
    if api.operations.iter().any(|op| op.security.iter().any(|set| !set.is_empty())) {
        used.push(quote!(Credential));
    }
    if responses.clone().any(|r| body::answer(&r.content).is_some_and(|a| !a.content.examples.is_empty())) {
        used.push(quote!(Example));
    }
    if responses.clone().any(|r| !body::answered_headers(r).is_empty()) {
        used.push(quote!(Header));
    }
    if responses.clone().next().is_some() {
        used.extend([quote!(Response), quote!(Status)]);
    }
    used.sort_by_key(|t| t.to_string());
    quote! {
        //! The mock's answers to one API: what the spec documents of each operation's answers,
        //! and its traits implemented by reading them into the typed answers.

        mod document;

        pub(super) use document::DOCUMENT;

        use generator_runtime::mock::{#(#used),*};

        #[doc = #doc]
        pub(super) static OPERATIONS: &[Operation] = &[#(#operations),*];

        #(#impls)*
    }
}

/// The table entry of `op`.
fn operation_entry(api: &Api, op: &Operation) -> TokenStream {
    let (name, method, path, deprecated) = (&op.name, op.method.as_str().to_ascii_uppercase(), &op.path, op.deprecated);
    let sets = op.security.iter().map(|set| {
        let credentials = set.iter().filter_map(|scheme| api.security_schemes.iter().find(|s| &s.name == scheme)).map(|s| match &s.kind {
            SecurityKind::ApiKey { location, name } => match location.as_str() {
                "query" => quote!(Credential::Query(#name)),
                "cookie" => quote!(Credential::Cookie(#name)),
                _ => {
                    let name = name.to_ascii_lowercase();
                    quote!(Credential::Header(#name))
                }
            },
            _ => quote!(Credential::Header("authorization")),
        });
        quote!(&[#(#credentials),*])
    });
    let responses = op.responses.iter().map(|r| {
        let status = match r.status {
            Status::Code(c) => {
                let c = Literal::u16_unsuffixed(c);
                quote!(Status::Code(#c))
            }
            Status::Range(d) => {
                let d = Literal::u16_unsuffixed(d);
                quote!(Status::Range(#d))
            }
            Status::Default => quote!(Status::Default),
        };
        let content = body::answer(&r.content).map(|a| a.content).filter(|_| op.method != Method::Head);
        let schema = match content.and_then(|c| c.schema.as_deref()) {
            Some(pointer) => quote!(Some(#pointer)),
            None => quote!(None),
        };
        let examples = content.into_iter().flat_map(|c| &c.examples).map(|e| {
            let at = &e.at;
            match &e.name {
                Some(n) => quote!(Example { name: Some(#n), at: #at }),
                None => quote!(Example { name: None, at: #at }),
            }
        });
        let headers = body::answered_headers(r).into_iter().map(|h| {
            let (wire, required) = (&h.wire_name, h.required);
            let schema = match &h.schema {
                Some(pointer) => quote!(Some(#pointer)),
                None => quote!(None),
            };
            quote!(Header { name: #wire, schema: #schema, required: #required })
        });
        let stream = match super::server::stream::streamed(r).filter(|_| op.method != Method::Head) {
            Some(s) => match s.content.schema.as_deref() {
                Some(pointer) => quote!(Some(Some(#pointer))),
                None => quote!(Some(None)),
            },
            None => quote!(None),
        };
        quote!(Response { status: #status, schema: #schema, examples: &[#(#examples),*], headers: &[#(#headers),*], stream: #stream })
    });
    quote! {
        Operation {
            name: #name,
            method: #method,
            path: #path,
            deprecated: #deprecated,
            security: &[#(#sets),*],
            responses: &[#(#responses),*],
        }
    }
}

/// The trait method of operation `i`: the runtime's answer read into the typed one.
fn answer_method(op: &Operation, i: usize, field: &proc_macro2::Ident, module: &proc_macro2::Ident) -> TokenStream {
    let n = names(op);
    let (method, request, response) = (&n.method, &n.request, &n.response);
    let answer_type = quote!(crate::#module::#response);
    let arms = op.responses.iter().enumerate().map(|(j, r)| {
        let variant = status_variant(r.status);
        let j = Literal::usize_unsuffixed(j);
        let written = body::answer(&r.content).filter(|_| op.method != Method::Head);
        // A stream answers several items made from the schema of one; one beside another body,
        // when the request asks for it.
        let streamed = super::server::stream::streamed(r).filter(|_| op.method != Method::Head);
        let stream = streamed.as_ref().filter(|s| s.alone);
        let headers = body::answered_headers(r);
        let header_fields = headers.iter().map(|h| {
            let (field, wire) = (ident(&h.name), &h.wire_name);
            quote!(#field: answer.header(#wire)?,)
        });
        let header_fields: Vec<TokenStream> = header_fields.collect();
        let beside = match (streamed.as_ref().filter(|s| !s.alone), super::server::answers::status_code(r.status)) {
            (Some(s), Some(_)) => {
                let media = s.content.media_type.as_str();
                let name = format_ident!("{variant}Stream");
                let items = s.of_items(&quote!(answer.items()?));
                if headers.is_empty() {
                    quote!(#j if request.context.accepts(#media) => #answer_type::#name(#items),)
                } else {
                    quote!(#j if request.context.accepts(#media) => #answer_type::#name { body: #items, #(#header_fields)* },)
                }
            }
            _ => quote!(),
        };
        let body = written.map(|a| match (a.kind, stream) {
            (_, Some(stream)) => stream.of_items(&quote!(answer.items()?)),
            (BodyKind::Binary, None) => quote!(generator_runtime::server::axum::body::Body::from(answer.bytes())),
            _ => quote!(answer.body()?),
        });
        if headers.is_empty() && r.status != Status::Default {
            return match body {
                Some(body) => quote!(#beside #j => #answer_type::#variant(#body),),
                None => quote!(#beside #j => #answer_type::#variant,),
            };
        }
        let status = (r.status == Status::Default).then(|| quote!(status: answer.code(),));
        let body = body.map(|b| quote!(body: #b,));
        quote!(#beside #j => #answer_type::#variant { #status #body #(#header_fields)* },)
    });
    let i = Literal::usize_unsuffixed(i);
    quote! {
        async fn #method(&self, request: crate::#module::#request) -> #answer_type {
            self.#field.answer(#i, &request.context, |answer| {
                Ok(match answer.index() {
                    #(#arms)*
                    _ => return Err(answer.unknown()),
                })
            })
        }
    }
}

#[derive(serde::Serialize)]
struct RunnerManifest<'a> {
    header: &'a str,
    crate_name: String,
    title: String,
    models: String,
    server: String,
    runtime: &'a str,
}

/// The package name of the program serving the mock of the crates named `<prefix>-…`.
pub fn runner_name(prefix: &str) -> String {
    format!("{prefix}-mock")
}

/// The program serving the mock of the server crate named `<prefix>-server` (for `generator
/// mock`): its crate under `<prefix>-mock/`, and a workspace `Cargo.toml` of it, the models and
/// the server. It takes the address to listen on and the seed as its two arguments.
pub fn runner_files(prefix: &str, title: &str, runtime: &str, header: &str) -> Result<BTreeMap<PathBuf, String>, Error> {
    let name = runner_name(prefix);
    let server = super::server::crate_name(prefix);
    let manifest = RunnerManifest { header, crate_name: name.clone(), title: title.to_owned(), models: super::models::crate_name(prefix), server: server.clone(), runtime };
    let server_crate = ident(&server.replace('-', "_"));
    let doc = format!(" Serves the mock of {title}: `{name} [ADDRESS] [SEED]` (default `127.0.0.1:4010` and 0).");
    let tokens = quote! {
        #![doc = #doc]

        use generator_runtime::mock::Log;

        #[tokio::main]
        async fn main() -> std::process::ExitCode {
            let mut args = std::env::args().skip(1);
            let listen = args.next().unwrap_or_else(|| "127.0.0.1:4010".to_owned());
            let seed = match args.next().map(|s| s.parse::<u64>()) {
                None => 0,
                Some(Ok(seed)) => seed,
                Some(Err(e)) => {
                    eprintln!("the seed is a number: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            let mock = #server_crate::mock::Mock::new(seed);
            let operations = mock.operations();
            let listener = match tokio::net::TcpListener::bind(&listen).await {
                Ok(listener) => listener,
                Err(e) => {
                    eprintln!("cannot listen on {listen}: {e}");
                    return std::process::ExitCode::FAILURE;
                }
            };
            match generator_runtime::mock::serve(mock.router(Log::Requests), listener, &operations).await {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("the mock stopped: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
    };
    let main = format!("// {header}\n\n{}", super::format_items(&name, tokens)?);
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from(&name).join("Cargo.toml"), super::templates::render("mock/Cargo.toml.j2", &manifest)?);
    files.insert(PathBuf::from(&name).join("src/main.rs"), main);
    files.insert(PathBuf::from("Cargo.toml"), super::templates::render("mock/workspace.Cargo.toml.j2", &manifest)?);
    Ok(files)
}
