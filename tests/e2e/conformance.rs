//! Response conformance: every answer fake-hub gives during the end-to-end suite is validated,
//! with the `jsonschema` crate, against the schema the overlaid spec documents for its operation,
//! status and media type. A mismatch is recorded with the operation and the JSON pointer, and the
//! test that caused it fails when its hub is dropped.
//!
//! OpenAPI 3.0 schemas are JSON Schema with a few differences, translated as the round-trip check
//! translates them (`xtask::judge::json_schema`). References stay `#/components/…`, resolved
//! against a root that carries the components.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{json, Value};

/// The documented responses of every operation of the specs fake-hub implements.
pub struct Checker {
    /// (method, path template split into segments, pointer of the operation, operation).
    operations: Vec<(String, Vec<String>, String, Value)>,
    /// Translated components of each spec, by the spec's index.
    components: Vec<Value>,
    /// The spec index of each operation.
    spec_of: Vec<usize>,
    /// Compiled validators by (operation index, status key, media type).
    validators: Mutex<HashMap<(usize, String, String), Arc<jsonschema::Validator>>>,
}

/// The answers that did not conform, one line each.
pub type Violations = Arc<Mutex<Vec<String>>>;

impl Checker {
    /// Reads the Docker Hub specs as the crates implement them: v2 with its overlay, and v1.
    pub fn docker_hub() -> Checker {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut diags = generator::diag::Diagnostics::default();
        let specs = [
            generator::load::overlaid(&root, xtask::HUB_LATEST, &[xtask::HUB_LATEST_OVERLAY.to_owned()], &mut diags).expect("the overlaid v2 spec loads"),
            generator::load::overlaid(&root, "spec/index-v1.yaml", &[], &mut diags).expect("the v1 spec loads"),
        ];
        let mut operations = Vec::new();
        let mut spec_of = Vec::new();
        let mut components = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            for (path, item) in spec["paths"].as_object().into_iter().flatten() {
                for (method, op) in item.as_object().into_iter().flatten() {
                    if !["get", "put", "post", "delete", "patch", "head"].contains(&method.as_str()) {
                        continue;
                    }
                    let segments = path.trim_end_matches('/').split('/').map(str::to_owned).collect();
                    operations.push((method.to_ascii_uppercase(), segments, format!("{} {path}", method.to_ascii_uppercase()), op.clone()));
                    spec_of.push(index);
                }
            }
            let mut translated = spec["components"].clone();
            xtask::judge::json_schema(&mut translated);
            components.push(json!({ "components": translated, "root": spec.clone() }));
        }
        Checker { operations, components, spec_of, validators: Mutex::new(HashMap::new()) }
    }

    /// The operation a request reached: its method and a path matching the template (one
    /// trailing slash allowed, as the router allows it).
    fn operation(&self, method: &str, path: &str) -> Option<usize> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let fits = |template: &[String]| {
            template.len() == segments.len() && template.iter().zip(&segments).all(|(t, s)| (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s)
        };
        // A literal segment beats a parameter: the most literal template that fits wins.
        self.operations
            .iter()
            .enumerate()
            .filter(|(_, (m, template, _, _))| m == method && fits(template))
            .max_by_key(|(_, (_, template, _, _))| template.iter().filter(|t| !t.starts_with('{')).count())
            .map(|(i, _)| i)
    }

    /// Checks one answer; a mismatch is described with the operation and pointer.
    pub fn check(&self, method: &str, path: &str, status: u16, content_type: Option<&str>, body: &[u8]) -> Result<(), String> {
        let Some(index) = self.operation(method, path) else { return Ok(()) };
        let (_, _, name, op) = &self.operations[index];
        let responses = &op["responses"];
        let code = status.to_string();
        let range = format!("{}XX", status / 100);
        let Some((key, response)) = [code.as_str(), range.as_str(), "default"].iter().find_map(|k| responses.get(*k).map(|r| (k.to_string(), r))) else {
            // An undocumented status (a 429 from the rate limiter, say) has nothing to check against.
            return Ok(());
        };
        let spec = &self.components[self.spec_of[index]]["root"];
        let response = resolve(spec, response);
        let Some(content) = response.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
            return if body.is_empty() || method == "HEAD" { Ok(()) } else { Err(format!("{name} answered {status} with a body the spec does not document")) };
        };
        if method == "HEAD" {
            return Ok(());
        }
        let media = content_type.and_then(|c| c.split(';').next()).map(str::trim).unwrap_or_default();
        let Some(schema) = content.get(media).map(|m| m.get("schema").cloned().unwrap_or(Value::Bool(true))) else {
            return Err(format!("{name} answered {status} as `{media}`; the spec documents {:?}", content.keys().collect::<Vec<_>>()));
        };
        if !(media == "application/json" || media.ends_with("+json")) {
            return Ok(());
        }
        let instance: Value = serde_json::from_slice(body).map_err(|e| format!("{name} answered {status} with a body that is not JSON: {e}"))?;
        let validator = self.validator(index, &key, media, schema)?;
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| format!("{name} answered {status}: at `{}`: {e}", e.instance_path())).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }

    fn validator(&self, index: usize, status: &str, media: &str, schema: Value) -> Result<Arc<jsonschema::Validator>, String> {
        let key = (index, status.to_owned(), media.to_owned());
        if let Some(found) = self.validators.lock().expect("not poisoned").get(&key) {
            return Ok(found.clone());
        }
        let mut schema = schema;
        xtask::judge::json_schema(&mut schema);
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "allOf": [schema],
            "components": self.components[self.spec_of[index]]["components"],
        });
        let validator = Arc::new(jsonschema::validator_for(&root).map_err(|e| format!("{}: the documented schema does not compile: {e}", self.operations[index].2))?);
        self.validators.lock().expect("not poisoned").insert(key, validator.clone());
        Ok(validator)
    }
}

/// A response object, following its `$ref` into `components/responses`.
fn resolve<'a>(spec: &'a Value, response: &'a Value) -> &'a Value {
    match response.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(response),
        None => response,
    }
}

/// The middleware recording every non-conforming answer into `violations`.
pub async fn record(checker: Arc<Checker>, violations: Violations, request: Request, next: Next) -> Response {
    let (method, path) = (request.method().as_str().to_owned(), request.uri().path().to_owned());
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            violations.lock().expect("not poisoned").push(format!("{method} {path}: the answer could not be read: {e}"));
            axum::body::Bytes::new()
        }
    };
    let content_type = parts.headers.get("content-type").and_then(|v| v.to_str().ok());
    if let Err(e) = checker.check(&method, &path, parts.status.as_u16(), content_type, &bytes) {
        violations.lock().expect("not poisoned").push(e);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[test]
fn a_wrong_answer_is_named_with_its_operation_and_pointer() {
    let checker = Checker::docker_hub();
    let tag = br#"{"name": "latest", "images": {"architecture": "amd64"}}"#;
    let error = checker.check("GET", "/v2/namespaces/acme/repositories/api/tags/latest", 200, Some("application/json"), tag).expect_err("one image object is not the list the overlay documents");
    assert!(error.contains("GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag} answered 200: at `/images`"), "{error}");
    let tags = br#"{"name": "latest", "images": [{"architecture": "amd64"}], "last_updated": null}"#;
    checker.check("GET", "/v2/namespaces/acme/repositories/api/tags/latest/", 200, Some("application/json"), tags).expect("a list conforms, nullable fields may be null");
    let scim = br#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1, "Resources": [{"active": "yes"}]}"#;
    let error = checker.check("GET", "/v2/scim/2.0/Users", 200, Some("application/scim+json"), scim).expect_err("`active` is a boolean");
    assert!(error.contains("at `/Resources/0/active`"), "{error}");
    assert!(checker.check("GET", "/v2/nowhere", 404, Some("application/json"), b"{}").is_ok(), "no operation, nothing to check");
}
