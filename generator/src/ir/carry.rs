//! Parameters whose schema admits no value that a request can carry in their `style`: the spec
//! contradicting itself, as a path parameter whose object has only `readOnly` properties (a
//! request sends `{}`, an empty segment) or a query list of objects (no style but `deepObject`
//! spells an object inside a value, and none inside a list). The loader warns about each; a
//! client can send such a required parameter only as something a server reads otherwise, and
//! can only leave an optional one out.
//!
//! The rules are those of RFC 6570 as OpenAPI applies them: an empty list or object is no text
//! at all where each item or property is a pair of its own (an exploded `form`, `deepObject`),
//! an empty segment in a `simple` path, and a dot segment (`.`) in a `label` one that is a whole
//! segment; and `null`, a list or an object inside a value has no spelling (but for `deepObject`
//! nesting objects).

use super::{routes, Api, Content, Operation, Param, ParamEncoding, ParamLocation, ParamStyle, TypeKind, TypeRef};

/// Why no value of `p` (a parameter of `op`) that the spec admits can cross the wire in a
/// request, or `None` when some value can. Only what is certain is said: a schema this does not
/// see through (a union of scalars and objects, any value) is taken to admit a value.
pub fn uncarried(api: &Api, op: &Operation, p: &Param) -> Option<String> {
    let ParamEncoding::Style { style, explode, .. } = p.encoding else {
        // Media-type text (JSON) spells every value.
        return None;
    };
    let ty = api.resolved(&p.ty);
    if let TypeRef::List(item) = ty {
        // Items that are lists or objects have no spelling: only the empty list may be carried.
        let nested = container(api, item);
        let at_least = p.constraints.min_items.unwrap_or(0);
        if nested && at_least > 0 {
            return Some(format!("it is a list of at least {at_least} item(s), each a list or an object, which no style spells inside a list"));
        }
        if nested && !empty_carried(op, p, style, explode) {
            return Some(format!("its items are lists or objects, which no style spells inside a list, and the empty list {}", empty_spelling(p.location, style)));
        }
        if p.constraints.max_items == Some(0) && !empty_carried(op, p, style, explode) {
            return Some(format!("its `maxItems: 0` admits only the empty list, which {}", empty_spelling(p.location, style)));
        }
        return None;
    }
    let (name, fields) = api.struct_of(ty)?;
    if style != ParamStyle::DeepObject {
        let nested = fields.fields.iter().find(|f| f.required && !f.read_only && container(api, &f.ty));
        if let Some(field) = nested {
            return Some(format!("`{name}` requires property `{}`, a list or an object, which only `deepObject` spells inside an object", field.wire_name));
        }
    }
    let only_empty = fields.additional.is_none() && fields.fields.iter().all(|f| f.read_only);
    (only_empty && !empty_carried(op, p, style, explode))
        .then(|| format!("every property of `{name}` is `readOnly` and it admits no other (`additionalProperties: false`), so a request sends `{{}}`, which {}", empty_spelling(p.location, style)))
}

/// Why a request body's form or multipart media type can carry no value of its schema, or
/// `None` when it can: their fields (or parts) are an object's properties, so a schema that is
/// never an object (a list, a scalar) has nothing to write in them.
pub fn uncarried_body(api: &Api, content: &Content) -> Option<String> {
    let media = content.media_type.to_ascii_lowercase();
    if media != "application/x-www-form-urlencoded" && !media.starts_with("multipart/") {
        return None;
    }
    let what = match api.resolved(content.ty.as_ref()?) {
        TypeRef::List(_) | TypeRef::Tuple(_) => "a list",
        ty if never_object(api, ty) => "never an object",
        _ => return None,
    };
    Some(format!("its fields are the properties of an object, and its schema is {what}"))
}

/// Whether no value of `ty` is an object (an object type, a map, or a type this does not see
/// through is taken to admit one).
fn never_object(api: &Api, ty: &TypeRef) -> bool {
    match api.resolved(ty) {
        TypeRef::Map(_) | TypeRef::Any | TypeRef::External(_) => false,
        TypeRef::Nullable(inner) => never_object(api, inner),
        TypeRef::Named(name) => match api.type_def(name).map(|d| &d.kind) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Union(members)) => members.iter().all(|m| never_object(api, m)),
            _ => false,
        },
        _ => true,
    }
}

/// Whether a value of `ty` is always a list or an object (never a scalar a style could spell).
fn container(api: &Api, ty: &TypeRef) -> bool {
    match api.resolved(ty) {
        TypeRef::List(_) | TypeRef::Tuple(_) | TypeRef::Map(_) => true,
        TypeRef::Named(name) => match api.type_def(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(_)) => true,
            Some(TypeKind::Union(members)) => members.iter().all(|m| container(api, m)),
            Some(TypeKind::Tagged(tagged)) => tagged.members().all(|m| container(api, m)),
            _ => false,
        },
        _ => false,
    }
}

/// Whether an empty list or object of `p` crosses the wire as something a server reads back.
fn empty_carried(op: &Operation, p: &Param, style: ParamStyle, explode: bool) -> bool {
    match p.location {
        ParamLocation::Path => match style {
            // `.` is a dot segment, which URL parsers remove, when it is the whole segment.
            ParamStyle::Label => !alone_in_segment(&op.path, &p.wire_name),
            ParamStyle::Matrix => !explode,
            _ => false,
        },
        ParamLocation::Query | ParamLocation::Cookie => !explode && style != ParamStyle::DeepObject,
        // A query string is given by `content`, never by a style.
        ParamLocation::QueryString => true,
        ParamLocation::Header => true,
    }
}

/// What an empty list or object is on the wire where it is not carried, for a warning.
fn empty_spelling(location: ParamLocation, style: ParamStyle) -> &'static str {
    match (location, style) {
        (ParamLocation::Path, ParamStyle::Label) => "is the dot segment `.`, which URL parsers remove",
        (ParamLocation::Path, _) => "is an empty path segment",
        _ => "writes no pair at all, the same as leaving the parameter out",
    }
}

/// Whether `{name}` is a whole segment of the routed `path` (`/{id}/`, not `/{id}.json`).
fn alone_in_segment(path: &str, name: &str) -> bool {
    let whole = format!("{{{name}}}");
    routes::routed(path).split('/').any(|segment| segment == whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::ir::{Constraints, Field, Method, Struct, TypeDef};

    fn field(name: &str, ty: TypeRef, required: bool, read_only: bool) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            ty,
            required,
            nullable: false,
            secret: false,
            boxed: false,
            read_only,
            write_only: false,
            doc: None,
            constraints: Constraints::default(),
            default: None,
        }
    }

    fn api(fields: Vec<Field>, additional: Option<TypeRef>) -> Api {
        let kind = TypeKind::Struct(Struct { fields, additional, additional_name: "additional_properties".into(), required_undeclared: Vec::new(), required_choices: Vec::new() });
        let location = Location { file: String::new(), line: None, pointer: String::new() };
        let def = TypeDef { name: "Version".into(), schema_name: None, doc: None, location, shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(), kind };
        Api { types: vec![def], ..Api::default() }
    }

    fn param(location: ParamLocation, style: ParamStyle, explode: bool, ty: TypeRef, min_items: Option<u64>) -> Param {
        Param {
            name: "v".into(),
            wire_name: "v".into(),
            location,
            required: true,
            ty,
            doc: None,
            nullable: false,
            constraints: Constraints { min_items, ..Constraints::default() },
            default: None,
            encoding: ParamEncoding::Style { style, explode, allow_reserved: false },
            schema: None,
            deprecated: false,
            allow_empty_value: None,
        }
    }

    fn op(path: &str) -> Operation {
        Operation {
            name: "op".into(),
            operation_id: None,
            method: Method::Get,
            path: path.into(),
            summary: None,
            description: None,
            tags: Vec::new(),
            deprecated: false,
            lifecycle: Default::default(),
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            security: Vec::new(),
            login: None,
            pagination: None,
            stream_name: None,
            servers: Vec::new(),
            location: Location { file: String::new(), line: None, pointer: String::new() },
        }
    }

    #[test]
    fn an_object_of_read_only_properties_is_an_empty_value() {
        let version = TypeRef::Named("Version".into());
        let closed = api(vec![field("Major", TypeRef::I32, false, true)], None);
        let path = |style, explode| param(ParamLocation::Path, style, explode, version.clone(), None);
        assert!(uncarried(&closed, &op("/plugins/{v}"), &path(ParamStyle::Simple, false)).is_some(), "an empty segment");
        assert!(uncarried(&closed, &op("/plugins/{v}"), &path(ParamStyle::Label, false)).is_some(), "`.`");
        assert!(uncarried(&closed, &op("/plugins/{v}.json"), &path(ParamStyle::Label, false)).is_none(), "`/.json`");
        assert!(uncarried(&closed, &op("/plugins/{v}"), &path(ParamStyle::Matrix, false)).is_none(), "`;v`");
        let query = |style, explode| param(ParamLocation::Query, style, explode, version.clone(), None);
        assert!(uncarried(&closed, &op("/p"), &query(ParamStyle::Form, true)).is_some(), "no pair at all");
        assert!(uncarried(&closed, &op("/p"), &query(ParamStyle::DeepObject, true)).is_some());
        assert!(uncarried(&closed, &op("/p"), &query(ParamStyle::Form, false)).is_none(), "`v=`");
        let open = api(vec![field("Major", TypeRef::I32, false, true)], Some(TypeRef::Any));
        assert!(uncarried(&open, &op("/plugins/{v}"), &path(ParamStyle::Simple, false)).is_none(), "other properties may be sent");
        let writable = api(vec![field("Major", TypeRef::I32, false, false)], None);
        assert!(uncarried(&writable, &op("/plugins/{v}"), &path(ParamStyle::Simple, false)).is_none());
    }

    #[test]
    fn no_style_but_deep_object_nests_and_none_in_a_list() {
        let objects = TypeRef::List(Box::new(TypeRef::Named("Version".into())));
        let writable = api(vec![field("Major", TypeRef::I32, true, false)], None);
        let query = |min| param(ParamLocation::Query, ParamStyle::Form, true, objects.clone(), min);
        assert!(uncarried(&writable, &op("/p"), &query(Some(1))).is_some(), "at least one object in a list");
        assert!(uncarried(&writable, &op("/p"), &query(None)).is_some(), "and the empty list is no pair at all");
        let joined = param(ParamLocation::Query, ParamStyle::Form, false, objects.clone(), None);
        assert!(uncarried(&writable, &op("/p"), &joined).is_none(), "`v=` is the empty list");
        let numbers = param(ParamLocation::Path, ParamStyle::Simple, false, TypeRef::List(Box::new(TypeRef::I32)), Some(1));
        assert!(uncarried(&writable, &op("/apps/{v}"), &numbers).is_none(), "`1,2,3`");
        let nested = api(vec![field("tags", TypeRef::List(Box::new(TypeRef::String)), true, false)], None);
        let object = |style| param(ParamLocation::Query, style, true, TypeRef::Named("Version".into()), None);
        assert!(uncarried(&nested, &op("/p"), &object(ParamStyle::Form)).is_some(), "a list inside an object");
        assert!(uncarried(&nested, &op("/p"), &object(ParamStyle::DeepObject)).is_none(), "`v[tags][]=a`");
    }
}
