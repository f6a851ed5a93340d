//! Every documented example of a spec as published, found by walking the document itself (not
//! through the generator), so that the examples check can account for each: checked, or skipped
//! for a reason it names and counts ([`Reason`]).
//!
//! Examples are a schema's `example` and each item of its `examples` list (3.1), and the
//! `example` and `examples` (Example objects, those of `components.examples` by `$ref`) of a
//! media type, a parameter or a header, wherever these are: paths, webhooks (and `x-webhooks`),
//! callbacks and components.

use std::collections::BTreeSet;

use generator::diag::push_pointer;
use serde_json::Value;

/// Why a documented example is not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// An example of a media type that is not JSON (XML, text, forms): no JSON value to check.
    NotJson,
    /// Nothing says what it is an example of: a media type, parameter or header without a schema.
    NoSchema,
    /// An Example object giving only an `externalValue`, a URL to fetch.
    External,
    /// A schema's example beside a `$ref`, which OpenAPI 3.0 says to ignore.
    BesideRef,
    /// An example of a schema under a keyword the generated types do not express (`not`, `if`,
    /// `patternProperties`, `contains`, …): no type reads it.
    Unexpressed,
    /// An Example object of `components.examples` that nothing refers to.
    Unreferenced,
    /// An example of a parameter, header, request body or response of `components` that nothing
    /// refers to: no operation has it, so no type is made of it.
    Unused,
    /// An example of a response's `Content-Type` header, which the media type says.
    ContentType,
    /// An example of a header parameter named `Accept`, `Content-Type` or `Authorization`, which
    /// OpenAPI says is ignored.
    IgnoredHeader,
    /// None of the above, yet the generator did not list it: a gap of the check itself.
    Unread,
}

impl Reason {
    /// Every reason, in the order reports list them.
    pub const ALL: [Reason; 10] = [Reason::NotJson, Reason::NoSchema, Reason::External, Reason::BesideRef, Reason::Unexpressed, Reason::Unreferenced, Reason::Unused, Reason::ContentType, Reason::IgnoredHeader, Reason::Unread];

    /// A short name, as the expectation file's columns and the report say it.
    pub fn name(self) -> &'static str {
        match self {
            Reason::NotJson => "not JSON",
            Reason::NoSchema => "no schema",
            Reason::External => "external value",
            Reason::BesideRef => "beside $ref",
            Reason::Unexpressed => "under an unexpressed keyword",
            Reason::Unreferenced => "referred to by nothing",
            Reason::Unused => "of an unused component",
            Reason::ContentType => "of a Content-Type header",
            Reason::IgnoredHeader => "of an ignored header parameter",
            Reason::Unread => "not read by the generator",
        }
    }
}

/// One documented example, where the spec as published has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Documented {
    /// JSON pointer of the value (of the Example object, for an external one).
    pub at: String,
    /// JSON pointer of the schema it illustrates, if any.
    pub schema: Option<String>,
    /// Why it cannot be checked, when its place says so.
    pub reason: Option<Reason>,
}

/// Every documented example of `document`, in document order, with the Example objects of
/// `components.examples` that nothing refers to last.
pub fn examples(document: &Value) -> Vec<Documented> {
    let mut targets = BTreeSet::new();
    references(document, &mut targets);
    let mut census = Census { document, found: Vec::new(), referenced: BTreeSet::new(), targets, unused: false, content_type: false, content_types: BTreeSet::new(), ignored: false };
    census.walk();
    census.found
}

/// The documented examples of `published` (the spec as published) not among the examples
/// `listed` for the check (those of the IR, as the generator bundled the spec), each with why: the
/// reason its place gives, or [`Reason::Unread`]. `origins` says where the IR's pointers are in
/// `published`.
pub fn unchecked(listed: &[&generator::ir::Example], published: &Value, origins: &crate::judge::Origins) -> Vec<(String, Reason)> {
    let locate = |pointer: &str| crate::judge::locate(published, &origins.of(pointer));
    // An example is one value at one place, but for an Example object of `components.examples`,
    // which each media type that refers to it makes an example of its own schema. The generator
    // may judge a schema's example by another schema than the one it is written in (an `allOf`
    // member's, by the combined schema's).
    let mut places = std::collections::HashSet::new();
    let mut shared = std::collections::HashSet::new();
    for e in listed {
        let Some(at) = locate(&e.at) else { continue };
        if let Some(schema) = locate(&e.schema) {
            shared.insert((at.clone(), schema));
        }
        places.insert(at);
    }
    let is_listed = |d: &Documented| match d.at.starts_with("/components/examples/") {
        true => d.schema.as_ref().is_some_and(|schema| shared.contains(&(d.at.clone(), schema.clone()))),
        false => places.contains(&d.at),
    };
    examples(published).into_iter().filter(|d| !is_listed(d)).map(|d| (d.at, d.reason.unwrap_or(Reason::Unread))).collect()
}

struct Census<'d> {
    document: &'d Value,
    found: Vec<Documented>,
    /// Pointers of the Example objects of `components.examples` referred to.
    referenced: BTreeSet<String>,
    /// What every local `$ref` of the document points at.
    targets: BTreeSet<String>,
    /// Whether the walk is in a component nothing refers to.
    unused: bool,
    /// Whether the walk is in a response's `Content-Type` header.
    content_type: bool,
    /// The components a response names `Content-Type`.
    content_types: BTreeSet<String>,
    /// Whether the walk is in a header parameter OpenAPI ignores.
    ignored: bool,
}

/// The pointers every local `$ref` below `node` points at.
fn references(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                out.insert(target.to_owned());
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// The entries of an object, `x-` extensions left out, with their pointers below `at`.
fn entries<'v>(node: Option<&'v Value>, at: &str) -> Vec<(String, &'v Value)> {
    let Some(Value::Object(map)) = node else { return Vec::new() };
    map.iter().filter(|(k, _)| !k.starts_with("x-")).map(|(k, v)| (push_pointer(at, k), v)).collect()
}

/// The items of a list, with their pointers below `at`.
fn items<'v>(node: Option<&'v Value>, at: &str) -> Vec<(String, &'v Value)> {
    let Some(Value::Array(list)) = node else { return Vec::new() };
    list.iter().enumerate().map(|(i, v)| (push_pointer(at, &i.to_string()), v)).collect()
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// Schema keywords holding one schema, a list or a map of them, and whether the generated types
/// express what they hold.
const SCHEMA_ONE: &[(&str, bool)] = &[
    ("items", true),
    ("additionalProperties", true),
    ("not", false),
    ("if", false),
    ("then", false),
    ("else", false),
    ("contains", false),
    ("propertyNames", false),
    ("unevaluatedItems", false),
    ("unevaluatedProperties", false),
    ("additionalItems", false),
];
const SCHEMA_LIST: &[(&str, bool)] = &[("allOf", true), ("oneOf", true), ("anyOf", true), ("prefixItems", true), ("items", true)];
const SCHEMA_MAP: &[(&str, bool)] = &[("properties", true), ("patternProperties", false), ("dependentSchemas", false), ("$defs", true), ("definitions", true)];

impl<'d> Census<'d> {
    fn walk(&mut self) {
        let doc = self.document;
        for key in ["paths", "webhooks", "x-webhooks"] {
            for (at, item) in entries(doc.get(key), &push_pointer("", key)) {
                self.path_item(item, &at);
            }
        }
        let components = doc.get("components");
        for (at, schema) in entries(components.and_then(|c| c.get("schemas")), "/components/schemas") {
            self.schema(schema, &at, false);
        }
        for (at, response) in entries(components.and_then(|c| c.get("responses")), "/components/responses") {
            self.unused = !self.targets.contains(&at);
            self.response(response, &at);
            self.unused = false;
        }
        for (at, parameter) in entries(components.and_then(|c| c.get("parameters")), "/components/parameters") {
            self.unused = !self.targets.contains(&at);
            self.parameter(parameter, &at);
            self.unused = false;
        }
        for (at, body) in entries(components.and_then(|c| c.get("requestBodies")), "/components/requestBodies") {
            self.unused = !self.targets.contains(&at);
            self.content(body, &at);
            self.unused = false;
        }
        for (at, header) in entries(components.and_then(|c| c.get("headers")), "/components/headers") {
            self.unused = !self.targets.contains(&at);
            self.content_type = self.content_types.contains(&at);
            self.parameter(header, &at);
            self.unused = false;
            self.content_type = false;
        }
        for (at, callback) in entries(components.and_then(|c| c.get("callbacks")), "/components/callbacks") {
            self.unused = !self.targets.contains(&at);
            self.callback(callback, &at);
            self.unused = false;
        }
        for (at, item) in entries(components.and_then(|c| c.get("pathItems")), "/components/pathItems") {
            self.unused = !self.targets.contains(&at);
            self.path_item(item, &at);
            self.unused = false;
        }
        for (at, _) in entries(components.and_then(|c| c.get("examples")), "/components/examples") {
            if !self.referenced.contains(&at) {
                self.found.push(Documented { at, schema: None, reason: Some(Reason::Unreferenced) });
            }
        }
    }

    fn path_item(&mut self, item: &'d Value, at: &str) {
        if item.get("$ref").is_some() {
            return;
        }
        for (p, parameter) in items(item.get("parameters"), &push_pointer(at, "parameters")) {
            self.parameter(parameter, &p);
        }
        for method in METHODS {
            let Some(op) = item.get(*method) else { continue };
            let op_at = push_pointer(at, method);
            for (p, parameter) in items(op.get("parameters"), &push_pointer(&op_at, "parameters")) {
                self.parameter(parameter, &p);
            }
            if let Some(body) = op.get("requestBody") {
                self.content(body, &push_pointer(&op_at, "requestBody"));
            }
            for (r, response) in entries(op.get("responses"), &push_pointer(&op_at, "responses")) {
                self.response(response, &r);
            }
            for (c, callback) in entries(op.get("callbacks"), &push_pointer(&op_at, "callbacks")) {
                self.callback(callback, &c);
            }
        }
    }

    fn callback(&mut self, callback: &'d Value, at: &str) {
        if callback.get("$ref").is_none() {
            for (c, item) in entries(Some(callback), at) {
                self.path_item(item, &c);
            }
        }
    }

    fn response(&mut self, response: &'d Value, at: &str) {
        if response.get("$ref").is_some() {
            return;
        }
        self.content(response, at);
        for (h, header) in entries(response.get("headers"), &push_pointer(at, "headers")) {
            self.content_type = h.rsplit('/').next().is_some_and(|name| name.eq_ignore_ascii_case("content-type"));
            if let (true, Some(target)) = (self.content_type, header.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'))) {
                self.content_types.insert(target.to_owned());
            }
            self.parameter(header, &h);
            self.content_type = false;
        }
    }

    /// The media types of a request body's or response's `content`.
    fn content(&mut self, holder: &'d Value, at: &str) {
        if holder.get("$ref").is_some() {
            return;
        }
        for (m, media) in entries(holder.get("content"), &push_pointer(at, "content")) {
            let json = generator::ir::is_json_media(m.rsplit('/').next().map(|t| t.replace("~1", "/").replace("~0", "~")).as_deref().unwrap_or_default());
            self.media(media, &m, json);
        }
    }

    fn media(&mut self, media: &'d Value, at: &str, json: bool) {
        let schema = media.get("schema").map(|s| {
            let schema_at = push_pointer(at, "schema");
            self.schema(s, &schema_at, false);
            schema_at
        });
        for (e, encoding) in entries(media.get("encoding"), &push_pointer(at, "encoding")) {
            for (h, header) in entries(encoding.get("headers"), &push_pointer(&e, "headers")) {
                self.parameter(header, &h);
            }
        }
        let reason = if !json {
            Some(Reason::NotJson)
        } else if schema.is_none() {
            Some(Reason::NoSchema)
        } else {
            None
        };
        self.holder(media, at, schema, reason);
    }

    /// A parameter or a header: its examples illustrate its schema, or its content's.
    fn parameter(&mut self, parameter: &'d Value, at: &str) {
        if parameter.get("$ref").is_some() {
            return;
        }
        let ignored = parameter.get("in").and_then(Value::as_str) == Some("header")
            && parameter.get("name").and_then(Value::as_str).is_some_and(|n| ["accept", "content-type", "authorization"].contains(&n.to_ascii_lowercase().as_str()));
        let outer = std::mem::replace(&mut self.ignored, ignored);
        self.parameter_examples(parameter, at);
        self.ignored = outer;
    }

    fn parameter_examples(&mut self, parameter: &'d Value, at: &str) {
        let mut schema = None;
        if let Some(s) = parameter.get("schema") {
            let schema_at = push_pointer(at, "schema");
            self.schema(s, &schema_at, false);
            schema = Some(schema_at);
        }
        let content = entries(parameter.get("content"), &push_pointer(at, "content"));
        let mut json = true;
        for (i, (m, media)) in content.iter().enumerate() {
            let media_type = m.rsplit('/').next().map(|t| t.replace("~1", "/").replace("~0", "~")).unwrap_or_default();
            let is_json = generator::ir::is_json_media(&media_type);
            if i == 0 {
                json = is_json;
                if schema.is_none() && media.get("schema").is_some() {
                    schema = Some(push_pointer(m, "schema"));
                }
            }
            self.media(media, m, is_json);
        }
        let reason = if !json {
            Some(Reason::NotJson)
        } else if schema.is_none() {
            Some(Reason::NoSchema)
        } else {
            None
        };
        self.holder(parameter, at, schema, reason);
    }

    /// Records an example; in a component nothing uses, that is why it is not checked.
    fn push(&mut self, at: String, schema: Option<String>, reason: Option<Reason>) {
        let reason = if self.unused {
            Some(Reason::Unused)
        } else if self.content_type {
            Some(Reason::ContentType)
        } else if self.ignored {
            Some(Reason::IgnoredHeader)
        } else {
            reason
        };
        self.found.push(Documented { at, schema, reason });
    }

    /// The `example` and `examples` (Example objects) of a media type, parameter or header.
    fn holder(&mut self, holder: &'d Value, at: &str, schema: Option<String>, reason: Option<Reason>) {
        if holder.get("example").is_some() {
            self.push(push_pointer(at, "example"), schema.clone(), reason);
        }
        for (e, example) in entries(holder.get("examples"), &push_pointer(at, "examples")) {
            let Some((e, example)) = self.example_object(example, e) else { continue };
            let value = ["value", "dataValue"].into_iter().find(|k| example.get(*k).is_some());
            let (at, reason) = match value {
                Some(key) => (push_pointer(&e, key), reason),
                None => (e, reason.or(Some(Reason::External))),
            };
            self.push(at, schema.clone(), reason);
        }
    }

    /// An Example object, through local `$ref`s, with its pointer.
    fn example_object(&mut self, mut example: &'d Value, mut at: String) -> Option<(String, &'d Value)> {
        for _ in 0..16 {
            let Some(reference) = example.get("$ref").and_then(Value::as_str) else { return Some((at, example)) };
            let target = reference.strip_prefix('#')?;
            example = self.document.pointer(target)?;
            at = target.to_owned();
            self.referenced.insert(at.clone());
        }
        None
    }

    /// A schema's examples, and those of the schemas inside it; `unexpressed` when it is under a
    /// keyword the generated types do not express.
    fn schema(&mut self, schema: &'d Value, at: &str, unexpressed: bool) {
        let Value::Object(map) = schema else { return };
        let reason = if map.contains_key("$ref") {
            Some(Reason::BesideRef)
        } else if unexpressed {
            Some(Reason::Unexpressed)
        } else {
            None
        };
        if map.contains_key("example") {
            self.push(push_pointer(at, "example"), Some(at.to_owned()), reason);
        }
        for (e, _) in items(map.get("examples"), &push_pointer(at, "examples")) {
            self.push(e, Some(at.to_owned()), reason);
        }
        for (key, expressed) in SCHEMA_ONE {
            if let Some(child @ Value::Object(_)) = map.get(*key) {
                self.schema(child, &push_pointer(at, key), unexpressed || !expressed);
            }
        }
        for (key, expressed) in SCHEMA_LIST {
            for (c, child) in items(map.get(*key), &push_pointer(at, key)) {
                self.schema(child, &c, unexpressed || !expressed);
            }
        }
        for (key, expressed) in SCHEMA_MAP {
            // A property named like an extension is still a property.
            let Some(Value::Object(children)) = map.get(*key) else { continue };
            for (name, child) in children {
                self.schema(child, &push_pointer(&push_pointer(at, key), name), unexpressed || !expressed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_the_generator_lists_is_found_where_the_spec_wrote_it() {
        // Loading moves these: `x-webhooks` is read as `webhooks`, and the member after a `null`
        // one moves up a place; the IR's pointers are of the document so loaded.
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "x-webhooks": {"hook": {"post": {"parameters": [{"name": "h", "in": "header", "schema": {"type": "string"}, "example": "v"}], "responses": {"200": {"description": ""}}}}},
            "components": {"schemas": {"S": {"anyOf": [{"type": "null"}, {"type": "string", "example": "x"}, {"type": "integer", "example": 1}]}}}}"##;
        let mut diags = generator::diag::Diagnostics::default();
        let doc = generator::load::load_str(text, "t.json", &mut diags).expect("loads");
        let api = generator::ir::lower(&doc, "t", &mut diags).expect("lowers");
        let origins = crate::judge::Origins::new(doc.sources.clone(), "t.json");
        let published: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(origins.of("/components/schemas/S/anyOf/0"), "/components/schemas/S/anyOf/1");
        let listed: Vec<&generator::ir::Example> = api.examples.iter().collect();
        assert_eq!(listed.len(), 3);
        assert_eq!(unchecked(&listed, &published, &origins), [], "every example is listed");
    }

    #[test]
    fn every_example_is_found_with_what_it_illustrates_or_why_it_cannot_be_checked() {
        let doc = json!({
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "integer", "example": 1}, "example": 2}, {"name": "Accept", "in": "header", "schema": {"type": "string", "example": "text/csv"}}],
                "post": {
                    "requestBody": {"content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/S"}, "examples": {"one": {"$ref": "#/components/examples/E"}}},
                        "application/xml": {"schema": {"type": "object"}, "example": "<a/>"},
                        "text/plain": {"example": "x"}
                    }},
                    "responses": {"200": {"description": "", "headers": {"H": {"content": {"application/json": {"schema": {"type": "string"}}}, "example": "h"}, "Content-Type": {"$ref": "#/components/headers/CT"}}}}
                }
            }},
            "components": {
                "schemas": {"S": {"type": "object", "properties": {
                    "a": {"type": "string", "examples": ["x", "y"]},
                    "b": {"$ref": "#/components/schemas/S", "example": {}},
                    "c": {"not": {"type": "string", "example": "z"}}
                }}},
                "examples": {"E": {"value": {"a": "x"}}, "F": {"externalValue": "https://e.example/f.json"}},
                "parameters": {"Unused": {"name": "u", "in": "query", "schema": {"type": "string"}, "example": "u"}},
                "headers": {"CT": {"schema": {"type": "string"}, "example": "text/plain"}}
            }
        });
        let found: Vec<(String, Option<String>, Option<&str>)> = examples(&doc).into_iter().map(|d| (d.at, d.schema, d.reason.map(Reason::name))).collect();
        let p = "/paths/~1a/parameters/0";
        let body = "/paths/~1a/post/requestBody/content";
        let s = "/components/schemas/S/properties";
        let expected: Vec<(String, Option<String>, Option<&str>)> = vec![
            (format!("{p}/schema/example"), Some(format!("{p}/schema")), None),
            (format!("{p}/example"), Some(format!("{p}/schema")), None),
            ("/paths/~1a/parameters/1/schema/example".into(), Some("/paths/~1a/parameters/1/schema".into()), Some("of an ignored header parameter")),
            ("/components/examples/E/value".into(), Some(format!("{body}/application~1json/schema")), None),
            (format!("{body}/application~1xml/example"), Some(format!("{body}/application~1xml/schema")), Some("not JSON")),
            (format!("{body}/text~1plain/example"), None, Some("not JSON")),
            ("/paths/~1a/post/responses/200/headers/H/example".into(), Some("/paths/~1a/post/responses/200/headers/H/content/application~1json/schema".into()), None),
            (format!("{s}/a/examples/0"), Some(format!("{s}/a")), None),
            (format!("{s}/a/examples/1"), Some(format!("{s}/a")), None),
            (format!("{s}/b/example"), Some(format!("{s}/b")), Some("beside $ref")),
            (format!("{s}/c/not/example"), Some(format!("{s}/c/not")), Some("under an unexpressed keyword")),
            ("/components/parameters/Unused/example".into(), Some("/components/parameters/Unused/schema".into()), Some("of an unused component")),
            ("/components/headers/CT/example".into(), Some("/components/headers/CT/schema".into()), Some("of a Content-Type header")),
            ("/components/examples/F".into(), None, Some("referred to by nothing")),
        ];
        assert_eq!(found, expected);
    }
}
