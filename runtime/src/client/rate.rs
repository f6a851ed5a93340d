//! The rate-limit headers an answer carries, in the dialects APIs speak.
//!
//! There is a standard for when to call again (`Retry-After`, RFC 9110 §10.2.3) but none yet for
//! how much of a budget is left: GitHub, Docker Hub and most others send `X-RateLimit-*` (with a
//! unix time as reset), Docker Hub adds `X-Retry-After` (a unix time), and the IETF draft
//! (draft-ietf-httpapi-ratelimit-headers) has moved from separate `RateLimit-Limit`,
//! `RateLimit-Remaining` and `RateLimit-Reset` fields to the structured `RateLimit` and
//! `RateLimit-Policy`. All are read into one [`RateLimit`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// The rate-limit state the server reported with its last answer.
///
/// Read it after any call with the client's `rate_limit()`. Where an answer carries several
/// dialects, each field is taken from the first that gives it, the standard ones first: the IETF
/// draft's `RateLimit` and `RateLimit-Policy`, then its older `RateLimit-Limit`,
/// `RateLimit-Remaining` and `RateLimit-Reset`, then `X-RateLimit-*`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests (or quota units) allowed per window: the quota (`q`) `RateLimit-Policy` gives the
    /// policy `RateLimit` reports on, `RateLimit-Limit` or `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// Requests left in the window: `RateLimit`'s `r`, `RateLimit-Remaining` or
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// Unix time (seconds) when the window resets: `RateLimit`'s `t` or `RateLimit-Reset`
    /// (seconds from the answer), or `X-RateLimit-Reset` (a unix time).
    pub reset: Option<i64>,
    /// Unix time (seconds) from which a rate-limited client may call again: `Retry-After` (seconds
    /// from the answer, or an HTTP date), else `X-Retry-After` (a unix time).
    pub retry_after: Option<i64>,
    /// How long the server asked the client to wait, counted from when its answer arrived: the
    /// same headers as [`retry_after`](RateLimit::retry_after), to the millisecond where they allow
    /// it (`Retry-After: 2` is exactly two seconds). Zero when the time named has passed.
    pub retry_delay: Option<Duration>,
    /// `X-RateLimit-Used`: requests made in the window (GitHub).
    pub used: Option<u64>,
    /// Which of the server's limits this is: the policy `RateLimit` names (`"default"`), or
    /// `X-RateLimit-Resource` (GitHub's `core`, `search`, …).
    pub policy: Option<String>,
    /// The window's length in seconds: `RateLimit-Policy`'s `w`.
    pub window: Option<u64>,
}

impl RateLimit {
    /// The rate-limit headers of an answer, if it has any.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        Self::from_headers_at(headers, SystemTime::now())
    }

    /// The rate-limit headers of an answer that arrived at `now`.
    pub(crate) fn from_headers_at(headers: &HeaderMap, now: SystemTime) -> Option<Self> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let number = |name: &str| text(name).and_then(leading_number);
        let from_now = |seconds: u64| unix_time(now.checked_add(Duration::from_secs(seconds)));
        let ietf = Ietf::read(&list_field(headers, "ratelimit"), &list_field(headers, "ratelimit-policy"));
        let retry_delay = text("retry-after").and_then(|v| retry_after(v, now)).or_else(|| text("x-retry-after").and_then(|v| x_retry_after(v, now)));
        let limit = RateLimit {
            limit: ietf.limit.or_else(|| number("ratelimit-limit")).or_else(|| number("x-ratelimit-limit")),
            remaining: ietf.remaining.or_else(|| number("ratelimit-remaining")).or_else(|| number("x-ratelimit-remaining")),
            reset: ietf.reset.or_else(|| number("ratelimit-reset")).map(from_now).or_else(|| text("x-ratelimit-reset").and_then(leading_integer)),
            retry_after: retry_delay.map(|wait| unix_time(now.checked_add(wait))),
            retry_delay,
            used: number("x-ratelimit-used"),
            policy: ietf.policy.or_else(|| text("x-ratelimit-resource").map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())),
            window: ietf.window,
        };
        (limit != RateLimit::default()).then_some(limit)
    }
}

/// The wait a `Retry-After` value asks for from `now`: delay-seconds (`120`), or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, or the obsolete RFC 850 and asctime forms RFC 9110 asks
/// recipients to accept), zero when it has passed. Anything else is ignored.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 still means "not for a very long time".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait Docker Hub's `X-Retry-After` (a unix time in seconds) asks for from `now`.
fn x_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(value.trim().parse().ok()?))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Unix time in whole seconds, rounded up (a client calling at that second is not early); the
/// largest one when the time cannot be represented.
fn unix_time(at: Option<SystemTime>) -> i64 {
    let Some(since) = at.and_then(|at| at.duration_since(UNIX_EPOCH).ok()) else { return i64::MAX };
    i64::try_from(since.as_secs() + u64::from(since.subsec_nanos() > 0)).unwrap_or(i64::MAX)
}

/// The number a header starts with: `10`, and also `10, 10;w=1` (the earliest IETF drafts listed
/// the policies after the number).
fn leading_number(value: &str) -> Option<u64> {
    value.split([',', ';']).next()?.trim().parse().ok()
}

/// As [`leading_number`], for unix times.
fn leading_integer(value: &str) -> Option<i64> {
    value.split([',', ';']).next()?.trim().parse().ok()
}

/// Every line of a list-valued header, joined as one list (RFC 9110 §5.3).
fn list_field(headers: &HeaderMap, name: &str) -> String {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",")
}

/// What the IETF draft's structured `RateLimit` and `RateLimit-Policy` fields say.
#[derive(Default)]
struct Ietf {
    limit: Option<u64>,
    remaining: Option<u64>,
    /// Seconds from the answer.
    reset: Option<u64>,
    policy: Option<String>,
    window: Option<u64>,
}

impl Ietf {
    /// Reads `RateLimit: "default";r=50;t=30` and `RateLimit-Policy: "default";q=100;w=60`, each a
    /// structured-field list (RFC 8941) of policies with parameters. Of several policies the one
    /// with the fewest requests left is reported: it is the one that will refuse first. Without a
    /// `RateLimit` field the first policy of `RateLimit-Policy` gives the limit and window.
    fn read(current: &str, policies: &str) -> Ietf {
        let current = members(current);
        let policies = members(policies);
        let reported = current.iter().filter(|m| m.param("r").is_some()).min_by_key(|m| m.param("r"));
        let policy = match reported {
            Some(reported) => policies.iter().find(|p| p.item == reported.item),
            None => policies.first(),
        };
        Ietf {
            limit: policy.and_then(|p| p.param("q").or_else(|| p.param("l")).or_else(|| p.item.parse().ok())),
            remaining: reported.and_then(|m| m.param("r")),
            reset: reported.and_then(|m| m.param("t")),
            policy: reported.or(policy).map(|m| m.item.clone()).filter(|name| !name.is_empty() && name.parse::<u64>().is_err()),
            window: policy.and_then(|p| p.param("w")),
        }
    }
}

/// One member of a structured-field list: its item (a token, or a string unquoted) and its
/// parameters as written.
#[derive(Debug)]
struct Member<'a> {
    item: String,
    params: Vec<(&'a str, &'a str)>,
}

impl Member<'_> {
    /// A parameter whose value is a non-negative integer.
    fn param(&self, key: &str) -> Option<u64> {
        self.params.iter().find(|(k, _)| *k == key).and_then(|(_, v)| v.parse().ok())
    }
}

/// The members of a structured-field list, leniently: what does not parse is skipped.
fn members(text: &str) -> Vec<Member<'_>> {
    split_unquoted(text, b',')
        .into_iter()
        .filter_map(|member| {
            let mut parts = split_unquoted(member, b';').into_iter();
            let item = unquote(parts.next()?.trim());
            let params = parts.filter_map(|p| p.split_once('=')).map(|(k, v)| (k.trim(), v.trim())).collect();
            Some(Member { item, params })
        })
        .filter(|m| !m.item.is_empty() || !m.params.is_empty())
        .collect()
}

/// `text` split at `separator` where it is outside a quoted string.
fn split_unquoted(text: &str, separator: u8) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, b) in text.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            _ if b == separator && !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A structured-field string's content (`"a\"b"` is `a"b`), or a token as it is.
fn unquote(item: &str) -> String {
    match item.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
            }
            out
        }
        None => item.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed "now": 2023-11-14T22:13:20.5Z, half a second past unix time 1_700_000_000.
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_700_000_000_500)
    }

    fn read(pairs: &[(&'static str, &str)]) -> Option<RateLimit> {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, value.parse().expect("a header value"));
        }
        RateLimit::from_headers_at(&headers, now())
    }

    #[test]
    fn retry_after_in_seconds_is_an_exact_wait() {
        assert_eq!(retry_after("2", now()), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(" 0 ", now()), Some(Duration::ZERO));
        assert_eq!(retry_after("99999999999999999999999", now()), Some(Duration::from_secs(u64::MAX)), "too large is forever, not garbage");
        let limit = read(&[("retry-after", "2")]).expect("read");
        assert_eq!((limit.retry_delay, limit.retry_after), (Some(Duration::from_secs(2)), Some(1_700_000_003)), "the unix time is rounded up");
    }

    #[test]
    fn retry_after_as_an_http_date_is_waited_until() {
        // 1_700_000_030 in each of the three forms RFC 9110 §5.6.7 asks recipients to read.
        for date in ["Tue, 14 Nov 2023 22:13:50 GMT", "Tuesday, 14-Nov-23 22:13:50 GMT", "Tue Nov 14 22:13:50 2023"] {
            assert_eq!(retry_after(date, now()), Some(Duration::from_millis(29_500)), "{date}");
        }
        let limit = read(&[("retry-after", "Tue, 14 Nov 2023 22:13:50 GMT")]).expect("read");
        assert_eq!(limit.retry_after, Some(1_700_000_030));
    }

    #[test]
    fn a_past_date_means_no_wait_and_garbage_is_ignored() {
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now()), Some(Duration::ZERO));
        for garbage in ["", "soon", "-5", "+5", "1.5", "2 s", "Tue, 14 Nov 2023 25:13:50 GMT"] {
            assert_eq!(retry_after(garbage, now()), None, "{garbage:?}");
        }
        assert_eq!(read(&[("retry-after", "soon")]), None, "nothing else was given");
    }

    #[test]
    fn x_retry_after_is_a_unix_time_and_retry_after_is_preferred() {
        let limit = read(&[("x-retry-after", "1700000020")]).expect("read");
        assert_eq!((limit.retry_delay, limit.retry_after), (Some(Duration::from_millis(19_500)), Some(1_700_000_020)));
        assert_eq!(read(&[("x-retry-after", "1600000000")]).and_then(|l| l.retry_delay), Some(Duration::ZERO), "past");
        let both = read(&[("retry-after", "5"), ("x-retry-after", "1700000020")]).expect("read");
        assert_eq!(both.retry_delay, Some(Duration::from_secs(5)), "the standard header wins, even when it asks for less");
        let bad_standard = read(&[("retry-after", "later"), ("x-retry-after", "1700000020")]).expect("read");
        assert_eq!(bad_standard.retry_delay, Some(Duration::from_millis(19_500)), "an unreadable Retry-After falls back");
    }

    #[test]
    fn x_ratelimit_headers_as_github_and_docker_hub_send_them() {
        let limit = read(&[
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-remaining", "4999"),
            ("x-ratelimit-reset", "1700003600"),
            ("x-ratelimit-used", "1"),
            ("x-ratelimit-resource", "core"),
        ])
        .expect("read");
        assert_eq!((limit.limit, limit.remaining, limit.reset, limit.used), (Some(5000), Some(4999), Some(1_700_003_600), Some(1)));
        assert_eq!((limit.policy.as_deref(), limit.retry_after, limit.window), (Some("core"), None, None));
        assert_eq!(read(&[("content-type", "application/json")]), None);
        assert_eq!(read(&[("x-ratelimit-limit", "many")]), None, "garbage is ignored");
    }

    #[test]
    fn the_ietf_structured_fields() {
        let limit = read(&[("ratelimit-policy", "\"burst\";q=100;w=60, \"daily\";q=1000;w=86400"), ("ratelimit", "\"burst\";r=50;t=30, \"daily\";r=20;t=600")]).expect("read");
        assert_eq!((limit.limit, limit.remaining, limit.window, limit.policy.as_deref()), (Some(1000), Some(20), Some(86400), Some("daily")), "the policy closest to refusing");
        assert_eq!(limit.reset, Some(1_700_000_601), "seconds from the answer, as a unix time rounded up");

        let limit = read(&[("ratelimit", "\"default\";r=50;t=30")]).expect("read");
        assert_eq!((limit.limit, limit.remaining, limit.policy.as_deref()), (None, Some(50), Some("default")));
        // Tokens rather than strings, the draft's older `l` for the quota, and a field split over lines.
        let limit = read(&[("ratelimit-policy", "default;l=100;w=10"), ("ratelimit", "other;r=1"), ("ratelimit", "default;r=0;t=5")]).expect("read");
        assert_eq!((limit.limit, limit.remaining, limit.window, limit.reset), (Some(100), Some(0), Some(10), Some(1_700_000_006)));
        // A quoted name may hold the separators.
        let limit = read(&[("ratelimit-policy", "\"a;b,\\\"c\";q=7"), ("ratelimit", "\"a;b,\\\"c\";r=3")]).expect("read");
        assert_eq!((limit.limit, limit.remaining, limit.policy.as_deref()), (Some(7), Some(3), Some("a;b,\"c")));
        assert_eq!(read(&[("ratelimit", ";;,,\"")]), None, "garbage is ignored");
    }

    #[test]
    fn the_older_ietf_fields_and_their_precedence() {
        let limit = read(&[("ratelimit-limit", "10, 10;w=1"), ("ratelimit-remaining", "9"), ("ratelimit-reset", "7"), ("ratelimit-policy", "10;w=1")]).expect("read");
        assert_eq!((limit.limit, limit.remaining, limit.reset, limit.window, limit.policy), (Some(10), Some(9), Some(1_700_000_008), Some(1), None));
        let mixed = read(&[("ratelimit", "\"default\";r=5;t=30"), ("ratelimit-remaining", "6"), ("x-ratelimit-remaining", "7"), ("x-ratelimit-limit", "60"), ("x-ratelimit-reset", "1700009999")]).expect("read");
        assert_eq!((mixed.remaining, mixed.limit, mixed.reset), (Some(5), Some(60), Some(1_700_000_031)), "the standard first, field by field");
    }
}
