//! Repositories of Docker's newest spec: listed in a namespace (visibility, filter, orderings,
//! pages), created, read and checked with HEAD, their immutable tags rules set and tried by regex,
//! and organisation groups given access; then the same calls as third-party clients send them, raw,
//! with and without a trailing slash.

use dockerhub_client::{v2, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ALICE, BOB, CAROL, ORG};
use fake_hub::{HubError, NewImage};
use serde_json::{json, Value};

use crate::support::start;

fn new_repo(namespace: &str, name: &str, private: bool) -> m::RepoCreationRequest {
    m::RepoCreationRequest {
        name: name.into(),
        namespace: namespace.into(),
        description: Some(format!("{name}, made by a test")),
        full_description: Some("# Overview".into()),
        registry: None,
        is_private: Some(private),
        additional_properties: Default::default(),
    }
}

fn names(list: &m::ListRepositoriesResponse) -> Vec<String> {
    list.results.iter().flatten().filter_map(|r| r.name.clone()).collect()
}

#[tokio::test]
async fn repositories_are_listed_with_their_visibility_filter_ordering_and_pages() {
    let hub = start().await;
    let anonymous = hub.anonymous();
    let alice = hub.login(ALICE).await;
    // Private repositories are for members of the namespace.
    assert_eq!(names(&anonymous.list_namespace_repositories(ORG, v2::ListNamespaceRepositoriesParams::default()).await.expect("anyone lists")), Vec::<String>::new());
    assert_eq!(names(&alice.list_namespace_repositories(ORG, v2::ListNamespaceRepositoriesParams::default()).await.expect("an owner lists")), ["api"]);
    for name in ["zeta", "alpha", "middle"] {
        alice.create_repository(ALICE.username, &new_repo(ALICE.username, name, name == "zeta")).await.expect("alice creates");
    }
    let by = |ordering| v2::ListNamespaceRepositoriesParams { ordering: Some(ordering), ..Default::default() };
    let public = anonymous.list_namespace_repositories(ALICE.username, by(m::ListNamespaceRepositoriesOrdering::Name)).await.expect("list");
    assert_eq!(names(&public), ["alpha", "middle", "web"], "zeta is private");
    let all = alice.list_namespace_repositories(ALICE.username, by(m::ListNamespaceRepositoriesOrdering::NameDesc)).await.expect("list");
    assert_eq!(names(&all), ["zeta", "web", "middle", "alpha"]);
    let updated = alice.list_namespace_repositories(ALICE.username, by(m::ListNamespaceRepositoriesOrdering::LastUpdated)).await.expect("list");
    assert_eq!(names(&updated).first().map(String::as_str), Some("web"), "web's tags are older than the new repositories");
    let filtered = alice.list_namespace_repositories(ALICE.username, v2::ListNamespaceRepositoriesParams { name: Some("ET".into()), ..Default::default() }).await.expect("filter");
    assert_eq!(names(&filtered), ["zeta"], "a partial, case-insensitive match");
    let first = alice.list_namespace_repositories(ALICE.username, v2::ListNamespaceRepositoriesParams { page_size: Some(3), ..by(m::ListNamespaceRepositoriesOrdering::Name) }).await.expect("page");
    assert_eq!((first.count, names(&first)), (Some(4), vec!["alpha".to_owned(), "middle".into(), "web".into()]));
    let next = first.next.flatten().expect("a next page");
    assert!(next.starts_with(&hub.base_url) && next.contains("page=2") && next.contains("ordering=name"), "{next}");
    match alice.list_namespace_repositories("nobody-here", v2::ListNamespaceRepositoriesParams::default()).await {
        Err(Error::Api { status: 404, error: v2::ListNamespaceRepositoriesError::NotFound(_) }) => {}
        other => panic!("an unknown namespace: 404, got {other:?}"),
    }
}

#[tokio::test]
async fn repositories_are_created_by_their_namespace_and_read_and_checked() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let carol = hub.login(CAROL).await;
    let bob_client = hub.anonymous();
    bob_client.auth_create_access_token(BOB.username, &bob_pat(&hub).await).await.expect("bob's token");

    let made = alice.create_repository(ORG, &new_repo(ORG, "tools", true)).await.expect("an owner creates in the organisation");
    assert_eq!((made.namespace.as_str(), made.name.as_str(), made.is_private, made.permissions.admin), (ORG, "tools", true, true));
    assert_eq!(made.description, "tools, made by a test");
    match alice.create_repository(ORG, &new_repo(ORG, "tools", true)).await {
        Err(Error::Api { status: 400, error: v2::CreateRepositoryError::BadRequest(body) }) => assert!(body.detail.unwrap_or_default().contains("already exists")),
        other => panic!("a duplicate: 400, got {other:?}"),
    }
    match carol.create_repository(ORG, &new_repo(ORG, "mine", false)).await {
        Err(Error::Api { status: 403, error: v2::CreateRepositoryError::Forbidden(_) }) => {}
        other => panic!("a plain member does not create, got {other:?}"),
    }
    assert!(matches!(hub.anonymous().create_repository(ORG, &new_repo(ORG, "x1", false)).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(alice.create_repository(ORG, &new_repo(ALICE.username, "x1", false)).await, Err(Error::Api { status: 400, .. })), "body and path disagree");
    assert!(matches!(alice.create_repository(ORG, &new_repo(ORG, "-bad", false)).await, Err(Error::Api { status: 400, .. })));
    // Promoted to editor, carol may create.
    alice.update_org_member(ORG, CAROL.username, &m::UpdateOrgMemberRequest { role: m::Role::Editor, additional_properties: Default::default() }).await.expect("promote");
    carol.create_repository(ORG, &new_repo(ORG, "carols", false)).await.expect("an editor creates");

    // Read and HEAD: members see private ones, others are refused, unknown ones are 404.
    let read = carol.get_repository(ORG, "tools").await.expect("a member reads a private repository");
    assert!(read.is_private && !read.permissions.admin);
    assert!(matches!(hub.anonymous().get_repository(ORG, "tools").await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(bob_client.get_repository(ORG, "tools").await, Err(Error::Api { status: 403, .. })));
    assert!(matches!(alice.get_repository(ORG, "nothing").await, Err(Error::Api { status: 404, error: v2::GetRepositoryError::NotFound(_) })));
    assert!(alice.check_repository(ORG, "tools").await.expect("HEAD"));
    assert!(!alice.check_repository(ORG, "nothing").await.expect("HEAD of nothing is false"));
    assert!(hub.anonymous().check_repository(ALICE.username, "web").await.expect("a public one"));
    assert!(matches!(hub.anonymous().check_repository(ORG, "tools").await, Err(Error::Api { status: 401, error: v2::CheckRepositoryError::Unauthorized })));
    assert!(matches!(bob_client.check_repository(ORG, "tools").await, Err(Error::Api { status: 403, error: v2::CheckRepositoryError::Forbidden })));

    let log = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { action: Some("repo.create".into()), ..Default::default() }).await.expect("audit");
    assert_eq!(log.logs.map(|l| l.len()), Some(2), "tools and carols");
}

/// A personal access token of bob's (who has a second factor), with `repo:read`.
async fn bob_pat(hub: &crate::support::Running) -> String {
    let client = hub.anonymous();
    let Ok(v2::LoginOutcome::SecondFactorRequired(challenge)) = client.login(BOB.username, BOB.password).await else {
        panic!("bob needs a second factor");
    };
    client.login_2fa(challenge.login_2fa_token.flatten().as_deref().unwrap_or_default(), &hub.bob_code()).await.expect("bob logs in");
    let token = client
        .create_access_token(&m::CreateAccessTokenRequest { token_label: "read".into(), scopes: vec!["repo:read".into()], expires_at: None, additional_properties: Default::default() })
        .await
        .expect("bob's token");
    token.token.expect("the secret")
}

#[tokio::test]
async fn immutable_tags_rules_are_checked_by_their_regex() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let verify = |regex: &str| m::ImmutableTagsVerifyRequest { regex: regex.into(), additional_properties: Default::default() };
    let matched = alice.verify_repository_immutable_tags(ORG, "api", &verify("v[0-9]+")).await.expect("verify");
    assert_eq!(matched.tags, ["v0", "v1", "v2"], "whole tags only: `latest` and `multiarch` do not match");
    match alice.verify_repository_immutable_tags(ORG, "api", &verify("v(")).await {
        Err(Error::Api { status: 400, error: v2::VerifyRepositoryImmutableTagsError::BadRequest(body) }) => assert!(body.detail.unwrap_or_default().contains("regex")),
        other => panic!("an invalid regex: 400, got {other:?}"),
    }
    let carol = hub.login(CAROL).await;
    assert!(matches!(carol.verify_repository_immutable_tags(ORG, "api", &verify("v.*")).await, Err(Error::Api { status: 403, .. })), "administrators only");
    assert!(matches!(hub.anonymous().verify_repository_immutable_tags(ALICE.username, "web", &verify("v.*")).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(alice.verify_repository_immutable_tags(ORG, "none", &verify("v.*")).await, Err(Error::Api { status: 404, .. })));

    let rules = |on: bool, rules: &[&str]| m::UpdateRepositoryImmutableTagsRequest { immutable_tags: on, immutable_tags_rules: rules.iter().map(|r| (*r).to_owned()).collect(), additional_properties: Default::default() };
    assert!(matches!(alice.update_repository_immutable_tags(ORG, "api", &rules(true, &["("])).await, Err(Error::Api { status: 400, .. })));
    assert!(matches!(carol.update_repository_immutable_tags(ORG, "api", &rules(true, &["v.*"])).await, Err(Error::Api { status: 403, .. })));
    let info = alice.update_repository_immutable_tags(ORG, "api", &rules(true, &["v[0-9]+"])).await.expect("set");
    assert_eq!((info.immutable_tags_settings.enabled, info.immutable_tags_settings.rules.clone()), (true, vec!["v[0-9]+".to_owned()]));
    assert_eq!(alice.get_repository(ORG, "api").await.expect("read").immutable_tags_settings.rules, ["v[0-9]+"]);

    // A push that would move an immutable tag is refused; a mutable one moves.
    let image = |tags: &[&str]| NewImage { tags: tags.iter().map(|t| (*t).to_owned()).collect(), size: 10, ..NewImage::default() };
    assert!(matches!(hub.hub.push_image(ORG, "api", ALICE.username, image(&["v1"])), Err(HubError::ImmutableTag(tag)) if tag == "v1"));
    hub.hub.push_image(ORG, "api", ALICE.username, image(&["latest"])).expect("latest is mutable");
    alice.update_repository_immutable_tags(ORG, "api", &rules(false, &["v[0-9]+"])).await.expect("off");
    hub.hub.push_image(ORG, "api", ALICE.username, image(&["v1"])).expect("with the rules off, v1 moves");
    let log = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { action: Some("repo.immutable_tags.update".into()), ..Default::default() }).await.expect("audit");
    assert_eq!(log.logs.map(|l| l.len()), Some(2));
}

#[tokio::test]
async fn groups_are_given_access_to_repositories() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let group = alice.create_org_group(ORG, &m::OrgGroupRequest { name: "builders".into(), description: None, additional_properties: Default::default() }).await.expect("group");
    let id = group.id.expect("an id") as i64;
    let given = alice
        .create_repository_group(ORG, "api", &m::RepositoryGroupCreationRequest { group_id: id, permission: m::Permission::Write, additional_properties: Default::default() })
        .await
        .expect("given");
    assert_eq!((given.group_name.as_deref(), given.permission, given.group_id), (Some("builders"), Some(m::Permission::Write), Some(id)));
    match alice.create_repository_group(ORG, "api", &m::RepositoryGroupCreationRequest { group_id: 999_999, permission: m::Permission::Read, additional_properties: Default::default() }).await {
        Err(Error::Api { status: 404, error: v2::CreateRepositoryGroupError::NotFound(_) }) => {}
        other => panic!("an unknown group: 404, got {other:?}"),
    }
    let carol = hub.login(CAROL).await;
    let body = m::RepositoryGroupCreationRequest { group_id: id, permission: m::Permission::Admin, additional_properties: Default::default() };
    assert!(matches!(carol.create_repository_group(ORG, "api", &body).await, Err(Error::Api { status: 403, .. })));
}

#[tokio::test]
async fn third_party_clients_list_and_create_repositories_and_get_tokens_with_and_without_a_trailing_slash() {
    let hub = start().await;
    let raw = hub.raw();
    let alice = hub.login(ALICE).await;
    let pat = alice
        .create_access_token(&m::CreateAccessTokenRequest { token_label: "tool".into(), scopes: vec!["repo:write".into()], expires_at: None, additional_properties: Default::default() })
        .await
        .expect("a PAT")
        .token
        .expect("its secret");
    for (i, slash) in ["", "/"].into_iter().enumerate() {
        // A token from a PAT, as hub-tool and the newer clients get one.
        let answer = raw.post(hub.url(&format!("/v2/auth/token{slash}"))).json(&json!({"identifier": ALICE.username, "secret": pat})).send().await.expect("answers");
        assert_eq!(answer.status(), 200, "/v2/auth/token{slash}");
        let token = answer.json::<Value>().await.expect("JSON")["access_token"].as_str().map(str::to_owned).expect("an access_token");
        let wrong = raw.post(hub.url(&format!("/v2/auth/token{slash}"))).json(&json!({"identifier": ALICE.username, "secret": "dckr_pat_wrong"})).send().await.expect("answers");
        assert_eq!(wrong.status(), 401);

        let name = format!("raw{i}");
        let created = raw
            .post(hub.url(&format!("/v2/namespaces/alice/repositories{slash}")))
            .bearer_auth(&token)
            .json(&json!({"name": name, "namespace": "alice", "is_private": false, "description": "raw"}))
            .send()
            .await
            .expect("answers");
        assert_eq!(created.status(), 201, "create at …/repositories{slash}");
        let body: Value = created.json().await.expect("JSON");
        assert_eq!((body["name"].as_str(), body["is_private"].as_bool()), (Some(name.as_str()), Some(false)), "{body}");

        let listed = raw.get(hub.url(&format!("/v2/namespaces/alice/repositories{slash}?page_size=100&ordering=name"))).bearer_auth(&token).send().await.expect("answers");
        assert_eq!(listed.status(), 200, "list at …/repositories{slash}");
        let page: Value = listed.json().await.expect("JSON");
        let listed: Vec<&str> = page["results"].as_array().into_iter().flatten().filter_map(|r| r["name"].as_str()).collect();
        assert!(listed.contains(&name.as_str()) && listed.contains(&"web"), "{page}");
        let head = raw.head(hub.url(&format!("/v2/namespaces/alice/repositories/{name}{slash}"))).send().await.expect("answers");
        assert_eq!(head.status(), 200);
    }
}
