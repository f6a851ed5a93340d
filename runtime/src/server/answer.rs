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

fn add_headers(response: &mut Response, headers: Vec<(&'static str, String)>) {
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
}

/// A JSON answer of `status` with `body`, labelled `content_type`, with `headers`.
pub fn json_response<T: serde::Serialize + ?Sized>(status: u16, content_type: &'static str, body: &T, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = match serde_json::to_vec(body) {
        Ok(bytes) => (status_code(status), [(header::CONTENT_TYPE, content_type)], bytes).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("cannot encode the answer: {e}")).into_response(),
    };
    add_headers(&mut response, headers);
    response
}

/// An answer of `status` without a body, with `headers`.
pub fn empty_response(status: u16, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = status_code(status).into_response();
    add_headers(&mut response, headers);
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

/// Answers a handler that panicked: 500 with the default error shape; the server keeps serving.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    default_error(500, "the handler failed", None)
}

/// Gives the answers axum makes itself (405, 413) the default error shape, keeping their headers.
pub async fn shape_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::PAYLOAD_TOO_LARGE) {
        return response;
    }
    let plain = response.headers().get(header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !plain {
        return response;
    }
    let detail = if status == StatusCode::METHOD_NOT_ALLOWED { "method not allowed for this path" } else { "request body too large" };
    let (mut parts, _) = response.into_parts();
    let shaped = default_error(status.as_u16(), detail, None);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, shaped.into_body())
}
