//! Where a documented example went inside its model, judged against the spec: the same JSON coming
//! back proves neither that a property was read into its field (an open struct keeps one it reads
//! under a wrong name among its extra properties and writes it back unchanged) nor that a union
//! read the member the value is. The models harness reports, by JSON pointer into the example,
//! the keys each struct kept as extra properties and the member each union holds
//! (`generator::emit::harness`); here a kept key the struct's schema declares is a failure, and so
//! is a member whose schema the value does not satisfy.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The properties each struct's schema declares, by type name: the names of its `properties` and
/// those of its `allOf` members, through `$ref`s, read from `published` (the spec as published)
/// or, for a schema it does not have at that place (one bundled from another file), from `loaded`
/// (the spec as the generator bundled it); `origins` says where a pointer of the latter is in the
/// former.
pub fn declared(api: &generator::ir::Api, published: &Value, loaded: &Value, origins: &crate::judge::Origins) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for def in &api.types {
        if !matches!(def.kind, generator::ir::TypeKind::Struct(_)) {
            continue;
        }
        let at = &def.location.pointer;
        let found = match crate::judge::locate(published, &origins.of(at)).and_then(|p| published.pointer(&p)) {
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

/// The schema of each member of each union and tagged value, by type name, as pointers into the
/// judge's document once `copies` are attached to it (the member's schema as published, or as the
/// generator bundled it where the published text has no such place: see [`crate::judge::Copies`]).
pub fn member_schemas(api: &generator::ir::Api, copies: &mut crate::judge::Copies, published: &Value, loaded: &Value, origins: &crate::judge::Origins) -> BTreeMap<String, Vec<String>> {
    let mut by_type = BTreeMap::new();
    for def in api.types.iter().filter(|d| !d.member_schemas.is_empty()) {
        // Where there is no such schema, the judge says so of the pointer.
        let pointers = def.member_schemas.iter().map(|p| copies.add(p, published, loaded, origins).unwrap_or_else(|| p.clone()));
        by_type.insert(def.name.clone(), pointers.collect());
    }
    by_type
}

/// The member each union or tagged value of an example holds, from the harness's report: (JSON
/// pointer of the value in the example, its type, the member's index).
pub fn members(report: &Value) -> Vec<(String, String, usize)> {
    let entries = report.get("members").and_then(Value::as_array).into_iter().flatten();
    entries
        .filter_map(|entry| {
            let at = entry.get(0)?.as_str()?.to_owned();
            let ty = entry.get(1)?.as_str()?.to_owned();
            let index = usize::try_from(entry.get(2)?.as_u64()?).ok()?;
            Some((at, ty, index))
        })
        .collect()
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

#[cfg(test)]
mod member_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_are_read_from_the_report_and_their_schemas_copied_as_published() {
        let report = json!({"extra": [], "members": [["/pets/0", "Owner", 1], ["", "Id", 0]]});
        assert_eq!(members(&report), [("/pets/0".to_owned(), "Owner".to_owned(), 1), (String::new(), "Id".to_owned(), 0)]);
        let mut diags = generator::diag::Diagnostics::default();
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Id:\n      nullable: true\n      oneOf: [{type: string, maxLength: 3, nullable: true}, {$ref: '#/components/schemas/N'}]\n    N: {type: integer}\n";
        let doc = generator::load::load_str(spec, "t.yaml", &mut diags).expect("loads");
        let api = generator::ir::lower(&doc, "t", &mut diags).expect("lowers");
        let loaded = serde_json::to_value(&doc.openapi).expect("JSON");
        let published = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {
            "Id": {"nullable": true, "oneOf": [{"type": "string", "maxLength": 3, "nullable": true}, {"$ref": "#/components/schemas/N"}]},
            "N": {"type": "integer"}
        }}});
        let origins = crate::judge::Origins::new(doc.sources.clone(), "t.yaml");
        let mut copies = crate::judge::Copies::default();
        let by_type = member_schemas(&api, &mut copies, &published, &loaded, &origins);
        assert_eq!(by_type["Id"], ["/x-roundtrip-schemas/0", "/x-roundtrip-schemas/1"]);
        // The judge's document lacks what a copy refers to (as if it came from another file): it
        // is grafted.
        let mut document = json!({"openapi": "3.0.3", "components": {"schemas": {}}});
        copies.attach(&mut document, &loaded);
        assert_eq!(document.pointer("/x-roundtrip-schemas/0"), Some(&json!({"type": ["string", "null"], "maxLength": 3})), "in JSON Schema terms");
        assert_eq!(document.pointer("/x-roundtrip-schemas/1"), Some(&json!({"$ref": "#/components/schemas/N"})));
        assert_eq!(document.pointer("/components/schemas/N"), Some(&json!({"type": "integer"})));
        // Translated, `Id` is an `anyOf` of `null` and the `oneOf`: `/components/schemas/Id/oneOf/0`
        // is no place of it, and the copy does not depend on one.
        let mut translated = published.clone();
        crate::judge::json_schema(&mut translated);
        assert_eq!(translated.pointer("/components/schemas/Id/oneOf/0"), None);
    }
}
