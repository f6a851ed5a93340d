//! The shared state of a client and the sending of requests.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::redirect::Hop;
use super::request::Body;
use super::{AfterReceive, AuthKind, Credentials, Error, Failure, Hook, RateLimit, Request, Response, RetryPolicy};

/// What clones of a client share: the HTTP client, settings, hooks, credentials and the last
/// rate-limit state.
#[derive(Clone)]
pub struct Transport {
    shared: Arc<Shared>,
}

pub(crate) struct Settings {
    pub http: reqwest::Client,
    pub base: reqwest::Url,
    pub timeout: Option<Duration>,
    pub user_agent: Option<String>,
    pub retry: RetryPolicy,
    pub allow_insecure_credentials: bool,
    pub hooks: Vec<Arc<dyn Hook>>,
}

struct Shared {
    settings: Settings,
    credentials: RwLock<Vec<Credentials>>,
    rate_limit: Mutex<Option<RateLimit>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds: Vec<AuthKind> = self.shared.credentials.read().map(|c| c.iter().map(Credentials::kind).collect()).unwrap_or_default();
        f.debug_struct("Client")
            .field("base_url", &self.shared.settings.base.as_str())
            .field("credentials", &kinds)
            .field("retry", &self.shared.settings.retry)
            .field("hooks", &self.shared.settings.hooks.len())
            .field("rate_limit", &self.rate_limit())
            .finish_non_exhaustive()
    }
}

fn failure(error: Error<std::convert::Infallible>) -> Failure {
    Failure(error)
}

impl Transport {
    pub(crate) fn new(settings: Settings) -> Transport {
        Transport { shared: Arc::new(Shared { settings, credentials: RwLock::default(), rate_limit: Mutex::default() }) }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.shared.settings.base
    }

    /// Keeps `credentials`, replacing any of the same kind.
    pub fn set_credentials(&self, credentials: Credentials) {
        if let Ok(mut all) = self.shared.credentials.write() {
            all.retain(|c| c.kind() != credentials.kind());
            all.push(credentials);
        }
    }

    /// Forgets every credential.
    pub fn clear_credentials(&self) {
        if let Ok(mut all) = self.shared.credentials.write() {
            all.clear();
        }
    }

    /// The rate-limit headers of the last answer, if it had any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.shared.rate_limit.lock().ok().and_then(|r| r.clone())
    }

    /// The `Authorization` value for an operation accepting `kinds` (any kept credential, bearer
    /// first, when the operation states no requirement).
    fn authorization(&self, kinds: &[AuthKind]) -> Option<String> {
        let all = self.shared.credentials.read().ok()?;
        let pick = |kind: AuthKind| all.iter().find(|c| c.kind() == kind);
        let chosen = if kinds.is_empty() {
            pick(AuthKind::Bearer).or_else(|| pick(AuthKind::Basic)).or_else(|| pick(AuthKind::Token))
        } else {
            kinds.iter().find_map(|k| pick(*k))
        };
        chosen.map(Credentials::header_value)
    }

    fn url(&self, target: &str) -> Result<reqwest::Url, Failure> {
        let invalid = |e: url::ParseError| failure(Error::InvalidUrl { message: e.to_string() });
        let base = &self.shared.settings.base;
        if target.starts_with("http://") || target.starts_with("https://") {
            let url = reqwest::Url::parse(target).map_err(invalid)?;
            if url.origin() != base.origin() {
                return Err(failure(Error::ForeignLink { url: url.to_string() }));
            }
            return Ok(url);
        }
        reqwest::Url::parse(&format!("{}{target}", base.as_str().trim_end_matches('/'))).map_err(invalid)
    }

    pub(super) fn build(&self, request: &Request, url: &reqwest::Url, authorization: Option<&str>) -> Result<reqwest::Request, Failure> {
        let settings = &self.shared.settings;
        let mut builder = settings.http.request(request.method.clone(), url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if !request.cookies.is_empty() {
            builder = builder.header(reqwest::header::COOKIE, request.cookies.join("; "));
        }
        if let Some(agent) = &settings.user_agent {
            builder = builder.header(reqwest::header::USER_AGENT, agent);
        }
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(value) = authorization {
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        match &request.body {
            Some(Body::Bytes(content_type, bytes)) => builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(bytes.clone()),
            Some(Body::Multipart(form)) if form.parts().is_empty() => {
                let (content_type, bytes) = crate::body::multipart::Multipart::without_parts();
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
            }
            Some(Body::Multipart(form)) => builder = builder.multipart(form.to_form().map_err(|e| failure(Error::Http(e)))?),
            None => {}
        }
        builder.build().map_err(|e| failure(Error::Http(e)))
    }

    /// Sends `request`, retrying as the [`RetryPolicy`] allows (and as hooks ask), and reads the
    /// answer.
    pub async fn send(&self, mut request: Request) -> Result<Response, Failure> {
        let (mut url, mut authorization) = self.prepare(&mut request)?;
        let settings = &self.shared.settings;
        let (mut attempt, mut hops) = (1, 0);
        loop {
            let mut sent = self.build(&request, &url, authorization.as_deref())?;
            for hook in &settings.hooks {
                hook.before_send(&mut sent).await.map_err(|e| failure(Error::Hook(e)))?;
            }
            // Hooks see the request again after it was sent; without hooks nothing is copied.
            let copy = if settings.hooks.is_empty() { None } else { Some(copy_of(&sent)) };
            let answer = match settings.http.execute(sent).await {
                Ok(answer) => answer,
                Err(e) => match settings.retry.after_error(attempt, &request.method, &e) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    None => return Err(failure(Error::Http(e))),
                },
            };
            let status = answer.status().as_u16();
            let headers = answer.headers().clone();
            let rate_limit = self.note_rate_limit(&headers);
            let body = answer.bytes().await.map_err(|e| failure(Error::Http(e)))?.to_vec();
            if (Hop { request: &mut request, url: &mut url, authorization: &mut authorization, hops: &mut hops }).follow(status, &headers) {
                continue;
            }
            let response = Response { status, headers, body };
            let mut retry = false;
            if let Some(copy) = &copy {
                for hook in &settings.hooks {
                    retry |= hook.after_receive(copy, &response).await.map_err(|e| failure(Error::Hook(e)))? == AfterReceive::Retry;
                }
            }
            let wait = if retry {
                (attempt < settings.retry.max_attempts).then_some(Duration::ZERO)
            } else {
                settings.retry.after_answer(attempt, &request.method, status, rate_limit.as_ref())
            };
            if let Some(wait) = wait {
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            self.keep_issued(&request, &response);
            return Ok(response);
        }
    }

    /// The URL and `Authorization` of `request`, or the failure it already carries, or the refusal
    /// to send credentials over plain HTTP.
    pub(super) fn prepare(&self, request: &mut Request) -> Result<(reqwest::Url, Option<String>), Failure> {
        if let Some(error) = request.failure.take() {
            return Err(failure(error));
        }
        let url = self.url(&request.target())?;
        let authorization = if request.anonymous { None } else { self.authorization(request.auth) };
        if authorization.is_some() && url.scheme() == "http" && !self.shared.settings.allow_insecure_credentials && !is_loopback(&url) {
            return Err(failure(Error::InsecureCredentials { url: url.to_string() }));
        }
        Ok((url, authorization))
    }

    /// Keeps the rate-limit state an answer's headers give, and returns it.
    pub(super) fn note_rate_limit(&self, headers: &reqwest::header::HeaderMap) -> Option<RateLimit> {
        let rate_limit = RateLimit::from_headers(headers);
        if let (Some(limit), Ok(mut kept)) = (&rate_limit, self.shared.rate_limit.lock()) {
            *kept = Some(limit.clone());
        }
        rate_limit
    }

    /// The settings the client was built with.
    pub(super) fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// Keeps the credentials an answer issues in the headers the request names.
    pub(super) fn keep_issued(&self, request: &Request, response: &Response) {
        for (header, kind) in request.issues {
            let value = response.headers.get(*header).and_then(|v| v.to_str().ok());
            if let (Some(value), AuthKind::Token) = (value, kind) {
                let token = value.trim().strip_prefix("Token ").unwrap_or(value.trim()).to_owned();
                self.set_credentials(Credentials::Token(token));
            }
        }
    }
}

/// A copy of `sent` for hooks to see after it was sent: without its body when the body is a
/// stream (a multipart form), which cannot be copied.
fn copy_of(sent: &reqwest::Request) -> reqwest::Request {
    sent.try_clone().unwrap_or_else(|| {
        let mut copy = reqwest::Request::new(sent.method().clone(), sent.url().clone());
        *copy.headers_mut() = sent.headers().clone();
        *copy.timeout_mut() = sent.timeout().copied();
        *copy.version_mut() = sent.version();
        copy
    })
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
