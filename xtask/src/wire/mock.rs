//! The server's mock, asked each operation once with a request the spec admits (the first made
//! for it): it must answer at its default status (the lowest documented success, else `default`)
//! or, for an operation needing credentials the caller may not carry, its documented 401; with
//! a body and headers the judge admits. The mock answers from the spec alone, so no value is
//! compared: what it says is judged.

use generator::emit::harness::operations;
use generator::ir::{Operation, Status};
use serde_json::Value;

use super::{cases, on_the_wire, status, Judged};
use crate::roundtrip::brief;

/// The answer the mock gives a request that asks for nothing: the lowest documented 2xx (a
/// range counts as its first code), else `default`, else the first documented.
fn default_answer(op: &Operation) -> Option<usize> {
    let success = |s: Status| match s {
        Status::Code(c) if (200..300).contains(&c) => Some(c),
        Status::Range(2) => Some(200),
        _ => None,
    };
    let lowest = op.responses.iter().enumerate().filter_map(|(i, r)| success(r.status).map(|c| (c, i))).min().map(|(_, i)| i);
    lowest.or_else(|| op.responses.iter().position(|r| r.status == Status::Default)).or((!op.responses.is_empty()).then_some(0))
}

/// What the mock's answer to `case` shows: findings, and the values the judge must see.
pub(super) fn inspect(op: &Operation, plan: &super::Plan<'_>, case: &cases::Made, report: &Value, findings: &mut Vec<(usize, String)>, judged: &mut Vec<Judged>) {
    let i = case.op;
    let wire = &report["seen"]["wire"]["response"];
    if let Some(error) = report.get("error").and_then(Value::as_str) {
        findings.push((i, format!("the mock: {error} (it said {} {})", wire["status"], brief(wire["body"].as_str().unwrap_or_default()))));
        return;
    }
    let got = report["returned"]["answer"].as_u64().unwrap_or(u64::MAX) as usize;
    let Some(response) = op.responses.get(got) else {
        findings.push((i, format!("the mock answered {}, which the client hands back as no documented answer", wire["status"])));
        return;
    };
    let expected = default_answer(op);
    let unauthorized = response.status == Status::Code(401) && !op.security.is_empty();
    if Some(got) != expected && !unauthorized {
        let target = report["seen"]["wire"]["request"]["target"].as_str().unwrap_or_default();
        let wanted = expected.map_or_else(|| "none".to_owned(), |e| status(op, e));
        findings.push((i, format!("the mock answered {} where its default is {wanted} (the request was {}): {}", status(op, got), brief(target), brief(wire["body"].as_str().unwrap_or_default()))));
        return;
    }
    let returned = &report["returned"];
    if response.status.is_success() {
        for h in &response.headers {
            let value = &returned["headers"][h.name.as_str()];
            if let (Some(pointer), false) = (&h.schema, value.is_null()) {
                judged.push(Judged { op: i, pointer: pointer.clone(), response: true, what: format!("the mock's response header `{}`", h.wire_name), value: value.clone() });
            }
        }
    }
    if op.method == generator::ir::Method::Head {
        return;
    }
    // A stream's items are judged one by one; the client hands back each (or the first alone).
    if let Some(s) = plan.streams.get(got).and_then(Option::as_ref).filter(|s| !s.beside) {
        let returned_items = returned["body"].as_array().map_or(0, Vec::len);
        let what = format!("the mock's {} stream", status(op, got));
        let on_wire = super::stream::wire_items(i, s, &what, report, None, findings, judged);
        if let Some(on_wire) = on_wire.filter(|n| s.every && *n != returned_items) {
            findings.push((i, format!("{what} has {on_wire} items on the wire; the client handed back {returned_items}")));
        }
        return;
    }
    let body = wire["body"].as_str().unwrap_or_default();
    if let (Some(pointer), Some(kind)) = (operations::answer_content(response).and_then(|c| c.schema.as_deref()), operations::answer_kind(response)) {
        match on_the_wire(kind, body, &returned["body"]) {
            Ok(value) => judged.push(Judged { op: i, pointer: pointer.to_owned(), response: true, what: format!("the mock's {} answer on the wire", status(op, got)), value }),
            Err(e) => findings.push((i, format!("the mock's {} answer on the wire is not {kind} ({e}): {}", status(op, got), brief(body)))),
        }
    }
}
