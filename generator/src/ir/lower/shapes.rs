//! Documented examples of a JSON type their model does not read: a string of JSON text, a list or
//! `null`, where a schema with `properties` and no `type` became a struct. JSON Schema lets such
//! a schema admit any value that is not an object; the model reads objects only, which is what the
//! generator assumed, so it says so at the example rather than have a user find out from a
//! refused value. (Where the schema says `type: object`, such an example is simply invalid.)

use serde_json::Value;

use super::answers::Units;
use crate::diag::Diagnostics;
use crate::ir::{Api, TypeKind, TypeRef};
use crate::load::Document;

/// How many `$ref`s are followed to the schema an example illustrates.
const MAX_REFS: usize = 16;

/// Warns at each example of an untyped schema whose JSON type its model refuses.
pub(super) fn warn_refused_examples(api: &Api, doc: &Document, diags: &mut Diagnostics) {
    let mut units = Units::new(doc);
    for example in &api.examples {
        let object = matches!(example.value, Value::Object(_));
        if object || (example.value.is_null() && example.nullable) {
            continue;
        }
        let TypeRef::Named(name) = api.resolved(&example.ty) else { continue };
        if !matches!(api.type_def(name).map(|d| &d.kind), Some(TypeKind::Struct(_))) || typed(&mut units, &example.schema) {
            continue;
        }
        let what = match &example.value {
            Value::Null => "`null`",
            Value::String(text) if serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.is_object()) => "JSON text in a string",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Bool(_) => "a boolean",
            _ => "a number",
        };
        diags.warn(
            doc.locate(&example.at),
            format!("the example is {what}, but its schema (`{}`) declares properties and no `type`, read as an object: its model `{name}` refuses this example", example.schema),
        );
    }
}

/// Whether the schema at `pointer` (through its `$ref`s) names its JSON `type`.
fn typed(units: &mut Units<'_>, pointer: &str) -> bool {
    let mut at = pointer.to_owned();
    for _ in 0..MAX_REFS {
        let Some(schema) = units.get(&at) else { return false };
        if schema.get("type").is_some() {
            return true;
        }
        match schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(target) => at = target.to_owned(),
            None => return false,
        }
    }
    false
}
