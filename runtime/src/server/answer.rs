//! Writing answers: typed bodies, the default error shape, and the answers axum makes itself.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse as _, Response};

/// The default error body: what the server answers when an operation documents no shape for the
/// error (unknown path, wrong method, malformed request of an operation without a documented 400
/// body, oversized body, a panicking handler).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// What is wrong.
    pub detail: String,
    /// The field at fault (`body.user_name`, `query.page_size`, …), when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The documented headers of an answer. Text beyond ASCII goes as its UTF-8 octets (HTTP leaves
/// them to the application, and generated clients and servers read them so); a value with a
/// control character, which no header can carry, is left out.
fn add_headers(response: &mut Response, headers: Vec<(&'static str, String)>) {
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) {
            response.headers_mut().insert(name, value);
        }
    }
}

/// A header value of static text, not copied; text that is no header value (never a media type
/// the generator writes) is sent as `application/octet-stream`.
fn static_value(text: &'static str) -> HeaderValue {
    // Checked once, at compile time, for the media type almost every answer has.
    const JSON: HeaderValue = HeaderValue::from_static("application/json");
    if text == "application/json" {
        return JSON;
    }
    let valid = text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
    HeaderValue::from_static(if valid { text } else { "application/octet-stream" })
}

/// A JSON answer of `status` with `body`, labelled `content_type`, with `headers`.
pub fn json_response<T: serde::Serialize + ?Sized>(status: u16, content_type: &'static str, body: &T, headers: Vec<(&'static str, String)>) -> Response {
    // Written as axum's `Json` does: into a growing buffer, then the parts set directly.
    let mut buffer = Vec::with_capacity(128);
    let mut response = match serde_json::to_writer(&mut buffer, body) {
        Ok(()) => {
            let mut response = Response::new(axum::body::Body::from(buffer));
            *response.status_mut() = status_code(status);
            response.headers_mut().insert(header::CONTENT_TYPE, static_value(content_type));
            response
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot encode the answer: {e}")).into_response(),
    };
    add_headers(&mut response, headers);
    response
}

/// An answer of `status` with `body` as is (`application/octet-stream`, `text/plain`, an image),
/// labelled `content_type`, with `headers`.
pub fn bytes_response(status: u16, content_type: &'static str, body: impl Into<axum::body::Bytes>, headers: Vec<(&'static str, String)>) -> Response {
    with_body(status, content_type, axum::body::Body::from(body.into()), headers)
}

/// An answer whose body is sent as `stream` yields it, never held whole in memory: downloads. An
/// error from the stream ends the body early, which the client sees as an answer cut short.
pub fn stream_response<S, E>(status: u16, content_type: &'static str, stream: S, headers: Vec<(&'static str, String)>) -> Response
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    with_body(status, content_type, axum::body::Body::from_stream(stream), headers)
}

/// An answer of `status` with `body` (bytes, or a stream made with `Body::from_stream`), labelled
/// `content_type`, with `headers`: what a generated server sends for a binary answer.
pub fn body_response(status: u16, content_type: &'static str, body: axum::body::Body, headers: Vec<(&'static str, String)>) -> Response {
    with_body(status, content_type, body, headers)
}

fn with_body(status: u16, content_type: &'static str, body: axum::body::Body, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status_code(status);
    response.headers_mut().insert(header::CONTENT_TYPE, static_value(content_type));
    add_headers(&mut response, headers);
    response
}

/// An answer of `status` without a body, with `headers`.
pub fn empty_response(status: u16, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = status_code(status).into_response();
    add_headers(&mut response, headers);
    response
}

/// The answer to a HEAD request whose GET would carry a body of `content_type`: the same status
/// and headers, the `Content-Type` included, and no body (RFC 9110 §9.3.2).
pub fn head_response(status: u16, content_type: &'static str, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = empty_response(status, headers);
    response.headers_mut().insert(header::CONTENT_TYPE, static_value(content_type));
    response
}

/// A JSON answer with the default error shape.
pub fn default_error(status: u16, detail: impl Into<String>, field: Option<String>) -> Response {
    json_response(status, "application/json", &ErrorBody { detail: detail.into(), field }, Vec::new())
}

/// Answers unknown paths: 404 with the default error shape.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    default_error(404, format!("no operation at {}", uri.path()), None)
}

/// Answers a path served for other methods only: 405 with the default error shape (axum adds `Allow`).
pub async fn method_not_allowed() -> Response {
    default_error(405, "method not allowed for this path", None)
}

/// Answers a method a path is not served for where the router cannot tell which methods it is
/// served for (a path with QUERY or custom methods, which are routed by name): 405 with the
/// default error shape and `Allow: allow`.
pub async fn method_not_allowed_allowing(allow: &'static str) -> Response {
    let mut response = default_error(405, "method not allowed for this path", None);
    response.headers_mut().insert(axum::http::header::ALLOW, axum::http::HeaderValue::from_static(allow));
    response
}

/// Runs an implementation's call and writes its answer; a call that panics is answered 500 with the
/// default error shape, and the server keeps serving. Only the implementation's code is guarded this
/// way: reading the request never panics, and no layer wraps every request for it.
pub async fn answer<R: axum::response::IntoResponse>(call: impl std::future::Future<Output = R>) -> Response {
    use futures_util::FutureExt as _;
    match std::panic::AssertUnwindSafe(call).catch_unwind().await {
        Ok(answer) => answer.into_response(),
        Err(_) => default_error(500, "the handler failed", None),
    }
}
