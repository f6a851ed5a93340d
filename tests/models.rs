//! The generated models as a downstream crate uses them.

use dockerhub_models::{v1, v2};
use serde_json::json;

#[test]
fn debug_output_never_shows_passwords_tokens_or_codes() {
    let login = v2::UsersLoginRequest { username: "alice".into(), password: "hunter2-secret".into(), additional_properties: Default::default() };
    let two_factor = v2::Users2FALoginRequest { login_2fa_token: "2fa-token-secret".into(), code: "123456".into(), additional_properties: Default::default() };
    let jwt = v2::PostUsersLoginSuccessResponse { token: Some("jwt-secret".into()), additional_properties: Default::default() };
    let second_factor = v2::PostUsersLoginErrorResponse { detail: "Two factor required".into(), login_2fa_token: Some(Some("pending-secret".into())), additional_properties: Default::default() };
    let pat = v2::AccessToken { token: Some("pat-secret".into()), token_label: Some("ci".into()), ..Default::default() };
    let register = v1::UserRegistration { email: "a@example.com".into(), password: "toto42-secret".into(), username: "alice".into(), additional_properties: Default::default() };
    let shown = format!("{login:?} {two_factor:?} {jwt:?} {second_factor:?} {pat:?} {register:?} {:#?}", login);
    for secret in ["hunter2-secret", "2fa-token-secret", "123456", "jwt-secret", "pending-secret", "pat-secret", "toto42-secret"] {
        assert!(!shown.contains(secret), "{secret} leaked into Debug output: {shown}");
    }
    assert!(shown.contains("alice") && shown.contains("<redacted>") && shown.contains("Two factor required") && shown.contains("ci"), "{shown}");
}

#[test]
fn unknown_enum_values_from_a_newer_server_still_deserialize_and_round_trip() {
    let image: v2::Image = serde_json::from_value(json!({"status": "archived"})).expect("unknown status reads");
    assert_eq!(image.status, Some(v2::ImageStatus::Unknown("archived".into())));
    assert_eq!(serde_json::to_value(&image).expect("writes")["status"], json!("archived"));
    let known: v2::ImageStatus = serde_json::from_value(json!("active")).expect("known status reads");
    assert_eq!(known, v2::ImageStatus::Active);
    assert_eq!(known.to_string(), "active");
    assert_eq!("-last_updated".parse::<v2::ListNamespaceRepositoriesOrdering>(), Ok(v2::ListNamespaceRepositoriesOrdering::LastUpdatedDesc));
}

#[test]
fn wire_names_optional_and_nullable_fields_follow_the_spec() {
    // Optional fields that are None are left out; an optional nullable one is `null` when
    // `Some(None)`, so what was read is written back as it came: absent stays absent.
    let page = v2::GetAccessTokensResponse { count: Some(1.0), next: Some(None), ..Default::default() };
    assert_eq!(serde_json::to_value(&page).expect("writes"), json!({"count": 1.0, "next": null}));
    let read: v2::GetAccessTokensResponse = serde_json::from_value(json!({"next": null})).expect("reads");
    assert_eq!((read.next, read.previous), (Some(None), None));
    // Required fields are required.
    let missing = serde_json::from_value::<v2::CreateAccessTokenRequest>(json!({"token_label": "x"}));
    assert!(missing.is_err(), "scopes is required");
    // The overlay made `tag.images` the list the service sends (one image per platform); an
    // `allOf` merge is one struct.
    let tag: v2::Tag = serde_json::from_value(json!({"name": "latest", "images": [{"architecture": "amd64"}, {"architecture": "arm64"}]})).expect("tag reads");
    let platforms: Vec<Option<String>> = tag.images.unwrap_or_default().into_iter().map(|i| i.architecture).collect();
    assert_eq!(platforms, [Some("amd64".to_owned()), Some("arm64".to_owned())]);
    let tags: v2::PaginatedTags = serde_json::from_value(json!({"count": 1, "next": null, "previous": null, "results": [{"name": "latest"}]})).expect("reads");
    assert_eq!(tags.results.map(|r| r.len()), Some(1));
    // `items` on an object says nothing: the object's values are kept whatever they are.
    let error: v2::ValueError = serde_json::from_value(json!({"fields": {"token_label": "required", "scopes": ["a", "b"]}, "text": "bad"})).expect("reads");
    assert_eq!(error.fields.and_then(|f| f.get("scopes").cloned()), Some(json!(["a", "b"])));
}

#[test]
fn date_times_are_typed_where_the_spec_says_so() {
    let log: v2::AuditLog = serde_json::from_value(json!({"timestamp": "2021-02-19T03:34:35.000+02:00"})).expect("reads");
    let ts = log.timestamp.clone().expect("timestamp");
    assert_eq!(ts.to_chrono().timestamp(), 1_613_698_475);
    assert_eq!(serde_json::to_value(&log).expect("writes")["timestamp"], "2021-02-19T03:34:35.000+02:00", "as written");
    assert!(serde_json::from_value::<v2::AuditLog>(json!({"timestamp": "laboris quis"})).is_err(), "a non-date is rejected");
}

#[test]
fn structs_read_what_a_derived_deserialize_would() {
    // Unknown properties are kept, and written back; a nullable property may be null or absent.
    let json = json!({"count": 2, "next": null, "surprise": {"a": [1]}});
    let page: v2::GetAccessTokensResponse = serde_json::from_value(json.clone()).expect("reads");
    assert_eq!((page.count, page.next.clone(), page.previous.clone()), (Some(2.0), Some(None), None));
    assert_eq!(page.additional_properties["surprise"], json!({"a": [1]}));
    assert_eq!(serde_json::to_value(&page).expect("writes"), json!({"count": 2.0, "next": null, "surprise": {"a": [1]}}));
    // A missing required property is an error naming it, as serde's derive says it.
    let missing = serde_json::from_value::<v2::CreateAccessTokenRequest>(json!({"token_label": "x"})).expect_err("scopes is required");
    assert_eq!(missing.to_string(), "missing field `scopes`");
    // A wrong type says where.
    let wrong = serde_json::from_str::<v2::CreateAccessTokenRequest>(r#"{"token_label": "x", "scopes": "repo:read"}"#).expect_err("scopes is a list");
    assert!(wrong.to_string().contains("invalid type: string \"repo:read\", expected a sequence"), "{wrong}");
    // Properties the spec does not name are kept where `additionalProperties` allows them.
    let record: maps_models::maps::BookRecord = serde_json::from_value(json!({"isbn": "978-0441013593", "shelf": "B2"})).expect("reads");
    assert_eq!(record.additional_properties.get("shelf").map(String::as_str), Some("B2"));
    assert_eq!(serde_json::to_value(&record).expect("writes"), json!({"isbn": "978-0441013593", "shelf": "B2"}));
    // Any serde format that has maps reads them, not only JSON.
    let from_yaml: v2::CreateAccessTokenRequest = serde_yaml::from_str("token_label: ci\nscopes: [repo:read]\n").expect("YAML reads");
    assert_eq!(from_yaml.token_label, "ci");
}

/// A discriminator without a `mapping` implies each member's schema name as its tag value; where
/// the member's own tag property allows one other value only (`type: {const: done}` in `JobDone`,
/// Spotify's `EpisodeObject` and `episode`), no value satisfies both, and the member's own is
/// read, with a warning at the discriminator: the value a real service sends picks its member.
#[test]
fn a_tag_value_no_mapping_names_is_the_members_own_where_the_implied_one_contradicts_it() {
    let (api, warnings) = tests::fixture("streams-31");
    let tagged = api.types.iter().find_map(|t| match &t.kind {
        generator::ir::TypeKind::Tagged(tagged) if tagged.property == "type" => Some(tagged),
        _ => None,
    });
    let values: Vec<Vec<String>> = tagged.expect("the progress events' data is tagged").variants.iter().map(|v| v.values.clone()).collect();
    assert_eq!(values, [vec!["progress".to_owned()], vec!["done".to_owned()]]);
    let said = "the discriminator maps no value to `JobDone`, so its `type` is implied to be `JobDone`, which `JobDone`'s own `type` does not allow (only `done`); read as `done`";
    assert!(warnings.iter().any(|w| w.contains("/data/discriminator): ") && w.ends_with(said)), "{warnings:#?}");
}
