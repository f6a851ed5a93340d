//! OpenAPI 3.2 read into the shape the rest of loading knows (3.1's); what is left out is a located
//! warning.
//!
//! 3.2 schemas are 3.1's (JSON Schema 2020-12), so a 3.2 document is a 3.1 document plus keywords
//! that either carry over directly or have no place in the generated crates yet:
//!
//! | written (3.2) | read as |
//! |---|---|
//! | `components.mediaTypes` and `$ref`s to them | the media type object referred to, in place |
//! | `Example.dataValue` (no `value`) | its `value` |
//! | `Example.serializedValue` | the value, where it is the only one and JSON; else left out |
//! | a response `summary` (no `description`) | its description |
//! | a tag's `summary`, `parent`, `kind` | its label, the tag it is nested in, its kind |
//! | a media type's `itemEncoding` and `prefixEncoding`, an encoding's `encoding`, `itemEncoding` and `prefixEncoding`, a schema's `xml.nodeType` | left out |
//! | a cookie parameter's `style: cookie` | its style (`ir::ParamStyle::Cookie`): RFC 6265 pairs, values sent and read as they are |
//! | `query` and `additionalOperations` (QUERY, custom methods) of a path under `paths` | operations of those methods |
//! | the same in a webhook, a callback or a component path item | left out |
//! | a parameter `in: querystring` | a parameter of the whole query string |
//! | a media type's `itemSchema` (a stream's items) | its `schema`, which lowering reads as one item's for a sequential media type (`text/event-stream`, JSON Lines, `json-seq`); an event's `data` typed by `contentMediaType: application/json` and `contentSchema` is that schema; on any other media type, left out |
//! | discriminator `defaultMapping` | the member a value no mapping names is read as (`ir::Tagged::default`); one that names no member is warned about where it is read |
//! | `$self` | the base URI of the document's references (`bundle::base`), taken out before bundling |
//! | `Server.name` | the server's name (`ir::Server::name`) |
//! | a security scheme's `deprecated` and `oauth2MetadataUrl`, the `deviceAuthorization` flow | left out |
//!
//! Every row "left out" is a warning at the keyword.

use serde_json::{Map, Value};

use super::walk::{walk, Kind};
use super::Note;
use crate::diag::push_pointer;

/// The extension a discriminator's `defaultMapping` is kept under for lowering, which reads the
/// 3.0 model (whose discriminator keeps only `x-` fields beside its own).
pub(crate) const DEFAULT_MAPPING: &str = "x-default-mapping";

/// The extension a server's `name` is kept under for lowering, as [`DEFAULT_MAPPING`] is.
pub(crate) const SERVER_NAME: &str = "x-server-name";

/// The extension marking a cookie parameter of `style: cookie`, as [`DEFAULT_MAPPING`] is.
pub(crate) const COOKIE_STYLE: &str = "x-cookie-style";

/// Reads a media type's `itemSchema` (3.2) as its `schema`: for a sequential media type, the
/// schema lowering reads as one item's (an event's, for server-sent events). An event's `data`
/// given as JSON text of `contentSchema` is that schema, as 3.2 writes the data of typed events.
fn read_item_schema(media: &mut Map<String, Value>, mut items: Value, at: &str, notes: &mut Vec<Note>) {
    let media_type = at.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~");
    if crate::ir::Framing::of(&media_type).is_none() {
        note(notes, push_pointer(at, "itemSchema"), format!("`itemSchema` types the items of a sequential media type, which `{media_type}` is not; left out"));
        return;
    }
    if media.contains_key("schema") {
        note(notes, push_pointer(at, "schema"), "a sequential media type with both `schema` and `itemSchema`: the items are read as `itemSchema` says, `schema` is left out");
    }
    if let Some(Value::Object(data)) = items.get_mut("properties").and_then(|p| p.get_mut("data")) {
        let json = data.get("contentMediaType").and_then(Value::as_str).is_some_and(crate::ir::is_json_media);
        if let (true, Some(content)) = (json, data.get("contentSchema").cloned()) {
            *data = match content {
                Value::Object(content) => content,
                _ => Map::new(),
            };
        }
    }
    media.insert("schema".into(), items);
}

/// Whether `version` (the `openapi` field) is 3.2.
pub(crate) fn is_32(version: &str) -> bool {
    version == "3.2" || version.starts_with("3.2.")
}

/// What OpenAPI 3.2 says of a tag beyond 3.0's fields.
#[derive(Debug, Clone, Default)]
pub struct TagMore {
    /// `summary`: a short label.
    pub summary: Option<String>,
    /// `parent`: the name of the tag it is nested in, and the pointer of the field.
    pub parent: Option<(String, String)>,
    /// `kind`: what the tag is for (`nav`, `badge`, `audience`, …, in the OpenAPI registry).
    pub kind: Option<String>,
}

/// Rewrites a 3.2 document in place into the 3.1 shape; what its tags say beyond 3.0, by tag name,
/// goes into `tags`.
pub(crate) fn read_32(doc: &mut Value, tags: &mut indexmap::IndexMap<String, TagMore>) -> Vec<Note> {
    let mut notes = Vec::new();
    let Value::Object(root) = doc else { return notes };
    let media_types = root.get_mut("components").and_then(Value::as_object_mut).and_then(|c| c.shift_remove("mediaTypes"));
    if let Some(Value::Array(written)) = root.get_mut("tags") {
        for (i, tag) in written.iter_mut().enumerate() {
            if let Value::Object(tag) = tag {
                let more = read_tag(tag, &format!("/tags/{i}"), &mut notes);
                if let Some(Value::String(name)) = tag.get("name") {
                    tags.insert(name.clone(), more);
                }
            }
        }
    }
    let media_types = match media_types {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    walk(doc, &mut |node, at, kind| {
        let Value::Object(map) = node else { return };
        match kind {
            Kind::Document | Kind::PathItem | Kind::Operation => {
                if let Some(Value::Array(servers)) = map.get_mut("servers") {
                    for server in servers.iter_mut() {
                        // Kept where lowering reads it (`SERVER_NAME`).
                        if let Some(server) = server.as_object_mut() {
                            if let Some(name) = server.shift_remove("name") {
                                server.insert(SERVER_NAME.into(), name);
                            }
                        }
                    }
                }
                if kind == Kind::PathItem {
                    extra_operations(map, at, &mut notes);
                }
            }
            Kind::MediaType => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str).map(str::to_owned) {
                    let key = reference.strip_prefix("#/components/mediaTypes/").map(|k| k.replace("~1", "/").replace("~0", "~"));
                    match key.as_deref().and_then(|k| media_types.get(k)) {
                        Some(Value::Object(target)) => *map = target.clone(),
                        _ => note(&mut notes, push_pointer(at, "$ref"), format!("`$ref` to `{reference}`, which is no media type of `components.mediaTypes`; read as undescribed")),
                    }
                    map.shift_remove("$ref");
                }
                if let Some(items) = map.shift_remove("itemSchema") {
                    read_item_schema(map, items, at, &mut notes);
                }
                for key in ["itemEncoding", "prefixEncoding"] {
                    if map.shift_remove(key).is_some() {
                        note(&mut notes, push_pointer(at, key), format!("`{key}` (how the items of a sequential body are encoded) has no place in the generated crates yet; left out"));
                    }
                }
            }
            Kind::Encoding => {
                for key in ["encoding", "itemEncoding", "prefixEncoding"] {
                    if map.shift_remove(key).is_some() {
                        note(&mut notes, push_pointer(at, key), format!("`{key}` inside an encoding (how the parts of a nested multipart part are encoded) has no place in the generated crates yet; left out"));
                    }
                }
            }
            // The 3.0 model knows only `form` for cookies: kept where lowering reads it.
            Kind::Parameter if map.get("style").and_then(Value::as_str) == Some("cookie") => {
                map.shift_remove("style");
                if map.get("in").and_then(Value::as_str) == Some("cookie") {
                    map.insert(COOKIE_STYLE.into(), Value::Bool(true));
                } else {
                    note(&mut notes, push_pointer(at, "style"), "`style: cookie` is a style of cookie parameters only; read as this parameter's default style");
                }
            }
            Kind::Example => {
                if let Some(data) = map.shift_remove("dataValue") {
                    map.entry("value").or_insert(data);
                }
                if let Some(serialized) = map.shift_remove("serializedValue") {
                    let parsed = serialized.as_str().and_then(|text| serde_json::from_str::<Value>(text).ok());
                    match parsed {
                        Some(value) if !map.contains_key("value") => {
                            map.insert("value".into(), value);
                        }
                        Some(value) if map.get("value") != Some(&value) => note(&mut notes, push_pointer(at, "serializedValue"), "`serializedValue` is not the JSON of the example's `dataValue`; the `dataValue` is the example"),
                        _ if map.contains_key("value") => {}
                        _ => note(&mut notes, push_pointer(at, "serializedValue"), "`serializedValue` is not JSON text, and the example has no `dataValue`: the example is read without a value"),
                    }
                }
            }
            Kind::Response => {
                if let Some(Value::String(summary)) = map.shift_remove("summary") {
                    map.entry("description").or_insert(Value::String(summary));
                }
            }
            Kind::Schema => {
                if let Some(Value::Object(xml)) = map.get_mut("xml") {
                    if xml.shift_remove("nodeType").is_some() {
                        note(&mut notes, push_pointer(&push_pointer(at, "xml"), "nodeType"), "`xml.nodeType` is not used: the generated crates write JSON, not XML; left out");
                    }
                }
                // The 3.0 model has no field for it: kept where lowering reads it (`DEFAULT_MAPPING`).
                if let Some(Value::Object(d)) = map.get_mut("discriminator") {
                    if let Some(default) = d.shift_remove("defaultMapping") {
                        d.insert(DEFAULT_MAPPING.into(), default);
                    }
                }
            }
            Kind::SecurityScheme => {
                if map.shift_remove("deprecated").is_some() {
                    note(&mut notes, push_pointer(at, "deprecated"), "a security scheme's `deprecated` is not shown in the generated crates; left out");
                }
                if map.shift_remove("oauth2MetadataUrl").is_some() {
                    note(&mut notes, push_pointer(at, "oauth2MetadataUrl"), "`oauth2MetadataUrl` (OAuth server metadata, RFC 8414) is not read: the client takes its tokens from the caller; left out");
                }
                if let Some(Value::Object(flows)) = map.get_mut("flows") {
                    if flows.shift_remove("deviceAuthorization").is_some() {
                        note(&mut notes, push_pointer(&push_pointer(at, "flows"), "deviceAuthorization"), "the OAuth device authorization flow has no place in the generated client yet; left out");
                    }
                }
            }
            _ => {}
        }
    });
    notes
}

/// The path item's `query` and `additionalOperations`, read where a path item is under `paths`
/// (a server routes them, a client calls them); elsewhere (a webhook, a callback, a component
/// path item) left out with a warning. A custom method that is no RFC 9110 token, or that is a
/// method with a field of its own, is left out too.
fn extra_operations(item: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let under_paths = at.strip_prefix("/paths/").is_some_and(|rest| !rest.contains('/'));
    if !under_paths {
        for key in ["query", "additionalOperations"] {
            if item.shift_remove(key).is_some() {
                let what = if key == "query" { "the `query` operation (HTTP QUERY)" } else { "`additionalOperations` (custom HTTP methods)" };
                note(notes, push_pointer(at, key), format!("{what} outside `paths` (a webhook, a callback or a component path item) has no generated method or route; left out"));
            }
        }
        return;
    }
    let Some(Value::Object(others)) = item.get_mut("additionalOperations") else { return };
    let fixed = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];
    others.retain(|name, _| {
        let why = if !crate::ir::is_token(name) {
            "is no HTTP method name (an RFC 9110 token)"
        } else if fixed.contains(&name.to_ascii_lowercase().as_str()) {
            "is a method with a field of its own in a path item, which `additionalOperations` must not repeat"
        } else {
            return true;
        };
        note(notes, push_pointer(&push_pointer(at, "additionalOperations"), name), format!("`{name}` {why}; the operation is left out"));
        false
    });
}

/// Each parameter `in: querystring` (the whole query string as one value) read as an `in: query`
/// one, which the 3.0 model holds; returns their pointers, which lowering reads as query strings.
pub(crate) fn querystring_params(doc: &mut Value) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    walk(doc, &mut |node, at, kind| {
        if kind == Kind::Parameter && node.get("in").and_then(Value::as_str) == Some("querystring") {
            node["in"] = Value::String("query".into());
            found.insert(at.to_owned());
        }
    });
    found
}

/// A 3.2 tag's `summary`, `parent` and `kind`, taken out of it (the 3.0 model has no place for
/// them); one of the wrong JSON type is left out with a warning.
fn read_tag(tag: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) -> TagMore {
    let mut text = |key: &str| match tag.shift_remove(key) {
        Some(Value::String(text)) => Some(text),
        Some(other) => {
            note(notes, push_pointer(at, key), format!("a tag's `{key}` must be a string, not `{other}`; left out"));
            None
        }
        None => None,
    };
    let (summary, parent, kind) = (text("summary"), text("parent"), text("kind"));
    TagMore { summary, parent: parent.map(|p| (p, push_pointer(at, "parent"))), kind }
}

fn note(notes: &mut Vec<Note>, pointer: String, message: impl Into<String>) {
    notes.push(Note { pointer, message: message.into() });
}
