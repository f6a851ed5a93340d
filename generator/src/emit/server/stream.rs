//! Streamed answers of the server: a status whose content is a sequential media type is
//! answered with the implementation's stream of typed items, each sent as it is yielded.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::emit::rust::qualified_type;
use crate::ir::{Content, Framing, Response};

/// An answer's stream: its content, framing, and whether it is the status's only body (else the
/// implementation may answer either, as the request's `Accept` asks).
pub(in crate::emit) struct Streamed<'a> {
    pub content: &'a Content,
    pub framing: Framing,
    pub alone: bool,
}

/// The stream `response` documents, if it documents one.
pub(in crate::emit) fn streamed(response: &Response) -> Option<Streamed<'_>> {
    let content = response.content.iter().find(|c| c.sequence.is_some())?;
    let framing = content.sequence?;
    Some(Streamed { content, framing, alone: response.content.iter().all(|c| c.sequence.is_some()) })
}

impl Streamed<'_> {
    /// The type of one item, its named types in module `models`.
    pub fn item_type(&self, models: &TokenStream) -> TokenStream {
        match (&self.content.ty, self.framing) {
            (Some(ty), _) => qualified_type(ty, Some(models)),
            (None, Framing::EventStream) => quote!(String),
            (None, _) => quote!(serde_json::Value),
        }
    }

    /// Whether an item is written as text as it is (an event's data of text), not as JSON.
    pub fn text(&self) -> bool {
        crate::emit::body::stream_of_text(self.content)
    }

    /// The type the implementation answers the stream with.
    pub fn body_type(&self, ctx: &Ctx) -> TokenStream {
        let item = self.item_type(&ctx.models);
        match self.framing {
            Framing::EventStream => quote!(server::EventStream<#item>),
            Framing::JsonLines | Framing::JsonSeq => quote!(server::ItemStream<#item>),
        }
    }

    /// The answer of status `status` sending `body` (the stream) with `headers`.
    pub fn answer(&self, status: &TokenStream, headers: &TokenStream) -> TokenStream {
        let encode = if self.text() { quote!(generator_runtime::stream::to_text) } else { quote!(generator_runtime::stream::to_json) };
        let media_type = self.content.media_type.as_str();
        match self.framing {
            Framing::EventStream if self.content.whole_events => quote!(server::whole_events_response(#status, body, #headers)),
            Framing::EventStream => quote!(server::sse_response(#status, body, #encode, #headers)),
            Framing::JsonLines => quote!(server::records_response(#status, #media_type, generator_runtime::stream::lines::Framing::Lines, body, #encode, #headers)),
            Framing::JsonSeq => quote!(server::records_response(#status, #media_type, generator_runtime::stream::lines::Framing::Seq, body, #encode, #headers)),
        }
    }

    /// A stream of `items`, a `Vec` of the item type (what a mock answers), of the stream's type.
    pub fn of_items(&self, items: &TokenStream) -> TokenStream {
        match self.framing {
            Framing::EventStream => quote!(generator_runtime::server::EventStream::from_items(#items.into_iter().map(generator_runtime::stream::Event::new).collect())),
            Framing::JsonLines | Framing::JsonSeq => quote!(generator_runtime::server::ItemStream::from_items(#items)),
        }
    }
}
