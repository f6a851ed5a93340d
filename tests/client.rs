//! The generated `dockerhub-client` against a real HTTP server on loopback (axum, `tests/support/hub_stub.rs`):
//! every operation, typed errors, pagination, 429 retries, 2FA login, the v1 token handshake and the
//! credential guards. Real reqwest, real sockets, nothing mocked.

use std::time::Duration;

use dockerhub_client::{v1, v2, ApiClient, ClientBuilder, Credentials, Error, RetryPolicy};
use dockerhub_models::{v1 as m1, v2 as m2};
use futures_util::TryStreamExt;
use tests::hub_stub;

fn client<C: ApiClient>(builder: ClientBuilder<C>, base_url: &str) -> C {
    builder.base_url(base_url).timeout(Duration::from_secs(10)).user_agent("dockerhub-client-tests").build().expect("client builds")
}

async fn logged_in(base_url: &str) -> v2::Client {
    let hub = client(v2::Client::builder(), base_url);
    match hub.login("alice", "hunter2").await.expect("alice logs in") {
        v2::LoginOutcome::Authenticated(token) => assert_eq!(token.token.as_deref(), Some("jwt-alice")),
        other => panic!("expected a session, got {other:?}"),
    }
    hub
}

#[tokio::test]
async fn every_v2_operation_succeeds() {
    let stub = hub_stub::start().await;
    let hub = logged_in(&stub.base_url).await;

    let page = hub.list_access_tokens(v2::ListAccessTokensParams { page: Some(1.0), page_size: Some(5.0) }).await.expect("list tokens");
    assert_eq!((page.count, page.results.map(|r| r.len())), (Some(7.0), Some(5)));
    let created = hub
        .create_access_token(&m2::CreateAccessTokenRequest { token_label: "ci".into(), scopes: vec!["repo:read".into()], expires_at: None, additional_properties: Default::default() })
        .await
        .expect("create token");
    assert_eq!(created.token.as_deref(), Some("dckr_pat_secret"));
    assert_eq!(hub.get_access_token("uuid-1").await.expect("get token").uuid.as_deref(), Some("uuid-1"));
    let patched = hub
        .update_access_token("uuid-1", &m2::PatchAccessTokenRequest { token_label: Some("renamed".into()), is_active: Some(false), additional_properties: Default::default() })
        .await
        .expect("patch token");
    assert_eq!((patched.token_label.as_deref(), patched.is_active), (Some("renamed"), Some(false)));
    hub.delete_access_token("uuid-1").await.expect("delete token");

    let logs = hub.list_audit_logs("docker", v2::ListAuditLogsParams::default()).await.expect("audit logs");
    assert_eq!(logs.logs.map(|l| l.len()), Some(2));
    let actions = hub.list_audit_actions("docker").await.expect("audit actions");
    assert!(actions.actions.is_some_and(|a| a.contains_key("repo")));

    let settings = hub.get_org_settings("acme").await.expect("org settings");
    assert_eq!(settings.restricted_images.and_then(|r| r.enabled), Some(true));
    let update = m2::UpdateOrgSettingsRequest {
        restricted_images: m2::UpdateOrgSettingsRequestRestrictedImages { enabled: true, allow_official_images: false, allow_verified_publishers: true, additional_properties: Default::default() },
        additional_properties: Default::default(),
    };
    let updated = hub.update_org_settings("acme", &update).await.expect("update settings");
    assert_eq!(updated.restricted_images.and_then(|r| r.allow_verified_publishers), Some(true));

    let tags = hub.list_repository_tags("library", "ubuntu", v2::ListRepositoryTagsParams::default()).await.expect("tags");
    assert_eq!(tags.count, Some(5));
    assert!(hub.check_repository_tags("library", "ubuntu").await.expect("head tags"));
    assert!(!hub.check_repository_tags("library", "empty").await.expect("head tags of an empty repository"), "404 is false");
    let latest = hub.get_repository_tag("library", "ubuntu", "latest").await.expect("tag");
    assert_eq!(latest.images.unwrap_or_default().first().and_then(|i| i.architecture.as_deref()), Some("amd64"));
    assert!(hub.check_repository_tag("library", "ubuntu", "latest").await.expect("head tag"));
    assert!(!hub.check_repository_tag("library", "ubuntu", "missing").await.expect("head missing tag"));

    // SCIM, with its own bearer token.
    hub.set_credentials(Credentials::Bearer("scim-token".into()));
    let config = hub.get_service_provider_config().await.expect("scim config");
    assert_eq!(config.filter.and_then(|f| f.supported), Some(true));
    assert_eq!(hub.list_resource_types().await.expect("resource types").total_results, Some(1));
    assert_eq!(hub.get_resource_type("User").await.expect("resource type").endpoint.as_deref(), Some("/Users"));
    assert_eq!(hub.list_schemas().await.expect("schemas").resources.map(|r| r.len()), Some(1));
    assert_eq!(hub.get_schema("urn:ietf:params:scim:schemas:core:2.0:User").await.expect("schema").name.as_deref(), Some("User"));
    let users = hub.list_users(v2::ListUsersParams { count: Some(2), sort_order: Some(m2::ListUsersSortOrder::Ascending), ..Default::default() }).await.expect("users");
    assert_eq!((users.total_results, users.resources.map(|r| r.len())), (Some(5), Some(2)));
    let new_user = m2::ScimCreateUserRequest {
        schemas: vec!["urn:ietf:params:scim:schemas:core:2.0:User".into()],
        user_name: "arya@example.com".into(),
        name: None,
        additional_properties: Default::default(),
    };
    assert_eq!(hub.create_user(&new_user).await.expect("create user").user_name.as_deref(), Some("arya@example.com"));
    assert_eq!(hub.get_user("u1").await.expect("get user").id.as_deref(), Some("u1"));
    let update = m2::ScimUpdateUserRequest { schemas: vec!["urn:ietf:params:scim:schemas:core:2.0:User".into()], name: None, active: Some(true), additional_properties: Default::default() };
    assert_eq!(hub.update_user("u1", &update).await.expect("update user").active, Some(true));

    hub.login_2fa("pending-bob", "123456").await.expect("second-factor login");

    let hits = stub.state.lock().expect("stub state").hits.clone();
    let v2_hits = hits.iter().filter(|h| !h.contains("/v1/")).count();
    assert_eq!(v2_hits, 24, "every v2 route of the stub was called: {hits:#?}");
}

#[tokio::test]
async fn every_v1_operation_succeeds_and_the_token_handshake_works() {
    let stub = hub_stub::start().await;
    let index = client(v1::Client::builder(), &stub.base_url);
    index.set_credentials(Credentials::Basic { username: "alice".into(), password: "toto42".into() });
    let images = vec![m1::Image { id: "9e89cc6f0bc3".into(), checksum: None, additional_properties: Default::default() }];

    // Asking for a token: the client keeps what X-Docker-Token gives and exposes the endpoints.
    let created = index
        .create_user_repository("foo", "bar", &images, v1::CreateUserRepositoryParams { x_docker_token: Some(true) })
        .await
        .expect("create user repository");
    assert_eq!(created.body, "");
    assert_eq!(created.x_docker_endpoints.as_deref(), Some("registry-1.docker.io, registry-2.docker.io"));
    assert_eq!(created.x_docker_token.as_deref(), Some("signature=123abc,repository=\"foo/bar\",access=write"));
    // The auth route takes the `Token` credential, not Basic.
    assert_eq!(index.authorize_user_repository_token("foo", "bar").await.expect("authorize with the issued token"), "OK");
    let sent = stub.state.lock().expect("stub state").authorizations.last().cloned();
    assert_eq!(sent.as_deref(), Some("Token signature=123abc,repository=\"foo/bar\",access=write"));

    match index.delete_user_repository("foo", "bar", v1::DeleteUserRepositoryParams { x_docker_token: Some(true) }).await.expect("delete") {
        v1::DeleteUserRepositoryOutput::Accepted { x_docker_token, .. } => assert!(x_docker_token.is_some_and(|t| t.ends_with("access=delete"))),
        other => panic!("expected 202 Accepted, got {other:?}"),
    }
    index.create_library_repository("foobar", &images, v1::CreateLibraryRepositoryParams { x_docker_token: Some(true) }).await.expect("create library repository");
    assert_eq!(index.authorize_library_repository_token("foobar").await.expect("authorize library"), "OK");
    index.delete_library_repository("foobar", v1::DeleteLibraryRepositoryParams::default()).await.expect("delete library repository");

    index.update_user_repository_images("foo", "bar", &images).await.expect("update user images");
    assert_eq!(index.list_user_repository_images("foo", "bar").await.expect("user images").len(), 2);
    index.update_library_repository_images("foobar", &images).await.expect("update library images");
    assert_eq!(index.list_library_repository_images("foobar").await.expect("library images")[1].checksum.as_deref(), Some("34t23f23fc17"));

    assert_eq!(index.check_login().await.expect("login check answers an unquoted OK"), "OK");
    let registration = m1::UserRegistration { email: "sam@docker.com".into(), password: "toto42".into(), username: "foobar".into(), additional_properties: Default::default() };
    assert_eq!(index.register_user(&registration).await.expect("register"), "User Created");
    index.update_user("alice", &m1::UserUpdate { email: Some("sam@docker.com".into()), password: None, additional_properties: Default::default() }).await.expect("update user");

    let hits = stub.state.lock().expect("stub state").hits.clone();
    assert_eq!(hits.iter().filter(|h| h.contains("/v1/")).count(), 13, "every v1 operation was called: {hits:#?}");
}

#[tokio::test]
async fn documented_errors_arrive_typed_with_their_bodies() {
    let stub = hub_stub::start().await;
    let anonymous = client(v2::Client::builder(), &stub.base_url);
    match anonymous.list_access_tokens(v2::ListAccessTokensParams::default()).await {
        Err(Error::Api { status: 401, error: v2::ListAccessTokensError::Unauthorized(body) }) => {
            assert_eq!(body.detail.as_deref(), Some("Authentication credentials were not provided."))
        }
        other => panic!("expected 401 Error body, got {other:?}"),
    }
    let hub = logged_in(&stub.base_url).await;
    match hub.create_access_token(&m2::CreateAccessTokenRequest { token_label: String::new(), scopes: vec![], expires_at: None, additional_properties: Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::CreateAccessTokenError::BadRequest(body) }) => {
            assert_eq!(body.fields.and_then(|f| f.get("token_label").cloned()), Some(serde_json::json!("This field may not be blank.")))
        }
        other => panic!("expected 400 ValueError, got {other:?}"),
    }
    match hub.get_access_token("missing").await {
        Err(Error::Api { status: 404, error: v2::GetAccessTokenError::NotFound(body) }) => assert_eq!(body.message.as_deref(), Some("not found")),
        other => panic!("expected 404, got {other:?}"),
    }
    match hub.check_repository_tag("library", "ubuntu", "private").await {
        Err(Error::Api { status: 403, error: v2::CheckRepositoryTagError::Forbidden }) => {}
        other => panic!("expected 403 for a HEAD, got {other:?}"),
    }
    match hub.get_access_token("teapot").await {
        Err(Error::UnexpectedStatus { status: 418, body }) => assert_eq!(body, "short and stout"),
        other => panic!("an undocumented status keeps its code and body, got {other:?}"),
    }

    hub.set_credentials(Credentials::Bearer("scim-token".into()));
    match hub.list_users(v2::ListUsersParams { filter: Some("userName zz".into()), ..Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::ListUsersError::BadRequest(body) }) => assert_eq!(body.scim_type.as_deref(), Some("invalidFilter")),
        other => panic!("expected the SCIM 400 with scimType, got {other:?}"),
    }
    let taken = m2::ScimCreateUserRequest { schemas: vec!["urn:ietf:params:scim:schemas:core:2.0:User".into()], user_name: "taken@example.com".into(), name: None, additional_properties: Default::default() };
    match hub.create_user(&taken).await {
        Err(Error::Api { status: 409, error: v2::CreateUserError::Conflict(body) }) => assert_eq!(body.status.as_deref(), Some("409")),
        other => panic!("expected the SCIM 409, got {other:?}"),
    }
    match hub.get_resource_type("Group").await {
        Err(Error::Api { status: 404, error: v2::GetResourceTypeError::NotFound(body) }) => assert_eq!(body.detail.as_deref(), Some("Resource type not found")),
        other => panic!("expected the SCIM 404, got {other:?}"),
    }
    let index = client(v1::Client::builder(), &stub.base_url);
    match index.authorize_user_repository_token("foo", "bar").await {
        Err(Error::Api { status: 403, error: v1::AuthorizeUserRepositoryTokenError::Forbidden }) => {}
        other => panic!("expected the v1 403, got {other:?}"),
    }
}

#[tokio::test]
async fn listings_stream_across_pages() {
    let stub = hub_stub::start().await;
    let hub = logged_in(&stub.base_url).await;
    let tokens: Vec<m2::AccessToken> = hub.list_access_tokens_stream(v2::ListAccessTokensParams { page: None, page_size: Some(2.0) }).try_collect().await.expect("all tokens");
    assert_eq!(tokens.len(), 7, "four pages of two, following `next` links");
    assert_eq!(tokens.iter().filter_map(|t| t.uuid.clone()).collect::<Vec<_>>(), (0..7).map(|i| format!("uuid-{i}")).collect::<Vec<_>>());
    let logs: Vec<m2::AuditLog> = hub.list_audit_logs_stream("docker", v2::ListAuditLogsParams::default()).try_collect().await.expect("all logs");
    assert_eq!(logs.len(), 6, "three pages by number, then an empty page");
    let tags: Vec<m2::Tag> = hub.list_repository_tags_stream("library", "ubuntu", v2::ListRepositoryTagsParams { page: None, page_size: Some(1000) }).try_collect().await.expect("tags");
    assert_eq!(tags.len(), 5);
    hub.set_credentials(Credentials::Bearer("scim-token".into()));
    let users: Vec<m2::ScimUser> = hub.list_users_stream(v2::ListUsersParams { count: Some(2), ..Default::default() }).try_collect().await.expect("users");
    assert_eq!(users.iter().filter_map(|u| u.id.clone()).collect::<Vec<_>>(), ["u1", "u2", "u3", "u4", "u5"], "startIndex/count pages");
}

#[tokio::test]
async fn a_429_is_retried_after_the_retry_time_and_rate_limits_are_readable() {
    let stub = hub_stub::start().await;
    let hub = logged_in(&stub.base_url).await;
    stub.state.lock().expect("stub state").rate_limited = 1;
    hub.list_audit_actions("docker").await.expect("succeeds after one 429");
    let limit = hub.rate_limit().expect("rate-limit headers were read");
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(180), Some(179), Some(1_700_000_000)));

    let impatient = client(v2::Client::builder().retry_policy(RetryPolicy::never()), &stub.base_url);
    stub.state.lock().expect("stub state").rate_limited = 1;
    match impatient.list_audit_actions("docker").await {
        Err(Error::Api { status: 429, error: v2::ListAuditActionsError::TooManyRequests(body) }) => assert_eq!(body["detail"], "Rate limit exceeded"),
        other => panic!("with retries off the documented 429 comes back, got {other:?}"),
    }
    assert_eq!(impatient.rate_limit().and_then(|l| l.remaining), Some(0));
}

#[tokio::test]
async fn two_factor_login_completes_with_the_second_call() {
    let stub = hub_stub::start().await;
    let hub = client(v2::Client::builder(), &stub.base_url);
    let challenge = match hub.login("bob", "hunter2").await.expect("login answers") {
        v2::LoginOutcome::SecondFactorRequired(challenge) => challenge,
        other => panic!("bob has 2FA, got {other:?}"),
    };
    assert!(!format!("{challenge:?}").contains("pending-bob"), "the 2FA token is redacted in Debug");
    let pending = challenge.login_2fa_token.flatten().expect("the challenge carries the 2FA token");
    match hub.login_2fa(&pending, "000000").await {
        Err(Error::Api { status: 401, .. }) => {}
        other => panic!("a wrong code is refused, got {other:?}"),
    }
    hub.login_2fa(&pending, "123456").await.expect("the right code completes the login");
    hub.list_access_tokens(v2::ListAccessTokensParams::default()).await.expect("the session token is used");
    let last = stub.state.lock().expect("stub state").authorizations.last().cloned();
    assert_eq!(last.as_deref(), Some("Bearer jwt-bob"));
    match hub.login("alice", "wrong").await {
        Err(Error::Api { status: 401, error: v2::LoginError::Unauthorized(body) }) => assert_eq!(body.detail, "Incorrect authentication credentials"),
        other => panic!("wrong password is an error, got {other:?}"),
    }
}

#[tokio::test]
async fn credentials_stay_out_of_debug_and_off_plain_http() {
    let stub = hub_stub::start().await;
    let hub = logged_in(&stub.base_url).await;
    hub.set_credentials(Credentials::Basic { username: "alice".into(), password: "basic-secret".into() });
    let shown = format!("{hub:?} {:?} {:?}", Credentials::Bearer("bearer-secret".into()), Credentials::Token("token-secret".into()));
    for secret in ["jwt-alice", "basic-secret", "bearer-secret", "token-secret"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    let error = hub.get_access_token("missing").await.expect_err("404");
    assert!(!format!("{error} {error:?}").contains("jwt-alice"));

    // Plain HTTP to a host that is not loopback: refused before anything is sent.
    let remote = v2::Client::builder().base_url("http://hub.example.invalid").build().expect("client builds");
    remote.set_credentials(Credentials::Bearer("remote-secret".into()));
    match remote.list_access_tokens(v2::ListAccessTokensParams::default()).await {
        Err(Error::InsecureCredentials { url }) => assert!(url.starts_with("http://hub.example.invalid/v2/access-tokens")),
        other => panic!("expected the plain-HTTP guard, got {other:?}"),
    }
    // Without credentials nothing is refused (the request then fails to resolve the host).
    remote.clear_credentials();
    assert!(!matches!(remote.list_access_tokens(v2::ListAccessTokensParams::default()).await, Err(Error::InsecureCredentials { .. })));
}

/// Tags every request for tracing.
struct TraceId(&'static str);

impl dockerhub_client::Hook for TraceId {
    fn before_send<'a>(&'a self, request: &'a mut dockerhub_client::reqwest::Request) -> dockerhub_client::HookFuture<'a, ()> {
        Box::pin(async move {
            request.headers_mut().insert("x-trace-id", self.0.parse()?);
            Ok(())
        })
    }
}

/// Presents its token on every request; on a 401 it takes the next token and asks for a retry.
struct RefreshingToken(std::sync::Mutex<Vec<&'static str>>);

impl dockerhub_client::Hook for RefreshingToken {
    fn before_send<'a>(&'a self, request: &'a mut dockerhub_client::reqwest::Request) -> dockerhub_client::HookFuture<'a, ()> {
        Box::pin(async move {
            let token = self.0.lock().map_err(|_| "poisoned")?.last().copied().unwrap_or_default();
            request.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
            Ok(())
        })
    }

    fn after_receive<'a>(&'a self, _request: &'a dockerhub_client::reqwest::Request, response: &'a dockerhub_client::Response) -> dockerhub_client::HookFuture<'a, dockerhub_client::AfterReceive> {
        Box::pin(async move {
            if response.status() != 401 {
                return Ok(dockerhub_client::AfterReceive::Done);
            }
            let mut tokens = self.0.lock().map_err(|_| "poisoned")?;
            tokens.pop();
            Ok(if tokens.is_empty() { dockerhub_client::AfterReceive::Done } else { dockerhub_client::AfterReceive::Retry })
        })
    }
}

#[tokio::test]
async fn hooks_trace_every_request_and_refresh_an_expired_token() {
    // A server that wants the trace header and the fresh token, and counts what it saw.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(Option<String>, Option<String>)>::new()));
    let recorded = seen.clone();
    let app = axum::Router::new().route(
        "/v2/orgs/{name}/settings",
        axum::routing::get(move |headers: axum::http::HeaderMap| {
            let recorded = recorded.clone();
            async move {
                let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let (trace, auth) = (text("x-trace-id"), text("authorization"));
                recorded.lock().expect("lock").push((trace.clone(), auth.clone()));
                match auth.as_deref() {
                    Some("Bearer fresh") => (axum::http::StatusCode::OK, axum::Json(serde_json::json!({"restricted_images": {"enabled": true}}))),
                    _ => (axum::http::StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({"detail": "token expired"}))),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let hub = client(v2::Client::builder().hook(TraceId("t-42")).hook(RefreshingToken(std::sync::Mutex::new(vec!["fresh", "expired"]))), &base);
    let settings = hub.get_org_settings("acme").await.expect("the retried call succeeds");
    assert_eq!(settings.restricted_images.and_then(|r| r.enabled), Some(true));
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        vec![(Some("t-42".into()), Some("Bearer expired".into())), (Some("t-42".into()), Some("Bearer fresh".into()))],
        "the first attempt had the expired token, the retry the fresh one, both traced"
    );

    // Out of tokens: the hook stops retrying and the 401 reaches the caller, typed.
    let stale = client(v2::Client::builder().hook(RefreshingToken(std::sync::Mutex::new(vec!["expired"]))), &base);
    assert!(matches!(stale.get_org_settings("acme").await, Err(Error::Api { status: 401, .. })));
}
