//! Spec-change review: what changed between two versions of an API, and whom each change breaks.
//!
//! A reviewer of a spec change wants to know, before merging, what changed in the API and what
//! breaks for whom. [`diff`] compares two versions through the IR (never as YAML text, so reordering
//! keys or re-indenting changes nothing): operations are matched by method and path, types by what
//! the spec calls them (see `pair`), and a change inside a shared schema is reported once, on its
//! type, with every operation that reaches it (through `$ref`s, aliases, lists, maps, unions and
//! `allOf`). [`code::diff_code`] adds what changes in the generated crates' public API. The
//! [`Report`] renders as Markdown for a pull-request comment ([`Report::to_markdown`]) or as JSON.
//!
//! # Whom a change breaks
//!
//! *Clients* are code calling the API (for example through the generated client); *servers* are
//! code implementing it. Request elements (parameters, request bodies and everything in their types)
//! are sent by clients and read by servers; response elements (response bodies and headers) the
//! other way round. A type reached from both sides gets both judgements; a type no operation
//! reaches breaks nobody.
//!
//! | change | in a request | in a response |
//! |---|---|---|
//! | required element added (parameter, field, body, header) | breaks clients | breaks servers |
//! | optional element added | non-breaking | non-breaking |
//! | element removed (also a media type, status) | breaks clients | breaks clients and servers |
//! | enum value or `oneOf` alternative removed | breaks clients | non-breaking (code naming it breaks) |
//! | optional → required | breaks clients | breaks servers |
//! | required → optional | breaks servers | breaks clients |
//! | non-null → nullable | breaks servers | breaks clients |
//! | nullable → non-null | breaks clients | breaks servers |
//! | type changed | breaks both | breaks both |
//! | widened: `integer` to `number`, a type to a union holding it, a typed body to any JSON (narrowed: as validation tightened) | breaks servers | breaks clients |
//! | default changed | breaks clients (leaving it out asks for something else) | non-breaking |
//! | became `readOnly` | breaks clients (what they set is not taken) | non-breaking |
//! | became `writeOnly` | non-breaking | breaks clients (answers no longer carry it) |
//! | enum value, status or `oneOf` alternative added | breaks servers | breaks clients |
//! | media type added | breaks servers | non-breaking (clients choose with `Accept`) |
//! | validation tightened (new or stricter min/max, pattern, format) | breaks clients | breaks servers |
//! | validation loosened | breaks servers | breaks clients |
//! | `deprecated`, `operationId` changed | non-breaking (`--fail-on deprecations` fails on a deprecation) | non-breaking |
//!
//! Operation added: breaks servers (they must implement it). Operation removed: breaks clients.
//! Security requirements are alternatives: one removed breaks clients, one added breaks servers. A
//! renamed path parameter is the same operation; path parameters trading places break both. An
//! announced removal is planned, non-breaking (see `policy`). Server URL removed (a trailing slash
//! aside): breaks clients. Besides the wire, [`Change::code`] says whose code against the
//! generated crates breaks (`Effect::code` in `classify.rs`). A component
//! schema added or removed is non-breaking by itself: every place that used it is a change of its
//! own. Descriptions, summaries and tags are listed as documentation changes, outside the counts.

mod classify;
pub mod code;
mod constraints;
mod ops;
mod pair;
mod policy;
mod render;
mod report;
mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use classify::{Breaks, Side};
pub use code::{CodeChange, CodeChangeKind, CodeDiff, ModuleChanges};
pub use report::{ApiChanges, Change, ChangeKind, DocChange, FailOn, Ignored, ItemStatus, OperationChanges, Report, Summary, TypeChanges, Use};

use self::pair::{usage, Ctx, OpKey};
use self::types::TypeDiff;
use crate::ir::Api;
use crate::Generator;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A spec could not be loaded, or the generated crates could not be emitted.
    #[error(transparent)]
    Generate(#[from] crate::Error),
    /// A generated Rust file does not parse (a generator bug).
    #[error("generated file {file} does not parse: {message}")]
    Parse {
        /// The file, relative to the output directory.
        file: String,
        /// What the parser said.
        message: String,
    },
    /// The report could not be serialized.
    #[error("cannot write the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What [`diff_files`] compares and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The module both specs are generated into (default `api`).
    pub module: String,
    /// The crate-name prefix for the code comparison (default `api`: crates `api-models`, …).
    pub prefix: String,
    /// Also compare the generated crates' public API.
    pub code: bool,
    /// OpenAPI Overlays applied to the old spec, in order.
    pub old_overlays: Vec<String>,
    /// OpenAPI Overlays applied to the new spec, in order.
    pub new_overlays: Vec<String>,
    /// Where the old spec's paths are relative to, when not the common root (a spec read from
    /// another git revision, say).
    pub old_root: Option<std::path::PathBuf>,
    /// Where the new spec's paths are relative to, when not the common root.
    pub new_root: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options { module: "api".into(), prefix: "api".into(), code: false, old_overlays: Vec::new(), new_overlays: Vec::new(), old_root: None, new_root: None }
    }
}

/// Loads `old` and `new` (paths relative to `root`, named so in every location) and compares them.
pub fn diff_files(root: &Path, old: &str, new: &str, options: &Options) -> Result<Report, DiffError> {
    let lower = |root: &Path, spec: &str, overlays: &[String]| overlays.iter().fold(Generator::new(options.prefix.as_str()).root(root).spec(spec, options.module.as_str()), |g, o| g.overlay(o.as_str())).lower();
    let (old_apis, old_warnings) = lower(options.old_root.as_deref().unwrap_or(root), old, &options.old_overlays)?;
    let (new_apis, new_warnings) = lower(options.new_root.as_deref().unwrap_or(root), new, &options.new_overlays)?;
    let mut report = diff(&old_apis, &new_apis);
    // A warning both specs give (the same defect at the same place: a spec compared with itself)
    // is said once.
    let mut seen = BTreeSet::new();
    report.assumed = old_warnings.into_iter().chain(new_warnings).filter(|w| seen.insert(w.clone())).collect();
    if options.code {
        report.code = Some(code::diff_code(&options.prefix, &old_apis, &new_apis)?);
    }
    Ok(report)
}

/// Compares two versions of a family of APIs, matched by module; see the [module docs](self) for
/// how changes are judged.
pub fn diff(old: &[Api], new: &[Api]) -> Report {
    let modules: BTreeSet<&str> = old.iter().chain(new).map(|a| a.module.as_str()).collect();
    let mut apis = Vec::new();
    for module in modules {
        let (o, n) = (old.iter().find(|a| a.module == module), new.iter().find(|a| a.module == module));
        let empty = |other: Option<&Api>| empty_api(module, other);
        let (o_api, n_api) = (o.cloned().unwrap_or_else(|| empty(n)), n.cloned().unwrap_or_else(|| empty(o)));
        let mut changes = diff_api(&o_api, &n_api);
        changes.old_source = o.map(|a| a.source.clone());
        changes.new_source = n.map(|a| a.source.clone());
        if !changes.is_empty() {
            apis.push(changes);
        }
    }
    let sources = |apis: &[Api]| apis.iter().map(|a| if a.overlays.is_empty() { a.source.clone() } else { format!("{} + {}", a.source, a.overlays.join(" + ")) }).collect();
    let mut report = Report { old: sources(old), new: sources(new), summary: Summary::default(), apis, code: None, assumed: Vec::new() };
    report.count();
    report.assign_ids();
    report
}

/// An API with nothing in it, standing in for a module one version does not have.
fn empty_api(module: &str, like: Option<&Api>) -> Api {
    Api {
        module: module.to_owned(),
        source: String::new(),
        title: like.map(|a| a.title.clone()).unwrap_or_default(),
        version: like.map(|a| a.version.clone()).unwrap_or_default(),
        description: like.and_then(|a| a.description.clone()),
        ..Api::default()
    }
}

fn diff_api(old: &Api, new: &Api) -> ApiChanges {
    let ctx = Ctx::new(old, new);
    let (api, api_docs) = ops::diff_api_wide(old, new);
    let (mut operations, mut documentation) = ops::diff_operations(&ctx, &old.operations, &new.operations, false);
    let (old_hooks, new_hooks) = (pair::webhook_operations(old), pair::webhook_operations(new));
    let (hooks, hook_docs) = ops::diff_operations(&ctx, &old_hooks, &new_hooks, true);
    operations.extend(hooks);
    documentation.extend(hook_docs);
    if !api_docs.is_empty() {
        documentation.insert(0, DocChange { item: "The API".into(), what: api_docs, old: None, new: None });
    }

    let mut diffs: Vec<TypeDiff<'_>> = Vec::new();
    for (a, b) in &ctx.to_new {
        if let (Some(a), Some(b)) = (ctx.old_type(a), ctx.new_type(b)) {
            diffs.push(types::diff_type(&ctx, a, b));
        }
    }
    types::fold_included(&mut diffs);

    let (old_usage, new_usage) = (usage(old), usage(new));
    let mut type_changes = Vec::new();
    for d in &diffs {
        let mut used: BTreeMap<OpKey, BTreeSet<Side>> = BTreeMap::new();
        let mut add = |from: Option<&BTreeMap<OpKey, BTreeSet<Side>>>| {
            for (op, sides) in from.into_iter().flatten() {
                used.entry(op.clone()).or_default().extend(sides);
            }
        };
        add(old_usage.get(&d.old.name));
        add(new_usage.get(&d.new.name));
        for includer in &d.included_in {
            if let Some(inc) = diffs.iter().find(|x| &x.new.name == includer) {
                add(old_usage.get(&inc.old.name));
                add(new_usage.get(&inc.new.name));
            }
        }
        if !d.docs.is_empty() {
            documentation.push(DocChange { item: format!("type `{}`", d.new.name), what: d.docs.clone(), old: Some(d.old.location.clone()), new: Some(d.new.location.clone()) });
        }
        if d.changes.is_empty() {
            continue;
        }
        let sides: BTreeSet<Side> = used.values().flatten().copied().collect();
        let changes = d
            .changes
            .iter()
            .map(|c| Change {
                id: String::new(),
                element: c.key.clone(),
                code: c.effect.code(c.kind),
                planned: false,
                kind: c.kind,
                subject: c.subject.clone(),
                detail: c.detail.clone(),
                sides: sides.iter().copied().collect(),
                breaks: c.effect.on_sides(&sides),
                old: Some(d.old.location.clone()),
                new: Some(d.new.location.clone()),
            })
            .collect();
        for op in used.keys() {
            if let Some(entry) = operations.get_mut(op) {
                // An added or removed operation is reported whole; what its types do is beside the point.
                if entry.status == ItemStatus::Changed {
                    entry.through_types.push(d.new.name.clone());
                }
            } else if let (Some(o), Some(n)) = (find_op(old, &old_hooks, op), find_op(new, &new_hooks, op)) {
                let entry = OperationChanges {
                    method: op.1.clone(),
                    path: op.0.clone(),
                    status: ItemStatus::Changed,
                    old: Some(o.location.clone()),
                    new: Some(n.location.clone()),
                    changes: Vec::new(),
                    through_types: vec![d.new.name.clone()],
                };
                operations.insert(op.clone(), entry);
            }
        }
        type_changes.push(TypeChanges {
            name: d.new.name.clone(),
            old_name: (d.old.name != d.new.name).then(|| d.old.name.clone()),
            schema: d.new.schema_name.clone(),
            status: ItemStatus::Changed,
            old: Some(d.old.location.clone()),
            new: Some(d.new.location.clone()),
            used_by: uses(&used),
            included_in: d.included_in.iter().cloned().collect(),
            changes,
        });
    }
    type_changes.extend(added_and_removed(&ctx, &old_usage, &new_usage));
    type_changes.sort_by(|a, b| a.name.cmp(&b.name).then(a.old_name.cmp(&b.old_name)));
    for op in operations.values_mut() {
        op.through_types.sort();
        op.through_types.dedup();
    }
    let operations = operations.into_values().filter(|o| !o.changes.is_empty() || !o.through_types.is_empty()).collect();
    ApiChanges { module: new.module.clone(), old_source: None, new_source: None, api, operations, types: type_changes, documentation }
}

fn find_op<'a>(api: &'a Api, hooks: &'a [crate::ir::Operation], key: &OpKey) -> Option<&'a crate::ir::Operation> {
    api.operations.iter().chain(hooks).find(|o| o.path == key.0 && o.method == key.1)
}

fn uses(used: &BTreeMap<OpKey, BTreeSet<Side>>) -> Vec<Use> {
    used.iter().map(|((path, method), sides)| Use { operation: format!("{} {path}", method.as_str()), sides: sides.iter().copied().collect() }).collect()
}

/// Component schemas only in one version. Inline schemas are not listed: their appearance or
/// disappearance is a change of the element that holds them.
fn added_and_removed(ctx: &Ctx<'_>, old_usage: &pair::Usage, new_usage: &pair::Usage) -> Vec<TypeChanges> {
    let paired_new: BTreeSet<&String> = ctx.to_new.values().collect();
    let removed = ctx.old.types.iter().filter(|t| t.schema_name.is_some() && !ctx.to_new.contains_key(&t.name)).map(|t| (t, ItemStatus::Removed, old_usage));
    let added = ctx.new.types.iter().filter(|t| t.schema_name.is_some() && !paired_new.contains(&t.name)).map(|t| (t, ItemStatus::Added, new_usage));
    removed
        .chain(added)
        .map(|(t, status, usage)| {
            let (kind, detail, old, new) = match status {
                ItemStatus::Removed => (ChangeKind::TypeRemoved, "schema removed", Some(t.location.clone()), None),
                _ => (ChangeKind::TypeAdded, "schema added", None, Some(t.location.clone())),
            };
            let used_by = usage.get(&t.name).map(uses).unwrap_or_default();
            let change = Change { id: String::new(), element: String::new(), code: classify::Effect::Neutral.code(kind), planned: false, kind, subject: "schema".into(), detail: detail.into(), sides: Vec::new(), breaks: Breaks::NONE, old: old.clone(), new: new.clone() };
            TypeChanges { name: t.name.clone(), old_name: None, schema: t.schema_name.clone(), status, old, new, used_by, included_in: Vec::new(), changes: vec![change] }
        })
        .collect()
}
