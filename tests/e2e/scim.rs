//! SCIM: the service's self-description, users filtered, sorted and paged, created (409 on a taken
//! userName), read and updated, all behind the SCIM bearer token.

use dockerhub_client::{v2, Credentials, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::CAROL;
use futures_util::TryStreamExt;

use crate::support::start;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn new_user(user_name: &str, given: &str, family: &str) -> m::ScimCreateUserRequest {
    m::ScimCreateUserRequest {
        schemas: vec![USER.into()],
        user_name: user_name.into(),
        name: Some(m::ScimUserName { given_name: Some(given.into()), family_name: Some(family.into()), additional_properties: Default::default() }),
        additional_properties: Default::default(),
    }
}

#[tokio::test]
async fn the_service_describes_itself() {
    let hub = start().await;
    let scim = hub.scim();
    let config = scim.get_service_provider_config().await.expect("config");
    assert_eq!((config.filter.and_then(|f| f.max_results), config.sort.and_then(|s| s.supported)), (Some(200), Some(true)));
    assert_eq!(config.authentication_schemes.and_then(|a| a.type_).as_deref(), Some("oauthbearertoken"));
    let types = scim.list_resource_types().await.expect("resource types");
    assert_eq!(types.total_results, Some(1));
    assert_eq!(scim.get_resource_type("User").await.expect("User").endpoint.as_deref(), Some("/Users"));
    match scim.get_resource_type("Group").await {
        Err(Error::Api { status: 404, error: v2::GetResourceTypeError::NotFound(body) }) => assert_eq!(body.status.as_deref(), Some("404")),
        other => panic!("no groups: 404, got {other:?}"),
    }
    let schemas = scim.list_schemas().await.expect("schemas");
    let schema = schemas.resources.and_then(|r| r.into_iter().next()).expect("one schema");
    assert_eq!(schema.id.as_deref(), Some(USER));
    assert!(schema.attributes.unwrap_or_default().iter().any(|a| a.name.as_deref() == Some("userName") && a.required == Some(true)));
    assert_eq!(scim.get_schema(USER).await.expect("the User schema").name.as_deref(), Some("User"));
    assert!(matches!(scim.get_schema("urn:nope").await, Err(Error::Api { status: 404, error: v2::GetSchemaError::NotFound(_) })));

    // Without the SCIM token, or with a wrong one: 401 on every SCIM call.
    let anonymous = hub.anonymous();
    match anonymous.get_service_provider_config().await {
        Err(Error::Api { status: 401, error: v2::GetServiceProviderConfigError::Unauthorized(body) }) => {
            assert_eq!(body.schemas, Some(vec!["urn:ietf:params:scim:api:messages:2.0:Error".to_owned()]))
        }
        other => panic!("no token: 401, got {other:?}"),
    }
    anonymous.set_credentials(Credentials::Bearer("wrong-token".into()));
    assert!(matches!(anonymous.list_resource_types().await, Err(Error::Api { status: 401, error: v2::ListResourceTypesError::Unauthorized(_) })));
    assert!(matches!(anonymous.get_resource_type("User").await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(anonymous.get_schema(USER).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(anonymous.list_users(v2::ListUsersParams::default()).await, Err(Error::Api { status: 401, error: v2::ListUsersError::Unauthorized(_) })));
    assert!(matches!(anonymous.create_user(&new_user("x@y.z", "X", "Y")).await, Err(Error::Api { status: 401, error: v2::CreateUserError::Unauthorized(_) })));
    assert!(matches!(anonymous.get_user("x").await, Err(Error::Api { status: 401, error: v2::GetUserError::Unauthorized(_) })));
    let update = m::ScimUpdateUserRequest { schemas: vec![USER.into()], name: None, active: Some(true), additional_properties: Default::default() };
    assert!(matches!(anonymous.update_user("x", &update).await, Err(Error::Api { status: 401, error: v2::UpdateUserError::Unauthorized(_) })));
}

#[tokio::test]
async fn users_are_filtered_sorted_and_paged() {
    let hub = start().await;
    let scim = hub.scim();
    let filter = |f: &str| v2::ListUsersParams { filter: Some(f.into()), ..Default::default() };
    let names = |r: m::ScimGetUsersResponse| r.resources.unwrap_or_default().into_iter().filter_map(|u| u.user_name).collect::<Vec<_>>();

    let jon = scim.list_users(filter(r#"userName eq "jon.snow@docker.com" and not (displayName sw "x")"#)).await.expect("filter");
    assert_eq!(jon.total_results, Some(1));
    let user = jon.resources.clone().and_then(|r| r.into_iter().next()).expect("jon");
    assert_eq!((user.display_name.as_deref(), user.active), (Some("jonsnow"), Some(true)));
    assert!(user.meta.and_then(|m| m.location).is_some_and(|l| l.starts_with(&hub.base_url)), "meta.location on the caller's host");
    assert_eq!(names(scim.list_users(filter(r#"USERNAME Eq "JON.SNOW@DOCKER.COM""#)).await.expect("case")), ["jon.snow@docker.com"], "names and operators case-insensitive");
    let starks = scim.list_users(v2::ListUsersParams { sort_by: Some("userName".into()), sort_order: Some(m::ListUsersSortOrder::Descending), ..filter(r#"name.familyName eq "Stark" or userName co "carol""#) }).await.expect("or");
    assert_eq!(names(starks), ["sansa.stark@docker.com", "carol@example.com", "arya.stark@docker.com"]);
    assert_eq!(names(scim.list_users(filter(r#"not (userName sw "jon") and (userName ew "docker.com")"#)).await.expect("not")), ["arya.stark@docker.com", "sansa.stark@docker.com"]);
    assert_eq!(names(scim.list_users(filter(r#"userName ne "jon.snow@docker.com""#)).await.expect("ne")).len(), 3);
    let only = scim.list_users(v2::ListUsersParams { attributes: Some("userName".into()), ..filter(r#"userName sw "arya""#) }).await.expect("attributes");
    let arya = only.resources.and_then(|r| r.into_iter().next()).expect("arya");
    assert_eq!((arya.user_name.is_some(), arya.id.is_some(), arya.display_name, arya.name), (true, true, None, None), "only what was asked, and the id");

    for bad in ["userName zz \"x\"", "(userName eq \"x\"", "nickName eq \"x\"", "userName eq"] {
        match scim.list_users(filter(bad)).await {
            Err(Error::Api { status: 400, error: v2::ListUsersError::BadRequest(body) }) => {
                assert_eq!((body.scim_type.as_deref(), body.status.as_deref()), (Some("invalidFilter"), Some("400")), "{bad}");
                assert!(body.detail.is_some_and(|d| d.starts_with("filter: ")));
            }
            other => panic!("{bad}: 400 invalidFilter, got {other:?}"),
        }
    }
    match scim.list_users(v2::ListUsersParams { sort_by: Some("shoeSize".into()), ..Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::ListUsersError::BadRequest(body) }) => assert_eq!(body.scim_type.as_deref(), Some("invalidValue")),
        other => panic!("an unknown sortBy: 400, got {other:?}"),
    }

    // startIndex/count pages: seven users in pages of three.
    for (email, given) in [("tyrion@docker.com", "Tyrion"), ("cersei@docker.com", "Cersei"), ("bran@docker.com", "Bran")] {
        scim.create_user(&new_user(email, given, "X")).await.expect("create");
    }
    let second = scim.list_users(v2::ListUsersParams { start_index: Some(4), count: Some(3), sort_by: Some("userName".into()), ..Default::default() }).await.expect("page 2");
    assert_eq!((second.total_results, second.start_index, second.items_per_page), (Some(7), Some(4), Some(3)));
    assert_eq!(names(second), ["cersei@docker.com", "jon.snow@docker.com", "sansa.stark@docker.com"]);
    let all: Vec<m::ScimUser> = scim.list_users_stream(v2::ListUsersParams { count: Some(3), sort_by: Some("userName".into()), ..Default::default() }).try_collect().await.expect("three pages");
    assert_eq!(all.len(), 7);
    assert!(all.windows(2).all(|w| w[0].user_name < w[1].user_name));
}

#[tokio::test]
async fn users_are_created_read_and_updated() {
    let hub = start().await;
    let scim = hub.scim();
    let created = scim.create_user(&new_user("daenerys@docker.com", "Daenerys", "Targaryen")).await.expect("create");
    let id = created.id.clone().expect("an id");
    assert_eq!((created.display_name.as_deref(), created.active), (Some("daenerys"), Some(true)));
    assert_eq!(created.groups.and_then(|g| g.into_iter().next()).and_then(|g| g.display).as_deref(), Some("company"));
    assert_eq!(scim.get_user(&id).await.expect("read").user_name.as_deref(), Some("daenerys@docker.com"));

    match scim.create_user(&new_user("DAENERYS@docker.com", "D", "T")).await {
        Err(Error::Api { status: 409, error: v2::CreateUserError::Conflict(body) }) => assert_eq!(body.status.as_deref(), Some("409")),
        other => panic!("a taken userName: 409, got {other:?}"),
    }
    match scim.create_user(&new_user("not-an-email", "N", "E")).await {
        Err(Error::Api { status: 400, error: v2::CreateUserError::BadRequest(body) }) => assert_eq!(body.scim_type.as_deref(), Some("invalidValue")),
        other => panic!("userName must be an email: 400, got {other:?}"),
    }
    let wrong_schema = m::ScimCreateUserRequest { schemas: vec!["urn:other".into()], ..new_user("x@docker.com", "X", "Y") };
    assert!(matches!(scim.create_user(&wrong_schema).await, Err(Error::Api { status: 400, error: v2::CreateUserError::BadRequest(_) })));

    // The name changes but is never cleared; `active` omitted deactivates (RFC 7644 §3.5.1 lets the service default it).
    let rename = m::ScimUpdateUserRequest { schemas: vec![USER.into()], name: Some(m::ScimUserName { given_name: Some("Dany".into()), family_name: None, additional_properties: Default::default() }), active: Some(true), additional_properties: Default::default() };
    let renamed = scim.update_user(&id, &rename).await.expect("update");
    assert_eq!(renamed.name, Some(m::ScimUserName { given_name: Some("Dany".into()), family_name: Some("Targaryen".into()), additional_properties: Default::default() }));
    let deactivated = scim.update_user(&id, &m::ScimUpdateUserRequest { schemas: vec![USER.into()], name: None, active: None, additional_properties: Default::default() }).await.expect("update");
    assert_eq!(deactivated.active, Some(false));
    let modified = deactivated.meta.expect("meta");
    assert!(modified.last_modified >= modified.created);

    assert!(matches!(scim.get_user("no-such-id").await, Err(Error::Api { status: 404, error: v2::GetUserError::NotFound(_) })));
    assert!(matches!(scim.update_user("no-such-id", &rename).await, Err(Error::Api { status: 404, error: v2::UpdateUserError::NotFound(_) })));
    let bad_update = m::ScimUpdateUserRequest { schemas: vec!["urn:other".into()], name: None, active: Some(true), additional_properties: Default::default() };
    assert!(matches!(scim.update_user(&id, &bad_update).await, Err(Error::Api { status: 400, error: v2::UpdateUserError::BadRequest(_) })));
}

#[tokio::test]
async fn deactivating_a_linked_user_locks_the_hub_account() {
    let hub = start().await;
    let scim = hub.scim();
    // carol@example.com was provisioned by the seed and is carol's account.
    let carol = scim.list_users(v2::ListUsersParams { filter: Some(format!("userName eq \"{}\"", CAROL.email)), ..Default::default() }).await.expect("carol");
    let user = carol.resources.and_then(|r| r.into_iter().next()).expect("provisioned");
    assert_eq!(user.display_name.as_deref(), Some(CAROL.username), "linked to the existing account");
    let id = user.id.expect("id");
    scim.update_user(&id, &m::ScimUpdateUserRequest { schemas: vec![USER.into()], name: None, active: Some(false), additional_properties: Default::default() }).await.expect("deactivate");
    match hub.anonymous().login(CAROL.username, CAROL.password).await {
        Err(Error::Api { status: 401, error: v2::LoginError::Unauthorized(body) }) => assert_eq!(body.detail, "Account is not active"),
        other => panic!("a deactivated account cannot log in, got {other:?}"),
    }
    match hub.index(CAROL.username, CAROL.password).check_login().await {
        Err(Error::Api { status: 403, error: dockerhub_client::v1::CheckLoginError::Forbidden }) => {}
        other => panic!("v1 says the account is not active (403), got {other:?}"),
    }
    scim.update_user(&id, &m::ScimUpdateUserRequest { schemas: vec![USER.into()], name: None, active: Some(true), additional_properties: Default::default() }).await.expect("reactivate");
    hub.login(CAROL).await;
    // A user provisioned with an account's address joins the organisation.
    hub.hub.add_user(fake_hub::NewUser { username: "eddard".into(), password: "winter-is-coming".into(), email: "ned@docker.com".into(), ..Default::default() }).expect("user");
    scim.create_user(&new_user("ned@docker.com", "Eddard", "Stark")).await.expect("provision");
    let ned = hub.login_with("eddard", "winter-is-coming").await;
    assert!(ned.get_org_settings(fake_hub::seed::ORG).await.is_ok(), "now a member of acme");
}
