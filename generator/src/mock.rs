//! `openapi-rust mock`: a mock server of any spec from one command. The crates are generated with
//! the server's `mock` feature and a small program serving it ([`crate::emit::mock`]), built once
//! in release mode into a cache directory (one cargo target directory for all its specs, so that
//! dependencies are built once), and reused while no file the spec was read from has changed, so
//! that a second start costs a look at those files and the program's start.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::emit;
use crate::ir::naming;

/// The lock file this generator's runtime is tested with: the mock builds with these versions.
const LOCK: &str = include_str!("../../Cargo.lock");

/// The mock server of one spec (with its overlays), cached under a directory.
#[derive(Debug, Clone)]
pub struct MockServer {
    spec: String,
    overlays: Vec<String>,
    cache: PathBuf,
}

/// Why a mock could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The spec did not generate.
    #[error(transparent)]
    Generate(#[from] crate::Error),
    /// A file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// cargo did not build the mock.
    #[error("cargo could not build the mock (its output is above); the crates are in {0}")]
    Build(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> MockError {
    let what = what.into();
    move |source| MockError::Io { what, source }
}

/// The program serving a mock, and whether this call built it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The program: `PROGRAM [ADDRESS] [SEED]`.
    pub program: PathBuf,
    /// True when it was built now (the first start, or an input changed).
    pub built: bool,
    /// What the generator assumed about the spec, when it was generated now.
    pub warnings: Vec<crate::Warning>,
}

impl MockServer {
    /// The mock of `spec` (a path, relative to the working directory or absolute) corrected by
    /// `overlays`, kept under `cache` (relative to the working directory or absolute).
    pub fn new(spec: impl Into<String>, overlays: Vec<String>, cache: impl Into<PathBuf>) -> Self {
        // Absolute, since cargo builds in the crates' directory and reads a relative
        // `CARGO_TARGET_DIR` from there.
        let cache = cache.into();
        let cache = std::path::absolute(&cache).unwrap_or(cache);
        MockServer { spec: spec.into(), overlays, cache }
    }

    /// The directory of this spec's mock under the cache: one per spec path and overlays.
    pub fn dir(&self) -> PathBuf {
        let mut hasher = std::hash::DefaultHasher::new();
        let absolute = |p: &str| std::path::absolute(p).unwrap_or_else(|_| PathBuf::from(p));
        absolute(&self.spec).hash(&mut hasher);
        for overlay in &self.overlays {
            absolute(overlay).hash(&mut hasher);
        }
        let stem = Path::new(&self.spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        self.cache.join(format!("{}-{:016x}", naming::crate_name_from(&stem), hasher.finish()))
    }

    /// Where the mock's program is once built (`PROGRAM [ADDRESS] [SEED]`).
    pub fn program(&self) -> PathBuf {
        let stem = Path::new(&self.spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name = emit::mock::runner_name(&naming::crate_name_from(&stem));
        self.dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    }

    /// The mock's program: the one built before when every file it was made from is unchanged,
    /// else generated and built now (cargo's progress on standard error; `announce` is told why
    /// first).
    pub fn prepare(&self, announce: impl FnOnce(&str)) -> Result<Prepared, MockError> {
        let dir = self.dir();
        let stem = Path::new(&self.spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = naming::crate_name_from(&stem);
        let name = emit::mock::runner_name(&prefix);
        let program = self.program();
        let stamp_file = dir.join("inputs");
        if program.exists() && std::fs::read_to_string(&stamp_file).is_ok_and(|s| stamp_holds(&s)) {
            return Ok(Prepared { program, built: false, warnings: Vec::new() });
        }
        let mut generator = crate::Generator::new(prefix.as_str()).command(format!("openapi-rust mock --spec {}", self.spec)).root(".").spec(self.spec.as_str(), naming::module_name(&stem));
        for overlay in &self.overlays {
            generator = generator.overlay(overlay.as_str());
        }
        let output = generator.generate()?;
        let crates = dir.join("crates");
        let _ = std::fs::remove_dir_all(&crates);
        output.write_to(&crates).map_err(io(format!("writing {}", crates.display())))?;
        let title = output.apis.first().map(|a| a.title.clone()).unwrap_or_default();
        for (path, text) in emit::mock::runner_files(&prefix, &title, emit::runtime::BESIDE, output.header())? {
            let path = crates.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io(format!("creating {}", parent.display())))?;
            }
            std::fs::write(&path, text).map_err(io(format!("writing {}", path.display())))?;
        }
        std::fs::write(crates.join("Cargo.lock"), LOCK).map_err(io("writing the lock file"))?;
        announce(&format!(
            "building the mock of {title} in {} (the first start, or the spec changed): cargo compiles the generated server and its dependencies optimised, which takes a few minutes; later starts reuse it",
            dir.display()
        ));
        // One target directory for every mock of the cache: the dependencies (axum, tokio, serde
        // and the rest) are built once, not once per spec. The program is copied out at once,
        // since another spec's mock of the same name would overwrite it there.
        let target = self.cache.join("target");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--package", &name])
            .current_dir(&crates)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(io("running cargo"))?;
        if !status.success() {
            return Err(MockError::Build(crates.display().to_string()));
        }
        let built = target.join("release").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        std::fs::copy(&built, &program).map_err(io(format!("copying {} to {}", built.display(), program.display())))?;
        std::fs::write(&stamp_file, stamp(&output.inputs)).map_err(io(format!("writing {}", stamp_file.display())))?;
        Ok(Prepared { program, built: true, warnings: output.warnings })
    }
}

/// What a mock was made by: this generator's version and a hash of its program (a generator
/// built anew makes its mocks anew).
fn maker() -> String {
    let program = std::env::current_exe().map(|p| content_hash(&p)).unwrap_or_default();
    format!("generator {} {program:016x}", env!("CARGO_PKG_VERSION"))
}

/// The maker line and one line per input file with a hash of its content.
fn stamp(inputs: &[String]) -> String {
    let mut text = format!("{}\n", maker());
    for input in inputs {
        // Absolute, so that a start from another directory finds the same files.
        let path = std::path::absolute(input).unwrap_or_else(|_| PathBuf::from(input));
        text.push_str(&format!("{:016x}\t{}\n", content_hash(&path), path.display()));
    }
    text
}

/// Whether the files a stamp lists are all as they were (and the generator is the same).
fn stamp_holds(stamp: &str) -> bool {
    let mut lines = stamp.lines();
    if lines.next() != Some(maker().as_str()) {
        return false;
    }
    lines.all(|line| line.split_once('\t').is_some_and(|(hash, file)| format!("{:016x}", content_hash(Path::new(file))) == hash))
}

fn content_hash(path: &Path) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    std::fs::read(path).ok().hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_holds_until_an_input_changes() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("spec.yaml");
        std::fs::write(&file, "openapi: 3.0.3\n").expect("written");
        let text = stamp(&[file.to_string_lossy().into_owned()]);
        assert!(stamp_holds(&text));
        std::fs::write(&file, "openapi: 3.1.0\n").expect("written");
        assert!(!stamp_holds(&text), "a changed input makes the mock stale");
        assert!(!stamp_holds(&text.replacen("generator ", "generator 0.0.0-other ", 1)), "so does another generator");
    }

    #[test]
    fn a_relative_cache_is_where_the_program_is_built_and_looked_for() {
        let dir = MockServer::new("petstore.yaml", Vec::new(), "target/mock-cache").dir();
        assert!(dir.is_absolute(), "cargo, run in the crates' directory, would build under it: {}", dir.display());
        assert!(dir.starts_with(std::env::current_dir().expect("a working directory").join("target/mock-cache")));
    }
}
