//! Named types compared: fields (by wire name), enum values, union members, alias targets.
//!
//! A type's changes are not judged here: whom they break depends on where the type is used, which
//! is only known once every type and operation has been looked at (see the parent module). So they
//! come out with their [`Effect`], and with the field they concern, which lets [`fold_included`]
//! recognise a change that `allOf` copied from a shared schema into the types that include it.

use std::collections::{BTreeMap, BTreeSet};

use super::classify::Effect;
use super::constraints;
use super::ops::{default_words, required_word};
use super::pair::{describe, describe_kind, Ctx};
use super::report::ChangeKind;
use crate::ir::{Field, Struct, TypeDef, TypeKind, TypeRef};

/// A change inside a type, not judged yet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawChange {
    pub kind: ChangeKind,
    pub subject: String,
    pub detail: String,
    pub effect: Effect,
    /// The field it concerns (wire name), if any.
    pub field: Option<String>,
    /// Where in the type, as change ids name it: `properties/<field>`, `enum`, `oneOf`,
    /// `discriminator`, `additionalProperties`, or empty for the type as a whole.
    pub key: String,
}

/// One type in both versions, compared.
#[derive(Debug)]
pub(crate) struct TypeDiff<'a> {
    pub old: &'a TypeDef,
    pub new: &'a TypeDef,
    pub changes: Vec<RawChange>,
    pub docs: Vec<String>,
    /// Types whose identical changes were folded into this one.
    pub included_in: BTreeSet<String>,
}

/// Compares a paired type.
pub(crate) fn diff_type<'a>(ctx: &Ctx<'_>, old: &'a TypeDef, new: &'a TypeDef) -> TypeDiff<'a> {
    let mut diff = TypeDiff { old, new, changes: Vec::new(), docs: Vec::new(), included_in: BTreeSet::new() };
    if old.doc != new.doc {
        diff.docs.push("description".into());
    }
    // The changed rules of union members kept, each with its key (`oneOf/<index>`).
    let mut member_rules = Vec::new();
    let mut push = |kind, subject: &str, detail: String, effect, field: Option<&str>| {
        let key = match (field, kind, subject) {
            (Some(field), ..) => crate::diag::push_pointer("properties", field),
            (None, ChangeKind::EnumValuesAdded | ChangeKind::EnumValuesRemoved, _) => "enum".into(),
            (None, ChangeKind::UnionMembersAdded | ChangeKind::UnionMembersRemoved, _) => "oneOf".into(),
            (None, ChangeKind::AdditionalPropertiesChanged, _) => "additionalProperties".into(),
            (None, _, "discriminator") => "discriminator".into(),
            (None, ..) => String::new(),
        };
        diff.changes.push(RawChange { kind, subject: subject.to_owned(), detail, effect, field: field.map(str::to_owned), key });
    };
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            let docs = struct_changes(ctx, a, b, &mut push);
            diff.docs.extend(docs);
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            let values = |e: &crate::ir::Enum| e.variants.iter().map(|v| v.value.clone()).collect::<BTreeSet<_>>();
            let (before, after) = (values(a), values(b));
            let list = |s: BTreeSet<&String>| s.into_iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
            let added: BTreeSet<&String> = after.difference(&before).collect();
            let removed: BTreeSet<&String> = before.difference(&after).collect();
            if !added.is_empty() {
                push(ChangeKind::EnumValuesAdded, "enum values", format!("added {}", list(added)), Effect::ValueAdded, None);
            }
            if !removed.is_empty() {
                push(ChangeKind::EnumValuesRemoved, "enum values", format!("removed {}", list(removed)), Effect::ValueRemoved, None);
            }
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            let mut unmatched: Vec<(usize, &TypeRef)> = b.iter().enumerate().collect();
            let mut removed = Vec::new();
            let none = crate::ir::Constraints::default();
            let rules = |def: &'a TypeDef, i: usize| def.member_rules.get(i).unwrap_or(&none).clone();
            for (i, member) in a.iter().enumerate() {
                match unmatched.iter().position(|(_, m)| ctx.same(member, m)) {
                    Some(at) => {
                        let (j, _) = unmatched.remove(at);
                        // A member's own rules (`{type: string, minLength: 1}`) decide which
                        // values it admits as much as its type does.
                        if let Some((detail, effect)) = constraints::compare(&rules(old, i), &rules(new, j)) {
                            member_rules.push((format!("alternative {}", describe(member)), detail, effect, format!("oneOf/{j}")));
                        }
                    }
                    None => removed.push(describe(member)),
                }
            }
            if !unmatched.is_empty() {
                let added = unmatched.iter().map(|(_, m)| describe(m)).collect::<Vec<_>>().join(", ");
                push(ChangeKind::UnionMembersAdded, "alternatives (`oneOf`/`anyOf`)", format!("added {added}"), Effect::ValueAdded, None);
            }
            if !removed.is_empty() {
                push(ChangeKind::UnionMembersRemoved, "alternatives (`oneOf`/`anyOf`)", format!("removed {}", removed.join(", ")), Effect::ValueRemoved, None);
            }
        }
        (TypeKind::Tagged(a), TypeKind::Tagged(b)) => {
            let tags = |t: &crate::ir::Tagged| t.variants.iter().flat_map(|v| v.values.iter().cloned()).collect::<std::collections::BTreeSet<String>>();
            let (before, after) = (tags(a), tags(b));
            let added: Vec<String> = after.difference(&before).map(|v| format!("`{v}`")).collect();
            let removed: Vec<String> = before.difference(&after).map(|v| format!("`{v}`")).collect();
            if a.property != b.property {
                push(ChangeKind::TypeChanged, "discriminator", format!("`{}` → `{}`", a.property, b.property), Effect::TypeChanged, None);
            }
            if !added.is_empty() {
                push(ChangeKind::UnionMembersAdded, "subtypes (by `discriminator`)", format!("added {}", added.join(", ")), Effect::ValueAdded, None);
            }
            if !removed.is_empty() {
                push(ChangeKind::UnionMembersRemoved, "subtypes (by `discriminator`)", format!("removed {}", removed.join(", ")), Effect::ValueRemoved, None);
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            if !ctx.same(a, b) {
                push(ChangeKind::TypeChanged, "type", format!("{} → {}", describe(a), describe(b)), Effect::TypeChanged, None);
            }
        }
        (a, b) => {
            // A kind change that only moves a shape behind an alias is no change on the wire.
            let as_ref = |def: &TypeDef| match &def.kind {
                TypeKind::Alias(target) => target.clone(),
                _ => TypeRef::Named(def.name.clone()),
            };
            let through_alias = matches!(a, TypeKind::Alias(_)) || matches!(b, TypeKind::Alias(_));
            if !(through_alias && ctx.same(&as_ref(old), &as_ref(new))) {
                push(ChangeKind::TypeChanged, "type", format!("was {}, now {}", describe_kind(a), describe_kind(b)), Effect::TypeChanged, None);
            }
        }
    }
    for (subject, detail, effect, key) in member_rules {
        diff.changes.push(RawChange { kind: ChangeKind::ConstraintsChanged, subject, detail, effect, field: None, key });
    }
    diff
}

type Push<'p> = dyn FnMut(ChangeKind, &str, String, Effect, Option<&str>) + 'p;

/// Field and additional-property changes of a struct; returns its documentation changes.
fn struct_changes(ctx: &Ctx<'_>, a: &Struct, b: &Struct, push: &mut Push<'_>) -> Vec<String> {
    let by_wire = |s: &Struct| s.fields.iter().map(|f| (f.wire_name.clone(), f.clone())).collect::<BTreeMap<_, _>>();
    let (old, new) = (by_wire(a), by_wire(b));
    let mut docs = Vec::new();
    for wire in old.keys().chain(new.keys()).collect::<BTreeSet<_>>() {
        let subject = format!("field `{wire}`");
        let field = Some(wire.as_str());
        match (old.get(wire), new.get(wire)) {
            (Some(f), None) => push(ChangeKind::FieldRemoved, &subject, format!("removed (was {})", required_word(f.required)), Effect::Removed, field),
            (None, Some(f)) => {
                let effect = if f.required { Effect::AddedRequired } else { Effect::AddedOptional };
                push(ChangeKind::FieldAdded, &subject, format!("added, {}", field_words(f)), effect, field);
            }
            (Some(f), Some(g)) => {
                if !ctx.same(&f.ty, &g.ty) {
                    push(ChangeKind::TypeChanged, &subject, format!("type {} → {}", describe(&f.ty), describe(&g.ty)), type_effect(ctx, &f.ty, &g.ty), field);
                }
                if (f.read_only, f.write_only) != (g.read_only, g.write_only) {
                    let (detail, effect) = match (g.read_only && !f.read_only, g.write_only && !f.write_only) {
                        (true, _) => ("now read-only: requests no longer set it", Effect::LeftRequests),
                        (_, true) => ("now write-only: answers no longer carry it", Effect::LeftAnswers),
                        _ => ("no longer read-only or write-only", Effect::Neutral),
                    };
                    push(ChangeKind::AccessChanged, &subject, detail.into(), effect, field);
                }
                if f.required != g.required {
                    let effect = if g.required { Effect::BecameRequired } else { Effect::BecameOptional };
                    push(ChangeKind::RequiredChanged, &subject, format!("was {}, now {}", required_word(f.required), required_word(g.required)), effect, field);
                }
                if f.nullable != g.nullable {
                    let (effect, detail) = if g.nullable { (Effect::BecameNullable, "may now be null") } else { (Effect::BecameNonNullable, "may no longer be null") };
                    push(ChangeKind::NullableChanged, &subject, detail.into(), effect, field);
                }
                if let Some((detail, effect)) = constraints::compare(&f.constraints, &g.constraints) {
                    push(ChangeKind::ConstraintsChanged, &subject, detail, effect, field);
                }
                if f.default != g.default {
                    push(ChangeKind::DefaultChanged, &subject, default_words(&f.default, &g.default), Effect::DefaultChanged, field);
                }
                if f.doc != g.doc {
                    docs.push(format!("description of {subject}"));
                }
            }
            (None, None) => {}
        }
    }
    let subject = "additional properties";
    match (&a.additional, &b.additional) {
        (None, Some(t)) => push(ChangeKind::AdditionalPropertiesChanged, subject, format!("now allowed ({})", describe(t)), Effect::Loosened, None),
        (Some(_), None) => push(ChangeKind::AdditionalPropertiesChanged, subject, "no longer allowed".into(), Effect::Tightened, None),
        (Some(s), Some(t)) if !ctx.same(s, t) => {
            push(ChangeKind::AdditionalPropertiesChanged, subject, format!("type {} → {}", describe(s), describe(t)), Effect::TypeChanged, None);
        }
        _ => {}
    }
    docs
}

fn field_words(f: &Field) -> String {
    let nullable = if f.nullable { ", nullable" } else { "" };
    format!("{}{nullable}, {}", required_word(f.required), describe(&f.ty))
}

/// `allOf` copies a shared schema's fields into every schema that includes it, so one change to the
/// shared schema shows up in each of them. A change of struct `S` on a field that a component
/// struct `B` also changed identically, where `B`'s fields are a subset of `S`'s in both versions,
/// is dropped from `S` and `S` is recorded as including `B` (the smallest such `B` wins): the change
/// is then reported once, on `B`, with `S`'s operations among those it reaches.
pub(crate) fn fold_included(diffs: &mut [TypeDiff<'_>]) {
    let fields = |def: &TypeDef| match &def.kind {
        TypeKind::Struct(s) => Some(s.fields.iter().map(|f| f.wire_name.clone()).collect::<BTreeSet<_>>()),
        _ => None,
    };
    let shapes: Vec<Option<(BTreeSet<String>, BTreeSet<String>)>> = diffs.iter().map(|d| fields(d.old).zip(fields(d.new))).collect();
    let mut moves: Vec<(usize, usize, usize)> = Vec::new(); // (includer, change index, included)
    for (s, diff) in diffs.iter().enumerate() {
        let Some((s_old, s_new)) = &shapes[s] else { continue };
        for (c, change) in diff.changes.iter().enumerate() {
            if change.field.is_none() {
                continue;
            }
            let best = diffs
                .iter()
                .enumerate()
                .filter(|(b, d)| *b != s && d.new.schema_name.is_some() && d.changes.contains(change))
                .filter_map(|(b, d)| {
                    let (b_old, b_new) = shapes[b].as_ref()?;
                    let included = !b_old.is_empty() && b_old.is_subset(s_old) && b_new.is_subset(s_new) && (b_old.len(), b_new.len()) != (s_old.len(), s_new.len());
                    included.then(|| (b_old.len() + b_new.len(), d.new.name.clone(), b))
                })
                .min();
            if let Some((_, _, b)) = best {
                moves.push((s, c, b));
            }
        }
    }
    for &(s, c, b) in moves.iter().rev() {
        diffs[s].changes.remove(c);
        let includer = diffs[s].new.name.clone();
        diffs[b].included_in.insert(includer);
    }
}

/// How a change of type affects values: `integer` to `number` admits more values (widened),
/// `number` to `integer` fewer, and so do items or values that become nullable or no longer are;
/// a type that became one of a union holding it (`type: integer` → `type: [integer, string]`)
/// is widened, the other way narrowed; any JSON value (an untyped body or field) becoming a type is
/// narrowed, the other way widened. Any other change is a different type.
pub(crate) fn type_effect(ctx: &Ctx<'_>, old: &TypeRef, new: &TypeRef) -> Effect {
    fn members(def: Option<&TypeDef>) -> Option<&[TypeRef]> {
        match &def?.kind {
            TypeKind::Union(members) => Some(members),
            _ => None,
        }
    }
    let named = |ty: &TypeRef| if let TypeRef::Named(name) = ty { Some(name.clone()) } else { None };
    let old_union = named(old).and_then(|n| members(ctx.old_type(&n)));
    let new_union = named(new).and_then(|n| members(ctx.new_type(&n)));
    match (old, new) {
        (TypeRef::Integer { .. }, TypeRef::Number { .. }) => Effect::Loosened,
        (TypeRef::Number { .. }, TypeRef::Integer { .. }) => Effect::Tightened,
        (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => type_effect(ctx, a, b),
        (a, TypeRef::Nullable(b)) if **b == *a => Effect::Loosened,
        (TypeRef::Nullable(a), b) if **a == *b => Effect::Tightened,
        (TypeRef::Any, _) => Effect::Tightened,
        (_, TypeRef::Any) => Effect::Loosened,
        _ if new_union.is_some_and(|members| members.iter().any(|m| ctx.same(old, m))) => Effect::Loosened,
        _ if old_union.is_some_and(|members| members.iter().any(|m| ctx.same(m, new))) => Effect::Tightened,
        _ => Effect::TypeChanged,
    }
}

#[cfg(test)]
mod tests {
    use super::type_effect;
    use crate::diff::classify::Effect;
    use crate::diff::pair::Ctx;
    use crate::ir::{Api, TypeRef};

    #[test]
    fn items_that_become_nullable_admit_more_values() {
        let api = Api::default();
        let ctx = Ctx::new(&api, &api);
        let named = |n: &str| TypeRef::Named(n.into());
        let list = |t: TypeRef| TypeRef::List(Box::new(t));
        let null = |t: TypeRef| TypeRef::Nullable(Box::new(t));
        assert_eq!(type_effect(&ctx, &list(named("App")), &list(null(named("App")))), Effect::Loosened);
        assert_eq!(type_effect(&ctx, &TypeRef::Map(Box::new(null(TypeRef::String))), &TypeRef::Map(Box::new(TypeRef::String))), Effect::Tightened);
        assert_eq!(type_effect(&ctx, &list(named("App")), &list(null(named("Bot")))), Effect::TypeChanged);
        assert_eq!(type_effect(&ctx, &TypeRef::Any, &named("Pet")), Effect::Tightened, "a body typed where it was any JSON");
        assert_eq!(type_effect(&ctx, &named("Pet"), &TypeRef::Any), Effect::Loosened);
    }
}
