//! The rules of a union's member that its type does not carry (an inline `{type: string,
//! minLength: 1}`'s length, `{type: integer, minimum: 1}`'s bound): a member is read only where
//! they hold while a later member's do, so that the member a value is read as is the one whose
//! schema admits it. A generated server checks the member it holds again, refusing a value that
//! satisfies no member's rules.

use crate::text::Pattern;

/// A member's rules, judged on the JSON value before it is read as the member.
#[derive(Debug)]
pub struct Rules {
    /// `minLength` of text, in characters.
    pub min_length: Option<usize>,
    /// `maxLength` of text, in characters.
    pub max_length: Option<usize>,
    /// `pattern` of text.
    pub pattern: Option<Pattern>,
    /// `format: uri`: text that is an absolute URI.
    pub absolute_uri: bool,
    /// `format: email`: text that is an email address.
    pub email: bool,
    /// `minimum` of a number, and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` of a number, and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// The values an `enum` of numbers lists (none: any).
    pub allowed: &'static [f64],
    /// `minItems` of a list.
    pub min_items: Option<usize>,
    /// `maxItems` of a list.
    pub max_items: Option<usize>,
    /// `uniqueItems`: no two items of a list are the same JSON value.
    pub unique_items: bool,
}

impl Rules {
    /// No rule: the fields a generated member's rules do not set.
    pub const NONE: Rules = Rules { min_length: None, max_length: None, pattern: None, absolute_uri: false, email: false, minimum: None, maximum: None, allowed: &[], min_items: None, max_items: None, unique_items: false };

    /// Whether `value` satisfies the rules (those of another kind of value than its own say
    /// nothing of it).
    pub fn admit(&self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        let within = |n: usize, min: Option<usize>, max: Option<usize>| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
        match value {
            Value::String(text) => {
                within(text.chars().count(), self.min_length, self.max_length)
                    && self.pattern.as_ref().is_none_or(|p| p.matches(text))
                    && (!self.absolute_uri || crate::text::is_absolute_uri(text))
                    && (!self.email || crate::text::is_email(text))
            }
            Value::Number(n) => {
                let Some(n) = n.as_f64() else { return true };
                let above = self.minimum.is_none_or(|(min, exclusive)| if exclusive { n > min } else { n >= min });
                let below = self.maximum.is_none_or(|(max, exclusive)| if exclusive { n < max } else { n <= max });
                above && below && (self.allowed.is_empty() || self.allowed.contains(&n))
            }
            Value::Array(items) => within(items.len(), self.min_items, self.max_items) && (!self.unique_items || crate::equality::all_unique(items)),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_judge_the_values_of_their_kind() {
        let text = Rules { min_length: Some(1), max_length: Some(3), ..Rules::NONE };
        assert!(text.admit(&json!("ab")));
        assert!(!text.admit(&json!("")));
        assert!(!text.admit(&json!("abcd")));
        assert!(text.admit(&json!(7)), "a number is no text: its rules say nothing of it");
        let uri = Rules { absolute_uri: true, ..Rules::NONE };
        assert!(uri.admit(&json!("https://example.com")) && !uri.admit(&json!("/a")));
        let number = Rules { minimum: Some((1.0, false)), maximum: Some((10.0, true)), ..Rules::NONE };
        assert!(number.admit(&json!(1)));
        assert!(!number.admit(&json!(0)));
        assert!(!number.admit(&json!(10)));
        let listed = Rules { allowed: &[1.0, 2.0], ..Rules::NONE };
        assert!(listed.admit(&json!(2)) && !listed.admit(&json!(3)));
        let items = Rules { max_items: Some(1), ..Rules::NONE };
        assert!(items.admit(&json!([1])) && !items.admit(&json!([1, 2])));
        let email = Rules { email: true, ..Rules::NONE };
        assert!(email.admit(&json!("a@b.example")) && !email.admit(&json!("nobody")));
        let unique = Rules { unique_items: true, ..Rules::NONE };
        assert!(unique.admit(&json!([1, "1", [1]])));
        assert!(!unique.admit(&json!([1, 2, 1.0])), "`1` and `1.0` are the same value");
    }

    #[cfg(feature = "regex")]
    #[test]
    fn a_pattern_is_judged_where_regex_is_on() {
        let digits = Rules { pattern: Some(Pattern::new(r"^[1-9]\d*$")), ..Rules::NONE };
        assert!(digits.admit(&json!("365")));
        assert!(!digits.admit(&json!("")));
        assert!(!digits.admit(&json!("abc")));
    }
}
