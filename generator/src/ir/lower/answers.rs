//! What answers are made of, as one document: the JSON Schema of every answer body and header,
//! with the schemas their `$ref`s reach and the answers' documented examples, each at its pointer
//! in the bundled document, so that a mock answers from the spec without reading it.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::diag::Diagnostics;
use crate::ir::Api;
use crate::load::Document;

/// Annotations a value is not made from: left out so that the document stays small.
const ANNOTATIONS: &[&str] = &["description", "title", "example", "examples", "externalDocs", "xml", "deprecated", "$comment"];

/// Keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Keywords whose value is one schema.
const SCHEMA_ONE: &[&str] = &["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties"];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// The document of `api`'s answers (see [`Api::answers`]); `Null` when no answer has a schema.
///
/// A documented example its own schema refuses is not an answer the spec allows: it is left out
/// of the document and of its answer's examples (so a mock answers values made from the schema in
/// its place), with a warning at the example.
pub(super) fn document(doc: &Document, api: &mut Api, diags: &mut Diagnostics) -> Value {
    let mut wanted: Vec<String> = Vec::new();
    let mut examples: Vec<&str> = Vec::new();
    for response in api.operations.iter().flat_map(|op| &op.responses) {
        for content in &response.content {
            wanted.extend(content.schema.iter().cloned());
            examples.extend(content.examples.iter().map(|e| e.at.as_str()));
        }
        wanted.extend(response.headers.iter().filter_map(|h| h.schema.clone()));
    }
    if wanted.is_empty() {
        return Value::Null;
    }
    let mut units = Units::new(doc);
    let mut out = Value::Object(Map::new());
    let mut copied: BTreeSet<String> = BTreeSet::new();
    // Reached by `$ref`s: schemas nest without end only through them, and each is copied once.
    while let Some(pointer) = wanted.pop() {
        if covered(&copied, &pointer) {
            continue;
        }
        let Some(mut schema) = units.get(&pointer) else { continue };
        side_keywords(doc, &pointer, &mut schema);
        as_published_nullable(doc, &pointer, &mut schema);
        strip(&mut schema);
        refs(&schema, &mut wanted);
        to_2020(&mut schema);
        insert(&mut out, &pointer, schema);
        copied.insert(pointer);
    }
    let values: HashMap<&str, &Value> = api.examples.iter().map(|e| (e.at.as_str(), &e.value)).collect();
    // Each example with the schema of each answer it documents, once.
    let mut cases: Vec<(&str, &str)> = Vec::new();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for content in api.operations.iter().flat_map(|op| &op.responses).flat_map(|r| &r.content) {
        let schema = content.schema.as_deref().unwrap_or_default();
        for e in &content.examples {
            if values.contains_key(e.at.as_str()) && seen.insert((schema, e.at.as_str())) {
                cases.push((schema, e.at.as_str()));
            }
        }
    }
    let verdicts = validate(&out, cases.iter().map(|&(schema, at)| (schema, values[at])));
    let mut refused: BTreeSet<(String, String)> = BTreeSet::new();
    for (&(schema, at), verdict) in cases.iter().zip(&verdicts) {
        match verdict {
            Ok(()) => insert(&mut out, at, values[at].clone()),
            Err(why) => {
                diags.warn(doc.locate(at), format!("the example does not match the schema of the answer it documents (`{schema}`) {why}: a mock answers values made from the schema in its place"));
                refused.insert((schema.to_owned(), at.to_owned()));
            }
        }
    }
    if !refused.is_empty() {
        for content in api.operations.iter_mut().flat_map(|op| &mut op.responses).flat_map(|r| &mut r.content) {
            let schema = content.schema.clone().unwrap_or_default();
            content.examples.retain(|e| !refused.contains(&(schema.clone(), e.at.clone())));
        }
    }
    out
}

/// Each value judged by the JSON Schema at its pointer of `document` (formats on): `Ok` where it
/// is valid, else why not. An empty pointer (no schema) admits anything. All are judged by one
/// validator: value `i` is property `i` of one instance, and `$ref`s resolve in the document. A
/// document whose schemas do not compile judges nothing (a mock still checks its answers against
/// their types).
fn validate<'v>(document: &Value, cases: impl Iterator<Item = (&'v str, &'v Value)>) -> Vec<Result<(), String>> {
    let mut properties = Map::new();
    let mut instance = Map::new();
    let mut verdicts: Vec<Result<(), String>> = Vec::new();
    for (i, (pointer, value)) in cases.enumerate() {
        verdicts.push(Ok(()));
        if let Some(schema) = document.pointer(pointer).filter(|_| !pointer.is_empty()) {
            properties.insert(i.to_string(), schema.clone());
            instance.insert(i.to_string(), value.clone());
        }
    }
    if properties.is_empty() {
        return verdicts;
    }
    let mut root = document.clone();
    as_answered(document, &mut root);
    if let Value::Object(map) = &mut root {
        map.insert("$schema".into(), Value::String("https://json-schema.org/draft/2020-12/schema".into()));
        map.insert("properties".into(), Value::Object(properties));
    }
    let Ok(validator) = jsonschema::options().should_validate_formats(true).build(&root) else { return verdicts };
    let instance = Value::Object(instance);
    for error in validator.iter_errors(&instance) {
        let path = error.instance_path().to_string();
        let mut tokens = path.splitn(3, '/').skip(1);
        let Some(i) = tokens.next().and_then(|t| t.parse::<usize>().ok()) else { continue };
        if let Some(verdict @ Ok(())) = verdicts.get_mut(i) {
            let mut shown = error.to_string();
            if shown.len() > 160 {
                let cut = (0..=160).rev().find(|&c| shown.is_char_boundary(c)).unwrap_or_default();
                shown.truncate(cut);
                shown.push('…');
            }
            *verdict = Err(format!("(at `/{}`: {shown})", tokens.next().unwrap_or_default()));
        }
    }
    verdicts
}

/// The parts of the bundled document, serialized one component or path at a time (a whole
/// document can be many megabytes; answers reach a part of it).
pub(super) struct Units<'a> {
    doc: &'a Document,
    cache: HashMap<String, Option<Value>>,
}

impl<'a> Units<'a> {
    /// The parts of `doc`, none serialized yet.
    pub(super) fn new(doc: &'a Document) -> Self {
        Units { doc, cache: HashMap::new() }
    }

    /// The value at `pointer` of the bundled document.
    pub(super) fn get(&mut self, pointer: &str) -> Option<Value> {
        let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
        let depth = match tokens.first().map(String::as_str) {
            Some("components") => 3,
            Some("paths") => 2,
            _ => return None,
        };
        if tokens.len() < depth {
            return None;
        }
        let unit: String = pointer.split('/').take(depth + 1).collect::<Vec<_>>().join("/");
        let rest = &pointer[unit.len()..];
        let doc = self.doc;
        let value = self.cache.entry(unit).or_insert_with(|| serialize_unit(doc, &tokens[..depth]));
        value.as_ref()?.pointer(rest).cloned()
    }
}

fn serialize_unit(doc: &Document, tokens: &[String]) -> Option<Value> {
    let openapi = &doc.openapi;
    let value = match tokens {
        [paths, path] if paths == "paths" => serde_json::to_value(openapi.paths.paths.get(path)?),
        [c, kind, name] if c == "components" => {
            let components = openapi.components.as_ref()?;
            match kind.as_str() {
                "schemas" => serde_json::to_value(components.schemas.get(name)?),
                "responses" => serde_json::to_value(components.responses.get(name)?),
                "headers" => serde_json::to_value(components.headers.get(name)?),
                "examples" => serde_json::to_value(components.examples.get(name)?),
                "parameters" => serde_json::to_value(components.parameters.get(name)?),
                "requestBodies" => serde_json::to_value(components.request_bodies.get(name)?),
                _ => return None,
            }
        }
        _ => return None,
    };
    value.ok()
}

/// `node` (below `document`) as OpenAPI reads it for answers, where plain JSON Schema reads
/// otherwise: `required` leaves out `writeOnly` properties (an answer does not carry them), and a
/// `oneOf` with a `discriminator` is an `anyOf` (the discriminator names the member, so members
/// that overlap do not make a value invalid).
fn as_answered(document: &Value, node: &mut Value) {
    match node {
        Value::Object(map) => {
            let write_only = |property: &Value| {
                let target = property.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|r| document.pointer(r));
                [Some(property), target].into_iter().flatten().any(|p| p.get("writeOnly") == Some(&Value::Bool(true)))
            };
            let hidden: Vec<String> = match map.get("properties") {
                Some(Value::Object(properties)) => properties.iter().filter(|(_, p)| write_only(p)).map(|(name, _)| name.clone()).collect(),
                _ => Vec::new(),
            };
            if let (false, Some(Value::Array(required))) = (hidden.is_empty(), map.get_mut("required")) {
                required.retain(|name| !name.as_str().is_some_and(|n| hidden.iter().any(|h| h == n)));
            }
            if map.contains_key("discriminator") {
                if let Some(members) = map.remove("oneOf") {
                    map.insert("anyOf".into(), members);
                }
            }
            map.values_mut().for_each(|child| as_answered(document, child));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| as_answered(document, child)),
        _ => {}
    }
}

/// Whether `pointer` or a node above it is copied already.
fn covered(copied: &BTreeSet<String>, pointer: &str) -> bool {
    pointer.match_indices('/').map(|(i, _)| &pointer[..i]).chain([pointer]).any(|p| !p.is_empty() && copied.contains(p))
}

/// The JSON Schema keywords the OpenAPI 3.0 model has no place for (3.1's `const`, `if`,
/// `prefixItems`, …), put back where the spec wrote them, below `pointer`.
fn side_keywords(doc: &Document, pointer: &str, schema: &mut Value) {
    let below = |at: &str| at == pointer || at.strip_prefix(pointer).is_some_and(|rest| rest.starts_with('/'));
    let mut found: Vec<(&String, &Map<String, Value>)> = doc.keywords.iter().filter(|(at, _)| below(at)).collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    for (at, keywords) in found {
        if let Some(Value::Object(node)) = schema.pointer_mut(&at[pointer.len()..]) {
            node.extend(keywords.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    let mut tuples: Vec<_> = doc.tuples.iter().filter(|(at, _)| below(at)).collect();
    tuples.sort_by(|a, b| a.0.cmp(b.0));
    for (at, items) in tuples {
        if let (Some(Value::Object(node)), Ok(items)) = (schema.pointer_mut(&at[pointer.len()..]), serde_json::to_value(items)) {
            node.insert("prefixItems".into(), items);
        }
    }
}

/// `nullable` taken back where only the loader's repairs put it ([`Document::assumed_nullable`]),
/// below `pointer`: an answer is what the spec as published admits.
fn as_published_nullable(doc: &Document, pointer: &str, schema: &mut Value) {
    for at in doc.assumed_nullable.range(pointer.to_owned()..).take_while(|at| at.starts_with(pointer)) {
        let Some(rest) = at.strip_prefix(pointer).filter(|rest| rest.is_empty() || rest.starts_with('/')) else { continue };
        if let Some(Value::Object(node)) = schema.pointer_mut(rest) {
            node.remove("nullable");
        }
    }
}

/// Calls `each` on every schema directly below `schema`.
fn children(schema: &mut Map<String, Value>, each: &mut dyn FnMut(&mut Value)) {
    for (key, child) in schema.iter_mut() {
        let key = key.as_str();
        if SCHEMA_MAPS.contains(&key) {
            if let Value::Object(named) = child {
                named.values_mut().for_each(&mut *each);
            }
        } else if SCHEMA_ONE.contains(&key) {
            match child {
                // `items` as a list: the tuples of older drafts.
                Value::Array(list) => list.iter_mut().for_each(&mut *each),
                other => each(other),
            }
        } else if SCHEMA_LISTS.contains(&key) {
            if let Value::Array(list) = child {
                list.iter_mut().for_each(&mut *each);
            }
        }
    }
}

/// `schema` without annotations and extensions, everywhere below it.
fn strip(schema: &mut Value) {
    if let Value::Object(map) = schema {
        map.retain(|k, _| !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"));
        children(map, &mut strip);
    }
}

/// The document-local `$ref`s below `schema`, as pointers.
fn refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(pointer) = r.strip_prefix('#') {
                    out.push(pointer.to_owned());
                }
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// OpenAPI 3.0 keywords in their JSON Schema 2020-12 spelling, everywhere below `schema`:
/// `nullable: true` admits `null`, boolean `exclusiveMinimum`/`exclusiveMaximum` take the bound.
fn to_2020(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    children(map, &mut to_2020);
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
    if map.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            map.insert("type".into(), serde_json::json!([t, "null"]));
        }
        Some(_) => {}
        None => {
            let rest = std::mem::take(map);
            map.insert("anyOf".into(), serde_json::json!([{"type": "null"}, Value::Object(rest)]));
        }
    }
}

/// `value` put at `pointer` of `root`, making the objects on the way.
fn insert(root: &mut Value, pointer: &str, value: Value) {
    let mut node = root;
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let Some((last, path)) = tokens.split_last() else { return };
    for token in path {
        let Value::Object(map) = node else { return };
        node = map.entry(token.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = node {
        map.insert(last.clone(), value);
    }
}
