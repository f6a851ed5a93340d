//! OpenAPI 3.0 -> typed Rust crates.
//!
//! Data flows one way: [`load`] reads spec files into `openapiv3` documents (repairing and reporting
//! real-world defects), [`ir`] lowers them into plain, named, resolved data, and [`emit`] turns the IR
//! into the files of the generated crates. [`Generator`] runs the whole pipeline:
//!
//! ```no_run
//! let output = generator::Generator::new("dockerhub")
//!     .spec("spec/hub.yaml", "v2")
//!     .generate()?;
//! for warning in &output.warnings {
//!     eprintln!("{warning}");
//! }
//! output.write_to(std::path::Path::new("generated"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod config;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod fresh;
pub mod ir;
pub mod load;
pub mod mock;

mod generator;

pub use diag::{Error, Location, Warning};
pub use generator::{CrateKind, Generator, Output, SpecInput};
