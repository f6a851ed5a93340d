//! Credentials a client presents: in `Authorization`, or an API key where the operation's
//! `apiKey` scheme puts it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Credentials the client presents: in `Authorization`, or an API key in the header, query
/// parameter or cookie the operation's `apiKey` scheme names.
///
/// `Debug` never shows their secret parts.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <token>`: a JWT from a login, a personal access token or another bearer token.
    Bearer(String),
    /// `Authorization: Basic <base64(username:password)>`.
    Basic {
        /// The user name.
        username: String,
        /// The password (or personal access token).
        password: String,
    },
    /// `Authorization: Token <token>`, a token the server issued in a response header.
    Token(String),
    /// An API key, presented where the operation's `apiKey` scheme says: a header, a query
    /// parameter or a cookie of the name it gives.
    ApiKey(String),
    /// The API key of one `apiKey` security scheme, by the scheme's name in the spec: for
    /// operations that need several keys at once (an application key and a token), one of these
    /// for each scheme. Presented where that scheme says; preferred to [`Credentials::ApiKey`].
    KeyFor {
        /// The security scheme's name (`components/securitySchemes`).
        scheme: String,
        /// The key.
        key: String,
    },
}

impl Credentials {
    /// The kind of credential.
    pub fn kind(&self) -> AuthKind {
        match self {
            Credentials::Bearer(_) => AuthKind::Bearer,
            Credentials::Basic { .. } => AuthKind::Basic,
            Credentials::Token(_) => AuthKind::Token,
            Credentials::ApiKey(_) | Credentials::KeyFor { .. } => AuthKind::ApiKey,
        }
    }

    /// Whether `other` takes this credential's place when kept: the same kind, and for a
    /// scheme's key the same scheme.
    pub(crate) fn replaces(&self, other: &Credentials) -> bool {
        match (self, other) {
            (Credentials::KeyFor { scheme: a, .. }, Credentials::KeyFor { scheme: b, .. }) => a == b,
            (Credentials::KeyFor { .. }, _) | (_, Credentials::KeyFor { .. }) => false,
            _ => self.kind() == other.kind(),
        }
    }

    /// The `Authorization` header value.
    pub(crate) fn header_value(&self) -> String {
        match self {
            Credentials::Bearer(token) => format!("Bearer {token}"),
            Credentials::Basic { username, password } => format!("Basic {}", STANDARD.encode(format!("{username}:{password}"))),
            Credentials::Token(token) => format!("Token {token}"),
            Credentials::ApiKey(key) | Credentials::KeyFor { key, .. } => key.clone(),
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credentials::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: <redacted> }}"),
            Credentials::Token(_) => f.write_str("Token(<redacted>)"),
            Credentials::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Credentials::KeyFor { scheme, .. } => write!(f, "KeyFor {{ scheme: {scheme:?}, key: <redacted> }}"),
        }
    }
}

/// Which kind of credential an operation accepts, from its security requirements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthKind {
    /// A bearer token.
    Bearer,
    /// HTTP Basic.
    Basic,
    /// A server-issued `Token`.
    Token,
    /// An API key, presented where [`Request::api_keys`](super::Request::api_keys) says.
    ApiKey,
}

/// Where an operation's `apiKey` security scheme presents the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyPlace {
    /// A request header of this name.
    Header(&'static str),
    /// A query parameter of this name.
    Query(&'static str),
    /// A cookie of this name.
    Cookie(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_and_debug_hide_secrets() {
        let basic = Credentials::Basic { username: "ann".into(), password: "s3cret".into() };
        assert_eq!(basic.header_value(), "Basic YW5uOnMzY3JldA==");
        assert_eq!(format!("{basic:?}"), "Basic { username: \"ann\", password: <redacted> }");
        assert_eq!(format!("{:?}", Credentials::Bearer("jwt".into())), "Bearer(<redacted>)");
        assert_eq!(format!("{:?}", Credentials::ApiKey("k3y".into())), "ApiKey(<redacted>)");
    }
}
