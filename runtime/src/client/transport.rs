//! The shared state of a client and the sending of requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::redirect::Hop;
use super::request::Body;
use super::{AfterReceive, AuthKind, Credentials, Error, Failure, Hook, KeyPlace, RateLimit, Request, Response, RetryPolicy};

/// What clones of a client share: the HTTP client, settings, hooks, credentials and the last
/// rate-limit state.
#[derive(Clone)]
pub struct Transport {
    shared: Arc<Shared>,
}

pub(crate) struct Settings {
    pub http: reqwest::Client,
    pub base: reqwest::Url,
    /// The base is the spec's default server, so an operation with its own server goes there.
    pub default_base: bool,
    pub timeout: Option<Duration>,
    pub user_agent: Option<String>,
    pub retry: RetryPolicy,
    pub allow_insecure_credentials: bool,
    pub hooks: Vec<Arc<dyn Hook>>,
}

struct Shared {
    settings: Settings,
    /// The operations' own servers (see [`Request::server`]) as parsed the first time one was
    /// sent to, by their text: a few per API, each parsed once rather than on every request.
    servers: RwLock<HashMap<&'static str, Result<Arc<reqwest::Url>, url::ParseError>>>,
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
        Transport { shared: Arc::new(Shared { settings, servers: RwLock::default(), credentials: RwLock::default(), rate_limit: Mutex::default() }) }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.shared.settings.base
    }

    /// Keeps `credentials`, replacing any of the same kind.
    pub fn set_credentials(&self, credentials: Credentials) {
        if let Ok(mut all) = self.shared.credentials.write() {
            all.retain(|c| !c.replaces(&credentials));
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

    /// The credential an operation accepting `kinds` presents (any kept credential, bearer first,
    /// when the operation states no requirement). API keys go only where the operation's `keys`
    /// (its `apiKey` schemes) say: each scheme's own key where one is kept, else the one
    /// [`Credentials::ApiKey`] where the first scheme says.
    fn credential(&self, kinds: &[AuthKind], keys: &[(&'static str, KeyPlace)]) -> Option<Presented> {
        let all = self.shared.credentials.read().ok()?;
        let key_for = |name: &str| all.iter().find_map(|c| match c {
            Credentials::KeyFor { scheme, key } if scheme == name => Some(key.clone()),
            _ => None,
        });
        let by_scheme: Vec<(KeyPlace, String)> = keys.iter().filter_map(|(scheme, place)| key_for(scheme).map(|key| (*place, key))).collect();
        let pick = |kind: AuthKind| all.iter().find(|c| c.kind() == kind && kind != AuthKind::ApiKey);
        let present = |kind: AuthKind| match kind {
            AuthKind::ApiKey if !by_scheme.is_empty() => Some(Presented::Keys(by_scheme.clone())),
            AuthKind::ApiKey => all.iter().find_map(|c| match (c, keys.first()) {
                (Credentials::ApiKey(key), Some((_, place))) => Some(Presented::Keys(vec![(*place, key.clone())])),
                _ => None,
            }),
            other => pick(other).map(|c| Presented::Authorization(c.header_value())),
        };
        if kinds.is_empty() {
            present(AuthKind::Bearer).or_else(|| present(AuthKind::Basic)).or_else(|| present(AuthKind::Token))
        } else {
            kinds.iter().find_map(|k| present(*k))
        }
    }

    /// The URL of `target` below the base URL, or below the operation's own `server` while the
    /// client talks to the spec's default server.
    fn url(&self, target: &str, server: Option<&'static str>) -> Result<reqwest::Url, Failure> {
        let invalid = |e: url::ParseError| failure(Error::InvalidUrl { message: e.to_string() });
        let settings = &self.shared.settings;
        let own = match server.filter(|_| settings.default_base) {
            Some(server) => Some(self.own_server(server).map_err(invalid)?),
            None => None,
        };
        let base = own.as_deref().unwrap_or(&settings.base);
        if target.starts_with("http://") || target.starts_with("https://") {
            let url = reqwest::Url::parse(target).map_err(invalid)?;
            if url.origin() != base.origin() {
                return Err(failure(Error::ForeignLink { url: url.to_string() }));
            }
            return Ok(url);
        }
        reqwest::Url::parse(&format!("{}{target}", base.as_str().trim_end_matches('/'))).map_err(invalid)
    }

    /// An operation's own server, parsed the first time it is asked for and kept (a text that
    /// is no URL is kept as the error it is, and fails every request to it alike).
    fn own_server(&self, server: &'static str) -> Result<Arc<reqwest::Url>, url::ParseError> {
        if let Some(known) = self.shared.servers.read().ok().and_then(|servers| servers.get(server).cloned()) {
            return known;
        }
        let parsed = reqwest::Url::parse(server).map(Arc::new);
        if let Ok(mut servers) = self.shared.servers.write() {
            servers.insert(server, parsed.clone());
        }
        parsed
    }

    pub(super) fn build(&self, request: &Request, url: &reqwest::Url, credential: Option<&Presented>) -> Result<reqwest::Request, Failure> {
        let settings = &self.shared.settings;
        let mut url = url.clone();
        let mut cookies = request.cookies.clone();
        let mut key_headers = Vec::new();
        if let Some(Presented::Keys(keys)) = credential {
            for (place, key) in keys {
                match place {
                    KeyPlace::Query(name) => {
                        url.query_pairs_mut().append_pair(name, key);
                    }
                    KeyPlace::Cookie(name) => cookies.push(format!("{name}={key}")),
                    KeyPlace::Header(name) => key_headers.push((*name, key)),
                }
            }
        }
        let mut builder = settings.http.request(request.method.clone(), url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        for (name, key) in key_headers {
            builder = builder.header(name, key);
        }
        if !cookies.is_empty() {
            builder = builder.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some(agent) = &settings.user_agent {
            builder = builder.header(reqwest::header::USER_AGENT, agent);
        }
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(Presented::Authorization(value)) = credential {
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        match &request.body {
            Some(Body::Bytes(content_type, bytes)) => builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(bytes.clone()),
            Some(Body::Multipart(form)) if form.parts().is_empty() => {
                let (content_type, bytes) = crate::body::multipart::Multipart::without_parts();
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
            }
            Some(Body::Multipart(form)) => builder = builder.multipart(form.to_form().map_err(|e| failure(Error::Http(e)))?),
            Some(Body::Stream(content_type, body)) => {
                let body = body.lock().ok().and_then(|mut b| b.take()).ok_or_else(|| failure(Error::Encode { message: "the request body: a stream is sent once, and it was".into() }))?;
                builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(body);
            }
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
            let mut sent = self.build(&request, &url, authorization.as_ref())?;
            for hook in &settings.hooks {
                hook.before_send(&mut sent).await.map_err(|e| failure(Error::Hook(e)))?;
            }
            // Hooks see the request again after it was sent; without hooks nothing is copied.
            let copy = if settings.hooks.is_empty() { None } else { Some(copy_of(&sent)) };
            let answer = match settings.http.execute(sent).await {
                Ok(answer) => answer,
                // A streamed body went with the first attempt: there is nothing to send again.
                Err(e) => match settings.retry.after_error(attempt, &request.method, &e).filter(|_| !request.streams()) {
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
            }
            .filter(|_| !request.streams());
            if let Some(wait) = wait {
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            self.keep_issued(&request, &response);
            return Ok(response);
        }
    }

    /// The URL and credential of `request`, or the failure it already carries, or the refusal to
    /// send credentials over plain HTTP.
    pub(super) fn prepare(&self, request: &mut Request) -> Result<(reqwest::Url, Option<Presented>), Failure> {
        if let Some(error) = request.failure.take() {
            return Err(failure(error));
        }
        let url = self.url(&request.target(), request.server)?;
        let authorization = if request.anonymous { None } else { self.credential(request.auth, request.keys) };
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

/// A credential as a request presents it.
#[derive(Clone)]
pub(super) enum Presented {
    /// The `Authorization` header's value.
    Authorization(String),
    /// API keys, each where its scheme puts it.
    Keys(Vec<(KeyPlace, String)>),
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Client(Transport);

    impl crate::client::ApiClient for Client {
        const DEFAULT_BASE_URL: &'static str = "https://api.example.com";
        fn from_transport(transport: Transport) -> Self {
            Client(transport)
        }
    }

    /// The request `transport` would send for `request`.
    fn built(transport: &Transport, mut request: Request) -> reqwest::Request {
        let (url, credential) = transport.prepare(&mut request).unwrap_or_else(|_| panic!("prepared"));
        transport.build(&request, &url, credential.as_ref()).unwrap_or_else(|_| panic!("built"))
    }

    #[test]
    fn an_operation_with_its_own_server_goes_there_unless_the_client_was_given_another_base() {
        let token = || Request::new(reqwest::Method::POST, "/oauth2/token").server("https://auth.example.com/v1");
        let Client(default) = crate::client::ClientBuilder::<Client>::default().build().unwrap_or_else(|_| panic!("a client"));
        assert_eq!(built(&default, token()).url().as_str(), "https://auth.example.com/v1/oauth2/token");
        assert_eq!(built(&default, Request::new(reqwest::Method::GET, "/pets")).url().as_str(), "https://api.example.com/pets");
        let Client(mock) = crate::client::ClientBuilder::<Client>::default().base_url("http://127.0.0.1:8080/").build().unwrap_or_else(|_| panic!("a client"));
        assert_eq!(built(&mock, token()).url().as_str(), "http://127.0.0.1:8080/oauth2/token");
    }

    #[test]
    fn own_servers_are_parsed_once_and_requests_go_where_they_went_before() {
        let to = |server: &'static str, path: &'static str| Request::new(reqwest::Method::POST, path).server(server);
        let sent_to = |transport: &Transport, request: Request| built(transport, request).url().as_str().to_owned();
        let Client(default) = crate::client::ClientBuilder::<Client>::default().build().unwrap_or_else(|_| panic!("a client"));
        // Again and again, in turn: each operation goes to its own server, the rest to the base.
        for _ in 0..3 {
            assert_eq!(sent_to(&default, to("https://auth.example.com/v1", "/oauth2/token")), "https://auth.example.com/v1/oauth2/token");
            assert_eq!(sent_to(&default, to("https://files.example.com/", "/upload?part=1")), "https://files.example.com/upload?part=1");
            assert_eq!(sent_to(&default, Request::new(reqwest::Method::GET, "/pets")), "https://api.example.com/pets");
            // A server that is no URL fails every request to it, with the same error each time.
            match default.prepare(&mut to("auth.example.com", "/oauth2/token")) {
                Err(Failure(Error::InvalidUrl { message })) => assert_eq!(message, "relative URL without a base"),
                Err(Failure(other)) => panic!("not an invalid URL: {other}"),
                Ok((url, _)) => panic!("sent to {url}"),
            }
        }
        let parsed = default.shared.servers.read().map(|servers| servers.len()).unwrap_or_default();
        assert_eq!(parsed, 3, "each distinct server is parsed once and kept");

        // A client given another base sends everything there, own servers or not.
        let Client(other) = crate::client::ClientBuilder::<Client>::default().base_url("http://127.0.0.1:8080/api/").build().unwrap_or_else(|_| panic!("a client"));
        for _ in 0..2 {
            assert_eq!(sent_to(&other, to("https://auth.example.com/v1", "/oauth2/token")), "http://127.0.0.1:8080/api/oauth2/token");
            assert_eq!(sent_to(&other, to("https://files.example.com/", "/upload?part=1")), "http://127.0.0.1:8080/api/upload?part=1");
            assert_eq!(sent_to(&other, to("auth.example.com", "/oauth2/token")), "http://127.0.0.1:8080/api/oauth2/token");
            assert_eq!(sent_to(&other, Request::new(reqwest::Method::GET, "/pets")), "http://127.0.0.1:8080/api/pets");
        }
        assert!(other.shared.servers.read().is_ok_and(|servers| servers.is_empty()), "own servers are not even parsed");
    }

    #[test]
    fn an_api_key_goes_where_its_scheme_says_and_nowhere_else() {
        let Client(transport) = crate::client::ClientBuilder::<Client>::default().build().unwrap_or_else(|_| panic!("a client"));
        transport.set_credentials(Credentials::ApiKey("k3y".into()));
        transport.set_credentials(Credentials::Bearer("jwt".into()));
        let keyed = |schemes: &'static [(&'static str, KeyPlace)]| built(&transport, Request::new(reqwest::Method::GET, "/pets").cookie("session", "s").auth(&[AuthKind::ApiKey]).api_keys(schemes));

        let header = keyed(&[("key", KeyPlace::Header("X-Api-Key"))]);
        assert_eq!(header.headers()["x-api-key"], "k3y");
        assert!(header.headers().get(reqwest::header::AUTHORIZATION).is_none(), "the key is not a bearer token");

        let query = keyed(&[("key", KeyPlace::Query("api_key"))]);
        assert_eq!(query.url().query(), Some("api_key=k3y"));
        assert!(query.headers().get("x-api-key").is_none());

        let cookie = keyed(&[("key", KeyPlace::Cookie("key"))]);
        assert_eq!(cookie.headers()[reqwest::header::COOKIE], "session=s; key=k3y");

        // An operation another scheme secures presents that scheme's credential; the key stays home.
        let bearer = built(&transport, Request::new(reqwest::Method::GET, "/me").auth(&[AuthKind::Bearer]));
        assert_eq!(bearer.headers()[reqwest::header::AUTHORIZATION], "Bearer jwt");
        assert_eq!(bearer.url().query(), None);
    }

    #[test]
    fn keys_of_several_schemes_each_go_where_their_scheme_says() {
        let Client(transport) = crate::client::ClientBuilder::<Client>::default().build().unwrap_or_else(|_| panic!("a client"));
        transport.set_credentials(Credentials::ApiKey("any".into()));
        transport.set_credentials(Credentials::KeyFor { scheme: "appKey".into(), key: "old".into() });
        transport.set_credentials(Credentials::KeyFor { scheme: "appToken".into(), key: "t0ken".into() });
        // A scheme's key replaces only that scheme's.
        transport.set_credentials(Credentials::KeyFor { scheme: "appKey".into(), key: "app".into() });
        const BOTH: &[(&str, KeyPlace)] = &[("appKey", KeyPlace::Header("X-App-Key")), ("appToken", KeyPlace::Query("token"))];
        let sent = built(&transport, Request::new(reqwest::Method::GET, "/orders").auth(&[AuthKind::ApiKey]).api_keys(BOTH));
        assert_eq!(sent.headers()["x-app-key"], "app");
        assert_eq!(sent.url().query(), Some("token=t0ken"));
        assert_eq!(sent.headers().get_all("x-app-key").iter().count(), 1);
        assert_eq!(format!("{:?}", Credentials::KeyFor { scheme: "appKey".into(), key: "app".into() }), r#"KeyFor { scheme: "appKey", key: <redacted> }"#);
        // Schemes it keeps no key of get the one API key, where the first says.
        let other = built(&transport, Request::new(reqwest::Method::GET, "/pets").auth(&[AuthKind::ApiKey]).api_keys(&[("key", KeyPlace::Header("X-Api-Key"))]));
        assert_eq!(other.headers()["x-api-key"], "any");
    }
}
