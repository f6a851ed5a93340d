//! One schema from many: `$ref`s followed, `allOf` merged, one member of each `oneOf`/`anyOf`
//! chosen, and the discriminator value that choice (or the schema's own name) implies.

use rand::Rng;
use serde_json::{Map, Value};

use super::{Unsatisfiable, Values};

/// How many `$ref`s one schema may pass through before it is taken for a cycle.
const MAX_REFS: usize = 64;

/// A schema with nothing left to resolve.
pub(super) struct Flat {
    /// The merged keywords.
    pub schema: Map<String, Value>,
    /// Discriminator properties and the values the chosen members imply.
    pub tags: Vec<(String, String)>,
    /// A base schema with a discriminator mapping stands for one of its subtypes: this one.
    pub redirect: Option<Value>,
    /// The members of each undiscriminated `oneOf` that were not chosen, which the value must fail.
    pub rivals: Vec<Value>,
    /// Each merged schema's `additionalProperties` other than `true`, with the properties that
    /// schema itself declares: every other property merged in is additional to it.
    pub closed: Vec<(Vec<String>, Value)>,
}

impl<'a> Values<'a> {
    /// `schema` as one map of keywords.
    pub(super) fn flatten(&mut self, schema: &Value) -> Result<Flat, Unsatisfiable> {
        let mut flat = Flat { schema: Map::new(), tags: Vec::new(), redirect: None, rivals: Vec::new(), closed: Vec::new() };
        let mut refs = 0;
        let outer = self.fixed_types(schema, 0);
        self.flatten_into(schema, &mut flat, &mut refs, outer.as_deref())?;
        bound_by_levels(&mut flat);
        // A schema reached by name whose (inherited) discriminator has not been set by a choice:
        // the value naming it, or, for a base with a mapping that does not name it, one subtype.
        // Only a component has a name: a schema written in place (a body's, reached as
        // `#/paths/…/schema`) has none to give its discriminator.
        let entry = self.component_name(schema);
        if let Some(Value::Object(discriminator)) = flat.schema.get("discriminator") {
            let property = discriminator.get("propertyName").and_then(Value::as_str).unwrap_or_default().to_owned();
            if !property.is_empty() && !flat.tags.iter().any(|(p, _)| *p == property) {
                let mapping = discriminator.get("mapping").and_then(Value::as_object);
                let named = entry.and_then(|r| mapping.and_then(|m| m.iter().find(|(_, target)| same_schema(target, r))).map(|(k, _)| k.clone()));
                match (named, entry, mapping) {
                    (Some(key), _, _) => flat.tags.push((property, key)),
                    (None, _, Some(mapping)) if !mapping.is_empty() && self.is_base(schema) => {
                        let targets: Vec<&Value> = mapping.values().collect();
                        let target = targets[self.rng.random_range(0..targets.len())];
                        flat.redirect = Some(serde_json::json!({ "$ref": reference(target) }));
                    }
                    (None, Some(r), _) => flat.tags.push((property, last_segment(r).to_owned())),
                    (None, None, _) => {}
                }
            }
        }
        Ok(flat)
    }

    /// The first `$ref` naming a component schema on the chain of references `schema` starts.
    fn component_name<'s>(&self, schema: &'s Value) -> Option<&'s str>
    where
        'a: 's,
    {
        let mut at = schema;
        for _ in 0..MAX_REFS {
            let r = at.get("$ref").and_then(Value::as_str)?;
            if is_component(r) {
                return Some(r);
            }
            at = self.resolve(r).ok()?;
        }
        None
    }

    /// Whether `schema` (its `$ref`s followed) is a base: it composes no other schema with `allOf`.
    fn is_base(&self, schema: &Value) -> bool {
        let mut at = schema;
        for _ in 0..MAX_REFS {
            match at.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.resolve(r) {
                    Ok(target) => at = target,
                    Err(_) => return false,
                },
                None => return at.as_object().is_some_and(|s| !s.contains_key("allOf")),
            }
        }
        false
    }

    /// Merges `schema` into `flat`. `outer` is the types the whole schema fixes apart from its
    /// unions ([`Self::fixed_types`]): a union member of other types only is never chosen.
    fn flatten_into(&mut self, schema: &Value, flat: &mut Flat, refs: &mut usize, outer: Option<&[String]>) -> Result<(), Unsatisfiable> {
        let map = match schema {
            Value::Bool(true) => return Ok(()),
            Value::Object(map) => map,
            _ => return Err(Unsatisfiable::new("a schema that admits nothing")),
        };
        if let Some(r) = map.get("$ref").and_then(Value::as_str) {
            *refs += 1;
            if *refs > MAX_REFS {
                return Err(Unsatisfiable::new(format!("`$ref` `{r}` refers to itself")));
            }
            let target = self.resolve(r)?;
            self.flatten_into(target, flat, refs, outer)?;
        }
        for (key, value) in map {
            if !matches!(key.as_str(), "$ref" | "allOf" | "oneOf" | "anyOf") && !merge_keyword(&mut flat.schema, key, value) {
                return Err(Unsatisfiable::new(format!("`{key}` contradicts another schema it is merged with")));
            }
        }
        if let Some(additional) = map.get("additionalProperties").filter(|a| **a != Value::Bool(true)) {
            // With `patternProperties` beside it, which properties it judges depends on their
            // names: left to the merged keywords.
            if !map.contains_key("patternProperties") {
                let declared = map.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default();
                flat.closed.push((declared, additional.clone()));
            }
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            for member in members {
                self.flatten_into(member, flat, refs, outer)?;
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(keyword) {
                if members.is_empty() {
                    continue;
                }
                // Of the members whose types agree with those fixed around them (a `null`
                // member beside `type: object` admits nothing here), one at random.
                let fixed = flat.schema.get("type").map(type_list);
                let fits: Vec<usize> = (0..members.len())
                    .filter(|i| {
                        let own = self.fixed_types(&members[*i], 0);
                        [outer.map(<[String]>::to_vec), fixed.clone()].iter().flatten().all(|around| own.as_ref().is_none_or(|own| overlap(own, around)))
                    })
                    .collect();
                let chosen = if fits.is_empty() { self.rng.random_range(0..members.len()) } else { fits[self.rng.random_range(0..fits.len())] };
                let member = &members[chosen];
                let property = map.get("discriminator").and_then(|d| d.get("propertyName")).and_then(Value::as_str);
                // Exactly one member of a `oneOf` admits the value; a discriminator says which.
                if keyword == "oneOf" && property.is_none() {
                    flat.rivals.extend(members.iter().enumerate().filter(|(i, _)| *i != chosen).map(|(_, m)| m.clone()));
                }
                if let (Some(property), Some(r)) = (property, member.get("$ref").and_then(Value::as_str)) {
                    let mapping = map.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object);
                    let key = mapping.and_then(|m| m.iter().find(|(_, t)| same_schema(t, r))).map_or_else(|| last_segment(r).to_owned(), |(k, _)| k.clone());
                    flat.tags.push((property.to_owned(), key));
                }
                self.flatten_into(member, flat, refs, outer)?;
            }
        }
        Ok(())
    }

    /// The JSON types a schema fixes, through its `$ref`s and `allOf` members (each `type`
    /// narrows them) and its unions (the types of any member); `None` where nothing fixes them.
    fn fixed_types(&self, schema: &Value, depth: usize) -> Option<Vec<String>> {
        let map = schema.as_object()?;
        if depth > MAX_REFS {
            return None;
        }
        let mut fixed: Option<Vec<String>> = map.get("type").map(type_list);
        let mut narrow = |more: Option<Vec<String>>| {
            if let Some(more) = more {
                fixed = Some(match fixed.take() {
                    Some(have) => intersection(&have, &more),
                    None => more,
                });
            }
        };
        if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r).ok()) {
            narrow(self.fixed_types(target, depth + 1));
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            for member in members {
                narrow(self.fixed_types(member, depth + 1));
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(keyword) {
                let each: Option<Vec<Vec<String>>> = members.iter().map(|m| self.fixed_types(m, depth + 1)).collect();
                narrow(each.filter(|e| !e.is_empty()).map(|e| {
                    let mut all: Vec<String> = e.into_iter().flatten().collect();
                    all.sort();
                    all.dedup();
                    all
                }));
            }
        }
        fixed
    }

    /// The schema a local `$ref` names.
    pub(super) fn resolve(&self, r: &str) -> Result<&'a Value, Unsatisfiable> {
        let root = self.root;
        let pointer = r.strip_prefix('#').ok_or_else(|| Unsatisfiable::new(format!("`$ref` `{r}` is not local to the document")))?;
        root.pointer(&percent_decoded(pointer)).ok_or_else(|| Unsatisfiable::new(format!("`$ref` `{r}` names nothing")))
    }

    /// `schema`, or the schema its `$ref` names.
    pub(super) fn resolve_shallow<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(r).ok(),
            None => Some(schema),
        }
    }
}

/// A property merged from one schema is additional to another that declares it not: its value
/// must also satisfy that schema's `additionalProperties` (`false`: it cannot be present).
fn bound_by_levels(flat: &mut Flat) {
    let Some(Value::Object(properties)) = flat.schema.get_mut("properties") else { return };
    for (declared, additional) in &flat.closed {
        for (name, schema) in properties.iter_mut() {
            if !declared.contains(name) {
                *schema = serde_json::json!({ "allOf": [schema.take(), additional] });
            }
        }
    }
}

/// A `type` keyword as a list of type names.
fn type_list(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// Whether a value may be of both type lists (`integer` is a `number`).
fn overlap(a: &[String], b: &[String]) -> bool {
    !intersection(a, b).is_empty()
}

/// The types of both lists (`integer` where one says `number` and the other `integer`).
fn intersection(a: &[String], b: &[String]) -> Vec<String> {
    a.iter()
        .filter_map(|t| {
            if b.contains(t) {
                Some(t.clone())
            } else if t == "number" && b.iter().any(|x| x == "integer") || t == "integer" && b.iter().any(|x| x == "number") {
                Some("integer".to_owned())
            } else {
                None
            }
        })
        .collect()
}

/// Adds one keyword to merged keywords: both must hold. False where no value can (types
/// that share none).
fn merge_keyword(out: &mut Map<String, Value>, key: &str, value: &Value) -> bool {
    let Some(existing) = out.get_mut(key) else {
        if !matches!(key, "description" | "title" | "example" | "examples" | "default" | "$comment") {
            out.insert(key.to_owned(), value.clone());
        }
        return true;
    };
    match key {
        "properties" => {
            if let (Value::Object(have), Value::Object(add)) = (existing, value) {
                for (name, schema) in add {
                    match have.get_mut(name) {
                        Some(old) => *old = serde_json::json!({ "allOf": [old.take(), schema] }),
                        None => {
                            have.insert(name.clone(), schema.clone());
                        }
                    }
                }
            }
        }
        "required" => {
            if let (Value::Array(have), Value::Array(add)) = (existing, value) {
                for name in add {
                    if !have.contains(name) {
                        have.push(name.clone());
                    }
                }
            }
        }
        "type" => {
            let both: Vec<Value> = intersection(&type_list(existing), &type_list(value)).into_iter().map(Value::String).collect();
            if both.is_empty() {
                return false;
            }
            *existing = Value::Array(both);
        }
        "minimum" | "exclusiveMinimum" | "minLength" | "minItems" | "minProperties" => {
            if let (Some(a), Some(b)) = (existing.as_f64(), value.as_f64()) {
                if b > a {
                    *existing = value.clone();
                }
            }
        }
        "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" | "maxProperties" => {
            if let (Some(a), Some(b)) = (existing.as_f64(), value.as_f64()) {
                if b < a {
                    *existing = value.clone();
                }
            }
        }
        "enum" => {
            if let (Value::Array(have), Value::Array(add)) = (existing, value) {
                have.retain(|v| add.contains(v));
            }
        }
        "items" | "additionalProperties" | "propertyNames" | "contains" => {
            *existing = match (existing.take(), value) {
                (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
                (Value::Bool(true), other) => other.clone(),
                (old, Value::Bool(true)) => old,
                (old, new) => serde_json::json!({ "allOf": [old, new] }),
            };
        }
        "readOnly" | "writeOnly" | "uniqueItems" if value == &Value::Bool(true) => *existing = Value::Bool(true),
        // The first wins for the rest (format, pattern, const, discriminator, ...).
        _ => {}
    }
    true
}

/// Whether a discriminator mapping's target (a `$ref` or a bare schema name) names `r`.
fn same_schema(target: &Value, r: &str) -> bool {
    target.as_str().is_some_and(|t| t == r || (!t.contains('/') && t == last_segment(r)))
}

/// Whether `r` names a component schema (`#/components/schemas/Pet`, OpenAPI 2's `#/definitions/Pet`).
fn is_component(r: &str) -> bool {
    let name = r.strip_prefix("#/components/schemas/").or_else(|| r.strip_prefix("#/definitions/"));
    name.is_some_and(|n| !n.is_empty() && !n.contains('/'))
}

/// A mapping target as a `$ref`: a bare name is a component schema's.
fn reference(target: &Value) -> String {
    let t = target.as_str().unwrap_or_default();
    if t.contains('/') || t.starts_with('#') { t.to_owned() } else { format!("#/components/schemas/{t}") }
}

/// The last token of a JSON pointer (`Dog` of `#/components/schemas/Dog`).
fn last_segment(r: &str) -> &str {
    r.rsplit('/').next().unwrap_or(r)
}

/// A URI fragment's percent-escapes decoded (`%7B` -> `{`); JSON pointer escapes stay.
fn percent_decoded(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| fragment.to_owned())
}
