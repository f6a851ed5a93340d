//! Validation rules compared: each rule says whether the change lets fewer values through
//! (tightened) or more (loosened), which decides whom it breaks.

use std::collections::BTreeSet;
use std::fmt::Display;

use super::classify::Effect;
use crate::ir::Constraints;

/// What changed between two sets of rules, in words, with its effect; `None` when nothing did.
pub(crate) fn compare(old: &Constraints, new: &Constraints) -> Option<(String, Effect)> {
    let mut parts = Vec::new();
    let mut tighter = false;
    let mut looser = false;
    let mut bound = |name: &str, a: Option<f64>, b: Option<f64>, lower: bool, shown: (String, String)| {
        if a == b {
            return;
        }
        // A lower bound tightens when it appears or rises; an upper bound when it appears or falls.
        let tightens = match (a, b) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => (y > x) == lower,
            (None, None) => false,
        };
        if tightens {
            tighter = true;
        } else {
            looser = true;
        }
        parts.push(format!("{name} {} → {}", shown.0, shown.1));
    };
    let as_f64 = |v: Option<u64>| v.map(|n| n as f64);
    bound("minLength", as_f64(old.min_length), as_f64(new.min_length), true, (show(old.min_length), show(new.min_length)));
    bound("maxLength", as_f64(old.max_length), as_f64(new.max_length), false, (show(old.max_length), show(new.max_length)));
    bound("minimum", old.minimum, new.minimum, true, (show(old.minimum), show(new.minimum)));
    bound("maximum", old.maximum, new.maximum, false, (show(old.maximum), show(new.maximum)));
    bound("minItems", as_f64(old.min_items), as_f64(new.min_items), true, (show(old.min_items), show(new.min_items)));
    bound("maxItems", as_f64(old.max_items), as_f64(new.max_items), false, (show(old.max_items), show(new.max_items)));
    if old.unique_items != new.unique_items {
        // Requiring unique items lets fewer lists through; dropping the rule, more.
        if new.unique_items {
            tighter = true;
        } else {
            looser = true;
        }
        parts.push(format!("uniqueItems {} → {}", old.unique_items, new.unique_items));
    }

    // An empty pattern matches every string: the same as none.
    let pattern = |c: &Constraints| c.pattern.clone().filter(|p| !p.is_empty());
    let (old_pattern, new_pattern) = (pattern(old), pattern(new));
    for (name, a, b) in [("pattern", &old_pattern, &new_pattern), ("format", &old.format, &new.format)] {
        if a == b {
            continue;
        }
        match (a, b) {
            (None, Some(_)) => tighter = true,
            (Some(_), None) => looser = true,
            _ => {
                tighter = true;
                looser = true;
            }
        }
        let quoted = |v: &Option<String>| v.as_ref().map_or_else(|| "none".to_owned(), |s| format!("`{s}`"));
        parts.push(format!("{name} {} → {}", quoted(a), quoted(b)));
    }

    let values = |c: &Constraints| c.allowed.iter().map(|v| v.to_string()).collect::<BTreeSet<_>>();
    let (before, after) = (values(old), values(new));
    if before != after {
        // An empty list allows every value of the type.
        let (removed, added): (Vec<_>, Vec<_>) = (before.difference(&after).cloned().collect(), after.difference(&before).cloned().collect());
        if before.is_empty() || !removed.is_empty() {
            tighter = true;
        }
        if after.is_empty() || (!added.is_empty() && !before.is_empty()) {
            looser = true;
        }
        let list = |s: &BTreeSet<String>| if s.is_empty() { "any".to_owned() } else { s.iter().cloned().collect::<Vec<_>>().join(", ") };
        parts.push(format!("allowed values {} → {}", list(&before), list(&after)));
    }

    // Keywords the types do not express: one added says more of what is valid (tighter), one
    // removed less, one changed either.
    for key in old.keywords.keys().chain(new.keywords.keys()).collect::<BTreeSet<_>>() {
        match (old.keywords.get(key), new.keywords.get(key)) {
            (None, Some(_)) => {
                tighter = true;
                parts.push(format!("`{key}` added"));
            }
            (Some(_), None) => {
                looser = true;
                parts.push(format!("`{key}` removed"));
            }
            (Some(a), Some(b)) if a != b => {
                // The bounds of `contains` are bounds: which way they moved says which it is.
                match (key.as_str(), a.as_f64(), b.as_f64()) {
                    ("minContains", Some(x), Some(y)) => (tighter, looser) = (tighter || y > x, looser || y < x),
                    ("maxContains", Some(x), Some(y)) => (tighter, looser) = (tighter || y < x, looser || y > x),
                    _ => (tighter, looser) = (true, true),
                }
                parts.push(format!("`{key}` {a} → {b}"));
            }
            _ => {}
        }
    }

    let effect = match (tighter, looser) {
        (true, true) => Effect::TightenedAndLoosened,
        (true, false) => Effect::Tightened,
        (false, true) => Effect::Loosened,
        (false, false) => return None,
    };
    let direction = match effect {
        Effect::Tightened => "tightened",
        Effect::Loosened => "loosened",
        _ => "changed",
    };
    Some((format!("validation {direction} ({})", parts.join(", ")), effect))
}

fn show<T: Display>(value: Option<T>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_length_limits_tighten() {
        let new = Constraints { min_length: Some(1), max_length: Some(100), ..Constraints::default() };
        let (detail, effect) = compare(&Constraints::default(), &new).expect("a change");
        assert_eq!(effect, Effect::Tightened);
        assert_eq!(detail, "validation tightened (minLength none → 1, maxLength none → 100)");
    }

    #[test]
    fn raised_maximum_loosens_and_a_new_pattern_with_it_is_both() {
        let old = Constraints { maximum: Some(10.0), ..Constraints::default() };
        let new = Constraints { maximum: Some(20.0), ..Constraints::default() };
        assert_eq!(compare(&old, &new).map(|c| c.1), Some(Effect::Loosened));
        let new = Constraints { pattern: Some("^a".into()), ..new };
        assert_eq!(compare(&old, &new).map(|c| c.1), Some(Effect::TightenedAndLoosened));
        assert_eq!(compare(&old, &old), None);
    }

    #[test]
    fn unique_items_required_tightens_and_dropped_loosens() {
        let unique = Constraints { unique_items: true, ..Constraints::default() };
        assert_eq!(compare(&Constraints::default(), &unique), Some(("validation tightened (uniqueItems false → true)".to_owned(), Effect::Tightened)));
        assert_eq!(compare(&unique, &Constraints::default()).map(|c| c.1), Some(Effect::Loosened));
    }
}
