//! Every generated value is judged by an independent validator (the `jsonschema` crate, formats
//! on), over many seeds.

use serde_json::{json, Value};

use super::{Direction, Values};

/// A document of schemas that exercise every keyword the generator reads.
fn document() -> Value {
    json!({
        "components": {"schemas": {
            "Bounded": {"type": "object", "required": ["id", "ratio", "step", "code", "tags"], "properties": {
                "id": {"type": "integer", "format": "int32", "minimum": 10, "exclusiveMaximum": 20},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "step": {"type": "number", "multipleOf": 0.25, "minimum": -3},
                "even": {"type": "integer", "multipleOf": 2, "minimum": 1000001},
                "code": {"type": "string", "pattern": "^[A-Z]{2}-\\d{3,5}$"},
                "word": {"type": "string", "minLength": 3, "maxLength": 5},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c", "d"]}, "minItems": 2, "maxItems": 3, "uniqueItems": true},
                "pair": {"type": "array", "prefixItems": [{"type": "boolean"}, {"const": 7}], "items": false, "minItems": 2}
            }, "additionalProperties": false},
            "Formats": {"type": "object", "additionalProperties": false, "properties": {
                "at": {"type": "string", "format": "date-time"}, "day": {"type": "string", "format": "date"},
                "time": {"type": "string", "format": "time"}, "mail": {"type": "string", "format": "email"},
                "id": {"type": "string", "format": "uuid"}, "link": {"type": "string", "format": "uri"},
                "v4": {"type": "string", "format": "ipv4"}, "v6": {"type": "string", "format": "ipv6"},
                "host": {"type": "string", "format": "hostname"}, "data": {"type": "string", "format": "byte"},
                "ref": {"type": "string", "format": "uri-reference"}, "span": {"type": "string", "format": "duration"}
            }},
            "Pet": {"type": "object", "required": ["kind", "name"], "properties": {"kind": {"type": "string"}, "name": {"type": "string", "minLength": 1}},
                "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"}}},
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "required": ["barks"], "properties": {"barks": {"type": "boolean"}, "kind": {"enum": ["dog"]}}}]},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "properties": {"lives": {"type": "integer", "minimum": 1, "maximum": 9}, "kind": {"enum": ["cat"]}}}]},
            "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}], "discriminator": {"propertyName": "shape"}},
            "Circle": {"type": "object", "required": ["shape", "r"], "properties": {"shape": {"const": "Circle"}, "r": {"type": "number", "minimum": 0}}, "additionalProperties": false},
            "Square": {"type": "object", "required": ["shape", "side"], "properties": {"shape": {"const": "Square"}, "side": {"type": "integer", "minimum": 1}}, "additionalProperties": false},
            "Tree": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}, "parent": {"anyOf": [{"$ref": "#/components/schemas/Tree"}, {"type": "null"}]}}},
            "Map": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}, "minProperties": 1, "propertyNames": {"pattern": "^[a-z]+$"}},
            "Maybe": {"type": ["string", "null"], "enum": ["on", "off", null]},
            // Unique items with fewer distinct values than a list may be planned to hold, and
            // values that are the same number written two ways.
            "Flags": {"type": "array", "items": {"type": "boolean"}, "uniqueItems": true},
            "Ones": {"type": "array", "items": {"enum": [1, 1.0, 2]}, "minItems": 1, "uniqueItems": true},
            "Open": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Anything": {},
            "Secret": {"type": "object", "required": ["id", "password"], "properties": {"id": {"type": "integer", "readOnly": true}, "password": {"type": "string", "writeOnly": true}}},
            // A nullable base under `allOf` (OpenAPI 3.0's `nullable` as written by the generator),
            // in a union beside `type: object`: its `null` member admits nothing there.
            "NullableBase": {"type": ["object", "null"], "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Mini": {"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/components/schemas/NullableBase"}, {"properties": {"name": {"type": "string"}}}]}]},
            "Full": {"allOf": [{"$ref": "#/components/schemas/Mini"}, {"properties": {"size": {"type": "integer"}}}]},
            "Item": {"type": "object", "oneOf": [{"$ref": "#/components/schemas/Full"}, {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "other"}}}]},
            // `additionalProperties` holds for the properties a union member declares.
            "Strings": {"type": "object", "additionalProperties": {"type": "string"}, "anyOf": [{"properties": {"enrolled": {"type": "boolean"}, "note": {"type": "string"}}}]},
            // Members told apart only by a property both declare (GitHub's two validation errors).
            "Problem": {"oneOf": [{"$ref": "#/components/schemas/Detailed"}, {"$ref": "#/components/schemas/Simple"}]},
            "Detailed": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}}}},
            "Simple": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}, "errors": {"type": "array", "items": {"type": "string"}}}},
            // Members no value tells apart, under an optional property and as optional items.
            "Twins": {"type": "object", "properties": {
                "either": {"oneOf": [{"type": "object"}, {"type": "object"}]},
                "some": {"type": "array", "items": {"oneOf": [{"type": "object", "properties": {"a": {}}}, {"type": "object"}]}}
            }}
        }}
    })
}

fn validator(document: &Value, name: &str) -> jsonschema::Validator {
    let mut root = document.clone();
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$ref"] = json!(format!("#/components/schemas/{name}"));
    jsonschema::options().should_validate_formats(true).build(&root).expect("the schema compiles")
}

#[test]
fn every_value_satisfies_its_schema() {
    let document = document();
    let names: Vec<String> = document["components"]["schemas"].as_object().expect("schemas").keys().cloned().collect();
    for name in &names {
        let validator = validator(&document, name);
        for seed in 0..200 {
            let value = Values::new(&document, seed).at(&format!("/components/schemas/{name}")).unwrap_or_else(|e| panic!("{name}, seed {seed}: {e}"));
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{} at `{}`", e, e.instance_path())).collect();
            assert!(errors.is_empty(), "{name}, seed {seed}: {value} is invalid: {errors:?}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_values() {
    let document = document();
    let values = |seed| (0..20).map(|_| ()).scan(Values::new(&document, seed), |g, ()| g.at("/components/schemas/Tree").ok()).collect::<Vec<_>>();
    assert_eq!(values(42), values(42));
    assert_ne!(values(42), values(43));
}

#[test]
fn discriminators_name_the_member_generated() {
    let document = document();
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..40 {
        let pet = Values::new(&document, seed).at("/components/schemas/Pet").expect("a pet");
        let kind = pet["kind"].as_str().expect("a kind").to_owned();
        assert_eq!(pet.get("barks").is_some(), kind == "dog", "{pet}");
        kinds.insert(kind);
        let dog = Values::new(&document, seed).at("/components/schemas/Dog").expect("a dog");
        assert_eq!(dog["kind"], "dog");
        let shape = Values::new(&document, seed).at("/components/schemas/Shape").expect("a shape");
        assert_eq!(shape["shape"] == "Circle", shape.get("r").is_some(), "{shape}");
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["cat", "dog"], "a base stands for each of its subtypes");
}

#[test]
fn optional_content_reaches_every_branch_over_seeds() {
    let document = document();
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..100 {
        let tree = Values::new(&document, seed).at("/components/schemas/Tree").expect("a tree");
        seen.extend(tree.as_object().expect("an object").keys().cloned());
        let maybe = Values::new(&document, seed).at("/components/schemas/Maybe").expect("a value");
        seen.insert(format!("maybe {maybe}"));
        let open = Values::new(&document, seed).at("/components/schemas/Open").expect("an object");
        seen.extend(open.as_object().expect("an object").keys().filter(|k| k.starts_with("extra")).map(|_| "extra".to_owned()));
    }
    for expected in ["children", "parent", "maybe null", "maybe \"on\"", "extra"] {
        assert!(seen.contains(expected), "{expected} never generated: {seen:?}");
    }
}

#[test]
fn read_only_and_write_only_follow_the_direction() {
    let document = document();
    for seed in 0..20 {
        let request = Values::new(&document, seed).direction(Direction::Request).at("/components/schemas/Secret").expect("a value");
        assert!(request.get("id").is_none() && request.get("password").is_some(), "{request}");
        let response = Values::new(&document, seed).direction(Direction::Response).at("/components/schemas/Secret").expect("a value");
        assert!(response.get("id").is_some() && response.get("password").is_none(), "{response}");
    }
}

#[test]
fn contradictions_are_unsatisfiable_not_panics() {
    for schema in [json!(false), json!({"type": "string", "minLength": 5, "maxLength": 2}), json!({"type": "integer", "minimum": 3, "maximum": 2}), json!({"$ref": "#/nowhere"}), json!({"type": "string", "pattern": "^(?!x)x"}), json!({"$ref": "#/a"})] {
        let document = json!({"a": {"$ref": "#/a"}});
        assert!(Values::new(&document, 0).value(&schema).is_err(), "{schema}");
    }
    let endless = json!({"components": {"schemas": {"A": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/A"}}}}}});
    assert!(Values::new(&endless, 0).at("/components/schemas/A").is_err());
}

/// Patterns of real specs with their length bounds: repetitions that must reach the bounds (AWS
/// Kendra's identifiers of exactly 36 characters, LGTM's hashes of 40), and lookaround, which
/// Rust's regex syntax cannot read (AWS Budgets, AppStream, Kendra, WorkMail, Outposts,
/// WorkSpaces Web, Application Cost Profiler).
const REAL_PATTERNS: &[(&str, u64, u64)] = &[
    ("[a-zA-Z0-9][a-zA-Z0-9-]*", 36, 36),
    ("[a-zA-Z0-9][a-zA-Z0-9-]*", 1, 36),
    ("[a-f0-9]+", 40, 40),
    (r"^(?![^:\\]*/action/)[^:\\]+$", 1, 100),
    (r"^[0-9a-z\.\-]*(?<!\.)$", 3, 63),
    (r"^(?!\s).*(?<!\s)$", 4, 40),
    (r"^(?!-)[A-Za-z0-9-].*(?<!-)$", 1, 63),
    (r"^(?!d-)([\da-zA-Z]+)([-][\da-zA-Z]+)*", 1, 62),
    (r"^(?!aws:)[a-zA-Z+-=._:/]+$", 1, 128),
    (r"^(^(?!aws:).[\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", 1, 128),
    (r"^[a-zA-Z0-9]?((?!-)([A-Za-z0-9-]*[A-Za-z0-9])\.)+[a-zA-Z0-9]+$", 1, 253),
    (r"(?=^.{3,63}$)(?!^(\d+\.)+\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])$)", 3, 63),
];

/// Strings of `schema` over 200 seeds, each judged by the validator.
fn judged_strings(schema: &Value) -> Vec<String> {
    let validator = jsonschema::options().should_validate_formats(true).build(schema).expect("the schema compiles");
    let document = json!({});
    (0..200)
        .map(|seed| {
            let value = Values::new(&document, seed).value(schema).unwrap_or_else(|e| panic!("{schema}, seed {seed}: {e}"));
            assert!(validator.is_valid(&value), "{schema}, seed {seed}: {value} is invalid");
            value.as_str().expect("a string").to_owned()
        })
        .collect()
}

#[test]
fn real_patterns_give_valid_strings_with_and_without_length_bounds() {
    for (pattern, min, max) in REAL_PATTERNS {
        judged_strings(&json!({"type": "string", "pattern": pattern, "minLength": min, "maxLength": max}));
        judged_strings(&json!({"type": "string", "pattern": pattern}));
    }
}

#[test]
fn lookaround_keeps_out_what_it_forbids() {
    let ahead = judged_strings(&json!({"type": "string", "pattern": "^(?!a)[ab]{1,3}$"}));
    assert!(ahead.iter().all(|s| s.starts_with('b')), "{ahead:?}");
    let behind = judged_strings(&json!({"type": "string", "pattern": "^[ab]+(?<!a)$"}));
    assert!(behind.iter().all(|s| s.ends_with('b')), "{behind:?}");
    let lengths = judged_strings(&json!({"type": "string", "pattern": "(?=^.{5,7}$)^[a-z]+$"}));
    assert!(lengths.iter().all(|s| (5..=7).contains(&s.len())), "{lengths:?}");
}

#[test]
fn repetitions_follow_the_length_bounds() {
    let long = judged_strings(&json!({"type": "string", "pattern": "^[a-f0-9]+$", "minLength": 100}));
    assert!(long.iter().all(|s| (100..=400).contains(&s.len())), "long, but not without end: {long:?}");
    let steps = judged_strings(&json!({"type": "string", "pattern": "^(ab)+$", "minLength": 7, "maxLength": 8}));
    assert!(steps.iter().all(|s| s == "abababab"), "{steps:?}");
    let nested = judged_strings(&json!({"type": "string", "pattern": "^([a-z]{1,3}\\.)*[a-z]+$", "minLength": 50, "maxLength": 60}));
    assert!(nested.iter().any(|s| s.contains('.')), "{nested:?}");
    // Short unless the bounds say otherwise.
    let free = judged_strings(&json!({"type": "string", "pattern": "[a-z]*"}));
    assert!(free.iter().all(|s| s.len() <= 16), "{free:?}");
}

#[test]
fn pattern_and_length_bounds_that_disagree_say_so() {
    let document = json!({});
    let error = Values::new(&document, 0).value(&json!({"type": "string", "pattern": "^x{2,4}$", "minLength": 5})).expect_err("no string");
    assert_eq!(error.why, "pattern `^x{2,4}$` makes strings of 2 to 4 characters, none of at least 5 characters");
    let error = Values::new(&document, 0).value(&json!({"type": "string", "pattern": "^(?!x)x"})).expect_err("no string");
    assert!(error.why.contains("lookaround included"), "{}", error.why);
    let error = Values::new(&document, 0).value(&json!({"type": "string", "pattern": "(a)\\1"})).expect_err("no string");
    assert!(error.why.starts_with("pattern `(a)\\1` cannot be generated from: "), "{}", error.why);
}

/// Values of `pointer` in `document` over 100 seeds, each judged by the schema there.
fn judged_at(document: &Value, pointer: &str) -> Vec<Value> {
    let mut root = document.clone();
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$ref"] = json!(format!("#{pointer}"));
    let validator = jsonschema::options().should_validate_formats(true).build(&root).expect("the schema compiles");
    (0..100)
        .map(|seed| {
            let value = Values::new(document, seed).at(pointer).unwrap_or_else(|e| panic!("{pointer}, seed {seed}: {e}"));
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{} at `{}`", e, e.instance_path())).collect();
            assert!(errors.is_empty(), "{pointer}, seed {seed}: {value} is invalid: {errors:?}");
            value
        })
        .collect()
}

#[test]
fn a_discriminator_is_set_only_to_what_its_property_admits() {
    // Zalando's `Page`, whose discriminator is a list; App Center's body schema, written in
    // place (it has no name to give) with an `enum` for its discriminator; a component whose name
    // its discriminator's `enum` does not list.
    let document = json!({
        "paths": {
            "/articles": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Articles"}}}}}}},
            "/exports": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "required": ["type"], "discriminator": {"propertyName": "type"},
                "properties": {"type": {"type": "string", "enum": ["blob", "insights"]}, "name": {"type": "string"}}
            }}}}}}
        },
        "components": {"schemas": {
            "Page": {"type": "object", "required": ["content", "page"], "discriminator": {"propertyName": "content"},
                "properties": {"content": {"type": "array", "items": {}}, "page": {"type": "integer"}}},
            "Articles": {"allOf": [{"$ref": "#/components/schemas/Page"}, {"properties": {"content": {"type": "array", "items": {"type": "string"}}}}]},
            "Listed": {"type": "object", "required": ["kind"], "discriminator": {"propertyName": "kind"}, "properties": {"kind": {"enum": ["listed", "other"]}}},
            "Named": {"type": "object", "required": ["kind"], "discriminator": {"propertyName": "kind"}, "properties": {"kind": {"type": "string"}}}
        }}
    });
    judged_at(&document, "/paths/~1articles/get/responses/200/content/application~1json/schema");
    judged_at(&document, "/components/schemas/Articles");
    let exports = judged_at(&document, "/paths/~1exports/post/requestBody/content/application~1json/schema");
    assert!(exports.iter().any(|e| e["type"] == "blob") && exports.iter().any(|e| e["type"] == "insights"), "{exports:?}");
    judged_at(&document, "/components/schemas/Listed");
    // Where the property admits it, the schema's name is still its discriminator value.
    assert!(judged_at(&document, "/components/schemas/Named").iter().all(|n| n["kind"] == "Named"));
}

#[test]
fn a_value_of_one_of_is_valid_under_exactly_one_member() {
    // GitHub's 409 answers: two objects of optional properties, each admitting the other's.
    let document = json!({
        "paths": {"/conflict": {"put": {"responses": {"409": {"content": {"application/json": {"schema": {
            "oneOf": [{"$ref": "#/components/schemas/basic-error"}, {"$ref": "#/components/schemas/rule-violation"}]
        }}}}}}}},
        "components": {"schemas": {
            "basic-error": {"type": "object", "properties": {"message": {"type": "string"}, "url": {"type": "string"}, "status": {"type": "string"}}},
            "rule-violation": {"type": "object", "properties": {"message": {"type": "string"}, "status": {"type": "string"},
                "metadata": {"type": "object", "properties": {"secret_scanning": {"type": "object"}}}}}
        }}
    });
    let values = judged_at(&document, "/paths/~1conflict/put/responses/409/content/application~1json/schema");
    assert!(values.iter().any(|v| v.get("metadata").is_some_and(Value::is_object)), "both members are made: {values:?}");
}

#[test]
fn strings_reach_a_long_min_length() {
    let exact = judged_strings(&json!({"type": "string", "minLength": 86, "maxLength": 86}));
    assert!(exact.iter().all(|s| s.chars().count() == 86), "{exact:?}");
    let long = judged_strings(&json!({"type": "string", "minLength": 300}));
    assert!(long.iter().all(|s| (300..=317).contains(&s.chars().count())), "{long:?}");
}

#[test]
fn nested_doubts_are_bounded() {
    // Members no value tells apart, each holding another such union as a required property, ten
    // deep: every level is in doubt, and each retries the ones below it.
    let mut schemas = serde_json::Map::new();
    for level in 0..10 {
        let inner = if level == 9 { json!({"type": "object"}) } else { json!({"$ref": format!("#/components/schemas/L{}", level + 1)}) };
        let member = json!({"type": "object", "required": ["next"], "properties": {"next": inner}});
        schemas.insert(format!("L{level}"), json!({"oneOf": [member.clone(), member]}));
    }
    let document = json!({"components": {"schemas": schemas}});
    let mut values = Values::new(&document, 1);
    let value = values.at("/components/schemas/L0").expect("a value, in doubt");
    assert!(value["next"]["next"].is_object(), "{value}");
    // 4^10 generations without the bound: it was spent, and the value came all the same.
    assert_eq!(values.retries_left, 0);
}
