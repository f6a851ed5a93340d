//! Spec text -> a JSON value tree: JSON read by `serde_json` (exact escapes and numbers), YAML by
//! `serde_yaml` straight into the same tree.
//!
//! Reading YAML through `serde_yaml::Value` would refuse integers beyond 64 bits (they arrive as
//! `i128`) and keep integer mapping keys (`200:`) as numbers; the visitor here reads such an integer
//! as the nearest float (the line index reports it, with a warning), turns every scalar key into its
//! text, as JSON has it, and applies YAML merge keys (`<<: *defaults`).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::lines::{BigInteger, LineIndex};
use crate::diag::Error;

/// A parsed spec file: its value tree, line index and too-large integers.
pub(crate) struct Parsed {
    pub value: Value,
    pub lines: LineIndex,
    pub big: Vec<BigInteger>,
}

/// Parses the text of `file`: as JSON when it is named `.json` (or is not named `.yaml`/`.yml` and
/// looks like JSON), else as YAML. The line index is built on another core meanwhile.
pub(crate) fn parse(text: &str, file: &str) -> Result<Parsed, Error> {
    let named_json = file.ends_with(".json");
    let named_yaml = file.ends_with(".yaml") || file.ends_with(".yml");
    if named_json || (!named_yaml && text.trim_start().starts_with('{')) {
        let (value, index) = std::thread::scope(|scope| {
            let index = scope.spawn(|| LineIndex::json(text));
            (serde_json::from_str::<Value>(text), index.join())
        });
        match value {
            Ok(value) => {
                let (lines, big) = index.unwrap_or_default();
                return Ok(Parsed { value, lines, big });
            }
            Err(e) if named_json => {
                return Err(Error::Syntax { file: file.to_owned(), line: e.line(), column: e.column(), message: format!("not valid JSON: {e}") });
            }
            Err(_) => {}
        }
    }
    let (value, index) = std::thread::scope(|scope| {
        let index = scope.spawn(|| LineIndex::yaml(text));
        (yaml(text), index.join())
    });
    let value = value.map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        Error::Syntax { file: file.to_owned(), line, column, message: format!("not valid YAML: {e}") }
    })?;
    let (lines, big) = index.unwrap_or_default();
    Ok(Parsed { value, lines, big })
}

/// Parses YAML text into a JSON value tree.
pub(crate) fn yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    ValueSeed.deserialize(serde_yaml::Deserializer::from_str(text))
}

struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        ValueSeed.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(ValueSeed)?;
            if key == "<<" {
                merged.push(value);
            } else {
                out.insert(key, value);
            }
        }
        // Merge keys: entries of the merged mappings that the mapping does not set itself.
        for value in merged {
            let sources = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                if let Value::Object(source) = source {
                    for (k, v) in source {
                        out.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key: any scalar, as its text (`200` -> `"200"`, `true` -> `"true"`).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        match ValueSeed.deserialize(deserializer)? {
            Value::String(s) => Ok(s),
            Value::Null => Ok("null".to_owned()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Number(n) => Ok(n.to_string()),
            other => Ok(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_reads_into_json_values() {
        let value = yaml("a: 1\n200: ok\ntrue: x\nbig: -9223372036854776000\nlist: [1.5, null, 'q']\n").expect("parses");
        assert_eq!(value, json!({"a": 1, "200": "ok", "true": "x", "big": -9.223372036854776e18, "list": [1.5, null, "q"]}));
    }

    #[test]
    fn merge_keys_and_anchors_apply() {
        let value = yaml("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n").expect("parses");
        assert_eq!(value["derived"], json!({"y": 3, "x": 1}));
    }
}
