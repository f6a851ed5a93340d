//! The README's "Use it in your project", step by step from a fresh directory: its config example
//! (read from the README itself), generation, a build of the result, the CI check passing and then
//! failing on a changed spec; and the same config read through the library, as a build script would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The README's config example: the TOML block that starts by naming the file.
fn readme_config() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let start = readme.find("```toml\n# openapi-rust.toml").expect("the README shows an openapi-rust.toml") + "```toml\n".len();
    let end = readme[start..].find("```").expect("the block ends") + start;
    readme[start..end].to_owned()
}

fn openapi_rust(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-rust")).current_dir(cwd).args(args).output().expect("openapi-rust runs")
}

#[test]
fn from_a_spec_and_the_readmes_config_to_built_crates_and_a_ci_check() -> Result<(), Box<dyn std::error::Error>> {
    let config = readme_config();
    assert!(config.lines().count() <= 10, "the example stays short:\n{config}");
    let project = tempfile::tempdir()?;
    let dir = project.path();
    std::fs::create_dir_all(dir.join("specs"))?;
    std::fs::copy(root().join("tests/fixtures/specs/mock.yaml"), dir.join("specs/petstore.yaml"))?;
    std::fs::write(dir.join("openapi-rust.toml"), &config)?;

    // Generate.
    let run = openapi_rust(dir, &[]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for written in ["crates/petstore-models/Cargo.toml", "crates/petstore-client/Cargo.toml", "crates/generator-runtime/Cargo.toml"] {
        assert!(dir.join(written).is_file(), "{written}");
    }
    assert!(!dir.join("crates/petstore-server").exists(), "the config asks for no server");
    let client = std::fs::read_to_string(dir.join("crates/petstore-client/src/petstore.rs"))?;
    assert!(client.contains("pub async fn list_pets(") && !client.contains("fn get_note("), "only the tag `pets`");

    // Build, as the user's workspace (the lock file pins what crates.io serves, as theirs would).
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n")?;
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .args(["check", "--quiet", "--workspace"])
        .env("CARGO_TARGET_DIR", root().join("target/copied-output"))
        .output()?;
    assert!(build.status.success(), "the generated crates build:\n{}", String::from_utf8_lossy(&build.stderr));

    // The CI step: fresh now; stale once the spec changes, naming what to run.
    let check = openapi_rust(dir, &["--check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let spec = std::fs::read_to_string(dir.join("specs/petstore.yaml"))?;
    std::fs::write(dir.join("specs/petstore.yaml"), spec.replacen("operationId: listPets", "operationId: listPets\n      description: Every pet, a page at a time.", 1))?;
    let stale = openapi_rust(dir, &["--check"]);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("+    /// Every pet, a page at a time."), "a unified diff of the change:\n{stderr}");
    assert!(stderr.contains("run `openapi-rust` and commit the result"), "{stderr}");

    // A build script reads the same file through the library and checks the same way.
    let read = generator::config::Config::read(&dir.join("openapi-rust.toml"))?;
    let mut stale_files = Vec::new();
    for job in &read.jobs {
        let (_, owned) = job.generate()?;
        stale_files.extend(generator::fresh::stale_files(&read.dir, &owned)?);
    }
    assert!(!stale_files.is_empty(), "the library sees the same stale output");
    assert!(openapi_rust(dir, &[]).status.success());
    assert!(openapi_rust(dir, &["--check"]).status.success(), "fresh again once regenerated");
    Ok(())
}
