//! Streamed answers on the wire: the items the handler answered must be the items the client
//! handed back, in order, and the items on the wire, read here by parsers of our own (not the
//! runtime's), each one the spec's item schema describes.

use generator::emit::harness::operations::StreamAnswer;
use generator::ir::Framing;
use serde_json::Value;

use super::Judged;
use crate::judge::difference;
use crate::roundtrip::brief;

/// Items a case streams where the client hands back every item.
pub(super) const ITEMS: usize = 3;

/// How the items of a stream are read from the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Each item as JSON.
    Json,
    /// An event's data as the text it is.
    Text,
    /// Each event whole: the object of its fields, `data` as JSON where it is a JSON object or
    /// array, else as text.
    Whole,
}

impl Read {
    /// How the items of `content` are read.
    pub(crate) fn of(content: &generator::ir::Content) -> Read {
        if content.whole_events {
            Read::Whole
        } else if generator::emit::harness::operations::stream_of_text(content) {
            Read::Text
        } else {
            Read::Json
        }
    }
}

/// The items of a body framed as `framing` (read as `how` says), as the standards read them:
/// server-sent events dispatched by a blank line (an event cut off by the end of the body is not
/// one), JSON Lines one a line, JSON text sequences each after a record separator and ended by a
/// line feed (RFC 7464).
pub(crate) fn items(framing: Framing, how: Read, wire: &str) -> Result<Vec<Value>, String> {
    let text = how == Read::Text;
    let read = |k: usize, item: &str| -> Result<Value, String> {
        if text {
            return Ok(Value::String(item.to_owned()));
        }
        serde_json::from_str(item).map_err(|e| format!("item {k} is not JSON ({e}): {}", brief(item)))
    };
    let mut items = Vec::new();
    match framing {
        Framing::EventStream => {
            let mut data: Option<String> = None;
            // The other fields of the event being read, for whole events.
            let mut fields = serde_json::Map::new();
            let normalised = wire.replace("\r\n", "\n").replace('\r', "\n");
            for line in normalised.split('\n') {
                if line.is_empty() {
                    if let Some(d) = data.take() {
                        let item = match how {
                            Read::Whole => {
                                let mut event = std::mem::take(&mut fields);
                                // Data that is a JSON object or array is read as JSON, any
                                // other as the text it is (`42` may be a line of text).
                                let data = serde_json::from_str(&d).ok().filter(|v: &Value| v.is_object() || v.is_array()).unwrap_or(Value::String(d));
                                event.insert("data".into(), data);
                                Value::Object(event)
                            }
                            _ => read(items.len(), &d)?,
                        };
                        items.push(item);
                    }
                    fields.clear();
                    continue;
                }
                if line.starts_with(':') {
                    continue;
                }
                let (field, value) = line.split_once(':').map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
                match field {
                    "data" => {
                        data = Some(match data {
                            Some(d) => format!("{d}\n{value}"),
                            None => value.to_owned(),
                        })
                    }
                    "event" | "id" => {
                        fields.insert(field.into(), Value::String(value.into()));
                    }
                    "retry" => {
                        if let Ok(ms) = value.parse::<u64>() {
                            fields.insert(field.into(), Value::from(ms));
                        }
                    }
                    _ => {}
                }
            }
        }
        Framing::JsonLines => {
            for line in wire.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).filter(|l| !l.trim().is_empty()) {
                items.push(read(items.len(), line)?);
            }
        }
        Framing::JsonSeq => {
            let mut records = wire.split('\u{1e}');
            if records.next().is_some_and(|before| !before.is_empty()) {
                return Err("the body does not begin with a record separator".into());
            }
            for record in records {
                let Some(json) = record.strip_suffix('\n') else {
                    return Err(format!("record {} is not ended by a line feed", items.len()));
                };
                items.push(read(items.len(), json)?);
            }
        }
    }
    Ok(items)
}

/// What a case of operation `i` answering stream `s` (`what`, for a report) shows: the items
/// made, answered and handed back are the same list, the server did not wait in vain for the
/// client, and the items on the wire are those answered, each for the judge.
pub(super) fn inspect(i: usize, what: &str, s: &StreamAnswer<'_>, input: &Value, report: &Value, findings: &mut Vec<(usize, String)>, judged: &mut Vec<Judged>) {
    let (made, answered, returned) = (&input["answer_body"], &report["seen"]["answered"]["body"], &report["returned"]["body"]);
    if let Some(at) = difference(made, answered, String::new()) {
        findings.push((i, format!("{what} changes in the model at `{at}` (item, then place in it): made {}, answered {}", brief(&made.to_string()), brief(&answered.to_string()))));
    }
    if let Some(at) = difference(answered, returned, String::new()) {
        findings.push((i, format!("{what}'s items answered differ from the items the client handed back at `{at}` (item, then place in it): {} against {}", brief(&answered.to_string()), brief(&returned.to_string()))));
    }
    if let Some(late) = report["seen"]["late"].as_str() {
        findings.push((i, format!("{what}: {late}")));
    }
    wire_items(i, s, what, report, Some(answered), findings, judged);
}

/// Reads the items of stream `s` on the wire of `report` for the judge, and where `answered` is
/// given, holds them to it (the same items, in order); how many there are, if they read.
pub(super) fn wire_items(i: usize, s: &StreamAnswer<'_>, what: &str, report: &Value, answered: Option<&Value>, findings: &mut Vec<(usize, String)>, judged: &mut Vec<Judged>) -> Option<usize> {
    let wire = &report["seen"]["wire"]["response"];
    let labelled = wire["content_type"].as_str().unwrap_or_default();
    if !labelled.to_ascii_lowercase().starts_with(&s.content.media_type.to_ascii_lowercase()) {
        findings.push((i, format!("{what} was answered as `{labelled}`, not as `{}`", s.content.media_type)));
    }
    let body = wire["body"].as_str().unwrap_or_default();
    let items = match items(s.framing, Read::of(s.content), body) {
        Ok(items) => items,
        Err(e) => {
            findings.push((i, format!("{what} on the wire is not {} ({e}): {}", s.content.media_type, brief(body))));
            return None;
        }
    };
    let count = items.len();
    if let Some(answered) = answered {
        let on_wire = Value::Array(items.clone());
        if let Some(at) = difference(answered, &on_wire, String::new()) {
            findings.push((i, format!("{what}'s items answered differ from the items on the wire at `{at}`: {} against {}", brief(&answered.to_string()), brief(&on_wire.to_string()))));
        }
    }
    if let Some(pointer) = &s.content.schema {
        for (k, item) in items.into_iter().enumerate() {
            judged.push(Judged { op: i, pointer: pointer.clone(), response: true, what: format!("item {k} of {what} on the wire"), value: item });
        }
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn event_streams_are_read_as_the_standard_says() {
        let wire = ": keep-alive\r\ndata: {\"a\":1}\r\n\r\nevent: x\nid: 7\ndata:{\"a\":\ndata: 2}\n\nretry: 10\n\ndata: cut off";
        assert_eq!(items(Framing::EventStream, Read::Json, wire), Ok(vec![json!({"a": 1}), json!({"a": 2})]));
        assert_eq!(items(Framing::EventStream, Read::Text, "data: two\ndata:  lines\n\ndata:\n\n"), Ok(vec![json!("two\n lines"), json!("")]));
        assert!(items(Framing::EventStream, Read::Json, "data: {\n\n").is_err());
        assert_eq!(items(Framing::EventStream, Read::Whole, wire), Ok(vec![json!({"data": {"a": 1}}), json!({"event": "x", "id": "7", "data": {"a": 2}})]));
    }

    #[test]
    fn records_are_read_one_a_line_or_after_a_separator() {
        assert_eq!(items(Framing::JsonLines, Read::Json, "{\"a\":1}\r\n\n[2]\n"), Ok(vec![json!({"a": 1}), json!([2])]));
        assert_eq!(items(Framing::JsonSeq, Read::Json, "\u{1e}1\n\u{1e}\"x\"\n"), Ok(vec![json!(1), json!("x")]));
        assert!(items(Framing::JsonSeq, Read::Json, "1\n").is_err(), "no separator");
        assert!(items(Framing::JsonSeq, Read::Json, "\u{1e}1").is_err(), "no line feed");
    }
}
