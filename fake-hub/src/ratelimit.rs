//! The v2 API's rate limit, as the hub documents it: every answer carries `X-RateLimit-Limit`,
//! `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix time), and a caller past its limit gets
//! 429 with `X-Retry-After` (unix time). A fixed window per credential (the `Authorization` header,
//! or the client's address when there is none), applied as a layer around the generated router so
//! that the operations never see it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::crypto::sha256_hex;

/// How many distinct callers one window tracks; past that, new ones share one bucket, so that a
/// flood of made-up credentials cannot grow the table without bound.
const MAX_CALLERS: usize = 100_000;

/// A fixed-window limiter.
pub(crate) struct RateLimiter {
    limit: u32,
    window: u64,
    state: Mutex<Window>,
}

struct Window {
    start: u64,
    counts: HashMap<String, u32>,
}

impl RateLimiter {
    /// `limit` requests per `window` (at least one second) per caller.
    pub(crate) fn new(limit: u32, window: Duration) -> Arc<Self> {
        Arc::new(RateLimiter { limit, window: window.as_secs().max(1), state: Mutex::new(Window { start: 0, counts: HashMap::new() }) })
    }

    /// Counts a request of `caller` at `now`: `(remaining, reset)`, or `Err(reset)` when over the limit.
    fn take(&self, caller: String, now: u64) -> Result<(u32, u64), u64> {
        let mut window = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let start = now - now % self.window;
        if window.start != start {
            window.start = start;
            window.counts.clear();
        }
        let reset = start.saturating_add(self.window);
        let key = if window.counts.len() >= MAX_CALLERS && !window.counts.contains_key(&caller) { "overflow".to_owned() } else { caller };
        let used = window.counts.entry(key).or_insert(0);
        if *used >= self.limit {
            return Err(reset);
        }
        *used += 1;
        Ok((self.limit - *used, reset))
    }
}

/// Who is calling, for counting: a digest of the credential, or the address.
fn caller_key(request: &Request) -> String {
    match request.headers().get(axum::http::header::AUTHORIZATION) {
        Some(value) => format!("auth:{}", sha256_hex(value.as_bytes())),
        None => {
            let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
            format!("addr:{}", peer.unwrap_or_default())
        }
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: impl ToString) {
    if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
        headers.insert(name, value);
    }
}

/// Middleware: counts `/v2/` requests and answers 429 past the limit.
pub(crate) async fn limit(State(limiter): State<Arc<RateLimiter>>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/v2/") {
        return next.run(request).await;
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    match limiter.take(caller_key(&request), now) {
        Ok((remaining, reset)) => {
            let mut response = next.run(request).await;
            let headers = response.headers_mut();
            set(headers, "x-ratelimit-limit", limiter.limit);
            set(headers, "x-ratelimit-remaining", remaining);
            set(headers, "x-ratelimit-reset", reset);
            response
        }
        Err(reset) => {
            let body = serde_json::json!({"detail": "Rate limit exceeded", "error": false});
            let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
            let headers = response.headers_mut();
            set(headers, "x-ratelimit-limit", limiter.limit);
            set(headers, "x-ratelimit-remaining", 0);
            set(headers, "x-ratelimit-reset", reset);
            set(headers, "x-retry-after", reset);
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_the_limit_then_refuses_until_it_resets() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        assert_eq!(limiter.take("a".into(), 120), Ok((1, 180)));
        assert_eq!(limiter.take("a".into(), 130), Ok((0, 180)));
        assert_eq!(limiter.take("a".into(), 179), Err(180));
        assert_eq!(limiter.take("b".into(), 179), Ok((1, 180)), "callers are counted apart");
        assert_eq!(limiter.take("a".into(), 180), Ok((1, 240)), "a new window starts afresh");
    }
}
