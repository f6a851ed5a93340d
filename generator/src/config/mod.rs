//! The config file (`openapi-rust.toml`): every generation job of a project in one place, read by
//! `openapi-rust` (`--config FILE`, or this file in the working directory) and by a build script
//! through [`Config::read`]; with it, the spec-change reviews kept as files (`[[review]]`, see
//! [`Review`]).
//!
//! ```toml
//! # openapi-rust.toml
//! [[job]]
//! name = "petstore"                       # the crates are petstore-models, -client, -server
//! out = "crates"                          # relative to this file
//! spec = [{ file = "petstore.yaml", overlays = ["fixes.yaml"] }]
//! crates = ["models", "client"]           # default: all three
//! tags = ["pets"]                         # only these operations (also `operations`,
//!                                         # `exclude-tags`, `exclude-operations`)
//! replace = { Money = "my_types::Money" }
//! dependencies = ['my-types = { path = "../../my-types" }']
//! readme = "Follows petstore.yaml of 2024-05-01."  # Markdown, the last section of each README
//! ```
//!
//! Paths are relative to the file's directory, and the generated files name them so: the same
//! config gives the same bytes from any working directory. Unknown keys are errors; every error
//! names the file, the line and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

mod review;

pub use review::{pairs_in, ReportFormat, Review};

use crate::fresh::{split_by_crate, Owned};
use crate::generator::CrateKind;
use crate::ir::naming;
use crate::{Error, Generator, Output, SpecInput};

/// The file `openapi-rust` reads when given neither `--config` nor `--spec`.
pub const FILE_NAME: &str = "openapi-rust.toml";

/// Why a config file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file (or a directory it names) cannot be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file or directory.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file says something that cannot be used.
    #[error("{file}:{line}: `{key}`: {message}")]
    Invalid {
        /// The config file, as it was given.
        file: String,
        /// The line (1-based) of the key or of the table it belongs to.
        line: usize,
        /// The key, as a path from the top (`job[0].spec[1].module`).
        key: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A config file, read: its jobs, each a configured [`Generator`].
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory every path of the file is relative to (the file's own).
    pub dir: PathBuf,
    /// The command that regenerates the output, named in every file's header and by a failed check.
    pub command: String,
    /// The jobs, in the order written (a `for-each-spec-in` job becomes one job per spec found).
    pub jobs: Vec<Job>,
    /// The spec-change reviews kept as files, in the order written (a `for-each-pair-in` review
    /// becomes one per pair found).
    pub reviews: Vec<Review>,
}

/// One generation job: a set of crates written into one directory.
#[derive(Debug, Clone)]
pub struct Job {
    /// The line of the job's table in the file.
    pub line: usize,
    /// The output directory, relative to [`Config::dir`].
    pub out: PathBuf,
    /// The generator, configured (its root is [`Config::dir`]).
    pub generator: Generator,
}

impl Job {
    /// Generates the job's files; with them, the crate directories it owns (relative to
    /// [`Config::dir`]) for [`crate::fresh::write`] or [`crate::fresh::stale_files`].
    pub fn generate(&self) -> Result<(Output, Vec<Owned>), Error> {
        let output = self.generator.generate()?;
        let owned = split_by_crate(&self.out, &output.files);
        Ok((output, owned))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFile {
    command: Option<String>,
    #[serde(default)]
    job: Vec<Spanned<RawJob>>,
    #[serde(default)]
    review: Vec<Spanned<review::RawReview>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawJob {
    name: Option<String>,
    out: String,
    #[serde(default)]
    spec: Vec<RawSpec>,
    for_each_spec_in: Option<String>,
    runtime: Option<String>,
    runtime_path: Option<String>,
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default)]
    format_types: BTreeMap<String, String>,
    #[serde(default)]
    dependencies: Vec<String>,
    crates: Option<Vec<CrateKind>>,
    features: Option<bool>,
    #[serde(default)]
    exact_paths: bool,
    readme: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    operations: Vec<String>,
    #[serde(default)]
    exclude_tags: Vec<String>,
    #[serde(default)]
    exclude_operations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSpec {
    file: String,
    module: Option<String>,
    #[serde(default)]
    overlays: Vec<String>,
}

/// A key as a path from the top (`job[0].spec[1].module`), without the field `toml::Spanned`
/// reads its value through.
fn key_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut key = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => key.push_str(&format!("[{index}]")),
            Segment::Map { key: name } | Segment::Enum { variant: name } if !name.starts_with("$__serde_spanned") => {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(name);
            }
            _ => {}
        }
    }
    if key.is_empty() {
        "(top)".into()
    } else {
        key
    }
}

/// The 1-based line of byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(1, |before| before.matches('\n').count() + 1)
}

/// The specs of a folder, as `(name, path)` sorted by name: each file `<name>.{yaml,yml,json}`, and
/// each folder `<name>/` holding a spec split over several files, entered at its `openapi.yaml`
/// (or `.yml`, `.json`). `dir` is relative to `root` and starts each path.
pub fn specs_in(root: &Path, dir: &str) -> std::io::Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root.join(dir))? {
        let path = entry?.path();
        let Some(file_name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
        if path.is_dir() {
            if let Some(entry) = ["openapi.yaml", "openapi.yml", "openapi.json"].into_iter().find(|e| path.join(e).is_file()) {
                found.push((file_name.clone(), format!("{dir}/{file_name}/{entry}")));
            }
        } else if let Some((stem, "yaml" | "yml" | "json")) = file_name.rsplit_once('.') {
            found.push((stem.to_owned(), format!("{dir}/{file_name}")));
        }
    }
    found.sort();
    Ok(found)
}

impl Config {
    /// Reads the config file at `path`; its paths are relative to its directory.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { file: path.display().to_string(), source })?;
        Config::parse(&text, path)
    }

    /// Reads a config file's text; `path` names it in errors and places its relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let invalid = |line: usize, key: String, message: String| ConfigError::Invalid { file: file.clone(), line, key, message };
        let deserializer = toml::Deserializer::parse(text).map_err(|e| invalid(e.span().map_or(1, |s| line_of(text, s.start)), "(syntax)".into(), e.message().to_owned()))?;
        let raw: RawFile = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let key = key_path(e.path());
            let inner = e.into_inner();
            invalid(inner.span().map_or(1, |s| line_of(text, s.start)), key, inner.message().to_owned())
        })?;
        let default_command = match path.file_name().and_then(|n| n.to_str()) {
            Some(FILE_NAME) => "openapi-rust".to_owned(),
            Some(name) => format!("openapi-rust --config {name}"),
            None => "openapi-rust".to_owned(),
        };
        let command = raw.command.unwrap_or(default_command);
        let mut jobs = Vec::new();
        if raw.job.is_empty() && raw.review.is_empty() {
            return Err(invalid(1, "job".into(), "the file has no `[[job]]`; each job says what to generate and where".into()));
        }
        for (index, spanned) in raw.job.into_iter().enumerate() {
            let line = line_of(text, spanned.span().start);
            let job = spanned.into_inner();
            let key = |name: &str| format!("job[{index}].{name}");
            let fail = |name: &str, message: String| Err(invalid(line, key(name), message));
            // Each crate-name prefix with its specs.
            let families: Vec<(String, Vec<SpecInput>)> = match (&job.for_each_spec_in, job.spec.is_empty(), &job.name) {
                (Some(folder), true, None) => {
                    let found = specs_in(&dir, folder).map_err(|source| ConfigError::Read { file: dir.join(folder).display().to_string(), source })?;
                    found.into_iter().map(|(name, path)| (name.clone(), vec![SpecInput { module: naming::module_name(&name), path, overlays: Vec::new() }])).collect()
                }
                (Some(_), _, _) => return fail("for-each-spec-in", "names each job's specs and crate names itself; leave out `spec` and `name`".into()),
                (None, true, _) => return fail("spec", "a job needs at least one spec (`spec = [{ file = \"openapi.yaml\" }]`) or `for-each-spec-in`".into()),
                (None, false, None) => return fail("name", "a job needs the crate-name prefix (`name = \"petstore\"` gives petstore-models, …)".into()),
                (None, false, Some(name)) => {
                    let specs = job.spec.iter().map(|s| SpecInput { module: s.module.clone().unwrap_or_else(|| module_of(&s.file)), path: s.file.clone(), overlays: s.overlays.clone() }).collect();
                    vec![(name.clone(), specs)]
                }
            };
            if job.runtime.is_some() && job.runtime_path.is_some() {
                return fail("runtime", "give `runtime` (dependency keys) or `runtime-path`, not both".into());
            }
            if let Some(kinds) = &job.crates {
                if let Some(why) = CrateKind::refused(kinds) {
                    return fail("crates", why);
                }
            }
            for (name, specs) in families {
                if !naming::is_crate_name(&name) {
                    return fail("name", format!("`{name}` cannot start a crate name; try `{}`", naming::crate_name_from(&name)));
                }
                let mut generator = Generator::new(name.as_str()).root(&dir).command(command.as_str()).trailing_slash(!job.exact_paths);
                for SpecInput { module, path, overlays } in specs {
                    if !naming::is_module_name(&module) {
                        return fail("spec", format!("`{module}` (for {path}) is not usable as a Rust module name; try `{}`", naming::module_name(&module)));
                    }
                    generator = generator.spec(path, module);
                    for overlay in overlays {
                        generator = generator.overlay(overlay);
                    }
                }
                if let Some(keys) = &job.runtime {
                    generator = generator.runtime(keys.as_str());
                } else if let Some(path) = &job.runtime_path {
                    // Given from the output directory; each crate is one directory below it.
                    generator = generator.runtime_path(&if Path::new(path).is_absolute() { path.clone() } else { format!("../{path}") });
                }
                for (schema, rust) in &job.replace {
                    generator = generator.replace(schema, rust);
                }
                for (format, rust) in &job.format_types {
                    generator = generator.format_type(format, rust);
                }
                for line in &job.dependencies {
                    generator = generator.dependency(line.as_str());
                }
                if let Some(kinds) = &job.crates {
                    generator = generator.crates(kinds.iter().copied());
                }
                // Named as the specs are, from the config's directory: warnings land in generated READMEs.
                let config_name = path.file_name().map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
                let origin = crate::Location { file: config_name, line: Some(line), pointer: format!("/job/{index}") };
                generator = generator.selection_origin(origin).select(&crate::ir::Selection { tags: job.tags.clone(), operations: job.operations.clone(), exclude_tags: job.exclude_tags.clone(), exclude_operations: job.exclude_operations.clone() });
                if let Some(features) = job.features {
                    generator = generator.features(features);
                }
                if let Some(note) = &job.readme {
                    generator = generator.readme_note(note.as_str());
                }
                jobs.push(Job { line, out: PathBuf::from(&job.out), generator });
            }
        }
        let mut reviews = Vec::new();
        for (index, spanned) in raw.review.into_iter().enumerate() {
            let line = line_of(text, spanned.span().start);
            let found = spanned.into_inner().reviews(&dir, line).map_err(|(key, message)| invalid(line, format!("review[{index}].{key}"), message))?;
            reviews.extend(found);
        }
        Ok(Config { dir, command, jobs, reviews })
    }

    /// The reviews' report files, one [`Owned`] directory per `out`, for [`crate::fresh::write`]
    /// or [`crate::fresh::stale_files`]; an error names the review's line.
    pub fn review_outputs(&self) -> Result<Vec<Owned>, String> {
        review::owned(&self.reviews, &self.dir, &self.command).map_err(|(line, e)| format!("the review of line {line}: {e}"))
    }
}

/// The module of a spec the config names no module for: its file name in snake_case.
fn module_of(file: &str) -> String {
    let stem = Path::new(file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    naming::module_name(&stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match Config::parse(text, Path::new("dir/openapi-rust.toml")) {
            Ok(config) => panic!("accepted: {config:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn every_error_names_the_file_the_line_and_the_key() {
        let unknown = error("[[job]]\nname = \"pets\"\nout = \"out\"\nspec = [{ file = \"pets.yaml\", modul = \"v1\" }]\n");
        assert!(unknown.starts_with("dir/openapi-rust.toml:4: `job[0].spec[0].modul`: unknown field `modul`"), "{unknown}");
        let wrong_type = error("[[job]]\nname = \"pets\"\nout = 3\nspec = [{ file = \"pets.yaml\" }]\n");
        assert!(wrong_type.starts_with("dir/openapi-rust.toml:3: `job[0].out`: invalid type: integer `3`, expected a string"), "{wrong_type}");
        let crates = error("command = \"x\"\n\n[[job]]\nname = \"pets\"\nout = \"out\"\nspec = [{ file = \"pets.yaml\" }]\ncrates = [\"client\"]\n");
        assert!(crates.starts_with("dir/openapi-rust.toml:3: `job[0].crates`: "), "{crates}");
        let kind = error("[[job]]\nname = \"pets\"\nout = \"out\"\nspec = [{ file = \"pets.yaml\" }]\ncrates = [\"sdk\"]\n");
        assert!(kind.starts_with("dir/openapi-rust.toml:5: `job[0].crates[0]`: unknown variant `sdk`"), "{kind}");
        let name = error("[[job]]\nout = \"out\"\nspec = [{ file = \"pets.yaml\" }]\n");
        assert!(name.starts_with("dir/openapi-rust.toml:1: `job[0].name`: "), "{name}");
        let review = error("[[review]]\nname = \"v2\"\nout = \"reviews\"\nnew = { file = \"v2.yaml\" }\n");
        assert!(review.starts_with("dir/openapi-rust.toml:1: `review[0].old`: a review needs the old spec"), "{review}");
        let format = error("[[review]]\nname = \"v2\"\nout = \"r\"\nold = { file = \"a.yaml\" }\nnew = { file = \"b.yaml\" }\nformats = [\"html\"]\n");
        assert!(format.starts_with("dir/openapi-rust.toml:6: `review[0].formats[0]`: unknown variant `html`"), "{format}");
        let syntax = error("[[job]\n");
        assert!(syntax.starts_with("dir/openapi-rust.toml:1: "), "{syntax}");
    }

    #[test]
    fn paths_are_relative_to_the_file_and_name_the_command() -> Result<(), ConfigError> {
        let text = "[[job]]\nname = \"pets\"\nout = \"crates\"\nruntime-path = \"../runtime\"\nspec = [{ file = \"specs/pet-store.yaml\" }]\n";
        let config = Config::parse(text, Path::new("project/openapi-rust.toml"))?;
        assert_eq!(config.dir, Path::new("project"));
        assert_eq!(config.command, "openapi-rust");
        let [job] = config.jobs.as_slice() else { panic!("one job: {config:?}") };
        assert_eq!(job.out, Path::new("crates"));
        let reviewed = format!("{text}\n[[review]]\nname = \"v1-to-v2\"\nout = \"reviews\"\nold = {{ file = \"v1.yaml\" }}\nnew = {{ file = \"v2.yaml\", overlays = [\"fix.yaml\"] }}\nformats = [\"markdown\", \"json\"]\n");
        let config = Config::parse(&reviewed, Path::new("project/openapi-rust.toml"))?;
        let [review] = config.reviews.as_slice() else { panic!("one review: {config:?}") };
        assert_eq!((review.line, review.out.as_path(), review.old.as_str(), review.new.as_str()), (7, Path::new("reviews"), "v1.yaml", "v2.yaml"));
        assert_eq!((review.options.new_overlays.as_slice(), review.formats.as_slice()), (&["fix.yaml".to_owned()][..], &[ReportFormat::Markdown, ReportFormat::Json][..]));
        let other = Config::parse(text, Path::new("ci.toml"))?;
        assert_eq!(other.command, "openapi-rust --config ci.toml");
        Ok(())
    }
}
