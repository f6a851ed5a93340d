//! What a request carried besides the parameters and body its operation declares.

use axum::http::{header, Extensions, HeaderMap, Method, Uri};

use super::Credentials;

/// The request's method, URI, headers and extensions (what tower middleware such as auth or
/// tracing put there), moved out of the request rather than copied; and the caller's
/// credentials, parsed when asked for.
///
/// `Debug` shows header names but hides the values of those that carry secrets (`Authorization`,
/// `Cookie`, `Proxy-Authorization` and any value marked sensitive).
pub struct Context {
    // Boxed: the request struct holding it moves through several futures, and a pointer moves
    // cheaper than the parts.
    parts: Box<axum::http::request::Parts>,
    aliases: &'static [(&'static str, &'static str)],
}

impl Context {
    /// The context of a request split into `parts`; `aliases` maps other spellings of
    /// authorization schemes to the scheme they mean (`("JWT", "Bearer")`).
    pub fn new(parts: axum::http::request::Parts, aliases: &'static [(&'static str, &'static str)]) -> Self {
        Context { parts: Box::new(parts), aliases }
    }

    /// The request's method.
    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The request's URI, as the client sent it (usually a path and query).
    pub fn uri(&self) -> &Uri {
        &self.parts.uri
    }

    /// Every header of the request.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// Whether the request's `Accept` names `media_type` itself (case and parameters aside) with
    /// a quality above zero: how an implementation answering either JSON or a stream at the
    /// same status tells which the client asked for. Wildcards (`*/*`) do not count: they are
    /// what a client sends that asked for nothing in particular.
    pub fn accepts(&self, media_type: &str) -> bool {
        self.parts.headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|entry| {
            let mut parts = entry.split(';');
            let essence = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
            essence.eq_ignore_ascii_case(media_type) && !refused
        })
    }

    /// What middleware attached to the request.
    pub fn extensions(&self) -> &Extensions {
        &self.parts.extensions
    }

    /// The host the client addressed: the URI's authority, else the `Host` header, when it is a
    /// plain host name or address with an optional port (nothing that could change a URL built
    /// from it).
    pub fn host(&self) -> Option<&str> {
        let from_header = || self.parts.headers.get(header::HOST).and_then(|v| v.to_str().ok());
        self.parts.uri.authority().map(|a| a.as_str()).or_else(from_header).filter(|h| plain_host(h))
    }

    /// The caller's credentials from the `Authorization` header: scheme names compare
    /// case-insensitively (RFC 9110 §11.1) and the API's aliases apply, so `JWT <token>` reads as
    /// `Bearer <token>` where the API says so.
    pub fn credentials(&self) -> Option<Credentials> {
        let value = self.parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        match self.aliases.iter().find(|(alias, _)| alias.eq_ignore_ascii_case(scheme)) {
            Some((_, meant)) => Credentials::parse(&format!("{meant} {rest}")),
            None => Credentials::parse(value),
        }
    }

    /// The request's parts, given back.
    pub fn into_parts(self) -> axum::http::request::Parts {
        *self.parts
    }
}

/// Header values `Debug` never shows.
fn is_secret(name: &header::HeaderName) -> bool {
    name == header::AUTHORIZATION || name == header::PROXY_AUTHORIZATION || name == header::COOKIE || name.as_str().contains("token") || name.as_str().contains("api-key")
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Headers<'a>(&'a HeaderMap);
        impl std::fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let shown = self.0.iter().map(|(name, value)| {
                    let text = if value.is_sensitive() || is_secret(name) { "<redacted>" } else { value.to_str().unwrap_or("<bytes>") };
                    (name.as_str(), text)
                });
                f.debug_map().entries(shown).finish()
            }
        }
        f.debug_struct("Context").field("method", &self.parts.method).field("uri", &self.parts.uri).field("headers", &Headers(&self.parts.headers)).finish_non_exhaustive()
    }
}

/// A host name or address with an optional port.
fn plain_host(host: &str) -> bool {
    !host.is_empty() && host.len() <= 255 && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(builder: axum::http::request::Builder, aliases: &'static [(&'static str, &'static str)]) -> Context {
        let (parts, ()) = builder.body(()).expect("request").into_parts();
        Context::new(parts, aliases)
    }

    #[test]
    fn credentials_read_aliases_and_any_case() {
        let jwt = context(axum::http::Request::get("/v2/x").header("authorization", "JWT abc"), &[("JWT", "Bearer")]);
        assert_eq!(jwt.credentials(), Some(Credentials::Bearer("abc".into())));
        let lower = context(axum::http::Request::get("/").header("authorization", "bearer abc"), &[]);
        assert_eq!(lower.credentials(), Some(Credentials::Bearer("abc".into())));
        let unaliased = context(axum::http::Request::get("/").header("authorization", "JWT abc"), &[]);
        assert!(matches!(unaliased.credentials(), Some(Credentials::Other { .. })));
        assert_eq!(context(axum::http::Request::get("/"), &[]).credentials(), None);
    }

    #[test]
    fn debug_hides_secrets_and_hosts_are_plain() {
        let c = context(axum::http::Request::get("/a?b=1").header("authorization", "Bearer s3cret").header("host", "hub.example:8080").header("x-trace", "t1"), &[]);
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret") && shown.contains("x-trace") && shown.contains("/a?b=1"), "{shown}");
        assert_eq!(c.host(), Some("hub.example:8080"));
        let evil = context(axum::http::Request::get("/").header("host", "evil.com/path?"), &[]);
        assert_eq!(evil.host(), None);
    }
}
