//! The client's retries against a real HTTP server on loopback that answers `429` and `503` with
//! each way of saying when to come back (`Retry-After` in seconds or as an HTTP date, Docker Hub's
//! `X-Retry-After`, nothing), and against a port nobody listens on.
//!
//! Waits are measured on tokio's paused clock: the test's runtime stands still but for the client's
//! sleeps, which it skips through at once, so a wait is measured to the nanosecond and no test
//! sleeps real time. Two things keep other timers out of the way, since a paused clock jumps to the
//! next timer whenever the runtime waits on a socket: the server runs on a thread and runtime of
//! its own, and the client keeps no idle connections (whose expiry would be such a timer).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use generator_runtime::client::{reqwest, ApiClient, ClientBuilder, Error, Hook, HookFuture, Jitter, Method, Request, RetryPolicy, Transport};
use tokio::time::Instant;

/// An answer the server gives: a status and headers.
type Answer = (u16, Vec<(&'static str, String)>);

/// A server answering each request with the next answer of its script, then `200 OK`.
struct Server {
    base_url: String,
    /// The method of every request it received.
    methods: Arc<Mutex<Vec<String>>>,
}

fn serve(script: Vec<Answer>) -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("a non-blocking listener");
    let base_url = format!("http://{}", listener.local_addr().expect("an address"));
    let methods: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = Arc::clone(&methods);
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let app = axum::Router::new().fallback(move |method: Method| {
        seen.lock().expect("methods").push(method.to_string());
        let (status, headers) = script.lock().expect("script").pop_front().unwrap_or((200, Vec::new()));
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(HeaderName::from_static(name), HeaderValue::from_str(&value).expect("a header value"));
        }
        async move { (StatusCode::from_u16(status).expect("a status"), map, "answer") }
    });
    // A thread and runtime of its own, with a clock that runs: see the module's comment.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the server's runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            axum::serve(listener, app).await
        })
    });
    Server { base_url, methods }
}

impl Server {
    fn methods(&self) -> Vec<String> {
        self.methods.lock().expect("methods").clone()
    }
}

struct Api(Transport);

impl ApiClient for Api {
    const DEFAULT_BASE_URL: &'static str = "http://localhost";
    fn from_transport(transport: Transport) -> Self {
        Api(transport)
    }
}

/// Notes the (paused) time at which each attempt is sent.
struct Sends(Arc<Mutex<Vec<Instant>>>);

impl Hook for Sends {
    fn before_send<'a>(&'a self, _: &'a mut reqwest::Request) -> HookFuture<'a, ()> {
        self.0.lock().expect("sends").push(Instant::now());
        Box::pin(async { Ok(()) })
    }
}

/// A client of `base_url` retrying by `policy`, and the times of its attempts.
fn start_client(base_url: &str, policy: RetryPolicy) -> (Transport, Arc<Mutex<Vec<Instant>>>) {
    let sends: Arc<Mutex<Vec<Instant>>> = Arc::default();
    // No idle connections: see the module's comment.
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("an HTTP client");
    let Api(transport) = ClientBuilder::<Api>::default().base_url(base_url).http_client(http).retry_policy(policy).hook(Sends(Arc::clone(&sends))).build().expect("a client");
    (transport, sends)
}

/// The waits between attempts.
fn waits(sends: &Mutex<Vec<Instant>>) -> Vec<Duration> {
    sends.lock().expect("sends").windows(2).map(|w| w[1] - w[0]).collect()
}

fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn header(name: &'static str, value: impl ToString) -> Vec<(&'static str, String)> {
    vec![(name, value.to_string())]
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_waited_exactly_on_429_and_503() {
    let server = serve(vec![(429, header("retry-after", 2)), (503, header("retry-after", 3))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    let answer = client.send(Request::new(Method::GET, "/thing")).await.expect("an answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(waits(&sends), [secs(2), secs(3)]);
    assert_eq!(server.methods(), ["GET", "GET", "GET"]);
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_waited_until() {
    // Half a minute ahead: the date's one-second resolution and the real time the exchange takes
    // move the wait by at most a second or so, which the range below allows.
    let at = chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + secs(30));
    let server = serve(vec![(429, header("retry-after", at.format("%a, %d %b %Y %H:%M:%S GMT")))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    assert_eq!(client.send(Request::new(Method::GET, "/thing")).await.expect("an answer").status(), 200);
    let waited = waits(&sends);
    assert!(waited.len() == 1 && (secs(28)..=secs(30)).contains(&waited[0]), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn x_retry_after_is_waited_until_and_retry_after_is_preferred() {
    let server = serve(vec![(429, header("x-retry-after", unix_now() + 20))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    assert_eq!(client.send(Request::new(Method::GET, "/thing")).await.expect("an answer").status(), 200);
    let waited = waits(&sends);
    assert!(waited.len() == 1 && (secs(18)..=secs(20)).contains(&waited[0]), "{waited:?}");

    let both = vec![("retry-after", "2".to_owned()), ("x-retry-after", (unix_now() + 20).to_string())];
    let server = serve(vec![(429, both)]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    assert_eq!(client.send(Request::new(Method::GET, "/thing")).await.expect("an answer").status(), 200);
    assert_eq!(waits(&sends), [secs(2)], "the standard header wins");
}

#[tokio::test(start_paused = true)]
async fn without_a_header_the_backoff_doubles() {
    let server = serve(vec![(429, header("retry-after", "soon")), (503, Vec::new()), (429, Vec::new())]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default().with_max_attempts(4).with_jitter(Jitter::None));
    assert_eq!(client.send(Request::new(Method::GET, "/thing")).await.expect("an answer").status(), 200);
    assert_eq!(waits(&sends), [ms(500), ms(1000), ms(2000)], "an unreadable Retry-After is no header");

    // The default jitter spreads each wait over the upper half of its planned one.
    let server = serve(vec![(429, Vec::new()), (503, Vec::new())]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    assert_eq!(client.send(Request::new(Method::DELETE, "/thing")).await.expect("an answer").status(), 200);
    let waited = waits(&sends);
    assert!(waited.len() == 2 && (ms(250)..=ms(500)).contains(&waited[0]) && (ms(500)..=ms(1000)).contains(&waited[1]), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_post_is_retried_on_429_but_not_on_503() {
    let server = serve(vec![(503, header("retry-after", 1))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    let answer = client.send(Request::new(Method::POST, "/thing")).await.expect("an answer");
    assert_eq!(answer.status(), 503, "the server may have acted on it: the caller decides");
    assert_eq!((sends.lock().expect("sends").len(), server.methods()), (1, vec!["POST".to_owned()]));

    let server = serve(vec![(429, header("retry-after", 1))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    assert_eq!(client.send(Request::new(Method::POST, "/thing")).await.expect("an answer").status(), 200);
    assert_eq!(waits(&sends), [secs(1)], "a 429 was refused, not acted on");

    let server = serve(vec![(503, header("retry-after", 1))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    assert_eq!(client.send(Request::new(Method::PUT, "/thing")).await.expect("an answer").status(), 200);
    assert_eq!(waits(&sends), [secs(1)], "a PUT is idempotent");
}

#[tokio::test(start_paused = true)]
async fn a_wait_over_max_wait_is_rate_limited_at_once() {
    let server = serve(vec![(429, header("retry-after", 3600)), (503, header("retry-after", 3600))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default().with_max_wait(secs(60)));
    let start = Instant::now();
    let answer = client.send(Request::new(Method::GET, "/thing")).await.expect("an answer");
    assert_eq!((answer.status(), start.elapsed(), sends.lock().expect("sends").len()), (429, Duration::ZERO, 1));
    let now = i64::try_from(unix_now()).expect("a unix time");
    match answer.unexpected::<(), ()>() {
        Err(Error::RateLimited { retry_after: Some(at), body }) => assert!((now + 3599..=now + 3601).contains(&at) && body == "answer", "{at}"),
        other => panic!("an undocumented 429 is RateLimited, got {other:?}"),
    }
    assert_eq!(client.rate_limit().and_then(|r| r.retry_delay), Some(secs(3600)));

    let start = Instant::now();
    let answer = client.send(Request::new(Method::GET, "/thing")).await.expect("an answer");
    assert_eq!((answer.status(), start.elapsed()), (503, Duration::ZERO), "a 503 asking too long comes back at once too");
}

#[tokio::test(start_paused = true)]
async fn downloads_are_retried_alike() {
    let server = serve(vec![(503, header("retry-after", 4))]);
    let (client, sends) = start_client(&server.base_url, RetryPolicy::default());
    let download = client.download(Request::new(Method::GET, "/file")).await.expect("an answer");
    assert_eq!(download.status(), 200);
    assert_eq!(waits(&sends), [secs(4)]);
}

#[tokio::test(start_paused = true)]
async fn connection_failures_are_retried_for_idempotent_methods_only() {
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
    let base_url = format!("http://{closed}");
    let policy = RetryPolicy::default().with_jitter(Jitter::None);

    let (client, sends) = start_client(&base_url, policy);
    match client.send(Request::new(Method::GET, "/thing")).await.map_err(Error::<()>::from) {
        Err(Error::Http(e)) => assert!(e.is_connect(), "{e}"),
        other => panic!("nobody answers, got {other:?}"),
    }
    assert_eq!(waits(&sends), [ms(500), ms(1000)], "three attempts, backing off");

    let (client, sends) = start_client(&base_url, policy);
    assert!(client.send(Request::new(Method::POST, "/thing")).await.is_err());
    assert_eq!(sends.lock().expect("sends").len(), 1, "a POST is not sent again");
}
