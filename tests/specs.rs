//! The specs in `spec/`: the v2 spec is the seed's text, and the hand-written v1 spec states what the
//! v1 reference states (checked through the generator's IR, as every emitter sees it).

use std::collections::BTreeMap;
use std::process::Command;

use generator::ir::{Api, Method, ParamLocation, SecurityKind, Status, TypeKind, TypeRef};
use tests::{lower, root, shared};

#[test]
fn hub_spec_has_the_seed_text() {
    let out = Command::new("python3")
        .arg(shared().join("tools/spec-matches-seed"))
        .arg(root().join("spec/hub.yaml"))
        .output()
        .expect("python3 runs the spec-matches-seed tool");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.starts_with("match"), "spec-matches-seed: {stdout}{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn hub_spec_lowers_to_its_28_operations_and_50_component_schemas() {
    let (api, _) = lower("spec/hub.yaml", "v2").expect("hub.yaml lowers");
    assert_eq!(api.operations.len(), 28);
    assert_eq!(api.types.iter().filter(|t| t.schema_name.is_some()).count(), 50);
    assert_eq!(api.servers.iter().map(|s| s.default_url.as_str()).collect::<Vec<_>>(), ["https://hub.docker.com/"]);
}

fn v1() -> Api {
    lower("spec/index-v1.yaml", "v1").expect("index-v1.yaml lowers").0
}

fn op<'a>(api: &'a Api, method: &Method, path: &str) -> &'a generator::ir::Operation {
    api.operations.iter().find(|o| o.method == *method && o.path == path).unwrap_or_else(|| panic!("{} {path} is described", method.as_str()))
}

#[test]
fn v1_spec_describes_all_13_operations_with_their_statuses() {
    use Method::*;
    let api = v1();
    let expected: &[(Method, &str, &[u16])] = &[
        (Put, "/v1/repositories/{namespace}/{repo_name}/", &[200, 400, 401, 403]),
        (Delete, "/v1/repositories/{namespace}/{repo_name}/", &[200, 202, 400, 401, 403]),
        (Put, "/v1/repositories/{repo_name}/", &[200, 400, 401, 403]),
        (Delete, "/v1/repositories/{repo_name}/", &[200, 202, 400, 401, 403]),
        (Put, "/v1/repositories/{namespace}/{repo_name}/images", &[204, 400, 401, 403]),
        (Get, "/v1/repositories/{namespace}/{repo_name}/images", &[200, 404]),
        (Put, "/v1/repositories/{repo_name}/images", &[204, 400, 401, 403]),
        (Get, "/v1/repositories/{repo_name}/images", &[200, 404]),
        (Put, "/v1/repositories/{repo_name}/auth", &[200, 403, 404]),
        (Put, "/v1/repositories/{namespace}/{repo_name}/auth", &[200, 403, 404]),
        (Get, "/v1/users/", &[200, 401, 403]),
        (Post, "/v1/users/", &[201, 400]),
        (Put, "/v1/users/{username}/", &[204, 400, 401, 403, 404]),
    ];
    assert_eq!(api.operations.len(), expected.len());
    for (method, path, statuses) in expected {
        let o = op(&api, method, path);
        let got: Vec<Status> = o.responses.iter().map(|r| r.status).collect();
        let want: Vec<Status> = statuses.iter().map(|s| Status::Code(*s)).collect();
        assert_eq!(got, want, "{} {path}", method.as_str());
        assert!(o.responses.iter().all(|r| r.doc.is_some()), "{} {path}: every status has its meaning", method.as_str());
    }
    assert_eq!(api.servers.iter().map(|s| s.default_url.as_str()).collect::<Vec<_>>(), ["https://index.docker.io"]);
}

#[test]
fn v1_spec_states_the_auth_schemes_and_which_operation_uses_which() {
    use Method::*;
    let api = v1();
    let kinds: BTreeMap<&str, &SecurityKind> = api.security_schemes.iter().map(|s| (s.name.as_str(), &s.kind)).collect();
    assert_eq!(kinds.get("basicAuth"), Some(&&SecurityKind::Basic));
    assert_eq!(kinds.get("tokenAuth"), Some(&&SecurityKind::HttpOther("Token".into())));
    let security = |m: Method, p| op(&api, &m, p).security.clone();
    let basic = vec![vec!["basicAuth".to_owned()]];
    let token = vec![vec!["tokenAuth".to_owned()]];
    assert_eq!(security(Put, "/v1/repositories/{namespace}/{repo_name}/"), basic);
    assert_eq!(security(Delete, "/v1/repositories/{repo_name}/"), basic);
    assert_eq!(security(Put, "/v1/repositories/{repo_name}/images"), basic);
    assert_eq!(security(Put, "/v1/repositories/{repo_name}/auth"), token);
    assert_eq!(security(Put, "/v1/repositories/{namespace}/{repo_name}/auth"), token);
    assert_eq!(security(Get, "/v1/users/"), basic);
    assert_eq!(security(Put, "/v1/users/{username}/"), basic);
    assert!(security(Post, "/v1/users/").is_empty(), "registering needs no credentials");
    assert!(security(Get, "/v1/repositories/{repo_name}/images").is_empty());
}

#[test]
fn v1_spec_states_the_token_headers() {
    use Method::*;
    let api = v1();
    for (method, path) in [
        (Put, "/v1/repositories/{namespace}/{repo_name}/"),
        (Delete, "/v1/repositories/{namespace}/{repo_name}/"),
        (Put, "/v1/repositories/{repo_name}/"),
        (Delete, "/v1/repositories/{repo_name}/"),
    ] {
        let o = op(&api, &method, path);
        let header = o.params.iter().find(|p| p.location == ParamLocation::Header).expect("X-Docker-Token request header");
        assert_eq!(header.wire_name, "X-Docker-Token");
        assert_eq!(header.ty, TypeRef::Boolean);
        let ok = &o.responses[0];
        let names: Vec<&str> = ok.headers.iter().map(|h| h.wire_name.as_str()).collect();
        assert_eq!(names, ["WWW-Authenticate", "X-Docker-Token", "X-Docker-Endpoints"], "{} {path}", method.as_str());
    }
    assert!(op(&api, &Get, "/v1/users/").params.is_empty());
}

#[test]
fn v1_spec_states_the_field_rules_and_plain_string_bodies() {
    use Method::*;
    let api = v1();
    let Some(TypeKind::Struct(reg)) = api.type_def("UserRegistration").map(|t| &t.kind) else { panic!("UserRegistration struct") };
    let field = |name: &str| reg.fields.iter().find(|f| f.wire_name == name).unwrap_or_else(|| panic!("field {name}"));
    assert!(reg.fields.iter().all(|f| f.required));
    assert_eq!((field("username").constraints.min_length, field("username").constraints.max_length), (Some(4), Some(30)));
    assert_eq!(field("username").constraints.pattern.as_deref(), Some("^[a-z0-9_]+$"));
    assert_eq!(field("password").constraints.min_length, Some(5));
    assert!(field("password").secret, "the password is redacted in Debug");
    assert_eq!(field("email").constraints.format.as_deref(), Some("email"));

    let body_type = |m: Method, p, status| {
        let o = op(&api, &m, p);
        o.responses.iter().find(|r| r.status == Status::Code(status)).and_then(|r| r.content.first()).and_then(|c| c.ty.clone())
    };
    assert_eq!(body_type(Post, "/v1/users/", 201), Some(TypeRef::String));
    assert_eq!(body_type(Put, "/v1/repositories/{repo_name}/auth", 200), Some(TypeRef::String));
    assert_eq!(body_type(Put, "/v1/users/{username}/", 204), None, "204 has no body");
    assert_eq!(body_type(Get, "/v1/repositories/{repo_name}/images", 200), Some(TypeRef::Named("ImageList".into())));
    let image = op(&api, &Put, "/v1/repositories/{repo_name}/images").body.as_ref().expect("image list body");
    assert_eq!(image.content[0].ty, Some(TypeRef::Named("ImageList".into())));
}
