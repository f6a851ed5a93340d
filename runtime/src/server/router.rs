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

/// Routing a path with and without one trailing slash.
pub trait SlashRoutes: Sized {
    /// The methods of one path.
    type Methods;

    /// Serves `methods` at `path` and at `path` with one trailing slash: many clients of an API
    /// (and the API's own tools) write collection paths with a slash, and the service answers
    /// both. Generated with the option on (the default); the spec's own `path/`, if it has one,
    /// is never shadowed because the generator does not add a path the spec declares.
    fn route_and_slashed(self, path: &str, methods: Self::Methods) -> Self;
}

impl<S: Clone + Send + Sync + 'static> SlashRoutes for axum::Router<S> {
    type Methods = axum::routing::MethodRouter<S>;

    fn route_and_slashed(self, path: &str, methods: Self::Methods) -> Self {
        self.route(&format!("{path}/"), methods.clone()).route(path, methods)
    }
}
