//! Rate-limit headers and the `429` retry policy.

use std::time::Duration;

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
    /// The rate-limit headers of an answer, if it has any.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<Self> {
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

/// How the client answers `429 Too Many Requests`.
///
/// It waits until the time the server names in `X-Retry-After` (a unix timestamp), or one second
/// per attempt when the header is missing, and sends the request again, at most `max_attempts`
/// times in all. A server asking for a longer wait than `max_wait` gets its 429 passed back at
/// once, as [`Error::RateLimited`](super::Error::RateLimited).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most; 1 never retries.
    pub max_attempts: u32,
    /// The longest wait before a retry.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, waiting at most a minute.
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, max_wait: Duration::from_secs(60) }
    }
}

impl RetryPolicy {
    /// Never retry: a 429 is returned as [`Error::RateLimited`](super::Error::RateLimited) at once.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, max_wait: Duration::ZERO }
    }

    /// The wait before attempt `attempt + 1`, or `None` to give up.
    pub(crate) fn wait(&self, attempt: u32, retry_after: Option<i64>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = match retry_after {
            Some(at) => {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
                Duration::from_secs_f64((at as f64 - now).max(0.0))
            }
            None => Duration::from_secs(u64::from(attempt)),
        };
        (wait <= self.max_wait).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_bounded_by_attempts_and_max_wait() {
        let policy = RetryPolicy { max_attempts: 3, max_wait: Duration::from_secs(5) };
        assert_eq!(policy.wait(1, None), Some(Duration::from_secs(1)));
        assert_eq!(policy.wait(3, None), None);
        let far = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64 + 3600).unwrap_or(0);
        assert_eq!(policy.wait(1, Some(far)), None, "an hour is longer than max_wait");
        assert_eq!(RetryPolicy::never().wait(1, None), None);
    }
}
