//! Generator speed and memory.
//!
//! - For each Docker Hub description: load, lower, emit and the whole pipeline, with plain
//!   `serde_yaml` parsing of the same text as the baseline measured in the same run.
//! - For the largest specs of the corpus (`../shared/specs/corpus`: GitHub's 13 MB, Box, Asana): the
//!   whole pipeline (everything but writing files) against the parse-only floor, `openapiv3` read
//!   straight from the text with `serde_json` (or `serde_yaml`), and the peak memory of each, measured
//!   in a child process (its `VmHWM`) so that one measurement does not inherit another's high-water mark;
//!   and a floor of the output: `syn` and `prettyplease` parsing and printing the generated Rust
//!   from lexed tokens on every core, which any generator formatting with them pays.
//!
//! Run with `cargo bench -p generator`; add a name filter (`cargo bench -p generator -- github`)
//! for one spec. The peak-memory lines are printed before criterion's.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_main, Criterion};
use generator::diag::Diagnostics;
use generator::emit::{emit, Crates};
use generator::{ir, load};

/// The allocator of the `generator` binary, so that what is measured is what a user runs.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The corpus specs measured, largest first.
const CORPUS: [&str; 3] = ["github-api.json", "box.json", "asana.yaml"];

/// Set in a child process: `parse:FILE` or `generate:FILE` runs that once and prints the peak.
const PEAK_VAR: &str = "GENERATOR_BENCH_PEAK";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bench_spec(c: &mut Criterion, file: &str, module: &str) {
    let text = std::fs::read_to_string(root().join(file)).expect("spec readable");
    let mut group = c.benchmark_group(file);

    group.bench_function("parse-baseline", |b| b.iter(|| black_box(serde_yaml::from_str::<serde_yaml::Value>(black_box(&text)).expect("parses"))));
    group.bench_function("load", |b| b.iter(|| black_box(load::load_str(black_box(&text), file, &mut Diagnostics::default()).expect("loads"))));

    let doc = load::load_str(&text, file, &mut Diagnostics::default()).expect("loads");
    group.bench_function("lower", |b| b.iter(|| black_box(ir::lower(black_box(&doc), module, &mut Diagnostics::default()).expect("lowers"))));

    let api = ir::lower(&doc, module, &mut Diagnostics::default()).expect("lowers");
    let apis = [api];
    let crates = Crates::new("bench", "cargo bench", &apis, &[]);
    group.bench_function("emit", |b| b.iter(|| black_box(emit(black_box(&crates)).expect("emits"))));

    group.bench_function("total", |b| b.iter(|| black_box(generate(black_box(&text), file, module))));
    group.finish();
}

/// Everything the CLI does but writing: load, lower, emit.
fn generate(text: &str, file: &str, module: &str) -> usize {
    emitted(text, file, module).len()
}

/// The files generated from the spec, by path.
fn emitted(text: &str, file: &str, module: &str) -> std::collections::BTreeMap<PathBuf, String> {
    let mut diags = Diagnostics::default();
    let doc = load::load_str(text, file, &mut diags).expect("loads");
    let apis = [ir::lower(&doc, module, &mut diags).expect("lowers")];
    drop(doc);
    let warnings = diags.into_sorted();
    emit(&Crates::new("bench", "cargo bench", &apis, &warnings)).expect("emits")
}

/// The Rust files generated from the spec, largest first.
fn rust_files(text: &str, file: &str, module: &str) -> Vec<String> {
    let mut rust: Vec<String> = emitted(text, file, module).into_iter().filter(|(path, _)| path.extension().is_some_and(|e| e == "rs")).map(|(_, text)| text).collect();
    rust.sort_by_key(|text| std::cmp::Reverse(text.len()));
    rust
}

/// A second floor, of the output: the time `syn` and `prettyplease` take to parse and print the
/// generated Rust from tokens already lexed, which every generator formatting with them pays
/// whatever else it does. The files are dealt to every core as the generator deals its chunks
/// (largest first, each to the least loaded core); each core lexes its files before the clock
/// starts, since tokens cannot cross threads, and the time is the slowest core's.
fn format_floor(files: &[String]) -> std::time::Duration {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut shares: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); cores];
    for text in files {
        if let Some(share) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            share.0 += text.len();
            share.1.push(text);
        }
    }
    let ready = std::sync::Barrier::new(cores);
    std::thread::scope(|scope| {
        let ready = &ready;
        let workers: Vec<_> = shares
            .iter()
            .map(|(_, texts)| {
                scope.spawn(move || {
                    let tokens: Vec<proc_macro2::TokenStream> = texts.iter().map(|t| t.parse().expect("generated code lexes")).collect();
                    ready.wait();
                    let start = std::time::Instant::now();
                    for stream in tokens {
                        let file: syn::File = syn::parse2(stream).expect("generated code parses");
                        black_box(prettyplease::unparse(&file));
                    }
                    start.elapsed()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a formatting thread")).max().unwrap_or_default()
    })
}

/// The floor: the text read into `openapiv3`'s model and nothing else.
fn parse_only(text: &str, file: &str) -> openapiv3::OpenAPI {
    if file.ends_with(".json") {
        serde_json::from_str(text).expect("parses")
    } else {
        serde_yaml::from_str(text).expect("parses")
    }
}

fn corpus_path(file: &str) -> PathBuf {
    root().join("../shared/specs/corpus").join(file)
}

fn bench_corpus(c: &mut Criterion) {
    for file in CORPUS {
        let path = corpus_path(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{} is missing: its benchmark is skipped", path.display());
            continue;
        };
        let module = ir::naming::module_name(file.split('.').next().unwrap_or("api"));
        let mut group = c.benchmark_group(format!("corpus/{file}"));
        group.sample_size(10);
        group.bench_function("parse-baseline", |b| b.iter(|| black_box(parse_only(black_box(&text), file))));
        group.bench_function("generate", |b| b.iter(|| black_box(generate(black_box(&text), file, &module))));
        // Generated once, and only when this benchmark is not filtered out.
        let files = std::cell::OnceCell::new();
        group.bench_function("format-floor", |b| {
            let files = files.get_or_init(|| rust_files(&text, file, &module));
            b.iter_custom(|iterations| (0..iterations).map(|_| format_floor(files)).sum())
        });
        group.finish();
    }
}

/// Runs `stage` of `file` in a child process and returns its peak resident memory in KiB.
fn peak_of(stage: &str, file: &str) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe).env(PEAK_VAR, format!("{stage}:{file}")).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// In a child: does one stage and prints `VmHWM` in KiB.
fn child(spec: &str) {
    let Some((stage, file)) = spec.split_once(':') else { return };
    let Ok(text) = std::fs::read_to_string(corpus_path(file)) else { return };
    match stage {
        "parse" => drop(black_box(parse_only(&text, file))),
        _ => drop(black_box(generate(&text, file, "api"))),
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).map(|v| v.trim().trim_end_matches("kB").trim().to_owned());
    println!("{}", peak.unwrap_or_default());
}

fn report_peaks() {
    for file in CORPUS {
        let (Some(parse), Some(generate)) = (peak_of("parse", file), peak_of("generate", file)) else {
            eprintln!("peak memory of {file}: not measured (spec missing or no /proc)");
            continue;
        };
        eprintln!("peak memory of {file}: parse-only {} MiB, generate {} MiB ({:.1}x)", parse / 1024, generate / 1024, generate as f64 / parse as f64);
    }
}

/// The benchmarks (written out rather than by `criterion_group!`, whose function has no docs).
fn benches() {
    if let Ok(spec) = std::env::var(PEAK_VAR) {
        child(&spec);
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench_spec(&mut criterion, "spec/hub.yaml", "v2");
    bench_spec(&mut criterion, "spec/index-v1.yaml", "v1");
    report_peaks();
    bench_corpus(&mut criterion);
}

criterion_main!(benches);
