//! Operations on the wire: for every operation of a spec, seeded values for its parameters and
//! body go from the generated client to the generated server on loopback, and an answer at each
//! documented status comes back; the handler must receive what was sent, the client must hand
//! back what was answered as the documented variant, and every value is one the spec describes,
//! as the independent judge ([`crate::judge`]) reads the spec.
//!
//! The calls themselves are made by a harness the generator emits for the spec
//! (`generator::emit::harness::operations`); this module makes the cases and judges what the
//! harness reports.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use generator::emit::harness::operations;
use generator::ir::{Api, Operation, ParamLocation};
use serde_json::{json, Value};

use crate::judge::{difference, locate, validate};
use crate::roundtrip::brief;

mod carry;
mod cases;
mod mock;
pub(crate) mod stream;

pub use cases::Docs;

/// How one operation fared.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// Every case crossed and came back as sent, and the judge found nothing.
    Exact,
    /// Not exercised, and why.
    Skipped(String),
    /// What went wrong, one line per finding (the first few).
    Failed(Vec<String>),
}

/// One operation's outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `GET /pets/{id}`.
    pub label: String,
    /// How it fared.
    pub fate: Fate,
}

/// A spec's cases awaiting the harness.
pub struct Pending {
    /// The harness's crate name.
    pub harness: String,
    seed: u64,
    cases: Vec<cases::Made>,
    outcomes: Vec<Outcome>,
}

/// What the generator emitted for a spec, and where the harness goes.
pub struct Emitted<'a> {
    /// The API.
    pub api: &'a Api,
    /// The crate-name prefix.
    pub prefix: &'a str,
    /// The API's module.
    pub module: &'a str,
    /// The runtime's dependency keys.
    pub runtime: &'a str,
    /// The first line of each harness file.
    pub header: &'a str,
}

/// Writes the spec's operations harness into `ws` (beside the models, client and server crates
/// the caller writes) and makes the cases, seeded with `seed`, from `docs` (the spec as
/// published, in JSON Schema 2020-12 terms). Every operation's outcome as far as it is known
/// before the calls, and the cases to run, if any.
pub fn prepare(emitted: &Emitted<'_>, docs: &Docs, ws: &Path, seed: u64) -> Result<(Vec<Outcome>, Option<Pending>)> {
    let Emitted { api, prefix, module, runtime, header } = *emitted;
    let mut outcomes = Vec::new();
    let mut exercised = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let label = format!("{} {}", op.method.as_str(), op.path);
        if let Some(why) = operations::unsupported(api, op) {
            outcomes.push(Outcome { label, fate: Fate::Skipped(why) });
            continue;
        }
        // A stream beside another body is asked for in a case of its own.
        let streams = operations::answer_streams(api, op);
        let answers: Vec<cases::Asked> = (0..op.responses.len())
            .filter(|j| operations::answer_code(op, *j).is_some())
            .flat_map(|index| match &streams[index] {
                None => vec![cases::Asked { index, items: None }],
                Some(s) if s.beside => vec![cases::Asked { index, items: None }, cases::Asked { index, items: Some(stream::ITEMS) }],
                Some(s) => vec![cases::Asked { index, items: Some(if s.every { stream::ITEMS } else { 1 }) }],
            })
            .collect();
        if answers.is_empty() {
            outcomes.push(Outcome { label, fate: Fate::Skipped("no documented status to answer".into()) });
            continue;
        }
        exercised.push((index, answers));
        outcomes.push(Outcome { label, fate: Fate::Exact });
    }
    let (mut cases, problems) = cases::make(api, &exercised, docs, seed);
    // The mock is asked each operation once, with the first request made for it.
    let mocked: Vec<cases::Made> = exercised
        .iter()
        .filter_map(|(index, _)| cases.iter().find(|c| c.op == *index))
        .map(|c| {
            let mut input = c.input.clone();
            input["mock"] = Value::Bool(true);
            // The mock answers as it would anyone: the default body.
            input["stream"] = Value::Bool(false);
            cases::Made { op: c.op, input }
        })
        .collect();
    cases.extend(mocked);
    for (op, problem) in problems {
        fail(&mut outcomes, &api.operations[op], format!("(seed {seed}) {problem}"));
    }
    if cases.is_empty() {
        return Ok((outcomes, None));
    }
    crate::roundtrip::write_into(ws, &operations::files(prefix, module, runtime, header, api).map_err(|e| anyhow::anyhow!("{e}"))?, "")?;
    Ok((outcomes.clone(), Some(Pending { harness: operations::crate_name(prefix), seed, cases, outcomes })))
}

/// The status of response `j`, as the spec writes it.
fn status(op: &Operation, j: usize) -> String {
    match op.responses.get(j).map(|r| r.status) {
        Some(generator::ir::Status::Code(c)) => c.to_string(),
        Some(generator::ir::Status::Range(d)) => format!("{d}XX"),
        Some(generator::ir::Status::Default) => "default".into(),
        None => "?".into(),
    }
}

/// Runs the harness on the pending cases and judges what it reports; the outcome per operation.
pub fn run(exe: &Path, pending: Pending, api: &Api, docs: &Docs) -> Result<Vec<Outcome>> {
    let Pending { cases, mut outcomes, seed, .. } = pending;
    let mut input = String::new();
    for case in &cases {
        input.push_str(&case.input.to_string());
        input.push('\n');
    }
    let mut child = Command::new(exe).arg(seed.to_string()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().with_context(|| format!("running {}", exe.display()))?;
    let mut stdin = child.stdin.take().context("the harness's stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output()?;
    writer.join().map_err(|_| anyhow::anyhow!("writing to the harness panicked"))??;
    let reports: Vec<Value> = std::str::from_utf8(&out.stdout)?.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| json!({"error": format!("not JSON: {e}")}))).collect();
    if !out.status.success() || reports.len() != cases.len() {
        bail!("the operations harness answered {} of {} cases ({}): {}", reports.len(), cases.len(), out.status, String::from_utf8_lossy(&out.stderr));
    }
    // Every finding of every case, then one judge run over every value that crossed.
    let mut findings: Vec<(usize, String)> = Vec::new();
    let mut judged: Vec<Judged> = Vec::new();
    let mut plans: Vec<Option<Plan<'_>>> = api.operations.iter().map(|_| None).collect();
    for (case, report) in cases.iter().zip(&reports) {
        let op = &api.operations[case.op];
        let plan = plans[case.op].get_or_insert_with(|| Plan::of(api, op));
        inspect(op, plan, case, report, &mut findings, &mut judged);
    }
    for response in [false, true] {
        let doc = if response { &docs.response } else { &docs.request };
        let these: Vec<&Judged> = judged.iter().filter(|j| j.response == response).collect();
        let located: Vec<Option<String>> = these.iter().map(|j| locate(doc, &j.pointer)).collect();
        let verdicts = validate(doc, &these.iter().zip(&located).map(|(j, at)| (at.as_deref().unwrap_or(j.pointer.as_str()), &j.value)).collect::<Vec<_>>()).unwrap_or_else(|why| vec![Err(why); these.len()]);
        for (j, verdict) in these.iter().zip(verdicts) {
            if let Err(why) = verdict {
                findings.push((j.op, format!("{} is not what the spec describes ({why}): {}", j.what, brief(&j.value.to_string()))));
            }
        }
    }
    for (op, finding) in findings {
        fail(&mut outcomes, &api.operations[op], format!("(seed {seed}) {finding}"));
    }
    Ok(outcomes)
}

/// Records a finding against an operation (the first few of them).
fn fail(outcomes: &mut [Outcome], op: &Operation, finding: String) {
    let label = format!("{} {}", op.method.as_str(), op.path);
    if let Some(outcome) = outcomes.iter_mut().find(|o| o.label == label) {
        match &mut outcome.fate {
            Fate::Failed(lines) if lines.len() < 4 => lines.push(finding),
            Fate::Failed(_) => {}
            fate => *fate = Fate::Failed(vec![finding]),
        }
    }
}

/// A value that crossed the wire, for the judge.
pub(crate) struct Judged {
    op: usize,
    /// Its schema, as the generator points at it.
    pointer: String,
    /// Whether it travelled in an answer.
    response: bool,
    /// What it is, for a report.
    what: String,
    value: Value,
}

/// What judging an operation's cases reads of how its client calls it, worked out once per
/// operation: each of these builds the operation's whole client plan, and an operation has
/// several cases (one per answer, and the mock's).
pub(crate) struct Plan<'a> {
    /// The media types its request body can be sent in, with how each travels.
    media: Vec<(&'a generator::ir::Content, &'static str)>,
    /// Where its method is a login, the body properties it sends.
    login_sends: Option<Vec<String>>,
    /// Its answers, each with its stream where it streams.
    streams: Vec<Option<operations::StreamAnswer<'a>>>,
}

impl<'a> Plan<'a> {
    fn of(api: &'a Api, op: &'a Operation) -> Plan<'a> {
        Plan { media: operations::request_media(api, op), login_sends: operations::login_sends(api, op), streams: operations::answer_streams(api, op) }
    }
}

/// What one case's report shows: differences between what was sent and what arrived, and the
/// values the judge must see (operation, schema pointer, what it is, value).
fn inspect(op: &Operation, plan: &Plan<'_>, case: &cases::Made, report: &Value, findings: &mut Vec<(usize, String)>, judged: &mut Vec<Judged>) {
    if case.input["mock"] == Value::Bool(true) {
        mock::inspect(op, plan, case, report, findings, judged);
        return;
    }
    let i = case.op;
    let input = &case.input;
    let answer = input["answer"].as_u64().unwrap_or(u64::MAX) as usize;
    if let Some(error) = report.get("error").and_then(Value::as_str) {
        if let Some(failure) = report["seen"]["failure"].as_str() {
            findings.push((i, format!("the {} answer: {failure}", status(op, answer))));
            return;
        }
        let wire = &report["seen"]["wire"]["response"];
        findings.push((i, format!("{error} (answer {} was to be {}; the server said {} {})", status(op, answer), input["code"], wire["status"], brief(wire["body"].as_str().unwrap_or_default()))));
        return;
    }
    let (sent, received) = (&report["sent"], &report["seen"]["received"]);
    // No handler ran: the server answered by itself (a request it refused, a route it did not
    // match) at a status the spec documents, so the client handed it back as a variant. What a
    // handler would have received is not known: every parameter would seem to arrive as null.
    if received.is_null() {
        let wire = &report["seen"]["wire"]["response"];
        let asked = match (status(op, answer), input["code"].to_string()) {
            (documented, code) if documented == code => code,
            (documented, code) => format!("{documented} as {code}"),
        };
        let target = report["seen"]["wire"]["request"]["target"].as_str().unwrap_or_default();
        findings.push((i, format!("the server answered {} {} by itself, calling no handler (the case asked for {asked}; the request was {})", wire["status"], brief(wire["body"].as_str().unwrap_or_default()), brief(target))));
        return;
    }
    for p in &op.params {
        let key = p.name.as_str();
        let generated = input["params"].get(key).unwrap_or(&Value::Null);
        if let Some(at) = difference(generated, &sent[key], String::new()) {
            findings.push((i, format!("parameter `{}` changes in the model: made {} at `{at}`, sent {}", p.wire_name, brief(&generated.to_string()), brief(&sent[key].to_string()))));
        }
        if let Some(at) = difference(&sent[key], &received[key], String::new()) {
            findings.push((i, format!("parameter `{}` ({}) sent {} arrived as {} (at `{at}`)", p.wire_name, location(p.location), brief(&sent[key].to_string()), brief(&received[key].to_string()))));
        }
        if let (Some(pointer), false) = (&p.schema, received[key].is_null()) {
            judged.push(Judged { op: i, pointer: pointer.clone(), response: false, what: format!("parameter `{}` as the server read it", p.wire_name), value: received[key].clone() });
        }
    }
    let media = input["media"].as_u64().and_then(|m| plan.media.get(m as usize).copied());
    if let Some((content, kind)) = media {
        // A login's method sends the required properties alone, from its arguments.
        let made = match (&plan.login_sends, &input["body"]) {
            (Some(sent), Value::Object(made)) => Value::Object(made.iter().filter(|(k, _)| sent.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect()),
            _ => input["body"].clone(),
        };
        if let Some(at) = difference(&made, &sent["body"], String::new()) {
            findings.push((i, format!("the request body changes in the model at `{at}`: made {}, sent {}", shown(&made, &at), shown(&sent["body"], &at))));
        }
        if let Some(at) = difference(&sent["body"], &received["body"], String::new()) {
            findings.push((i, format!("the request body sent differs from the body received at `{at}`: {} against {}", shown(&sent["body"], &at), shown(&received["body"], &at))));
        }
        let request = &report["seen"]["wire"]["request"];
        let labelled = request["content_type"].as_str().unwrap_or_default();
        if !labelled.to_ascii_lowercase().starts_with(&content.media_type.to_ascii_lowercase()) {
            findings.push((i, format!("the request body was sent as `{labelled}`, not as `{}`", content.media_type)));
        }
        let wire = request["body"].as_str().unwrap_or_default();
        // A streamed body's items on the wire are judged one by one.
        let on_wire = match content.sequence.filter(|_| kind == "stream") {
            Some(framing) => stream::items(framing, stream::Read::of(content), wire).map(|items| items.into_iter().enumerate().map(|(k, v)| (format!("item {k} of the request body on the wire"), v)).collect()),
            None => on_the_wire(kind, wire, &received["body"]).map(|v| vec![("the request body on the wire".to_owned(), v)]),
        };
        match (on_wire, &content.schema) {
            (Ok(values), Some(pointer)) => judged.extend(values.into_iter().map(|(what, value)| Judged { op: i, pointer: pointer.clone(), response: false, what: format!("{what} ({})", content.media_type), value })),
            (Err(e), _) => findings.push((i, format!("the request body on the wire is not {} ({e}): {}", content.media_type, brief(wire)))),
            _ => {}
        }
    }
    let returned = &report["returned"];
    let got = returned["answer"].as_u64().unwrap_or(u64::MAX) as usize;
    if got != answer {
        findings.push((i, format!("the server answered {} as status {}; the client handed it back as {}", status(op, answer), input["code"], status(op, got))));
        return;
    }
    let answered = &report["seen"]["answered"];
    let response = &op.responses[answer];
    let streamed = if input["stream"] == Value::Bool(true) { plan.streams.get(answer).and_then(Option::as_ref) } else { None };
    if let Some(s) = &streamed {
        stream::inspect(i, &format!("the {} stream", status(op, answer)), s, input, report, findings, judged);
    } else if let Some(at) = difference(&input["answer_body"], &answered["body"], String::new()) {
        findings.push((i, format!("the {} answer changes in the model at `{at}`: made {}, answered {}", status(op, answer), shown(&input["answer_body"], &at), shown(&answered["body"], &at))));
    }
    // A HEAD answer has no body on the wire (the server leaves it out, the client reads none).
    let head = op.method == generator::ir::Method::Head;
    if let Some(at) = difference(&answered["body"], &returned["body"], String::new()).filter(|_| !head && streamed.is_none()) {
        findings.push((i, format!("the {} answer the server gave differs from what the client handed back at `{at}`: {} against {}", status(op, answer), shown(&answered["body"], &at), shown(&returned["body"], &at))));
    }
    for h in &response.headers {
        let (a, r) = (&answered["headers"][h.name.as_str()], &returned["headers"][h.name.as_str()]);
        // What HTTP writes itself (`Content-Length`) is judged as the client read it, not compared.
        if difference(a, r, String::new()).is_some() && !operations::set_by_http(&h.wire_name) {
            findings.push((i, format!("response header `{}` answered {} came back as {}", h.wire_name, brief(&a.to_string()), brief(&r.to_string()))));
        }
        if let (Some(pointer), false) = (&h.schema, r.is_null()) {
            judged.push(Judged { op: i, pointer: pointer.clone(), response: true, what: format!("response header `{}` as the client read it", h.wire_name), value: r.clone() });
        }
    }
    let wire = report["seen"]["wire"]["response"]["body"].as_str().unwrap_or_default();
    if head {
        if !wire.is_empty() {
            findings.push((i, format!("the HEAD answer has a body on the wire: {}", brief(wire))));
        }
    } else if let (Some(pointer), Some(kind), None) = (operations::answer_content(response).and_then(|c| c.schema.as_deref()), operations::answer_kind(response), &streamed) {
        // A stream's items on the wire are judged one by one, above.
        match on_the_wire(kind, wire, &returned["body"]) {
            Ok(value) => judged.push(Judged { op: i, pointer: pointer.to_owned(), response: true, what: format!("the {} answer on the wire", status(op, answer)), value }),
            Err(e) => findings.push((i, format!("the {} answer on the wire is not {kind} ({e}): {}", status(op, answer), brief(wire)))),
        }
    }
}

/// The value a body of `kind` (as [`operations::request_media`] names kinds) is on the wire, for
/// the judge: JSON as it reads, text and bytes as the text they are. A form or multipart body
/// has no JSON of its own, and its text alone does not say which values were numbers: it is
/// judged as `decoded`, the value the other side read from it (compared with what was sent).
fn on_the_wire(kind: &str, wire: &str, decoded: &Value) -> Result<Value, String> {
    match kind {
        "json" => serde_json::from_str(wire).map_err(|e| e.to_string()),
        "text" | "binary" => Ok(Value::String(wire.to_owned())),
        _ => Ok(decoded.clone()),
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::QueryString => "querystring",
    }
}

/// The value at `at` in `v`, shown briefly.
fn shown(v: &Value, at: &str) -> String {
    v.pointer(at).map_or_else(|| "(absent)".to_owned(), |v| brief(&v.to_string()))
}

/// Why operations were not exercised, with how many of `outcomes` each reason stands for, most
/// frequent first: the report's line on what the round trip does not reach yet.
pub fn skipped_by_reason<'o>(outcomes: impl IntoIterator<Item = &'o Outcome>) -> Vec<(String, usize)> {
    let mut reasons: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for outcome in outcomes {
        if let Fate::Skipped(why) = &outcome.fate {
            *reasons.entry(why.clone()).or_default() += 1;
        }
    }
    let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    reasons
}
