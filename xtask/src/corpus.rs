//! `cargo xtask corpus`: every real spec of `../shared/specs/corpus` must generate crates that
//! compile with no warning from rustc, clippy (`-D warnings`) or rustdoc.
//!
//! Each spec is generated into its own crates in one scratch workspace (under `target/`, sharing one
//! target directory, so dependencies build once and our `Cargo.lock` pins their versions), then each
//! spec's three crates are linted and documented together, one spec at a time. One line per spec
//! says how long generation took, how many warnings the generator gave and how long the checks took.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// The corpus, relative to the project root.
pub const CORPUS: &str = "../shared/specs/corpus";

/// What `cargo xtask corpus` checks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the specs whose file names contain one of these (all when empty).
    pub only: Vec<String>,
    /// Leave out the specs whose file names contain one of these.
    pub skip: Vec<String>,
    /// Build jobs for cargo (`-j`); `None` lets cargo decide.
    pub jobs: Option<usize>,
}

/// One spec's outcome.
#[derive(Debug)]
pub struct Checked {
    /// The spec's file name.
    pub spec: String,
    /// Generation time in seconds.
    pub generate_secs: f64,
    /// Warnings the generator gave.
    pub warnings: usize,
    /// Lint and documentation time in seconds.
    pub check_secs: f64,
    /// The compiler's complaints, when there were any.
    pub failure: Option<String>,
}

/// The specs of the corpus, sorted, filtered as `options` says.
pub fn specs(root: &Path, options: &Options) -> Result<Vec<PathBuf>> {
    let dir = root.join(CORPUS);
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let is_spec = name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json");
        let wanted = options.only.is_empty() || options.only.iter().any(|o| name.contains(o.as_str()));
        if is_spec && wanted && !options.skip.iter().any(|s| name.contains(s.as_str())) {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// Generates and checks every spec, printing a line for each as it is done.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Checked>> {
    let scratch = root.join("target/corpus-check");
    let ws = scratch.join("ws");
    let specs = specs(root, options)?;
    if specs.is_empty() {
        bail!("no spec of {CORPUS} matches");
    }
    let runtime = std::path::absolute(root.join("runtime"))?;

    // Generate everything first: the workspace lists every crate.
    let mut jobs = Vec::new();
    for spec in &specs {
        let file = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
        let prefix = generator::ir::naming::crate_name_from(stem);
        let started = Instant::now();
        let output = generator::Generator::new(prefix.as_str())
            .root(root)
            .command("cargo xtask corpus")
            .runtime_path(&runtime.to_string_lossy())
            .spec(format!("{CORPUS}/{file}"), generator::ir::naming::module_name(stem))
            .generate()
            .with_context(|| format!("generating {file}"))?;
        let generate_secs = started.elapsed().as_secs_f64();
        let dirs: Vec<String> = ["models", "client", "server"].iter().map(|k| format!("{prefix}-{k}")).collect();
        for dir in &dirs {
            let _ = std::fs::remove_dir_all(ws.join(dir));
        }
        output.write_to(&ws).with_context(|| format!("writing the crates of {file}"))?;
        jobs.push((file, dirs, generate_secs, output.warnings.len()));
    }
    let members: Vec<String> = jobs.iter().flat_map(|(_, dirs, _, _)| dirs.iter().map(|d| format!("    \"{d}\","))).collect();
    std::fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", members.join("\n")))?;
    // Our lock file pins the dependencies' versions; cargo drops what the corpus does not use.
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).context("copying Cargo.lock")?;

    let mut results = Vec::new();
    for (spec, dirs, generate_secs, warnings) in jobs {
        let started = Instant::now();
        let mut failure = None;
        // `-D warnings` after `--` denies rustc's and clippy's warnings in these crates only;
        // RUSTFLAGS would also change how dependencies build, and rebuild them for rustdoc.
        for (tool, args) in [("clippy", vec!["clippy", "--quiet", "--all-targets"]), ("rustdoc", vec!["doc", "--quiet", "--no-deps"])] {
            let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            command.args(&args).current_dir(&ws).env("CARGO_TARGET_DIR", scratch.join("target")).env("RUSTDOCFLAGS", "-Dwarnings");
            if let Some(jobs) = options.jobs {
                command.arg(format!("-j{jobs}"));
            }
            for dir in &dirs {
                command.args(["-p", dir]);
            }
            if tool == "clippy" {
                // Every public item of generated code is documented, as a user's `missing_docs` would ask.
                command.args(["--", "-D", "warnings", "-W", "missing-docs"]);
            }
            let out = command.output().with_context(|| format!("running cargo {tool}"))?;
            if !out.status.success() {
                failure = Some(format!("cargo {tool} failed:\n{}", String::from_utf8_lossy(&out.stderr)));
                break;
            }
        }
        let checked = Checked { spec, generate_secs, warnings, check_secs: started.elapsed().as_secs_f64(), failure };
        println!("{}", line(&checked));
        results.push(checked);
    }
    Ok(results)
}

/// The line printed for one spec.
pub fn line(c: &Checked) -> String {
    let verdict = if c.failure.is_some() { "FAILED" } else { "ok" };
    format!(
        "{:<28} generated in {:>6.2} s, {:>4} generator warning(s); clippy and rustdoc in {:>7.1} s: {verdict}",
        c.spec, c.generate_secs, c.warnings, c.check_secs
    )
}
