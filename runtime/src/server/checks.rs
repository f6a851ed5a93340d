//! The rules of the spec that requests are checked against.

use super::ErrorBody;
use crate::equality::{first_repeat, same};

/// A request that breaks the spec: the field at fault, what is wrong, and the status to answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status (400, 413, 415).
    pub status: u16,
    /// The field at fault, as `location.name` (`query.page_size`, `body.scopes`).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Rejection {
    /// A 400 for `field`.
    pub fn bad(field: impl Into<String>, message: impl Into<String>) -> Self {
        Rejection { status: 400, field: Some(field.into()), message: message.into() }
    }

    /// A 400 for a parameter or body that did not read as its schema says: `location` (`query`,
    /// `path`, `header`, `cookie`, `body`) before the field the error names (`query.filter.status`).
    pub fn from_param(location: &str, error: crate::params::ParamError) -> Self {
        let field = match error.field.as_str() {
            "" => location.to_owned(),
            field if field.starts_with('[') => format!("{location}{field}"),
            field => format!("{location}.{field}"),
        };
        Rejection::bad(field, error.message)
    }

    /// The default error body for this rejection.
    pub fn body(&self) -> ErrorBody {
        ErrorBody { detail: self.message.clone(), field: self.field.clone() }
    }

    /// The field at fault without its location (`body.token_label` -> `token_label`), or empty.
    pub fn name(&self) -> &str {
        let field = self.field.as_deref().unwrap_or("");
        field.split_once('.').map_or(field, |(_, rest)| rest)
    }

    /// `field: message`, or just the message.
    pub fn text(&self) -> String {
        match &self.field {
            Some(field) => format!("{field}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Checks a text's length in characters.
pub fn check_length(value: &str, min: Option<usize>, max: Option<usize>, field: &str, errors: &mut Vec<Rejection>) {
    let len = value.chars().count();
    if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
        let rule = match (min, max) {
            (Some(a), Some(b)) => format!("must be {a} to {b} characters long"),
            (Some(a), None) => format!("must be at least {a} characters long"),
            (None, Some(b)) => format!("must be at most {b} characters long"),
            (None, None) => String::new(),
        };
        errors.push(Rejection::bad(field, rule));
    }
}

/// One end of a number's range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The value itself is allowed (`minimum`, `maximum`).
    Inclusive(f64),
    /// The value itself is not (`exclusiveMinimum`, `exclusiveMaximum`).
    Exclusive(f64),
}

/// Checks a number's range.
pub fn check_range(value: f64, min: Option<Bound>, max: Option<Bound>, field: &str, errors: &mut Vec<Rejection>) {
    match min {
        Some(Bound::Inclusive(m)) if value < m => errors.push(Rejection::bad(field, format!("must be at least {m}"))),
        Some(Bound::Exclusive(m)) if value <= m => errors.push(Rejection::bad(field, format!("must be greater than {m}"))),
        _ => {}
    }
    match max {
        Some(Bound::Inclusive(m)) if value > m => errors.push(Rejection::bad(field, format!("must be at most {m}"))),
        Some(Bound::Exclusive(m)) if value >= m => errors.push(Rejection::bad(field, format!("must be less than {m}"))),
        _ => {}
    }
}

/// Checks a list's length.
pub fn check_items(len: usize, min: Option<usize>, max: Option<usize>, field: &str, errors: &mut Vec<Rejection>) {
    if let Some(min) = min.filter(|m| len < *m) {
        errors.push(Rejection::bad(field, format!("must have at least {min} item(s)")));
    }
    if let Some(max) = max.filter(|m| len > *m) {
        errors.push(Rejection::bad(field, format!("must have at most {max} item(s)")));
    }
}

/// Checks `uniqueItems`: no two items of a list are the same JSON value (numbers compared by
/// value, so `1` and `1.0` are the same, as JSON Schema says).
pub fn check_unique<T: serde::Serialize>(items: &[T], field: &str, errors: &mut Vec<Rejection>) {
    // An item that does not serialize (a map with keys that are not text) is not compared.
    let values: Vec<Option<serde_json::Value>> = items.iter().map(|item| serde_json::to_value(item).ok()).collect();
    if let Some(i) = first_repeat(values.iter().map(Option::as_ref)) {
        errors.push(Rejection::bad(format!("{field}[{i}]"), "repeats an earlier item; the items must be unique"));
    }
}

/// The values a non-string `enum` lists, given as JSON texts (`1`, `2.5`): a `static` of the
/// generated code, read the first time a value is checked against it and kept.
#[derive(Debug)]
pub struct Allowed {
    texts: &'static [&'static str],
    values: std::sync::OnceLock<Vec<serde_json::Value>>,
}

impl Allowed {
    /// The values of `texts` (a text that is no JSON allows nothing).
    pub const fn new(texts: &'static [&'static str]) -> Self {
        Allowed { texts, values: std::sync::OnceLock::new() }
    }

    fn values(&self) -> &[serde_json::Value] {
        self.values.get_or_init(|| self.texts.iter().filter_map(|text| serde_json::from_str(text).ok()).collect())
    }
}

/// Checks a value against the values a non-string `enum` lists.
pub fn check_allowed<T: serde::Serialize>(value: &T, allowed: &Allowed, field: &str, errors: &mut Vec<Rejection>) {
    let Ok(value) = serde_json::to_value(value) else { return };
    if !allowed.values().iter().any(|a| same(a, &value)) {
        errors.push(Rejection::bad(field, format!("must be one of {}", allowed.texts.join(", "))));
    }
}

/// Checks the `email` format: one `@` with text on both sides and a dot in the domain.
pub fn check_email(value: &str, field: &str, errors: &mut Vec<Rejection>) {
    if !crate::text::is_email(value) {
        errors.push(Rejection::bad(field, "must be an email address"));
    }
}

/// Checks `format: uri`: an absolute URI (the models' [`Uri`](crate::Uri) admits a relative
/// reference too, for `uri-reference` and for the answers of services that write one).
pub fn check_absolute_uri(value: &str, field: &str, errors: &mut Vec<Rejection>) {
    if !crate::text::is_absolute_uri(value) {
        errors.push(Rejection::bad(field, "must be an absolute URI"));
    }
}

/// Rejects a value the spec's enum does not list (the models keep such values for clients).
pub fn check_known(known: bool, value: &str, field: &str, errors: &mut Vec<Rejection>) {
    if !known {
        errors.push(Rejection::bad(field, format!("`{value}` is not one of the allowed values")));
    }
}

/// Checks `value` against a pattern (one that is not a regular expression this crate reads is
/// not checked). Only with the `regex` feature, without which a pattern matches every text.
#[cfg(feature = "regex")]
pub fn check_pattern(value: &str, pattern: &crate::text::Pattern, field: &str, errors: &mut Vec<Rejection>) {
    if !pattern.matches(value) {
        errors.push(Rejection::bad(field, format!("must match `{}`", pattern.source())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_name_the_field_and_what_is_wrong() {
        let mut errors = Vec::new();
        check_length("ab", Some(3), Some(5), "body.name", &mut errors);
        check_range(101.0, Some(Bound::Inclusive(1.0)), Some(Bound::Inclusive(100.0)), "query.page_size", &mut errors);
        check_range(0.0, Some(Bound::Exclusive(0.0)), None, "path.id", &mut errors);
        check_items(0, Some(1), None, "body.scopes", &mut errors);
        check_email("nobody", "body.email", &mut errors);
        check_known(false, "purple", "body.color", &mut errors);
        check_unique(&["a", "b", "a"], "query.tags", &mut errors);
        static LEVELS: Allowed = Allowed::new(&["1", "2.0"]);
        check_allowed(&5, &LEVELS, "body.level", &mut errors);
        check_allowed(&2, &LEVELS, "body.level", &mut errors);
        let texts: Vec<String> = errors.iter().map(Rejection::text).collect();
        assert_eq!(
            texts,
            [
                "body.name: must be 3 to 5 characters long",
                "query.page_size: must be at most 100",
                "path.id: must be greater than 0",
                "body.scopes: must have at least 1 item(s)",
                "body.email: must be an email address",
                "body.color: `purple` is not one of the allowed values",
                "query.tags[2]: repeats an earlier item; the items must be unique",
                "body.level: must be one of 1, 2.0",
            ]
        );
        assert_eq!(errors[0].name(), "name");
    }

    #[test]
    fn enum_values_are_read_once_and_judged_by_value_on_every_check() {
        static ALLOWED: Allowed = Allowed::new(&["-1", "0", "2.5", "1e2", "not json"]);
        let refusals = |value: f64| {
            let mut errors = Vec::new();
            check_allowed(&value, &ALLOWED, "query.step", &mut errors);
            errors.iter().map(Rejection::text).collect::<Vec<_>>()
        };
        for _ in 0..2 {
            for allowed in [-1.0, 0.0, 2.5, 100.0] {
                assert_eq!(refusals(allowed), Vec::<String>::new(), "{allowed} is listed");
            }
            assert_eq!(refusals(1.0), ["query.step: must be one of -1, 0, 2.5, 1e2, not json"]);
        }
        let mut errors = Vec::new();
        check_allowed(&100_u8, &ALLOWED, "query.step", &mut errors);
        check_allowed(&-1_i64, &ALLOWED, "query.step", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ALLOWED.values.get().map(Vec::len), Some(4), "read once, the text that is no JSON left out");
    }

    #[test]
    fn items_are_the_same_when_they_are_the_same_json() {
        let same = |items: &[serde_json::Value]| {
            let mut errors = Vec::new();
            check_unique(items, "body.list", &mut errors);
            !errors.is_empty()
        };
        assert!(same(&[serde_json::json!(1), serde_json::json!(1.0)]));
        assert!(same(&[serde_json::json!({"a": 1, "b": [2]}), serde_json::json!({"b": [2.0], "a": 1})]));
        assert!(!same(&[serde_json::json!(1), serde_json::json!("1"), serde_json::json!([1]), serde_json::json!({"a": 1})]));
        assert!(!same(&[serde_json::json!({"a": 1}), serde_json::json!({"a": 2})]));
        // An integral double past 2^53 is the integer it denotes; integers that a double would
        // round together are still told apart.
        assert!(same(&[serde_json::json!(1e16), serde_json::json!(10_000_000_000_000_000_u64)]));
        assert!(!same(&[serde_json::json!(9_007_199_254_740_993_u64), serde_json::json!(9_007_199_254_740_992_u64)]));
    }
}
