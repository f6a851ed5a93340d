//! Server-sent events (`text/event-stream`) as the HTML standard defines their parsing (§9.2.6):
//! lines ended by CRLF, LF or CR, `field: value` lines, `:` comments, an event dispatched at each
//! blank line, `id` remembered across events, `retry` in milliseconds.

use std::time::Duration;

use super::Buffer;

/// One event as sent: its fields as text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// The `event` field, if the event has one.
    pub event: Option<String>,
    /// The `data` lines, joined by line feeds.
    pub data: String,
    /// The last event id as of this event (the standard carries it over from earlier events).
    pub id: Option<String>,
    /// Whether this event has an `id` field of its own, rather than carrying one over.
    pub id_set: bool,
    /// The `retry` field, if this event set one.
    pub retry: Option<Duration>,
}

/// Reads events from the chunks of a body as they come.
#[derive(Debug, Default)]
pub struct Decoder {
    buffer: Buffer,
    /// The last chunk ended with CR: a LF starting the next one ends no further line.
    after_cr: bool,
    /// The byte order mark, skipped once at the start.
    started: bool,
    fields: Fields,
}

/// The fields of the event being read, and what carries over to the next.
#[derive(Debug, Default)]
struct Fields {
    /// The data lines so far, joined by line feeds, as they came (UTF-8 is checked once, when
    /// the event is dispatched).
    data: Vec<u8>,
    has_data: bool,
    event: Option<String>,
    last_id: Option<String>,
    /// The event being read has an `id` field of its own.
    id_set: bool,
    retry: Option<Duration>,
    /// The last `retry` of the stream, which holds until another.
    reconnection: Option<Duration>,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Decoder::default()
    }

    /// Adds a chunk of the body.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.buffer.feed(chunk);
    }

    /// Starts on the stream a reconnection opens, which goes on from this one: the last event id
    /// and the reconnection time stay until the new stream sets others; what was half read is
    /// dropped.
    pub fn restart(&mut self) {
        let fields = Fields { last_id: self.fields.last_id.take(), reconnection: self.fields.reconnection, ..Fields::default() };
        *self = Decoder { fields, ..Decoder::default() };
    }

    /// The reconnection time the stream last asked for (`retry`), if it asked.
    pub fn reconnection(&self) -> Option<Duration> {
        self.fields.reconnection
    }

    /// How many bytes wait for the end of their event: the data of its lines read so far, and
    /// the line not ended yet.
    pub fn pending(&self) -> usize {
        self.buffer.unread().len() + self.fields.data.len()
    }

    /// The last event id the stream set: what a reconnecting client sends as `Last-Event-ID`.
    pub fn last_id(&self) -> Option<&str> {
        self.fields.last_id.as_deref()
    }

    /// The next complete event of what was fed, if one is complete.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            if !self.started {
                let rest = self.buffer.unread();
                if rest.len() < 3 && b"\xEF\xBB\xBF".starts_with(rest) {
                    return None;
                }
                if rest.starts_with(b"\xEF\xBB\xBF") {
                    self.buffer.skip(3);
                }
                self.started = true;
            }
            if self.after_cr {
                match self.buffer.unread().first() {
                    Some(b'\n') => self.buffer.skip(1),
                    Some(_) => {}
                    None => return None,
                }
                self.after_cr = false;
            }
            let rest = self.buffer.unread();
            let end = memchr::memchr2(b'\n', b'\r', rest)?;
            // A CR ends its line; a LF right after it is part of the same line end.
            let ended = match (rest[end], rest.get(end + 1)) {
                (b'\r', Some(b'\n')) => end + 2,
                (b'\r', None) => {
                    self.after_cr = true;
                    end + 1
                }
                _ => end + 1,
            };
            let at = self.buffer.position();
            self.buffer.skip(ended);
            if let Some(frame) = self.fields.line(self.buffer.get(at..at + end)) {
                return Some(frame);
            }
        }
    }
}

impl Fields {
    /// Takes one line; a blank one dispatches the event gathered so far. Text that is not
    /// UTF-8 is read with replacement characters, as the standard decodes the stream.
    fn line(&mut self, line: &[u8]) -> Option<Frame> {
        if line.is_empty() {
            let retry = self.retry.take();
            let id_set = std::mem::take(&mut self.id_set);
            if !self.has_data {
                self.event = None;
                self.data.clear();
                return None;
            }
            self.has_data = false;
            let data = String::from_utf8(std::mem::take(&mut self.data)).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            return Some(Frame { event: self.event.take(), data, id: self.last_id.clone(), id_set, retry });
        }
        if line[0] == b':' {
            return None;
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(colon) => (&line[..colon], line[colon + 1..].strip_prefix(b" ").unwrap_or(&line[colon + 1..])),
            None => (line, &b""[..]),
        };
        let text = |value: &[u8]| String::from_utf8_lossy(value).into_owned();
        match field {
            b"event" => self.event = Some(text(value)),
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(value);
                self.has_data = true;
            }
            b"id" if !value.contains(&0) => {
                self.last_id = (!value.is_empty()).then(|| text(value));
                self.id_set = true;
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                self.retry = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()).map(Duration::from_millis);
                self.reconnection = self.retry.or(self.reconnection);
            }
            _ => {}
        }
        None
    }
}

/// Writes one event: its name, id and retry time, then its data (a line per line of it, lines
/// ended by CRLF, LF or CR as the reader splits them), then the blank line that dispatches it.
/// A name or id cannot hold a line break, which would end its field: line breaks in them are
/// left out.
pub fn write_event(out: &mut Vec<u8>, event: Option<&str>, id: Option<&str>, retry: Option<Duration>, data: &str) {
    let field = |out: &mut Vec<u8>, name: &[u8], value: &[u8]| {
        out.extend_from_slice(name);
        out.extend_from_slice(value);
        out.push(b'\n');
    };
    let unbroken = |out: &mut Vec<u8>, name: &[u8], value: &str| match memchr::memchr2(b'\n', b'\r', value.as_bytes()) {
        None => field(out, name, value.as_bytes()),
        Some(_) => field(out, name, &value.bytes().filter(|b| *b != b'\n' && *b != b'\r').collect::<Vec<u8>>()),
    };
    if let Some(event) = event {
        unbroken(out, b"event: ", event);
    }
    if let Some(id) = id {
        unbroken(out, b"id: ", id);
    }
    if let Some(retry) = retry {
        field(out, b"retry: ", retry.as_millis().to_string().as_bytes());
    }
    let mut rest = data.as_bytes();
    while let Some(end) = memchr::memchr2(b'\n', b'\r', rest) {
        field(out, b"data: ", &rest[..end]);
        let crlf = rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n');
        rest = &rest[end + 1 + usize::from(crlf)..];
    }
    field(out, b"data: ", rest);
    out.push(b'\n');
}

/// An event as the JSON object of its fields, for a stream whose items are whole events (a
/// `oneOf` of event objects told apart by their `event`): `event`, `id` and `retry` (in
/// milliseconds) where the event has them (an id of its own, not one carried over), and `data`
/// as the JSON it holds, or as a string where it holds none or `as_text` asks (a string item
/// written as it is may read as a number).
pub fn event_object(frame: &Frame, as_text: bool) -> serde_json::Value {
    let data = match serde_json::from_str::<serde_json::Value>(&frame.data) {
        Ok(value) if !as_text => value,
        _ => serde_json::Value::String(frame.data.clone()),
    };
    let mut object = serde_json::Map::new();
    if let Some(event) = &frame.event {
        object.insert("event".into(), event.clone().into());
    }
    object.insert("data".into(), data);
    if let Some(id) = frame.id.as_ref().filter(|_| frame.id_set) {
        object.insert("id".into(), id.clone().into());
    }
    if let Some(retry) = frame.retry {
        object.insert("retry".into(), serde_json::Value::from(u64::try_from(retry.as_millis()).unwrap_or(u64::MAX)));
    }
    serde_json::Value::Object(object)
}

/// The fields of an event written as the JSON object `object` (an item that is a whole event):
/// its `data` a string as it is, anything else as JSON; `event` and `id` where they are strings,
/// `retry` where it is a number of milliseconds.
pub fn event_fields(object: serde_json::Value) -> Result<Frame, String> {
    let serde_json::Value::Object(mut object) = object else {
        return Err("a whole event is written from an object of its fields".into());
    };
    let text = |value: Option<serde_json::Value>| match value {
        Some(serde_json::Value::String(s)) => Some(s),
        _ => None,
    };
    let data = match object.remove("data") {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let retry = object.get("retry").and_then(serde_json::Value::as_u64).map(Duration::from_millis);
    let id = text(object.remove("id"));
    Ok(Frame { event: text(object.remove("event")), data, id_set: id.is_some(), id, retry })
}

/// A comment line: what keeps an idle stream's connection open.
pub const KEEP_ALIVE: &[u8] = b":\n\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_event_crosses_as_the_object_of_its_fields_and_back() {
        let frame = Frame { event: Some("tick".into()), data: "{\"n\":1}".into(), id: Some("3".into()), id_set: true, retry: Some(Duration::from_millis(20)) };
        let object = event_object(&frame, false);
        assert_eq!(object, serde_json::json!({"event": "tick", "data": {"n": 1}, "id": "3", "retry": 20}));
        assert_eq!(event_fields(object).unwrap(), frame);
        // Text data is written as it is, and read as a string when asked, even where it reads as JSON.
        let text = Frame { event: Some("note".into()), data: "123".into(), id: None, id_set: false, retry: None };
        assert_eq!(event_object(&text, true), serde_json::json!({"event": "note", "data": "123"}));
        assert_eq!(event_fields(serde_json::json!({"event": "note", "data": "123"})).unwrap(), text);
        assert!(event_fields(serde_json::json!([1])).is_err());
    }

    fn frames(chunks: &[&[u8]]) -> Vec<Frame> {
        let mut decoder = Decoder::new();
        let mut out = Vec::new();
        for chunk in chunks {
            decoder.feed(chunk);
            while let Some(frame) = decoder.next_frame() {
                out.push(frame);
            }
        }
        out
    }

    #[test]
    fn events_are_read_across_any_split_of_the_body() {
        let body = b"\xEF\xBB\xBF: hello\r\nevent: add\r\nid: 7\r\ndata: {\"a\":1}\r\n\r\ndata: x\rdata:y\r\rretry: 250\ndata\n\n";
        let whole = frames(&[body]);
        assert_eq!(whole.len(), 3);
        assert_eq!(whole[0], Frame { event: Some("add".into()), data: "{\"a\":1}".into(), id: Some("7".into()), id_set: true, retry: None });
        assert_eq!(whole[1], Frame { event: None, data: "x\ny".into(), id: Some("7".into()), id_set: false, retry: None });
        assert_eq!(whole[2], Frame { event: None, data: String::new(), id: Some("7".into()), id_set: false, retry: Some(Duration::from_millis(250)) });
        for split in 1..body.len() {
            assert_eq!(frames(&[&body[..split], &body[split..]]), whole, "split at {split}");
        }
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(frames(&bytes), whole);
    }

    #[test]
    fn an_unfinished_event_is_not_dispatched_and_empty_data_is_none() {
        assert!(frames(&[b"event: x\n\n", b"data: half"]).is_empty());
    }

    #[test]
    fn what_is_written_is_read_back() {
        let mut out = Vec::new();
        write_event(&mut out, Some("a\nb"), Some("1"), Some(Duration::from_secs(2)), "line one\nline two");
        write_event(&mut out, None, None, None, "");
        out.extend_from_slice(KEEP_ALIVE);
        let read = frames(&[&out]);
        assert_eq!(read[0], Frame { event: Some("ab".into()), data: "line one\nline two".into(), id: Some("1".into()), id_set: true, retry: Some(Duration::from_secs(2)) });
        assert_eq!(read[1].data, "");
        assert_eq!(read.len(), 2);
        // Data lines end at CRLF, LF or CR on both sides; what is not UTF-8 reads as U+FFFD.
        let mut out = Vec::new();
        write_event(&mut out, None, None, None, "a\r\nb\rc\nd");
        out.extend_from_slice(b"data: \xFF\n\n");
        let read = frames(&[&out]);
        assert_eq!(read[0].data, "a\nb\nc\nd");
        assert_eq!(read[1].data, "\u{FFFD}");
    }
}
