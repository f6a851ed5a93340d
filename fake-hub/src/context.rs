//! What the generated request structs do not carry but the hub needs: the `Host` the client used and
//! the request's path and query (pagination links are absolute URLs on that host with the same
//! query), its `User-Agent` and peer address (recorded on new access tokens). A middleware puts them
//! in a task-local for the duration of the request; the handler runs inside that scope.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The parts of the current request the operations read.
#[derive(Clone, Debug, Default)]
pub(crate) struct RequestContext {
    /// The `Host` header, when it is a plausible host (name or address, optional port).
    pub host: Option<String>,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The raw query string.
    pub query: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The client's address.
    pub peer: Option<SocketAddr>,
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

/// The current request's context (empty outside a request, e.g. in unit tests).
pub(crate) fn current() -> RequestContext {
    CONTEXT.try_with(Clone::clone).unwrap_or_default()
}

/// The base URL of the current request: `http://HOST`.
pub(crate) fn base_url() -> String {
    format!("http://{}", current().host.unwrap_or_else(|| "localhost".into()))
}

/// Middleware: runs the rest of the stack with the request's context in scope.
pub(crate) async fn capture(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let text = |name: axum::http::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let context = RequestContext {
        host: text(axum::http::header::HOST).filter(|h| plausible_host(h)),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        user_agent: text(axum::http::header::USER_AGENT),
        peer: request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0),
    };
    CONTEXT.scope(context, next.run(request)).await
}

/// A host name or address with an optional port: nothing that could change a URL's meaning.
fn plausible_host(host: &str) -> bool {
    !host.is_empty() && host.len() <= 255 && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_hosts_are_used_in_links() {
        assert!(super::plausible_host("127.0.0.1:8080"));
        assert!(super::plausible_host("[::1]:80"));
        assert!(super::plausible_host("hub.example.com"));
        assert!(!super::plausible_host("evil.com/path?"));
        assert!(!super::plausible_host("a b"));
        assert!(!super::plausible_host(""));
    }
}
