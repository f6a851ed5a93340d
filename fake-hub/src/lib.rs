//! `fake-hub`: an in-memory Docker Hub that implements every operation of both generated
//! descriptions (the v2 API and the v1 index) with real semantics, on the generated
//! `dockerhub-server` router, so that the generated client can be proven against something that
//! behaves like the hub, and downstream users can test against it without the network.
//!
//! - [`Hub`] holds the state and implements every trait of [`dockerhub_server::v2`] and
//!   [`dockerhub_server::v1`]: users with Argon2-hashed passwords, HS256 session JWTs, TOTP second
//!   factors, scoped personal access tokens (stored as SHA-256), `/v2/auth/token`, namespaces,
//!   repositories with immutable tags rules, images and tags, organisation members with roles,
//!   invites, groups, organisation access tokens, audit logs, organisation settings, SCIM
//!   provisioning and the v1 token handshake. Where it guesses beyond the spec and Docker's
//!   documentation is in `fake-hub/README.md`.
//! - [`app`] wraps the generated router in the hub's own layers (rate limits, the request context
//!   pagination links are built from); [`serve`] runs it on a listener.
//! - [`Hub::seeded`] loads demo data whose credentials [`seed`] names, and [`totp_code`] computes the
//!   code an authenticator app would show, for tests and for people trying the hub.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let hub = std::sync::Arc::new(fake_hub::Hub::seeded(fake_hub::HubConfig::default()).expect("seed"));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! fake_hub::serve(listener, hub, fake_hub::AppOptions::default()).await
//! # }
//! ```

#![forbid(unsafe_code)]

mod access;
mod audit;
mod auth;
mod context;
mod crypto;
mod errors;
mod hub;
mod invites;
mod groups;
mod members;
mod org_tokens;
mod repositories;
mod jwt;
mod login;
mod orgs;
mod pagination;
mod ratelimit;
mod repos;
mod scim;
pub mod seed;
mod server;
mod store;
mod tokens;
mod totp;
mod v1;

pub use auth::Scope;
pub use crypto::CryptoError;
pub use hub::{Hub, HubConfig, HubError, NewImage, NewOrg, NewUser};
pub use server::{app, serve, AppOptions};
pub use totp::{totp_code, TotpSecret, TotpSecretError, TOTP_STEP};
