//! What every generated router has around its routes.

use super::{method_not_allowed, not_found};

/// `routes` served with `state`, with what every generated router has: 404 with the default error
/// shape for unknown paths and 405 (with `Allow`) for a path served for other methods only. No layer
/// wraps every request: bodies are limited where they are read ([`super::read_body`]) and
/// panics caught around the implementation's call ([`super::answer`]), so an operation without a
/// body pays for neither.
pub fn router<S: Clone + Send + Sync + 'static>(routes: axum::Router<S>, state: S) -> axum::Router {
    routes.fallback(not_found).method_not_allowed_fallback(method_not_allowed).with_state(state)
}
