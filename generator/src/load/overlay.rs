//! OpenAPI Overlay 1.0.0: corrections kept apart from the vendor's text, applied to the raw
//! document before anything else reads it.
//!
//! An overlay is a list of actions, each an RFC 9535 JSONPath `target` with an `update` to merge
//! into every node it selects or `remove: true`. Targets are evaluated by `serde_json_path`, a
//! complete RFC 9535 implementation (filters, functions, descendants), rather than a matcher of our
//! own. Merging follows the specification: objects merge recursively, a property of any other kind
//! (a string, an array) is replaced by the update's, and an update of a selected array is appended
//! to it. Every node an update adds is recorded as a graft of the overlay file, so later
//! diagnostics about it name the overlay's file and line, not the spec's.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use super::raw;
use super::sources::{Role, Sources};
use crate::diag::{pointer_tokens, push_pointer, Diagnostics, Error};

/// Fields an action may have besides `x-` extensions.
const ACTION_FIELDS: [&str; 4] = ["target", "description", "update", "remove"];
/// Fields of the overlay document besides `x-` extensions.
const OVERLAY_FIELDS: [&str; 4] = ["overlay", "info", "extends", "actions"];

/// One action, checked.
struct Action {
    /// Index in `actions`, for pointers into the overlay file.
    index: usize,
    target: String,
    path: JsonPath,
    change: Change,
}

enum Change {
    Update(Value),
    Remove,
}

/// Parses the overlay `file` (its `text`) and applies it to `doc`, the document read from
/// `spec_file`. Errors name the overlay file and line; a target matching nothing is a warning
/// located at that target.
pub(crate) fn apply(doc: &mut Value, spec_file: &str, file: &str, text: &str, sources: &mut Sources, diags: &mut Diagnostics) -> Result<(), Error> {
    let parsed = raw::parse(text, file)?;
    let at = sources.add_file(file, Role::Overlay, parsed.lines);
    for big in &parsed.big {
        diags.warn(sources.locate_in(at, &big.pointer), super::big_integer_message(&big.text));
    }
    let actions = read(parsed.value, at, sources, diags)?;
    for action in actions {
        let base = format!("/actions/{}", action.index);
        let found: Vec<String> = action.path.query_located(doc).iter().map(|node| node.location().to_json_pointer()).collect();
        let matched = found.len();
        let mut pointers = Vec::with_capacity(matched);
        for pointer in found {
            match doc.pointer(&pointer) {
                Some(Value::Object(_) | Value::Array(_)) => pointers.push(pointer),
                _ => diags.warn(
                    sources.locate_in(at, &push_pointer(&base, "target")),
                    format!("`{}` selects `#{pointer}` of {spec_file}, which is not an object or an array; an overlay action changes only those (select the object holding the value instead)", action.target),
                ),
            }
        }
        if pointers.is_empty() {
            if matched == 0 {
                diags.warn(sources.locate_in(at, &push_pointer(&base, "target")), format!("`{}` matches nothing in {spec_file}; the action changes nothing", action.target));
            }
            continue;
        }
        match &action.change {
            Change::Remove => {
                // Last first, so removing an array item does not move the ones still to remove.
                pointers.sort_by(|a, b| compare_pointers(b, a));
                for pointer in pointers {
                    if pointer.is_empty() {
                        diags.warn(sources.locate_in(at, &push_pointer(&base, "remove")), "the target is the whole document, which cannot be removed; the action changes nothing");
                        continue;
                    }
                    remove(doc, &pointer);
                    sources.forget(&pointer);
                }
            }
            Change::Update(update) => {
                let from = push_pointer(&base, "update");
                for pointer in pointers {
                    let Some(node) = doc.pointer_mut(&pointer) else { continue };
                    match (node, update) {
                        (Value::Object(target), Value::Object(update)) => merge(target, update, &pointer, &from, at, sources),
                        (Value::Array(items), update) => {
                            sources.graft(&push_pointer(&pointer, &items.len().to_string()), at, &from);
                            items.push(update.clone());
                        }
                        (Value::Object(_), _) => diags.warn(
                            sources.locate_in(at, &from),
                            format!("`{}` selects the object `#{pointer}` of {spec_file}, and an update of an object must be an object of properties to merge; the update is skipped there", action.target),
                        ),
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(())
}

/// Merges `update` (at `from` in overlay file `file`) into `target` (at `at` in the document).
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>, at: &str, from: &str, file: usize, sources: &mut Sources) {
    for (key, value) in update {
        let (here, there) = (push_pointer(at, key), push_pointer(from, key));
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(update)) => merge(inner, update, &here, &there, file, sources),
            _ => {
                target.insert(key.clone(), value.clone());
                sources.graft(&here, file, &there);
            }
        }
    }
}

/// Removes the node at `pointer` from the object or array holding it.
fn remove(doc: &mut Value, pointer: &str) {
    let Some(cut) = pointer.rfind('/') else { return };
    let key = pointer_tokens(&pointer[cut..]).pop().unwrap_or_default();
    match doc.pointer_mut(&pointer[..cut]) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Some(index) = key.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(index);
            }
        }
        _ => {}
    }
}

/// Orders pointers as paths, array indices by number: `/a/10` after `/a/9`.
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (pointer_tokens(a), pointer_tokens(b));
    for (x, y) in a.iter().zip(&b) {
        let order = match (x.parse::<usize>(), y.parse::<usize>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// Checks the overlay document's shape and reads its actions.
fn read(value: Value, file: usize, sources: &Sources, diags: &mut Diagnostics) -> Result<Vec<Action>, Error> {
    let invalid = |pointer: &str, message: String| Error::Invalid { location: sources.locate_in(file, pointer), message };
    let Value::Object(mut top) = value else {
        return Err(invalid("", "not an OpenAPI Overlay document: the top level is not a mapping".into()));
    };
    match top.get("overlay") {
        Some(Value::String(v)) if v == "1.0" || v.starts_with("1.0.") => {}
        Some(v) => return Err(invalid("/overlay", format!("unsupported Overlay version {v}; this generator applies Overlay 1.0.x"))),
        None => return Err(invalid("", "not an OpenAPI Overlay document: no `overlay` version field".into())),
    }
    match top.get("info") {
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                if !info.get(field).is_some_and(Value::is_string) {
                    return Err(invalid("/info", format!("the overlay's `info` needs a `{field}` string")));
                }
            }
        }
        _ => return Err(invalid("", "the overlay needs an `info` object with `title` and `version`".into())),
    }
    for key in top.keys() {
        if !OVERLAY_FIELDS.contains(&key.as_str()) && !key.starts_with("x-") {
            diags.warn(sources.locate_in(file, &push_pointer("", key)), format!("`{key}` is not a field of an Overlay 1.0 document; ignored"));
        }
    }
    let Some(Value::Array(list)) = top.shift_remove("actions") else {
        return Err(invalid("", "the overlay needs an `actions` list".into()));
    };
    if list.is_empty() {
        return Err(invalid("/actions", "`actions` is empty; an overlay has at least one action".into()));
    }
    let mut actions = Vec::with_capacity(list.len());
    for (index, item) in list.into_iter().enumerate() {
        let at = format!("/actions/{index}");
        let Value::Object(mut item) = item else {
            return Err(invalid(&at, "an action must be a mapping with `target` and `update` or `remove`".into()));
        };
        if let Some(key) = item.keys().find(|k| !ACTION_FIELDS.contains(&k.as_str()) && !k.starts_with("x-")) {
            return Err(invalid(&push_pointer(&at, key), format!("`{key}` is not a field of an Overlay 1.0 action (target, description, update, remove)")));
        }
        let target = match item.get("target") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(invalid(&push_pointer(&at, "target"), "`target` must be a JSONPath string".into())),
            None => return Err(invalid(&at, "the action has no `target`".into())),
        };
        let path = JsonPath::parse(&target).map_err(|e| invalid(&push_pointer(&at, "target"), format!("`{target}` is not an RFC 9535 JSONPath: {} (at character {})", e.message(), e.position() + 1)))?;
        let remove = match item.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(invalid(&push_pointer(&at, "remove"), "`remove` must be true or false".into())),
        };
        let change = match (remove, item.shift_remove("update")) {
            (true, update) => {
                if update.is_some() {
                    diags.warn(sources.locate_in(file, &push_pointer(&at, "update")), "the action removes its target, so its `update` has no effect");
                }
                Change::Remove
            }
            (false, Some(update)) => Change::Update(update),
            (false, None) => {
                diags.warn(sources.locate_in(file, &at), "the action has neither `update` nor `remove: true`; it changes nothing");
                continue;
            }
        };
        actions.push(Action { index, target, path, change });
    }
    Ok(actions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::lines::LineIndex;
    use serde_json::json;

    const SPEC: &str = "openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /:
    get:
      responses: {'200': {description: ok}}
  /pets:
    get:
      parameters:
        - {name: filter, in: query, schema: {type: string}}
        - {name: dummy, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
  /foo:
    get:
      responses: {'200': {description: ok}}
  /bar:
    get:
      description: old
      responses: {'200': {description: ok}}
  /items:
    get:
      x-oai-traits: [paged]
      responses: {'200': {description: ok}}
";

    /// Applies `overlay` to the spec above, returning the document and the warnings.
    fn overlaid(overlay: &str) -> Result<(Value, Vec<String>, Sources), Error> {
        let mut doc = raw::yaml(SPEC).expect("the spec parses");
        let mut sources = Sources::default();
        sources.add_file("spec.yaml", Role::Spec, LineIndex::yaml(SPEC).0);
        let mut diags = Diagnostics::default();
        apply(&mut doc, "spec.yaml", "fix.overlay.yaml", overlay, &mut sources, &mut diags)?;
        Ok((doc, diags.into_sorted().into_iter().map(|w| w.to_string()).collect(), sources))
    }

    // The examples of the Overlay Specification 1.0.0, section "Examples", each applied.

    #[test]
    fn structured_overlay_merges_a_mirror_of_the_document() {
        let (doc, warnings, _) = overlaid(
            "overlay: 1.0.0
info: {title: Structured Overlay, version: 1.0.0}
actions:
  - target: '$' # Root of document
    update:
      info:
        x-overlay-applied: structured-overlay
      paths:
        '/':
          summary: 'The root resource'
          get:
            summary: 'Retrieve the root resource'
            x-rate-limit: 100
        '/pets':
          get:
            summary: 'Retrieve a list of pets'
            x-rate-limit: 100
      components:
      tags:
",
        )
        .expect("applies");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["info"]["x-overlay-applied"], "structured-overlay");
        assert_eq!(doc["info"]["title"], "Pets", "merging keeps what the update does not name");
        assert_eq!(doc["paths"]["/"]["summary"], "The root resource");
        assert_eq!(doc["paths"]["/"]["get"]["x-rate-limit"], 100);
        assert_eq!(doc["paths"]["/"]["get"]["responses"]["200"]["description"], "ok");
        assert_eq!(doc["paths"]["/pets"]["get"]["summary"], "Retrieve a list of pets");
        assert_eq!(doc["paths"]["/pets"]["get"]["parameters"].as_array().map(Vec::len), Some(2));
        assert_eq!(doc["components"], Value::Null);
    }

    #[test]
    fn targeted_overlay_updates_and_adds_children() {
        let (doc, warnings, sources) = overlaid(
            "overlay: 1.0.0
info: {title: Targeted Overlay, version: 1.0.0}
actions:
  - target: $.paths['/foo'].get
    update:
      description: This is the new description
  - target: $.paths['/bar'].get
    update:
      description: This is the updated description
  - target: $.paths['/bar']
    update:
      post:
        description: This is an updated description of a child object
        x-safe: false
",
        )
        .expect("applies");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["paths"]["/foo"]["get"]["description"], "This is the new description");
        assert_eq!(doc["paths"]["/bar"]["get"]["description"], "This is the updated description");
        assert_eq!(doc["paths"]["/bar"]["post"], json!({"description": "This is an updated description of a child object", "x-safe": false}));
        // What the overlay added is located in the overlay, what it did not touch in the spec.
        assert_eq!(sources.locate("/paths/~1bar/post/x-safe").to_string(), "fix.overlay.yaml:14 (#/actions/2/update/post/x-safe)");
        assert_eq!(sources.locate("/paths/~1bar/get/description").to_string(), "fix.overlay.yaml:9 (#/actions/1/update/description)");
        assert_eq!(sources.locate("/paths/~1bar/get/responses").to_string(), "spec.yaml:19 (#/paths/~1bar/get/responses)");
    }

    #[test]
    fn wildcard_overlay_updates_every_match() {
        let (doc, warnings, _) = overlaid(
            "overlay: 1.0.0
info: {title: Update many objects at once, version: 1.0.0}
actions:
  - target: $.paths.*.get
    update:
      x-safe: true
  - target: $.paths.*.get.parameters[?@.name=='filter' && @.in=='query']
    update:
      schema:
        $ref: '/components/schemas/filterSchema'
",
        )
        .expect("applies");
        assert!(warnings.is_empty(), "{warnings:?}");
        for path in ["/", "/pets", "/foo", "/bar", "/items"] {
            assert_eq!(doc["paths"][path]["get"]["x-safe"], true, "{path}");
        }
        // The schema object is merged: the `$ref` joins its `type`.
        assert_eq!(doc["paths"]["/pets"]["get"]["parameters"][0]["schema"], json!({"type": "string", "$ref": "/components/schemas/filterSchema"}));
        assert_eq!(doc["paths"]["/pets"]["get"]["parameters"][1]["schema"], json!({"type": "string"}));
    }

    #[test]
    fn array_modification_appends_and_removes_items() {
        let (doc, warnings, sources) = overlaid(
            "overlay: 1.0.0
info: {title: Add an array element, version: 1.0.0}
actions:
  - target: $.paths.*.get.parameters
    update:
      name: newParam
      in: query
",
        )
        .expect("applies");
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = doc["paths"]["/pets"]["get"]["parameters"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
        assert_eq!(names, ["filter", "dummy", "newParam"]);
        assert_eq!(sources.locate("/paths/~1pets/get/parameters/2/name").to_string(), "fix.overlay.yaml:6 (#/actions/0/update/name)");

        let (doc, warnings, _) = overlaid(
            "overlay: 1.0.0
info: {title: Remove a array element, version: 1.0.0}
actions:
  - target: $.paths.*.get.parameters[?@.name == 'dummy']
    remove: true
",
        )
        .expect("applies");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["paths"]["/pets"]["get"]["parameters"], json!([{"name": "filter", "in": "query", "schema": {"type": "string"}}]));
    }

    #[test]
    fn traits_select_operations_by_an_extension() {
        // The specification's traits example, with the target written as RFC 9535 reads it: a name
        // with `-` needs brackets, and the filter selects among the path item's operations.
        let (doc, warnings, _) = overlaid(
            "overlay: 1.0.0
info: {title: Apply Traits, version: 1.0.0}
actions:
  - target: $.paths.*[?@['x-oai-traits'][?@ == 'paged']]
    update:
      parameters:
        - {name: top, in: query}
        - {name: skip, in: query}
",
        )
        .expect("applies");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["paths"]["/items"]["get"]["parameters"][1]["name"], "skip");
        assert!(doc["paths"]["/pets"]["get"]["parameters"].as_array().is_some_and(|p| p.len() == 2));
    }

    #[test]
    fn removing_several_items_of_one_array_removes_exactly_those() {
        let (doc, _, _) = overlaid(
            "overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/pets'].get.parameters[*]
    remove: true
  - target: $.paths['/bar'].get.description
    remove: true
",
        )
        .expect("applies");
        assert_eq!(doc["paths"]["/pets"]["get"]["parameters"], json!([]));
        // `description` is a string, not an object or array: not removed, and said so.
        assert_eq!(doc["paths"]["/bar"]["get"]["description"], "old");
    }

    #[test]
    fn nested_arrays_are_replaced_and_primitives_overwritten() {
        let (doc, _, _) = overlaid(
            "overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/items'].get
    update:
      x-oai-traits: [cursor]
      description: new
",
        )
        .expect("applies");
        assert_eq!(doc["paths"]["/items"]["get"]["x-oai-traits"], json!(["cursor"]));
        assert_eq!(doc["paths"]["/items"]["get"]["description"], "new");
    }

    #[test]
    fn targets_matching_nothing_or_primitives_warn_at_the_target() {
        let (_, warnings, _) = overlaid(
            "overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/nowhere'].get
    update: {description: x}
  - target: $.info.title
    update: {x: 1}
  - target: $.info
    description: no change given
",
        )
        .expect("applies");
        assert_eq!(
            warnings,
            [
                "warning: fix.overlay.yaml:4 (#/actions/0/target): `$.paths['/nowhere'].get` matches nothing in spec.yaml; the action changes nothing",
                "warning: fix.overlay.yaml:6 (#/actions/1/target): `$.info.title` selects `#/info/title` of spec.yaml, which is not an object or an array; an overlay action changes only those (select the object holding the value instead)",
                "warning: fix.overlay.yaml:8 (#/actions/2): the action has neither `update` nor `remove: true`; it changes nothing",
            ]
        );
    }

    #[test]
    fn invalid_overlays_are_errors_naming_file_and_line() {
        let error = |text: &str| overlaid(text).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(error("overlay: 2.0.0\n"), "fix.overlay.yaml:1 (#/overlay): unsupported Overlay version \"2.0.0\"; this generator applies Overlay 1.0.x");
        assert_eq!(error("openapi: 3.0.0\n"), "fix.overlay.yaml:1 (#): not an OpenAPI Overlay document: no `overlay` version field");
        assert!(error("overlay: 1.0.0\ninfo: {title: t}\nactions: []\n").starts_with("fix.overlay.yaml:2 (#/info): the overlay's `info` needs a `version`"));
        assert_eq!(
            error("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    remove: true\n"),
            "fix.overlay.yaml:4 (#/actions/0/target): `$.paths[` is not an RFC 9535 JSONPath: parser error (at character 8)"
        );
        assert_eq!(
            error("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    merge: {a: 1}\n"),
            "fix.overlay.yaml:5 (#/actions/0/merge): `merge` is not a field of an Overlay 1.0 action (target, description, update, remove)"
        );
        assert!(error("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: [$]\n").contains("`target` must be a JSONPath string"));
        assert!(error("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [\n").starts_with("fix.overlay.yaml:"));
    }
}
