//! Requests the generated client would never send, sent raw: bad JSON, wrong types, missing fields,
//! oversized bodies, unknown enum values, bad paths, wrong methods and content types. Each gets the
//! 4xx the router documents, with the operation's documented 400 (else `4XX`, else `default`)
//! shape naming the field (or the default `{detail, field}` shape where the operation documents
//! none), and never a 5xx.

use fake_hub::seed::ALICE;
use serde_json::{json, Value};

use crate::support::{start, Running};

/// The status and JSON body (`Null` when empty or not JSON) of a raw request.
async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let answer = request.send().await.expect("an answer");
    let status = answer.status().as_u16();
    let bytes = answer.bytes().await.expect("a body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Checks the default error shape and the field it names.
fn default_shape(answer: &(u16, Value), status: u16, field: Option<&str>) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert!(answer.1["detail"].is_string(), "a detail: {}", answer.1);
    assert_eq!(answer.1["field"].as_str(), field, "{}", answer.1);
}

fn json_post(hub: &Running, path: &str, body: &str) -> reqwest::RequestBuilder {
    hub.raw().post(hub.url(path)).header("content-type", "application/json").body(body.to_owned())
}

#[tokio::test]
async fn bodies_that_break_the_schema_get_field_errors() {
    let hub = start().await;
    let session = hub.session(ALICE);
    // The logins document `error` for 400 (`detail` and `message`, with the field at fault first;
    // the overlay documents the 400 the service answers, hub-tool #191). (A syntax error at the end
    // of the input is reported at `body.?`: serde_path_to_error's "unknown position", passed through.)
    let truncated = send(json_post(&hub, "/v2/users/login", "{\"username\": \"alice\"")).await;
    assert_eq!(truncated.0, 400, "{}", truncated.1);
    assert!(truncated.1["detail"].as_str().is_some_and(|d| d.starts_with("body") && d.contains("EOF")), "{}", truncated.1);
    let missing = send(json_post(&hub, "/v2/users/login", r#"{"username": "alice"}"#)).await;
    assert_eq!(missing.0, 400, "{}", missing.1);
    assert!(missing.1["detail"].as_str().is_some_and(|d| d.starts_with("body: ") && d.contains("password")), "names the missing field: {}", missing.1);
    let code = send(json_post(&hub, "/v2/users/2fa-login", r#"{"login_2fa_token": "x", "code": 123456}"#)).await;
    assert!(code.0 == 400 && code.1["detail"].as_str().is_some_and(|d| d.starts_with("body.code: ")), "{}", code.1);
    // The organization's settings document `ValueError`, as its family does: `fields` by name.
    let nested = send(hub.raw().put(hub.url("/v2/orgs/acme/settings")).bearer_auth(&session).json(&json!({"restricted_images": {"enabled": true}}))).await;
    assert_eq!(nested.0, 400, "{}", nested.1);
    assert!(nested.1["fields"]["restricted_images"].as_str().unwrap_or_default().contains("allow_official_images"), "{}", nested.1);

    // Access tokens document ValueError: `fields` by name, `text` with the location.
    let wrong_type = send(hub.raw().post(hub.url("/v2/access-tokens")).bearer_auth(&session).json(&json!({"token_label": 5, "scopes": ["repo:read"]}))).await;
    assert_eq!(wrong_type.0, 400);
    assert!(wrong_type.1["fields"]["token_label"].is_string(), "{}", wrong_type.1);
    assert!(wrong_type.1["text"].as_str().unwrap_or_default().starts_with("body.token_label: "), "{}", wrong_type.1);
    let patch = send(hub.raw().patch(hub.url("/v2/access-tokens/x")).bearer_auth(&session).json(&json!({"is_active": "yes"}))).await;
    assert!(patch.0 == 400 && patch.1["fields"]["is_active"].is_string(), "{}", patch.1);

    // The operations Docker added since the seed document `Error2` (`detail`, `message`,
    // `errinfo`): the refusal names the field in both.
    let create = send(hub.raw().post(hub.url("/v2/namespaces/alice/repositories")).bearer_auth(&session).json(&json!({"namespace": "alice"}))).await;
    assert_eq!(create.0, 400);
    assert!(create.1["detail"].as_str().unwrap_or_default().contains("name"), "{}", create.1);
    let rules = json!({"immutable_tags": "yes", "immutable_tags_rules": []});
    let immutable = send(hub.raw().patch(hub.url("/v2/namespaces/alice/repositories/web/immutabletags")).bearer_auth(&session).json(&rules)).await;
    assert_eq!(immutable.0, 400, "{}", immutable.1);
    assert!(immutable.1["detail"].as_str().unwrap_or_default().contains("immutable_tags"), "{}", immutable.1);

    // SCIM documents its error shape with scimType.
    let scim = send(hub.raw().post(hub.url("/v2/scim/2.0/Users")).bearer_auth(fake_hub::seed::SCIM_TOKEN).header("content-type", "application/scim+json").body(r#"{"schemas": []}"#)).await;
    assert_eq!((scim.0, scim.1["status"].as_str(), scim.1["scimType"].as_str()), (400, Some("400"), Some("invalidValue")), "{}", scim.1);
    assert!(scim.1["detail"].as_str().unwrap_or_default().contains("userName"), "{}", scim.1);

    // v1 documents an empty 400.
    let register = send(json_post(&hub, "/v1/users/", r#"{"email": "a@b.cd", "password": "secret", "username": "x"}"#)).await;
    assert_eq!(register, (400, Value::Null));
    let not_a_list = send(hub.raw().put(hub.url("/v1/repositories/alice/web/images")).basic_auth("alice", Some(ALICE.password)).json(&json!({"id": "x"}))).await;
    assert_eq!(not_a_list.0, 400);
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let hub = start().await;
    let session = hub.session(ALICE);
    let get = |path: &str| hub.raw().get(hub.url(path)).bearer_auth(&session);
    let page = send(get("/v2/access-tokens?page=abc")).await;
    assert!(page.0 == 400 && page.1["fields"]["page"].is_string(), "{}", page.1);
    // The repository listing documents its 400 (`Error2`): the detail names the parameter.
    for (query, field) in [("ordering=size", "ordering"), ("page_size=1000", "page_size"), ("page=0", "page")] {
        let answer = send(get(&format!("/v2/namespaces/acme/repositories?{query}"))).await;
        assert!(answer.0 == 400 && answer.1["detail"].as_str().unwrap_or_default().contains(field), "{query}: {}", answer.1);
    }
    // Audit logs document no 400 but a `default` shape (`{code, message}`): a refusal takes it.
    for (query, field) in [("from=yesterday", "query.from: "), ("page_size=99999999999", "query.page_size: ")] {
        let answer = send(get(&format!("/v2/auditlogs/acme?{query}"))).await;
        assert_eq!(answer.0, 400, "{}", answer.1);
        assert_eq!(answer.1["code"], 400, "{}", answer.1);
        assert!(answer.1["message"].as_str().is_some_and(|m| m.starts_with(field)), "{query}: {}", answer.1);
    }
    let scim = |query: &str| hub.raw().get(hub.url(&format!("/v2/scim/2.0/Users?{query}"))).bearer_auth(fake_hub::seed::SCIM_TOKEN);
    let order = send(scim("sortOrder=sideways")).await;
    assert_eq!((order.0, order.1["scimType"].as_str()), (400, Some("invalidValue")), "{}", order.1);
    assert!(order.1["detail"].as_str().unwrap_or_default().contains("sortOrder"));
    let count = send(scim("count=500")).await;
    assert!(count.0 == 400 && count.1["detail"].as_str().unwrap_or_default().contains("count"), "{}", count.1);
    let filter = send(scim("filter=userName%20eq")).await;
    assert_eq!((filter.0, filter.1["scimType"].as_str()), (400, Some("invalidFilter")));
    let header = send(hub.raw().put(hub.url("/v1/repositories/alice/x1/")).basic_auth("alice", Some(ALICE.password)).header("x-docker-token", "perhaps").json(&json!([]))).await;
    assert_eq!(header.0, 400, "X-Docker-Token must be a boolean");
}

#[tokio::test]
async fn routes_methods_sizes_and_content_types_are_checked() {
    let hub = start().await;
    let raw = hub.raw();
    default_shape(&send(raw.get(hub.url("/v2/nothing/here"))).await, 404, None);
    default_shape(&send(raw.get(hub.url("/v3/users/login"))).await, 404, None);
    let method = raw.delete(hub.url("/v2/users/login")).send().await.expect("answer");
    assert_eq!(method.status(), 405);
    assert_eq!(method.headers().get("allow").and_then(|v| v.to_str().ok()), Some("POST"));
    default_shape(&(405, method.json().await.unwrap_or(Value::Null)), 405, None);
    assert_eq!(send(raw.patch(hub.url("/v1/users/"))).await.0, 405);

    let huge = format!("{{\"username\": \"{}\", \"password\": \"x\"}}", "a".repeat(1024 * 1024 + 1));
    default_shape(&send(json_post(&hub, "/v2/users/login", &huge)).await, 413, Some("body"));
    let plain = send(raw.post(hub.url("/v2/users/login")).header("content-type", "text/plain").body(r#"{"username": "a", "password": "b"}"#)).await;
    default_shape(&plain, 415, Some("body"));
    let scim_as_json = send(raw.post(hub.url("/v2/scim/2.0/Users")).bearer_auth(fake_hub::seed::SCIM_TOKEN).json(&json!({"schemas": ["x"], "userName": "a@b.cd"}))).await;
    assert_eq!(scim_as_json.0, 415, "SCIM bodies are application/scim+json");
    let empty = send(raw.post(hub.url("/v2/users/login")).header("content-type", "application/json")).await;
    assert_eq!((empty.0, empty.1["detail"].as_str()), (400, Some("body: a request body is required")), "{}", empty.1);

    // A segment that is not UTF-8 once decoded: refused before the operation, in the default shape
    // (the operation documents no 400), naming the parameter.
    default_shape(&send(raw.get(hub.url("/v2/orgs/%FF%FE/settings"))).await, 400, Some("path.name"));
    // Odd path segments never reach a 5xx.
    for path in ["/v2/orgs/%FF%FE/settings", "/v2/namespaces/a%2Fb/repositories/c/tags", "/v2/access-tokens/..%2F..", "/v2/namespaces//repositories//tags", "/v1/repositories/%00/"] {
        let status = raw.get(hub.url(path)).send().await.expect("answer").status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    // Malformed credentials are no credentials.
    for header in ["Bearer", "Basic !!!", "Basic Zm9v", "Token", "Digest abc"] {
        let status = raw.get(hub.url("/v2/access-tokens")).header("authorization", header).send().await.expect("answer").status().as_u16();
        assert_eq!(status, 401, "{header}");
    }
}
