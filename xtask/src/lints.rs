//! What rustc, clippy and rustdoc say about generated crates: one cargo run over a scratch
//! workspace, its messages sorted by the crate (directory) they are about.
//!
//! `cargo xtask corpus` checks its workspace with `cargo clippy`; `cargo xtask roundtrip` builds
//! its own with clippy linting as it compiles ([`clippy_build`]), so that CI, which runs both,
//! type-checks each crate once rather than once to lint it and again to build it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// What clippy is asked beyond its defaults: every public item of generated code documented, as a
/// user's `missing_docs` would ask.
pub const CLIPPY_ARGS: [&str; 2] = ["-W", "missing-docs"];

/// A cargo command over the workspace `ws`, building into `target`, with `jobs` build jobs
/// (cargo's choice when `None`).
pub fn cargo(ws: &Path, target: &Path, jobs: Option<usize>) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(ws).env("CARGO_TARGET_DIR", target);
    if let Some(jobs) = jobs {
        command.env("CARGO_BUILD_JOBS", jobs.to_string());
    }
    command
}

/// Makes `command` (a `cargo build`) compile the workspace's own crates with clippy-driver, as
/// `cargo clippy` does, with [`CLIPPY_ARGS`]: clippy-driver is rustc with clippy's lints, so
/// the crates are linted and built in one compilation. Dependencies build with rustc as ever.
pub fn clippy_build(command: &mut Command) -> Result<()> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc).args(["--print", "sysroot"]).output().with_context(|| format!("running {rustc} --print sysroot"))?;
    let driver = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim()).join("bin").join(format!("clippy-driver{}", std::env::consts::EXE_SUFFIX));
    if !driver.exists() {
        bail!("{} is missing: `rustup component add clippy` installs it", driver.display());
    }
    // cargo-clippy hands its arguments to the driver this way, each ended by the separator.
    let args: String = CLIPPY_ARGS.iter().map(|arg| format!("{arg}__CLIPPY_HACKERY__")).collect();
    command.env("RUSTC_WORKSPACE_WRAPPER", driver).env("CLIPPY_ARGS", args);
    Ok(())
}

/// Runs `command` (cargo, given its subcommand and arguments; then `after`, what follows `--`)
/// going on past failures, and returns the warnings and errors it reported, by the directory of
/// the crate they are about.
pub fn messages(mut command: Command, after: &[&str]) -> Result<BTreeMap<String, Vec<String>>> {
    command.args(["--keep-going", "--message-format=json", "--quiet"]).args(after);
    let out = command.output().context("running cargo")?;
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let level = message["message"]["level"].as_str().unwrap_or_default();
        if !matches!(level, "warning" | "error") {
            continue;
        }
        // "N warnings emitted" and the like summarise what was already reported.
        if message["message"]["spans"].as_array().is_some_and(Vec::is_empty) && message["message"]["code"].is_null() && level == "warning" {
            continue;
        }
        let manifest = PathBuf::from(message["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest.parent().and_then(Path::file_name).map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        let rendered = message["message"]["rendered"].as_str().unwrap_or_default().to_owned();
        found.entry(dir).or_default().push(rendered);
    }
    if !out.status.success() && found.is_empty() {
        bail!("cargo failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace of one crate, `lib.rs` as given, in a fresh directory of the system's temp.
    fn scratch(name: &str, lib: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-lints-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("ws/one/src")).expect("creates the scratch workspace");
        std::fs::write(dir.join("ws/Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"one\"]\n").expect("writes");
        std::fs::write(dir.join("ws/one/Cargo.toml"), "[package]\nname = \"one\"\nversion = \"0.1.0\"\nedition = \"2021\"\n").expect("writes");
        std::fs::write(dir.join("ws/one/src/lib.rs"), lib).expect("writes");
        dir
    }

    /// What a build of the scratch workspace in `dir` under clippy-driver reported.
    fn clippy_built(dir: &Path) -> BTreeMap<String, Vec<String>> {
        let mut build = cargo(&dir.join("ws"), &dir.join("target"), Some(1));
        build.args(["build", "--workspace"]);
        clippy_build(&mut build).expect("clippy-driver is installed with the toolchain");
        messages(build, &[]).expect("cargo runs; a failed build with messages is reported, not an error")
    }

    #[test]
    fn a_build_under_clippy_driver_reports_clippy_and_missing_docs_by_crate_and_builds() {
        let dir = scratch("warned", "//! A crate.\n\npub fn undocumented() -> u8 {\n    return 1;\n}\n");
        let said = clippy_built(&dir);
        let about: Vec<&String> = said.get("one").map(|m| m.iter().collect()).unwrap_or_default();
        assert!(about.iter().any(|m| m.contains("needless_return")), "clippy's lint: {about:?}");
        assert!(about.iter().any(|m| m.contains("missing documentation")), "missing_docs: {about:?}");
        assert!(dir.join("target/debug/libone.rlib").exists(), "the crate was built, not only checked");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_clean_crate_is_reported_clean_and_an_error_is_reported_against_its_crate() {
        let dir = scratch("clean", "//! A crate.\n\n/// One.\npub fn one() -> u8 {\n    1\n}\n");
        assert_eq!(clippy_built(&dir), BTreeMap::new());
        std::fs::write(dir.join("ws/one/src/lib.rs"), "//! A crate.\n\n/// One.\npub fn one() -> u8 {\n    \"1\"\n}\n").expect("writes");
        let said = clippy_built(&dir);
        assert!(said["one"].iter().any(|m| m.contains("mismatched types")), "{said:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
