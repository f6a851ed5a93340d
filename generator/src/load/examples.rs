//! Documented examples the 3.0 model does not hold as written, kept beside it.
//!
//! `openapiv3` reads `example: null` as no example at all, and holds one `example` where a 3.1
//! schema lists several (`examples: [a, b]`, which normalising reads as `example: a`). Tools that
//! check every documented example against the generated types (the round-trip check) need them
//! all, so they are collected before anything rewrites the document, by the pointer of the object
//! that documents them.

use std::collections::HashMap;

use serde_json::Value;

use super::walk::{walk, Kind};
use crate::diag::push_pointer;

/// Every example of each object whose examples the 3.0 model does not hold as written, by the
/// object's pointer, each with its own pointer: a schema with an `examples` list (its `example`
/// too, when it has both) or a `null` example, a media type, parameter or header whose `example`
/// is `null`, an Example object whose `value` is `null`.
pub(crate) fn unheld(raw: &mut Value) -> HashMap<String, Vec<(String, Value)>> {
    let mut found: HashMap<String, Vec<(String, Value)>> = HashMap::new();
    walk(raw, &mut |node, at, kind| {
        let Value::Object(map) = node else { return };
        let mut entries = Vec::new();
        match kind {
            Kind::Schema => {
                let list = map.get("examples").and_then(Value::as_array);
                if list.is_some() || map.get("example") == Some(&Value::Null) {
                    if let Some(example) = map.get("example") {
                        entries.push((push_pointer(at, "example"), example.clone()));
                    }
                    for (i, example) in list.into_iter().flatten().enumerate() {
                        entries.push((push_pointer(&push_pointer(at, "examples"), &i.to_string()), example.clone()));
                    }
                }
            }
            Kind::MediaType | Kind::Parameter | Kind::Header if map.get("example") == Some(&Value::Null) => entries.push((push_pointer(at, "example"), Value::Null)),
            Kind::Example if map.get("value") == Some(&Value::Null) => entries.push((push_pointer(at, "value"), Value::Null)),
            _ => {}
        }
        if !entries.is_empty() {
            found.insert(at.to_owned(), entries);
        }
    });
    found
}

/// Follows a move of the subtree at `from` to `to` (see `normalise`): the pointers of what was
/// kept below it, the objects' and the examples', are where it now is.
pub(crate) fn moved(found: &mut HashMap<String, Vec<(String, Value)>>, from: &str, to: &str) {
    let moved = |pointer: &str| match pointer.strip_prefix(from) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Some(format!("{to}{rest}")),
        _ => None,
    };
    let keys: Vec<String> = found.keys().filter(|k| moved(k).is_some()).cloned().collect();
    for key in keys {
        if let (Some(mut entries), Some(new)) = (found.remove(&key), moved(&key)) {
            for (at, _) in &mut entries {
                if let Some(now) = moved(at) {
                    *at = now;
                }
            }
            found.insert(new, entries);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_examples_and_every_item_of_an_examples_list_are_kept() {
        let mut doc = json!({"paths": {"/a": {"get": {
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "example": null}],
            "responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "n": {"type": "integer", "examples": [1, 2]},
                    "s": {"type": "string", "example": null},
                    "t": {"type": "string", "example": "x"}
                }},
                "examples": {"none": {"value": null}, "some": {"value": {"n": 1}}}
            }}}}
        }}}});
        let found = unheld(&mut doc);
        let media = "/paths/~1a/get/responses/200/content/application~1json";
        assert_eq!(found[&format!("{media}/schema/properties/n")], [(format!("{media}/schema/properties/n/examples/0"), json!(1)), (format!("{media}/schema/properties/n/examples/1"), json!(2))]);
        assert_eq!(found[&format!("{media}/schema/properties/s")], [(format!("{media}/schema/properties/s/example"), Value::Null)]);
        assert_eq!(found[&format!("{media}/examples/none")], [(format!("{media}/examples/none/value"), Value::Null)]);
        assert_eq!(found["/paths/~1a/get/parameters/0"], [("/paths/~1a/get/parameters/0/example".to_owned(), Value::Null)]);
        assert_eq!(found.len(), 4, "the model holds the others: {found:?}");
    }

    #[test]
    fn what_was_kept_moves_with_its_schema() {
        let mut found = HashMap::from([("/S/anyOf/2".to_owned(), vec![("/S/anyOf/2/example".to_owned(), Value::Null)]), ("/S/anyOf/20".to_owned(), Vec::new())]);
        moved(&mut found, "/S/anyOf/2", "/S/anyOf/1");
        assert_eq!(found["/S/anyOf/1"], [("/S/anyOf/1/example".to_owned(), Value::Null)]);
        assert!(found.contains_key("/S/anyOf/20"), "`/S/anyOf/20` is not below `/S/anyOf/2`");
    }
}
