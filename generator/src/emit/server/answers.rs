//! The answers of one operation: its response enum, one variant per documented status, and how each is written.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote, ToTokens as _};

use super::operation::{body_type, names, trait_name_of, INLINE_BODY_LIMIT};
use super::Ctx;
use crate::emit::rust::{doc_attrs, ident, qualified_type, size_within, status_text, status_variant};
use crate::emit::body::{self, BodyKind};
use crate::ir::{Api, Content, Method, Operation, Response, Status, TypeRef};

/// A declared response header: field, lower-case wire name, type, description.
type HeaderPart = (Ident, String, TokenStream, Option<String>);

/// A status's code; a range answers its first code (`4XX` -> 400).
pub(in crate::emit) fn status_code(status: Status) -> Option<u16> {
    match status {
        Status::Code(c) => Some(c),
        Status::Range(d) => Some(d * 100),
        Status::Default => None,
    }
}

/// Whether a named body is boxed in a response enum: when it may be large (over
/// [`INLINE_BODY_LIMIT`] bytes, or of a size that cannot be told), so that one large body does not
/// make every answer of the operation large, while a small one costs no allocation.
pub(super) fn boxed_body(api: &Api, ty: &TypeRef) -> bool {
    size_within(api, ty, INLINE_BODY_LIMIT).is_none()
}

/// Whether a response enum holds the body of `content` as a `Box<T>` (as [`answer_body_type`]
/// types it): one that may be `null` is an `Option<Box<T>>`, which reads and writes as itself.
pub(crate) fn answer_boxed(api: &Api, content: &[Content]) -> bool {
    body::answer(content).is_some_and(|a| !matches!(a.kind, BodyKind::Text | BodyKind::Binary) && !a.nullable() && matches!(&a.content.ty, Some(ty @ TypeRef::Named(_)) if boxed_body(api, ty)))
}

/// A response body's type in a response enum: a named body as [`boxed_body`] says (in an
/// `Option` when it may be `null`: `Option<Box<T>>`); text is a `String`; bytes are an axum
/// `Body`, so that the implementation may stream a download rather than hold it whole.
pub(super) fn answer_body_type(api: &Api, content: &[Content], ctx: &Ctx) -> Option<TokenStream> {
    let answer = body::answer(content)?;
    Some(match (answer.kind, &answer.content.ty) {
        (BodyKind::Text, _) => quote!(String),
        (BodyKind::Binary, _) => quote!(axum::body::Body),
        (_, Some(ty @ TypeRef::Named(_))) if boxed_body(api, ty) => {
            let ty = body_type(content, ctx)?;
            if answer.nullable() {
                quote!(Option<Box<#ty>>)
            } else {
                quote!(Box<#ty>)
            }
        }
        _ => body::value_type(&answer, &ctx.models),
    })
}

/// One variant's fields: the body and the declared headers.
pub(super) fn variant_parts(api: &Api, r: &Response, head: bool, ctx: &Ctx) -> (Option<TokenStream>, Vec<HeaderPart>) {
    let body = match super::stream::streamed(r) {
        _ if head => None,
        Some(stream) if stream.alone => Some(stream.body_type(ctx)),
        _ => answer_body_type(api, &r.content, ctx),
    };
    let headers = body::answered_headers(r).into_iter().map(|h| (ident(&h.name), h.wire_name.to_ascii_lowercase(), qualified_type(&h.ty, Some(&ctx.models)), h.doc.clone())).collect();
    (body, headers)
}

/// A variant's header fields, the names binding them, and the statements pushing each one set.
fn header_parts(headers: &[HeaderPart]) -> (Vec<TokenStream>, Vec<&Ident>, Vec<TokenStream>) {
    let fields = headers.iter().map(|(field, wire, ty, doc)| {
        let docs = doc_attrs(&[doc.clone(), Some(format!("The `{wire}` response header."))]);
        quote!(#docs #field: Option<#ty>,)
    });
    let names = headers.iter().map(|(f, ..)| f).collect();
    let pushes = headers.iter().map(|(field, wire, _, _)| quote!(if let Some(value) = #field { headers.push((#wire, value.to_string())); }));
    (fields.collect(), names, pushes.collect())
}

/// The response enum: one variant per documented status, with its body and headers.
pub(super) fn response_enum(api: &Api, op: &Operation, ctx: &Ctx) -> TokenStream {
    let n = names(op);
    let name = &n.response;
    let head = op.method == Method::Head;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in &op.responses {
        let variant = status_variant(r.status);
        let (body, headers) = variant_parts(api, r, head, ctx);
        let docs = doc_attrs(&[Some(format!("{}: {}", status_text(r.status), r.doc.as_deref().unwrap_or("(undescribed)")))]);
        let status_expr = match status_code(r.status) {
            Some(c) => {
                let c = Literal::u16_unsuffixed(c);
                quote!(#c)
            }
            None => quote!(status),
        };
        // A HEAD answer has the headers of the GET's, its content type included, and no body.
        let head_type = r.content.first().filter(|_| head).map(|c| c.media_type.as_str());
        let written = body::answer(&r.content).map(|a| (a.kind, a.content.media_type.as_str()));
        let stream = super::stream::streamed(r).filter(|_| !head);
        let answer = |headers_expr: TokenStream| match (&body, head_type) {
            (Some(_), _) if stream.as_ref().is_some_and(|s| s.alone) => stream.as_ref().map(|s| s.answer(&status_expr, &headers_expr)).unwrap_or_default(),
            (Some(_), _) => match written {
                Some((BodyKind::Text, media)) => quote!(server::bytes_response(#status_expr, #media, body, #headers_expr)),
                Some((BodyKind::Binary, media)) => quote!(server::body_response(#status_expr, #media, body, #headers_expr)),
                Some((_, media)) => quote!(server::json_response(#status_expr, #media, &body, #headers_expr)),
                None => quote!(server::json_response(#status_expr, "application/json", &body, #headers_expr)),
            },
            (None, Some(content_type)) => quote!(server::head_response(#status_expr, #content_type, #headers_expr)),
            (None, None) => quote!(server::empty_response(#status_expr, #headers_expr)),
        };
        // A stream beside another body at this status: a variant of its own after the status's
        // own, for the implementation to answer when the request's `Accept` asks for it.
        // It sends the status's documented headers too.
        let stream_variant = match (stream.as_ref().filter(|s| !s.alone), status_code(r.status)) {
            (Some(stream), Some(code)) => {
                let name = format_ident!("{variant}Stream");
                let ty = stream.body_type(ctx);
                let doc = format!(" {}, as a stream (`{}`): for a request whose `Accept` asks for it ([`Context::accepts`](crate::Context::accepts)).", status_text(r.status), stream.content.media_type);
                let code = Literal::u16_unsuffixed(code).to_token_stream();
                if headers.is_empty() {
                    let answer = stream.answer(&code, &quote!(Vec::new()));
                    Some((quote!(#[doc = #doc] #name(#ty),), quote!(Self::#name(body) => #answer,)))
                } else {
                    let (fields, names, pushes) = header_parts(&headers);
                    let answer = stream.answer(&code, &quote!(headers));
                    let variant = quote!(#[doc = #doc] #name { #[doc = " The body."] body: #ty, #(#fields)* },);
                    let arm = quote!(Self::#name { body, #(#names),* } => {
                        let mut headers = Vec::new();
                        #(#pushes)*
                        #answer
                    });
                    Some((variant, arm))
                }
            }
            _ => None,
        };
        if headers.is_empty() && r.status != Status::Default {
            match &body {
                Some(ty) => {
                    variants.push(quote!(#docs #variant(#ty),));
                    let answer = answer(quote!(Vec::new()));
                    arms.push(quote!(Self::#variant(body) => #answer,));
                }
                None => {
                    variants.push(quote!(#docs #variant,));
                    let answer = answer(quote!(Vec::new()));
                    arms.push(quote!(Self::#variant => #answer,));
                }
            }
            variants.extend(stream_variant.as_ref().map(|(v, _)| v.clone()));
            arms.extend(stream_variant.map(|(_, a)| a));
            continue;
        }
        let status_field = (r.status == Status::Default).then(|| quote!(#[doc = " The status to answer."] status: u16,));
        let body_field = body.as_ref().map(|ty| quote!(#[doc = " The body."] body: #ty,));
        let (header_fields, names, pushes) = header_parts(&headers);
        variants.push(quote!(#docs #variant { #status_field #body_field #(#header_fields)* },));
        let status_bind = (r.status == Status::Default).then(|| quote!(status,));
        let body_bind = body.as_ref().map(|_| quote!(body,));
        let answer = answer(quote!(headers));
        let headers_decl = if headers.is_empty() { quote!(let headers = Vec::new();) } else { quote!(let mut headers = Vec::new();) };
        arms.push(quote!(Self::#variant { #status_bind #body_bind #(#names),* } => {
            #headers_decl
            #(#pushes)*
            #answer
        }));
        variants.extend(stream_variant.as_ref().map(|(v, _)| v.clone()));
        arms.extend(stream_variant.map(|(_, a)| a));
    }
    let doc = format!(" What [`{}::{}`](crate::{}) may answer: only what the spec documents for it.", trait_name_of(op), op.name, ctx.module);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
        }

        impl axum::response::IntoResponse for #name {
            fn into_response(self) -> axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
