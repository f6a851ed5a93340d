//! HTTP methods: a path item's fixed fields, and OpenAPI 3.2's QUERY and custom methods.

use serde::Serialize;

/// HTTP methods in the order operations of one path are listed: the fixed fields of a path item,
/// then OpenAPI 3.2's `query` and its `additionalOperations` (any other method, by name).
///
/// Not `Copy`: a custom method carries its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Method {
    /// GET
    Get,
    /// HEAD
    Head,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
    /// QUERY (OpenAPI 3.2 `query`): a safe, idempotent request with a body.
    Query,
    /// A method of `additionalOperations` (OpenAPI 3.2), as written: an RFC 9110 token, none of the
    /// methods above.
    Other(String),
}

impl Method {
    /// The fixed fields of a path item, in listing order.
    pub const ALL: [Method; 8] =
        [Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Options, Method::Trace];

    /// The method as on the wire: upper case, or a custom method as written.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }

    /// Whether a router has a filter of its own for the method (axum's `MethodFilter`): QUERY and
    /// custom methods are told apart by name.
    pub fn is_standard(&self) -> bool {
        !matches!(self, Method::Query | Method::Other(_))
    }

    /// Where the operation of this method is in its path item, as JSON pointer segments
    /// (`get`, `query`, `additionalOperations/PURGE`).
    pub fn pointer_in_item(&self) -> String {
        match self {
            Method::Other(name) => crate::diag::push_pointer("additionalOperations", name),
            other => other.as_str().to_ascii_lowercase(),
        }
    }
}
