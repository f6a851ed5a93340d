//! Which old type is which new type, when two type references mean the same thing, and which
//! operations reach each type.
//!
//! Type names are decided by the generator and can shift when a spec is merely reordered (an inline
//! schema reached first from another place gets that place's name; an inline object identical to a
//! component reuses the component only if the component came first). So types are paired by what
//! the spec calls them, not by their Rust name alone: components by schema name, inline schemas by
//! name and JSON pointer, then by either. References are compared structurally, so a renamed or
//! re-homed type with the same shape is no change on the wire.

use std::collections::{BTreeMap, BTreeSet};

use super::classify::Side;
use crate::ir::{Api, Method, TypeDef, TypeKind, TypeRef};

/// An operation's identity across versions: its path and method (sorted by path first).
pub(crate) type OpKey = (String, Method);

/// For each type name, the operations that reach it and from which sides.
pub(crate) type Usage = BTreeMap<String, BTreeMap<OpKey, BTreeSet<Side>>>;

/// The two APIs being compared, with their types paired.
pub(crate) struct Ctx<'a> {
    /// The old API.
    pub old: &'a Api,
    /// The new API.
    pub new: &'a Api,
    old_types: BTreeMap<&'a str, &'a TypeDef>,
    new_types: BTreeMap<&'a str, &'a TypeDef>,
    /// Old type name -> new type name.
    pub to_new: BTreeMap<String, String>,
    /// The day of the review (`YYYY-MM-DD`, UTC): sunsets on or before it have passed.
    pub today: String,
}

impl<'a> Ctx<'a> {
    /// Pairs the types of `old` and `new`.
    pub fn new(old: &'a Api, new: &'a Api) -> Self {
        let old_types: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let new_types: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let to_new = pair_types(&old.types, &new.types);
        Ctx { old, new, old_types, new_types, to_new, today: super::policy::today() }
    }

    /// The old type named `name`.
    pub fn old_type(&self, name: &str) -> Option<&'a TypeDef> {
        self.old_types.get(name).copied()
    }

    /// The new type named `name`.
    pub fn new_type(&self, name: &str) -> Option<&'a TypeDef> {
        self.new_types.get(name).copied()
    }

    /// True when `old` (in the old API) and `new` (in the new API) describe the same values. Paired
    /// named types count as the same: what changed inside them is reported on the type itself.
    pub fn same(&self, old: &TypeRef, new: &TypeRef) -> bool {
        self.equivalent(old, new, &mut BTreeSet::new())
    }

    fn equivalent(&self, old: &TypeRef, new: &TypeRef, seen: &mut BTreeSet<(String, String)>) -> bool {
        if let (TypeRef::Named(a), TypeRef::Named(b)) = (old, new) {
            if self.to_new.get(a) == Some(b) {
                return true;
            }
        }
        let (old, new) = (resolve(&self.old_types, old), resolve(&self.new_types, new));
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                if self.to_new.get(a) == Some(b) || !seen.insert((a.clone(), b.clone())) {
                    return true;
                }
                match (self.old_type(a).map(|t| &t.kind), self.new_type(b).map(|t| &t.kind)) {
                    (Some(TypeKind::Struct(x)), Some(TypeKind::Struct(y))) => {
                        let additional = match (&x.additional, &y.additional) {
                            (None, None) => true,
                            (Some(p), Some(q)) => self.equivalent(p, q, seen),
                            _ => false,
                        };
                        additional
                            && x.fields.len() == y.fields.len()
                            && x.fields.iter().all(|f| {
                                y.fields.iter().find(|g| g.wire_name == f.wire_name).is_some_and(|g| {
                                    f.required == g.required && f.nullable == g.nullable && f.constraints == g.constraints && self.equivalent(&f.ty, &g.ty, seen)
                                })
                            })
                    }
                    (Some(TypeKind::Enum(x)), Some(TypeKind::Enum(y))) => {
                        let values = |e: &crate::ir::Enum| e.variants.iter().map(|v| v.value.clone()).collect::<BTreeSet<_>>();
                        values(x) == values(y)
                    }
                    (Some(TypeKind::Union(x)), Some(TypeKind::Union(y))) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| self.equivalent(p, q, seen)),
                    (Some(TypeKind::Tagged(x)), Some(TypeKind::Tagged(y))) => {
                        x.property == y.property
                            && x.variants.len() == y.variants.len()
                            && x.variants.iter().zip(&y.variants).all(|(p, q)| p.values == q.values && self.equivalent(&p.ty, &q.ty, seen))
                            && match (&x.fallback, &y.fallback) {
                                (Some(p), Some(q)) => self.equivalent(p, q, seen),
                                (p, q) => p.is_none() && q.is_none(),
                            }
                    }
                    (None, None) => a == b,
                    _ => false,
                }
            }
            (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => self.equivalent(a, b, seen),
            (a, b) => a == b,
        }
    }
}

/// Follows aliases (a bounded number of times: cycles were rejected when lowering, but be safe).
fn resolve<'t>(types: &BTreeMap<&str, &'t TypeDef>, mut ty: &'t TypeRef) -> &'t TypeRef {
    for _ in 0..32 {
        match ty {
            TypeRef::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// Pairs old and new types: components by schema name; inline schemas by name and pointer, then by
/// name, then by pointer. Each type is paired at most once, with the first new type (in the new
/// API's order) a rule admits. The candidates of each rule are looked up by key, not searched: a
/// spec of thousands of types would otherwise compare every old type with every new one.
fn pair_types(old: &[TypeDef], new: &[TypeDef]) -> BTreeMap<String, String> {
    type Key<'t> = (Option<&'t str>, Option<&'t str>);
    let rules: [fn(&TypeDef) -> Option<Key<'_>>; 4] = [
        |t| t.schema_name.as_deref().map(|s| (Some(s), None)),
        |t| t.schema_name.is_none().then_some((Some(t.name.as_str()), Some(t.location.pointer.as_str()))),
        |t| Some((Some(t.name.as_str()), None)),
        |t| t.schema_name.is_none().then_some((None, Some(t.location.pointer.as_str()))),
    ];
    let mut to_new = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for rule in rules {
        let mut candidates: BTreeMap<Key<'_>, std::collections::VecDeque<&TypeDef>> = BTreeMap::new();
        for b in new {
            if let Some(key) = rule(b) {
                candidates.entry(key).or_default().push_back(b);
            }
        }
        for a in old {
            if to_new.contains_key(&a.name) {
                continue;
            }
            let Some(queue) = rule(a).and_then(|key| candidates.get_mut(&key)) else { continue };
            while let Some(b) = queue.front() {
                if taken.contains(&b.name) {
                    queue.pop_front();
                    continue;
                }
                taken.insert(b.name.clone());
                to_new.insert(a.name.clone(), b.name.clone());
                queue.pop_front();
                break;
            }
        }
    }
    to_new
}

/// An API's webhooks and callbacks as operations named for the report: path `webhook <name>` or
/// `callback <name> <URL expression>`, so that they pair by name and never meet a real path.
pub(crate) fn webhook_operations(api: &Api) -> Vec<crate::ir::Operation> {
    api.webhooks
        .iter()
        .map(|w| {
            let mut op = w.operation.clone();
            op.path = match &w.callback {
                Some(_) => format!("callback {} {}", w.name, w.operation.path),
                None => format!("webhook {}", w.name),
            };
            op
        })
        .collect()
}

/// For every type of `api`, the operations (webhooks included, their sides flipped) that reach it
/// and from which side, through fields, aliases, unions, lists and maps.
pub(crate) fn usage(api: &Api) -> Usage {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut out = Usage::new();
    let hooks = webhook_operations(api);
    for (op, flipped) in api.operations.iter().map(|o| (o, false)).chain(hooks.iter().map(|o| (o, true))) {
        let key: OpKey = (op.path.clone(), op.method.clone());
        let request = op.params.iter().map(|p| &p.ty).chain(op.body.iter().flat_map(|b| b.content.iter().filter_map(|c| c.ty.as_ref())));
        let response = op.responses.iter().flat_map(|r| r.content.iter().filter_map(|c| c.ty.as_ref()).chain(r.headers.iter().map(|h| &h.ty)));
        for (side, roots) in [(Side::Request, request.collect::<Vec<_>>()), (Side::Response, response.collect())] {
            let mut reached = BTreeSet::new();
            for root in roots {
                reach(&types, root, &mut reached);
            }
            let side = if flipped { side.flipped() } else { side };
            for name in reached {
                out.entry(name.to_owned()).or_default().entry(key.clone()).or_default().insert(side);
            }
        }
    }
    out
}

fn reach<'t>(types: &BTreeMap<&str, &'t TypeDef>, ty: &'t TypeRef, reached: &mut BTreeSet<&'t str>) {
    match ty {
        TypeRef::Named(name) => {
            let Some(def) = types.get(name.as_str()) else { return };
            if !reached.insert(def.name.as_str()) {
                return;
            }
            for child in children(&def.kind) {
                reach(types, child, reached);
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => reach(types, inner, reached),
        _ => {}
    }
}

/// The type references a type holds.
pub(crate) fn children(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()).collect(),
        TypeKind::Alias(t) => vec![t],
        TypeKind::Union(members) => members.iter().collect(),
        TypeKind::Tagged(t) => t.members().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// A type reference in words a reader of the spec knows.
pub(crate) fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("`{name}`"),
        TypeRef::String => "string".into(),
        TypeRef::Integer { bits: 64, signed: true } => "integer".into(),
        TypeRef::Integer { bits, signed: true } => format!("integer (int{bits})"),
        TypeRef::Integer { bits, signed: false } => format!("integer (uint{bits})"),
        TypeRef::Number { bits: 32 } => "number (float)".into(),
        TypeRef::Number { .. } => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::DateTime => "date-time string".into(),
        TypeRef::Date => "date string".into(),
        TypeRef::Uuid => "UUID string".into(),
        TypeRef::Url => "URL string".into(),
        TypeRef::Ipv4 => "IPv4 address string".into(),
        TypeRef::Ipv6 => "IPv6 address string".into(),
        TypeRef::Bytes => "base64 string (byte)".into(),
        TypeRef::Binary => "binary string".into(),
        TypeRef::Tuple(items) => format!("tuple ({})", items.iter().map(describe).collect::<Vec<_>>().join(", ")),
        TypeRef::External(path) => format!("`{path}` (the user's type)"),
        TypeRef::List(inner) => format!("array of {}", describe(inner)),
        TypeRef::Map(inner) => format!("map of {}", describe(inner)),
        TypeRef::Nullable(inner) => format!("nullable {}", describe(inner)),
        TypeRef::Any => "any JSON value".into(),
    }
}

/// A named type's shape in words.
pub(crate) fn describe_kind(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(_) => "an object".into(),
        TypeKind::Enum(_) => "a string enum".into(),
        TypeKind::Union(_) => "one of several shapes".into(),
        TypeKind::Tagged(t) => format!("one of several shapes, by its `{}`", t.property),
        TypeKind::Alias(target) => describe(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::ir::{Enum, Variant};

    fn def(name: &str, schema: Option<&str>, pointer: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(),
            name: name.into(),
            schema_name: schema.map(Into::into),
            doc: None,
            location: Location { file: "f.yaml".into(), line: None, pointer: pointer.into() },
            kind,
        }
    }

    fn status(values: &[&str]) -> TypeKind {
        TypeKind::Enum(Enum { variants: values.iter().map(|v| Variant { name: v.to_uppercase(), value: (*v).into() }).collect(), fallback: "Unknown".into() })
    }

    #[test]
    fn inline_types_pair_by_pointer_when_their_names_shift() {
        let old = [def("AStatus", None, "/components/schemas/A/properties/status", status(&["on"]))];
        let new = [def("BStatus", None, "/components/schemas/A/properties/status", status(&["on"]))];
        assert_eq!(pair_types(&old, &new).get("AStatus").map(String::as_str), Some("BStatus"));
    }

    #[test]
    fn components_pair_by_schema_name_and_aliases_are_seen_through() {
        let old_api = Api {
            module: "m".into(),
            source: "old.yaml".into(),
            types: vec![def("Id", Some("Id"), "/components/schemas/Id", TypeKind::Alias(TypeRef::String))],
            ..Api::default()
        };
        let new_api = Api { types: Vec::new(), ..old_api.clone() };
        let ctx = Ctx::new(&old_api, &new_api);
        assert!(ctx.same(&TypeRef::Named("Id".into()), &TypeRef::String));
        assert!(!ctx.same(&TypeRef::Named("Id".into()), &TypeRef::Boolean));
        assert!(ctx.same(&TypeRef::List(Box::new(TypeRef::Named("Id".into()))), &TypeRef::List(Box::new(TypeRef::String))));
    }
}
