//! Generator speed: load, lower, emit and the whole pipeline for each Docker Hub description, with
//! plain `serde_yaml` parsing of the same text as the baseline measured in the same run.
//!
//! Run with `cargo bench -p generator`; compare each stage with `parse-baseline` of the same spec.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_main, Criterion};
use generator::diag::Diagnostics;
use generator::emit::{emit, Crates};
use generator::{ir, load};

fn bench_spec(c: &mut Criterion, file: &str, module: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(file)).expect("spec readable");
    let mut group = c.benchmark_group(file);

    group.bench_function("parse-baseline", |b| b.iter(|| black_box(serde_yaml::from_str::<serde_yaml::Value>(black_box(&text)).expect("parses"))));
    group.bench_function("load", |b| b.iter(|| black_box(load::load_str(black_box(&text), file, &mut Diagnostics::default()).expect("loads"))));

    let doc = load::load_str(&text, file, &mut Diagnostics::default()).expect("loads");
    group.bench_function("lower", |b| b.iter(|| black_box(ir::lower(black_box(&doc), module, &mut Diagnostics::default()).expect("lowers"))));

    let api = ir::lower(&doc, module, &mut Diagnostics::default()).expect("lowers");
    let apis = [api];
    let crates = Crates::new("bench", "cargo bench", &apis, &[]);
    group.bench_function("emit", |b| b.iter(|| black_box(emit(black_box(&crates)).expect("emits"))));

    group.bench_function("total", |b| {
        b.iter(|| {
            let mut diags = Diagnostics::default();
            let doc = load::load_str(black_box(&text), file, &mut diags).expect("loads");
            let apis = [ir::lower(&doc, module, &mut diags).expect("lowers")];
            let warnings = diags.into_sorted();
            black_box(emit(&Crates::new("bench", "cargo bench", &apis, &warnings)).expect("emits"))
        })
    });
    group.finish();
}

fn generate(c: &mut Criterion) {
    bench_spec(c, "spec/hub.yaml", "v2");
    bench_spec(c, "spec/index-v1.yaml", "v1");
}

/// The benchmark group (written out rather than by `criterion_group!`, whose function has no docs).
fn benches() {
    let mut criterion = Criterion::default().configure_from_args();
    generate(&mut criterion);
}

criterion_main!(benches);
