//! How the client sends a request body: the body enum of an operation accepting several media
//! types, and the request-builder call for each kind (JSON, forms, multipart, bytes, text, and
//! streams of items sent as they are made).

use proc_macro2::TokenStream;
use quote::quote;

use super::operation::OpPlan;
use crate::emit::body::{self, BodyKind, BodyMedia};
use crate::emit::rust::ident;
use crate::ir::{Api, Framing};

/// The body enum of an operation accepting several kinds of body: the caller picks the media type.
pub(super) fn body_enum(plan: &OpPlan<'_>, models: &TokenStream) -> TokenStream {
    if plan.bodies.len() < 2 {
        return quote!();
    }
    let name = body::enum_name(plan.op);
    let variants = plan.bodies.iter().map(|m| {
        let variant = m.kind.variant();
        let ty = match m.kind {
            BodyKind::Stream => {
                let item = body::stream_item(m.content, models);
                quote!(generator_runtime::stream::ItemStream<#item>)
            }
            _ => body::value_type(m, models),
        };
        let doc = format!(" Sent as `{}`.", m.content.media_type);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let doc = format!(" The body of [`Client::{}`], in one of the media types it accepts.", plan.op.name);
    // A stream is sent once: it is neither copied nor compared.
    let derives = if streams_body(plan) { quote!(Debug) } else { quote!(Clone, Debug, PartialEq) };
    quote! {
        #[doc = #doc]
        #[derive(#derives)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// Whether one of the bodies an operation sends is a stream: its body is then taken by value.
pub(super) fn streams_body(plan: &OpPlan<'_>) -> bool {
    plan.flow.is_none() && plan.bodies.iter().any(|m| m.kind == BodyKind::Stream)
}

/// The request-builder call that sends `value` (a reference; a stream of items, for a stream) as
/// `media` says.
pub(super) fn send_body(api: &Api, media: &BodyMedia<'_>, value: &TokenStream) -> TokenStream {
    let content_type = media.content.media_type.as_str();
    match media.kind {
        BodyKind::Stream => {
            let encode = if body::stream_of_text(media.content) { quote!(generator_runtime::stream::to_text) } else { quote!(generator_runtime::stream::to_json) };
            match media.content.sequence {
                Some(Framing::EventStream) => quote!(.events(#value, #encode)),
                Some(Framing::JsonSeq) => quote!(.records(#content_type, generator_runtime::stream::lines::Framing::Seq, #value, #encode)),
                _ => quote!(.records(#content_type, generator_runtime::stream::lines::Framing::Lines, #value, #encode)),
            }
        }
        BodyKind::Json => quote!(.json(#content_type, #value)),
        BodyKind::Form => {
            let fields = body::form_fields(api, media.content);
            quote!(.form(#value, #fields))
        }
        BodyKind::Binary => quote!(.bytes(#content_type, #value.to_vec())),
        BodyKind::Text => quote!(.text(#content_type, #value.to_string())),
        BodyKind::Multipart => match body::multipart_struct(api, media.content) {
            Some((_, fields)) => {
                let parts = fields.fields.iter().map(|f| {
                    let field = ident(&f.name);
                    let wire = &f.wire_name;
                    // `v` is a reference to the value; a file's bytes are copied into its part.
                    let add = |v: TokenStream| {
                        if body::is_file(&f.ty) {
                            let part_type = body::part_type(media.content, wire).unwrap_or("application/octet-stream");
                            quote!(form = form.file(#wire, #wire, #part_type, #v.to_vec());)
                        } else if body::part_type(media.content, wire).is_some_and(|t| t.contains("json")) {
                            quote!(form = form.json(#wire, #v);)
                        } else {
                            quote!(form = form.field(#wire, #v);)
                        }
                    };
                    if f.required && !f.nullable {
                        let place = quote!(#value.#field);
                        if body::is_file(&f.ty) {
                            add(place)
                        } else {
                            add(quote!(&#place))
                        }
                    } else if f.absent_or_null() {
                        let add = add(quote!(value));
                        quote!(if let Some(Some(value)) = &#value.#field { #add })
                    } else {
                        let add = add(quote!(value));
                        quote!(if let Some(value) = &#value.#field { #add })
                    }
                });
                // Properties the schema does not declare go as parts of their own names.
                let others = fields.additional.as_ref().map(|_| {
                    let map = ident(&fields.additional_name);
                    quote!(for (name, value) in &#value.#map { form = form.field(name, value); })
                });
                quote!(.multipart({
                    let mut form = Multipart::new();
                    #(#parts)*
                    #others
                    form
                }))
            }
            None => quote!(.multipart(Multipart::new().field("body", #value))),
        },
    }
}
