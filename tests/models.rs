//! The generated models as a downstream crate uses them.

use dockerhub_models::{v1, v2};
use serde_json::json;

#[test]
fn debug_output_never_shows_passwords_tokens_or_codes() {
    let login = v2::UsersLoginRequest { username: "alice".into(), password: "hunter2-secret".into() };
    let two_factor = v2::Users2FALoginRequest { login_2fa_token: "2fa-token-secret".into(), code: "123456".into() };
    let jwt = v2::PostUsersLoginSuccessResponse { token: Some("jwt-secret".into()) };
    let second_factor = v2::PostUsersLoginErrorResponse { detail: "Two factor required".into(), login_2fa_token: Some("pending-secret".into()) };
    let pat = v2::AccessToken { token: Some("pat-secret".into()), token_label: Some("ci".into()), ..Default::default() };
    let register = v1::UserRegistration { email: "a@example.com".into(), password: "toto42-secret".into(), username: "alice".into() };
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
    assert_eq!("-last_activity".parse::<v2::ListRepositoryImagesOrdering>(), Ok(v2::ListRepositoryImagesOrdering::LastActivityDesc));
}

#[test]
fn wire_names_optional_and_nullable_fields_follow_the_spec() {
    // Optional fields that are None are left out; nullable ones are sent as null.
    let page = v2::GetAccessTokensResponse { count: Some(1), next: None, ..Default::default() };
    assert_eq!(serde_json::to_value(&page).expect("writes"), json!({"count": 1, "next": null, "previous": null}));
    // Required fields are required.
    let missing = serde_json::from_value::<v2::CreateAccessTokenRequest>(json!({"token_label": "x"}));
    assert!(missing.is_err(), "scopes is required");
    // A `$ref` with siblings is the referenced type; an `allOf` merge is one struct.
    let tag: v2::Tag = serde_json::from_value(json!({"name": "latest", "images": {"architecture": "amd64"}})).expect("tag reads");
    assert_eq!(tag.images.and_then(|i| i.architecture).as_deref(), Some("amd64"));
    let tags: v2::PaginatedTags = serde_json::from_value(json!({"count": 1, "next": null, "previous": null, "results": [{"name": "latest"}]})).expect("reads");
    assert_eq!(tags.results.map(|r| r.len()), Some(1));
    // `items` on an object was read as a map of strings.
    let error: v2::ValueError = serde_json::from_value(json!({"fields": {"token_label": "required"}, "text": "bad"})).expect("reads");
    assert_eq!(error.fields.and_then(|f| f.get("token_label").cloned()).as_deref(), Some("required"));
}

#[test]
fn date_times_are_typed_where_the_spec_says_so() {
    let log: v2::AuditLog = serde_json::from_value(json!({"timestamp": "2021-02-19T01:34:35Z"})).expect("reads");
    let ts = log.timestamp.expect("timestamp");
    assert_eq!(ts.timestamp(), 1_613_698_475);
    assert!(serde_json::from_value::<v2::AuditLog>(json!({"timestamp": "laboris quis"})).is_err(), "a non-date is rejected");
}
