//! Advanced image management: summaries by `active_from`, listings with filters, ordering and
//! pages, image tags (current and historical), and deletion with its warnings, errors and dry runs.

use dockerhub_client::{v2, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ACME_API_DIGESTS, ACME_API_INDEX, ALICE, BOB, CAROL, ORG};
use fake_hub::NewImage;
use futures_util::TryStreamExt;

use crate::support::start;

#[tokio::test]
async fn summaries_and_listings_count_activity_from_active_from() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let summary = alice.get_repository_images_summary(ORG, "api", v2::GetRepositoryImagesSummaryParams::default()).await.expect("summary");
    let stats = summary.statistics.expect("statistics");
    // Old image (last active 100 days ago), the v1 image (3 days), latest (1 day), the index and its child (10 days).
    assert_eq!((stats.total, stats.active, stats.inactive), (Some(5), Some(4), Some(1)));
    let default_from = chrono::DateTime::parse_from_rfc3339(&summary.active_from.expect("the time used is echoed")).expect("RFC 3339");
    let month_ago = hub.hub.now() - chrono::Months::new(1);
    assert!((default_from.timestamp() - month_ago.timestamp()).abs() < 5, "defaults to a month ago");

    let from = (hub.hub.now() - chrono::Duration::days(5)).to_rfc3339();
    let recent = alice.get_repository_images_summary(ORG, "api", v2::GetRepositoryImagesSummaryParams { active_from: Some(from.clone()) }).await.expect("summary");
    assert_eq!(recent.statistics.and_then(|s| s.active), Some(2), "only the images used in the last five days");

    let inactive = alice
        .list_repository_images(ORG, "api", v2::ListRepositoryImagesParams { status: Some(m::Status::Inactive), ..Default::default() })
        .await
        .expect("inactive images");
    let results = inactive.results.unwrap_or_default();
    assert_eq!(results.iter().filter_map(|i| i.digest.as_deref()).collect::<Vec<_>>(), [ACME_API_DIGESTS[0]]);
    assert_eq!(results[0].status, Some(m::Status::Inactive));
    assert_eq!(results[0].tags, Some(vec![m::GetNamespaceRepositoryImagesResponseResultTag { tag: Some("v0".into()), is_current: Some(false), additional_properties: Default::default() }]), "v0 moved on");

    let tagged = alice
        .list_repository_images(ORG, "api", v2::ListRepositoryImagesParams { currently_tagged: Some(true), ordering: Some(m::ListRepositoryImagesOrdering::Digest), ..Default::default() })
        .await
        .expect("tagged images");
    let digests: Vec<String> = tagged.results.unwrap_or_default().into_iter().filter_map(|i| i.digest).collect();
    assert_eq!(digests, [ACME_API_DIGESTS[1], ACME_API_DIGESTS[2], ACME_API_INDEX.0]);
    let untagged = alice.list_repository_images(ORG, "api", v2::ListRepositoryImagesParams { currently_tagged: Some(false), ..Default::default() }).await.expect("untagged");
    assert_eq!(untagged.count, Some(2), "the old image and the index's child");
    let newest_first = alice.list_repository_images(ORG, "api", v2::ListRepositoryImagesParams::default()).await.expect("default ordering");
    assert_eq!(newest_first.results.and_then(|r| r.first().and_then(|i| i.digest.clone())).as_deref(), Some(ACME_API_DIGESTS[2]), "most recent activity first");

    let tags = alice.list_image_tags(ORG, "api", ACME_API_DIGESTS[1], v2::ListImageTagsParams::default()).await.expect("image tags");
    let pairs: Vec<(String, bool)> = tags.results.unwrap_or_default().into_iter().map(|t| (t.tag.unwrap_or_default(), t.is_current.unwrap_or_default())).collect();
    assert_eq!(pairs, [("v0".to_owned(), true), ("v1".to_owned(), true)]);
    let none = alice.list_image_tags(ORG, "api", "sha256:unknown", v2::ListImageTagsParams::default()).await.expect("an unknown digest has no tags");
    assert_eq!(none.count, Some(0));
}

#[tokio::test]
async fn image_apis_need_read_access_and_a_paid_plan() {
    let hub = start().await;
    let anonymous = hub.anonymous();
    match anonymous.get_repository_images_summary(ORG, "api", v2::GetRepositoryImagesSummaryParams::default()).await {
        Err(Error::Api { status: 401, error: v2::GetRepositoryImagesSummaryError::Unauthorized(body) }) => assert!(body.txnid.is_some()),
        other => panic!("anonymous: 401, got {other:?}"),
    }
    let bob = {
        let client = hub.anonymous();
        let v2::LoginOutcome::SecondFactorRequired(c) = client.login(BOB.username, BOB.password).await.expect("login") else { panic!("2fa") };
        client.login_2fa(c.login_2fa_token.as_ref().and_then(Option::as_deref).unwrap_or_default(), &hub.bob_code()).await.expect("bob");
        client
    };
    match bob.list_repository_images(ORG, "api", v2::ListRepositoryImagesParams::default()).await {
        Err(Error::Api { status: 401, error: v2::ListRepositoryImagesError::Unauthorized(body) }) => {
            let info = body.errinfo.expect("errinfo");
            assert_eq!(info.api_call_name.as_deref(), Some("GetNamespacesRepositoriesImages"));
            assert!(info.api_call_docker_id.is_some(), "the caller is named in the diagnostics");
            assert!(body.message.unwrap_or_default().contains("read access"));
        }
        other => panic!("not a member of acme: 401, got {other:?}"),
    }
    assert!(matches!(bob.list_image_tags(ORG, "api", ACME_API_DIGESTS[1], v2::ListImageTagsParams::default()).await, Err(Error::Api { status: 401, .. })));
    let carol = hub.login(CAROL).await;
    hub.hub.add_repository(CAROL.username, "notes", false).expect("carol's repository");
    match carol.list_repository_images(CAROL.username, "notes", v2::ListRepositoryImagesParams::default()).await {
        Err(Error::Api { status: 403, error: v2::ListRepositoryImagesError::Forbidden(body) }) => assert!(body.message.unwrap_or_default().contains("Pro or Team")),
        other => panic!("Free plan: 403, got {other:?}"),
    }
    assert!(matches!(carol.list_image_tags(CAROL.username, "notes", "sha256:x", v2::ListImageTagsParams::default()).await, Err(Error::Api { status: 403, .. })));
    // The summary is for every plan.
    carol.get_repository_images_summary(CAROL.username, "notes", v2::GetRepositoryImagesSummaryParams::default()).await.expect("summary on Free");
    // A member of the Team organisation reads its images.
    assert_eq!(carol.list_repository_images(ORG, "api", v2::ListRepositoryImagesParams::default()).await.expect("member reads").count, Some(5));
}

#[tokio::test]
async fn image_listings_page_across_many_pages() {
    let hub = start().await;
    hub.hub.add_repository(ALICE.username, "many", true).expect("repository");
    for i in 0..25 {
        let image = NewImage { digest: Some(format!("sha256:{i:064x}")), tags: vec![format!("t{i}"), "latest".into()], size: 100 + i, ..NewImage::default() };
        hub.hub.push_image(ALICE.username, "many", ALICE.username, image).expect("push");
    }
    let alice = hub.login(ALICE).await;
    let page = alice
        .list_repository_images(ALICE.username, "many", v2::ListRepositoryImagesParams { ordering: Some(m::ListRepositoryImagesOrdering::DigestDesc), page: Some(2), page_size: Some(10), ..Default::default() })
        .await
        .expect("page 2");
    assert_eq!(page.count, Some(25));
    assert_eq!(page.next, Some(Some(format!("{}/v2/namespaces/alice/repositories/many/images?ordering=-digest&page=3&page_size=10", hub.base_url))), "same query, next page");
    assert_eq!(page.results.and_then(|r| r.first().and_then(|i| i.digest.clone())), Some(format!("sha256:{:064x}", 14)));
    let all: Vec<_> = alice
        .list_repository_images_stream(ALICE.username, "many", v2::ListRepositoryImagesParams { ordering: Some(m::ListRepositoryImagesOrdering::Digest), page_size: Some(10), ..Default::default() })
        .try_collect()
        .await
        .expect("three pages");
    assert_eq!(all.len(), 25);
    assert!(all.windows(2).all(|w| w[0].digest < w[1].digest), "in digest order without repeats");
    let latest: Vec<_> = all.iter().filter(|i| i.tags.as_ref().is_some_and(|t| t.iter().any(|t| t.tag.as_deref() == Some("latest") && t.is_current == Some(true)))).collect();
    assert_eq!(latest.len(), 1, "latest moved with each push; only the last image holds it");
    let tags: Vec<_> = alice.list_image_tags_stream(ALICE.username, "many", &format!("sha256:{:064x}", 24), v2::ListImageTagsParams { page_size: Some(1), page: None }).try_collect().await.expect("tags");
    assert_eq!(tags.len(), 2);
}

fn manifest(digest: &str) -> m::PostNamespacesDeleteImagesRequestManifest {
    m::PostNamespacesDeleteImagesRequestManifest { repository: "api".into(), digest: digest.into(), additional_properties: Default::default() }
}

#[tokio::test]
async fn deleting_images_round_trips_its_warnings() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let newest = ACME_API_DIGESTS[2];
    let first = m::PostNamespacesDeleteImagesRequest { manifests: Some(vec![manifest(newest)]), ..Default::default() };
    let warnings = match alice.delete_images(ORG, &first).await {
        Err(Error::Api { status: 400, error: v2::DeleteImagesError::BadRequest(body) }) => {
            let info = body.errinfo.expect("errinfo");
            assert_eq!(info.type_.as_deref(), Some("validation"));
            let details = info.details.expect("details");
            assert_eq!(details.errors, Some(Vec::new()));
            details.warnings.expect("warnings")
        }
        other => panic!("an active, tagged image needs its warnings ignored, got {other:?}"),
    };
    let kinds: Vec<&str> = warnings.iter().filter_map(|w| w.warning.as_ref().map(|k| k.as_str())).collect();
    assert_eq!(kinds, ["is_active", "current_tag"]);
    assert_eq!(warnings[1].tags, Some(vec!["latest".to_owned(), "v2".to_owned()]));

    // Ignoring only one warning is not enough.
    let feed = |w: &m::PostNamespacesDeleteImagesResponseErrorErrinfoDetailsWarning| m::PostNamespacesDeleteImagesRequestIgnoreWarning {
        repository: w.repository.clone().unwrap_or_default(),
        digest: w.digest.clone().unwrap_or_default(),
        warning: w.warning.as_ref().map(|k| k.as_str().into()).expect("a kind"),
        tags: w.tags.clone(),
        additional_properties: Default::default(),
    };
    let partial = m::PostNamespacesDeleteImagesRequest { ignore_warnings: Some(vec![feed(&warnings[0])]), ..first.clone() };
    assert!(matches!(alice.delete_images(ORG, &partial).await, Err(Error::Api { status: 400, .. })));

    // The warnings fed back verbatim: a dry run counts, a real run deletes.
    let ignore: Vec<_> = warnings.iter().map(feed).collect();
    let dry = m::PostNamespacesDeleteImagesRequest { dry_run: Some(true), ignore_warnings: Some(ignore.clone()), ..first.clone() };
    let counted = alice.delete_images(ORG, &dry).await.expect("dry run");
    assert_eq!(counted.dry_run, Some(true));
    let metrics = counted.metrics.expect("metrics");
    assert_eq!((metrics.manifest_deletes, metrics.tag_deletes), (Some(1), Some(2)));
    assert!(alice.check_repository_tag(ORG, "api", "latest").await.expect("HEAD"), "a dry run deletes nothing");

    let done = alice.delete_images(ORG, &m::PostNamespacesDeleteImagesRequest { ignore_warnings: Some(ignore), ..first }).await.expect("delete");
    assert_eq!((done.dry_run, done.metrics.and_then(|m| m.tag_deletes)), (Some(false), Some(2)));
    assert!(!alice.check_repository_tag(ORG, "api", "latest").await.expect("HEAD"), "the tags went with the image");
    let left = alice.list_repository_images(ORG, "api", v2::ListRepositoryImagesParams::default()).await.expect("images");
    assert_eq!(left.count, Some(4));
    let logs = alice.list_audit_logs(ORG, v2::ListAuditLogsParams { action: Some("repo.tag.delete".into()), ..Default::default() }).await.expect("audit");
    assert_eq!(logs.logs.map(|l| l.len()), Some(2), "each deleted tag is audited");
}

#[tokio::test]
async fn deletion_errors_cannot_be_ignored() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let body = m::PostNamespacesDeleteImagesRequest {
        manifests: Some(vec![manifest("sha256:missing"), manifest(ACME_API_INDEX.1)]),
        ignore_warnings: Some(Vec::new()),
        ..Default::default()
    };
    match alice.delete_images(ORG, &body).await {
        Err(Error::Api { status: 400, error: v2::DeleteImagesError::BadRequest(body) }) => {
            let errors = body.errinfo.and_then(|e| e.details).and_then(|d| d.errors).expect("errors");
            let kinds: Vec<_> = errors.iter().map(|e| (e.digest.clone().unwrap_or_default(), e.error.clone())).collect();
            use m::PostNamespacesDeleteImagesResponseErrorErrinfoDetailsErrorError as Kind;
            assert_eq!(kinds, [("sha256:missing".to_owned(), Some(Kind::NotFound)), (ACME_API_INDEX.1.to_owned(), Some(Kind::ChildManifest))]);
        }
        other => panic!("not_found and child_manifest errors, got {other:?}"),
    }
    // A member (not an owner) may not delete: `unauthorized` per manifest.
    let carol = hub.login(CAROL).await;
    match carol.delete_images(ORG, &m::PostNamespacesDeleteImagesRequest { manifests: Some(vec![manifest(ACME_API_DIGESTS[0])]), ..Default::default() }).await {
        Err(Error::Api { status: 400, error: v2::DeleteImagesError::BadRequest(body) }) => {
            let errors = body.errinfo.and_then(|e| e.details).and_then(|d| d.errors).unwrap_or_default();
            assert_eq!(errors[0].error, Some(m::PostNamespacesDeleteImagesResponseErrorErrinfoDetailsErrorError::Unauthorized));
        }
        other => panic!("a member gets `unauthorized`, got {other:?}"),
    }
    // Deleting the multi-arch index deletes its child too.
    let index = m::PostNamespacesDeleteImagesRequest {
        manifests: Some(vec![manifest(ACME_API_INDEX.0)]),
        ignore_warnings: Some(vec![
            m::PostNamespacesDeleteImagesRequestIgnoreWarning { repository: "api".into(), digest: ACME_API_INDEX.0.into(), warning: "is_active".into(), tags: None, additional_properties: Default::default() },
            m::PostNamespacesDeleteImagesRequestIgnoreWarning { repository: "api".into(), digest: ACME_API_INDEX.0.into(), warning: "current_tag".into(), tags: Some(vec!["multiarch".into()]), additional_properties: Default::default() },
        ]),
        ..Default::default()
    };
    let done = alice.delete_images(ORG, &index).await.expect("delete the index");
    assert_eq!(done.metrics.and_then(|m| m.manifest_deletes), Some(2));
    // Malformed requests: several repositories, nothing to delete, a bad time.
    let two = m::PostNamespacesDeleteImagesRequest {
        manifests: Some(vec![manifest(ACME_API_DIGESTS[0]), m::PostNamespacesDeleteImagesRequestManifest { repository: "web".into(), digest: "sha256:x".into(), additional_properties: Default::default() }]),
        ..Default::default()
    };
    for (request, words) in [(two, "single repository"), (m::PostNamespacesDeleteImagesRequest::default(), "at least one"), (m::PostNamespacesDeleteImagesRequest { active_from: Some("yesterday".into()), manifests: Some(vec![manifest("x")]), ..Default::default() }, "active_from")] {
        match alice.delete_images(ORG, &request).await {
            Err(Error::Api { status: 400, error: v2::DeleteImagesError::BadRequest(body) }) => assert!(body.message.unwrap_or_default().contains(words), "mentions {words}"),
            other => panic!("expected a 400 about {words}, got {other:?}"),
        }
    }
    // No credentials, or another namespace: 403 (no 401 is documented).
    assert!(matches!(hub.anonymous().delete_images(ORG, &index).await, Err(Error::Api { status: 403, error: v2::DeleteImagesError::Forbidden(_) })));
    assert!(matches!(alice.delete_images(CAROL.username, &index).await, Err(Error::Api { status: 403, .. })));
}
