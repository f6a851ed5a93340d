//! Building a client.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::transport::Settings;
use super::{Hook, RetryPolicy, Transport};

/// A client of one API: implemented by each generated API module's `Client`.
pub trait ApiClient: Sized {
    /// The server the spec names first.
    const DEFAULT_BASE_URL: &'static str;

    /// The client over a transport.
    fn from_transport(transport: Transport) -> Self;
}

/// Configures a client: base URL, HTTP client, timeout, user agent, retries, hooks and the
/// plain-HTTP credential guard.
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: RetryPolicy,
    allow_insecure_credentials: bool,
    hooks: Vec<Arc<dyn Hook>>,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .field("allow_insecure_credentials", &self.allow_insecure_credentials)
            .finish_non_exhaustive()
    }
}

impl<C: ApiClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            http: None,
            timeout: None,
            user_agent: None,
            retry: RetryPolicy::default(),
            allow_insecure_credentials: false,
            hooks: Vec::new(),
            client: PhantomData,
        }
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// The server to talk to (default: the first server of the spec).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The `reqwest` client to send requests with (default: a new one, with rustls, that follows
    /// no redirects itself: the client follows those its operations do not document). Build it
    /// with `redirect(reqwest::redirect::Policy::none())` for documented redirects to come back
    /// as their answers.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A timeout for each request, from sending to the end of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header of every request.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How `429 Too Many Requests`, `503 Service Unavailable` and connection failures are retried
    /// (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a [`Hook`] that runs around every request (tracing, token refresh, retries of one's
    /// own); hooks run in the order they are added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Allows sending credentials over plain `http://` to hosts other than loopback.
    ///
    /// Off by default: such credentials could be read by anyone on the way.
    pub fn allow_insecure_credentials(mut self, allow: bool) -> Self {
        self.allow_insecure_credentials = allow;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let raw = self.base_url.unwrap_or_else(|| C::DEFAULT_BASE_URL.to_owned());
        let default_base = raw == C::DEFAULT_BASE_URL;
        let base = reqwest::Url::parse(&raw).map_err(|_| BuildError::InvalidBaseUrl(raw.clone()))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(BuildError::InvalidBaseUrl(raw));
        }
        let http = match self.http {
            Some(http) => http,
            // Redirects are followed by the client itself, so that one an operation documents
            // comes back as its answer ([`Request::answers_redirects`](super::Request::answers_redirects)).
            None => reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().map_err(BuildError::Http)?,
        };
        Ok(C::from_transport(Transport::new(Settings {
            http,
            base,
            default_base,
            timeout: self.timeout,
            user_agent: self.user_agent,
            retry: self.retry,
            allow_insecure_credentials: self.allow_insecure_credentials,
            hooks: self.hooks,
        })))
    }
}

/// Why a client could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl(String),
    /// The HTTP client could not be set up.
    Http(reqwest::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(url) => write!(f, "not an absolute http(s) base URL: {url}"),
            BuildError::Http(e) => write!(f, "cannot set up the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(e),
            BuildError::InvalidBaseUrl(_) => None,
        }
    }
}
