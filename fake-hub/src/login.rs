//! `POST /v2/users/login` and `POST /v2/users/2fa-login`: a password (or personal access token)
//! buys a session JWT, unless the account has a second factor, in which case the password buys a
//! short-lived `login_2fa_token` that a current TOTP code exchanges, once, for the session.
//! Personal access tokens skip the second factor, as on Docker Hub (they are the CLI's way in).
//!
//! `POST /v2/auth/token` is the way Docker documents today: an identifier and a secret (a user name
//! with a password or a personal access token, or an organisation name with one of its access
//! tokens) buy a short-lived bearer token, accepted wherever a bearer session is. It has no second
//! step: an account with a second factor must use a personal access token there (fake-hub guesses
//! so from the documentation's advice to use a PAT when SSO is enforced).

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    AuthCreateAccessTokenRequest, AuthCreateAccessTokenResponse, AuthenticationApi, Login2faRequest, Login2faResponse, LoginRequest, LoginResponse,
};

use crate::auth::{AuthError, Caller, Scope};
use crate::errors::hub_error2;
use crate::hub::Hub;
use crate::jwt::{self, Claims, TokenKind};
use crate::totp;

impl Hub {
    /// Signs a token of `kind` for `caller`, valid for `ttl`.
    fn issue(&self, caller: &Caller, kind: TokenKind, ttl: std::time::Duration) -> String {
        let (now, jti) = {
            let mut store = self.lock();
            (store.now().timestamp(), store.random.uuid())
        };
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 4);
        let claims = Claims {
            sub: caller.username.clone(),
            iat: now,
            exp: now.saturating_add(ttl),
            jti,
            typ: kind,
            scope: caller.scope.as_str().into(),
            pat: caller.pat.clone(),
            oat: caller.oat.clone(),
        };
        jwt::sign(&self.jwt_key, &claims)
    }

    /// A session JWT for `caller` (what tests use to skip the login call).
    pub(crate) fn session_token(&self, caller: &Caller) -> String {
        self.issue(caller, TokenKind::Session, self.config.session_ttl)
    }

    /// Logs `username` in with `password` (or a personal access token) as the API would, for tests
    /// that want a session without a client: the session JWT, or `None` when the credentials are
    /// wrong or a second factor is needed.
    pub fn login_token(&self, username: &str, password: &str) -> Option<String> {
        match self.verify_secret(username, password) {
            Ok(verified) if !verified.needs_second_factor => Some(self.session_token(&verified.caller)),
            _ => None,
        }
    }
}

fn refused(detail: impl Into<String>) -> LoginResponse {
    LoginResponse::Unauthorized(m::PostUsersLoginErrorResponse { detail: detail.into(), login_2fa_token: None, additional_properties: Default::default() })
}

fn refused_2fa(detail: impl Into<String>) -> Login2faResponse {
    Login2faResponse::Unauthorized(m::PostUsers2FALoginErrorResponse { detail: Some(detail.into()), additional_properties: Default::default() })
}

impl AuthenticationApi for Hub {
    async fn login(&self, request: LoginRequest) -> LoginResponse {
        let verified = match self.verify_secret(&request.body.username, &request.body.password) {
            Ok(verified) => verified,
            Err(AuthError::Inactive) => return refused("Account is not active"),
            Err(_) => return refused(AuthError::BadCredentials.to_string()),
        };
        if verified.needs_second_factor {
            let pending = self.issue(&verified.caller, TokenKind::SecondFactor, self.config.second_factor_ttl);
            return LoginResponse::Unauthorized(m::PostUsersLoginErrorResponse {
                detail: "Require secondary authentication on MFA enabled account".into(),
                login_2fa_token: Some(Some(pending)),
                additional_properties: Default::default(),
            });
        }
        LoginResponse::Ok(m::PostUsersLoginSuccessResponse { token: Some(self.session_token(&verified.caller)), additional_properties: Default::default() })
    }

    async fn login_2fa(&self, request: Login2faRequest) -> Login2faResponse {
        let mut store = self.lock();
        let now = store.now().timestamp();
        let claims = match jwt::verify(&self.jwt_key, &request.body.login_2fa_token, now) {
            Ok(claims) if claims.typ == TokenKind::SecondFactor => claims,
            Ok(_) => return refused_2fa("the token is not a second-factor token"),
            Err(e) => return refused_2fa(format!("invalid login_2fa_token: {e}")),
        };
        store.used_second_factor.retain(|_, expiry| *expiry > now);
        if store.used_second_factor.contains_key(&claims.jti) {
            return refused_2fa("the login_2fa_token was already used");
        }
        let Some(user) = store.user(&claims.sub) else {
            return refused_2fa(AuthError::UnknownUser.to_string());
        };
        if !user.active {
            return refused_2fa(AuthError::Inactive.to_string());
        }
        let unix_now = u64::try_from(now).unwrap_or(0);
        if !user.totp.as_ref().is_some_and(|secret| totp::verify_code(secret, &request.body.code, unix_now)) {
            return refused_2fa("Incorrect authentication code");
        }
        let caller = Caller { username: user.username.clone(), scope: Scope::Admin, pat: None, oat: None };
        store.used_second_factor.insert(claims.jti, claims.exp);
        drop(store);
        Login2faResponse::Ok(m::PostUsersLoginSuccessResponse { token: Some(self.session_token(&caller)), additional_properties: Default::default() })
    }

    async fn auth_create_access_token(&self, request: AuthCreateAccessTokenRequest) -> AuthCreateAccessTokenResponse {
        let Some(body) = request.body else {
            return AuthCreateAccessTokenResponse::Unauthorized(hub_error2(AuthError::Missing.to_string()));
        };
        let caller = if body.secret.starts_with(crate::org_tokens::OAT_PREFIX) {
            match self.verify_org_token(&body.identifier, &body.secret) {
                Some(caller) => caller,
                None => return AuthCreateAccessTokenResponse::Unauthorized(hub_error2(AuthError::BadCredentials.to_string())),
            }
        } else {
            match self.verify_secret(&body.identifier, &body.secret) {
                Ok(verified) if verified.needs_second_factor => {
                    return AuthCreateAccessTokenResponse::Unauthorized(hub_error2("this account has two-factor authentication: use a personal access token"));
                }
                Ok(verified) => verified.caller,
                Err(AuthError::Inactive) => return AuthCreateAccessTokenResponse::Unauthorized(hub_error2(AuthError::Inactive.to_string())),
                Err(_) => return AuthCreateAccessTokenResponse::Unauthorized(hub_error2(AuthError::BadCredentials.to_string())),
            }
        };
        AuthCreateAccessTokenResponse::Ok(m::AuthCreateTokenResponse { access_token: Some(self.session_token(&caller)), additional_properties: Default::default() })
    }
}
