//! What a rejected request is answered: the 400 shape its operation documents, filled with the
//! field at fault and what is wrong (at the top, or one level down, as Asana's
//! `{errors: [{message}]}`), a bodiless 400 where that is what it documents, else the default
//! error shape. One builder per documented shape, shared by the operations answering it.

use heck::ToSnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::operation::{boxed_body, names};
use super::Ctx;
use crate::emit::body;
use crate::emit::rust::ident;
use crate::ir::{Api, Method, Operation, Status, TypeRef};

/// The documented 400 body type of an operation, when it has a struct one that can be filled from a rejection.
fn documented_bad_request<'a>(api: &'a Api, op: &Operation) -> Option<&'a str> {
    let r = op.responses.iter().find(|r| r.status == Status::Code(400) && body::answered_headers(r).is_empty() && op.method != Method::Head)?;
    let Some(TypeRef::Named(name)) = r.content.first().and_then(|c| c.ty.as_ref()) else { return None };
    api.struct_of(&TypeRef::Named(name.clone()))?;
    api.type_def(name).map(|t| t.name.as_str())
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
        let Some(name) = documented_bad_request(api, op) else { continue };
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

/// The message-like text field of the struct `ty` is, if it is one.
fn message_field(api: &Api, ty: &TypeRef) -> Option<String> {
    let (_, s) = api.struct_of(ty)?;
    s.fields.iter().find(|f| f.ty == TypeRef::String && MESSAGE_FIELDS.contains(&f.wire_name.as_str())).map(|f| f.wire_name.clone())
}

/// The function filling a documented 400 body type from a rejection: its message-like fields get
/// the field at fault and what is wrong, so that a rejected request gets the shape its operation
/// documents; `None` at run time when the type has required fields that cannot be filled.
pub(super) fn bad_request_builder(api: &Api, name: &str, ctx: &Ctx) -> TokenStream {
    let Some((_, s)) = api.struct_of(&TypeRef::Named(name.to_owned())) else { return quote!() };
    let mut inserts = Vec::new();
    let mut says_what = false;
    for f in &s.fields {
        let wire = &f.wire_name;
        let value = match (f.wire_name.as_str(), &f.ty) {
            ("fields", TypeRef::Map(_)) => quote!(serde_json::json!({ rejection.name(): rejection.message.clone() })),
            (m, TypeRef::String) if MESSAGE_FIELDS.contains(&m) => quote!(serde_json::Value::from(rejection.text())),
            ("status", TypeRef::String) => quote!(serde_json::Value::from("400")),
            ("status" | "code", TypeRef::Integer { .. }) => quote!(serde_json::Value::from(400)),
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

/// The answer to a rejected request: the operation's documented 400 shape when it has one, else the
/// default error shape, which names the field at fault and what is wrong. A 400 documented with
/// no body is answered without one, as documented: its clients read no body there.
pub(super) fn rejection_answer(api: &Api, op: &Operation) -> TokenStream {
    let n = names(op);
    let response = &n.response;
    let fallback = quote!(server::default_error(rejection.status, rejection.message, rejection.field));
    let bodiless_400 = op.method != Method::Head && op.responses.iter().any(|r| r.status == Status::Code(400) && r.content.is_empty() && body::answered_headers(r).is_empty());
    if let Some(name) = documented_bad_request(api, op) {
        let function = bad_request_fn(name);
        let body = match boxed_body(api, &TypeRef::Named(name.to_owned())) {
            true => quote!(Box::new(body)),
            false => quote!(body),
        };
        // A 400 body that may be `null` is an `Option`; a rejection fills it.
        let nullable = op.responses.iter().find(|r| r.status == Status::Code(400)).and_then(|r| body::answer(&r.content)).is_some_and(|a| a.nullable());
        let body = if nullable { quote!(Some(#body)) } else { body };
        quote! {
            match #function(&rejection) {
                Some(body) if rejection.status == 400 => axum::response::IntoResponse::into_response(#response::BadRequest(#body)),
                _ => #fallback,
            }
        }
    } else if bodiless_400 {
        quote!(if rejection.status == 400 { axum::response::IntoResponse::into_response(#response::BadRequest) } else { #fallback })
    } else {
        fallback
    }
}
