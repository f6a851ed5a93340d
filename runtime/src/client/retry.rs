//! When a request is sent again, and after how long.

use std::time::Duration;

use reqwest::Method;

use super::RateLimit;

/// How the client retries a request the server could not take.
///
/// What is retried:
/// - `429 Too Many Requests`, whatever the method: the server refused the request without acting
///   on it;
/// - `503 Service Unavailable`, and connection failures (the request never reached the server),
///   only for the idempotent methods `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` and `TRACE`
///   (RFC 9110 §9.2.2): a `POST` or `PATCH` answered `503` by a gateway may have been acted on
///   behind it, and sending it again could do it twice.
///
/// How long it waits: what the server asks for in `Retry-After` (seconds, or an HTTP date), else
/// in Docker Hub's `X-Retry-After` (a unix time); see [`RateLimit::retry_delay`]. When both are
/// present `Retry-After` wins: it is the standard, and the one a proxy or gateway in front of the
/// API sets, so it knows best; taking the later of the two would let either stretch every wait. A
/// server asking for longer than `max_wait` gets its answer passed back at once (a `429` as
/// [`Error::RateLimited`](super::Error::RateLimited) where the operation does not document it).
/// Where no header names a wait, the client backs off exponentially: `base_delay`, doubled for each
/// later attempt, at most `max_wait`, spread by [`jitter`](RetryPolicy::jitter) so that clients
/// turned away together do not come back together.
///
/// ```
/// use std::time::Duration;
/// use generator_runtime::client::{Jitter, RetryPolicy};
///
/// let patient = RetryPolicy::default().with_max_attempts(6).with_max_wait(Duration::from_secs(300));
/// let steady = RetryPolicy::default().with_base_delay(Duration::from_secs(1)).with_jitter(Jitter::None);
/// # let _ = (patient, steady);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// How many times a request is sent at most; 1 never retries.
    pub max_attempts: u32,
    /// The longest wait before a retry: a server asking for more is not waited for, and the
    /// backoff never grows past it.
    pub max_wait: Duration,
    /// The first backoff wait, when the server names none; each later attempt doubles it.
    pub base_delay: Duration,
    /// How the backoff waits are spread.
    pub jitter: Jitter,
}

/// How backoff waits are spread, after AWS's "Exponential Backoff And Jitter": each variant says
/// what the client waits, with `ceiling` the attempt's planned wait (`base_delay` doubled per
/// attempt, at most `max_wait`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Jitter {
    /// Exactly `ceiling`: every client turned away at once comes back at once.
    None,
    /// Anywhere from zero to `ceiling`: spreads retries most, but may retry at once.
    Full,
    /// From half of `ceiling` to `ceiling` (the default): spread, yet each wait at least half the
    /// planned one, so that backoff still grows from one attempt to the next.
    #[default]
    Equal,
}

impl Default for RetryPolicy {
    /// Three attempts, waiting at most a minute; backoff from half a second, with equal jitter.
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, max_wait: Duration::from_secs(60), base_delay: Duration::from_millis(500), jitter: Jitter::Equal }
    }
}

impl RetryPolicy {
    /// Never retry: a 429 is returned as [`Error::RateLimited`](super::Error::RateLimited) at once.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, max_wait: Duration::ZERO, ..RetryPolicy::default() }
    }

    /// This policy sending a request at most `max_attempts` times.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// This policy waiting at most `max_wait` before a retry.
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// This policy backing off from `base_delay`.
    pub fn with_base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// This policy spreading its backoff by `jitter`.
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait before sending `method` again after attempt `attempt` (from 1) was answered
    /// `status` with `rate_limit`'s headers, or `None` to hand the answer back.
    pub(crate) fn after_answer(&self, attempt: u32, method: &Method, status: u16, rate_limit: Option<&RateLimit>) -> Option<Duration> {
        let retried = status == 429 || (status == 503 && is_idempotent(method));
        if !retried {
            return None;
        }
        self.wait(attempt, rate_limit.and_then(|r| r.retry_delay))
    }

    /// The wait before sending `method` again after attempt `attempt` failed with `error`, or
    /// `None` to fail the call.
    pub(crate) fn after_error(&self, attempt: u32, method: &Method, error: &reqwest::Error) -> Option<Duration> {
        if error.is_connect() && is_idempotent(method) {
            self.wait(attempt, None)
        } else {
            None
        }
    }

    /// The wait before attempt `attempt + 1`: the one the server `asked` for, or a backoff; `None`
    /// when the attempts are used up or the server asks for more than `max_wait`.
    pub(crate) fn wait(&self, attempt: u32, asked: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        match asked {
            Some(wait) => (wait <= self.max_wait).then_some(wait),
            None => Some(self.backoff(attempt, random_fraction(attempt))),
        }
    }

    /// The backoff after attempt `attempt` (from 1), with `random` in `[0, 1)` choosing within the
    /// jitter's range.
    fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        let ceiling = self.base_delay.saturating_mul(1 << doublings).min(self.max_wait);
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => ceiling.mul_f64(random),
            Jitter::Equal => ceiling / 2 + (ceiling / 2).mul_f64(random),
        }
    }
}

/// Whether RFC 9110 §9.2.2 calls `method` idempotent: sending it twice has the effect of sending it
/// once. So is QUERY (draft-ietf-httpbis-safe-method-w-body, OpenAPI 3.2's `query`).
fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE].contains(method) || method.as_str() == "QUERY"
}

/// A number in `[0, 1)`, different at each call: the standard library's randomly keyed hasher over
/// the attempt and the time. Jitter needs spread, not unpredictability, so no random crate.
fn random_fraction(attempt: u32) -> f64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(attempt);
    hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    // The top 53 bits, as many as an f64 holds exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    #[test]
    fn waits_are_bounded_by_attempts_and_max_wait() {
        let policy = RetryPolicy::default().with_max_wait(Duration::from_secs(5));
        assert_eq!(policy.wait(1, Some(ms(2000))), Some(ms(2000)), "the server's wait, exactly");
        assert_eq!(policy.wait(1, Some(Duration::ZERO)), Some(Duration::ZERO));
        assert_eq!(policy.wait(1, Some(Duration::from_secs(3600))), None, "an hour is longer than max_wait");
        assert_eq!(policy.wait(3, None), None, "three attempts made");
        assert_eq!(RetryPolicy::never().wait(1, None), None);
        assert_eq!(RetryPolicy::never().wait(1, Some(Duration::ZERO)), None);
    }

    #[test]
    fn backoff_doubles_up_to_max_wait_within_its_jitter() {
        let exact = RetryPolicy::default().with_jitter(Jitter::None).with_max_wait(Duration::from_secs(3));
        assert_eq!([1, 2, 3, 4, 40].map(|a| exact.backoff(a, 0.5)), [ms(500), ms(1000), ms(2000), ms(3000), ms(3000)]);
        let full = exact.with_jitter(Jitter::Full);
        assert_eq!((full.backoff(2, 0.0), full.backoff(2, 0.25)), (Duration::ZERO, ms(250)));
        let equal = exact.with_jitter(Jitter::Equal);
        assert_eq!((equal.backoff(2, 0.0), equal.backoff(2, 0.5)), (ms(500), ms(750)));
        for attempt in 1..3 {
            let wait = RetryPolicy::default().wait(attempt, None).expect("a retry");
            let ceiling = ms(500) * (1 << (attempt - 1));
            assert!(wait >= ceiling / 2 && wait <= ceiling, "attempt {attempt}: {wait:?}");
        }
    }

    #[test]
    fn random_fractions_are_in_range_and_vary() {
        let all: Vec<f64> = (0..100).map(random_fraction).collect();
        assert!(all.iter().all(|r| (0.0..1.0).contains(r)));
        assert!(all.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn what_is_retried_depends_on_the_status_and_method() {
        let policy = RetryPolicy::default().with_jitter(Jitter::None);
        let asked = RateLimit { retry_delay: Some(ms(2000)), ..RateLimit::default() };
        let query = Method::from_bytes(b"QUERY").expect("a method");
        for method in [Method::GET, Method::HEAD, Method::OPTIONS, Method::PUT, Method::DELETE, Method::TRACE, query] {
            assert_eq!(policy.after_answer(1, &method, 503, Some(&asked)), Some(ms(2000)), "{method}");
            assert_eq!(policy.after_answer(1, &method, 503, None), Some(ms(500)), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::CONNECT] {
            assert_eq!(policy.after_answer(1, &method, 503, Some(&asked)), None, "{method}");
            assert_eq!(policy.after_answer(1, &method, 429, Some(&asked)), Some(ms(2000)), "{method}");
        }
        for status in [200, 404, 500, 502, 504] {
            assert_eq!(policy.after_answer(1, &Method::GET, status, Some(&asked)), None, "{status}");
        }
    }
}
