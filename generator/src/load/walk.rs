//! Walks a raw OpenAPI document knowing what each node is: a schema, a parameter, a response, …
//!
//! Everything in `load` that rewrites the raw tree (3.1 normalisation, `$ref` bundling, defect
//! repairs) needs to know which nodes are schemas and which are examples or extensions, whose
//! contents are opaque (a `$ref` inside an `x-` extension or an example is data, never followed).
//! The walk visits a node before its children, so a visitor may reshape a node and have the walk
//! descend into the new shape.

use serde_json::Value;

use crate::diag::push_pointer;

/// The kinds of OpenAPI object the walk knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Callback,
    Schema,
    Example,
    Link,
    SecurityScheme,
}

/// How a key of an object holds children.
#[derive(Clone, Copy)]
enum Holds {
    /// One child.
    One(Kind),
    /// A map of children by name (extension keys skipped).
    Map(Kind),
    /// A list of children.
    List(Kind),
}

const COMPONENT_SECTIONS: &[(&str, Kind)] = &[
    ("schemas", Kind::Schema),
    ("responses", Kind::Response),
    ("parameters", Kind::Parameter),
    ("examples", Kind::Example),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("securitySchemes", Kind::SecurityScheme),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
    ("pathItems", Kind::PathItem),
];

/// The methods of a path item, in the order the walk visits them.
pub(crate) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Kind {
    /// The `components` section holding objects of this kind.
    pub fn section(self) -> Option<&'static str> {
        COMPONENT_SECTIONS.iter().find(|(_, k)| *k == self).map(|(s, _)| *s)
    }

    /// The kind of the objects in a `components` section.
    pub fn of_section(section: &str) -> Option<Kind> {
        COMPONENT_SECTIONS.iter().find(|(s, _)| *s == section).map(|(_, k)| *k)
    }

    /// How `key` of an object of this kind holds children, if it does.
    fn holds(self, key: &str) -> Option<Holds> {
        use Holds::{List, Map, One};
        use Kind::*;
        Some(match (self, key) {
            (Document, "paths" | "webhooks") => Map(PathItem),
            (Document, "components") => One(Components),
            (Components, section) => Map(Kind::of_section(section)?),
            (PathItem, "parameters") => List(Parameter),
            (PathItem, method) if METHODS.contains(&method) => One(Operation),
            // OpenAPI 3.2: QUERY, and any other method by name.
            (PathItem, "query") => One(Operation),
            (PathItem, "additionalOperations") => Map(Operation),
            (Operation, "parameters") => List(Parameter),
            (Operation, "requestBody") => One(RequestBody),
            (Operation, "responses") => Map(Response),
            (Operation, "callbacks") => Map(Callback),
            (Parameter | Header, "schema") => One(Schema),
            (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
            (Parameter | Header | MediaType, "examples") => Map(Example),
            (MediaType, "schema") => One(Schema),
            (MediaType, "encoding") => Map(Encoding),
            (Encoding | Response, "headers") => Map(Header),
            (Response, "links") => Map(Link),
            (Callback, _) => One(PathItem),
            (Schema, "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas") => Map(Schema),
            (Schema, "allOf" | "oneOf" | "anyOf" | "prefixItems") => List(Schema),
            (
                Schema,
                "items" | "additionalProperties" | "not" | "if" | "then" | "else" | "contains" | "propertyNames" | "unevaluatedItems"
                | "unevaluatedProperties" | "additionalItems",
            ) => One(Schema),
            _ => return None,
        })
    }
}

/// A visitor: the node (which it may rewrite), its JSON pointer and its kind.
pub(crate) type Visit<'v> = dyn FnMut(&mut Value, &str, Kind) + 'v;

/// Visits every node of a known kind in the whole document, parents before children.
pub(crate) fn walk(doc: &mut Value, visit: &mut Visit<'_>) {
    walk_from(doc, "", Kind::Document, visit);
}

/// Visits `node` (of `kind`, at `pointer`) and every node of a known kind below it.
pub(crate) fn walk_from(node: &mut Value, pointer: &str, kind: Kind, visit: &mut Visit<'_>) {
    visit(node, pointer, kind);
    let Value::Object(map) = node else { return };
    for (key, child) in map.iter_mut() {
        if key.starts_with("x-") {
            continue;
        }
        let Some(holds) = kind.holds(key) else { continue };
        let at = push_pointer(pointer, key);
        match (holds, child) {
            (Holds::One(k), child @ Value::Object(_)) => walk_from(child, &at, k, visit),
            // `items` as a list is the draft-4 tuple form.
            (Holds::One(k) | Holds::List(k), Value::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    walk_from(item, &push_pointer(&at, &i.to_string()), k, visit);
                }
            }
            (Holds::Map(k), Value::Object(children)) => {
                for (name, item) in children.iter_mut() {
                    if !name.starts_with("x-") {
                        walk_from(item, &push_pointer(&at, name), k, visit);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The `$ref` of a node, if it is a reference.
pub(crate) fn reference(node: &Value) -> Option<&str> {
    node.as_object()?.get("$ref")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_are_known_and_extensions_and_examples_are_opaque() {
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"properties": {"x": {"$ref": "#/components/schemas/X"}}},
                    "example": {"$ref": "not followed"},
                    "examples": {"one": {"value": {"$ref": "not followed"}}}
                }}}},
                "callbacks": {"cb": {"{$request.body#/url}": {"post": {"responses": {}}}}},
                "x-ext": {"$ref": "./docs.md"}
            }}},
            "components": {"schemas": {"X": {"type": "array", "items": {"type": "integer"}}}},
            "x-topics": {"$ref": "./getting-started.md"}
        });
        let mut seen = Vec::new();
        walk(&mut doc, &mut |_, at, kind| seen.push((at.to_owned(), kind)));
        let has = |p: &str, k: Kind| seen.contains(&(p.to_owned(), k));
        assert!(has("/paths/~1a/get/parameters/0/schema", Kind::Schema));
        assert!(has("/paths/~1a/get/responses/200/content/application~1json/schema/properties/x", Kind::Schema));
        assert!(has("/paths/~1a/get/responses/200/content/application~1json/examples/one", Kind::Example));
        assert!(has("/paths/~1a/get/callbacks/cb/{$request.body#~1url}/post", Kind::Operation));
        assert!(has("/components/schemas/X/items", Kind::Schema));
        let mut doc = json!({"paths": {"/a": {"query": {"responses": {}}, "additionalOperations": {"PURGE": {"responses": {}}}}}});
        let mut seen = Vec::new();
        walk(&mut doc, &mut |_, at, kind| seen.push((at.to_owned(), kind)));
        assert!(seen.contains(&("/paths/~1a/query".to_owned(), Kind::Operation)));
        assert!(seen.contains(&("/paths/~1a/additionalOperations/PURGE".to_owned(), Kind::Operation)));
        assert!(!seen.iter().any(|(p, _)| p.contains("x-") || p.ends_with("/example")));
    }
}
