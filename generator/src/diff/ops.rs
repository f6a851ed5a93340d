//! Operations compared: matched by method and path, then their parameters (by location and wire
//! name), request body and response bodies (by media type), responses (by status), response headers
//! (by name) and security. Also the API-wide parts: servers and security schemes.
//!
//! The side of every element here is known, so changes are judged on the spot. A named type behind
//! an element is only compared as a reference: what changed inside it is reported once, on the type.

use std::collections::{BTreeMap, BTreeSet};

use super::classify::{Breaks, Effect, Side};
use super::constraints;
use super::pair::{describe, Ctx, OpKey};
use super::report::{Change, ChangeKind, DocChange, ItemStatus, OperationChanges};
use crate::diag::{push_pointer, Location};
use crate::ir::{Api, Content, Header, Operation, Param, ParamLocation, SecurityKind, Status, TypeRef};

/// The changes of every operation of `old_ops` and `new_ops` (the two versions' operations, or
/// their webhooks when `flipped`), by path and method, and their documentation changes.
///
/// A webhook or callback is an operation the other way round: the API sends its request and the
/// subscriber answers. So with `flipped`, its request elements are judged as a response's and its
/// answers as a request's.
pub(crate) fn diff_operations(ctx: &Ctx<'_>, old_ops: &[Operation], new_ops: &[Operation], flipped: bool) -> (BTreeMap<OpKey, OperationChanges>, Vec<DocChange>) {
    let key = |op: &Operation| -> OpKey { (op.path.clone(), op.method.clone()) };
    let old: BTreeMap<OpKey, &Operation> = old_ops.iter().map(|o| (key(o), o)).collect();
    let new: BTreeMap<OpKey, &Operation> = new_ops.iter().map(|o| (key(o), o)).collect();
    let renamed = renamed_paths(&old, &new);
    let keys: BTreeSet<&OpKey> = old.keys().filter(|k| !renamed.contains_key(*k)).chain(new.keys()).collect();
    let mut operations = BTreeMap::new();
    let mut docs = Vec::new();
    for k in keys {
        // An operation whose path only renamed a parameter is the same operation.
        let was = renamed.iter().find(|(_, to)| *to == k).map(|(from, _)| from);
        let old_op = old.get(was.unwrap_or(k)).copied();
        let (status, changes, old_op, new_op) = match (old_op, new.get(k).copied()) {
            (Some(o), None) => {
                // Announced removals (deprecated, past their sunset, or never stable) are planned.
                let (planned, detail) = super::policy::removal(o, &ctx.today, flipped);
                let breaks = if planned.is_some() { Breaks::NONE } else { Breaks::CLIENTS };
                let mut change = whole(ChangeKind::OperationRemoved, &detail, breaks, Some(&o.location), None);
                change.planned = planned.is_some();
                (ItemStatus::Removed, vec![change], Some(o), None)
            }
            (None, Some(n)) => {
                let detail = if flipped { "added (servers must send it)" } else { "added (servers must implement it)" };
                let change = whole(ChangeKind::OperationAdded, detail, Breaks::SERVERS, None, Some(&n.location));
                (ItemStatus::Added, vec![change], None, Some(n))
            }
            (Some(o), Some(n)) => {
                let mut d = OpDiff { ctx, old: o, new: n, changes: Vec::new(), docs: Vec::new(), path_renames: path_renames(&o.path, &n.path), flipped };
                // A name that moved to another place (`/{a}/{b}` → `/{b}/{a}`) is no rename: the
                // value sent in each place now means the other parameter.
                let (old_names, new_names) = (path_names(&o.path), path_names(&n.path));
                let (moved, renamed): (Vec<_>, Vec<_>) = d.path_renames.clone().into_iter().partition(|(from, to)| old_names.contains(to) || new_names.contains(from));
                if !moved.is_empty() {
                    let names = moved.iter().map(|(from, to)| format!("`{from}` is now read as `{to}`")).collect::<Vec<_>>().join(", ");
                    let detail = format!("path parameters trade places (`{}` → `{}`): {names}; every call now means something else", o.path, n.path);
                    d.push(ChangeKind::PathParametersMoved, &El::new("path parameters", "parameters/path"), detail, Some(Side::Request), (Breaks::BOTH, Effect::TypeChanged));
                }
                for (from, to) in renamed {
                    let detail = format!("renamed `{to}` (`{}` → `{}`); the path on the wire is the same, generated argument names may follow", o.path, n.path);
                    d.push(ChangeKind::PathParameterRenamed, &El::new(format!("path parameter `{from}`"), format!("parameters/path/{from}")), detail, Some(Side::Request), (Breaks::NONE, Effect::Neutral));
                }
                d.compare();
                if !d.docs.is_empty() {
                    docs.push(DocChange { item: format!("`{} {}`", n.method.as_str(), n.path), what: d.docs, old: Some(o.location.clone()), new: Some(n.location.clone()) });
                }
                (ItemStatus::Changed, d.changes, Some(o), Some(n))
            }
            (None, None) => continue,
        };
        let entry = OperationChanges {
            method: k.1.clone(),
            path: k.0.clone(),
            status,
            old: old_op.map(|o| o.location.clone()),
            new: new_op.map(|o| o.location.clone()),
            changes,
            through_types: Vec::new(),
        };
        operations.insert(k.clone(), entry);
    }
    (operations, docs)
}

fn whole(kind: ChangeKind, detail: &str, breaks: Breaks, old: Option<&Location>, new: Option<&Location>) -> Change {
    Change { id: String::new(), element: String::new(), code: Effect::Neutral.code(kind), planned: false, kind, subject: "operation".into(), detail: detail.into(), sides: Vec::new(), breaks, old: old.cloned(), new: new.cloned() }
}

/// One operation in both versions, compared.
struct OpDiff<'c, 'a> {
    ctx: &'c Ctx<'a>,
    old: &'a Operation,
    new: &'a Operation,
    changes: Vec<Change>,
    docs: Vec<String>,
    /// Path parameters renamed between the versions: old name -> new name.
    path_renames: BTreeMap<String, String>,
    /// A webhook: the API sends the request, the subscriber the answers.
    flipped: bool,
}

/// A path template with its parameters' names left out: `/books/{}`.
fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push('{');
            }
            '}' => {
                in_param = false;
                shape.push('}');
            }
            _ if in_param => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// The parameter names of a path template, in order.
fn path_names(path: &str) -> Vec<String> {
    crate::ir::template_names(path).map(str::to_owned).collect()
}

/// Old name -> new name of each path parameter renamed between two templates of one shape.
fn path_renames(old: &str, new: &str) -> BTreeMap<String, String> {
    path_names(old).into_iter().zip(path_names(new)).filter(|(a, b)| a != b).collect()
}

/// Operations only in the old version paired with one only in the new whose path has the same
/// shape and method (`/books/{bookId}` and `/books/{id}`), where the pairing is unambiguous.
fn renamed_paths(old: &BTreeMap<OpKey, &Operation>, new: &BTreeMap<OpKey, &Operation>) -> BTreeMap<OpKey, OpKey> {
    let gone: Vec<&OpKey> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let came: Vec<&OpKey> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let shape = |k: &OpKey| (path_shape(&k.0), k.1.clone());
    let mut out = BTreeMap::new();
    for g in &gone {
        let matches: Vec<&&OpKey> = came.iter().filter(|c| shape(c) == shape(g)).collect();
        let rivals = gone.iter().filter(|o| shape(o) == shape(g)).count();
        if let ([only], 1) = (matches.as_slice(), rivals) {
            out.insert((*g).clone(), (**only).clone());
        }
    }
    out
}

impl OpDiff<'_, '_> {
    /// Adds a change that breaks `breaks` on the wire; whose generated code it breaks follows from
    /// `kind` and `effect` ([`Effect::code`]).
    fn push(&mut self, kind: ChangeKind, el: &El, detail: String, side: Option<Side>, judgement: (Breaks, Effect)) {
        let change = self.change(kind, el, detail, side, judgement);
        self.changes.push(change);
    }

    fn change(&self, kind: ChangeKind, el: &El, detail: String, side: Option<Side>, (breaks, effect): (Breaks, Effect)) -> Change {
        Change {
            id: String::new(),
            code: effect.code(kind),
            planned: false,
            element: el.key.clone(),
            kind,
            subject: el.text.clone(),
            detail,
            sides: side.into_iter().collect(),
            breaks,
            old: Some(self.old.location.clone()),
            new: Some(self.new.location.clone()),
        }
    }

    fn judged(&mut self, kind: ChangeKind, el: &El, detail: String, side: Side, effect: Effect) {
        let side = if self.flipped { side.flipped() } else { side };
        self.push(kind, el, detail, Some(side), (effect.on(side), effect));
    }

    fn doc(&mut self, what: String, old: &Option<String>, new: &Option<String>) {
        if old != new {
            self.docs.push(what);
        }
    }

    /// The operation's own servers: moved elsewhere (or to or from the API's), clients built
    /// before send it where it no longer is. A trailing slash is no change, as for the API's.
    fn own_servers(&mut self) {
        let urls = |op: &Operation| op.servers.iter().map(|s| s.url.trim_end_matches('/').to_owned()).collect::<Vec<_>>();
        let (old, new) = (urls(self.old), urls(self.new));
        if old == new {
            return;
        }
        let words = |urls: &[String]| if urls.is_empty() { "the API's servers".to_owned() } else { urls.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ") };
        let detail = format!("{} → {} (clients built before send it where it was)", words(&old), words(&new));
        self.push(ChangeKind::OperationServersChanged, &El::new("servers", "servers"), detail, None, (Breaks::CLIENTS, Effect::Neutral));
    }

    fn compare(&mut self) {
        let (old, new) = (self.old, self.new);
        let normalise = |s: &[Vec<String>]| s.iter().map(|alt| alt.iter().cloned().collect::<BTreeSet<_>>()).collect::<BTreeSet<_>>();
        let (old_security, new_security) = (normalise(&old.security), normalise(&new.security));
        if old_security != new_security {
            let detail = format!("{} → {}", security_words(&old_security), security_words(&new_security));
            self.push(ChangeKind::SecurityChanged, &El::new("security", "security"), detail, None, (security_breaks(&old_security, &new_security), Effect::Neutral));
        }
        self.own_servers();
        if old.deprecated != new.deprecated {
            let detail = if new.deprecated { "now deprecated" } else { "no longer deprecated" };
            self.push(ChangeKind::DeprecatedChanged, &El::operation(), detail.into(), None, (Breaks::NONE, Effect::Neutral));
        }
        if old.operation_id != new.operation_id {
            let show = |id: &Option<String>| id.as_ref().map_or_else(|| "none".to_owned(), |i| format!("`{i}`"));
            let detail = format!("operationId {} → {} (generated method names may follow)", show(&old.operation_id), show(&new.operation_id));
            self.push(ChangeKind::OperationIdChanged, &El::operation(), detail, None, (Breaks::NONE, Effect::Neutral));
        }
        self.doc("summary".into(), &old.summary, &new.summary);
        self.doc("description".into(), &old.description, &new.description);
        let tags = |op: &Operation| op.tags.iter().cloned().collect::<BTreeSet<_>>();
        if tags(old) != tags(new) {
            self.docs.push("tags".into());
        }
        self.params();
        self.body();
        self.responses();
    }

    fn params(&mut self) {
        let key = |p: &Param| {
            let name = if p.location == ParamLocation::Header { p.wire_name.to_ascii_lowercase() } else { p.wire_name.clone() };
            (p.location, name)
        };
        // An old path parameter is compared with the one that took its place.
        let old_key = |p: &Param| match (p.location, self.path_renames.get(&p.wire_name)) {
            (ParamLocation::Path, Some(to)) => (p.location, to.clone()),
            _ => key(p),
        };
        let old: BTreeMap<_, &Param> = self.old.params.iter().map(|p| (old_key(p), p)).collect();
        let new: BTreeMap<_, &Param> = self.new.params.iter().map(|p| (key(p), p)).collect();
        let keys: BTreeSet<_> = old.keys().chain(new.keys()).cloned().collect();
        for k in keys {
            let side = Side::Request;
            match (old.get(&k).copied(), new.get(&k).copied()) {
                (Some(p), None) => {
                    let subject = param_subject(p, &k.1);
                    if p.deprecated {
                        // Announced: callers were told to stop sending it, and a server that no
                        // longer reads it ignores it (an undeclared parameter is no error).
                        let detail = format!("removed after its deprecation (was {})", required_word(p.required));
                        let change = self.change(ChangeKind::ParameterRemoved, &subject, detail, Some(side), (Breaks::NONE, Effect::Removed));
                        self.changes.push(Change { planned: true, ..change });
                    } else {
                        self.judged(ChangeKind::ParameterRemoved, &subject, format!("removed (was {})", required_word(p.required)), side, Effect::Removed);
                    }
                }
                (None, Some(p)) => {
                    let subject = param_subject(p, &k.1);
                    let effect = if p.required { Effect::AddedRequired } else { Effect::AddedOptional };
                    self.judged(ChangeKind::ParameterAdded, &subject, format!("added, {}", required_word(p.required)), side, effect);
                }
                (Some(a), Some(b)) => {
                    let subject = param_subject(b, &k.1);
                    self.element(&subject, (&a.ty, &b.ty), (a.required, b.required), side);
                    self.nullable(&subject, a.nullable, b.nullable, side);
                    if let Some((detail, effect)) = constraints::compare(&a.constraints, &b.constraints) {
                        self.judged(ChangeKind::ConstraintsChanged, &subject, detail, side, effect);
                    }
                    if a.default != b.default {
                        self.judged(ChangeKind::DefaultChanged, &subject, default_words(&a.default, &b.default), side, Effect::DefaultChanged);
                    }
                    self.doc(format!("description of {}", subject.text), &a.doc, &b.doc);
                }
                (None, None) => {}
            }
        }
    }

    /// Whether an element (a parameter, a whole body) admits `null` changed.
    fn nullable(&mut self, subject: &El, was: bool, is: bool, side: Side) {
        if was != is {
            let (effect, detail) = if is { (Effect::BecameNullable, "may now be null") } else { (Effect::BecameNonNullable, "may no longer be null") };
            self.judged(ChangeKind::NullableChanged, subject, detail.into(), side, effect);
        }
    }

    /// Type and required-ness of a parameter or header present in both versions.
    fn element(&mut self, subject: &El, (a, b): (&TypeRef, &TypeRef), (was, is): (bool, bool), side: Side) {
        if !self.ctx.same(a, b) {
            self.judged(ChangeKind::TypeChanged, subject, format!("type {} → {}", describe(a), describe(b)), side, super::types::type_effect(self.ctx, a, b));
        }
        if was != is {
            let effect = if is { Effect::BecameRequired } else { Effect::BecameOptional };
            self.judged(ChangeKind::RequiredChanged, subject, format!("was {}, now {}", required_word(was), required_word(is)), side, effect);
        }
    }

    fn body(&mut self) {
        let side = Side::Request;
        let body = El::new("request body", "requestBody");
        match (&self.old.body, &self.new.body) {
            (Some(a), None) => {
                self.judged(ChangeKind::RequestBodyRemoved, &body, format!("removed (was {})", required_word(a.required)), side, Effect::Removed);
            }
            (None, Some(b)) => {
                let effect = if b.required { Effect::AddedRequired } else { Effect::AddedOptional };
                self.judged(ChangeKind::RequestBodyAdded, &body, format!("added, {}", required_word(b.required)), side, effect);
            }
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let effect = if b.required { Effect::BecameRequired } else { Effect::BecameOptional };
                    self.judged(ChangeKind::RequiredChanged, &body, format!("was {}, now {}", required_word(a.required), required_word(b.required)), side, effect);
                }
                self.content(&body, &a.content, &b.content, side);
                self.doc("description of the request body".into(), &a.doc, &b.doc);
            }
            (None, None) => {}
        }
    }

    fn content(&mut self, prefix: &El, old: &[Content], new: &[Content], side: Side) {
        fn by_type(c: &[Content]) -> BTreeMap<String, &Content> {
            c.iter().map(|c| (c.media_type.to_ascii_lowercase(), c)).collect()
        }
        let (old, new) = (by_type(old), by_type(new));
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for media_type in keys {
            let subject = prefix.child(format!("`{media_type}`"), &["content", media_type]);
            match (old.get(media_type), new.get(media_type)) {
                (Some(_), None) => self.judged(ChangeKind::MediaTypeRemoved, &subject, "media type removed".into(), side, Effect::Removed),
                // A server must read a new request media type; a new answer media type reaches only
                // clients that ask for it (`Accept`), which old ones do not.
                (None, Some(_)) => {
                    let effect = if side == Side::Response { Effect::AddedOptional } else { Effect::ValueAdded };
                    self.judged(ChangeKind::MediaTypeAdded, &subject, "media type added".into(), side, effect);
                }
                (Some(a), Some(b)) => {
                    // The body as a whole: `null` and the rules of its own schema (an array's
                    // `minItems`, a text's `maxLength`), beside what its type says.
                    self.nullable(&subject, a.nullable, b.nullable, side);
                    if let Some((detail, effect)) = constraints::compare(&a.constraints, &b.constraints) {
                        self.judged(ChangeKind::ConstraintsChanged, &subject, detail, side, effect);
                    }
                    let (a, b) = (a.ty.clone().unwrap_or(TypeRef::Any), b.ty.clone().unwrap_or(TypeRef::Any));
                    if !self.ctx.same(&a, &b) {
                        self.judged(ChangeKind::TypeChanged, &subject, format!("type {} → {}", describe(&a), describe(&b)), side, super::types::type_effect(self.ctx, &a, &b));
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn responses(&mut self) {
        let side = Side::Response;
        let old: BTreeMap<Status, _> = self.old.responses.iter().map(|r| (r.status, r)).collect();
        let new: BTreeMap<Status, _> = self.new.responses.iter().map(|r| (r.status, r)).collect();
        let keys: BTreeSet<Status> = old.keys().chain(new.keys()).copied().collect();
        for status in keys {
            let words = status_words(status);
            let subject = El::new(format!("response {words}"), format!("responses/{words}"));
            match (old.get(&status), new.get(&status)) {
                (Some(_), None) => self.judged(ChangeKind::ResponseRemoved, &subject, "no longer documented".into(), side, Effect::Removed),
                (None, Some(_)) => self.judged(ChangeKind::ResponseAdded, &subject, "newly documented".into(), side, Effect::ValueAdded),
                (Some(a), Some(b)) => {
                    self.content(&subject, &a.content, &b.content, side);
                    self.headers(&subject, &a.headers, &b.headers);
                    self.doc(format!("description of {}", subject.text), &a.doc, &b.doc);
                }
                (None, None) => {}
            }
        }
    }

    fn headers(&mut self, prefix: &El, old: &[Header], new: &[Header]) {
        let side = Side::Response;
        let by_name = |h: &[Header]| h.iter().map(|h| (h.wire_name.to_ascii_lowercase(), h.clone())).collect::<BTreeMap<_, _>>();
        let (old, new) = (by_name(old), by_name(new));
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for name in keys {
            match (old.get(name), new.get(name)) {
                (Some(h), None) => {
                    let subject = prefix.child(format!("header `{}`", h.wire_name), &["headers", name]);
                    self.judged(ChangeKind::HeaderRemoved, &subject, format!("removed (was {})", required_word(h.required)), side, Effect::Removed);
                }
                (None, Some(h)) => {
                    let subject = prefix.child(format!("header `{}`", h.wire_name), &["headers", name]);
                    let effect = if h.required { Effect::AddedRequired } else { Effect::AddedOptional };
                    self.judged(ChangeKind::HeaderAdded, &subject, format!("added, {}", required_word(h.required)), side, effect);
                }
                (Some(a), Some(b)) => {
                    let subject = prefix.child(format!("header `{}`", b.wire_name), &["headers", name]);
                    self.element(&subject, (&a.ty, &b.ty), (a.required, b.required), side);
                    self.doc(format!("description of {}", subject.text), &a.doc, &b.doc);
                }
                (None, None) => {}
            }
        }
    }
}

/// Changes to the API as a whole (servers, security schemes), and its documentation changes.
pub(crate) fn diff_api_wide(old: &Api, new: &Api) -> (Vec<Change>, Vec<String>) {
    let mut changes = Vec::new();
    let at = |api: &Api, pointer: &str| Some(Location { file: api.source.clone(), line: None, pointer: pointer.into() });
    // `https://api.example.com/v1` and `…/v1/` are one server: clients join the paths to either
    // the same way. A server is named in changes by its URL without the trailing slash.
    let servers = |api: &Api| api.servers.iter().map(|s| s.url.trim_end_matches('/').to_owned()).collect::<BTreeSet<String>>();
    let (old_servers, new_servers) = (servers(old), servers(new));
    for url in old_servers.difference(&new_servers) {
        changes.push(api_change(ChangeKind::ServerRemoved, El::new(format!("server `{url}`"), push_pointer("/servers", url)), "removed (clients configured with it must move)", Breaks::CLIENTS, at(old, "/servers"), at(new, "/servers")));
    }
    for url in new_servers.difference(&old_servers) {
        changes.push(api_change(ChangeKind::ServerAdded, El::new(format!("server `{url}`"), push_pointer("/servers", url)), "added", Breaks::NONE, at(old, "/servers"), at(new, "/servers")));
    }
    fn schemes(api: &Api) -> BTreeMap<&str, &crate::ir::SecurityScheme> {
        api.security_schemes.iter().map(|s| (s.name.as_str(), s)).collect()
    }
    let (old_schemes, new_schemes) = (schemes(old), schemes(new));
    let names: BTreeSet<&str> = old_schemes.keys().chain(new_schemes.keys()).copied().collect();
    let mut docs = Vec::new();
    for name in names {
        let pointer = push_pointer("/components/securitySchemes", name);
        let subject = El::new(format!("security scheme `{name}`"), pointer.clone());
        let (detail, breaks) = match (old_schemes.get(name), new_schemes.get(name)) {
            (Some(_), None) => ("removed (each operation that used it shows its own security change)".to_owned(), Breaks::NONE),
            (None, Some(_)) => ("added".to_owned(), Breaks::NONE),
            (Some(a), Some(b)) if a.kind != b.kind => (format!("{} → {} (credentials are sent differently)", scheme_words(&a.kind), scheme_words(&b.kind)), Breaks::BOTH),
            (Some(a), Some(b)) => {
                if a.description != b.description {
                    docs.push(format!("description of {}", subject.text));
                }
                continue;
            }
            (None, None) => continue,
        };
        let (was, now) = (old_schemes.contains_key(name), new_schemes.contains_key(name));
        let (old_at, new_at) = (if was { at(old, &pointer) } else { None }, if now { at(new, &pointer) } else { None });
        changes.push(api_change(ChangeKind::SecuritySchemeChanged, subject, &detail, breaks, old_at, new_at));
    }
    for (what, a, b) in [("title", Some(&old.title), Some(&new.title)), ("version", Some(&old.version), Some(&new.version)), ("description", old.description.as_ref(), new.description.as_ref())] {
        if a != b {
            docs.push(what.to_owned());
        }
    }
    let tags = |api: &Api| api.tags.iter().map(|t| (t.name.clone(), (t.display_name.clone(), t.description.clone()))).collect::<BTreeMap<_, _>>();
    let (old_tags, new_tags) = (tags(old), tags(new));
    for name in old_tags.keys().chain(new_tags.keys()).collect::<BTreeSet<_>>() {
        match (old_tags.get(name), new_tags.get(name)) {
            (Some(_), None) => docs.push(format!("tag `{name}` removed")),
            (None, Some(_)) => docs.push(format!("tag `{name}` added")),
            (Some(a), Some(b)) if a != b => docs.push(format!("description of tag `{name}`")),
            _ => {}
        }
    }
    (changes, docs)
}

fn api_change(kind: ChangeKind, el: El, detail: &str, breaks: Breaks, old: Option<Location>, new: Option<Location>) -> Change {
    Change { id: String::new(), element: el.key, code: Breaks::NONE, planned: false, kind, subject: el.text, detail: detail.into(), sides: Vec::new(), breaks, old, new }
}

/// An element of an operation or of the API: its name in the report, and its key in change ids
/// (a JSON-pointer-like path from the operation, or a pointer from the document's root for the
/// API-wide parts), which no rewording of the report changes.
#[derive(Debug, Clone)]
struct El {
    text: String,
    key: String,
}

impl El {
    fn new(text: impl Into<String>, key: impl Into<String>) -> El {
        El { text: text.into(), key: key.into() }
    }

    /// The operation as a whole.
    fn operation() -> El {
        El::new("operation", "")
    }

    /// A part of this element: `text` after this one's, `segments` after its key (escaped as a
    /// JSON pointer's).
    fn child(&self, text: String, segments: &[&str]) -> El {
        El { text: format!("{} {text}", self.text), key: segments.iter().fold(self.key.clone(), |key, s| push_pointer(&key, s)) }
    }
}

fn param_subject(p: &Param, name: &str) -> El {
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::QueryString => "querystring",
    };
    El::new(format!("{location} parameter `{}`", p.wire_name), format!("parameters/{location}/{}", name.replace('~', "~0").replace('/', "~1")))
}

pub(crate) fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

pub(crate) fn default_words(old: &Option<serde_json::Value>, new: &Option<serde_json::Value>) -> String {
    let show = |v: &Option<serde_json::Value>| v.as_ref().map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
    format!("default {} → {}", show(old), show(new))
}

fn status_words(status: Status) -> String {
    match status {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "default".into(),
    }
}

fn scheme_words(kind: &SecurityKind) -> String {
    match kind {
        SecurityKind::Basic => "HTTP Basic".into(),
        SecurityKind::Bearer => "HTTP bearer token".into(),
        SecurityKind::HttpOther(scheme) => format!("HTTP `{scheme}`"),
        SecurityKind::ApiKey { location, name } => format!("API key in {location} `{name}`"),
        SecurityKind::OAuth2 => "OAuth 2".into(),
    }
}

/// Security requirements are alternatives: a client meets one of them. One removed breaks the
/// clients that used it; one added breaks servers, which must now accept it. No requirement at all
/// is the anonymous alternative.
fn security_breaks(old: &BTreeSet<BTreeSet<String>>, new: &BTreeSet<BTreeSet<String>>) -> Breaks {
    let anonymous = || BTreeSet::from([BTreeSet::new()]);
    let (old, new) = (if old.is_empty() { anonymous() } else { old.clone() }, if new.is_empty() { anonymous() } else { new.clone() });
    Breaks { clients: old.difference(&new).next().is_some(), servers: new.difference(&old).next().is_some() }
}

fn security_words(requirements: &BTreeSet<BTreeSet<String>>) -> String {
    if requirements.is_empty() {
        return "none".into();
    }
    let alternative = |alt: &BTreeSet<String>| {
        if alt.is_empty() {
            "anonymous".to_owned()
        } else {
            alt.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" and ")
        }
    };
    requirements.iter().map(alternative).collect::<Vec<_>>().join(" or ")
}
