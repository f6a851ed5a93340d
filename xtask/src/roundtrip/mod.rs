//! `cargo xtask roundtrip [SPEC…]`: every operation of a spec goes from its generated client to
//! its generated server and back ([`crate::wire`]), and every documented example comes back from
//! its generated model exactly as it went in, all of it judged against the spec as published
//! ([`crate::judge`]).
//!
//! For each spec (by default the corpus and the APIs.guru sample, as `cargo xtask corpus` lists
//! them, Docker Hub's and the two streaming APIs') the generator's IR lists the documented JSON examples and the type each
//! illustrates: a schema's `example` (3.1 `examples`, first of them), a JSON media type's `example`
//! and `examples` (those in `components.examples` included). Each is validated against its schema
//! with the `jsonschema` crate, formats included, on the spec as published (3.0 keywords
//! translated to JSON Schema 2020-12: [`crate::judge::json_schema`]); an invalid example is the
//! spec's defect, counted and not round-tripped. Every valid one is sent through the spec's models
//! crate by a harness the generator emits for it (`generator::emit::harness`), all specs in one
//! scratch workspace built by one `cargo build` (with the operations harnesses; the spec's crates
//! compiled by clippy-driver, whose complaints fail the spec: [`crate::lints`]), and what comes
//! back must be the same JSON ([`crate::judge::same_json`]): integers equal exactly, other numbers
//! as numbers, no key dropped or added, no string changed.
//!
//! One line per spec (examples exact, lossy, rejected, invalid; operations round-tripped), then
//! every lossy or rejected example with its pointer, the value sent and what came back, and every
//! operation that failed on the wire with what the judge or the comparison found. The counts are
//! held to [`crate::expected`].

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::corpus::Spec;

mod report;

pub(crate) use report::brief;
pub use report::{line, totals, Case, Checked, Fate};

/// What `cargo xtask roundtrip` checks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Spec files to check, relative to the project root; none: the corpus and the APIs.guru sample.
    pub specs: Vec<String>,
    /// Of the default specs, only those whose paths contain one of these (all when empty).
    pub only: Vec<String>,
    /// Build jobs for cargo (`-j`); `None` lets cargo decide.
    pub jobs: Option<usize>,
    /// Whether every operation also goes from the generated client to the generated server.
    pub operations: bool,
    /// The seed of the operations' values.
    pub seed: u64,
    /// Where to build (a workspace `ws` and a target directory `target` inside it); `None`:
    /// `target/roundtrip/ws` and the corpus check's target directory, whose dependencies are
    /// built already.
    pub scratch: Option<std::path::PathBuf>,
}

/// The specs `options` names: the given files, or the corpus check's.
pub fn specs(root: &Path, options: &Options) -> Result<Vec<Spec>> {
    if options.specs.is_empty() {
        let mut specs = crate::corpus::specs(root, &crate::corpus::Options { only: options.only.clone(), no_doc: true, ..Default::default() })?;
        // Docker Hub's specs, the v2 one as the crates read it: with its overlay.
        // Docker's newest spec joins with an overlay of its own: as published, one of its schemas is
        // not JSON Schema (`required: true` in a property), so no validator reads it.
        // The seed stays (the foundation's baseline); the newest is what the v2 crates follow.
        // The two real streaming APIs (`openapi-rust.toml` generates their crates), whole; and
        // the fixtures of request bodies that are streams and of a stream of several kinds of
        // event, which no real spec here has, and of a login accepting several media types.
        let others = [
            ("spec/hub.yaml", "hub-v2", "v2", vec![crate::HUB_OVERLAY.to_owned()]),
            (crate::HUB_LATEST, "hub-latest-v2", "v2", vec![crate::HUB_LATEST_OVERLAY.to_owned()]),
            ("spec/index-v1.yaml", "hub-v1", "v1", Vec::new()),
            ("../shared/specs/streams/text-generation-inference.json", "tgi", "tgi", Vec::new()),
            ("../shared/specs/streams/mistral.yaml", "mistral", "mistral", Vec::new()),
            ("tests/fixtures/specs/stream-uploads.yaml", "stream-uploads", "stream_uploads", Vec::new()),
            ("tests/fixtures/specs/stream-events.yaml", "stream-events", "stream_events", Vec::new()),
            ("tests/fixtures/specs/login-bodies.yaml", "login-bodies", "login_bodies", Vec::new()),
        ];
        for (path, prefix, module, overlays) in others {
            if options.only.is_empty() || options.only.iter().any(|o| path.contains(o.as_str())) {
                specs.push(Spec { path: path.into(), name: path.into(), prefix: prefix.into(), module: module.into(), documented: false, overlays });
            }
        }
        return Ok(specs);
    }
    Ok(options
        .specs
        .iter()
        .map(|path| {
            let file = path.rsplit('/').next().unwrap_or(path);
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            Spec { path: path.clone(), name: path.clone(), prefix: generator::ir::naming::crate_name_from(stem), module: generator::ir::naming::module_name(stem), documented: false, overlays: Vec::new() }
        })
        .collect())
}

/// One spec's examples awaiting the harness: the type table and the valid cases.
struct Pending {
    /// Index into the results (set by the caller).
    result: usize,
    /// The harness's crate name.
    harness: String,
    /// (case index, type index) of each valid example.
    valid: Vec<(usize, usize)>,
    /// The properties each struct's schema declares, by type name.
    declared: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The schema of each member of each union, by type name, in `document`.
    members: BTreeMap<String, Vec<String>>,
    /// The judge's document, with the member schemas in it.
    document: Value,
}

/// Checks every spec, printing a line for each when all are done.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Checked>> {
    let specs = specs(root, options)?;
    if specs.is_empty() {
        bail!("no spec to check");
    }
    let scratch = match &options.scratch {
        Some(dir) => std::path::absolute(dir)?,
        None => root.join("target/roundtrip"),
    };
    let ws = scratch.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws)?;
    let runtime = std::path::absolute(root.join("runtime"))?;

    let mut results = Vec::new();
    let mut pending = Vec::new();
    let mut wires = Vec::new();
    let mut members = Vec::new();
    // The spec (its index in `results`) whose crate each directory holds.
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    // Each spec is generated and judged on its own: as many at once as there are cores.
    let workers = options.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let prepared = in_parallel(&specs, workers, |spec| {
        let mut checked = Checked { spec: spec.name.clone(), ..Checked::default() };
        let ready = prepare(root, spec, &runtime.to_string_lossy(), &ws, options, &mut checked);
        (checked, ready)
    });
    for (spec, (mut checked, ready)) in specs.iter().zip(prepared) {
        match ready {
            Ok((examples, wire)) => {
                // Every crate generated is built, and so linted, harness or none.
                for kind in ["models", "client", "server"] {
                    owner.insert(format!("{}-{kind}", spec.prefix), results.len());
                    members.push(format!("{}-{kind}", spec.prefix));
                }
                if let Some(mut ready) = examples {
                    members.push(ready.harness.clone());
                    ready.result = results.len();
                    pending.push(ready);
                }
                if let Some((ready, api, docs)) = wire {
                    members.push(ready.harness.clone());
                    wires.push((results.len(), ready, api, docs));
                }
            }
            Err(e) => checked.failure = Some(format!("{e:#}")),
        }
        results.push(checked);
    }
    if !members.is_empty() {
        let listed: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
        // No debug information: some 500 crates and 300 binaries are built here, and with it they
        // took tens of gigabytes of disk and most of the link time; a failure is read from the
        // report, not from a debugger.
        let profile = "[profile.dev]\ndebug = false\nincremental = false\n\n[profile.dev.package.\"*\"]\ndebug = false\n";
        std::fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n\n{profile}", listed.join("\n")))?;
        std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).context("copying Cargo.lock")?;
        // The corpus check's target directory: the dependencies are the same crates.
        let target = match &options.scratch {
            Some(_) => scratch.join("target"),
            None => root.join("target/corpus-check/target"),
        };
        let started = std::time::Instant::now();
        // One compilation both builds and lints each crate: rustc's and clippy's warnings about a
        // spec's crates fail it, as they fail `cargo xtask corpus`.
        let mut build = crate::lints::cargo(&ws, &target, options.jobs);
        build.args(["build", "--workspace", "--all-features"]);
        crate::lints::clippy_build(&mut build)?;
        let mut said = crate::lints::messages(build, &[])?;
        eprintln!("built and linted {} crate(s), {} harness(es): {:.0} s", owner.len(), members.len() - owner.len(), started.elapsed().as_secs_f64());
        for (dir, &i) in &owner {
            results[i].lints.extend(said.remove(dir).unwrap_or_default());
        }
        // Why a harness is missing: what rustc said of it (its own crate's errors are the spec's
        // lints, reported with them).
        let unbuilt = |harness: &str| match said.get(harness) {
            Some(messages) => messages.join("\n"),
            None => "cargo built neither it nor a crate it needs".to_owned(),
        };
        for p in &pending {
            let exe = target.join("debug").join(format!("{}{}", p.harness, std::env::consts::EXE_SUFFIX));
            let result = &mut results[p.result];
            if !exe.exists() {
                result.failure = Some(format!("the harness does not build:\n{}", unbuilt(&p.harness)));
                continue;
            }
            if let Err(e) = run_harness(&exe, p, result) {
                result.failure = Some(format!("{e:#}"));
            }
        }
        let started = std::time::Instant::now();
        for (index, ready, api, docs) in wires {
            let exe = target.join("debug").join(format!("{}{}", ready.harness, std::env::consts::EXE_SUFFIX));
            let result = &mut results[index];
            let ran = if exe.exists() { crate::wire::run(&exe, ready, &api, &docs).map_err(|e| format!("{e:#}")) } else { Err(format!("the operations harness does not build:\n{}", unbuilt(&ready.harness))) };
            match ran {
                Ok(outcomes) => result.operations = outcomes,
                Err(why) => {
                    // Nothing crossed: no operation counts as round-tripped.
                    for outcome in &mut result.operations {
                        if outcome.fate == crate::wire::Fate::Exact {
                            outcome.fate = crate::wire::Fate::Failed(vec!["the operations harness did not run".into()]);
                        }
                    }
                    result.failure = Some(why);
                }
            }
        }
        eprintln!("ran the operations harnesses: {:.0} s", started.elapsed().as_secs_f64());
    }
    for r in &results {
        println!("{}", line(r));
    }
    for r in &results {
        for case in &r.cases {
            if let Fate::Invalid(why) = &case.fate {
                println!("warning: {} ({}): the example does not match its schema, not round-tripped: {}", r.spec, case.at, brief(why));
            }
        }
        for case in &r.cases {
            if let Some(change) = &case.repaired {
                println!("note: {} ({}): {}", r.spec, case.at, brief(change));
            }
        }
        if let Some(why) = &r.unrepaired {
            println!("warning: {}: the examples are not judged by the spec as the generator repairs it: {}", r.spec, brief(why));
        }
        // The other reasons are the spec's or the types'; this one is the check's own gap.
        for (at, _) in r.skipped.iter().filter(|(_, reason)| *reason == crate::census::Reason::Unread) {
            println!("warning: {} ({at}): a documented example the generator does not list, not checked", r.spec);
        }
    }
    for r in results.iter().filter(|r| !r.ok()) {
        println!("\n{}:", r.spec);
        if let Some(why) = &r.failure {
            println!("  {why}");
        }
        for lint in &r.lints {
            println!("  {}", lint.trim_end().replace('\n', "\n  "));
        }
        for case in &r.cases {
            match &case.fate {
                Fate::Lossy { pointer, back } => {
                    let shown = |v: &Value| v.pointer(pointer).map_or_else(|| "(absent)".to_owned(), |v| brief(&v.to_string()));
                    println!("  lossy {} at `{pointer}`: sent {}, back {}", case.at, shown(&case.value), shown(back));
                }
                Fate::Rejected(why) => println!("  rejected {}: {why}\n    sent {}", case.at, brief(&case.value.to_string())),
                Fate::Misplaced { pointer, ty, key } => println!("  misplaced {} at `{pointer}`: `{key}`, a property of its schema, was kept among the extra properties of `{ty}`", case.at),
                Fate::WrongMember { pointer, ty, member, why } => println!("  wrong member {} at `{pointer}`: `{ty}` read it as its member {member}, whose schema it does not satisfy: {}", case.at, brief(why)),
                _ => {}
            }
        }
    }
    for r in results.iter().filter(|r| r.operations_failed() > 0) {
        println!("\n{} on the wire:", r.spec);
        for o in &r.operations {
            if let crate::wire::Fate::Failed(findings) = &o.fate {
                println!("  {}:", o.label);
                for finding in findings {
                    println!("    {finding}");
                }
            }
        }
    }
    Ok(results)
}

/// `work` done on each of `items` by up to `workers` threads, the results in the items' order.
fn in_parallel<T: Sync, R: Send>(items: &[T], workers: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..workers.clamp(1, items.len().max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break done };
                        done.push((index, work(item)));
                    }
                })
            })
            .collect();
        threads.into_iter().flat_map(|thread| thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// What a spec's examples are judged by.
struct Judged {
    /// The judge's document: the spec as published, in JSON Schema terms, with copies of the
    /// schemas examples and union members are judged by ([`crate::judge::Copies`]).
    document: Value,
    /// The pointer of each example's schema in `document`.
    schemas: Vec<String>,
    /// The schema of each member of each union, by type name, in `document`.
    members: BTreeMap<String, Vec<String>>,
    /// The properties each struct's schema declares, by type name.
    declared: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// The spec as the generator repairs it, to judge the examples by too.
    repaired: Result<crate::repairs::Repaired, String>,
}

/// A spec's operations awaiting their harness: the cases, the API and the judge's documents.
type Wire = (crate::wire::Pending, generator::ir::Api, crate::wire::Docs);

/// Generates a spec's models crate and harness into `ws` and validates its examples, recording
/// the invalid ones; `None` when it has no example.
fn prepare(root: &Path, spec: &Spec, runtime: &str, ws: &Path, options: &Options, checked: &mut Checked) -> Result<(Option<Pending>, Option<Wire>)> {
    let mut generator = generator::Generator::new(spec.prefix.as_str()).root(root).command("cargo xtask roundtrip").runtime_path(runtime).spec(spec.path.as_str(), spec.module.as_str());
    for overlay in &spec.overlays {
        generator = generator.overlay(overlay.as_str());
    }
    let output = generator.generate().map_err(|e| anyhow::anyhow!("does not generate: {e}"))?;
    // Its models, client and server crates, built (and linted) whatever else is checked.
    write_into(ws, &output.files, "")?;
    let Some(api) = output.apis.first() else { return Ok((None, None)) };
    let keys = format!("path = \"{}\"", runtime.replace('\\', "/"));
    let header = format!("@generated by `cargo xtask roundtrip` from {}", spec.path);
    let mut wire = None;
    // The same value documented for the same schema twice (a shared example) is one case.
    let mut seen = std::collections::HashSet::new();
    let examples: Vec<&generator::ir::Example> = typed(api).into_iter().filter(|e| seen.insert((e.at.as_str(), e.schema.as_str()))).collect();
    // The spec as published (with its overlays), as the judge reads it.
    let (docs, judged) = {
        let mut diags = generator::diag::Diagnostics::default();
        let published = generator::load::overlaid(root, &spec.path, &spec.overlays, &mut diags).map_err(|e| anyhow::anyhow!("{e}"))?;
        let loaded = generator::load::load_file_with(root, &spec.path, &spec.overlays, &mut diags).map_err(|e| anyhow::anyhow!("{e}"))?;
        let origins = crate::judge::Origins::new(loaded.sources.clone(), &spec.path);
        let schemas: Vec<&str> = examples.iter().map(|e| e.schema.as_str()).collect();
        let repaired = crate::repairs::Repaired::new(&loaded, &schemas);
        let loaded = serde_json::to_value(&loaded.openapi).context("the spec as JSON")?;
        checked.skipped = crate::census::unchecked(&typed(api), &published, &origins);
        let mut copies = crate::judge::Copies::default();
        let schemas: Vec<String> = examples.iter().map(|e| copies.add(&e.schema, &published, &loaded, &origins).unwrap_or_else(|| e.schema.clone())).collect();
        let members = crate::placement::member_schemas(api, &mut copies, &published, &loaded, &origins);
        let declared = crate::placement::declared(api, &published, &loaded, &origins);
        let docs = crate::wire::Docs::new(api, published, &loaded);
        let mut document = docs.plain.clone();
        copies.attach(&mut document, &loaded);
        (docs, Judged { document, schemas, members, declared, repaired })
    };
    if options.operations {
        let emitted = crate::wire::Emitted { api, prefix: &spec.prefix, module: &spec.module, runtime: &keys, header: &header };
        let (outcomes, pending) = crate::wire::prepare(&emitted, &docs, ws, options.seed)?;
        checked.operations = outcomes;
        if let Some(pending) = pending {
            wire = Some((pending, api.clone(), docs));
        }
    }
    if examples.is_empty() {
        return Ok((None, wire));
    }
    let Judged { document, schemas, members, declared, repaired } = judged;
    let cases: Vec<(&str, &Value)> = examples.iter().zip(&schemas).map(|(e, at)| (at.as_str(), &e.value)).collect();
    let verdicts = crate::judge::validate(&document, &cases).map_err(|why| anyhow::anyhow!("{why}"))?;
    let values: Vec<&Value> = examples.iter().map(|e| &e.value).collect();
    let changes: Vec<Option<String>> = match repaired.and_then(|r| r.verdicts(&values)) {
        Ok(again) => verdicts.iter().zip(&again).map(|(published, repaired)| crate::repairs::change(published, repaired)).collect(),
        Err(why) => {
            checked.unrepaired = Some(why);
            vec![None; examples.len()]
        }
    };

    let mut types: Vec<(generator::ir::TypeRef, bool)> = Vec::new();
    let mut valid = Vec::new();
    for ((example, verdict), repaired) in examples.iter().zip(verdicts).zip(changes) {
        let case = checked.cases.len();
        let fate = match verdict {
            Err(why) => Fate::Invalid(why),
            Ok(()) => {
                let key = (example.ty.clone(), example.nullable);
                let index = types.iter().position(|t| *t == key).unwrap_or_else(|| {
                    types.push(key);
                    types.len() - 1
                });
                valid.push((case, index));
                // Settled when the harness answers.
                Fate::Rejected("not run".into())
            }
        };
        checked.cases.push(Case { at: example.at.clone(), value: example.value.clone(), fate, repaired });
    }
    if valid.is_empty() {
        return Ok((None, wire));
    }
    write_into(ws, &generator::emit::harness::files(api, &spec.prefix, &spec.module, &keys, &header, &types).map_err(|e| anyhow::anyhow!("{e}"))?, "")?;
    Ok((Some(Pending { result: 0, harness: generator::emit::harness::crate_name(&spec.prefix), valid, declared, members, document }), wire))
}

/// The examples of `api` whose type the models have: every one, but for a type the lowering made
/// and then let go (an inline struct found equal to a component, with the types of its fields),
/// which no harness could name; the census counts those as not read.
fn typed(api: &generator::ir::Api) -> Vec<&generator::ir::Example> {
    let known = |ty: &generator::ir::TypeRef| !ty.mentions(&|t| matches!(t, generator::ir::TypeRef::Named(name) if api.type_def(name).is_none()));
    api.examples.iter().filter(|e| known(&e.ty)).collect()
}

/// Writes the files of `files` below folder `under` (all of them when empty) into `ws`.
pub(crate) fn write_into(ws: &Path, files: &std::collections::BTreeMap<std::path::PathBuf, String>, under: &str) -> Result<()> {
    for (path, text) in files.iter().filter(|(path, _)| path.starts_with(under)) {
        let target = ws.join(path);
        std::fs::create_dir_all(target.parent().unwrap_or(ws))?;
        std::fs::write(target, text)?;
    }
    Ok(())
}

/// Sends a spec's valid examples through its harness and settles their fates.
fn run_harness(exe: &Path, pending: &Pending, checked: &mut Checked) -> Result<()> {
    let mut input = String::new();
    for (case, ty) in &pending.valid {
        input.push_str(&format!("{ty}\t{}\n", checked.cases[*case].value));
    }
    let mut child = Command::new(exe).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().with_context(|| format!("running {}", exe.display()))?;
    let mut stdin = child.stdin.take().context("the harness's stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output()?;
    writer.join().map_err(|_| anyhow::anyhow!("writing to the harness panicked"))??;
    let answers: Vec<&str> = std::str::from_utf8(&out.stdout)?.lines().collect();
    if !out.status.success() || answers.len() != pending.valid.len() {
        bail!("the harness answered {} of {} cases ({}): {}", answers.len(), pending.valid.len(), out.status, String::from_utf8_lossy(&out.stderr));
    }
    // Each union of an example that came back exact, to be judged by the schema of its member.
    let mut unions: Vec<(usize, String, String, usize)> = Vec::new();
    for ((index, _), answer) in pending.valid.iter().zip(answers) {
        let case = &mut checked.cases[*index];
        case.fate = match answer.split_once('\t') {
            Some(("ok", rest)) => {
                // JSON text holds no tab: the value written back, then the report of where it went.
                let (json, report) = rest.split_once('\t').unwrap_or((rest, "{}"));
                match (serde_json::from_str::<Value>(json), serde_json::from_str::<Value>(report)) {
                    (Ok(back), Ok(report)) => match crate::judge::difference(&case.value, &back, String::new()) {
                        Some(pointer) => Fate::Lossy { pointer, back },
                        None => match crate::placement::misplaced(&report, &pending.declared) {
                            Some((pointer, ty, key)) => Fate::Misplaced { pointer, ty, key },
                            None => {
                                unions.extend(crate::placement::members(&report).into_iter().map(|(at, ty, member)| (*index, at, ty, member)));
                                Fate::Exact
                            }
                        },
                    },
                    (Err(e), _) | (_, Err(e)) => Fate::Rejected(format!("wrote back what is not JSON: {e}")),
                }
            }
            Some((_, why)) => Fate::Rejected(why.to_owned()),
            None => Fate::Rejected(format!("the harness answered `{answer}`")),
        };
    }
    judge_members(pending, checked, &unions)
}

/// Judges each union an example holds (`(case, pointer in the example, type, member)`) by its
/// member's schema: a value read as a member whose schema it does not satisfy fails its example.
fn judge_members(pending: &Pending, checked: &mut Checked, unions: &[(usize, String, String, usize)]) -> Result<()> {
    let schema = |ty: &str, member: usize| pending.members.get(ty).and_then(|m| m.get(member));
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut judged = Vec::new();
    let mut unknown = Vec::new();
    for union @ (case, at, ty, member) in unions {
        match (schema(ty, *member), checked.cases[*case].value.pointer(at)) {
            (Some(pointer), Some(value)) => {
                cases.push((pointer.as_str(), value.clone()));
                judged.push(union);
            }
            _ => unknown.push((union, format!("neither the member's schema nor the value at `{at}` is known"))),
        }
    }
    let verdicts = if cases.is_empty() {
        Vec::new()
    } else {
        let cases: Vec<(&str, &Value)> = cases.iter().map(|(pointer, value)| (*pointer, value)).collect();
        crate::judge::validate(&pending.document, &cases).map_err(|why| anyhow::anyhow!("{why}"))?
    };
    let failed = judged.into_iter().zip(verdicts).filter_map(|(union, verdict)| verdict.err().map(|why| (union, why)));
    for ((case, at, ty, member), why) in unknown.into_iter().chain(failed) {
        let fate = &mut checked.cases[*case].fate;
        if *fate == Fate::Exact {
            *fate = Fate::WrongMember { pointer: at.clone(), ty: ty.clone(), member: *member, why };
        }
    }
    Ok(())
}
