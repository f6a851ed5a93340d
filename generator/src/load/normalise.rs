//! OpenAPI 3.1 read into the 3.0 model that lowering understands.
//!
//! Why normalise rather than read 3.1 with a crate of its own: the lowering, the emitters, the diff
//! and the golden tests all work on one model (`openapiv3`, the most used and best kept OpenAPI crate
//! for Rust). 3.1 differs from 3.0 mostly in how schemas are spelled (JSON Schema 2020-12), and each
//! 3.1 spelling has a 3.0 one that means the same for generated types:
//!
//! | 3.1 | read as |
//! |---|---|
//! | `type: [string, "null"]` | `type: string, nullable: true` |
//! | `type: [string, integer]` | `oneOf` of one schema per type, each with its own keywords |
//! | `anyOf`/`oneOf` with a `{type: "null"}` member | the other members, `nullable: true` |
//! | `const: x` | `enum: [x]` |
//! | `examples: [a, …]` on a schema | `example: a` |
//! | `exclusiveMinimum: 5` | `minimum: 5, exclusiveMinimum: true` |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` with the siblings, `description` overriding |
//! | `contentEncoding: base64` | `format: byte`; `contentMediaType` (not text) `format: binary` |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//!
//! What has no 3.0 form is kept beside the model (`prefixItems`, `webhooks`, `info.summary`,
//! `license.identifier`: see [`super::Document`]) or reported with a warning. The same shapes met in
//! a 3.0 document (where they are mistakes, but common ones) are read the same way, with a warning.
//! Integer bounds beyond 64 bits or with fractions, which `openapiv3` cannot hold, are brought into
//! range for both versions.

use serde_json::{Map, Value};

use super::walk::{walk, Kind};
use super::Note;
use crate::diag::push_pointer;

/// Keywords that belong to one JSON type, moved with it when a `type` list is split.
const KEYWORDS_OF: &[(&str, &[&str])] = &[
    ("string", &["minLength", "maxLength", "pattern", "format", "contentEncoding", "contentMediaType"]),
    ("integer", &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"]),
    ("number", &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format"]),
    ("array", &["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"]),
    ("object", &["properties", "required", "additionalProperties", "minProperties", "maxProperties", "patternProperties"]),
];

/// JSON Schema keywords with no bearing on generated types: reported once each where met.
const IGNORED: &[&str] = &["if", "then", "else", "dependentSchemas", "dependentRequired", "unevaluatedProperties", "unevaluatedItems", "patternProperties", "propertyNames", "contains"];

/// Keywords the 3.0 model has no place for, kept beside it (`Document::keywords`) for the review
/// to compare: [`IGNORED`] and the bounds of `contains`.
pub(crate) const UNTYPED: &[&str] = &["if", "then", "else", "dependentSchemas", "dependentRequired", "unevaluatedProperties", "unevaluatedItems", "patternProperties", "propertyNames", "contains", "minContains", "maxContains"];

/// Rewrites `doc` into the 3.0 model; `is_31` tells whether 3.1 spellings are expected (no warning)
/// or mistakes in a 3.0 document (a warning each). Schemas it moves are added to `moved`, as
/// (where it was, where it is), in the order they moved.
pub(crate) fn normalise(doc: &mut Value, is_31: bool, moved: &mut Vec<(String, String)>) -> Vec<Note> {
    let mut notes = Vec::new();
    walk(doc, &mut |node, at, kind| match kind {
        Kind::Schema => schema(node, at, is_31, &mut notes, moved),
        Kind::Components => {
            if let Some(Value::Object(schemes)) = node.get_mut("securitySchemes") {
                drop_mutual_tls(schemes, &push_pointer(at, "securitySchemes"), &mut notes);
            }
        }
        _ => {}
    });
    notes
}

fn note(notes: &mut Vec<Note>, pointer: String, message: impl Into<String>) {
    notes.push(Note { pointer, message: message.into() });
}

/// `mutualTLS` (3.1) is a TLS client certificate: nothing an HTTP header carries.
fn drop_mutual_tls(schemes: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let tls: Vec<String> = schemes.iter().filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS")).map(|(k, _)| k.clone()).collect();
    for name in tls {
        schemes.shift_remove(&name);
        note(notes, push_pointer(at, &name), format!("security scheme `{name}` is `mutualTLS`, a TLS client certificate that the generated code cannot present; configure it on the HTTP client; ignored here"));
    }
}

fn schema(node: &mut Value, at: &str, is_31: bool, notes: &mut Vec<Note>, moved: &mut Vec<(String, String)>) {
    let Value::Object(map) = node else { return };
    let warn_30 = |notes: &mut Vec<Note>, key: &str, what: &str| {
        if !is_31 {
            note(notes, push_pointer(at, key), format!("{what} is OpenAPI 3.1, not 3.0; read it as 3.1 does"));
        }
    };
    booleans_to_schemas(map);
    if map.contains_key("$ref") && map.len() > 1 && is_31 {
        ref_with_siblings(map);
    }
    if let Some(Value::Array(_)) = map.get("type") {
        warn_30(notes, "type", "`type` given as a list");
        type_list(map, at, notes);
    }
    if let Some(value) = map.remove("const") {
        warn_30(notes, "const", "`const`");
        map.entry("enum").or_insert_with(|| Value::Array(vec![value]));
    }
    if matches!(map.get("examples"), Some(Value::Array(_))) {
        if let Some(Value::Array(examples)) = map.remove("examples") {
            if let Some(first) = examples.into_iter().next() {
                map.entry("example").or_insert(first);
            }
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            warn_30(notes, exclusive, &format!("a numeric `{exclusive}`"));
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for key in ["anyOf", "oneOf"] {
        null_member(map, at, key, moved);
    }
    content_keywords(map);
    integer_bounds(map, at, notes);
    for key in IGNORED {
        if map.contains_key(*key) {
            note(notes, push_pointer(at, key), format!("`{key}` does not change the generated types; ignored"));
        }
    }
}

/// `true` and `false` stand for schemas in 3.1 wherever a schema may stand. `items: false` after
/// `prefixItems` says the tuple has no further items, which is what a tuple is.
fn booleans_to_schemas(map: &mut Map<String, Value>) {
    if map.contains_key("prefixItems") && map.get("items") == Some(&Value::Bool(false)) {
        map.remove("items");
    }
    let as_schema = |v: &mut Value| {
        if let Value::Bool(b) = v {
            *v = if *b { Value::Object(Map::new()) } else { serde_json::json!({"not": {}}) };
        }
    };
    for key in ["items", "not"] {
        if let Some(v) = map.get_mut(key) {
            as_schema(v);
        }
    }
    for key in ["properties", "$defs"] {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            children.values_mut().for_each(as_schema);
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            members.iter_mut().for_each(as_schema);
        }
    }
}

/// In 3.1 a `$ref` applies beside its siblings: `{$ref, …}` means `allOf: [{$ref}]` with the
/// siblings, and a `summary` stands for the description when there is none.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    let Some(reference) = map.remove("$ref") else { return };
    if let Some(summary) = map.remove("summary") {
        map.entry("description").or_insert(summary);
    }
    let mut member = Map::new();
    member.insert("$ref".into(), reference);
    let mut members = vec![Value::Object(member)];
    if let Some(Value::Array(existing)) = map.remove("allOf") {
        members.extend(existing);
    }
    map.insert("allOf".into(), Value::Array(members));
}

/// `type: [a, b, "null"]`.
fn type_list(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(types)) = map.remove("type") else { return };
    let names: Vec<String> = types.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect();
    if names.iter().any(|t| t == "null") {
        map.insert("nullable".into(), Value::Bool(true));
    }
    let others: Vec<&String> = names.iter().filter(|t| *t != "null").collect();
    match others.as_slice() {
        [] => {
            if !names.is_empty() {
                note(notes, push_pointer(at, "type"), "a schema that allows only `null`; read as any JSON value, nullable");
            }
        }
        [one] => {
            map.insert("type".into(), Value::String((*one).clone()));
        }
        several => {
            let mut members = Vec::new();
            for t in several {
                let mut member = Map::new();
                member.insert("type".into(), Value::String((*t).clone()));
                if let Some((_, keywords)) = KEYWORDS_OF.iter().find(|(name, _)| name == t) {
                    for k in *keywords {
                        if let Some(v) = map.get(*k) {
                            member.insert((*k).into(), v.clone());
                        }
                    }
                }
                members.push(Value::Object(member));
            }
            for (_, keywords) in KEYWORDS_OF {
                for k in *keywords {
                    map.remove(*k);
                }
            }
            if map.contains_key("oneOf") || map.contains_key("anyOf") || map.contains_key("allOf") {
                let mut wrapper = Map::new();
                wrapper.insert("oneOf".into(), Value::Array(members));
                let all = map.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(all) = all {
                    all.push(Value::Object(wrapper));
                }
            } else {
                map.insert("oneOf".into(), Value::Array(members));
            }
        }
    }
}

/// An `anyOf`/`oneOf` member that is only `null` makes the schema nullable; a single remaining
/// member is the schema's type (as an `allOf` of one, which lowering reads as that type). The
/// members after a `null` one move up a place.
fn null_member(map: &mut Map<String, Value>, at: &str, key: &str, moved: &mut Vec<(String, String)>) {
    let Some(Value::Array(members)) = map.get_mut(key) else { return };
    let is_null = |m: &Value| {
        let Some(obj) = m.as_object() else { return false };
        let null_type = matches!(obj.get("type"), Some(Value::String(t)) if t == "null");
        let only_null = obj.get("nullable") == Some(&Value::Bool(true)) && !obj.contains_key("type") && !obj.contains_key("$ref") && obj.keys().all(|k| k == "nullable" || k == "description");
        (null_type && obj.keys().all(|k| k == "type" || k == "description" || k == "title")) || only_null
    };
    let before = members.len();
    let kept: Vec<usize> = (0..before).filter(|i| !is_null(&members[*i])).collect();
    members.retain(|m| !is_null(m));
    if members.len() == before {
        return;
    }
    map.insert("nullable".into(), Value::Bool(true));
    let single = matches!(map.get(key), Some(Value::Array(m)) if m.len() == 1);
    let mut now = key;
    if single && !map.contains_key("allOf") {
        if let Some(value) = map.remove(key) {
            map.insert("allOf".into(), value);
            now = "allOf";
        }
    }
    for (j, i) in kept.into_iter().enumerate() {
        if (now, j) != (key, i) {
            moved.push((push_pointer(&push_pointer(at, key), &i.to_string()), push_pointer(&push_pointer(at, now), &j.to_string())));
        }
    }
}

/// `contentEncoding: base64` is `format: byte`; a non-text `contentMediaType` is `format: binary`.
fn content_keywords(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media.as_ref().and_then(Value::as_str)) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(m)) if !m.starts_with("text/") && !m.contains("json") && !m.contains("xml") => "binary",
        _ => return,
    };
    map.insert("format".into(), Value::String(format.into()));
}

/// `openapiv3` holds integer bounds as `i64`: floats are rounded inward and clamped, with a warning
/// where that changes the value; an integer `enum` keeps its whole numbers.
fn integer_bounds(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for (key, round) in [("minimum", f64::ceil as fn(f64) -> f64), ("maximum", f64::floor), ("multipleOf", f64::round)] {
        let Some(Value::Number(n)) = map.get(key) else { continue };
        if n.is_i64() {
            continue;
        }
        let f = n.as_f64().unwrap_or(0.0);
        let clamped = round(f).clamp(i64::MIN as f64, i64::MAX as f64) as i64;
        if clamped as f64 != f {
            note(notes, push_pointer(at, key), format!("`{key}: {n}` does not fit a 64-bit integer; read as {clamped}"));
        }
        map.insert(key.into(), Value::from(clamped));
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        let before = values.len();
        values.retain(|v| v.is_null() || v.is_i64());
        if values.len() != before {
            note(notes, push_pointer(at, "enum"), "an integer `enum` lists values that are not 64-bit integers; left them out");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn normalised(mut schema: Value, is_31: bool) -> (Value, Vec<String>) {
        let mut doc = json!({"components": {"schemas": {"S": schema.take()}}});
        let notes = normalise(&mut doc, is_31, &mut Vec::new());
        (doc["components"]["schemas"]["S"].take(), notes.into_iter().map(|n| format!("{}: {}", n.pointer, n.message)).collect())
    }

    #[test]
    fn type_lists_become_nullable_or_one_of() {
        let (s, notes) = normalised(json!({"type": ["string", "null"], "maxLength": 3}), true);
        assert_eq!(s, json!({"type": "string", "maxLength": 3, "nullable": true}));
        assert!(notes.is_empty());
        let (s, _) = normalised(json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1}), true);
        assert_eq!(s, json!({"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]}));
        let (_, notes) = normalised(json!({"type": ["string", "null"]}), false);
        assert_eq!(notes, vec!["/components/schemas/S/type: `type` given as a list is OpenAPI 3.1, not 3.0; read it as 3.1 does"]);
    }

    #[test]
    fn const_examples_exclusive_bounds_and_null_members() {
        let (s, _) = normalised(json!({"type": "number", "const": 3, "examples": [3, 4], "exclusiveMinimum": 0}), true);
        assert_eq!(s, json!({"type": "number", "enum": [3], "example": 3, "minimum": 0, "exclusiveMinimum": true}));
        let (s, _) = normalised(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}), true);
        assert_eq!(s, json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]}));
        let (s, _) = normalised(json!({"$ref": "#/components/schemas/A", "description": "d", "summary": "s"}), true);
        assert_eq!(s, json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]}));
    }

    #[test]
    fn members_after_a_null_member_are_recorded_as_moved() {
        let mut doc = json!({"components": {"schemas": {
            "S": {"anyOf": [{"type": "null"}, {"type": "string"}, {"type": "integer"}]},
            "T": {"oneOf": [{"type": "null"}, {"type": "string", "example": "x"}]}
        }}});
        let mut moved = Vec::new();
        normalise(&mut doc, true, &mut moved);
        let moved: Vec<(&str, &str)> = moved.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            moved,
            [
                ("/components/schemas/S/anyOf/1", "/components/schemas/S/anyOf/0"),
                ("/components/schemas/S/anyOf/2", "/components/schemas/S/anyOf/1"),
                ("/components/schemas/T/oneOf/1", "/components/schemas/T/allOf/0")
            ]
        );
    }

    #[test]
    fn integer_bounds_fit_64_bits() {
        let (s, notes) = normalised(json!({"type": "integer", "minimum": -9.223372036854776e18, "maximum": 1e30, "enum": [1, 2.5]}), false);
        assert_eq!(s, json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX, "enum": [1]}));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
