//! Cargo features, one per tag: a user of a large API compiles only the part they call.
//!
//! Every operation belongs to the group of its first tag (untagged ones to `untagged`); each group
//! is a feature of all three crates, and `all` (the default) enables every one. A type is compiled
//! when a group whose operations reach it (through parameters, bodies, headers, fields, list items
//! and aliases) is enabled: a type only one group reaches lives in that group's file, the others in
//! the API's module file under `#[cfg(any(...))]`, and types no operation reaches under `all`.
//! An API with a single group gets no features at all.
//!
//! Nested tags (OpenAPI 3.2 `parent`) nest their features: a tag's feature enables the features of
//! the tags nested in it, so `books` compiles `loans` too where `loans` is nested in `books`. A
//! parent tag without operations of its own is a feature that only enables its children's.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{naming, Api, Operation, TypeKind, TypeRef};

/// One group: a tag's operations and the types only they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The Cargo feature (`access-tokens`).
    pub feature: String,
    /// The module and file name (`access_tokens`).
    pub module: String,
}

/// The groups of a set of APIs and what belongs to each.
#[derive(Debug, Clone)]
pub struct Features {
    /// Every group, in the order first met.
    pub groups: Vec<Group>,
    /// Per API: the group index of each operation, then of each webhook.
    operations: Vec<Vec<usize>>,
    webhooks: Vec<Vec<usize>>,
    /// Per API: the groups reaching each type (absent: none).
    types: Vec<BTreeMap<String, BTreeSet<usize>>>,
    /// The features of the tags nested in a tag, by the tag's feature: each a group's, or one
    /// with nested features of its own.
    nested: BTreeMap<String, BTreeSet<String>>,
    /// False when features were turned off: everything is compiled, in one file per module.
    allowed: bool,
}

/// Where a type (or the code for it) goes.
#[derive(Debug, Clone)]
pub enum Placement {
    /// In the file of this group, whose module the feature gates.
    Group(usize),
    /// In the API's module file, compiled when the attribute says.
    Shared(Option<TokenStream>),
}

impl Features {
    /// The groups of `apis`; with `allowed` false, the crates get no features all the same.
    pub fn new(apis: &[Api], allowed: bool) -> Features {
        let mut groups: Vec<Group> = Vec::new();
        let mut index_of = |tag: Option<&String>| -> usize {
            let module = tag.map_or_else(|| "untagged".to_owned(), |t| naming::module_name(t));
            if let Some(i) = groups.iter().position(|g| g.module == module) {
                return i;
            }
            groups.push(Group { feature: module.replace('_', "-"), module });
            groups.len() - 1
        };
        let operations: Vec<Vec<usize>> = apis.iter().map(|a| a.operations.iter().map(|o| index_of(o.tags.first())).collect()).collect();
        let webhooks: Vec<Vec<usize>> = apis.iter().map(|a| a.webhooks.iter().map(|w| index_of(w.operation.tags.first())).collect()).collect();
        let types = apis
            .iter()
            .enumerate()
            .map(|(i, api)| {
                let ops = api.operations.iter().zip(&operations[i]).chain(api.webhooks.iter().map(|w| &w.operation).zip(&webhooks[i]));
                reach(api, ops)
            })
            .collect();
        let nested = nested_features(apis, &groups);
        Features { groups, operations, webhooks, types, nested, allowed }
    }

    /// Whether the crates get features (more than one group).
    pub fn enabled(&self) -> bool {
        self.allowed && self.groups.len() > 1
    }

    /// The features that enable `feature` too: those of the tags its tag is nested in.
    pub fn enabled_by(&self, feature: &str) -> Vec<&str> {
        self.nested.iter().filter(|(_, children)| children.contains(feature)).map(|(parent, _)| parent.as_str()).collect()
    }

    /// The group of operation `op` of API `api`.
    pub fn of_operation(&self, api: usize, op: usize) -> usize {
        self.operations[api][op]
    }

    /// The group of webhook `hook` of API `api`.
    pub fn of_webhook(&self, api: usize, hook: usize) -> usize {
        self.webhooks[api][hook]
    }

    /// Where type `name` of API `api` goes.
    pub fn place_type(&self, api: usize, name: &str) -> Placement {
        if !self.enabled() {
            return Placement::Shared(None);
        }
        match self.types[api].get(name) {
            Some(set) if set.len() == 1 => Placement::Group(*set.iter().next().unwrap_or(&0)),
            Some(set) if set.len() == self.groups.len() => Placement::Shared(None),
            Some(set) => Placement::Shared(Some(self.any_of(set))),
            None => Placement::Shared(Some(quote!(#[cfg(feature = "all")]))),
        }
    }

    /// `#[cfg(feature = "…")]` of one group, when there are features.
    pub fn cfg_of(&self, group: usize) -> Option<TokenStream> {
        self.enabled().then(|| {
            let feature = &self.groups[group].feature;
            quote!(#[cfg(feature = #feature)])
        })
    }

    fn any_of(&self, set: &BTreeSet<usize>) -> TokenStream {
        let features = set.iter().map(|g| self.groups[*g].feature.as_str());
        quote!(#[cfg(any(#(feature = #features),*))])
    }

    /// The `[features]` table of a crate: `default = ["all"]`, `all`, and one feature per group,
    /// each also enabling the same feature of the crates in `forward` (`dockerhub-models`).
    pub fn cargo_table(&self, forward: &[String]) -> Vec<(String, Vec<String>)> {
        if !self.enabled() {
            return Vec::new();
        }
        let mut table = vec![("default".to_owned(), vec!["all".to_owned()])];
        table.push(("all".to_owned(), self.groups.iter().map(|g| g.feature.clone()).chain(forward.iter().map(|c| format!("{c}/all"))).collect()));
        let nested = |feature: &str| self.nested.get(feature).into_iter().flatten().cloned();
        for g in &self.groups {
            table.push((g.feature.clone(), nested(&g.feature).chain(forward.iter().map(|c| format!("{c}/{}", g.feature))).collect()));
        }
        let umbrellas = self.nested.keys().filter(|f| !self.groups.iter().any(|g| &g.feature == *f));
        for feature in umbrellas {
            table.push((feature.clone(), nested(feature).chain(forward.iter().map(|c| format!("{c}/{feature}"))).collect()));
        }
        table
    }
}

/// The features of the tags nested in each tag of `apis` (3.2 `parent`), by the parent's feature;
/// only those that compile something: a group's, or a parent's of one.
fn nested_features(apis: &[Api], groups: &[Group]) -> BTreeMap<String, BTreeSet<String>> {
    let feature = |tag: &str| naming::module_name(tag).replace('_', "-");
    let pairs: BTreeSet<(String, String)> = apis.iter().flat_map(|a| &a.tags).filter_map(|t| Some((feature(t.parent.as_deref()?), feature(&t.name)))).collect();
    let mut live: BTreeSet<String> = groups.iter().map(|g| g.feature.clone()).collect();
    // A parent is live once a child is: parents of parents settle in as many rounds as levels.
    loop {
        let before = live.len();
        live.extend(pairs.iter().filter(|(_, child)| live.contains(child)).map(|(parent, _)| parent.clone()).collect::<Vec<_>>());
        if live.len() == before {
            break;
        }
    }
    let mut nested: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (parent, child) in pairs.into_iter().filter(|(p, c)| live.contains(c) && p != c) {
        nested.entry(parent).or_default().insert(child);
    }
    nested
}

/// The groups reaching each named type of `api`.
fn reach<'a>(api: &Api, ops: impl Iterator<Item = (&'a Operation, &'a usize)>) -> BTreeMap<String, BTreeSet<usize>> {
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in &api.types {
        let out = children.entry(t.name.as_str()).or_default();
        match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).for_each(|ty| named_in(ty, out)),
            TypeKind::Alias(target) => named_in(target, out),
            TypeKind::Union(members) => members.iter().for_each(|ty| named_in(ty, out)),
            TypeKind::Tagged(t) => t.members().for_each(|ty| named_in(ty, out)),
            TypeKind::Enum(_) => {}
        }
    }
    let mut roots: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (op, group) in ops {
        let out = roots.entry(*group).or_default();
        op.params.iter().for_each(|p| named_in(&p.ty, out));
        let bodies = op.body.iter().flat_map(|b| &b.content).chain(op.responses.iter().flat_map(|r| &r.content));
        bodies.filter_map(|c| c.ty.as_ref()).for_each(|t| named_in(t, out));
        op.responses.iter().flat_map(|r| &r.headers).for_each(|h| named_in(&h.ty, out));
    }
    let mut reached: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (group, start) in roots {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack = start;
        while let Some(name) = stack.pop() {
            if seen.insert(name) {
                reached.entry(name.to_owned()).or_default().insert(group);
                stack.extend(children.get(name).into_iter().flatten());
            }
        }
    }
    reached
}

/// The named types in `ty`.
fn named_in<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named_in(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|t| named_in(t, out)),
        _ => {}
    }
}
