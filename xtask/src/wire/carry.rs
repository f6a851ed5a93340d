//! What a parameter's or an answer header's encoding can carry at all, whatever the crates do:
//! the values the round trip does not make, since no client or server could send them and read
//! them back as they were.

use generator::ir::{Api, Content, Header, Operation, Param, ParamEncoding, ParamLocation, ParamStyle, TypeKind, TypeRef};
use serde_json::{json, Map, Value};

/// Where a value travels, as far as what its encoding can carry goes.
pub(super) struct Carrier {
    location: ParamLocation,
    encoding: ParamEncoding,
    /// A path parameter that is a whole segment of its template (`/{id}/`, not `/{id}.json`).
    alone: bool,
    /// Its schema admits a scalar and a list (`oneOf: [string, array]`).
    either: bool,
    /// The names of the other parameters in its location, which an exploded `form` object's
    /// properties cannot take: they would be read back as those parameters.
    taken: Vec<String>,
}

impl Carrier {
    /// Parameter `p` of `op`.
    pub(super) fn param(api: &Api, op: &Operation, p: &Param) -> Carrier {
        let taken = op.params.iter().filter(|o| o.location == p.location && o.wire_name != p.wire_name).map(|o| o.wire_name.clone()).collect();
        Carrier { location: p.location, encoding: p.encoding.clone(), alone: alone_in_segment(&op.path, &p.wire_name), either: scalar_or_list(api, &p.ty), taken }
    }

    /// Property `name` of a form body, holding `value`: written as the body's `encoding` entry for
    /// it says, or as the runtime writes a property by default (an object as `deepObject`, the
    /// rest as exploded `form`), each a query pair of its own beside the other properties.
    fn form_field(api: &Api, content: &Content, name: &str, value: &Value) -> Carrier {
        let fields = content.ty.as_ref().and_then(|t| api.struct_of(t)).map(|(_, s)| s.fields.as_slice()).unwrap_or_default();
        let encoding = match content.encoding.iter().find(|e| e.property == name).and_then(|e| e.style) {
            Some((style, explode)) => ParamEncoding::Style { style, explode, allow_reserved: false },
            None if value.is_object() => ParamEncoding::Style { style: ParamStyle::DeepObject, explode: true, allow_reserved: false },
            None => ParamEncoding::default_for(ParamLocation::Query),
        };
        let either = fields.iter().find(|f| f.wire_name == name).is_some_and(|f| scalar_or_list(api, &f.ty));
        let taken = fields.iter().filter(|f| f.wire_name != name).map(|f| f.wire_name.clone()).collect();
        Carrier { location: ParamLocation::Query, encoding, alone: false, either, taken }
    }

    /// A header of an answer, written as a header parameter is by default (`simple`).
    pub(super) fn answer_header(api: &Api, h: &Header) -> Carrier {
        Carrier { location: ParamLocation::Header, encoding: ParamEncoding::default_for(ParamLocation::Header), alone: false, either: scalar_or_list(api, &h.ty), taken: Vec::new() }
    }
}

/// Whether a value of `ty` may be a scalar or a list (a union of both).
fn scalar_or_list(api: &Api, ty: &TypeRef) -> bool {
    let TypeRef::Named(name) = api.resolved(ty) else { return false };
    let Some(TypeKind::Union(members)) = api.type_def(name).map(|d| &d.kind) else { return false };
    let list = |m: &TypeRef| matches!(api.resolved(m), TypeRef::List(_) | TypeRef::Tuple(_));
    members.iter().any(list) && !members.iter().all(list)
}

/// Whether `{name}` is a whole segment of the template `path`.
fn alone_in_segment(path: &str, name: &str) -> bool {
    let path = path.split(['#', '?']).next().unwrap_or_default();
    let whole = format!("{{{name}}}");
    path.split('/').any(|segment| segment == whole)
}

/// Whether a value can cross the wire in its encoding at all, whatever the crates do. Values
/// that cannot are not made; the spec admits them, but no client or server could carry them:
///
/// - an empty path segment is no segment, and a segment `.` or `..` is a dot segment that URL
///   parsers remove (`%2E` too: it is the same character to RFC 3986);
/// - HTTP trims a header value's outer whitespace, and a header list's items are split on its
///   commas, which headers do not escape (an exploded object's keys on `=` too);
/// - an exploded `form` object's properties are pairs of their own, so one named as another
///   parameter is read back as that parameter;
/// - an empty list or object puts nothing on the wire where each item or property is a pair of
///   its own (an exploded `form` query or cookie, `deepObject` at any depth), so it cannot be told
///   from no value;
/// - where items are joined in one value, the delimiter inside an item is the delimiter: a space
///   in `spaceDelimited`, a pipe in `pipeDelimited` (OpenAPI 3.1.1 escapes it as `%7C`, 3.0.3
///   did not, so a reader takes either), a comma in a `form` list that `allowReserved` leaves
///   unescaped; and `name=` (or an empty header, `;name=`, `.`) is the empty list, so a list of
///   one empty item reads back as `[]`;
/// - a style has no spelling for `null` inside a list or an object (RFC 6570 leaves undefined
///   values out), nor, but `deepObject`, for a list or an object inside one;
/// - where the schema admits a scalar and a list (`oneOf: [string, array]`), a list whose items
///   are joined in one value is that value's text, a scalar, and so is a list of one item where
///   each item is a pair of its own.
pub(super) fn representable(c: &Carrier, value: &Value) -> bool {
    let ParamEncoding::Style { style, explode, allow_reserved } = c.encoding else {
        // Media-type text (JSON) quotes its strings and escapes what it must.
        return true;
    };
    let empty = |v: &Value| matches!(v, Value::Array(a) if a.is_empty()) || matches!(v, Value::Object(o) if o.is_empty());
    let inner = children(value);
    if inner.iter().any(|v| v.is_null()) {
        return false;
    }
    let keys: Vec<&str> = value.as_object().map(|map| map.keys().map(String::as_str).collect()).unwrap_or_default();
    // The texts a style joins: items, or keys and values (a number or a boolean as its JSON text).
    let scalars: Vec<String> = inner.iter().filter(|v| !v.is_string()).map(|v| v.to_string()).collect();
    let joined: Vec<&str> = keys.iter().copied().chain(inner.iter().filter_map(|v| v.as_str())).chain(scalars.iter().map(String::as_str)).collect();
    let one_empty_item = matches!(value, Value::Array(a) if a.len() == 1 && a[0] == json!(""));
    let deep = style == ParamStyle::DeepObject;
    if !deep && inner.iter().any(|v| v.is_array() || v.is_object()) {
        return false;
    }
    if c.either && value.is_array() && !deep {
        let paired = explode && matches!(c.location, ParamLocation::Query | ParamLocation::Cookie);
        if !paired || inner.len() == 1 {
            return false;
        }
    }
    match c.location {
        ParamLocation::Path => {
            // The segment as the style writes it, but for percent-encoding (which keeps `.`).
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Array(_) | Value::Object(_) => joined.join(if style == ParamStyle::Label && explode { "." } else { "," }),
                other => other.to_string(),
            };
            let segment = match style {
                ParamStyle::Label => format!(".{text}"),
                ParamStyle::Matrix if explode && empty(value) => String::new(),
                ParamStyle::Matrix => format!(";{text}"),
                _ => text,
            };
            // An exploded matrix list writes `;name=` for an empty item, which reads back.
            let lost_item = one_empty_item && !(style == ParamStyle::Matrix && explode);
            !segment.is_empty() && !(c.alone && (segment == "." || segment == "..")) && !lost_item
        }
        ParamLocation::Header => {
            let mut texts = Vec::new();
            strings(value, &mut texts);
            let split = inner.iter().filter_map(|v| v.as_str()).chain(keys.iter().copied()).any(|t| t.contains(','));
            let split_key = explode && keys.iter().any(|k| k.contains('='));
            texts.iter().all(|t| t.trim() == *t) && !one_empty_item && !split && !split_key
        }
        ParamLocation::Query | ParamLocation::Cookie => match style {
            ParamStyle::DeepObject => !empty(value) && !hollow(value),
            ParamStyle::Form if explode => !empty(value) && !keys.iter().any(|k| c.taken.iter().any(|t| k.split('[').next() == Some(t.as_str()))),
            _ if explode => !empty(value),
            ParamStyle::SpaceDelimited => !one_empty_item && joined.iter().all(|t| !t.contains(' ')),
            ParamStyle::PipeDelimited => !one_empty_item && joined.iter().all(|t| !t.contains('|')),
            _ => !(one_empty_item || (allow_reserved && joined.iter().any(|t| t.contains(',')))),
        },
        // Given by `content` (a form or JSON), never by a style.
        ParamLocation::QueryString => true,
    }
}

/// Whether a form or multipart body (`kind`, of `content` where known) can carry `value` at all:
///
/// - its properties are written one field (or part) per value, so a `null` or an empty list or
///   object is written as nothing, and reads back as absent, and so is an empty item of a list;
/// - in a form, each property is a query pair (or pairs) of its own, and carries what a query
///   parameter in its style carries ([`representable`]): a list inside a list, or an object inside
///   one, has no spelling in `form` (OpenAPI's default for a list), nor does an empty list or a
///   `null` inside an object written as `deepObject` (its default for an object).
pub(super) fn fields_carried(api: &Api, content: Option<&Content>, kind: &str, value: &Value) -> bool {
    let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty) || v.as_object().is_some_and(Map::is_empty);
    let Some(fields) = value.as_object() else { return false };
    let parts = fields.values().all(|v| !empty(v) && v.as_array().is_none_or(|items| !items.iter().any(empty)));
    let pairs = match (kind, content) {
        ("form", Some(content)) => fields.iter().all(|(name, v)| representable(&Carrier::form_field(api, content, name, v), v)),
        _ => true,
    };
    parts && pairs
}

/// Every string in `v`, at any depth.
fn strings<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// The items of a list or the values of an object; nothing for a scalar.
fn children(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map.values().collect(),
        _ => Vec::new(),
    }
}

/// Whether `v` holds, at any depth below it, an empty list or object, or a `null` (what
/// `deepObject` writes no pair for), or a list holding a list or an object (`name[key][]=item`
/// has no place for the item's own keys).
fn hollow(v: &Value) -> bool {
    let nested_in_list = v.as_array().is_some_and(|items| items.iter().any(|i| i.is_array() || i.is_object()));
    nested_in_list || children(v).into_iter().any(|c| c.is_null() || matches!(c, Value::Array(a) if a.is_empty()) || matches!(c, Value::Object(o) if o.is_empty()) || hollow(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carrier(location: ParamLocation, style: ParamStyle, explode: bool) -> Carrier {
        Carrier { location, encoding: ParamEncoding::Style { style, explode, allow_reserved: false }, alone: true, either: false, taken: Vec::new() }
    }

    #[test]
    fn an_empty_list_is_no_value_where_each_item_is_a_pair() {
        let exploded = carrier(ParamLocation::Query, ParamStyle::Form, true);
        assert!(!representable(&exploded, &json!([])), "`form`, exploded: nothing on the wire");
        assert!(!representable(&exploded, &json!({})));
        assert!(representable(&exploded, &json!([""])), "`ids=` is one empty item");
        let joined = carrier(ParamLocation::Query, ParamStyle::Form, false);
        assert!(representable(&joined, &json!([])), "`ids=` is the empty list");
        assert!(!representable(&joined, &json!([""])), "so one empty item reads back as `[]`");
        assert!(representable(&joined, &json!(["", ""])));
        let beside = Carrier { taken: vec!["page".into()], ..carrier(ParamLocation::Query, ParamStyle::Form, true) };
        assert!(!representable(&beside, &json!({"page": "2"})), "read back as `page`");
        assert!(!representable(&beside, &json!({"page[x]": "2"})));
        assert!(representable(&beside, &json!({"pages": "2"})));
        let cookie = carrier(ParamLocation::Cookie, ParamStyle::Form, true);
        assert!(!representable(&cookie, &json!([])));
        let deep = carrier(ParamLocation::Query, ParamStyle::DeepObject, true);
        assert!(!representable(&deep, &json!({})));
        assert!(!representable(&deep, &json!({"a": {"b": []}})), "an empty list at any depth");
        assert!(!representable(&deep, &json!({"a": null})));
        assert!(representable(&deep, &json!({"a": {"b": ["x"]}, "c": ""})));
        assert!(!representable(&deep, &json!({"a": [{"b": "x"}]})), "an object in a list");
    }

    #[test]
    fn a_delimiter_inside_an_item_is_the_delimiter() {
        let spaces = carrier(ParamLocation::Query, ParamStyle::SpaceDelimited, false);
        assert!(!representable(&spaces, &json!(["a b"])));
        let pipes = carrier(ParamLocation::Query, ParamStyle::PipeDelimited, false);
        assert!(!representable(&pipes, &json!(["a|b"])));
        assert!(representable(&pipes, &json!(["a b", "c,d"])));
        let reserved = Carrier { encoding: ParamEncoding::Style { style: ParamStyle::Form, explode: false, allow_reserved: true }, ..carrier(ParamLocation::Query, ParamStyle::Form, false) };
        assert!(!representable(&reserved, &json!(["a,b"])));
        assert!(representable(&carrier(ParamLocation::Query, ParamStyle::Form, false), &json!(["a,b"])), "escaped as `%2C`");
        assert!(!representable(&carrier(ParamLocation::Query, ParamStyle::Form, true), &json!(["a", null])));
    }

    #[test]
    fn paths_carry_no_empty_nor_dot_segment() {
        let simple = carrier(ParamLocation::Path, ParamStyle::Simple, false);
        for value in [json!(""), json!([]), json!([""]), json!({}), json!("."), json!("..")] {
            assert!(!representable(&simple, &value), "{value}");
        }
        assert!(representable(&simple, &json!("...")));
        assert!(representable(&simple, &json!([160519])), "a list of numbers is their text, `160519`");
        assert!(representable(&simple, &json!([1, 2])) && representable(&simple, &json!({"on": true})));
        assert!(alone_in_segment("/files/{id}#shared", "id") && !alone_in_segment("/files/{id}.json", "id"));
        assert!(representable(&Carrier { alone: false, ..carrier(ParamLocation::Path, ParamStyle::Simple, false) }, &json!(".")), "`{{name}}.json`");
        let label = carrier(ParamLocation::Path, ParamStyle::Label, false);
        assert!(!representable(&label, &json!(".")), "`..`");
        assert!(!representable(&label, &json!("")), "`.`");
        assert!(representable(&label, &json!("a")));
        let matrix = carrier(ParamLocation::Path, ParamStyle::Matrix, true);
        assert!(representable(&matrix, &json!([""])), "`;name=`");
        assert!(!representable(&matrix, &json!([])), "nothing at all");
    }

    #[test]
    fn a_list_where_a_scalar_is_allowed_too_is_told_apart_only_by_repeating_its_name() {
        let either = |style, explode| Carrier { either: true, ..carrier(ParamLocation::Query, style, explode) };
        assert!(representable(&either(ParamStyle::Form, true), &json!(["a", "b"])), "`n=a&n=b`");
        assert!(!representable(&either(ParamStyle::Form, true), &json!(["a"])), "`n=a`, the string's spelling");
        assert!(representable(&either(ParamStyle::Form, true), &json!("a")));
        assert!(!representable(&either(ParamStyle::Form, false), &json!(["a", "b"])), "`n=a,b`, a string with a comma");
        assert!(representable(&either(ParamStyle::DeepObject, true), &json!(["a"])), "`n[]=a`");
        assert!(!representable(&carrier(ParamLocation::Query, ParamStyle::Form, false), &json!([{"a": 1}])), "no spelling for an object in a list");
    }

    #[test]
    fn a_form_body_carries_no_list_inside_a_list() {
        let api = Api::default();
        let content = |encoding| Content { media_type: "application/x-www-form-urlencoded".into(), ty: None, nullable: false, constraints: Default::default(), encoding, schema: None, examples: Vec::new(), sequence: None, whole_events: false };
        let form = content(Vec::new());
        // Nordigen's `access_scope`, a list of lists: `access_scope=,-20413,` reads back as a string.
        assert!(!fields_carried(&api, Some(&form), "form", &json!({"access_scope": [[[], -20413, {}]]})));
        assert!(!fields_carried(&api, Some(&form), "form", &json!({"scopes": [{"a": 1}]})), "nor an object inside one");
        assert!(fields_carried(&api, Some(&form), "form", &json!({"scopes": ["a", 1], "address": {"city": "Paris"}})));
        assert!(!fields_carried(&api, Some(&form), "form", &json!({"address": {"lines": []}})), "`deepObject` writes no pair for `[]`");
        assert!(fields_carried(&api, Some(&form), "multipart", &json!({"access_scope": [[[], -20413, {}]]})), "a part of JSON");
        assert!(!fields_carried(&api, Some(&form), "multipart", &json!({"tags": []})), "no part at all");
        let piped = content(vec![generator::ir::PropertyEncoding { property: "ids".into(), content_type: None, style: Some((ParamStyle::PipeDelimited, false)) }]);
        assert!(!fields_carried(&api, Some(&piped), "form", &json!({"ids": ["a|b"]})), "its `encoding` entry's style");
        assert!(fields_carried(&api, Some(&form), "form", &json!({"ids": ["a|b"]})));
    }

    #[test]
    fn header_values_keep_no_outer_whitespace_and_items_no_commas() {
        let header = carrier(ParamLocation::Header, ParamStyle::Simple, false);
        assert!(!representable(&header, &json!("a+b ")));
        assert!(representable(&header, &json!("a, b")), "a scalar keeps its commas");
        assert!(!representable(&header, &json!(["a,b"])));
        assert!(!representable(&header, &json!([""])));
        let exploded = carrier(ParamLocation::Header, ParamStyle::Simple, true);
        assert!(!representable(&exploded, &json!({"a=b": "c"})));
        assert!(representable(&exploded, &json!({"a": "b=c"})));
    }
}
