//! Identical inline schemas share one type.
//!
//! Real specs repeat the same inline schema at every use: GitHub's description spells
//! `direction: {enum: [asc, desc]}` in dozens of operations, and without sharing each becomes an enum
//! of its own (3,297 enums where 532 value sets are distinct), every one of which a user's build
//! compiles. Here an inline type whose shape (fields with their types and rules, enum values, union
//! members) equals another's is replaced by it; a component it equals takes its place, else the
//! first of the identical inline types stays, renamed to what the names of all of them end with
//! (`ReposListForOrgDirection` and `PullsListDirection` share `Direction`) when that name is free.
//! Sharing repeats until nothing changes, since fields pointing at shared types make more structs
//! equal.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use heck::ToSnakeCase;
use heck::ToUpperCamelCase;

use crate::ir::{naming, Api, TypeDef, TypeKind, TypeRef};

/// Replaces every inline type of `api` by the one type of its shape; returns how many went.
pub(super) fn share_identical_types(api: &mut Api) -> usize {
    let mut removed = 0;
    loop {
        let renames = plan(&api.types);
        if renames.is_empty() {
            return removed;
        }
        removed += apply(api, &renames);
    }
}

/// A hash of the shape of a type (what makes two types interchangeable on the wire and in the
/// generated code): equal shapes hash equally; [`same_shape`] tells the rest apart.
fn shape_hash(def: &TypeDef) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            0u8.hash(&mut h);
            for f in &s.fields {
                (&f.wire_name, &f.ty, f.required, f.nullable, f.secret).hash(&mut h);
            }
            s.additional.hash(&mut h);
        }
        TypeKind::Enum(e) => {
            1u8.hash(&mut h);
            e.variants.iter().for_each(|v| v.value.hash(&mut h));
        }
        TypeKind::Union(members) => (2u8, members).hash(&mut h),
        TypeKind::Tagged(t) => (4u8, &t.property, t.members().collect::<Vec<_>>()).hash(&mut h),
        TypeKind::Alias(target) => (3u8, target).hash(&mut h),
    }
    h.finish()
}

/// Whether two types have the same shape: the same fields (names, types, rules, defaults), extra
/// properties and alternatives of required names, the same enum values or the same union members
/// with the same rules.
fn same_shape(a: &TypeDef, b: &TypeDef) -> bool {
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => {
            x.additional == y.additional
                && x.required_choices == y.required_choices
                && x.fields.len() == y.fields.len()
                && x.fields.iter().zip(&y.fields).all(|(f, g)| {
                    f.wire_name == g.wire_name && f.ty == g.ty && f.required == g.required && f.nullable == g.nullable && f.secret == g.secret && f.constraints == g.constraints && f.default == g.default
                })
        }
        (TypeKind::Enum(x), TypeKind::Enum(y)) => x.variants.len() == y.variants.len() && x.variants.iter().zip(&y.variants).all(|(v, w)| v.value == w.value),
        (TypeKind::Union(x), TypeKind::Union(y)) => x == y && a.member_rules == b.member_rules,
        (TypeKind::Tagged(x), TypeKind::Tagged(y)) => x == y,
        (TypeKind::Alias(x), TypeKind::Alias(y)) => x == y,
        _ => false,
    }
}

/// One round: for each group of types of equal shape holding an inline type, the old names and the
/// name that replaces them (with the type keeping that name, and its new name if it is renamed).
struct Renames {
    /// Old name -> the name that stands for it from now on.
    to: BTreeMap<String, String>,
    /// Types that stay but take a new name: old -> new.
    renamed: BTreeMap<String, String>,
}

impl Renames {
    fn is_empty(&self) -> bool {
        self.to.is_empty() && self.renamed.is_empty()
    }
}

fn plan(types: &[TypeDef]) -> Renames {
    // Types by shape hash, each bucket split into groups of the same shape.
    let mut buckets: HashMap<u64, Vec<Vec<usize>>> = HashMap::new();
    for (i, def) in types.iter().enumerate() {
        // An alias is a name for another type, not a type to share.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        let bucket = buckets.entry(shape_hash(def)).or_default();
        match bucket.iter_mut().find(|g| same_shape(&types[g[0]], def)) {
            Some(group) => group.push(i),
            None => bucket.push(vec![i]),
        }
    }
    let groups = buckets.into_values().flatten();
    let taken: BTreeSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let mut renames = Renames { to: BTreeMap::new(), renamed: BTreeMap::new() };
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    // Groups in the order of their first type, so that names are claimed deterministically.
    let mut ordered: Vec<Vec<usize>> = groups.filter(|g| g.len() > 1 && g.iter().any(|i| types[*i].schema_name.is_none())).collect();
    ordered.sort_by_key(|g| g[0]);
    for group in &ordered {
        // A component keeps its name; inline types go into it (the first component, if several).
        // Among inline types alone, the one first in the document stays (by pointer, so that the
        // order of keys in the spec changes nothing).
        let first_inline = group.iter().copied().min_by(|a, b| types[*a].location.pointer.cmp(&types[*b].location.pointer)).unwrap_or(group[0]);
        let keeper = group.iter().copied().find(|i| types[*i].schema_name.is_some()).unwrap_or(first_inline);
        let mut name = types[keeper].name.clone();
        if types[keeper].schema_name.is_none() {
            let common = common_suffix(group.iter().map(|i| types[*i].name.as_str()));
            let usable = !common.is_empty() && !naming::is_reserved_type(&common);
            if usable && !taken.contains(common.as_str()) && !claimed.contains(&common) {
                renames.renamed.insert(name.clone(), common.clone());
                name = common;
            }
        }
        claimed.insert(name.clone());
        for &i in group {
            if i != keeper && types[i].schema_name.is_none() {
                renames.to.insert(types[i].name.clone(), name.clone());
            }
        }
    }
    renames
}

/// The words all `names` end with (`ReposListDirection`, `PullsListDirection` -> `Direction`).
fn common_suffix<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let words: Vec<Vec<String>> = names.map(|n| n.to_snake_case().split('_').map(str::to_owned).collect()).collect();
    let Some(first) = words.first() else { return String::new() };
    let mut n = 0;
    while n < first.len() && words.iter().all(|w| w.len() > n && w[w.len() - 1 - n] == first[first.len() - 1 - n]) {
        n += 1;
    }
    // A name of digits alone (`Item2`'s suffix `2`) is no name.
    let suffix = first[first.len() - n..].join("_");
    if suffix.is_empty() || suffix.starts_with(|c: char| c.is_ascii_digit()) {
        return String::new();
    }
    suffix.to_upper_camel_case()
}

fn apply(api: &mut Api, renames: &Renames) -> usize {
    let before = api.types.len();
    let mut shared: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in api.types.iter().filter(|t| renames.to.contains_key(&t.name)) {
        let keeper = shared.entry(renames.to[&t.name].clone()).or_default();
        keeper.push(t.location.pointer.clone());
        keeper.extend(t.shared_with.iter().cloned());
    }
    api.types.retain(|t| !renames.to.contains_key(&t.name));
    for def in &mut api.types {
        if let Some(new) = renames.renamed.get(&def.name) {
            def.name = new.clone();
        }
        if let Some(pointers) = shared.remove(&def.name) {
            def.shared_with.extend(pointers);
            def.shared_with.sort();
        }
    }
    let target = |name: &str| renames.to.get(name).or_else(|| renames.renamed.get(name)).cloned();
    api.for_each_type_ref_mut(&mut |ty| {
        ty.visit_mut(&mut |t| {
            if let TypeRef::Named(n) = t {
                if let Some(new) = target(n) {
                    *n = new;
                }
            }
        })
    });
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    before - api.types.len()
}

#[cfg(test)]
mod tests {
    use super::common_suffix;

    #[test]
    fn shared_names_are_the_words_every_use_ends_with() {
        assert_eq!(common_suffix(["ReposListForOrgDirection", "PullsListDirection"].into_iter()), "Direction");
        assert_eq!(common_suffix(["ListPetsSort", "ListOwnersSortOrder"].into_iter()), "");
        assert_eq!(common_suffix(["Item2", "Thing2"].into_iter()), "");
        assert_eq!(common_suffix(["AccessTokenScope", "CreateTokenScope"].into_iter()), "TokenScope");
    }
}
