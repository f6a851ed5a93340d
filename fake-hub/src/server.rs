//! Serving a [`Hub`]: the generated router (which checks every request against the spec before
//! the hub sees it) wrapped in the hub's own layers, and a loop that serves it on a listener.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use dockerhub_server::ErrorBody;

use crate::context;
use crate::hub::Hub;
use crate::ratelimit::{self, RateLimiter};

/// How the server around the hub behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppOptions {
    /// Requests each credential may make to `/v2/` per window.
    pub rate_limit: u32,
    /// The rate-limit window (at least one second).
    pub rate_window: Duration,
}

impl Default for AppOptions {
    /// 10 000 requests a minute: high enough that tests never meet it unless they ask.
    fn default() -> Self {
        AppOptions { rate_limit: 10_000, rate_window: Duration::from_secs(60) }
    }
}

/// The hub's HTTP application: every operation of both APIs, rate-limited on `/v2/`.
pub fn app(hub: Arc<Hub>, options: AppOptions) -> axum::Router {
    let limiter = RateLimiter::new(options.rate_limit, options.rate_window);
    dockerhub_server::router(hub)
        .layer(axum::middleware::from_fn(json_path_errors))
        .layer(axum::middleware::from_fn_with_state(limiter, ratelimit::limit))
        .layer(axum::middleware::from_fn(context::capture))
}

/// Gives axum's own plain-text 400 (a path segment that is not UTF-8 once percent-decoded, which
/// the generated router's handlers reject before any check of theirs) the default JSON error shape
/// the router uses everywhere else, naming the path as the field at fault.
async fn json_path_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let plain = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if response.status() != StatusCode::BAD_REQUEST || !plain {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let detail = if text.is_empty() { "the request path is invalid".to_owned() } else { text };
    let shaped = ErrorBody { detail, field: Some("path".into()) };
    let bytes = serde_json::to_vec(&shaped).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Serves `hub` on `listener` until the process ends (or the future is dropped).
pub async fn serve(listener: tokio::net::TcpListener, hub: Arc<Hub>, options: AppOptions) -> std::io::Result<()> {
    axum::serve(listener, app(hub, options).into_make_service_with_connect_info::<SocketAddr>()).await
}
