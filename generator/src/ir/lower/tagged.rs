//! Discriminators: values whose shape a property names.
//!
//! - A base schema with a `discriminator` that other components include by `allOf` (`Cat:
//!   {allOf: [{$ref: Pet}, …]}`, as every spec generated from a class hierarchy has) stands, where
//!   it is used, for any of them: `Pet` becomes a [`Tagged`] value whose variants are its subtypes,
//!   named by the discriminator's `mapping` or by their schema names, with the base's own struct
//!   (`PetBase`) for a value of any other tag. An answer that is a `Cat` reads as a `Cat`, and its
//!   fields survive.
//! - A `oneOf` of component references with a `discriminator` picks its member by the tag instead
//!   of trying each in order (see `unions.rs`).

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::Lowerer;
use crate::diag::push_pointer;
use crate::ir::{Tagged, TaggedVariant, TypeDef, TypeKind, TypeRef};

/// The component a local reference names (`#/components/schemas/Pet` or, in a `mapping`, `Pet`).
pub(super) fn component_of(reference: &str) -> Option<String> {
    let key = reference.strip_prefix("#/components/schemas/").unwrap_or(reference);
    (!key.contains('/') && !key.starts_with('#')).then(|| key.replace("~1", "/").replace("~0", "~"))
}

/// The components a schema includes directly by `allOf`.
fn all_of_parents(schema: &ReferenceOr<Schema>) -> Vec<String> {
    let ReferenceOr::Item(s) = schema else { return Vec::new() };
    let members = match &s.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return Vec::new(),
    };
    members.iter().filter_map(|m| match m {
        ReferenceOr::Reference { reference } => component_of(reference),
        ReferenceOr::Item(_) => None,
    }).collect()
}

/// The tag values a `mapping` gives each component, in its order.
pub(super) fn mapped_values(mapping: &indexmap::IndexMap<String, String>) -> BTreeMap<String, Vec<String>> {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (value, target) in mapping {
        if let Some(key) = component_of(target) {
            values.entry(key).or_default().push(value.clone());
        }
    }
    values
}

impl<'a> Lowerer<'a> {
    /// The tag values of member `key`, which the discriminator's `mapping` (`mapped`) may name:
    /// else its schema name, as OpenAPI implies, unless the member's own tag `property` allows
    /// one value only, and not that one (Spotify's `EpisodeObject`, whose `type` is `episode`):
    /// no value could then satisfy both, and the member's own is read, with a warning at the
    /// discriminator of the schema at `at`.
    pub(super) fn tag_values(&mut self, key: &str, mapped: &BTreeMap<String, Vec<String>>, property: &str, at: &str) -> Vec<String> {
        if let Some(values) = mapped.get(key) {
            return values.clone();
        }
        let own = self.doc.openapi.components.as_ref().and_then(|c| c.schemas.get(key)).and_then(|schema| self.single_tag(schema, property, 0));
        match own {
            Some(value) if value != key => {
                let message = format!("the discriminator maps no value to `{key}`, so its `{property}` is implied to be `{key}`, which `{key}`'s own `{property}` does not allow (only `{value}`); read as `{value}`");
                self.warn(&push_pointer(at, "discriminator"), &message);
                vec![value]
            }
            _ => vec![key.to_owned()],
        }
    }

    /// The one value `schema` allows its `property` (an `enum` of one string, or a `const`),
    /// looked for in its properties and those it includes by `allOf`.
    fn single_tag(&self, schema: &'a ReferenceOr<Schema>, property: &str, depth: usize) -> Option<String> {
        let s = match schema {
            _ if depth > 8 => return None,
            ReferenceOr::Reference { reference } => {
                let key = component_of(reference)?;
                return self.single_tag(self.doc.openapi.components.as_ref()?.schemas.get(&key)?, property, depth + 1);
            }
            ReferenceOr::Item(s) => s,
        };
        let (properties, all_of) = match &s.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(o)) => (Some(&o.properties), None),
            SchemaKind::Any(any) => (Some(&any.properties), Some(&any.all_of)),
            SchemaKind::AllOf { all_of } => (None, Some(all_of)),
            _ => (None, None),
        };
        if let Some(ReferenceOr::Item(tag)) = properties.and_then(|p| p.get(property)) {
            return match &tag.schema_kind {
                SchemaKind::Type(openapiv3::Type::String(string)) => match string.enumeration.as_slice() {
                    [Some(value)] => Some(value.clone()),
                    _ => None,
                },
                SchemaKind::Any(any) => match any.enumeration.as_slice() {
                    [serde_json::Value::String(value)] => Some(value.clone()),
                    _ => None,
                },
                _ => None,
            };
        }
        all_of.into_iter().flatten().find_map(|member| self.single_tag(member, property, depth + 1))
    }

    /// Makes each discriminated base with subtypes a [`Tagged`] value (see the module docs).
    pub(super) fn tag_discriminated_bases(&mut self) {
        let Some(components) = &self.doc.openapi.components else { return };
        let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, schema) in &components.schemas {
            for parent in all_of_parents(schema) {
                children.entry(parent).or_default().push(key.clone());
            }
        }
        for (key, schema) in &components.schemas {
            let ReferenceOr::Item(s) = schema else { continue };
            let Some(discriminator) = &s.schema_data.discriminator else { continue };
            if matches!(s.schema_kind, SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }) {
                continue;
            }
            // Every component below the base, in the order of the components.
            let mut below = vec![key.clone()];
            let mut i = 0;
            while i < below.len() {
                for child in children.get(&below[i]).into_iter().flatten() {
                    if !below.contains(child) {
                        below.push(child.clone());
                    }
                }
                i += 1;
            }
            let mapped = mapped_values(&discriminator.mapping);
            let subtypes: Vec<&String> = components.schemas.keys().filter(|k| *k != key && (below.contains(k) || mapped.contains_key(*k))).collect();
            let base_at = push_pointer("/components/schemas", key);
            let name = self.component_type_name(&base_at);
            let Some(index) = self.types.iter().position(|t| t.name == name && matches!(t.kind, TypeKind::Struct(_))) else { continue };
            if subtypes.is_empty() {
                continue;
            }
            let base_name = self.type_names.claim(&format!("{name}Base"));
            let mut variants = Vec::new();
            let mut member_schemas = Vec::new();
            let mut keys = Vec::new();
            for sub in subtypes {
                keys.push(sub.clone());
                let sub_at = push_pointer("/components/schemas", sub);
                member_schemas.push(sub_at.clone());
                let sub_name = self.component_type_name(&sub_at);
                // A subtype that adds nothing is (an alias of) the base's own struct, not of the
                // value that may be any subtype.
                let ty = if self.alias_target(&sub_name).as_deref() == Some(name.as_str()) {
                    for def in self.types.iter_mut().filter(|t| t.name == sub_name) {
                        def.kind = TypeKind::Alias(TypeRef::Named(base_name.clone()));
                    }
                    TypeRef::Named(base_name.clone())
                } else {
                    TypeRef::Named(sub_name)
                };
                let values = self.tag_values(sub, &mapped, &discriminator.property_name, &base_at);
                variants.push(TaggedVariant { values, ty });
            }
            let base = &mut self.types[index];
            let location = base.location.clone();
            let doc = base.doc.clone();
            base.name = base_name.clone();
            base.schema_name = None;
            base.doc = Some(format!("The fields of `{key}` itself: a `{key}` whose `{}` names none of its subtypes.", discriminator.property_name));
            // `defaultMapping` naming the base itself is what the fallback already is.
            let default = self.default_mapping(discriminator, &keys, &base_at);
            let tagged = Tagged { property: discriminator.property_name.clone(), variants, fallback: Some(TypeRef::Named(base_name)), default };
            // The base's own struct, for a value of any other tag, is the base schema.
            member_schemas.push(base_at);
            self.types.push(TypeDef { name, schema_name: Some(key.clone()), doc, location, shared_with: Vec::new(), member_schemas, member_rules: Vec::new(), kind: TypeKind::Tagged(tagged) });
        }
    }

    /// The variant a discriminator's 3.2 `defaultMapping` names, by its index among the members'
    /// component `keys`; one that names no member is warned about at the keyword. The discriminator
    /// belongs to the schema at `at`.
    pub(super) fn default_mapping(&mut self, discriminator: &openapiv3::Discriminator, keys: &[String], at: &str) -> Option<usize> {
        let written = discriminator.extensions.get(crate::load::DEFAULT_MAPPING)?;
        let named = written.as_str().and_then(component_of);
        let index = named.as_ref().and_then(|key| keys.iter().position(|k| k == key));
        if index.is_none() && named.as_deref() != at.strip_prefix("/components/schemas/") {
            let place = push_pointer(&push_pointer(at, "discriminator"), "defaultMapping");
            self.warn(&place, format!("`defaultMapping` {written} names none of the members; left out"));
        }
        index
    }

    /// The type an alias chain starting at `name` ends at, if `name` is an alias.
    fn alias_target(&self, name: &str) -> Option<String> {
        let mut current = name;
        let mut steps = 0;
        while let Some(TypeKind::Alias(TypeRef::Named(next))) = self.types.iter().find(|t| t.name == current).map(|t| &t.kind) {
            current = next;
            steps += 1;
            if steps > 32 {
                return None;
            }
        }
        (steps > 0).then(|| current.to_owned())
    }
}
