//! Organisation access tokens (`/v2/orgs/{name}/access-tokens…`): owners create them with a
//! label, resources (repositories of the organisation, `org/*`, or `*/*/public`, with the scopes
//! `repo-pull` and `repo-push`; the organisation itself as `TYPE_ORG`) and an optional expiry; the
//! secret (`dckr_oat_…`) is shown once and only its SHA-256 is kept. `POST /v2/auth/token`
//! exchanges the organisation's name and the secret for a bearer session that acts as a member of
//! the organisation with `repo:write` when a resource grants `repo-push`, `repo:read` otherwise; it
//! ends when the token is deactivated, deleted or expires.
//!
//! fake-hub guesses: resource paths are checked when the token is made and returned as given, but
//! access is granted organisation-wide (Docker's documentation does not say how paths match).

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    CreateOrgAccessTokenRequest, CreateOrgAccessTokenResponse, DeleteOrgAccessTokenRequest, DeleteOrgAccessTokenResponse, GetOrgAccessTokenRequest,
    GetOrgAccessTokenResponse, ListOrgAccessTokensRequest, ListOrgAccessTokensResponse, OrgAccessTokens, UpdateOrgAccessTokenRequest, UpdateOrgAccessTokenResponse,
};

use crate::access::{refuse, OrgNeed};
use crate::auth::{Caller, Scope};
use crate::crypto;
use crate::errors::{hub_error, value_error};
use crate::hub::Hub;
use crate::pagination::{paginate, whole, PageRequest};
use crate::store::{date_time, OrgTokenRecord};

/// The prefix of organisation access tokens.
pub(crate) const OAT_PREFIX: &str = "dckr_oat_";

/// The scopes a repository resource may grant.
const REPO_SCOPES: [&str; 2] = ["repo-pull", "repo-push"];

fn resource_view(resources: &[(String, String, Vec<String>)]) -> Vec<m::OrgAccessTokenResource> {
    resources
        .iter()
        .map(|(kind, path, scopes)| m::OrgAccessTokenResource {
            type_: if kind == "TYPE_ORG" { m::OrgAccessTokenResourceType::TypeOrg } else { m::OrgAccessTokenResourceType::TypeRepo },
            path: path.clone(),
            scopes: scopes.clone(),
            additional_properties: Default::default(),
        })
        .collect()
}

/// A token with its resources as the get and update answers show it. Docker's text gives the two
/// answers two schemas of the same fields (`getOrgAccessTokenResponse`,
/// `updateOrgAccessTokenResponse`), hence two model types and a macro rather than a function.
macro_rules! token_view {
    ($model:path, $token:expr) => {{
        let t: &OrgTokenRecord = $token;
        $model {
            id: Some(t.id.clone()),
            label: Some(t.label.clone()),
            created_by: Some(t.created_by.clone()),
            is_active: Some(t.active),
            created_at: Some(date_time(t.created_at)),
            expires_at: Some(t.expires_at.map(date_time)),
            last_used_at: Some(t.last_used.map(date_time)),
            resources: Some(resource_view(&t.resources)),
            additional_properties: Default::default(),
        }
    }};
}

/// Checks the resources of a token of `org`.
fn check_resources(org: &str, resources: &[m::OrgAccessTokenResource]) -> Result<Vec<(String, String, Vec<String>)>, m::ValueError> {
    if resources.is_empty() {
        return Err(value_error("body.resources", "At least one resource is required."));
    }
    let mut checked = Vec::new();
    for resource in resources {
        if resource.scopes.is_empty() {
            return Err(value_error("body.resources", format!("the resource {} has no scopes", resource.path)));
        }
        let kind = match &resource.type_ {
            m::OrgAccessTokenResourceType::TypeRepo => {
                let own = resource.path.split_once('/').is_some_and(|(ns, repo)| ns.eq_ignore_ascii_case(org) && !repo.is_empty() && !repo.contains('/'));
                if !own && resource.path != "*/*/public" {
                    return Err(value_error("body.resources", format!("`{}` is not a repository of {org}, `{org}/*` or `*/*/public`", resource.path)));
                }
                if let Some(bad) = resource.scopes.iter().find(|s| !REPO_SCOPES.contains(&s.as_str())) {
                    return Err(value_error("body.resources", format!("`{bad}` is not a repository scope: use repo-pull or repo-push")));
                }
                "TYPE_REPO"
            }
            m::OrgAccessTokenResourceType::TypeOrg => {
                if !resource.path.eq_ignore_ascii_case(org) {
                    return Err(value_error("body.resources", format!("an organization resource's path must be {org}")));
                }
                "TYPE_ORG"
            }
            m::OrgAccessTokenResourceType::Unknown(other) => return Err(value_error("body.resources", format!("`{other}` is not a resource type"))),
        };
        checked.push((kind.to_owned(), resource.path.clone(), resource.scopes.clone()));
    }
    Ok(checked)
}

/// The scope a token's sessions carry.
fn scope_of(resources: &[(String, String, Vec<String>)]) -> Scope {
    let scopes = || resources.iter().flat_map(|(_, _, s)| s.iter());
    if scopes().any(|s| s == "repo-push") {
        Scope::Write
    } else if scopes().any(|s| s == "repo-pull") {
        Scope::Read
    } else {
        Scope::PublicRead
    }
}

impl Hub {
    /// Checks an organisation access token `secret` of `org`: the caller its sessions act as.
    pub(crate) fn verify_org_token(&self, org: &str, secret: &str) -> Option<Caller> {
        let digest = crypto::sha256_hex(secret.as_bytes());
        let mut store = self.lock();
        let now = store.now();
        let token = store.org_tokens.values_mut().find(|t| t.org.eq_ignore_ascii_case(org) && crypto::constant_time_eq(t.secret_sha256.as_bytes(), digest.as_bytes()))?;
        if !token.active || token.expires_at.is_some_and(|e| e <= now) {
            return None;
        }
        token.last_used = Some(now);
        Some(Caller { username: token.org.clone(), scope: scope_of(&token.resources), pat: None, oat: Some(token.id.clone()) })
    }
}

impl OrgAccessTokens for Hub {
    async fn list_org_access_tokens(&self, request: ListOrgAccessTokensRequest) -> ListOrgAccessTokensResponse {
        let (store, _, org) = match self.org_caller(&request.context.credentials(), &request.name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ListOrgAccessTokensResponse, refusal, hub_error),
        };
        // As the personal access-token listing: a page out of range is a 400 naming it.
        let page = match PageRequest::checked(whole(request.page), whole(request.page_size), 10, 100) {
            Ok(page) => page,
            Err(e) => return ListOrgAccessTokensResponse::BadRequest(value_error(e.field(), e.to_string())),
        };
        let mut tokens: Vec<&OrgTokenRecord> = store.org_tokens.values().filter(|t| t.org == org).collect();
        // Newest first.
        tokens.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| a.label.cmp(&b.label)));
        let views = tokens
            .into_iter()
            .map(|t| m::OrgAccessToken {
                id: Some(t.id.clone()),
                label: Some(t.label.clone()),
                created_by: Some(t.created_by.clone()),
                is_active: Some(t.active),
                created_at: Some(date_time(t.created_at)),
                expires_at: Some(t.expires_at.map(date_time)),
                last_used_at: Some(t.last_used.map(date_time)),
                additional_properties: Default::default(),
            })
            .collect();
        let page = paginate(views, page, &request.context);
        ListOrgAccessTokensResponse::Ok(Box::new(m::GetOrgAccessTokensResponse {
            total: Some(page.count as f64),
            next: page.next,
            previous: page.previous,
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn create_org_access_token(&self, request: CreateOrgAccessTokenRequest) -> CreateOrgAccessTokenResponse {
        let (mut store, caller, org) = match self.org_caller(&request.context.credentials(), &request.name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(CreateOrgAccessTokenResponse, refusal, hub_error),
        };
        let body = request.body;
        if body.label.trim().is_empty() {
            return CreateOrgAccessTokenResponse::BadRequest(value_error("body.label", "This field may not be blank."));
        }
        let resources = match check_resources(&org, body.resources.as_deref().unwrap_or_default()) {
            Ok(resources) => resources,
            Err(e) => return CreateOrgAccessTokenResponse::BadRequest(e),
        };
        let now = store.now();
        let expires_at = body.expires_at.flatten().map(|t| t.to_chrono().with_timezone(&chrono::Utc));
        if expires_at.is_some_and(|e| e <= now) {
            return CreateOrgAccessTokenResponse::BadRequest(value_error("body.expires_at", "must be in the future"));
        }
        let secret = format!("{OAT_PREFIX}{}", store.random.token_text());
        let record = OrgTokenRecord {
            id: store.random.uuid(),
            org: org.clone(),
            label: body.label.clone(),
            description: body.description.unwrap_or_default(),
            created_by: caller.username.clone(),
            active: true,
            created_at: now,
            expires_at,
            last_used: None,
            resources,
            secret_sha256: crypto::sha256_hex(secret.as_bytes()),
        };
        let answer = m::CreateOrgAccessTokenResponse {
            id: Some(record.id.clone()),
            label: Some(record.label.clone()),
            created_by: Some(record.created_by.clone()),
            is_active: Some(true),
            created_at: Some(date_time(now)),
            expires_at: Some(expires_at.map(date_time)),
            last_used_at: Some(None),
            token: Some(secret),
            resources: Some(resource_view(&record.resources)),
            additional_properties: Default::default(),
        };
        let data = BTreeMap::from([("token_id".to_owned(), record.id.clone()), ("label".to_owned(), record.label.clone())]);
        store.org_tokens.insert(record.id.clone(), record);
        store.record(&org, "org.access_token.create", &org, &caller.username, data, format!("created the organization access token {}", body.label));
        CreateOrgAccessTokenResponse::Created(Box::new(answer))
    }

    async fn get_org_access_token(&self, request: GetOrgAccessTokenRequest) -> GetOrgAccessTokenResponse {
        let (store, _, org) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(GetOrgAccessTokenResponse, refusal, hub_error),
        };
        match store.org_tokens.get(&request.access_token_id).filter(|t| t.org == org) {
            Some(t) => GetOrgAccessTokenResponse::Ok(Box::new(token_view!(m::GetOrgAccessTokenResponse, t))),
            None => GetOrgAccessTokenResponse::NotFound(hub_error("access token not found")),
        }
    }

    async fn update_org_access_token(&self, request: UpdateOrgAccessTokenRequest) -> UpdateOrgAccessTokenResponse {
        let (mut store, caller, org) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(UpdateOrgAccessTokenResponse, refusal, hub_error),
        };
        let body = request.body;
        // Refused as its creation refuses them: a blank label, resources that are not the organization's.
        if body.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return UpdateOrgAccessTokenResponse::BadRequest(value_error("body.label", "This field may not be blank."));
        }
        let resources = match body.resources.as_deref().map(|r| check_resources(&org, r)).transpose() {
            Ok(resources) => resources,
            Err(e) => return UpdateOrgAccessTokenResponse::BadRequest(e),
        };
        let Some(t) = store.org_tokens.get_mut(&request.access_token_id).filter(|t| t.org == org) else {
            return UpdateOrgAccessTokenResponse::NotFound(hub_error("access token not found"));
        };
        if let Some(label) = body.label {
            t.label = label;
        }
        if let Some(description) = body.description {
            t.description = description;
        }
        if let Some(resources) = resources {
            t.resources = resources;
        }
        if let Some(active) = body.is_active {
            t.active = active;
        }
        let answer = token_view!(m::UpdateOrgAccessTokenResponse, t);
        let data = BTreeMap::from([("token_id".to_owned(), t.id.clone()), ("description".to_owned(), t.description.clone())]);
        let description = format!("updated the organization access token {}", t.label);
        store.record(&org, "org.access_token.update", &org, &caller.username, data, description);
        UpdateOrgAccessTokenResponse::Ok(Box::new(answer))
    }

    async fn delete_org_access_token(&self, request: DeleteOrgAccessTokenRequest) -> DeleteOrgAccessTokenResponse {
        let (mut store, caller, org) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(DeleteOrgAccessTokenResponse, refusal, hub_error),
        };
        if store.org_tokens.get(&request.access_token_id).is_none_or(|t| t.org != org) {
            return DeleteOrgAccessTokenResponse::NotFound(hub_error("access token not found"));
        }
        let Some(token) = store.org_tokens.remove(&request.access_token_id) else {
            return DeleteOrgAccessTokenResponse::NotFound(hub_error("access token not found"));
        };
        let data = BTreeMap::from([("token_id".to_owned(), token.id.clone())]);
        store.record(&org, "org.access_token.delete", &org, &caller.username, data, format!("deleted the organization access token {}", token.label));
        DeleteOrgAccessTokenResponse::NoContent
    }
}
