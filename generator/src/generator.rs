//! The pipeline's one entry point: configure with [`Generator`], run with [`Generator::generate`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, Error, Warning};
use crate::ir::Api;
use crate::{emit, ir, load};

/// One spec to generate from.
#[derive(Debug, Clone)]
pub struct SpecInput {
    /// The file, relative to the generator's root; also its name in diagnostics and generated docs.
    pub path: String,
    /// The Rust module its items go into (e.g. `v2`).
    pub module: String,
}

/// Generates the crates for one API family (one or more specs under one crate-name prefix).
#[derive(Debug, Clone)]
pub struct Generator {
    prefix: String,
    root: PathBuf,
    specs: Vec<SpecInput>,
    command: String,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Output {
    /// File contents by path relative to the output directory (e.g. `dockerhub-models/src/lib.rs`).
    pub files: BTreeMap<PathBuf, String>,
    /// Everything the generator assumed, sorted by location.
    pub warnings: Vec<Warning>,
    /// The lowered APIs, one per spec, in the order given.
    pub apis: Vec<Api>,
}

impl Generator {
    /// A generator for crates named `<prefix>-models` (and, later, `-client` and `-server`).
    pub fn new(prefix: impl Into<String>) -> Self {
        Generator { prefix: prefix.into(), root: PathBuf::from("."), specs: Vec::new(), command: "cargo xtask codegen".into() }
    }

    /// The directory spec paths are relative to (default: the current directory).
    pub fn root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = root.into();
        self
    }

    /// Adds a spec, read from `path` (relative to the root), generated into module `module`.
    pub fn spec(mut self, path: impl Into<String>, module: impl Into<String>) -> Self {
        self.specs.push(SpecInput { path: path.into(), module: module.into() });
        self
    }

    /// The command named in the `@generated` header of every file (default `cargo xtask codegen`).
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Loads and lowers every spec.
    pub fn lower(&self) -> Result<(Vec<Api>, Vec<Warning>), Error> {
        let mut diags = Diagnostics::default();
        let mut apis = Vec::new();
        for spec in &self.specs {
            let doc = load::load_file(&self.root.join(&spec.path), &spec.path, &mut diags)?;
            apis.push(ir::lower(&doc, &spec.module, &mut diags)?);
        }
        Ok((apis, diags.into_sorted()))
    }

    /// Runs the whole pipeline and returns the files to write.
    pub fn generate(&self) -> Result<Output, Error> {
        let (apis, warnings) = self.lower()?;
        let files = emit::emit(&emit::Crates { prefix: &self.prefix, command: &self.command, apis: &apis, warnings: &warnings })?;
        Ok(Output { files, warnings, apis })
    }
}

impl Output {
    /// Writes every file under `dir`, creating directories as needed.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (path, contents) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, contents)?;
        }
        Ok(())
    }
}
