//! `generator`: generate typed Rust crates from any OpenAPI 3.0 description.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Generate typed Rust crates (models) from OpenAPI 3.0 descriptions.
///
/// Reads each spec (YAML or JSON), reports every assumption it makes about defects in it (with file,
/// line and JSON pointer), and writes `<NAME>-models` under the output directory.
#[derive(Debug, Parser)]
#[command(name = "generator", version, about, long_about)]
struct Cli {
    /// A spec to read, as `FILE` or `MODULE=FILE` (the module its types go into; default: the file
    /// name in snake_case). Repeat for several specs in one crate.
    #[arg(long = "spec", required = true, value_name = "[MODULE=]FILE")]
    specs: Vec<String>,
    /// Directory the crates are written into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Crate name prefix: the models crate is `<NAME>-models`.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// Write nothing; only report what the generator assumed, and fail on errors.
    #[arg(long)]
    check_only: bool,
    /// Write nothing; print the lowered IR (operations, types, names) as JSON on standard output.
    #[arg(long, conflicts_with = "check_only")]
    ir: bool,
    /// Where the generated crates find the `generator-runtime` crate (default: the runtime beside
    /// this generator's sources, as a path relative to the output directory).
    #[arg(long, value_name = "PATH")]
    runtime_path: Option<String>,
    /// Use an existing Rust type for a component schema instead of generating one, as
    /// `SCHEMA=RUST_PATH` (e.g. `Money=my_types::Money`). Repeatable.
    #[arg(long = "replace", value_name = "SCHEMA=RUST_PATH")]
    replacements: Vec<String>,
    /// Use an existing Rust type for every schema of a `format`, as `FORMAT=RUST_PATH` (e.g.
    /// `decimal=rust_decimal::Decimal`). Repeatable.
    #[arg(long = "format-type", value_name = "FORMAT=RUST_PATH")]
    format_types: Vec<String>,
    /// A `Cargo.toml` dependency line added to every generated crate, for the crates replaced types
    /// come from (e.g. `my-types = { path = "../my-types" }`). Repeatable.
    #[arg(long = "dependency", value_name = "LINE")]
    dependencies: Vec<String>,
}

/// `KEY=VALUE`, or an error naming the option.
fn pair<'a>(text: &'a str, option: &str) -> Result<(&'a str, &'a str), String> {
    text.split_once('=').filter(|(k, v)| !k.is_empty() && !v.is_empty()).ok_or_else(|| format!("--{option} takes KEY=VALUE, not `{text}`"))
}

/// The runtime crate beside this generator's sources, as a path from a crate generated into `out`.
fn default_runtime_path(out: &Path) -> String {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("runtime");
    let parts = |p: &Path| -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        for c in std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()).components() {
            match c {
                Component::ParentDir => {
                    stack.pop();
                }
                Component::CurDir => {}
                other => stack.push(other.as_os_str().to_string_lossy().into_owned()),
            }
        }
        stack
    };
    let (from, to) = (parts(out), parts(&runtime));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    // Each generated crate is one directory below `out`.
    let mut path = vec!["..".to_owned(); from.len() - common + 1];
    path.extend(to[common..].iter().cloned());
    path.join("/")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = cli.runtime_path.clone().unwrap_or_else(|| default_runtime_path(&cli.out));
    let mut generator = generator::Generator::new(&cli.name).command(format!("generator --name {}", cli.name)).runtime_path(&runtime);
    for spec in &cli.specs {
        let (module, file) = match spec.split_once('=') {
            Some((module, file)) => (module.to_owned(), file.to_owned()),
            None => {
                let stem = std::path::Path::new(spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                (generator::ir::naming::module_name(&stem), spec.clone())
            }
        };
        generator = generator.spec(file, module);
    }
    for (option, values) in [("replace", &cli.replacements), ("format-type", &cli.format_types)] {
        for value in values {
            let (key, path) = match pair(value, option) {
                Ok(kv) => kv,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            generator = if option == "replace" { generator.replace(key, path) } else { generator.format_type(key, path) };
        }
    }
    for line in &cli.dependencies {
        generator = generator.dependency(line.as_str());
    }
    match generator.generate() {
        Ok(output) => {
            for warning in &output.warnings {
                eprintln!("{warning}");
            }
            if cli.ir {
                match serde_json::to_string_pretty(&output.apis) {
                    Ok(json) => println!("{json}"),
                    Err(e) => {
                        eprintln!("error: cannot print the IR: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else if !cli.check_only {
                if let Err(e) = output.write_to(&cli.out) {
                    eprintln!("error: cannot write to {}: {e}", cli.out.display());
                    return ExitCode::FAILURE;
                }
                eprintln!("wrote {} files to {} ({} warnings)", output.files.len(), cli.out.display(), output.warnings.len());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
