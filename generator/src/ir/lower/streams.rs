//! Sequential media types (server-sent events, JSON Lines, JSON text sequences) read into one
//! notion, [`Framing`] on a content whose type is one item's.
//!
//! Real specs describe a `text/event-stream` answer two ways, and 3.2 a third:
//! - the media type's `schema` is one event's `data` (Hugging Face's Text Generation Inference);
//! - the `schema` is the whole event, an object of `event`, `data`, `id` and `retry` (Mistral's):
//!   the item is its `data`, the event's name travels beside it;
//! - 3.2's `itemSchema` (read by loading into `schema`), the event object, whose `data` is
//!   typed by `contentSchema` (loading reads that too);
//! - a `oneOf` (or `anyOf`) of event objects, each named by its `event` (the pattern the 3.2
//!   specification publishes for a stream of several kinds of event; OpenAI's assistant events):
//!   the item is then the whole event, its fields read from the event's (`whole_events`).
//!
//! For JSON Lines and JSON text sequences the schema is one record's.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::schema::SchemaView;
use super::Lowerer;
use crate::diag::push_pointer;
use crate::ir::{Framing, Operation};

/// The fields of a server-sent event: an object of these alone, `data` among them, is an event.
const EVENT_FIELDS: [&str; 4] = ["event", "data", "id", "retry"];

impl<'a> Lowerer<'a> {
    /// The schema of one item of a body framed as `framing` whose schema is `schema` (at
    /// `schema_at`), with its pointer: the event's `data` where the schema is one event object;
    /// the schema itself, and true, where it is a `oneOf` or `anyOf` of event objects (each item
    /// is then a whole event).
    pub(super) fn item_schema(&self, framing: Framing, schema: &'a ReferenceOr<Schema>, schema_at: &str) -> (SchemaView<'a>, String, bool) {
        let whole = (SchemaView::from(schema), schema_at.to_owned(), false);
        if framing != Framing::EventStream {
            return whole;
        }
        let Some((s, at)) = self.resolved(schema, schema_at) else { return whole };
        if let Some(data) = event_data(s) {
            return (SchemaView::from(data), push_pointer(&push_pointer(&at, "properties"), "data"), false);
        }
        let members = match &s.schema_kind {
            SchemaKind::OneOf { one_of } => one_of,
            SchemaKind::AnyOf { any_of } => any_of,
            _ => return whole,
        };
        let events = !members.is_empty() && members.iter().all(|m| self.resolved(m, &at).is_some_and(|(m, _)| event_data(m).is_some()));
        (whole.0, whole.1, events)
    }

    /// `schema` with its `$ref`s followed, and where it is; `None` where one does not resolve.
    fn resolved(&self, schema: &'a ReferenceOr<Schema>, schema_at: &str) -> Option<(&'a Schema, String)> {
        let (mut current, mut at) = (schema, schema_at.to_owned());
        // Aliases of aliases are followed a few steps; lowering itself rejects cycles.
        for _ in 0..8 {
            match current {
                ReferenceOr::Reference { reference } => (current, at) = self.component_schema(reference, &at).ok()?,
                ReferenceOr::Item(s) => return Some((s, at)),
            }
        }
        None
    }
}

/// The `data` property of an event object's schema: an object whose properties are the fields
/// of an event alone, `data` among them.
fn event_data(schema: &Schema) -> Option<&ReferenceOr<Box<Schema>>> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.properties,
        SchemaKind::Any(a) => &a.properties,
        _ => return None,
    };
    if !properties.keys().all(|k| EVENT_FIELDS.contains(&k.as_str())) {
        return None;
    }
    properties.get("data")
}

/// The name the client's method reading an operation's streamed answer is claimed from, where a
/// success status documents the stream beside another body: `<operation>_events` for
/// server-sent events, `<operation>_records` for JSON Lines and sequences.
pub(super) fn stream_method_base(op: &Operation) -> Option<String> {
    let beside = |r: &&crate::ir::Response| r.content.iter().any(|c| c.sequence.is_some()) && r.content.iter().any(|c| c.sequence.is_none());
    let success = op.responses.iter().filter(|r| r.status.is_success()).find(beside)?;
    let stream = success.content.iter().find_map(|c| c.sequence)?;
    Some(match stream {
        Framing::EventStream => format!("{}_events", op.name),
        Framing::JsonLines | Framing::JsonSeq => format!("{}_records", op.name),
    })
}
