//! Rust building blocks shared by the emitters: identifiers, type expressions, doc attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::format_ident;
use quote::quote;

use super::docs::doc_lines;
use crate::ir::{Constraints, Status, TypeRef};

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
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Url => quote!(url::Url),
        TypeRef::Ipv4 => quote!(std::net::Ipv4Addr),
        TypeRef::Ipv6 => quote!(std::net::Ipv6Addr),
        TypeRef::Bytes | TypeRef::Binary => quote!(generator_runtime::Base64),
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
        TypeRef::Any => quote!(serde_json::Value),
    }
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

/// A sentence stating validation rules, for docs (`None` when there are none).
pub fn constraints_doc(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} characters")),
        (Some(min), None) => parts.push(format!("at least {min} characters")),
        (None, Some(max)) => parts.push(format!("at most {max} characters")),
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
        (Some(min), None) => parts.push(format!("at least {min} item{}", if min == 1 { "" } else { "s" })),
        (None, Some(max)) => parts.push(format!("at most {max} items")),
        (None, None) => {}
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
