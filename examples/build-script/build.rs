//! Generates the pet store's models, client and server into `OUT_DIR`, as one file that
//! `src/lib.rs` includes. Cargo runs it again when the spec changes.

use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = generator::Generator::new("petstore")
        .root(root)
        .command("the build script of build-script-example")
        // One file is included into this crate, which has no per-tag features.
        .features(false)
        .spec("petstore.yaml", "petstore")
        .generate()?;
    for input in &output.inputs {
        println!("cargo:rerun-if-changed={input}");
    }
    for warning in &output.warnings {
        println!("cargo:warning={warning}");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("petstore.rs"), output.single_file()?)?;
    Ok(())
}
