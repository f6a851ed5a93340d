//! What the hub reads from a request's [`Context`] besides its parameters: the URL it was sent to
//! (pagination links are absolute URLs on the host the client used, with the same query), the
//! `User-Agent` and the peer address (recorded on new access tokens).

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use dockerhub_server::Context;

/// The base URL of the request: `http://HOST` (`localhost` when the host is not a plain one).
pub(crate) fn base_url(context: &Context) -> String {
    format!("http://{}", context.host().unwrap_or("localhost"))
}

/// The request's URL with the query parameters `set` replaced (or added).
pub(crate) fn url_with(context: &Context, set: &[(&str, String)]) -> String {
    let mut query: Vec<String> = context
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !pair.is_empty() && !set.iter().any(|(name, _)| *name == key)
        })
        .map(str::to_owned)
        .collect();
    query.extend(set.iter().map(|(name, value)| format!("{name}={value}")));
    format!("{}{}?{}", base_url(context), context.uri().path(), query.join("&"))
}

/// The request's `User-Agent`.
pub(crate) fn user_agent(context: &Context) -> Option<String> {
    context.headers().get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The client's address, when the server recorded it (`into_make_service_with_connect_info`).
pub(crate) fn peer(context: &Context) -> Option<SocketAddr> {
    context.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(uri: &str, host: &str) -> Context {
        let (parts, ()) = axum::http::Request::get(uri).header("host", host).body(()).expect("request").into_parts();
        Context::new(parts, &[])
    }

    #[test]
    fn links_keep_the_query_on_plain_hosts_only() {
        let c = context("/v2/x/?name=a&page=2&page_size=5", "127.0.0.1:8080");
        assert_eq!(url_with(&c, &[("page", "3".into()), ("page_size", "5".into())]), "http://127.0.0.1:8080/v2/x/?name=a&page=3&page_size=5");
        assert_eq!(base_url(&context("/", "evil.com/path?")), "http://localhost");
    }
}
