//! The values of each case, made by the value generator from the spec as published and kept only
//! when the judge agrees they are what the spec describes: members of a `oneOf` that overlap, a
//! `not`, a pattern read loosely can give a value the spec does not admit, and such a value is
//! made again from another seed, for a few rounds at most. What still has no admitted value is
//! said, with the reason, rather than sent.

use generator::emit::harness::operations::{self, StreamAnswer};
use generator::ir::{Api, Operation, Response};
use generator_runtime::values::{Direction, Values};
use serde_json::{json, Map, Value};

use super::carry::{fields_carried, representable, Carrier};
use crate::judge::{locate, validate};

/// Cases sent per operation at least; an operation with more documented statuses gets one per status.
const MIN_CASES: usize = 2;

/// Rounds of making values again where the judge refused them.
const ROUNDS: u64 = 8;

/// The spec as published, as a validator reads it for requests and for answers.
pub struct Docs {
    /// For values in no direction (documented examples of schemas).
    pub plain: Value,
    /// For values a client sends.
    pub request: Value,
    /// For values a server answers.
    pub response: Value,
}

impl Docs {
    /// The documents the judge reads for `api`: the spec as published (`published`, overlays
    /// applied), with the schemas the generator reads at places the published text does not have
    /// grafted in from `loaded` (the spec as the generator bundled it), references that name
    /// nothing read as the generator reads them, in JSON Schema 2020-12
    /// terms, a discriminated `oneOf` read as an `anyOf`, and `required` as OpenAPI means it for
    /// `readOnly` and `writeOnly` properties in each direction.
    pub fn new(api: &Api, mut published: Value, loaded: &Value) -> Docs {
        let pointers = api.operations.iter().flat_map(|op| {
            let params = op.params.iter().filter_map(|p| p.schema.as_deref());
            let bodies = op.body.iter().flat_map(|b| &b.content).filter_map(|c| c.schema.as_deref());
            let answers = op.responses.iter().flat_map(|r| r.content.iter().filter_map(|c| c.schema.as_deref()).chain(r.headers.iter().filter_map(|h| h.schema.as_deref())));
            params.chain(bodies).chain(answers)
        });
        for pointer in pointers.chain(api.examples.iter().map(|e| e.schema.as_str())) {
            crate::judge::graft(&mut published, loaded, pointer);
        }
        crate::judge::dangling(&mut published, loaded);
        crate::judge::json_schema(&mut published);
        crate::judge::discriminated(&mut published);
        Docs { request: crate::judge::directed(&published, false), response: crate::judge::directed(&published, true), plain: published }
    }
}

/// Where a value goes in its case.
#[derive(Clone)]
enum Key {
    Param(usize),
    Body,
    Answer,
    /// Item `.0` of a streamed answer.
    Item(usize),
    /// Item `.0` of a streamed request body.
    BodyItem(usize),
    /// Header `.1` of response `.0`.
    Header(usize, usize),
}

/// The answer a case asks for: the response's index and, for a stream, how many items it sends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asked {
    pub index: usize,
    pub items: Option<usize>,
}

/// One value to make.
struct Slot {
    case: usize,
    op: usize,
    key: Key,
    pointer: String,
    response: bool,
    /// How a body travels (`form`, `multipart`, …) and which of the operation's media types it
    /// is, for a request body's slot.
    kind: Option<(&'static str, usize)>,
    value: Option<Value>,
    /// Why the last value made is not admitted, or could not be made.
    refused: Option<String>,
    done: bool,
}

/// One case as the harness reads it, and its operation.
pub(crate) struct Made {
    pub op: usize,
    pub input: Value,
}

/// Every case of `ops` (an operation's index and the answers it is to give), and what could not
/// be made, by operation.
pub(crate) fn make(api: &Api, ops: &[(usize, Vec<Asked>)], docs: &Docs, seed: u64) -> (Vec<Made>, Vec<(usize, String)>) {
    let mut cases: Vec<Made> = Vec::new();
    let mut slots: Vec<Slot> = Vec::new();
    let mut problems = Vec::new();
    for (index, answers) in ops {
        let op = &api.operations[*index];
        // Each case sends the body in the next media type the client offers, so each is sent; a
        // login's method sends its first alone.
        let mut medias = operations::request_media(api, op);
        if operations::login_sends(api, op).is_some() {
            medias.truncate(1);
        }
        let streams = operations::answer_streams(api, op);
        for n in 0..answers.len().max(MIN_CASES).max(medias.len()) {
            let Asked { index: answer, items } = answers[n % answers.len()];
            let case = cases.len();
            let media = (!medias.is_empty()).then(|| n % medias.len());
            let kind = media.map(|m| (medias[m].1, m));
            let mut slot = |key: Key, pointer: &str, response: bool| match locate(&docs.request, pointer) {
                Some(pointer) => {
                    let kind = matches!(key, Key::Body).then_some(kind).flatten();
                    slots.push(Slot { case, op: *index, key, pointer, response, kind, value: None, refused: None, done: false });
                    true
                }
                None => false,
            };
            let mut params = Map::new();
            for (k, p) in op.params.iter().enumerate() {
                // Optional parameters are sent in every other case, so both shapes are seen.
                if !p.required && (n + k) % 2 == 1 {
                    continue;
                }
                // One whose schema admits no value its encoding carries can only be left out (the
                // loader warns about it).
                if !p.required && generator::ir::carry::uncarried(api, op, p).is_some() {
                    continue;
                }
                match p.schema.as_deref() {
                    Some(pointer) => {
                        if !slot(Key::Param(k), pointer, false) {
                            problems.push((*index, format!("the schema of parameter `{}` (`{pointer}`) is not in the spec as published", p.wire_name)));
                        }
                    }
                    // A parameter without a schema is read as a string.
                    None => {
                        params.insert(p.name.clone(), json!(format!("v{n}")));
                    }
                }
            }
            // A streamed body is a list of items, each made from the schema of one; cases send
            // from one to three.
            let body_items = kind.filter(|(k, _)| *k == "stream").map(|_| 1 + n % super::stream::ITEMS);
            let mut body = Value::Null;
            if let Some(pointer) = media.and_then(|m| medias[m].0.schema.as_deref()) {
                let made = match body_items {
                    Some(count) => {
                        body = Value::Array(vec![Value::Null; count]);
                        (0..count).all(|k| slot(Key::BodyItem(k), pointer, false))
                    }
                    None => slot(Key::Body, pointer, false),
                };
                if !made {
                    problems.push((*index, format!("the body's schema `{pointer}` is not in the spec as published")));
                }
            }
            let response = &op.responses[answer];
            // A HEAD answer has no body to make.
            let head = op.method == generator::ir::Method::Head;
            // A stream's items are made one by one from the schema of one.
            let stream = items.and_then(|count| Some((count, streams[answer].as_ref()?)));
            let mut answer_body = if head { Value::Null } else { undescribed_answer(response, mix(seed, case as u64, key_number(&Key::Answer), 0)) };
            if let Some((count, s)) = stream {
                answer_body = Value::Array((0..count).map(|k| undescribed_item(s, mix(seed, case as u64, key_number(&Key::Item(k)), 0))).collect());
                for k in 0..count {
                    if let Some(pointer) = s.content.schema.as_deref() {
                        if !slot(Key::Item(k), pointer, true) {
                            problems.push((*index, format!("the schema of the stream's items `{pointer}` is not in the spec as published")));
                        }
                    }
                }
            } else if let Some(pointer) = operations::answer_content(response).and_then(|c| c.schema.as_deref()).filter(|_| !head) {
                if !slot(Key::Answer, pointer, true) {
                    problems.push((*index, format!("the answer's schema `{pointer}` is not in the spec as published")));
                }
            }
            // Headers HTTP writes itself are not the implementation's to answer.
            for (k, h) in response.headers.iter().enumerate().filter(|(_, h)| !operations::set_by_http(&h.wire_name)) {
                if let Some(pointer) = &h.schema {
                    slot(Key::Header(answer, k), pointer, true);
                }
            }
            cases.push(Made {
                op: *index,
                input: json!({"op": index, "params": params, "body": body, "media": media, "answer": answer, "code": operations::answer_code(op, answer), "answer_body": answer_body, "answer_headers": {}, "stream": stream.is_some()}),
            });
        }
    }
    for round in 0..ROUNDS {
        let pending: Vec<usize> = (0..slots.len()).filter(|i| !slots[*i].done).collect();
        if pending.is_empty() {
            break;
        }
        for &i in &pending {
            let slot = &mut slots[i];
            let op = &api.operations[slot.op];
            let doc = if slot.response { &docs.response } else { &docs.request };
            let slot_seed = mix(seed, slot.case as u64, key_number(&slot.key), round);
            match value(api, op, slot, doc, slot_seed) {
                Ok(v) => slot.value = Some(v),
                Err(why) => {
                    slot.value = None;
                    slot.refused = Some(why);
                }
            }
        }
        for response in [false, true] {
            let judged: Vec<usize> = pending.iter().copied().filter(|i| slots[*i].response == response && slots[*i].value.is_some()).collect();
            let doc = if response { &docs.response } else { &docs.request };
            let verdicts = match validate(doc, &judged.iter().map(|i| (slots[*i].pointer.as_str(), slots[*i].value.as_ref().unwrap_or(&Value::Null))).collect::<Vec<_>>()) {
                Ok(verdicts) => verdicts,
                Err(why) => vec![Err(why); judged.len()],
            };
            for (i, verdict) in judged.into_iter().zip(verdicts) {
                match verdict {
                    Ok(()) => slots[i].done = true,
                    Err(why) => slots[i].refused = Some(why),
                }
            }
        }
    }
    let mut failed = vec![false; cases.len()];
    for slot in &slots {
        let op = &api.operations[slot.op];
        let (case, value) = (&mut cases[slot.case].input, slot.value.clone().unwrap_or(Value::Null));
        match &slot.key {
            Key::Param(k) => case["params"][op.params[*k].name.as_str()] = value,
            Key::Body => case["body"] = value,
            Key::Answer => case["answer_body"] = value,
            Key::Item(k) => case["answer_body"][*k] = value,
            Key::BodyItem(k) => case["body"][*k] = value,
            Key::Header(answer, k) => case["answer_headers"][op.responses[*answer].headers[*k].name.as_str()] = value,
        }
        if !slot.done && !failed[slot.case] {
            failed[slot.case] = true;
            let what = describe(op, &slot.key, &cases[slot.case].input);
            problems.push((slot.op, format!("no value of {what} that the spec admits after {ROUNDS} tries: {}", slot.refused.as_deref().unwrap_or("none made"))));
        }
    }
    let kept = cases.into_iter().zip(failed).filter(|(_, f)| !f).map(|(c, _)| c).collect();
    (kept, problems)
}

/// The answer of `response` where its media type has no schema: nothing to make (`null`) for
/// JSON, which any value is, but text or bytes are any text, and `null` is neither (the server
/// types such an answer as a `String` or bytes). What the spec leaves undescribed has no schema
/// to judge it by, so the value is made from a plain string schema.
fn undescribed_answer(response: &Response, seed: u64) -> Value {
    let undescribed = operations::answer_content(response).is_some_and(|c| c.schema.is_none());
    match operations::answer_kind(response) {
        Some("text" | "binary") if undescribed => Values::new(&Value::Null, seed).direction(Direction::Response).value(&json!({"type": "string"})).unwrap_or_else(|_| json!("text")),
        _ => Value::Null,
    }
}

/// An item of stream `s` where its content has no schema: any text for an event's data (the
/// client reads it as a `String`), and a JSON string, which is any JSON, for a record.
fn undescribed_item(s: &StreamAnswer<'_>, seed: u64) -> Value {
    if s.content.schema.is_some() {
        return Value::Null;
    }
    Values::new(&Value::Null, seed).direction(Direction::Response).value(&json!({"type": "string"})).unwrap_or_else(|_| json!("text"))
}

/// What a slot holds, for a report.
fn describe(op: &Operation, key: &Key, case: &Value) -> String {
    match key {
        Key::Param(k) => format!("parameter `{}`", op.params[*k].wire_name),
        Key::Body => "the request body".into(),
        Key::Answer => format!("the answer at response {}", case["answer"]),
        Key::Item(k) => format!("item {k} of the stream at response {}", case["answer"]),
        Key::BodyItem(k) => format!("item {k} of the request body's stream"),
        Key::Header(answer, k) => format!("response header `{}`", op.responses[*answer].headers[*k].wire_name),
    }
}

/// One value for a slot; a parameter's or a response header's is made again until it can cross
/// the wire at all.
fn value(api: &Api, op: &Operation, slot: &Slot, doc: &Value, seed: u64) -> Result<Value, String> {
    let direction = if slot.response { Direction::Response } else { Direction::Request };
    let mut values = Values::new(doc, seed).direction(direction);
    if let (Key::Body, Some((kind @ ("form" | "multipart"), media))) = (&slot.key, slot.kind) {
        let content = operations::request_media(api, op).get(media).map(|m| m.0);
        for _ in 0..16 {
            let value = values.at(&slot.pointer).map_err(|e| e.why)?;
            if fields_carried(api, content, kind, &value) {
                return Ok(value);
            }
        }
        return Err(format!("no value that a {kind} body can carry"));
    }
    let (carrier, name) = match slot.key {
        Key::Param(k) => (Carrier::param(api, op, &op.params[k]), &op.params[k].wire_name),
        Key::Header(answer, k) => (Carrier::answer_header(api, &op.responses[answer].headers[k]), &op.responses[answer].headers[k].wire_name),
        Key::Body | Key::Answer | Key::Item(_) | Key::BodyItem(_) => return values.at(&slot.pointer).map_err(|e| e.why),
    };
    for _ in 0..16 {
        let value = values.at(&slot.pointer).map_err(|e| e.why)?;
        if representable(&carrier, &value) {
            return Ok(value);
        }
    }
    Err(format!("no value of `{name}` that its encoding can carry"))
}

fn key_number(key: &Key) -> u64 {
    match key {
        Key::Param(k) => 1 + *k as u64,
        Key::Body => 1 << 16,
        Key::Answer => 2 << 16,
        Key::Header(_, k) => (3 << 16) + *k as u64,
        Key::Item(k) => (4 << 16) + *k as u64,
        Key::BodyItem(k) => (5 << 16) + *k as u64,
    }
}

/// A seed for one slot and round from the run's seed (splitmix64's finaliser over the parts).
fn mix(seed: u64, case: u64, key: u64, round: u64) -> u64 {
    let mut z = seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ key.wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ round.wrapping_mul(0x94D0_49BB_1331_11EB);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use generator::ir::{Content, Status, TypeRef};

    use super::*;

    fn answer(media_type: &str, schema: Option<&str>) -> Response {
        let content = Content { media_type: media_type.into(), ty: schema.map(|_| TypeRef::String), nullable: false, constraints: Default::default(), encoding: Vec::new(), schema: schema.map(str::to_owned), examples: Vec::new(), sequence: None, whole_events: false };
        Response { status: Status::Code(200), doc: None, headers: Vec::new(), content: vec![content] }
    }

    /// apisetu.gov.in's certificates (`application/pdf`), quotes.rest's `application/xml`,
    /// Wolfram|Alpha's `text/plain`: no schema, and the server still answers text or bytes.
    #[test]
    fn an_undescribed_answer_of_text_or_bytes_is_text() {
        for media_type in ["application/pdf", "application/xml", "text/plain", "text/csv"] {
            assert!(undescribed_answer(&answer(media_type, None), 1).is_string(), "{media_type}");
        }
        assert_eq!(undescribed_answer(&answer("application/json", None), 1), Value::Null, "any JSON, `null` too");
        assert_eq!(undescribed_answer(&answer("text/plain", Some("/components/schemas/Text")), 1), Value::Null, "made from its schema");
    }
}
