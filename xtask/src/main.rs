//! `cargo xtask`: the project's automation. See `cargo xtask --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{outputs, project_root, stale_files, write, Stale, COMMAND};

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
    let Command::Codegen { check } = cli.command;
    let root = project_root();
    let owned = outputs(&root)?;
    if check {
        let stale = stale_files(&root, &owned)?;
        if stale.is_empty() {
            eprintln!("generated files are fresh");
            return Ok(ExitCode::SUCCESS);
        }
        for s in &stale {
            match s {
                Stale::Missing(p) => eprintln!("missing: {} (the generator makes it, but it is not checked in)", p.display()),
                Stale::Extra(p) => eprintln!("extra: {} (the generator no longer makes it)", p.display()),
                Stale::Changed(_, diff) => eprintln!("{diff}"),
            }
        }
        eprintln!("{} generated file(s) are stale: run `{COMMAND}` and commit the result", stale.len());
        return Ok(ExitCode::FAILURE);
    }
    let changed = write(&root, &owned)?;
    eprintln!("{changed} file(s) updated in {} generated crate(s)", owned.len());
    Ok(ExitCode::SUCCESS)
}
