//! Who is calling: turning the `Authorization` header the generated router parsed into a [`Caller`]
//! (an account and the scope it acts with), or a reason to refuse. Every protected call goes through
//! here, so a session's signature, expiry, account and personal access token are checked each time.

use dockerhub_server::Credentials;

use crate::crypto;
use crate::hub::Hub;
use crate::jwt::{self, Claims, JwtError, TokenKind};
use crate::store::Store;

/// What a personal access token (and a session opened with it) may do; each scope implies the
/// ones below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// `repo:public_read`: read public repositories.
    PublicRead,
    /// `repo:read`: read the repositories the account can see.
    Read,
    /// `repo:write`: push.
    Write,
    /// `repo:admin`: everything, deletion and settings included (what a password login gets).
    Admin,
}

impl Scope {
    /// The scope's name in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::PublicRead => "repo:public_read",
            Scope::Read => "repo:read",
            Scope::Write => "repo:write",
            Scope::Admin => "repo:admin",
        }
    }

    /// The scope named `name`.
    pub fn parse(name: &str) -> Option<Scope> {
        match name {
            "repo:public_read" => Some(Scope::PublicRead),
            "repo:read" => Some(Scope::Read),
            "repo:write" => Some(Scope::Write),
            "repo:admin" => Some(Scope::Admin),
            _ => None,
        }
    }

    /// The highest of `names` (lower scopes are implied); `None` when none is valid.
    pub(crate) fn highest<'a>(names: impl IntoIterator<Item = &'a String>) -> Option<Scope> {
        names.into_iter().filter_map(|n| Scope::parse(n)).max()
    }
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    /// The account's name as stored (its case).
    pub username: String,
    /// What the credential allows.
    pub scope: Scope,
    /// The personal access token the credential came from, if any.
    pub pat: Option<String>,
    /// The organisation access token the credential came from, if any: `username` is then the
    /// organisation's name, and the caller acts as one of its members.
    pub oat: Option<String>,
}

/// Why a caller is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    /// No `Authorization` header.
    #[error("Authentication credentials were not provided.")]
    Missing,
    /// Another scheme than the call takes.
    #[error("this call takes {0} credentials")]
    WrongScheme(&'static str),
    /// The token is not a valid session.
    #[error("{0}")]
    Token(JwtError),
    /// A second-factor token presented as a session.
    #[error("the token is not a session token")]
    NotSession,
    /// The session's account is gone.
    #[error("the token's account does not exist")]
    UnknownUser,
    /// The account is deactivated.
    #[error("the account is not active")]
    Inactive,
    /// The personal or organisation access token was deleted, deactivated or has expired.
    #[error("the access token was revoked, deactivated or has expired")]
    Revoked,
    /// Wrong user name, password or token.
    #[error("Incorrect authentication credentials")]
    BadCredentials,
}

/// A checked secret: who it belongs to and what it allows.
pub(crate) struct Verified {
    pub caller: Caller,
    /// The account has a second factor (only asked for password logins).
    pub needs_second_factor: bool,
}

/// The prefix of the hub's personal access tokens.
pub(crate) const PAT_PREFIX: &str = "dckr_pat_";

impl Hub {
    /// The caller of a call that takes a bearer session.
    pub(crate) fn bearer_caller(&self, credentials: &Option<Credentials>) -> Result<Caller, AuthError> {
        match credentials {
            None => Err(AuthError::Missing),
            Some(Credentials::Bearer(token)) => self.session(token),
            Some(_) => Err(AuthError::WrongScheme("Bearer")),
        }
    }

    /// The caller of a call that anyone may make: `None` without credentials, an error with bad ones.
    pub(crate) fn optional_bearer_caller(&self, credentials: &Option<Credentials>) -> Result<Option<Caller>, AuthError> {
        match credentials {
            None => Ok(None),
            Some(_) => self.bearer_caller(credentials).map(Some),
        }
    }

    /// Checks a session JWT and what it points at.
    fn session(&self, token: &str) -> Result<Caller, AuthError> {
        let store = self.lock();
        let claims: Claims = jwt::verify(&self.jwt_key, token, store.now().timestamp()).map_err(AuthError::Token)?;
        if claims.typ != TokenKind::Session {
            return Err(AuthError::NotSession);
        }
        let scope = Scope::parse(&claims.scope).ok_or(AuthError::Token(JwtError::Malformed))?;
        if let Some(id) = &claims.oat {
            let now = store.now();
            let token = store.org_tokens.get(id).filter(|t| t.org.eq_ignore_ascii_case(&claims.sub)).ok_or(AuthError::Revoked)?;
            if !token.active || token.expires_at.is_some_and(|e| e <= now) {
                return Err(AuthError::Revoked);
            }
            let org = store.orgs.get(&claims.sub.to_ascii_lowercase()).ok_or(AuthError::UnknownUser)?;
            return Ok(Caller { username: org.name.clone(), scope, pat: None, oat: claims.oat.clone() });
        }
        let user = store.user(&claims.sub).ok_or(AuthError::UnknownUser)?;
        if !user.active {
            return Err(AuthError::Inactive);
        }
        if let Some(uuid) = &claims.pat {
            let now = store.now();
            let live = store.tokens.get(uuid).is_some_and(|t| t.active && t.expires_at.is_none_or(|e| e > now) && t.owner.eq_ignore_ascii_case(&user.username));
            if !live {
                return Err(AuthError::Revoked);
            }
        }
        Ok(Caller { username: user.username.clone(), scope, pat: claims.pat, oat: None })
    }

    /// The caller of a v1 call that takes HTTP Basic (password or personal access token).
    pub(crate) fn basic_caller(&self, credentials: &Option<Credentials>) -> Result<Caller, AuthError> {
        match credentials {
            None => Err(AuthError::Missing),
            Some(Credentials::Basic { username, password }) => self.verify_secret(username, password).map(|v| v.caller),
            Some(_) => Err(AuthError::WrongScheme("Basic")),
        }
    }

    /// Checks `secret` (a password or a personal access token) for the account `name` (a user name
    /// or an email address). A token's last use is recorded.
    pub(crate) fn verify_secret(&self, name: &str, secret: &str) -> Result<Verified, AuthError> {
        let (caller, hash, has_totp, active) = {
            let mut store = self.lock();
            let Some(user) = store.find_user(name) else {
                drop(store);
                // As slow as a real check, so that unknown names are not told apart by timing.
                crypto::verify_password(secret, &self.decoy_hash);
                return Err(AuthError::BadCredentials);
            };
            let caller = Caller { username: user.username.clone(), scope: Scope::Admin, pat: None, oat: None };
            let (hash, has_totp, active) = (user.password_hash.clone(), user.totp.is_some(), user.active);
            if secret.starts_with(PAT_PREFIX) {
                return match pat_login(&mut store, &caller, secret) {
                    Some(_) if !active => Err(AuthError::Inactive),
                    Some(verified) => Ok(verified),
                    None => Err(AuthError::BadCredentials),
                };
            }
            (caller, hash, has_totp, active)
        };
        // Hashing is slow on purpose: done without holding the lock.
        if !crypto::verify_password(secret, &hash) {
            return Err(AuthError::BadCredentials);
        }
        if !active {
            return Err(AuthError::Inactive);
        }
        Ok(Verified { caller, needs_second_factor: has_totp })
    }
}

/// A login with a personal access token of `caller`'s account.
fn pat_login(store: &mut Store, caller: &Caller, secret: &str) -> Option<Verified> {
    let digest = crypto::sha256_hex(secret.as_bytes());
    let now = store.now();
    let token = store
        .tokens
        .values_mut()
        .find(|t| t.owner.eq_ignore_ascii_case(&caller.username) && crypto::constant_time_eq(t.secret_sha256.as_bytes(), digest.as_bytes()))?;
    if !token.active || token.expires_at.is_some_and(|e| e <= now) {
        return None;
    }
    token.last_used = Some(now);
    let scope = Scope::highest(&token.scopes)?;
    Some(Verified { caller: Caller { scope, pat: Some(token.uuid.clone()), ..caller.clone() }, needs_second_factor: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_imply_the_ones_below() {
        assert!(Scope::Admin > Scope::Write && Scope::Write > Scope::Read && Scope::Read > Scope::PublicRead);
        let names = ["repo:read".to_owned(), "repo:write".to_owned(), "nonsense".to_owned()];
        assert_eq!(Scope::highest(&names), Some(Scope::Write));
        assert_eq!(Scope::highest(&["nonsense".to_owned()]), None);
        for scope in [Scope::PublicRead, Scope::Read, Scope::Write, Scope::Admin] {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
    }
}
