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

/// The most one written chunk holds of the events or records already made: what is ready is sent
/// in one write (not a chunk per item, each costing the connection a frame and the client a
/// wake-up), and nothing waits for an item not yet made.
const BATCH: usize = 16 * 1024;

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

/// A streamed body: each item written by `write` as the implementation yields it, those already
/// yielded together in one chunk of at most about [`BATCH`] bytes; for an event stream, a
/// keep-alive comment after each silent [`KEEP_ALIVE`].
struct Batched<S, W> {
    items: S,
    write: W,
    idle: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Why the stream ends, once the items written before it are sent.
    failed: Option<Unwritable>,
    done: bool,
}

impl<S, W> Batched<S, W> {
    fn new(items: S, write: W, keep_alive: bool) -> Self {
        let idle = keep_alive.then(|| Box::pin(tokio::time::sleep(KEEP_ALIVE)));
        Batched { items, write, idle, failed: None, done: false }
    }
}

impl<S, W, I> Stream for Batched<S, W>
where
    S: Stream<Item = Result<I, StreamFailure>> + Unpin,
    W: FnMut(I, &mut Vec<u8>) -> Result<(), String> + Unpin,
{
    type Item = Result<Bytes, Unwritable>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let mut out = Vec::new();
        while !this.done && this.failed.is_none() && out.len() < BATCH {
            match this.items.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(item))) => {
                    if let Err(e) = (this.write)(item, &mut out) {
                        this.failed = Some(Unwritable::Item(e));
                    }
                }
                Poll::Ready(Some(Err(failure))) => this.failed = Some(Unwritable::Failed(failure)),
                Poll::Ready(None) => this.done = true,
                Poll::Pending if !out.is_empty() => break,
                Poll::Pending => {
                    let Some(idle) = &mut this.idle else { return Poll::Pending };
                    ready!(idle.poll_unpin(cx));
                    idle.as_mut().reset(tokio::time::Instant::now() + KEEP_ALIVE);
                    return Poll::Ready(Some(Ok(Bytes::from_static(sse::KEEP_ALIVE))));
                }
            }
        }
        if !out.is_empty() {
            if let Some(idle) = &mut this.idle {
                idle.as_mut().reset(tokio::time::Instant::now() + KEEP_ALIVE);
            }
            return Poll::Ready(Some(Ok(Bytes::from(out))));
        }
        match this.failed.take() {
            Some(failure) => {
                this.done = true;
                Poll::Ready(Some(Err(failure)))
            }
            None => Poll::Ready(None),
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
    let write = move |event: Event<T>, out: &mut Vec<u8>| {
        sse::write_event(out, event.event.as_deref(), event.id.as_deref(), event.retry, &encode(&event.data)?);
        Ok(())
    };
    sse_body(status, events, write, headers)
}

/// A `text/event-stream` answer of `status` whose items are whole events (the spec's schema is a
/// `oneOf` of event objects, told apart by their `event`): each item is the JSON object of its
/// fields, which become the event's `event`, `data`, `id` and `retry` (the item's own first, the
/// [`Event`]'s where it has none).
pub fn whole_events_response<T: serde::Serialize + 'static>(status: u16, events: EventStream<T>, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    let write = |event: Event<T>, out: &mut Vec<u8>| {
        let own = sse::event_fields(serde_json::to_value(&event.data).map_err(|e| e.to_string())?)?;
        sse::write_event(out, own.event.or(event.event).as_deref(), own.id.or(event.id).as_deref(), own.retry.or(event.retry), &own.data);
        Ok(())
    };
    sse_body(status, events, write, headers)
}

fn sse_body<T: 'static>(status: u16, events: EventStream<T>, write: impl FnMut(Event<T>, &mut Vec<u8>) -> Result<(), String> + Send + Unpin + 'static, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    streamed(status, "text/event-stream", axum::body::Body::from_stream(Batched::new(events.0, write, true)), headers)
}

/// A JSON Lines or JSON text sequence answer of `status`, labelled `content_type`: each item of
/// `items` written as it is yielded, by `encode`.
pub fn records_response<T: 'static>(status: u16, content_type: &'static str, framing: Framing, items: ItemStream<T>, encode: Encode<T>, headers: Vec<(&'static str, String)>) -> axum::response::Response {
    let write = move |item: T, out: &mut Vec<u8>| {
        lines::write_record(out, framing, &encode(&item)?);
        Ok(())
    };
    let body = Batched::new(items.0.map(Ok), write, false);
    streamed(status, content_type, axum::body::Body::from_stream(body), headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of an answer's body as far as it goes without waiting.
    fn chunks_ready(response: axum::response::Response) -> Vec<Result<String, String>> {
        let mut body = response.into_body().into_data_stream();
        let mut chunks = Vec::new();
        while let Some(Some(chunk)) = body.next().now_or_never() {
            chunks.push(chunk.map(|c| String::from_utf8_lossy(&c).into_owned()).map_err(|e| e.to_string()));
        }
        chunks
    }

    #[tokio::test]
    async fn events_made_together_go_in_one_chunk_and_an_event_made_later_is_not_waited_for() {
        // A source the test feeds by hand: pending while empty, ended once closed.
        let queue = std::sync::Arc::new(std::sync::Mutex::new((std::collections::VecDeque::from([0, 1, 2].map(Event::new)), false, None::<std::task::Waker>)));
        let source = queue.clone();
        let events = EventStream::new(futures_util::stream::poll_fn(move |cx| {
            let mut state = source.lock().unwrap();
            match state.0.pop_front() {
                Some(event) => Poll::Ready(Some(event)),
                None if state.1 => Poll::Ready(None),
                None => {
                    state.2 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }));
        let send = |event: Option<Event<i32>>| {
            let mut state = queue.lock().unwrap();
            match event {
                Some(event) => state.0.push_back(event),
                None => state.1 = true,
            }
            if let Some(waker) = state.2.take() {
                waker.wake();
            }
        };
        let mut body = sse_response(200, events, crate::stream::to_json, Vec::new()).into_body().into_data_stream();
        let first = body.next().await.unwrap().unwrap();
        assert_eq!(&first[..], b"data: 0\n\ndata: 1\n\ndata: 2\n\n");
        // Nothing more is made yet: the body waits, and sends the next event as it comes.
        assert!(body.next().now_or_never().is_none());
        send(Some(Event::new(3).named("late")));
        assert_eq!(&body.next().await.unwrap().unwrap()[..], b"event: late\ndata: 3\n\n");
        send(None);
        assert!(body.next().await.is_none());
    }

    #[tokio::test]
    async fn a_long_run_of_records_is_cut_into_chunks_of_about_the_batch_size() {
        let items = ItemStream::from_items((0..10_000u32).map(|n| format!("{n:0>20}")).collect());
        let chunks = chunks_ready(records_response(200, "application/jsonl", Framing::Lines, items, crate::stream::to_json, Vec::new()));
        let record = "\"00000000000000000000\"\n".len();
        let chunks: Vec<String> = chunks.into_iter().map(Result::unwrap).collect();
        assert!(chunks.len() > 1 && chunks.iter().all(|c| c.len() <= BATCH + record), "{} chunks", chunks.len());
        let lines: Vec<String> = chunks.concat().lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), 10_000);
        assert!(lines.iter().enumerate().all(|(n, line)| *line == format!("\"{n:0>20}\"")));
    }

    #[tokio::test]
    async fn the_events_before_a_failure_are_sent_then_the_body_is_cut() {
        let events: Vec<Result<Event<u32>, std::io::Error>> = vec![Ok(Event::new(1)), Ok(Event::new(2)), Err(std::io::Error::other("the source went away")), Ok(Event::new(3))];
        let chunks = chunks_ready(sse_response(200, EventStream::fallible(futures_util::stream::iter(events)), crate::stream::to_json, Vec::new()));
        assert_eq!(chunks.len(), 2, "{chunks:?}");
        assert_eq!(chunks[0].as_deref(), Ok("data: 1\n\ndata: 2\n\n"));
        assert!(chunks[1].as_ref().is_err_and(|e| e.contains("the source went away")), "{chunks:?}");
    }
}
