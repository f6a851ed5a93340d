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

/// A generated operation's handler as axum calls it: a function of the router's state (the
/// service) and the whole request. axum's extractors would split the request to take the state
/// and put it back together for the handler, moving its parts twice per request; an operation
/// reads its request itself, so it is handed both as they come.
#[derive(Clone, Copy, Debug)]
pub struct Operation<F>(pub F);

impl<S, F, Fut> axum::handler::Handler<(), S> for Operation<F>
where
    F: FnOnce(S, axum::extract::Request) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = axum::response::Response> + Send + 'static,
{
    type Future = Fut;

    fn call(self, request: axum::extract::Request, state: S) -> Fut {
        (self.0)(state, request)
    }
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
