//! Personal access tokens (`/v2/access-tokens`): created with a label and scopes, shown once (the
//! secret is only in the create answer; the hub keeps its SHA-256), listed by page, renamed,
//! deactivated and deleted. Managing tokens takes a session opened with a password: a session opened
//! with a token cannot mint or revoke tokens. Deleting or deactivating a token ends the sessions it
//! opened.

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    AccessTokens, CreateAccessTokenRequest, CreateAccessTokenResponse, DeleteAccessTokenRequest, DeleteAccessTokenResponse, GetAccessTokenRequest,
    GetAccessTokenResponse, ListAccessTokensRequest, ListAccessTokensResponse, UpdateAccessTokenRequest, UpdateAccessTokenResponse,
};

use crate::auth::{Caller, Scope, PAT_PREFIX};
use crate::context;
use crate::crypto;
use crate::errors::{auth_error, hub_error, value_error};
use crate::hub::Hub;
use crate::pagination::{paginate, whole, PageRequest};
use crate::store::{date_time, timestamp, AccessTokenRecord};

/// The longest label accepted.
const MAX_LABEL: usize = 100;

impl Hub {
    /// The caller of a token-management call: a password session.
    fn token_manager(&self, credentials: &Option<dockerhub_server::Credentials>) -> Result<Caller, m::Error> {
        let caller = self.bearer_caller(credentials).map_err(|e| auth_error(&e))?;
        if caller.pat.is_some() || caller.oat.is_some() {
            return Err(hub_error("personal access tokens cannot manage access tokens; log in with your password"));
        }
        Ok(caller)
    }
}

/// The API's view of a token; `secret` only when it was just created.
fn view(token: &AccessTokenRecord, secret: Option<String>) -> m::AccessToken {
    m::AccessToken {
        uuid: Some(token.uuid.clone()),
        client_id: Some("HUB".into()),
        creator_ip: Some(token.creator_ip.clone()),
        creator_ua: Some(token.creator_ua.clone()),
        created_at: Some(timestamp(token.created_at)),
        last_used: Some(token.last_used.map(timestamp)),
        generated_by: Some("manual".into()),
        is_active: Some(token.active),
        token: secret,
        token_label: Some(token.label.clone()),
        scopes: Some(token.scopes.clone()),
        expires_at: token.expires_at.map(date_time),
        additional_properties: Default::default(),
    }
}

/// Checks a label: not blank, not too long.
fn check_label(label: &str) -> Result<(), m::ValueError> {
    if label.trim().is_empty() {
        return Err(value_error("body.token_label", "This field may not be blank."));
    }
    if label.chars().count() > MAX_LABEL {
        return Err(value_error("body.token_label", format!("Ensure this field has no more than {MAX_LABEL} characters.")));
    }
    Ok(())
}

impl AccessTokens for Hub {
    async fn list_access_tokens(&self, request: ListAccessTokensRequest) -> ListAccessTokensResponse {
        let caller = match self.token_manager(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return ListAccessTokensResponse::Unauthorized(e),
        };
        let page = match PageRequest::checked(whole(request.page), whole(request.page_size), 10, 100) {
            Ok(page) => page,
            Err(e) => return ListAccessTokensResponse::BadRequest(value_error(e.field(), e.to_string())),
        };
        let store = self.lock();
        let mut mine: Vec<&AccessTokenRecord> = store.tokens.values().filter(|t| t.owner.eq_ignore_ascii_case(&caller.username)).collect();
        let active = mine.iter().filter(|t| t.active).count();
        // Newest first.
        mine.sort_by_key(|t| std::cmp::Reverse(t.seq));
        let page = paginate(mine.into_iter().map(|t| view(t, None)).collect(), page, &request.context);
        ListAccessTokensResponse::Ok(Box::new(m::GetAccessTokensResponse {
            count: Some(page.count as f64),
            next: Some(page.next),
            previous: Some(page.previous),
            active_count: Some(active as f64),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn create_access_token(&self, request: CreateAccessTokenRequest) -> CreateAccessTokenResponse {
        let caller = match self.token_manager(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return CreateAccessTokenResponse::Unauthorized(e),
        };
        let body = request.body;
        if let Err(e) = check_label(&body.token_label) {
            return CreateAccessTokenResponse::BadRequest(e);
        }
        if body.scopes.is_empty() {
            return CreateAccessTokenResponse::BadRequest(value_error("body.scopes", "At least one scope is required."));
        }
        if let Some(bad) = body.scopes.iter().find(|s| Scope::parse(s).is_none()) {
            let valid = [Scope::Admin, Scope::Write, Scope::Read, Scope::PublicRead].map(Scope::as_str).join(", ");
            return CreateAccessTokenResponse::BadRequest(value_error("body.scopes", format!("`{bad}` is not a valid scope; use one of {valid}")));
        }
        let mut store = self.lock();
        let expires_at = body.expires_at.as_ref().map(|t| t.to_chrono().with_timezone(&chrono::Utc));
        if expires_at.is_some_and(|e| e <= store.now()) {
            return CreateAccessTokenResponse::BadRequest(value_error("body.expires_at", "must be in the future"));
        }
        let uuid = store.random.uuid();
        let secret = format!("{PAT_PREFIX}{}", store.random.token_text());
        let mut scopes = body.scopes.clone();
        scopes.dedup();
        let record = AccessTokenRecord {
            seq: store.next_id(),
            uuid: uuid.clone(),
            owner: caller.username.clone(),
            label: body.token_label.clone(),
            scopes,
            secret_sha256: crypto::sha256_hex(secret.as_bytes()),
            active: true,
            created_at: store.now(),
            last_used: None,
            expires_at,
            creator_ip: context::peer(&request.context).map_or_else(|| "127.0.0.1".into(), |p| p.ip().to_string()),
            creator_ua: context::user_agent(&request.context).unwrap_or_default(),
        };
        let answer = view(&record, Some(secret));
        store.tokens.insert(uuid.clone(), record);
        let data = BTreeMap::from([("token_uuid".to_owned(), uuid), ("scopes".to_owned(), body.scopes.join(","))]);
        let description = format!("created the personal access token {}", body.token_label);
        store.record(&caller.username, "account.access_token.create", &body.token_label, &caller.username, data, description);
        CreateAccessTokenResponse::Created(Box::new(answer))
    }

    async fn get_access_token(&self, request: GetAccessTokenRequest) -> GetAccessTokenResponse {
        let caller = match self.token_manager(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return GetAccessTokenResponse::Unauthorized(e),
        };
        let store = self.lock();
        match store.tokens.get(&request.uuid).filter(|t| t.owner.eq_ignore_ascii_case(&caller.username)) {
            Some(token) => GetAccessTokenResponse::Ok(Box::new(view(token, None))),
            None => GetAccessTokenResponse::NotFound(hub_error("access token not found")),
        }
    }

    async fn update_access_token(&self, request: UpdateAccessTokenRequest) -> UpdateAccessTokenResponse {
        let caller = match self.token_manager(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return UpdateAccessTokenResponse::Unauthorized(e),
        };
        if let Some(label) = &request.body.token_label {
            if let Err(e) = check_label(label) {
                return UpdateAccessTokenResponse::BadRequest(e);
            }
        }
        let mut store = self.lock();
        // The operation documents no 404: an unknown token is a bad `uuid`.
        let Some(token) = store.tokens.get_mut(&request.uuid).filter(|t| t.owner.eq_ignore_ascii_case(&caller.username)) else {
            return UpdateAccessTokenResponse::BadRequest(value_error("path.uuid", "access token not found"));
        };
        if let Some(label) = request.body.token_label {
            token.label = label;
        }
        if let Some(active) = request.body.is_active {
            token.active = active;
        }
        UpdateAccessTokenResponse::Ok(Box::new(view(token, None)))
    }

    async fn delete_access_token(&self, request: DeleteAccessTokenRequest) -> DeleteAccessTokenResponse {
        let caller = match self.token_manager(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return DeleteAccessTokenResponse::Unauthorized(e),
        };
        let mut store = self.lock();
        let owned = store.tokens.get(&request.uuid).is_some_and(|t| t.owner.eq_ignore_ascii_case(&caller.username));
        let Some(token) = owned.then(|| store.tokens.remove(&request.uuid)).flatten() else {
            return DeleteAccessTokenResponse::NotFound(hub_error("access token not found"));
        };
        let data = BTreeMap::from([("token_uuid".to_owned(), token.uuid.clone())]);
        let description = format!("deleted the personal access token {}", token.label);
        store.record(&caller.username, "account.access_token.delete", &token.label, &caller.username, data, description);
        DeleteAccessTokenResponse::NoContent
    }
}

