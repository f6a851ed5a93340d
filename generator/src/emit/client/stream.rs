//! The client methods of streamed answers: server-sent events or records handed over one by one
//! as they arrive, typed by the item type the IR gives the stream's content, with the headers
//! the spec documents beside them, and beside the other success statuses of the operation.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::answer::{header_fields, header_reads};
use super::operation::{method_docs, request_parts, OpPlan, RequestParts};
use super::Ctx;
use crate::emit::rust::{ident, qualified_type, status_pattern, status_variant};
use crate::ir::{Content, Framing, Response};

/// A success answer that streams.
pub(in crate::emit) struct Streaming<'a> {
    /// Its status's answer.
    pub response: &'a Response,
    /// The sequential content.
    pub content: &'a Content,
    /// Its framing.
    pub framing: Framing,
    /// Whether the stream is its status's only body (else the request's `Accept` chooses).
    pub alone: bool,
}

/// How an operation's success answers stream.
pub(in crate::emit) struct StreamPlan<'a> {
    /// The sequential content of the first success status that streams.
    pub content: &'a Content,
    /// Its framing.
    pub framing: Framing,
    /// The method asking for the streams: the operation's own where every stream is alone at
    /// its status, else the one beside it (`<operation>_events`, `_records`).
    pub method: Ident,
    /// Whether every stream is its status's only body: the operation's own method reads them.
    pub alone: bool,
    /// Every success answer that streams, in the spec's order.
    pub answers: Vec<Streaming<'a>>,
    /// Whether the operation has several success statuses: its methods answer its output enum,
    /// whose streamed variants hold the stream.
    pub several: bool,
}

impl<'a> StreamPlan<'a> {
    /// How the success answers of an operation stream, where any does.
    pub fn of(plan: &OpPlan<'a>) -> Option<StreamPlan<'a>> {
        if plan.is_head() {
            return None;
        }
        let answers: Vec<Streaming<'a>> = plan
            .successes
            .iter()
            .filter_map(|r| {
                let content = r.content.iter().find(|c| c.sequence.is_some())?;
                Some(Streaming { response: r, content, framing: content.sequence?, alone: r.content.iter().all(|c| c.sequence.is_some()) })
            })
            .collect();
        let (content, framing) = answers.first().map(|a| (a.content, a.framing))?;
        let alone = answers.iter().all(|a| a.alone);
        let method = if alone { ident(&plan.op.name) } else { ident(plan.op.stream_name.as_deref()?) };
        Some(StreamPlan { content, framing, method, alone, answers, several: plan.successes.len() > 1 })
    }

    /// How `response` streams, if it is one of the streamed success answers.
    pub fn of_response(&self, response: &Response) -> Option<&Streaming<'a>> {
        self.answers.iter().find(|a| std::ptr::eq(a.response, response))
    }

    /// Whether the operation's output type holds a stream (and so is no `Clone` or `PartialEq`).
    pub fn in_output(&self) -> bool {
        self.alone || self.several
    }

    /// Whether the operation's own method opens the answer for a stream: one is alone at its
    /// status (else the method reads every answer whole, as it would without streams).
    pub fn opened_by_own(&self) -> bool {
        self.answers.iter().any(|a| a.alone)
    }

    /// The name of the struct of the stream and its headers the method beside the operation's
    /// returns (one success status, its stream beside another body, headers documented).
    fn beside_output(&self) -> Ident {
        format_ident!("{}Output", self.method.to_string().to_upper_camel_case())
    }

    /// The type the method asking for the stream returns (`asked`: the one beside the
    /// operation's; else the operation's own, whose streams are alone).
    pub fn output_type(&self, plan: &OpPlan<'_>, models: &TokenStream, asked: bool) -> TokenStream {
        let single = &self.answers[0];
        if self.several || !single.response.headers.is_empty() {
            let name = if !self.several && asked && !self.alone { self.beside_output() } else { format_ident!("{}Output", plan.prefix) };
            return quote!(#name);
        }
        single.stream_type(models)
    }

    /// The struct of the stream and its headers that the method beside the operation's returns,
    /// where it returns one.
    pub fn beside_output_def(&self, models: &TokenStream) -> TokenStream {
        let single = &self.answers[0];
        if self.several || self.alone || single.response.headers.is_empty() {
            return quote!();
        }
        let name = self.beside_output();
        let stream = single.stream_type(models);
        let headers = header_fields(single.response, Some(quote!(pub)), models);
        let doc = format!(" What [`Client::{}`] returns: the stream and the response headers.", self.method);
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub struct #name {
                #[doc = " The body: its items, handed over as they arrive."]
                pub body: #stream,
                #headers
            }
        }
    }
}

impl Streaming<'_> {
    /// The type of one item.
    pub fn item_type(&self, models: &TokenStream) -> TokenStream {
        match (&self.content.ty, self.framing) {
            (Some(ty), _) => qualified_type(ty, Some(models)),
            (None, Framing::EventStream) => quote!(String),
            (None, _) => quote!(serde_json::Value),
        }
    }

    /// The type of the stream: [`Events`](generator_runtime::client::Events) or
    /// [`Records`](generator_runtime::client::Records) of the item type.
    pub fn stream_type(&self, models: &TokenStream) -> TokenStream {
        let item = self.item_type(models);
        match self.framing {
            Framing::EventStream => quote!(Events<#item>),
            Framing::JsonLines | Framing::JsonSeq => quote!(Records<#item>),
        }
    }

    /// The stream of the opened `answer`, each item's text read as text (an event's data of
    /// text) or JSON.
    fn read(&self) -> TokenStream {
        let decode = if crate::emit::body::stream_of_text(self.content) { quote!(generator_runtime::stream::from_text) } else { quote!(generator_runtime::stream::from_json) };
        match self.framing {
            // Each item the whole event, where the spec's schema is a union of event objects.
            Framing::EventStream if self.content.whole_events => quote!(answer.whole_events()),
            Framing::EventStream => quote!(answer.events(#decode)),
            Framing::JsonLines => quote!(answer.records(generator_runtime::stream::lines::Framing::Lines, #decode)),
            Framing::JsonSeq => quote!(answer.records(generator_runtime::stream::lines::Framing::Seq, #decode)),
        }
    }
}

/// The methods reading the operation's streamed answers: the operation's own where its streams
/// are alone at their statuses or it has several success statuses, and the one asking for the
/// streams beside other bodies.
pub(super) fn stream_methods(plan: &OpPlan<'_>, ctx: &Ctx) -> TokenStream {
    let Some(stream) = &plan.stream else { return quote!() };
    let own = stream.opened_by_own().then(|| open_method(plan, stream, ctx, false));
    let beside = (!stream.alone).then(|| open_method(plan, stream, ctx, true));
    quote!(#own #beside)
}

/// What a method reading streams asks for: for one success status, its stream; for several, each
/// status's stream where it is alone or `asked`, and the other bodies of the others.
fn accept(plan: &OpPlan<'_>, stream: &StreamPlan<'_>, asked: bool) -> String {
    if !stream.several {
        return stream.content.media_type.clone();
    }
    let mut types: Vec<&str> = Vec::new();
    for r in &plan.successes {
        let streaming = stream.of_response(r);
        for c in &r.content {
            let wanted = match streaming {
                Some(a) if !a.alone => c.sequence.is_some() == asked,
                _ => true,
            };
            if wanted && !types.contains(&c.media_type.as_str()) {
                types.push(&c.media_type);
            }
        }
    }
    types.join(", ")
}

/// A method opening the answer and reading it by its status: a streamed status's stream handed
/// over as its items arrive (with its headers), any other answer read whole and decoded.
fn open_method(plan: &OpPlan<'_>, stream: &StreamPlan<'_>, ctx: &Ctx, asked: bool) -> TokenStream {
    let models = &ctx.models;
    let name = if asked { &stream.method } else { &plan.method };
    let accept = accept(plan, stream, asked);
    let RequestParts { args, many, request } = request_parts(plan, ctx, Some(&accept));
    let output = stream.output_type(plan, models, asked);
    let error = plan.error_type();
    let decoder = format_ident!("decode_{}", plan.op.name);
    let arms = stream.answers.iter().filter(|a| asked || a.alone).map(|a| {
        // One success status: any success is its stream (as it was read whole).
        let pattern = if stream.several { status_pattern(a.response.status) } else { quote!(200..=299) };
        let media = a.content.media_type.as_str();
        let guard = (!a.alone).then(|| quote!(if answer.is(#media)));
        let read = a.read();
        // The headers are read before the answer is handed over as the stream.
        let headers = header_reads(a.response, &quote!(answer));
        let value = if stream.several {
            let variant = status_variant(a.response.status);
            let variant = if a.alone { variant } else { format_ident!("{variant}Stream") };
            quote!(#output::#variant { #headers body: Box::new(#read) })
        } else if a.response.headers.is_empty() {
            read
        } else {
            quote!(#output { #headers body: #read })
        };
        quote!(#pattern #guard => Ok(#value),)
    });
    // Another answer is an error status, or another success; where one status documents the
    // stream beside another body, that body read whole is not what this method was asked for.
    let fallback = if !stream.several && asked {
        quote!({
            let response = answer.into_response().await?;
            Self::#decoder(&response).and_then(|_| response.unexpected())
        })
    } else {
        quote!(Self::#decoder(&answer.into_response().await?))
    };
    let stream_doc = if stream.several {
        let streamed: Vec<String> = stream.answers.iter().filter(|a| asked || a.alone).map(|a| format!("{} (`{}`)", crate::emit::rust::status_text(a.response.status), a.content.media_type)).collect();
        format!("Answers one variant per success status; a streamed one ({}) hands over its items as they arrive. A malformed item is a [`StreamError::Item`](crate::StreamError::Item) naming its index; the stream goes on after it. An item longer than the limit (16 MiB unless `item_limit` sets another) ends the stream with [`StreamError::TooLong`](crate::StreamError::TooLong).", streamed.join(", "))
    } else {
        let media_type = &stream.content.media_type;
        match stream.framing {
            Framing::EventStream => format!(
                "Answers a stream of events (`{media_type}`), handed over one by one as they arrive: each an [`Event`](crate::Event) of the typed data, with its name, id and retry time. [`Events::reconnect`](generator_runtime::client::Events::reconnect) allows resuming a dropped connection from the last event id. A malformed item is a [`StreamError::Item`](crate::StreamError::Item) naming its index; the stream goes on after it. An item longer than the limit (16 MiB unless `item_limit` sets another) ends the stream with [`StreamError::TooLong`](crate::StreamError::TooLong)."
            ),
            _ => format!("Answers a stream of records (`{media_type}`), handed over one by one as they arrive. A malformed item is a [`StreamError::Item`](crate::StreamError::Item) naming its index; the stream goes on after it. An item longer than the limit (16 MiB unless `item_limit` sets another) ends the stream with [`StreamError::TooLong`](crate::StreamError::TooLong)."),
        }
    };
    let also = (!asked && !stream.alone).then(|| format!(" The streams beside other bodies: [`Self::{}`].", stream.method));
    let note = format!("{stream_doc}{}", also.unwrap_or_default());
    let docs = method_docs(plan, Some(&note));
    quote! {
        #docs
        #many
        pub async fn #name(&self, #(#args),*) -> Result<#output, Error<#error>> {
            #request
            let answer = self.transport.open(request).await?;
            match answer.status() {
                #(#arms)*
                _ => #fallback,
            }
        }
    }
}
