//! Reads the shapes real specs are written in that the `openapiv3` model refuses, although what they
//! mean is plain: each is rewritten into the shape the model holds, with one warning saying what was
//! assumed.
//!
//! | shape | read as |
//! |---|---|
//! | a response without `description` | an empty description |
//! | an operation without `responses` (3.1 allows it), `responses: null` or `[]` | a `2XX` answer the spec does not describe |
//! | `content: null`, `headers: null`, any OpenAPI keyword set to `null` | the keyword left out |
//! | `[]` where a map belongs (`headers: []`, `components: {responses: []}`, as PHP writes an empty map) | no entries |
//! | an entry of a named map that is text, a number or a list (MODX's schemas are file names) | left out |
//! | a key of `responses` that is no status code (`$ref: '#/components/responses/errors'`) | left out |
//! | Swagger 2's `securityDefinitions` in an OpenAPI 3 document | `components.securitySchemes` |
//! | a tag given as text | the tag of that name |
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

mod schema;

use super::walk::{walk, Kind, METHODS};
use super::Note;
use crate::diag::push_pointer;
use schema::schema;


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

pub(super) fn note(notes: &mut Vec<Note>, at: &str, message: impl Into<String>) {
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
        for (i, tag) in tags.iter_mut().enumerate() {
            if let Value::String(name) = tag {
                note(notes, &push_pointer("/tags", &i.to_string()), format!("the tag `{name}` is given as text, not as an object; read as the tag of that name"));
                *tag = serde_json::json!({"name": name});
            }
        }
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
    swagger_2_schemes(map, notes);
}

/// Swagger 2's `securityDefinitions` in an OpenAPI 3 document (a converter's leftover): what it
/// means is 3's `components.securitySchemes`, where a scheme of the same name is not already
/// declared. Left unread, each scheme an operation names would be assumed a bearer token.
fn swagger_2_schemes(map: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    let Some(Value::Object(definitions)) = map.shift_remove("securityDefinitions") else { return };
    note(notes, "/securityDefinitions", "Swagger 2's `securityDefinitions` in an OpenAPI 3 document; read as `components.securitySchemes`");
    let components = map.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else { return };
    let schemes = components.entry("securitySchemes").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(schemes) = schemes else { return };
    for (name, definition) in definitions {
        if !schemes.contains_key(&name) {
            schemes.insert(name, swagger_2_scheme(definition));
        }
    }
}

/// A Swagger 2 security definition as an OpenAPI 3 security scheme: `basic` is HTTP Basic, an
/// `oauth2` flow moves under `flows` by its 3.0 name; `apiKey` is written alike in both.
fn swagger_2_scheme(definition: Value) -> Value {
    let Value::Object(mut d) = definition else { return definition };
    match d.get("type").and_then(Value::as_str) {
        Some("basic") => {
            d.insert("type".into(), "http".into());
            d.insert("scheme".into(), "basic".into());
        }
        Some("oauth2") => {
            let flow = match d.shift_remove("flow").as_ref().and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut written = Map::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(value) = d.shift_remove(key) {
                    written.insert(key.into(), value);
                }
            }
            d.insert("flows".into(), serde_json::json!({ flow: written }));
        }
        _ => {}
    }
    Value::Object(d)
}

/// OpenAPI keywords holding a map, which PHP's `json_encode` writes as `[]` when it is empty.
const MAP_KEYWORDS: &[&str] = &["paths", "components", "webhooks", "callbacks", "content", "headers", "links", "examples", "encoding", "properties", "responses"];

/// Keys of `map` set to `null` among `keys`, or to `[]` where a map belongs: left out, with a note
/// each.
pub(super) fn nulls(map: &mut Map<String, Value>, at: &str, keys: &[&str], notes: &mut Vec<Note>) {
    for key in keys {
        match map.get(*key) {
            Some(Value::Null) => {
                map.shift_remove(*key);
                note(notes, &push_pointer(at, key), format!("`{key}: null` means nothing here; left it out"));
            }
            Some(Value::Array(list)) if list.is_empty() && MAP_KEYWORDS.contains(key) => {
                map.shift_remove(*key);
                note(notes, &push_pointer(at, key), format!("`{key}: []` is an empty list where a map belongs (as PHP writes an empty map); read as no entries"));
            }
            _ => {}
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
    // Text, a number or a list where an object belongs (MODX's schemas are file names): no reading
    // of it is evident, and a `$ref` to it then reads as a reference to nothing. A boolean is a
    // schema in 3.1, left for the schema reading.
    let stray: Vec<String> = children.iter().filter(|(k, v)| !k.starts_with("x-") && matches!(v, Value::String(_) | Value::Number(_) | Value::Array(_))).map(|(k, _)| k.clone()).collect();
    for key in stray {
        let shown = children.shift_remove(&key).map(|v| v.to_string()).unwrap_or_default();
        note(notes, &push_pointer(at, &key), format!("`{key}` is `{shown}`, not an object; left it out"));
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
            Some(Value::Array(list)) if list.is_empty() => {
                map.shift_remove(&section);
                note(notes, &push_pointer(at, &section), format!("`{section}: []` is an empty list where a map belongs (as PHP writes an empty map); read as no entries"));
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
    // An empty list is how PHP writes an empty map.
    let what = match map.get("responses") {
        Some(Value::Null) => Some("`responses: null`"),
        Some(Value::Array(list)) if list.is_empty() => Some("`responses: []`"),
        None => Some("no `responses`"),
        Some(_) => None,
    };
    if let Some(Value::Object(responses)) = map.get_mut("responses") {
        status_keys(responses, &push_pointer(at, "responses"), notes);
    }
    if let Some(what) = what {
        // 3.1 lets an operation leave its answers out; 3.0 does not.
        if !is_31 || map.contains_key("responses") {
            note(notes, at, format!("{what}; read as a success (`2XX`) whose answer the spec does not describe"));
        }
        let mut undocumented = Map::new();
        undocumented.insert("description".into(), Value::String(String::new()));
        let mut responses = Map::new();
        responses.insert("2XX".into(), Value::Object(undocumented));
        map.insert("responses".into(), Value::Object(responses));
    }
    child_maps(map, at, &["callbacks"], notes);
}

/// Keys of `responses` that are no status code (`200`, `4XX`), `default` or extension: CycloneDX's
/// TEA API writes `$ref` there, to a map of shared answers, which OpenAPI has no place for; the
/// model dropped them without a word. Left out, said.
fn status_keys(responses: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let is_status = |key: &str| key == "default" || (key.len() == 3 && key.starts_with(['1', '2', '3', '4', '5']) && key.chars().all(|c| c.is_ascii_digit() || c == 'X' || c == 'x'));
    let stray: Vec<String> = responses.keys().filter(|k| !k.starts_with("x-") && !is_status(k)).cloned().collect();
    for key in stray {
        let message = if key == "$ref" {
            let target = responses.get(&key).and_then(Value::as_str).unwrap_or_default();
            format!("`$ref` `{target}` among the status codes of `responses`: a reference stands for one response, under its status code, and this one has none; left it out")
        } else {
            format!("`{key}` is no status code; left this response out")
        };
        responses.shift_remove(&key);
        note(notes, &push_pointer(at, &key), message);
    }
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
pub(super) fn flag(map: &mut Map<String, Value>, at: &str, key: &str, notes: &mut Vec<Note>) {
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
