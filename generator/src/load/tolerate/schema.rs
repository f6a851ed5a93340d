//! Schema keywords as the model holds them: `null` left out, text, numbers, counts and flags of
//! the wrong JSON type converted, `required` as a list of names, properties given as type names,
//! `enum` values of the schema's type and each once, a `default` of the schema's type.

use serde_json::{Map, Value};

use super::{flag, note, nulls};
use crate::diag::push_pointer;
use crate::load::Note;

/// Schema keywords holding text.
const TEXT_KEYWORDS: &[&str] = &["format", "pattern", "title", "description"];
/// Schema keywords holding numbers.
const NUMBER_KEYWORDS: &[&str] = &["minimum", "maximum", "multipleOf"];
/// Schema keywords holding counts (non-negative integers).
const COUNT_KEYWORDS: &[&str] = &["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
/// Schema keywords holding booleans (in 3.0; 3.1's numeric exclusive bounds are read by `normalise`).
const FLAG_KEYWORDS: &[&str] = &["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum"];
/// Schema keywords that hold a schema, a list or a map of them: `null` there means nothing.
const SCHEMA_KEYWORDS: &[&str] = &["items", "properties", "additionalProperties", "allOf", "oneOf", "anyOf", "not", "required", "type", "enum", "discriminator", "xml", "externalDocs"];

/// One schema's own keywords (its sub-schemas are walked on their own).
pub(super) fn schema(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    nulls(map, at, SCHEMA_KEYWORDS, notes);
    nulls(map, at, TEXT_KEYWORDS, notes);
    nulls(map, at, NUMBER_KEYWORDS, notes);
    nulls(map, at, COUNT_KEYWORDS, notes);
    nulls(map, at, FLAG_KEYWORDS, notes);
    for key in TEXT_KEYWORDS {
        match map.get(*key) {
            Some(Value::Number(_) | Value::Bool(_)) => {
                let text = map.get(*key).map(Value::to_string).unwrap_or_default();
                note(notes, &push_pointer(at, key), format!("`{key}: {text}` is not text; read as \"{text}\""));
                map.insert((*key).into(), Value::String(text));
            }
            Some(Value::String(_)) | None => {}
            Some(_) => {
                note(notes, &push_pointer(at, key), format!("`{key}` is not text; left it out"));
                map.shift_remove(*key);
            }
        }
    }
    for key in NUMBER_KEYWORDS.iter().chain(COUNT_KEYWORDS) {
        let count = COUNT_KEYWORDS.contains(key);
        let parsed = match map.get(*key) {
            None => continue,
            Some(Value::Number(n)) if !count || n.is_u64() => continue,
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        let shown = map.get(*key).map(Value::to_string).unwrap_or_default();
        let here = push_pointer(at, key);
        let fixed = parsed.filter(|f| f.is_finite()).and_then(|f| {
            if count {
                (f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64).then(|| Value::from(f as u64))
            } else if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Some(Value::from(f as i64))
            } else {
                serde_json::Number::from_f64(f).map(Value::Number)
            }
        });
        match fixed {
            Some(value) => {
                note(notes, &here, format!("`{key}: {shown}` is not a {}; read as {value}", if count { "count" } else { "number" }));
                map.insert((*key).into(), value);
            }
            None => {
                note(notes, &here, format!("`{key}: {shown}` is not a {}; left it out", if count { "count" } else { "number" }));
                map.shift_remove(*key);
            }
        }
    }
    for key in FLAG_KEYWORDS {
        // 3.1's numeric exclusive bounds are read by `normalise`.
        if key.starts_with("exclusive") && matches!(map.get(*key), Some(Value::Number(_))) {
            continue;
        }
        flag(map, at, key, notes);
    }
    if let Some(Value::String(additional)) = map.get("additionalProperties") {
        let b = additional.eq_ignore_ascii_case("true");
        if b || additional.eq_ignore_ascii_case("false") {
            note(notes, &push_pointer(at, "additionalProperties"), format!("`additionalProperties: \"{additional}\"` is text; read as `{b}`"));
            map.insert("additionalProperties".into(), Value::Bool(b));
        }
    }
    required(map, at, notes);
    properties(map, at, notes);
    enumeration(map, at, notes);
    default(map, at, notes);
}

/// `required` is the list of an object's required properties: a single name is a list of one,
/// `required: true` inside a property moves to the object (see [`properties`]), anything else is
/// left out.
fn required(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let here = push_pointer(at, "required");
    match map.get_mut("required") {
        None => {}
        Some(Value::Array(names)) => {
            let before = names.len();
            names.retain(Value::is_string);
            let mut seen = std::collections::HashSet::new();
            names.retain(|n| seen.insert(n.as_str().unwrap_or_default().to_owned()));
            if names.len() != before {
                note(notes, &here, "`required` lists a name twice or something that is not a name; kept each name once");
            }
        }
        Some(Value::String(name)) => {
            let name = name.clone();
            note(notes, &here, format!("`required: {name}` is one name, not a list; read as `[{name}]`"));
            map.insert("required".into(), Value::Array(vec![Value::String(name)]));
        }
        Some(other) => {
            let shown = other.to_string();
            note(notes, &here, format!("`required: {shown}` on a schema that is no property of an object; left it out"));
            map.shift_remove("required");
        }
    }
}

/// A property written with `required: true` (a Swagger 2 parameter habit) is listed in the
/// object's `required`; `required: false` is what leaving it out means. A property given as a type
/// name (`name: string`) is a schema of that type.
fn properties(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(Value::Object(props)) = map.get_mut("properties") else {
        if map.get("properties").is_some_and(|p| !p.is_object()) {
            map.shift_remove("properties");
            note(notes, &push_pointer(at, "properties"), "`properties` is not a map of schemas; left it out");
        }
        return;
    };
    let props_at = push_pointer(at, "properties");
    let mut newly_required = Vec::new();
    for (name, prop) in props.iter_mut() {
        let here = push_pointer(&props_at, name);
        if prop.is_null() {
            note(notes, &here, "the property's schema is `null`; read as any JSON value");
            *prop = Value::Object(Map::new());
            continue;
        }
        if let Value::String(type_name) = prop {
            if ["string", "integer", "number", "boolean", "object", "array"].contains(&type_name.as_str()) {
                note(notes, &here, format!("the property is written as its type name `{type_name}`; read as a schema of that type"));
                let mut schema = Map::new();
                schema.insert("type".into(), Value::String(type_name.clone()));
                *prop = Value::Object(schema);
            }
            continue;
        }
        let Value::Object(p) = prop else { continue };
        let flag = match p.get("required") {
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => Some(s.eq_ignore_ascii_case("true")),
            _ => None,
        };
        if let Some(flag) = flag {
            p.shift_remove("required");
            let what = if flag { "listed it in the object's `required`" } else { "read as optional" };
            note(notes, &push_pointer(&here, "required"), format!("`required: {flag}` inside a property; {what}"));
            if flag {
                newly_required.push(name.clone());
            }
        }
    }
    if newly_required.is_empty() {
        return;
    }
    let list = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(names) = list {
        for name in newly_required {
            if !names.iter().any(|n| n.as_str() == Some(name.as_str())) {
                names.push(Value::String(name));
            }
        }
    }
}

fn a_or_an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The declared JSON type of a schema, when it names one.
fn declared_type(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

/// `value` converted to the JSON `type`, where its text says what it is.
fn coerce(value: &Value, ty: &str) -> Option<Value> {
    match (ty, value) {
        ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
        ("integer", Value::Number(n)) if !n.is_i64() && !n.is_u64() => n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| Value::from(f as i64)),
        ("number", Value::String(s)) => s.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number),
        ("boolean", Value::String(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => Some(Value::Bool(s.eq_ignore_ascii_case("true"))),
        _ => None,
    }
}

/// Whether `value` is of the JSON `type`.
fn fits(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// An `enum` is a list of distinct values of the schema's type: a single value is a list of one,
/// values of another type are converted where their text says what they are (left out where it
/// does not), and repeats are dropped.
fn enumeration(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let here = push_pointer(at, "enum");
    let ty = declared_type(map).map(str::to_owned);
    let Some(values) = map.get_mut("enum") else { return };
    if !values.is_array() {
        let single = values.take();
        note(notes, &here, "`enum` is one value, not a list; read as a list of one");
        *values = Value::Array(vec![single]);
    }
    let Value::Array(values) = values else { return };
    if let Some(ty) = ty.as_deref() {
        let (mut converted, mut dropped) = (false, false);
        let mut kept = Vec::with_capacity(values.len());
        for v in values.drain(..) {
            if v.is_null() || fits(&v, ty) {
                kept.push(v);
            } else if let Some(c) = coerce(&v, ty) {
                converted = true;
                kept.push(c);
            } else if ty == "integer" && v.is_number() {
                // Left for `normalise`, which reports integer enums with fractions.
                kept.push(v);
            } else {
                dropped = true;
            }
        }
        *values = kept;
        if converted {
            note(notes, &here, format!("{} `{ty}` `enum` lists values of another JSON type; read them as {ty}s", a_or_an(ty)));
        }
        if dropped {
            note(notes, &here, format!("{} `{ty}` `enum` lists values that are no {ty}; left them out", a_or_an(ty)));
        }
    }
    let before = values.len();
    let mut seen: Vec<Value> = Vec::with_capacity(before);
    values.retain(|v| {
        if seen.contains(v) {
            false
        } else {
            seen.push(v.clone());
            true
        }
    });
    if values.len() != before {
        note(notes, &here, "`enum` lists a value more than once; kept each value once");
    }
}

/// A `default` of another JSON type than its schema's: converted where its text says what it is
/// (`default: 0` on a string is `"0"`), left out where it cannot be.
fn default(map: &mut Map<String, Value>, at: &str, notes: &mut Vec<Note>) {
    let Some(ty) = declared_type(map).map(str::to_owned) else { return };
    let Some(value) = map.get("default") else { return };
    if value.is_null() || fits(value, &ty) {
        return;
    }
    let shown = value.to_string();
    let here = push_pointer(at, "default");
    match coerce(value, &ty) {
        Some(c) => {
            note(notes, &here, format!("`default: {shown}` on {} `{ty}` schema; read as {c}", a_or_an(&ty)));
            map.insert("default".into(), c);
        }
        None => {
            note(notes, &here, format!("`default: {shown}` is not a {ty}; left it out"));
            map.shift_remove("default");
        }
    }
}
