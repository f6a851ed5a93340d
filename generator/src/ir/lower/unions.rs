//! Unions: `oneOf` and `anyOf` lowered as one of several shapes, told apart by trying each member
//! in order (with the rules its type does not carry) or by a discriminator.

use openapiv3::{ReferenceOr, Schema};

use super::schema::SchemaView;
use super::Lowerer;
use crate::diag::{push_pointer, Error};
use crate::ir::{Constraints, TypeDef, TypeKind, TypeRef};

impl<'a> Lowerer<'a> {
    /// The type of a `oneOf`/`anyOf`: a union of its members (each with the rules its type does
    /// not carry), a value told apart by its discriminator, or any value where the members take
    /// every kind of JSON value.
    pub(super) fn union_type(&mut self, members: &'a [ReferenceOr<Schema>], keyword: &str, data: &'a openapiv3::SchemaData, at: &str, hint: &str) -> Result<TypeRef, Error> {
        let doc = data.description.clone();
        let name = self.claim_type_name(hint);
        let mut variants = Vec::new();
        let mut member_schemas = Vec::new();
        let mut member_rules = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = push_pointer(&push_pointer(at, keyword), &i.to_string());
            let lowered = self.lower_schema(SchemaView::from(member), &member_at, &format!("{name}Variant{}", i + 1))?;
            variants.push(lowered.ty());
            member_schemas.push(member_at);
            // The rules a reading judges before it takes the member (the runtime's `de::Rules`),
            // which a server then checks of the member it holds: one it checked but reading did
            // not judge would refuse a value a later member admits, so only the formats both
            // judge are kept. The keywords no check reads are the member's type's to document.
            let c = lowered.constraints;
            member_rules.push(Constraints { format: c.format.clone().filter(|f| f == "uri" || f == "email"), keywords: Default::default(), ..c });
        }
        if member_rules.iter().all(Constraints::is_empty) {
            member_rules.clear();
        }
        // A union of every kind of JSON value (or of any value) is any value, unless its members'
        // rules refuse some (`oneOf: [{type: string, minLength: 1}, …]` refuses `""`).
        let unruled = |i: usize| member_rules.get(i).is_none_or(Constraints::is_empty);
        let admits_all = variants.iter().enumerate().any(|(i, v)| *v == TypeRef::Any && unruled(i)) || (0..variants.len()).all(unruled);
        if admits_all && self.covers_every_json_kind(&variants) {
            self.type_names.release(&name);
            return Ok(TypeRef::Any);
        }
        // With a discriminator over component references, the tag picks the member.
        let tagged = data.discriminator.as_ref().and_then(|d| {
            let mapped = super::tagged::mapped_values(&d.mapping);
            let keys: Option<Vec<String>> = members.iter().map(|m| match m {
                ReferenceOr::Reference { reference } => super::tagged::component_of(reference),
                ReferenceOr::Item(_) => None,
            }).collect();
            let keys = keys?;
            let default = self.default_mapping(d, &keys, at);
            let variants = keys.iter().zip(&variants).map(|(key, ty)| crate::ir::TaggedVariant { values: self.tag_values(key, &mapped, &d.property_name, at), ty: ty.clone() }).collect();
            Some(crate::ir::Tagged { property: d.property_name.clone(), variants, fallback: None, default })
        });
        let kind = match tagged {
            Some(tagged) => TypeKind::Tagged(tagged),
            None => TypeKind::Union(variants),
        };
        if matches!(kind, TypeKind::Tagged(_)) {
            member_rules.clear();
        }
        let def = TypeDef { shared_with: Vec::new(), member_schemas, member_rules, name: name.clone(), schema_name: None, doc, location: self.locate(at), kind };
        self.types.push(def);
        Ok(TypeRef::Named(name))
    }

    /// Whether members of these types together take any JSON value: one takes any value, or
    /// there are a string, a number, a boolean, a list and an object among them.
    fn covers_every_json_kind(&self, members: &[TypeRef]) -> bool {
        let mut kinds = [false; 5];
        for member in members {
            let kind = match member {
                TypeRef::Any => return true,
                TypeRef::String | TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid | TypeRef::Url | TypeRef::Ipv4 | TypeRef::Ipv6 => 0,
                TypeRef::Number { .. } => 1,
                TypeRef::Boolean => 2,
                TypeRef::List(_) | TypeRef::Tuple(_) => 3,
                TypeRef::Map(inner) if **inner == TypeRef::Any => 4,
                TypeRef::Named(name) => match self.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                    Some(TypeKind::Struct(s)) if s.fields.iter().all(|f| !f.required) && s.additional == Some(TypeRef::Any) => 4,
                    _ => continue,
                },
                _ => continue,
            };
            kinds[kind] = true;
        }
        kinds.iter().all(|k| *k)
    }
}
