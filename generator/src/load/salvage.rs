//! Parts of a document the `openapiv3` model cannot hold, left out where the rest of the API does
//! not depend on them, each with a warning, rather than refusing the whole document:
//!
//! | part | left out as |
//! |---|---|
//! | a `definitions` (or `$defs`) entry that is no schema, where a `$ref` reached it | any JSON value, for that `$ref` |
//! | a callback that is no callback (of an operation, or in `components/callbacks`) | no callback |
//!
//! Runs last, when every other reading is done: what is left out is what nothing made readable.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::sources::Sources;
use super::walk::METHODS;
use super::Note;
use crate::diag::{pointer_tokens, push_pointer};

/// Leaves out what cannot be read; one note each.
pub(crate) fn salvage(doc: &mut Value, sources: &Sources) -> Vec<Note> {
    let mut notes = Vec::new();
    definitions_entries(doc, sources, &mut notes);
    callbacks(doc, &mut notes);
    notes
}

/// Why `value` is no `T`: the message, with where inside it when not at its top.
fn unreadable<T: DeserializeOwned>(value: &Value) -> Option<String> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let inner = super::path_to_pointer(error.path());
    Some(if inner.is_empty() { error.inner().to_string() } else { format!("at `{inner}`: {}", error.inner()) })
}

/// Schemas moved into `components/schemas` from a `definitions` (or `$defs`) map, because a `$ref`
/// named them: an entry that is no schema is left out, and the `$ref` reads any JSON value. Entries
/// no `$ref` names are never read, and need nothing.
fn definitions_entries(doc: &mut Value, sources: &Sources, notes: &mut Vec<Note>) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else { return };
    for (key, schema) in schemas.iter_mut() {
        let at = push_pointer("/components/schemas", key);
        let (_, written) = sources.origin(&at);
        let tokens = pointer_tokens(&written);
        let Some(place) = tokens.iter().rposition(|t| t == "definitions" || t == "$defs") else { continue };
        let Some(entry) = tokens.get(place + 1) else { continue };
        let Some(why) = unreadable::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema) else { continue };
        let section = &tokens[place];
        let message = format!("the `{section}` entry `{entry}` is no schema ({why}); left it out, and read the `$ref` to it as any JSON value");
        notes.push(Note { pointer: at, message });
        *schema = Value::Object(Map::new());
    }
}

/// Callbacks of operations (in paths, and in the callbacks of other callbacks' operations through
/// them) and of `components/callbacks` that are no callback.
fn callbacks(doc: &mut Value, notes: &mut Vec<Note>) {
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut().filter(|(k, _)| !k.starts_with("x-")) {
            let item_at = push_pointer("/paths", path);
            let Value::Object(item) = item else { continue };
            for method in METHODS {
                let Some(Value::Object(op)) = item.get_mut(*method) else { continue };
                let at = push_pointer(&push_pointer(&item_at, method), "callbacks");
                if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
                    leave_out::<openapiv3::Callback>(callbacks, &at, notes);
                }
            }
        }
    }
    if let Some(Value::Object(callbacks)) = doc.pointer_mut("/components/callbacks") {
        leave_out::<openapiv3::ReferenceOr<openapiv3::Callback>>(callbacks, "/components/callbacks", notes);
    }
}

/// The entries of `callbacks` (at `at`) that are no `T`, left out.
fn leave_out<T: DeserializeOwned>(callbacks: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let unreadable: Vec<(String, String)> = callbacks.iter().filter(|(k, _)| !k.starts_with("x-")).filter_map(|(k, v)| Some((k.clone(), unreadable::<T>(v)?))).collect();
    for (name, why) in unreadable {
        callbacks.shift_remove(&name);
        notes.push(Note { pointer: push_pointer(at, &name), message: format!("the callback `{name}` is not one the generator can read ({why}); left it out") });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn callbacks_that_are_no_callbacks_are_left_out() {
        let mut doc = json!({
            "paths": {"/a": {"post": {"callbacks": {
                "good": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}},
                "bad": {"{$request.body#/url}": "not a path item"},
            }}}},
            "components": {"callbacks": {"worse": ["a list"]}}
        });
        let notes = salvage(&mut doc, &Sources::default());
        let callbacks = &doc["paths"]["/a"]["post"]["callbacks"];
        assert!(callbacks.get("good").is_some() && callbacks.get("bad").is_none());
        assert_eq!(doc["components"]["callbacks"], json!({}));
        assert_eq!(notes.len(), 2);
        assert!(notes[0].message.starts_with("the callback `bad` is not one the generator can read ("), "{}", notes[0].message);
        assert_eq!(notes[1].pointer, "/components/callbacks/worse");
    }
}
