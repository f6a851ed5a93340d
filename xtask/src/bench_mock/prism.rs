//! Prism, the mock server `bench-mock --prism` measures ours against: installed with npm under
//! `target/` when asked, never by the tests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The Prism release measured (its major version; npm picks the latest of it).
const PACKAGE: &str = "@stoplight/prism-cli@5";

/// Prism's command, installed under `target/bench-mock/prism` the first time.
pub fn install(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/bench-mock/prism");
    let program = dir.join("node_modules/.bin/prism");
    if !program.exists() {
        eprintln!("installing {PACKAGE} into {} with npm (asked for by --prism)", dir.display());
        std::fs::create_dir_all(&dir)?;
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
            .arg(&dir)
            .arg(PACKAGE)
            .status()
            .context("running npm (Prism needs Node.js and npm)")?;
        if !status.success() || !program.exists() {
            bail!("npm could not install {PACKAGE}");
        }
    }
    Ok(program)
}

/// `prism mock SPEC` listening on `address`.
pub fn command(program: &Path, spec: &Path, address: SocketAddr) -> Command {
    let mut command = Command::new(program);
    command.arg("mock").arg(spec).arg("--host").arg(address.ip().to_string()).arg("--port").arg(address.port().to_string());
    command
}
