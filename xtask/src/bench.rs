//! `cargo xtask bench-compile SPEC`: what a user's build pays for the crates we emit.
//!
//! The spec is generated into a scratch workspace under `target/bench-compile/`, its dependencies
//! are built once, then `cargo check -j1` of the models and client crates is timed from scratch
//! (incremental compilation off), with every tag and with one tag's feature, and the peak memory of
//! the largest rustc process is read from `/proc` while it runs. `--peer` does the same, in the
//! same run, for the Rust client openapi-generator makes of the spec (installed with pip into a
//! virtual environment under `target/` when asked, never by the tests), so ratios compare like
//! with like on a noisy machine. `--against REV` measures, in the same run and in turns with ours,
//! the crates the generator of another revision makes of the spec (built in a worktree under
//! `target/bench-compile/`), so that what a change costs downstream is a ratio, not two runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// One measured `cargo check`.
#[derive(Debug, Clone)]
pub struct Measured {
    /// What was checked.
    pub what: String,
    /// Wall time.
    pub secs: f64,
    /// Peak resident memory of the largest rustc process, in MiB (`None` where `/proc` is missing).
    pub peak_mib: Option<u64>,
}

/// What `bench-compile` measures.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A tag whose feature alone is checked too.
    pub feature: Option<String>,
    /// Also measure openapi-generator's Rust client of the spec.
    pub peer: bool,
    /// A git revision whose generator's crates are measured too, in turns with ours.
    pub against: Option<String>,
    /// How many times each of ours and the revision's is measured (at least one).
    pub runs: usize,
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `command`, polling `/proc` for the peak memory of the rustc processes it starts.
fn measure(what: &str, mut command: Command) -> Result<Measured> {
    let started = Instant::now();
    let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().with_context(|| format!("running {what}"))?;
    let root = child.id();
    let mut peak: Option<u64> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        for kib in rustc_peaks(root) {
            peak = Some(peak.map_or(kib, |p| p.max(kib)));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut err)?;
        }
        bail!("{what} failed:\n{err}");
    }
    Ok(Measured { what: what.to_owned(), secs, peak_mib: peak.map(|k| k / 1024) })
}

/// `VmHWM` (KiB) of every rustc process descending from `root`.
fn rustc_peaks(root: u32) -> Vec<u64> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let parent_of = |pid: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name may hold spaces; the fields after its closing parenthesis do not.
        stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
    };
    let mut peaks = Vec::new();
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) else { continue };
        if !comm.trim().starts_with("rustc") && !comm.trim().starts_with("clippy-driver") {
            continue;
        }
        let mut p = pid;
        let mut descends = false;
        for _ in 0..8 {
            match parent_of(p) {
                Some(pp) if pp == root => {
                    descends = true;
                    break;
                }
                Some(pp) if pp > 1 => p = pp,
                _ => break,
            }
        }
        if !descends {
            continue;
        }
        let hwm = std::fs::read_to_string(format!("/proc/{pid}/status")).ok().and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
        peaks.extend(hwm);
    }
    peaks
}

/// A `cargo check -j1` of `package` in `workspace` from scratch (its own crates only).
fn check(workspace: &Path, target: &Path, packages: &[&str], args: &[&str], what: &str) -> Result<Measured> {
    // Dependencies first, so that only the generated crates are measured.
    let mut warm = cargo();
    warm.arg("check").arg("-q").args(args).current_dir(workspace).env("CARGO_TARGET_DIR", target);
    for p in packages {
        warm.args(["-p", p]);
    }
    let out = warm.output().context("warming up")?;
    if !out.status.success() {
        bail!("{what}: cargo check failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut clean = cargo();
    clean.arg("clean").arg("-q").current_dir(workspace).env("CARGO_TARGET_DIR", target);
    for p in packages {
        clean.args(["-p", p]);
    }
    clean.output().context("cleaning")?;
    let mut timed = cargo();
    timed.args(["check", "-q", "-j1"]).args(args).current_dir(workspace).env("CARGO_TARGET_DIR", target).env("CARGO_INCREMENTAL", "0");
    for p in packages {
        timed.args(["-p", p]);
    }
    measure(what, timed)
}

/// Generates `spec` (relative to `root`) and measures its crates, and the peer's when asked.
pub fn bench_compile(root: &Path, spec: &str, options: &Options) -> Result<Vec<Measured>> {
    let stem = Path::new(spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = generator::ir::naming::crate_name_from(&stem);
    let dir = root.join("target/bench-compile").join(&prefix);
    let target = root.join("target/bench-compile/target");
    let ws = dir.join("ours");
    let _ = std::fs::remove_dir_all(&ws);
    let runtime = std::path::absolute(root.join("runtime"))?;
    generator::Generator::new(prefix.as_str())
        .root(root)
        .command("cargo xtask bench-compile")
        .runtime_path(&runtime.to_string_lossy())
        .spec(spec, generator::ir::naming::module_name(&stem))
        .generate()
        .with_context(|| format!("generating {spec}"))?
        .write_to(&ws)?;
    let (models, client) = (format!("{prefix}-models"), format!("{prefix}-client"));
    write_workspace(root, &ws, &models, &client)?;
    let base = match &options.against {
        Some(rev) => Some((rev.as_str(), generate_at(root, rev, spec, &prefix, &dir)?)),
        None => None,
    };

    let mut results = Vec::new();
    let both = [models.as_str(), client.as_str()];
    for _ in 0..options.runs.max(1) {
        results.push(check(&ws, &target, &both, &[], "ours: models + client, all tags")?);
        if let Some((rev, base_ws)) = &base {
            // Apart from ours: the two share package names, and `cargo clean -p` cleans by name.
            let base_target = target.with_file_name("target-against");
            results.push(check(base_ws, &base_target, &both, &[], &format!("{rev}: models + client, all tags"))?);
        }
    }
    if let Some(tag) = &options.feature {
        let features = format!("{client}/{tag}");
        let what = format!("ours: models + client, tag `{tag}` only");
        results.push(check(&ws, &target, &both, &["--no-default-features", "--features", &features], &what)?);
    }
    if options.peer {
        results.push(peer(root, spec, &dir, &target)?);
    }
    Ok(results)
}

/// A workspace of the models and client crates in `ws`, locked as the repository at `root` is.
fn write_workspace(root: &Path, ws: &Path, models: &str, client: &str) -> Result<()> {
    std::fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [\"{models}\", \"{client}\"]\n"))?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"))?;
    Ok(())
}

/// The crates the generator of revision `rev` makes of `spec`, written under `dir` with that
/// revision's runtime: its worktree is made (or moved to `rev`) and its CLI run.
fn generate_at(root: &Path, rev: &str, spec: &str, prefix: &str, dir: &Path) -> Result<PathBuf> {
    let tree = root.join("target/bench-compile/against-worktree");
    let git = |args: &[&str], cwd: &Path| -> Result<()> {
        let out = Command::new("git").args(args).current_dir(cwd).output().context("running git")?;
        if !out.status.success() {
            bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    };
    if tree.join(".git").exists() {
        git(&["checkout", "-q", "--detach", rev], &tree)?;
    } else {
        git(&["worktree", "add", "-q", "--detach", &tree.to_string_lossy(), rev], root)?;
    }
    let out = dir.join("against");
    let _ = std::fs::remove_dir_all(&out);
    eprintln!("building the generator of {rev} (in {})", tree.display());
    let status = cargo()
        .args(["run", "-q", "-p", "generator", "--"])
        .arg("--spec")
        .arg(std::path::absolute(root.join(spec))?)
        .arg("--name")
        .arg(prefix)
        .arg("--out")
        .arg(&out)
        .arg("--runtime-path")
        .arg(std::path::absolute(tree.join("runtime"))?)
        .current_dir(&tree)
        .env("CARGO_TARGET_DIR", root.join("target/bench-compile/against-target"))
        .stderr(Stdio::null())
        .status()
        .context("running the revision's generator")?;
    if !status.success() {
        bail!("the generator of {rev} failed on {spec}");
    }
    write_workspace(&tree, &out, &format!("{prefix}-models"), &format!("{prefix}-client"))?;
    Ok(out)
}

/// openapi-generator's Rust client of `spec`, generated and measured the same way.
fn peer(root: &Path, spec: &str, dir: &Path, target: &Path) -> Result<Measured> {
    let venv = root.join("target/bench-compile/openapi-generator-venv");
    let cli = venv.join("bin/openapi-generator-cli");
    if !cli.exists() {
        eprintln!("installing openapi-generator-cli into {} (asked for by --peer)", venv.display());
        let ok = Command::new("python3").args(["-m", "venv"]).arg(&venv).status()?.success()
            && Command::new(venv.join("bin/pip")).args(["install", "-q", "openapi-generator-cli==7.*"]).status()?.success();
        if !ok {
            bail!("cannot install openapi-generator-cli (it needs PyPI and Java 17)");
        }
    }
    let out_dir = dir.join("peer");
    let _ = std::fs::remove_dir_all(&out_dir);
    let status = Command::new(&cli)
        .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
        .arg(root.join(spec))
        .arg("-o")
        .arg(&out_dir)
        .stdout(Stdio::null())
        .status()
        .context("running openapi-generator")?;
    if !status.success() {
        bail!("openapi-generator failed on {spec}");
    }
    let manifest = out_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
    }
    let package = text.lines().find_map(|l| l.strip_prefix("name = ")).map(|n| n.trim_matches('"').to_owned()).unwrap_or_else(|| "openapi".into());
    check(&out_dir, &PathBuf::from(target), &[package.as_str()], &[], "openapi-generator 7: client")
}

/// One side of `bench-select`: the crates of a spec generated with a selection or without.
#[derive(Debug, Clone)]
pub struct Selected {
    /// What was generated.
    pub what: String,
    /// Wall time of the release `openapi-rust` generating it (the fastest of the runs).
    pub generation_secs: f64,
    /// Files written.
    pub files: usize,
    /// `cargo check -j1` of its models and client crates, from scratch with dependencies built.
    pub check: Measured,
}

/// `cargo xtask bench-select SPEC --tag TAG`: generation with the release `openapi-rust` and
/// `cargo check -j1` of the models and client crates, for every tag and for the one tag selected,
/// in one run.
pub fn bench_select(root: &Path, spec: &str, tag: &str, runs: usize) -> Result<Vec<Selected>> {
    eprintln!("building the generator (cargo build --release -p generator --bin openapi-rust)");
    let built = cargo().args(["build", "--release", "--quiet", "--package", "generator", "--bin", "openapi-rust"]).current_dir(root).status().context("running cargo")?;
    if !built.success() {
        bail!("the generator did not build");
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let binary = std::path::absolute(target_dir)?.join("release/openapi-rust");
    let stem = Path::new(spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = generator::ir::naming::crate_name_from(&stem);
    let dir = root.join("target/bench-select").join(&prefix);
    let target = root.join("target/bench-compile/target");
    let runtime = std::path::absolute(root.join("runtime"))?;
    let (models, client) = (format!("{prefix}-models"), format!("{prefix}-client"));
    let mut results = Vec::new();
    for (what, selection) in [("all tags".to_owned(), Vec::new()), (format!("tag `{tag}` selected"), vec!["--tag", tag])] {
        let ws = dir.join(if selection.is_empty() { "all" } else { "selected" });
        let mut fastest = f64::MAX;
        for _ in 0..runs.max(1) {
            let _ = std::fs::remove_dir_all(&ws);
            let started = Instant::now();
            let out = Command::new(&binary)
                .arg("--spec")
                .arg(std::path::absolute(root.join(spec))?)
                .args(["--name", &prefix, "--out"])
                .arg(&ws)
                .arg("--runtime-path")
                .arg(&runtime)
                .args(&selection)
                .stderr(Stdio::null())
                .status()
                .context("running openapi-rust")?;
            fastest = fastest.min(started.elapsed().as_secs_f64());
            if !out.success() {
                bail!("openapi-rust failed on {spec} ({what})");
            }
        }
        let files = ["models", "client", "server"].iter().map(|c| crate::existing_files(&ws.join(format!("{prefix}-{c}"))).map(|f| f.len())).sum::<std::io::Result<usize>>()?;
        write_workspace(root, &ws, &models, &client)?;
        let check = check(&ws, &target, &[models.as_str(), client.as_str()], &[], &format!("models + client, {what}"))?;
        results.push(Selected { what, generation_secs: fastest, files, check });
    }
    Ok(results)
}
