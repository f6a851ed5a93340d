//! The client crate's `transport` module: what every generated operation goes through.
//!
//! It is the same for every API, so it is written out here once; only the parts some API uses are
//! emitted (the `Usage` flags), because generated code carries no dead code. It holds the builder,
//! credentials (never printed), the 429 retry loop, rate-limit headers, the plain-HTTP credential
//! guard and the error type.

use proc_macro2::TokenStream;
use quote::quote;

/// Which optional runtime parts the crate's operations need.
#[derive(Debug, Default, Clone, Copy)]
pub struct Usage {
    /// Some operation follows `next` links of a paginated listing.
    pub follows_links: bool,
    /// Some operation reads a declared response header.
    pub reads_headers: bool,
    /// Some operation answers a plain string (`"OK"`), which may come unquoted.
    pub reads_text: bool,
    /// Some operation's success or error body is JSON.
    pub reads_json: bool,
    /// Some response header carries a credential for later calls (`x-credential-for`).
    pub keeps_issued_credentials: bool,
    /// Some operation has a path parameter.
    pub encodes_path: bool,
    /// Some operation is walked page by page as a stream.
    pub paginates: bool,
    /// Some operation sends a JSON body.
    pub writes_json: bool,
    /// Some operation has no `default` response, so undocumented statuses reach the caller as such.
    pub reports_unexpected: bool,
}

/// The whole `transport` module.
pub fn transport_module(usage: Usage) -> TokenStream {
    let parts = [
        rate_limit(),
        retry_policy(),
        credentials(),
        error_type(usage),
        builder(),
        transport(usage),
        request_response(usage),
        helpers(usage),
    ];
    quote! {
        //! What every operation goes through: configuration, credentials, retries, rate limits, errors.
        #(#parts)*
    }
}

fn rate_limit() -> TokenStream {
    quote! {
        /// The rate-limit state the server reported with its last answer.
        ///
        /// Read it after any call with the client's `rate_limit()`.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct RateLimit {
            /// `X-RateLimit-Limit`: requests allowed per period.
            pub limit: Option<u64>,
            /// `X-RateLimit-Remaining`: requests left in the period.
            pub remaining: Option<u64>,
            /// `X-RateLimit-Reset`: unix time (seconds) when the period resets.
            pub reset: Option<i64>,
            /// `X-Retry-After`: unix time (seconds) from which a rate-limited client may call again.
            pub retry_after: Option<i64>,
        }

        impl RateLimit {
            fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<Self> {
                let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<i64>().ok();
                let limit = RateLimit {
                    limit: number("x-ratelimit-limit").and_then(|v| u64::try_from(v).ok()),
                    remaining: number("x-ratelimit-remaining").and_then(|v| u64::try_from(v).ok()),
                    reset: number("x-ratelimit-reset"),
                    retry_after: number("x-retry-after"),
                };
                (limit != RateLimit::default()).then_some(limit)
            }
        }
    }
}

fn retry_policy() -> TokenStream {
    quote! {
        /// How the client answers `429 Too Many Requests`.
        ///
        /// It waits until the time the server names in `X-Retry-After` (a unix timestamp), or one
        /// second per attempt when the header is missing, and sends the request again, at most
        /// `max_attempts` times in all. A server asking for a longer wait than `max_wait` gets its
        /// 429 passed back at once, as [`Error::RateLimited`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct RetryPolicy {
            /// How many times a request is sent at most; 1 never retries.
            pub max_attempts: u32,
            /// The longest wait before a retry.
            pub max_wait: std::time::Duration,
        }

        impl Default for RetryPolicy {
            /// Three attempts, waiting at most a minute.
            fn default() -> Self {
                RetryPolicy { max_attempts: 3, max_wait: std::time::Duration::from_secs(60) }
            }
        }

        impl RetryPolicy {
            /// Never retry: a 429 is returned as [`Error::RateLimited`] at once.
            pub fn never() -> Self {
                RetryPolicy { max_attempts: 1, max_wait: std::time::Duration::ZERO }
            }

            /// The wait before attempt `attempt + 1`, or `None` to give up.
            fn wait(&self, attempt: u32, retry_after: Option<i64>) -> Option<std::time::Duration> {
                if attempt >= self.max_attempts {
                    return None;
                }
                let wait = match retry_after {
                    Some(at) => {
                        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
                        std::time::Duration::from_secs_f64((at as f64 - now).max(0.0))
                    }
                    None => std::time::Duration::from_secs(u64::from(attempt)),
                };
                (wait <= self.max_wait).then_some(wait)
            }
        }
    }
}

fn credentials() -> TokenStream {
    quote! {
        /// Credentials the client presents in `Authorization`.
        ///
        /// `Debug` never shows their secret parts.
        #[derive(Clone, PartialEq, Eq)]
        pub enum Credentials {
            /// `Authorization: Bearer <token>`: a JWT from login, a personal access token or another bearer token.
            Bearer(String),
            /// `Authorization: Basic <base64(username:password)>`.
            Basic {
                /// The user name.
                username: String,
                /// The password (or personal access token).
                password: String,
            },
            /// `Authorization: Token <token>`, a token issued by the server in a response header.
            Token(String),
        }

        impl Credentials {
            /// The kind of credential.
            pub fn kind(&self) -> AuthKind {
                match self {
                    Credentials::Bearer(_) => AuthKind::Bearer,
                    Credentials::Basic { .. } => AuthKind::Basic,
                    Credentials::Token(_) => AuthKind::Token,
                }
            }

            fn header_value(&self) -> String {
                match self {
                    Credentials::Bearer(token) => format!("Bearer {token}"),
                    Credentials::Basic { username, password } => format!("Basic {}", base64(format!("{username}:{password}").as_bytes())),
                    Credentials::Token(token) => format!("Token {token}"),
                }
            }
        }

        impl std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
                    Credentials::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: <redacted> }}"),
                    Credentials::Token(_) => f.write_str("Token(<redacted>)"),
                }
            }
        }

        /// Which kind of credential an operation accepts, from its security requirements.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum AuthKind {
            /// A bearer token.
            Bearer,
            /// HTTP Basic.
            Basic,
            /// A server-issued `Token`.
            Token,
        }

        /// Standard base64 (RFC 4648) with padding, for HTTP Basic.
        fn base64(bytes: &[u8]) -> String {
            const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
            for chunk in bytes.chunks(3) {
                let n = (u32::from(chunk[0]) << 16) | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8) | u32::from(*chunk.get(2).unwrap_or(&0));
                for i in 0..4 {
                    if i <= chunk.len() {
                        out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
                    } else {
                        out.push('=');
                    }
                }
            }
            out
        }
    }
}

fn error_type(usage: Usage) -> TokenStream {
    let foreign_link = usage.follows_links.then(|| {
        quote! {
            /// A pagination link points at another origin than the client's base URL; it is not
            /// followed, so that credentials never go there.
            ForeignLink {
                /// The link.
                url: String,
            },
        }
    });
    let foreign_link_display = usage.follows_links.then(|| quote!(Error::ForeignLink { url } => write!(f, "refusing to follow a pagination link to another origin: {url}"),));
    let foreign_link_convert = usage.follows_links.then(|| quote!(Error::ForeignLink { url } => Error::ForeignLink { url },));
    let encode = usage.writes_json.then(|| {
        quote! {
            /// The request body could not be encoded.
            Encode {
                /// What went wrong.
                message: String,
            },
        }
    });
    let encode_display = usage.writes_json.then(|| quote!(Error::Encode { message } => write!(f, "cannot encode the request body: {message}"),));
    let encode_convert = usage.writes_json.then(|| quote!(Error::Encode { message } => Error::Encode { message },));
    quote! {
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
            /// `429 Too Many Requests`, after the [`RetryPolicy`] gave up.
            RateLimited {
                /// `X-Retry-After`: unix time from which calls are accepted again, if given.
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
            /// `ClientBuilder::allow_insecure_credentials`.
            InsecureCredentials {
                /// The URL the request was for.
                url: String,
            },
            #foreign_link
            #encode
            /// The request URL could not be built.
            InvalidUrl {
                /// What was wrong.
                message: String,
            },
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
                    #foreign_link_display
                    #encode_display
                    Error::InvalidUrl { message } => write!(f, "invalid request URL: {message}"),
                    Error::Http(e) => write!(f, "HTTP error: {e}"),
                }
            }
        }

        impl<E: std::fmt::Debug> std::error::Error for Error<E> {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Http(e) => Some(e),
                    _ => None,
                }
            }
        }

        /// A failure before the operation could look at the answer: it becomes an [`Error`] of any
        /// operation through `?`.
        pub(crate) struct Failure(Error<std::convert::Infallible>);

        impl<E> From<Failure> for Error<E> {
            fn from(failure: Failure) -> Self {
                match failure.0 {
                    Error::Api { error, .. } => match error {},
                    Error::UnexpectedStatus { status, body } => Error::UnexpectedStatus { status, body },
                    Error::RateLimited { retry_after, body } => Error::RateLimited { retry_after, body },
                    Error::Decode { status, message, body } => Error::Decode { status, message, body },
                    Error::InsecureCredentials { url } => Error::InsecureCredentials { url },
                    #foreign_link_convert
                    #encode_convert
                    Error::InvalidUrl { message } => Error::InvalidUrl { message },
                    Error::Http(e) => Error::Http(e),
                }
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
    }
}

fn builder() -> TokenStream {
    quote! {
        /// A client of one of this crate's APIs.
        ///
        /// Implemented by each API module's `Client`; build one with its `Client::builder()`.
        pub trait ApiClient: Sized {
            /// The server the spec names first.
            const DEFAULT_BASE_URL: &'static str;

            #[doc(hidden)]
            fn from_transport(transport: Transport) -> Self;
        }

        /// Configures a client: base URL, HTTP client, timeout, user agent, retries and the
        /// plain-HTTP credential guard.
        pub struct ClientBuilder<C> {
            base_url: Option<String>,
            http: Option<reqwest::Client>,
            timeout: Option<std::time::Duration>,
            user_agent: Option<String>,
            retry: RetryPolicy,
            allow_insecure_credentials: bool,
            client: std::marker::PhantomData<fn() -> C>,
        }

        impl<C> std::fmt::Debug for ClientBuilder<C> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    .field("timeout", &self.timeout)
                    .field("user_agent", &self.user_agent)
                    .field("retry", &self.retry)
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
                    client: std::marker::PhantomData,
                }
            }
        }

        impl<C: ApiClient> ClientBuilder<C> {
            /// The server to talk to (default: the first server of the spec).
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.base_url = Some(url.into());
                self
            }

            /// The `reqwest` client to send requests with (default: a new one, with rustls).
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.http = Some(client);
                self
            }

            /// A timeout for each request, from sending to the end of the answer.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// The `User-Agent` header of every request.
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.user_agent = Some(user_agent.into());
                self
            }

            /// How `429 Too Many Requests` is retried (default: [`RetryPolicy::default`]).
            pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
                self.retry = policy;
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
                let base = reqwest::Url::parse(&raw).map_err(|_| BuildError::InvalidBaseUrl(raw.clone()))?;
                if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
                    return Err(BuildError::InvalidBaseUrl(raw));
                }
                let http = match self.http {
                    Some(http) => http,
                    None => reqwest::Client::builder().build().map_err(BuildError::Http)?,
                };
                Ok(C::from_transport(Transport {
                    http,
                    base,
                    timeout: self.timeout,
                    user_agent: self.user_agent,
                    retry: self.retry,
                    allow_insecure_credentials: self.allow_insecure_credentials,
                    credentials: std::sync::Arc::default(),
                    rate_limit: std::sync::Arc::default(),
                }))
            }
        }
    }
}

fn transport(usage: Usage) -> TokenStream {
    let keep_issued = usage.keeps_issued_credentials.then(|| {
        quote! {
            for (header, kind) in request.issues {
                let value = response.headers.get(*header).and_then(|v| v.to_str().ok());
                if let (Some(value), AuthKind::Token) = (value, kind) {
                    let token = value.trim().strip_prefix("Token ").unwrap_or(value.trim()).to_owned();
                    self.set_credentials(Credentials::Token(token));
                }
            }
        }
    });
    let origin_check = usage.follows_links.then(|| {
        quote! {
            if url.origin() != self.base.origin() {
                return Err(Failure(Error::ForeignLink { url: url.to_string() }));
            }
        }
    });
    quote! {
        /// The shared state of a client: cloned clients share credentials and rate-limit state.
        #[doc(hidden)]
        #[derive(Clone)]
        pub struct Transport {
            http: reqwest::Client,
            base: reqwest::Url,
            timeout: Option<std::time::Duration>,
            user_agent: Option<String>,
            retry: RetryPolicy,
            allow_insecure_credentials: bool,
            credentials: std::sync::Arc<std::sync::RwLock<Vec<Credentials>>>,
            rate_limit: std::sync::Arc<std::sync::Mutex<Option<RateLimit>>>,
        }

        impl std::fmt::Debug for Transport {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let kinds: Vec<AuthKind> = self.credentials.read().map(|c| c.iter().map(Credentials::kind).collect()).unwrap_or_default();
                f.debug_struct("Client")
                    .field("base_url", &self.base.as_str())
                    .field("credentials", &kinds)
                    .field("retry", &self.retry)
                    .field("rate_limit", &self.rate_limit())
                    .finish_non_exhaustive()
            }
        }

        impl Transport {
            /// Keeps `credentials`, replacing any of the same kind.
            pub(crate) fn set_credentials(&self, credentials: Credentials) {
                if let Ok(mut all) = self.credentials.write() {
                    all.retain(|c| c.kind() != credentials.kind());
                    all.push(credentials);
                }
            }

            /// Forgets every credential.
            pub(crate) fn clear_credentials(&self) {
                if let Ok(mut all) = self.credentials.write() {
                    all.clear();
                }
            }

            pub(crate) fn rate_limit(&self) -> Option<RateLimit> {
                self.rate_limit.lock().ok().and_then(|r| *r)
            }

            /// The `Authorization` value for an operation accepting `kinds` (any kept credential, bearer
            /// first, when the operation states no requirement).
            fn authorization(&self, kinds: &[AuthKind]) -> Option<String> {
                let all = self.credentials.read().ok()?;
                let pick = |kind: AuthKind| all.iter().find(|c| c.kind() == kind);
                let chosen = if kinds.is_empty() {
                    pick(AuthKind::Bearer).or_else(|| pick(AuthKind::Basic)).or_else(|| pick(AuthKind::Token))
                } else {
                    kinds.iter().find_map(|k| pick(*k))
                };
                chosen.map(Credentials::header_value)
            }

            fn url(&self, target: &str) -> Result<reqwest::Url, Failure> {
                let invalid = |e: url::ParseError| Failure(Error::InvalidUrl { message: e.to_string() });
                if target.starts_with("http://") || target.starts_with("https://") {
                    let url = reqwest::Url::parse(target).map_err(invalid)?;
                    #origin_check
                    return Ok(url);
                }
                let base = self.base.as_str().trim_end_matches('/');
                reqwest::Url::parse(&format!("{base}{target}")).map_err(invalid)
            }

            /// Sends `request`, retrying 429 answers as the retry policy allows, and reads the answer.
            pub(crate) async fn send(&self, request: Request) -> Result<Response, Failure> {
                let url = self.url(&request.target)?;
                let authorization = if request.anonymous { None } else { self.authorization(request.auth) };
                if authorization.is_some() && url.scheme() == "http" && !self.allow_insecure_credentials && !is_loopback(&url) {
                    return Err(Failure(Error::InsecureCredentials { url: url.to_string() }));
                }
                let mut attempt = 1;
                loop {
                    let mut builder = self.http.request(request.method.clone(), url.clone()).query(&request.query);
                    for (name, value) in &request.headers {
                        builder = builder.header(*name, value);
                    }
                    if let Some(agent) = &self.user_agent {
                        builder = builder.header(reqwest::header::USER_AGENT, agent);
                    }
                    if let Some(timeout) = self.timeout {
                        builder = builder.timeout(timeout);
                    }
                    if let Some(value) = &authorization {
                        builder = builder.header(reqwest::header::AUTHORIZATION, value);
                    }
                    if let Some((content_type, bytes)) = &request.body {
                        builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(bytes.clone());
                    }
                    let answer = builder.send().await.map_err(|e| Failure(Error::Http(e)))?;
                    let status = answer.status().as_u16();
                    let headers = answer.headers().clone();
                    let rate_limit = RateLimit::from_headers(&headers);
                    if let (Some(limit), Ok(mut kept)) = (rate_limit, self.rate_limit.lock()) {
                        *kept = Some(limit);
                    }
                    let body = answer.bytes().await.map_err(|e| Failure(Error::Http(e)))?.to_vec();
                    if status == 429 {
                        if let Some(wait) = self.retry.wait(attempt, rate_limit.and_then(|r| r.retry_after)) {
                            tokio::time::sleep(wait).await;
                            attempt += 1;
                            continue;
                        }
                    }
                    let response = Response { status, headers, body };
                    #keep_issued
                    return Ok(response);
                }
            }
        }

        /// Loopback hosts may get credentials over plain HTTP (local development, tests).
        fn is_loopback(url: &reqwest::Url) -> bool {
            match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            }
        }
    }
}

fn request_response(usage: Usage) -> TokenStream {
    let issues_field = usage.keeps_issued_credentials.then(|| {
        quote! {
            /// Response headers carrying a credential of the given kind for later calls.
            pub issues: &'static [(&'static str, AuthKind)],
        }
    });
    let json = usage.reads_json.then(|| {
        quote! {
            /// The body as JSON of type `T`.
            pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Failure> {
                serde_json::from_slice(&self.body).map_err(|e| Failure(Error::Decode { status: self.status, message: e.to_string(), body: self.text() }))
            }
        }
    });
    let text = usage.reads_text.then(|| {
        quote! {
            /// A string body: a JSON string (`"OK"`), or the raw text when the server sends it unquoted.
            pub(crate) fn string(&self) -> String {
                serde_json::from_slice::<String>(&self.body).unwrap_or_else(|_| self.text())
            }
        }
    });
    let header = usage.reads_headers.then(|| {
        quote! {
            /// A response header's value, if present and text.
            pub(crate) fn header(&self, name: &str) -> Option<String> {
                self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
            }
        }
    });
    let follow = usage.follows_links.then(|| {
        let issues = usage.keeps_issued_credentials.then(|| quote!(issues: &[],));
        quote! {
            impl Request {
                /// A GET of a listing's `next` link, accepting `accept` and presenting credentials
                /// of the kinds in `auth`.
                pub(crate) fn follow(link: String, accept: &'static str, auth: &'static [AuthKind]) -> Request {
                    Request {
                        method: reqwest::Method::GET,
                        target: link,
                        query: Vec::new(),
                        headers: vec![("accept", accept.to_owned())],
                        body: None,
                        auth,
                        anonymous: false,
                        #issues
                    }
                }
            }
        }
    });
    let unexpected = usage.reports_unexpected.then(|| {
        quote! {
            /// The error for a status the operation does not document.
            pub(crate) fn unexpected<E>(&self) -> Error<E> {
                if self.status == 429 {
                    let retry_after = RateLimit::from_headers(&self.headers).and_then(|r| r.retry_after);
                    Error::RateLimited { retry_after, body: self.text() }
                } else {
                    Error::UnexpectedStatus { status: self.status, body: self.text() }
                }
            }
        }
    });
    quote! {
        /// One request, as an operation describes it.
        pub(crate) struct Request {
            /// The method.
            pub method: reqwest::Method,
            /// The path below the base URL (starting with `/`), or an absolute URL of the same origin.
            pub target: String,
            /// Query parameters, in order.
            pub query: Vec<(&'static str, String)>,
            /// Request headers.
            pub headers: Vec<(&'static str, String)>,
            /// Content type and bytes of the body.
            pub body: Option<(&'static str, Vec<u8>)>,
            /// The credential kinds the operation accepts (empty: whatever the client has).
            pub auth: &'static [AuthKind],
            /// Sends no credentials at all (the operation obtains them).
            pub anonymous: bool,
            #issues_field
        }

        #follow

        /// An answer, read whole.
        pub(crate) struct Response {
            /// The HTTP status.
            pub status: u16,
            /// The headers.
            pub headers: reqwest::header::HeaderMap,
            /// The body.
            pub body: Vec<u8>,
        }

        impl Response {
            /// The body as text, for errors.
            pub(crate) fn text(&self) -> String {
                String::from_utf8_lossy(&self.body).into_owned()
            }

            #unexpected

            #json
            #text
            #header
        }
    }
}

fn helpers(usage: Usage) -> TokenStream {
    let encode = usage.encodes_path.then(|| {
        quote! {
            /// Percent-encodes a path parameter so that it stays one path segment.
            pub(crate) fn encode_segment(value: &str) -> String {
                let mut out = String::with_capacity(value.len());
                for byte in value.bytes() {
                    if byte.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=".contains(&byte) {
                        out.push(char::from(byte));
                    } else {
                        out.push_str(&format!("%{byte:02X}"));
                    }
                }
                out
            }
        }
    });
    let cursor = usage.paginates.then(|| {
        let link = usage.follows_links.then(|| quote!(#[doc = " The `next` link the last page gave."] Link(String),));
        quote! {
            /// Where a paginated listing goes on from.
            pub(crate) enum Cursor<P> {
                /// Parameters of the next page to ask for.
                Params(P),
                #link
            }

            /// Walks a listing page by page from `first`: `page` fetches the page at a cursor and
            /// answers its items and the cursor of the next page, if any.
            pub(crate) fn walk<'a, P, T, E, F, Fut>(first: P, mut page: F) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
            where
                P: 'a,
                T: 'a,
                E: 'a,
                F: FnMut(Cursor<P>) -> Fut + 'a,
                Fut: std::future::Future<Output = Result<(Vec<T>, Option<Cursor<P>>), Error<E>>> + 'a,
            {
                let pages = futures_util::stream::try_unfold(Some(Cursor::Params(first)), move |cursor| {
                    let fetch = cursor.map(&mut page);
                    async move {
                        let Some(fetch) = fetch else { return Ok::<_, Error<E>>(None) };
                        let (items, next) = fetch.await?;
                        Ok(Some((futures_util::stream::iter(items.into_iter().map(Ok)), next)))
                    }
                });
                futures_util::TryStreamExt::try_flatten(pages)
            }
        }
    });
    let json_body = usage.writes_json.then(|| {
        quote! {
            /// A request body as JSON.
            pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, Failure> {
                serde_json::to_vec(value).map_err(|e| Failure(Error::Encode { message: e.to_string() }))
            }
        }
    });
    quote!(#encode #cursor #json_body)
}
