//! Hooks: one place to add tracing, token refresh or retries of one's own, without editing
//! generated code.

use std::future::Future;
use std::pin::Pin;

use super::Response;

/// What a hook may fail with; the call then fails with [`Error::Hook`](super::Error::Hook).
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// The future a hook method returns.
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, HookError>> + Send + 'a>>;

/// What to do with an answer a hook has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterReceive {
    /// Hand the answer to the operation.
    Done,
    /// Send the request again (say, after refreshing an expired token); the retry policy's
    /// `max_attempts` still bounds the attempts.
    Retry,
}

/// Code that runs around every request a client sends, in the order hooks were added.
///
/// Add hooks with [`ClientBuilder::hook`](super::ClientBuilder::hook). Both methods do nothing by
/// default; implement the ones you need:
///
/// ```
/// use generator_runtime::client::{Hook, HookFuture};
///
/// /// Tags every request for tracing.
/// struct TraceId(String);
///
/// impl Hook for TraceId {
///     fn before_send<'a>(&'a self, request: &'a mut reqwest::Request) -> HookFuture<'a, ()> {
///         Box::pin(async move {
///             request.headers_mut().insert("x-trace-id", self.0.parse()?);
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Runs just before `request` is sent (credentials already added); may change it, or fail the
    /// call.
    fn before_send<'a>(&'a self, request: &'a mut reqwest::Request) -> HookFuture<'a, ()> {
        let _ = request;
        Box::pin(async { Ok(()) })
    }

    /// Runs when the answer to `request` has arrived, before the operation reads it; may ask for
    /// the request to be sent again, or fail the call.
    fn after_receive<'a>(&'a self, request: &'a reqwest::Request, response: &'a Response) -> HookFuture<'a, AfterReceive> {
        let _ = (request, response);
        Box::pin(async { Ok(AfterReceive::Done) })
    }
}
