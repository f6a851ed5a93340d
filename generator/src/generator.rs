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
    /// OpenAPI Overlays applied to it in order, relative to the generator's root.
    pub overlays: Vec<String>,
}

/// One of the crates a [`Generator`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CrateKind {
    /// `<prefix>-models`: the types.
    Models,
    /// `<prefix>-client`: the client, over the models.
    Client,
    /// `<prefix>-server`: the server traits and router, over the models.
    Server,
}

impl CrateKind {
    /// The suffix of the crate's name (`models`).
    pub fn suffix(self) -> &'static str {
        match self {
            CrateKind::Models => "models",
            CrateKind::Client => "client",
            CrateKind::Server => "server",
        }
    }

    /// Why a choice of crates cannot be written, if it cannot: the client and the server are
    /// written over the models crate.
    pub fn refused(kinds: &[CrateKind]) -> Option<String> {
        if kinds.is_empty() {
            return Some("choose at least one of \"models\", \"client\", \"server\"".into());
        }
        let over_models = kinds.iter().find(|k| **k != CrateKind::Models);
        match over_models {
            Some(kind) if !kinds.contains(&CrateKind::Models) => Some(format!("the {} crate is written over the models crate; add \"models\"", kind.suffix())),
            _ => None,
        }
    }
}

/// Generates the crates for one API family (one or more specs under one crate-name prefix).
#[derive(Debug, Clone)]
pub struct Generator {
    prefix: String,
    root: PathBuf,
    specs: Vec<SpecInput>,
    command: String,
    /// The runtime's dependency keys, or `None` for the copy written beside the crates.
    runtime: Option<String>,
    dependencies: Vec<String>,
    options: ir::Options,
    features: bool,
    /// Whether the server also routes each path with one trailing slash.
    trailing_slash: bool,
    /// Overlays given before any spec: an error when generating.
    orphan_overlays: Vec<String>,
    /// The crates written (all three by default).
    crates: Vec<CrateKind>,
    /// The operations generated (all by default).
    selection: ir::Selection,
    /// Where the selection was written, for its warnings (else the first spec).
    selection_origin: Option<crate::Location>,
    /// Markdown added to each crate's README.
    readme_note: Option<String>,
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
    /// Every file read, relative to the root: the specs and the files they reference. A `build.rs`
    /// prints `cargo:rerun-if-changed` for each.
    pub inputs: Vec<String>,
    prefix: String,
    header: String,
}

impl Generator {
    /// A generator for crates named `<prefix>-models` (and, later, `-client` and `-server`).
    pub fn new(prefix: impl Into<String>) -> Self {
        Generator {
            prefix: prefix.into(),
            root: PathBuf::from("."),
            specs: Vec::new(),
            command: "cargo xtask codegen".into(),
            runtime: None,
            dependencies: Vec::new(),
            options: ir::Options::default(),
            features: true,
            orphan_overlays: Vec::new(),
            trailing_slash: true,
            crates: vec![CrateKind::Models, CrateKind::Client, CrateKind::Server],
            selection: ir::Selection::default(),
            selection_origin: None,
            readme_note: None,
        }
    }

    /// Generates only the operations of `tag` (with any other [`tag`](Generator::tag) or
    /// [`operation`](Generator::operation) chosen) and the types they reach; a tag that no
    /// operation has is reported as a warning. The tags kept still become Cargo features.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.selection.tags.push(tag.into());
        self
    }

    /// Generates only the operation `operation` (its `operationId` or its Rust name), with any
    /// other chosen, and the types they reach.
    pub fn operation(mut self, operation: impl Into<String>) -> Self {
        self.selection.operations.push(operation.into());
        self
    }

    /// Leaves out the operations of `tag` (and the types only they reach).
    pub fn exclude_tag(mut self, tag: impl Into<String>) -> Self {
        self.selection.exclude_tags.push(tag.into());
        self
    }

    /// Leaves out the operation `operation` (its `operationId` or its Rust name).
    pub fn exclude_operation(mut self, operation: impl Into<String>) -> Self {
        self.selection.exclude_operations.push(operation.into());
        self
    }

    /// Adds every selector of `selection` (see [`ir::Selection`]).
    pub fn select(mut self, selection: &ir::Selection) -> Self {
        self.selection.tags.extend(selection.tags.iter().cloned());
        self.selection.operations.extend(selection.operations.iter().cloned());
        self.selection.exclude_tags.extend(selection.exclude_tags.iter().cloned());
        self.selection.exclude_operations.extend(selection.exclude_operations.iter().cloned());
        self
    }

    /// Where the selection was written (a config file's job), named by the warning for a selector
    /// that matches nothing; by default the first spec is.
    pub fn selection_origin(mut self, location: crate::Location) -> Self {
        self.selection_origin = Some(location);
        self
    }

    /// Which crates to write (default: all three); the client and the server need the models.
    pub fn crates(mut self, kinds: impl IntoIterator<Item = CrateKind>) -> Self {
        self.crates = kinds.into_iter().collect();
        self.crates.sort();
        self.crates.dedup();
        self
    }

    /// Whether each tag becomes a Cargo feature of the crates (default: yes, when there are several
    /// tags). [`Output::single_file`] needs them off.
    pub fn features(mut self, features: bool) -> Self {
        self.features = features;
        self
    }

    /// Markdown added to each generated crate's README, as its last section: what a reader of the
    /// crates should know that the spec does not say, such as which revision of the vendor's
    /// description they follow and how to move them to the next one.
    pub fn readme_note(mut self, note: impl Into<String>) -> Self {
        self.readme_note = Some(note.into());
        self
    }

    /// Whether the generated router also serves every path with one trailing slash (default: yes,
    /// as most services do and many clients rely on). Turn it off for an API that gives `/a` and
    /// `/a/` different meanings; a path the spec declares with a slash is never shadowed either way.
    pub fn trailing_slash(mut self, on: bool) -> Self {
        self.trailing_slash = on;
        self
    }

    /// Where generated crates find the runtime crate, as the keys of its `Cargo.toml` dependency
    /// table (`version = "0.1"`, or `git = "…"`). By default the runtime is written beside the
    /// generated crates, as `generator-runtime/` of the output (see [`emit::runtime`]), so that the
    /// output builds wherever it is copied; naming a dependency here writes no copy.
    /// [`runtime_path`] writes the usual path form.
    ///
    /// [`runtime_path`]: Generator::runtime_path
    pub fn runtime(mut self, dependency: impl Into<String>) -> Self {
        self.runtime = Some(dependency.into());
        self
    }

    /// The runtime crate at `path` (relative to the generated crates' directories, or absolute).
    pub fn runtime_path(self, path: &str) -> Self {
        let escaped = path.replace('\\', "\\\\").replace('"', "\\\"");
        self.runtime(format!("path = \"{escaped}\""))
    }

    /// Adds a `Cargo.toml` dependency line (e.g. `my-types = { path = "../my-types" }`) to every
    /// generated crate: the crate a [`replace`](Generator::replace)d type comes from.
    pub fn dependency(mut self, line: impl Into<String>) -> Self {
        self.dependencies.push(line.into());
        self
    }

    /// Uses the existing Rust type at `rust_path` for component schema `schema` instead of
    /// generating one (typify's replacements); see [`ir::Options`] for what the type must implement.
    pub fn replace(mut self, schema: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.options.replace.insert(schema.into(), rust_path.into());
        self
    }

    /// Uses the existing Rust type at `rust_path` for every schema of `format` (e.g. `decimal` ->
    /// `rust_decimal::Decimal`).
    pub fn format_type(mut self, format: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.options.formats.insert(format.into(), rust_path.into());
        self
    }

    /// The directory spec paths are relative to (default: the current directory).
    pub fn root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = root.into();
        self
    }

    /// Adds a spec, read from `path` (relative to the root), generated into module `module`.
    pub fn spec(mut self, path: impl Into<String>, module: impl Into<String>) -> Self {
        self.specs.push(SpecInput { path: path.into(), module: module.into(), overlays: Vec::new() });
        self
    }

    /// Applies the OpenAPI Overlay (1.0) at `path` (relative to the root) to the spec added last,
    /// after the overlays already given for it: corrections kept apart from the vendor's text.
    /// Without a spec added first, [`generate`](Generator::generate) reports it.
    pub fn overlay(mut self, path: impl Into<String>) -> Self {
        match self.specs.last_mut() {
            Some(spec) => spec.overlays.push(path.into()),
            None => self.orphan_overlays.push(path.into()),
        }
        self
    }

    /// The command named in the `@generated` header of every file (default `cargo xtask codegen`).
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Refuses names cargo or rustc would refuse, and type paths that are not Rust types.
    fn check_settings(&self) -> Result<(), Error> {
        let config = |message: String| Err(Error::Config { message });
        if let Some(overlay) = self.orphan_overlays.first() {
            return config(format!("the overlay {overlay} was given before any spec; add the spec it applies to first"));
        }
        if let Some(why) = CrateKind::refused(&self.crates) {
            return config(why);
        }
        if !ir::naming::is_crate_name(&self.prefix) {
            let suggestion = ir::naming::crate_name_from(&self.prefix);
            return config(format!("`{}` cannot start a crate name (cargo accepts ASCII letters, digits, `-` and `_`, starting with a letter); try `{suggestion}`", self.prefix));
        }
        let mut modules = std::collections::BTreeSet::new();
        for spec in &self.specs {
            if !ir::naming::is_module_name(&spec.module) {
                return config(format!("`{}` (for {}) is not usable as a Rust module name; use a lower-case identifier such as `{}`", spec.module, spec.path, ir::naming::snake_name(&spec.module)));
            }
            if !modules.insert(spec.module.as_str()) {
                return config(format!("two specs go into module `{}`; give each its own", spec.module));
            }
        }
        for (what, path) in self.options.replace.iter().chain(&self.options.formats) {
            if !ir::naming::is_rust_type(path) {
                return config(format!("`{path}` (for `{what}`) is not a Rust type path"));
            }
        }
        Ok(())
    }

    /// Loads and lowers every spec.
    pub fn lower(&self) -> Result<(Vec<Api>, Vec<Warning>), Error> {
        self.lower_with(&self.options)
    }

    fn lower_with(&self, options: &ir::Options) -> Result<(Vec<Api>, Vec<Warning>), Error> {
        self.check_settings()?;
        let mut diags = Diagnostics::default();
        let mut apis = Vec::new();
        for spec in &self.specs {
            let doc = load::load_file_with(&self.root, &spec.path, &spec.overlays, &mut diags)?;
            apis.push(ir::lower_with(&doc, &spec.module, options, &mut diags)?);
        }
        ir::select::warn_unmatched(&apis, &self.selection, self.selection_origin.as_ref(), &mut diags);
        for api in &mut apis {
            ir::select::select(api, &self.selection);
        }
        Ok((apis, diags.into_sorted()))
    }

    /// Runs the whole pipeline and returns the files to write.
    pub fn generate(&self) -> Result<Output, Error> {
        // The server crate's mock answers from the answers' document.
        let (apis, warnings) = self.lower_with(&ir::Options { answers: true, ..self.options.clone() })?;
        let runtime = self.runtime.as_deref().unwrap_or(emit::runtime::BESIDE);
        let crates = emit::Crates { runtime, dependencies: &self.dependencies, features: self.features, trailing_slash: self.trailing_slash, readme_note: self.readme_note.as_deref(), ..emit::Crates::new(&self.prefix, &self.command, &apis, &warnings) };
        let mut files = emit::emit(&crates)?;
        let left_out: Vec<String> = [CrateKind::Models, CrateKind::Client, CrateKind::Server].into_iter().filter(|k| !self.crates.contains(k)).map(|k| format!("{}-{}", self.prefix, k.suffix())).collect();
        files.retain(|path, _| path.components().next().is_none_or(|first| !left_out.iter().any(|c| first.as_os_str() == c.as_str())));
        if self.runtime.is_none() {
            files.extend(emit::runtime::files());
        }
        let header = crates.header();
        let inputs = apis.iter().flat_map(|a| a.inputs.iter().cloned()).collect();
        Ok(Output { files, warnings, apis, inputs, prefix: self.prefix.clone(), header })
    }
}

impl Output {
    /// The line every generated file starts with: `@generated`, by what command, from what.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The crates as one Rust file with a module each (`models`, `client`, `server`), for a
    /// `build.rs` to write into `OUT_DIR` and the crate to `include!` at its root; generate with
    /// [`Generator::features`] off.
    pub fn single_file(&self) -> Result<String, Error> {
        emit::single_file::single_file(&self.prefix, &self.files, &self.header)
    }

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
