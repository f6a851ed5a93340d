//! The runtime of the crates the generator emits.
//!
//! Generated code is thin: what is the same for every API (encodings, and later the client
//! transport and the server runtime) is written and tested once, here, the way `prost` pairs with
//! `prost-build`. Generated crates depend on it with the features they use.

mod bytes;

pub use bytes::Base64;
