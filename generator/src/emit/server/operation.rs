//! One operation of the server: its request struct, the trait method, the axum handler and the
//! reading and checking of the request (its answers are in `answers`, its parameters in `params`).

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::validate::{value_checks, Resolved, Subject};
use super::params::{fallible_parse, infallible_conversion, location_name, other_names, path_place, styled};
use super::Ctx;
use crate::emit::rust::{constraints_doc, doc_attrs, ident, mixed_doc_attrs, qualified_type};
use crate::emit::body::{self, BodyKind, BodyMedia, WireShape};
use crate::ir::{is_token, Api, Content, Framing, Operation, ParamEncoding, ParamLocation, ParamStyle, RequestBody, TypeRef};

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

pub(super) fn body_type(content: &[Content], ctx: &Ctx) -> Option<TokenStream> {
    let c = content.first()?;
    Some(match &c.ty {
        Some(ty) => qualified_type(ty, Some(&ctx.models)),
        None => quote!(serde_json::Value),
    })
}

/// The largest named body a response enum holds inline, in bytes; a larger one is boxed.
pub(super) const INLINE_BODY_LIMIT: usize = 128;

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

/// How an item of a streamed request body is read: text as it is, else JSON held to its schema.
fn item_decoder(api: &Api, content: &Content, ctx: &Ctx) -> TokenStream {
    if body::stream_of_text(content) {
        return quote!(generator_runtime::stream::from_text);
    }
    match &content.ty {
        Some(ty) if matches!(Resolved::of(api, ty), Resolved::Validates) => {
            let ty = qualified_type(ty, Some(&ctx.models));
            quote!(crate::validation::checked_item::<#ty>)
        }
        Some(ty) => {
            let ty = qualified_type(ty, Some(&ctx.models));
            quote!(server::json_item::<#ty>)
        }
        None => quote!(server::json_item::<serde_json::Value>),
    }
}

/// Whether some operation of `apis` reads a streamed body whose items are checked against rules
/// of their schema (the validation module then has the reader of one such item).
pub(super) fn checks_streamed_items(apis: &[Api]) -> bool {
    apis.iter().any(|api| {
        api.operations.iter().filter_map(|op| op.body.as_ref()).flat_map(body::medias).any(|m| {
            m.kind == BodyKind::Stream && !body::stream_of_text(m.content) && m.content.ty.as_ref().is_some_and(|t| matches!(Resolved::of(api, t), Resolved::Validates))
        })
    })
}

/// Code reading the body of one media type into `Option<T>` (`None` when absent and optional).
fn read_media(api: &Api, b: &RequestBody, media: &BodyMedia<'_>, required: bool, ctx: &Ctx) -> TokenStream {
    let accepted = body::accepted(b, media.kind);
    match media.kind {
        BodyKind::Stream => {
            let decode = item_decoder(api, media.content, ctx);
            match media.content.sequence {
                Some(Framing::EventStream) => quote!(server::events_body(headers, &bytes, streamed, &[#(#accepted),*], #decode, #required)?),
                Some(Framing::JsonSeq) => quote!(server::records_body(headers, &bytes, streamed, &[#(#accepted),*], generator_runtime::stream::lines::Framing::Seq, #decode, #required)?),
                _ => quote!(server::records_body(headers, &bytes, streamed, &[#(#accepted),*], generator_runtime::stream::lines::Framing::Lines, #decode, #required)?),
            }
        }
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
        medias.len() > 1 || medias.first().is_some_and(|m| m.content.ty.is_some() || matches!(m.kind, BodyKind::Binary | BodyKind::Text | BodyKind::Stream))
    });

    // A path that does not decode or a body that cannot be read is the request's fault: it gets the
    // operation's 400 (or 413), not axum's plain-text answer.
    // A streamed body is left unread for the implementation, which reads it item by item.
    let streamed: Vec<String> = body.map(|b| body::accepted(b, BodyKind::Stream)).unwrap_or_default();
    let received = if streamed.is_empty() { quote!(bytes) } else { quote!(received) };
    let body_pass = body.map(|_| quote!(#received,));
    let body_param = match body {
        Some(_) if !streamed.is_empty() => Some(quote!(received: server::Received,)),
        Some(_) => Some(quote!(bytes: Result<axum::body::Bytes, Rejection>,)),
        None => None,
    };
    let body_read_bytes = match body {
        Some(_) if !streamed.is_empty() => Some(quote!(let (bytes, streamed) = received.split()?;)),
        Some(_) => Some(quote!(let bytes = bytes?;)),
        None => None,
    };
    let read_body = if streamed.is_empty() { quote!(server::read_body(request, crate::BODY_LIMIT)) } else { quote!(server::read_body_or_stream(request, crate::BODY_LIMIT, &[#(#streamed),*])) };
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
            let others = (shape == WireShape::Object && matches!(style, ParamStyle::Form | ParamStyle::Cookie) && explode).then(|| other_names(api, op, p));
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
            let subject = Subject { ty: &p.ty, constraints: &p.constraints, value: quote!(#name), field: quote!(#field), options: usize::from(!p.required), borrowed: false };
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
                // `allowEmptyValue: true` makes `?name=` the parameter sent without a value: for a
                // required one, the empty text its type reads (or refuses).
                match p.allow_empty_value {
                    Some(false) => quote!(server::query_value_empty(&pairs, #wire, false, #field)?),
                    Some(true) if !p.required => quote!(server::query_value_empty(&pairs, #wire, true, #field)?),
                    _ => quote!(server::query_value(&pairs, #wire)),
                }
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
        let subject = Subject { ty: &p.ty, constraints: &p.constraints, value: quote!(#name), field: quote!(#field), options: usize::from(!p.required), borrowed: false };
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
        // The items of a stream are held to their schema as they are read.
        let validates = |m: &BodyMedia<'_>| m.kind != BodyKind::Stream && m.content.ty.as_ref().is_some_and(|t| matches!(Resolved::of(api, t), Resolved::Validates));
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
                    let (parts, #received) = #read_body.await;
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

/// Doc line for the router listing.
pub(super) fn route_doc(op: &Operation) -> String {
    format!("`{} {}` -> [`{}::{}`]", op.method.as_str(), op.path, trait_name_of(op), op.name)
}
