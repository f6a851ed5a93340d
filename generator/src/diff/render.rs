//! The report as Markdown for a pull-request comment, and as JSON for tools.
//!
//! The Markdown is written for someone who has never seen the generator's IR: a summary line with
//! the counts, then one section per operation and per type, each change one bullet saying whom it
//! breaks, what changed, and where it is in the old and new spec (`file:line`).

use std::fmt::Write;

use super::code::{CodeChangeKind, CodeDiff};
use super::report::{ApiChanges, Change, ItemStatus, OperationChanges, Report, TypeChanges};
use super::DiffError;
use crate::diag::Location;

impl Report {
    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let list = |files: &[String]| if files.is_empty() { "nothing".to_owned() } else { files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ") };
        let _ = writeln!(out, "## API changes: {} → {}\n", list(&self.old), list(&self.new));
        let s = &self.summary;
        let _ = writeln!(
            out,
            "**{} breaking for clients · {} breaking for servers · {} non-breaking** on the wire; {} breaking code against the generated crates{} ({} documentation change{})\n",
            s.breaking_for_clients,
            s.breaking_for_servers,
            s.non_breaking,
            s.breaking_code,
            if s.planned > 0 { format!(", {} planned removal{}", s.planned, if s.planned == 1 { "" } else { "s" }) } else { String::new() },
            s.documentation,
            if s.documentation == 1 { "" } else { "s" }
        );
        if self.apis.is_empty() {
            out.push_str("No changes to the API.\n");
        } else {
            out.push_str(
                "*Clients* are code that calls the API (for example through the generated client); *servers* are code that \
                 implements it. Each change says whom it breaks on the wire (calls or answers that worked stop working), whose \
                 code against the generated crates it breaks (an item it names is gone or has another type), and where it is in \
                 the old and new spec. A change inside a shared type is listed once, under the type, with every operation that \
                 reaches it.\n",
            );
        }
        let several = self.apis.len() > 1;
        for api in &self.apis {
            write_api(&mut out, api, several);
        }
        if let Some(code) = &self.code {
            write_code(&mut out, code);
        }
        out
    }

    /// The report as GitHub workflow commands, one per change: `::error` for a breaking change,
    /// `::warning` for a newly deprecated operation, `::notice` for the rest, each on the spec line
    /// of the change (the new spec's, or the old one's for what is gone) and titled with its id, so
    /// a pull request shows it on that line. Changes `ignored` accepts are notices saying why.
    pub fn to_github(&self, ignored: &super::Ignored) -> String {
        let mut out = String::new();
        for change in self.changes() {
            let reason = ignored.entries.iter().find(|(id, _)| *id == change.id).map(|(_, r)| r.as_str());
            let level = match reason {
                Some(_) => "notice",
                None if change.breaks.any() => "error",
                None if change.code.any() || super::FailOn::Deprecations.fails_on(change) => "warning",
                None => "notice",
            };
            let mut properties = Vec::new();
            if let Some(at) = change.new.as_ref().or(change.old.as_ref()) {
                properties.push(format!("file={}", github_property(&at.file)));
                if let Some(line) = at.line {
                    properties.push(format!("line={line}"));
                }
            }
            properties.push(format!("title={}", github_property(&change.id)));
            let accepted = reason.map(|r| format!(" (accepted: {r})")).unwrap_or_default();
            let message = format!("{}: {} {}{accepted}", judgement(change), change.subject, change.detail);
            let _ = writeln!(out, "::{level} {}::{}", properties.join(","), github_data(&message));
        }
        out
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String, DiffError> {
        Ok(serde_json::to_string_pretty(self)?)
    }
}

fn write_api(out: &mut String, api: &ApiChanges, several: bool) {
    let of = if several { format!(" of module `{}`", api.module) } else { String::new() };
    if !api.api.is_empty() {
        let _ = writeln!(out, "\n### The API as a whole{of}\n");
        for change in &api.api {
            write_change(out, change);
        }
    }
    if !api.operations.is_empty() {
        let _ = writeln!(out, "\n### Operations{of}");
        for op in &api.operations {
            write_operation(out, op);
        }
    }
    if !api.types.is_empty() {
        let _ = writeln!(out, "\n### Types{of}");
        for ty in &api.types {
            write_type(out, ty);
        }
    }
    if !api.documentation.is_empty() {
        let _ = writeln!(out, "\n### Documentation{of}\n");
        out.push_str("Descriptions, summaries and tags that changed; none of this breaks anyone.\n\n");
        for doc in &api.documentation {
            let _ = writeln!(out, "- {}: {}.{}", doc.item, doc.what.join(", "), locations(&doc.old, &doc.new));
        }
    }
}

fn write_operation(out: &mut String, op: &OperationChanges) {
    let status = match op.status {
        ItemStatus::Added => "added",
        ItemStatus::Removed => "removed",
        ItemStatus::Changed => "changed",
    };
    let _ = writeln!(out, "\n#### `{}` ({status})\n", op.title());
    for change in &op.changes {
        write_change(out, change);
    }
    if !op.through_types.is_empty() {
        let names = op.through_types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
        let _ = writeln!(out, "- Reaches changed type{}: {names} (see Types).", if op.through_types.len() == 1 { "" } else { "s" });
    }
}

fn write_type(out: &mut String, ty: &TypeChanges) {
    let mut title = format!("`{}`", ty.name);
    match &ty.schema {
        Some(schema) => {
            let _ = write!(title, " (schema `{schema}`)");
        }
        None => match ty.new.as_ref().or(ty.old.as_ref()) {
            Some(at) => {
                let _ = write!(title, " (inline schema at `#{}`)", at.pointer);
            }
            None => title.push_str(" (inline schema)"),
        },
    }
    if let Some(old) = &ty.old_name {
        let _ = write!(title, ", formerly `{old}`");
    }
    let _ = writeln!(out, "\n#### {title}\n");
    if ty.used_by.is_empty() {
        let quiet = if ty.status == ItemStatus::Changed { ", so its changes break nobody" } else { "" };
        let _ = writeln!(out, "Used by no operation{quiet}.\n");
    } else {
        let uses = ty
            .used_by
            .iter()
            .map(|u| {
                // A webhook's sides are flipped: its request travels from the API, as an answer does.
                let hook = u.operation.split_once(' ').is_some_and(|(_, path)| path.starts_with("webhook ") || path.starts_with("callback "));
                let side = |s: &super::Side| match (hook, s) {
                    (true, super::Side::Response) => "its request, sent by the API".to_owned(),
                    (true, super::Side::Request) => "its answers".to_owned(),
                    (false, s) => s.to_string(),
                };
                format!("`{}` ({})", u.operation, u.sides.iter().map(side).collect::<Vec<_>>().join(" and "))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(out, "Used by {uses}.\n");
    }
    if !ty.included_in.is_empty() {
        let names = ty.included_in.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
        let _ = writeln!(out, "Also reached through {names}, which include its fields (`allOf`) and change the same way.\n");
    }
    for change in &ty.changes {
        write_change(out, change);
    }
}

/// Whom a change breaks, on the wire and in code: `breaks clients on the wire; breaks clients'
/// and servers' code`.
fn judgement(change: &Change) -> String {
    let wire = if change.planned { "planned, non-breaking on the wire".to_owned() } else { format!("{} on the wire", change.breaks.label()) };
    if change.code.any() {
        format!("{wire}; breaks {} code", change.code.whose())
    } else {
        wire
    }
}

fn write_change(out: &mut String, change: &Change) {
    let label = judgement(change);
    let mut label_chars = label.chars();
    let label = label_chars.next().map(|c| c.to_uppercase().chain(label_chars).collect::<String>()).unwrap_or_default();
    let mut subject_chars = change.subject.chars();
    let subject = subject_chars.next().map(|c| c.to_uppercase().chain(subject_chars).collect::<String>()).unwrap_or_default();
    let _ = writeln!(out, "- **{label}.** {subject}: {}.{} <sub>`{}`</sub>", change.detail, locations(&change.old, &change.new), change.id);
}

fn locations(old: &Option<Location>, new: &Option<Location>) -> String {
    match (old, new) {
        (Some(a), Some(b)) => format!(" (`{}` → `{}`)", place(a), place(b)),
        (Some(a), None) => format!(" (was `{}`)", place(a)),
        (None, Some(b)) => format!(" (now `{}`)", place(b)),
        (None, None) => String::new(),
    }
}

/// `file:line`, or `file#pointer` when the line is unknown.
fn place(location: &Location) -> String {
    match location.line {
        Some(line) => format!("{}:{line}", location.file),
        None => format!("{}#{}", location.file, location.pointer),
    }
}

fn write_code(out: &mut String, code: &CodeDiff) {
    let _ = writeln!(out, "\n### Generated code\n");
    if code.modules.is_empty() {
        out.push_str("No public item of the generated crates changes.\n");
        return;
    }
    out.push_str("Public items of the generated crates that are added, removed or changed: what downstream code may have to follow.\n");
    for module in &code.modules {
        let _ = writeln!(out, "\n#### `{}` (`{}`)\n", module.module, module.file);
        for change in &module.changes {
            let kind = change.item.as_str();
            let _ = match (change.change, &change.old, &change.new) {
                (CodeChangeKind::Changed, Some(old), Some(new)) => writeln!(out, "- Changed {kind} `{}`: `{old}` → `{new}`.", change.path),
                (CodeChangeKind::Added, _, Some(new)) if change.shows_signature() => writeln!(out, "- Added {kind} `{}`: `{new}`.", change.path),
                (CodeChangeKind::Removed, Some(old), _) if change.shows_signature() => writeln!(out, "- Removed {kind} `{}`: `{old}`.", change.path),
                (CodeChangeKind::Added, ..) => writeln!(out, "- Added {kind} `{}`.", change.path),
                (CodeChangeKind::Removed, ..) => writeln!(out, "- Removed {kind} `{}`.", change.path),
                (CodeChangeKind::Changed, ..) => writeln!(out, "- Changed {kind} `{}`.", change.path),
            };
        }
    }
}

/// A workflow command's message, escaped as GitHub reads it.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub reads it.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}
