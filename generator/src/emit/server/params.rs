//! The parameters of one operation on the server side: where each travels, how it is styled, and how its text becomes its type.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::emit::rust::{ident, qualified_type};
use crate::emit::body::{self, WireShape};
use crate::ir::{Api, Operation, Param, ParamEncoding, ParamLocation, ParamStyle, SecurityKind, TypeKind, TypeRef};

/// The shape and style of a parameter read by the runtime in its style: every list, object, map
/// or union, every cookie, and every parameter of a style other than its location's default.
/// `None` for the plain scalars read directly, and for values given as JSON by `content`.
pub(super) fn styled(api: &Api, p: &Param) -> Option<(WireShape, ParamStyle, bool)> {
    let ParamEncoding::Style { style, explode, .. } = p.encoding else { return None };
    let shape = body::wire_shape(api, &p.ty);
    let union = matches!(api.resolved(&p.ty), TypeRef::Named(n) if matches!(api.type_def(n).map(|d| &d.kind), Some(TypeKind::Union(_) | TypeKind::Tagged(_))));
    let plain = shape == WireShape::Scalar && !union && p.location != ParamLocation::Cookie && p.encoding == ParamEncoding::default_for(p.location);
    (!plain).then_some((shape, style, explode))
}

/// The names in `p`'s location that are not its own: the other parameters there, and the API keys
/// `op`'s security schemes send there.
pub(super) fn other_names<'a>(api: &'a Api, op: &'a Operation, p: &Param) -> Vec<&'a str> {
    let location = location_name(p.location);
    let params = op.params.iter().filter(|o| o.location == p.location && o.wire_name != p.wire_name).map(|o| o.wire_name.as_str());
    let keys = api.security_schemes.iter().filter(|s| op.security.iter().flatten().any(|used| *used == s.name)).filter_map(|s| match &s.kind {
        SecurityKind::ApiKey { location: at, name } if at == location => Some(name.as_str()),
        _ => None,
    });
    let mut names: Vec<&str> = params.chain(keys).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Where path parameter `name` is in `path` (a template): its segment's index and the static text
/// before and after it in that segment.
pub(super) fn path_place<'p>(path: &'p str, name: &str) -> Option<(usize, &'p str, &'p str)> {
    let placeholder = format!("{{{name}}}");
    path.split('/').enumerate().find_map(|(i, segment)| {
        let at = segment.find(&placeholder)?;
        Some((i, &segment[..at], &segment[at + placeholder.len()..]))
    })
}

pub(super) fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::QueryString => "querystring",
    }
}

/// Code turning `text: &str` into a `Result<_, Rejection>` of type `ty`, or `None` when the
/// conversion cannot fail (see [`infallible_conversion`]).
pub(super) fn fallible_parse(api: &Api, ty: &TypeRef, field: &str) -> Option<TokenStream> {
    let parse = |rust: TokenStream, what: &str| quote!(server::parse_value::<#rust>(text, #field, #what));
    let json = quote!(serde_json::from_str(text).map_err(|e| Rejection::bad(#field, e.to_string())));
    match ty {
        TypeRef::String => None,
        TypeRef::Integer { .. } => {
            let rust = qualified_type(ty, None);
            Some(quote!(server::parse_integer::<#rust>(text, #field)))
        }
        TypeRef::Number { bits: 32 } => Some(parse(quote!(f32), "a number")),
        TypeRef::Number { .. } => Some(parse(quote!(f64), "a number")),
        TypeRef::Boolean => Some(parse(quote!(bool), "`true` or `false`")),
        TypeRef::DateTime => Some(parse(quote!(generator_runtime::DateTime), "an RFC 3339 date-time")),
        TypeRef::Date => Some(parse(quote!(generator_runtime::Date), "a date (YYYY-MM-DD)")),
        TypeRef::Uuid => Some(parse(quote!(generator_runtime::Uuid), "a UUID")),
        TypeRef::Url => Some(parse(quote!(generator_runtime::Uri), "a URI")),
        TypeRef::Ipv4 => Some(parse(quote!(std::net::Ipv4Addr), "an IPv4 address")),
        TypeRef::Ipv6 => Some(parse(quote!(generator_runtime::Ipv6), "an IPv6 address")),
        TypeRef::Bytes => Some(parse(quote!(generator_runtime::Base64), "base64")),
        TypeRef::Binary => Some(parse(quote!(generator_runtime::Binary), "text")),
        TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => fallible_parse(api, target, field),
            Some(TypeKind::Enum(_)) => None,
            _ => Some(json),
        },
        _ => Some(json),
    }
}

/// The function turning text into a value of `ty`, for types whose parsing cannot fail.
pub(super) fn infallible_conversion(api: &Api, ty: &TypeRef, ctx: &Ctx) -> TokenStream {
    match ty {
        TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => infallible_conversion(api, target, ctx),
            _ => {
                let models = &ctx.models;
                let ty = ident(name);
                quote!(#models::#ty::from)
            }
        },
        _ => quote!(str::to_owned),
    }
}
