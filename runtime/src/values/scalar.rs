//! Strings, numbers and integers within a schema's bounds, formats and patterns.

use rand::seq::IndexedRandom as _;
use rand::Rng;
use serde_json::{Map, Value};

use super::{Unsatisfiable, Values};

/// Words strings are made of where nothing else says what they hold: readable in a failure report,
/// and with a space, a slash, a quote, an ampersand and non-ASCII text among them, since those are
/// what escaping gets wrong.
const WORDS: &[&str] = &["alpha", "beta", "Gamma", "delta 4", "x/y", "q&a", "it's", "zoë", "naïve", "50%", "a+b", "ß", "東京", "semi;colon", "e=mc2", "#tag", "comma,sep", "[x]"];

/// The longest string made from words: a `minLength` beyond it is not met.
const MAX_LENGTH: u64 = 1 << 20;

/// How many times a candidate is drawn before a string's length and pattern are given up on.
const TRIES: usize = 24;

impl Values<'_> {
    /// A string satisfying `schema`'s `format`, `pattern`, `minLength` and `maxLength`.
    pub(super) fn string(&mut self, schema: &Map<String, Value>) -> Result<Value, Unsatisfiable> {
        let min = uint(schema, "minLength").unwrap_or(0);
        let max = uint(schema, "maxLength").unwrap_or(u64::MAX);
        if min > max {
            return Err(Unsatisfiable::new(format!("minLength {min} exceeds maxLength {max}")));
        }
        let fits = |s: &str| (min..=max).contains(&(s.chars().count() as u64));
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            self.compile(pattern);
            let compiled = match self.patterns.get(pattern) {
                Some(Ok(compiled)) => compiled,
                Some(Err(why)) => return Err(Unsatisfiable::new(format!("pattern `{pattern}` cannot be generated from: {why}"))),
                None => return Err(Unsatisfiable::new(format!("pattern `{pattern}` was not compiled"))),
            };
            let (min, max) = (usize::try_from(min).unwrap_or(usize::MAX), usize::try_from(max).ok().filter(|m| *m != usize::MAX));
            return compiled.string(&mut self.rng, min, max).map(Value::String).map_err(|why| Unsatisfiable::new(format!("pattern `{pattern}` {why}")));
        }
        let encoded = schema.get("contentEncoding").and_then(Value::as_str).map(|e| match e {
            "base64" => "byte",
            other => other,
        });
        if let Some(format) = encoded.or_else(|| schema.get("format").and_then(Value::as_str)) {
            if let Some(text) = self.formatted(format) {
                if fits(&text) {
                    return Ok(Value::String(text));
                }
            }
        }
        // Words up to a length chosen within the bounds (short unless the bounds say otherwise).
        if min > MAX_LENGTH {
            return Err(Unsatisfiable::new(format!("minLength {min} is longer than a generated string ({MAX_LENGTH} characters)")));
        }
        let low = min;
        let high = max.min(low.max(1) + 16).max(low);
        let length = self.rng.random_range(low..=high) as usize;
        let mut text = String::new();
        while text.chars().count() < length {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(WORDS.choose(&mut self.rng).copied().unwrap_or("word"));
        }
        Ok(Value::String(text.chars().take(length).collect()))
    }

    /// Text of a known `format`, or `None` for a format without a generator (plain text then).
    fn formatted(&mut self, format: &str) -> Option<String> {
        let rng = &mut self.rng;
        let date = |rng: &mut rand_chacha::ChaCha8Rng| format!("{:04}-{:02}-{:02}", rng.random_range(1970..=2099), rng.random_range(1..=12), rng.random_range(1..=28));
        let time = |rng: &mut rand_chacha::ChaCha8Rng| {
            let (h, m, s) = (rng.random_range(0..24), rng.random_range(0..60), rng.random_range(0..60));
            match rng.random_range(0..3) {
                0 => format!("{h:02}:{m:02}:{s:02}Z"),
                1 => format!("{h:02}:{m:02}:{s:02}.{:03}Z", rng.random_range(0..1000)),
                _ => format!("{h:02}:{m:02}:{s:02}+{:02}:{:02}", rng.random_range(0..14), [0, 30, 45].choose(rng).copied().unwrap_or(0)),
            }
        };
        let word = |rng: &mut rand_chacha::ChaCha8Rng| {
            let n = rng.random_range(1..=8);
            (0..n).map(|_| char::from(b'a' + rng.random_range(0..26))).collect::<String>()
        };
        Some(match format {
            "date-time" => format!("{}T{}", date(rng), time(rng)),
            "date" => date(rng),
            "time" => time(rng),
            "duration" => format!("P{}DT{}H{}M", rng.random_range(0..400), rng.random_range(0..24), rng.random_range(0..60)),
            "email" | "idn-email" => format!("{}.{}@{}.example.com", word(rng), word(rng), word(rng)),
            "hostname" | "idn-hostname" => format!("{}.{}.example", word(rng), word(rng)),
            "ipv4" => format!("{}.{}.{}.{}", rng.random_range(1..=223), rng.random_range(0..=255), rng.random_range(0..=255), rng.random_range(1..=254)),
            "ipv6" => (0..8).map(|_| format!("{:x}", rng.random_range(0..=0xffffu32))).collect::<Vec<_>>().join(":"),
            "uuid" => {
                let hex: String = (0..32).map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0')).collect();
                format!("{}-{}-4{}-a{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..])
            }
            "uri" | "iri" | "url" => format!("https://{}.example.com/{}/{}?q={}", word(rng), word(rng), word(rng), word(rng)),
            "uri-reference" | "iri-reference" => format!("/{}/{}", word(rng), word(rng)),
            "uri-template" => format!("https://example.com/{}/{{id}}", word(rng)),
            "json-pointer" => format!("/{}/{}", word(rng), rng.random_range(0..9)),
            "relative-json-pointer" => format!("{}/{}", rng.random_range(0..3), word(rng)),
            "regex" => format!("^{}[0-9]+$", word(rng)),
            "byte" => {
                let n = rng.random_range(0..24);
                let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
            }
            "base64url" => {
                let n = rng.random_range(0..24);
                let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
                base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE, bytes)
            }
            "int32" | "int64" | "integer" => rng.random_range(-100_000i64..=100_000).to_string(),
            "number" | "decimal" | "double" | "float" => format!("{}.{:02}", rng.random_range(-1000i64..=1000), rng.random_range(0..100)),
            _ => return None,
        })
    }

    /// An integer within `schema`'s bounds and `multipleOf`, and its format's range.
    pub(super) fn integer(&mut self, schema: &Map<String, Value>) -> Result<Value, Unsatisfiable> {
        let (mut low, mut high) = (i64::MIN, i64::MAX);
        if let Some(min) = number(schema, "minimum") {
            low = low.max(ceil(min));
        }
        if let Some(min) = number(schema, "exclusiveMinimum") {
            low = low.max(ceil_exclusive(min));
        }
        if let Some(max) = number(schema, "maximum") {
            high = high.min(floor(max));
        }
        if let Some(max) = number(schema, "exclusiveMaximum") {
            high = high.min(floor_exclusive(max));
        }
        // The OpenAPI format registry's sized integers.
        let range = match schema.get("format").and_then(Value::as_str) {
            Some("int8") => Some((i64::from(i8::MIN), i64::from(i8::MAX))),
            Some("int16") => Some((i64::from(i16::MIN), i64::from(i16::MAX))),
            Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            Some("uint8") => Some((0, i64::from(u8::MAX))),
            Some("uint16") => Some((0, i64::from(u16::MAX))),
            Some("uint32") => Some((0, i64::from(u32::MAX))),
            Some("uint64") => Some((0, i64::MAX)),
            _ => None,
        };
        if let Some((min, max)) = range {
            (low, high) = (low.max(min), high.min(max));
        }
        if low > high {
            return Err(Unsatisfiable::new(format!("no integer between {low} and {high}")));
        }
        let (low, high) = self.window(low, high);
        let step = number(schema, "multipleOf").filter(|m| *m > 0.0);
        match step {
            Some(m) if m.fract() == 0.0 && m < 9.0e15 => {
                let m = m as i64;
                let (first, last) = (low.div_euclid(m) + i64::from(low.rem_euclid(m) != 0), high.div_euclid(m));
                if first > last {
                    return Err(Unsatisfiable::new(format!("no multiple of {m} between {low} and {high}")));
                }
                Ok(Value::from(self.rng.random_range(first..=last) * m))
            }
            // A fractional step: an integer multiple of it is any multiple of the smallest
            // integer it divides (0 always is).
            Some(_) => (low..=high).contains(&0).then(|| Value::from(0)).ok_or_else(|| Unsatisfiable::new("a fractional multipleOf away from 0")),
            None => Ok(Value::from(self.rng.random_range(low..=high))),
        }
    }

    /// A number within `schema`'s bounds and `multipleOf`, written with few decimals so that
    /// its text is the value.
    pub(super) fn number(&mut self, schema: &Map<String, Value>) -> Result<Value, Unsatisfiable> {
        let (low, low_open) = bound(schema, "minimum", "exclusiveMinimum", f64::max);
        let (high, high_open) = bound(schema, "maximum", "exclusiveMaximum", f64::min);
        if let Some(m) = number(schema, "multipleOf").filter(|m| *m > 0.0) {
            // k * m, written with m's decimals so that a validator dividing by m gets a whole number.
            let first = low.map_or(-20.0, |l| (l / m).ceil() + f64::from(u8::from(low_open && (l / m).fract() == 0.0)));
            let last = high.map_or(first + 40.0, |h| (h / m).floor() - f64::from(u8::from(high_open && (h / m).fract() == 0.0)));
            // Non-negative where the bounds allow: the values a reader expects.
            let first = if last >= 0.0 { first.max(0.0) } else { first };
            let last = last.min(first + 40.0);
            if first > last {
                return Err(Unsatisfiable::new(format!("no multiple of {m} in the bounds")));
            }
            let k = self.rng.random_range(first as i64..=last as i64);
            let decimals = decimals(m);
            let text = format!("{:.*}", decimals, k as f64 * m);
            return text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).ok_or_else(|| Unsatisfiable::new("a multiple too large"));
        }
        let low = low.unwrap_or(-1000.0);
        let high = high.unwrap_or(low.max(0.0) + 1000.0);
        if low > high || (low == high && (low_open || high_open)) {
            return Err(Unsatisfiable::new(format!("no number between {low} and {high}")));
        }
        for _ in 0..TRIES {
            let raw = if low == high { low } else { self.rng.random_range(low..=high) };
            // Two decimals (or the bound itself where two decimals would leave the range).
            let rounded = (raw * 100.0).round() / 100.0;
            let value = if rounded < low || rounded > high { raw } else { rounded };
            let inside = (value > low || (!low_open && value == low)) && (value < high || (!high_open && value == high));
            if inside {
                return serde_json::Number::from_f64(value).map(Value::Number).ok_or_else(|| Unsatisfiable::new("not a finite number"));
            }
        }
        Err(Unsatisfiable::new(format!("no number between {low} and {high}")))
    }

    /// A sub-range of `[low, high]` around small numbers, where the bounds leave room: values a
    /// reader recognises, and in reach of every integer type.
    fn window(&mut self, low: i64, high: i64) -> (i64, i64) {
        let span = 100_000;
        let start = if low > -span { low } else if high < span { high.saturating_sub(2 * span) } else { -span };
        (start.max(low), start.saturating_add(2 * span).min(high))
    }
}

/// A bound and whether it is exclusive: the tighter of the inclusive and the exclusive keyword.
fn bound(schema: &Map<String, Value>, inclusive: &str, exclusive: &str, tighter: fn(f64, f64) -> f64) -> (Option<f64>, bool) {
    match (number(schema, inclusive), number(schema, exclusive)) {
        (Some(i), Some(e)) => {
            let t = tighter(i, e);
            (Some(t), t == e)
        }
        (Some(i), None) => (Some(i), false),
        (None, Some(e)) => (Some(e), true),
        (None, None) => (None, false),
    }
}

fn ceil(x: f64) -> i64 {
    x.ceil().clamp(i64::MIN as f64, i64::MAX as f64) as i64
}

fn floor(x: f64) -> i64 {
    x.floor().clamp(i64::MIN as f64, i64::MAX as f64) as i64
}

fn ceil_exclusive(x: f64) -> i64 {
    if x.fract() == 0.0 { ceil(x).saturating_add(1) } else { ceil(x) }
}

fn floor_exclusive(x: f64) -> i64 {
    if x.fract() == 0.0 { floor(x).saturating_sub(1) } else { floor(x) }
}

/// How many decimals `m` is written with (at most 12).
fn decimals(m: f64) -> usize {
    (0..=12).find(|d| {
        let scaled = m * 10f64.powi(*d);
        (scaled - scaled.round()).abs() < 1e-9
    }).unwrap_or(12) as usize
}

/// A keyword's value as a number.
pub(super) fn number(schema: &Map<String, Value>, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// A keyword's value as a count.
pub(super) fn uint(schema: &Map<String, Value>, key: &str) -> Option<u64> {
    schema.get(key).and_then(|v| v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)))
}
