//! Requests shaped as the clients in use send them, raw: trailing slashes (docker/hub-tool,
//! docker-pushrm), `Authorization: JWT` and lowercase `bearer`, a SCIM `PUT` with `active` and a
//! SCIM list read for `Resources` (RFC 7643/7644), and HEAD answers with the headers of the
//! documented response. Each is answered as Docker Hub answers it (see `spec/hub.overlay.yaml` for
//! the evidence behind each).

use fake_hub::seed::{ALICE, ORG, SCIM_TOKEN};
use serde_json::{json, Value};

use crate::support::start;

const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

#[tokio::test]
async fn a_jwt_client_logs_in_with_a_trailing_slash_and_reads_with_jwt_and_lowercase_bearer() {
    let hub = start().await;
    let raw = hub.raw();
    let login = raw.post(hub.url("/v2/users/login/")).json(&json!({"username": ALICE.username, "password": ALICE.password})).send().await.expect("login answers");
    assert_eq!(login.status(), 200, "the login path with a trailing slash is the login");
    let token = login.json::<Value>().await.expect("JSON")["token"].as_str().map(str::to_owned).expect("a token");

    for scheme in ["JWT", "Bearer", "bearer", "jwt"] {
        let answer = raw.get(hub.url(&format!("/v2/orgs/{ORG}/settings/"))).header("authorization", format!("{scheme} {token}")).send().await.expect("answers");
        assert_eq!(answer.status(), 200, "`{scheme}` names the bearer token");
        let body: Value = answer.json().await.expect("JSON");
        assert!(body["restricted_images"]["enabled"].is_boolean(), "{body}");
    }
    let unknown = raw.get(hub.url(&format!("/v2/orgs/{ORG}/settings"))).header("authorization", format!("Token {token}")).send().await.expect("answers");
    assert!(matches!(unknown.status().as_u16(), 401 | 403), "another scheme is not a session: {}", unknown.status());
}

#[tokio::test]
async fn tags_read_with_a_trailing_slash_list_every_platform_image() {
    let hub = start().await;
    let raw = hub.raw();
    let alice = hub.session(ALICE);
    let page: Value = raw
        .get(hub.url(&format!("/v2/namespaces/{ORG}/repositories/api/tags/?page_size=100")))
        .bearer_auth(&alice)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    let tags = page["results"].as_array().expect("a list of tags");
    let multiarch = tags.iter().find(|t| t["name"] == "multiarch").expect("the multi-arch tag");
    let images = multiarch["images"].as_array().expect("`images` is a list, as hub-tool reads it");
    assert_eq!(images.iter().map(|i| i["digest"].as_str()).collect::<Vec<_>>(), [Some(fake_hub::seed::ACME_API_INDEX.1)], "the index's platform images");
    let latest = tags.iter().find(|t| t["name"] == "latest").expect("latest");
    assert_eq!(latest["images"].as_array().map(Vec::len), Some(1), "a single-platform tag lists its one image");

    let one = raw.get(hub.url(&format!("/v2/namespaces/{ORG}/repositories/api/tags/latest/"))).bearer_auth(&alice).send().await.expect("answers");
    assert_eq!(one.status(), 200);
    let too_many = raw.get(hub.url(&format!("/v2/namespaces/{ORG}/repositories/api/tags/?page_size=101"))).bearer_auth(&alice).send().await.expect("answers");
    assert_eq!(too_many.status(), 400, "page_size is at most 100");
    let body: Value = too_many.json().await.expect("the documented ValueError");
    assert!(body.to_string().contains("page_size"), "{body}");
}

#[tokio::test]
async fn head_answers_carry_the_documented_headers_without_a_body() {
    let hub = start().await;
    let raw = hub.raw();
    let missing = raw.head(hub.url("/v2/namespaces/library/repositories/ubuntu/tags/focal")).send().await.expect("answers");
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"), "what a GET's 404 would say it carries");
    assert!(missing.bytes().await.expect("read").is_empty(), "HEAD sends no content (RFC 9110 §9.3.2)");
    let present = raw.head(hub.url("/v2/namespaces/library/repositories/ubuntu/tags/jammy/")).send().await.expect("answers");
    assert_eq!(present.status(), 200, "HEAD with a trailing slash too");
}

#[tokio::test]
async fn an_identity_provider_lists_resources_and_puts_active() {
    let hub = start().await;
    let raw = hub.raw();
    let list: Value = raw.get(hub.url("/v2/scim/2.0/Users?count=2")).bearer_auth(SCIM_TOKEN).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(list["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    assert_eq!(list["Resources"].as_array().map(Vec::len), Some(2), "RFC 7644 §3.4.2: the items are `Resources`: {list}");
    assert!(list.get("resources").is_none());
    let id = list["Resources"][0]["id"].as_str().expect("an id").to_owned();

    let put = |active: Option<bool>| {
        let mut body = json!({"schemas": [USER_SCHEMA]});
        if let Some(active) = active {
            body["active"] = json!(active);
        }
        // As identity providers send it: the SCIM media type (RFC 7644 §3.1).
        raw.put(hub.url(&format!("/v2/scim/2.0/Users/{id}"))).bearer_auth(SCIM_TOKEN).header("content-type", "application/scim+json").body(body.to_string()).send()
    };
    let off: Value = put(Some(false)).await.expect("answers").json().await.expect("JSON");
    assert_eq!(off["active"], false);
    let on = put(Some(true)).await.expect("answers");
    assert_eq!(on.status(), 200);
    assert_eq!(on.json::<Value>().await.expect("JSON")["active"], true, "`active: true` activates the user");
    let read: Value = raw.get(hub.url(&format!("/v2/scim/2.0/Users/{id}"))).bearer_auth(SCIM_TOKEN).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(read["active"], true, "and it stays so");
    // A PUT replaces the user: `active` left out is not asserted, and gets its documented default.
    let omitted: Value = put(None).await.expect("answers").json().await.expect("JSON");
    assert_eq!(omitted["active"], false);
}
