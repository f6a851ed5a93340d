//! Rust building blocks shared by the emitters: identifiers, type expressions, doc attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::format_ident;
use quote::quote;

use super::docs::doc_lines;
use crate::ir::{Api, Constraints, Status, TypeKind, TypeRef};

/// An identifier the IR has already made valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a [`TypeRef`], with named types in scope.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    qualified_type(ty, None)
}

/// The Rust type of a [`TypeRef`], with named types under `module` (e.g. `models`) when given.
pub fn qualified_type(ty: &TypeRef, module: Option<&TokenStream>) -> TokenStream {
    let type_tokens = |t: &TypeRef| qualified_type(t, module);
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match module {
                Some(m) => quote!(#m::#name),
                None => quote!(#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer { bits, signed } => {
            let name = format_ident!("{}{}", if *signed { "i" } else { "u" }, bits);
            quote!(#name)
        }
        TypeRef::Number { bits: 32 } => quote!(f32),
        TypeRef::Number { .. } => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        // Kept as the text they came in (see the runtime's `text` module).
        TypeRef::DateTime => quote!(generator_runtime::DateTime),
        TypeRef::Date => quote!(generator_runtime::Date),
        TypeRef::Uuid => quote!(generator_runtime::Uuid),
        TypeRef::Url => quote!(generator_runtime::Uri),
        TypeRef::Ipv6 => quote!(generator_runtime::Ipv6),
        TypeRef::Ipv4 => quote!(std::net::Ipv4Addr),
        TypeRef::Bytes => quote!(generator_runtime::Base64),
        TypeRef::Binary => quote!(generator_runtime::Binary),
        TypeRef::Tuple(items) => {
            let items = items.iter().map(type_tokens);
            quote!((#(#items,)*))
        }
        TypeRef::External(path) => external_type(path),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// An upper bound of the size in bytes of the Rust type [`qualified_type`] gives `ty`, when that
/// bound is at most `limit`; `None` when the type may be larger or its size cannot be told (a
/// user's type, a type that contains itself). Each field counts as if padded to 8 bytes and each
/// `Option` as a word more, so the bound holds whatever layout rustc picks.
/// The complexity clippy's `type_complexity` lint gives the type `ty`: ten for each named type,
/// slice, array or tuple, times how deep it is nested (the outermost at 1), one for a reference or
/// pointer. Clippy warns above [`TYPE_COMPLEXITY_LIMIT`].
pub fn type_complexity(ty: &TokenStream) -> u64 {
    fn walk(ty: &syn::Type, nest: u64) -> u64 {
        match ty {
            syn::Type::Path(p) => {
                let args = p.path.segments.iter().flat_map(|s| match &s.arguments {
                    syn::PathArguments::AngleBracketed(a) => a.args.iter().collect::<Vec<_>>(),
                    _ => Vec::new(),
                });
                10 * nest + args.map(|a| if let syn::GenericArgument::Type(t) = a { walk(t, nest + 1) } else { 0 }).sum::<u64>()
            }
            syn::Type::Slice(s) => 10 * nest + walk(&s.elem, nest + 1),
            syn::Type::Array(a) => 10 * nest + walk(&a.elem, nest + 1),
            syn::Type::Tuple(t) => 10 * nest + t.elems.iter().map(|e| walk(e, nest + 1)).sum::<u64>(),
            syn::Type::Reference(r) => 1 + walk(&r.elem, nest),
            syn::Type::Ptr(p) => 1 + walk(&p.elem, nest),
            syn::Type::Paren(p) => walk(&p.elem, nest),
            _ => 0,
        }
    }
    syn::parse2::<syn::Type>(ty.clone()).map_or(0, |t| walk(&t, 1))
}

/// The complexity above which clippy's `type_complexity` lint warns (its default threshold).
pub const TYPE_COMPLEXITY_LIMIT: u64 = 250;

pub fn size_within(api: &Api, ty: &TypeRef, limit: usize) -> Option<usize> {
    size_bound(api, ty, limit, &mut Vec::new())
}

fn size_bound<'a>(api: &'a Api, ty: &'a TypeRef, limit: usize, open: &mut Vec<&'a str>) -> Option<usize> {
    let padded = |n: usize| n.div_ceil(8) * 8;
    let size = match ty {
        TypeRef::String | TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Bytes | TypeRef::Binary => 24,
        TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid | TypeRef::Url | TypeRef::Ipv6 => 24,
        TypeRef::Integer { bits, .. } | TypeRef::Number { bits } => usize::from(*bits / 8),
        TypeRef::Boolean => 1,
        TypeRef::Ipv4 => 4,
        // 72 bytes when any crate of the build turns on serde_json's `preserve_order`.
        TypeRef::Any => 80,
        TypeRef::External(_) => return None,
        TypeRef::Nullable(inner) => padded(size_bound(api, inner, limit, open)?) + 8,
        TypeRef::Tuple(items) => {
            let mut sum = 0;
            for item in items {
                sum += padded(size_bound(api, item, limit, open)?);
            }
            sum
        }
        TypeRef::Named(name) => {
            if open.contains(&name.as_str()) {
                return None;
            }
            let def = api.type_def(name)?;
            open.push(name);
            let size = match &def.kind {
                TypeKind::Struct(s) => {
                    let mut sum = if s.additional.is_some() { 24 } else { 0 };
                    for f in &s.fields {
                        let inner = if f.boxed { 8 } else { size_bound(api, &f.ty, limit, open)? };
                        let option = if f.absent_or_null() { 16 } else if f.required && !f.nullable { 0 } else { 8 };
                        sum += padded(inner) + option;
                        if sum > limit {
                            return None;
                        }
                    }
                    Some(sum)
                }
                // The fallback variant holds the unknown value as a `String`.
                TypeKind::Enum(_) => Some(32),
                TypeKind::Union(members) => {
                    let mut largest = 0;
                    for m in members {
                        largest = largest.max(size_bound(api, m, limit, open)?);
                    }
                    Some(padded(largest) + 8)
                }
                // Every compound member is boxed.
                TypeKind::Tagged(_) => Some(16),
                TypeKind::Alias(target) => size_bound(api, target, limit, open),
            };
            open.pop();
            size?
        }
    };
    (size <= limit).then_some(size)
}

/// The tokens of a user's type path; the IR only holds paths that parse (`naming::is_rust_type`).
fn external_type(path: &str) -> TokenStream {
    syn::parse_str::<syn::Type>(path).map(|t| quote!(#t)).unwrap_or_else(|_| quote!(serde_json::Value))
}

/// `#[doc = …]` attributes, one per line, for the given paragraphs (empty ones are skipped).
pub fn doc_attrs(paragraphs: &[Option<String>]) -> TokenStream {
    let attrs = paragraph_lines(paragraphs).into_iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// Doc attributes for spec text (`spec`, made rustdoc-safe) followed by the generator's own Markdown
/// (`ours`, kept as written so that its intra-doc links work).
pub fn mixed_doc_attrs(spec: &[Option<String>], ours: &[Option<String>]) -> TokenStream {
    let mut lines = paragraph_lines(spec);
    for para in ours.iter().flatten() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(para.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }));
    }
    let attrs = lines.into_iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// `#![doc = …]` attributes (module and crate docs) for the given paragraphs.
pub fn inner_doc_attrs(paragraphs: &[Option<String>]) -> TokenStream {
    let attrs = paragraph_lines(paragraphs).into_iter().map(|l| quote!(#![doc = #l]));
    quote!(#(#attrs)*)
}

/// Doc lines (each with the leading space `///` wants) of paragraphs separated by blank lines.
fn paragraph_lines(paragraphs: &[Option<String>]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for text in paragraphs.iter().flatten() {
        let para = doc_lines(text);
        if para.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(para);
    }
    lines.into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect()
}

/// The plural ending of a count's noun.
fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A sentence stating validation rules, for docs (`None` when there are none).
pub fn constraints_doc(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} characters")),
        (Some(min), None) => parts.push(format!("at least {min} character{}", plural(min))),
        (None, Some(max)) => parts.push(format!("at most {max} character{}", plural(max))),
        (None, None) => {}
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("matches `{p}`"));
    }
    if let Some(p) = &c.unchecked_pattern {
        parts.push(format!("matches `{p}` (not checked by the server)"));
    }
    if let Some(f) = &c.format {
        parts.push(format!("format `{f}`"));
    }
    let lower = c.minimum.map(|min| if c.exclusive_minimum { format!("greater than {min}") } else { format!("at least {min}") });
    let upper = c.maximum.map(|max| if c.exclusive_maximum { format!("less than {max}") } else { format!("at most {max}") });
    match (lower, upper) {
        (Some(lower), Some(upper)) => parts.push(format!("{lower} and {upper}")),
        (Some(bound), None) | (None, Some(bound)) => parts.push(bound),
        (None, None) => {}
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} items")),
        (Some(min), None) => parts.push(format!("at least {min} item{}", plural(min))),
        (None, Some(max)) => parts.push(format!("at most {max} item{}", plural(max))),
        (None, None) => {}
    }
    if c.unique_items {
        parts.push("items unique".to_owned());
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| format!("`{v}`")).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}

/// Variant name for a status: `BadRequest`, `NotFound`, `Status418`, `Default`.
pub fn status_variant(status: Status) -> Ident {
    format_ident!("{}", crate::ir::naming::status_name(status))
}

/// A status as a doc comment names it: `` `404` ``, `` `5XX` ``, `Any other status`.
pub fn status_text(status: Status) -> String {
    match status {
        Status::Code(c) => format!("`{c}`"),
        Status::Range(d) => format!("`{d}XX`"),
        Status::Default => "Any other status".to_owned(),
    }
}

/// The match pattern of a status.
pub fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        Status::Range(r) => {
            let (lo, hi) = (proc_macro2::Literal::u16_unsuffixed(r * 100), proc_macro2::Literal::u16_unsuffixed(r * 100 + 99));
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{size_within, type_complexity};
    use crate::ir::{Api, Constraints, Field, Struct, TypeDef, TypeKind, TypeRef};
    use crate::Location;

    /// Mistral's billing usage: a map of maps of lists of maps is within clippy's limit, in an
    /// `Option` beyond it.
    #[test]
    fn type_complexity_is_counted_as_clippy_counts_it() {
        let usage = quote!(std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, serde_json::Value>>>>);
        assert_eq!(type_complexity(&usage), 250);
        assert_eq!(type_complexity(&quote!(Option<#usage>)), 340);
        assert_eq!(type_complexity(&quote!(&'a str)), 11);
    }

    fn object(name: &str, fields: &[(&str, TypeRef, bool)]) -> TypeDef {
        let fields = fields
            .iter()
            .map(|(field, ty, required)| Field {
                name: (*field).to_owned(),
                wire_name: (*field).to_owned(),
                ty: ty.clone(),
                required: *required,
                nullable: false,
                secret: false,
                boxed: false,
                read_only: false,
                write_only: false,
                doc: None,
                constraints: Constraints::default(),
                default: None,
            })
            .collect();
        let location = Location { file: "t.yaml".into(), line: None, pointer: format!("/components/schemas/{name}") };
        TypeDef { name: name.into(), schema_name: None, doc: None, location, shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(), kind: TypeKind::Struct(Struct { fields, additional: None, additional_name: "additional_properties".into(), required_undeclared: Vec::new(), required_choices: Vec::new() }) }
    }

    #[test]
    fn sizes_are_bounded_from_above_and_unknown_when_they_cannot_be_told() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types = vec![
            // A UUID, a string and an optional UUID, each kept as text: 24 + 24 + (24 + 8).
            object("Post", &[("id", TypeRef::Uuid, true), ("title", TypeRef::String, true), ("author", TypeRef::Uuid, false)]),
            object("Big", &[("a", TypeRef::String, true), ("b", TypeRef::String, true), ("c", TypeRef::Url, true)]),
            object("Node", &[("next", named("Node"), false)]),
            object("Wrapped", &[("post", named("Post"), true), ("flag", TypeRef::Boolean, true)]),
            object("Theirs", &[("x", TypeRef::External("my::Type".into()), true)]),
        ];
        types.sort_by(|a, b| a.name.cmp(&b.name));
        let api = Api { types, ..Api::default() };
        assert_eq!(size_within(&api, &named("Post"), 128), Some(80));
        assert_eq!(size_within(&api, &named("Wrapped"), 128), Some(88));
        assert_eq!(size_within(&api, &named("Post"), 79), None);
        assert_eq!(size_within(&api, &named("Big"), 64), None, "24 + 24 + 24 bytes");
        assert_eq!(size_within(&api, &named("Node"), 128), None, "contains itself");
        assert_eq!(size_within(&api, &named("Theirs"), 128), None, "a user's type");
        assert_eq!(size_within(&api, &named("Missing"), 128), None);
        assert_eq!(size_within(&api, &TypeRef::List(Box::new(named("Big"))), 128), Some(24));
    }
}
