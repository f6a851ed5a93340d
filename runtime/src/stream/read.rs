//! Reading a streamed body into its items as its chunks come, the same for a client reading an
//! answer and a server reading a request: each item framed by its decoder, read into its type,
//! counted, and none longer than a limit, so that a peer that never ends an item cannot grow the
//! reader's memory without bound.

use super::lines::{self, Framing};
use super::{sse, Decode, ItemError};

/// Why an item could not be handed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unread {
    /// The item is not what the spec says; reading goes on with the next one.
    Item(ItemError),
    /// Item `index` grew past `limit` bytes before it ended; reading ends.
    TooLong { index: u64, limit: usize },
}

/// How an event is read into an item: its data alone, or the whole event.
pub(crate) type ReadEvent<I> = Box<dyn Fn(sse::Frame) -> Result<I, String> + Send + Sync>;

enum Framed<I> {
    Records(lines::Decoder, Decode<I>),
    Events(sse::Decoder, ReadEvent<I>),
    /// Reading is over (an item was too long, or the body was cut): what is left is not read.
    Ended,
}

/// The items of a streamed body, read from its chunks.
pub(crate) struct Reader<I> {
    framed: Framed<I>,
    limit: usize,
    index: u64,
}

impl<I> Reader<I> {
    /// Records framed as `framing`, each read by `decode` and at most `limit` bytes long.
    pub(crate) fn records(framing: Framing, decode: Decode<I>, limit: usize) -> Self {
        Reader { framed: Framed::Records(lines::Decoder::new(framing), decode), limit, index: 0 }
    }

    /// Server-sent events, each read by `read` and its data at most `limit` bytes long.
    pub(crate) fn events(read: ReadEvent<I>, limit: usize) -> Self {
        Reader { framed: Framed::Events(sse::Decoder::new(), read), limit, index: 0 }
    }

    /// How many items were handed over, good or bad.
    pub(crate) fn read(&self) -> u64 {
        self.index
    }

    /// Sets the longest item read, in bytes.
    #[cfg(feature = "client")]
    pub(crate) fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// Whether reading is over: an item was too long, or [`Reader::end`] was called.
    pub(crate) fn is_over(&self) -> bool {
        matches!(self.framed, Framed::Ended)
    }

    /// Reads no more: what is left is dropped.
    pub(crate) fn end(&mut self) {
        self.framed = Framed::Ended;
    }

    /// The event stream's decoder, if this reads events.
    #[cfg(feature = "client")]
    pub(crate) fn events_decoder(&mut self) -> Option<&mut sse::Decoder> {
        match &mut self.framed {
            Framed::Events(decoder, _) => Some(decoder),
            _ => None,
        }
    }

    /// The last event id the stream set (none for records).
    #[cfg(feature = "client")]
    pub(crate) fn last_id(&self) -> Option<&str> {
        match &self.framed {
            Framed::Events(decoder, _) => decoder.last_id(),
            _ => None,
        }
    }

    /// Adds a chunk of the body.
    pub(crate) fn feed(&mut self, chunk: &[u8]) {
        match &mut self.framed {
            Framed::Records(decoder, _) => decoder.feed(chunk),
            Framed::Events(decoder, _) => decoder.feed(chunk),
            Framed::Ended => {}
        }
    }

    /// The next item whole in what came, if any; once the body has `ended`, a last record
    /// without its line end too. An item longer than the limit, whole or still coming, ends
    /// the reading.
    pub(crate) fn next(&mut self, ended: bool) -> Option<Result<I, Unread>> {
        let (index, limit) = (self.index, self.limit);
        let read = match &mut self.framed {
            Framed::Records(decoder, decode) => {
                let record = decoder.next_record_or_last(ended).map(|record| {
                    (record.len() <= limit).then(|| match std::str::from_utf8(record) {
                        Ok(text) => decode(text),
                        Err(e) => Err(format!("not UTF-8: {e}")),
                    })
                });
                match record {
                    Some(read) => read,
                    None if decoder.pending() > limit => None,
                    None => return None,
                }
            }
            Framed::Events(decoder, read) => match decoder.next_frame() {
                Some(frame) if frame.data.len() > limit => None,
                Some(frame) => Some(read(frame)),
                None if decoder.pending() > limit => None,
                None => return None,
            },
            Framed::Ended => return None,
        };
        let Some(read) = read else {
            self.end();
            return Some(Err(Unread::TooLong { index, limit }));
        };
        self.index += 1;
        Some(read.map_err(|message| Unread::Item(ItemError { index, message })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all<I>(reader: &mut Reader<I>, chunks: &[&[u8]]) -> Vec<Result<I, Unread>> {
        let mut out = Vec::new();
        for chunk in chunks {
            reader.feed(chunk);
            out.extend(std::iter::from_fn(|| reader.next(false)));
        }
        out.extend(std::iter::from_fn(|| reader.next(true)));
        out
    }

    #[test]
    fn records_are_counted_and_a_bad_one_does_not_end_the_reading() {
        let mut reader = Reader::records(Framing::Lines, super::super::from_json::<u32>, 100);
        let read = all(&mut reader, &[b"1\n\"two\"\n", b"3"]);
        assert_eq!(read[0], Ok(1));
        assert!(matches!(&read[1], Err(Unread::Item(e)) if e.index == 1));
        assert_eq!(read[2], Ok(3));
        assert_eq!(reader.read(), 3);
    }

    #[test]
    fn an_item_past_the_limit_ends_the_reading_whole_or_still_coming() {
        for (framing, body) in [(Framing::Lines, &b"1\n123456789\n2\n"[..]), (Framing::Seq, b"\x1e1\n\x1e123456789\n\x1e2\n")] {
            let mut reader = Reader::records(framing, super::super::from_json::<u32>, 4);
            assert_eq!(all(&mut reader, &[body]), [Ok(1), Err(Unread::TooLong { index: 1, limit: 4 })], "{framing:?}");
        }
        // A line that never ends is refused as soon as it is longer than the limit.
        let mut reader = Reader::records(Framing::Lines, super::super::from_json::<u32>, 4);
        reader.feed(b"1\n12345");
        assert_eq!(reader.next(false), Some(Ok(1)));
        assert_eq!(reader.next(false), Some(Err(Unread::TooLong { index: 1, limit: 4 })));
        reader.feed(b"6\n7\n");
        assert_eq!(reader.next(false), None);

        let read: ReadEvent<String> = Box::new(|frame| Ok(frame.data));
        let mut events = Reader::events(read, 4);
        assert_eq!(all(&mut events, &[b"data: ab\n\ndata: abc\ndata: def\n\n"]), [Ok("ab".to_owned()), Err(Unread::TooLong { index: 1, limit: 4 })]);
        let read: ReadEvent<String> = Box::new(|frame| Ok(frame.data));
        let mut events = Reader::events(read, 4);
        events.feed(b"data: abcdef");
        assert_eq!(events.next(false), Some(Err(Unread::TooLong { index: 0, limit: 4 })));
    }
}
