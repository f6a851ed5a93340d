//! Logging in: passwords, the TOTP second factor, sessions that expire or are forged, personal
//! access tokens as passwords and the scopes they carry.

use std::time::Duration;

use dockerhub_client::{v2, Credentials, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ALICE, BOB, CAROL, ORG};

use crate::support::start;

#[tokio::test]
async fn a_password_login_gives_a_session_the_other_calls_accept() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let settings = alice.get_org_settings(ORG).await.expect("the session is accepted");
    assert!(settings.restricted_images.is_some());

    // Logging in by email address works too.
    hub.login_with(ALICE.email, ALICE.password).await;

    match hub.anonymous().login(ALICE.username, "not her password").await {
        Err(Error::Api { status: 401, error: v2::LoginError::Unauthorized(body) }) => {
            assert_eq!(body.detail, "Incorrect authentication credentials");
            assert_eq!(body.login_2fa_token, None, "no second-factor token for a wrong password");
        }
        other => panic!("a wrong password is refused, got {other:?}"),
    }
    match hub.anonymous().login("nobody", "whatever").await {
        Err(Error::Api { status: 401, error: v2::LoginError::Unauthorized(body) }) => assert_eq!(body.detail, "Incorrect authentication credentials"),
        other => panic!("an unknown user is refused like a wrong password, got {other:?}"),
    }
}

#[tokio::test]
async fn two_factor_login_takes_a_current_totp_code_once() {
    let hub = start().await;
    let client = hub.anonymous();
    let challenge = match client.login(BOB.username, BOB.password).await.expect("login answers") {
        v2::LoginOutcome::SecondFactorRequired(challenge) => challenge,
        other => panic!("bob has a second factor, got {other:?}"),
    };
    let pending = challenge.login_2fa_token.flatten().expect("the 401 carries the login_2fa_token");
    // The pending token is no session.
    client.set_credentials(Credentials::Bearer(pending.clone()));
    assert!(matches!(client.get_org_settings(ORG).await, Err(Error::Api { status: 401, .. })), "a second-factor token is not a session");

    match client.login_2fa(&pending, "000000").await {
        Err(Error::Api { status: 401, error: v2::Login2faError::Unauthorized(body) }) => assert_eq!(body.detail.as_deref(), Some("Incorrect authentication code")),
        other => panic!("a wrong code is refused, got {other:?}"),
    }
    let session = client.login_2fa(&pending, &hub.bob_code()).await.expect("the current code completes the login");
    assert!(session.token.is_some());
    let tokens = client.list_access_tokens(v2::ListAccessTokensParams::default()).await.expect("bob's session works");
    assert_eq!(tokens.count, Some(0.0));

    match client.login_2fa(&pending, &hub.bob_code()).await {
        Err(Error::Api { status: 401, error: v2::Login2faError::Unauthorized(body) }) => assert_eq!(body.detail.as_deref(), Some("the login_2fa_token was already used")),
        other => panic!("a second-factor token is good once, got {other:?}"),
    }
    match client.login_2fa("not.a.token", &hub.bob_code()).await {
        Err(Error::Api { status: 401, .. }) => {}
        other => panic!("a forged second-factor token is refused, got {other:?}"),
    }
}

#[tokio::test]
async fn second_factor_tokens_and_sessions_expire() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let client = hub.anonymous();
    let v2::LoginOutcome::SecondFactorRequired(challenge) = client.login(BOB.username, BOB.password).await.expect("login answers") else {
        panic!("bob needs a second factor");
    };
    hub.hub.advance_clock(Duration::from_secs(301));
    match client.login_2fa(challenge.login_2fa_token.as_ref().and_then(Option::as_deref).unwrap_or_default(), &hub.bob_code()).await {
        Err(Error::Api { status: 401, error: v2::Login2faError::Unauthorized(body) }) => {
            assert!(body.detail.unwrap_or_default().contains("expired"), "five minutes to type the code")
        }
        other => panic!("an expired second-factor token is refused, got {other:?}"),
    }
    hub.hub.advance_clock(Duration::from_secs(3600));
    match alice.get_org_settings(ORG).await {
        Err(Error::Api { status: 401, error: v2::GetOrgSettingsError::Unauthorized(body) }) => assert_eq!(body.detail.as_deref(), Some("the token has expired")),
        other => panic!("a session is valid for an hour, got {other:?}"),
    }
}

#[tokio::test]
async fn missing_forged_and_foreign_credentials_are_refused() {
    let hub = start().await;
    match hub.anonymous().get_org_settings(ORG).await {
        Err(Error::Api { status: 401, error: v2::GetOrgSettingsError::Unauthorized(body) }) => {
            assert_eq!(body.detail.as_deref(), Some("Authentication credentials were not provided."))
        }
        other => panic!("no credentials: 401, got {other:?}"),
    }
    // A token signed by someone else (another hub's key) has a bad signature.
    let elsewhere = crate::support::start().await;
    let foreign = hub.anonymous();
    foreign.set_credentials(Credentials::Bearer(elsewhere.session(ALICE)));
    match foreign.get_org_settings(ORG).await {
        Err(Error::Api { status: 401, error: v2::GetOrgSettingsError::Unauthorized(body) }) => assert_eq!(body.detail.as_deref(), Some("the token's signature is invalid")),
        other => panic!("another key's signature is refused, got {other:?}"),
    }
    // A session with its payload changed to another user.
    let session = hub.session(CAROL);
    let parts: Vec<&str> = session.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], hub.session(ALICE).split('.').nth(1).unwrap_or_default(), parts[2]);
    foreign.set_credentials(Credentials::Bearer(forged));
    assert!(matches!(foreign.update_org_settings(ORG, &settings(true)).await, Err(Error::Api { status: 401, .. })), "a spliced token is refused");
    // The SCIM token is no user session, and a session is no SCIM token.
    foreign.set_credentials(Credentials::Bearer(fake_hub::seed::SCIM_TOKEN.into()));
    assert!(matches!(foreign.get_org_settings(ORG).await, Err(Error::Api { status: 401, .. })));
    foreign.set_credentials(Credentials::Bearer(hub.session(ALICE)));
    assert!(matches!(foreign.list_schemas().await, Err(Error::Api { status: 401, error: v2::ListSchemasError::Unauthorized(_) })));
}

fn settings(enabled: bool) -> m::UpdateOrgSettingsRequest {
    m::UpdateOrgSettingsRequest { restricted_images: m::UpdateOrgSettingsRequestRestrictedImages { enabled, allow_official_images: true, allow_verified_publishers: false, additional_properties: Default::default() }, additional_properties: Default::default() }
}

#[tokio::test]
async fn a_personal_access_token_logs_in_with_its_scope_only() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let read = alice
        .create_access_token(&m::CreateAccessTokenRequest { token_label: "ci read".into(), scopes: vec!["repo:read".into()], expires_at: None, additional_properties: Default::default() })
        .await
        .expect("alice creates a read token");
    let secret = read.token.clone().expect("the secret is in the create answer");
    assert!(secret.starts_with("dckr_pat_"));

    // The token works as the password, and bypasses nothing it should not: reads work...
    let reader = hub.login_with(ALICE.username, &secret).await;
    let private = reader.get_repository(ORG, "api").await.expect("repo:read reads a private repository of its organisation");
    assert!(private.is_private);
    assert!(reader.get_org_settings(ORG).await.is_ok());
    // ...writes do not.
    let create = m::RepoCreationRequest { name: "made-by-token".into(), namespace: ALICE.username.into(), description: None, full_description: None, registry: None, is_private: None, additional_properties: Default::default() };
    match reader.create_repository(ALICE.username, &create).await {
        Err(Error::Api { status: 403, error: v2::CreateRepositoryError::Forbidden(body) }) => assert!(body.detail.unwrap_or_default().contains("may not create")),
        other => panic!("repo:read cannot create repositories, got {other:?}"),
    }
    match reader.update_org_settings(ORG, &settings(true)).await {
        Err(Error::Api { status: 403, error: v2::UpdateOrgSettingsError::Forbidden(_) }) => {}
        other => panic!("repo:read cannot change settings, got {other:?}"),
    }
    match reader.list_access_tokens(v2::ListAccessTokensParams::default()).await {
        Err(Error::Api { status: 401, error: v2::ListAccessTokensError::Unauthorized(body) }) => assert!(body.detail.unwrap_or_default().contains("cannot manage access tokens")),
        other => panic!("a token session cannot manage tokens, got {other:?}"),
    }
    // A write-scoped token may create.
    let write = alice.create_access_token(&m::CreateAccessTokenRequest { token_label: "write".into(), scopes: vec!["repo:write".into()], expires_at: None, additional_properties: Default::default() }).await.expect("write token");
    let writer = hub.login_with(ALICE.username, write.token.as_deref().unwrap_or_default()).await;
    writer.create_repository(ALICE.username, &create).await.expect("repo:write creates a repository");

    // Deactivating the token ends its sessions; reactivating revives them; deleting it ends them for good.
    let uuid = read.uuid.clone().unwrap_or_default();
    alice.update_access_token(&uuid, &m::PatchAccessTokenRequest { token_label: None, is_active: Some(false), additional_properties: Default::default() }).await.expect("deactivate");
    match reader.get_org_settings(ORG).await {
        Err(Error::Api { status: 401, error: v2::GetOrgSettingsError::Unauthorized(body) }) => {
            assert_eq!(body.detail.as_deref(), Some("the access token was revoked, deactivated or has expired"))
        }
        other => panic!("a deactivated token's session ends, got {other:?}"),
    }
    assert!(matches!(hub.anonymous().login(ALICE.username, &secret).await, Err(Error::Api { status: 401, .. })), "nor can it log in");
    alice.update_access_token(&uuid, &m::PatchAccessTokenRequest { token_label: None, is_active: Some(true), additional_properties: Default::default() }).await.expect("reactivate");
    assert!(reader.get_org_settings(ORG).await.is_ok());
    alice.delete_access_token(&uuid).await.expect("delete");
    assert!(matches!(reader.get_org_settings(ORG).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(hub.anonymous().login(ALICE.username, &secret).await, Err(Error::Api { status: 401, .. })));
}

#[tokio::test]
async fn a_token_of_a_two_factor_account_skips_the_second_factor() {
    let hub = start().await;
    let client = hub.anonymous();
    let v2::LoginOutcome::SecondFactorRequired(challenge) = client.login(BOB.username, BOB.password).await.expect("login answers") else {
        panic!("bob needs a second factor");
    };
    client.login_2fa(challenge.login_2fa_token.as_ref().and_then(Option::as_deref).unwrap_or_default(), &hub.bob_code()).await.expect("bob logs in");
    let token = client.create_access_token(&m::CreateAccessTokenRequest { token_label: "cli".into(), scopes: vec!["repo:write".into()], expires_at: None, additional_properties: Default::default() }).await.expect("bob's token");
    hub.login_with(BOB.username, token.token.as_deref().unwrap_or_default()).await;
}
