//! Personal access tokens: create (secret shown once), list by pages with absolute links, get,
//! patch, delete, and the documented 400, 401 and 404 answers.

use dockerhub_client::{v2, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ALICE, CAROL};
use futures_util::TryStreamExt;

use crate::support::start;

fn request(label: &str, scopes: &[&str]) -> m::CreateAccessTokenRequest {
    m::CreateAccessTokenRequest { token_label: label.into(), scopes: scopes.iter().map(|s| (*s).to_owned()).collect(), expires_at: None, additional_properties: Default::default() }
}

#[tokio::test]
async fn tokens_are_shown_once_and_managed_by_their_owner() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let created = alice.create_access_token(&request("laptop", &["repo:write"])).await.expect("create");
    assert_eq!((created.token_label.as_deref(), created.is_active, created.scopes.as_deref()), (Some("laptop"), Some(true), Some(&["repo:write".to_owned()][..])));
    assert!(created.token.as_deref().is_some_and(|t| t.starts_with("dckr_pat_") && t.len() > 30), "the secret is in the create answer");
    assert_eq!(created.last_used, Some(None), "never used: `last_used: null`");
    let uuid = created.uuid.clone().expect("a uuid");

    let fetched = alice.get_access_token(&uuid).await.expect("get");
    assert_eq!(fetched.token, None, "the secret is never shown again");
    assert_eq!(fetched.token_label.as_deref(), Some("laptop"));
    assert_eq!((fetched.creator_ua.as_deref(), fetched.creator_ip.as_deref()), (Some(crate::support::USER_AGENT), Some("127.0.0.1")), "who created it is recorded");
    let listed = alice.list_access_tokens(v2::ListAccessTokensParams::default()).await.expect("list");
    assert!(listed.results.unwrap_or_default().iter().all(|t| t.token.is_none()), "nor in listings");

    // Using it as a password records its last use.
    hub.login_with(ALICE.username, created.token.as_deref().unwrap_or_default()).await;
    assert!(alice.get_access_token(&uuid).await.expect("get").last_used.is_some());

    let renamed = alice.update_access_token(&uuid, &m::PatchAccessTokenRequest { token_label: Some("old laptop".into()), is_active: Some(false), additional_properties: Default::default() }).await.expect("patch");
    assert_eq!((renamed.token_label.as_deref(), renamed.is_active), (Some("old laptop"), Some(false)));
    let listed = alice.list_access_tokens(v2::ListAccessTokensParams::default()).await.expect("list");
    assert_eq!((listed.count, listed.active_count), (Some(1.0), Some(0.0)));

    // Another user sees none of it.
    let carol = hub.login(CAROL).await;
    match carol.get_access_token(&uuid).await {
        Err(Error::Api { status: 404, error: v2::GetAccessTokenError::NotFound(body) }) => assert_eq!(body.detail.as_deref(), Some("access token not found")),
        other => panic!("someone else's token is not found, got {other:?}"),
    }
    assert!(matches!(carol.delete_access_token(&uuid).await, Err(Error::Api { status: 404, .. })));
    assert_eq!(carol.list_access_tokens(v2::ListAccessTokensParams::default()).await.expect("carol's list").count, Some(0.0));

    alice.delete_access_token(&uuid).await.expect("delete");
    match alice.delete_access_token(&uuid).await {
        Err(Error::Api { status: 404, error: v2::DeleteAccessTokenError::NotFound(_) }) => {}
        other => panic!("deleting twice: 404, got {other:?}"),
    }
    assert!(matches!(alice.get_access_token(&uuid).await, Err(Error::Api { status: 404, .. })));
}

#[tokio::test]
async fn invalid_tokens_requests_get_field_errors() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let field_error = |result: Result<m::AccessToken, Error<v2::CreateAccessTokenError>>, field: &str| match result {
        Err(Error::Api { status: 400, error: v2::CreateAccessTokenError::BadRequest(body) }) => {
            let fields = body.fields.unwrap_or_default();
            assert!(fields.contains_key(field), "the error names {field}: {fields:?}");
            assert!(body.text.unwrap_or_default().starts_with(&format!("body.{field}: ")));
        }
        other => panic!("expected a 400 naming {field}, got {other:?}"),
    };
    field_error(alice.create_access_token(&request("  ", &["repo:read"])).await, "token_label");
    field_error(alice.create_access_token(&request(&"x".repeat(101), &["repo:read"])).await, "token_label");
    field_error(alice.create_access_token(&request("ci", &[])).await, "scopes");
    field_error(alice.create_access_token(&request("ci", &["repo:everything"])).await, "scopes");

    match alice.update_access_token("no-such-token", &m::PatchAccessTokenRequest { token_label: Some("x".into()), is_active: None, additional_properties: Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::UpdateAccessTokenError::BadRequest(body) }) => assert!(body.fields.unwrap_or_default().contains_key("uuid")),
        other => panic!("patching an unknown token (no 404 documented): 400 naming uuid, got {other:?}"),
    }
    match alice.list_access_tokens(v2::ListAccessTokensParams { page: Some(0.0), page_size: None }).await {
        Err(Error::Api { status: 400, error: v2::ListAccessTokensError::BadRequest(body) }) => assert!(body.fields.unwrap_or_default().contains_key("page")),
        other => panic!("page 0: 400 naming page, got {other:?}"),
    }
    match alice.list_access_tokens(v2::ListAccessTokensParams { page: None, page_size: Some(1000.0) }).await {
        Err(Error::Api { status: 400, error: v2::ListAccessTokensError::BadRequest(body) }) => assert!(body.fields.unwrap_or_default().contains_key("page_size")),
        other => panic!("page_size 1000: 400 naming page_size, got {other:?}"),
    }
    let anonymous = hub.anonymous();
    assert!(matches!(anonymous.create_access_token(&request("ci", &["repo:read"])).await, Err(Error::Api { status: 401, error: v2::CreateAccessTokenError::Unauthorized(_) })));
    assert!(matches!(anonymous.get_access_token("x").await, Err(Error::Api { status: 401, error: v2::GetAccessTokenError::Unauthorized(_) })));
    assert!(matches!(anonymous.update_access_token("x", &m::PatchAccessTokenRequest::default()).await, Err(Error::Api { status: 401, error: v2::UpdateAccessTokenError::Unauthorized(_) })));
    assert!(matches!(anonymous.delete_access_token("x").await, Err(Error::Api { status: 401, error: v2::DeleteAccessTokenError::Unauthorized(_) })));
}

#[tokio::test]
async fn token_listings_page_with_absolute_links_on_the_callers_host() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(alice.create_access_token(&request(&format!("token {i}"), &["repo:read"])).await.expect("create").uuid.expect("uuid"));
    }
    let first = alice.list_access_tokens(v2::ListAccessTokensParams { page: Some(1.0), page_size: Some(3.0) }).await.expect("page 1");
    assert_eq!((first.count, first.previous.clone(), first.results.as_ref().map(Vec::len)), (Some(7.0), Some(None), Some(3)), "the first page says `previous: null`");
    let next = first.next.flatten().expect("a next link");
    assert_eq!(next, format!("{}/v2/access-tokens?page=2&page_size=3", hub.base_url), "absolute, on the host the client called");
    let last = alice.list_access_tokens(v2::ListAccessTokensParams { page: Some(3.0), page_size: Some(3.0) }).await.expect("page 3");
    assert_eq!((last.next, last.results.map(|r| r.len())), (Some(None), Some(1)));
    assert_eq!(last.previous, Some(Some(format!("{}/v2/access-tokens?page=2&page_size=3", hub.base_url))));

    // The stream follows the links: three pages, every token once, newest first.
    let streamed: Vec<m::AccessToken> = alice.list_access_tokens_stream(v2::ListAccessTokensParams { page: None, page_size: Some(3.0) }).try_collect().await.expect("all pages");
    let uuids: Vec<String> = streamed.into_iter().filter_map(|t| t.uuid).collect();
    made.reverse();
    assert_eq!(uuids, made);
}
