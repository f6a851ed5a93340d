//! Any real spec loads: OpenAPI 3.1 beside 3.0, JSON read as JSON, `$ref` to any pointer of any
//! file, typed formats, webhooks and callbacks, and names from the spec that never shadow the
//! generated code's own. Each fixture under `tests/fixtures/specs/` has its golden crates (built,
//! linted and documented with the workspace); these tests state what a user relies on.

use generator::ir::{Api, Field, Struct, TypeKind, TypeRef};
use tests::{fixture, generated, read, root};

fn structure<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match api.type_def(name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s,
        other => panic!("{name} should be a struct, is {other:?}"),
    }
}

fn field<'a>(s: &'a Struct, wire: &str) -> &'a Field {
    s.fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("field {wire}"))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

fn resolved<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeKind {
    match api.resolved(ty) {
        TypeRef::Named(n) => &api.type_def(n).unwrap_or_else(|| panic!("type {n}")).kind,
        other => panic!("{other:?} is no named type"),
    }
}

#[test]
fn openapi_31_is_read_into_the_same_ir_as_30() {
    let (api, warnings) = fixture("openapi-31");
    assert!(warnings.is_empty(), "valid 3.1 needs no assumption: {warnings:#?}");
    assert_eq!(api.summary.as_deref(), Some("Every OpenAPI 3.1 spelling the generator reads."));
    assert_eq!(api.license.as_deref(), Some("MIT"), "license.identifier");

    let plant = structure(&api, "Plant");
    // `type: [string, "null"]` is a nullable string.
    assert_eq!((&field(plant, "nickname").ty, field(plant, "nickname").nullable), (&TypeRef::String, true));
    // Several non-null types are a union of them.
    let TypeKind::Union(members) = resolved(&api, &field(plant, "height").ty) else { panic!("height is a union") };
    assert_eq!(members, &vec![TypeRef::F64, TypeRef::String]);
    // `const` is an enum of one value.
    let TypeKind::Enum(kind) = resolved(&api, &field(plant, "kind").ty) else { panic!("kind is an enum") };
    assert_eq!(kind.variants.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["plant"]);
    // `anyOf` with a `null` member is an Option of the rest.
    assert_eq!((&field(plant, "pot").ty, field(plant, "pot").nullable), (&named("Pot"), true));
    // `prefixItems` (with `items: false`) is a tuple.
    assert_eq!(field(plant, "location").ty, TypeRef::Tuple(vec![TypeRef::F64, TypeRef::F64]));
    // `contentEncoding: base64` is bytes; a `$defs` schema is reachable by `$ref`; `true` is any value.
    assert_eq!(field(plant, "photo").ty, TypeRef::Bytes);
    assert!(matches!(resolved(&api, &field(plant, "care").ty), TypeKind::Struct(s) if s.fields[0].wire_name == "water_every_days"));
    assert_eq!(field(plant, "anything").ty, TypeRef::Any);
    // A description beside a `$ref` describes this use of the type.
    assert_eq!(field(plant, "first_pot").doc.as_deref(), Some("The pot it came in (a description beside a $ref, as 3.1 allows)."));
    // `examples` gives the example; numeric `exclusiveMinimum` is an exclusive bound.
    let diameter = field(structure(&api, "Pot"), "diameter_cm");
    assert_eq!((diameter.constraints.minimum, diameter.constraints.exclusive_minimum), (Some(0.0), true));

    // A path item from `components/pathItems`.
    let list = api.operations.iter().find(|o| o.name == "list_plants").expect("list_plants from components/pathItems");
    assert_eq!(list.path, "/plants");
    assert_eq!(list.params[0].constraints.max_length, Some(20));
    let get = api.operations.iter().find(|o| o.name == "get_plant").expect("get_plant");
    assert!(get.params[0].constraints.exclusive_minimum);

    // A webhook: its payload is typed, its header too, and the server can build its request.
    let hook = api.webhooks.first().expect("the plantWatered webhook");
    assert_eq!((hook.name.as_str(), hook.operation.name.as_str()), ("plantWatered", "plant_watered"));
    assert_eq!(hook.operation.body.as_ref().map(|b| b.content[0].ty.clone()), Some(Some(named("Watering"))));
    assert_eq!(hook.operation.params[0].wire_name, "X-Garden-Event");
    let server = generated("openapi-31", "server");
    assert!(server.contains("pub fn plant_watered("), "a typed request builder for the webhook");
    assert!(server.contains("server::Bound::Exclusive(0f64)"), "the server refuses an id of 0");
}

#[test]
fn callbacks_are_requests_the_api_sends() {
    let (api, warnings) = fixture("callbacks");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let hook = api.webhooks.first().expect("the onEvent callback");
    let callback = hook.callback.as_ref().expect("a callback, not a webhook");
    assert_eq!((callback.operation.as_str(), callback.expression.as_str()), ("subscribe", "{$request.body#/callbackUrl}"));
    assert_eq!(hook.operation.name, "subscribe_on_event");
    assert!(hook.operation.params.is_empty(), "an expression has no path parameters");
    assert!(generated("callbacks", "server").contains("pub fn subscribe_on_event("));
    assert!(api.type_def("Event").is_some(), "the callback's payload is a model");
}

#[test]
fn references_reach_any_pointer_and_share_what_they_point_at() {
    let (api, warnings) = fixture("deep-refs");
    assert!(warnings.is_empty(), "the $ref inside an x- extension is never followed: {warnings:#?}");
    let pets = api.operations.iter().find(|o| o.name == "list_pets").expect("list_pets");
    let owners = api.operations.iter().find(|o| o.name == "list_owners").expect("list_owners");
    // A parameter from another operation, by pointer.
    assert_eq!((pets.params[0].wire_name.as_str(), pets.params[0].constraints.maximum), ("limit", Some(50.0)));
    // A response schema from another operation is the same type.
    assert_eq!(pets.responses[0].content[0].ty, owners.responses[0].content[0].ty);
    // A member of another schema's `allOf` is a type of its own, located where it was written.
    let body = pets.responses[0].content[0].ty.clone().expect("a body");
    let TypeRef::List(item) = api.resolved(&body) else { panic!("a list: {body:?}") };
    let tag = field(structure(&api, match item.as_ref() {
        TypeRef::Named(n) => n,
        other => panic!("{other:?}"),
    }), "tag");
    let TypeRef::Named(tag_type) = &tag.ty else { panic!("tag is a named type") };
    let def = api.type_def(tag_type).expect("the allOf member's type");
    assert_eq!(def.location.pointer, "/components/schemas/Tag/allOf/0");
    assert!(def.location.line.is_some());
    assert_eq!(structure(&api, tag_type).fields[0].wire_name, "label");
}

#[test]
fn a_spec_split_over_files_is_one_api_with_every_place_in_its_own_file() {
    let (api, warnings) = fixture("multi-file");
    let dir = "tests/fixtures/specs/multi-file";
    assert_eq!(
        api.inputs,
        [format!("{dir}/openapi.yaml"), format!("{dir}/paths/pets.yaml"), format!("{dir}/schemas/pet.yaml"), format!("{dir}/schemas/owner.yaml"), format!("{dir}/common.yaml")]
    );
    // A warning about a node of another file names that file and line.
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].starts_with(&format!("warning: {dir}/schemas/owner.yaml:11 (#/properties/last_seen)")), "{warnings:?}");
    // Types from whole files and from other files' components, recursive across files.
    let pet = structure(&api, "Pet");
    assert_eq!(field(pet, "owner").ty, named("Owner"));
    assert_eq!(field(structure(&api, "Owner"), "pets").ty, TypeRef::List(Box::new(named("Pet"))));
    assert_eq!(api.type_def("Pet").map(|t| t.location.file.clone()), Some(format!("{dir}/schemas/pet.yaml")));
    // A path item and responses from other files, with relative references resolved from there.
    let list = api.operations.iter().find(|o| o.name == "list_pets").expect("list_pets from paths/pets.yaml");
    assert_eq!(list.responses.last().map(|r| r.content[0].ty.clone()), Some(Some(named("Error"))));
    let get = api.operations.iter().find(|o| o.name == "get_pet").expect("get_pet");
    assert_eq!((get.params[0].wire_name.as_str(), &get.params[0].ty), ("id", &TypeRef::I64));
    // Every generated file names the files it came from.
    let lib = read(&root().join("tests/fixtures/golden/multi-file-models/src/lib.rs"));
    assert!(lib.lines().next().is_some_and(|l| l.contains("schemas/owner.yaml") && l.contains("common.yaml")), "{}", lib.lines().next().unwrap_or(""));
}

#[test]
fn json_is_read_as_json_with_exact_escapes_and_big_integers_kept_near() {
    let (api, warnings) = fixture("json-escapes");
    assert!(api.title.contains('\u{1F600}'), "surrogate pairs decode: {}", api.title);
    let TypeKind::Enum(face) = resolved(&api, &field(structure(&api, "Mood"), "face").ty) else { panic!("an enum") };
    let names: Vec<(&str, &str)> = face.variants.iter().map(|v| (v.value.as_str(), v.name.as_str())).collect();
    assert_eq!(names, [("\u{1F600}", "U1F600"), ("\u{1F622}", "U1F622"), ("café", "Café")]);
    assert_eq!(field(structure(&api, "Mood"), "note").doc.as_deref(), Some("Quotes \" and backslashes \\ survive."));
    let since = &api.operations[0].params[0];
    assert_eq!(since.constraints.minimum, Some(i64::MIN as f64));
    let file = "tests/fixtures/specs/json-escapes.json";
    assert!(warnings.iter().any(|w| w.starts_with(&format!("warning: {file}:13 (#/paths/~1moods/get/parameters/0/schema/minimum): the integer `-9223372036854776000` does not fit in 64 bits"))), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.starts_with(&format!("warning: {file}:31 (#/components/schemas/Mood/properties/intensity/maximum)"))), "{warnings:#?}");
    assert_eq!(api.operations[0].responses[0].status, generator::ir::Status::Code(200), "integer status keys");
}

#[test]
fn formats_are_typed_and_a_users_own_type_is_used_as_is() {
    let (api, warnings) = fixture("formats");
    let device = structure(&api, "Device");
    let ty = |wire: &str| field(device, wire).ty.clone();
    assert_eq!(ty("id"), TypeRef::Uuid);
    assert_eq!(ty("registered_at"), TypeRef::DateTime);
    assert_eq!(ty("birthday"), TypeRef::Date);
    assert_eq!(ty("homepage"), TypeRef::Url);
    assert_eq!(ty("manual"), TypeRef::String, "a relative example is no absolute URL");
    assert_eq!(ty("address_v4"), TypeRef::Ipv4);
    assert_eq!(ty("address_v6"), TypeRef::Ipv6);
    assert_eq!(ty("firmware"), TypeRef::Bytes);
    assert_eq!(ty("port"), TypeRef::Integer { bits: 16, signed: false });
    assert_eq!(ty("level"), TypeRef::Integer { bits: 8, signed: true });
    assert_eq!(ty("serial"), TypeRef::Integer { bits: 64, signed: false });
    assert_eq!(ty("ratio"), TypeRef::Number { bits: 32 });
    assert_eq!(ty("gateway"), TypeRef::External("std::net::SocketAddr".into()));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("`format: uri` but the example or default `docs/manual.pdf` is not an absolute URL; kept it a string"));
    let get = &api.operations[0];
    assert_eq!((&get.params[0].ty, &get.params[1].ty), (&TypeRef::Uuid, &TypeRef::Date));

    // On the wire: the typed model reads and writes the formats' text.
    let json = serde_json::json!({
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "registered_at": "2024-05-01T10:00:00Z", "birthday": "2020-02-29",
        "homepage": "https://devices.example/1", "address_v4": "10.0.0.1", "address_v6": "::1", "firmware": "AAEC",
        "port": 8080, "level": -3, "serial": 18446744073709551615u64, "gateway": "127.0.0.1:9000"
    });
    let parsed: formats_models::formats::Device = serde_json::from_value(json.clone()).expect("reads");
    assert_eq!(parsed.firmware.as_deref().map(|b| b.to_vec()), Some(vec![0, 1, 2]));
    assert_eq!(parsed.serial, Some(u64::MAX));
    assert_eq!(parsed.gateway.map(|g| g.port()), Some(9000));
    assert_eq!(serde_json::to_value(&parsed).expect("writes"), json);
    assert!(serde_json::from_value::<formats_models::formats::Device>(serde_json::json!({"id": "not-a-uuid", "registered_at": "2024-05-01T10:00:00Z"})).is_err());
}

#[test]
fn names_from_the_spec_never_shadow_the_generated_codes_own() {
    let (api, _) = fixture("hygiene");
    let get = api.operations.iter().find(|o| o.name == "get_item").expect("get_item");
    let names: Vec<&str> = get.params.iter().map(|p| p.name.as_str()).collect();
    for expected in ["page_param", "cursor_param", "body_param", "query_param", "headers_param", "request_param", "response_param", "params_param", "pairs_param", "errors_param", "path_param", "credentials_param", "models_param", "client", "url"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    assert!(api.type_def("VisitorModel").is_some() && api.type_def("SlotsModel").is_some(), "the local names of a Deserialize impl");
    assert!(api.type_def("Client").is_some() && api.type_def("Request").is_some() && api.type_def("Error").is_some(), "models may name types after the client's own");
    let ops: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(ops.contains(&"get_thing") && ops.contains(&"get_thing_2"), "names equal after case conversion stay distinct: {ops:?}");
    let server = generated("hygiene", "server");
    assert!(server.contains("pub trait ServiceApi") && server.contains("pub trait OperationsApi") && server.contains("pub trait Operations "), "tags named like the module's own traits");
}

#[test]
fn names_cargo_or_rustc_would_refuse_are_refused_with_a_way_out() {
    let error = generator::Generator::new("petstore-3.0").root(root()).spec("tests/fixtures/specs/refs.yaml", "refs").generate().expect_err("not a crate name");
    assert_eq!(error.to_string(), "`petstore-3.0` cannot start a crate name (cargo accepts ASCII letters, digits, `-` and `_`, starting with a letter); try `petstore-3-0`");
    let error = generator::Generator::new("pets").root(root()).spec("tests/fixtures/specs/refs.yaml", "models").generate().expect_err("a module the crates use");
    assert!(error.to_string().contains("`models` (for tests/fixtures/specs/refs.yaml) is not usable as a Rust module name"), "{error}");
    let error = generator::Generator::new("pets").root(root()).spec("tests/fixtures/specs/refs.yaml", "refs").replace("Post", "not a type!").generate().expect_err("not a type");
    assert!(error.to_string().contains("`not a type!` (for `Post`) is not a Rust type path"), "{error}");
}

#[test]
fn a_schema_can_be_replaced_by_a_users_type() {
    let output = generator::Generator::new("blog")
        .root(root())
        .spec("tests/fixtures/specs/refs.yaml", "refs")
        .replace("Post", "my_blog::Post")
        .format_type("uuid", "my_ids::Id")
        .dependency("my-blog = { path = \"../my-blog\" }")
        .generate()
        .expect("generates");
    let api = &output.apis[0];
    assert_eq!(api.type_def("Post").map(|t| &t.kind), Some(&TypeKind::Alias(TypeRef::External("my_blog::Post".into()))));
    let models = &output.files[std::path::Path::new("blog-models/src/refs.rs")];
    assert!(models.contains("pub type Post = my_blog::Post;"), "{models}");
    assert!(models.contains("pub type Uuid = my_ids::Id;"), "a format replaced everywhere");
    assert!(output.files[std::path::Path::new("blog-models/Cargo.toml")].contains("my-blog = { path = \"../my-blog\" }"));
}
