//! `cargo xtask`: the project's automation. See `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use anyhow::Context as _;
use xtask::{diff_failures, diff_given, outputs, project_root, stale_files, write, COMMAND};

/// Reading and lowering a large spec (a review reads two) allocates many small nodes: glibc's
/// allocator took 44% of `diff`'s time on GitHub's description, as it did of generation's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Project automation for the OpenAPI generator workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate `generated/` and the fixtures' golden crates from the specs.
    Codegen {
        /// Change nothing; fail with a diff when anything generated is stale.
        #[arg(long)]
        check: bool,
    },
    /// Compare two versions of a spec: what changed in the API, and whom each change breaks.
    ///
    /// Prints a report (Markdown for a pull-request comment, or JSON) on standard output.
    Diff {
        /// The spec before the change (relative to the current directory), or `REV:path` for the
        /// file at a git revision (`HEAD~1:spec/hub.yaml`).
        old: PathBuf,
        /// The spec after the change, as OLD.
        new: PathBuf,
        /// Also compare the public API of the crates generated from each version.
        #[arg(long)]
        code: bool,
        /// How to print the report.
        #[arg(long, value_enum, default_value = "markdown")]
        format: Format,
        /// Exit with a failure status when any change breaks clients or servers (`--fail-on breaking`).
        #[arg(long)]
        fail_on_breaking: bool,
        /// Exit with a failure status on any change that breaks `clients`, `servers`, either
        /// (`breaking`, also `wire`) on the wire; that breaks `code` against the generated crates;
        /// on `either`; on breaking changes and planned removals (`planned`); on breaking changes
        /// and a newly deprecated operation (`deprecations`); or on `any` change.
        #[arg(long, value_name = "LEVEL")]
        fail_on: Option<generator::diff::FailOn>,
        /// Changes accepted whatever `--fail-on` says: one `<change id> # <reason>` per line.
        #[arg(long, value_name = "FILE")]
        ignore: Option<PathBuf>,
        /// The module the specs' items are generated into (as in `generator --spec MODULE=FILE`).
        #[arg(long, default_value = "api")]
        module: String,
        /// Crate-name prefix of the crates compared by `--code` (`<NAME>-models`, …).
        #[arg(long, default_value = "api")]
        name: String,
        /// An OpenAPI Overlay applied to both specs (before any `--old-overlay`/`--new-overlay`).
        /// Repeatable, applied in order.
        #[arg(long = "overlay", value_name = "FILE")]
        overlays: Vec<String>,
        /// An OpenAPI Overlay applied to the old spec only. Repeatable.
        #[arg(long = "old-overlay", value_name = "FILE")]
        old_overlays: Vec<String>,
        /// An OpenAPI Overlay applied to the new spec only (to review an overlay change, give the
        /// same spec as OLD and NEW). Repeatable.
        #[arg(long = "new-overlay", value_name = "FILE")]
        new_overlays: Vec<String>,
    },
    /// Time `cargo check -j1` of the models and client crates generated from a spec (dependencies
    /// built first), with every tag and with one tag, and the peak memory of rustc.
    BenchCompile {
        /// The spec, relative to the project root.
        spec: String,
        /// Also check with only this tag's feature enabled.
        #[arg(long)]
        features: Option<String>,
        /// Also measure openapi-generator's Rust client of the spec in the same run (installs
        /// openapi-generator-cli with pip under `target/` the first time).
        #[arg(long)]
        peer: bool,
        /// Also measure the crates the generator of this git revision makes, in turns with ours
        /// (e.g. `--against main` on a branch): the before and after of a change in one run.
        #[arg(long, value_name = "REV")]
        against: Option<String>,
        /// Measure ours (and `--against`'s) this many times, in turns.
        #[arg(long, default_value_t = 1)]
        runs: usize,
    },
    /// Time generation (the release `openapi-rust`) and `cargo check -j1` of the models and client
    /// crates of a spec, with every tag and with one tag selected (`--tag`), in one run.
    BenchSelect {
        /// The spec, relative to the project root.
        spec: String,
        /// The tag selected.
        #[arg(long)]
        tag: String,
        /// Generation runs of each (the fastest counts).
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Time `cargo xtask diff` on a large spec against itself and against a copy with a handful of
    /// changes, with the peak memory of each: this binary's `diff`, unoptimised as `cargo xtask`
    /// runs it, or optimised with `cargo run --release -p xtask -- bench-diff`.
    BenchDiff {
        /// The spec, relative to the project root.
        #[arg(default_value = xtask::bench_diff::DEFAULT_SPEC)]
        spec: String,
        /// Runs of each comparison, in turns; the median time is shown.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Time the second start of `openapi-rust mock` on a spec (from the command to its first answer,
    /// the cache filled first) and the requests per second it answers to one GET; with `--prism`,
    /// Prism's in the same run.
    BenchMock {
        /// The spec, relative to the project root.
        spec: String,
        /// Requests per round of load.
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        /// Connections sending them at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// Rounds of load, each server once per round (in turns with Prism's).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Timed second starts of each server.
        #[arg(long, default_value_t = 5)]
        starts: usize,
        /// The path to GET (default: the first listed GET without path parameters answered 2xx).
        #[arg(long)]
        path: Option<String>,
        /// Also measure Prism, the same way in the same run (installs @stoplight/prism-cli with
        /// npm under `target/` the first time).
        #[arg(long)]
        prism: bool,
    },
    /// Generate every spec of `../shared/specs/corpus` and `../shared/specs/apisguru` and check
    /// that its crates get no warning from rustc, clippy and rustdoc; one line per spec, a total.
    Corpus {
        /// Only specs whose path contains this (repeatable).
        #[arg(long)]
        only: Vec<String>,
        /// Leave out specs whose path contains this (repeatable).
        #[arg(long)]
        skip: Vec<String>,
        /// Parallel build jobs for cargo.
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Leave out rustdoc.
        #[arg(long)]
        no_doc: bool,
        /// Leave out rustc and clippy. `cargo xtask roundtrip` builds the same crates with
        /// clippy's lints: CI runs both, and so has each crate type-checked once.
        #[arg(long)]
        no_clippy: bool,
        /// Document only the APIs.guru specs of at most this many bytes (the corpus always), as CI
        /// does with 10240.
        #[arg(long, value_name = "BYTES")]
        doc_max_bytes: Option<u64>,
    },
    /// Send every documented example of each spec (default: the corpus and the APIs.guru sample)
    /// through its generated models and back: one line per spec, then each example that did not
    /// come back the same, with its pointer.
    Roundtrip {
        /// Spec files, relative to the project root (default: every spec `corpus` checks).
        specs: Vec<String>,
        /// Of the default specs, only those whose path contains this (repeatable).
        #[arg(long)]
        only: Vec<String>,
        /// Parallel build jobs for cargo, and specs generated and judged at once (default: the
        /// number of cores).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Check the documented examples only, not the operations on the wire.
        #[arg(long)]
        examples_only: bool,
        /// The seed of the values the operations send and answer (a failure names its seed).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write what this run found into xtask/roundtrip-expected.tsv instead of comparing.
        #[arg(long)]
        bless: bool,
        /// Build in this directory (its `ws` and `target`) rather than in target/roundtrip and the
        /// corpus check's target directory, so that two runs at once do not overwrite each other.
        #[arg(long, value_name = "DIR")]
        scratch: Option<PathBuf>,
    },
}

/// Report formats of `cargo xtask diff`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for tools.
    Json,
    /// GitHub workflow commands: each change an annotation on its spec line.
    Github,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::BenchCompile { spec, features, peer, against, runs } => {
            let results = xtask::bench::bench_compile(&project_root(), &spec, &xtask::bench::Options { feature: features, peer, against, runs })?;
            let base = results.first().map(|r| r.secs).unwrap_or(1.0);
            println!("| what | `cargo check -j1` | peak rustc memory | vs ours, all tags |");
            println!("|---|---|---|---|");
            for r in &results {
                let peak = r.peak_mib.map_or_else(|| "n/a".to_owned(), |m| format!("{m} MiB"));
                println!("| {} | {:.1} s | {peak} | {:.2}x |", r.what, r.secs, r.secs / base);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchSelect { spec, tag, runs } => {
            let results = xtask::bench::bench_select(&project_root(), &spec, &tag, runs)?;
            let base = results.first().map_or((1.0, 1.0), |r| (r.generation_secs, r.check.secs));
            println!("| what | files | generation | vs all tags | `cargo check -j1` | peak rustc memory | vs all tags |");
            println!("|---|---|---|---|---|---|---|");
            for r in &results {
                let peak = r.check.peak_mib.map_or_else(|| "n/a".to_owned(), |m| format!("{m} MiB"));
                println!("| {} | {} | {:.2} s | {:.3}x | {:.1} s | {peak} | {:.3}x |", r.what, r.files, r.generation_secs, r.generation_secs / base.0, r.check.secs, r.check.secs / base.1);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchMock { .. } if cfg!(debug_assertions) => {
            // The load is sent from this process: unoptimised, it was the bottleneck (6,600
            // requests/s where the optimised build sends 36,000 to the same mock).
            eprintln!("benchmarks run optimised: cargo run --release -p xtask");
            let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["run", "--release", "--quiet", "--package", "xtask", "--"])
                .args(std::env::args_os().skip(1))
                .current_dir(project_root())
                .status()
                .context("running cargo")?;
            Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::BenchDiff { spec, runs } => {
            let exe = std::env::current_exe().context("the running xtask")?;
            let results = xtask::bench_diff::bench_diff(&project_root(), &exe, &spec, runs)?;
            // `cargo xtask diff` runs the unoptimised build: that is what is timed, unless this
            // binary was built with `--release`.
            let profile = if cfg!(debug_assertions) { "unoptimised, as `cargo xtask` runs it" } else { "optimised" };
            println!("`xtask diff` ({profile}) on `{spec}`, median of {runs} run(s); the copy has {}.\n", xtask::bench_diff::CHANGES);
            println!("| comparison | time | peak memory | breaking for clients / servers, non-breaking |");
            println!("|---|---|---|---|");
            for r in &results {
                let peak = r.peak_mib.map_or_else(|| "n/a".to_owned(), |m| format!("{m} MiB"));
                println!("| {} | {:.2} s | {peak} | {} / {}, {} |", r.what, r.secs, r.counts.0, r.counts.1, r.counts.2);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchMock { spec, requests, concurrency, rounds, starts, path, prism } => {
            let options = xtask::bench_mock::Options { requests, concurrency, rounds, starts, path, prism };
            let report = xtask::bench_mock::bench_mock(&project_root(), &spec, &options)?;
            for line in report.lines(&options) {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Corpus { only, skip, jobs, no_doc, no_clippy, doc_max_bytes } => {
            let results = xtask::corpus::check(&project_root(), &xtask::corpus::Options { only, skip, jobs, no_doc, no_clippy, doc_max_bytes })?;
            let failed: Vec<_> = results.iter().filter(|r| !r.ok()).collect();
            for f in &failed {
                eprintln!("\n{}:", f.spec);
                for message in f.failure.iter().chain(f.clippy.iter().flatten()).chain(f.rustdoc.iter().flatten()) {
                    eprintln!("{message}");
                }
            }
            let warnings: usize = results.iter().map(|r| r.warnings).sum();
            let judged = if no_clippy { "rustdoc warnings (rustc and clippy not run: `cargo xtask roundtrip` lints these crates as it builds them)" } else { "rustc, clippy and rustdoc warnings" };
            println!("{} of {} spec(s) generate crates free of {judged} ({warnings} generator warnings in all)", results.len() - failed.len(), results.len());
            Ok(if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Roundtrip { specs, only, jobs, examples_only, seed, bless, scratch } => {
            let results = xtask::roundtrip::check(&project_root(), &xtask::roundtrip::Options { specs, only, jobs, operations: !examples_only, seed, scratch })?;
            let totals = xtask::roundtrip::totals(&results);
            let failed = results.iter().filter(|r| !r.ok()).count();
            let unchecked = results.iter().filter(|r| !r.checked()).count();
            let valid = totals["exact"] + totals["lossy"] + totals["rejected"] + totals["misplaced"] + totals["wrong member"];
            println!(
                "{} of {} spec(s) give back every valid example: {} of {valid} valid examples exact, {} lossy, {} rejected, {} with a property misplaced, {} read as a member they are not; {} invalid against their own schema",
                results.len() - failed,
                results.len(),
                totals["exact"],
                totals["lossy"],
                totals["rejected"],
                totals["misplaced"],
                totals["wrong member"],
                totals["invalid"]
            );
            println!("{} example(s) the generator's repairs of the spec judge otherwise than the spec as published", totals["repaired"]);
            let not_checked: Vec<String> = xtask::census::Reason::ALL.iter().map(|r| format!("{} {}", totals[r.name()], r.name())).collect();
            println!("documented examples not checked: {}", not_checked.join(", "));
            let root = project_root();
            let unexpected = if bless {
                xtask::expected::bless(&root, &results, !examples_only)?;
                println!("wrote {}", xtask::expected::FILE);
                Vec::new()
            } else {
                xtask::expected::differences(&root, &results, !examples_only)?
            };
            for line in &unexpected {
                println!("unexpected: {line}");
            }
            if !unexpected.is_empty() {
                println!("{} count(s) differ from {}: fix what changed, or run `cargo xtask roundtrip --bless` if the change is meant", unexpected.len(), xtask::expected::FILE);
            }
            let skipped = xtask::wire::skipped_by_reason(results.iter().flat_map(|r| &r.operations));
            if !skipped.is_empty() {
                let reasons: Vec<String> = skipped.iter().map(|(why, n)| format!("{n} {why}")).collect();
                println!("not exercised: {}", reasons.join("; "));
            }
            println!("{} of {} operations round-tripped on the wire, {} failed, {} not exercised", totals["operations exact"], totals["operations"], totals["operations failed"], totals["operations"] - totals["operations exact"] - totals["operations failed"]);
            let linted = results.iter().filter(|r| !r.lints.is_empty()).count();
            if linted > 0 {
                println!("{linted} spec(s) whose crates rustc or clippy complained of (above)");
            }
            // What fails a run: a spec that could not be checked, a complaint from rustc or clippy,
            // or counts other than expected (a lossy or rejected example, a failed operation are
            // counted, printed and pinned).
            Ok(if unchecked == 0 && linted == 0 && unexpected.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Codegen { check } => codegen(check),
        Command::Diff { old, new, code, format, fail_on_breaking, fail_on, ignore, module, name, overlays, old_overlays, new_overlays } => {
            let both = |side: Vec<String>| overlays.iter().cloned().chain(side).collect();
            let (old, new) = (old.to_string_lossy().into_owned(), new.to_string_lossy().into_owned());
            let options = generator::diff::Options { module, prefix: name, code, old_overlays: both(old_overlays), new_overlays: both(new_overlays), ..Default::default() };
            // Either side may be `REV:path`, read from its own copy of that revision.
            let report = diff_given(Path::new("."), &old, &new, &options)?;
            let ignored = match &ignore {
                Some(file) => {
                    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
                    generator::diff::Ignored::parse(&text, &file.to_string_lossy()).map_err(anyhow::Error::msg)?
                }
                None => generator::diff::Ignored::default(),
            };
            for warning in &report.assumed {
                eprintln!("{warning}");
            }
            for stale in ignored.unused(&report) {
                eprintln!("warning: the ignore file accepts `{stale}`, which is no change of this comparison");
            }
            match format {
                Format::Markdown => print!("{}", report.to_markdown()),
                Format::Json => println!("{}", report.to_json()?),
                Format::Github => print!("{}", report.to_github(&ignored)),
            }
            let level = fail_on.or(fail_on_breaking.then_some(generator::diff::FailOn::Breaking));
            let failures = diff_failures(&report, level, &ignored);
            if !failures.is_empty() {
                eprintln!("{} change(s) fail the review:", failures.len());
                for change in failures {
                    eprintln!("  {} ({})", change.id, change.breaks.label());
                }
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn codegen(check: bool) -> anyhow::Result<ExitCode> {
    let root = project_root();
    let owned = outputs(&root)?;
    if check {
        let stale = stale_files(&root, &owned)?;
        if stale.is_empty() {
            eprintln!("generated files are fresh");
            return Ok(ExitCode::SUCCESS);
        }
        eprint!("{}", generator::fresh::report(&stale, COMMAND));
        return Ok(ExitCode::FAILURE);
    }
    let changed = write(&root, &owned)?;
    eprintln!("{changed} file(s) updated in {} generated crate(s)", owned.len());
    Ok(ExitCode::SUCCESS)
}
