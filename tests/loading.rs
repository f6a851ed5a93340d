//! Any real spec loads: OpenAPI 3.1 beside 3.0, JSON read as JSON, `$ref` to any pointer of any
//! file, typed formats, webhooks and callbacks, and names from the spec that never shadow the
//! generated code's own. Each fixture under `tests/fixtures/specs/` has its golden crates (built,
//! linted and documented with the workspace); these tests state what a user relies on.

use generator::ir::{Api, Field, Method, Operation, ParamEncoding, ParamLocation, Struct, TypeKind, TypeRef};
use tests::{fixture, generated, read, root};

#[path = "loading/names.rs"]
mod names;
#[path = "loading/openapi32.rs"]
mod openapi32;

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
    assert_eq!(ty("manual"), TypeRef::Url, "a relative reference is a URI too");
    assert_eq!(ty("released"), TypeRef::String, "an example that is no date keeps it text");
    assert_eq!(ty("address_v4"), TypeRef::Ipv4);
    assert_eq!(ty("address_v6"), TypeRef::Ipv6);
    assert_eq!(ty("firmware"), TypeRef::Bytes);
    assert_eq!(ty("port"), TypeRef::Integer { bits: 16, signed: false });
    assert_eq!(ty("level"), TypeRef::Integer { bits: 8, signed: true });
    assert_eq!(ty("serial"), TypeRef::Integer { bits: 64, signed: false });
    assert_eq!(ty("ratio"), TypeRef::F64, "`format: float` data is decimal text an `f32` would not give back");
    assert_eq!(ty("gateway"), TypeRef::External("std::net::SocketAddr".into()));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("`format: date` but the example or default `Q3 2019` is not an RFC 3339 full-date (YYYY-MM-DD); kept it a string"), "{warnings:#?}");
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

/// The warning of `warnings` at `place` (`file:line (#pointer)`), which must say `says`.
fn warned<'a>(warnings: &'a [String], place: &str, says: &str) -> &'a str {
    let found = warnings.iter().find(|w| w.starts_with(&format!("warning: {place}: ")) && w.contains(says));
    found.unwrap_or_else(|| panic!("no warning at {place} saying {says:?} in {warnings:#?}"))
}

#[test]
fn shapes_the_model_refuses_are_read_as_they_plainly_mean_with_a_located_warning() {
    let (api, warnings) = fixture("tolerant");
    let file = "tests/fixtures/specs/tolerant/openapi.yaml";
    warned(&warnings, &format!("{file}:4 (#/info)"), "`info` has no `version`; read it as empty");
    assert_eq!(api.version, "");

    // A parameter with neither schema nor content is a string; one by a reference to nothing is gone.
    let list = api.operations.iter().find(|o| o.name == "list_things").expect("list_things");
    warned(&warnings, &format!("{file}:18 (#/paths/~1things/get/parameters/0)"), "neither `schema` nor `content`; read as a string");
    warned(&warnings, &format!("{file}:21 (#/paths/~1things/get/parameters/1/$ref)"), "names nothing that exists; left the parameter out");
    assert_eq!(list.params.iter().map(|p| (p.wire_name.as_str(), &p.ty)).collect::<Vec<_>>(), [("filter", &TypeRef::String)]);
    // A response without a description is undocumented, not refused; its body is typed.
    warned(&warnings, &format!("{file}:25 (#/paths/~1things/get/responses/200)"), "a response without `description`");
    assert_eq!(list.responses[0].content[0].ty, Some(TypeRef::List(Box::new(named("Thing")))));

    // No responses, or `responses: null`: a success whose answer the spec does not describe.
    for (op, line, what) in [("create_thing", 35, "no `responses`"), ("delete_thing", 47, "`responses: null`")] {
        let op = api.operations.iter().find(|o| o.name == op).unwrap_or_else(|| panic!("{op}"));
        warned(&warnings, &format!("{file}:{line} (#{})", op.location.pointer), what);
        assert_eq!(op.responses.iter().map(|r| (r.status, r.content.len())).collect::<Vec<_>>(), [(generator::ir::Status::Range(2), 0)]);
    }
    let replace = api.operations.iter().find(|o| o.name == "replace_thing").expect("replace_thing");
    assert!(replace.body.as_ref().is_some_and(|b| b.content.is_empty()), "`content: null` is a body of no described type");

    // Schema keywords of the wrong JSON type, `required: true` inside a property.
    let thing = structure(&api, "Thing");
    warned(&warnings, &format!("{file}:94 (#/components/schemas/Thing/properties/name/required)"), "listed it in the object's `required`");
    assert!(field(thing, "name").required);
    assert_eq!((field(thing, "name").constraints.min_length, field(thing, "name").constraints.max_length), (Some(1), Some(64)));
    let TypeKind::Enum(kind) = resolved(&api, &field(thing, "kind").ty) else { panic!("kind is an enum") };
    assert_eq!(kind.variants.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["1", "2", "true"], "numbers read as text, each once");
    assert_eq!(field(thing, "kind").default, Some(serde_json::json!("0")));
    assert_eq!(field(thing, "count").default, Some(serde_json::json!(5)));
    assert_eq!(field(thing, "count").constraints.allowed, [serde_json::json!(1), serde_json::json!(5), serde_json::json!(100)]);
    assert!(field(thing, "ratio").nullable);
    assert_eq!(field(thing, "note").ty, TypeRef::String, "a property written as its type name");
    assert_eq!(field(thing, "tags").constraints.min_items, Some(1));
    // References to nothing are any value.
    warned(&warnings, &format!("{file}:103 (#/components/schemas/Thing/properties/owner/$ref)"), "names nothing that exists; read as any JSON value");
    assert_eq!(field(thing, "owner").ty, TypeRef::Any);

    // A JSON Schema embedded with its own `definitions`, referring into them from its own root.
    warned(&warnings, &format!("{file}:108 (#/components/schemas/Embedded/properties/inner/$ref)"), "in the enclosing schema");
    let inner = field(structure(&api, "Embedded"), "inner");
    let TypeRef::Named(inner) = &inner.ty else { panic!("inner is a named type") };
    assert_eq!(api.resolved(&field(structure(&api, inner), "depth").ty), &TypeRef::I64);
    // Another file, and a pointer it does not have.
    let elsewhere = api.operations.iter().find(|o| o.name == "get_elsewhere").expect("get_elsewhere");
    let body = elsewhere.responses[0].content[0].ty.clone().expect("a body");
    let TypeKind::Struct(body) = resolved(&api, &body) else { panic!("a struct") };
    assert_eq!(field(body, "known").ty, named("Known"));
    assert_eq!(field(body, "unknown").ty, TypeRef::Any);

    // `properties` without `type` admit JSON text in a string; the model reads objects only.
    warned(&warnings, &format!("{file}:119 (#/components/schemas/Quoted/example)"), "the example is JSON text in a string, but its schema (`/components/schemas/Quoted`) declares properties and no `type`, read as an object: its model `Quoted` refuses this example");

    // OAuth flows without scopes; extensions among named entries; `x-webhooks`.
    warned(&warnings, &format!("{file}:124 (#/components/securitySchemes/oauth/flows/clientCredentials)"), "without `scopes`");
    assert!(api.security_schemes.iter().any(|s| s.name == "oauth"));
    warned(&warnings, &format!("{file}:130 (#/x-webhooks/x-sdk-exclude)"), "an extension, not an entry of this map; ignored");
    warned(&warnings, &format!("{file}:88 (#/components/schemas/x-sdk-hidden)"), "an extension");
    assert_eq!(api.webhooks.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["thingCreated"]);
    assert!(api.type_def("XSdkHidden").is_none());
}

#[test]
fn references_to_components_of_another_kind_are_read_as_what_they_mean() {
    let (api, warnings) = fixture("wrong-kind-refs");
    let file = "tests/fixtures/specs/wrong-kind-refs.yaml";
    let create = api.operations.iter().find(|o| o.name == "create_note").expect("create_note");
    warned(&warnings, &format!("{file}:13 (#/paths/~1notes/post/parameters/0/$ref)"), "names a schema where a parameter is expected; read it as the parameter it spells out");
    assert_eq!((create.params[0].wire_name.as_str(), &create.params[0].ty), ("verbose", &TypeRef::Boolean));
    warned(&warnings, &format!("{file}:16 (#/paths/~1notes/post/requestBody/$ref)"), "names a response where a request body is expected");
    assert_eq!(create.body.as_ref().map(|b| b.content[0].ty.clone()), Some(Some(named("Note"))));
    warned(&warnings, &format!("{file}:20 (#/paths/~1notes/post/responses/201/$ref)"), "names a request body where a response is expected");
    assert_eq!((create.responses[0].doc.as_deref(), create.responses[0].content[0].ty.clone()), (Some("A note."), Some(named("Note"))));
    warned(&warnings, &format!("{file}:26 (#/paths/~1notes/post/responses/400/content/application~1json/schema/$ref)"), "read it as its application/problem+json schema");
    let problem = create.responses[1].content[0].ty.clone().expect("typed");
    let TypeKind::Struct(problem) = resolved(&api, &problem) else { panic!("the response's schema is a struct") };
    assert_eq!(problem.fields.iter().map(|f| f.wire_name.as_str()).collect::<Vec<_>>(), ["title", "status"]);

    let list = api.operations.iter().find(|o| o.name == "list_notes").expect("list_notes");
    warned(&warnings, &format!("{file}:33 (#/paths/~1notes/get/parameters/0/schema/$ref)"), "names a parameter where a schema is expected; read it as its schema");
    assert_eq!(list.params[0].constraints.maximum, Some(100.0));
    warned(&warnings, &format!("{file}:40 (#/paths/~1notes/get/responses/200/headers/X-Total/$ref)"), "names a parameter where a header is expected");
    assert_eq!(list.responses[0].headers[0].wire_name, "X-Total");
    assert_eq!(list.responses[0].content[0].ty, Some(TypeRef::List(Box::new(named("Note")))));

    // A reference whose target cannot stand where it is: refused, naming both and where to point.
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/schemas/S'}]\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    S: {type: string}\n";
    let error = generator::load::load_str(text, "t.yaml", &mut generator::diag::Diagnostics::default()).expect_err("a schema is no parameter");
    assert!(error.to_string().starts_with("t.yaml:6 (#/paths/~1a/get/parameters/0/$ref): `$ref` `#/components/schemas/S` names a schema where a parameter is expected, and it is a schema, not a parameter"), "{error}");
}

#[test]
fn references_to_schemas_inside_schemas_read_the_schema_they_point_at() {
    let (api, warnings) = fixture("sub-schema-refs");
    let dir = "tests/fixtures/specs/sub-schema-refs";
    let file = format!("{dir}/openapi.yaml");
    let body = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("{name}")).responses[0].content[0].ty.clone();
    // Into the `definitions` of a component, whose entries refer to each other by the full pointer
    // and from their own root: each entry is a type named after it, shared by every reference.
    assert_eq!(body("get_report_component"), Some(named("ReportComponent")));
    assert_eq!(field(structure(&api, "Report"), "components").ty, TypeRef::List(Box::new(named("ReportComponent"))));
    assert_eq!(field(structure(&api, "ReportComponent"), "parts").ty, TypeRef::List(Box::new(named("Part"))));
    assert_eq!(field(structure(&api, "Part"), "within").ty, named("ReportComponent"));
    assert_eq!(field(structure(&api, "Part"), "kind").ty, named("PartKind"));
    warned(&warnings, &format!("{file}:71 (#/components/schemas/Report/definitions/part/properties/kind/$ref)"), "read as `#/components/schemas/Report/definitions/partKind`, in the enclosing schema");
    // Down another schema's properties: a type named after its place, the same one the property has.
    assert_eq!(body("get_subnets"), Some(named("GatewayIpConfigurationSubnet")));
    assert_eq!(field(structure(&api, "GatewayIpConfiguration"), "subnet").ty, named("GatewayIpConfigurationSubnet"));
    // Through a `$ref` on the way, in the document and into another file.
    warned(
        &warnings,
        &format!("{file}:39 (#/paths/~1addresses/get/responses/200/content/application~1json/schema/$ref)"),
        "passes through a `$ref` on its way; read it through that reference, as `#/components/schemas/IpConfig/properties/address`",
    );
    assert_eq!(body("get_frontend_address"), Some(named("IpConfigAddress")));
    assert_eq!(field(structure(&api, "IpConfig"), "address").ty, named("IpConfigAddress"));
    warned(&warnings, &format!("{file}:48 (#/paths/~1totals/get/responses/200/content/application~1json/schema/$ref)"), &format!("as `{dir}/summary.yaml#/components/schemas/Summary/definitions/total`"));
    assert_eq!(body("get_summary_total"), Some(named("Total")));
    assert_eq!(field(structure(&api, "Total"), "currency").ty, named("Currency"));
    assert_eq!(api.type_def("Total").map(|t| t.location.file.clone()), Some(format!("{dir}/summary.yaml")));
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
}

#[test]
fn a_definitions_entry_that_is_no_schema_is_left_out_and_the_others_kept() {
    let (api, warnings) = fixture("definitions-entries");
    let file = "tests/fixtures/specs/definitions-entries.yaml";
    let shipment = structure(&api, "Shipment");
    warned(&warnings, &format!("{file}:40 (#/components/schemas/Shipment/definitions/carrier)"), "the `definitions` entry `carrier` is no schema (invalid type: map, expected a string); left it out, and read the `$ref` to it as any JSON value");
    warned(&warnings, &format!("{file}:49 (#/components/schemas/Shipment/$defs/events)"), "the `$defs` entry `events` is no schema");
    assert_eq!(api.resolved(&field(shipment, "carrier").ty), &TypeRef::Any);
    assert_eq!(api.resolved(&field(shipment, "events").ty), &TypeRef::Any);
    for (property, entry) in [("address", "Address"), ("parcel", "Parcel"), ("tracking", "Tracking")] {
        assert_eq!(field(shipment, property).ty, named(entry), "{property} is its entry");
    }
    assert_eq!(field(structure(&api, "Address"), "city").ty, TypeRef::String);
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

#[test]
fn callbacks_by_reference_are_read_and_one_that_cannot_be_is_left_out() {
    let (api, warnings) = fixture("callback-refs");
    let file = "tests/fixtures/specs/callback-refs.yaml";
    let at = "#/paths/~1subscriptions/post/callbacks";
    // A callback by `$ref` (OpenAPI's own way), and an expression mapped to a callback of one expression.
    let hooks: Vec<(&str, &str, &str)> = api.webhooks.iter().map(|w| (w.name.as_str(), w.operation.name.as_str(), w.operation.path.as_str())).collect();
    assert_eq!(hooks, [("onEvent", "event_happened", "{$request.body#/callbackUrl}"), ("onNotice", "notice_sent", "{$request.body#/noticeUrl}")]);
    assert_eq!(api.webhooks[0].operation.body.as_ref().map(|b| b.content[0].ty.clone()), Some(Some(named("Event"))));
    warned(&warnings, &format!("{file}:24 ({at}/onNotice/{{$request.body#~1noticeUrl}}/$ref)"), "names a callback where a path item is expected; read it as the path item of its expression `{$request.body#/noticeUrl}`");
    // What is not plain is left out, with a warning; the API generates all the same.
    warned(&warnings, &format!("{file}:26 ({at}/onEither/{{$request.body#~1callbackUrl}}/$ref)"), "names a callback of 2 expressions where a path item is expected, and which one is meant is not plain; left this expression out");
    warned(&warnings, &format!("{file}:27 ({at}/onItem/$ref)"), "names a path item where a callback is expected, and no expression says where it is sent; left the callback out");
    warned(&warnings, &format!("{file}:28 ({at}/onBroken)"), "the callback `onBroken` cannot be read (`$ref` `#/components/examples/Sample` names an example where a request body is expected");
    warned(&warnings, &format!("{file}:34 ({at}/onJunk)"), "the callback `onJunk` is not one the generator can read (");
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    assert_eq!(api.operations.len(), 1);
    let server = generated("callback-refs", "server");
    assert!(server.contains("pub fn event_happened(") && server.contains("pub fn notice_sent("), "{server}");
}

#[test]
fn references_whose_meaning_is_one_step_further_are_read_with_what_was_assumed() {
    let (api, warnings) = fixture("schema-kind-refs");
    let file = "tests/fixtures/specs/schema-kind-refs.yaml";
    let op = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("{name}"));
    // A schema where a response or request body is expected: a JSON body of that schema.
    warned(&warnings, &format!("{file}:17 (#/paths/~1notes/get/responses/200/$ref)"), "names a schema where a response is expected; read it as a response whose JSON body is that schema");
    let page = &op("list_notes").responses[0];
    assert_eq!((page.doc.as_deref(), page.content[0].media_type.as_str(), page.content[0].ty.clone()), (Some("A page of notes."), "application/json", Some(named("NoteList"))));
    warned(&warnings, &format!("{file}:20 (#/paths/~1notes/post/requestBody/$ref)"), "names a schema where a request body is expected; read it as a required request body whose JSON is that schema");
    let body = op("create_note").body.as_ref().expect("a body");
    assert!(body.required);
    assert_eq!(body.content[0].ty, Some(named("Note")));
    // A response without a schema where a schema is expected: any JSON value.
    let state = structure(&api, "NoteState");
    warned(&warnings, &format!("{file}:65 (#/components/schemas/NoteState/properties/gone/$ref)"), "names a response where a schema is expected; it has no `content`; read it as any JSON value");
    warned(&warnings, &format!("{file}:66 (#/components/schemas/NoteState/properties/raw/$ref)"), "none of its media types has a schema; read it as any JSON value");
    assert_eq!((&field(state, "gone").ty, &field(state, "raw").ty, &field(state, "note").ty), (&TypeRef::Any, &TypeRef::Any, &named("Note")));
    // A schema where a parameter is expected, which its name says: the parameter component of that
    // name, or the path parameter of that name.
    warned(&warnings, &format!("{file}:15 (#/paths/~1notes/get/parameters/0/$ref)"), "read it as the parameter of the same name, `#/components/parameters/limit`");
    let limit = &op("list_notes").params[0];
    assert_eq!((limit.wire_name.as_str(), limit.constraints.maximum, limit.doc.as_deref()), ("limit", Some(100.0), Some("How many notes at most.")));
    warned(&warnings, &format!("{file}:27 (#/paths/~1notes~1{{noteId}}/get/parameters/0/$ref)"), "its name is the path's `{noteId}`; read it as that path parameter, of that schema");
    let id = &op("get_note").params[0];
    assert_eq!((id.wire_name.as_str(), id.location, id.required, api.resolved(&id.ty)), ("noteId", generator::ir::ParamLocation::Path, true, &TypeRef::Uuid));
    assert_eq!(warnings.len(), 7, "{warnings:#?}");
}

#[test]
fn a_login_with_several_media_types_or_multipart_builds_its_body_once() {
    let (_, warnings) = fixture("login-bodies");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let client = generated("login-bodies", "client");
    assert_eq!(client.matches("let body = &models::Credentials {").count(), 2, "{client}");
    assert!(client.contains(".json(\"application/json\", body)"), "the first media type: {client}");
}

#[test]
fn the_newest_docker_hub_spec_generates_and_says_what_it_assumed() {
    let spec = "../shared/specs/dockerhub/hub-latest.yaml";
    let output = generator::Generator::new("hub").root(root()).spec(spec, "v2").generate().expect("hub-latest.yaml generates");
    assert_eq!(output.apis[0].operations.len(), 54);
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    warned(&warnings, &format!("{spec}:1424 (#/paths/~1v2~1namespaces~1{{namespace}}~1repositories~1{{repository}}/get/responses/200)"), "a response without `description`");
    warned(&warnings, &format!("{spec}:4122 (#/components/schemas/team_repo/allOf/0/$ref)"), "`#/components/responses/team_repo` names nothing that exists");
    warned(&warnings, &format!("{spec}:4010 (#/components/schemas/orgAccessTokenResource/properties/type/required)"), "`required: true` inside a property");
    let report = xtask::diff_specs(&root(), "spec/hub.yaml", spec, &generator::diff::Options { module: "v2".into(), ..Default::default() }).expect("the two revisions diff");
    assert!(!report.apis.is_empty(), "moving to the newest spec changes the API");
}

#[test]
fn the_newest_docker_hub_spec_with_its_corrections_leaves_only_readings_that_keep_its_meaning() {
    let output = generator::Generator::new("hub")
        .root(root())
        .spec("spec/hub-latest.yaml", "v2")
        .overlay("spec/hub-latest.overlay.yaml")
        .generate()
        .expect("the corrected newest spec generates");
    let api = &output.apis[0];
    assert_eq!(api.operations.len(), 54);
    // What is left: tolerated readings that give the text its evident meaning (a `$ref` with a
    // sibling description, an integer example of a string, `items` on objects, a description-only
    // `allOf` member); every defect that changes what is on the wire is corrected, with evidence.
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 6, "{warnings:#?}");
    for (says, count) in [("sibling keys", 2), ("is not a string; treated it as a placeholder", 1), ("`items` on an object schema", 2), ("`allOf` member holds only a description", 1)] {
        assert_eq!(warnings.iter().filter(|w| w.contains(says)).count(), count, "{says}: {warnings:#?}");
    }
    let op = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("{name}"));
    let token = op("auth_create_access_token").login.as_ref().expect("POST /v2/auth/token is a declared login");
    assert_eq!((token.kind, token.token.as_str()), (generator::ir::LoginKind::Password, "access_token"));
    assert_eq!(op("create_repository").security, [["bearerAuth".to_owned()]], "`BearerAuth` is the defined `bearerAuth`");
    assert_eq!(op("list_org_members").responses[0].content[0].ty, Some(named("OrgMemberPaginated")), "one page, not a list of pages");
    for listing in ["list_org_members", "list_namespace_repositories", "list_org_access_tokens", "list_group_members", "list_org_groups"] {
        assert!(op(listing).pagination.is_some(), "{listing} pages");
    }
    // `AuditLogs_ListAuditLogs`: the group its words repeat is left out.
    assert!(op("list_audit_logs").pagination.is_some() && op("list_audit_actions").login.is_none());
    let org_tokens = op("list_org_access_tokens");
    assert_eq!(org_tokens.params.iter().filter(|p| p.wire_name == "name").count(), 1, "`{{name}}` declared once");
}

#[test]
fn a_callback_that_cannot_be_read_is_left_out_and_the_api_generates() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = dir.path().join("events.yaml");
    std::fs::write(
        &spec,
        r##"openapi: 3.0.3
info: {title: Events, version: "1"}
paths:
  /subscriptions:
    post:
      operationId: subscribe
      parameters:
        - {name: topic, in: query, schema: {type: string}}
      responses:
        "201": {description: Subscribed.}
      callbacks:
        onEvent:
          "{$request.query.topic}":
            post:
              parameters:
                - $ref: "#/components/parameters/A"
              responses:
                "200": {description: Received.}
components:
  parameters:
    A: {$ref: "#/components/parameters/B"}
    B: {$ref: "#/components/parameters/A"}
"##,
    )
    .expect("writing the spec");
    let (api, warnings) = tests::lower(&spec.to_string_lossy(), "events").expect("the API generates");
    assert_eq!(api.operations.len(), 1, "the operation stays");
    assert!(api.webhooks.is_empty(), "the callback is left out");
    let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(said.iter().any(|w| w.contains("callback `onEvent` of `subscribe` cannot be read, left out") && w.contains("/paths/~1subscriptions/post/callbacks/onEvent")), "{said:#?}");
}

#[test]
fn every_member_of_a_union_or_tagged_value_names_its_schema() {
    // What a tool judging "is this value the member it was read as" needs: each member's schema.
    let (api, _) = fixture("inheritance");
    let def = |name: &str| api.type_def(name).unwrap_or_else(|| panic!("no type {name}"));
    let TypeKind::Tagged(shape) = &def("Shape").kind else { panic!("Shape is tagged") };
    assert_eq!(shape.members().count(), 2);
    assert_eq!(def("Shape").member_schemas, ["/components/schemas/Shape/oneOf/0", "/components/schemas/Shape/oneOf/1"]);
    // A discriminated base: its subtypes' schemas, then the base's own for any other tag.
    let TypeKind::Tagged(pet) = &def("Pet").kind else { panic!("Pet is tagged") };
    let schemas = &def("Pet").member_schemas;
    assert_eq!(schemas.len(), pet.members().count());
    assert_eq!(schemas.last().map(String::as_str), Some("/components/schemas/Pet"));
    assert!(schemas.contains(&"/components/schemas/Cat".to_owned()), "{schemas:?}");
    let (api, _) = fixture("openapi-31");
    let plant = structure(&api, "Plant");
    let TypeRef::Named(height) = &field(plant, "height").ty else { panic!("height is named") };
    let schemas = &api.type_def(height).map(|d| d.member_schemas.clone()).unwrap_or_default();
    assert_eq!(schemas.len(), 2);
    assert!(schemas.iter().all(|s| s.starts_with("/components/schemas/Plant/properties/height/")), "{schemas:?}");
}

#[test]
fn every_kind_of_documented_example_is_listed_with_the_type_it_illustrates() {
    // Parameter and header examples, `null` ones, each of a 3.1 `examples` list, those of schemas
    // without a type, of an `allOf` member that only describes the combined schema and of a
    // property another member redeclares: every one is listed, at the place it is written.
    let spec = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: integer}, example: 3, examples: {big: {value: 9}}}
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {schema: {type: integer}, example: 10}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/S"}
              examples: {none: {value: null}}
components:
  schemas:
    S:
      type: [object, "null"]
      properties:
        n: {type: integer, examples: [1, 2]}
        s: {type: [string, "null"], example: null}
        u: {example: 400}
        c:
          allOf:
            - {type: object, properties: {id: {type: string, example: "a"}}}
            - {type: object, properties: {id: {type: string, example: "b"}}}
            - {example: {id: "c"}}
"##;
    let mut diags = generator::diag::Diagnostics::default();
    let doc = generator::load::load_str(spec, "t.yaml", &mut diags).expect("loads");
    let api = generator::ir::lower(&doc, "t", &mut diags).expect("lowers");
    let listed: Vec<(&str, &str, &serde_json::Value)> = api.examples.iter().map(|e| (e.at.as_str(), e.schema.as_str(), &e.value)).collect();
    let has = |at: &str, schema: &str, value: serde_json::Value| {
        assert!(listed.iter().any(|(a, s, v)| *a == at && *s == schema && **v == value), "no example at {at} of {schema}: {listed:#?}");
    };
    let q = "/paths/~1a/get/parameters/0";
    has(&format!("{q}/example"), &format!("{q}/schema"), serde_json::json!(3));
    has(&format!("{q}/examples/big/value"), &format!("{q}/schema"), serde_json::json!(9));
    let ok = "/paths/~1a/get/responses/200";
    has(&format!("{ok}/headers/X-Rate/example"), &format!("{ok}/headers/X-Rate/schema"), serde_json::json!(10));
    has(&format!("{ok}/content/application~1json/examples/none/value"), &format!("{ok}/content/application~1json/schema"), serde_json::Value::Null);
    let s = "/components/schemas/S/properties";
    has(&format!("{s}/n/examples/0"), &format!("{s}/n"), serde_json::json!(1));
    has(&format!("{s}/n/examples/1"), &format!("{s}/n"), serde_json::json!(2));
    has(&format!("{s}/s/example"), &format!("{s}/s"), serde_json::Value::Null);
    has(&format!("{s}/u/example"), &format!("{s}/u"), serde_json::json!(400));
    has(&format!("{s}/c/allOf/0/properties/id/example"), &format!("{s}/c/allOf/0/properties/id"), serde_json::json!("a"));
    has(&format!("{s}/c/allOf/1/properties/id/example"), &format!("{s}/c/allOf/1/properties/id"), serde_json::json!("b"));
    has(&format!("{s}/c/allOf/2/example"), &format!("{s}/c"), serde_json::json!({"id": "c"}));
    // Each with the type its schema became: the null one of a nullable body is an `Option`.
    let none = api.examples.iter().find(|e| e.at.ends_with("/examples/none/value")).expect("listed");
    assert!(none.nullable && matches!(none.ty, TypeRef::Named(_)), "{none:?}");
    let untyped = api.examples.iter().find(|e| e.at.ends_with("/u/example")).expect("listed");
    assert_eq!(untyped.ty, TypeRef::Any);
}

#[test]
fn server_urls_are_read_with_their_variables_at_their_defaults_and_what_they_lack_is_located() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = dir.path().join("servers.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.0.3
info: {title: Servers, version: "1"}
servers:
  - url: //api.example.com/v1
  - url: "https://{region}.example.com/{stage}"
    variables:
      region: {default: mars, enum: [us, eu]}
paths: {}
"#,
    )
    .expect("writing the spec");
    let (api, warnings) = tests::lower(&spec.to_string_lossy(), "servers").expect("the API generates");
    let urls: Vec<(&str, &str)> = api.servers.iter().map(|s| (s.url.as_str(), s.default_url.as_str())).collect();
    assert_eq!(urls, [("https://api.example.com/v1", "https://api.example.com/v1"), ("https://{region}.example.com/{stage}", "https://mars.example.com/{stage}")]);
    let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(said.iter().any(|w| w.contains(":7 (#/servers/1/variables/region/default)") && w.contains("`mars`")), "{said:#?}");
    assert!(said.iter().any(|w| w.contains(":5 (#/servers/1/url)") && w.contains("`{stage}`")), "{said:#?}");
}

#[test]
fn an_operation_or_path_with_servers_of_its_own_keeps_them_and_one_that_repeats_the_apis_has_none() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = dir.path().join("own.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.0.3
info: {title: Own servers, version: "1"}
servers: [{url: "https://api.example.com/2.0"}]
paths:
  /oauth2/token:
    post:
      servers: [{url: "https://{host}.example.com", variables: {host: {default: account}}}]
      responses: {"200": {description: A token.}}
  /files/content:
    servers: [{url: "https://upload.example.com/api/2.0"}]
    post:
      responses: {"201": {description: Uploaded.}}
  /same:
    servers: [{url: "https://api.example.com/2.0"}]
    get:
      responses: {"200": {description: Here.}}
  /relative:
    get:
      servers: [{url: "/v3"}]
      responses: {"200": {description: Relative.}}
"#,
    )
    .expect("writing the spec");
    let (api, warnings) = tests::lower(&spec.to_string_lossy(), "own").expect("the API generates");
    let own: Vec<(&str, Vec<&str>)> = api.operations.iter().map(|o| (o.path.as_str(), o.servers.iter().map(|s| s.default_url.as_str()).collect())).collect();
    assert_eq!(
        own,
        [("/oauth2/token", vec!["https://account.example.com"]), ("/files/content", vec!["https://upload.example.com/api/2.0"]), ("/same", vec![]), ("/relative", vec![])]
    );
    let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(said.iter().any(|w| w.contains("(#/paths/~1relative/get/servers/0/url)") && w.contains("is relative")), "{said:#?}");
}

#[test]
fn swagger_2_security_definitions_and_tags_given_as_text_are_read_as_what_they_mean() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = dir.path().join("leftovers.yaml");
    std::fs::write(
        &spec,
        r#"openapi: 3.0.0
info: {title: Leftovers, version: "1"}
tags: [things]
securityDefinitions:
  key: {type: apiKey, in: query, name: key}
  login: {type: basic}
paths:
  /things:
    get:
      tags: [things]
      security: [{key: []}, {login: []}]
      responses: {"200": {description: The things.}}
"#,
    )
    .expect("writing the spec");
    let (api, warnings) = tests::lower(&spec.to_string_lossy(), "leftovers").expect("the API generates");
    let kinds: Vec<(&str, &generator::ir::SecurityKind)> = api.security_schemes.iter().map(|s| (s.name.as_str(), &s.kind)).collect();
    assert_eq!(
        kinds,
        [("key", &generator::ir::SecurityKind::ApiKey { location: "query".into(), name: "key".into() }), ("login", &generator::ir::SecurityKind::Basic)],
        "the schemes as Swagger 2 defines them, not assumed bearer tokens"
    );
    assert_eq!(api.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["things"]);
    let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(said.iter().any(|w| w.contains(":4 (#/securityDefinitions)") && w.contains("read as `components.securitySchemes`")), "{said:#?}");
    assert!(said.iter().any(|w| w.contains("(#/tags/0)") && w.contains("given as text")), "{said:#?}");
}
