//! Request bodies that are streams of typed items (JSON Lines, JSON text sequences, server-sent
//! events), handed to the implementation as an [`Incoming`] stream: each item read as it arrives,
//! none longer than the body limit, a malformed one named by its index without losing the others.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::body::{Body, Bytes};
use futures_util::{Stream, StreamExt as _};

use super::read::{absent, accepted_media};
use super::Rejection;
use crate::stream::lines::Framing;
use crate::stream::read::{ReadEvent, Reader, Unread};
use crate::stream::{sse, Decode, Event, ItemError};

/// Why an [`Incoming`] stream could not hand over an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncomingError {
    /// An item is not what the spec says; reading goes on with the next one.
    Item(ItemError),
    /// Item `index` grew past the body limit of `limit` bytes before it ended; reading ends.
    TooLong {
        /// The item's index in the stream, from 0.
        index: u64,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body could not be read to its end (the client went away); reading ends.
    Cut(String),
}

impl std::fmt::Display for IncomingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IncomingError::Item(e) => e.fmt(f),
            IncomingError::TooLong { index, limit } => write!(f, "item {index} of the stream is longer than the limit of {limit} bytes"),
            IncomingError::Cut(e) => write!(f, "the body was cut: {e}"),
        }
    }
}

impl std::error::Error for IncomingError {}

/// Where the items come from: a body read as it arrives, or items already made.
enum Source<I> {
    Body(Option<axum::body::BodyDataStream>, Reader<I>),
    Made(std::vec::IntoIter<I>),
}

/// The items of a streamed request body, read as they arrive: each a `Result` of the item (`T`
/// for JSON Lines and sequences, [`Event<T>`] for server-sent events) or what is wrong with it.
///
/// An item that does not read as its schema says is an [`IncomingError::Item`] naming its index,
/// and the stream goes on. An item longer than the body limit, or a body cut short, ends it.
pub struct Incoming<I> {
    source: Source<I>,
}

// Items are moved out, never pinned in place.
impl<I> Unpin for Incoming<I> {}

impl<I> std::fmt::Debug for Incoming<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let read = match &self.source {
            Source::Body(_, reader) => reader.read(),
            Source::Made(_) => 0,
        };
        f.debug_struct("Incoming").field("read", &read).finish_non_exhaustive()
    }
}

impl<T> Incoming<T> {
    /// The records of `body`, framed as `framing`, each read by `decode` and at most `limit`
    /// bytes long.
    pub fn records(body: Body, framing: Framing, decode: Decode<T>, limit: usize) -> Self {
        Incoming { source: Source::Body(Some(body.into_data_stream()), Reader::records(framing, decode, limit)) }
    }
}

impl<T: 'static> Incoming<Event<T>> {
    /// The events of `body`, each event's data read by `decode` and at most `limit` bytes long.
    pub fn events(body: Body, decode: Decode<T>, limit: usize) -> Self {
        let read: ReadEvent<Event<T>> = Box::new(move |frame: sse::Frame| decode(&frame.data).map(|data| Event { data, event: frame.event, id: frame.id, retry: frame.retry }));
        Incoming { source: Source::Body(Some(body.into_data_stream()), Reader::events(read, limit)) }
    }
}

impl<I> Incoming<I> {
    /// The stream of `items`, already read: what a test hands an implementation.
    pub fn from_items(items: Vec<I>) -> Self {
        Incoming { source: Source::Made(items.into_iter()) }
    }
}

impl<I> Stream for Incoming<I> {
    type Item = Result<I, IncomingError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let (body, reader) = match &mut self.get_mut().source {
            Source::Made(items) => return Poll::Ready(items.next().map(Ok)),
            Source::Body(body, reader) => (body, reader),
        };
        loop {
            if let Some(item) = reader.next(body.is_none()) {
                if reader.is_over() {
                    *body = None;
                }
                return Poll::Ready(Some(item.map_err(|unread| match unread {
                    Unread::Item(e) => IncomingError::Item(e),
                    Unread::TooLong { index, limit } => IncomingError::TooLong { index, limit },
                })));
            }
            let Some(stream) = body else { return Poll::Ready(None) };
            match ready!(stream.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => reader.feed(&chunk),
                Some(Err(e)) => {
                    *body = None;
                    reader.end();
                    return Poll::Ready(Some(Err(IncomingError::Cut(e.to_string()))));
                }
                None => *body = None,
            }
        }
    }
}

/// Reads one item of a streamed request body as JSON of `T`, held to its schema as a JSON body is
/// (`null` for an optional property is refused, a number is no text); the error names the property at fault.
pub fn json_item<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let item: T = crate::de::checking_json(|| serde_path_to_error::deserialize(&mut deserializer)).map_err(|e| {
        let path = super::read::error_path(&e);
        if path.is_empty() { e.inner().to_string() } else { format!("{path}: {}", e.inner()) }
    })?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(item)
}

/// A request body not read yet where it is a stream, read whole where it is not.
#[derive(Debug)]
pub enum Received {
    /// A body of another media type, read whole within the limit.
    Whole(Result<Bytes, Rejection>),
    /// A body of a streamed media type, to be read item by item, none past `limit` bytes.
    Streamed(Body, usize),
}

impl Received {
    /// The bytes of a body read whole (none for a stream), and the stream not read yet.
    pub fn split(self) -> Result<(Bytes, Option<(Body, usize)>), Rejection> {
        match self {
            Received::Whole(bytes) => Ok((bytes?, None)),
            Received::Streamed(body, limit) => Ok((Bytes::new(), Some((body, limit)))),
        }
    }
}

/// The parts of `request`, and its body: left unread where its media type is one of `streamed`,
/// else read whole as [`read_body`](super::read_body) does.
pub async fn read_body_or_stream(request: axum::extract::Request, default_limit: usize, streamed: &[&str]) -> (axum::http::request::Parts, Received) {
    let media = super::media_type(request.headers());
    if streamed.contains(&media.as_str()) {
        let (parts, body) = request.into_parts();
        let limit = parts.extensions.get::<super::BodyLimit>().map_or(default_limit, |l| l.0);
        return (parts, Received::Streamed(body, limit));
    }
    let (parts, bytes) = super::read_body(request, default_limit).await;
    (parts, Received::Whole(bytes))
}

/// Reads a streamed body of JSON Lines or a JSON text sequence (`stream`, left unread by
/// [`read_body_or_stream`]) of one of the accepted media types; `None` when it is absent and
/// optional.
pub fn records_body<T>(headers: &axum::http::HeaderMap, bytes: &[u8], stream: Option<(Body, usize)>, accepted: &[&str], framing: Framing, decode: Decode<T>, required: bool) -> Result<Option<Incoming<T>>, Rejection> {
    let Some((body, limit)) = streamed_body(headers, bytes, stream, accepted, required)? else { return Ok(None) };
    Ok(Some(Incoming::records(body, framing, decode, limit)))
}

/// Reads a streamed body of server-sent events (`stream`, left unread by
/// [`read_body_or_stream`]); `None` when it is absent and optional.
pub fn events_body<T: 'static>(headers: &axum::http::HeaderMap, bytes: &[u8], stream: Option<(Body, usize)>, accepted: &[&str], decode: Decode<T>, required: bool) -> Result<Option<Incoming<Event<T>>>, Rejection> {
    let Some((body, limit)) = streamed_body(headers, bytes, stream, accepted, required)? else { return Ok(None) };
    Ok(Some(Incoming::events(body, decode, limit)))
}

/// The stream left unread, or the refusal of a body that came otherwise: absent, or of another
/// media type (read whole, `bytes`).
fn streamed_body(headers: &axum::http::HeaderMap, bytes: &[u8], stream: Option<(Body, usize)>, accepted: &[&str], required: bool) -> Result<Option<(Body, usize)>, Rejection> {
    match stream {
        Some(stream) => Ok(Some(stream)),
        None if absent(headers, bytes) => if required { Err(Rejection::bad("body", "a request body is required")) } else { Ok(None) },
        // A body of another media type was read whole: it is refused for that.
        None => {
            accepted_media(headers, accepted)?;
            Err(Rejection::bad("body", "a request body is required"))
        }
    }
}
