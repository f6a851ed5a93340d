//! What a mock server does beyond what the spec documents: CORS for browsers, `Deprecation` on
//! deprecated operations, and a line per request for whoever watches it.

use std::io::Write as _;
use std::sync::Arc;

use axum::http::{header, HeaderValue, Method, StatusCode};

use super::Operation;
use crate::server::template_matches;

/// Whether a mock writes a line per request on standard error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Log {
    /// Nothing written (in-process use, tests).
    #[default]
    Quiet,
    /// `METHOD PATH -> operation STATUS`, and why a request was refused.
    Requests,
}

/// `router` (a generated server's, serving a mock) as a mock server answers: a CORS preflight
/// (`OPTIONS` with `Access-Control-Request-Method`) gets 204 allowing it, a request without the
/// credentials its operation needs gets 401 where the spec documents no answer for it (a mock
/// answering it as if authorized would hide the client's mistake), every answer allows any
/// origin, answers of deprecated operations carry `Deprecation: true`, and with [`Log::Requests`]
/// each request is logged on one line. `operations` names the operations requests go to.
pub fn layer(router: axum::Router, operations: Vec<&'static [Operation]>, log: Log) -> axum::Router {
    let operations: Arc<Vec<&'static Operation>> = Arc::new(operations.into_iter().flatten().collect());
    router.layer(axum::middleware::from_fn(move |request: axum::extract::Request, next: axum::middleware::Next| {
        let operations = operations.clone();
        async move {
            let (method, path) = (request.method().clone(), request.uri().path().to_owned());
            if method == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
                return preflight(&request);
            }
            let operation = operations.iter().find(|o| o.method == method.as_str() && template_matches(&path, o.path));
            let mut response = match operation {
                Some(o) if super::refused_undocumented(o, request.headers(), request.uri()) => {
                    crate::server::default_error(401, "the request carries none of the credentials the operation needs", None)
                }
                _ => next.run(request).await,
            };
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("*"));
            if operation.is_some_and(|o| o.deprecated) {
                headers.insert("deprecation", HeaderValue::from_static("true"));
            }
            if log == Log::Requests {
                let name = operation.map_or("no operation", |o| o.name);
                let status = response.status();
                if status.is_client_error() || status.is_server_error() {
                    let (parts, body) = response.into_parts();
                    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
                    let _ = writeln!(std::io::stderr(), "{method} {path} -> {name} {}: {}", status.as_u16(), why(&bytes));
                    return axum::response::Response::from_parts(parts, axum::body::Body::from(bytes));
                }
                let _ = writeln!(std::io::stderr(), "{method} {path} -> {name} {}", status.as_u16());
            }
            response
        }
    }))
}

/// The answer to a CORS preflight: any origin, the method and headers asked for.
fn preflight(request: &axum::extract::Request) -> axum::response::Response {
    let asked = |name: header::HeaderName| request.headers().get(name).cloned().unwrap_or(HeaderValue::from_static("*"));
    let mut response = axum::response::Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, asked(header::ACCESS_CONTROL_REQUEST_METHOD));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked(header::ACCESS_CONTROL_REQUEST_HEADERS));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    response
}

/// What an error answer says, on one line: its `detail`, `message` or `error` where it is JSON
/// naming one, else its text, cut short.
fn why(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let said = serde_json::from_slice::<serde_json::Value>(body).ok().and_then(|v| {
        let field = |key: &str| v.get(key).and_then(|d| d.as_str()).map(str::to_owned);
        let detail = field("detail").or_else(|| field("message")).or_else(|| field("error"))?;
        Some(match v.get("field").and_then(|f| f.as_str()) {
            Some(f) => format!("{f}: {detail}"),
            None => detail,
        })
    });
    let line = said.unwrap_or_else(|| text.into_owned()).replace('\n', " ");
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line
    }
}

/// Serves `router` (see [`layer`]) on `listener` until the process ends, having printed where it
/// listens and which operations of `operations` it answers.
pub async fn serve(router: axum::Router, listener: tokio::net::TcpListener, operations: &[&'static [Operation]]) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    let count: usize = operations.iter().map(|o| o.len()).sum();
    // Written, not `println!`ed: a reader that stops reading (`| head`) must not stop the server.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "mock listening on http://{address}/ ({count} operations)");
    for operation in operations.iter().copied().flatten() {
        let deprecated = if operation.deprecated { " (deprecated)" } else { "" };
        let _ = writeln!(out, "  {:7} {} -> {}{deprecated}", operation.method, operation.path, operation.name);
    }
    let _ = out.flush();
    drop(out);
    axum::serve(listener, router).await
}
