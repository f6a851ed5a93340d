//! Bodies that are not JSON: `application/x-www-form-urlencoded` ([`form`]) and
//! `multipart/form-data` (`multipart`, with feature `client` or `server`).

pub mod form;
#[cfg(any(feature = "client", feature = "server"))]
pub mod multipart;
