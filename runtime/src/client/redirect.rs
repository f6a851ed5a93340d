//! Redirects, followed by the client itself rather than by `reqwest`: an operation whose spec
//! documents a redirect (`302` with a `Location` header, GitHub's archive downloads) gets it back
//! as the documented answer, while a redirect the spec does not mention (a renamed repository's
//! `301`) is followed as any HTTP client follows it.

use reqwest::header::{HeaderMap, LOCATION};

use super::request::Request;

/// Redirects followed for one call at most; the answer after them is handed back as it is.
const MAX_HOPS: u32 = 10;

/// Where one call goes next.
pub(super) struct Hop<'a> {
    /// The request, whose method and body a redirect may change.
    pub request: &'a mut Request,
    /// Its URL.
    pub url: &'a mut reqwest::Url,
    /// Its credential, dropped when a redirect leaves the origin.
    pub authorization: &'a mut Option<super::transport::Presented>,
    /// Redirects followed so far.
    pub hops: &'a mut u32,
}

impl Hop<'_> {
    /// Follows an answer of `status` with `headers` when it is a redirect the operation does not
    /// document: the request goes to its `Location` (resolved against the URL it was sent to),
    /// as a GET without a body after a `303` (and after a `301` or `302` of a POST, as browsers
    /// and `reqwest` do), without credentials or cookies once it leaves the origin. True when it
    /// is to be sent again. A request whose body was a stream is not sent again: the redirect is
    /// its answer.
    pub fn follow(self, status: u16, headers: &HeaderMap) -> bool {
        if !matches!(status, 301 | 302 | 303 | 307 | 308) || self.request.redirects.contains(&status) || *self.hops >= MAX_HOPS || self.request.streams() {
            return false;
        }
        let Some(next) = headers.get(LOCATION).and_then(|v| v.to_str().ok()).and_then(|location| self.url.join(location).ok()) else {
            return false;
        };
        if !matches!(next.scheme(), "http" | "https") {
            return false;
        }
        let method = &self.request.method;
        if (status == 303 && *method != reqwest::Method::HEAD) || (matches!(status, 301 | 302) && *method == reqwest::Method::POST) {
            self.request.method = reqwest::Method::GET;
            self.request.body = None;
        }
        if next.origin() != self.url.origin() {
            *self.authorization = None;
            self.request.cookies.clear();
        }
        *self.url = next;
        *self.hops += 1;
        true
    }
}
