//! The independent judge: JSON Schema validation with the `jsonschema` crate (formats on) against
//! the spec as published, and the comparison of JSON values that came back.
//!
//! Neither the generated client nor the generated server decides here: the spec's own schemas,
//! read by a validator that is neither of them, say whether a value on the wire is one the spec
//! describes.

use serde_json::{json, Map, Value};

/// Each value validated against the schema at its JSON pointer, in one validator for the spec: the
/// document is the root (its `$ref`s resolve in it), and value `i` is property `i` of one
/// instance. A document whose schemas do not compile is an error saying so.
pub fn validate(document: &Value, cases: &[(&str, &Value)]) -> Result<Vec<Result<(), String>>, String> {
    let mut properties = Map::new();
    let mut instance = Map::new();
    let mut verdicts: Vec<Result<(), String>> = Vec::with_capacity(cases.len());
    for (i, (pointer, value)) in cases.iter().enumerate() {
        match document.pointer(pointer) {
            Some(schema) => {
                properties.insert(i.to_string(), schema.clone());
                instance.insert(i.to_string(), (*value).clone());
                verdicts.push(Ok(()));
            }
            None => verdicts.push(Err(format!("its schema `{pointer}` is not in the document"))),
        }
    }
    let mut root = document.clone();
    if let Value::Object(map) = &mut root {
        map.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        map.insert("properties".into(), Value::Object(properties));
    }
    let validator = jsonschema::options().should_validate_formats(true).build(&root).map_err(|e| format!("the spec's schemas do not compile as JSON Schema: {e} (at `{}`)", e.instance_path()))?;
    let instance = Value::Object(instance);
    for error in validator.iter_errors(&instance) {
        let path = error.instance_path().to_string();
        let mut tokens = path.splitn(3, '/').skip(1);
        let Some(i) = tokens.next().and_then(|t| t.parse::<usize>().ok()) else { continue };
        if let Some(verdict @ Ok(())) = verdicts.get_mut(i) {
            *verdict = Err(format!("at `/{}`: {error}", tokens.next().unwrap_or_default()));
        }
    }
    Ok(verdicts)
}

/// Whether two JSON values are the same: integers equal exactly, other numbers equal as numbers
/// (`1` and `1.0`), objects with the same keys whatever their order, everything else equal.
pub fn same_json(a: &Value, b: &Value) -> bool {
    difference(a, b, String::new()).is_none()
}

/// The JSON pointer (below `at`) of the first place `a` and `b` differ, as [`same_json`] compares.
pub fn difference(a: &Value, b: &Value, at: String) -> Option<String> {
    let child = |key: &str| generator::diag::push_pointer(&at, key);
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (!same_number(x, y)).then_some(at),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at);
            }
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| difference(p, q, child(&i.to_string())))
        }
        (Value::Object(x), Value::Object(y)) => {
            if let Some(key) = x.keys().chain(y.keys()).find(|k| !(x.contains_key(*k) && y.contains_key(*k))) {
                return Some(child(key));
            }
            x.iter().find_map(|(k, v)| difference(v, &y[k], child(k)))
        }
        _ => (a != b).then_some(at),
    }
}

/// OpenAPI 3.0 schema keywords -> JSON Schema 2020-12, in place, everywhere below `value`:
/// `nullable: true` adds `null` to the `type` (and to the `enum`; or makes a `$ref` or composition
/// an alternative of `null`), the boolean `exclusiveMinimum`/`exclusiveMaximum` take the bound's
/// value. Nothing else is added: the judge reads the spec as published (`properties` without a
/// `type` admit any value, as JSON Schema says, even where generators read an object). References
/// stay as they are, to be resolved against a root holding the document.
pub fn json_schema(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (NAMED_SCHEMAS.contains(&key.as_str()), child) {
                    // A map of schemas by name is no schema itself: a property named
                    // `properties` or `nullable` is only a name.
                    (true, Value::Object(named)) => named.values_mut().for_each(json_schema),
                    (_, child) => json_schema(child),
                }
            }
            for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                if let Some(Value::Bool(exclusive)) = map.get(flag) {
                    let exclusive = *exclusive;
                    map.remove(flag);
                    if exclusive {
                        if let Some(limit) = map.remove(bound) {
                            map.insert(flag.into(), limit);
                        }
                    }
                }
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                nullable(map);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json_schema),
        _ => {}
    }
}

/// Keywords whose value maps names to schemas.
const NAMED_SCHEMAS: &[&str] = &["properties", "patternProperties", "definitions", "$defs", "schemas", "dependentSchemas"];

fn nullable(map: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(_) => {}
        None => {
            // A `$ref` (or composition) that may be null: null or the rest.
            let rest: Map<String, Value> = std::mem::take(map);
            map.insert("anyOf".into(), json!([{"type": "null"}, Value::Object(rest)]));
        }
    }
}


/// Two integers are equal only when they are the same integer (`f64` would take 2^53 + 1 for
/// 2^53); a number with a fraction or exponent compares by value (`1.0` is `1`).
fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    let integer = |n: &serde_json::Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    match (integer(x), integer(y)) {
        (Some(a), Some(b)) => a == b,
        _ => x.as_f64().is_some_and(|a| y.as_f64() == Some(a)),
    }
}

/// Where the nodes of the document as the generator loaded it were written in the spec as
/// published: loading moves some (`x-webhooks` read as `webhooks`, the members after a `null`
/// member of a `oneOf`, a schema a `$ref` reaches deep inside another made a component), and its
/// sources map each pointer back. A node of another file keeps its pointer: the judge grafts it in.
pub struct Origins {
    sources: generator::load::Sources,
    spec: String,
}

impl Origins {
    /// The origins of the document loaded from `spec` with `sources`.
    pub fn new(sources: generator::load::Sources, spec: &str) -> Origins {
        Origins { sources, spec: spec.to_owned() }
    }

    /// Where the node at `pointer` of the loaded document is in the spec as published.
    pub fn of(&self, pointer: &str) -> String {
        let written = self.sources.locate(pointer);
        if written.file == self.spec {
            written.pointer
        } else {
            pointer.to_owned()
        }
    }
}

/// Where the judge's document holds the schemas of [`Copies`].
const COPIES: &str = "x-roundtrip-schemas";

/// Schemas to judge by, copied from the spec as published and translated to JSON Schema alone,
/// then put into the judge's document ([`Copies::attach`]) under a key of their own: translating a
/// whole document moves schemas (a nullable `allOf` becomes an `anyOf` with `null`), so a place in
/// the spec need not be the same place in the translated document, but a copy is where it is put.
#[derive(Debug, Default)]
pub struct Copies {
    list: Vec<Value>,
    /// Pointer in the loaded document -> pointer of its copy.
    placed: std::collections::HashMap<String, String>,
}

impl Copies {
    /// The pointer (in the judge's document, once attached) of a copy of the schema at `pointer`
    /// of the document as the generator loaded it: as `published` has it where `origins` says it
    /// was written, else (a schema of another file) as `loaded` has it. `None` when neither has it.
    pub fn add(&mut self, pointer: &str, published: &Value, loaded: &Value, origins: &Origins) -> Option<String> {
        if let Some(at) = self.placed.get(pointer) {
            return Some(at.clone());
        }
        let schema = locate(published, &origins.of(pointer)).and_then(|at| published.pointer(&at)).or_else(|| loaded.pointer(pointer))?;
        Some(self.place(pointer, schema))
    }

    /// The pointer (in the judge's document, once attached) of a copy of the schema at `pointer`
    /// of `source`; `None` when it has none there.
    pub fn add_in(&mut self, source: &Value, pointer: &str) -> Option<String> {
        if let Some(at) = self.placed.get(pointer) {
            return Some(at.clone());
        }
        Some(self.place(pointer, source.pointer(pointer)?))
    }

    fn place(&mut self, pointer: &str, schema: &Value) -> String {
        let mut copy = schema.clone();
        json_schema(&mut copy);
        discriminated(&mut copy);
        self.list.push(copy);
        let at = format!("/{COPIES}/{}", self.list.len() - 1);
        self.placed.insert(pointer.to_owned(), at.clone());
        at
    }

    /// Puts the copies into `document` (the judge's), with what they refer to that it does not
    /// have grafted from `loaded` and translated.
    pub fn attach(self, document: &mut Value, loaded: &Value) {
        let mut refs = Vec::new();
        for copy in &self.list {
            collect_refs(copy, &mut refs);
        }
        if let Value::Object(map) = document {
            map.insert(COPIES.into(), Value::Array(self.list));
        }
        let mut grafted = false;
        for target in refs {
            if document.pointer(&target).is_none() && locate(document, &target).is_none() {
                graft(document, loaded, &target);
                grafted = true;
            }
        }
        if grafted {
            // What was grafted is in OpenAPI 3.0 terms; translating again leaves the rest as it is.
            json_schema(document);
            discriminated(document);
        }
    }
}

/// The spec as the generator reads it, once loading has tolerated, normalised and repaired it, as
/// JSON (OpenAPI 3.0 terms, as the published spec before [`json_schema`]): the 3.0 model, with what
/// loading keeps beside it put back in place (webhooks, `prefixItems`, the JSON Schema keywords the
/// model has no place for), so that judging an example by it and by the spec as published differs
/// only where the repairs change what the spec says.
pub fn repaired(doc: &generator::load::Document) -> Result<Value, String> {
    let mut out = serde_json::to_value(&doc.openapi).map_err(|e| format!("the repaired spec as JSON: {e}"))?;
    if !doc.webhooks.is_empty() {
        let webhooks = serde_json::to_value(&doc.webhooks).map_err(|e| format!("the repaired webhooks as JSON: {e}"))?;
        if let Value::Object(map) = &mut out {
            map.insert("webhooks".into(), webhooks);
        }
    }
    for (pointer, keywords) in &doc.keywords {
        if let Some(Value::Object(schema)) = out.pointer_mut(pointer) {
            schema.extend(keywords.clone());
        }
    }
    for (pointer, members) in &doc.tuples {
        let members = serde_json::to_value(members).map_err(|e| format!("the repaired prefixItems as JSON: {e}"))?;
        if let Some(Value::Object(schema)) = out.pointer_mut(pointer) {
            schema.insert("prefixItems".into(), members);
        }
    }
    Ok(out)
}

/// Where `pointer` (written against the document as the generator bundled it, where a `$ref`'d
/// path item or parameter stands in place) is in `document` as published: every `$ref` met on the
/// way is followed. `None` when nothing is there.
pub fn locate(document: &Value, pointer: &str) -> Option<String> {
    let mut at: Vec<String> = Vec::new();
    let mut node = document;
    let mut hops = 0;
    for token in pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")) {
        loop {
            if let Some(next) = node.get(&token).or_else(|| token.parse::<usize>().ok().and_then(|i| node.get(i))) {
                node = next;
                at.push(token);
                break;
            }
            let target = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'))?;
            hops += 1;
            if hops > 64 {
                return None;
            }
            node = document.pointer(target)?;
            at = target.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
        }
    }
    Some(at.iter().map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1"))).collect())
}

/// The document as a validator must read it for values travelling one way: OpenAPI's `required`
/// does not apply to `readOnly` properties in requests, nor to `writeOnly` ones in answers, which
/// plain JSON Schema does not know.
pub fn directed(document: &Value, response: bool) -> Value {
    let flag = if response { "writeOnly" } else { "readOnly" };
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    collect_required(document, document, String::new(), flag, &mut changes);
    let mut out = document.clone();
    for (pointer, required) in changes {
        if let Some(slot) = out.pointer_mut(&pointer) {
            *slot = Value::Array(required);
        }
    }
    out
}

fn collect_required(document: &Value, node: &Value, at: String, flag: &str, changes: &mut Vec<(String, Vec<Value>)>) {
    match node {
        Value::Object(map) => {
            if let (Some(Value::Array(required)), Some(Value::Object(properties))) = (map.get("required"), map.get("properties")) {
                let flagged = |name: &str| {
                    let property = properties.get(name);
                    let resolved = property.and_then(|p| p.get("$ref")).and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|r| document.pointer(r));
                    [property, resolved].into_iter().flatten().any(|p| p.get(flag) == Some(&Value::Bool(true)))
                };
                let kept: Vec<Value> = required.iter().filter(|n| !n.as_str().is_some_and(flagged)).cloned().collect();
                if kept.len() != required.len() {
                    changes.push((format!("{at}/required"), kept));
                }
            }
            for (key, child) in map {
                collect_required(document, child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), flag, changes);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_required(document, child, format!("{at}/{i}"), flag, changes);
            }
        }
        _ => {}
    }
}

/// A `oneOf` with a `discriminator` judged as an `anyOf`: the discriminator names the member, so
/// members that overlap (open objects told apart only by the discriminator's value, as most real
/// specs write them) do not make every value invalid, as plain JSON Schema would have it.
pub fn discriminated(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("discriminator") {
                if let Some(members) = map.remove("oneOf") {
                    map.insert("anyOf".into(), members);
                }
            }
            map.values_mut().for_each(discriminated);
        }
        Value::Array(items) => items.iter_mut().for_each(discriminated),
        _ => {}
    }
}

/// Copies into `published` the schema at `pointer` of `loaded` (the document as the generator
/// bundled it) where `published` has nothing there (a schema of another file bundled in, a
/// component the loader made of a parameter), and whatever it refers to that is missing too, so
/// that the judge reads such a schema as the spec wrote it, in its new place.
pub fn graft(published: &mut Value, loaded: &Value, pointer: &str) {
    let mut wanted = vec![pointer.to_owned()];
    let mut hops = 0;
    while let Some(at) = wanted.pop() {
        hops += 1;
        if hops > 10_000 || locate(published, &at).is_some() {
            continue;
        }
        let Some(schema) = loaded.pointer(&at) else { continue };
        let mut refs = Vec::new();
        collect_refs(schema, &mut refs);
        wanted.extend(refs);
        insert(published, &at, schema.clone());
    }
}

/// Reads each local `$ref` of `published` that names nothing there as the generator reads it:
/// the reference at the same place of `loaded` (the document as the generator bundled it, where
/// the loader wrote what such a reference evidently means, with a warning: the `$defs` of an
/// enclosing schema written with its own root, a Swagger 2 pointer), its target grafted in.
/// Without it no value of such a schema could be made or judged, though the crates read it.
pub fn dangling(published: &mut Value, loaded: &Value) {
    let mut places = Vec::new();
    collect_ref_places(published, String::new(), &mut places);
    for (place, target) in places {
        if published.pointer(&target).is_some() {
            continue;
        }
        let Some(meant) = loaded.pointer(&place).and_then(|node| node.get("$ref")).and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) else { continue };
        if meant == target || loaded.pointer(meant).is_none() {
            continue;
        }
        if let Some(reference) = published.pointer_mut(&place).and_then(Value::as_object_mut) {
            reference.insert("$ref".into(), Value::String(format!("#{meant}")));
        }
        graft(published, loaded, meant);
    }
}

/// Every local `$ref` of `value` (at `at`): the place of the object holding it and its target.
fn collect_ref_places(value: &Value, at: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                out.push((at.clone(), target.to_owned()));
            }
            for (key, child) in map {
                collect_ref_places(child, generator::diag::push_pointer(&at, key), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_ref_places(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                out.push(r.to_owned());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Sets the value at `pointer`, making the objects on the way; nothing where the way leads
/// through a list (an object of numbered keys in its place would change what the schema says).
fn insert(document: &mut Value, pointer: &str, value: Value) {
    let mut node = document;
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    for (i, token) in tokens.iter().enumerate() {
        let Some(map) = node.as_object_mut() else { return };
        if i + 1 == tokens.len() {
            map.insert(token.clone(), value);
            return;
        }
        let next_is_index = tokens[i + 1].parse::<usize>().is_ok();
        if next_is_index && !map.contains_key(token) {
            return;
        }
        node = map.entry(token.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_located_and_numbers_compare_as_numbers() {
        assert!(same_json(&json!({"a": 1, "b": [1.0]}), &json!({"b": [1], "a": 1.0})));
        assert_eq!(difference(&json!({"a": {"b/c": 1}}), &json!({"a": {}}), String::new()), Some("/a/b~1c".into()));
        assert_eq!(difference(&json!([1, "x"]), &json!([1, "X"]), String::new()), Some("/1".into()));
        assert_eq!(difference(&json!({"a": 1}), &json!({"a": 1, "z": null}), String::new()), Some("/z".into()));
        assert!(!same_json(&json!(9007199254740993u64), &json!(9007199254740992u64)), "integers above 2^53 compare exactly");
        assert!(!same_json(&json!(-9007199254740993i64), &json!(-9007199254740992i64)));
    }

    #[test]
    fn openapi_30_keywords_become_json_schema() {
        let mut schema = json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false, "enum": [2, 3]});
        json_schema(&mut schema);
        assert_eq!(schema, json!({"type": ["integer", "null"], "exclusiveMinimum": 1, "maximum": 9, "enum": [2, 3, null]}));
        let mut named = json!({"properties": {"properties": {"type": "string"}, "nullable": {"type": "boolean"}}});
        json_schema(&mut named);
        assert_eq!(named, json!({"properties": {"properties": {"type": "string"}, "nullable": {"type": "boolean"}}}), "property names are only names");
        let mut reference = json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true});
        json_schema(&mut reference);
        assert_eq!(reference, json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/components/schemas/A"}]}]}));
    }

    #[test]
    fn missing_schemas_are_grafted_with_what_they_refer_to() {
        let mut published = json!({"paths": {}});
        let loaded = json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "integer"}}}});
        graft(&mut published, &loaded, "/components/schemas/A");
        assert_eq!(published["components"]["schemas"], loaded["components"]["schemas"]);
        // A member of a list the published schema does not have is not made up as an object.
        let loaded = json!({"components": {"schemas": {"A": {"oneOf": [{"type": "string"}]}}}});
        let mut published = json!({"components": {"schemas": {"A": {"type": ["string"]}}}});
        graft(&mut published, &loaded, "/components/schemas/A/oneOf/0");
        assert_eq!(published, json!({"components": {"schemas": {"A": {"type": ["string"]}}}}));
        let mut oneof = json!({"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "k"}, "properties": {"x": {"oneOf": [{"type": "string"}]}}});
        discriminated(&mut oneof);
        assert_eq!(oneof, json!({"anyOf": [{"type": "object"}], "discriminator": {"propertyName": "k"}, "properties": {"x": {"oneOf": [{"type": "string"}]}}}));
    }

    /// Mistral's event schemas: `$defs` inside an operation's schema, referred to as `#/$defs/…`.
    #[test]
    fn references_to_nothing_are_read_as_the_generator_reads_them() {
        let schema = |reference: &str| json!({"properties": {"data": {"$ref": reference}}, "$defs": {"Delta": {"type": "integer"}}});
        let mut published = json!({"paths": {"/s": {"schema": schema("#/$defs/Delta")}}, "components": {"schemas": {"Kept": {"$ref": "#/$defs/Nowhere"}}}});
        let loaded = json!({"paths": {"/s": {"schema": schema("#/paths/~1s/schema/$defs/Delta")}}, "components": {"schemas": {"Kept": {"$ref": "#/$defs/Nowhere"}}}});
        dangling(&mut published, &loaded);
        assert_eq!(published["paths"]["/s"]["schema"]["properties"]["data"]["$ref"], "#/paths/~1s/schema/$defs/Delta");
        assert_eq!(published["components"]["schemas"]["Kept"]["$ref"], "#/$defs/Nowhere", "nothing meant in its place: left as written");
    }

    #[test]
    fn pointers_are_found_through_refs_of_the_published_document() {
        let doc = json!({"paths": {"/a": {"$ref": "#/components/pathItems/A"}}, "components": {"pathItems": {"A": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}}, "parameters": {"P": {"schema": {"type": "string"}}}}});
        assert_eq!(locate(&doc, "/paths/~1a/get/parameters/0/schema").as_deref(), Some("/components/parameters/P/schema"));
        assert_eq!(locate(&doc, "/paths/~1a/get/nothing"), None);
    }

    #[test]
    fn read_only_is_not_required_of_requests_nor_write_only_of_answers() {
        let doc = json!({"components": {"schemas": {
            "Id": {"type": "integer", "readOnly": true},
            "User": {"type": "object", "required": ["id", "name", "password"], "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"}, "password": {"type": "string", "writeOnly": true}}}
        }}});
        assert_eq!(directed(&doc, false)["components"]["schemas"]["User"]["required"], json!(["name", "password"]));
        assert_eq!(directed(&doc, true)["components"]["schemas"]["User"]["required"], json!(["id", "name"]));
    }
}
