//! Selection: only the operations a user asked for (by tag and by operation, included or
//! excluded), and only the types they reach, so that the crates of a 1,000-operation API that
//! uses five of them carry five. A pass over the lowered IR: names were decided on the whole
//! spec, so a selected operation's items are named as they would be without selection.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::Api;
use crate::diag::{Diagnostics, Location};

/// Which operations to generate. Empty include lists keep every operation; an operation is kept
/// when it has an included tag or is an included operation, and then left out when it has an
/// excluded tag or is an excluded operation. Operations are named by `operationId` or by their
/// Rust name (`list_pets`); tags by their name in the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Selection {
    /// Keep the operations of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Keep these operations.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Leave out the operations of these tags.
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Leave out these operations.
    #[serde(default)]
    pub exclude_operations: Vec<String>,
}

impl Selection {
    /// True when it keeps everything.
    pub fn is_all(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty() && self.exclude_tags.is_empty() && self.exclude_operations.is_empty()
    }

    /// True when it names what to keep (rather than only what to leave out).
    fn includes(&self) -> bool {
        !self.tags.is_empty() || !self.operations.is_empty()
    }

    /// Every selector as (kind, what it names, whether it is a tag).
    fn selectors(&self) -> impl Iterator<Item = (&'static str, &String, bool)> {
        let tags = self.tags.iter().map(|t| ("tag", t, true));
        let operations = self.operations.iter().map(|o| ("operation", o, false));
        let exclude_tags = self.exclude_tags.iter().map(|t| ("excluded tag", t, true));
        let exclude_operations = self.exclude_operations.iter().map(|o| ("excluded operation", o, false));
        tags.chain(operations).chain(exclude_tags).chain(exclude_operations)
    }
}

/// True when `op` is the operation `selector` names.
fn is_operation(op: &super::Operation, selector: &str) -> bool {
    op.operation_id.as_deref() == Some(selector) || op.name == selector
}

/// Keeps in `api` only the operations `selection` chooses and the types, examples, tags and
/// callbacks they reach. Webhooks that are no callback are kept when the selection only excludes.
pub fn select(api: &mut Api, selection: &Selection) {
    if selection.is_all() {
        return;
    }
    let includes = selection.includes();
    api.operations.retain(|op| {
        let included = !includes || op.tags.iter().any(|t| selection.tags.contains(t)) || selection.operations.iter().any(|s| is_operation(op, s));
        let excluded = op.tags.iter().any(|t| selection.exclude_tags.contains(t)) || selection.exclude_operations.iter().any(|s| is_operation(op, s));
        included && !excluded
    });
    let kept: BTreeSet<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    api.webhooks.retain(|w| match &w.callback {
        Some(callback) => kept.contains(callback.operation.as_str()),
        None => !includes,
    });
    let used_tags: BTreeSet<&str> = api.operations.iter().chain(api.webhooks.iter().map(|w| &w.operation)).flat_map(|op| op.tags.iter().map(String::as_str)).collect();
    api.tags.retain(|t| used_tags.contains(t.name.as_str()));

    // The types reached from what is kept, following every `TypeRef::Named` in the plain data.
    let mut reached = BTreeSet::new();
    let mut queue = Vec::new();
    for op in api.operations.iter().chain(api.webhooks.iter().map(|w| &w.operation)) {
        named_in(&serde_json::to_value(op).unwrap_or_default(), &mut queue);
    }
    while let Some(name) = queue.pop() {
        if reached.insert(name.clone()) {
            if let Some(def) = api.type_def(&name) {
                named_in(&serde_json::to_value(&def.kind).unwrap_or_default(), &mut queue);
            }
        }
    }
    api.types.retain(|t| reached.contains(&t.name));
    api.examples.retain(|e| {
        let mut names = Vec::new();
        named_in(&serde_json::to_value(&e.ty).unwrap_or_default(), &mut names);
        names.iter().all(|n| reached.contains(n))
    });
}

/// Warns of each selector that matches nothing in any of `apis` (read before selection), at
/// `origin` (where the selection was written) or else at the first spec's tags or paths.
pub fn warn_unmatched(apis: &[Api], selection: &Selection, origin: Option<&Location>, diags: &mut Diagnostics) {
    let Some(first) = apis.first() else { return };
    for (kind, name, is_tag) in selection.selectors() {
        let matched = apis.iter().flat_map(|a| a.operations.iter().chain(a.webhooks.iter().map(|w| &w.operation))).any(|op| if is_tag { op.tags.contains(name) } else { is_operation(op, name) });
        if !matched {
            let what = if is_tag { "no operation of the specs has this tag" } else { "no operation of the specs has this operationId or Rust name" };
            let location = origin.cloned().unwrap_or_else(|| Location { file: first.source.clone(), line: None, pointer: if is_tag { "/tags".into() } else { "/paths".into() } });
            diags.warn(location, format!("the selection's {kind} `{name}` matches nothing: {what}"));
        }
    }
}

/// Pushes the name of every `TypeRef::Named` in `value` (a serialized piece of IR).
fn named_in(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let (1, Some(serde_json::Value::String(name))) = (map.len(), map.get("Named")) {
                out.push(name.clone());
            }
            map.values().for_each(|v| named_in(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| named_in(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeRef;

    /// `TypeRef::Named` serializes as `{"Named": name}`: what [`named_in`] looks for.
    #[test]
    fn a_named_type_is_found_in_its_serialized_form() {
        let mut out = Vec::new();
        named_in(&serde_json::to_value(TypeRef::Named("Pet".into())).unwrap_or_default(), &mut out);
        assert_eq!(out, ["Pet"]);
    }
}
