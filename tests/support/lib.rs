//! Helpers shared by the workspace's golden and end-to-end tests.

pub mod hub_stub;

use std::path::{Path, PathBuf};

use generator::ir::{Api, TypeKind, TypeRef};
use generator::Warning;
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    xtask::project_root()
}

/// `../shared` beside the repository: seeds, published specs and tools.
pub fn shared() -> PathBuf {
    root().join("../shared")
}

/// Loads and lowers one spec (path relative to the root) into module `module`.
pub fn lower(spec: &str, module: &str) -> Result<(Api, Vec<Warning>), generator::Error> {
    let (mut apis, warnings) = generator::Generator::new("test").root(root()).spec(spec, module).lower()?;
    Ok((apis.remove(0), warnings))
}

/// Loads and lowers fixture `name` of `tests/fixtures/specs/` (a file or a folder) as `cargo xtask
/// codegen` does: its API and its warnings as text.
pub fn fixture(name: &str) -> (Api, Vec<String>) {
    let fixtures = xtask::fixtures(&root()).expect("fixture specs are listed");
    let (_, spec) = fixtures.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no fixture {name}"));
    let module = generator::ir::naming::module_name(name);
    let (api, warnings) = lower(spec, &module).unwrap_or_else(|e| panic!("{name}: {e}"));
    (api, warnings.iter().map(ToString::to_string).collect())
}

/// The text of a fixture's golden crate `kind` (`models`, `client`, `server`): every Rust file of
/// its `src/`, concatenated in path order.
pub fn generated(name: &str, kind: &str) -> String {
    let dir = root().join(format!("tests/fixtures/golden/{name}-{kind}/src"));
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files.iter().map(|f| read(f)).collect::<Vec<_>>().join("\n")
}

/// Reads a text file, panicking with the path when it cannot.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub use xtask::judge::same_json;

/// Checks that `value` has the shape the IR type `ty` describes: every required field present, no
/// field the type does not know, every value of its declared kind. This is what "an example
/// matches its schema" means in the tests.
pub fn conforms(api: &Api, ty: &TypeRef, value: &Value) -> Result<(), String> {
    conforms_at(api, ty, value, "")
}

fn conforms_at(api: &Api, ty: &TypeRef, value: &Value, at: &str) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{at}: expected {what}, found {value}"));
    match ty {
        TypeRef::Any => Ok(()),
        TypeRef::String => if value.is_string() { Ok(()) } else { fail("a string") },
        TypeRef::Integer { .. } => if value.is_i64() || value.is_u64() { Ok(()) } else { fail("an integer") },
        TypeRef::Number { .. } => if value.is_number() { Ok(()) } else { fail("a number") },
        TypeRef::Boolean => if value.is_boolean() { Ok(()) } else { fail("a boolean") },
        TypeRef::DateTime | TypeRef::Date => match value.as_str() {
            Some(s) if s.chars().next().is_some_and(|c| c.is_ascii_digit()) => Ok(()),
            _ => fail("a date"),
        },
        TypeRef::Uuid => match value.as_str().map(uuid::Uuid::parse_str) {
            Some(Ok(_)) => Ok(()),
            _ => fail("a UUID"),
        },
        TypeRef::Bytes | TypeRef::Binary => match value.as_str().map(generator_runtime::Base64::decode) {
            Some(Ok(_)) => Ok(()),
            _ => fail("base64 text"),
        },
        TypeRef::Url | TypeRef::Ipv4 | TypeRef::Ipv6 => if value.is_string() { Ok(()) } else { fail("a string") },
        TypeRef::External(_) => Ok(()),
        TypeRef::Tuple(items) => match value.as_array() {
            Some(values) if values.len() == items.len() => {
                items.iter().zip(values).enumerate().try_for_each(|(i, (t, v))| conforms_at(api, t, v, &format!("{at}/{i}")))
            }
            _ => fail("an array of fixed length"),
        },
        TypeRef::List(inner) => match value.as_array() {
            Some(items) => items.iter().enumerate().try_for_each(|(i, v)| conforms_at(api, inner, v, &format!("{at}/{i}"))),
            None => fail("an array"),
        },
        TypeRef::Map(inner) => match value.as_object() {
            Some(map) => map.iter().try_for_each(|(k, v)| conforms_at(api, inner, v, &format!("{at}/{k}"))),
            None => fail("an object"),
        },
        TypeRef::Nullable(_) if value.is_null() => Ok(()),
        TypeRef::Nullable(inner) => conforms_at(api, inner, value, at),
        TypeRef::Named(name) => {
            let def = api.type_def(name).ok_or_else(|| format!("{at}: no type {name}"))?;
            match &def.kind {
                TypeKind::Alias(target) => conforms_at(api, target, value, at),
                TypeKind::Enum(_) => if value.is_string() { Ok(()) } else { fail("an enum string") },
                TypeKind::Union(variants) => {
                    if variants.iter().any(|v| conforms_at(api, v, value, at).is_ok()) { Ok(()) } else { fail("one of the union's shapes") }
                }
                TypeKind::Tagged(tagged) => {
                    if tagged.members().any(|v| conforms_at(api, v, value, at).is_ok()) { Ok(()) } else { fail("one of the tagged shapes") }
                }
                TypeKind::Struct(s) => {
                    let Some(map) = value.as_object() else { return fail("an object") };
                    for field in &s.fields {
                        match map.get(&field.wire_name) {
                            None if field.required => return Err(format!("{at}: required field `{}` missing", field.wire_name)),
                            None => {}
                            Some(Value::Null) if field.nullable => {}
                            Some(v) => conforms_at(api, &field.ty, v, &format!("{at}/{}", field.wire_name))?,
                        }
                    }
                    for (key, v) in map {
                        if !s.fields.iter().any(|f| &f.wire_name == key) {
                            match &s.additional {
                                Some(extra) => conforms_at(api, extra, v, &format!("{at}/{key}"))?,
                                None => return Err(format!("{at}: field `{key}` is not in the schema")),
                            }
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}
