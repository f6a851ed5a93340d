//! A `$ref` to a component of another kind than its place needs, read as what it evidently means,
//! with a warning saying what was assumed:
//!
//! | written where … is expected | read as |
//! |---|---|
//! | a request body, a response (and the other way round) | the same description and content |
//! | a response or request body, a schema | its JSON schema (else its first); any JSON value when it has none |
//! | a parameter or header, a schema | its schema |
//! | a schema, a response | a response whose JSON body is that schema |
//! | a schema, a request body | a required body whose JSON is that schema |
//! | a schema, a parameter | the parameter it spells out (`name`, `in`); the parameter component of its name; the path parameter of its name, when it is no object |
//! | a parameter, a header | a header with the same schema and description |
//! | a callback, a path item | the path item of its one expression (one of several is left out) |
//!
//! Anything else cannot stand where it is, and is an error naming both kinds.

use serde_json::{Map, Value};

use super::{component_kind, derive_key, place, reference, Bundler, Kind, Resolved};
use crate::diag::{pointer_tokens, push_pointer, Error};

/// How a component of one kind stands where another kind is expected.
enum Refit {
    /// The part at this pointer below it (a response's schema).
    Part(String),
    /// A copy of it, reshaped (a request body as a response), shared like any component.
    Copy(Value),
    /// A new object in place of the reference, holding the reference where it belongs (a schema
    /// as a response's JSON body), or standing for what the component leaves undescribed.
    Wrap(Value),
    /// Another component of the same file, at this pointer, which is what is meant.
    Other(String),
}

/// A reference as written: in which file, at which pointer of the document, and its text.
pub(super) struct Written<'w> {
    pub from: &'w str,
    pub at: &'w str,
    pub target: &'w str,
}

/// The component a reference names: its file, its pointer there, and its kind.
pub(super) struct Named<'n> {
    pub file: &'n str,
    pub pointer: &'n str,
    pub kind: Kind,
}

impl Bundler<'_> {
    /// Resolves a reference to a component of another kind than `kind`, the kind its place needs.
    pub(super) fn refit(&mut self, written: &Written<'_>, named: &Named<'_>, kind: Kind, doc: &mut Value) -> Result<Resolved, Error> {
        let Written { from, at, target } = *written;
        let Named { file, pointer, kind: from_kind } = *named;
        let node = self.node_at(file, pointer, doc).unwrap_or_default();
        let by_name = match (from_kind, kind) {
            (Kind::Schema, Kind::Parameter) => self.parameter_named_like(file, pointer, doc),
            _ => None,
        };
        let refit = match by_name {
            Some(parameter) => Ok((Refit::Other(parameter.clone()), format!("read it as the parameter of the same name, `#{parameter}`"))),
            None => refit(&node, from_kind, kind, &Place { target, at, key: pointer_tokens(pointer).last().map_or("", String::as_str) }),
        };
        let (refit, reading) = match refit {
            Ok(found) => found,
            Err(why) => return Err(self.invalid(at, wrong_kind(target, from_kind, kind, why))),
        };
        let message = format!("`$ref` `{target}` names {} where {} is expected; {reading}", article(from_kind), article(kind));
        self.diags.warn(self.sources.locate(&push_pointer(at, "$ref")), message);
        let local = file == self.root_name;
        match refit {
            Refit::Other(inner) => {
                let next = format!("#{inner}");
                self.resolve_once(file, at, kind, &next, &inner, doc)
            }
            Refit::Part(sub) => {
                let inner = format!("{pointer}{sub}");
                let part = self.node_at(file, &inner, doc).unwrap_or_default();
                if let Some(next) = reference(&part).map(str::to_owned) {
                    return self.resolve_once(file, at, kind, &next, &inner, doc);
                }
                if local {
                    Ok(Resolved::Ref(self.hoist_local(&inner, kind, doc)))
                } else {
                    self.hoist_external(file, &inner, kind, part, doc).map(Resolved::Ref)
                }
            }
            Refit::Copy(copy) if !local => self.hoist_external(file, pointer, kind, copy, doc).map(Resolved::Ref),
            Refit::Copy(mut copy) => {
                let memo = (self.root_name.to_owned(), pointer.to_owned(), kind);
                if let Some(done) = self.hoisted.get(&memo) {
                    return Ok(Resolved::Ref(done.clone()));
                }
                let Some(section) = kind.section() else { return Err(self.invalid(at, wrong_kind(target, from_kind, kind, "nothing of that kind can be shared"))) };
                let dest = self.claim(doc, section, &derive_key(pointer, None), None);
                let reference = format!("#{dest}");
                self.hoisted.insert(memo, reference.clone());
                place(doc, &dest, Value::Null);
                self.sources.copied(&self.current(pointer), &dest);
                let root = self.root_name.to_owned();
                self.rewrite(&mut copy, &root, &dest, kind, doc)?;
                place(doc, &dest, copy);
                Ok(Resolved::Ref(reference))
            }
            // The reference inside is the one written, resolved from where it was written.
            Refit::Wrap(mut value) => {
                self.rewrite(&mut value, from, at, kind, doc)?;
                Ok(Resolved::Inline(value))
            }
        }
    }

    /// The node at `pointer` of `file` (the document itself, as it is now, or another file read).
    pub(super) fn node_at(&self, file: &str, pointer: &str, doc: &Value) -> Option<Value> {
        if file == self.root_name {
            doc.pointer(&self.current(pointer)).cloned()
        } else {
            self.externals.get(file)?.pointer(pointer).cloned()
        }
    }

    /// The parameter component of the same file named like the schema at `pointer`, if there is one.
    fn parameter_named_like(&self, file: &str, pointer: &str, doc: &Value) -> Option<String> {
        let key = pointer_tokens(pointer).pop()?;
        let candidate = push_pointer("/components/parameters", &key);
        let node = self.node_at(file, &candidate, doc)?;
        (component_kind(pointer) == Some(Kind::Schema) && node.is_object()).then_some(candidate)
    }

    /// A `$ref` to a callback where a path item is expected (a callback expression mapped to a
    /// callback): the path item of its one expression; of several, none is plainly meant, and the
    /// expression is left out.
    pub(super) fn callback_as_path_item(&mut self, written: &Written<'_>, file: &str, pointer: &str, doc: &mut Value) -> Result<Resolved, Error> {
        let Written { at, target, .. } = *written;
        let node = self.node_at(file, pointer, doc).unwrap_or_default();
        let expressions: Vec<&String> = node.as_object().map(|m| m.iter().filter(|(k, v)| !k.starts_with("x-") && v.is_object()).map(|(k, _)| k).collect()).unwrap_or_default();
        let location = self.sources.locate(&push_pointer(at, "$ref"));
        let [expression] = expressions.as_slice() else {
            let message = format!("`$ref` `{target}` names a callback of {} expressions where a path item is expected, and which one is meant is not plain; left this expression out", expressions.len());
            self.diags.warn(location, message);
            return Ok(Resolved::Inline(Value::Object(Map::new())));
        };
        self.diags.warn(location, format!("`$ref` `{target}` names a callback where a path item is expected; read it as the path item of its expression `{expression}`"));
        let inner = push_pointer(pointer, expression);
        let item = self.node_at(file, &inner, doc).unwrap_or_default();
        if let Some(next) = reference(&item).map(str::to_owned) {
            return self.resolve_once(file, at, Kind::PathItem, &next, &inner, doc);
        }
        if file != self.root_name {
            let index = self.sources.file_index(file).unwrap_or(0);
            self.sources.graft(at, index, &inner);
        }
        self.inline(file, &inner, item, at, Kind::PathItem, doc)
    }
}

/// Where a reference to a component of another kind is: what is needed to read it by its name.
struct Place<'p> {
    /// The reference as written.
    target: &'p str,
    /// Its pointer in the document (a parameter's tells the path it belongs to).
    at: &'p str,
    /// The key of the component it names.
    key: &'p str,
}

/// Whether a component of kind `from` can stand where a `to` is expected, and how, with the
/// reading for the warning; the reason when it cannot.
fn refit(node: &Value, from: Kind, to: Kind, place: &Place<'_>) -> Result<(Refit, String), &'static str> {
    use Kind::{Header, Parameter, RequestBody, Response, Schema};
    let map = node.as_object().ok_or("it is not an object")?;
    let keep = |keys: &[&str]| {
        let kept: Map<String, Value> = map.iter().filter(|(k, _)| keys.contains(&k.as_str()) || k.starts_with("x-")).map(|(k, v)| (k.clone(), v.clone())).collect();
        Refit::Copy(Value::Object(kept))
    };
    // A schema in a place of another kind is referred to from there, so it may be a reference itself.
    if map.contains_key("$ref") && from != Schema {
        return Err("it is itself a reference");
    }
    let reference = || serde_json::json!({"$ref": place.target});
    match (from, to) {
        (RequestBody, Response) | (Response, RequestBody) => Ok((keep(&["description", "content"]), format!("read it as {} with the same description and content", article(to)))),
        (Response | RequestBody, Schema) => {
            let Some(content) = map.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
                return Ok((Refit::Wrap(Value::Object(Map::new())), "it has no `content`; read it as any JSON value".to_owned()));
            };
            let with_schema: Vec<&String> = content.iter().filter(|(_, v)| v.get("schema").is_some()).map(|(m, _)| m).collect();
            let Some(media) = with_schema.iter().find(|m| m.contains("json")).or(with_schema.first()) else {
                return Ok((Refit::Wrap(Value::Object(Map::new())), "none of its media types has a schema; read it as any JSON value".to_owned()));
            };
            Ok((Refit::Part(format!("/content/{}/schema", media.replace('~', "~0").replace('/', "~1"))), format!("read it as its {media} schema")))
        }
        (Parameter | Header, Schema) => map.contains_key("schema").then(|| (Refit::Part("/schema".into()), "read it as its schema".to_owned())).ok_or("it has no `schema`"),
        (Schema, Parameter) if map.get("name").is_some_and(Value::is_string) && map.get("in").is_some_and(Value::is_string) => {
            Ok((Refit::Copy(node.clone()), "read it as the parameter it spells out".to_owned()))
        }
        (Schema, Parameter) => {
            let object = map.get("type").and_then(Value::as_str) == Some("object") || map.contains_key("properties") || map.contains_key("additionalProperties");
            let name = path_parameters(place.at).into_iter().find(|p| same_words(p, place.key));
            match name {
                Some(name) if !object => {
                    let parameter = serde_json::json!({"name": name, "in": "path", "required": true, "schema": reference()});
                    Ok((Refit::Wrap(parameter), format!("its name is the path's `{{{name}}}`; read it as that path parameter, of that schema")))
                }
                _ => Err("it is a schema, not a parameter: it has no `name` and `in`, no parameter component has its name, and it names no parameter of the path"),
            }
        }
        (Schema, Response) => {
            let description = map.get("description").or_else(|| map.get("title")).and_then(Value::as_str).unwrap_or_default();
            let response = serde_json::json!({"description": description, "content": {"application/json": {"schema": reference()}}});
            Ok((Refit::Wrap(response), "read it as a response whose JSON body is that schema".to_owned()))
        }
        (Schema, RequestBody) => {
            let body = serde_json::json!({"required": true, "content": {"application/json": {"schema": reference()}}});
            Ok((Refit::Wrap(body), "read it as a required request body whose JSON is that schema".to_owned()))
        }
        (Parameter, Header) => Ok((
            keep(&["description", "required", "deprecated", "schema", "content", "style", "explode", "example", "examples"]),
            "read it as a header with the same schema and description".to_owned(),
        )),
        _ => Err("the two are not alike"),
    }
}

/// The parameters of the path template of the operation or path item a parameter at `at` belongs
/// to (`/paths/~1pets~1{petId}/get/parameters/0` -> `petId`).
fn path_parameters(at: &str) -> Vec<String> {
    let tokens = pointer_tokens(at);
    let in_list = matches!(tokens.as_slice(), [paths, _, list, ..] | [paths, _, _, list, ..] if paths == "paths" && list == "parameters");
    let Some(path) = tokens.get(1).filter(|_| in_list) else { return Vec::new() };
    path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).map(str::to_owned).collect()
}

/// Two names made of the same words, whatever their case and separators (`petId`, `PetId`, `pet_id`).
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    !words(a).is_empty() && words(a) == words(b)
}

/// The error for a reference to a component of a kind that cannot stand where it is.
pub(super) fn wrong_kind(target: &str, from: Kind, to: Kind, why: &str) -> String {
    format!("`$ref` `{target}` names {} where {} is expected, and {why}; point it into `#/components/{}/`", article(from), article(to), to.section().unwrap_or("schemas"))
}

/// "a schema", "a request body", … for messages.
pub(super) fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::Schema => "a schema",
        Kind::Parameter => "a parameter",
        Kind::Header => "a header",
        Kind::RequestBody => "a request body",
        Kind::Response => "a response",
        Kind::Example => "an example",
        Kind::Link => "a link",
        Kind::Callback => "a callback",
        Kind::PathItem => "a path item",
        Kind::SecurityScheme => "a security scheme",
        _ => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_names_the_parameters_of_its_path() {
        assert_eq!(path_parameters("/paths/~1pets~1{petId}/get/parameters/0"), ["petId"]);
        assert_eq!(path_parameters("/paths/~1pets~1{petId}~1{tag}/parameters/1"), ["petId", "tag"]);
        assert!(path_parameters("/components/parameters/Id").is_empty());
        assert!(path_parameters("/paths/~1a~1{x}/post/callbacks/cb/{$request.body#~1url}/post/parameters/0").is_empty());
        assert!(same_words("petId", "PetId") && same_words("pet_id", "petId") && !same_words("pet", "petId"));
    }
}
