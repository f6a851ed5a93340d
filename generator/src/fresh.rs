//! Writing generated files, and checking that the files on disk are what the generator makes now:
//! `openapi-rust --check` in a user's CI and `cargo xtask codegen --check` here share this code.
//!
//! The generator owns each crate directory it writes completely: a file there that it no longer
//! makes is stale too. Build output (`target/`) is never looked at.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// One directory the generator owns completely, with the files it should hold.
#[derive(Debug, Clone)]
pub struct Owned {
    /// The directory, relative to the root given to [`stale_files`] and [`write()`] (e.g.
    /// `generated/dockerhub-models`).
    pub dir: PathBuf,
    /// Files relative to `dir`, with their contents.
    pub files: BTreeMap<PathBuf, String>,
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

/// An I/O error naming the path it happened on.
fn at(path: &Path) -> impl FnOnce(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Groups generated files (paths relative to the output directory) by their crate directory, the
/// first component of each path, placed under `base`.
pub fn split_by_crate(base: &Path, files: &BTreeMap<PathBuf, String>) -> Vec<Owned> {
    let mut by_crate: BTreeMap<PathBuf, BTreeMap<PathBuf, String>> = BTreeMap::new();
    for (path, contents) in files {
        let mut parts = path.components();
        let Some(first) = parts.next() else { continue };
        by_crate.entry(base.join(first.as_os_str())).or_default().insert(parts.as_path().to_path_buf(), contents.clone());
    }
    by_crate.into_iter().map(|(dir, files)| Owned { dir, files }).collect()
}

/// Files under `dir` (relative to it, sorted), skipping build output; none when `dir` is missing.
pub fn existing_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).map_err(at(&current))? {
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

/// Compares `owned` with the files under `root`, newlines normalised (a checkout with
/// `core.autocrlf` is not stale).
pub fn stale_files(root: &Path, owned: &[Owned]) -> io::Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for o in owned {
        let dir = root.join(&o.dir);
        for extra in existing_files(&dir)?.into_iter().filter(|p| !o.files.contains_key(p)) {
            stale.push(Stale::Extra(o.dir.join(extra)));
        }
        for (path, want) in &o.files {
            let shown = o.dir.join(path);
            match std::fs::read_to_string(dir.join(path)) {
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

/// What a failed check prints: each stale file (a unified diff for a changed one), then how many
/// and the command that refreshes them.
pub fn report(stale: &[Stale], command: &str) -> String {
    let mut out = String::new();
    for s in stale {
        match s {
            Stale::Missing(p) => out.push_str(&format!("missing: {} (the generator makes it, but it is not checked in)\n", p.display())),
            Stale::Extra(p) => out.push_str(&format!("extra: {} (the generator no longer makes it)\n", p.display())),
            Stale::Changed(_, diff) => {
                out.push_str(diff);
                if !diff.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out.push_str(&format!("{} generated file(s) are stale: run `{command}` and commit the result\n", stale.len()));
    out
}

/// Writes every owned directory under `root`, removing files the generator no longer makes and
/// leaving unchanged files untouched (their modification times too); returns how many changed.
pub fn write(root: &Path, owned: &[Owned]) -> io::Result<usize> {
    let mut changed = 0;
    for o in owned {
        let dir = root.join(&o.dir);
        for extra in existing_files(&dir)?.into_iter().filter(|p| !o.files.contains_key(p)) {
            let full = dir.join(&extra);
            std::fs::remove_file(&full).map_err(at(&full))?;
            changed += 1;
        }
        for (path, contents) in &o.files {
            let full = dir.join(path);
            if std::fs::read_to_string(&full).ok().as_deref() == Some(contents.as_str()) {
                continue;
            }
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(at(parent))?;
            }
            std::fs::write(&full, contents).map_err(at(&full))?;
            changed += 1;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(files: &[(&str, &str)]) -> Vec<Owned> {
        vec![Owned { dir: PathBuf::from("api-models"), files: files.iter().map(|(p, c)| (PathBuf::from(p), (*c).to_owned())).collect() }]
    }

    #[test]
    fn a_written_tree_is_fresh_until_a_file_changes_or_appears() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let want = owned(&[("Cargo.toml", "[package]\n"), ("src/lib.rs", "//! a\npub struct A;\n")]);
        assert_eq!(write(dir.path(), &want)?, 2);
        assert!(stale_files(dir.path(), &want)?.is_empty());
        assert_eq!(write(dir.path(), &want)?, 0, "nothing rewritten");
        // Windows line endings are not a change.
        std::fs::write(dir.path().join("api-models/Cargo.toml"), "[package]\r\n")?;
        assert!(stale_files(dir.path(), &want)?.is_empty());
        std::fs::write(dir.path().join("api-models/src/lib.rs"), "//! a\npub struct B;\n")?;
        std::fs::write(dir.path().join("api-models/src/old.rs"), "")?;
        let stale = stale_files(dir.path(), &want)?;
        let text = report(&stale, "openapi-rust");
        assert!(text.contains("-pub struct B;\n+pub struct A;"), "{text}");
        assert!(text.contains("extra: api-models/src/old.rs"), "{text}");
        assert!(text.ends_with("2 generated file(s) are stale: run `openapi-rust` and commit the result\n"), "{text}");
        // The check passes a file with Windows line endings; a write makes it what is generated.
        assert_eq!(write(dir.path(), &want)?, 3);
        assert!(!dir.path().join("api-models/src/old.rs").exists());
        Ok(())
    }
}
