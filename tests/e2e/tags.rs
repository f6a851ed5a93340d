//! Repository tags: listing by pages, reading one, the HEAD checks, and who may see a private
//! repository's tags.

use dockerhub_client::{v2, Credentials, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ALICE, BOB, ORG};
use futures_util::TryStreamExt;

use crate::support::start;

#[tokio::test]
async fn public_tags_are_listed_by_page_for_anyone() {
    let hub = start().await;
    let anonymous = hub.anonymous();
    let first = anonymous.list_repository_tags(ALICE.username, "web", v2::ListRepositoryTagsParams { page: None, page_size: Some(2) }).await.expect("page 1");
    assert_eq!(first.count, Some(5));
    let names: Vec<String> = first.results.unwrap_or_default().into_iter().filter_map(|t| t.name).collect();
    assert_eq!(names, ["latest", "2.0"], "most recently updated first");
    assert_eq!(first.next, Some(Some(format!("{}/v2/namespaces/alice/repositories/web/tags?page=2&page_size=2", hub.base_url))));
    let third = anonymous.list_repository_tags(ALICE.username, "web", v2::ListRepositoryTagsParams { page: Some(3), page_size: Some(2) }).await.expect("page 3");
    assert_eq!((third.next, third.results.map(|r| r.len())), (Some(None), Some(1)), "the last page says `next: null`");
    assert!(third.previous.flatten().is_some_and(|p| p.ends_with("page=2&page_size=2")));
    let all: Vec<m::Tag> = anonymous.list_repository_tags_stream(ALICE.username, "web", v2::ListRepositoryTagsParams { page: None, page_size: Some(2) }).try_collect().await.expect("all");
    assert_eq!(all.iter().filter_map(|t| t.name.clone()).collect::<Vec<_>>(), ["latest", "2.0", "1.2", "1.1", "1.0"], "three pages");

    let latest = anonymous.get_repository_tag(ALICE.username, "web", "latest").await.expect("a tag");
    let image = latest.images.clone().and_then(|i| i.into_iter().next()).expect("its image");
    assert_eq!(Some(image.digest.clone()), all[1].images.as_ref().map(|i| i.first().and_then(|i| i.digest.clone())), "latest and 2.0 are the same image");
    assert_eq!((image.architecture.as_deref(), image.status), (Some("amd64"), Some(m::ImageStatus::Active)));
    assert_eq!((latest.last_updater_username.as_deref(), latest.status, latest.v2.as_deref()), (Some("alice"), Some(m::ImageStatus::Active), Some("true")));

    assert!(anonymous.check_repository_tags("library", "ubuntu").await.expect("HEAD tags"));
    assert!(anonymous.check_repository_tag("library", "ubuntu", "jammy").await.expect("HEAD tag"));
    assert!(!anonymous.check_repository_tag("library", "ubuntu", "focal").await.expect("HEAD missing tag is 404 = false"));
    assert!(!anonymous.check_repository_tags("library", "nothing").await.expect("HEAD missing repository"));
    hub.hub.add_repository(ALICE.username, "empty", false).expect("an empty repository");
    assert!(!anonymous.check_repository_tags(ALICE.username, "empty").await.expect("no tags: 404 = false"));

    match anonymous.get_repository_tag("library", "ubuntu", "focal").await {
        Err(Error::Api { status: 404, error: v2::GetRepositoryTagError::NotFound(body) }) => assert_eq!(body.detail.as_deref(), Some("tag focal not found")),
        other => panic!("a missing tag: 404, got {other:?}"),
    }
    match anonymous.list_repository_tags("library", "nothing", v2::ListRepositoryTagsParams::default()).await {
        Err(Error::Api { status: 404, error: v2::ListRepositoryTagsError::NotFound(_) }) => {}
        other => panic!("a missing repository: 404, got {other:?}"),
    }
}

#[tokio::test]
async fn private_tags_are_for_members_only() {
    let hub = start().await;
    let anonymous = hub.anonymous();
    match anonymous.list_repository_tags(ORG, "api", v2::ListRepositoryTagsParams::default()).await {
        Err(Error::Api { status: 403, error: v2::ListRepositoryTagsError::Forbidden(body) }) => assert!(body.detail.unwrap_or_default().contains("acme/api")),
        other => panic!("anonymous on a private repository: 403, got {other:?}"),
    }
    assert!(matches!(anonymous.get_repository_tag(ORG, "api", "latest").await, Err(Error::Api { status: 403, error: v2::GetRepositoryTagError::Forbidden(_) })));
    assert!(matches!(anonymous.check_repository_tags(ORG, "api").await, Err(Error::Api { status: 403, error: v2::CheckRepositoryTagsError::Forbidden })));
    assert!(matches!(anonymous.check_repository_tag(ORG, "api", "latest").await, Err(Error::Api { status: 403, error: v2::CheckRepositoryTagError::Forbidden })));

    // A bearer token that is no session is refused even on a public repository.
    assert_eq!(hub.hub.login_token(BOB.username, "wrong"), None);
    let forger = hub.anonymous();
    forger.set_credentials(Credentials::Bearer("eyJhbGciOiJub25lIn0.e30.".into()));
    assert!(matches!(forger.list_repository_tags(ALICE.username, "web", v2::ListRepositoryTagsParams::default()).await, Err(Error::Api { status: 403, .. })));

    let alice = hub.login(ALICE).await;
    let tags = alice.list_repository_tags(ORG, "api", v2::ListRepositoryTagsParams { page: None, page_size: Some(100) }).await.expect("the owner reads");
    let mut names: Vec<String> = tags.results.unwrap_or_default().into_iter().filter_map(|t| t.name).collect();
    names.sort();
    assert_eq!(names, ["latest", "multiarch", "v0", "v1", "v2"]);
    assert!(alice.check_repository_tag(ORG, "api", "v0").await.expect("HEAD"));
}
