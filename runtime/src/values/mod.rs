//! Seeded values that satisfy a JSON Schema (feature `values`): what round-trip checks send and
//! what a mock server answers where the spec gives no example.
//!
//! [`Values`] reads JSON Schema 2020-12 (an OpenAPI 3.0 schema once `nullable` and the boolean
//! exclusive bounds are translated, as the generator's `json_schema` does) inside a root document
//! its `$ref`s resolve in, and generates JSON values: required properties always, optional ones
//! by chance (fewer the deeper the value, so recursive schemas end), `null` where admitted, enum
//! and `const` values, formats, bounds, `multipleOf`, lengths, string patterns (made to a length
//! within the bounds, and with lookaround), `allOf` merged, one member of `oneOf`/`anyOf` with its
//! discriminator value set (where its property admits it) and of a type its siblings admit, an
//! object of one `oneOf` member set apart from the others where they overlap (made anew where it
//! cannot be, and left out where it is optional), maps and additional properties (each also held
//! to the `additionalProperties` of every merged schema that does not declare it). The same seed
//! gives the same values, so a failure repeats from the seed printed with it. Typed values are
//! read from these with `serde_json::from_value`.
//!
//! A value is generated, not checked (but for a string against its pattern): where a schema is
//! contradictory, or asks for what no generator can promise (a `not`, a backreference in a
//! pattern), the result is either [`Unsatisfiable`] or a value an independent validator should
//! reject. Whoever uses these values validates them.

mod merge;
mod pattern;
mod refute;
mod scalar;

use std::collections::BTreeMap;

use rand::seq::IndexedRandom as _;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};

use crate::equality::same;
use pattern::Pattern;

/// Which way a value travels, for `readOnly` and `writeOnly` properties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Either way: every property may be generated.
    #[default]
    Any,
    /// Sent by a client: `readOnly` properties are left out.
    Request,
    /// Sent by a server: `writeOnly` properties are left out.
    Response,
}

/// Why no value was generated: the schema is contradictory, or beyond what can be generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsatisfiable {
    /// What could not be satisfied.
    pub why: String,
}

impl Unsatisfiable {
    fn new(why: impl Into<String>) -> Self {
        Unsatisfiable { why: why.into() }
    }
}

impl std::fmt::Display for Unsatisfiable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

impl std::error::Error for Unsatisfiable {}

/// Below this depth optional properties, extra array items and map entries are generated; past
/// it only what the schema requires.
const DEFAULT_DEPTH: usize = 3;

/// Deeper than this, a schema requires a value without end (a required property of its own type).
const MAX_DEPTH: usize = 40;

/// A seeded generator of values for the schemas of one document.
#[derive(Debug)]
pub struct Values<'a> {
    root: &'a Value,
    rng: rand_chacha::ChaCha8Rng,
    direction: Direction,
    depth: usize,
    patterns: BTreeMap<String, Result<Pattern, String>>,
    /// Set when a value made since it was cleared may be valid under more than one member of
    /// a `oneOf` (its members overlap where it could not be set apart).
    doubt: bool,
    /// How many more values may be made anew, in doubt or to set one apart, for the value being
    /// made ([`BUDGET`]).
    retries_left: usize,
}

/// How many times a value under a doubt is made anew before it is kept (required) or left out
/// (optional properties, array items beyond the minimum).
const RETRIES: usize = 4;

/// How many values one value may make anew in all (values in doubt, and candidates to set one
/// apart): nested doubts retry each other, and without a bound a deep chain of them would take
/// exponential time.
const BUDGET: usize = 256;

impl<'a> Values<'a> {
    /// A generator for the schemas of `root` (the document `$ref`s resolve in), seeded with `seed`.
    pub fn new(root: &'a Value, seed: u64) -> Self {
        Values { root, rng: rand_chacha::ChaCha8Rng::seed_from_u64(seed), direction: Direction::Any, depth: DEFAULT_DEPTH, patterns: BTreeMap::new(), doubt: false, retries_left: BUDGET }
    }

    /// Values for the given direction (`readOnly` properties are not sent in requests, nor
    /// `writeOnly` ones in answers).
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// How deep optional content is generated (3 unless set); below it only what is required.
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }

    /// A value of the schema at JSON pointer `pointer` of the root document.
    pub fn at(&mut self, pointer: &str) -> Result<Value, Unsatisfiable> {
        // By reference, so that a discriminator knows the schema's name.
        self.value(&serde_json::json!({ "$ref": format!("#{pointer}") }))
    }

    /// A value of `schema` (its `$ref`s resolved in the root document).
    pub fn value(&mut self, schema: &Value) -> Result<Value, Unsatisfiable> {
        self.retries_left = BUDGET;
        self.settled(schema, 0).map(|(value, _)| value)
    }

    /// A value of `schema` that no overlapping `oneOf` members leave in doubt, made anew a few
    /// times where one does; with whether the last one made is still in doubt (where a value
    /// must be given, it is kept, and its parent is in doubt too; elsewhere it is left out).
    fn settled(&mut self, schema: &Value, depth: usize) -> Result<(Value, bool), Unsatisfiable> {
        let outer = std::mem::take(&mut self.doubt);
        let mut made = self.generate(schema, depth)?;
        for _ in 1..RETRIES {
            if !self.doubt || !self.spend() {
                break;
            }
            self.doubt = false;
            made = self.generate(schema, depth)?;
        }
        let doubtful = std::mem::replace(&mut self.doubt, outer);
        Ok((made, doubtful))
    }

    /// Takes one retry of the budget; false when none is left.
    fn spend(&mut self) -> bool {
        let left = self.retries_left > 0;
        self.retries_left = self.retries_left.saturating_sub(1);
        left
    }

    /// A value that must be given: kept even in doubt, which then goes on to its parent.
    fn required(&mut self, schema: &Value, depth: usize) -> Result<Value, Unsatisfiable> {
        let (value, doubtful) = self.settled(schema, depth)?;
        self.doubt |= doubtful;
        Ok(value)
    }

    /// A value that may be left out: `None` where it stays in doubt.
    fn optional(&mut self, schema: &Value, depth: usize) -> Result<Option<Value>, Unsatisfiable> {
        self.settled(schema, depth).map(|(value, doubtful)| (!doubtful).then_some(value))
    }

    fn generate(&mut self, schema: &Value, depth: usize) -> Result<Value, Unsatisfiable> {
        if depth > MAX_DEPTH {
            return Err(Unsatisfiable::new("the schema requires a value nested without end"));
        }
        let flat = self.flatten(schema)?;
        if let Some(redirect) = flat.redirect {
            return self.generate(&redirect, depth + 1);
        }
        let schema = flat.schema;
        if let Some(value) = schema.get("const") {
            return Ok(value.clone());
        }
        let types = self.types(&schema);
        if let Some(Value::Array(values)) = schema.get("enum") {
            let admitted: Vec<&Value> = values.iter().filter(|v| types.is_empty() || types.iter().any(|t| is_of_type(v, t))).collect();
            return admitted.choose(&mut self.rng).map(|v| (*v).clone()).ok_or_else(|| Unsatisfiable::new("no enum value of the schema's type"));
        }
        let chosen = match types.as_slice() {
            [] => *["string", "integer", "boolean", "object", "array"].choose(&mut self.rng).unwrap_or(&"string"),
            [one] => *one,
            several => {
                // `null` now and then where it is one choice among others.
                let others: Vec<&str> = several.iter().copied().filter(|t| *t != "null").collect();
                if others.len() < several.len() && self.rng.random_bool(0.15) { "null" } else { others.choose(&mut self.rng).copied().unwrap_or("null") }
            }
        };
        let mut value = match chosen {
            "null" => Value::Null,
            "boolean" => Value::Bool(self.rng.random()),
            "string" => self.string(&schema)?,
            "integer" => self.integer(&schema)?,
            "number" => self.number(&schema)?,
            "array" => self.array(&schema, depth)?,
            "object" => self.object(&schema, depth)?,
            other => return Err(Unsatisfiable::new(format!("unknown type `{other}`"))),
        };
        if let Value::Object(object) = &mut value {
            // A discriminator's value where its property admits it (a property of another type, or
            // an `enum` without the schema's name, is left as generated).
            for (property, tag) in flat.tags {
                let tag = Value::String(tag);
                let admitted = schema.get("properties").and_then(|p| p.get(&property)).is_none_or(|p| !self.refutes(p, &tag));
                if admitted {
                    object.insert(property, tag);
                }
            }
        }
        for rival in &flat.rivals {
            if !self.refutes(rival, &value) {
                self.set_apart(&schema, &mut value, rival, depth);
            }
        }
        self.doubt |= flat.rivals.iter().any(|rival| !self.refutes(rival, &value));
        Ok(value)
    }

    /// Makes an object that a `oneOf` member not chosen (`rival`) admits fail it, where the
    /// object's own schema leaves room: a property both declare is given another value of its own
    /// schema that the rival's refuses (strings where the rival lists objects), else a property
    /// only the rival declares is given a value it refuses (a `true` where it asks for a string).
    /// Members of a `oneOf` often overlap (objects of optional properties that admit any other),
    /// and without this no value would be valid under exactly one. Where neither works (a member
    /// that admits any object), the value is left in doubt, and made anew.
    fn set_apart(&mut self, own: &Map<String, Value>, value: &mut Value, rival: &Value, depth: usize) {
        let Value::Object(object) = value else { return };
        let room = scalar::uint(own, "maxProperties").is_none_or(|max| (object.len() as u64) < max);
        // A property both declare, given a value of its own schema the rival's refuses (an
        // array of strings where the rival's lists objects).
        let shared = own.get("properties").and_then(Value::as_object);
        for (name, theirs) in self.declared(rival) {
            let Some(ours) = shared.and_then(|d| d.get(&name)) else { continue };
            if self.left_out(ours) || (!room && !object.contains_key(&name)) {
                continue;
            }
            for _ in 0..RETRIES {
                if !self.spend() {
                    return;
                }
                match self.settled(ours, depth + 1) {
                    Ok((candidate, false)) if self.refutes(&theirs, &candidate) => {
                        object.insert(name, candidate);
                        return;
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
        let open = |key: &str| own.get(key).is_none_or(|v| v == &Value::Bool(true));
        if !open("additionalProperties") || !open("unevaluatedProperties") || own.contains_key("patternProperties") || own.contains_key("propertyNames") || !room {
            return;
        }
        let declared = own.get("properties").and_then(Value::as_object);
        let candidates = [Value::Bool(true), Value::from(0), Value::String("set apart".into()), Value::Array(Vec::new()), Value::Object(Map::new())];
        for (name, schema) in self.declared(rival) {
            if object.contains_key(&name) || declared.is_some_and(|d| d.contains_key(&name)) {
                continue;
            }
            if let Some(odd) = candidates.iter().find(|c| self.refutes(&schema, c)) {
                object.insert(name, odd.clone());
                return;
            }
        }
    }

    /// The properties a schema declares, through its `$ref`s and `allOf` members.
    fn declared(&self, schema: &Value) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let mut pending = vec![schema];
        let mut seen = 0;
        while let Some(at) = pending.pop() {
            seen += 1;
            if seen > 64 {
                break;
            }
            if let Some(target) = at.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r).ok()) {
                pending.push(target);
            }
            if let Some(Value::Array(members)) = at.get("allOf") {
                pending.extend(members.iter());
            }
            if let Some(Value::Object(properties)) = at.get("properties") {
                out.extend(properties.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        out
    }

    /// The types a value may have: `type` where given, else what the keywords imply.
    fn types(&self, schema: &Map<String, Value>) -> Vec<&'static str> {
        const ALL: [&str; 7] = ["null", "boolean", "string", "integer", "number", "array", "object"];
        let named = |t: &str| ALL.iter().copied().find(|a| *a == t);
        match schema.get("type") {
            Some(Value::String(t)) => named(t).into_iter().collect(),
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter_map(named).collect(),
            _ => {
                let has = |keys: &[&str]| keys.iter().any(|k| schema.contains_key(*k));
                if has(&["properties", "additionalProperties", "required", "patternProperties", "minProperties", "maxProperties", "propertyNames"]) {
                    vec!["object"]
                } else if has(&["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"]) {
                    vec!["array"]
                } else if has(&["pattern", "minLength", "maxLength", "format"]) {
                    vec!["string"]
                } else if has(&["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]) {
                    vec!["number"]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// An object with the schema's required properties, some optional ones and, where the schema
    /// admits them, additional properties.
    fn object(&mut self, schema: &Map<String, Value>, depth: usize) -> Result<Value, Unsatisfiable> {
        let deep = depth >= self.depth;
        let empty = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let required: Vec<&str> = schema.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let max = scalar::uint(schema, "maxProperties").unwrap_or(u64::MAX) as usize;
        let min = scalar::uint(schema, "minProperties").unwrap_or(0) as usize;
        let mut out = Map::new();
        for (name, property) in properties {
            let is_required = required.contains(&name.as_str());
            if self.left_out(property) || (!is_required && (deep || out.len() + required.len() >= max || !self.rng.random_bool(0.6))) {
                continue;
            }
            let made = if is_required { self.required(property, depth + 1).map(Some) } else { self.optional(property, depth + 1) };
            match made {
                Ok(Some(value)) => {
                    out.insert(name.clone(), value);
                }
                Ok(None) => {}
                Err(e) if is_required => return Err(Unsatisfiable::new(format!("property `{name}`: {}", e.why))),
                Err(_) => {}
            }
        }
        let additional = schema.get("additionalProperties");
        let closed = additional == Some(&Value::Bool(false)) || schema.get("unevaluatedProperties") == Some(&Value::Bool(false));
        for name in required.iter().filter(|n| !properties.contains_key(**n)) {
            let value = match additional {
                Some(schema @ Value::Object(_)) => self.generate(schema, depth + 1)?,
                _ => self.generate(&Value::Bool(true), depth + 1)?,
            };
            out.insert((*name).to_owned(), value);
        }
        // Extra entries: a map's entries, now and then an undeclared property of an open object,
        // and whatever `minProperties` still asks for.
        let free_keys = !closed && !schema.contains_key("patternProperties");
        let mut extra = match additional {
            Some(Value::Object(_)) if !deep => self.rng.random_range(0..=2),
            None | Some(Value::Bool(true)) if free_keys && !deep && self.rng.random_bool(0.25) => 1,
            _ => 0,
        };
        extra = extra.max(min.saturating_sub(out.len())).min(max.saturating_sub(out.len()));
        if extra > 0 && !free_keys {
            return if out.len() >= min { Ok(Value::Object(out)) } else { Err(Unsatisfiable::new("minProperties with no property left to add")) };
        }
        let names = schema.get("propertyNames").cloned();
        let entry_schema = match additional {
            Some(schema @ Value::Object(_)) => schema.clone(),
            _ => Value::Bool(true),
        };
        let mut tries = 0;
        while extra > 0 && tries < 16 {
            tries += 1;
            let key = match &names {
                Some(names) => match self.generate(names, depth + 1)? {
                    Value::String(key) => key,
                    _ => continue,
                },
                None => format!("extra{}", self.rng.random_range(0..1000)),
            };
            if out.contains_key(&key) || properties.contains_key(&key) {
                continue;
            }
            let value = if entry_schema == Value::Bool(true) { Value::String(format!("{key} value")) } else { self.generate(&entry_schema, depth + 1)? };
            out.insert(key, value);
            extra -= 1;
        }
        Ok(Value::Object(out))
    }

    /// Whether a property is left out of values travelling in this generator's direction.
    fn left_out(&self, property: &Value) -> bool {
        let flag = |key: &str| self.resolve_shallow(property).and_then(|p| p.get(key)).and_then(Value::as_bool).unwrap_or(false);
        match self.direction {
            Direction::Any => false,
            Direction::Request => flag("readOnly"),
            Direction::Response => flag("writeOnly"),
        }
    }

    /// An array within the schema's item count, its items of `prefixItems` and `items`.
    fn array(&mut self, schema: &Map<String, Value>, depth: usize) -> Result<Value, Unsatisfiable> {
        let min = scalar::uint(schema, "minItems").unwrap_or(0) as usize;
        let max = scalar::uint(schema, "maxItems").map_or(usize::MAX, |m| m as usize);
        if min > max {
            return Err(Unsatisfiable::new(format!("minItems {min} exceeds maxItems {max}")));
        }
        let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
        let prefix: Vec<Value> = schema.get("prefixItems").and_then(Value::as_array).cloned().unwrap_or_default();
        let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
        let extra = if depth >= self.depth { 0 } else { self.rng.random_range(0..=3) };
        let count = (min + extra).min(max).max(min);
        let count = if items == Value::Bool(false) { count.min(prefix.len()) } else { count };
        let mut out: Vec<Value> = Vec::with_capacity(count);
        let mut tries = 0;
        while out.len() < count {
            let schema = prefix.get(out.len()).unwrap_or(&items);
            // Items past the minimum (and the prefix) are left out rather than kept in doubt.
            let needed = out.len() < min.max(prefix.len());
            let made = if needed { Some(self.required(schema, depth + 1)?) } else { self.optional(schema, depth + 1)? };
            let Some(value) = made else { break };
            if unique && out.iter().any(|item| same(item, &value)) {
                tries += 1;
                // Past the minimum, a list shorter than planned is as good: the items may have
                // fewer distinct values than the count (an enum of two).
                if tries > 32 && out.len() >= min {
                    break;
                }
                if tries > 32 {
                    return Err(Unsatisfiable::new("uniqueItems: too few distinct items"));
                }
                continue;
            }
            out.push(value);
        }
        if let Some(contains) = schema.get("contains") {
            if out.len() < max {
                let value = self.generate(contains, depth + 1)?;
                if !(unique && out.iter().any(|item| same(item, &value))) {
                    out.push(value);
                }
            }
        }
        Ok(Value::Array(out))
    }

    /// Compiles a pattern into [`Self::patterns`] (or notes why it cannot be generated from), once.
    fn compile(&mut self, pattern: &str) {
        if !self.patterns.contains_key(pattern) {
            self.patterns.insert(pattern.to_owned(), Pattern::new(pattern));
        }
    }
}

/// Whether `value` is of JSON Schema type `ty`.
fn is_of_type(value: &Value, ty: &str) -> bool {
    match (ty, value) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) | ("string", Value::String(_)) | ("number", Value::Number(_)) | ("array", Value::Array(_)) | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
