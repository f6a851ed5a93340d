//! Fixture specs under `tests/fixtures/specs/`: what the generator makes of each shape a general
//! OpenAPI 3.0 spec uses. The golden test pins their full output; these tests state the readings a
//! user relies on. The golden crates are workspace members, so they also compile, lint and document.

use generator::ir::{Api, Field, Struct, TypeKind, TypeRef};


fn fixture(name: &str) -> (Api, Vec<String>) {
    tests::fixture(name)
}

fn structure<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match api.type_def(name).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s,
        other => panic!("{name} should be a struct, is {other:?}"),
    }
}

fn field<'a>(s: &'a Struct, wire: &str) -> &'a Field {
    s.fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("field {wire}"))
}

fn generated(name: &str) -> String {
    tests::generated(name, "models")
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

#[test]
fn all_of_merges_members_into_one_struct_and_reuses_identical_components() {
    let (api, warnings) = fixture("allof");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let wires = |s: &Struct| s.fields.iter().map(|f| f.wire_name.clone()).collect::<Vec<_>>();
    assert_eq!(wires(structure(&api, "PaginatedPets")), ["count", "next", "previous", "results"]);
    assert_eq!(field(structure(&api, "PaginatedPets"), "results").ty, TypeRef::List(Box::new(named("Pet"))));
    // The inline member adding `required` makes `owner_name` required in the merge.
    assert!(field(structure(&api, "PetWithOwner"), "ownerName").required);
    assert!(!field(structure(&api, "Owner"), "ownerName").required);
    // Nested allOf flattens through.
    assert_eq!(wires(structure(&api, "AdoptedPet")), ["id", "name", "ownerName", "phone", "adoptedAt"]);
    // A merge equal to `Pet` is `Pet`.
    let create = api.operations.iter().find(|o| o.name == "create_pet").expect("create_pet");
    assert_eq!(create.responses[0].content[0].ty, Some(named("Pet")));
}

#[test]
fn required_optional_and_nullable_are_four_distinct_shapes() {
    let (api, _) = fixture("nullable");
    let book = structure(&api, "Book");
    let shape = |wire: &str| (field(book, wire).required, field(book, wire).nullable);
    assert_eq!(shape("title"), (true, false));
    assert_eq!(shape("subtitle"), (true, true));
    assert_eq!(shape("isbn"), (false, false));
    assert_eq!(shape("series"), (false, true));
    let code = generated("nullable");
    assert!(code.contains("pub title: String,"), "required non-null is the plain type");
    assert!(code.contains("\n    pub subtitle: Option<String>,"), "required nullable is an Option, always sent");
    assert!(code.contains("if let Some(value) = &self.isbn {\n            map.serialize_entry(\"isbn\", value)?;"), "optional is left out when None");
    assert!(code.contains("\n    pub series: Option<Option<String>>,"), "optional nullable tells absent (None) from null (Some(None))");
    assert!(code.contains("if let Some(value) = &self.series {\n            map.serialize_entry(\"series\", value)?;"), "optional nullable is left out when absent, null when Some(None)");
    assert!(code.contains("\"series\" => slots.series = Some(map.next_value()?),"), "a present null reads as Some(None)");
    assert!(code.contains("map.serialize_entry(\"subtitle\", &self.subtitle)?;"), "required nullable is sent as null");
    assert!(code.contains("\"title\" => slots.title = Some(map.next_value()?),"), "a required field must be present");
    assert!(code.contains("\"subtitle\" => slots.subtitle = Some(map.next_value()?),"), "a required nullable property must be present; null reads as None");
    assert!(code.contains("(\"subtitle\", slots.subtitle.is_none())"), "an absent required nullable property is missing");
}

#[test]
fn string_enums_get_readable_variants_and_keep_unknown_values() {
    let (api, _) = fixture("enums");
    let Some(TypeKind::Enum(scope)) = api.type_def("Scope").map(|t| &t.kind) else { panic!("Scope enum") };
    let variants: Vec<(&str, &str)> = scope.variants.iter().map(|v| (v.name.as_str(), v.value.as_str())).collect();
    assert!(variants.contains(&("RepoRead", "repo:read")));
    assert!(variants.contains(&("LastActivity", "last_activity")));
    assert!(variants.contains(&("LastActivityDesc", "-last_activity")));
    assert!(variants.contains(&("Empty", "")));
    assert!(variants.contains(&("Unknown", "unknown")));
    assert_eq!(scope.fallback, "Other", "the fallback does not clash with the `unknown` value");
    let post = structure(&api, "Post");
    assert!(field(post, "visibility").nullable, "an enum listing null is nullable");
    assert!(generated("enums").contains("other => Self::Other(other.to_owned())"));
}

#[test]
fn additional_properties_become_maps() {
    let (api, _) = fixture("maps");
    let alias = |name: &str| match api.type_def(name).map(|t| &t.kind) {
        Some(TypeKind::Alias(t)) => t.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(alias("Labels"), TypeRef::Map(Box::new(TypeRef::String)));
    assert_eq!(alias("ShelvesByRoom"), TypeRef::Map(Box::new(named("Shelf"))));
    assert_eq!(alias("TagIndex"), TypeRef::Map(Box::new(TypeRef::List(Box::new(TypeRef::String)))));
    assert_eq!(alias("Extras"), TypeRef::Map(Box::new(TypeRef::Any)));
    assert_eq!(structure(&api, "BookRecord").additional, Some(TypeRef::String));
    let code = generated("maps");
    assert!(code.contains("pub additional_properties: std::collections::BTreeMap<String, String>,"));
    assert!(code.contains(".additional_properties\n                                .insert(key.into_owned(), map.next_value()?);"), "unknown properties are kept");
    assert!(code.contains("for (key, value) in &self.additional_properties {"), "and written back");
}

#[test]
fn every_kind_of_ref_resolves() {
    let (api, warnings) = fixture("refs");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(api.type_def("Entry").map(|t| &t.kind), Some(&TypeKind::Alias(named("Article"))));
    assert_eq!(field(structure(&api, "Post"), "id").ty, named("Uuid"));
    let get = api.operations.iter().find(|o| o.name == "get_post").expect("get_post");
    let delete = api.operations.iter().find(|o| o.name == "delete_post").expect("delete_post");
    assert_eq!(get.params.first().map(|p| p.wire_name.as_str()), delete.params.first().map(|p| p.wire_name.as_str()), "path-level parameter on both");
    let create = api.operations.iter().find(|o| o.name == "create_post").expect("create_post");
    let location = create.responses[0].headers.first().expect("response header from components/headers");
    assert_eq!((location.wire_name.as_str(), &location.ty), ("Location", &TypeRef::Url), "`format: uri` is a URL");
    let list = api.operations.iter().find(|o| o.name == "list_posts").expect("list_posts");
    let rate = list.responses[0].headers.first().expect("header of a response from components/responses");
    assert_eq!(rate.ty, TypeRef::I64);
    assert_eq!(create.body.as_ref().map(|b| b.content[0].ty.clone()), Some(Some(named("NewPost"))), "request body from components/requestBodies");
}

#[test]
fn recursive_fields_are_boxed_and_lists_are_not() {
    let (api, _) = fixture("recursion");
    assert!(field(structure(&api, "TreeNode"), "parent").boxed);
    assert!(!field(structure(&api, "TreeNode"), "children").boxed, "a Vec already gives indirection");
    assert!(field(structure(&api, "Employee"), "manager").boxed);
    assert!(field(structure(&api, "Manager"), "assistant").boxed);
    assert!(field(structure(&api, "Node"), "next").boxed);
    assert!(generated("recursion").contains("pub parent: Option<Box<TreeNode>>,"));
}

#[test]
fn keywords_collisions_and_prelude_names_get_valid_distinct_names() {
    let (api, _) = fixture("naming");
    let keywords = structure(&api, "Keywords");
    let name = |wire: &str| field(keywords, wire).name.clone();
    assert_eq!(name("type"), "type_");
    assert_eq!(name("self"), "self_");
    assert_eq!(name("3d_model"), "model_3d");
    assert_ne!(name("foo-bar"), name("foo_bar"));
    assert!(api.type_def("ResultModel").is_some() && api.type_def("OptionModel").is_some());
    assert!(api.type_def("User").is_some() && api.type_def("User2").is_some(), "`User` and `user` are two types");
    let mut names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "operation names are unique");
    let code = generated("naming");
    assert!(code.contains("`type` on the wire.\n    pub type_: String,"));
    assert!(code.contains("map.serialize_entry(\"type\", &self.type_)?;") && code.contains("\"type\" => slots.type_ = Some(map.next_value()?),"));
}

#[test]
fn operations_without_ids_get_names_from_method_path_and_summary() {
    let (api, _) = fixture("no-operation-ids");
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    for expected in [
        "list_stores", "create_store", "get_store", "check_store", "update_store", "delete_store", "list_store_pets",
        "get_store_pet", "update_store_pet", "list_pet_photos", "get_store_pet_summary", "delete_pets", "login", "login_2fa",
        "list_audit_logs", "get_settings", "update_settings", "list_users", "get_user",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
}

#[test]
fn items_under_a_differently_named_parent_parameter_get_the_names_a_user_would_pick() {
    let (api, warnings) = fixture("item-names");
    assert!(warnings.is_empty(), "{warnings:#?}");
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "list_club_keys", "create_club_key", "get_club_key", "update_club_key", "delete_club_key", "export_club_members",
            "resend_invite", "bulk_create_invites", "list_club_logs", "doors_list", "login",
        ]
    );
}

#[test]
fn each_defect_is_read_sensibly_and_warned_about_once_with_its_location() {
    let (api, warnings) = fixture("defects");
    let expect = |needle: &str| {
        let hits: Vec<&String> = warnings.iter().filter(|w| w.contains(needle)).collect();
        assert!(!hits.is_empty(), "no warning about {needle:?} in {warnings:#?}");
        for w in &hits {
            assert!(w.starts_with("warning: tests/fixtures/specs/defects.yaml:"), "{w} names file and line");
            assert!(w.contains("(#/"), "{w} names the JSON pointer");
        }
        hits.len()
    };
    assert_eq!(expect("security scheme `bearerAuth`"), 1);
    assert_eq!(expect("`items` on an object schema"), 1);
    assert_eq!(expect("has sibling keys"), 1);
    assert_eq!(expect("`minItems: 1` inside `items`"), 1);
    assert_eq!(expect("`allOf` member holds only a description"), 1);
    assert!(expect("treated it as a placeholder") >= 2);
    assert_eq!(expect("is not an RFC 3339 date-time"), 1);
    assert_eq!(expect("`example: null`"), 1);
    assert_eq!(expect("is not marked `required: true`"), 1);
    assert_eq!(expect("header parameter `Accept` is ignored"), 1);
    assert_eq!(expect("header parameter `content-type` is ignored"), 1);
    assert_eq!(expect("cannot be sent as `application/x-www-form-urlencoded`: its fields are"), 1);
    let lookup = api.operations.iter().find(|o| o.name == "look_up_books").expect("look_up_books");
    let medias: Vec<&str> = lookup.body.iter().flat_map(|b| &b.content).map(|c| c.media_type.as_str()).collect();
    assert_eq!(medias, ["application/json"], "a form of a list is not offered");
    let search = api.operations.iter().find(|o| o.name == "search_books").expect("search_books");
    assert_eq!(search.params.iter().map(|p| p.wire_name.as_str()).collect::<Vec<_>>(), ["q"], "`Accept` and `Content-Type` are no parameters");

    // A declared path parameter the template does not name was required by the server from a
    // segment that does not exist, and asked of every caller: misspelt for the one name nothing
    // declares, it is that name; otherwise it is left out.
    assert_eq!(expect("path parameter `review` is not in the path, and nothing declares its `{reviewId}`; read it as `reviewId`"), 1);
    assert_eq!(expect("path parameter `size` is not in the path, so it can never be sent; left it out"), 1);
    let path_params = |name: &str| {
        let op = api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("{name}"));
        op.params.iter().map(|p| (p.wire_name.clone(), p.ty.clone())).collect::<Vec<_>>()
    };
    assert_eq!(path_params("get_book_review"), [("bookId".to_owned(), TypeRef::I64), ("reviewId".to_owned(), TypeRef::String)]);
    assert_eq!(path_params("list_covers"), [("bookId".to_owned(), TypeRef::I64)]);
    // A `$ref` among the status codes was dropped without a word.
    assert_eq!(expect("`$ref` `#/components/responses/StandardErrors` among the status codes of `responses`"), 1);

    let scheme = api.security_schemes.iter().find(|s| s.name == "bearerAuth").expect("assumed scheme");
    assert!(!scheme.declared);
    // A `number` named like a count stays a number: `123.1` is valid data.
    let results = structure(&api, "SearchResults");
    assert_eq!(field(results, "count").ty, TypeRef::F64);
    assert_eq!(field(results, "total_results").ty, TypeRef::F64);
}

/// PHP's `json_encode` writes an empty map as `[]`, and MODX's description names its schemas by
/// file; each refused the whole spec. An empty list where a map belongs reads as no entries, a
/// component that is no object is left out (a `$ref` to it reads any JSON value), each with a
/// located warning.
#[test]
fn empty_lists_where_maps_belong_and_components_that_are_no_object_are_read_with_a_warning() {
    let (api, warnings) = fixture("php-empties");
    let file = "tests/fixtures/specs/php-empties.json";
    let warned = |line: u32, pointer: &str, says: &str| {
        let place = format!("warning: {file}:{line} (#{pointer}): ");
        assert!(warnings.iter().any(|w| w.starts_with(&place) && w.contains(says)), "no warning at {place} saying {says:?} in {warnings:#?}");
    };
    for (line, pointer, key) in [(15, "/paths/~1orders/get/responses/200/headers", "headers"), (54, "/components/schemas/Order/properties/notes/properties", "properties"), (59, "/components/responses", "responses"), (61, "/components/securitySchemes", "securitySchemes")] {
        warned(line, pointer, &format!("`{key}: []` is an empty list where a map belongs"));
    }
    warned(28, "/paths/~1orders/delete", "`responses: []`; read as a success (`2XX`)");
    warned(57, "/components/schemas/OrderFile", "`OrderFile` is `\"models/order.json\"`, not an object; left it out");
    warned(41, "/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema/$ref", "which is no object; read as any JSON value");

    let list = api.operations.iter().find(|o| o.name == "list_orders").expect("list_orders");
    assert_eq!(list.responses[0].content[0].ty, Some(TypeRef::List(Box::new(named("Order")))));
    let get = api.operations.iter().find(|o| o.name == "get_order").expect("get_order");
    assert_eq!(get.responses[0].content[0].ty, Some(TypeRef::Any));
    assert!(api.type_def("OrderFile").is_none());
    assert_eq!(structure(&api, "Order").fields.len(), 2);
}
