//! One operation of the server: its request struct, response enum (and how it is answered), the
//! trait method, the axum handler and the reading and checking of the request.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote, ToTokens as _};

use super::validate::{value_checks, Resolved, Subject};
use super::Ctx;
use crate::emit::rust::{constraints_doc, doc_attrs, ident, mixed_doc_attrs, qualified_type, size_within, status_text, status_variant};
use crate::emit::body::{self, BodyKind, BodyMedia, WireShape};
use crate::ir::{is_token, Api, Content, Method, Operation, Param, ParamEncoding, ParamLocation, ParamStyle, RequestBody, Response, SecurityKind, Status, TypeKind, TypeRef};

/// Names of the items of one operation.
pub(crate) struct OpNames {
    pub request: Ident,
    pub response: Ident,
    pub handler: Ident,
    pub reader: Ident,
    pub method: Ident,
}

pub(crate) fn names(op: &Operation) -> OpNames {
    let prefix = op.name.to_upper_camel_case();
    OpNames {
        request: format_ident!("{}Request", prefix),
        response: format_ident!("{}Response", prefix),
        handler: format_ident!("handle_{}", op.name),
        reader: format_ident!("read_{}", op.name),
        method: ident(&op.name),
    }
}

/// A status's code; a range answers its first code (`4XX` -> 400).
fn status_code(status: Status) -> Option<u16> {
    match status {
        Status::Code(c) => Some(c),
        Status::Range(d) => Some(d * 100),
        Status::Default => None,
    }
}

fn body_type(content: &[Content], ctx: &Ctx) -> Option<TokenStream> {
    let c = content.first()?;
    Some(match &c.ty {
        Some(ty) => qualified_type(ty, Some(&ctx.models)),
        None => quote!(serde_json::Value),
    })
}

/// The largest named body a response enum holds inline, in bytes; a larger one is boxed.
const INLINE_BODY_LIMIT: usize = 128;

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
fn answer_body_type(api: &Api, content: &[Content], ctx: &Ctx) -> Option<TokenStream> {
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

/// The type of the request's body: its one media type's, or the operation's body enum.
fn request_body_type(op: &Operation, ctx: &Ctx) -> Option<TokenStream> {
    match body::medias(op.body.as_ref()?).as_slice() {
        [] => None,
        [one] => Some(body::value_type(one, &ctx.models)),
        _ => {
            let name = body::enum_name(op);
            Some(quote!(#name))
        }
    }
}

/// The body enum of an operation accepting several kinds of body: which one came, by
/// `Content-Type`.
pub(super) fn body_enum(op: &Operation, ctx: &Ctx) -> TokenStream {
    let Some(b) = &op.body else { return quote!() };
    let medias = body::medias(b);
    if medias.len() < 2 {
        return quote!();
    }
    let name = body::enum_name(op);
    let variants = medias.iter().map(|m| {
        let variant = m.kind.variant();
        let ty = body::value_type(m, &ctx.models);
        let doc = format!(" Sent as `{}`.", m.content.media_type);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let doc = format!(" The body of [`{}::{}`](crate::{}), in the media type the request said it is.", trait_name_of(op), op.name, ctx.module);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// Code reading the body of one media type into `Option<T>` (`None` when absent and optional).
fn read_media(api: &Api, b: &RequestBody, media: &BodyMedia<'_>, required: bool, ctx: &Ctx) -> TokenStream {
    let accepted = body::accepted(b, media.kind);
    match media.kind {
        BodyKind::Json => {
            let ty = body::value_type(media, &ctx.models);
            quote!(server::json_body::<#ty>(headers, &bytes, &[#(#accepted),*], #required)?)
        }
        BodyKind::Form => {
            let fields = body::form_fields(api, media.content);
            quote!(server::form_body(headers, &bytes, #fields, #required)?)
        }
        BodyKind::Text => quote!(server::text_body(headers, bytes.clone(), &[#(#accepted),*], #required)?),
        BodyKind::Binary => {
            let convert = match media.content.ty {
                Some(TypeRef::Binary) => quote!(generator_runtime::Binary(bytes.to_vec())),
                Some(_) => quote!(generator_runtime::Base64(bytes.to_vec())),
                None => quote!(bytes.to_vec()),
            };
            quote!(server::bytes_body(headers, bytes.clone(), &[#(#accepted),*], #required)?.map(|bytes| #convert))
        }
        BodyKind::Multipart => {
            let Some((name, fields)) = body::multipart_struct(api, media.content) else {
                return quote!(server::multipart_body(headers, &bytes, #required)?.map(|form| form.field_json("body")).transpose()?.flatten());
            };
            let models = &ctx.models;
            let ty = ident(name);
            let values = fields.fields.iter().map(|f| {
                let field = ident(&f.name);
                let wire = &f.wire_name;
                let mut value = if f.ty == TypeRef::Binary {
                    quote!(form.field_bytes(#wire).map(|bytes| generator_runtime::Binary(bytes.to_vec())))
                } else if body::is_file(&f.ty) {
                    quote!(form.field_bytes(#wire).map(|bytes| generator_runtime::Base64(bytes.to_vec())))
                } else if f.ty == TypeRef::String {
                    quote!(form.field_text(#wire)?.map(str::to_owned))
                } else {
                    quote!(form.field_value(#wire)?)
                };
                if f.boxed {
                    value = quote!(#value.map(Box::new));
                }
                if f.required && !f.nullable {
                    value = quote!(generator_runtime::body::multipart::required(#value, #wire)?);
                } else if f.absent_or_null() {
                    // A part is never `null`: present is `Some(Some(_))`.
                    value = quote!(#value.map(Some));
                }
                quote!(#field: #value,)
            });
            let additional = fields.additional.as_ref().map(|_| {
                let field = ident(&fields.additional_name);
                let declared = fields.fields.iter().map(|f| f.wire_name.as_str());
                quote!(#field: form.others(&[#(#declared),*])?,)
            });
            quote!(server::multipart_body(headers, &bytes, #required)?
                .map(|form| -> Result<#models::#ty, Rejection> { Ok(#models::#ty { #(#values)* #additional }) })
                .transpose()?)
        }
    }
}

/// The request struct: typed parameters, the body and the request's context.
pub(super) fn request_struct(op: &Operation, ctx: &Ctx) -> TokenStream {
    let n = names(op);
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let mut ty = qualified_type(&p.ty, Some(&ctx.models));
        if !p.required {
            ty = quote!(Option<#ty>);
        }
        let location = match p.location {
            ParamLocation::Path => "path parameter",
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "request header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::QueryString => "query string",
        };
        let docs = doc_attrs(&[p.doc.clone(), constraints_doc(&p.constraints), Some(format!("The `{}` {location}, checked against the spec.", p.wire_name))]);
        quote!(#docs pub #name: #ty,)
    });
    let body = op.body.as_ref().and_then(|b| {
        let ty = request_body_type(op, ctx)?;
        let ty = if b.required { ty } else { quote!(Option<#ty>) };
        let null = match body::medias(b).as_slice() {
            [one] if one.nullable() && b.required => Some("A JSON `null` body is `None`."),
            [one] if one.nullable() => Some("An absent body is `None`; a JSON `null` one, `Some(None)`."),
            several if several.iter().any(BodyMedia::nullable) => Some("A JSON `null` body is `Json(None)`."),
            _ => None,
        };
        let null = null.map(str::to_owned);
        let docs = doc_attrs(&[b.doc.clone(), Some("The request body, checked against its schema.".into()), null]);
        Some(quote!(#docs pub body: #ty,))
    });
    let doc = format!(" The request of [`{}::{}`](crate::{}), read and checked before the call.", trait_name_of(op), op.name, ctx.module);
    let request = &n.request;
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #request {
            #(#fields)*
            #body
            /// The method, URI, headers and extensions of the request, and the caller's credentials
            /// ([`Context::credentials`](crate::Context::credentials)), for the implementation to judge.
            pub context: crate::Context,
        }
    }
}

/// The trait an operation belongs to: its first tag in UpperCamelCase, or `Operations`.
pub(crate) fn trait_name_of(op: &Operation) -> String {
    crate::ir::naming::trait_name(op.tags.first().map(String::as_str))
}

/// A declared response header: field, lower-case wire name, type, description.
type HeaderPart = (Ident, String, TokenStream, Option<String>);

/// One variant's fields: the body and the declared headers.
fn variant_parts(api: &Api, r: &Response, head: bool, ctx: &Ctx) -> (Option<TokenStream>, Vec<HeaderPart>) {
    let body = match super::stream::streamed(r) {
        _ if head => None,
        Some(stream) if stream.alone => Some(stream.body_type(ctx)),
        _ => answer_body_type(api, &r.content, ctx),
    };
    let headers = body::answered_headers(r).into_iter().map(|h| (ident(&h.name), h.wire_name.to_ascii_lowercase(), qualified_type(&h.ty, Some(&ctx.models)), h.doc.clone())).collect();
    (body, headers)
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
        let stream_variant = match (stream.as_ref().filter(|s| !s.alone), status_code(r.status)) {
            (Some(stream), Some(code)) => {
                let name = format_ident!("{variant}Stream");
                let ty = stream.body_type(ctx);
                let doc = format!(" {}, as a stream (`{}`): for a request whose `Accept` asks for it ([`Context::accepts`](crate::Context::accepts)).", status_text(r.status), stream.content.media_type);
                let answer = stream.answer(&Literal::u16_unsuffixed(code).to_token_stream(), &quote!(Vec::new()));
                Some((quote!(#[doc = #doc] #name(#ty),), quote!(Self::#name(body) => #answer,)))
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
        let header_fields = headers.iter().map(|(field, wire, ty, doc)| {
            let docs = doc_attrs(&[doc.clone(), Some(format!("The `{wire}` response header."))]);
            quote!(#docs #field: Option<#ty>,)
        });
        variants.push(quote!(#docs #variant { #status_field #body_field #(#header_fields)* },));
        let names: Vec<&Ident> = headers.iter().map(|(f, ..)| f).collect();
        let pushes = headers.iter().map(|(field, wire, _, _)| quote!(if let Some(value) = #field { headers.push((#wire, value.to_string())); }));
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

/// The trait method's declaration.
pub(super) fn trait_method(op: &Operation) -> TokenStream {
    let n = names(op);
    let (method, request, response) = (&n.method, &n.request, &n.response);
    let route = format!("`{} {}`", op.method.as_str(), op.path);
    let docs = mixed_doc_attrs(&[op.summary.clone(), op.description.clone()], &[Some(route)]);
    quote! {
        #docs
        fn #method(&self, request: #request) -> impl std::future::Future<Output = #response> + Send;
    }
}

/// The axum handler and the request reader of one operation.
pub(super) fn handler(api: &Api, op: &Operation, ctx: &Ctx, visible: bool) -> TokenStream {
    let n = names(op);
    // A handler the module's own dispatcher calls (a route several tags share) is seen from there.
    let vis = visible.then(|| quote!(pub(super)));
    let (handler, reader, method, request) = (&n.handler, &n.reader, &n.method, &n.request);
    let trait_name = format_ident!("{}", trait_name_of(op));
    let needs_query = op.params.iter().any(|p| p.location == ParamLocation::Query && styled(api, p).is_none());
    let body = op.body.as_ref().filter(|b| {
        let medias = body::medias(b);
        medias.len() > 1 || medias.first().is_some_and(|m| m.content.ty.is_some() || matches!(m.kind, BodyKind::Binary | BodyKind::Text))
    });

    // A path that does not decode or a body that cannot be read is the request's fault: it gets the
    // operation's 400 (or 413), not axum's plain-text answer.
    let body_pass = body.map(|_| quote!(bytes,));
    let body_param = body.map(|_| quote!(bytes: Result<axum::body::Bytes, Rejection>,));
    let body_read_bytes = body.map(|_| quote!(let bytes = bytes?;));
    let uses_headers = body.is_some() || op.params.iter().any(|p| p.location == ParamLocation::Header);
    let headers_read = uses_headers.then(|| quote!(let headers = &parts.headers;));
    let pairs = needs_query.then(|| quote!(let pairs = server::query_pairs(parts.uri.query());));
    let (mut uses_query, mut uses_cookies) = (false, false);
    let mut reads = Vec::new();
    let mut checks_anything = false;
    let mut field_names = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        field_names.push(quote!(#name));
        let field = format!("{}.{}", location_name(p.location), p.wire_name);
        let wire = &p.wire_name;
        let whole = match (p.location, &p.encoding) {
            // The whole query string, a form or JSON: read and typed by the runtime.
            (ParamLocation::QueryString, ParamEncoding::Content(media)) => Some(quote!(server::querystring_param(parts.uri.query(), #wire, #media)?)),
            _ => None,
        };
        let read = whole.or_else(|| {
            let (shape, style, explode) = styled(api, p)?;
            // Lists, objects, unions, cookies and non-default styles: read by the runtime in the
            // parameter's style, then typed by serde.
            // An exploded `form` object's properties are names of their own in the query (or
            // cookies): the other parameters' names there are theirs, not its.
            let others = (shape == WireShape::Object && style == ParamStyle::Form && explode).then(|| other_names(api, op, p));
            let (shape, encoding) = (body::shape_tokens(shape), body::style_tokens(style, explode));
            let read = match (p.location, others) {
                (ParamLocation::Query, None) => {
                    uses_query = true;
                    quote!(server::query_param(&query, #wire, #shape, #encoding)?)
                }
                (ParamLocation::Query, Some(others)) => {
                    uses_query = true;
                    quote!(server::query_param(&query.except(&[#(#others),*]), #wire, #shape, #encoding)?)
                }
                (ParamLocation::Cookie, None) => {
                    uses_cookies = true;
                    quote!(server::cookie_param(&cookies, #wire, #shape, #encoding)?)
                }
                (ParamLocation::Cookie, Some(others)) => {
                    uses_cookies = true;
                    quote!(server::cookie_param(&cookies.except(&[#(#others),*]), #wire, #shape, #encoding)?)
                }
                (ParamLocation::Header, _) => quote!(server::header_param(headers, #wire, #shape, #encoding)?),
                (ParamLocation::Path, _) => {
                    let (index, prefix, suffix) = path_place(super::routed(&op.path), &p.wire_name).unwrap_or((0, "", ""));
                    let index = Literal::usize_unsuffixed(index);
                    quote!(server::path_param(parts.uri.path(), #index, #prefix, #suffix, #wire, #shape, #encoding)?)
                }
                (ParamLocation::QueryString, _) => return None,
            };
            Some(read)
        });
        if let Some(read) = read {
            let ty = qualified_type(&p.ty, Some(&ctx.models));
            let read = if p.required {
                quote!(let #name: #ty = server::required(#read, #field)?;)
            } else {
                quote!(let #name: Option<#ty> = #read;)
            };
            reads.push(read);
            let subject = Subject { ty: &p.ty, constraints: &p.constraints, value: quote!(#name), field: quote!(#field), options: usize::from(!p.required) };
            let checks = value_checks(api, &subject, &quote!(&mut errors));
            checks_anything |= !checks.is_empty();
            reads.push(checks);
            continue;
        }
        let raw = match p.location {
            ParamLocation::Path => {
                // Read by position in the path the router matched, between the segment's static text.
                let (index, prefix, suffix) = path_place(super::routed(&op.path), &p.wire_name).unwrap_or((0, "", ""));
                let index = Literal::usize_unsuffixed(index);
                quote!(server::path_segment(parts.uri.path(), #index, #prefix, #suffix, #field)?.as_deref())
            }
            ParamLocation::Query => {
                let wire = &p.wire_name;
                quote!(server::query_value(&pairs, #wire))
            }
            ParamLocation::Header => {
                let wire = p.wire_name.to_ascii_lowercase();
                // A header name known at compile time is looked up without parsing it per request
                // (`from_static` takes tokens in lower case); a name that is no token cannot be
                // sent in HTTP, and is looked up as text (never found).
                let name = match is_token(&wire) {
                    true => quote!(const { axum::http::HeaderName::from_static(#wire) }),
                    false => quote!(#wire),
                };
                quote!(server::header_value(headers, #name, #field)?)
            }
            // Cookies are read in their style above, but for those given as JSON by `content`.
            ParamLocation::Cookie => {
                uses_cookies = true;
                quote!(server::cookie_param::<String>(&cookies, #wire, Shape::Scalar, Encoding::FORM)?.as_deref())
            }
            // Read whole above.
            ParamLocation::QueryString => continue,
        };
        // A value given by `content` is JSON text, whatever its type (a string is quoted).
        let json = matches!(p.encoding, ParamEncoding::Content(_)).then(|| quote!(serde_json::from_str(text).map_err(|e| Rejection::bad(#field, e.to_string()))));
        let required = quote!(Rejection::bad(#field, "is required"));
        let read = match (json.or_else(|| fallible_parse(api, &p.ty, &field)), p.required) {
            (Some(parse), true) => quote!(#raw.ok_or_else(|| #required).and_then(|text| #parse)?),
            (Some(parse), false) => quote!(#raw.map(|text| #parse).transpose()?),
            (None, true) => {
                let convert = infallible_conversion(api, &p.ty, ctx);
                quote!(#raw.map(#convert).ok_or_else(|| #required)?)
            }
            (None, false) => {
                let convert = infallible_conversion(api, &p.ty, ctx);
                quote!(#raw.map(#convert))
            }
        };
        let ty = qualified_type(&p.ty, Some(&ctx.models));
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        reads.push(quote!(let #name: #ty = #read;));
        let subject = Subject { ty: &p.ty, constraints: &p.constraints, value: quote!(#name), field: quote!(#field), options: usize::from(!p.required) };
        let checks = value_checks(api, &subject, &quote!(&mut errors));
        checks_anything |= !checks.is_empty();
        reads.push(checks);
    }
    let body_read = body.map(|b| {
        let medias = body::medias(b);
        let required = b.required;
        let missing = quote!(.ok_or_else(|| Rejection::bad("body", "a request body is required"))?);
        let read = match medias.as_slice() {
            [one] => {
                let ty = body::value_type(one, &ctx.models);
                let read = read_media(api, b, one, required, ctx);
                if required {
                    quote!(let body: #ty = #read #missing;)
                } else {
                    quote!(let body: Option<#ty> = #read;)
                }
            }
            several => {
                // The request's `Content-Type` picks the variant; another is a 415.
                let name = body::enum_name(op);
                let all: Vec<String> = several.iter().flat_map(|m| body::accepted(b, m.kind)).collect();
                let arms = several.iter().map(|m| {
                    let variant = m.kind.variant();
                    let accepted = body::accepted(b, m.kind);
                    let read = read_media(api, b, m, false, ctx);
                    quote!(media if [#(#accepted),*].contains(&media) => #read.map(#name::#variant),)
                });
                let absent = (!required).then(|| quote!(_ if bytes.is_empty() => None,));
                let read = quote!(match server::media_type(headers).as_str() {
                    #(#arms)*
                    #absent
                    _ => return Err(server::unsupported_media(headers, &[#(#all),*])),
                });
                if required {
                    quote!(let body: #name = #read #missing;)
                } else {
                    quote!(let body: Option<#name> = #read;)
                }
            }
        };
        field_names.push(quote!(body));
        let validates = |m: &BodyMedia<'_>| m.content.ty.as_ref().is_some_and(|t| matches!(Resolved::of(api, t), Resolved::Validates));
        let validate = match medias.as_slice() {
            [one] if validates(one) => {
                checks_anything = true;
                quote!(Validate::validate(&body, "body", &mut errors);)
            }
            several if several.len() > 1 && several.iter().any(validates) => {
                checks_anything = true;
                let name = body::enum_name(op);
                let checked: Vec<&BodyMedia<'_>> = several.iter().filter(|m| validates(m)).collect();
                match checked.as_slice() {
                    // One media type of several has rules: an `if let`, not a match of one arm.
                    [only] => {
                        let variant = only.kind.variant();
                        let pattern = if b.required { quote!(#name::#variant(value)) } else { quote!(Some(#name::#variant(value))) };
                        quote!(if let #pattern = &body { Validate::validate(value, "body", &mut errors) })
                    }
                    _ => {
                        let arms = checked.iter().map(|m| {
                            let variant = m.kind.variant();
                            quote!(#name::#variant(value) => Validate::validate(value, "body", &mut errors),)
                        });
                        let rest = (checked.len() < several.len()).then(|| quote!(_ => {}));
                        if b.required {
                            quote!(match &body { #(#arms)* #rest };)
                        } else {
                            quote!(if let Some(body) = &body { match body { #(#arms)* #rest } })
                        }
                    }
                }
            }
            _ => quote!(),
        };
        quote!(#read #validate)
    });
    let rejection = super::rejection::rejection_answer(api, op);
    // The handler gets the service and the request whole (`server::Operation`: no extractor splits
    // the request and puts it back), its parts moved into the request's context, never copied.
    // An operation without a body is read before its future starts, so that the future holds only
    // the request read and the implementation's call.
    let call = quote! {
        match read {
            Ok(request) => server::answer(<S as #trait_name>::#method(&service, request)).await,
            Err(rejection) => {
                #rejection
            }
        }
    };
    let handler_fn = match body {
        Some(_) => quote! {
            #vis async fn #handler<S: Service>(
                service: std::sync::Arc<S>,
                request: axum::extract::Request,
            ) -> axum::response::Response {
                let read = {
                    let (parts, bytes) = server::read_body(request, crate::BODY_LIMIT).await;
                    #reader(parts, #body_pass)
                };
                #call
            }
        },
        None => quote! {
            #vis fn #handler<S: Service>(
                service: std::sync::Arc<S>,
                request: axum::extract::Request,
            ) -> impl std::future::Future<Output = axum::response::Response> + Send {
                let read = #reader(request.into_parts().0);
                async move { #call }
            }
        },
    };
    let query_read = uses_query.then(|| quote!(let query = server::query_of(&parts);));
    let cookies_read = uses_cookies.then(|| quote!(let cookies = server::cookies_of(&parts);));
    let mut_errors = if checks_anything { quote!(let mut errors: Vec<Rejection> = Vec::new();) } else { quote!() };
    let finish_errors = (!mut_errors.is_empty()).then(|| quote!(if let Some(first) = errors.into_iter().next() { return Err(first); }));
    let doc = format!(" Reads and checks a request of [`{trait_name}::{method}`].");
    quote! {
        #[doc = #doc]
        fn #reader(parts: axum::http::request::Parts, #body_param) -> Result<#request, Rejection> {
            #body_read_bytes
            #headers_read
            #pairs
            #query_read
            #cookies_read
            #mut_errors
            #(#reads)*
            #body_read
            #finish_errors
            Ok(#request { #(#field_names,)* context: crate::Context::new(parts, SCHEME_ALIASES) })
        }

        #handler_fn
    }
}

/// The shape and style of a parameter read by the runtime in its style: every list, object, map
/// or union, every cookie, and every parameter of a style other than its location's default.
/// `None` for the plain scalars read directly, and for values given as JSON by `content`.
fn styled(api: &Api, p: &Param) -> Option<(WireShape, ParamStyle, bool)> {
    let ParamEncoding::Style { style, explode, .. } = p.encoding else { return None };
    let shape = body::wire_shape(api, &p.ty);
    let union = matches!(api.resolved(&p.ty), TypeRef::Named(n) if matches!(api.type_def(n).map(|d| &d.kind), Some(TypeKind::Union(_) | TypeKind::Tagged(_))));
    let plain = shape == WireShape::Scalar && !union && p.location != ParamLocation::Cookie && p.encoding == ParamEncoding::default_for(p.location);
    (!plain).then_some((shape, style, explode))
}

/// The names in `p`'s location that are not its own: the other parameters there, and the API keys
/// `op`'s security schemes send there.
fn other_names<'a>(api: &'a Api, op: &'a Operation, p: &Param) -> Vec<&'a str> {
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
fn path_place<'p>(path: &'p str, name: &str) -> Option<(usize, &'p str, &'p str)> {
    let placeholder = format!("{{{name}}}");
    path.split('/').enumerate().find_map(|(i, segment)| {
        let at = segment.find(&placeholder)?;
        Some((i, &segment[..at], &segment[at + placeholder.len()..]))
    })
}

fn location_name(location: ParamLocation) -> &'static str {
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
fn fallible_parse(api: &Api, ty: &TypeRef, field: &str) -> Option<TokenStream> {
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
fn infallible_conversion(api: &Api, ty: &TypeRef, ctx: &Ctx) -> TokenStream {
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

/// Doc line for the router listing.
pub(super) fn route_doc(op: &Operation) -> String {
    format!("`{} {}` -> [`{}::{}`]", op.method.as_str(), op.path, trait_name_of(op), op.name)
}
