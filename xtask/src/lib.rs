//! Project automation behind `cargo xtask`: what the repository generates, and the freshness check.
//!
//! [`outputs`] is the single list of generation jobs (the Docker Hub crates and every fixture's
//! golden crate); `cargo xtask codegen` writes them and `cargo xtask codegen --check` compares them,
//! as does the golden test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The command that refreshes everything generated.
pub const COMMAND: &str = "cargo xtask codegen";

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// One directory the generator owns completely, with the files it should hold.
#[derive(Debug)]
pub struct Owned {
    /// Directory relative to the root, e.g. `generated/dockerhub-models`.
    pub dir: PathBuf,
    /// Files relative to `dir`, with their contents.
    pub files: BTreeMap<PathBuf, String>,
}

/// Fixture specs: `tests/fixtures/specs/<name>.yaml`, golden crates in `tests/fixtures/golden/<name>-models`.
pub fn fixture_names(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("tests/fixtures/specs");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
            if let Some(stem) = path.file_stem() {
                names.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// Runs every generation job and returns what each owned directory should contain.
pub fn outputs(root: &Path) -> Result<Vec<Owned>> {
    let mut owned = Vec::new();
    let dockerhub = generator::Generator::new("dockerhub")
        .root(root)
        .command(COMMAND)
        .spec("spec/hub.yaml", "v2")
        .spec("spec/index-v1.yaml", "v1");
    let output = dockerhub.generate().context("generating the Docker Hub crates")?;
    owned.extend(split_by_crate(Path::new("generated"), output.files));

    for name in fixture_names(root)? {
        let spec = format!("tests/fixtures/specs/{name}.yaml");
        let module = generator::ir::naming::snake_name(&name);
        let output = generator::Generator::new(name.as_str())
            .root(root)
            .command(COMMAND)
            .spec(&spec, module)
            .generate()
            .with_context(|| format!("generating fixture {spec}"))?;
        owned.extend(split_by_crate(Path::new("tests/fixtures/golden"), output.files));
    }
    Ok(owned)
}

/// Groups generated files by their crate directory (the first path component).
fn split_by_crate(base: &Path, files: BTreeMap<PathBuf, String>) -> Vec<Owned> {
    let mut by_crate: BTreeMap<PathBuf, BTreeMap<PathBuf, String>> = BTreeMap::new();
    for (path, contents) in files {
        let mut parts = path.components();
        let Some(first) = parts.next() else { continue };
        by_crate.entry(base.join(first.as_os_str())).or_default().insert(parts.as_path().to_path_buf(), contents);
    }
    by_crate.into_iter().map(|(dir, files)| Owned { dir, files }).collect()
}

/// Files under `dir` (relative to it), skipping build output.
pub fn existing_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).with_context(|| format!("reading {}", current.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// One way an owned directory differs from what the generator makes now.
#[derive(Debug)]
pub enum Stale {
    /// The file should exist but does not.
    Missing(PathBuf),
    /// The file exists but the generator no longer makes it.
    Extra(PathBuf),
    /// The file differs; the unified diff from what is there to what should be.
    Changed(PathBuf, String),
}

/// Compares `owned` with the files under `root` (newlines normalised).
pub fn stale_files(root: &Path, owned: &[Owned]) -> Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for o in owned {
        let dir = root.join(&o.dir);
        for extra in existing_files(&dir)?.into_iter().filter(|p| !o.files.contains_key(p)) {
            stale.push(Stale::Extra(o.dir.join(extra)));
        }
        for (path, want) in &o.files {
            let full = dir.join(path);
            let shown = o.dir.join(path);
            match std::fs::read_to_string(&full) {
                Err(_) => stale.push(Stale::Missing(shown)),
                Ok(have) => {
                    let have = have.replace("\r\n", "\n");
                    if &have != want {
                        let name = shown.display().to_string();
                        let diff = similar::TextDiff::from_lines(have.as_str(), want.as_str())
                            .unified_diff()
                            .context_radius(3)
                            .header(&format!("{name} (checked in)"), &format!("{name} (generated now)"))
                            .to_string();
                        stale.push(Stale::Changed(shown, diff));
                    }
                }
            }
        }
    }
    Ok(stale)
}

/// Writes every owned directory, removing files the generator no longer makes.
pub fn write(root: &Path, owned: &[Owned]) -> Result<usize> {
    let mut changed = 0;
    for o in owned {
        let dir = root.join(&o.dir);
        for extra in existing_files(&dir)?.into_iter().filter(|p| !o.files.contains_key(p)) {
            std::fs::remove_file(dir.join(&extra)).with_context(|| format!("removing {}", extra.display()))?;
            changed += 1;
        }
        for (path, contents) in &o.files {
            let full = dir.join(path);
            if std::fs::read_to_string(&full).ok().as_deref() == Some(contents.as_str()) {
                continue;
            }
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&full, contents).with_context(|| format!("writing {}", full.display()))?;
            changed += 1;
        }
    }
    Ok(changed)
}
