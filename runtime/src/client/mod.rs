//! The client transport every generated client goes through (feature `client`).
//!
//! A generated operation builds a [`Request`] (its method, path template and parameters, each
//! encoded in its style), sends it through the [`Transport`] of its client, and reads the
//! [`Response`] into the operation's own types. Everything in between is here, written once:
//! credentials (never printed, never sent over plain HTTP to other hosts), retries (`429`, and
//! `503` and connection failures of idempotent requests; see [`RetryPolicy`]), rate-limit headers
//! in the dialects APIs speak, pagination, and the [`Hook`]s users add for tracing, token refresh
//! or their own retries.

mod builder;
mod credentials;
mod download;
mod error;
mod events;
mod hook;
mod pages;
mod rate;
mod redirect;
mod request;
mod retry;
mod server;
mod transport;

pub use builder::{ApiClient, BuildError, ClientBuilder};
pub use credentials::{AuthKind, Credentials, KeyPlace};
pub use download::{ByteStream, Download};
pub use error::{Error, Failure};
pub use events::{Events, Opened, Records, StreamError};
pub use crate::stream::Decode;
pub use hook::{AfterReceive, Hook, HookError, HookFuture};
pub use pages::{walk, Cursor};
pub use rate::RateLimit;
pub use request::{Request, Response};
pub use retry::{Jitter, RetryPolicy};
pub use server::{Server, ServerError, ServerVariable};
pub use transport::Transport;

/// The HTTP client crate, so that generated crates and their users name the same version.
pub use reqwest;
/// HTTP methods.
pub use reqwest::Method;
