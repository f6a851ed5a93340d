//! Reads the shapes real specs are written in that the `openapiv3` model refuses, although what they
//! mean is plain: each is rewritten into the shape the model holds, with one warning saying what was
//! assumed.
//!
//! | shape | read as |
//! |---|---|
//! | a response without `description` | an empty description |
//! | an operation without `responses` (3.1 allows it), or `responses: null` | a `2XX` answer the spec does not describe |
//! | `content: null`, `headers: null`, any OpenAPI keyword set to `null` | the keyword left out |
//! | an OAuth flow without `scopes` (or a scheme without `flows`) | no scopes |
//! | a parameter or header with neither `schema` nor `content` | a string |
//! | `info` without `title` or `version`, a version written as a number | empty text, the number's text |
//! | a non-object `x-` entry among named children (`x-webhooks: {x-sdk-exclude: true}`) | an extension, ignored |
//! | `required: true` inside a property | the property listed in the object's `required` |
//! | a keyword of the wrong JSON type (`minLength: "5"`, `nullable: "true"`, `enum: [1, 2]` on a string, `default: 0` on a string) | the value converted, or left out where it cannot be |
//! | an `enum` listing a value twice | each value once |
//! | a link with both `operationId` and `operationRef`, or neither (`links`) | the `operationId`; a link naming no operation left out |
//!
//! Nothing here refuses a document: a shape whose meaning is not clear is left for the model's own
//! error, located by `refine`.

use serde_json::{Map, Value};

use super::walk::{walk, Kind, METHODS};
use super::Note;
use crate::diag::push_pointer;

/// Schema keywords holding text.
const TEXT_KEYWORDS: &[&str] = &["format", "pattern", "title", "description"];
/// Schema keywords holding numbers.
const NUMBER_KEYWORDS: &[&str] = &["minimum", "maximum", "multipleOf"];
/// Schema keywords holding counts (non-negative integers).
const COUNT_KEYWORDS: &[&str] = &["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
/// Schema keywords holding booleans (in 3.0; 3.1's numeric exclusive bounds are read by `normalise`).
const FLAG_KEYWORDS: &[&str] = &["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum"];
/// Schema keywords that hold a schema, a list or a map of them: `null` there means nothing.
const SCHEMA_KEYWORDS: &[&str] = &["items", "properties", "additionalProperties", "allOf", "oneOf", "anyOf", "not", "required", "type", "enum", "discriminator", "xml", "externalDocs"];

/// Rewrites `doc` in place; one note per assumption.
pub(crate) fn tolerate(doc: &mut Value, is_31: bool) -> Vec<Note> {
    let mut notes = Vec::new();
    document(doc, &mut notes);
    walk(doc, &mut |node, at, kind| {
        let Value::Object(map) = node else { return };
        match kind {
            Kind::Components | Kind::Callback => named_children(map, at, &mut notes),
            Kind::PathItem => path_item(map, at, &mut notes),
            Kind::Operation => operation(map, at, is_31, &mut notes),
            Kind::Parameter | Kind::Header => parameter(map, at, kind, &mut notes),
            Kind::RequestBody => {
                nulls(map, at, &["content", "description", "required"], &mut notes);
                if !map.contains_key("$ref") && !map.contains_key("content") {
                    note(&mut notes, at, "a request body without `content`; read as a body of any media type the spec does not describe");
                    map.insert("content".into(), Value::Object(Map::new()));
                }
                flag(map, at, "required", &mut notes);
                child_maps(map, at, &["content"], &mut notes);
            }
            Kind::Response => response(map, at, &mut notes),
            Kind::MediaType => {
                nulls(map, at, &["schema", "example", "examples", "encoding"], &mut notes);
                child_maps(map, at, &["examples", "encoding"], &mut notes);
            }
            Kind::Encoding => nulls(map, at, &["contentType", "headers", "style", "explode", "allowReserved"], &mut notes),
            Kind::SecurityScheme => security_scheme(map, at, &mut notes),
            Kind::Schema => schema(map, at, &mut notes),
            Kind::Document | Kind::Example | Kind::Link => {}
        }
    });
    notes
}

fn note(notes: &mut Vec<Note>, at: &str, message: impl Into<String>) {
    notes.push(Note { pointer: at.to_owned(), message: message.into() });
}

/// `info` with its title and version as text, and the top-level sections where the model wants them.
fn document(doc: &mut Value, notes: &mut Vec<Note>) {
    let Value::Object(map) = doc else { return };
    nulls(map, "", &["info", "paths", "components", "tags", "servers", "security", "externalDocs", "webhooks"], notes);
    if !matches!(map.get("info"), Some(Value::Object(_))) {
        note(notes, "", "no `info` object; read the title and version as empty");
        map.insert("info".into(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(info)) = map.get_mut("info") {
        for key in ["title", "version"] {
            match info.get(key) {
                Some(Value::String(_)) => {}
                Some(Value::Number(n)) => {
                    let text = n.to_string();
                    note(notes, &push_pointer("/info", key), format!("`info.{key}` is the number {text}, not text; read it as \"{text}\""));
                    info.insert(key.into(), Value::String(text));
                }
                _ => {
                    note(notes, "/info", format!("`info` has no `{key}`; read it as empty"));
                    info.insert(key.into(), Value::String(String::new()));
                }
            }
        }
        nulls(info, "/info", &["description", "termsOfService", "contact", "license", "summary"], notes);
    }
    // A document without operations has nothing in `paths` (3.1 may leave it out; 3.0 may not).
    if !map.contains_key("paths") {
        map.insert("paths".into(), Value::Object(Map::new()));
    }
    if let Some(Value::Array(tags)) = map.get_mut("tags") {
        let before = tags.len();
        tags.retain(|t| t.get("name").is_some_and(Value::is_string));
        if tags.len() != before {
            note(notes, "/tags", "a tag without a `name`; left it out");
        }
    }
    if let Some(Value::Array(servers)) = map.get_mut("servers") {
        let before = servers.len();
        servers.retain(|s| s.get("url").is_some_and(Value::is_string));
        if servers.len() != before {
            note(notes, "/servers", "a server without a `url`; left it out");
        }
    }
    child_maps(map, "", &["webhooks"], notes);
}

/// Keys of `map` set to `null` among `keys`: left out, with a note each.
fn nulls(map: &mut Map<String, Value>, at: &str, keys: &[&str], notes: &mut Vec<Note>) {
    for key in keys {
        if matches!(map.get(*key), Some(Value::Null)) {
            map.shift_remove(*key);
            note(notes, &push_pointer(at, key), format!("`{key}: null` means nothing here; left it out"));
        }
    }
}

/// In the maps of named children under `keys`, an `x-` entry that is no object is an extension,
/// not a child: left out.
fn child_maps(map: &mut Map<String, Value>, at: &str, keys: &[&str], notes: &mut Vec<Note>) {
    for key in keys {
        if let Some(Value::Object(children)) = map.get_mut(*key) {
            extension_entries(children, &push_pointer(at, key), notes);
        }
    }
}

fn extension_entries(children: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let stray: Vec<String> = children.iter().filter(|(k, v)| k.starts_with("x-") && !v.is_object()).map(|(k, _)| k.clone()).collect();
    for key in stray {
        children.shift_remove(&key);
        note(notes, &push_pointer(at, &key), format!("`{key}` is an extension, not an entry of this map; ignored"));
    }
    let nulls: Vec<String> = children.iter().filter(|(k, v)| !k.starts_with("x-") && v.is_null()).map(|(k, _)| k.clone()).collect();
    for key in nulls {
        children.shift_remove(&key);
        note(notes, &push_pointer(at, &key), format!("`{key}` is `null`; left it out"));
    }
}

/// The sections of `components`, and the expressions of a callback.
fn named_children(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let sections: Vec<String> = map.keys().filter(|k| !k.starts_with("x-")).cloned().collect();
    for section in sections {
        match map.get_mut(&section) {
            Some(Value::Null) => {
                map.shift_remove(&section);
                note(notes, &push_pointer(at, &section), format!("`{section}: null` means nothing here; left it out"));
            }
            Some(Value::Object(children)) if at == "/components" => {
                extension_entries(children, &push_pointer(at, &section), notes);
                if section == "links" {
                    super::links::links(map, at, &section, notes);
                }
            }
            _ => {}
        }
    }
}

fn path_item(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    nulls(map, at, METHODS, notes);
    nulls(map, at, &["parameters", "servers", "summary", "description"], notes);
    parameter_list(map, at, notes);
}

/// Entries of a `parameters` list that are no parameter (`null`, a reference to nothing): left out.
fn parameter_list(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Array(params)) = map.get_mut("parameters") else { return };
    let before = params.len();
    params.retain(Value::is_object);
    if params.len() != before {
        note(notes, &push_pointer(at, "parameters"), "`parameters` lists entries that are no parameter; left them out");
    }
}

fn operation(map: &mut Map<String, Value>, at: &str, is_31: bool, notes: &mut Vec<Note>) {
    nulls(map, at, &["parameters", "requestBody", "tags", "security", "servers", "callbacks", "summary", "description", "operationId", "externalDocs"], notes);
    if let Some(Value::Number(n)) = map.get("operationId") {
        let text = n.to_string();
        note(notes, &push_pointer(at, "operationId"), format!("`operationId` is the number {text}; read it as text"));
        map.insert("operationId".into(), Value::String(text));
    }
    if let Some(Value::Array(tags)) = map.get_mut("tags") {
        for tag in tags.iter_mut() {
            if let Value::Number(_) | Value::Bool(_) = tag {
                *tag = Value::String(tag.to_string());
            }
        }
        tags.retain(Value::is_string);
    }
    flag(map, at, "deprecated", notes);
    parameter_list(map, at, notes);
    match map.get("responses") {
        Some(Value::Object(_)) => {}
        Some(Value::Null) | None => {
            // 3.1 lets an operation leave its answers out; 3.0 does not.
            if !is_31 || map.contains_key("responses") {
                let what = if map.contains_key("responses") { "`responses: null`" } else { "no `responses`" };
                note(notes, at, format!("{what}; read as a success (`2XX`) whose answer the spec does not describe"));
            }
            let mut undocumented = Map::new();
            undocumented.insert("description".into(), Value::String(String::new()));
            let mut responses = Map::new();
            responses.insert("2XX".into(), Value::Object(undocumented));
            map.insert("responses".into(), Value::Object(responses));
        }
        Some(_) => {}
    }
    child_maps(map, at, &["callbacks"], notes);
}

fn parameter(map: &mut Map<String, Value>, at: &str, kind: Kind, notes: &mut Vec<Note>) {
    if map.contains_key("$ref") {
        return;
    }
    nulls(map, at, &["schema", "content", "description", "required", "style", "explode", "example", "examples", "deprecated", "allowEmptyValue", "allowReserved"], notes);
    for key in ["required", "deprecated", "explode", "allowReserved", "allowEmptyValue"] {
        flag(map, at, key, notes);
    }
    if !map.contains_key("schema") && !map.contains_key("content") {
        let what = if kind == Kind::Header { "a header" } else { "a parameter" };
        note(notes, at, format!("{what} with neither `schema` nor `content`; read as a string"));
        let mut string = Map::new();
        string.insert("type".into(), Value::String("string".into()));
        map.insert("schema".into(), Value::Object(string));
    }
    child_maps(map, at, &["content", "examples"], notes);
}

fn response(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if map.contains_key("$ref") {
        return;
    }
    nulls(map, at, &["content", "headers", "links"], notes);
    match map.get("description") {
        Some(Value::String(_)) => {}
        Some(Value::Null) | None => {
            note(notes, at, "a response without `description`; read it as undocumented");
            map.insert("description".into(), Value::String(String::new()));
        }
        Some(other) => {
            let text = other.to_string();
            map.insert("description".into(), Value::String(text));
        }
    }
    child_maps(map, at, &["content", "headers", "links"], notes);
    super::links::links(map, at, "links", notes);
}

fn security_scheme(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    if map.get("type").and_then(Value::as_str) != Some("oauth2") {
        return;
    }
    if !matches!(map.get("flows"), Some(Value::Object(_))) {
        note(notes, at, "an OAuth 2 scheme without `flows`; read as one whose flows the spec does not describe");
        map.insert("flows".into(), Value::Object(Map::new()));
    }
    let Some(Value::Object(flows)) = map.get_mut("flows") else { return };
    let names: Vec<String> = flows.keys().cloned().collect();
    for name in names {
        let flow_at = push_pointer(&push_pointer(at, "flows"), &name);
        match flows.get_mut(&name) {
            Some(Value::Object(flow)) => {
                if !matches!(flow.get("scopes"), Some(Value::Object(_))) {
                    note(notes, &flow_at, "an OAuth flow without `scopes`; read as one with no scopes");
                    flow.insert("scopes".into(), Value::Object(Map::new()));
                }
                for url in ["authorizationUrl", "tokenUrl"] {
                    let needed = match name.as_str() {
                        "implicit" => url == "authorizationUrl",
                        "authorizationCode" => true,
                        _ => url == "tokenUrl",
                    };
                    if needed && !flow.get(url).is_some_and(Value::is_string) {
                        note(notes, &flow_at, format!("an OAuth `{name}` flow without `{url}`; read it as empty"));
                        flow.insert(url.into(), Value::String(String::new()));
                    }
                }
            }
            _ if !name.starts_with("x-") => {
                flows.shift_remove(&name);
                note(notes, &flow_at, format!("the OAuth flow `{name}` is not an object; left it out"));
            }
            _ => {}
        }
    }
}

/// A boolean keyword written as text (`"true"`) or a number (`1`); anything else is left out.
fn flag(map: &mut Map<String, Value>, at: &str, key: &str, notes: &mut Vec<Note>) {
    let value = match map.get(key) {
        None | Some(Value::Bool(_)) => return,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Some(true),
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Some(false),
        Some(_) => None,
    };
    let shown = map.get(key).map(Value::to_string).unwrap_or_default();
    let here = push_pointer(at, key);
    match value {
        Some(b) => {
            note(notes, &here, format!("`{key}: {shown}` is not a boolean; read as `{b}`"));
            map.insert(key.into(), Value::Bool(b));
        }
        None => {
            note(notes, &here, format!("`{key}: {shown}` is not a boolean; left it out"));
            map.shift_remove(key);
        }
    }
}

fn schema(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    nulls(map, at, SCHEMA_KEYWORDS, notes);
    nulls(map, at, TEXT_KEYWORDS, notes);
    nulls(map, at, NUMBER_KEYWORDS, notes);
    nulls(map, at, COUNT_KEYWORDS, notes);
    nulls(map, at, FLAG_KEYWORDS, notes);
    for key in TEXT_KEYWORDS {
        match map.get(*key) {
            Some(Value::Number(_) | Value::Bool(_)) => {
                let text = map.get(*key).map(Value::to_string).unwrap_or_default();
                note(notes, &push_pointer(at, key), format!("`{key}: {text}` is not text; read as \"{text}\""));
                map.insert((*key).into(), Value::String(text));
            }
            Some(Value::String(_)) | None => {}
            Some(_) => {
                note(notes, &push_pointer(at, key), format!("`{key}` is not text; left it out"));
                map.shift_remove(*key);
            }
        }
    }
    for key in NUMBER_KEYWORDS.iter().chain(COUNT_KEYWORDS) {
        let count = COUNT_KEYWORDS.contains(key);
        let parsed = match map.get(*key) {
            None => continue,
            Some(Value::Number(n)) if !count || n.is_u64() => continue,
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        let shown = map.get(*key).map(Value::to_string).unwrap_or_default();
        let here = push_pointer(at, key);
        let fixed = parsed.filter(|f| f.is_finite()).and_then(|f| {
            if count {
                (f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64).then(|| Value::from(f as u64))
            } else if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Some(Value::from(f as i64))
            } else {
                serde_json::Number::from_f64(f).map(Value::Number)
            }
        });
        match fixed {
            Some(value) => {
                note(notes, &here, format!("`{key}: {shown}` is not a {}; read as {value}", if count { "count" } else { "number" }));
                map.insert((*key).into(), value);
            }
            None => {
                note(notes, &here, format!("`{key}: {shown}` is not a {}; left it out", if count { "count" } else { "number" }));
                map.shift_remove(*key);
            }
        }
    }
    for key in FLAG_KEYWORDS {
        // 3.1's numeric exclusive bounds are read by `normalise`.
        if key.starts_with("exclusive") && matches!(map.get(*key), Some(Value::Number(_))) {
            continue;
        }
        flag(map, at, key, notes);
    }
    if let Some(Value::String(additional)) = map.get("additionalProperties") {
        let b = additional.eq_ignore_ascii_case("true");
        if b || additional.eq_ignore_ascii_case("false") {
            note(notes, &push_pointer(at, "additionalProperties"), format!("`additionalProperties: \"{additional}\"` is text; read as `{b}`"));
            map.insert("additionalProperties".into(), Value::Bool(b));
        }
    }
    required(map, at, notes);
    properties(map, at, notes);
    enumeration(map, at, notes);
    default(map, at, notes);
}

/// `required` is the list of an object's required properties: a single name is a list of one,
/// `required: true` inside a property moves to the object (see [`properties`]), anything else is
/// left out.
fn required(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let here = push_pointer(at, "required");
    match map.get_mut("required") {
        None => {}
        Some(Value::Array(names)) => {
            let before = names.len();
            names.retain(Value::is_string);
            let mut seen = std::collections::HashSet::new();
            names.retain(|n| seen.insert(n.as_str().unwrap_or_default().to_owned()));
            if names.len() != before {
                note(notes, &here, "`required` lists a name twice or something that is not a name; kept each name once");
            }
        }
        Some(Value::String(name)) => {
            let name = name.clone();
            note(notes, &here, format!("`required: {name}` is one name, not a list; read as `[{name}]`"));
            map.insert("required".into(), Value::Array(vec![Value::String(name)]));
        }
        Some(other) => {
            let shown = other.to_string();
            note(notes, &here, format!("`required: {shown}` on a schema that is no property of an object; left it out"));
            map.shift_remove("required");
        }
    }
}

/// A property written with `required: true` (a Swagger 2 parameter habit) is listed in the
/// object's `required`; `required: false` is what leaving it out means. A property given as a type
/// name (`name: string`) is a schema of that type.
fn properties(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(props)) = map.get_mut("properties") else {
        if map.get("properties").is_some_and(|p| !p.is_object()) {
            map.shift_remove("properties");
            note(notes, &push_pointer(at, "properties"), "`properties` is not a map of schemas; left it out");
        }
        return;
    };
    let props_at = push_pointer(at, "properties");
    let mut newly_required = Vec::new();
    for (name, prop) in props.iter_mut() {
        let here = push_pointer(&props_at, name);
        if prop.is_null() {
            note(notes, &here, "the property's schema is `null`; read as any JSON value");
            *prop = Value::Object(Map::new());
            continue;
        }
        if let Value::String(type_name) = prop {
            if ["string", "integer", "number", "boolean", "object", "array"].contains(&type_name.as_str()) {
                note(notes, &here, format!("the property is written as its type name `{type_name}`; read as a schema of that type"));
                let mut schema = Map::new();
                schema.insert("type".into(), Value::String(type_name.clone()));
                *prop = Value::Object(schema);
            }
            continue;
        }
        let Value::Object(p) = prop else { continue };
        let flag = match p.get("required") {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => Some(s.eq_ignore_ascii_case("true")),
            _ => None,
        };
        if let Some(flag) = flag {
            p.shift_remove("required");
            let what = if flag { "listed it in the object's `required`" } else { "read as optional" };
            note(notes, &push_pointer(&here, "required"), format!("`required: {flag}` inside a property; {what}"));
            if flag {
                newly_required.push(name.clone());
            }
        }
    }
    if newly_required.is_empty() {
        return;
    }
    let list = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(names) = list {
        for name in newly_required {
            if !names.iter().any(|n| n.as_str() == Some(name.as_str())) {
                names.push(Value::String(name));
            }
        }
    }
}

fn a_or_an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The declared JSON type of a schema, when it names one.
fn declared_type(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

/// `value` converted to the JSON `type`, where its text says what it is.
fn coerce(value: &Value, ty: &str) -> Option<Value> {
    match (ty, value) {
        ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
        ("integer", Value::Number(n)) if !n.is_i64() && !n.is_u64() => n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| Value::from(f as i64)),
        ("number", Value::String(s)) => s.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number),
        ("boolean", Value::String(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => Some(Value::Bool(s.eq_ignore_ascii_case("true"))),
        _ => None,
    }
}

/// Whether `value` is of the JSON `type`.
fn fits(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// An `enum` is a list of distinct values of the schema's type: a single value is a list of one,
/// values of another type are converted where their text says what they are (left out where it
/// does not), and repeats are dropped.
fn enumeration(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let here = push_pointer(at, "enum");
    let ty = declared_type(map).map(str::to_owned);
    let Some(values) = map.get_mut("enum") else { return };
    if !values.is_array() {
        let single = values.take();
        note(notes, &here, "`enum` is one value, not a list; read as a list of one");
        *values = Value::Array(vec![single]);
    }
    let Value::Array(values) = values else { return };
    if let Some(ty) = ty.as_deref() {
        let (mut converted, mut dropped) = (false, false);
        let mut kept = Vec::with_capacity(values.len());
        for v in values.drain(..) {
            if v.is_null() || fits(&v, ty) {
                kept.push(v);
            } else if let Some(c) = coerce(&v, ty) {
                converted = true;
                kept.push(c);
            } else if ty == "integer" && v.is_number() {
                // Left for `normalise`, which reports integer enums with fractions.
                kept.push(v);
            } else {
                dropped = true;
            }
        }
        *values = kept;
        if converted {
            note(notes, &here, format!("{} `{ty}` `enum` lists values of another JSON type; read them as {ty}s", a_or_an(ty)));
        }
        if dropped {
            note(notes, &here, format!("{} `{ty}` `enum` lists values that are no {ty}; left them out", a_or_an(ty)));
        }
    }
    let before = values.len();
    let mut seen: Vec<Value> = Vec::with_capacity(before);
    values.retain(|v| {
        if seen.contains(v) {
            false
        } else {
            seen.push(v.clone());
            true
        }
    });
    if values.len() != before {
        note(notes, &here, "`enum` lists a value more than once; kept each value once");
    }
}

/// A `default` of another JSON type than its schema's: converted where its text says what it is
/// (`default: 0` on a string is `"0"`), left out where it cannot be.
fn default(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(ty) = declared_type(map).map(str::to_owned) else { return };
    let Some(value) = map.get("default") else { return };
    if value.is_null() || fits(value, &ty) {
        return;
    }
    let shown = value.to_string();
    let here = push_pointer(at, "default");
    match coerce(value, &ty) {
        Some(c) => {
            note(notes, &here, format!("`default: {shown}` on {} `{ty}` schema; read as {c}", a_or_an(&ty)));
            map.insert("default".into(), c);
        }
        None => {
            note(notes, &here, format!("`default: {shown}` is not a {ty}; left it out"));
            map.shift_remove("default");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tolerated(mut doc: Value) -> (Value, Vec<String>) {
        let notes = tolerate(&mut doc, false);
        (doc, notes.into_iter().map(|n| format!("{}: {}", n.pointer, n.message)).collect())
    }

    #[test]
    fn responses_operations_and_info_get_what_the_model_needs() {
        let (doc, notes) = tolerated(json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": 2.1},
            "paths": {"/a": {
                "get": {"responses": {"200": {"content": null}}},
                "post": {"summary": "none"},
                "put": {"responses": null},
            }}
        }));
        assert_eq!(doc["info"]["version"], json!("2.1"));
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["200"], json!({"description": ""}));
        assert_eq!(doc["paths"]["/a"]["post"]["responses"], json!({"2XX": {"description": ""}}));
        assert_eq!(doc["paths"]["/a"]["put"]["responses"], json!({"2XX": {"description": ""}}));
        assert_eq!(notes.len(), 5, "{notes:#?}");
        assert!(notes.iter().any(|n| n.starts_with("/paths/~1a/post: no `responses`")), "{notes:#?}");
    }

    #[test]
    fn parameters_schemes_and_extensions() {
        let (doc, notes) = tolerated(json!({
            "openapi": "3.0.0", "info": {"title": "t"},
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "required": "true"}], "responses": {"200": {"description": "ok"}}}}},
            "webhooks": {"x-sdk-exclude": true, "ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x/t"}}}}}
        }));
        assert_eq!(doc["info"]["version"], json!(""));
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0], json!({"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}));
        assert!(doc["webhooks"].get("x-sdk-exclude").is_none());
        assert_eq!(doc["components"]["securitySchemes"]["o"]["flows"]["clientCredentials"]["scopes"], json!({}));
        assert_eq!(notes.len(), 5, "{notes:#?}");
    }

    #[test]
    fn schema_keywords_of_the_wrong_type_are_read_as_meant() {
        let (doc, notes) = tolerated(json!({"components": {"schemas": {"S": {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": [1, "1", 2, true], "default": 0},
                "name": {"type": "string", "required": true, "minLength": "3", "nullable": "false"},
                "count": {"type": "integer", "enum": ["1", 2], "default": "5", "maximum": "10"},
                "flag": "boolean",
            }
        }}}}));
        let s = &doc["components"]["schemas"]["S"];
        assert_eq!(s["required"], json!(["name"]));
        assert_eq!(s["properties"]["kind"], json!({"type": "string", "enum": ["1", "2", "true"], "default": "0"}));
        assert_eq!(s["properties"]["name"], json!({"type": "string", "minLength": 3, "nullable": false}));
        assert_eq!(s["properties"]["count"], json!({"type": "integer", "enum": [1, 2], "default": 5, "maximum": 10}));
        assert_eq!(s["properties"]["flag"], json!({"type": "boolean"}));
        assert!(notes.len() >= 8, "{notes:#?}");
    }
}
