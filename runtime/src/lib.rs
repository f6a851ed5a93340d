//! The runtime of the crates the generator emits.
//!
//! Generated code is thin: what is the same for every API is written and tested once, here, the
//! way `prost` pairs with `prost-build` and `progenitor` with `progenitor-client`:
//! - [`Base64`], bytes that travel as base64 text, and [`Binary`], octets as they are;
//! - [`body`], form and multipart bodies;
//! - [`de`], what generated structs' `Deserialize` impls share;
//! - [`params`], every OpenAPI parameter style and explode combination, written by clients and
//!   read back by servers;
//! - [`text`]: date-times, dates, UUIDs, URIs and IPv6 addresses kept as the text they came in;
//! - `client` (feature `client`): the transport of generated clients;
//! - `server` (feature `server`): request reading, validation and error answers of generated
//!   servers;
//! - `stream` (features `client` and `server`): server-sent events, JSON Lines and JSON text
//!   sequences, typed item by item on both sides;
//! - `values` (feature `values`): seeded values satisfying a JSON Schema, for round-trip checks
//!   and mock servers.
//!
//! Generated crates depend on it with the features they use.

pub mod body;
mod bytes;
pub mod de;
pub mod params;
pub mod text;

#[cfg(any(feature = "server", feature = "values", feature = "json"))]
mod equality;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod server;
#[cfg(any(feature = "client", feature = "server"))]
pub mod stream;
#[cfg(feature = "values")]
pub mod values;
#[cfg(feature = "mock")]
pub mod mock;

pub use bytes::{Base64, Binary};
pub use text::{Date, DateTime, Ipv6, Uri, Uuid};
