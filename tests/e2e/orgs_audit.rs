//! Organisation settings (owners change them, members only read) and the audit log that records
//! what changed, with its filters, pages and actions.

use dockerhub_client::{v1, v2, Error};
use dockerhub_models::{v1 as m1, v2 as m2};
use fake_hub::seed::{ALICE, BOB, CAROL, ORG};
use futures_util::TryStreamExt;

use crate::support::start;

fn settings(enabled: bool, official: bool, verified: bool) -> m2::UpdateOrgSettingsRequest {
    m2::UpdateOrgSettingsRequest { restricted_images: m2::UpdateOrgSettingsRequestRestrictedImages { enabled, allow_official_images: official, allow_verified_publishers: verified, additional_properties: Default::default() }, additional_properties: Default::default() }
}

#[tokio::test]
async fn owners_change_settings_and_members_only_read_them() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let before = alice.get_org_settings(ORG).await.expect("read");
    assert_eq!(before.restricted_images.and_then(|r| r.enabled), Some(false));
    let after = alice.update_org_settings(ORG, &settings(true, true, false)).await.expect("the owner changes them");
    let r = after.restricted_images.expect("restricted_images");
    assert_eq!((r.enabled, r.allow_official_images, r.allow_verified_publishers), (Some(true), Some(true), Some(false)));

    let carol = hub.login(CAROL).await;
    assert_eq!(carol.get_org_settings(ORG).await.expect("a member reads").restricted_images.and_then(|r| r.enabled), Some(true), "the change stuck");
    match carol.update_org_settings(ORG, &settings(false, false, false)).await {
        Err(Error::Api { status: 403, error: v2::UpdateOrgSettingsError::Forbidden(body) }) => assert!(body.detail.unwrap_or_default().contains("only owners")),
        other => panic!("a member cannot change settings, got {other:?}"),
    }
    let outsider = {
        let client = hub.anonymous();
        let v2::LoginOutcome::SecondFactorRequired(c) = client.login(BOB.username, BOB.password).await.expect("login") else { panic!("2fa") };
        client.login_2fa(c.login_2fa_token.as_ref().and_then(Option::as_deref).unwrap_or_default(), &hub.bob_code()).await.expect("bob");
        client
    };
    assert!(matches!(outsider.get_org_settings(ORG).await, Err(Error::Api { status: 403, error: v2::GetOrgSettingsError::Forbidden(_) })), "not a member");
    assert!(matches!(alice.get_org_settings("nope").await, Err(Error::Api { status: 404, error: v2::GetOrgSettingsError::NotFound(_) })));
    assert!(matches!(alice.update_org_settings("nope", &settings(true, true, true)).await, Err(Error::Api { status: 404, error: v2::UpdateOrgSettingsError::NotFound(_) })));
    assert!(matches!(hub.anonymous().update_org_settings(ORG, &settings(true, true, true)).await, Err(Error::Api { status: 401, error: v2::UpdateOrgSettingsError::Unauthorized(_) })));

    let logs = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { action: Some("org.settings.update".into()), ..Default::default() }).await.expect("audit");
    let events = logs.logs.unwrap_or_default();
    assert_eq!(events.len(), 1, "one change, one event; the refused one left none");
    assert_eq!((events[0].actor.as_deref(), events[0].name.as_deref()), (Some("alice"), Some(ORG)));
    assert_eq!(events[0].data.as_ref().and_then(|d| d.get("restricted_images.enabled").cloned()).as_deref(), Some("false -> true"));
}

#[tokio::test]
async fn changes_are_audited_and_listed_with_filters_and_pages() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let start_time = hub.hub.now();
    // Repository create and delete through the index, token create and delete.
    let index = hub.index(ALICE.username, ALICE.password);
    index.create_user_repository(ORG, "tools", &vec![m1::Image { id: "abc".into(), checksum: None, additional_properties: Default::default() }], v1::CreateUserRepositoryParams::default()).await.expect("create");
    index.delete_user_repository(ORG, "tools", v1::DeleteUserRepositoryParams::default()).await.expect("delete");
    let token = alice.create_access_token(&m2::CreateAccessTokenRequest { token_label: "audited".into(), scopes: vec!["repo:read".into()], expires_at: None, additional_properties: Default::default() }).await.expect("token");
    alice.delete_access_token(token.uuid.as_deref().unwrap_or_default()).await.expect("token deleted");

    let all = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { from: Some(start_time.into()), ..Default::default() }).await.expect("org events");
    let actions: Vec<String> = all.logs.unwrap_or_default().into_iter().filter_map(|e| e.action).collect();
    assert_eq!(actions, ["repo.delete", "repo.create"], "newest first, since the test started");
    let mine = alice.list_audit_logs(ALICE.username, v2::ListAuditLogsParams { action: Some("account.access_token.create".into()), ..Default::default() }).await.expect("account events");
    let event = mine.logs.unwrap_or_default().pop().expect("the token's creation");
    assert_eq!((event.name.as_deref(), event.actor.as_deref()), (Some("audited"), Some("alice")));
    assert!(event.action_description.unwrap_or_default().contains("audited"));

    // The seed pushed tags into acme/api: filter by name and actor, walk the pages.
    let pushes = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { action: Some("repo.tag.push".into()), name: Some("acme/api".into()), actor: Some("alice".into()), page_size: Some(2), ..Default::default() }).await.expect("pushes");
    assert_eq!(pushes.logs.map(|l| l.len()), Some(2));
    let every_push: Vec<m2::AuditLog> = alice
        .list_audit_logs_stream(ORG, v2::ListAuditLogsParams { action: Some("repo.tag.push".into()), page_size: Some(2), ..Default::default() })
        .try_collect()
        .await
        .expect("pages until an empty one");
    assert_eq!(every_push.len(), 6, "v0, v1, v0 again, latest, v2, multiarch: three pages of two");
    assert!(every_push.iter().all(|e| e.data.as_ref().is_some_and(|d| d.contains_key("digest") && d.contains_key("tag"))));
    let nobody = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { actor: Some("carol".into()), ..Default::default() }).await.expect("filtered");
    assert_eq!(nobody.logs.map(|l| l.len()), Some(0));
    let window = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { to: Some((start_time - chrono::Duration::days(365)).into()), ..Default::default() }).await.expect("window");
    assert_eq!(window.logs.map(|l| l.len()), Some(0), "nothing a year before the test");

    let catalogue = alice.list_audit_actions(ORG).await.expect("actions");
    let groups = catalogue.actions.expect("actions");
    assert_eq!(groups.keys().map(String::as_str).collect::<Vec<_>>(), ["org", "repo"]);
    let repo: Vec<String> = groups["repo"].actions.clone().unwrap_or_default().into_iter().filter_map(|a| a.name).collect();
    assert!(repo.contains(&"tag.push".to_owned()) && repo.contains(&"create".to_owned()));
    let personal = alice.list_audit_actions(ALICE.username).await.expect("account actions");
    assert!(personal.actions.is_some_and(|a| a.contains_key("account") && !a.contains_key("org")));
}

#[tokio::test]
async fn audit_logs_are_for_owners_and_refusals_use_the_default_shape() {
    let hub = start().await;
    match hub.anonymous().list_audit_logs(ORG, v2::ListAuditLogsParams::default()).await {
        Err(Error::Api { status: 401, error: v2::ListAuditLogsError::Default(body) }) => assert_eq!(body.code, Some(16)),
        other => panic!("anonymous: 401 rpcStatus, got {other:?}"),
    }
    let carol = hub.login(CAROL).await;
    match carol.list_audit_logs(ORG, v2::ListAuditLogsParams::default()).await {
        Err(Error::Api { status: 403, error: v2::ListAuditLogsError::Default(body) }) => assert_eq!(body.code, Some(7)),
        other => panic!("a member: 403 rpcStatus, got {other:?}"),
    }
    assert!(matches!(carol.list_audit_actions(ORG).await, Err(Error::Api { status: 403, error: v2::ListAuditActionsError::Default(_) })));
    assert!(matches!(hub.anonymous().list_audit_actions(ORG).await, Err(Error::Api { status: 401, .. })));
    let alice = hub.login(ALICE).await;
    match alice.list_audit_logs("nobody-here", v2::ListAuditLogsParams::default()).await {
        Err(Error::Api { status: 404, error: v2::ListAuditLogsError::Default(body) }) => assert_eq!(body.code, Some(5)),
        other => panic!("an unknown account: 404, got {other:?}"),
    }
    match alice.list_audit_logs(ORG, v2::ListAuditLogsParams { page: Some(0), ..Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::ListAuditLogsError::Default(body) }) => assert!(body.message.unwrap_or_default().starts_with("query.page")),
        other => panic!("page 0: 400, got {other:?}"),
    }
    let now = hub.hub.now();
    match alice.list_audit_logs(ORG, v2::ListAuditLogsParams { from: Some(now.into()), to: Some((now - chrono::Duration::days(1)).into()), ..Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::ListAuditLogsError::Default(body) }) => assert!(body.message.unwrap_or_default().contains("from")),
        other => panic!("from after to: 400, got {other:?}"),
    }
}
