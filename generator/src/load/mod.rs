//! Load: spec files -> `openapiv3` documents, with locations for diagnostics.
//!
//! Loading reads the spec (JSON with `serde_json`, YAML with `serde_yaml`; line numbers kept for
//! both), applies the overlays given with it (`overlay`), checks that it is OpenAPI 3.0 or 3.1, bundles every file it references into it
//! (`bundle`), reads 3.1 into the 3.0 model (`normalise`), repairs the defects that the
//! `openapiv3` types cannot hold (`repair`), leaves out what still cannot be read where nothing
//! depends on it (`salvage`), and deserializes. Every step that assumes something
//! says so with a warning located in the file and line the node was written at. Nothing here knows
//! about Rust.

mod bundle;
mod examples;
mod lines;
mod links;
mod normalise;
mod overlay;
mod paths;
mod raw;
mod refine;
mod repair;
mod salvage;
mod sources;
mod tolerate;
mod v32;

pub(crate) use v32::{COOKIE_STYLE, DEFAULT_MAPPING, SERVER_NAME};
mod walk;

use std::collections::HashMap;
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{PathItem, ReferenceOr, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use lines::LineIndex;
pub use sources::{Role, SourceFile, Sources};
pub use v32::TagMore;

use crate::diag::{push_pointer, Diagnostics, Error, Location};

/// Something a step of loading assumed, at a pointer of the document.
pub(crate) struct Note {
    /// JSON pointer of the node.
    pub pointer: String,
    /// What was wrong or unusual and what the generator assumed.
    pub message: String,
}

/// An operation of a method a path item has no field for in the 3.0 model.
#[derive(Debug, Clone)]
pub struct ExtraOperation {
    /// The method: `QUERY`, or the key of `additionalOperations` as written.
    pub method: String,
    /// The operation's JSON pointer.
    pub at: String,
    /// The operation.
    pub operation: openapiv3::Operation,
}

/// Alternatives of `required` names, one of which (`anyOf`), or exactly one (`oneOf`), an object
/// must satisfy.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RequiredChoice {
    /// `oneOf`: exactly one alternative holds.
    pub exactly_one: bool,
    /// Each member's `required` names.
    pub alternatives: Vec<Vec<String>>,
}

/// A loaded OpenAPI document and what is needed to point back into its sources.
#[derive(Debug, Clone)]
pub struct Document {
    /// The spec file as the caller named it.
    pub file: String,
    /// True for an OpenAPI 3.1 document (read into the 3.0 model).
    pub is_31: bool,
    /// The parsed, bundled, normalised and repaired document.
    pub openapi: openapiv3::OpenAPI,
    /// `info.summary` (3.1).
    pub summary: Option<String>,
    /// `info.license`: its SPDX `identifier` (3.1), else its name.
    pub license: Option<String>,
    /// `webhooks` (3.1): requests the API sends, by name.
    pub webhooks: IndexMap<String, PathItem>,
    /// Operations of methods the 3.0 model has no field for (3.2 `query` and
    /// `additionalOperations`), by path, in the order written.
    pub extra_operations: IndexMap<String, Vec<ExtraOperation>>,
    /// What OpenAPI 3.2 says of each tag beyond 3.0's fields (`summary`, `parent`, `kind`), by the
    /// tag's name.
    pub tags_32: IndexMap<String, TagMore>,
    /// The pointers of the parameters written `in: querystring` (3.2: the whole query string as
    /// one value), which the model holds as `in: query` ones.
    pub querystrings: std::collections::BTreeSet<String>,
    /// `prefixItems` (3.1, no 3.0 form) of the array schemas that have them, by the schema's pointer.
    pub tuples: HashMap<String, Vec<ReferenceOr<Schema>>>,
    /// JSON Schema keywords the 3.0 model has no place for (`dependentRequired`, `if`, `contains`, …), as written,
    /// by the pointer of the schema that has them.
    pub keywords: HashMap<String, serde_json::Map<String, Value>>,
    /// The `anyOf`/`oneOf` of objects whose members only list `required` names (GitHub's
    /// `anyOf: [{required: [source]}, {required: [build_type]}]` beside `properties`), which the
    /// 3.0 model drops beside a `type`, by the pointer of the schema that has them.
    pub required_choices: HashMap<String, Vec<RequiredChoice>>,
    /// Documented examples the 3.0 model does not hold as written (`null` ones, each of a 3.1
    /// schema's `examples`), by the pointer of the object that documents them: every example of
    /// that object, each as (its pointer, its value). Where an object is here, these are its
    /// examples, not the model's `example`.
    pub examples: HashMap<String, Vec<(String, Value)>>,
    /// The schemas the loader's repairs read as `nullable` where the spec as published does not
    /// admit `null` (a `nullable` beside a 3.0 `$ref`, an `example: null`), by pointer: the models
    /// read `null` there, but a mock does not answer it.
    pub assumed_nullable: std::collections::BTreeSet<String>,
    /// The files read and where each node came from.
    pub sources: Sources,
}

impl Document {
    /// The location of `pointer` of this document: the file and line it was written at.
    pub fn locate(&self, pointer: &str) -> Location {
        self.sources.locate(pointer)
    }

    /// Every file read: the spec first, then its overlays and the files it references.
    pub fn inputs(&self) -> Vec<String> {
        self.sources.files().iter().map(|f| f.name.clone()).collect()
    }

    /// The overlays applied to the spec, in order.
    pub fn overlays(&self) -> Vec<String> {
        self.sources.files().iter().filter(|f| f.role == Role::Overlay).map(|f| f.name.clone()).collect()
    }
}

/// Reads and loads the spec named `file`, relative to `root` (also the base of the files it
/// references); `file` is the name used in diagnostics.
pub fn load_file(root: &Path, file: &str, diags: &mut Diagnostics) -> Result<Document, Error> {
    load_file_with(root, file, &[], diags)
}

/// Reads and loads the spec named `file` with the OpenAPI Overlays named in `overlays` applied in
/// order (both relative to `root`), before anything else reads the document.
pub fn load_file_with(root: &Path, file: &str, overlays: &[String], diags: &mut Diagnostics) -> Result<Document, Error> {
    let text = read(root, file)?;
    let overlays = read_overlays(root, overlays)?;
    load_text(&text, file, root, &overlays, diags)
}

/// Loads a spec from its text; `file` is the name used in diagnostics, and files it references are
/// read relative to the current directory.
pub fn load_str(text: &str, file: &str, diags: &mut Diagnostics) -> Result<Document, Error> {
    load_text(text, file, Path::new("."), &[], diags)
}

/// Loads a spec from its text with overlays given as (file name, text), applied in order.
pub fn load_str_with(text: &str, file: &str, overlays: &[(String, String)], diags: &mut Diagnostics) -> Result<Document, Error> {
    load_text(text, file, Path::new("."), overlays, diags)
}

/// The spec named `file` with its overlays applied and nothing else done: the document any other
/// OpenAPI tool should read to see the API the generated crates implement.
pub fn overlaid(root: &Path, file: &str, overlays: &[String], diags: &mut Diagnostics) -> Result<Value, Error> {
    let text = read(root, file)?;
    read_overlaid(&text, file, &read_overlays(root, overlays)?, diags).map(|(value, _)| value)
}

fn read(root: &Path, file: &str) -> Result<String, Error> {
    std::fs::read_to_string(on_disk(root, file)).map_err(|source| Error::Read { file: file.to_owned(), source })
}

/// Where the file named `file` (relative to `root`) is: `..` and `.` are folded into the path
/// rather than left to the file system, so that a root that does not exist yet (an output
/// directory about to be written, which files are named relative to) can still be gone through.
pub(crate) fn on_disk(root: &Path, file: &str) -> std::path::PathBuf {
    use std::path::Component;
    let mut path = std::path::PathBuf::new();
    for part in root.join(file).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(path.components().next_back(), Some(Component::Normal(_))) => {
                path.pop();
            }
            other => path.push(other.as_os_str()),
        }
    }
    path
}

fn read_overlays(root: &Path, overlays: &[String]) -> Result<Vec<(String, String)>, Error> {
    overlays.iter().map(|name| Ok((name.clone(), read(root, name)?))).collect()
}

/// The spec's text parsed, with its overlays applied: the document as the API is meant, before
/// anything else reads it.
fn read_overlaid(text: &str, file: &str, overlays: &[(String, String)], diags: &mut Diagnostics) -> Result<(Value, Sources), Error> {
    let parsed = raw::parse(text, file)?;
    let mut sources = Sources::default();
    for big in &parsed.big {
        diags.warn(Location { file: file.to_owned(), line: parsed.lines.line_of(&big.pointer), pointer: big.pointer.clone() }, big_integer_message(&big.text));
    }
    sources.add_file(file, Role::Spec, parsed.lines);
    let mut value = parsed.value;
    for (name, text) in overlays {
        overlay::apply(&mut value, file, name, text, &mut sources, diags)?;
    }
    Ok((value, sources))
}

fn load_text(text: &str, file: &str, base: &Path, overlays: &[(String, String)], diags: &mut Diagnostics) -> Result<Document, Error> {
    let (mut raw, mut sources) = read_overlaid(text, file, overlays, diags)?;
    let is_31 = check_version(&mut raw, &sources)?;
    let is_32 = raw.get("openapi").and_then(Value::as_str).is_some_and(v32::is_32);
    let mut tags_32 = IndexMap::new();
    if is_32 {
        for note in v32::read_32(&mut raw, &mut tags_32) {
            diags.warn(sources.locate(&note.pointer), note.message);
        }
    }
    // `x-webhooks` (Redocly's, GitHub's) is how 3.0 documents describe what 3.1 calls `webhooks`.
    if let Value::Object(map) = &mut raw {
        if !map.contains_key("webhooks") {
            if let Some(hooks @ Value::Object(_)) = map.shift_remove("x-webhooks") {
                diags.warn(sources.locate("/x-webhooks"), "read the `x-webhooks` extension as OpenAPI 3.1 `webhooks`: requests the API sends");
                map.insert("webhooks".into(), hooks);
                sources.moved("/x-webhooks", "/webhooks");
            }
        }
    }
    // 3.2's `$self`: the URI the document gives itself, which its references are relative to.
    let self_uri = match raw.as_object_mut().filter(|_| is_32).and_then(|m| m.shift_remove("$self")) {
        Some(Value::String(text)) => bundle::SelfUri::parse(&text, file).or_else(|| {
            diags.warn(sources.locate("/$self"), format!("`$self` `{text}` is no URI a reference can be relative to (it has a fragment, or is empty); references are resolved from the file read"));
            None
        }),
        Some(other) => {
            diags.warn(sources.locate("/$self"), format!("`$self` should be a URI, not {other}; references are resolved from the file read"));
            None
        }
        None => None,
    };
    bundle::bundle(&mut raw, file, base, self_uri.as_ref(), &mut sources, diags)?;
    let querystrings = if is_32 { v32::querystring_params(&mut raw) } else { Default::default() };
    for respelled in paths::respell(&mut raw) {
        diags.warn(sources.locate(&respelled.note.pointer), respelled.note.message);
        if respelled.from != respelled.to {
            sources.moved(&respelled.from, &respelled.to);
        }
    }
    // Before `tolerate` drops `null` examples and `normalise` keeps only the first of a list.
    let mut examples = examples::unheld(&mut raw);
    let tolerated = tolerate::tolerate(&mut raw, is_31);
    let mut moved = Vec::new();
    let normalised = normalise::normalise(&mut raw, is_31, &mut moved);
    // So that a pointer of the document still leads to where its node was written.
    for (from, to) in moved {
        sources.moved(&from, &to);
        examples::moved(&mut examples, &from, &to);
    }
    let mut assumed_nullable = Vec::new();
    for note in tolerated.into_iter().chain(normalised).chain(repair::repair_document(&mut raw, is_31, &mut assumed_nullable)) {
        diags.warn(sources.locate(&note.pointer), note.message);
    }
    for note in salvage::salvage(&mut raw, &sources) {
        diags.warn(sources.locate(&note.pointer), note.message);
    }

    let info = raw.get("info");
    let summary = info.and_then(|i| i.get("summary")).and_then(Value::as_str).map(str::to_owned);
    let license = info.and_then(|i| i.get("license")).and_then(|l| l.get("identifier").or_else(|| l.get("name"))).and_then(Value::as_str).map(str::to_owned);
    let webhooks = match raw.as_object_mut().and_then(|m| m.shift_remove("webhooks")) {
        Some(value) => deserialize_at::<IndexMap<String, PathItem>>(value, "/webhooks", &sources)?,
        None => IndexMap::new(),
    };
    let extra_operations = extra_operations(&mut raw, &sources)?;
    let tuples = tuples(&mut raw, &sources)?;
    let keywords = untyped_keywords(&mut raw);
    let required_choices = required_choices(&mut raw);

    let openapi: openapiv3::OpenAPI = match openapiv3::OpenAPI::deserialize(&raw) {
        Ok(openapi) => openapi,
        Err(_) => {
            let e = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw).err();
            let (pointer, message) = refine::deeper_error(&raw)
                .or_else(|| e.map(|e| (path_to_pointer(e.path()), e.inner().to_string())))
                .unwrap_or_default();
            return Err(Error::Invalid { location: sources.locate(&pointer), message: format!("not a valid OpenAPI document here: {message}") });
        }
    };
    let assumed_nullable = assumed_nullable.into_iter().collect();
    Ok(Document { file: file.to_owned(), is_31, openapi, summary, license, webhooks, extra_operations, tags_32, querystrings, tuples, keywords, required_choices, examples, assumed_nullable, sources })
}

use serde::Deserialize as _;

/// The warning for an integer literal too large for 64 bits.
pub(crate) fn big_integer_message(text: &str) -> String {
    let nearest = text.parse::<f64>().map(|f| format!("{f:e}")).unwrap_or_default();
    format!("the integer `{text}` does not fit in 64 bits; kept as the nearest floating-point value, {nearest}")
}

/// Deserializes `value` (found at `at`), locating a failure.
fn deserialize_at<T: DeserializeOwned>(value: Value, at: &str, sources: &Sources) -> Result<T, Error> {
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let pointer = format!("{at}{}", path_to_pointer(e.path()));
        Error::Invalid { location: sources.locate(&pointer), message: format!("not a valid OpenAPI document here: {}", e.inner()) }
    })
}

/// The `query` and `additionalOperations` of each path item under `paths`, taken out of it and
/// deserialized (`v32` has left them only there).
fn extra_operations(raw: &mut Value, sources: &Sources) -> Result<IndexMap<String, Vec<ExtraOperation>>, Error> {
    let mut found = IndexMap::new();
    let Some(Value::Object(paths)) = raw.get_mut("paths") else { return Ok(found) };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let item_at = push_pointer("/paths", path);
        let mut written = Vec::new();
        if let Some(op) = item.shift_remove("query") {
            written.push(("QUERY".to_owned(), push_pointer(&item_at, "query"), op));
        }
        if let Some(Value::Object(others)) = item.shift_remove("additionalOperations") {
            let others_at = push_pointer(&item_at, "additionalOperations");
            written.extend(others.into_iter().filter(|(k, _)| !k.starts_with("x-")).map(|(method, op)| {
                let at = push_pointer(&others_at, &method);
                (method, at, op)
            }));
        }
        let mut ops = Vec::new();
        for (method, at, op) in written {
            let operation = deserialize_at::<openapiv3::Operation>(op, &at, sources)?;
            ops.push(ExtraOperation { method, at, operation });
        }
        if !ops.is_empty() {
            found.insert(path.clone(), ops);
        }
    }
    Ok(found)
}

/// The keywords of [`normalise::UNTYPED`] of every schema that has them, by its pointer.
fn untyped_keywords(raw: &mut Value) -> HashMap<String, serde_json::Map<String, Value>> {
    let mut found = HashMap::new();
    walk::walk(raw, &mut |node, at, kind| {
        if kind == walk::Kind::Schema {
            let kept: serde_json::Map<String, Value> = normalise::UNTYPED.iter().filter_map(|k| node.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect();
            if !kept.is_empty() {
                found.insert(at.to_owned(), kept);
            }
        }
    });
    found
}

/// The [`RequiredChoice`]s of every object schema that has them (it has `properties` or `type:
/// object`, or is or has `allOf` members, whose merge is an object), by its pointer. A member that
/// says more than `required` (and annotations) is a shape of its own, lowered as a union where it
/// can be; such a keyword is not one.
fn required_choices(raw: &mut Value) -> HashMap<String, Vec<RequiredChoice>> {
    let mut found = HashMap::new();
    walk::walk(raw, &mut |node, at, kind| {
        let object = node.get("properties").is_some() || node.get("type").and_then(Value::as_str) == Some("object");
        let merged = node.get("allOf").is_some() || at.rsplit_once('/').is_some_and(|(parent, i)| parent.ends_with("/allOf") && i.parse::<usize>().is_ok());
        if kind != walk::Kind::Schema || !(object || merged) {
            return;
        }
        let choices: Vec<RequiredChoice> = [("anyOf", false), ("oneOf", true)]
            .into_iter()
            .filter_map(|(keyword, exactly_one)| {
                let members = node.get(keyword)?.as_array().filter(|m| !m.is_empty())?;
                let alternatives = members.iter().map(required_only).collect::<Option<Vec<_>>>()?;
                Some(RequiredChoice { exactly_one, alternatives })
            })
            .collect();
        if !choices.is_empty() {
            found.insert(at.to_owned(), choices);
        }
    });
    found
}

/// The `required` names of a schema that says nothing else (but annotations), if it is one.
fn required_only(member: &Value) -> Option<Vec<String>> {
    let map = member.as_object()?;
    if !map.keys().all(|k| matches!(k.as_str(), "required" | "description" | "title") || k.starts_with("x-")) {
        return None;
    }
    let names: Vec<String> = map.get("required")?.as_array()?.iter().map(|n| n.as_str().map(str::to_owned)).collect::<Option<_>>()?;
    (!names.is_empty()).then_some(names)
}

/// The `prefixItems` of every schema, deserialized (3.0 has no place for them), by schema pointer.
fn tuples(raw: &mut Value, sources: &Sources) -> Result<HashMap<String, Vec<ReferenceOr<Schema>>>, Error> {
    let mut found = Vec::new();
    walk::walk(raw, &mut |node, at, kind| {
        if kind == walk::Kind::Schema {
            if let Some(items) = node.get("prefixItems").filter(|v| v.is_array()) {
                found.push((at.to_owned(), items.clone()));
            }
        }
    });
    let mut tuples = HashMap::new();
    for (at, items) in found {
        let members = deserialize_at::<Vec<ReferenceOr<Schema>>>(items, &push_pointer(&at, "prefixItems"), sources)?;
        tuples.insert(at, members);
    }
    Ok(tuples)
}

/// Checks the document is OpenAPI 3.0 or 3.1 and tells which.
fn check_version(raw: &mut Value, sources: &Sources) -> Result<bool, Error> {
    let Value::Object(map) = raw else {
        let kind = match raw {
            Value::Array(_) => "a list",
            Value::Null => "empty",
            _ => "a scalar",
        };
        return Err(Error::Invalid { location: sources.locate(""), message: format!("not an OpenAPI document: the top level is {kind}, not a mapping") });
    };
    // `openapi: 3.1` unquoted in YAML is a number.
    if let Some(Value::Number(n)) = map.get("openapi") {
        let text = n.to_string();
        map.insert("openapi".into(), Value::String(text));
    }
    match map.get("openapi") {
        Some(Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Ok(false),
        // 3.2's schemas are 3.1's; what else it adds is read by `v32`.
        Some(Value::String(v)) if v == "3.1" || v.starts_with("3.1.") || v32::is_32(v) => Ok(true),
        Some(v) => Err(Error::Invalid {
            location: sources.locate("/openapi"),
            message: format!("unsupported OpenAPI version {v}; this generator reads OpenAPI 3.0.x, 3.1.x and 3.2.x"),
        }),
        None if map.contains_key("swagger") => Err(Error::Invalid {
            location: sources.locate("/swagger"),
            message: "this is a Swagger 2.0 document; convert it to OpenAPI 3.0 first".into(),
        }),
        None => Err(Error::Invalid { location: sources.locate(""), message: "not an OpenAPI document: no `openapi` version field".into() }),
    }
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => pointer = crate::diag::push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = crate::diag::push_pointer(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(Document, Vec<String>), Error> {
        let mut diags = Diagnostics::default();
        let doc = load_str(text, "t.yaml", &mut diags)?;
        Ok((doc, diags.into_sorted().into_iter().map(|w| w.to_string()).collect()))
    }

    #[test]
    fn integer_status_keys_load() {
        let (doc, warnings) =
            load("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n")
                .expect("loads");
        assert!(warnings.is_empty());
        assert_eq!(doc.openapi.paths.paths.len(), 1);
    }

    #[test]
    fn errors_name_file_line_and_what() {
        let err = load("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: nope\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.yaml:6 (#/paths/~1a/get/responses)"), "{text}");

        let err = load("swagger: '2.0'\n").unwrap_err().to_string();
        assert!(err.contains("Swagger 2.0"), "{err}");
        let err = load("- a\n").unwrap_err().to_string();
        assert!(err.contains("top level is a list"), "{err}");
        let err = load("a: 'x\n").unwrap_err().to_string();
        assert!(err.starts_with("t.yaml:"), "{err}");
        let err = load("openapi: 2.5.0\n").unwrap_err().to_string();
        assert!(err.contains("reads OpenAPI 3.0.x, 3.1.x and 3.2.x"), "{err}");
    }

    #[test]
    fn openapi_31_documents_load_with_webhooks_summary_and_license() {
        let (doc, warnings) = load(
            "openapi: 3.1.0\ninfo: {title: t, version: '1', summary: s, license: {name: MIT License, identifier: MIT}}\nwebhooks:\n  newPet:\n    post:\n      requestBody: {content: {application/json: {schema: {type: [string, 'null']}}}}\n",
        )
        .expect("loads");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(doc.is_31);
        assert_eq!(doc.summary.as_deref(), Some("s"));
        assert_eq!(doc.license.as_deref(), Some("MIT"));
        assert!(doc.webhooks["newPet"].post.is_some());
    }
}
