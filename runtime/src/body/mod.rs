//! Bodies that are not JSON: `application/x-www-form-urlencoded` ([`form`]) and
//! `multipart/form-data` (`multipart`, with feature `client` or `server`).

pub mod form;
#[cfg(any(feature = "client", feature = "server"))]
pub mod multipart;

/// Whether `media_type` is `application/x-www-form-urlencoded`, parameters and case aside.
pub fn is_form(media_type: &str) -> bool {
    media_type.split(';').next().is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}
