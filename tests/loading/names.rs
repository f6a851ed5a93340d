//! Names: every name the spec gives becomes one a user would pick, and none can break the generated code.

use super::*;

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
fn schemas_named_like_rusts_prelude_are_renamed_with_a_warning() {
    let (api, warnings) = fixture("prelude-names");
    for name in ["Option", "Result", "Some", "None", "Ok", "Err", "Box", "Vec", "String", "Send", "Sync", "Default", "Self", "Iterator", "From", "Visitor", "Slots", "D", "S"] {
        let renamed = format!("{name}Model");
        assert!(api.type_def(&renamed).is_some_and(|t| t.schema_name.as_deref() == Some(name)), "{name} is {renamed}");
        assert!(warnings.iter().any(|w| w.contains(&format!("(#/components/schemas/{name}): the schema name `{name}` is `{name}` in Rust, a name the generated code uses"))), "{name}: {warnings:#?}");
    }
    // The generated code's own imported names may be model names: the models live in a module of their own.
    for name in ["Client", "Request", "Response", "Error", "Encoding", "Style", "Rejection", "Service"] {
        assert!(api.type_def(name).is_some(), "{name} keeps its name");
    }
    let models = generated("prelude-names", "models");
    assert!(models.contains("pub enum OptionModel {") && models.contains("pub struct SyncModel {"), "types are renamed in the code too");
    assert!(models.contains("fn from_str(value: &str) -> Result<Self, std::convert::Infallible>"), "an enum variant `Err` cannot make `Self::Err` ambiguous");
}

#[test]
fn names_of_the_generated_codes_own_helpers_stay_out_of_the_specs_reach() {
    let (api, warnings) = fixture("helper-names");
    assert_eq!(warnings.len(), 1, "only `Slots` is renamed: {warnings:#?}");
    let slots = structure(&api, "SlotsModel");
    let names: Vec<(&str, &str)> = slots.fields.iter().map(|f| (f.wire_name.as_str(), f.name.as_str())).collect();
    assert_eq!(&names[..3], [("additional_properties", "additional_properties"), ("additionalProperties", "additional_properties_2"), ("additional_properties_2", "additional_properties_2_2")]);
    assert_eq!(slots.additional_name, "additional_properties_3", "the field of extra properties takes a free name");
    // Types named after operations whose snake_case names differ but whose UpperCamelCase would not.
    let ops: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(ops.contains(&"get_a1") && ops.contains(&"get_a_1_2"), "{ops:?}");
    let client = generated("helper-names", "client");
    assert!(client.contains("pub struct GetA1Params") && client.contains("pub struct GetA12Params"), "one parameters struct each");
    // The login keeps the body's token, not the header of the same name; the header `body` is no body.
    let login = api.operations.iter().find(|o| o.name == "login").expect("login");
    assert_eq!(login.responses[0].headers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(), ["x_token", "body_2"]);
    assert!(client.contains("if let Some(token) = &success.body.token") || client.contains("success.body.token.clone()"), "{client}");
    // The body field named like the path parameter gets an argument of its own.
    assert!(client.contains("username: &str,\n        username_2: &str,"), "{client}");
}

#[test]
fn names_the_client_and_server_give_their_own_items_stay_out_of_the_specs_reach() {
    let (api, warnings) = fixture("emitted-names");
    let file = "tests/fixtures/specs/emitted-names.yaml";
    // Schemas keep their names: the client and server name every model through `models::`.
    for name in ["Webhooks", "Service", "Operations", "Client", "ClientBuilder", "Error", "Context", "ListPetsRequest", "ListPetsResponse", "ListPetsParams", "ListPetsError", "CreatePetBody", "PetAddedHeaders"] {
        assert!(api.type_def(name).is_some_and(|t| t.schema_name.as_deref() == Some(name)), "{name} keeps its name");
    }
    // A tag whose trait would meet an item of the server module, an operation's type or function.
    warned(&warnings, &format!("{file}:12 (#/tags/1)"), "the tag `webhooks` would be the server trait `Webhooks`, a name the server module gives an item of its own; its trait is `WebhooksApi`");
    warned(&warnings, &format!("{file}:13 (#/tags/2)"), "the tag `ListPetsRequest` would be the server trait `ListPetsRequest`, a name ending the way the server names an operation's types");
    warned(&warnings, &format!("{file}:14 (#/tags/3)"), "the tag `read` would be the server trait `Read`, a name whose routes function would start the way the server names an operation's functions");
    // An operation whose client method would meet one of `Client`'s own, or another operation's helper.
    let ops: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    for (old, new, line, why) in [
        ("new", "new_2", 69, "a method `Client` has of its own"),
        ("builder", "builder_2", 75, "a method `Client` has of its own"),
        ("rate_limit", "rate_limit_2", 81, "a method `Client` has of its own"),
        ("list_pets_stream", "list_pets_stream_2", 98, "the page-by-page stream of `list_pets`"),
        ("decode_context", "decode_context_2", 104, "the decoder of `context`"),
    ] {
        assert!(ops.contains(&new) && !ops.contains(&old), "{old} is {new}: {ops:?}");
        let op = api.operations.iter().find(|o| o.name == new).expect("renamed");
        warned(&warnings, &format!("{file}:{line} (#{})", op.location.pointer), &format!("the operation name `{old}` would make the client method `{old}`, which is {why}; the operation is named `{new}`"));
    }
    assert_eq!(warnings.len(), 10, "{warnings:#?}");
    let server = generated("emitted-names", "server");
    for item in ["pub struct Webhooks;", "pub trait WebhooksApi:", "pub struct ListPetsRequest {", "pub trait ListPetsRequestApi:", "pub trait ApiRead:", "fn api_read_routes<", "fn read_routes(", "pub enum CreatePetBody {", "pub struct PetAddedHeaders {"] {
        assert!(server.contains(item), "the server defines `{item}`");
    }
    let client = generated("emitted-names", "client");
    for item in ["pub async fn new_2(", "pub fn list_pets_stream<", "pub async fn list_pets_stream_2(", "fn decode_context(", "pub async fn decode_context_2(", "pub struct ListPetsParams {", "pub enum ListPetsError {", "pub enum CreatePetBody {"] {
        assert!(client.contains(item), "the client defines `{item}`");
    }
}

/// Operation names by method and path (path parameters blanked: revisions rename them), of the
/// operations a Docker Hub revision gives no operationId.
fn derived_names(spec: &str) -> std::collections::BTreeMap<String, String> {
    let output = generator::Generator::new("hub").root(root()).spec(spec, "v2").generate().expect("the revision generates");
    let blank = |path: &str| path.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/");
    output.apis[0].operations.iter().filter(|o| o.operation_id.is_none()).map(|o| (format!("{} {}", o.method.as_str(), blank(&o.path)), o.name.clone())).collect()
}

#[test]
fn docker_hub_operations_without_ids_are_named_as_a_user_would_and_alike_in_every_revision() {
    let latest = derived_names("spec/hub-latest.yaml");
    assert_eq!(latest.len(), 40, "{latest:#?}");
    for (op, name) in [
        ("GET /v2/orgs/{}/access-tokens/{}", "get_org_access_token"),
        ("PATCH /v2/orgs/{}/access-tokens/{}", "update_org_access_token"),
        ("GET /v2/orgs/{}/access-tokens", "list_org_access_tokens"),
        ("POST /v2/orgs/{}/access-tokens", "create_org_access_token"),
        ("GET /v2/orgs/{}/members/export", "export_org_members"),
        ("GET /v2/orgs/{}/members", "list_org_members"),
        ("PATCH /v2/invites/{}/resend", "resend_invite"),
        ("POST /v2/invites/bulk", "bulk_create_invites"),
    ] {
        assert_eq!(latest.get(op).map(String::as_str), Some(name), "{op}");
    }
    assert!(latest.values().all(|n| !n.ends_with(char::is_numeric)), "no name needs a number to be unique: {latest:#?}");
    for older in [xtask::HUB_2023, xtask::HUB_2025_03, "spec/hub.yaml"] {
        for (op, name) in derived_names(older) {
            if let Some(newer) = latest.get(&op) {
                assert_eq!(&name, newer, "{op} is named alike in {older} and the newest revision");
            }
        }
    }
}
