//! How a server tells apart operations whose requests look alike: the same method on paths a
//! router matches alike (`/compare/{basehead}` and `/compare/{base}...{head}`, AWS's
//! `/#X-Amz-Target=Svc.Action` and `/#X-Amz-Target=Svc.Other`, whose fragments never reach a
//! server). A request goes to the first operation, in [`order`], whose template its path
//! matches and whose [`markers`] it carries. Operations that nothing tells apart are a defect of
//! the spec: the later ones are never reached, which [`shadowed_by`] names and the loader warns
//! about.

use super::{Api, Operation, ParamLocation, TypeKind, TypeRef};

/// Something a request carries that says which operation it is for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Marker<'a> {
    /// Where: a query, header or cookie parameter.
    pub location: ParamLocation,
    /// The parameter's name on the wire.
    pub name: &'a str,
    /// The one value it allows, or `None` where any value will do (a required query parameter
    /// the operation declares).
    pub value: Option<String>,
}

/// The part of a path template a server sees: up to a `#` (a fragment: AWS writes
/// `/tags/{arn}#tagKeys` to tell operations apart) or a `?` (a query written into the path).
pub fn routed(path: &str) -> &str {
    path.find(['#', '?']).map_or(path, |end| &path[..end])
}

/// The markers of `op`: each required parameter outside the path that allows one value (AWS
/// tells the operations sharing `POST /` apart by `X-Amz-Target`, others sharing a path by a
/// query value, `#operation=delete`), and each other required query parameter, by its presence,
/// where no other operation of the same method and path takes it as optional (Box's
/// `PUT /files/{id}#add_shared_link` requires `fields`, `PUT /files/{id}` has none; but
/// `GET /files/{id}` takes an optional `fields`, so `fields` does not tell
/// `GET /files/{id}#get_shared_link` from it).
pub fn markers<'o>(api: &Api, op: &'o Operation) -> Vec<Marker<'o>> {
    let path = template(op);
    let declared_by_others = |name: &str| {
        api.operations.iter().any(|o| !std::ptr::eq(o, op) && o.method == op.method && o.params.iter().any(|p| p.location == ParamLocation::Query && p.wire_name == name && !p.required) && template(o) == path)
    };
    let mut markers: Vec<Marker<'o>> = op
        .params
        .iter()
        // A query string is the whole query: it tells nothing apart that the others do not.
        .filter(|p| p.required && !matches!(p.location, ParamLocation::Path | ParamLocation::QueryString))
        .filter_map(|p| {
            let value = match (&p.ty, p.constraints.allowed.as_slice()) {
                (_, [one]) => Some(one.as_str().map_or_else(|| one.to_string(), str::to_owned)),
                (TypeRef::Named(name), _) => match api.type_def(name).map(|def| &def.kind) {
                    Some(TypeKind::Enum(e)) if e.variants.len() == 1 => Some(e.variants[0].value.clone()),
                    _ => None,
                },
                _ => None,
            };
            let present = p.location == ParamLocation::Query && !declared_by_others(&p.wire_name);
            (value.is_some() || present).then_some(Marker { location: p.location, name: p.wire_name.as_str(), value })
        })
        .collect();
    markers.sort();
    markers
}

/// The template a router matches `op` by: its routed path with every parameter unnamed, so that
/// `/a/{id}` and `/a/{name}` are one.
fn template(op: &Operation) -> String {
    let mut out = String::new();
    let mut rest = routed(&op.path);
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..=start]);
        rest = rest[start..].find('}').map_or("", |end| &rest[start + end..]);
    }
    out.push_str(rest);
    out
}

/// The literal text of a template, by length: a more specific path is tried first.
fn literal(op: &Operation) -> usize {
    routed(&op.path).split('{').map(|p| p.split_once('}').map_or(p, |(_, l)| l).len()).sum()
}

/// `ops` (of one method, routed alike) in the order a server tries them: the most literal text
/// first, then the most markers, then as the spec lists them.
pub fn order<'o>(api: &Api, ops: &[&'o Operation]) -> Vec<(&'o Operation, Vec<Marker<'o>>)> {
    let mut ordered: Vec<(&'o Operation, Vec<Marker<'o>>)> = ops.iter().map(|op| (*op, markers(api, op))).collect();
    ordered.sort_by_key(|(op, markers)| (std::cmp::Reverse(literal(op)), std::cmp::Reverse(markers.len())));
    ordered
}

/// The operation that receives every request meant for `op`, when the spec gives a server no
/// way to tell them apart: the same method, the same path to a router, the same markers.
pub fn shadowed_by<'a>(api: &'a Api, op: &Operation) -> Option<&'a Operation> {
    let (template_of_op, markers_of_op) = (template(op), markers(api, op));
    let alike: Vec<&Operation> = api.operations.iter().filter(|o| o.method == op.method && template(o) == template_of_op).collect();
    order(api, &alike).into_iter().map(|(o, _)| o).take_while(|o| !std::ptr::eq(*o, op)).find(|o| markers(api, o) == markers_of_op)
}

/// Every operation a server never reaches, with the one that receives its requests
/// ([`shadowed_by`]), by index in `api.operations`.
pub fn shadowed(api: &Api) -> Vec<(usize, usize)> {
    let mut alike: std::collections::BTreeMap<(&str, String), Vec<&Operation>> = std::collections::BTreeMap::new();
    for op in &api.operations {
        alike.entry((op.method.as_str(), template(op))).or_default().push(op);
    }
    let index = |op: &Operation| api.operations.iter().position(|o| std::ptr::eq(o, op)).unwrap_or_default();
    let mut out = Vec::new();
    for ops in alike.values().filter(|ops| ops.len() > 1) {
        let ordered = order(api, ops);
        for (i, (op, markers)) in ordered.iter().enumerate() {
            if let Some((first, _)) = ordered[..i].iter().find(|(_, m)| m == markers) {
                out.push((index(op), index(first)));
            }
        }
    }
    out.sort_unstable();
    out
}
