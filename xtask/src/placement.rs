//! Where a documented example went inside its model, judged against the spec: the same JSON coming
//! back proves neither that a property was read into its field (an open struct keeps one it reads
//! under a wrong name among its extra properties and writes it back unchanged) nor that a union
//! read the member the value is. The models harness reports, by JSON pointer into the example,
//! the keys each struct kept as extra properties and the member each union holds
//! (`generator::emit::harness`); here a kept key the struct's schema declares is a failure.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The properties each struct's schema declares, by type name: the names of its `properties` and
/// those of its `allOf` members, through `$ref`s, read from `published` (the spec as published)
/// or, for a schema it does not have at that place (one bundled from another file), from `loaded`
/// (the spec as the generator bundled it).
pub fn declared(api: &generator::ir::Api, published: &Value, loaded: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for def in &api.types {
        if !matches!(def.kind, generator::ir::TypeKind::Struct(_)) {
            continue;
        }
        let at = &def.location.pointer;
        let found = match crate::judge::locate(published, at).and_then(|p| published.pointer(&p)) {
            Some(schema) => properties(published, schema),
            None => loaded.pointer(at).map(|schema| properties(loaded, schema)).unwrap_or_default(),
        };
        out.insert(def.name.clone(), found);
    }
    out
}

/// The names `schema` (in `document`) declares in `properties`, its own and its `allOf` members'.
fn properties(document: &Value, schema: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut todo = vec![schema];
    let mut hops = 0;
    while let Some(node) = todo.pop() {
        hops += 1;
        if hops > 1_000 {
            break;
        }
        if let Some(target) = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|r| document.pointer(r)) {
            todo.push(target);
        }
        if let Some(Value::Object(properties)) = node.get("properties") {
            names.extend(properties.keys().cloned());
        }
        if let Some(Value::Array(members)) = node.get("allOf") {
            todo.extend(members);
        }
    }
    names
}

/// The first declared property some struct of the example kept as an extra property, as (JSON
/// pointer of the struct in the example, its type, the key), from the harness's report.
pub fn misplaced(report: &Value, declared: &BTreeMap<String, BTreeSet<String>>) -> Option<(String, String, String)> {
    for entry in report.get("extra").and_then(Value::as_array).into_iter().flatten() {
        let (Some(at), Some(ty), Some(keys)) = (entry.get(0).and_then(Value::as_str), entry.get(1).and_then(Value::as_str), entry.get(2).and_then(Value::as_array)) else { continue };
        let Some(names) = declared.get(ty) else { continue };
        if let Some(key) = keys.iter().filter_map(Value::as_str).find(|k| names.contains(*k)) {
            return Some((at.to_owned(), ty.to_owned(), key.to_owned()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn declared_properties_come_from_all_of_members_through_refs() {
        let doc = json!({"components": {"schemas": {
            "Base": {"properties": {"id": {}}},
            "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"user_name": {}}}]}
        }}});
        let names = properties(&doc, &doc["components"]["schemas"]["Pet"]);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["id", "user_name"]);
    }

    #[test]
    fn a_declared_property_kept_as_an_extra_one_is_misplaced() {
        // A field read under `userName` where the spec says `user_name` leaves `user_name` among
        // the extra properties: it came back the same, but not through its field.
        let declared = BTreeMap::from([("Pet".to_owned(), BTreeSet::from(["id".to_owned(), "user_name".to_owned()]))]);
        let report = json!({"extra": [["/0", "Pet", ["nickname", "user_name"]]], "members": []});
        assert_eq!(misplaced(&report, &declared), Some(("/0".into(), "Pet".into(), "user_name".into())));
        let undeclared = json!({"extra": [["", "Pet", ["nickname"]]], "members": []});
        assert_eq!(misplaced(&undeclared, &declared), None, "a property the spec does not name is an extra one");
    }
}
