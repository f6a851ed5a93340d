//! `allOf`: members merged into one struct, or a component reused when the merge only restates it.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Schema, SchemaKind, Type};
use serde_json::Value;

use super::schema::{extras_name, is_annotation_only, Lowered, SchemaView};
use super::Lowerer;
use crate::diag::{push_pointer, Error};
use crate::ir::{RequiredChoice, Struct, TypeDef, TypeKind, TypeRef};

/// Properties gathered from the members of an `allOf`.
#[derive(Default)]
struct Merged<'a> {
    properties: IndexMap<String, (SchemaView<'a>, String)>,
    required: Vec<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
    /// Some object member does not close itself with `additionalProperties: false`.
    open: bool,
    /// Some member says `type: object`.
    object_typed: bool,
    /// The alternatives of `required` names of the members, and of the `allOf` itself: the merge
    /// satisfies each.
    required_choices: Vec<RequiredChoice>,
    refs: Vec<&'a str>,
    structural_inline: bool,
    non_object: Vec<(SchemaView<'a>, String)>,
    description: Option<String>,
    /// Property schemas another member's schema of the same name stands in for (one that only
    /// restates it, or one it redeclares), by name: no field is made of them, but their examples
    /// are examples of the field.
    shadowed: Vec<(String, &'a Schema, String)>,
    /// Members that only describe the combined schema (a description, an example), with their
    /// pointers: their examples are examples of it.
    annotations: Vec<(&'a Schema, String)>,
}

impl Merged<'_> {
    /// Adds alternatives of required names the merge must satisfy; a top-level member's make it a
    /// struct of its own, not the component it may otherwise restate.
    fn add_choices(&mut self, choices: &[RequiredChoice], top: bool) {
        for choice in choices {
            if !self.required_choices.contains(choice) {
                self.required_choices.push(choice.clone());
                self.structural_inline |= top;
            }
        }
    }
}

/// An example of a property schema of an `allOf` member that another member's property of the
/// same name stands in for: it is an example of the field of the struct the `allOf` became (or of
/// the component it is, when its other members only restate that component's properties), which
/// may be lowered only later.
#[derive(Debug)]
pub(super) struct Restated {
    pub(super) owner: TypeRef,
    pub(super) property: String,
    pub(super) at: String,
    pub(super) schema: String,
    pub(super) value: Value,
}

impl<'a> Lowerer<'a> {
    /// Merges `allOf` members into one type. A single `$ref` whose companions only describe it stays
    /// that reference (with their description).
    pub(super) fn lower_all_of(&mut self, members: Vec<SchemaView<'a>>, base: Lowered, at: &str, hint: &str) -> Result<Lowered, Error> {
        let mut merged = Merged::default();
        let mut visiting = Vec::new();
        self.merge_members(&members, &push_pointer(at, "allOf"), &mut merged, &mut visiting, true)?;
        if let Some(choices) = self.doc.required_choices.get(at) {
            merged.add_choices(choices, true);
        }
        let annotations = std::mem::take(&mut merged.annotations);
        let shadowed = std::mem::take(&mut merged.shadowed);
        let lowered = self.lower_merged(merged, base, at, hint)?;
        for (member, member_at) in annotations {
            for (example_at, value) in self.documented(&member_at, "example", member.schema_data.example.as_ref()) {
                self.example(example_at, at, &lowered, &value);
            }
        }
        for (property, schema, property_at) in shadowed {
            for (example_at, value) in self.documented(&property_at, "example", schema.schema_data.example.as_ref()) {
                self.restated.push(Restated { owner: lowered.ty(), property: property.clone(), at: example_at, schema: property_at.clone(), value });
            }
        }
        Ok(lowered)
    }

    /// The type of the members of an `allOf` merged into `merged`.
    fn lower_merged(&mut self, merged: Merged<'a>, mut base: Lowered, at: &str, hint: &str) -> Result<Lowered, Error> {
        if base.doc.is_none() {
            base.doc = merged.description.clone();
        }
        if merged.refs.len() == 1 && !merged.structural_inline {
            let reference = merged.refs[0];
            let ref_lowered = self.lower_schema(SchemaView::Ref(reference), at, hint)?;
            base.ty = ref_lowered.ty;
            base.nullable |= ref_lowered.nullable;
            return Ok(base);
        }
        if merged.properties.is_empty() && merged.additional.is_none() {
            if let Some((view, member_at)) = merged.non_object.first().cloned() {
                let inner = self.lower_schema(view, &member_at, hint)?;
                base.ty = inner.ty;
                base.nullable |= inner.nullable;
                return Ok(base);
            }
            // Members that say nothing of the value's kind (`{}`, a description, an example)
            // constrain nothing: any JSON value. Only `type: object` makes it an object.
            base.ty = Some(if merged.object_typed { TypeRef::Map(Box::new(TypeRef::Any)) } else { TypeRef::Any });
            return Ok(base);
        }
        // Closed only when every member closes itself: `allOf: [{$ref: Base}, {properties: …}]`
        // with a closed base means the combined properties, which data carries.
        let additional = match merged.additional {
            Some((AdditionalProperties::Schema(s), ap_at)) => Some(self.lower_schema(SchemaView::from(s.as_ref()), &ap_at, &format!("{hint}Value"))?.item()),
            _ if merged.open => Some(TypeRef::Any),
            _ => None,
        };
        let mark = self.types.len();
        let name = self.claim_type_name(hint);
        let fields = self.fields(&name, &merged.properties, &merged.required)?;
        let additional_name = extras_name(&fields);
        let required_undeclared = merged.required.iter().filter(|r| !merged.properties.contains_key(*r)).cloned().collect();
        let def = TypeDef {
            shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(),
            name,
            schema_name: None,
            doc: base.doc.clone(),
            location: self.locate(at),
            kind: TypeKind::Struct(Struct { fields, additional, additional_name, required_undeclared, required_choices: merged.required_choices }),
        };
        base.ty = Some(TypeRef::Named(self.define_or_reuse(def, mark)));
        Ok(base)
    }

    fn merge_members(
        &mut self,
        members: &[SchemaView<'a>],
        at: &str,
        merged: &mut Merged<'a>,
        visiting: &mut Vec<String>,
        top: bool,
    ) -> Result<(), Error> {
        for (i, member) in members.iter().enumerate() {
            let member_at = push_pointer(at, &i.to_string());
            match member {
                SchemaView::Ref(reference) => {
                    if visiting.iter().any(|r| r == reference) {
                        return Err(self.invalid(&member_at, format!("`allOf` reference cycle through `{reference}`")));
                    }
                    let (target, target_at) = self.component_schema(reference, &member_at)?;
                    if top {
                        merged.refs.push(reference);
                    }
                    visiting.push((*reference).to_owned());
                    self.merge_schema(SchemaView::from(target), &target_at, merged, visiting, false)?;
                    visiting.pop();
                }
                SchemaView::Inline(_) => {
                    self.merge_schema(*member, &member_at, merged, visiting, top)?;
                }
            }
        }
        Ok(())
    }

    fn merge_schema(&mut self, view: SchemaView<'a>, at: &str, merged: &mut Merged<'a>, visiting: &mut Vec<String>, top: bool) -> Result<(), Error> {
        let schema = match view {
            SchemaView::Ref(_) => return self.merge_members(&[view], at, merged, visiting, top),
            SchemaView::Inline(s) => s,
        };
        if let Some(choices) = self.doc.required_choices.get(at) {
            merged.add_choices(choices, top);
            // A member that only says which names are required (`anyOf: [{required: [a]}, …]`)
            // is no shape of its own.
            if matches!(&schema.schema_kind, SchemaKind::AnyOf { .. } | SchemaKind::OneOf { .. }) {
                return Ok(());
            }
        }
        let (properties, required, additional) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                merged.object_typed = true;
                (&o.properties, &o.required, o.additional_properties.as_ref())
            }
            SchemaKind::Any(a) if !a.all_of.is_empty() => {
                let members: Vec<SchemaView<'a>> = a.all_of.iter().map(SchemaView::from).collect();
                return self.merge_members(&members, &push_pointer(at, "allOf"), merged, visiting, top);
            }
            SchemaKind::Any(a) => (&a.properties, &a.required, a.additional_properties.as_ref()),
            SchemaKind::AllOf { all_of } => {
                let members: Vec<SchemaView<'a>> = all_of.iter().map(SchemaView::from).collect();
                return self.merge_members(&members, &push_pointer(at, "allOf"), merged, visiting, top);
            }
            _ => {
                merged.non_object.push((view, at.to_owned()));
                if top {
                    merged.structural_inline = true;
                }
                return Ok(());
            }
        };
        let only_description = properties.is_empty() && required.is_empty() && additional.is_none() && matches!(&schema.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.items.is_none() && a.enumeration.is_empty());
        if top && only_description {
            merged.annotations.push((schema, at.to_owned()));
            if let Some(d) = &schema.schema_data.description {
                self.warn(at, "`allOf` member holds only a description; read it as the description of the combined schema");
                merged.description = Some(d.clone());
            }
            return Ok(());
        }
        if top && (!properties.is_empty() || additional.is_some()) {
            // Inline properties that only restate a referenced property's example add nothing.
            let adds_fields = properties.iter().any(|(k, v)| !merged.properties.contains_key(k) || !is_annotation_only(v));
            if adds_fields || additional.is_some() {
                merged.structural_inline = true;
            }
        }
        if top && !required.is_empty() && required.iter().any(|r| !merged.required.contains(r)) {
            merged.structural_inline = true;
        }
        for (name, prop) in properties {
            let prop_at = push_pointer(&push_pointer(at, "properties"), name);
            let (shadowed, shadowed_at) = match merged.properties.get(name) {
                Some(_) if is_annotation_only(prop) => (SchemaView::from(prop), prop_at),
                _ => match merged.properties.insert(name.clone(), (SchemaView::from(prop), prop_at)) {
                    Some(replaced) => replaced,
                    None => continue,
                },
            };
            if let SchemaView::Inline(schema) = shadowed {
                merged.shadowed.push((name.clone(), schema, shadowed_at));
            }
        }
        for r in required {
            if !merged.required.contains(r) {
                merged.required.push(r.clone());
            }
        }
        match additional {
            Some(AdditionalProperties::Any(false)) => {}
            Some(AdditionalProperties::Any(true)) | None => merged.open = true,
            Some(ap @ AdditionalProperties::Schema(_)) => merged.additional = Some((ap, push_pointer(at, "additionalProperties"))),
        }
        Ok(())
    }

    /// Registers a struct, or returns the name of an identical component type (same fields and
    /// shapes) so that `allOf: [$ref: X, {restating X}]` is just `X`. On reuse, the inline types made
    /// for the discarded struct's fields (those defined since `mark`) are discarded too.
    pub(super) fn define_or_reuse(&mut self, def: TypeDef, mark: usize) -> String {
        if let TypeKind::Struct(s) = &def.kind {
            let is_component = self.component_in_progress.as_deref() == Some(def.name.as_str());
            let same = self.types[..mark]
                .iter()
                .filter(|_| !is_component)
                .find(|t| t.schema_name.is_some() && matches!(&t.kind, TypeKind::Struct(o) if same_shape(o, s)));
            if let Some(existing) = same {
                let name = existing.name.clone();
                for orphan in self.types.drain(mark..) {
                    self.type_names.release(&orphan.name);
                }
                self.type_names.release(&def.name);
                return name;
            }
        }
        let name = def.name.clone();
        self.types.push(def);
        name
    }
}

fn same_shape(a: &Struct, b: &Struct) -> bool {
    a.additional == b.additional
        && a.required_choices == b.required_choices
        && a.fields.len() == b.fields.len()
        && a.fields.iter().zip(&b.fields).all(|(x, y)| {
            x.wire_name == y.wire_name && x.ty == y.ty && x.required == y.required && x.nullable == y.nullable && x.constraints == y.constraints
        })
}
