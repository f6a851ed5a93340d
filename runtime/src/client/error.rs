//! Why a call failed.

use std::convert::Infallible;

/// Why a call failed.
///
/// `E` is the operation's own error type: one variant per error status its spec documents,
/// carrying the body the spec gives that status.
#[derive(Debug)]
pub enum Error<E> {
    /// The server answered with an error status the spec documents for this operation.
    Api {
        /// The HTTP status.
        status: u16,
        /// The documented error with its body.
        error: E,
    },
    /// The server answered with a status the spec does not document for this operation.
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: String,
    },
    /// `429 Too Many Requests`, after the [`RetryPolicy`](super::RetryPolicy) gave up.
    RateLimited {
        /// Unix time from which calls are accepted again, if the server said
        /// ([`RateLimit::retry_after`](super::RateLimit::retry_after): `Retry-After`, else
        /// `X-Retry-After`).
        retry_after: Option<i64>,
        /// The raw body.
        body: String,
    },
    /// The answer does not have the shape the spec documents.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What did not match.
        message: String,
        /// The raw body.
        body: String,
    },
    /// Credentials would have gone over plain HTTP to a host that is not loopback; see
    /// [`ClientBuilder::allow_insecure_credentials`](super::ClientBuilder::allow_insecure_credentials).
    InsecureCredentials {
        /// The URL the request was for.
        url: String,
    },
    /// A pagination link points at another origin than the client's base URL; it is not followed,
    /// so that credentials never go there.
    ForeignLink {
        /// The link.
        url: String,
    },
    /// A parameter or the request body could not be encoded.
    Encode {
        /// What went wrong.
        message: String,
    },
    /// The request URL could not be built.
    InvalidUrl {
        /// What was wrong.
        message: String,
    },
    /// A [`Hook`](super::Hook) refused the request or its answer.
    Hook(super::HookError),
    /// The request could not be sent, or the answer not read.
    Http(reqwest::Error),
}

impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api { status, error } => write!(f, "the server answered {status}: {error:?}"),
            Error::UnexpectedStatus { status, body } => write!(f, "the server answered {status}, which the spec does not document for this operation: {body}"),
            Error::RateLimited { retry_after: Some(at), .. } => write!(f, "rate limited until unix time {at}"),
            Error::RateLimited { retry_after: None, .. } => f.write_str("rate limited"),
            Error::Decode { status, message, .. } => write!(f, "the {status} answer does not match the spec: {message}"),
            Error::InsecureCredentials { url } => write!(f, "refusing to send credentials over plain HTTP to {url}"),
            Error::ForeignLink { url } => write!(f, "refusing to follow a pagination link to another origin: {url}"),
            Error::Encode { message } => write!(f, "cannot encode the request: {message}"),
            Error::InvalidUrl { message } => write!(f, "invalid request URL: {message}"),
            Error::Hook(e) => write!(f, "a hook failed: {e}"),
            Error::Http(e) => write!(f, "HTTP error: {e}"),
        }
    }
}

impl<E: std::fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Http(e) => Some(e),
            Error::Hook(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// A failure before an operation could look at the answer; it becomes an [`Error`] of any
/// operation through `?`.
///
/// (A newtype rather than `Error<Infallible>`, whose conversion into `Error<E>` would collide
/// with `From<T> for T` when `E` is `Infallible`.)
#[derive(Debug)]
pub struct Failure(pub(crate) Error<Infallible>);

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure.0 {
            Error::Api { error, .. } => match error {},
            Error::UnexpectedStatus { status, body } => Error::UnexpectedStatus { status, body },
            Error::RateLimited { retry_after, body } => Error::RateLimited { retry_after, body },
            Error::Decode { status, message, body } => Error::Decode { status, message, body },
            Error::InsecureCredentials { url } => Error::InsecureCredentials { url },
            Error::ForeignLink { url } => Error::ForeignLink { url },
            Error::Encode { message } => Error::Encode { message },
            Error::InvalidUrl { message } => Error::InvalidUrl { message },
            Error::Hook(e) => Error::Hook(e),
            Error::Http(e) => Error::Http(e),
        }
    }
}
