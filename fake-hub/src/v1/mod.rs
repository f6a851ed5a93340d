//! The v1 index (`/v1/…`): repositories, their image lists, the token handshake and accounts.
//!
//! Calls authenticate with HTTP Basic (a password or a personal access token). Repository create
//! and delete calls may ask for an index token with `X-Docker-Token: true`: the index answers with
//! `X-Docker-Token`, `WWW-Authenticate: Token …` and `X-Docker-Endpoints`, and a registry then
//! checks the token with `PUT …/auth`, which accepts it only for the repository it was issued for.
//! `library/…` repositories (the routes without a namespace) are for Docker administrators only.

mod images;
mod repos;
mod users;

use dockerhub_server::Credentials;

use crate::access::{can_admin_namespace, can_write_namespace};
use crate::auth::{AuthError, Caller, Scope};
use crate::hub::Hub;
use crate::store::{Store, V1Token};

/// The implied namespace of the routes without one.
pub(crate) const LIBRARY: &str = "library";

/// Why a v1 call is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Denied {
    /// No or wrong credentials (401).
    Unauthorized,
    /// Authenticated, but the account is inactive or may not do this (403).
    Forbidden,
}

impl From<AuthError> for Denied {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Inactive => Denied::Forbidden,
            _ => Denied::Unauthorized,
        }
    }
}

/// What a change needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Pushing: write access.
    Write,
    /// Deleting: administration.
    Admin,
}

/// Whether `caller` may change repositories of `namespace` as `need` says.
pub(crate) fn allowed(store: &Store, caller: &Caller, namespace: &str, need: Need) -> bool {
    if namespace.eq_ignore_ascii_case(LIBRARY) {
        let admin = store.user(&caller.username).is_some_and(|u| u.admin);
        return admin && caller.scope >= if need == Need::Admin { Scope::Admin } else { Scope::Write };
    }
    match need {
        Need::Write => can_write_namespace(store, caller, namespace),
        Need::Admin => can_admin_namespace(store, caller, namespace),
    }
}

/// The headers a token request is answered with.
pub(crate) struct IssuedToken {
    /// `X-Docker-Token`.
    pub token: String,
    /// `WWW-Authenticate`.
    pub www_authenticate: String,
}

impl Hub {
    /// The Basic caller of a change to `namespace`, allowed as `need` says.
    pub(crate) fn v1_changer(&self, credentials: &Option<Credentials>, namespace: &str, need: Need) -> Result<Caller, Denied> {
        let caller = self.basic_caller(credentials)?;
        if allowed(&self.lock(), &caller, namespace, need) {
            Ok(caller)
        } else {
            Err(Denied::Forbidden)
        }
    }

    /// Issues an index token for `repository` (`namespace/name`) with `access` (`write`, `delete`).
    pub(crate) fn issue_v1_token(&self, store: &mut Store, repository: &str, access: &str) -> IssuedToken {
        let signature = store.random.hex::<16>();
        let ttl = i64::try_from(self.config.v1_token_ttl.as_secs()).unwrap_or(i64::MAX / 4);
        let now = store.now().timestamp();
        store.v1_tokens.retain(|_, t| t.expires > now);
        store.v1_tokens.insert(signature.clone(), V1Token { repository: repository.to_owned(), access: access.to_owned(), expires: now.saturating_add(ttl) });
        let token = format!("signature={signature},repository=\"{repository}\",access={access}");
        IssuedToken { www_authenticate: format!("Token {token}"), token }
    }

    /// Whether `credentials` are an index token valid now for `repository` (`namespace/name`).
    pub(crate) fn v1_token_grants(&self, credentials: &Option<Credentials>, repository: &str) -> bool {
        let Some(Credentials::Token { signature: Some(signature), repository: Some(named), access, .. }) = credentials else {
            return false;
        };
        let store = self.lock();
        let now = store.now().timestamp();
        store.v1_tokens.get(signature).is_some_and(|issued| {
            issued.expires > now
                && issued.repository.eq_ignore_ascii_case(named)
                && issued.repository.eq_ignore_ascii_case(repository)
                && access.as_deref().is_none_or(|a| a == issued.access)
        })
    }
}
