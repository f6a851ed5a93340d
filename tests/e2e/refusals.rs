//! Refusals in a status the operation documents. Every v2 operation of the overlaid spec that
//! reads a JSON body or a query parameter of a typed value is sent, raw, a `null` body and each such
//! parameter with a value of the wrong type: fake-hub must refuse each (4xx) with a status the
//! operation documents (the code, its range or `default`), so that a client matching the spec's
//! answers can read the refusal; the shape of each answer is checked by `conformance.rs`. (JSON
//! Schema lets a schema with `properties` and no `type` take `null`: the overlay says which are
//! objects, and where the text documented no 400 for a body or query the service refuses, the
//! overlay documents it with its evidence.)

use std::path::Path;

use fake_hub::seed::{ALICE, SCIM_TOKEN};
use serde_json::Value;

use crate::support::start;

/// `$ref` followed within the spec (parameters are referred to from `components`).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => spec.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// Whether `responses` documents `status`: the code, its range or `default`.
fn documents(responses: &Value, status: u16) -> bool {
    [status.to_string(), format!("{}XX", status / 100), "default".to_owned()].iter().any(|k| responses.get(k).is_some())
}

/// A value of the wrong type for a query parameter's schema, if the schema says a type a string
/// can miss.
fn wrong_value(schema: &Value) -> Option<&'static str> {
    match schema["type"].as_str() {
        Some("integer" | "number" | "boolean") => Some("not-a-value"),
        Some("string") if schema.get("enum").is_some() => Some("not-one-of-them"),
        _ => None,
    }
}

#[tokio::test]
async fn every_refusal_of_a_body_or_query_has_a_documented_status() {
    let hub = start().await;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut diags = generator::diag::Diagnostics::default();
    let spec = generator::load::overlaid(&root, xtask::HUB_LATEST, &[xtask::HUB_LATEST_OVERLAY.to_owned()], &mut diags).expect("the overlaid v2 spec loads");
    let session = hub.session(ALICE);
    let raw = hub.raw();
    let (mut probes, mut undocumented) = (0, Vec::new());
    for (template, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Ok(verb) = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else { continue };
            if !["GET", "PUT", "POST", "PATCH", "DELETE"].contains(&verb.as_str()) {
                continue;
            }
            let params: Vec<&Value> = item["parameters"].as_array().into_iter().chain(op["parameters"].as_array()).flatten().map(|p| resolve(&spec, p)).collect();
            // Path parameters get the spec's example where it gives one, so that only the probe is wrong.
            let mut path = template.clone();
            for p in params.iter().filter(|p| p["in"] == "path") {
                let example = p["example"].as_str().or(p["schema"]["example"].as_str()).unwrap_or("acme");
                path = path.replace(&format!("{{{}}}", p["name"].as_str().unwrap_or_default()), example);
            }
            let scim = op["security"].as_array().into_iter().flatten().any(|s| s.get("bearerSCIMAuth").is_some());
            let send = |suffix: &str| raw.request(verb.clone(), hub.url(&format!("{path}{suffix}"))).bearer_auth(if scim { SCIM_TOKEN } else { session.as_str() });
            let mut requests = Vec::new();
            for (media, _) in resolve(&spec, &op["requestBody"])["content"].as_object().into_iter().flatten() {
                if media == "application/json" || media.ends_with("+json") {
                    requests.push((format!("a `null` {media} body"), send("").header("content-type", media.as_str()).body("null")));
                }
            }
            for p in params.iter().filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().unwrap_or_default();
                if let Some(value) = wrong_value(&p["schema"]) {
                    requests.push((format!("`{name}={value}`"), send(&format!("?{name}={value}"))));
                }
            }
            for (what, request) in requests {
                probes += 1;
                let status = request.send().await.expect("an answer").status().as_u16();
                if !(400..500).contains(&status) || !documents(&op["responses"], status) {
                    undocumented.push(format!("{} {template} answered {what} with {status}", verb.as_str()));
                }
            }
        }
    }
    assert!(probes >= 25, "the spec's bodies and typed query parameters are probed ({probes})");
    assert!(undocumented.is_empty(), "refusals the operation does not document, or no refusal:\n{}", undocumented.join("\n"));
}
