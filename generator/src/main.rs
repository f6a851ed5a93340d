//! `generator`: generate typed Rust crates from any OpenAPI 3.0 description.

use std::path::PathBuf;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut generator = generator::Generator::new(&cli.name).command(format!("generator --name {}", cli.name));
    for spec in &cli.specs {
        let (module, file) = match spec.split_once('=') {
            Some((module, file)) => (module.to_owned(), file.to_owned()),
            None => {
                let stem = std::path::Path::new(spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                (generator::ir::naming::snake_name(&stem), spec.clone())
            }
        };
        generator = generator.spec(file, module);
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
