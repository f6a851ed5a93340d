//! Whether a value certainly fails a schema: the few checks a generator needs to keep a
//! discriminator's value only where its property admits it, and to make a `oneOf` member's value
//! that no other member admits. Not a validator: it says `true` only where a keyword it reads
//! refuses the value (types, `enum`, `const`, bounds, lengths, `required`, closed objects, and
//! these inside properties and items), and `false` where it cannot tell.

use serde_json::{Map, Value};

use super::{is_of_type, same, Values};

/// How deep schemas and values are followed before giving up (saying "cannot tell").
const MAX_DEPTH: usize = 32;

impl Values<'_> {
    /// Whether `value` certainly fails `schema`.
    pub(super) fn refutes(&self, schema: &Value, value: &Value) -> bool {
        self.refutes_at(schema, value, 0)
    }

    fn refutes_at(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let map = match schema {
            Value::Bool(admits) => return !admits,
            Value::Object(map) => map,
            _ => return false,
        };
        if depth > MAX_DEPTH {
            return false;
        }
        let deeper = |s: &Value, v: &Value| self.refutes_at(s, v, depth + 1);
        if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r).ok()) {
            if deeper(target, value) {
                return true;
            }
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            if members.iter().any(|m| deeper(m, value)) {
                return true;
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = map.get(keyword) {
                if !members.is_empty() && members.iter().all(|m| deeper(m, value)) {
                    return true;
                }
            }
        }
        if map.get("const").is_some_and(|c| !same(c, value)) {
            return true;
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            if !values.iter().any(|c| same(c, value)) {
                return true;
            }
        }
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| is_of_type(value, t)) {
            return true;
        }
        match value {
            Value::String(text) => {
                let length = text.chars().count() as f64;
                below(map, "minLength", length) || above(map, "maxLength", length)
            }
            Value::Number(n) => {
                let n = n.as_f64().unwrap_or_default();
                below(map, "minimum", n) || above(map, "maximum", n) || map.get("exclusiveMinimum").and_then(Value::as_f64).is_some_and(|m| n <= m) || map.get("exclusiveMaximum").and_then(Value::as_f64).is_some_and(|m| n >= m)
            }
            Value::Array(items) => {
                let count = items.len() as f64;
                let prefix = map.get("prefixItems").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
                let wrong = items.iter().enumerate().any(|(i, item)| match prefix.get(i).or_else(|| map.get("items")) {
                    Some(s) => deeper(s, item),
                    None => false,
                });
                wrong || below(map, "minItems", count) || above(map, "maxItems", count)
            }
            Value::Object(object) => self.refutes_object(map, object, depth),
            _ => false,
        }
    }

    fn refutes_object(&self, map: &Map<String, Value>, object: &Map<String, Value>, depth: usize) -> bool {
        let empty = Map::new();
        let properties = map.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let missing = map.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().filter_map(Value::as_str).any(|name| !object.contains_key(name)));
        let count = object.len() as f64;
        if missing || below(map, "minProperties", count) || above(map, "maxProperties", count) {
            return true;
        }
        // Undeclared properties are judged by `additionalProperties` unless a pattern may take them.
        let additional = map.get("additionalProperties").filter(|_| !map.contains_key("patternProperties"));
        object.iter().any(|(name, v)| match (properties.get(name), additional) {
            (Some(s), _) => self.refutes_at(s, v, depth + 1),
            (None, Some(s)) => self.refutes_at(s, v, depth + 1),
            (None, None) => false,
        })
    }
}

/// Whether `n` is below the schema's `key` bound.
fn below(map: &Map<String, Value>, key: &str, n: f64) -> bool {
    map.get(key).and_then(Value::as_f64).is_some_and(|m| n < m)
}

/// Whether `n` is above the schema's `key` bound.
fn above(map: &Map<String, Value>, key: &str, n: f64) -> bool {
    map.get(key).and_then(Value::as_f64).is_some_and(|m| n > m)
}
