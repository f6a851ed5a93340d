//! The generator used from a build script, as a downstream crate would: `build.rs` generates the
//! pet store's models, client and server into `OUT_DIR` as one file, included here. The modules
//! are [`models`], [`client`] and [`server`], exactly as the three crates would be.

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
