//! Sequential media types, the framing both sides share (features `client` and `server`):
//! server-sent events (`text/event-stream`), JSON Lines (`application/jsonl`,
//! `application/x-ndjson`) and JSON text sequences (`application/json-seq`, RFC 7464).
//!
//! A stream is read as it arrives, one item at a time: the decoders here take the body's chunks
//! as they come and hand back each complete item, never waiting for the end. What an item's text
//! must be (JSON of the item type, or text as it is) is a function the generated code picks.

pub mod lines;
pub(crate) mod read;
pub mod sse;

use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The trait of asynchronous streams of items, which streamed bodies are made of.
pub use futures_util::Stream;

/// The bytes of a body not yet read into items, for both decoders: what came, and where the
/// unread part starts. What was read is let go of in bulk, not item by item: all of it once all
/// is read, else once it is most of a buffer past 4 KiB, so that a long stream costs no copy per
/// item and its memory stays flat.
#[derive(Debug, Default)]
struct Buffer {
    bytes: Vec<u8>,
    start: usize,
}

impl Buffer {
    /// Adds a chunk of the body.
    fn feed(&mut self, chunk: &[u8]) {
        if self.start > 0 && self.start == self.bytes.len() {
            self.bytes.clear();
            self.start = 0;
        } else if self.start > 4096 && self.start * 2 > self.bytes.len() {
            self.bytes.drain(..self.start);
            self.start = 0;
        }
        self.bytes.extend_from_slice(chunk);
    }

    /// What is not read yet.
    fn unread(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    /// Where the unread part starts, for [`Buffer::get`] until the next [`Buffer::feed`].
    fn position(&self) -> usize {
        self.start
    }

    /// Reads `n` more bytes.
    fn skip(&mut self, n: usize) {
        self.start += n;
    }

    /// Reads everything there is.
    fn skip_all(&mut self) {
        self.start = self.bytes.len();
    }

    /// The bytes at `range` of positions ([`Buffer::position`]).
    fn get(&self, range: Range<usize>) -> &[u8] {
        &self.bytes[range]
    }
}

/// One server-sent event: its `data` read as the item type, with the event's name, id and the
/// reconnection time the server asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event's data, as the spec types it.
    pub data: T,
    /// The `event` field: the event's name (`None` for the default, `message`).
    pub event: Option<String>,
    /// The `id` field: what a reconnecting client sends back as `Last-Event-ID`.
    pub id: Option<String>,
    /// The `retry` field: how long a client waits before reconnecting.
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// An event of `data`, without a name, id or retry time.
    pub fn new(data: T) -> Self {
        Event { data, event: None, id: None, retry: None }
    }

    /// This event named `name`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.event = Some(name.into());
        self
    }

    /// This event with `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// This event asking clients to wait `retry` before reconnecting.
    pub fn with_retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }
}

/// The items of a streamed body as they are yielded: a JSON Lines or JSON text sequence answer a
/// server's implementation gives, or a request body a client sends.
pub struct ItemStream<T>(pub(crate) Pin<Box<dyn Stream<Item = T> + Send>>);

impl<T> ItemStream<T> {
    /// The items `stream` yields.
    pub fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        ItemStream(Box::pin(stream))
    }

    /// The items of `items`, already made.
    pub fn from_items(items: Vec<T>) -> Self
    where
        T: Send + 'static,
    {
        ItemStream::new(futures_util::stream::iter(items))
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemStream")
    }
}

/// An item of a stream that is not what the spec says: which one (counted from 0, in the order
/// they came) and what is wrong. Items before it were handed over; reading goes on after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemError {
    /// The item's index in the stream, from 0.
    pub index: u64,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for ItemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "item {} of the stream: {}", self.index, self.message)
    }
}

impl std::error::Error for ItemError {}

/// How an item's text is read into the item type ([`from_json`], [`from_text`]).
pub type Decode<T> = fn(&str) -> Result<T, String>;

/// How an item is written as text ([`to_json`], [`to_text`]).
pub type Encode<T> = fn(&T) -> Result<String, String>;

/// Reads an item's text as JSON of `T`.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Reads an item's text as it is (an event whose data is text).
pub fn from_text(text: &str) -> Result<String, String> {
    Ok(text.to_owned())
}

/// Writes an item as JSON.
pub fn to_json<T: serde::Serialize>(item: &T) -> Result<String, String> {
    serde_json::to_string(item).map_err(|e| e.to_string())
}

/// Writes an item of text as it is.
pub fn to_text<T: AsRef<str>>(item: &T) -> Result<String, String> {
    Ok(item.as_ref().to_owned())
}
