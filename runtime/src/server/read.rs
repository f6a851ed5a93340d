//! Reading the parts of a request.

use super::Rejection;

/// The query string's pairs, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}

/// The first value of query parameter `name`.
pub fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A request header's value as text.
pub fn header_value<'a>(headers: &'a axum::http::HeaderMap, name: &str, field: &str) -> Result<Option<&'a str>, Rejection> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(Some).map_err(|_| Rejection::bad(field, "is not text")),
    }
}

/// Reads a JSON body of one of the accepted media types; `None` when it is absent and optional.
pub fn json_body<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: &[u8], accepted: &[&str], required: bool) -> Result<Option<T>, Rejection> {
    if bytes.is_empty() {
        return if required { Err(Rejection::bad("body", "a request body is required")) } else { Ok(None) };
    }
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !accepted.contains(&media.as_str()) {
        return Err(Rejection { status: 415, field: Some("body".into()), message: format!("content type `{media}` is not accepted; send {}", accepted.join(" or ")) });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        // serde_path_to_error writes `?` for a position it could not name (the end of a truncated
        // document): the field is then the body itself.
        let path = e.path().to_string();
        let path = path.trim_end_matches('?').trim_end_matches('.');
        let field = if path.is_empty() { "body".to_owned() } else { format!("body.{path}") };
        Rejection::bad(field, e.inner().to_string())
    })?;
    deserializer.end().map_err(|e| Rejection::bad("body", e.to_string()))?;
    Ok(Some(value))
}

/// Parses an RFC 3339 date-time.
#[cfg(feature = "chrono")]
pub fn parse_date_time(text: &str, field: &str) -> Result<chrono::DateTime<chrono::Utc>, Rejection> {
    chrono::DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&chrono::Utc)).map_err(|_| Rejection::bad(field, "must be an RFC 3339 date-time"))
}

/// Parses a number, a boolean or any other `FromStr` value; `what` says what was expected.
pub fn parse_value<T: std::str::FromStr>(text: &str, field: &str, what: &str) -> Result<T, Rejection> {
    text.trim().parse().map_err(|_| Rejection::bad(field, format!("must be {what}, not `{text}`")))
}
