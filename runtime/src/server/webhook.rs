//! Requests the API sends: webhooks and callbacks.

use axum::http::{header, HeaderName, HeaderValue, Method, Request};

/// Why a webhook or callback request could not be built.
#[derive(Debug)]
pub enum WebhookError {
    /// The subscriber's URL is not an absolute `http` or `https` URL.
    InvalidUrl(String),
    /// The body could not be encoded.
    Encode(serde_json::Error),
    /// A header value is not valid in HTTP.
    InvalidHeader(&'static str),
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::InvalidUrl(url) => write!(f, "not an absolute http(s) URL: {url}"),
            WebhookError::Encode(e) => write!(f, "cannot encode the body: {e}"),
            WebhookError::InvalidHeader(name) => write!(f, "header `{name}` has a value HTTP does not allow"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Encode(e) => Some(e),
            _ => None,
        }
    }
}

/// Adds header `name` with `value` (`simple` style) to the headers of a webhook request; `None`
/// adds nothing.
pub fn webhook_header<T: serde::Serialize + ?Sized>(headers: &mut Vec<(&'static str, String)>, name: &'static str, value: &T) -> Result<(), WebhookError> {
    let value = crate::params::ParamValue::of(value).map_err(|_| WebhookError::InvalidHeader(name))?;
    if let Some(text) = crate::params::header(&value, crate::params::Encoding::SIMPLE) {
        headers.push((name, text));
    }
    Ok(())
}

/// The request of a webhook or callback: `method` to `url`, with `body` as JSON labelled
/// `content_type` and `headers`, ready for any HTTP client to send.
pub fn webhook_request<T: serde::Serialize + ?Sized>(
    method: Method,
    url: &str,
    body: Option<(&'static str, &T)>,
    headers: Vec<(&'static str, String)>,
) -> Result<Request<Vec<u8>>, WebhookError> {
    let parsed = url::Url::parse(url).map_err(|_| WebhookError::InvalidUrl(url.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(WebhookError::InvalidUrl(url.to_owned()));
    }
    let mut request = Request::builder().method(method).uri(parsed.as_str());
    for (name, value) in headers {
        let value = HeaderValue::from_bytes(value.as_bytes()).map_err(|_| WebhookError::InvalidHeader(name))?;
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| WebhookError::InvalidHeader(name))?;
        request = request.header(name, value);
    }
    let bytes = match body {
        Some((content_type, body)) => {
            request = request.header(header::CONTENT_TYPE, content_type);
            serde_json::to_vec(body).map_err(WebhookError::Encode)?
        }
        None => Vec::new(),
    };
    request.body(bytes).map_err(|_| WebhookError::InvalidUrl(url.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_the_body_headers_and_url() {
        let request = webhook_request(Method::POST, "https://hooks.example/new", Some(("application/json", &serde_json::json!({"id": 1}))), vec![("x-event", "pet".into())])
            .expect("builds");
        assert_eq!(request.uri(), "https://hooks.example/new");
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.headers()["x-event"], "pet");
        assert_eq!(request.body(), br#"{"id":1}"#);
        assert!(matches!(webhook_request::<()>(Method::POST, "ftp://x", None, Vec::new()), Err(WebhookError::InvalidUrl(_))));
    }
}
