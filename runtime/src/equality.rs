//! Equality of JSON values as JSON Schema defines it (`enum`, `const`, `uniqueItems`): numbers by
//! their mathematical value (`1` and `1.0` are the same), objects whatever the order of their
//! keys, arrays item by item in order, strings, booleans and `null` as they are. The server's
//! checks and the value generator both judge by this one definition.

#[cfg(any(feature = "server", feature = "json", test))]
use std::hash::{Hash, Hasher};

use serde_json::{Number, Value};

/// Whether `a` and `b` are the same value in JSON Schema's sense.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

/// Whether no two of `items` are the same value (`uniqueItems`).
#[cfg(feature = "json")]
pub(crate) fn all_unique(items: &[Value]) -> bool {
    first_repeat(items.iter().map(Some)).is_none()
}

/// The index of the first of `items` that is the same value as an earlier one (`uniqueItems`),
/// found in one pass; an item that is `None` (a value that could not be read as JSON) is not
/// compared.
#[cfg(any(feature = "server", feature = "json", test))]
pub(crate) fn first_repeat<'a>(items: impl ExactSizeIterator<Item = Option<&'a Value>>) -> Option<usize> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.enumerate().find_map(|(i, item)| item.filter(|item| !seen.insert(Key(item))).map(|_| i))
}

/// A value as the key of a hash set or map: equal (and hashed alike) as [`same`] says, so that a
/// list's repeated items are found in one pass.
#[cfg(any(feature = "server", feature = "json", test))]
pub(crate) struct Key<'a>(pub &'a Value);

#[cfg(any(feature = "server", feature = "json", test))]
impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        same(self.0, other.0)
    }
}

#[cfg(any(feature = "server", feature = "json", test))]
impl Eq for Key<'_> {}

#[cfg(any(feature = "server", feature = "json", test))]
impl Hash for Key<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.0 {
            Value::Null => state.write_u8(0),
            Value::Bool(b) => {
                state.write_u8(1);
                b.hash(state);
            }
            Value::Number(n) => {
                state.write_u8(2);
                match integral(n) {
                    Some(i) => i.hash(state),
                    None => n.as_f64().map(f64::to_bits).hash(state),
                }
            }
            Value::String(s) => {
                state.write_u8(3);
                s.hash(state);
            }
            Value::Array(items) => {
                state.write_u8(4);
                state.write_usize(items.len());
                items.iter().for_each(|item| Key(item).hash(state));
            }
            Value::Object(map) => {
                // By sorted key: an object's hash must not depend on the order of its keys.
                state.write_u8(5);
                state.write_usize(map.len());
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_unstable_by_key(|(k, _)| *k);
                for (k, v) in entries {
                    k.hash(state);
                    Key(v).hash(state);
                }
            }
        }
    }
}

/// Whether two numbers have the same value: integers exactly (all 64 bits, where a double would
/// round), an integral double as the integer it is, other doubles as doubles.
fn same_number(x: &Number, y: &Number) -> bool {
    match (integral(x), integral(y)) {
        (Some(a), Some(b)) => a == b,
        (None, None) => x.as_f64() == y.as_f64(),
        _ => false,
    }
}

/// A number's value as an integer, when it is one (`3` and `3.0`, not `3.5`), exactly.
fn integral(n: &Number) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        return Some(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Some(u.into());
    }
    // Any integral double below 2^127 in size is an `i128` exactly; larger ones equal no integer
    // JSON carries, and are compared as doubles.
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 2f64.powi(127)).then_some(f as i128)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::{json, Value};

    use super::{first_repeat, same, Key};

    /// Whether `a` and `b` are the same, checked both ways round and against the hash: two values
    /// that are the same must land in one slot of a set.
    fn judged(a: &Value, b: &Value) -> bool {
        let verdict = same(a, b);
        assert_eq!(verdict, same(b, a), "{a} and {b} are judged differently the other way round");
        let set: HashSet<Key<'_>> = [Key(a), Key(b)].into_iter().collect();
        assert_eq!(set.len() == 1, verdict, "the hash set of {a} and {b} disagrees with `same`");
        verdict
    }

    #[test]
    fn numbers_are_the_same_by_value() {
        assert!(judged(&json!(1), &json!(1.0)));
        assert!(judged(&json!(-3), &json!(-3.0)));
        assert!(judged(&json!(0), &json!(-0.0)));
        assert!(judged(&json!(2.5), &json!(2.5)));
        assert!(!judged(&json!(1), &json!(1.5)));
        assert!(!judged(&json!(0.1), &json!(0.2)));
        // Past 2^53 a double rounds: integers are still told apart exactly.
        assert!(!judged(&json!(9_007_199_254_740_993_u64), &json!(9_007_199_254_740_992_u64)));
        assert!(!judged(&json!(u64::MAX), &json!(u64::MAX - 1)));
        assert!(!judged(&json!(i64::MIN), &json!(i64::MIN + 1)));
        // ...and an integral double that large is the integer it denotes.
        assert!(judged(&json!(1e16), &json!(10_000_000_000_000_000_u64)));
        assert!(judged(&json!(9_223_372_036_854_775_808.0), &json!(9_223_372_036_854_775_808_u64)));
        assert!(judged(&json!(1e300), &json!(1e300)));
        assert!(!judged(&json!(1e300), &json!(u64::MAX)));
    }

    #[test]
    fn values_of_different_types_are_never_the_same() {
        let values = [json!(null), json!(false), json!(0), json!("0"), json!(""), json!([]), json!({}), json!([0]), json!({"0": 0})];
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                assert_eq!(judged(a, b), i == j, "{a} against {b}");
            }
        }
        assert!(!judged(&json!(true), &json!(1)));
        assert!(!judged(&json!("1"), &json!(1)));
    }

    #[test]
    fn objects_ignore_the_order_of_their_keys_and_compare_values_the_same_way() {
        let a: Value = serde_json::from_str(r#"{"a": 1, "b": [2, {"c": 3}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b": [2.0, {"c": 3.0}], "a": 1.0}"#).unwrap();
        assert!(judged(&a, &b));
        assert!(!judged(&json!({"a": 1}), &json!({"a": 2})));
        assert!(!judged(&json!({"a": 1}), &json!({"b": 1})));
        assert!(!judged(&json!({"a": 1}), &json!({"a": 1, "b": 1})));
        assert!(!judged(&json!({"a": null}), &json!({})));
    }

    #[test]
    fn arrays_compare_item_by_item_in_order() {
        assert!(judged(&json!([1, "x", [2]]), &json!([1.0, "x", [2.0]])));
        assert!(!judged(&json!([1, 2]), &json!([2, 1])));
        assert!(!judged(&json!([1]), &json!([1, 1])));
        assert!(!judged(&json!([[1]]), &json!([1])));
    }

    #[test]
    fn the_first_repeat_is_found_by_value_and_unreadable_items_are_skipped() {
        let items = [json!(1), json!("1"), json!({"a": [2]}), json!({"a": [2.0]}), json!(1.0)];
        assert_eq!(first_repeat(items.iter().map(Some)), Some(3));
        assert_eq!(first_repeat(items[..3].iter().map(Some)), None);
        let holes = [Some(&items[0]), None, None, Some(&items[1])];
        assert_eq!(first_repeat(holes.into_iter()), None, "items that are not values are not the same as each other");
        assert_eq!(first_repeat([Some(&items[0]), None, Some(&items[4])].into_iter()), Some(2));
    }

    #[test]
    fn strings_compare_as_they_are() {
        assert!(judged(&json!("é"), &json!("é")));
        assert!(!judged(&json!("é"), &json!("e\u{301}")));
        assert!(!judged(&json!("a"), &json!("A")));
    }
}
