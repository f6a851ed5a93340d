//! Embeds the runtime crate's sources (`../runtime`) in the generator, which writes them beside the
//! crates it generates: the output then builds wherever it is copied, with nothing outside it but
//! crates.io. Cargo runs this again when a file of the runtime changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let runtime = manifest.join("../runtime");
    let mut files = vec![PathBuf::from("Cargo.toml")];
    collect(&runtime, Path::new("src"), &mut files);
    files.sort();
    println!("cargo:rerun-if-changed={}", runtime.join("Cargo.toml").display());
    // `--version` names the runtime the generated code is written for.
    let manifest_text = std::fs::read_to_string(runtime.join("Cargo.toml")).expect("reading the runtime's Cargo.toml");
    println!("cargo:rustc-env=GENERATOR_RUNTIME_VERSION={}", package_version(&manifest_text));
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    let mut code = String::from("/// The runtime crate's files, by path within the crate, sorted.\npub(crate) const FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let path = runtime.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let name = file.to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({name:?}, include_str!({:?})),", path.display().to_string()).expect("writing to a string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("runtime_files.rs"), code).expect("writing runtime_files.rs");
}

/// The `version` of the `[package]` table of a manifest.
fn package_version(manifest: &str) -> &str {
    let package = manifest.split("\n[").find(|t| t.trim_start_matches('[').starts_with("package]")).unwrap_or(manifest);
    package
        .lines()
        .filter_map(|l| l.trim().strip_prefix("version"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"'))
        .next()
        .expect("the runtime's Cargo.toml gives its package a version")
}

/// Every file below `root/dir`, as paths relative to `root`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else { return };
    for entry in entries.flatten() {
        let relative = dir.join(entry.file_name());
        match entry.file_type() {
            Ok(t) if t.is_dir() => {
                println!("cargo:rerun-if-changed={}", root.join(&relative).display());
                collect(root, &relative, out);
            }
            Ok(t) if t.is_file() => out.push(relative),
            _ => {}
        }
    }
}
