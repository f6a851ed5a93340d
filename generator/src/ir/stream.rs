//! Sequential media types: bodies that are a stream of items, each typed by the spec, rather
//! than one value. Lowering reads every way a spec describes one into [`Framing`] on a
//! [`Content`](super::Content) whose `ty` is then the type of one item; emitters read nothing else.

use serde::Serialize;

/// How the items of a sequential body are told apart on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Framing {
    /// Server-sent events (`text/event-stream`): each item is an event's `data`, with the
    /// event's name, id and retry time beside it.
    EventStream,
    /// One JSON text a line: `application/jsonl`, `application/x-ndjson`,
    /// `application/x-jsonlines`.
    JsonLines,
    /// JSON text sequences (RFC 7464): `application/json-seq` and any `+json-seq` type.
    JsonSeq,
}

impl Framing {
    /// The framing of `media_type` (parameters and case aside), if it is sequential.
    pub fn of(media_type: &str) -> Option<Framing> {
        let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(Framing::EventStream),
            "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" | "application/jsonlines" | "application/x-jsonl" => Some(Framing::JsonLines),
            _ if essence == "application/json-seq" || essence.ends_with("+json-seq") => Some(Framing::JsonSeq),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Framing;

    #[test]
    fn sequential_media_types_are_told_by_their_essence() {
        assert_eq!(Framing::of("text/event-stream; charset=utf-8"), Some(Framing::EventStream));
        assert_eq!(Framing::of("application/x-NDJSON"), Some(Framing::JsonLines));
        assert_eq!(Framing::of("application/jsonl"), Some(Framing::JsonLines));
        assert_eq!(Framing::of("application/geo+json-seq"), Some(Framing::JsonSeq));
        assert_eq!(Framing::of("application/json"), None);
        assert_eq!(Framing::of("text/plain"), None);
    }
}
