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

/// Whether a request path matches an OpenAPI path template: literal text as written, each
/// `{parameter}` some non-empty text without `/`, a segment holding several (`{base}...{head}`)
/// matched left to right. One trailing slash is ignored. Two operations of one method whose
/// templates route alike (`/compare/{basehead}` and `/compare/{base}...{head}`) are told apart by
/// it, the one with more literal text tried first.
pub fn template_matches(path: &str, template: &str) -> bool {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    let template = template.strip_suffix('/').filter(|t| !t.is_empty()).unwrap_or(template);
    let (segments, templates): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), template.split('/').collect());
    segments.len() == templates.len() && segments.iter().zip(&templates).all(|(s, t)| segment_matches(s, t))
}

/// Whether `request` carries its `location` (`query`, `header` or `cookie`) parameter `name`,
/// with `value` if one is given: how operations that route alike and match alike are told apart,
/// by a parameter of one allowed value each requires (AWS writes `/#X-Amz-Target=Service.Action`
/// and `/things/{id}#operation=delete` for operations that share a path and a method), or by a
/// query parameter one of them requires.
pub fn carries(request: &axum::extract::Request, location: &str, name: &str, value: Option<&str>) -> bool {
    let wanted = |v: &[u8]| value.is_none_or(|value| v == value.as_bytes());
    match location {
        "query" => super::query_pairs(request.uri().query()).iter().any(|(k, v)| k == name && wanted(v.as_bytes())),
        "header" => request.headers().get_all(name).iter().any(|v| wanted(v.as_bytes().trim_ascii())),
        "cookie" => request
            .headers()
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|pair| pair.trim().split_once('=').is_some_and(|(k, v)| k == name && wanted(v.as_bytes()))),
        _ => false,
    }
}

/// One segment against its template: literal pieces in order, a non-empty run for each parameter.
fn segment_matches(segment: &str, template: &str) -> bool {
    let mut rest = segment;
    let mut pieces = template.split('{').peekable();
    // Before the first parameter: a literal prefix.
    if let Some(prefix) = pieces.next() {
        let Some(after) = rest.strip_prefix(prefix) else { return false };
        rest = after;
    }
    while let Some(piece) = pieces.next() {
        // `name}literal`: a parameter, then the literal up to the next one.
        let literal = piece.split_once('}').map_or("", |(_, l)| l);
        let last = pieces.peek().is_none();
        if literal.is_empty() {
            if last {
                return !rest.is_empty();
            }
            // Two parameters side by side: the first takes one character at least.
            let mut chars = rest.chars();
            if chars.next().is_none() {
                return false;
            }
            rest = chars.as_str();
            continue;
        }
        let found = if last { rest.strip_suffix(literal).map(|r| (r.len(), "")) } else { rest.get(1..).and_then(|r| r.find(literal)).map(|i| (i + 1, &rest[i + 1 + literal.len()..])) };
        match found {
            Some((taken, after)) if taken > 0 => rest = after,
            _ => return false,
        }
    }
    rest.is_empty()
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

#[cfg(test)]
mod tests {
    use super::{carries, template_matches};

    #[test]
    fn templates_match_literal_text_and_parameters() {
        let both = "/repos/{owner}/{repo}/compare/{base}...{head}";
        assert!(template_matches("/repos/a/b/compare/main...dev", both));
        assert!(template_matches("/repos/a/b/compare/main...dev/", both));
        assert!(!template_matches("/repos/a/b/compare/main", both));
        assert!(!template_matches("/repos/a/b/compare/...dev", both), "a parameter is never empty");
        assert!(template_matches("/repos/a/b/compare/main", "/repos/{owner}/{repo}/compare/{basehead}"));
        assert!(template_matches("/files/report.v2.pdf", "/files/{name}.{ext}"));
        assert!(template_matches("/items/x", "/items/{id}"));
        assert!(!template_matches("/items/x/y", "/items/{id}"));
        assert!(!template_matches("/item/x", "/items/{id}"));
    }

    #[test]
    fn a_request_carries_the_values_that_tell_operations_apart() {
        let request = |uri: &str, header: (&str, &str)| axum::http::Request::builder().uri(uri).header(header.0, header.1).body(axum::body::Body::empty()).expect("a request");
        let aws = request("/", ("X-Amz-Target", "Kendra.CreateIndex"));
        assert!(carries(&aws, "header", "x-amz-target", Some("Kendra.CreateIndex")));
        assert!(!carries(&aws, "header", "X-Amz-Target", Some("Kendra.DeleteIndex")));
        assert!(!carries(&aws, "query", "X-Amz-Target", Some("Kendra.CreateIndex")));
        let query = request("/things/1?operation=disassociate-phone-numbers&x=a%20b&fields=", ("cookie", "session=s1; mode=dark"));
        assert!(carries(&query, "query", "operation", Some("disassociate-phone-numbers")));
        assert!(carries(&query, "query", "x", Some("a b")), "query values are compared percent-decoded");
        assert!(!carries(&query, "query", "operation", Some("associate-phone-numbers")));
        assert!(carries(&query, "query", "fields", None), "present, whatever its value");
        assert!(!carries(&query, "query", "sort", None));
        assert!(carries(&query, "cookie", "mode", Some("dark")));
        assert!(!carries(&query, "cookie", "mode", Some("light")));
    }
}
