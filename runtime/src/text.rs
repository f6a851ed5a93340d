//! Values of string formats (`date-time`, `date`, `uuid`, `uri`, `ipv6`) kept as the text they came
//! in, checked on the way in.
//!
//! A parsed value would write itself back in its own spelling: `chrono` gives `…+02:00` back as
//! `…Z` and drops a `.000`, `uuid` lowercases `5AB70D71-…`, `url` adds a `/` to
//! `http://example.com` and refuses the relative `/2010-04-01/Accounts/…` real answers carry, and
//! `Ipv6Addr` shortens `2001:0db8::1`. A model gives back the string it was given, so these types
//! hold the text, refuse what is not of their format, and convert to the parsed types on request
//! (with the runtime's `chrono`, `uuid` and `url` features).

use std::fmt;

/// Text that is not of the format its type says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// What was expected ("an RFC 3339 date-time").
    pub expected: &'static str,
    /// The text.
    pub text: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}", self.text, self.expected)
    }
}

impl std::error::Error for Invalid {}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $expected:literal, $check:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// What the type holds, for messages.
            pub const EXPECTED: &'static str = $expected;

            /// The text, if it is of this format.
            pub fn new(text: impl Into<String>) -> Result<Self, Invalid> {
                let text = text.into();
                if $check(&text) {
                    Ok($name(text))
                } else {
                    Err(Invalid { expected: $expected, text })
                }
            }

            /// The text, as it came.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, as it came.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Invalid;

            fn from_str(text: &str) -> Result<Self, Invalid> {
                $name::new(text)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::new(text).map_err(serde::de::Error::custom)
            }
        }
    };
}

text_type!(
    /// An RFC 3339 date-time (`format: date-time`), as written: `2024-05-01T10:00:00.000+02:00`
    /// stays so.
    DateTime,
    "an RFC 3339 date-time",
    is_date_time
);

text_type!(
    /// An RFC 3339 full-date (`format: date`), `2024-05-01`.
    Date,
    "an RFC 3339 full-date (YYYY-MM-DD)",
    is_date
);

text_type!(
    /// A UUID (`format: uuid`), in the case and form it came (hyphenated, simple, braced or as a URN).
    Uuid,
    "a UUID",
    is_uuid
);

text_type!(
    /// A URI or relative reference (`format: uri`, `uri-reference`, `url`), as written: no `/` is
    /// added, and `/2010-04-01/Accounts/AC1.json` is one too.
    Uri,
    "a URI",
    is_uri
);

text_type!(
    /// An IPv6 address (`format: ipv6`), as written: `2001:0db8::1` is not shortened.
    Ipv6,
    "an IPv6 address",
    is_ipv6
);

/// The `n` ASCII digits at `at` of `b`, as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = b.get(at..at + n)?;
    part.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD` with a month and a day that exist (RFC 3339 §5.6 `full-date`).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10 && full_date(b)
}

fn full_date(b: &[u8]) -> bool {
    let (Some(year), Some(month), Some(day)) = (digits(b, 0, 4), digits(b, 5, 2), digits(b, 8, 2)) else { return false };
    b[4] == b'-' && b[7] == b'-' && (1..=12).contains(&month) && day >= 1 && day <= days_in(year, month)
}

/// RFC 3339 §5.6 `date-time`: a full-date, `T` (either case, or a space, as §5.6's note allows),
/// `HH:MM:SS` with an optional fraction (a leap second `:60` too), and `Z` or an offset.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || !full_date(&b[..10]) || !matches!(b[10], b'T' | b't' | b' ') {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(b, 11, 2), digits(b, 14, 2), digits(b, 17, 2)) else { return false };
    if b[13] != b':' || b[16] != b':' || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', rest @ ..] if rest.len() == 5 => {
            let (Some(h), Some(m)) = (digits(rest, 0, 2), digits(rest, 3, 2)) else { return false };
            rest[2] == b':' && h <= 23 && m <= 59
        }
        _ => false,
    }
}

/// 32 hex digits, hyphenated 8-4-4-4-12 or not, plain, in braces or as `urn:uuid:`.
fn is_uuid(text: &str) -> bool {
    let inner = text.strip_prefix("urn:uuid:").or_else(|| text.strip_prefix('{').and_then(|t| t.strip_suffix('}'))).unwrap_or(text);
    let b = inner.as_bytes();
    match b.len() {
        32 => b.iter().all(u8::is_ascii_hexdigit),
        36 => b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() }),
        _ => false,
    }
}

/// A URI or a relative reference: text without white space or control characters, which RFC 3986
/// never allows unescaped (what else a reference may hold varies too much between real services
/// to refuse).
fn is_uri(text: &str) -> bool {
    !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An email address as far as the `email` format is checked: one `@` with text on both sides, a
/// dot inside the domain, no white space.
pub fn is_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !text.contains(char::is_whitespace))
}

/// A `pattern`, compiled the first time it is used: a generated `static`, shared by the server's
/// check of a field and a union's choice of member. It is judged where the runtime's `regex`
/// feature is on (a generated server turns it on where it checks patterns, so a server and a
/// client built with it choose members alike); without it every text matches.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    #[cfg(feature = "regex")]
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// The pattern `source` (ECMA 262, as far as Rust's `regex` reads it: one it cannot read
    /// matches every text).
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            #[cfg(feature = "regex")]
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches (anywhere, as JSON Schema's `pattern` does).
    pub fn matches(&self, text: &str) -> bool {
        #[cfg(feature = "regex")]
        if let Some(re) = self.compiled.get_or_init(|| regex::Regex::new(self.source).ok()) {
            return re.is_match(text);
        }
        let _ = text;
        true
    }
}

/// An absolute URI (RFC 3986 §4.3, what JSON Schema's `format: uri` asks for): a scheme (`ALPHA *(
/// ALPHA / DIGIT / "+" / "-" / "." )`), `:`, then only characters a URI may hold, each `%` followed
/// by two hex digits. A relative reference (`/a/b`), which [`Uri`] admits for `uri-reference`, is
/// not one.
pub fn is_absolute_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else { return false };
    let mut scheme_chars = scheme.bytes();
    if !scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic()) || !scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')) {
        return false;
    }
    let b = rest.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'%' if b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit) => i += 3,
            // Unreserved, general and sub-delimiters (RFC 3986 §2.2, §2.3).
            _ if c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c) => i += 1,
            _ => return false,
        }
    }
    true
}

fn is_ipv6(text: &str) -> bool {
    text.parse::<std::net::Ipv6Addr>().is_ok()
}

#[cfg(feature = "chrono")]
impl DateTime {
    /// The date-time, with its offset.
    pub fn to_chrono(&self) -> chrono::DateTime<chrono::FixedOffset> {
        let text = self.0.replace(' ', "T");
        // Checked on the way in; chrono reads every RFC 3339 date-time but a leap second's `:60`,
        // which it takes as the second before.
        chrono::DateTime::parse_from_rfc3339(&text).or_else(|_| chrono::DateTime::parse_from_rfc3339(&text.replacen(":60", ":59", 1))).unwrap_or_default()
    }
}

#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTime
where
    Tz::Offset: fmt::Display,
{
    fn from(value: chrono::DateTime<Tz>) -> Self {
        DateTime(value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

#[cfg(feature = "chrono")]
impl Date {
    /// The date.
    pub fn to_chrono(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(&self.0, "%Y-%m-%d").unwrap_or_default()
    }
}

#[cfg(feature = "chrono")]
impl From<chrono::NaiveDate> for Date {
    fn from(value: chrono::NaiveDate) -> Self {
        Date(value.format("%Y-%m-%d").to_string())
    }
}

#[cfg(feature = "uuid")]
impl Uuid {
    /// The UUID.
    pub fn to_uuid(&self) -> uuid::Uuid {
        uuid::Uuid::parse_str(&self.0).unwrap_or_default()
    }
}

#[cfg(feature = "uuid")]
impl From<uuid::Uuid> for Uuid {
    fn from(value: uuid::Uuid) -> Self {
        Uuid(value.hyphenated().to_string())
    }
}

#[cfg(feature = "url")]
impl Uri {
    /// The URI as a `url::Url`, when it is absolute.
    pub fn to_url(&self) -> Result<url::Url, url::ParseError> {
        url::Url::parse(&self.0)
    }

    /// The reference resolved against `base`.
    pub fn join(&self, base: &url::Url) -> Result<url::Url, url::ParseError> {
        base.join(&self.0)
    }
}

#[cfg(feature = "url")]
impl From<url::Url> for Uri {
    fn from(value: url::Url) -> Self {
        Uri(value.into())
    }
}

impl Ipv6 {
    /// The address.
    pub fn to_ip(&self) -> std::net::Ipv6Addr {
        self.0.parse().unwrap_or(std::net::Ipv6Addr::UNSPECIFIED)
    }
}

impl From<std::net::Ipv6Addr> for Ipv6 {
    fn from(value: std::net::Ipv6Addr) -> Self {
        Ipv6(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(text: &str) -> Result<String, String> {
        let value: T = serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| e.to_string())?;
        Ok(serde_json::to_value(value).map_err(|e| e.to_string())?.as_str().unwrap_or_default().to_owned())
    }

    #[test]
    fn every_spelling_of_the_format_comes_back_as_given() {
        for text in ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.000+02:00", "2024-02-29t23:59:60.5z", "2024-05-01 10:00:00-07:30"] {
            assert_eq!(round_trip::<DateTime>(text).as_deref(), Ok(text), "{text}");
        }
        assert_eq!(round_trip::<Date>("2020-02-29").as_deref(), Ok("2020-02-29"));
        for text in ["5AB70D71-64C5-4C2A-9F23-0C8B7E0E2B55", "5ab70d7164c54c2a9f230c8b7e0e2b55", "{5ab70d71-64c5-4c2a-9f23-0c8b7e0e2b55}", "urn:uuid:5ab70d71-64c5-4c2a-9f23-0c8b7e0e2b55"] {
            assert_eq!(round_trip::<Uuid>(text).as_deref(), Ok(text), "{text}");
        }
        for text in ["http://example.com", "/2010-04-01/Accounts/AC1/US.json", "mailto:a@b.c", ""] {
            assert_eq!(round_trip::<Uri>(text).as_deref(), Ok(text), "{text}");
        }
        assert_eq!(round_trip::<Ipv6>("2001:0db8::1").as_deref(), Ok("2001:0db8::1"));
    }

    #[test]
    fn what_is_not_of_the_format_is_refused_saying_what_was_expected() {
        for text in ["2024-05-01", "2024-13-01T10:00:00Z", "2023-02-29T10:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:00:00", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00+2:00"] {
            assert!(round_trip::<DateTime>(text).is_err(), "{text}");
        }
        assert!(round_trip::<Date>("2021-02-29").is_err());
        assert!(round_trip::<Uuid>("5ab70d71-64c5-4c2a-9f23").is_err());
        assert!(round_trip::<Uri>("http://a b").is_err());
        assert_eq!(Uuid::new("x").map_err(|e| e.to_string()), Err("`x` is not a UUID".to_owned()));
    }

    #[test]
    fn an_absolute_uri_has_a_scheme_and_only_the_characters_of_a_uri() {
        for text in ["https://example.com/a?b=c#d", "mailto:a@b.c", "urn:isbn:0451450523", "a+b.c-d:", "http://[::1]:80/%7Ea"] {
            assert!(is_absolute_uri(text), "{text}");
        }
        for text in ["", "AAA", "/a/b", "//example.com", "1http://a", "ht_tp://a", ":a", "http://a b", "http://a/%zz", "http://a/%4", "http://ä.com", "http://a/{b}"] {
            assert!(!is_absolute_uri(text), "{text}");
        }
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn date_times_convert_to_chrono_and_back() {
        let t = DateTime::new("2024-05-01T10:00:00.250+02:00").expect("valid");
        assert_eq!(t.to_chrono().to_rfc3339(), "2024-05-01T10:00:00.250+02:00");
        assert_eq!(DateTime::from(t.to_chrono().with_timezone(&chrono::Utc)).as_str(), "2024-05-01T08:00:00.250Z");
        assert_eq!(Date::from(chrono::NaiveDate::from_ymd_opt(2024, 5, 1).expect("a date")).as_str(), "2024-05-01");
    }
}
