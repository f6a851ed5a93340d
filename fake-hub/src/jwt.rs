//! The hub's bearer tokens: compact JWTs signed with HS256 under a key drawn when the hub starts, so
//! that a token outlives neither its expiry nor the process. Two kinds are issued: sessions (what
//! `POST /v2/users/login` returns) and the short-lived `login_2fa_token` of the two-factor flow; a
//! token of one kind is never accepted as the other.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Which step of authentication a token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TokenKind {
    /// A session: presented as `Authorization: Bearer …` on later calls.
    Session,
    /// Proof that the password was right, waiting for the second factor.
    SecondFactor,
}

/// What a token says.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Claims {
    /// The user name.
    pub sub: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expires at (unix seconds); the token is refused from then on.
    pub exp: i64,
    /// A unique id, so that a second-factor token is used only once.
    pub jti: String,
    /// The kind of token.
    pub typ: TokenKind,
    /// The highest `repo:` scope the session carries.
    pub scope: String,
    /// The personal access token the session was opened with, if any (revoking it ends the session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pat: Option<String>,
    /// The organisation access token the session was opened with, if any (`sub` is then the
    /// organisation; deactivating, deleting or the expiry of the token ends the session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oat: Option<String>,
}

/// Why a token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum JwtError {
    /// Not three base64url parts of JSON.
    #[error("the token is malformed")]
    Malformed,
    /// Another algorithm than HS256 (`none` included).
    #[error("the token's algorithm is not accepted")]
    Algorithm,
    /// The signature does not match.
    #[error("the token's signature is invalid")]
    Signature,
    /// Past its expiry.
    #[error("the token has expired")]
    Expired,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    typ: Option<String>,
}

fn mac(key: &[u8]) -> Option<Hmac<Sha256>> {
    // HMAC accepts keys of any length; `None` cannot happen and would only refuse every token.
    Hmac::<Sha256>::new_from_slice(key).ok()
}

/// Signs `claims` with `key`.
pub(crate) fn sign(key: &[u8], claims: &Claims) -> String {
    let header = Header { alg: "HS256".into(), typ: Some("JWT".into()) };
    let signing_input = format!("{}.{}", encode(&header), encode(claims));
    let signature = mac(key).map(|mut m| {
        m.update(signing_input.as_bytes());
        m.finalize().into_bytes().to_vec()
    });
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.unwrap_or_default()))
}

/// Checks `token`'s algorithm, signature and expiry at `now` (unix seconds) and returns its claims.
pub(crate) fn verify(key: &[u8], token: &str, now: i64) -> Result<Claims, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed);
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| JwtError::Malformed);
    let parsed: Header = serde_json::from_slice(&decode(header)?).map_err(|_| JwtError::Malformed)?;
    if parsed.alg != "HS256" {
        return Err(JwtError::Algorithm);
    }
    let mut check = mac(key).ok_or(JwtError::Signature)?;
    check.update(header.as_bytes());
    check.update(b".");
    check.update(payload.as_bytes());
    check.verify_slice(&decode(signature)?).map_err(|_| JwtError::Signature)?;
    let claims: Claims = serde_json::from_slice(&decode(payload)?).map_err(|_| JwtError::Malformed)?;
    if now >= claims.exp {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

/// One part of a token: JSON in base64url.
fn encode<T: serde::Serialize>(value: &T) -> String {
    // Plain structs of strings and numbers always serialise.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims { sub: "alice".into(), iat: 0, exp, jti: "j".into(), typ: TokenKind::Session, scope: "repo:admin".into(), pat: None, oat: None }
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let token = sign(b"key", &claims(100));
        assert_eq!(verify(b"key", &token, 99), Ok(claims(100)));
        assert_eq!(verify(b"key", &token, 100), Err(JwtError::Expired));
        assert_eq!(verify(b"other key", &token, 0), Err(JwtError::Signature));
    }

    #[test]
    fn tampered_or_unsigned_tokens_are_refused() {
        let token = sign(b"key", &claims(100));
        let parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&Claims { sub: "mallory".into(), ..claims(100) }).expect("json"));
        assert_eq!(verify(b"key", &format!("{}.{forged}.{}", parts[0], parts[2]), 0), Err(JwtError::Signature));
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        assert_eq!(verify(b"key", &format!("{none}.{}.", parts[1]), 0), Err(JwtError::Algorithm));
        assert_eq!(verify(b"key", "a.b", 0), Err(JwtError::Malformed));
        assert_eq!(verify(b"key", "!!.??.**", 0), Err(JwtError::Malformed));
    }
}
