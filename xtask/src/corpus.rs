//! `cargo xtask corpus`: every real spec of `../shared/specs/corpus` (13 public APIs) and of
//! `../shared/specs/apisguru` (150 from the APIs.guru directory) must generate crates that compile
//! with no warning from rustc, clippy or rustdoc.
//!
//! Every spec is generated into its own crates in one scratch workspace (under `target/`, with our
//! `Cargo.lock`, so dependencies build once and at the versions we test with). Then one
//! `cargo clippy` and one `cargo doc` run over the whole workspace, `--keep-going`, and their
//! messages are sorted back to the spec whose crate they are about: one invocation each instead of
//! one per spec is what makes 163 specs fit in CI's time. One line per spec says how long
//! generation took, how many warnings the generator gave, and what rustc, clippy and rustdoc said.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// The corpus, relative to the project root.
pub const CORPUS: &str = "../shared/specs/corpus";

/// The APIs.guru sample, relative to the project root; `LIST.txt` lists its specs.
pub const APISGURU: &str = "../shared/specs/apisguru";

/// What `cargo xtask corpus` checks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the specs whose paths contain one of these (all when empty).
    pub only: Vec<String>,
    /// Leave out the specs whose paths contain one of these.
    pub skip: Vec<String>,
    /// Build jobs for cargo (`-j`); `None` lets cargo decide.
    pub jobs: Option<usize>,
    /// Leave out rustdoc (generation, rustc and clippy still run).
    pub no_doc: bool,
    /// Leave out rustc and clippy: `cargo xtask roundtrip` builds the same crates with clippy's
    /// lints ([`crate::lints::clippy_build`]), and CI, which runs both, has it lint them there
    /// rather than type-check every crate twice.
    pub no_clippy: bool,
    /// Document only the APIs.guru specs of at most this many bytes (the corpus always): rustdoc
    /// over all 150 takes longer than everything else in CI together (it rewrites one search index
    /// shared by every crate it documents, once per crate), and its warnings come from doc text
    /// escaped by the same code whatever the spec, so CI documents the smallest. `None`: every spec.
    pub doc_max_bytes: Option<u64>,
}

/// One spec of the check.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The spec file, relative to the project root.
    pub path: String,
    /// Its name in the report: the path below its set's folder.
    pub name: String,
    /// The crate-name prefix of its crates.
    pub prefix: String,
    /// The module its items go into: its file name's stem, in snake_case.
    pub module: String,
    /// Whether rustdoc documents it, as `Options::doc_max_bytes` says.
    pub documented: bool,
    /// Overlays applied to it, in order.
    pub overlays: Vec<String>,
}

/// One spec's outcome.
#[derive(Debug)]
pub struct Checked {
    /// The spec's name.
    pub spec: String,
    /// Generation time in seconds.
    pub generate_secs: f64,
    /// Warnings the generator gave.
    pub warnings: usize,
    /// What rustc or clippy said about its crates (errors and warnings, rendered), or `None` when
    /// they did not run.
    pub clippy: Option<Vec<String>>,
    /// What rustdoc said about its crates, or `None` when it did not run.
    pub rustdoc: Option<Vec<String>>,
    /// Why it did not generate, if it did not.
    pub failure: Option<String>,
}

impl Checked {
    /// Whether the spec generated crates free of warnings.
    pub fn ok(&self) -> bool {
        self.failure.is_none() && self.clippy.as_ref().is_none_or(Vec::is_empty) && self.rustdoc.as_ref().is_none_or(Vec::is_empty)
    }
}

/// The specs of both sets, sorted within each, filtered as `options` says.
pub fn specs(root: &Path, options: &Options) -> Result<Vec<Spec>> {
    let mut found = Vec::new();
    let dir = root.join(CORPUS);
    let mut corpus = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") {
            corpus.push(name);
        }
    }
    corpus.sort();
    for name in corpus {
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        found.push(Spec { path: format!("{CORPUS}/{name}"), prefix: generator::ir::naming::crate_name_from(stem), module: generator::ir::naming::module_name(stem), documented: !options.no_doc, name, overlays: Vec::new() });
    }
    let list = root.join(APISGURU).join("LIST.txt");
    let listed = std::fs::read_to_string(&list).with_context(|| format!("reading {}", list.display()))?;
    let mut apisguru: Vec<&str> = listed.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    apisguru.sort_unstable();
    for name in apisguru {
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        // `g-` keeps the two sets' crate names apart; names are cut to what cargo accepts.
        let mut prefix = format!("g-{}", generator::ir::naming::crate_name_from(stem));
        prefix.truncate(48);
        let file_stem = stem.rsplit('/').next().unwrap_or(stem);
        let path = format!("{APISGURU}/{name}");
        let bytes = std::fs::metadata(root.join(&path)).map(|m| m.len()).unwrap_or(u64::MAX);
        let documented = !options.no_doc && options.doc_max_bytes.is_none_or(|max| bytes <= max);
        found.push(Spec { path, prefix: prefix.trim_end_matches('-').to_owned(), module: generator::ir::naming::module_name(file_stem), documented, name: name.to_owned(), overlays: Vec::new() });
    }
    let wanted = |s: &Spec| options.only.is_empty() || options.only.iter().any(|o| s.path.contains(o.as_str()));
    Ok(found.into_iter().filter(|s| wanted(s) && !options.skip.iter().any(|k| s.path.contains(k.as_str()))).collect())
}

/// Generates and checks every spec, printing a line for each when all are done.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Checked>> {
    let scratch = root.join("target/corpus-check");
    let ws = scratch.join("ws");
    let specs = specs(root, options)?;
    if specs.is_empty() {
        bail!("no spec of {CORPUS} or {APISGURU} matches");
    }
    let runtime = std::path::absolute(root.join("runtime"))?;
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws)?;

    // Generate everything first: the workspace lists every crate.
    let mut results = Vec::new();
    let mut members = Vec::new();
    let mut documented = Vec::new();
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for spec in &specs {
        let started = Instant::now();
        let generated = generator::Generator::new(spec.prefix.as_str())
            .root(root)
            .command("cargo xtask corpus")
            .runtime_path(&runtime.to_string_lossy())
            .spec(spec.path.as_str(), spec.module.as_str())
            .generate();
        let generate_secs = started.elapsed().as_secs_f64();
        let mut checked = Checked { spec: spec.name.clone(), generate_secs, warnings: 0, clippy: None, rustdoc: None, failure: None };
        match generated {
            Ok(output) => {
                checked.warnings = output.warnings.len();
                output.write_to(&ws).with_context(|| format!("writing the crates of {}", spec.name))?;
                for kind in ["models", "client", "server"] {
                    let dir = format!("{}-{kind}", spec.prefix);
                    owner.insert(dir.clone(), results.len());
                    members.push(format!("    \"{dir}\","));
                    if spec.documented {
                        documented.push(dir);
                    }
                }
            }
            Err(e) => checked.failure = Some(format!("does not generate: {e}")),
        }
        results.push(checked);
    }
    std::fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", members.join("\n")))?;
    // Our lock file pins the dependencies' versions; cargo drops what the corpus does not use.
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).context("copying Cargo.lock")?;

    let target = scratch.join("target");
    if !options.no_clippy {
        let started = Instant::now();
        // Every feature on, so that the servers' mocks are checked too.
        let mut clippy = crate::lints::cargo(&ws, &target, options.jobs);
        clippy.args(["clippy", "--workspace", "--all-features"]);
        let clippy = crate::lints::messages(clippy, &[&["--"], &crate::lints::CLIPPY_ARGS[..]].concat())?;
        eprintln!("rustc and clippy over {} crate(s): {:.0} s", members.len(), started.elapsed().as_secs_f64());
        for result in results.iter_mut().filter(|r| r.failure.is_none()) {
            result.clippy = Some(Vec::new());
        }
        for (dir, messages) in clippy {
            if let Some(&i) = owner.get(&dir) {
                results[i].clippy.get_or_insert_with(Vec::new).extend(messages);
            }
        }
    }
    if !documented.is_empty() {
        // rustdoc rewrites the shared search index of every crate already documented there, once
        // per crate: start from nothing, or the old runs' crates are paid for again.
        let _ = std::fs::remove_dir_all(target.join("doc"));
        let started = Instant::now();
        let mut doc = crate::lints::cargo(&ws, &target, options.jobs);
        doc.args(["doc", "--no-deps", "--all-features"]);
        for dir in &documented {
            doc.args(["-p", dir.as_str()]);
        }
        let docs = crate::lints::messages(doc, &[])?;
        eprintln!("rustdoc over {} crate(s): {:.0} s", documented.len(), started.elapsed().as_secs_f64());
        for (spec, result) in specs.iter().zip(results.iter_mut()) {
            if spec.documented && result.failure.is_none() {
                result.rustdoc = Some(Vec::new());
            }
        }
        for (dir, messages) in docs {
            if let Some(&i) = owner.get(&dir) {
                results[i].rustdoc.get_or_insert_with(Vec::new).extend(messages);
            }
        }
    }
    for r in &results {
        println!("{}", line(r));
    }
    Ok(results)
}

/// The line printed for one spec.
pub fn line(c: &Checked) -> String {
    let count = |messages: &[String]| match messages.len() {
        0 => "clean".to_owned(),
        1 => "1 complaint".to_owned(),
        n => format!("{n} complaints"),
    };
    let verdict = match &c.failure {
        Some(_) => "does not generate".to_owned(),
        None => {
            let clippy = c.clippy.as_deref().map_or_else(|| "not run".to_owned(), count);
            let doc = c.rustdoc.as_deref().map_or_else(|| "not run".to_owned(), count);
            format!("rustc and clippy {clippy}, rustdoc {doc}")
        }
    };
    format!("{:<60} {:>6.2} s, {:>4} generator warning(s); {verdict}: {}", c.spec, c.generate_secs, c.warnings, if c.ok() { "ok" } else { "FAILED" })
}
