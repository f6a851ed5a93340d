//! What the client hands back for one operation: the Rust types of its answers' bodies, its
//! error enum and output type, and the decoder that reads an answer into them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operation::OpPlan;
use crate::emit::body::{self, BodyKind, BodyMedia};
use crate::emit::rust::{doc_attrs, ident, qualified_type, status_pattern, status_text, status_variant};
use crate::ir::{Content, Framing, Response, Status, TypeRef};

/// The Rust type of a body (`()` when there is none): text as a `String`, bytes as a `Vec<u8>`,
/// JSON that may be `null` as an `Option`.
pub(super) fn body_type(content: &[Content], models: &TokenStream) -> TokenStream {
    match body::answer(content) {
        None => quote!(()),
        Some(a) => match a.kind {
            BodyKind::Text => quote!(String),
            BodyKind::Binary => quote!(Vec<u8>),
            _ => body::value_type(&a, models),
        },
    }
}

/// Error bodies of named types are boxed: an error path should not make every `Result` large.
pub(super) fn boxes_error_body(content: &[Content]) -> bool {
    matches!(content.first().and_then(|c| c.ty.as_ref()), Some(TypeRef::Named(_)))
}

/// Whether the answer's body may be `null` (see [`BodyMedia::nullable`]).
fn nullable_answer(content: &[Content]) -> bool {
    body::answer(content).is_some_and(|a| a.nullable())
}

/// The type of a boxed body: `Box<T>`, or `Option<Box<T>>` when it may be `null` (which then
/// costs no allocation).
fn boxed_body_type(content: &[Content], models: &TokenStream) -> TokenStream {
    match body::answer(content).filter(BodyMedia::nullable).and_then(|a| a.content.ty.as_ref()) {
        Some(ty) => {
            let ty = qualified_type(ty, Some(models));
            quote!(Option<Box<#ty>>)
        }
        None => {
            let ty = body_type(content, models);
            quote!(Box<#ty>)
        }
    }
}

/// Code reading a body of this content into [`boxed_body_type`]'s type.
fn read_boxed_body(content: &[Content]) -> TokenStream {
    let read = read_body(content);
    if nullable_answer(content) {
        read
    } else {
        quote!(Box::new(#read))
    }
}

/// Code that reads a body of this content from `response`, as an expression of the body type.
pub(super) fn read_body(content: &[Content]) -> TokenStream {
    match body::answer(content) {
        None => quote!(()),
        // A status documented as a stream alone (an error, read whole): its first item.
        Some(a) if a.content.sequence.is_some() && a.kind == BodyKind::Json => match a.content.sequence {
            Some(Framing::JsonLines) => quote!(response.first_record(generator_runtime::stream::lines::Framing::Lines)?),
            Some(Framing::JsonSeq) => quote!(response.first_record(generator_runtime::stream::lines::Framing::Seq)?),
            _ => quote!(response.first_event(generator_runtime::stream::from_json)?),
        },
        Some(a) => match a.kind {
            BodyKind::Text => quote!(response.text()),
            BodyKind::Binary => quote!(response.body().to_vec()),
            // A JSON string is also read when a server sends it unquoted, as some do.
            _ if a.content.ty == Some(TypeRef::String) && !a.nullable() => quote!(response.string()),
            _ => quote!(response.json()?),
        },
    }
}

/// The enum of the error statuses the spec documents for the operation, each with its body.
pub(super) fn error_enum(plan: &OpPlan<'_>, models: &TokenStream) -> TokenStream {
    if plan.errors.is_empty() {
        return quote!();
    }
    let name = format_ident!("{}Error", plan.prefix);
    let variants = plan.errors.iter().map(|r| {
        let variant = status_variant(r.status);
        let docs = doc_attrs(&[Some(format!("{}: {}", status_text(r.status), r.doc.as_deref().unwrap_or("(undescribed)")))]);
        let has_body = !plan.is_head() && !r.content.is_empty();
        if !r.headers.is_empty() {
            // Documented headers make the variant a struct of the body and the headers.
            let body = has_body.then(|| {
                let ty = if boxes_error_body(&r.content) { boxed_body_type(&r.content, models) } else { body_type(&r.content, models) };
                quote!(#[doc = " The body."] body: #ty,)
            });
            let headers = header_fields(r, None, models);
            quote!(#docs #variant { #body #headers },)
        } else if !has_body {
            quote!(#docs #variant,)
        } else if boxes_error_body(&r.content) {
            let ty = boxed_body_type(&r.content, models);
            quote!(#docs #variant(#ty),)
        } else {
            let ty = body_type(&r.content, models);
            quote!(#docs #variant(#ty),)
        }
    });
    let headers = if plan.errors.iter().any(|r| !r.headers.is_empty()) { " and the headers documented for it" } else { "" };
    let doc = format!(" The error statuses the spec documents for [`Client::{}`], each with its body (boxed, to keep `Result` small){headers}.", plan.op.name);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// What a successful call returns, where that needs a type of its own: a struct of the body and
/// headers (a HEAD call's headers only), an enum of several success statuses, or an alias of a
/// deeply nested body type.
pub(super) fn output_type_def(plan: &OpPlan<'_>, models: &TokenStream) -> TokenStream {
    let name = format_ident!("{}Output", plan.prefix);
    if let Some(ty) = plan.output_alias() {
        let ty = qualified_type(ty, Some(models));
        let doc = format!(" What [`Client::{}`] returns.", plan.op.name);
        return quote!(#[doc = #doc] pub type #name = #ty;);
    }
    if !plan.output_struct_needed() || plan.flow.as_ref().is_some_and(|f| f.outcome_type(plan).is_some()) {
        return quote!();
    }
    // Struct fields are `pub`; enum variant fields cannot be. Named bodies of variants are boxed,
    // so that one large body does not make every answer large. A stream alone at its status is
    // the body, handed over as it arrives; such an output is no `Clone` or `PartialEq`.
    let streams = plan.stream.as_ref().filter(|s| s.in_output());
    let derive = if streams.is_some() { quote!(#[derive(Debug)]) } else { quote!(#[derive(Clone, Debug, PartialEq)]) };
    let streamed = |r: &Response| streams.and_then(|s| s.of_response(r));
    let fields_of = |r: &Response, public: bool| {
        let vis = public.then(|| quote!(pub));
        let body = (!r.content.is_empty() && !plan.is_head()).then(|| match streamed(r).filter(|a| a.alone) {
            // A variant's stream is boxed, as its named bodies are: a stream's state is large.
            Some(a) if !public => {
                let ty = a.stream_type(models);
                quote!(#[doc = " The body: its items, handed over as they arrive."] body: Box<#ty>,)
            }
            Some(a) => {
                let ty = a.stream_type(models);
                quote!(#[doc = " The body: its items, handed over as they arrive."] #vis body: #ty,)
            }
            None => {
                let ty = if !public && boxes_error_body(&r.content) { boxed_body_type(&r.content, models) } else { body_type(&r.content, models) };
                quote!(#[doc = " The body."] #vis body: #ty,)
            }
        });
        let headers = header_fields(r, vis, models);
        quote!(#body #headers)
    };
    if plan.successes.len() == 1 {
        let fields = fields_of(plan.successes[0], true);
        let doc = if plan.is_head() {
            format!(" What [`Client::{}`] returns: the response headers (a HEAD answer has no body).", plan.op.name)
        } else {
            format!(" What [`Client::{}`] returns: the body and the response headers.", plan.op.name)
        };
        quote! {
            #[doc = #doc]
            #derive
            pub struct #name {
                #fields
            }
        }
    } else {
        let variants = plan.successes.iter().map(|r| {
            let variant = status_variant(r.status);
            let fields = fields_of(r, false);
            let docs = doc_attrs(&[Some(format!("{}: {}", status_text(r.status), r.doc.as_deref().unwrap_or("")))]);
            // A stream beside another body: a variant of its own, for a request asking for it.
            let beside = streamed(r).filter(|a| !a.alone).map(|a| {
                let name = format_ident!("{variant}Stream");
                let ty = a.stream_type(models);
                let headers = header_fields(r, None, models);
                let doc = format!(" {}, as a stream (`{}`): its items, handed over as they arrive.", status_text(r.status), a.content.media_type);
                quote!(#[doc = #doc] #name { #[doc = " The body: its items, handed over as they arrive."] body: Box<#ty>, #headers },)
            });
            quote!(#docs #variant { #fields }, #beside)
        });
        let doc = format!(" What [`Client::{}`] returns: one variant per success status.", plan.op.name);
        quote! {
            #[doc = #doc]
            #derive
            pub enum #name {
                #(#variants)*
            }
        }
    }
}

/// The function reading an answer into the call's output or error, by status.
pub(super) fn decoder(plan: &OpPlan<'_>, models: &TokenStream) -> TokenStream {
    let op = plan.op;
    let name = format_ident!("decode_{}", op.name);
    let error = plan.error_type();
    let output = if plan.flow.as_ref().is_some_and(|f| f.outcome_type(plan).is_some()) {
        match plan.successes.first() {
            Some(r) => body_type(&r.content, models),
            None => quote!(()),
        }
    } else {
        plan.output_type(models)
    };
    let error_name = format_ident!("{}Error", plan.prefix);
    let mut arms: Vec<TokenStream> = Vec::new();
    let struct_output = plan.output_struct_needed() && plan.flow.as_ref().is_none_or(|f| f.outcome_type(plan).is_none());
    // A stream alone at its status is handed over before the decoder is called.
    let streams_alone_at = |r: &Response| plan.stream.as_ref().and_then(|s| s.of_response(r)).is_some_and(|a| a.alone);
    for r in plan.successes.iter().copied().filter(|r| !streams_alone_at(r)) {
        let pattern = status_pattern(r.status);
        let value = if plan.is_head() && !struct_output {
            quote!(true)
        } else if struct_output {
            let boxed = plan.successes.len() > 1 && boxes_error_body(&r.content);
            let body = (!r.content.is_empty() && !plan.is_head()).then(|| {
                let read = if boxed { read_boxed_body(&r.content) } else { read_body(&r.content) };
                quote!(body: #read,)
            });
            let headers = header_reads(r, &quote!(response));
            let output_name = format_ident!("{}Output", plan.prefix);
            let output = if plan.successes.len() == 1 {
                quote!(#output_name { #body #headers })
            } else {
                let variant = status_variant(r.status);
                quote!(#output_name::#variant { #body #headers })
            };
            if plan.head_misses() {
                quote!(Some(#output))
            } else {
                output
            }
        } else if plan.downloads() {
            // Reached when the answer was read whole after all (a hook, a retry).
            quote!(ByteStream::from_bytes(response.body().to_vec()))
        } else {
            read_body(&r.content)
        };
        arms.push(quote!(#pattern => Ok(#value),));
    }
    if plan.head_misses() {
        let missing = if struct_output { quote!(None) } else { quote!(false) };
        arms.push(quote!(404 => Ok(#missing),));
    }
    let mut default_arm = None;
    for r in &plan.errors {
        if plan.is_head() && r.status == Status::Code(404) {
            continue;
        }
        let variant = status_variant(r.status);
        let has_body = !plan.is_head() && !r.content.is_empty();
        let value = if !r.headers.is_empty() {
            let body = has_body.then(|| {
                let read = if boxes_error_body(&r.content) { read_boxed_body(&r.content) } else { read_body(&r.content) };
                quote!(body: #read,)
            });
            let headers = header_reads(r, &quote!(response));
            quote!(#error_name::#variant { #body #headers })
        } else if !has_body {
            quote!(#error_name::#variant)
        } else if boxes_error_body(&r.content) {
            let read = read_boxed_body(&r.content);
            quote!(#error_name::#variant(#read))
        } else {
            let read = read_body(&r.content);
            quote!(#error_name::#variant(#read))
        };
        match r.status {
            Status::Default => default_arm = Some(quote!(response.api(#value))),
            other => {
                let pattern = status_pattern(other);
                arms.push(quote!(#pattern => response.api(#value),));
            }
        }
    }
    let fallback = default_arm.unwrap_or_else(|| quote!(response.unexpected()));
    let doc = format!(" Reads the answer to [`Self::{}`].", op.name);
    let body = if arms.is_empty() {
        fallback
    } else {
        quote! {
            match response.status() {
                #(#arms)*
                _ => #fallback,
            }
        }
    };
    quote! {
        #[doc = #doc]
        fn #name(response: &Response) -> Result<#output, Error<#error>> {
            #body
        }
    }
}

/// The fields of the headers documented for an answer, each an `Option` (a server may leave any
/// out), with `vis` in front (struct fields; enum variant fields take none).
pub(super) fn header_fields(r: &Response, vis: Option<TokenStream>, models: &TokenStream) -> TokenStream {
    let fields = r.headers.iter().map(|h| {
        let field = ident(&h.name);
        let ty = qualified_type(&h.ty, Some(models));
        let docs = doc_attrs(&[h.doc.clone(), Some(format!("The `{}` response header.", h.wire_name))]);
        quote!(#docs #vis #field: Option<#ty>,)
    });
    quote!(#(#fields)*)
}

/// The field initialisers reading an answer's documented headers from `from` (a `Response`, or
/// an answer opened for streaming).
pub(super) fn header_reads(r: &Response, from: &TokenStream) -> TokenStream {
    let reads = r.headers.iter().map(|h| {
        let field = ident(&h.name);
        let wire = h.wire_name.to_ascii_lowercase();
        match &h.ty {
            TypeRef::String => quote!(#field: #from.header(#wire),),
            _ => quote!(#field: #from.header_as(#wire),),
        }
    });
    quote!(#(#reads)*)
}
