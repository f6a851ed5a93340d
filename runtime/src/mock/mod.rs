//! Answers made from the spec, for mock servers (feature `mock`).
//!
//! A generated server crate's `mock` feature implements every operation of its API with a
//! [`Mock`]: the operation's table ([`Operation`], written by the generator) says which answers the
//! spec documents, and the document the generator wrote beside it holds their schemas and
//! examples. An answer is picked as Prism picks it (the `Prefer` header, or `__code`,
//! `__example` and `__dynamic` in the query; else the lowest documented 2xx), its body is the
//! chosen documented example, else a value the [value generator](crate::values) makes of the
//! schema, and the generated code reads it into the operation's typed answer, so that a mock
//! answers only what its server's types can say. [`layer`] adds what a mock server does beyond
//! the spec: CORS, `Deprecation` and one log line per request.

mod serve;

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use crate::server::Context;
use crate::values::{Direction, Values};

pub use serve::{layer, serve, Log};

/// One operation as a mock answers it: what the generator knows of its answers.
#[derive(Debug)]
pub struct Operation {
    /// The operation's name (its method in the generated traits).
    pub name: &'static str,
    /// Its HTTP method, upper case.
    pub method: &'static str,
    /// Its path template.
    pub path: &'static str,
    /// Whether the spec deprecates it (answers carry `Deprecation: true`).
    pub deprecated: bool,
    /// Alternative sets of credentials it needs (any one set suffices); empty when none.
    pub security: &'static [&'static [Credential]],
    /// Its documented answers, in the order of the generated answer's variants.
    pub responses: &'static [Response],
}

/// Where a request carries a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A header (`authorization` for HTTP and OAuth schemes), lower case.
    Header(&'static str),
    /// A query parameter.
    Query(&'static str),
    /// A cookie.
    Cookie(&'static str),
}

/// A documented answer's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// A range (`4XX`): its first digit.
    Range(u16),
    /// `default`: any status no other answer documents.
    Default,
}

/// One documented answer of an operation.
#[derive(Debug)]
pub struct Response {
    /// Its status.
    pub status: Status,
    /// JSON pointer of its body's schema in the document, when it has a body the crate writes.
    pub schema: Option<&'static str>,
    /// Its body's documented examples, in spec order.
    pub examples: &'static [Example],
    /// Its documented headers.
    pub headers: &'static [Header],
    /// Where it answers a stream (as its body, or beside it for a request that asks for it), the
    /// stream's: `Some(None)` where the items have no schema (any text), else `Some(Some(pointer))`
    /// of one item's schema.
    pub stream: Option<Option<&'static str>>,
}

/// How many items a mock's stream answers: the body (a documented example where there is one)
/// and more made from the schema of one, so that a client reads a stream, not one value.
pub const STREAMED_ITEMS: usize = 3;

/// A documented example of an answer's body.
#[derive(Debug)]
pub struct Example {
    /// Its name under `examples`; `None` for the media type's `example`.
    pub name: Option<&'static str>,
    /// JSON pointer of its value in the document.
    pub at: &'static str,
}

/// A documented header of an answer.
#[derive(Debug)]
pub struct Header {
    /// Its name as the spec writes it.
    pub name: &'static str,
    /// JSON pointer of its schema in the document.
    pub schema: Option<&'static str>,
    /// Whether the spec says it is always sent.
    pub required: bool,
}

/// What a request asks of a mock: `Prefer: code=404, example=cat, dynamic=true`, or the same as
/// `__code`, `__example` and `__dynamic` query parameters (for clients that cannot set headers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preference {
    /// The status asked for.
    pub code: Option<u16>,
    /// The documented example asked for, by name.
    pub example: Option<String>,
    /// Values generated anew for this request rather than the documented example.
    pub dynamic: bool,
}

impl Preference {
    /// What the request of `context` asks for (the header wins over the query).
    pub fn of(context: &Context) -> Self {
        let mut preference = Preference::default();
        let query = context.uri().query().unwrap_or_default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            preference.set(key.strip_prefix("__").unwrap_or_default(), &value);
        }
        for value in context.headers().get_all("prefer").iter().filter_map(|v| v.to_str().ok()) {
            for item in value.split([',', ';']) {
                let (key, value) = item.split_once('=').unwrap_or((item, "true"));
                preference.set(key.trim(), value.trim().trim_matches('"'));
            }
        }
        preference
    }

    fn set(&mut self, key: &str, value: &str) {
        match key {
            "code" => self.code = value.parse().ok(),
            "example" => self.example = Some(value.to_owned()),
            "dynamic" => self.dynamic = value == "true",
            _ => {}
        }
    }
}

/// The answer a mock picked: which documented answer, at which status, with which body and
/// headers as JSON, for the generated code to read into its typed answer.
#[derive(Clone, Debug)]
pub struct Answer {
    index: usize,
    code: u16,
    body: Value,
    items: Vec<Value>,
    headers: Map<String, Value>,
}

impl Answer {
    /// The position of the documented answer among the operation's.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The status to answer (of a range or `default`, the one picked).
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The body, read as `T`.
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.body.clone()).map_err(|e| format!("the body does not read as its type: {e}"))
    }

    /// The items of a streamed answer ([`STREAMED_ITEMS`] of them), each read as `T`.
    pub fn items<T: serde::de::DeserializeOwned>(&self) -> Result<Vec<T>, String> {
        self.items.iter().enumerate().map(|(k, item)| serde_json::from_value(item.clone()).map_err(|e| format!("item {k} of the stream does not read as its type: {e}"))).collect()
    }

    /// The body as bytes: a string's text, anything else as JSON.
    pub fn bytes(&self) -> Vec<u8> {
        match &self.body {
            Value::String(text) => text.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        }
    }

    /// Header `name` (as the spec writes it), read as `T` (`None` for an optional one left out).
    pub fn header<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let value = self.headers.get(name).cloned().unwrap_or(Value::Null);
        serde_json::from_value(value).map_err(|e| format!("header `{name}` does not read as its type: {e}"))
    }

    /// Why an answer numbered so cannot be given (a table and its code out of step).
    pub fn unknown(&self) -> String {
        format!("no answer is numbered {}", self.index)
    }
}

/// How many answers are made anew before a mock gives up on one that reads as its type.
const ATTEMPTS: u64 = 8;

/// The answers of one API's operations, made from its document of schemas and examples.
#[derive(Debug)]
pub struct Mock {
    document: Value,
    operations: &'static [Operation],
    seed: u64,
    served: AtomicU64,
}

impl Mock {
    /// The mock of the operations in `operations`, whose schemas and examples are in `document`
    /// (JSON); values it makes come from `seed`.
    pub fn new(document: &str, operations: &'static [Operation], seed: u64) -> Self {
        // The generator wrote the document: it is JSON. Were it not, answers would be made of
        // no schema, and the typed answers would say so.
        let document = serde_json::from_str(document).unwrap_or(Value::Null);
        Mock { document, operations, seed, served: AtomicU64::new(0) }
    }

    /// The operations it answers.
    pub fn operations(&self) -> &'static [Operation] {
        self.operations
    }

    /// The answer to operation `op`'s request of `context`, read into its type by `read` (the
    /// generated code). A value that does not read is made anew from another seed, a few times;
    /// when none reads, the call panics and the server answers 500.
    pub fn answer<T>(&self, op: usize, context: &Context, read: impl Fn(&Answer) -> Result<T, String>) -> T {
        let Some(operation) = self.operations.get(op) else { panic!("no operation numbered {op}") };
        let mut preference = Preference::of(context);
        if !authorized(operation, context.headers(), context.uri()) {
            // The documented 401, else its `4XX` or `default` at 401 (with none, the layer
            // refused the request before it came here).
            preference.code = Some(401);
        }
        let served = self.served.fetch_add(1, Ordering::Relaxed);
        let index = self.pick(operation, &preference);
        let mut why = String::from("it documents no answer");
        for attempt in 0..ATTEMPTS {
            let Some(index) = index else { break };
            // The same request gets the same answer unless it asks for a dynamic one.
            let seed = if preference.dynamic { self.seed ^ served.wrapping_mul(0x9e37_79b9_7f4a_7c15) } else { self.seed ^ ((op as u64) << 20) };
            let answer = self.make(operation, index, &preference, seed.wrapping_add(attempt), attempt > 0);
            match answer.and_then(|a| read(&a)) {
                Ok(typed) => return typed,
                Err(e) => why = e,
            }
        }
        panic!("the mock has no answer for `{}` that reads as its type: {why}", operation.name)
    }

    /// Which documented answer a request gets: the status it prefers (401 where credentials it
    /// needs are missing), where documented; else the lowest 2xx.
    fn pick(&self, operation: &Operation, preference: &Preference) -> Option<usize> {
        let responses = operation.responses;
        let of_code = |code: u16| {
            let exact = responses.iter().position(|r| r.status == Status::Code(code));
            let range = || responses.iter().position(|r| r.status == Status::Range(code / 100));
            exact.or_else(range).or_else(|| responses.iter().position(|r| r.status == Status::Default && !documented(responses, code)))
        };
        if let Some(index) = preference.code.and_then(of_code) {
            return Some(index);
        }
        let success = |r: &Response| match r.status {
            Status::Code(c) => (200..300).contains(&c).then_some(c),
            Status::Range(2) => Some(200),
            _ => None,
        };
        let lowest = responses.iter().enumerate().filter_map(|(i, r)| success(r).map(|c| (c, i))).min().map(|(_, i)| i);
        lowest.or_else(|| responses.iter().position(|r| r.status == Status::Default)).or((!responses.is_empty()).then_some(0))
    }

    /// Answer `index` of `operation`: its example (the one asked for, else the first) unless a
    /// dynamic value is asked for or `fresh`, else values made from `seed`.
    fn make(&self, operation: &Operation, index: usize, preference: &Preference, seed: u64, fresh: bool) -> Result<Answer, String> {
        let response = &operation.responses[index];
        let code = match response.status {
            Status::Code(c) => c,
            Status::Range(d) => preference.code.filter(|c| c / 100 == d).unwrap_or(d * 100),
            Status::Default => preference.code.filter(|c| (100..600).contains(c)).unwrap_or_else(|| free_code(operation.responses)),
        };
        let mut values = Values::new(&self.document, seed).direction(Direction::Response);
        let body = match response.schema {
            // A body the spec gives no schema (or none at all): any text, which reads as a text
            // or bytes body and as untyped JSON alike.
            None => values.value(&serde_json::json!({"type": "string"})).unwrap_or_default(),
            Some(schema) => {
                let asked = preference.example.as_deref();
                let example = response.examples.iter().find(|e| asked.is_some() && e.name == asked).or_else(|| response.examples.first());
                match example.and_then(|e| self.document.pointer(e.at)).filter(|_| !preference.dynamic && !fresh) {
                    Some(value) => value.clone(),
                    None => values.at(schema).map_err(|e| format!("no value of the body's schema: {e}"))?,
                }
            }
        };
        // A stream's first item is the body where it is the stream's (the documented example).
        let mut items = Vec::new();
        if let Some(item_schema) = response.stream {
            for k in 0..STREAMED_ITEMS {
                let item = match item_schema {
                    _ if k == 0 && response.schema == item_schema => body.clone(),
                    Some(schema) => values.at(schema).map_err(|e| format!("no value of the stream's item schema: {e}"))?,
                    None => values.value(&serde_json::json!({"type": "string"})).unwrap_or_default(),
                };
                items.push(item);
            }
        }
        let mut headers = Map::new();
        for header in response.headers {
            let Some(schema) = header.schema else { continue };
            match values.at(schema) {
                Ok(value) => {
                    headers.insert(header.name.to_owned(), value);
                }
                Err(e) if header.required => return Err(format!("no value of header `{}`: {e}", header.name)),
                Err(_) => {}
            }
        }
        Ok(Answer { index, code, body, items, headers })
    }
}

/// Whether a request lacking the credentials `operation` needs can be answered as the spec
/// documents (a `401`, `4XX` or `default` answer); when not, the mock refuses it with an
/// undocumented 401 rather than answer it as if it were authorized.
fn refused_undocumented(operation: &Operation, headers: &axum::http::HeaderMap, uri: &axum::http::Uri) -> bool {
    let documented = operation.responses.iter().any(|r| matches!(r.status, Status::Code(401) | Status::Range(4) | Status::Default));
    !documented && !authorized(operation, headers, uri)
}

/// Whether another answer than `default` documents `code`.
fn documented(responses: &[Response], code: u16) -> bool {
    responses.iter().any(|r| r.status == Status::Code(code) || r.status == Status::Range(code / 100))
}

/// The status a `default` answer takes: the first of 500, 501, … then 400, … no other answer
/// documents.
fn free_code(responses: &[Response]) -> u16 {
    (500..600).chain(400..500).find(|c| !documented(responses, *c)).unwrap_or(500)
}

/// Whether the request carries every credential of one of the operation's alternatives.
fn authorized(operation: &Operation, headers: &axum::http::HeaderMap, uri: &axum::http::Uri) -> bool {
    if operation.security.is_empty() || operation.security.iter().any(|set| set.is_empty()) {
        return true;
    }
    let query = uri.query().unwrap_or_default();
    let cookies: Vec<&str> = headers.get_all("cookie").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).collect();
    let carried = |credential: &Credential| match credential {
        Credential::Header(name) => headers.contains_key(*name),
        Credential::Query(name) => url::form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == *name),
        Credential::Cookie(name) => cookies.iter().any(|c| c.trim().split_once('=').is_some_and(|(k, _)| k == *name)),
    };
    operation.security.iter().any(|set| set.iter().all(carried))
}

#[cfg(test)]
mod tests;
