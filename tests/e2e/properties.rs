//! Property tests over loopback: random JSON bodies for every operation with a body, random query
//! strings and random path segments for every route, with and without credentials. Whatever is
//! sent, the answer is a status below 500. Bounded: a few dozen cases each, one shared hub.

use std::sync::OnceLock;
use std::time::Duration;

use fake_hub::seed::ALICE;
use proptest::prelude::*;
use serde_json::Value;

/// One hub for all property tests, on its own runtime (proptest's cases are synchronous).
struct Shared {
    runtime: tokio::runtime::Runtime,
    running: crate::support::Running,
    session: String,
    http: reqwest::Client,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
        let running = runtime.block_on(crate::support::start());
        let session = running.session(ALICE);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("reqwest");
        Shared { runtime, running, session, http }
    })
}

/// Sends a request and returns its status.
fn status(method: reqwest::Method, path: &str, credentials: Option<&str>, content_type: &str, body: Option<Vec<u8>>) -> u16 {
    let shared = shared();
    let mut request = shared.http.request(method, format!("{}{path}", shared.running.base_url));
    if let Some(authorization) = credentials {
        request = request.header("authorization", authorization);
    }
    if let Some(body) = body {
        request = request.header("content-type", content_type).body(body);
    }
    let status = shared.runtime.block_on(async { request.send().await.expect("an answer").status().as_u16() });
    let violations = shared.running.take_violations();
    assert!(violations.is_empty(), "fake-hub answered against the spec:\n{}", violations.join("\n"));
    status
}

/// Operations with a body: method, path, content type.
const WITH_BODY: &[(&str, &str, &str)] = &[
    ("POST", "/v2/users/login", "application/json"),
    ("POST", "/v2/users/2fa-login", "application/json"),
    ("POST", "/v2/access-tokens", "application/json"),
    ("PATCH", "/v2/access-tokens/some-uuid", "application/json"),
    ("POST", "/v2/namespaces/acme/delete-images", "application/json"),
    ("PUT", "/v2/orgs/acme/settings", "application/json"),
    ("POST", "/v2/scim/2.0/Users", "application/scim+json"),
    ("PUT", "/v2/scim/2.0/Users/some-id", "application/scim+json"),
    ("PUT", "/v1/repositories/alice/proptest/", "application/json"),
    ("PUT", "/v1/repositories/proptest/", "application/json"),
    ("PUT", "/v1/repositories/alice/web/images", "application/json"),
    ("PUT", "/v1/repositories/ubuntu/images", "application/json"),
    ("POST", "/v1/users/", "application/json"),
    ("PUT", "/v1/users/alice/", "application/json"),
];

/// Route templates with `{}` for path segments, and their methods.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/v2/access-tokens"),
    ("GET", "/v2/access-tokens/{}"),
    ("DELETE", "/v2/access-tokens/{}"),
    ("GET", "/v2/namespaces/{}/repositories/{}/images-summary"),
    ("GET", "/v2/namespaces/{}/repositories/{}/images"),
    ("GET", "/v2/namespaces/{}/repositories/{}/images/{}/tags"),
    ("GET", "/v2/auditlogs/{}"),
    ("GET", "/v2/auditlogs/{}/actions"),
    ("GET", "/v2/orgs/{}/settings"),
    ("GET", "/v2/namespaces/{}/repositories/{}/tags"),
    ("HEAD", "/v2/namespaces/{}/repositories/{}/tags"),
    ("GET", "/v2/namespaces/{}/repositories/{}/tags/{}"),
    ("HEAD", "/v2/namespaces/{}/repositories/{}/tags/{}"),
    ("GET", "/v2/scim/2.0/ServiceProviderConfig"),
    ("GET", "/v2/scim/2.0/ResourceTypes/{}"),
    ("GET", "/v2/scim/2.0/Schemas/{}"),
    ("GET", "/v2/scim/2.0/Users"),
    ("GET", "/v2/scim/2.0/Users/{}"),
    ("GET", "/v1/repositories/{}/{}/images"),
    ("GET", "/v1/repositories/{}/images"),
    ("PUT", "/v1/repositories/{}/auth"),
    ("PUT", "/v1/repositories/{}/{}/auth"),
    ("DELETE", "/v1/repositories/{}/{}/"),
    ("DELETE", "/v1/repositories/{}/"),
    ("GET", "/v1/users/"),
];

fn method(name: &str) -> reqwest::Method {
    reqwest::Method::from_bytes(name.as_bytes()).unwrap_or(reqwest::Method::GET)
}

/// Any JSON value, a few levels deep, biased towards the field names the bodies use.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("username".to_owned()),
        Just("password".to_owned()),
        Just("token_label".to_owned()),
        Just("scopes".to_owned()),
        Just("manifests".to_owned()),
        Just("ignore_warnings".to_owned()),
        Just("restricted_images".to_owned()),
        Just("schemas".to_owned()),
        Just("userName".to_owned()),
        Just("id".to_owned()),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("repo:admin".into())),
        Just(Value::String("urn:ietf:params:scim:schemas:core:2.0:User".into())),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A path segment: plain, percent-encoded bytes, dots, or empty.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._~-]{0,16}",
        prop::collection::vec(any::<u8>(), 0..8).prop_map(|bytes| bytes.iter().map(|b| format!("%{b:02X}")).collect()),
        Just("..".to_owned()),
        Just("acme".to_owned()),
        Just("api".to_owned()),
    ]
}

/// A query string of random pairs, with the names the routes read.
fn query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("page"), Just("page_size"), Just("status"), Just("ordering"), Just("currently_tagged"), Just("active_from"), Just("from"), Just("to"),
        Just("action"), Just("filter"), Just("sortBy"), Just("sortOrder"), Just("startIndex"), Just("count"), Just("attributes"),
    ];
    let value = prop_oneof!["[ -~]{0,16}", any::<i64>().prop_map(|n| n.to_string()), Just("true".to_owned()), Just("-digest".to_owned())];
    prop::collection::vec((name, value), 0..5).prop_map(|pairs| {
        pairs.into_iter().map(|(n, v)| format!("{n}={}", v.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect::<String>())).collect::<Vec<_>>().join("&")
    })
}

fn credentials() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(format!("Bearer {}", shared().session))),
        Just(Some(format!("Bearer {}", fake_hub::seed::SCIM_TOKEN))),
        Just(Some("Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=".to_owned())),
        "[ -~]{0,24}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bodies_never_get_a_server_error(route in 0..WITH_BODY.len(), body in json_value(), auth in credentials()) {
        let (verb, path, content_type) = WITH_BODY[route];
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let answer = status(method(verb), path, auth.as_deref(), content_type, Some(bytes));
        prop_assert!(answer < 500, "{verb} {path} with {body}: {answer}");
    }

    #[test]
    fn random_bytes_as_bodies_never_get_a_server_error(route in 0..WITH_BODY.len(), bytes in prop::collection::vec(any::<u8>(), 0..64), auth in credentials()) {
        let (verb, path, content_type) = WITH_BODY[route];
        let answer = status(method(verb), path, auth.as_deref(), content_type, Some(bytes.clone()));
        prop_assert!((400..500).contains(&answer) || answer < 300, "{verb} {path} with {bytes:?}: {answer}");
    }

    #[test]
    fn random_queries_and_segments_never_get_a_server_error(route in 0..ROUTES.len(), segments in prop::collection::vec(segment(), 3), query in query(), auth in credentials()) {
        let (verb, template) = ROUTES[route];
        let mut path = String::new();
        let mut parts = segments.iter();
        for (i, piece) in template.split("{}").enumerate() {
            if i > 0 {
                path.push_str(parts.next().map_or("", String::as_str));
            }
            path.push_str(piece);
        }
        let target = if query.is_empty() { path } else { format!("{path}?{query}") };
        let answer = status(method(verb), &target, auth.as_deref(), "application/json", None);
        prop_assert!(answer < 500, "{verb} {target}: {answer}");
    }
}
