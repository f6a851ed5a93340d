//! Streamed answers in the operations harness. A case answers a stream with a list of items: the
//! handler sends them as the server's stream, each once the client has handed over the one before
//! (so that an answer held back until its end, by either side, shows as a wait), and the call
//! hands back every item the client read, in order. The driver compares the lists and judges
//! each item as it crossed the wire.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::client::operation::OpPlan;
use crate::emit::server::stream::{streamed, Streamed};
use crate::ir::{Api, Content, Framing, Method, Operation};

/// How one answer of an operation streams, as the harness exercises it.
pub struct StreamAnswer<'a> {
    /// The stream's content: its media type, and the schema of one item.
    pub content: &'a Content,
    /// How its items are framed on the wire.
    pub framing: Framing,
    /// Whether an item is an event's data as text, not JSON.
    pub text: bool,
    /// Whether the client hands back every item (a success the client's methods hand over as a
    /// stream); else it reads the first alone (the stream of an error status), and a case
    /// answers one item.
    pub every: bool,
    /// Whether the status documents another body beside the stream: a case asks for the stream
    /// with `"stream": true`, else for the other body.
    pub beside: bool,
}

impl StreamAnswer<'_> {
    fn streamed(&self) -> Streamed<'_> {
        Streamed { content: self.content, framing: self.framing, alone: !self.beside }
    }

    /// The type of one item, its named types in module `models`.
    pub(super) fn item_type(&self, models: &TokenStream) -> TokenStream {
        self.streamed().item_type(models)
    }

    /// The server's stream of the items bound to `body`, paced.
    pub(super) fn served(&self) -> TokenStream {
        match self.framing {
            Framing::EventStream => quote!(events(body)),
            Framing::JsonLines | Framing::JsonSeq => quote!(records(body)),
        }
    }

    /// The function handing back every item of the client's stream as a JSON array.
    pub(super) fn every(&self) -> TokenStream {
        match self.framing {
            Framing::EventStream => quote!(every_event),
            Framing::JsonLines | Framing::JsonSeq => quote!(every_record),
        }
    }
}

/// How each response of `op` streams (by index), where the harness can exercise it: a HEAD
/// answer has no body, and a stream beside another body at a status the client reads whole (an
/// error's) is never asked for.
pub fn answer_streams<'a>(api: &'a Api, op: &'a Operation) -> Vec<Option<StreamAnswer<'a>>> {
    let plan = OpPlan::new(api, op);
    op.responses
        .iter()
        .map(|r| {
            let s = streamed(r).filter(|_| op.method != Method::Head)?;
            let every = plan.stream.as_ref().is_some_and(|p| p.of_response(r).is_some());
            let beside = !s.alone;
            (every || !beside).then(|| StreamAnswer { content: s.content, framing: s.framing, text: s.text(), every, beside })
        })
        .collect()
}

/// The harness's items for streams, where an exercised operation of `api` answers one (else
/// nothing): the pacing of the server's items, the server's streams made of a case's items, and
/// the client's streams read whole.
pub(super) fn prelude(api: &Api, exercised: &[&Operation]) -> TokenStream {
    let mut answers = Vec::new();
    for op in exercised {
        answers.extend(answer_streams(api, op).into_iter().flatten().map(|s| (s.framing, s.every)));
    }
    if answers.is_empty() {
        return quote!();
    }
    let events = |f: &Framing| *f == Framing::EventStream;
    let served_events = answers.iter().any(|(f, _)| events(f)).then(|| {
        quote! {
            /// The server's events of a case's items, paced.
            fn events<T: Send + 'static>(items: Vec<T>) -> generator_runtime::server::EventStream<T> {
                generator_runtime::server::EventStream::new(PACING.paced(items).map(generator_runtime::stream::Event::new))
            }
        }
    });
    let served_records = answers.iter().any(|(f, _)| !events(f)).then(|| {
        quote! {
            /// The server's records of a case's items, paced.
            fn records<T: Send + 'static>(items: Vec<T>) -> generator_runtime::server::ItemStream<T> {
                generator_runtime::server::ItemStream::new(PACING.paced(items))
            }
        }
    });
    let read_events = answers.iter().any(|(f, every)| *every && events(f)).then(|| {
        quote! {
            /// Every event's data the client hands over, as JSON.
            async fn every_event<T: serde::Serialize>(events: generator_runtime::client::Events<T>) -> Result<Value, String> {
                every(events.map(|event| event.map(|e| e.data))).await
            }
        }
    });
    let read_records = answers.iter().any(|(f, every)| *every && !events(f)).then(|| {
        quote! {
            /// Every record the client hands over, as JSON.
            async fn every_record<T: serde::Serialize>(records: generator_runtime::client::Records<T>) -> Result<Value, String> {
                every(records).await
            }
        }
    });
    let read = answers.iter().any(|(_, every)| *every).then(|| {
        quote! {
            /// Every item of a stream the client hands over, as JSON, each counted as handed over
            /// (the server sends the next then); an item the client cannot read fails the case.
            async fn every<T: serde::Serialize>(items: impl futures_util::Stream<Item = Result<T, generator_runtime::client::StreamError>>) -> Result<Value, String> {
                let mut items = std::pin::pin!(items);
                let mut handed = Vec::new();
                while let Some(item) = items.next().await {
                    let item = item.map_err(|e| format!("item {} of the stream: {e}", handed.len()))?;
                    handed.push(to_json(&item));
                    PACING.handed(handed.len());
                }
                Ok(Value::Array(handed))
            }
        }
    });
    quote! {
        use futures_util::StreamExt as _;

        /// How long the server waits for the client to hand over an item before it sends the next.
        const PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

        /// Paces the items of a streamed answer: the server sends each once the client has handed
        /// over the one before, so that a stream held back until its end shows as a wait.
        struct Pacing {
            /// How many items the client has handed over in this case.
            handed: tokio::sync::watch::Sender<usize>,
            /// The item the client did not hand over in time, if one.
            late: Mutex<Option<String>>,
        }

        static PACING: std::sync::LazyLock<Pacing> = std::sync::LazyLock::new(|| Pacing { handed: tokio::sync::watch::Sender::new(0), late: Mutex::new(None) });

        impl Pacing {
            /// Starts a case.
            fn reset(&self) {
                self.handed.send_replace(0);
                *lock(&self.late) = None;
            }

            /// The client has handed over `items` items.
            fn handed(&self, items: usize) {
                self.handed.send_replace(items);
            }

            /// `items`, each yielded once the client has handed over the one before; after one
            /// wait longer than [`PATIENCE`] (recorded), the rest without waiting.
            fn paced<T: Send + 'static>(&'static self, items: Vec<T>) -> impl futures_util::Stream<Item = T> + Send + 'static {
                let state = (items.into_iter().enumerate(), self.handed.subscribe(), true);
                futures_util::stream::unfold(state, move |(mut items, mut handed, patient)| async move {
                    let (k, item) = items.next()?;
                    let mut still = patient;
                    if k > 0 && patient && tokio::time::timeout(PATIENCE, handed.wait_for(|n| *n >= k)).await.is_err() {
                        *lock(&self.late) = Some(format!("the client had not handed over item {} of the stream {} s after the server sent it: the stream was held back", k - 1, PATIENCE.as_secs()));
                        still = false;
                    }
                    Some((item, (items, handed, still)))
                })
            }
        }

        #served_events
        #served_records
        #read
        #read_events
        #read_records
    }
}
