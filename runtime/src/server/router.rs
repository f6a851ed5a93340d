//! The layers around every generated router.

use super::{not_found, panicked, shape_errors};

/// `routes` served with `state`, with the layers every generated router has: 404 with the default
/// error shape for unknown paths, the default error shape for the 405 and 413 axum answers itself,
/// 500 for a handler that panics (the server keeps serving), and a limit of `body_limit` bytes on
/// request bodies.
pub fn router<S: Clone + Send + Sync + 'static>(routes: axum::Router<S>, state: S, body_limit: usize) -> axum::Router {
    routes
        .fallback(not_found)
        .layer(axum::middleware::from_fn(shape_errors))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
