//! Bad input: a spec the generator cannot use gets an error naming the file, the line or JSON pointer,
//! and what is wrong; no input, however broken, makes it panic.

use generator::diag::Diagnostics;
use proptest::prelude::*;
use serde_json::Value;
use tests::{read, root};

fn error_for(name: &str) -> String {
    let spec = format!("tests/fixtures/invalid/{name}.yaml");
    match generator::Generator::new("invalid").root(root()).spec(&spec, "invalid").generate() {
        Ok(_) => panic!("{spec} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_invalid_spec_is_rejected_with_file_place_and_reason() {
    let cases = [
        ("syntax", "tests/fixtures/invalid/syntax.yaml:7:", "not valid YAML"),
        ("ref-cycle", "tests/fixtures/invalid/ref-cycle.yaml:25 (#/components/schemas/A)", "cycle"),
        ("swagger2", "tests/fixtures/invalid/swagger2.yaml:4 (#/swagger)", "Swagger 2.0"),
        ("not-openapi", "tests/fixtures/invalid/not-openapi.yaml:4 (#)", "top level is a list"),
        ("wrong-type", "tests/fixtures/invalid/wrong-type.yaml:21 (#/paths/~1pets~1{petId}/get/responses)", "invalid type"),
        ("missing-file-ref", "tests/fixtures/invalid/missing-file-ref.yaml:20 (#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref)", "cannot read `tests/fixtures/invalid/other.yaml`"),
        ("cross-file-cycle", "tests/fixtures/invalid/cross-file-cycle/a.yaml:1 (#)", "`$ref` cycle"),
        ("remote-ref", "tests/fixtures/invalid/remote-ref.yaml:16 (#/paths/~1far/get/responses/200/content/application~1json/schema/$ref)", "remote `$ref` `https://example.com/schemas/pet.yaml` is not supported"),
    ];
    for (name, place, reason) in cases {
        let error = error_for(name);
        assert!(error.starts_with(place), "{name}: {error:?} should start with {place:?}");
        assert!(error.contains(reason), "{name}: {error:?} should say {reason:?}");
    }
}

/// Every node of a JSON tree, by pointer.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// Replacements that break a spec in the ways real files are broken, including the shapes the
/// loader reads tolerantly (nulls, keywords of the wrong JSON type, references to components of
/// another kind or to nothing, pointers into and through other schemas, callbacks by reference,
/// `definitions` entries that are no schema).
fn replacement(kind: u8) -> Value {
    match kind % 30 {
        24 => serde_json::json!({"$ref": "#/components/schemas/accessToken"}),
        25 => serde_json::json!({"$ref": "#/components/schemas/accessToken/properties/scopes"}),
        26 => serde_json::json!({"$ref": "#/components/responses/BadRequest/content/application~1json/schema/properties/detail"}),
        27 => serde_json::json!({"cb": {"$ref": "#/components/callbacks/nothing"}, "cb2": {"{$request.body#/url}": {"$ref": "#/components/responses/BadRequest"}}}),
        28 => serde_json::json!({"type": "object", "properties": {"p": {"$ref": "#/definitions/bad"}, "q": {"$ref": "#/definitions/good"}}, "definitions": {"bad": {"type": {"x": 1}}, "good": {"type": "string"}}}),
        29 => serde_json::json!({"description": "An answer without content."}),
        12 => Value::Bool(true),
        13 => Value::from("5"),
        14 => Value::from(0),
        15 => Value::from("string"),
        16 => serde_json::json!({"$ref": "#/components/requestBodies/scim_update_user_request"}),
        17 => serde_json::json!({"$ref": "#/components/responses/scim_error"}),
        18 => serde_json::json!({"$ref": "#/definitions/accessToken"}),
        19 => serde_json::json!({"type": "string", "required": true, "enum": [1, "1", true], "default": 0}),
        20 => serde_json::json!({"$ref": "#/components/parameters/page_size"}),
        21 => serde_json::json!({"$ref": "#/components/schemas/Nope/definitions/X"}),
        22 => serde_json::json!({"x-sdk-exclude": true, "name": {"type": "string", "nullable": "true", "minLength": "2"}}),
        23 => serde_json::json!({"name": "q", "in": "query"}),
        9 => serde_json::json!({"type": ["string", "integer", "null"], "const": 3}),
        10 => serde_json::json!({"$ref": "#/components/schemas/Plant/properties/location/prefixItems/7"}),
        11 => serde_json::json!({"prefixItems": [true, {"$ref": "#/paths"}], "items": false}),
        0 => Value::Null,
        1 => Value::from("#/components/schemas/Nope"),
        2 => serde_json::json!({"$ref": "#/components/schemas/Nope"}),
        3 => serde_json::json!({"$ref": "#/components/schemas/accessToken", "type": "object"}),
        4 => serde_json::json!([]),
        5 => serde_json::json!({"type": "array"}),
        6 => serde_json::json!({"allOf": [{"$ref": "#/components/schemas/paginated_tags"}, {"type": "string"}]}),
        7 => Value::from(-1),
        _ => serde_json::json!({"type": "object", "items": {"type": "object"}, "properties": {"type": {"type": "integer", "format": "int8"}}}),
    }
}

/// Replaces or removes the nodes `edits` pick.
fn mutate(doc: &mut Value, edits: &[(u32, u8)]) {
    for &(pick, kind) in edits {
        let mut all = Vec::new();
        pointers(doc, String::new(), &mut all);
        let at = &all[pick as usize % all.len()];
        if at.is_empty() {
            continue;
        }
        let (parent, key) = at.rsplit_once('/').expect("non-root pointer has a parent");
        let key = key.replace("~1", "/").replace("~0", "~");
        match (doc.pointer_mut(parent), kind % 4) {
            (Some(Value::Object(map)), 0) => {
                map.shift_remove(&key);
            }
            (Some(Value::Object(map)), _) => {
                map.insert(key, replacement(kind));
            }
            (Some(Value::Array(items)), _) => {
                let i: usize = key.parse().expect("array index");
                items[i] = replacement(kind);
            }
            _ => {}
        }
    }
}

/// Loads, lowers and emits `text`: an error or output, never a panic; and whatever loads and lowers
/// emits code that parses (an emitter bug otherwise, whatever the spec).
fn run_everything(text: &str) {
    let mut diags = Diagnostics::default();
    let Ok(doc) = generator::load::load_str(text, "mutated.yaml", &mut diags) else { return };
    let Ok(api) = generator::ir::lower(&doc, "v2", &mut diags) else { return };
    let apis = [api];
    let warnings = diags.into_sorted();
    if let Err(e @ generator::Error::Emit { .. }) = generator::emit::emit(&generator::emit::Crates::new("mutated", "test", &apis, &warnings)) {
        panic!("{e}\n--- the spec:\n{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The real spec with a few nodes replaced or removed: an error or output, never a panic.
    #[test]
    fn a_mutated_hub_spec_never_panics_the_generator(edits in prop::collection::vec((any::<u32>(), any::<u8>()), 1..4)) {
        let mut doc: Value = serde_yaml::from_str(&read(&root().join("spec/hub.yaml"))).expect("hub.yaml parses");
        mutate(&mut doc, &edits);
        run_everything(&serde_yaml::to_string(&doc).expect("YAML out"));
    }

    /// An OpenAPI 3.1 spec (type lists, `const`, webhooks, path items by `$ref`, tuples) with a few
    /// nodes replaced or removed: an error or output, never a panic.
    #[test]
    fn a_mutated_31_spec_never_panics_the_generator(edits in prop::collection::vec((any::<u32>(), any::<u8>()), 1..4)) {
        let mut doc: Value = serde_yaml::from_str(&read(&root().join("tests/fixtures/specs/openapi-31.yaml"))).expect("the 3.1 fixture parses");
        mutate(&mut doc, &edits);
        run_everything(&serde_yaml::to_string(&doc).expect("YAML out"));
    }

    /// The fixtures of readings one step further (schemas of another kind, callbacks by `$ref`,
    /// `definitions` entries that are no schema, names the emitters give their own items) with a few
    /// nodes replaced or removed: an error or output, never a panic.
    #[test]
    fn a_mutated_spec_read_generously_never_panics_the_generator(which in 0..4usize, edits in prop::collection::vec((any::<u32>(), any::<u8>()), 1..4)) {
        let spec = ["callback-refs", "schema-kind-refs", "definitions-entries", "emitted-names"][which];
        let mut doc: Value = serde_yaml::from_str(&read(&root().join(format!("tests/fixtures/specs/{spec}.yaml")))).expect("the fixture parses");
        mutate(&mut doc, &edits);
        run_everything(&serde_yaml::to_string(&doc).expect("YAML out"));
    }

    /// Arbitrary text, including YAML-looking fragments.
    #[test]
    fn arbitrary_text_never_panics_the_generator(text in "(openapi: 3\\.0\\.0\n|paths:\n|  /a:\n|    get:\n|\\$ref: '#/x'\n|[ -~]{0,20}\n){0,12}") {
        run_everything(&text);
    }
}
