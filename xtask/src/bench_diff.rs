//! `cargo xtask bench-diff [SPEC]`: what a spec review costs on a large spec.
//!
//! The spec (by default GitHub's 13 MB description) is copied into a scratch directory with a
//! handful of changes a pull request might make (an operation removed, an optional parameter
//! added, an operation deprecated, a required request field added, an enum value added, a server
//! URL given a trailing slash), and `xtask diff` of the running binary (unoptimised under
//! `cargo xtask`, as users run it; optimised under `cargo run --release`) is run as its own
//! process on the spec against itself (the baseline: loading and lowering both sides, nothing to report) and
//! against the changed copy, in turns; each run's wall time and the process's peak resident memory
//! (`VmHWM`, polled from `/proc`) are recorded and the median reported.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

/// The spec measured when none is given.
pub const DEFAULT_SPEC: &str = "../shared/specs/corpus/github-api.json";

/// One comparison, measured `runs` times.
#[derive(Debug, Clone)]
pub struct Measured {
    /// What was compared.
    pub what: String,
    /// Median wall time.
    pub secs: f64,
    /// Largest peak resident memory of the runs, in MiB (`None` where `/proc` is missing).
    pub peak_mib: Option<u64>,
    /// The report's counts: breaking for clients, for servers, non-breaking.
    pub counts: (u64, u64, u64),
}

/// The changes made to the copy, in words, for the figures' table.
pub const CHANGES: &str = "an operation removed, an optional query parameter added, an operation deprecated, a required field added to a request schema, an enum value added, a trailing slash on the server URL";

/// Times `cargo xtask diff SPEC SPEC` and `cargo xtask diff SPEC CHANGED` (`runs` times each, in
/// turns) with `exe`, the optimised xtask binary.
pub fn bench_diff(root: &Path, exe: &Path, spec: &str, runs: usize) -> Result<Vec<Measured>> {
    let text = std::fs::read_to_string(root.join(spec)).with_context(|| format!("reading {spec}"))?;
    let mut doc: Value = serde_json::from_str(&text).with_context(|| format!("{spec} is no JSON"))?;
    change(&mut doc).with_context(|| format!("changing a copy of {spec}"))?;
    let scratch = std::env::temp_dir().join(format!("bench-diff-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let changed = scratch.join("changed.json");
    std::fs::write(&changed, serde_json::to_string(&doc)?)?;
    let cases = [("the spec against itself", root.join(spec)), ("the spec against a changed copy", changed)];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut peaks: Vec<Option<u64>> = vec![None; cases.len()];
    let mut counts = vec![(0, 0, 0); cases.len()];
    for _ in 0..runs.max(1) {
        for (i, (_, new)) in cases.iter().enumerate() {
            let (secs, peak, report) = run(exe, root, &root.join(spec), new)?;
            times[i].push(secs);
            peaks[i] = peaks[i].max(peak);
            let n = |k: &str| report["summary"][k].as_u64().unwrap_or(0);
            counts[i] = (n("breaking_for_clients"), n("breaking_for_servers"), n("non_breaking"));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(cases
        .iter()
        .enumerate()
        .map(|(i, (what, _))| {
            let t = &mut times[i];
            t.sort_by(f64::total_cmp);
            Measured { what: (*what).to_owned(), secs: t[t.len() / 2], peak_mib: peaks[i].map(|k| k / 1024), counts: counts[i] }
        })
        .collect())
}

/// One `xtask diff OLD NEW --format json`: wall time, peak memory (KiB) and the report.
fn run(exe: &Path, root: &Path, old: &Path, new: &Path) -> Result<(f64, Option<u64>, Value)> {
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["diff", "--format", "json"])
        .arg(old)
        .arg(new)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("running xtask diff")?;
    let pid = child.id();
    let mut stdout = child.stdout.take().context("the diff's output")?;
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).map(|_| out)
    });
    let mut peak = None;
    let status = loop {
        // The high-water mark only grows: the last reading before the exit is the peak, give or
        // take what the last few milliseconds added.
        if let Some(kib) = high_water_mark(pid) {
            peak = Some(kib);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let secs = started.elapsed().as_secs_f64();
    let out = reader.join().map_err(|_| anyhow::anyhow!("reading the diff's output"))??;
    // `--format json` exits with success whatever changed (no `--fail-on`).
    if !status.success() {
        bail!("xtask diff {} {} failed", old.display(), new.display());
    }
    Ok((secs, peak, serde_json::from_str(&out).context("the diff's JSON report")?))
}

fn high_water_mark(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The handful of changes of [`CHANGES`], each on the first item that has the shape it needs.
fn change(doc: &mut Value) -> Result<()> {
    let paths = doc.get_mut("paths").and_then(Value::as_object_mut).context("no paths")?;
    let last = paths.keys().next_back().cloned().context("no path")?;
    paths.shift_remove(&last);
    let mut ops = paths.values_mut().flat_map(|item| item.as_object_mut().into_iter().flat_map(|m| m.iter_mut().filter(|(k, _)| ["get", "post", "put", "patch", "delete"].contains(&k.as_str())).map(|(_, v)| v)));
    let first = ops.next().and_then(Value::as_object_mut).context("no operation")?;
    let params = first.entry("parameters").or_insert_with(|| json!([]));
    params.as_array_mut().context("parameters is no list")?.push(json!({"name": "bench_added", "in": "query", "schema": {"type": "string"}}));
    ops.next().and_then(Value::as_object_mut).context("a second operation")?.insert("deprecated".into(), Value::Bool(true));
    let schemas = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut).context("no component schemas")?;
    let object = schemas.values_mut().find(|s| s.get("properties").is_some_and(Value::is_object)).context("no object schema")?;
    object["properties"]["bench_field"] = json!({"type": "string"});
    match object.get_mut("required").and_then(Value::as_array_mut) {
        Some(required) => required.push(json!("bench_field")),
        None => object["required"] = json!(["bench_field"]),
    }
    let with_enum = schemas.values_mut().flat_map(|s| s.get_mut("properties").and_then(Value::as_object_mut).into_iter().flat_map(|p| p.values_mut())).find_map(|p| p.get_mut("enum").and_then(Value::as_array_mut));
    with_enum.context("no enum property")?.push(json!("bench-value"));
    if let Some(url) = doc.pointer_mut("/servers/0/url") {
        if let Some(text) = url.as_str() {
            *url = Value::String(format!("{text}/"));
        }
    }
    Ok(())
}
