//! The v1 index: repositories (user and library), their image lists, the token handshake, and
//! accounts (login check, registration, updates).

use dockerhub_client::{v1, v2, Credentials, Error};
use dockerhub_models::v1 as m;
use fake_hub::seed::{ADMIN, ALICE, CAROL, ORG};

use crate::support::start;

fn images(ids: &[(&str, Option<&str>)]) -> m::ImageList {
    ids.iter().map(|(id, checksum)| m::Image { id: (*id).into(), checksum: checksum.map(str::to_owned), additional_properties: Default::default() }).collect()
}

#[tokio::test]
async fn the_token_handshake_authorizes_only_the_repository_it_was_issued_for() {
    let hub = start().await;
    let index = hub.index(ALICE.username, ALICE.password);
    let created = index
        .create_user_repository(ALICE.username, "cli", &images(&[("aaa", None)]), v1::CreateUserRepositoryParams { x_docker_token: Some(true) })
        .await
        .expect("create with a token");
    let token = created.x_docker_token.clone().expect("X-Docker-Token");
    assert!(token.starts_with("signature=") && token.ends_with(r#",repository="alice/cli",access=write"#), "{token}");
    assert_eq!(created.www_authenticate, Some(format!("Token {token}")));
    assert_eq!(created.x_docker_endpoints.as_deref(), Some("registry-1.docker.io"));

    // The client now holds the token and presents it to the auth route.
    assert_eq!(index.authorize_user_repository_token(ALICE.username, "cli").await.expect("the issued token is good here"), "OK");
    match index.authorize_user_repository_token(ALICE.username, "web").await {
        Err(Error::Api { status: 403, error: v1::AuthorizeUserRepositoryTokenError::Forbidden }) => {}
        other => panic!("not for another repository, got {other:?}"),
    }
    let forged = hub.anonymous_index();
    forged.set_credentials(Credentials::Token(r#"signature=0000,repository="alice/cli",access=write"#.into()));
    assert!(matches!(forged.authorize_user_repository_token(ALICE.username, "cli").await, Err(Error::Api { status: 403, .. })), "nor with a made-up signature");
    let renamed = hub.anonymous_index();
    renamed.set_credentials(Credentials::Token(token.replace("alice/cli", "alice/web")));
    assert!(matches!(renamed.authorize_user_repository_token(ALICE.username, "web").await, Err(Error::Api { status: 403, .. })), "nor with its repository rewritten");
    assert!(matches!(hub.anonymous_index().authorize_user_repository_token(ALICE.username, "cli").await, Err(Error::Api { status: 403, .. })), "nor without a token");

    // A registry that was handed the token checks it the same way.
    let registry = hub.anonymous_index();
    registry.set_credentials(Credentials::Token(token.clone()));
    assert_eq!(registry.authorize_user_repository_token(ALICE.username, "cli").await.expect("the registry's check"), "OK");

    // Deleting with a token: 202 and a delete token; the repository is gone, so the token finds nothing.
    match index.delete_user_repository(ALICE.username, "cli", v1::DeleteUserRepositoryParams { x_docker_token: Some(true) }).await.expect("delete") {
        v1::DeleteUserRepositoryOutput::Accepted { x_docker_token, .. } => assert!(x_docker_token.is_some_and(|t| t.ends_with("access=delete"))),
        other => panic!("delete answers 202 Accepted, got {other:?}"),
    }
    match index.authorize_user_repository_token(ALICE.username, "cli").await {
        Err(Error::Api { status: 404, error: v1::AuthorizeUserRepositoryTokenError::NotFound }) => {}
        other => panic!("the repository is gone: 404, got {other:?}"),
    }
    // The token expires.
    index.create_user_repository(ALICE.username, "cli", &images(&[]), v1::CreateUserRepositoryParams { x_docker_token: Some(true) }).await.expect("again");
    hub.hub.advance_clock(std::time::Duration::from_secs(3601));
    assert!(matches!(index.authorize_user_repository_token(ALICE.username, "cli").await, Err(Error::Api { status: 403, .. })), "an hour later the token is refused");
}

#[tokio::test]
async fn repositories_and_their_image_lists() {
    let hub = start().await;
    let index = hub.index(ALICE.username, ALICE.password);
    let created = index.create_user_repository(ORG, "builder", &images(&[("one", Some("c1"))]), v1::CreateUserRepositoryParams::default()).await.expect("create in the org");
    assert_eq!((created.body.as_str(), created.x_docker_token), ("", None), "no token unless asked for");
    index.update_user_repository_images(ORG, "builder", &images(&[("one", None), ("two", Some("c2"))])).await.expect("update");
    let listed = hub.anonymous_index().list_user_repository_images(ORG, "builder").await.expect("anyone reads a public list");
    assert_eq!(listed, images(&[("one", Some("c1")), ("two", Some("c2"))]), "merged by id, checksums kept");
    // The repository is the v2 API's too.
    let alice = hub.login(ALICE).await;
    assert!(!alice.check_repository_tags(ORG, "builder").await.expect("HEAD"), "it exists, with no tags yet");
    assert!(matches!(alice.list_repository_tags(ORG, "builder", v2::ListRepositoryTagsParams::default()).await, Ok(page) if page.count == Some(0)));

    match hub.anonymous_index().list_user_repository_images(ORG, "api").await {
        Err(Error::Api { status: 404, error: v1::ListUserRepositoryImagesError::NotFound }) => {}
        other => panic!("a private list is hidden from strangers, got {other:?}"),
    }
    assert!(index.list_user_repository_images(ORG, "api").await.is_ok(), "but not from members");
    assert!(matches!(hub.anonymous_index().list_user_repository_images(ORG, "nothing").await, Err(Error::Api { status: 404, .. })));

    // Who may do what.
    let carol = hub.index(CAROL.username, CAROL.password);
    carol.update_user_repository_images(ORG, "builder", &images(&[("three", None)])).await.expect("a member pushes");
    match carol.delete_user_repository(ORG, "builder", v1::DeleteUserRepositoryParams::default()).await {
        Err(Error::Api { status: 403, error: v1::DeleteUserRepositoryError::Forbidden }) => {}
        other => panic!("only owners delete, got {other:?}"),
    }
    assert!(matches!(carol.create_user_repository(ALICE.username, "mine", &images(&[]), v1::CreateUserRepositoryParams::default()).await, Err(Error::Api { status: 403, error: v1::CreateUserRepositoryError::Forbidden })));
    let stranger = hub.index(ALICE.username, "wrong password");
    assert!(matches!(stranger.create_user_repository(ALICE.username, "x1", &images(&[]), v1::CreateUserRepositoryParams::default()).await, Err(Error::Api { status: 401, error: v1::CreateUserRepositoryError::Unauthorized })));
    assert!(matches!(stranger.update_user_repository_images(ORG, "builder", &images(&[])).await, Err(Error::Api { status: 401, error: v1::UpdateUserRepositoryImagesError::Unauthorized })));
    assert!(matches!(stranger.delete_user_repository(ORG, "builder", v1::DeleteUserRepositoryParams::default()).await, Err(Error::Api { status: 401, error: v1::DeleteUserRepositoryError::Unauthorized })));
    assert!(matches!(carol.update_user_repository_images(ALICE.username, "web", &images(&[])).await, Err(Error::Api { status: 403, error: v1::UpdateUserRepositoryImagesError::Forbidden })));
    assert!(matches!(index.create_user_repository(ALICE.username, "Bad Name!", &images(&[]), v1::CreateUserRepositoryParams::default()).await, Err(Error::Api { status: 400, error: v1::CreateUserRepositoryError::BadRequest })));
    assert!(matches!(index.update_user_repository_images(ALICE.username, "nothing", &images(&[])).await, Err(Error::Api { status: 400, error: v1::UpdateUserRepositoryImagesError::BadRequest })));
    assert!(matches!(index.delete_user_repository(ALICE.username, "nothing", v1::DeleteUserRepositoryParams::default()).await, Err(Error::Api { status: 400, error: v1::DeleteUserRepositoryError::BadRequest })));

    match index.delete_user_repository(ORG, "builder", v1::DeleteUserRepositoryParams::default()).await.expect("the owner deletes") {
        v1::DeleteUserRepositoryOutput::Accepted { x_docker_token: None, .. } => {}
        other => panic!("202 without a token, got {other:?}"),
    }
    assert!(matches!(hub.anonymous_index().list_user_repository_images(ORG, "builder").await, Err(Error::Api { status: 404, .. })));
}

#[tokio::test]
async fn library_repositories_are_for_docker_administrators() {
    let hub = start().await;
    let admin = hub.index(ADMIN.username, ADMIN.password);
    let created = admin.create_library_repository("busybox", &images(&[("bb", None)]), v1::CreateLibraryRepositoryParams { x_docker_token: Some(true) }).await.expect("admin creates");
    assert!(created.x_docker_token.is_some_and(|t| t.contains(r#"repository="library/busybox""#)));
    assert_eq!(admin.authorize_library_repository_token("busybox").await.expect("library token"), "OK");
    assert!(matches!(admin.authorize_library_repository_token("ubuntu").await, Err(Error::Api { status: 403, error: v1::AuthorizeLibraryRepositoryTokenError::Forbidden })));
    admin.update_library_repository_images("busybox", &images(&[("bb", Some("sum"))])).await.expect("update");
    assert_eq!(hub.anonymous_index().list_library_repository_images("busybox").await.expect("list"), images(&[("bb", Some("sum"))]));
    assert!(matches!(hub.anonymous_index().list_library_repository_images("nothing").await, Err(Error::Api { status: 404, error: v1::ListLibraryRepositoryImagesError::NotFound })));

    let alice = hub.index(ALICE.username, ALICE.password);
    assert!(matches!(alice.create_library_repository("mine", &images(&[]), v1::CreateLibraryRepositoryParams::default()).await, Err(Error::Api { status: 403, error: v1::CreateLibraryRepositoryError::Forbidden })));
    assert!(matches!(alice.update_library_repository_images("busybox", &images(&[])).await, Err(Error::Api { status: 403, error: v1::UpdateLibraryRepositoryImagesError::Forbidden })));
    assert!(matches!(alice.delete_library_repository("busybox", v1::DeleteLibraryRepositoryParams::default()).await, Err(Error::Api { status: 403, error: v1::DeleteLibraryRepositoryError::Forbidden })));
    let nobody = hub.anonymous_index();
    assert!(matches!(nobody.create_library_repository("x1", &images(&[]), v1::CreateLibraryRepositoryParams::default()).await, Err(Error::Api { status: 401, error: v1::CreateLibraryRepositoryError::Unauthorized })));
    assert!(matches!(nobody.update_library_repository_images("busybox", &images(&[])).await, Err(Error::Api { status: 401, error: v1::UpdateLibraryRepositoryImagesError::Unauthorized })));
    assert!(matches!(nobody.delete_library_repository("busybox", v1::DeleteLibraryRepositoryParams::default()).await, Err(Error::Api { status: 401, error: v1::DeleteLibraryRepositoryError::Unauthorized })));
    assert!(matches!(admin.create_library_repository("-bad", &images(&[]), v1::CreateLibraryRepositoryParams::default()).await, Err(Error::Api { status: 400, error: v1::CreateLibraryRepositoryError::BadRequest })));
    assert!(matches!(admin.update_library_repository_images("nothing", &images(&[])).await, Err(Error::Api { status: 400, error: v1::UpdateLibraryRepositoryImagesError::BadRequest })));
    assert!(matches!(admin.delete_library_repository("nothing", v1::DeleteLibraryRepositoryParams::default()).await, Err(Error::Api { status: 400, error: v1::DeleteLibraryRepositoryError::BadRequest })));

    match admin.delete_library_repository("busybox", v1::DeleteLibraryRepositoryParams::default()).await.expect("admin deletes") {
        v1::DeleteLibraryRepositoryOutput::Accepted { .. } => {}
        other => panic!("202, got {other:?}"),
    }
    assert!(matches!(admin.authorize_library_repository_token("busybox").await, Err(Error::Api { status: 404, error: v1::AuthorizeLibraryRepositoryTokenError::NotFound })));
}

#[tokio::test]
async fn accounts_register_log_in_and_change() {
    let hub = start().await;
    let anonymous = hub.anonymous_index();
    let registration = m::UserRegistration { email: "sam@docker.com".into(), password: "toto42".into(), username: "foobar".into(), additional_properties: Default::default() };
    assert_eq!(anonymous.register_user(&registration).await.expect("register"), "User Created");
    assert_eq!(hub.index("foobar", "toto42").check_login().await.expect("the new account logs in"), "OK");
    hub.login_with("foobar", "toto42").await;

    for (bad, why) in [
        (m::UserRegistration { username: "foobar".into(), ..registration.clone() }, "taken name"),
        (m::UserRegistration { username: "samwise".into(), ..registration.clone() }, "taken email"),
        (m::UserRegistration { username: "library".into(), email: "lib@docker.com".into(), ..registration.clone() }, "the official images' namespace"),
        (m::UserRegistration { username: "acme".into(), email: "acme@docker.com".into(), ..registration.clone() }, "an organisation's name"),
        (m::UserRegistration { username: "abc".into(), email: "a@b.cd".into(), ..registration.clone() }, "name too short"),
        (m::UserRegistration { username: "Sam Wise".into(), email: "a@b.cd".into(), ..registration.clone() }, "name pattern"),
        (m::UserRegistration { username: "samwise".into(), email: "not-an-email".into(), ..registration.clone() }, "email format"),
        (m::UserRegistration { username: "samwise".into(), email: "a@b.cd".into(), password: "1234".into(), additional_properties: Default::default() }, "password too short"),
    ] {
        match anonymous.register_user(&bad).await {
            Err(Error::Api { status: 400, error: v1::RegisterUserError::BadRequest }) => {}
            other => panic!("{why}: 400, got {other:?}"),
        }
    }

    match anonymous.check_login().await {
        Err(Error::Api { status: 401, error: v1::CheckLoginError::Unauthorized }) => {}
        other => panic!("no credentials: 401, got {other:?}"),
    }
    assert!(matches!(hub.index("foobar", "wrong").check_login().await, Err(Error::Api { status: 401, .. })));

    let sam = hub.index("foobar", "toto42");
    sam.update_user("foobar", &m::UserUpdate { email: Some("sam@example.org".into()), password: Some("new-password".into()), additional_properties: Default::default() }).await.expect("update");
    assert!(matches!(sam.check_login().await, Err(Error::Api { status: 401, .. })), "the old password is gone");
    hub.login_with("sam@example.org", "new-password").await;
    hub.login_with("sam@docker.com", "new-password").await;

    let sam = hub.index("foobar", "new-password");
    assert!(matches!(sam.update_user(ALICE.username, &m::UserUpdate::default()).await, Err(Error::Api { status: 403, error: v1::UpdateUserError::Forbidden })), "only oneself");
    assert!(matches!(sam.update_user("ghost", &m::UserUpdate::default()).await, Err(Error::Api { status: 404, error: v1::UpdateUserError::NotFound })));
    assert!(matches!(anonymous.update_user("foobar", &m::UserUpdate::default()).await, Err(Error::Api { status: 401, error: v1::UpdateUserError::Unauthorized })));
    assert!(matches!(sam.update_user("foobar", &m::UserUpdate { email: Some(ALICE.email.into()), password: None, additional_properties: Default::default() }).await, Err(Error::Api { status: 400, error: v1::UpdateUserError::BadRequest })), "someone else's address");

    // A personal access token works as the Basic password, within its scope.
    let alice = hub.login(ALICE).await;
    let read = alice.create_access_token(&dockerhub_models::v2::CreateAccessTokenRequest { token_label: "read".into(), scopes: vec!["repo:read".into()], expires_at: None, additional_properties: Default::default() }).await.expect("token");
    let with_token = hub.index(ALICE.username, read.token.as_deref().unwrap_or_default());
    assert_eq!(with_token.check_login().await.expect("a token logs in"), "OK");
    match with_token.create_user_repository(ALICE.username, "nope", &images(&[]), v1::CreateUserRepositoryParams::default()).await {
        Err(Error::Api { status: 403, error: v1::CreateUserRepositoryError::Forbidden }) => {}
        other => panic!("repo:read cannot create a repository, got {other:?}"),
    }
    assert!(matches!(with_token.update_user(ALICE.username, &m::UserUpdate::default()).await, Err(Error::Api { status: 403, .. })), "a token cannot change the account");
}
