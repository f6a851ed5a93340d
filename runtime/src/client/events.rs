//! Answers that are streams of items, handed over one by one as they arrive: server-sent events
//! ([`Events`], which reconnect with `Last-Event-ID` when the caller allows it) and JSON Lines or
//! JSON text sequences ([`Records`]).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use futures_util::{FutureExt as _, Stream, StreamExt as _};

use super::download::Download;
use super::transport::Presented;
use super::{ByteStream, Error, Failure, Request, Response, Transport};
use crate::stream::lines::{self, Framing};
use crate::stream::read::{ReadEvent, Reader, Unread};
use crate::stream::{sse, Decode, Event, ItemError};

/// Why a stream could not hand over an item.
#[derive(Debug)]
pub enum StreamError {
    /// An item is not what the spec says; the stream goes on with the next one.
    Item(ItemError),
    /// Item `index` grew past the limit of `limit` bytes before it ended
    /// ([`Events::item_limit`], [`Records::item_limit`]); the stream ends.
    TooLong {
        /// The item's index in the stream, from 0.
        index: u64,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The connection failed (and could not be resumed, or resuming was not allowed); the
    /// stream ends.
    Connection(Error<Infallible>),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Item(e) => e.fmt(f),
            StreamError::TooLong { index, limit } => write!(f, "item {index} of the stream is longer than the limit of {limit} bytes"),
            StreamError::Connection(e) => write!(f, "the stream was cut: {e}"),
        }
    }
}

impl std::error::Error for StreamError {}

impl From<Unread> for StreamError {
    fn from(unread: Unread) -> Self {
        match unread {
            Unread::Item(e) => StreamError::Item(e),
            Unread::TooLong { index, limit } => StreamError::TooLong { index, limit },
        }
    }
}

/// The longest item a stream reads unless told otherwise: 16 MiB.
const DEFAULT_ITEM_LIMIT: usize = 16 << 20;

/// The wait before reconnecting when the server named none (the standard leaves it to the
/// client; browsers wait a few seconds).
const DEFAULT_RETRY: Duration = Duration::from_secs(3);

/// What is needed to send the request again.
struct Origin {
    request: Request,
    url: reqwest::Url,
    authorization: Option<Presented>,
}

type Reconnecting = Pin<Box<dyn Future<Output = (Origin, Result<Download, Failure>)> + Send>>;

enum Phase {
    Reading(ByteStream),
    Waiting(Pin<Box<tokio::time::Sleep>>),
    Reconnecting(Reconnecting),
    Done,
}

/// The events of a `text/event-stream` answer, each read as it arrives, its data as the item
/// type `T`, with its name, id and retry time ([`Event`]).
///
/// A malformed item is a [`StreamError::Item`] naming its index, and the stream goes on. An
/// event longer than the [item limit](Events::item_limit) ends the stream with
/// [`StreamError::TooLong`]. A dropped connection ends the stream with
/// [`StreamError::Connection`], unless [`reconnect`](Events::reconnect) allows resuming: then the
/// request is sent again with `Last-Event-ID` after the wait the server asked for (`retry`).
pub struct Events<T> {
    transport: Transport,
    headers: reqwest::header::HeaderMap,
    origin: Option<Origin>,
    phase: Phase,
    reader: Reader<Event<T>>,
    attempts: u32,
    longest_wait: Duration,
}

impl<T> std::fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events").field("read", &self.reader.read()).field("last_id", &self.reader.last_id()).finish_non_exhaustive()
    }
}

impl<T> Events<T> {
    /// Allows resuming a dropped connection up to `attempts` times, waiting what the server's
    /// `retry` asks (3 seconds where it said nothing) but never longer than `longest_wait`.
    pub fn reconnect(mut self, attempts: u32, longest_wait: Duration) -> Self {
        self.attempts = attempts;
        self.longest_wait = longest_wait;
        self
    }

    /// Reads no event longer than `bytes` (16 MiB unless set): a longer one ends the stream
    /// with [`StreamError::TooLong`], so that a server never ending an event cannot grow the
    /// client's memory without bound.
    pub fn item_limit(mut self, bytes: usize) -> Self {
        self.reader.set_limit(bytes);
        self
    }

    /// The headers of the answer that opened the stream (not of a reconnection's).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The id of the last event read: where a new call would resume from.
    pub fn last_id(&self) -> Option<&str> {
        self.reader.last_id()
    }

    /// After a failure: waits to reconnect if allowed, else ends with `error`.
    fn after_failure(&mut self, error: Error<Infallible>) -> Option<StreamError> {
        if self.attempts == 0 || self.origin.is_none() {
            self.phase = Phase::Done;
            return Some(StreamError::Connection(error));
        }
        self.attempts -= 1;
        let wait = self.reader.events_decoder().and_then(|d| d.reconnection()).unwrap_or(DEFAULT_RETRY).min(self.longest_wait);
        self.phase = Phase::Waiting(Box::pin(tokio::time::sleep(wait)));
        None
    }
}

impl<T> Stream for Events<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.phase {
                Phase::Reading(body) => {
                    if let Some(item) = this.reader.next(false) {
                        if item.is_err() && this.reader.is_over() {
                            this.phase = Phase::Done;
                        }
                        return Poll::Ready(Some(item.map_err(StreamError::from)));
                    }
                    match ready!(body.poll_next_unpin(cx)) {
                        Some(Ok(chunk)) => this.reader.feed(&chunk),
                        Some(Err(Failure(error))) => {
                            if let Some(error) = this.after_failure(error) {
                                return Poll::Ready(Some(Err(error)));
                            }
                        }
                        None => {
                            this.phase = Phase::Done;
                            return Poll::Ready(None);
                        }
                    }
                }
                Phase::Waiting(sleep) => {
                    ready!(sleep.poll_unpin(cx));
                    let Some(mut origin) = this.origin.take() else {
                        this.phase = Phase::Done;
                        return Poll::Ready(None);
                    };
                    origin.request.headers.retain(|(name, _)| *name != "last-event-id");
                    if let Some(id) = this.reader.last_id() {
                        origin.request.headers.push(("last-event-id", id.to_owned()));
                    }
                    let transport = this.transport.clone();
                    this.phase = Phase::Reconnecting(Box::pin(async move {
                        let answer = transport.download_prepared(&mut origin.request, &mut origin.url, &mut origin.authorization).await;
                        (origin, answer)
                    }));
                }
                Phase::Reconnecting(future) => {
                    let (origin, answer) = ready!(future.poll_unpin(cx));
                    this.origin = Some(origin);
                    match answer {
                        Ok(download) if (200..300).contains(&download.status()) => {
                            if let Some(decoder) = this.reader.events_decoder() {
                                decoder.restart();
                            }
                            this.phase = Phase::Reading(download.into_body());
                        }
                        Ok(download) => {
                            this.phase = Phase::Done;
                            return Poll::Ready(Some(Err(StreamError::Connection(Error::UnexpectedStatus { status: download.status(), body: String::new() }))));
                        }
                        Err(Failure(error)) => {
                            if let Some(error) = this.after_failure(error) {
                                return Poll::Ready(Some(Err(error)));
                            }
                        }
                    }
                }
                Phase::Done => return Poll::Ready(None),
            }
        }
    }
}

/// The records of a JSON Lines, NDJSON or JSON text sequence answer, each read as it arrives as
/// the item type `T`. A malformed record is a [`StreamError::Item`] naming its index, and the
/// stream goes on; a dropped connection ends it with [`StreamError::Connection`].
pub struct Records<T> {
    headers: reqwest::header::HeaderMap,
    body: Option<ByteStream>,
    reader: Reader<T>,
}

impl<T> std::fmt::Debug for Records<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").field("read", &self.reader.read()).finish_non_exhaustive()
    }
}

impl<T> Records<T> {
    /// The records of `body`, framed as `framing`.
    pub fn new(body: ByteStream, framing: Framing, decode: Decode<T>) -> Self {
        Records { headers: reqwest::header::HeaderMap::new(), body: Some(body), reader: Reader::records(framing, decode, DEFAULT_ITEM_LIMIT) }
    }

    /// Reads no record longer than `bytes` (16 MiB unless set): a longer one ends the stream
    /// with [`StreamError::TooLong`].
    pub fn item_limit(mut self, bytes: usize) -> Self {
        self.reader.set_limit(bytes);
        self
    }

    /// The headers of the answer whose body the records are (none where made by [`Records::new`]).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
}

impl<T> Stream for Records<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.reader.next(this.body.is_none()) {
                if item.is_err() && this.reader.is_over() {
                    this.body = None;
                }
                return Poll::Ready(Some(item.map_err(StreamError::from)));
            }
            let Some(body) = &mut this.body else { return Poll::Ready(None) };
            match ready!(body.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => this.reader.feed(&chunk),
                Some(Err(Failure(error))) => {
                    this.body = None;
                    this.reader.end();
                    return Poll::Ready(Some(Err(StreamError::Connection(error))));
                }
                None => this.body = None,
            }
        }
    }
}

/// An answer that may be a stream: its status and headers read, its body not, and what is
/// needed to send the request again. The operation reads it by its status (and media type): as
/// the stream of events or records it documents there ([`Opened::events`], [`Opened::records`]),
/// or whole ([`Opened::into_response`]).
pub struct Opened {
    transport: Transport,
    origin: Origin,
    download: Download,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("status", &self.download.status()).finish_non_exhaustive()
    }
}

impl Opened {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.download.status()
    }

    /// A response header as text, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_text(name).map(str::to_owned)
    }

    /// A response header parsed as `T`, if present and parseable.
    pub fn header_as<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.header_text(name).and_then(|v| v.trim().parse().ok())
    }

    fn header_text(&self, name: &str) -> Option<&str> {
        self.download.headers().get(name).and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
    }

    /// Whether the answer's `Content-Type` is `media_type` (its essence, parameters and case aside).
    pub fn is(&self, media_type: &str) -> bool {
        let essence = |t: &str| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        self.download.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| essence(t) == essence(media_type))
    }

    /// The body as server-sent events, each read as it arrives, its data with `decode`.
    pub fn events<T: 'static>(self, decode: Decode<T>) -> Events<T> {
        self.read_events(Box::new(move |frame: sse::Frame| decode(&frame.data).map(|data| Event { data, event: frame.event, id: frame.id, retry: frame.retry })))
    }

    /// The body as server-sent events whose items are whole events (the spec's schema is a
    /// `oneOf` of event objects, told apart by their `event`): each event's fields, as an
    /// object, are read as `T`.
    pub fn whole_events<T: serde::de::DeserializeOwned + 'static>(self) -> Events<T> {
        self.read_events(Box::new(|frame: sse::Frame| {
            // Data that reads as JSON is tried as such, then as the text it is.
            let data = serde_json::from_value(sse::event_object(&frame, false)).or_else(|e| serde_json::from_value(sse::event_object(&frame, true)).map_err(|_| e.to_string()))?;
            Ok(Event { data, event: frame.event, id: frame.id, retry: frame.retry })
        }))
    }

    fn read_events<T>(self, read: ReadEvent<Event<T>>) -> Events<T> {
        let headers = self.download.headers().clone();
        Events {
            transport: self.transport,
            headers,
            origin: Some(self.origin),
            phase: Phase::Reading(self.download.into_body()),
            reader: Reader::events(read, DEFAULT_ITEM_LIMIT),
            attempts: 0,
            longest_wait: Duration::ZERO,
        }
    }

    /// The body as records framed as `framing`, each read as it arrives with `decode`.
    pub fn records<T>(self, framing: Framing, decode: Decode<T>) -> Records<T> {
        let headers = self.download.headers().clone();
        Records { headers, ..Records::new(self.download.into_body(), framing, decode) }
    }

    /// The answer read whole, for the statuses an operation decodes.
    pub async fn into_response(self) -> Result<Response, Failure> {
        self.download.into_response().await
    }
}

impl Transport {
    /// Sends `request` for an answer that may be a stream, leaving its body unread: the
    /// operation reads it by its status.
    pub async fn open(&self, mut request: Request) -> Result<Opened, Failure> {
        let (mut url, mut authorization) = self.prepare(&mut request)?;
        let download = self.download_prepared(&mut request, &mut url, &mut authorization).await?;
        Ok(Opened { transport: self.clone(), origin: Origin { request, url, authorization }, download })
    }
}

impl Response {
    /// The first event of a `text/event-stream` body read whole (an error status documented as
    /// a stream), its data read with `decode`; a JSON body where a server answered plain JSON.
    pub fn first_event<T: serde::de::DeserializeOwned>(&self, decode: Decode<T>) -> Result<T, Failure> {
        let mut decoder = sse::Decoder::new();
        decoder.feed(&self.body);
        decoder.feed(b"\n\n");
        match decoder.next_frame() {
            Some(frame) => decode(&frame.data).map_err(|message| Failure(Error::Decode { status: self.status, message, body: self.text() })),
            None => self.json(),
        }
    }

    /// The first record of a JSON Lines or JSON text sequence body read whole (an error status
    /// documented as a stream).
    pub fn first_record<T: serde::de::DeserializeOwned>(&self, framing: Framing) -> Result<T, Failure> {
        let mut decoder = lines::Decoder::new(framing);
        decoder.feed(&self.body);
        let record = decoder.next_record_or_last(true).unwrap_or_default();
        serde_json::from_slice(record).map_err(|e| Failure(Error::Decode { status: self.status, message: e.to_string(), body: self.text() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &[u8]) -> Response {
        Response { status: 500, headers: reqwest::header::HeaderMap::new(), body: body.to_vec() }
    }

    #[test]
    fn an_error_documented_as_a_stream_is_read_from_its_first_record_ended_or_not() {
        for (framing, body) in [(Framing::Lines, &b"\n{\"n\":1}\n{\"n\":2}\n"[..]), (Framing::Lines, b"{\"n\":1}"), (Framing::Seq, b"\x1e{\"n\":1}\n\x1e{\"n\":2}\n"), (Framing::Seq, b"\x1e{\"n\":1}")] {
            let first: serde_json::Value = answer(body).first_record(framing).expect("the first record");
            assert_eq!(first, serde_json::json!({"n": 1}), "{framing:?} {body:?}");
        }
        assert!(answer(b"").first_record::<serde_json::Value>(Framing::Lines).is_err(), "an empty body holds no record");
    }
}
