//! Finds where exactly a document fails to deserialize.
//!
//! `openapiv3` flattens its maps (paths, responses, components), which hides the failing entry from
//! `serde_path_to_error`: the error would point at `/paths`. Deserializing the entries of those maps
//! one by one finds the entry, and the path inside it.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::push_pointer;

/// The pointer and message of the first entry of a flattened map that fails, if any does.
pub(crate) fn deeper_error(raw: &Value) -> Option<(String, String)> {
    if let Some(Value::Object(paths)) = raw.get("paths") {
        for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let item_at = push_pointer("/paths", path);
            if let Value::Object(item_map) = item {
                for (method, op) in item_map {
                    if !["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str()) {
                        continue;
                    }
                    let op_at = push_pointer(&item_at, method);
                    if let Some(Value::Object(responses)) = op.get("responses") {
                        let responses_at = push_pointer(&op_at, "responses");
                        let found = responses
                            .iter()
                            .find_map(|(code, r)| probe::<openapiv3::ReferenceOr<openapiv3::Response>>(r, &push_pointer(&responses_at, code)));
                        if found.is_some() {
                            return found;
                        }
                    }
                    if let Some(found) = probe::<openapiv3::Operation>(op, &op_at) {
                        return Some(found);
                    }
                }
            }
            if let Some(found) = probe::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, &item_at) {
                return Some(found);
            }
        }
    }
    if let Some(Value::Object(components)) = raw.get("components") {
        if let Some(Value::Object(schemas)) = components.get("schemas") {
            let found = schemas.iter().find_map(|(k, s)| probe::<openapiv3::ReferenceOr<openapiv3::Schema>>(s, &push_pointer("/components/schemas", k)));
            if found.is_some() {
                return found;
            }
        }
        if let Some(Value::Object(responses)) = components.get("responses") {
            return responses.iter().find_map(|(k, r)| probe::<openapiv3::ReferenceOr<openapiv3::Response>>(r, &push_pointer("/components/responses", k)));
        }
    }
    None
}

/// Deserializes `value` as `T`; on failure, the pointer (below `at`) and message.
fn probe<T: DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => None,
        Err(e) => {
            let inner = super::path_to_pointer(e.path());
            Some((format!("{at}{inner}"), e.inner().to_string()))
        }
    }
}
