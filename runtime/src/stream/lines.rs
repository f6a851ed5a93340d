//! JSON Lines (`application/jsonl`, `application/x-ndjson`: one JSON text a line) and JSON text
//! sequences (`application/json-seq`, RFC 7464: each text after a record separator, 0x1E).

/// How the records of a sequential body are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// One record a line (JSON Lines, NDJSON).
    Lines,
    /// Each record after a record separator and ended by a line feed (RFC 7464).
    Seq,
}

use super::Buffer;

const RS: u8 = 0x1E;

/// Reads records from the chunks of a body as they come.
#[derive(Debug)]
pub struct Decoder {
    framing: Framing,
    buffer: Buffer,
}

impl Decoder {
    /// A decoder at the start of a body framed as `framing`.
    pub fn new(framing: Framing) -> Self {
        Decoder { framing, buffer: Buffer::default() }
    }

    /// Adds a chunk of the body.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.buffer.feed(chunk);
    }

    /// How many bytes wait for the end of their record.
    pub fn pending(&self) -> usize {
        self.buffer.unread().len()
    }

    /// The next complete record of what was fed, blank ones skipped.
    pub fn next_record(&mut self) -> Option<&[u8]> {
        let record = self.next_range()?;
        Some(self.buffer.get(record))
    }

    /// The next complete record; once the body has `ended`, the last one without its line end
    /// too ([`Decoder::finish`]).
    pub fn next_record_or_last(&mut self, ended: bool) -> Option<&[u8]> {
        let record = match self.next_range() {
            Some(record) => record,
            None if ended => self.last_range()?,
            None => return None,
        };
        Some(self.buffer.get(record))
    }

    /// The record the body ended with, without its final line feed (or, in a sequence, the last
    /// one), if any.
    pub fn finish(&mut self) -> Option<&[u8]> {
        let record = self.last_range()?;
        Some(self.buffer.get(record))
    }

    /// Where the next complete record is in the buffer, blank ones skipped.
    fn next_range(&mut self) -> Option<std::ops::Range<usize>> {
        loop {
            let rest = self.buffer.unread();
            let end = match self.framing {
                Framing::Lines => rest.iter().position(|&b| b == b'\n')?,
                // A record ends where the next begins, or at a line feed ending what has come
                // when what precedes it is a whole JSON text: the last record that came is not
                // held back until another follows.
                Framing::Seq => match rest.iter().skip(1).position(|&b| b == RS) {
                    Some(i) => i + 1,
                    None if rest.last() == Some(&b'\n') && serde_json::from_slice::<serde::de::IgnoredAny>(trim(rest)).is_ok() => rest.len(),
                    None => return None,
                },
            };
            let at = self.buffer.position();
            self.buffer.skip(end + usize::from(self.framing == Framing::Lines));
            let record = trimmed(self.buffer.get(at..at + end));
            if !record.is_empty() {
                return Some(at + record.start..at + record.end);
            }
        }
    }

    /// Where the record the body ended with is, if any: all that is left is read.
    fn last_range(&mut self) -> Option<std::ops::Range<usize>> {
        let at = self.buffer.position();
        let rest = trimmed(self.buffer.unread());
        self.buffer.skip_all();
        (!rest.is_empty()).then(|| at + rest.start..at + rest.end)
    }
}

/// A record without the separator, line ends and spaces around it.
fn trim(record: &[u8]) -> &[u8] {
    &record[trimmed(record)]
}

/// Where [`trim`] cuts `record`.
fn trimmed(record: &[u8]) -> std::ops::Range<usize> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n') || *b == RS;
    let start = record.iter().position(|b| !is_space(b)).unwrap_or(record.len());
    let end = record.iter().rposition(|b| !is_space(b)).map_or(start, |e| e + 1);
    start..end
}

/// Writes one record of JSON text.
pub fn write_record(out: &mut Vec<u8>, framing: Framing, json: &str) {
    if framing == Framing::Seq {
        out.push(RS);
    }
    out.extend_from_slice(json.as_bytes());
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(framing: Framing, chunks: &[&[u8]]) -> Vec<String> {
        let mut decoder = Decoder::new(framing);
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk);
            while let Some(r) = decoder.next_record() {
                out.push(String::from_utf8_lossy(r).into_owned());
            }
        }
        out.extend(decoder.finish().map(|r| String::from_utf8_lossy(r).into_owned()));
        out
    }

    #[test]
    fn lines_and_sequences_are_read_across_any_split() {
        let lines = b"{\"a\":1}\r\n\n  \n[2]\n3";
        let seq = b"\x1E{\"a\":1}\n\x1E[2]\n\x1E3\n";
        for (framing, body) in [(Framing::Lines, &lines[..]), (Framing::Seq, &seq[..])] {
            let whole = records(framing, &[body]);
            assert_eq!(whole, ["{\"a\":1}", "[2]", "3"], "{framing:?}");
            for split in 1..body.len() {
                assert_eq!(records(framing, &[&body[..split], &body[split..]]), whole, "{framing:?} split at {split}");
            }
        }
    }

    #[test]
    fn what_is_written_is_read_back() {
        for framing in [Framing::Lines, Framing::Seq] {
            let mut out = Vec::new();
            write_record(&mut out, framing, "{\"x\":\"a\\nb\"}");
            write_record(&mut out, framing, "null");
            assert_eq!(records(framing, &[&out]), ["{\"x\":\"a\\nb\"}", "null"]);
        }
    }
}
