//! The client method of a streamed answer: server-sent events or records handed over one by one
//! as they arrive, typed by the item type the IR gives the stream's content.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::operation::{method_docs, request_parts, OpPlan, RequestParts};
use super::Ctx;
use crate::emit::rust::{ident, qualified_type};
use crate::ir::{Content, Framing, TypeRef};

/// How an operation's success answer streams.
pub(in crate::emit) struct StreamPlan<'a> {
    /// The sequential content of the success status.
    pub content: &'a Content,
    /// Its framing.
    pub framing: Framing,
    /// The method reading it.
    pub method: Ident,
    /// Whether the stream is the only answer of its status: the operation's own method reads it.
    pub alone: bool,
}

impl<'a> StreamPlan<'a> {
    /// The stream of an operation whose one success status documents a sequential media type.
    pub fn of(plan: &OpPlan<'a>) -> Option<StreamPlan<'a>> {
        let [success] = plan.successes.as_slice() else { return None };
        if plan.is_head() {
            return None;
        }
        let content = success.content.iter().find(|c| c.sequence.is_some())?;
        let framing = content.sequence?;
        let alone = success.content.iter().all(|c| c.sequence.is_some());
        let method = if alone { ident(&plan.op.name) } else { ident(plan.op.stream_name.as_deref()?) };
        Some(StreamPlan { content, framing, method, alone })
    }

    /// The type of one item.
    pub fn item_type(&self, models: &TokenStream) -> TokenStream {
        match (&self.content.ty, self.framing) {
            (Some(ty), _) => qualified_type(ty, Some(models)),
            (None, Framing::EventStream) => quote!(String),
            (None, _) => quote!(serde_json::Value),
        }
    }

    /// The type the method returns: the stream.
    pub fn output_type(&self, models: &TokenStream) -> TokenStream {
        let item = self.item_type(models);
        match self.framing {
            Framing::EventStream => quote!(Events<#item>),
            Framing::JsonLines | Framing::JsonSeq => quote!(Records<#item>),
        }
    }

    /// How an item's text is read: an event's data of text as it is, any other item as JSON.
    fn decode(&self) -> TokenStream {
        match (&self.content.ty, self.framing) {
            (Some(TypeRef::String) | None, Framing::EventStream) => quote!(generator_runtime::stream::from_text),
            _ => quote!(generator_runtime::stream::from_json),
        }
    }
}

/// The method reading the operation's streamed answer.
pub(super) fn stream_method(plan: &OpPlan<'_>, ctx: &Ctx) -> TokenStream {
    let Some(stream) = &plan.stream else { return quote!() };
    let models = &ctx.models;
    let name = &stream.method;
    let media_type = stream.content.media_type.as_str();
    let RequestParts { args, many, request } = request_parts(plan, ctx, Some(media_type));
    let output = stream.output_type(models);
    let error = plan.error_type();
    let decoder = format_ident!("decode_{}", plan.op.name);
    let decode = stream.decode();
    let open = match stream.framing {
        Framing::EventStream if stream.content.whole_events => quote!(self.transport.whole_events(request, #decode)),
        Framing::EventStream => quote!(self.transport.events(request, #decode)),
        Framing::JsonLines => quote!(self.transport.records(request, generator_runtime::stream::lines::Framing::Lines, #decode)),
        Framing::JsonSeq => quote!(self.transport.records(request, generator_runtime::stream::lines::Framing::Seq, #decode)),
    };
    // An answer that is no stream is an error status; where the operation also answers JSON at
    // the stream's status, that answer read whole is not what this method was asked for.
    let other = if stream.alone { quote!(Self::#decoder(&response)) } else { quote!(Self::#decoder(&response).and_then(|_| response.unexpected())) };
    let stream_doc = match stream.framing {
        Framing::EventStream => format!(
            "Answers a stream of events (`{media_type}`), handed over one by one as they arrive: each an [`Event`](crate::Event) of the typed data, with its name, id and retry time. [`Events::reconnect`](generator_runtime::client::Events::reconnect) allows resuming a dropped connection from the last event id. A malformed item is a [`StreamError::Item`](crate::StreamError::Item) naming its index; the stream goes on after it."
        ),
        _ => format!("Answers a stream of records (`{media_type}`), handed over one by one as they arrive. A malformed item is a [`StreamError::Item`](crate::StreamError::Item) naming its index; the stream goes on after it."),
    };
    let docs = method_docs(plan, Some(&stream_doc));
    quote! {
        #docs
        #many
        pub async fn #name(&self, #(#args),*) -> Result<#output, Error<#error>> {
            #request
            match #open.await? {
                Ok(stream) => Ok(stream),
                Err(response) => #other,
            }
        }
    }
}
