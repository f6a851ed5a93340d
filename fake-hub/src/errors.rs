//! The error bodies the spec documents, built one way everywhere: the hub's `Error`
//! (`detail` + `message`), the newer operations' `Error2` (the same with `errinfo`), the
//! audit API's `rpcStatus` (gRPC codes), `ValueError` (field errors) and SCIM's error shapes.

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;

use crate::auth::AuthError;

/// gRPC status codes used in `rpcStatus` bodies.
pub(crate) mod rpc_code {
    /// The request is malformed.
    pub const INVALID_ARGUMENT: i32 = 3;
    /// The account does not exist.
    pub const NOT_FOUND: i32 = 5;
    /// Authenticated but not allowed.
    pub const PERMISSION_DENIED: i32 = 7;
    /// Not authenticated.
    pub const UNAUTHENTICATED: i32 = 16;
}

/// The hub's `Error` body.
pub(crate) fn hub_error(detail: impl Into<String>) -> m::Error {
    let detail = detail.into();
    m::Error { message: Some(detail.clone()), detail: Some(detail), additional_properties: Default::default() }
}

/// The `Error` body of a refused caller.
pub(crate) fn auth_error(error: &AuthError) -> m::Error {
    hub_error(error.to_string())
}

/// A `ValueError` naming one field, shaped as the generated router shapes its own: `fields` keyed
/// by the bare name (`token_label`), `text` with the location (`body.token_label: …`).
pub(crate) fn value_error(field: &str, message: impl Into<String>) -> m::ValueError {
    let message = message.into();
    let name = field.split_once('.').map_or(field, |(_, rest)| rest);
    m::ValueError { text: Some(format!("{field}: {message}")), fields: Some(BTreeMap::from([(name.to_owned(), serde_json::Value::String(message))])), additional_properties: Default::default() }
}

/// An `rpcStatus` body.
pub(crate) fn rpc_status(code: i32, message: impl Into<String>) -> m::RpcStatus {
    m::RpcStatus { code: Some(code), message: Some(message.into()), details: Some(Vec::new()), additional_properties: Default::default() }
}

/// A SCIM error body with its status.
pub(crate) fn scim_error(status: u16, detail: impl Into<String>) -> m::ScimError {
    m::ScimError { status: Some(status.to_string()), schemas: Some(vec![SCIM_ERROR_SCHEMA.into()]), detail: Some(detail.into()), additional_properties: Default::default() }
}

/// A SCIM 400 body with its `scimType`.
pub(crate) fn scim_bad_request(scim_type: &str, detail: impl Into<String>) -> m::ScimBadRequest {
    m::ScimBadRequest {
        status: Some("400".into()),
        schemas: Some(vec![SCIM_ERROR_SCHEMA.into()]),
        detail: Some(detail.into()),
        scim_type: Some(scim_type.into()),
        additional_properties: Default::default(),
    }
}

/// The schema URN of SCIM error bodies.
pub(crate) const SCIM_ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The `Error2` body of the operations Docker added since the seed (`detail`, `message`, `errinfo`).
pub(crate) fn hub_error2(detail: impl Into<String>) -> m::Error2 {
    let detail = detail.into();
    m::Error2 { errinfo: None, message: Some(detail.clone()), detail: Some(detail), additional_properties: Default::default() }
}
