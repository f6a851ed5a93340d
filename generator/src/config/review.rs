//! `[[review]]` tables: spec-change reviews kept as files beside the generated code, each a
//! report of [`crate::diff`] (Markdown, JSON or both) between two specs, refreshed and checked as
//! the generated crates are. A reviewer reads the file's diff in a pull request to see what a spec
//! change does to the API.
//!
//! ```toml
//! [[review]]
//! name = "v2-to-v3"                        # the report is reviews/v2-to-v3.md
//! out = "reviews"
//! old = { file = "specs/v2.yaml" }
//! new = { file = "specs/v3.yaml", overlays = ["specs/fixes.yaml"] }
//! module = "api"                          # default `api`; `prefix` names the crates (`code`)
//! formats = ["markdown", "json"]          # default: Markdown
//! code = true                             # also what changes in the generated crates' items
//!
//! [[review]]
//! for-each-pair-in = "specs/changes"       # each folder's old.yaml -> new.yaml, named after it
//! out = "reviews"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diff::{DiffError, Options, Report};
use crate::fresh::Owned;

/// A report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportFormat {
    /// `<name>.md`, as a pull request shows it.
    Markdown,
    /// `<name>.json`, for tools.
    Json,
}

/// One spec as a side of a review.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSide {
    file: String,
    #[serde(default)]
    overlays: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawReview {
    name: Option<String>,
    out: String,
    old: Option<RawSide>,
    new: Option<RawSide>,
    for_each_pair_in: Option<String>,
    module: Option<String>,
    prefix: Option<String>,
    #[serde(default)]
    code: bool,
    formats: Option<Vec<ReportFormat>>,
}

/// One review written as a file (or one per format): two specs and how they are compared.
#[derive(Debug, Clone)]
pub struct Review {
    /// The line of its `[[review]]` table.
    pub line: usize,
    /// The directory the report is written into, relative to the config's directory.
    pub out: PathBuf,
    /// The report's file name without extension.
    pub name: String,
    /// The old spec, relative to the config's directory.
    pub old: String,
    /// The new spec.
    pub new: String,
    /// How they are compared (module, crate prefix, overlays of each side, `code`).
    pub options: Options,
    /// The files written.
    pub formats: Vec<ReportFormat>,
}

impl RawReview {
    /// The reviews this table stands for (one per fixture folder with `for-each-pair-in`), or why
    /// it cannot be used, as (key, message).
    pub(super) fn reviews(self, dir: &Path, line: usize) -> Result<Vec<Review>, (String, String)> {
        let base = Options { module: self.module.unwrap_or_else(|| "api".into()), prefix: self.prefix.unwrap_or_else(|| "api".into()), code: self.code, ..Options::default() };
        let formats = self.formats.unwrap_or_else(|| vec![ReportFormat::Markdown]);
        if formats.is_empty() {
            return Err(("formats".into(), "name at least one of \"markdown\" and \"json\"".into()));
        }
        let review = |name: String, old: RawSide, new: RawSide| Review {
            line,
            out: PathBuf::from(&self.out),
            name,
            old: old.file,
            new: new.file,
            options: Options { old_overlays: old.overlays, new_overlays: new.overlays, ..base.clone() },
            formats: formats.clone(),
        };
        match (self.for_each_pair_in, self.name, self.old, self.new) {
            (Some(folder), None, None, None) => {
                let pairs = pairs_in(dir, &folder).map_err(|e| ("for-each-pair-in".to_owned(), format!("cannot read {folder}: {e}")))?;
                Ok(pairs.into_iter().map(|case| review(case.clone(), side(&folder, &case, "old"), side(&folder, &case, "new"))).collect())
            }
            (Some(_), ..) => Err(("for-each-pair-in".into(), "names each review and its specs itself; leave out `name`, `old` and `new`".into())),
            (None, Some(name), Some(old), Some(new)) => Ok(vec![review(name, old, new)]),
            (None, None, ..) => Err(("name".into(), "a review needs the name of its report (`name = \"v1-to-v2\"` writes v1-to-v2.md)".into())),
            (None, Some(_), None, _) => Err(("old".into(), "a review needs the old spec (`old = { file = \"v1.yaml\" }`)".into())),
            (None, Some(_), _, None) => Err(("new".into(), "a review needs the new spec (`new = { file = \"v2.yaml\" }`)".into())),
        }
    }
}

/// The folders of `dir` (relative to `root`) holding an `old.yaml` and a `new.yaml`, by name.
pub fn pairs_in(root: &Path, dir: &str) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root.join(dir))? {
        let path = entry?.path();
        if path.join("old.yaml").is_file() && path.join("new.yaml").is_file() {
            if let Some(name) = path.file_name() {
                found.push(name.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    Ok(found)
}

fn side(folder: &str, case: &str, which: &str) -> RawSide {
    RawSide { file: format!("{folder}/{case}/{which}.yaml"), overlays: Vec::new() }
}

impl Review {
    /// The report, compared now, with the specs (and overlays) it names.
    pub fn report(&self, root: &Path) -> Result<Report, DiffError> {
        crate::diff::diff_files(root, &self.old, &self.new, &self.options)
    }

    /// The report's files (relative to [`Review::out`]), each headed by what wrote it.
    pub fn files(&self, root: &Path, command: &str) -> Result<BTreeMap<PathBuf, String>, DiffError> {
        let report = self.report(root)?;
        let named = |spec: &str, overlays: &[String]| std::iter::once(spec.to_owned()).chain(overlays.iter().cloned()).collect::<Vec<_>>().join(" + ");
        let header = format!("@generated by `{command}` from {} and {}. Do not edit by hand.", named(&self.old, &self.options.old_overlays), named(&self.new, &self.options.new_overlays));
        let mut files = BTreeMap::new();
        for format in &self.formats {
            let (extension, text) = match format {
                ReportFormat::Markdown => ("md", format!("<!-- {header} -->\n\n{}", report.to_markdown())),
                // JSON has no comments: the header is the first member, the report the second.
                ReportFormat::Json => {
                    let header = serde_json::to_string(&header)?;
                    ("json", format!("{{\"@generated\": {header},\n  \"report\": {}\n}}\n", report.to_json()?.replace('\n', "\n  ")))
                }
            };
            files.insert(PathBuf::from(format!("{}.{extension}", self.name)), text);
        }
        Ok(files)
    }
}

/// The reviews' files, one [`Owned`] directory per `out` (a directory of reports is the
/// reviews' alone: a report no review writes any more is stale).
pub fn owned(reviews: &[Review], root: &Path, command: &str) -> Result<Vec<Owned>, (usize, DiffError)> {
    let mut by_dir: BTreeMap<PathBuf, BTreeMap<PathBuf, String>> = BTreeMap::new();
    for review in reviews {
        let files = review.files(root, command).map_err(|e| (review.line, e))?;
        by_dir.entry(review.out.clone()).or_default().extend(files);
    }
    Ok(by_dir.into_iter().map(|(dir, files)| Owned { dir, files }).collect())
}
