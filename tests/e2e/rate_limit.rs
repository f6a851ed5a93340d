//! The v2 rate limit: headers on every answer, 429 with `X-Retry-After` past the limit, callers
//! counted apart, and the client's view of it.

use std::time::Duration;

use dockerhub_client::{v2, Error};
use fake_hub::seed::{ALICE, ORG};
use fake_hub::{AppOptions, HubConfig};

use crate::support::{start, start_with};

#[tokio::test]
async fn every_v2_answer_carries_the_rate_limit_headers() {
    let hub = start().await;
    let raw = hub.raw();
    for path in ["/v2/namespaces/alice/repositories/web/tags", "/v2/orgs/acme/settings", "/v2/no/such/route"] {
        let answer = raw.get(hub.url(path)).send().await.expect("answer");
        let headers = answer.headers();
        assert_eq!(headers.get("x-ratelimit-limit").and_then(|v| v.to_str().ok()), Some("10000"), "{path}");
        assert!(headers.get("x-ratelimit-remaining").is_some() && headers.get("x-ratelimit-reset").is_some(), "{path}");
    }
    let v1 = raw.get(hub.url("/v1/repositories/alice/web/images")).send().await.expect("answer");
    assert!(v1.headers().get("x-ratelimit-limit").is_none(), "the v1 index is not rate-limited");
}

#[tokio::test]
async fn past_the_limit_callers_get_429_until_the_window_resets() {
    // A window of decades, so that the test never straddles a reset.
    let hub = start_with(HubConfig::default(), AppOptions { rate_limit: 3, rate_window: Duration::from_secs(1_000_000_000) }).await;
    // Logging in is counted for the client's address; the session has a budget of its own.
    let alice = hub.login(ALICE).await;
    alice.get_org_settings(ORG).await.expect("one");
    let limit = alice.rate_limit().expect("the client read the headers");
    assert_eq!((limit.limit, limit.remaining), (Some(3), Some(2)));
    alice.get_org_settings(ORG).await.expect("two");
    alice.get_org_settings(ORG).await.expect("three");
    match alice.get_org_settings(ORG).await {
        Err(Error::RateLimited { retry_after: Some(at), body }) => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
            assert!(at > now && at <= now + 1_000_000_000, "X-Retry-After is the unix time the window ends: {at}");
            assert!(body.contains("Rate limit exceeded"));
        }
        other => panic!("the fourth request of the session is refused, got {other:?}"),
    }
    match alice.list_audit_actions(ORG).await {
        Err(Error::Api { status: 429, error: v2::ListAuditActionsError::TooManyRequests(body) }) => assert_eq!(body["detail"], "Rate limit exceeded"),
        other => panic!("where 429 is documented it comes back typed, got {other:?}"),
    }
    assert_eq!(alice.rate_limit().and_then(|l| l.remaining), Some(0));
    // Another credential has its own budget.
    let anonymous = hub.anonymous();
    assert!(anonymous.list_repository_tags(ALICE.username, "web", v2::ListRepositoryTagsParams::default()).await.is_ok());
}
