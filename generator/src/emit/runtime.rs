//! The runtime crate, written beside the generated crates: they depend on it by a relative path,
//! so the directory they are written into builds wherever it is copied, with nothing outside it but
//! crates.io. The files are the generator's own `runtime/` crate, embedded when the generator is
//! built (see `build.rs`).

use std::path::PathBuf;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));
}

/// The version of the runtime crate the generated code is written for (and written beside it).
pub const VERSION: &str = env!("GENERATOR_RUNTIME_VERSION");

/// The directory the runtime crate is written into, beside the generated crates.
pub const DIR: &str = "generator-runtime";

/// How generated crates name the runtime written beside them, as the keys of their dependency.
pub const BESIDE: &str = "path = \"../generator-runtime\"";

/// The runtime crate's files, by path relative to the output directory, each starting with a line
/// saying where it comes from.
pub fn files() -> impl Iterator<Item = (PathBuf, String)> {
    embedded::FILES.iter().map(|(name, text)| {
        let marker = if name.ends_with(".rs") { "//" } else { "#" };
        let header = format!("{marker} This file is @generated: the generator's runtime crate, written beside the crates that use it. Do not edit by hand.\n");
        (PathBuf::from(DIR).join(name), format!("{header}{text}"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_whole_runtime_crate_is_embedded() {
        let names: Vec<String> = super::files().map(|(p, _)| p.to_string_lossy().replace('\\', "/")).collect();
        assert!(names.contains(&"generator-runtime/Cargo.toml".to_owned()), "{names:?}");
        assert!(names.contains(&"generator-runtime/src/lib.rs".to_owned()), "{names:?}");
        assert!(names.iter().any(|n| n.starts_with("generator-runtime/src/server/")), "{names:?}");
        let manifest = super::files().find(|(p, _)| p.ends_with("Cargo.toml")).map(|(_, t)| t).unwrap_or_default();
        assert!(!manifest.contains("workspace = true") && !manifest.contains(".workspace"), "the copy stands alone:\n{manifest}");
    }
}
