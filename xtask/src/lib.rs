//! Project automation behind `cargo xtask`: what the repository generates, and the freshness check.
//!
//! [`outputs`] runs every generation job: those of the config file `openapi-rust.toml` (the Docker
//! Hub crates, every fixture's golden crates), and the golden spec-change reports of
//! [`diff_golden`]; `cargo xtask codegen`
//! writes them and `cargo xtask codegen --check` compares them, as does the golden test.
//! `cargo xtask diff OLD NEW` reviews a spec change through [`diff_specs`].

pub mod bench;
pub mod bench_diff;
pub mod bench_mock;
pub mod census;
pub mod corpus;
pub mod expected;
pub mod judge;
pub mod lints;
pub mod placement;
pub mod repairs;
pub mod roundtrip;
pub mod wire;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
// The freshness check is the generator's own (`openapi-rust --check` runs the same code).
pub use generator::fresh::{existing_files, split_by_crate, stale_files, write, Owned, Stale};

/// The command that refreshes everything generated.
pub const COMMAND: &str = "cargo xtask codegen";

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Where the fixture specs are.
pub const FIXTURE_SPECS: &str = "tests/fixtures/specs";

/// The fixture specs (see [`generator::config::specs_in`]): `(name, spec path relative to the
/// root)`, sorted by name; golden crates are in `tests/fixtures/golden/<name>-models` and so on.
pub fn fixtures(root: &Path) -> Result<Vec<(String, String)>> {
    generator::config::specs_in(root, FIXTURE_SPECS).with_context(|| format!("reading {FIXTURE_SPECS}"))
}

/// The evidence-backed corrections of the Docker Hub spec, kept apart from the vendor's text.
pub const HUB_OVERLAY: &str = "spec/hub.overlay.yaml";

/// This repository's config file: the Docker Hub crates and the fixtures' golden crates.
pub const CONFIG: &str = generator::config::FILE_NAME;

/// Runs every generation job (those of [`CONFIG`], then the golden spec-change reports) and
/// returns what each owned directory should contain.
pub fn outputs(root: &Path) -> Result<Vec<Owned>> {
    let config = generator::config::Config::read(&root.join(CONFIG))?;
    if config.command != COMMAND {
        bail!("{CONFIG} names `{}` as its command; the headers of what it generates name `{COMMAND}`", config.command);
    }
    let mut owned = Vec::new();
    for job in &config.jobs {
        let (_, crates) = job.generate().with_context(|| format!("generating the job of {CONFIG}:{} ({})", job.line, job.out.display()))?;
        owned.extend(crates);
    }
    owned.extend(config.review_outputs().map_err(|e| anyhow::anyhow!("{CONFIG}: {e}"))?);
    Ok(owned)
}

/// The spec-change review's fixture pairs: `tests/fixtures/diff/<case>/old.yaml` and `new.yaml`.
pub const DIFF_FIXTURES: &str = "tests/fixtures/diff";

/// Where the golden spec-change reports are; `cargo xtask codegen` refreshes them.
pub const DIFF_GOLDEN: &str = "tests/fixtures/diff/golden";

/// The later published revision of the Docker Hub spec, the real pair for spec-change review.
pub const HUB_2023: &str = "../shared/specs/dockerhub/hub-2023.yaml";

/// The revision between 2023 and the newest.
pub const HUB_2025_03: &str = "../shared/specs/dockerhub/hub-2025-03.yaml";

/// Docker's newest published Hub spec, the vendor's text byte for byte.
pub const HUB_LATEST: &str = "spec/hub-latest.yaml";

/// The evidence-backed corrections of [`HUB_LATEST`], as [`HUB_OVERLAY`] is of the seed.
pub const HUB_LATEST_OVERLAY: &str = "spec/hub-latest.overlay.yaml";

/// The fixture cases: every directory under [`DIFF_FIXTURES`] holding an `old.yaml`, sorted.
pub fn diff_cases(root: &Path) -> Result<Vec<String>> {
    generator::config::pairs_in(root, DIFF_FIXTURES).with_context(|| format!("reading {DIFF_FIXTURES}"))
}

/// Compares two specs (paths relative to `root`) as `cargo xtask diff` does.
pub fn diff_specs(root: &Path, old: &str, new: &str, options: &generator::diff::Options) -> Result<generator::diff::Report> {
    // The generator's errors already say their cause; `{e}` keeps `{e:#}` from repeating it.
    generator::diff::diff_files(root, old, new, options).map_err(|e| anyhow::anyhow!("comparing {old} with {new}: {e}"))
}

/// The changes for which `cargo xtask diff --fail-on LEVEL` exits with a failure status (none
/// when no level is given), leaving out those the ignore file accepts.
pub fn diff_failures<'a>(report: &'a generator::diff::Report, level: Option<generator::diff::FailOn>, ignored: &generator::diff::Ignored) -> Vec<&'a generator::diff::Change> {
    level.map(|level| report.failing(level, ignored)).unwrap_or_default()
}

/// Compares two specs as `cargo xtask diff OLD NEW` does: each is a path relative to `root` or
/// `REV:path`, the file at a git revision (see [`spec_at_revision`]), on either side or both. Each
/// side is read from its own copy, so the report is the one the two files checked out would give;
/// it names a revision's spec as given (`HEAD~1:spec/hub.yaml`).
pub fn diff_given(root: &Path, old: &str, new: &str, options: &generator::diff::Options) -> Result<generator::diff::Report> {
    let (old_root, new_root) = (spec_at_revision(root, old)?, spec_at_revision(root, new)?);
    let file = |spec: &str, at: &Option<PathBuf>| if at.is_some() { spec.split_once(':').map_or(spec, |(_, p)| p).to_owned() } else { spec.to_owned() };
    let (old_file, new_file) = (file(old, &old_root), file(new, &new_root));
    let revisions = [old_root.is_some(), new_root.is_some()];
    let options = generator::diff::Options { old_root: old_root.or_else(|| options.old_root.clone()), new_root: new_root.or_else(|| options.new_root.clone()), ..options.clone() };
    let mut report = diff_specs(root, &old_file, &new_file, &options)?;
    for ((names, (given, file)), revision) in [(&mut report.old, (old, &old_file)), (&mut report.new, (new, &new_file))].into_iter().zip(revisions) {
        if revision {
            names.iter_mut().for_each(|n| *n = n.replacen(file.as_str(), given, 1));
        }
    }
    Ok(report)
}

/// A spec named `REV:path` (`HEAD~1:spec/hub.yaml`) where no such file exists is that file at that
/// git revision: its directory at the revision (the files its `$ref`s reach with it) is written
/// under `target/diff-revisions/`, and the root to read `path` from is returned. `None` for a
/// plain file.
///
/// Each revision and directory gets a folder of its own, named so that no two can meet
/// (`feature/x` and `feature_x` are different folders), so both sides of one comparison may be
/// revisions, even of one directory.
pub fn spec_at_revision(root: &Path, spec: &str) -> Result<Option<PathBuf>> {
    let Some((rev, path)) = spec.split_once(':') else { return Ok(None) };
    if root.join(spec).exists() || rev.is_empty() || path.is_empty() {
        return Ok(None);
    }
    let dir = Path::new(path).parent().map(|d| d.to_string_lossy().into_owned()).filter(|d| !d.is_empty()).unwrap_or_else(|| ".".into());
    let out = root.join("target/diff-revisions").join(format!("{}@{}", folder_name(rev), folder_name(&dir)));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    let archive = std::process::Command::new("git").args(["archive", "--format=tar", rev, "--", &dir]).current_dir(root).output().context("running git archive")?;
    if !archive.status.success() {
        bail!("cannot read {path} at revision {rev}: {}", String::from_utf8_lossy(&archive.stderr).trim());
    }
    let mut tar = std::process::Command::new("tar").args(["-x", "-f", "-"]).current_dir(&out).stdin(std::process::Stdio::piped()).spawn().context("running tar")?;
    {
        use std::io::Write as _;
        tar.stdin.take().context("tar's stdin")?.write_all(&archive.stdout)?;
    }
    // The archive holds paths from the repository's top; `path` is from `root`.
    let prefix = std::process::Command::new("git").args(["rev-parse", "--show-prefix"]).current_dir(root).output().context("running git rev-parse")?;
    let at = out.join(String::from_utf8_lossy(&prefix.stdout).trim());
    if !tar.wait()?.success() || !at.join(path).exists() {
        bail!("{path} does not exist at revision {rev}");
    }
    Ok(Some(at))
}

/// `text` as one folder name, one-to-one: letters, digits, `-` and `.` stay, every other byte is
/// `_` and its two hex digits (`feature/x` is `feature_2fx`, `feature_x` is `feature_5fx`).
fn folder_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out
}

/// The golden reports: the `[[review]]` tables of [`CONFIG`] that write into [`DIFF_GOLDEN`]
/// (Markdown for every fixture pair, JSON for one, the Docker Hub spec against its revisions and
/// under its overlays).
pub fn diff_golden(root: &Path) -> Result<Owned> {
    let config = generator::config::Config::read(&root.join(CONFIG))?;
    let owned = config.review_outputs().map_err(|e| anyhow::anyhow!("{CONFIG}: {e}"))?;
    let files = owned.into_iter().filter(|o| o.dir == Path::new(DIFF_GOLDEN)).flat_map(|o| o.files).collect();
    Ok(Owned { dir: PathBuf::from(DIFF_GOLDEN), files })
}

