//! The operations harness of a spec's client and server crates, for `cargo xtask roundtrip`: a
//! program that serves the generated server on loopback with an implementation that records what
//! each handler received and answers what it is told, and calls it with the generated client.
//!
//! It reads one JSON case per line (`{"op": i, "params": {name: value}, "body": value, "answer":
//! j, "code": status, "answer_body": value, "answer_headers": {name: value}, "stream": bool}`:
//! operation `i` of the API, response `j` of that operation; a streamed answer's body is the list
//! of its items, and `"stream": true` asks for a stream beside another body (`stream.rs`); with
//! `"mock": true`, the request goes to the server's mock instead, seeded with the program's
//! argument, which answers as it would anyone) and
//! writes one JSON line per case: what the client
//! sent (the typed values, written back as JSON), what the handler received, what the server
//! answered and what the client handed back (as the same JSON), and the request and answer bodies
//! as they crossed the wire, for an independent validator. Whoever drives it makes the values and
//! judges; the harness only holds the calls and types, which only generated code can name.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde::Serialize;

use crate::diag::Error;
use crate::emit::body::{self, BodyKind};
use crate::emit::client::operation::OpPlan;
use crate::emit::rust::ident;
use crate::emit::server::operation::trait_name_of;
use crate::ir::{Api, Content, Operation, Response, Status};

use super::program::{call, handler, refused};
pub use super::stream::{answer_streams, StreamAnswer};

/// The harness crate's directory (and package) name for the crates named `<prefix>-…`.
pub fn crate_name(prefix: &str) -> String {
    format!("{prefix}-wire")
}

/// Why the harness does not exercise `op` yet, or `None` when it does.
pub fn unsupported(api: &Api, op: &Operation) -> Option<String> {
    if crate::ir::routes::shadowed_by(api, op).is_some() {
        return Some("its requests reach another operation: nothing on the wire tells them apart (the loader warns, naming it)".into());
    }
    if op.params.iter().any(|p| p.required && crate::ir::carry::uncarried(api, op, p).is_some()) {
        return Some("a required parameter admits no value that its encoding can carry: the spec contradicts itself (the loader warns, naming it)".into());
    }
    let plan = OpPlan::new(api, op);
    if let Some(media) = plan.bodies.iter().find(|m| m.content.ty.is_none()) {
        return Some(format!("a request body of {} without a schema", media.content.media_type));
    }
    if let Some(media) = plan.bodies.iter().find(|m| m.kind == BodyKind::Multipart && body::multipart_struct(api, m.content).is_none()) {
        return Some(format!("a multipart body of {} that is no object", media.content.media_type));
    }
    None
}

/// How a body of one media type travels: `json`, `form`, `multipart`, `text` or `binary`.
fn kind_name(kind: BodyKind) -> &'static str {
    match kind {
        BodyKind::Json => "json",
        BodyKind::Form => "form",
        BodyKind::Multipart => "multipart",
        BodyKind::Text => "text",
        BodyKind::Binary => "binary",
        BodyKind::Stream => "stream",
    }
}

/// Where the client's method for `op` is a login, the body properties it sends (its arguments
/// fill the required ones; it sends no other): a case's body comes to the wire so restricted.
pub fn login_sends(api: &Api, op: &Operation) -> Option<Vec<String>> {
    let plan = OpPlan::new(api, op);
    plan.flow.as_ref().map(|f| f.sent_properties().into_iter().map(str::to_owned).collect())
}

/// The media types a request body of `op` can be sent in, as the client offers them (a case
/// numbers its media type by position here), each with how it travels: `json`, `form`,
/// `multipart`, `text` or `binary`.
pub fn request_media<'a>(api: &'a Api, op: &'a Operation) -> Vec<(&'a Content, &'static str)> {
    OpPlan::new(api, op).bodies.iter().map(|m| (m.content, kind_name(m.kind))).collect()
}

/// How the answer of `response` travels (`json`, `text`, `binary`, …), when it has a body.
pub fn answer_kind(response: &Response) -> Option<&'static str> {
    body::answer(&response.content).map(|a| kind_name(a.kind))
}

/// The status the server answers for response `index` of `op`: its code, the first of its range
/// (as the server writes it), or for `default` a code no other response documents (`None` when
/// every candidate is taken).
pub fn answer_code(op: &Operation, index: usize) -> Option<u16> {
    match op.responses.get(index)?.status {
        Status::Code(c) => Some(c),
        Status::Range(d) => Some(d * 100),
        Status::Default => (500..600).chain(400..500).find(|c| {
            !op.responses.iter().any(|r| match r.status {
                Status::Code(x) => x == *c,
                Status::Range(d) => d == c / 100,
                Status::Default => false,
            })
        }),
    }
}

/// Whether HTTP itself writes response header `name` (its framing and media type), so that an
/// implementation does not answer it and a client reads what came.
pub fn set_by_http(name: &str) -> bool {
    body::set_by_http(name)
}

/// Whether the items of a streamed body are text as it is (an event's data of a string), not JSON.
pub fn stream_of_text(content: &Content) -> bool {
    body::stream_of_text(content)
}

/// The body the server answers for `response`: its first media type the crates write.
pub fn answer_content(response: &Response) -> Option<&Content> {
    body::answer(&response.content).map(|a| a.content)
}

#[derive(Serialize)]
struct Manifest<'a> {
    header: &'a str,
    crate_name: String,
    models: String,
    client: String,
    server: String,
    runtime: &'a str,
}

/// The harness crate's files, under `<prefix>-wire/`, for module `module` of the crates named
/// `<prefix>-…`; `runtime` is the runtime's dependency keys, as for the other crates.
pub fn files(prefix: &str, module: &str, runtime: &str, header: &str, api: &Api) -> Result<BTreeMap<PathBuf, String>, Error> {
    let name = crate_name(prefix);
    let krate = |suffix: &str| ident(&format!("{prefix}_{suffix}").replace('-', "_"));
    let manifest = Manifest { header, crate_name: name.clone(), models: format!("{prefix}-models"), client: format!("{prefix}-client"), server: format!("{prefix}-server"), runtime };
    let module_ident = ident(module);
    let (client_crate, server_crate, models_crate) = (krate("client"), krate("server"), krate("models"));
    let client = quote!(#client_crate::#module_ident);
    let server = quote!(#server_crate::#module_ident);
    let models = quote!(#models_crate::#module_ident);

    // The mock is asked with every `apiKey` scheme's own key too (an operation may need several).
    let scheme_keys = api.security_schemes.iter().filter(|s| matches!(s.kind, crate::ir::SecurityKind::ApiKey { .. })).map(|s| {
        let scheme = &s.name;
        quote!(mock_client.set_credentials(generator_runtime::client::Credentials::KeyFor { scheme: #scheme.into(), key: "key".into() });)
    });
    let mut traits: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    let mut calls = Vec::new();
    let mut call_fns = Vec::new();
    let mut reads_any = false;
    for (index, op) in api.operations.iter().enumerate() {
        let supported = unsupported(api, op).is_none();
        let method = if supported { handler(api, op, &server, &models) } else { refused(op, &server) };
        traits.entry(trait_name_of(op)).or_default().push(method);
        if supported {
            // One function per operation: a single `async fn` over every operation would make
            // one state machine of them all, which rustc lays out in memory quadratic in their
            // number (GitHub's 1,000 operations took more than 24 GB).
            let i = Literal::u64_unsuffixed(index as u64);
            let name = format_ident!("call_{}", op.name);
            let super::program::Call { code: call, reads_case, reads_values } = call(api, op, &client, &models);
            let case = if reads_case { quote!(case) } else { quote!(_) };
            reads_any |= reads_values;
            let doc = format!(" Case of `{} {}`.", op.method.as_str(), op.path);
            call_fns.push(quote! {
                #[doc = #doc]
                async fn #name(client: &#client::Client, #case: &Value) -> Called {
                    #call
                }
            });
            calls.push(quote!(#i => Box::pin(#name(client, case)),));
        }
    }
    // Where no call reads a value of its case (no parameters, no bodies), nothing is read.
    let read = reads_any.then(|| {
        quote! {
            /// A value of the case read as `T`; a value that does not read is the case's failure.
            fn read<T: serde::de::DeserializeOwned>(value: &Value, what: &str) -> Result<T, String> {
                serde_json::from_value(value.clone()).map_err(|e| format!("{what} does not read: {e}"))
            }
        }
    });
    let exercised: Vec<&Operation> = api.operations.iter().filter(|op| unsupported(api, op).is_none()).collect();
    let streams = super::stream::prelude(api, &exercised);
    let received_items = exercised.iter().any(|op| OpPlan::new(api, op).bodies.iter().any(|m| m.kind == BodyKind::Stream)).then(|| {
        quote! {
            /// The items of a streamed request body as the server read them, one by one: each
            /// item's JSON, or what was wrong with it.
            async fn received_items<T: serde::Serialize>(items: impl futures_util::Stream<Item = Result<T, generator_runtime::server::IncomingError>>) -> Value {
                let items = futures_util::StreamExt::map(items, |item| match item {
                    Ok(item) => to_json(&item),
                    Err(e) => json!({"$refused": e.to_string()}),
                });
                Value::Array(futures_util::StreamExt::collect(items).await)
            }
        }
    });
    // Each case starts with no item handed over, and says whether the server waited in vain.
    let (pacing_reset, late) = if streams.is_empty() { (quote!(), quote!(Value::Null)) } else { (quote!(PACING.reset();), quote!(lock(&PACING.late).take())) };
    let impls = traits.iter().map(|(name, methods)| {
        let name = format_ident!("{name}");
        quote!(impl #server::#name for Harness { #(#methods)* })
    });
    let tokens = quote! {
        //! Calls the generated server with the generated client, case by case, and says what crossed.

        use std::io::{BufRead as _, Write as _};
        use std::sync::{Arc, Mutex};

        use generator_runtime::server::axum;
        use serde_json::{json, Map, Value};

        /// The answer a handler is to give: response index, status, body, headers, and whether a
        /// stream beside another body is asked for.
        type Answer = (usize, u16, Value, Map<String, Value>, bool);

        /// What the server is to answer, and what it saw.
        #[derive(Default)]
        struct Harness {
            answer: Mutex<Option<Answer>>,
            received: Mutex<Option<Value>>,
            answered: Mutex<Option<Value>>,
            /// The request and the answer's status and media type, as they crossed the wire.
            wire: Mutex<Option<Value>>,
            /// The request's body as it crossed the wire, kept as it passes.
            sent_wire: Mutex<Vec<u8>>,
            /// The answer's body as it crossed the wire, kept as it passes.
            answered_wire: Mutex<Vec<u8>>,
            failure: Mutex<Option<String>>,
        }

        impl Harness {
            /// Records what a handler received; the answer it is to give.
            fn exchange(&self, received: Map<String, Value>) -> Answer {
                *lock(&self.received) = Some(Value::Object(received));
                lock(&self.answer).take().unwrap_or((usize::MAX, 500, Value::Null, Map::new(), false))
            }

            /// What crossed the wire in the last exchange.
            fn wire(&self) -> Option<Value> {
                let mut wire = lock(&self.wire).take()?;
                wire["response"]["body"] = Value::String(String::from_utf8_lossy(&lock(&self.answered_wire)).into_owned());
                Some(wire)
            }

            /// A value the server is to answer, read as `T`; one that does not read is recorded, and
            /// the handler's panic answers 500.
            fn answer<T: serde::de::DeserializeOwned>(&self, value: &Value, what: &str) -> T {
                match serde_json::from_value(value.clone()) {
                    Ok(typed) => typed,
                    Err(e) => {
                        let shown: String = value.to_string().chars().take(160).collect();
                        let why = format!("the answer's {what} does not read as the server's type: {e}: {shown}");
                        *lock(&self.failure) = Some(why.clone());
                        panic!("{why}")
                    }
                }
            }

            /// Records what the handler answered, as the server typed it.
            fn answered<T: serde::Serialize>(&self, body: &T, headers: Map<String, Value>) {
                *lock(&self.answered) = Some(json!({"body": to_json(body), "headers": headers}));
            }
        }

        fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
            m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
        }

        fn to_json<T: serde::Serialize>(value: &T) -> Value {
            serde_json::to_value(value).unwrap_or_else(|e| json!({"$unserializable": e.to_string()}))
        }

        #read

        #streams

        #received_items

        #(#impls)*

        /// Keeps the request and answer bodies as they crossed the wire: an answer of known length
        /// whole, a stream chunk by chunk as it passes, so that the client reads each item as the
        /// server sends it.
        async fn capture(
            axum::extract::State(harness): axum::extract::State<Arc<Harness>>,
            request: axum::extract::Request,
            next: axum::middleware::Next,
        ) -> axum::response::Response {
            let text = |headers: &axum::http::HeaderMap, name: axum::http::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let (parts, body) = request.into_parts();
            let request_type = text(&parts.headers, axum::http::header::CONTENT_TYPE);
            let target = format!("{} {}", parts.method, parts.uri);
            // A body of unknown length (a stream) passes as it comes; the handler reads it all.
            lock(&harness.sent_wire).clear();
            let body = if axum::body::HttpBody::size_hint(&body).exact().is_some() {
                let sent = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
                lock(&harness.sent_wire).extend_from_slice(&sent);
                axum::body::Body::from(sent)
            } else {
                let kept = harness.clone();
                axum::body::Body::from_stream(futures_util::StreamExt::inspect(body.into_data_stream(), move |chunk| {
                    if let Ok(bytes) = chunk {
                        lock(&kept.sent_wire).extend_from_slice(bytes);
                    }
                }))
            };
            let response = next.run(axum::extract::Request::from_parts(parts, body)).await;
            let (parts, body) = response.into_parts();
            let sent = String::from_utf8_lossy(&lock(&harness.sent_wire)).into_owned();
            *lock(&harness.wire) = Some(json!({
                "request": {"target": target, "content_type": request_type, "body": sent},
                "response": {"status": parts.status.as_u16(), "content_type": text(&parts.headers, axum::http::header::CONTENT_TYPE)},
            }));
            lock(&harness.answered_wire).clear();
            if axum::body::HttpBody::size_hint(&body).exact().is_some() {
                let answered = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
                lock(&harness.answered_wire).extend_from_slice(&answered);
                return axum::response::Response::from_parts(parts, axum::body::Body::from(answered));
            }
            let kept = harness.clone();
            let passing = futures_util::StreamExt::inspect(body.into_data_stream(), move |chunk| {
                if let Ok(bytes) = chunk {
                    lock(&kept.answered_wire).extend_from_slice(bytes);
                }
            });
            axum::response::Response::from_parts(parts, axum::body::Body::from_stream(passing))
        }

        /// What one call sent and what the client handed back (answer index, body, headers).
        type Called = Result<(Value, (usize, Value, Map<String, Value>)), String>;

        #(#call_fns)*

        /// Sends one case.
        fn run<'a>(client: &'a #client::Client, case: &'a Value) -> std::pin::Pin<Box<dyn std::future::Future<Output = Called> + 'a>> {
            match case["op"].as_u64().unwrap_or(u64::MAX) {
                #(#calls)*
                other => Box::pin(async move { Err(format!("operation {other} is not exercised")) }),
            }
        }

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let mut input = String::new();
            for line in std::io::stdin().lock().lines() {
                input.push_str(&line?);
                input.push('\n');
            }
            let harness = Arc::new(Harness::default());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let address = listener.local_addr()?;
            let app = #server_crate::router(harness.clone()).layer(axum::middleware::from_fn_with_state(harness.clone(), capture));
            tokio::spawn(async move { axum::serve(listener, app).await });
            let client = #client::Client::builder()
                .base_url(format!("http://{address}/"))
                .retry_policy(generator_runtime::client::RetryPolicy::never())
                .build()?;
            // The server's mock, for cases marked `mock`: it answers as it would anyone, to a
            // caller presenting credentials of every kind.
            let seed = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            let mock_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let mock_address = mock_listener.local_addr()?;
            let mock = #server_crate::mock::Mock::new(seed).router(#server_crate::mock::Log::Quiet).layer(axum::middleware::from_fn_with_state(harness.clone(), capture));
            tokio::spawn(async move { axum::serve(mock_listener, mock).await });
            let mock_client = #client::Client::builder()
                .base_url(format!("http://{mock_address}/"))
                .retry_policy(generator_runtime::client::RetryPolicy::never())
                .build()?;
            mock_client.set_credentials(generator_runtime::client::Credentials::Bearer("token".into()));
            mock_client.set_credentials(generator_runtime::client::Credentials::Basic { username: "user".into(), password: "secret".into() });
            mock_client.set_credentials(generator_runtime::client::Credentials::Token("token".into()));
            mock_client.set_credentials(generator_runtime::client::Credentials::ApiKey("key".into()));
            #(#scheme_keys)*
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in input.lines().filter(|l| !l.trim().is_empty()) {
                let outcome = match serde_json::from_str::<Value>(line) {
                    Err(e) => json!({"error": format!("the case does not read: {e}")}),
                    Ok(case) => {
                        for slot in [&harness.received, &harness.answered, &harness.wire] {
                            *lock(slot) = None;
                        }
                        *lock(&harness.failure) = None;
                        let answer = case["answer"].as_u64().and_then(|a| usize::try_from(a).ok()).unwrap_or(usize::MAX);
                        let code = case["code"].as_u64().and_then(|c| u16::try_from(c).ok()).unwrap_or(500);
                        let headers = case["answer_headers"].as_object().cloned().unwrap_or_default();
                        let stream = case["stream"] == Value::Bool(true);
                        *lock(&harness.answer) = Some((answer, code, case["answer_body"].clone(), headers, stream));
                        #pacing_reset
                        let caller = if case["mock"] == Value::Bool(true) { &mock_client } else { &client };
                        let result = run(caller, &case).await;
                        let seen = json!({
                            "received": lock(&harness.received).take(),
                            "answered": lock(&harness.answered).take(),
                            "wire": harness.wire(),
                            "failure": lock(&harness.failure).take(),
                            "late": #late,
                        });
                        match result {
                            Ok((sent, (index, body, headers))) => json!({"sent": sent, "returned": {"answer": index, "body": body, "headers": headers}, "seen": seen}),
                            Err(why) => json!({"error": why, "seen": seen}),
                        }
                    }
                };
                writeln!(out, "{outcome}")?;
            }
            out.flush()?;
            Ok(())
        }
    };
    let main = format!("// {header}\n\n{}", super::super::format_items(&name, tokens)?);
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from(&name).join("Cargo.toml"), super::super::templates::render("harness/wire.Cargo.toml.j2", &manifest)?);
    files.insert(PathBuf::from(&name).join("src/main.rs"), main);
    Ok(files)
}

