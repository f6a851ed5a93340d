//! `POST /v2/auth/token` with each secret Docker documents (a password, a personal access token,
//! an organisation access token) and organisation access tokens themselves: created by owners
//! with resources, scopes and expiry, listed, read, changed and deleted; their sessions act within
//! the organisation and end when the token is deactivated, deleted or expires.

use std::time::Duration;

use dockerhub_client::{v2, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ALICE, BOB, CAROL, ORG};

use crate::support::start;

fn resource(kind: m::OrgAccessTokenResourceType, path: &str, scopes: &[&str]) -> m::OrgAccessTokenResource {
    m::OrgAccessTokenResource { type_: kind, path: path.into(), scopes: scopes.iter().map(|s| (*s).to_owned()).collect(), additional_properties: Default::default() }
}

fn new_token(label: &str, resources: Vec<m::OrgAccessTokenResource>, expires_at: Option<chrono::DateTime<chrono::Utc>>) -> m::CreateOrgAccessTokenRequest {
    m::CreateOrgAccessTokenRequest { label: label.into(), description: Some("for CI".into()), resources: Some(resources), expires_at: Some(expires_at.map(Into::into)), additional_properties: Default::default() }
}

#[tokio::test]
async fn auth_token_takes_a_password_or_a_personal_access_token() {
    let hub = start().await;
    let client = hub.anonymous();
    let answer = client.auth_create_access_token(ALICE.username, ALICE.password).await.expect("a password");
    assert!(answer.access_token.is_some_and(|t| t.split('.').count() == 3), "a JWT");
    client.get_org_settings(ORG).await.expect("the client keeps the token as its bearer");
    match hub.anonymous().auth_create_access_token(ALICE.username, "wrong").await {
        Err(Error::Api { status: 401, error: v2::AuthCreateAccessTokenError::Unauthorized(_) }) => {}
        other => panic!("a wrong password: 401, got {other:?}"),
    }
    // Bob has a second factor: his password does not make a token here, a PAT does.
    assert!(matches!(hub.anonymous().auth_create_access_token(BOB.username, BOB.password).await, Err(Error::Api { status: 401, .. })));
    let alice = hub.login(ALICE).await;
    let pat = alice
        .create_access_token(&m::CreateAccessTokenRequest { token_label: "short".into(), scopes: vec!["repo:read".into()], expires_at: Some((hub.hub.now() + chrono::Duration::hours(1)).into()), additional_properties: Default::default() })
        .await
        .expect("a PAT with an expiry");
    assert!(pat.expires_at.is_some());
    let with_pat = hub.anonymous();
    with_pat.auth_create_access_token(ALICE.username, pat.token.as_deref().unwrap_or_default()).await.expect("a PAT");
    with_pat.get_repository(ORG, "api").await.expect("repo:read reads");
    // Past its expiry the PAT's sessions end, and it makes no more.
    hub.hub.advance_clock(Duration::from_secs(2 * 3600));
    assert!(matches!(with_pat.get_org_settings(ORG).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(hub.anonymous().auth_create_access_token(ALICE.username, pat.token.as_deref().unwrap_or_default()).await, Err(Error::Api { status: 401, .. })));
}

#[tokio::test]
async fn organisation_access_tokens_are_managed_by_owners_and_exchanged_for_bearer_tokens() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let carol = hub.login(CAROL).await;
    let pull = vec![resource(m::OrgAccessTokenResourceType::TypeRepo, "acme/api", &["repo-pull"])];
    let made = alice.create_org_access_token(ORG, &new_token("ci pull", pull.clone(), None)).await.expect("an owner creates");
    let secret = made.token.clone().expect("the secret, once");
    assert!(secret.starts_with("dckr_oat_"));
    assert_eq!((made.created_by.as_deref(), made.is_active, made.resources.clone()), (Some("alice"), Some(true), Some(pull.clone())));
    let id = made.id.clone().expect("an id");

    for (bad, why) in [
        (new_token("x", vec![], None), "no resource"),
        (new_token("x", vec![resource(m::OrgAccessTokenResourceType::TypeRepo, "other/api", &["repo-pull"])], None), "another organisation's repository"),
        (new_token("x", vec![resource(m::OrgAccessTokenResourceType::TypeRepo, "acme/api", &["repo:admin"])], None), "not a repository scope"),
        (new_token(" ", pull.clone(), None), "a blank label"),
        (new_token("x", pull.clone(), Some(hub.hub.now() - chrono::Duration::hours(1))), "expired already"),
    ] {
        assert!(matches!(alice.create_org_access_token(ORG, &bad).await, Err(Error::Api { status: 400, error: v2::CreateOrgAccessTokenError::BadRequest(_) })), "{why}");
    }
    assert!(matches!(carol.create_org_access_token(ORG, &new_token("x", pull.clone(), None)).await, Err(Error::Api { status: 403, .. })), "members do not");
    assert!(matches!(hub.anonymous().create_org_access_token(ORG, &new_token("x", pull.clone(), None)).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(alice.create_org_access_token("nobody-here", &new_token("x", pull.clone(), None)).await, Err(Error::Api { status: 404, .. })));

    let listed = alice.list_org_access_tokens(ORG, v2::ListOrgAccessTokensParams::default()).await.expect("list");
    assert_eq!((listed.total, listed.results.map(|r| r.len())), (Some(1.0), Some(1)));
    let read = alice.get_org_access_token(ORG, &id).await.expect("get");
    assert_eq!(read.label.as_deref(), Some("ci pull"));
    assert!(matches!(alice.get_org_access_token(ORG, "no-such-token").await, Err(Error::Api { status: 404, .. })));
    assert!(matches!(carol.get_org_access_token(ORG, &id).await, Err(Error::Api { status: 403, .. })));

    // The organisation's name and the secret make a bearer token that reads the organisation's
    // private repositories, and nothing it was not given.
    let robot = hub.anonymous();
    robot.auth_create_access_token(ORG, &secret).await.expect("an organisation access token");
    robot.get_repository(ORG, "api").await.expect("reads a private repository of the organisation");
    let tags = robot.list_repository_tags(ORG, "api", v2::ListRepositoryTagsParams::default()).await.expect("and its tags");
    assert!(tags.count.is_some_and(|c| c > 0));
    assert!(matches!(robot.create_repository(ORG, &m::RepoCreationRequest { name: "robot".into(), namespace: ORG.into(), description: None, full_description: None, registry: None, is_private: None, additional_properties: Default::default() }).await, Err(Error::Api { status: 403, .. })));
    assert!(matches!(robot.list_access_tokens(v2::ListAccessTokensParams::default()).await, Err(Error::Api { status: 401, .. })), "it manages no personal tokens");
    assert!(matches!(hub.anonymous().auth_create_access_token("alice", &secret).await, Err(Error::Api { status: 401, .. })), "the identifier must be the organisation");
    assert!(alice.get_org_access_token(ORG, &id).await.expect("get").last_used_at.flatten().is_some(), "its use is recorded");

    // An update is held to the rules of its creation, in the 400 the overlay documents; the token
    // stays as it was.
    let change = |label: &str, resources: Option<Vec<m::OrgAccessTokenResource>>| m::UpdateOrgAccessTokenRequest { label: Some(label.into()), description: None, resources, is_active: None, additional_properties: Default::default() };
    for (bad, why) in [(change(" ", None), "a blank label"), (change("x", Some(vec![])), "no resource"), (change("x", Some(vec![resource(m::OrgAccessTokenResourceType::TypeRepo, "other/api", &["repo-pull"])])), "another organisation's repository")] {
        assert!(matches!(alice.update_org_access_token(ORG, &id, &bad).await, Err(Error::Api { status: 400, error: v2::UpdateOrgAccessTokenError::BadRequest(_) })), "{why}");
    }
    assert_eq!(alice.get_org_access_token(ORG, &id).await.expect("get").label.as_deref(), Some("ci pull"));
    assert!(matches!(alice.list_org_access_tokens(ORG, v2::ListOrgAccessTokensParams { page: Some(0.0), ..Default::default() }).await, Err(Error::Api { status: 400, error: v2::ListOrgAccessTokensError::BadRequest(_) })));

    // Deactivated, its sessions end; deleted, it is gone.
    let off = m::UpdateOrgAccessTokenRequest { label: Some("ci pull (off)".into()), description: None, resources: None, is_active: Some(false), additional_properties: Default::default() };
    let updated = alice.update_org_access_token(ORG, &id, &off).await.expect("update");
    assert_eq!((updated.label.as_deref(), updated.is_active), (Some("ci pull (off)"), Some(false)));
    assert!(matches!(robot.get_repository(ORG, "api").await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(hub.anonymous().auth_create_access_token(ORG, &secret).await, Err(Error::Api { status: 401, .. })));
    alice.delete_org_access_token(ORG, &id).await.expect("delete");
    assert!(matches!(alice.delete_org_access_token(ORG, &id).await, Err(Error::Api { status: 404, .. })));

    // An expiring token stops at its expiry.
    let soon = alice.create_org_access_token(ORG, &new_token("soon", pull, Some(hub.hub.now() + chrono::Duration::minutes(30)))).await.expect("create");
    let timed = hub.anonymous();
    timed.auth_create_access_token(ORG, soon.token.as_deref().unwrap_or_default()).await.expect("before its expiry");
    hub.hub.advance_clock(Duration::from_secs(3600));
    assert!(matches!(timed.get_repository(ORG, "api").await, Err(Error::Api { status: 401, .. })));

    // (Alice's own session ended with the hour too.)
    let alice = hub.login(ALICE).await;
    let log = alice.list_audit_logs(ORG, v2::ListAuditLogsParams::default()).await.expect("audit");
    let actions: Vec<String> = log.logs.into_iter().flatten().filter_map(|l| l.action).collect();
    for action in ["org.access_token.create", "org.access_token.update", "org.access_token.delete"] {
        assert!(actions.contains(&action.to_owned()), "{action} in {actions:?}");
    }
}
