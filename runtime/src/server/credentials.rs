//! The `Authorization` header, parsed.

use crate::Base64;

/// The credentials a request presents in `Authorization`, parsed for the implementation to judge.
///
/// `Debug` never shows secrets.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Bearer <token>`.
    Bearer(String),
    /// `Basic <base64(username:password)>`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// `Token signature=…,repository="…",access=…` (the Docker v1 index token).
    Token {
        /// The whole value after `Token `, as issued.
        raw: String,
        /// `signature`.
        signature: Option<String>,
        /// `repository`, unquoted.
        repository: Option<String>,
        /// `access`.
        access: Option<String>,
    },
    /// Any other scheme: the scheme and its value.
    Other {
        /// The scheme name.
        scheme: String,
        /// The rest of the header.
        value: String,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: <redacted> }}"),
            Credentials::Token { repository, access, .. } => write!(f, "Token {{ repository: {repository:?}, access: {access:?}, signature: <redacted> }}"),
            Credentials::Other { scheme, .. } => write!(f, "Other {{ scheme: {scheme:?}, value: <redacted> }}"),
        }
    }
}

impl Credentials {
    /// Parses an `Authorization` header value; `None` when it is empty or malformed. Scheme names
    /// compare case-insensitively (RFC 9110 §11.1).
    pub fn parse(header: &str) -> Option<Credentials> {
        let (scheme, value) = header.trim().split_once(' ')?;
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match scheme.to_ascii_lowercase().as_str() {
            "bearer" => Some(Credentials::Bearer(value.to_owned())),
            "basic" => {
                let decoded = String::from_utf8(Base64::decode(value).ok()?.into_inner()).ok()?;
                let (username, password) = decoded.split_once(':')?;
                Some(Credentials::Basic { username: username.to_owned(), password: password.to_owned() })
            }
            "token" => {
                let field = |name: &str| {
                    value.split(',').find_map(|part| {
                        let (k, v) = part.trim().split_once('=')?;
                        (k.trim() == name).then(|| v.trim().trim_matches('"').to_owned())
                    })
                };
                Some(Credentials::Token { raw: value.to_owned(), signature: field("signature"), repository: field("repository"), access: field("access") })
            }
            _ => Some(Credentials::Other { scheme: scheme.to_owned(), value: value.to_owned() }),
        }
    }

    /// The credentials of a request's `Authorization` header, if it has usable ones.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<Credentials> {
        headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(Credentials::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_parse_case_insensitively_and_debug_hides_secrets() {
        assert_eq!(Credentials::parse("bearer abc"), Some(Credentials::Bearer("abc".into())));
        let basic = Credentials::parse("Basic YW5uOnMzY3JldA==").expect("basic");
        assert_eq!(basic, Credentials::Basic { username: "ann".into(), password: "s3cret".into() });
        assert!(!format!("{basic:?}").contains("s3cret"));
        let token = Credentials::parse("Token signature=abc,repository=\"foo/bar\",access=write").expect("token");
        assert!(matches!(token, Credentials::Token { ref repository, .. } if repository.as_deref() == Some("foo/bar")));
        assert_eq!(Credentials::parse("Bearer "), None);
    }
}
