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

const RS: u8 = 0x1E;

/// Reads records from the chunks of a body as they come.
#[derive(Debug)]
pub struct Decoder {
    framing: Framing,
    buffer: Vec<u8>,
    start: usize,
}

impl Decoder {
    /// A decoder at the start of a body framed as `framing`.
    pub fn new(framing: Framing) -> Self {
        Decoder { framing, buffer: Vec::new(), start: 0 }
    }

    /// Adds a chunk of the body.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.start > 0 && self.start == self.buffer.len() {
            self.buffer.clear();
            self.start = 0;
        } else if self.start > 4096 && self.start * 2 > self.buffer.len() {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// How many bytes wait for the end of their record.
    pub fn pending(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// The next complete record of what was fed, blank ones skipped.
    pub fn next_record(&mut self) -> Option<&[u8]> {
        loop {
            let rest = &self.buffer[self.start..];
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
            let record_start = self.start;
            self.start += end + usize::from(self.framing == Framing::Lines);
            let record = trim(&self.buffer[record_start..record_start + end]);
            if !record.is_empty() {
                let offset = record.as_ptr() as usize - self.buffer.as_ptr() as usize;
                return Some(&self.buffer[offset..offset + record.len()]);
            }
        }
    }

    /// The record the body ended with, without its final line feed (or, in a sequence, the last
    /// one), if any.
    pub fn finish(&mut self) -> Option<&[u8]> {
        let rest = trim(&self.buffer[self.start..]);
        let offset = rest.as_ptr() as usize - self.buffer.as_ptr() as usize;
        let len = rest.len();
        self.start = self.buffer.len();
        (len > 0).then(|| &self.buffer[offset..offset + len])
    }
}

/// A record without the separator, line ends and spaces around it.
fn trim(record: &[u8]) -> &[u8] {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n') || *b == RS;
    let start = record.iter().position(|b| !is_space(b)).unwrap_or(record.len());
    let end = record.iter().rposition(|b| !is_space(b)).map_or(start, |e| e + 1);
    &record[start..end]
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
