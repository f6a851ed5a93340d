//! What a rejected request is answered: the shape its operation documents for it (its 400, else
//! its `4XX`, else its `default`), filled with the field at fault and what is wrong (at the top,
//! or one level down, as Asana's `{errors: [{message}]}`), a bodiless 400 where that is what it
//! documents, else the default error shape. One builder per documented shape, shared by the
//! operations answering it.

use heck::ToSnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::answers::boxed_body;
use super::operation::names;
use super::Ctx;
use crate::emit::body;
use crate::emit::rust::{ident, status_variant};
use crate::ir::{Api, Field, Method, Operation, Response, Status, TypeRef};

/// What a documented refusal's body is made of.
enum Shape<'a> {
    /// A struct, filled by its builder ([`bad_request_builder`]).
    Struct(&'a str),
    /// Text (`text/*` of a string schema): what is wrong, as the text.
    Text,
}

/// The answer of an operation a rejected request takes the shape of, and what its body is, when
/// it is a struct that can be filled from a rejection or text and its headers are optional: the
/// documented 400, else `4XX`, else `default` (a client reads a refusal as the spec documents it,
/// and a `default` shape is the spec's word on every status it does not name). A documented 400
/// of another kind decides alone.
fn documented_rejection<'a>(api: &'a Api, op: &'a Operation) -> Option<(&'a Response, Shape<'a>)> {
    if op.method == Method::Head {
        return None;
    }
    let r = [Status::Code(400), Status::Range(4), Status::Default].iter().find_map(|s| op.responses.iter().find(|r| r.status == *s))?;
    // Optional headers are left out; a required one cannot be made up.
    if body::answered_headers(r).iter().any(|h| h.required) {
        return None;
    }
    let answer = body::answer(&r.content)?;
    let ty = answer.content.ty.as_ref()?;
    if answer.content.media_type.to_ascii_lowercase().starts_with("text/") && *api.resolved(ty) == TypeRef::String && !answer.nullable() {
        return Some((r, Shape::Text));
    }
    let TypeRef::Named(name) = ty else { return None };
    api.struct_of(ty)?;
    api.type_def(name).map(|t| (r, Shape::Struct(t.name.as_str())))
}

/// The function filling a documented 400 body type from a rejection.
pub(super) fn bad_request_fn(type_name: &str) -> Ident {
    format_ident!("bad_request_{}", type_name.to_snake_case())
}

/// The documented 400 body types that can be filled from a rejection, each with the operations
/// answering it.
pub(super) fn bad_request_users(api: &Api) -> Vec<(String, Vec<&Operation>)> {
    let mut users: Vec<(String, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        let Some((_, Shape::Struct(name))) = documented_rejection(api, op) else { continue };
        match users.iter_mut().find(|(n, _)| n == name) {
            Some((_, ops)) => ops.push(op),
            None => users.push((name.to_owned(), vec![op])),
        }
    }
    users.sort_by(|a, b| a.0.cmp(&b.0));
    users
}

/// The names of a 400 body's fields that take the text of what is wrong.
const MESSAGE_FIELDS: [&str; 5] = ["text", "detail", "message", "error", "description"];

/// The message-like text field of the struct `ty` is, if it is one and nothing else it requires
/// is left unfilled (GitHub's `errors: [{code, message}]` requires a `code` of its own enum: an
/// optional list of such is left out rather than spoil the whole answer).
fn message_field(api: &Api, ty: &TypeRef) -> Option<String> {
    let (_, s) = api.struct_of(ty)?;
    let field = s.fields.iter().find(|f| f.ty == TypeRef::String && MESSAGE_FIELDS.contains(&f.wire_name.as_str()))?;
    s.fields.iter().all(|f| !f.required || f.wire_name == field.wire_name || plain_filling(f).is_some()).then(|| field.wire_name.clone())
}

/// The text a required field with no place in a rejection holds, where its schema admits that
/// much alone: its default text, else empty text for text without rules (GitHub's
/// `documentation_url` beside `message`). `None` where nothing can be assumed (a number, an enum
/// of states without a default: a refusal is no state).
fn plain_filling(f: &Field) -> Option<String> {
    match (&f.default, &f.ty) {
        (Some(serde_json::Value::String(default)), _) => Some(default.clone()),
        (None, TypeRef::String) if f.constraints.is_empty() => Some(String::new()),
        _ => None,
    }
}

/// The function filling a documented 400 body type from a rejection: its message-like fields get
/// the field at fault and what is wrong, its other required fields what their schemas alone admit
/// ([`plain_filling`]), so that a rejected request gets the shape its operation documents; `None`
/// at run time when the type has required fields that cannot be filled.
pub(super) fn bad_request_builder(api: &Api, name: &str, ctx: &Ctx) -> TokenStream {
    let Some((_, s)) = api.struct_of(&TypeRef::Named(name.to_owned())) else { return quote!() };
    let mut inserts = Vec::new();
    let mut says_what = false;
    for f in &s.fields {
        let wire = &f.wire_name;
        let value = match (f.wire_name.as_str(), &f.ty) {
            ("fields", TypeRef::Map(_)) => quote!(serde_json::json!({ rejection.name(): rejection.message.clone() })),
            (m, TypeRef::String) if MESSAGE_FIELDS.contains(&m) => quote!(serde_json::Value::from(rejection.text())),
            ("status", TypeRef::String) => quote!(serde_json::Value::from(rejection.status.to_string())),
            ("status" | "code", TypeRef::Integer { .. }) => quote!(serde_json::Value::from(rejection.status)),
            ("scimType", TypeRef::String) => quote!(serde_json::Value::from(if rejection.field.as_deref() == Some("query.filter") { "invalidFilter" } else { "invalidValue" })),
            ("schemas", TypeRef::List(_)) => quote!(serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:Error"])),
            // Asana's `{errors: [{message}]}`, or an `error: {message}`: the message one level down.
            (w, ty) if w.to_ascii_lowercase().contains("error") => match api.resolved(ty) {
                TypeRef::List(item) => match message_field(api, item) {
                    Some(m) => quote!(serde_json::json!([{ #m: rejection.text() }])),
                    None => continue,
                },
                other => match message_field(api, other) {
                    Some(m) => quote!(serde_json::json!({ #m: rejection.text() })),
                    None => continue,
                },
            },
            _ if f.required => match plain_filling(f) {
                Some(text) => quote!(serde_json::Value::from(#text)),
                None => continue,
            },
            _ => continue,
        };
        says_what |= value.to_string().contains("rejection");
        inserts.push(quote!(shape.insert(#wire.to_owned(), #value);));
    }
    // A shape with no place for what is wrong, but open to more properties, carries the default
    // error's `detail` and `field` beside its own: a 400 always says what it refuses.
    let declared = |key: &str| s.fields.iter().any(|f| f.wire_name == key);
    if !says_what && s.additional.as_ref().is_some_and(|extra| matches!(api.resolved(extra), TypeRef::Any)) && !declared("detail") && !declared("field") {
        inserts.push(quote! {
            shape.insert("detail".to_owned(), serde_json::Value::from(rejection.message.clone()));
            if let Some(field) = &rejection.field {
                shape.insert("field".to_owned(), serde_json::Value::from(field.clone()));
            }
        });
    }
    let models = &ctx.models;
    let ty = ident(name);
    let function = bad_request_fn(name);
    let doc = format!(" A `{name}` describing a rejected request, as operations documenting it for 400 answer.");
    let shape_decl = if inserts.is_empty() { quote!(let shape = serde_json::Map::new();) } else { quote!(let mut shape = serde_json::Map::new();) };
    let uses_rejection = inserts.iter().any(|i| i.to_string().contains("rejection"));
    let param = if uses_rejection { quote!(rejection) } else { quote!(_rejection) };
    quote! {
        #[doc = #doc]
        fn #function(#param: &Rejection) -> Option<#models::#ty> {
            #shape_decl
            #(#inserts)*
            serde_json::from_value(serde_json::Value::Object(shape)).ok()
        }
    }
}

/// The answer to a rejected request: the shape its operation documents for it
/// ([`documented_rejection`]; a `4XX` answers 400, a `default` the rejection's status where no
/// other answer documents it), else the default error shape, which names the field at fault and
/// what is wrong. A 400 documented with no body is answered without one, as documented: its
/// clients read no body there.
pub(super) fn rejection_answer(api: &Api, op: &Operation) -> TokenStream {
    let n = names(op);
    let response = &n.response;
    let fallback = quote!(server::default_error(rejection.status, rejection.message, rejection.field));
    let bodiless_400 = op.method != Method::Head && op.responses.iter().any(|r| r.status == Status::Code(400) && r.content.is_empty() && body::answered_headers(r).is_empty());
    if let Some((r, shape)) = documented_rejection(api, op) {
        let body = match shape {
            Shape::Struct(name) if boxed_body(api, &TypeRef::Named(name.to_owned())) => quote!(Box::new(body)),
            _ => quote!(body),
        };
        // A body that may be `null` is an `Option`; a rejection fills it.
        let body = if body::answer(&r.content).is_some_and(|a| a.nullable()) { quote!(Some(#body)) } else { body };
        let variant = status_variant(r.status);
        let headers: Vec<TokenStream> = body::answered_headers(r)
            .iter()
            .map(|h| {
                let field = ident(&h.name);
                quote!(#field: None)
            })
            .collect();
        let field = if body.to_string() == "body" { quote!(body) } else { quote!(body: #body) };
        let (answer, when) = match r.status {
            Status::Default => {
                // Only a status a rejection can have (4xx) decides.
                let refusal = |s: Status| matches!(s, Status::Code(400..=499) | Status::Range(4));
                let others = refusal_patterns(op.responses.iter().map(|o| o.status).filter(|s| refusal(*s)));
                let when = (!others.is_empty()).then(|| quote!(!matches!(rejection.status, #(#others)|*)));
                (quote!(#response::#variant { status: rejection.status, #field, #(#headers),* }), when)
            }
            _ if !headers.is_empty() => (quote!(#response::#variant { #field, #(#headers),* }), Some(quote!(rejection.status == 400))),
            _ => (quote!(#response::#variant(#body)), Some(quote!(rejection.status == 400))),
        };
        match shape {
            Shape::Struct(name) => {
                let function = bad_request_fn(name);
                let guard = when.map(|w| quote!(if #w));
                quote! {
                    match #function(&rejection) {
                        Some(body) #guard => axum::response::IntoResponse::into_response(#answer),
                        _ => #fallback,
                    }
                }
            }
            Shape::Text => {
                let answer = quote! {
                    let body = rejection.text();
                    axum::response::IntoResponse::into_response(#answer)
                };
                match when {
                    Some(when) => quote!(if #when { #answer } else { #fallback }),
                    None => answer,
                }
            }
        }
    } else if bodiless_400 {
        quote!(if rejection.status == 400 { axum::response::IntoResponse::into_response(#response::BadRequest) } else { #fallback })
    } else {
        fallback
    }
}

/// The patterns matching `statuses` (codes and ranges), consecutive codes joined into one range as
/// a careful writer (and clippy) would: `403 | 404 | 405` is `403..=405`.
fn refusal_patterns(statuses: impl Iterator<Item = Status>) -> Vec<TokenStream> {
    let mut spans: Vec<(u16, u16)> = statuses
        .filter_map(|s| match s {
            Status::Code(c) => Some((c, c)),
            Status::Range(d) => Some((d * 100, d * 100 + 99)),
            Status::Default => None,
        })
        .collect();
    spans.sort_unstable();
    let mut joined: Vec<(u16, u16)> = Vec::new();
    for (lo, hi) in spans {
        match joined.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => joined.push((lo, hi)),
        }
    }
    joined
        .into_iter()
        .map(|(lo, hi)| {
            let (l, h) = (proc_macro2::Literal::u16_unsuffixed(lo), proc_macro2::Literal::u16_unsuffixed(hi));
            if lo == hi {
                quote!(#l)
            } else {
                quote!(#l..=#h)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_refusal_statuses_are_one_range() {
        let shown = |statuses: Vec<Status>| refusal_patterns(statuses.into_iter()).iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(shown(vec![Status::Code(405), Status::Code(403), Status::Code(404), Status::Code(409)]), ["403 ..= 405", "409"]);
        assert_eq!(shown(vec![Status::Code(401), Status::Range(4)]), ["400 ..= 499"]);
        assert_eq!(shown(vec![Status::Code(404)]), ["404"]);
    }
}
