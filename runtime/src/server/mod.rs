//! The server runtime every generated router goes through (feature `server`).
//!
//! A generated handler reads its request with the functions here (parameters in any style through
//! [`param`], JSON and form bodies, multipart bodies through
//! [`Multipart::from_request`](crate::body::multipart::Multipart::from_request)), checks it against the spec with the `check_*` functions, calls the
//! implementation and writes its typed answer with [`json_response`] or [`empty_response`]. What
//! goes wrong becomes a [`Rejection`]: 400 with the operation's documented error shape, or the
//! default [`ErrorBody`].

mod answer;
mod checks;
mod context;
mod credentials;
mod incoming;
mod read;
mod router;
mod stream;
mod webhook;

pub use answer::{answer, body_response, bytes_response, default_error, empty_response, head_response, json_response, method_not_allowed, method_not_allowed_allowing, not_found, stream_response, ErrorBody};
pub use checks::{check_absolute_uri, check_allowed, check_email, check_items, check_known, check_length, check_range, check_unique, Allowed, Bound, Rejection};
#[cfg(feature = "regex")]
pub use checks::check_pattern;
pub use context::Context;
pub use credentials::Credentials;
pub use incoming::{events_body, json_item, read_body_or_stream, records_body, Incoming, IncomingError, Received};
pub use read::{
    bytes_body, cookie_param, cookies_of, form_body, header_param, header_value, json_body, media_type, multipart_body, param, parse_integer, parse_value, path_param, path_segment, query_of, query_pairs, query_param, query_value, query_value_empty, querystring_param, read_body, required, text_body, unsupported_media,
    BodyLimit,
};
pub use crate::stream::{Encode, ItemStream};
pub use stream::{records_response, sse_response, whole_events_response, EventStream, StreamFailure};
pub use router::{carries, router, template_matches, Operation, SlashRoutes};
pub use webhook::{webhook_header, webhook_request, WebhookError};

/// What a type read from JSON implements, so that generated crates name it without depending on
/// serde themselves.
pub use serde::de::DeserializeOwned;
/// The web framework, so that generated crates and their users name the same version.
pub use axum;
