//! Load: spec files -> `openapiv3` documents, with locations for diagnostics.
//!
//! Loading reads YAML or JSON, checks that the document is OpenAPI 3.0, repairs the defects that the
//! `openapiv3` types cannot hold (each with a warning), and deserializes. Errors name the file and the
//! line or JSON pointer of the problem. Nothing here knows about Rust.

mod lines;
mod refine;
mod repair;

use std::path::Path;

use serde_json::Value;

pub use lines::LineIndex;

use crate::diag::{Diagnostics, Error, Location};

/// A loaded OpenAPI document and what is needed to point back into its source.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file as the caller named it; used in every location.
    pub file: String,
    /// Line numbers by JSON pointer.
    pub lines: LineIndex,
    /// The parsed, repaired document.
    pub openapi: openapiv3::OpenAPI,
}

impl Document {
    /// The location of `pointer` in this document.
    pub fn locate(&self, pointer: &str) -> Location {
        Location { file: self.file.clone(), pointer: pointer.to_owned(), line: self.lines.line_of(pointer) }
    }
}

/// Reads and loads the spec at `path`; `file` is the name used in diagnostics.
pub fn load_file(path: &Path, file: &str, diags: &mut Diagnostics) -> Result<Document, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { file: file.to_owned(), source })?;
    load_str(&text, file, diags)
}

/// Loads a spec from its text; `file` is the name used in diagnostics.
pub fn load_str(text: &str, file: &str, diags: &mut Diagnostics) -> Result<Document, Error> {
    let lines = LineIndex::new(text);
    let locate = |pointer: &str| Location { file: file.to_owned(), pointer: pointer.to_owned(), line: lines.line_of(pointer) };

    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        Error::Syntax { file: file.to_owned(), line, column, message: e.to_string() }
    })?;
    let mut raw = to_json(yaml);
    check_version(&raw, &locate)?;

    for r in repair::repair_document(&mut raw) {
        diags.warn(locate(&r.pointer), r.message);
    }

    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|e| {
        let (pointer, message) = refine::deeper_error(&raw).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        Error::Invalid { location: locate(&pointer), message: format!("not a valid OpenAPI 3.0 document here: {message}") }
    })?;
    Ok(Document { file: file.to_owned(), lines, openapi })
}

fn check_version(raw: &Value, locate: &impl Fn(&str) -> Location) -> Result<(), Error> {
    let Value::Object(map) = raw else {
        let kind = match raw {
            Value::Array(_) => "a list",
            Value::Null => "empty",
            _ => "a scalar",
        };
        return Err(Error::Invalid { location: locate(""), message: format!("not an OpenAPI document: the top level is {kind}, not a mapping") });
    };
    match map.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(Error::Invalid {
            location: locate("/openapi"),
            message: format!("unsupported OpenAPI version {v}; this generator reads OpenAPI 3.0.x"),
        }),
        None if map.contains_key("swagger") => Err(Error::Invalid {
            location: locate("/swagger"),
            message: "this is a Swagger 2.0 document; convert it to OpenAPI 3.0 first".into(),
        }),
        None => Err(Error::Invalid { location: locate(""), message: "not an OpenAPI document: no `openapi` version field".into() }),
    }
}

/// Converts YAML to JSON values; non-string keys (`200:`) become their text, as in JSON.
fn to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        serde_yaml::Value::Mapping(map) => Value::Object(map.into_iter().map(|(k, v)| (key_text(k), to_json(v))).collect()),
        serde_yaml::Value::Tagged(tagged) => to_json(tagged.value),
    }
}

fn key_text(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s,
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".into(),
        other => serde_yaml::to_string(&other).unwrap_or_default().trim().to_owned(),
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
    }
}
