//! A small Docker Hub stand-in on loopback, written with axum, for the client's end-to-end tests.
//!
//! It answers every operation of both descriptions with bodies of the documented shapes, checks the
//! credentials the client sends, paginates, rate-limits on demand and records which routes were hit.
//! It is deliberately plain: canned data, no persistence.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::{json, Value};

/// What the stub saw and how it behaves.
#[derive(Debug, Default)]
pub struct Stub {
    /// `METHOD route` of every request, as registered.
    pub hits: BTreeSet<String>,
    /// How many 429s the audit-log actions route answers before it succeeds.
    pub rate_limited: u32,
    /// Every `Authorization` header received, in order.
    pub authorizations: Vec<String>,
}

type Shared = Arc<Mutex<Stub>>;

/// A running stub: its base URL and state.
pub struct Running {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// What it saw.
    pub state: Shared,
}

/// Starts the stub on an ephemeral loopback port.
pub async fn start() -> Running {
    let state: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let app = router(state.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("stub serves");
    });
    Running { base_url: format!("http://{addr}"), state }
}

fn hit(state: &Shared, what: &str, headers: &HeaderMap) {
    let mut s = state.lock().expect("stub state");
    s.hits.insert(what.to_owned());
    if let Some(a) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        s.authorizations.push(a.to_owned());
    }
}

fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from_static("180"));
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("179"));
    headers.insert("x-ratelimit-reset", HeaderValue::from_static("1700000000"));
    response
}

fn scim(status: StatusCode, body: Value) -> Response {
    let mut response = json_response(status, body);
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/scim+json"));
    response
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ").map(str::to_owned)
}

fn unauthorized() -> Response {
    json_response(StatusCode::UNAUTHORIZED, json!({"detail": "Authentication credentials were not provided.", "message": "unauthorized"}))
}

/// The 401 to answer when the request has no bearer token.
fn missing_bearer(headers: &HeaderMap) -> Option<Response> {
    bearer(headers).is_none().then(unauthorized)
}

fn access_token(uuid: &str, label: &str) -> Value {
    json!({"uuid": uuid, "client_id": "HUB", "creator_ip": "127.0.0.1", "creator_ua": "test", "created_at": "2021-07-20T12:00:00Z",
           "last_used": null, "generated_by": "manual", "is_active": true, "token": "", "token_label": label, "scopes": ["repo:read"]})
}

/// `?page=&page_size=` of a listing of `total` items named by `item`, with `next` links.
fn page_of(uri: &Uri, headers: &HeaderMap, query: &Value, total: usize, item: impl Fn(usize) -> Value) -> Value {
    let page = query.get("page").and_then(|v| v.as_str()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).max(1);
    let size = query.get("page_size").and_then(|v| v.as_str()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(10).max(1);
    let start = (page - 1) * size;
    let results: Vec<Value> = (start..total.min(start + size)).map(item).collect();
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let link = |p: usize| format!("http://{host}{}?page={p}&page_size={size}", uri.path());
    json!({
        "count": total,
        "next": if start + size < total { Value::from(link(page + 1)) } else { Value::Null },
        "previous": if page > 1 { Value::from(link(page - 1)) } else { Value::Null },
        "results": results,
    })
}

fn tag(name: &str) -> Value {
    json!({"id": 1, "name": name, "creator": 7, "last_updated": "2021-01-05T21:06:53.506400Z", "last_updater": 7,
           "last_updater_username": "alice", "repository": 3, "full_size": 1024, "v2": "true", "status": "active",
           "tag_last_pulled": null, "tag_last_pushed": "2021-01-05T21:06:53.506400Z",
           "images": [{"architecture": "amd64", "os": "linux", "digest": "sha256:abc", "size": 1024, "status": "active", "last_pulled": null, "last_pushed": null, "layers": []}]})
}

fn scim_user(id: &str, user_name: &str) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": id, "userName": user_name, "name": {"givenName": "Jon", "familyName": "Snow"},
           "displayName": "jonsnow", "active": true, "emails": [{"value": user_name, "display": user_name, "primary": true}], "groups": [],
           "meta": {"resourceType": "User", "location": format!("/v2/scim/2.0/Users/{id}"), "created": "2022-05-20T00:54:18Z", "lastModified": "2022-05-20T00:54:18Z"}})
}

fn scim_error(status: u16, detail: &str) -> Value {
    json!({"status": status.to_string(), "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "detail": detail})
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

fn v1_token_headers(mut response: Response, repository: &str, access: &str) -> Response {
    let h = response.headers_mut();
    let token = format!("signature=123abc,repository=\"{repository}\",access={access}");
    h.insert("www-authenticate", HeaderValue::from_str(&format!("Token {token}")).expect("header"));
    h.insert("x-docker-token", HeaderValue::from_str(&token).expect("header"));
    h.insert("x-docker-endpoints", HeaderValue::from_static("registry-1.docker.io, registry-2.docker.io"));
    response
}

fn basic_user(headers: &HeaderMap) -> Option<String> {
    let encoded = headers.get("authorization")?.to_str().ok()?.strip_prefix("Basic ")?;
    // The stub knows one account: alice:toto42 (base64 "YWxpY2U6dG90bzQy").
    (encoded == "YWxpY2U6dG90bzQy").then(|| "alice".to_owned())
}

fn v1_repository(state: &Shared, what: &str, method: &Method, headers: &HeaderMap, repository: String) -> Response {
    hit(state, what, headers);
    if basic_user(headers).is_none() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let wants_token = headers.get("x-docker-token").and_then(|v| v.to_str().ok()) == Some("true");
    let (status, access) = if *method == Method::PUT { (StatusCode::OK, "write") } else { (StatusCode::ACCEPTED, "delete") };
    let response = text(status, "\"\"");
    if wants_token { v1_token_headers(response, &repository, access) } else { response }
}

fn v1_auth(state: &Shared, what: &str, headers: &HeaderMap, repository: String) -> Response {
    hit(state, what, headers);
    let expected = format!("Token signature=123abc,repository=\"{repository}\",access=write");
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some(a) if a == expected => text(StatusCode::OK, "\"OK\""),
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}

fn images_v1() -> Value {
    json!([{"id": "9e89cc6f0bc3", "checksum": "b486531f9a77"}, {"id": "ertwetewtwe3", "checksum": "34t23f23fc17"}])
}

/// Every route of both descriptions.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/v2/users/login", post(login))
        .route("/v2/users/2fa-login", post(login_2fa))
        .route("/v2/access-tokens", get(list_tokens).post(create_token))
        .route("/v2/access-tokens/{uuid}", get(get_token).patch(patch_token).delete(delete_token))
        .route("/v2/namespaces/{namespace}/repositories/{repository}/images-summary", get(images_summary))
        .route("/v2/namespaces/{namespace}/repositories/{repository}/images", get(list_images))
        .route("/v2/namespaces/{namespace}/repositories/{repository}/images/{digest}/tags", get(image_tags))
        .route("/v2/namespaces/{namespace}/delete-images", post(delete_images))
        .route("/v2/auditlogs/{account}", get(audit_logs))
        .route("/v2/auditlogs/{account}/actions", get(audit_actions))
        .route("/v2/orgs/{name}/settings", get(org_settings).put(put_org_settings))
        .route("/v2/namespaces/{namespace}/repositories/{repository}/tags", get(list_tags).head(head_tags))
        .route("/v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}", get(get_tag).head(head_tag))
        .route("/v2/scim/2.0/ServiceProviderConfig", get(scim_config))
        .route("/v2/scim/2.0/ResourceTypes", get(scim_resource_types))
        .route("/v2/scim/2.0/ResourceTypes/{name}", get(scim_resource_type))
        .route("/v2/scim/2.0/Schemas", get(scim_schemas))
        .route("/v2/scim/2.0/Schemas/{id}", get(scim_schema))
        .route("/v2/scim/2.0/Users", get(scim_users).post(scim_create_user))
        .route("/v2/scim/2.0/Users/{id}", get(scim_get_user).put(scim_put_user))
        // v1: one parameter name per position, as the router requires.
        .route("/v1/repositories/{a}/{b}/", put(v1_user_repo).delete(v1_user_repo))
        .route("/v1/repositories/{a}/", put(v1_library_repo).delete(v1_library_repo))
        .route("/v1/repositories/{a}/{b}/images", put(v1_user_images).get(v1_user_images))
        .route("/v1/repositories/{a}/images", put(v1_library_images).get(v1_library_images))
        .route("/v1/repositories/{a}/auth", put(v1_library_auth))
        .route("/v1/repositories/{a}/{b}/auth", put(v1_user_auth))
        .route("/v1/users/", get(v1_check_login).post(v1_register))
        .route("/v1/users/{a}/", put(v1_update_user))
        .with_state(state)
}

async fn login(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "POST /v2/users/login", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    match (body["username"].as_str(), body["password"].as_str()) {
        (Some("alice"), Some("hunter2")) => json_response(StatusCode::OK, json!({"token": "jwt-alice"})),
        (Some("bob"), Some("hunter2")) => json_response(StatusCode::UNAUTHORIZED, json!({"detail": "Two factor required", "login_2fa_token": "pending-bob"})),
        _ => json_response(StatusCode::UNAUTHORIZED, json!({"detail": "Incorrect authentication credentials"})),
    }
}

async fn login_2fa(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "POST /v2/users/2fa-login", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    if body["login_2fa_token"] == "pending-bob" && body["code"] == "123456" {
        json_response(StatusCode::OK, json!({"token": "jwt-bob"}))
    } else {
        json_response(StatusCode::UNAUTHORIZED, json!({"detail": "Incorrect code"}))
    }
}

async fn list_tokens(State(s): State<Shared>, headers: HeaderMap, uri: Uri, Query(q): Query<Value>) -> Response {
    hit(&s, "GET /v2/access-tokens", &headers);
    if let Some(r) = missing_bearer(&headers) {
        return r;
    }
    let mut page = page_of(&uri, &headers, &q, 7, |i| access_token(&format!("uuid-{i}"), &format!("token {i}")));
    page["active_count"] = json!(7);
    json_response(StatusCode::OK, page)
}

async fn create_token(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "POST /v2/access-tokens", &headers);
    if let Some(r) = missing_bearer(&headers) {
        return r;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    match body["token_label"].as_str() {
        Some("") | None => json_response(StatusCode::BAD_REQUEST, json!({"fields": {"token_label": "This field may not be blank."}, "text": "invalid"})),
        Some(label) => {
            let mut token = access_token("uuid-new", label);
            token["token"] = json!("dckr_pat_secret");
            json_response(StatusCode::CREATED, token)
        }
    }
}

async fn get_token(State(s): State<Shared>, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    hit(&s, "GET /v2/access-tokens/{uuid}", &headers);
    if let Some(r) = missing_bearer(&headers) {
        return r;
    }
    if uuid == "missing" {
        return json_response(StatusCode::NOT_FOUND, json!({"detail": "Not found.", "message": "not found"}));
    }
    if uuid == "teapot" {
        return (StatusCode::IM_A_TEAPOT, "short and stout").into_response();
    }
    json_response(StatusCode::OK, access_token(&uuid, "ci"))
}

async fn patch_token(State(s): State<Shared>, headers: HeaderMap, Path(uuid): Path<String>, body: Bytes) -> Response {
    hit(&s, "PATCH /v2/access-tokens/{uuid}", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let mut token = access_token(&uuid, body["token_label"].as_str().unwrap_or("ci"));
    token["is_active"] = body["is_active"].clone();
    json_response(StatusCode::OK, token)
}

async fn delete_token(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "DELETE /v2/access-tokens/{uuid}", &headers);
    StatusCode::NO_CONTENT.into_response()
}

async fn images_summary(State(s): State<Shared>, headers: HeaderMap, Query(q): Query<Value>) -> Response {
    hit(&s, "GET images-summary", &headers);
    json_response(StatusCode::OK, json!({"active_from": q.get("active_from").cloned().unwrap_or(json!("2021-01-25T14:25:37Z")), "statistics": {"total": 3, "active": 2, "inactive": 1}}))
}

async fn list_images(State(s): State<Shared>, headers: HeaderMap, uri: Uri, Path((namespace, _)): Path<(String, String)>, Query(q): Query<Value>) -> Response {
    hit(&s, "GET images", &headers);
    if namespace == "free" {
        return json_response(StatusCode::FORBIDDEN, json!({"txnid": "t1", "message": "this API is only available to users on Pro or Team plans", "errinfo": {"api_call_name": "GetImages"}}));
    }
    let status = q.get("status").and_then(|v| v.as_str()).unwrap_or("active").to_owned();
    json_response(
        StatusCode::OK,
        page_of(&uri, &headers, &q, 3, |i| json!({"namespace": namespace, "repository": "app", "digest": format!("sha256:{i}"), "tags": [{"tag": "latest", "is_current": true}], "last_pushed": null, "last_pulled": null, "status": status})),
    )
}

async fn image_tags(State(s): State<Shared>, headers: HeaderMap, uri: Uri, Query(q): Query<Value>) -> Response {
    hit(&s, "GET image tags", &headers);
    json_response(StatusCode::OK, page_of(&uri, &headers, &q, 2, |i| json!({"tag": format!("v{i}"), "is_current": i == 0})))
}

async fn delete_images(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "POST delete-images", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let warning = json!({"repository": "app", "digest": "sha256:0", "warning": "current_tag", "tags": ["latest"]});
    let ignored = body["ignore_warnings"].as_array().is_some_and(|w| w.contains(&warning));
    if ignored {
        json_response(StatusCode::OK, json!({"dry_run": body["dry_run"], "metrics": {"manifest_deletes": 1, "manifest_errors": 0, "tag_deletes": 1, "tag_errors": 0}}))
    } else {
        json_response(
            StatusCode::BAD_REQUEST,
            json!({"txnid": "t2", "message": "deletion not possible", "errinfo": {"type": "validation", "details": {"errors": [], "warnings": [warning]}}}),
        )
    }
}

async fn audit_logs(State(s): State<Shared>, headers: HeaderMap, Query(q): Query<Value>) -> Response {
    hit(&s, "GET /v2/auditlogs/{account}", &headers);
    let page = q.get("page").and_then(|v| v.as_str()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1);
    let logs: Vec<Value> = if page <= 3 {
        (0..2).map(|i| json!({"account": "docker", "action": "repo.tag.push", "name": "docker/example", "actor": "docker", "data": {"tag": format!("p{page}-{i}")}, "timestamp": "2021-02-19T01:34:35Z", "action_description": "pushed"})).collect()
    } else {
        Vec::new()
    };
    json_response(StatusCode::OK, json!({"logs": logs}))
}

async fn audit_actions(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "GET /v2/auditlogs/{account}/actions", &headers);
    let limited = {
        let mut state = s.lock().expect("stub state");
        let limited = state.rate_limited > 0;
        state.rate_limited = state.rate_limited.saturating_sub(1);
        limited
    };
    if limited {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, json!({"detail": "Rate limit exceeded", "error": false}));
        response.headers_mut().insert("x-retry-after", HeaderValue::from_str(&now.to_string()).expect("header"));
        response.headers_mut().insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        return response;
    }
    json_response(StatusCode::OK, json!({"actions": {"repo": {"actions": [{"name": "create", "description": "contains repository create events", "label": "Repository Created"}], "label": "Repository"}}}))
}

async fn org_settings(State(s): State<Shared>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    hit(&s, "GET /v2/orgs/{name}/settings", &headers);
    if name == "nobody" {
        return json_response(StatusCode::NOT_FOUND, json!({"detail": "Not found.", "message": "not found"}));
    }
    json_response(StatusCode::OK, json!({"restricted_images": {"enabled": true, "allow_official_images": true, "allow_verified_publishers": false}}))
}

async fn put_org_settings(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "PUT /v2/orgs/{name}/settings", &headers);
    if bearer(&headers).as_deref() != Some("jwt-alice") {
        return json_response(StatusCode::FORBIDDEN, json!({"detail": "Only owners can change settings.", "message": "forbidden"}));
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    json_response(StatusCode::OK, body)
}

async fn list_tags(State(s): State<Shared>, headers: HeaderMap, uri: Uri, Query(q): Query<Value>) -> Response {
    hit(&s, "GET tags", &headers);
    json_response(StatusCode::OK, page_of(&uri, &headers, &q, 5, |i| tag(&format!("v{i}"))))
}

async fn head_tags(State(s): State<Shared>, headers: HeaderMap, Path((_, repository)): Path<(String, String)>) -> Response {
    hit(&s, "HEAD tags", &headers);
    if repository == "empty" { StatusCode::NOT_FOUND.into_response() } else { StatusCode::OK.into_response() }
}

async fn get_tag(State(s): State<Shared>, headers: HeaderMap, Path((_, _, name)): Path<(String, String, String)>) -> Response {
    hit(&s, "GET tag", &headers);
    if name == "missing" {
        return json_response(StatusCode::NOT_FOUND, json!({"detail": "Not found.", "message": "tag not found"}));
    }
    json_response(StatusCode::OK, tag(&name))
}

async fn head_tag(State(s): State<Shared>, headers: HeaderMap, Path((_, _, name)): Path<(String, String, String)>) -> Response {
    hit(&s, "HEAD tag", &headers);
    match name.as_str() {
        "missing" => StatusCode::NOT_FOUND.into_response(),
        "private" => StatusCode::FORBIDDEN.into_response(),
        _ => StatusCode::OK.into_response(),
    }
}

async fn scim_config(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "GET ServiceProviderConfig", &headers);
    if bearer(&headers).as_deref() != Some("scim-token") {
        return scim(StatusCode::UNAUTHORIZED, scim_error(401, "Bearer token required"));
    }
    scim(StatusCode::OK, json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"], "documentationUri": "", "patch": {"supported": false},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0}, "filter": {"supported": true, "maxResults": 99999}, "changePassword": {"supported": false},
        "sort": {"supported": true}, "etag": {"supported": false}, "authenticationSchemes": {"name": "OAuth 2.0 Bearer Token", "description": "bearer", "specUri": "http://tools.ietf.org/html/rfc6750", "type": "oauthbearertoken"}}))
}

fn resource_type() -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User", "description": "User", "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User"})
}

async fn scim_resource_types(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "GET ResourceTypes", &headers);
    scim(StatusCode::OK, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1, "Resources": [resource_type()]}))
}

async fn scim_resource_type(State(s): State<Shared>, headers: HeaderMap, Path(name): Path<String>) -> Response {
    hit(&s, "GET ResourceTypes/{name}", &headers);
    if name != "User" {
        return scim(StatusCode::NOT_FOUND, scim_error(404, "Resource type not found"));
    }
    scim(StatusCode::OK, resource_type())
}

fn schema() -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": "urn:ietf:params:scim:schemas:core:2.0:User", "name": "User", "description": "User Account",
           "attributes": [{"name": "userName", "type": "string", "multiValued": false, "description": "Unique identifier", "required": true, "caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "server", "subAttributes": []}]})
}

async fn scim_schemas(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "GET Schemas", &headers);
    scim(StatusCode::OK, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1, "Resources": [schema()]}))
}

async fn scim_schema(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "GET Schemas/{id}", &headers);
    scim(StatusCode::OK, schema())
}

async fn scim_users(State(s): State<Shared>, headers: HeaderMap, Query(q): Query<Value>) -> Response {
    hit(&s, "GET Users", &headers);
    if q.get("filter").and_then(|v| v.as_str()) == Some("userName zz") {
        let mut error = scim_error(400, "Invalid filter");
        error["scimType"] = json!("invalidFilter");
        return scim(StatusCode::BAD_REQUEST, error);
    }
    let start = q.get("startIndex").and_then(|v| v.as_str()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).max(1);
    let count = q.get("count").and_then(|v| v.as_str()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(10);
    let total = 5;
    let resources: Vec<Value> = (start..=total).take(count).map(|i| scim_user(&format!("u{i}"), &format!("user{i}@example.com"))).collect();
    scim(StatusCode::OK, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": total, "startIndex": start, "itemsPerPage": resources.len(), "Resources": resources}))
}

async fn scim_create_user(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "POST Users", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    match body["userName"].as_str() {
        Some("taken@example.com") => scim(StatusCode::CONFLICT, scim_error(409, "User already exists")),
        Some(name) => scim(StatusCode::CREATED, scim_user("u-new", name)),
        None => scim(StatusCode::BAD_REQUEST, scim_error(400, "userName required")),
    }
}

async fn scim_get_user(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    hit(&s, "GET Users/{id}", &headers);
    scim(StatusCode::OK, scim_user(&id, "jon.snow@docker.com"))
}

async fn scim_put_user(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Response {
    hit(&s, "PUT Users/{id}", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let mut user = scim_user(&id, "jon.snow@docker.com");
    user["active"] = body.get("active").cloned().unwrap_or(json!(false));
    scim(StatusCode::OK, user)
}

async fn v1_user_repo(State(s): State<Shared>, method: Method, headers: HeaderMap, Path((a, b)): Path<(String, String)>) -> Response {
    v1_repository(&s, &format!("{method} /v1/repositories/{{namespace}}/{{repo_name}}/"), &method, &headers, format!("{a}/{b}"))
}

async fn v1_library_repo(State(s): State<Shared>, method: Method, headers: HeaderMap, Path(a): Path<String>) -> Response {
    v1_repository(&s, &format!("{method} /v1/repositories/{{repo_name}}/"), &method, &headers, format!("library/{a}"))
}

async fn v1_user_images(State(s): State<Shared>, method: Method, headers: HeaderMap) -> Response {
    v1_images(&s, &format!("{method} /v1/repositories/{{namespace}}/{{repo_name}}/images"), &method, &headers)
}

async fn v1_library_images(State(s): State<Shared>, method: Method, headers: HeaderMap) -> Response {
    v1_images(&s, &format!("{method} /v1/repositories/{{repo_name}}/images"), &method, &headers)
}

fn v1_images(s: &Shared, what: &str, method: &Method, headers: &HeaderMap) -> Response {
    hit(s, what, headers);
    if *method == Method::GET {
        return json_response(StatusCode::OK, images_v1());
    }
    if basic_user(headers).is_none() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn v1_library_auth(State(s): State<Shared>, headers: HeaderMap, Path(a): Path<String>) -> Response {
    v1_auth(&s, "PUT /v1/repositories/{repo_name}/auth", &headers, format!("library/{a}"))
}

async fn v1_user_auth(State(s): State<Shared>, headers: HeaderMap, Path((a, b)): Path<(String, String)>) -> Response {
    v1_auth(&s, "PUT /v1/repositories/{namespace}/{repo_name}/auth", &headers, format!("{a}/{b}"))
}

async fn v1_check_login(State(s): State<Shared>, headers: HeaderMap) -> Response {
    hit(&s, "GET /v1/users/", &headers);
    match basic_user(&headers) {
        Some(_) => text(StatusCode::OK, "OK"),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

async fn v1_register(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    hit(&s, "POST /v1/users/", &headers);
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    if body["username"].as_str().is_some_and(|u| u.len() >= 4) {
        text(StatusCode::CREATED, "\"User Created\"")
    } else {
        StatusCode::BAD_REQUEST.into_response()
    }
}

async fn v1_update_user(State(s): State<Shared>, headers: HeaderMap, Path(a): Path<String>) -> Response {
    hit(&s, "PUT /v1/users/{username}/", &headers);
    if a != "alice" {
        return StatusCode::NOT_FOUND.into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}
