//! Answers that are streams of typed items: server-sent events with keep-alive comments, JSON
//! Lines and JSON text sequences, each item written and sent as the implementation yields it.

use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use futures_util::{FutureExt as _, Stream, StreamExt as _};

use crate::stream::lines::{self, Framing};
use crate::stream::{sse, Encode, Event, ItemStream};

/// Why an implementation's stream stopped before its end.
pub type StreamFailure = Box<dyn std::error::Error + Send + Sync>;

/// The events an implementation answers, as it yields them.
pub struct EventStream<T>(Pin<Box<dyn Stream<Item = Result<Event<T>, StreamFailure>> + Send>>);

impl<T: 'static> EventStream<T> {
    /// The events `stream` yields.
    pub fn new(stream: impl Stream<Item = Event<T>> + Send + 'static) -> Self {
        EventStream(Box::pin(stream.map(Ok)))
    }

    /// The events `stream` yields until it fails: a failure cuts the answer short, as a dropped
    /// connection, so that a client tells it from a finished stream and may resume from the last
    /// event id it read.
    pub fn fallible<E: Into<StreamFailure>>(stream: impl Stream<Item = Result<Event<T>, E>> + Send + 'static) -> Self {
        EventStream(Box::pin(stream.map(|event| event.map_err(Into::into))))
    }

    /// The events of `items`, already made.
    pub fn from_items(items: Vec<Event<T>>) -> Self
    where
        T: Send,
    {
        EventStream::new(futures_util::stream::iter(items))
    }
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream")
    }
}

/// How long an event stream may stay silent before a comment keeps its connection open (proxies
/// close idle ones).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// An item that could not be written, or a stream that failed: it ends the answer, which the
/// client sees cut short.
#[derive(Debug)]
enum Unwritable {
    Item(String),
    Failed(StreamFailure),
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unwritable::Item(e) => write!(f, "an item of the stream cannot be written: {e}"),
            Unwritable::Failed(e) => write!(f, "the stream failed: {e}"),
        }
    }
}

impl std::error::Error for Unwritable {}

/// The body of an event stream: each event written as it comes, a keep-alive comment after each
/// silent [`KEEP_ALIVE`].
struct SseBody<T> {
    events: EventStream<T>,
    encode: Encode<T>,
    /// Each item is the whole event: `encode` writes the object of its fields.
    whole: bool,
    idle: Pin<Box<tokio::time::Sleep>>,
    done: bool,
}

impl<T> Stream for SseBody<T> {
    type Item = Result<Bytes, Unwritable>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match this.events.0.poll_next_unpin(cx) {
            Poll::Ready(Some(Err(failure))) => {
                this.done = true;
                Poll::Ready(Some(Err(Unwritable::Failed(failure))))
            }
            Poll::Ready(Some(Ok(event))) => {
                this.idle.as_mut().reset(tokio::time::Instant::now() + KEEP_ALIVE);
                let written = (this.encode)(&event.data).and_then(|text| match this.whole {
                    // The item's own fields first, the event's where it has none.
                    true => sse::event_fields(&text).map(|f| sse::Frame { event: f.event.or(event.event), id: f.id.or(event.id), retry: f.retry.or(event.retry), data: f.data, id_set: true }),
                    false => Ok(sse::Frame { event: event.event, id: event.id, retry: event.retry, data: text, id_set: true }),
                });
                let frame = match written {
                    Ok(frame) => frame,
                    Err(e) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(Unwritable::Item(e))));
                    }
                };
                let mut out = Vec::with_capacity(frame.data.len() + 16);
                sse::write_event(&mut out, frame.event.as_deref(), frame.id.as_deref(), frame.retry, &frame.data);
                Poll::Ready(Some(Ok(Bytes::from(out))))
            }
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                ready!(this.idle.poll_unpin(cx));
                this.idle.as_mut().reset(tokio::time::Instant::now() + KEEP_ALIVE);
                Poll::Ready(Some(Ok(Bytes::from_static(sse::KEEP_ALIVE))))
            }
        }
    }
}

fn streamed(status: u16, content_type: &'static str, body: axum::body::Body, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    let mut response = super::body_response(status, content_type, body, headers);
    // Each event is for the client as it comes: no cache or proxy should hold it back.
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
    response
}

/// A `text/event-stream` answer of `status`: each event of `events` written as it is yielded, its
/// data by `encode`, with keep-alive comments while the stream is silent.
pub fn sse_response<T: 'static>(status: u16, events: EventStream<T>, encode: Encode<T>, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    sse_body(status, events, encode, false, headers)
}

/// A `text/event-stream` answer of `status` whose items are whole events (the spec's schema is a
/// `oneOf` of event objects, told apart by their `event`): `encode` writes each item as the JSON
/// object of its fields, which become the event's `event`, `data`, `id` and `retry`.
pub fn whole_events_response<T: 'static>(status: u16, events: EventStream<T>, encode: Encode<T>, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    sse_body(status, events, encode, true, headers)
}

fn sse_body<T: 'static>(status: u16, events: EventStream<T>, encode: Encode<T>, whole: bool, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    let idle = Box::pin(tokio::time::sleep(KEEP_ALIVE));
    let body = SseBody { events, encode, whole, idle, done: false };
    streamed(status, "text/event-stream", axum::body::Body::from_stream(body), headers)
}

/// A JSON Lines or JSON text sequence answer of `status`, labelled `content_type`: each item of
/// `items` written as it is yielded, by `encode`.
pub fn records_response<T: 'static>(status: u16, content_type: &'static str, framing: Framing, items: ItemStream<T>, encode: Encode<T>, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    let body = items.0.map(move |item| {
        let text = encode(&item).map_err(Unwritable::Item)?;
        let mut out = Vec::with_capacity(text.len() + 2);
        lines::write_record(&mut out, framing, &text);
        Ok::<_, Unwritable>(Bytes::from(out))
    });
    streamed(status, content_type, axum::body::Body::from_stream(body), headers)
}
