//! Repairs, on the raw document, the defects that `openapiv3` would otherwise drop without a trace.
//!
//! `openapiv3` ignores keys it does not know, so `items` on an object, array keywords inside `items`,
//! and the siblings of a `$ref` would vanish silently. Each repair here rewrites the raw tree into the
//! reading a user would want and records one warning with the location.

use serde_json::{Map, Value};

use super::walk::{walk, Kind};
use super::Note;
use crate::diag::push_pointer;

/// Keys that may stand beside a schema `$ref` and still mean something for this use of the type.
const KEPT_REF_SIBLINGS: &[&str] = &["description", "nullable", "readOnly", "writeOnly", "deprecated", "title"];

/// Walks the whole document and repairs it in place; `is_31` words the notes on `$ref` siblings.
/// The pointers of the schemas a repair made `nullable` where the spec as published is not go to
/// `assumed_nullable`.
pub(crate) fn repair_document(doc: &mut Value, is_31: bool, assumed_nullable: &mut Vec<String>) -> Vec<Note> {
    let mut repairs = Vec::new();
    walk(doc, &mut |node, pointer, kind| {
        let Value::Object(map) = node else { return };
        if kind == Kind::Schema {
            if repair_schema(map, pointer, &mut repairs) {
                assumed_nullable.push(pointer.to_owned());
            }
        } else if kind == Kind::Encoding {
            // `explode` defaults to true for `form` (the default style) and false for the others;
            // written out, because the `openapiv3` model reads an absent one as false.
            if !map.contains_key("explode") {
                let form = map.get("style").is_none_or(|s| s == "form");
                map.insert("explode".into(), Value::Bool(form));
            }
        } else {
            warn_non_schema_ref_siblings(map, pointer, is_31, &mut repairs);
        }
    });
    repairs
}

/// `$ref` siblings outside schemas (parameters, responses, …) are ignored by OpenAPI 3.0; 3.1 lets
/// `summary` and `description` override the target's, which the generated code does not show: say so.
fn warn_non_schema_ref_siblings(map: &Map<String, Value>, pointer: &str, is_31: bool, out: &mut Vec<Note>) {
    if map.contains_key("$ref") && map.len() > 1 {
        let siblings: Vec<&str> = map.keys().filter(|k| *k != "$ref").map(String::as_str).collect();
        let message = if is_31 {
            format!("`$ref` has sibling keys {}; the generated code documents the referenced object with its own text", quoted_list(&siblings))
        } else {
            format!("`$ref` has sibling keys {}; OpenAPI 3.0 ignores them, and so did the generator", quoted_list(&siblings))
        };
        out.push(Note { pointer: pointer.to_owned(), message });
    }
}

/// Repairs one schema (the walk then descends into what it became); whether a repair made it
/// `nullable`.
fn repair_schema(map: &mut Map<String, Value>, pointer: &str, out: &mut Vec<Note>) -> bool {
    let kept_nullable = repair_ref_siblings(map, pointer, out);
    repair_items_on_object(map, pointer, out);
    repair_array_keywords_in_items(map, pointer, out);
    let null_example = repair_null_example(map, pointer, out);
    fold_structure_beside_composition(map);
    kept_nullable || null_example
}

/// `{$ref, description, type, …}`: keeps the reference, keeps the siblings that describe this use
/// (by wrapping the reference in a one-member `allOf`), and drops the rest with a warning;
/// whether it kept a `nullable: true`.
fn repair_ref_siblings(map: &mut Map<String, Value>, pointer: &str, out: &mut Vec<Note>) -> bool {
    let Some(reference) = map.get("$ref").cloned() else { return false };
    if map.len() == 1 {
        return false;
    }
    let mut kept = Map::new();
    let mut dropped = Vec::new();
    for (key, value) in std::mem::take(map) {
        if key == "$ref" {
            continue;
        }
        if KEPT_REF_SIBLINGS.contains(&key.as_str()) {
            kept.insert(key, value);
        } else {
            dropped.push(key);
        }
    }
    let mut message = format!(
        "`$ref` to `{}` has sibling keys, which OpenAPI 3.0 ignores",
        reference.as_str().unwrap_or("?")
    );
    if !kept.is_empty() {
        let names: Vec<&str> = kept.keys().map(String::as_str).collect();
        message.push_str(&format!("; kept {} as describing this use of the type", quoted_list(&names)));
    }
    if !dropped.is_empty() {
        let names: Vec<&str> = dropped.iter().map(String::as_str).collect();
        message.push_str(&format!("; ignored {}", quoted_list(&names)));
    }
    out.push(Note { pointer: pointer.to_owned(), message });
    let nullable = kept.get("nullable") == Some(&Value::Bool(true));
    if kept.is_empty() {
        map.insert("$ref".into(), reference);
    } else {
        let mut member = Map::new();
        member.insert("$ref".into(), reference);
        *map = kept;
        map.insert("allOf".into(), Value::Array(vec![Value::Object(member)]));
    }
    nullable
}

/// `type: object` with `items`: `items` says nothing about an object, so it is ignored. Reading it
/// as the type of the object's values would refuse the plain objects real data holds there; the
/// object's further properties are kept whatever their values, as JSON Schema reads it.
fn repair_items_on_object(map: &mut Map<String, Value>, pointer: &str, out: &mut Vec<Note>) {
    let is_object = map.get("type").and_then(Value::as_str) == Some("object")
        || (map.get("type").is_none() && map.contains_key("properties"));
    if !is_object || map.remove("items").is_none() {
        return;
    }
    out.push(Note {
        pointer: push_pointer(pointer, "items"),
        message: "`items` on an object schema means nothing for an object; ignored it (its properties are kept whatever their values)".into(),
    });
}

/// `minItems` and friends written inside `items` of a non-array item mean nothing there (JSON
/// Schema ignores them): they are taken out with a warning, not moved to the array, which would
/// refuse values the spec as published admits (`[]` under `items: {minItems: 1}`). Where the
/// author meant the array, an overlay says so.
fn repair_array_keywords_in_items(map: &mut Map<String, Value>, pointer: &str, out: &mut Vec<Note>) {
    if map.get("type").and_then(Value::as_str) != Some("array") {
        return;
    }
    let Some(Value::Object(items)) = map.get_mut("items") else { return };
    if items.get("type").and_then(Value::as_str) == Some("array") {
        return;
    }
    let mut moved = Vec::new();
    for key in ["minItems", "maxItems", "uniqueItems"] {
        if let Some(v) = items.remove(key) {
            moved.push((key, v));
        }
    }
    for (key, v) in moved {
        let message = if map.contains_key(key) {
            format!("`{key}` inside `items` of a non-array item means nothing there; the array has its own, kept that")
        } else {
            format!("`{key}: {v}` inside `items` of a non-array item means nothing there; ignored it, as JSON Schema does (an overlay can put it on the array, where it would bind)")
        };
        out.push(Note { pointer: push_pointer(&push_pointer(pointer, "items"), key), message });
    }
}

/// `example: null` on a schema that is not `nullable`: the spec's own example says null occurs.
/// Whether it made the schema `nullable`.
fn repair_null_example(map: &mut Map<String, Value>, pointer: &str, out: &mut Vec<Note>) -> bool {
    let null_example = matches!(map.get("example"), Some(Value::Null));
    let nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
    if null_example && !nullable && map.contains_key("type") {
        map.insert("nullable".into(), Value::Bool(true));
        out.push(Note {
            pointer: push_pointer(pointer, "example"),
            message: "`example: null` on a schema not marked `nullable`; assumed it is nullable".into(),
        });
        return true;
    }
    false
}

/// `openapiv3` reads a schema as either a typed schema or a composition; keys of both kinds in one
/// schema would lose one side. Moves the structural keys into one more `allOf` member, which is
/// what they mean (no warning: this is valid OpenAPI, only a shape the parser cannot hold).
fn fold_structure_beside_composition(map: &mut Map<String, Value>) {
    if !matches!(map.get("allOf"), Some(Value::Array(_))) {
        return;
    }
    let mut member = Map::new();
    for key in ["type", "properties", "required", "additionalProperties"] {
        if let Some(v) = map.remove(key) {
            member.insert(key.into(), v);
        }
    }
    if member.keys().any(|k| k != "type") {
        if let Some(Value::Array(members)) = map.get_mut("allOf") {
            members.push(Value::Object(member));
        }
    }
}

fn quoted_list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repaired(mut doc: Value) -> (Value, Vec<String>) {
        let repairs = repair_document(&mut doc, false, &mut Vec::new());
        (doc, repairs.into_iter().map(|r| format!("{}: {}", r.pointer, r.message)).collect())
    }

    #[test]
    fn ref_with_description_sibling_becomes_single_member_all_of() {
        let (doc, notes) = repaired(json!({"components": {"schemas": {"T": {"properties": {
            "images": {"type": "object", "description": "d", "$ref": "#/components/schemas/I"}
        }}}}}));
        assert_eq!(
            doc["components"]["schemas"]["T"]["properties"]["images"],
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/I"}]})
        );
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("/components/schemas/T/properties/images: "), "{notes:?}");
        assert!(notes[0].contains("ignored `type`"), "{notes:?}");
    }

    #[test]
    fn items_on_an_object_are_ignored() {
        let (doc, notes) = repaired(json!({"components": {"schemas": {"E": {"type": "object", "properties": {
            "fields": {"type": "object", "items": {"type": "string"}}
        }}}}}));
        assert_eq!(doc["components"]["schemas"]["E"]["properties"]["fields"], json!({"type": "object"}));
        assert_eq!(notes, vec!["/components/schemas/E/properties/fields/items: `items` on an object schema means nothing for an object; ignored it (its properties are kept whatever their values)"]);
    }

    #[test]
    fn min_items_inside_items_is_ignored_as_json_schema_ignores_it() {
        let (doc, notes) = repaired(json!({"components": {"schemas": {"S": {
            "type": "array", "items": {"type": "string", "minItems": 1}
        }}}}));
        // The array admits `[]`, as the spec as published does: only an overlay may say otherwise.
        assert_eq!(doc["components"]["schemas"]["S"], json!({"type": "array", "items": {"type": "string"}}));
        assert_eq!(notes, vec!["/components/schemas/S/items/minItems: `minItems: 1` inside `items` of a non-array item means nothing there; ignored it, as JSON Schema does (an overlay can put it on the array, where it would bind)"]);
    }

    #[test]
    fn null_example_makes_nullable_and_schemas_inside_examples_are_left_alone() {
        let (doc, notes) = repaired(json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"type": "string", "example": null},
            "example": {"schema": {"$ref": "#/x", "type": "object"}}
        }}}}}}}}));
        let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"]["nullable"], json!(true));
        assert_eq!(media["example"]["schema"], json!({"$ref": "#/x", "type": "object"}));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn properties_beside_all_of_are_folded_into_a_member() {
        let (doc, notes) = repaired(json!({"components": {"schemas": {"M": {
            "type": "object", "allOf": [{"$ref": "#/components/schemas/A"}], "properties": {"x": {"type": "string"}}
        }}}}));
        assert_eq!(
            doc["components"]["schemas"]["M"],
            json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"x": {"type": "string"}}}]})
        );
        assert!(notes.is_empty());
    }
}
