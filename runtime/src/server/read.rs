//! Reading the parts of a request.

use super::Rejection;

/// The query string's pairs, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}

/// Parameter `name` as a `T`, from what [`Pairs::value`](crate::params::Pairs::value),
/// [`read_path`](crate::params::read_path) or [`read_header`](crate::params::read_header) read
/// off the wire; what is wrong is a 400 naming `location.name` and the property at fault.
///
/// ```
/// use generator_runtime::params::{Encoding, Pairs, Shape, Style};
/// use generator_runtime::server::param;
///
/// let query = Pairs::query("page=2&ids=1,x");
/// let page: Option<u32> = param("query", "page", query.value("page", Shape::Scalar, Encoding::FORM)).unwrap();
/// assert_eq!(page, Some(2));
/// let ids = query.value("ids", Shape::List, Encoding::new(Style::Form, false));
/// let error = param::<Vec<u32>>("query", "ids", ids).unwrap_err();
/// assert_eq!(error.text(), "query.ids[1]: expected an integer, got `x`");
/// ```
pub fn param<T: serde::de::DeserializeOwned>(location: &str, name: &str, read: Result<crate::params::ParamValue, crate::params::ParamError>) -> Result<T, Rejection> {
    read.and_then(|value| crate::params::deserialize(value).map_err(|e| e.within(name))).map_err(|e| Rejection::from_param(location, e))
}

/// Query parameter `name` in its style, from the request's query `pairs`; `None` when absent.
pub fn query_param<T: serde::de::DeserializeOwned>(pairs: &crate::params::Pairs<'_>, name: &str, shape: crate::params::Shape, encoding: crate::params::Encoding) -> Result<Option<T>, Rejection> {
    param("query", name, pairs.value(name, shape, encoding))
}

/// The whole query string as parameter `name` (OpenAPI 3.2 `in: querystring`), written as
/// `media_type`: a form of an object's properties, or percent-encoded JSON text; `None` when the
/// request has no query. What does not read is a 400 naming `querystring.name` and the property
/// at fault.
///
/// ```
/// use generator_runtime::server::querystring_param;
///
/// #[derive(Debug, PartialEq, serde::Deserialize)]
/// struct Filter { author: String, year: Option<u16> }
///
/// let form = "application/x-www-form-urlencoded";
/// let read: Option<Filter> = querystring_param(Some("author=Le%20Guin&year=1969"), "filter", form).unwrap();
/// assert_eq!(read, Some(Filter { author: "Le Guin".into(), year: Some(1969) }));
/// let json: Option<Filter> = querystring_param(Some("%7B%22author%22%3A%22Le%20Guin%22%7D"), "filter", "application/json").unwrap();
/// assert_eq!(json, Some(Filter { author: "Le Guin".into(), year: None }));
/// let error = querystring_param::<Filter>(Some("author=x&year=soon"), "filter", form).unwrap_err();
/// assert_eq!(error.text(), "querystring.filter.year: expected an integer, got `soon`");
/// ```
pub fn querystring_param<T: serde::de::DeserializeOwned>(query: Option<&str>, name: &str, media_type: &str) -> Result<Option<T>, Rejection> {
    let Some(query) = query.filter(|q| !q.is_empty()) else { return Ok(None) };
    if crate::body::is_form(media_type) {
        return crate::body::form::decode(query.as_bytes(), &[]).map(Some).map_err(|e| Rejection::from_param("querystring", e.within(name)));
    }
    let field = format!("querystring.{name}");
    let text = crate::params::percent_decode(query, false).map_err(|e| Rejection::bad(field.clone(), e.to_string()))?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let path = path.trim_end_matches('?').trim_end_matches('.');
        let at = if path.is_empty() { field.clone() } else { format!("{field}.{path}") };
        Rejection::bad(at, e.inner().to_string())
    })?;
    deserializer.end().map_err(|e| Rejection::bad(field, e.to_string()))?;
    Ok(Some(value))
}

/// Cookie `name` in its style, from the pairs of the request's `Cookie` header.
pub fn cookie_param<T: serde::de::DeserializeOwned>(cookies: &crate::params::Pairs<'_>, name: &str, shape: crate::params::Shape, encoding: crate::params::Encoding) -> Result<Option<T>, Rejection> {
    param("cookie", name, cookies.value(name, shape, encoding))
}

/// Header `name` (its wire spelling; looked up case-insensitively) in its style.
pub fn header_param<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, name: &str, shape: crate::params::Shape, encoding: crate::params::Encoding) -> Result<Option<T>, Rejection> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => {
            let text = header_text(value).ok_or_else(|| Rejection::bad(format!("header.{name}"), "is not text"))?;
            param("header", name, crate::params::read_header(text, name, shape, encoding))
        }
    }
}

/// Path parameter `name` in its style: segment `index` of the routed `path`, between the
/// template's `prefix` and `suffix`, read still percent-encoded so that escaped delimiters stay
/// values.
pub fn path_param<T: serde::de::DeserializeOwned>(path: &str, index: usize, prefix: &str, suffix: &str, name: &str, shape: crate::params::Shape, encoding: crate::params::Encoding) -> Result<Option<T>, Rejection> {
    let segment = path.split('/').nth(index).and_then(|s| between(s, prefix, suffix)).unwrap_or_default();
    param("path", name, crate::params::read_path(segment, name, shape, encoding))
}

/// The part of a path segment between its template's `prefix` and `suffix`. Where a segment holds
/// several parameters (`{base}...{head}`, `{name}.{ext}`), the prefix or suffix holds the others:
/// the value then starts after the literal text that follows the last of them, and ends before
/// the literal text that comes before the next, each parameter taking one character at least.
/// The literal is taken at its last place (`report.v2.pdf` is `report.v2` and `pdf`), the same
/// for the parameter before it and the one after, so the two always divide the segment between
/// them.
fn between<'s>(segment: &'s str, prefix: &str, suffix: &str) -> Option<&'s str> {
    let start = match prefix.rsplit_once('}') {
        None => segment.strip_prefix(prefix)?,
        Some((_, "")) => return None,
        Some((_, literal)) => {
            let at = segment.get(1..)?.rfind(literal)? + 1;
            &segment[at + literal.len()..]
        }
    };
    match suffix.split_once('{') {
        None => start.strip_suffix(suffix),
        Some(("", _)) => None,
        Some((literal, _)) => start.get(1..)?.rfind(literal).map(|at| &start[..at + 1]),
    }
}

/// The query string's pairs, kept raw until a parameter is read in its style.
pub fn query_of(parts: &axum::http::request::Parts) -> crate::params::Pairs<'_> {
    crate::params::Pairs::query(parts.uri.query().unwrap_or_default())
}

/// The pairs of the request's `Cookie` header.
pub fn cookies_of(parts: &axum::http::request::Parts) -> crate::params::Pairs<'_> {
    crate::params::Pairs::cookie(parts.headers.get(axum::http::header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default())
}

/// A parameter the spec requires: absent is a 400 naming `field`.
pub fn required<T>(value: Option<T>, field: &str) -> Result<T, Rejection> {
    value.ok_or_else(|| Rejection::bad(field, "is required"))
}

/// The first value of query parameter `name`.
pub fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The first value of query parameter `name` whose spec states `allowEmptyValue`: with `true`, an
/// empty value (`?name=`) is the parameter sent without a value, read as not sent; with `false`,
/// it is a 400.
///
/// ```
/// use generator_runtime::server::{query_pairs, query_value_empty};
///
/// let pairs = query_pairs(Some("pretty=&page="));
/// assert_eq!(query_value_empty(&pairs, "pretty", true, "query.pretty").unwrap(), None);
/// assert!(query_value_empty(&pairs, "page", false, "query.page").is_err());
/// ```
pub fn query_value_empty<'a>(pairs: &'a [(String, String)], name: &str, allowed: bool, field: &str) -> Result<Option<&'a str>, Rejection> {
    match query_value(pairs, name) {
        Some("") if allowed => Ok(None),
        Some("") => Err(Rejection::bad(field, "must not be empty")),
        value => Ok(value),
    }
}

/// A request header's value as text.
pub fn header_value<'a>(headers: &'a axum::http::HeaderMap, name: impl axum::http::header::AsHeaderName, field: &str) -> Result<Option<&'a str>, Rejection> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => header_text(v).map(Some).ok_or_else(|| Rejection::bad(field, "is not text")),
    }
}

/// A header value as text: UTF-8, as clients send text that is not ASCII (HTTP leaves a field's
/// octets beyond ASCII to the application; `HeaderValue::to_str` refuses them all).
fn header_text(value: &axum::http::HeaderValue) -> Option<&str> {
    std::str::from_utf8(value.as_bytes()).ok()
}

/// The largest request body a server reads, in bytes, when set as a request extension (a layer of
/// `axum::Extension(BodyLimit(n))` on the router); without it, the generated crate's `BODY_LIMIT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLimit(pub usize);

/// The parts and body of `request`; a body longer than the request's [`BodyLimit`] (else
/// `default_limit` bytes) is not read, and gives a 413.
pub async fn read_body(request: axum::extract::Request, default_limit: usize) -> (axum::http::request::Parts, Result<axum::body::Bytes, Rejection>) {
    let (parts, body) = request.into_parts();
    let limit = parts.extensions.get::<BodyLimit>().map_or(default_limit, |l| l.0);
    let body = axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        match too_large {
            true => Rejection { status: 413, field: Some("body".into()), message: format!("request body too large: the limit is {limit} bytes") },
            false => Rejection::bad("body", format!("could not be read: {e}")),
        }
    });
    (parts, body)
}

/// The value of a path parameter: the text of segment `index` of `path` (the request URI's path,
/// as routed) between the template's `prefix` and `suffix` (`thumbnail.{extension}` has prefix
/// `thumbnail.`), percent-decoded. Read by position, the parameter costs no copy unless it was
/// percent-encoded; a value that is not UTF-8 once decoded is a 400 for `field`.
pub fn path_segment<'a>(path: &'a str, index: usize, prefix: &str, suffix: &str, field: &str) -> Result<Option<std::borrow::Cow<'a, str>>, Rejection> {
    // One pass over the short path finds the segment and whether it needs decoding.
    let (mut segment, mut start, mut encoded) = (0, 0, false);
    let mut end = path.len();
    for (i, b) in path.bytes().enumerate() {
        match b {
            b'/' if segment == index => {
                end = i;
                break;
            }
            b'/' => {
                segment += 1;
                start = i + 1;
                encoded = false;
            }
            b'%' => encoded = true,
            _ => {}
        }
    }
    if segment != index {
        return Ok(None);
    }
    let mut text = &path[start..end];
    // Most segments are the parameter alone, and most values need no decoding: neither costs.
    if !prefix.is_empty() || !suffix.is_empty() {
        let Some(inner) = between(text, prefix, suffix) else { return Ok(None) };
        text = inner;
    }
    if !encoded {
        return Ok(Some(std::borrow::Cow::Borrowed(text)));
    }
    percent_encoding::percent_decode_str(text).decode_utf8().map(Some).map_err(|_| Rejection::bad(field, "is not UTF-8 once percent-decoded"))
}

/// The request's media type (lower case, without parameters), when it is one of `accepted`;
/// another is a 415.
pub(crate) fn accepted_media(headers: &axum::http::HeaderMap, accepted: &[&str]) -> Result<String, Rejection> {
    let media = media_type(headers);
    // The spec may accept media ranges (`image/*`, `*/*`) as well as types.
    let matches = |range: &&str| *range == media || *range == "*/*" || range.strip_suffix("/*").is_some_and(|kind| media.split('/').next() == Some(kind));
    if !accepted.iter().any(matches) {
        return Err(unsupported_media(headers, accepted));
    }
    Ok(media)
}

/// The request's media type, lower case and without parameters (empty when it has none).
pub fn media_type(headers: &axum::http::HeaderMap) -> String {
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The 415 for a body of a media type the operation does not accept.
pub fn unsupported_media(headers: &axum::http::HeaderMap, accepted: &[&str]) -> Rejection {
    Rejection { status: 415, field: Some("body".into()), message: format!("content type `{}` is not accepted; send {}", media_type(headers), accepted.join(" or ")) }
}

/// Reads a `multipart/form-data` body already in memory (so already within the request's body
/// limit); `None` when it is absent and optional. A truncated body or one without a boundary is a
/// 400 naming the part at fault, a body of another media type a 415.
pub fn multipart_body(headers: &axum::http::HeaderMap, bytes: &axum::body::Bytes, required: bool) -> Result<Option<crate::body::multipart::Multipart>, Rejection> {
    if bytes.is_empty() && !required && headers.get(axum::http::header::CONTENT_TYPE).is_none() {
        return Ok(None);
    }
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let limit = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let read = crate::body::multipart::Multipart::from_bytes(content_type, bytes.clone(), crate::body::multipart::Limits::new(limit, limit));
    // The body is in memory, so reading it never waits: the future is ready when first polled.
    use futures_util::FutureExt as _;
    match read.now_or_never() {
        Some(form) => form.map(Some),
        None => Err(Rejection::bad("body", "could not be read as multipart/form-data")),
    }
}

/// Reads an `application/x-www-form-urlencoded` body (`fields`: the properties the spec's
/// `encoding` object writes otherwise than by default); `None` when it is absent and optional. A
/// property that does not read is a 400 naming it (`body.age`).
pub fn form_body<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: &[u8], fields: &[crate::body::form::FieldEncoding], required: bool) -> Result<Option<T>, Rejection> {
    if absent(headers, bytes) {
        return if required { Err(Rejection::bad("body", "a request body is required")) } else { Ok(None) };
    }
    accepted_media(headers, &[crate::body::form::CONTENT_TYPE])?;
    crate::body::form::decode(bytes, fields).map(Some).map_err(|e| Rejection::from_param("body", e))
}

/// Reads a body of one of the accepted media types (or ranges: `image/*`) as it is; `None` when
/// it is absent and optional.
pub fn bytes_body(headers: &axum::http::HeaderMap, bytes: axum::body::Bytes, accepted: &[&str], required: bool) -> Result<Option<axum::body::Bytes>, Rejection> {
    if absent(headers, &bytes) {
        return if required { Err(Rejection::bad("body", "a request body is required")) } else { Ok(None) };
    }
    accepted_media(headers, accepted)?;
    Ok(Some(bytes))
}

/// Reads a text body (`text/plain`, `text/csv`, …) of one of the accepted media types; `None`
/// when it is absent and optional. Text that is not UTF-8 is a 400.
pub fn text_body(headers: &axum::http::HeaderMap, bytes: axum::body::Bytes, accepted: &[&str], required: bool) -> Result<Option<String>, Rejection> {
    let Some(bytes) = bytes_body(headers, bytes, accepted, required)? else { return Ok(None) };
    String::from_utf8(bytes.to_vec()).map(Some).map_err(|_| Rejection::bad("body", "is not UTF-8 text"))
}

/// Whether a request has no body: no bytes, and no `Content-Type` saying what they are. Empty
/// bytes labelled as a form, text or bytes are a body: the empty form, the empty text, no bytes.
pub(crate) fn absent(headers: &axum::http::HeaderMap, bytes: &[u8]) -> bool {
    bytes.is_empty() && headers.get(axum::http::header::CONTENT_TYPE).is_none()
}

/// Reads a JSON body of one of the accepted media types; `None` when it is absent and optional.
pub fn json_body<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: &[u8], accepted: &[&str], required: bool) -> Result<Option<T>, Rejection> {
    if bytes.is_empty() {
        return if required { Err(Rejection::bad("body", "a request body is required")) } else { Ok(None) };
    }
    accepted_media(headers, accepted)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    // A request is held to its schema: `null` for an optional property is refused, not read as
    // absent, and a number is not read as text.
    let value = crate::de::checking_json(|| serde_path_to_error::deserialize(&mut deserializer)).map_err(|e| {
        let path = error_path(&e);
        let field = if path.is_empty() { "body".to_owned() } else { format!("body.{path}") };
        Rejection::bad(field, beyond_range(bytes, e.inner()).unwrap_or_else(|| e.inner().to_string()))
    })?;
    deserializer.end().map_err(|e| Rejection::bad("body", e.to_string()))?;
    Ok(Some(value))
}

/// Where in a JSON document `error` is, as serde_path_to_error names it: empty for the document
/// itself, and where it writes `?` for a position it could not name (the end of a truncated
/// document).
pub(crate) fn error_path<E>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    path.trim_end_matches('?').trim_end_matches('.').to_owned()
}

/// What is wrong with a body whose integer does not fit the Rust type it is read as (an `integer`
/// without `format` is an `i64`; JSON's integers have no bound), said as such: serde_json reads
/// an integer beyond 64 bits as a float, and its error would speak of a float the client never
/// sent (or, within 64 bits, of an "invalid value"). `None` for any other error.
fn beyond_range(bytes: &[u8], error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let number = message.strip_prefix("invalid type: floating point `").or_else(|| message.strip_prefix("invalid value: integer `"))?;
    let expected = number.split_once("`, expected ")?.1.split(" at line ").next()?.to_owned();
    // The error's position is the number's last character.
    let line = bytes.split(|b| *b == b'\n').nth(error.line().checked_sub(1)?)?;
    let end = error.column().min(line.len());
    let start = line[..end].iter().rposition(|b| !(b.is_ascii_digit() || b"+-.eE".contains(b))).map_or(0, |at| at + 1);
    let number = std::str::from_utf8(&line[start..end]).ok()?;
    let digits = number.strip_prefix('-').unwrap_or(number);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| format!("the integer `{number}` is beyond the range of the {expected} it is read as"))
}

/// Parses an integer parameter as a `T`; one beyond the range of `T` (an `integer` without
/// `format` is an `i64`) says so, rather than that it is no integer.
///
/// ```
/// use generator_runtime::server::parse_integer;
///
/// assert_eq!(parse_integer::<i64>(" 42", "query.page"), Ok(42));
/// let error = parse_integer::<i64>("-90227495320119478937714688", "query.page").unwrap_err();
/// assert_eq!(error.text(), "query.page: the integer `-90227495320119478937714688` is beyond the range of the i64 it is read as");
/// assert_eq!(parse_integer::<u8>("x", "query.n").unwrap_err().text(), "query.n: must be an integer, not `x`");
/// ```
pub fn parse_integer<T: std::str::FromStr>(text: &str, field: &str) -> Result<T, Rejection> {
    let trimmed = text.trim();
    trimmed.parse().map_err(|_| {
        let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            Rejection::bad(field, format!("the integer `{trimmed}` is beyond the range of the {} it is read as", std::any::type_name::<T>()))
        } else {
            Rejection::bad(field, format!("must be an integer, not `{text}`"))
        }
    })
}

/// Parses a number, a boolean or any other `FromStr` value; `what` says what was expected.
pub fn parse_value<T: std::str::FromStr>(text: &str, field: &str, what: &str) -> Result<T, Rejection> {
    text.trim().parse().map_err(|_| Rejection::bad(field, format!("must be {what}, not `{text}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_of_several_parameters_is_cut_at_its_literal_text() {
        assert_eq!(between("main...dev", "", "...{head}"), Some("main"));
        assert_eq!(between("main...dev", "{base}...", ""), Some("dev"));
        assert_eq!(between("report.v2.pdf", "", ".{ext}"), Some("report.v2"));
        assert_eq!(between("report.v2.pdf", "{name}.", ""), Some("pdf"));
        assert_eq!(between("v1.json", "v", ".json"), Some("1"));
        assert_eq!(between("...dev", "", "...{head}"), None, "a parameter is never empty");
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Login {
        user: String,
        remember: bool,
    }

    fn headers(content_type: &str) -> axum::http::HeaderMap {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_str(content_type).expect("a header value"));
        headers
    }

    #[test]
    fn path_segments_are_read_by_position_and_decoded_only_when_encoded() {
        let path = "/v2/repositories/library%2Fubuntu/tags/thumbnail.png";
        let read = |index, prefix, suffix| path_segment(path, index, prefix, suffix, "path.x");
        assert_eq!(read(0, "", ""), Ok(Some("".into())));
        assert_eq!(read(1, "", ""), Ok(Some("v2".into())));
        assert_eq!(read(3, "", ""), Ok(Some("library/ubuntu".into())));
        assert!(matches!(read(4, "", ""), Ok(Some(std::borrow::Cow::Borrowed("tags")))));
        assert_eq!(read(5, "thumbnail.", ""), Ok(Some("png".into())));
        assert_eq!(read(5, "", ".png"), Ok(Some("thumbnail".into())));
        assert_eq!(read(5, "other.", ""), Ok(None));
        assert_eq!(read(6, "", ""), Ok(None));
        assert_eq!(path_segment("/a/", 2, "", "", "path.x"), Ok(Some("".into())));
        let bad = path_segment("/a/%FF", 2, "", "", "path.x").expect_err("not UTF-8");
        assert_eq!(bad.field.as_deref(), Some("path.x"));
    }

    #[test]
    fn form_bodies_are_read_or_rejected_naming_the_field() {
        let form = headers("application/x-www-form-urlencoded; charset=UTF-8");
        assert_eq!(form_body::<Login>(&form, b"user=ann&remember=true", &[], true), Ok(Some(Login { user: "ann".into(), remember: true })));
        assert_eq!(form_body::<Login>(&axum::http::HeaderMap::new(), b"", &[], false), Ok(None), "no bytes and no media type: no body");
        let empty = form_body::<std::collections::BTreeMap<String, String>>(&form, b"", &[], true);
        assert_eq!(empty, Ok(Some(Default::default())), "no bytes labelled as a form: the empty form");
        let text = text_body(&headers("text/plain"), axum::body::Bytes::new(), &["text/plain"], true);
        assert_eq!(text, Ok(Some(String::new())), "no bytes labelled as text: the empty text");
        let error = form_body::<Login>(&form, b"user=ann&remember=maybe", &[], true).expect_err("not a bool");
        assert_eq!(error.text(), "body.remember: expected `true` or `false`, got `maybe`");
        let error = form_body::<Login>(&headers("application/json"), b"{}", &[], true).expect_err("not a form");
        assert_eq!(error.status, 415);
    }

    #[test]
    fn an_integer_beyond_its_type_is_refused_as_such() {
        type Page = std::collections::BTreeMap<String, Vec<i64>>;
        let json = headers("application/json");
        let refusal = |body: &str| json_body::<Page>(&json, body.as_bytes(), &["application/json"], true).expect_err("out of range").text();
        assert_eq!(refusal("{\"size\": [1180591620717411303424]}"), "body.size[0]: the integer `1180591620717411303424` is beyond the range of the i64 it is read as");
        assert_eq!(refusal("{\n \"size\": [1,\n  -99999999999999999999999 ]}"), "body.size[1]: the integer `-99999999999999999999999` is beyond the range of the i64 it is read as");
        // A number that is no integer keeps serde_json's words.
        assert!(refusal("{\"size\": [2.5]}").starts_with("body.size[0]: invalid type: floating point `2.5`, expected i64"));
    }

    #[test]
    fn raw_bodies_match_media_ranges() {
        let png = headers("image/png");
        let bytes = axum::body::Bytes::from_static(b"\x89PNG");
        assert_eq!(bytes_body(&png, bytes.clone(), &["image/*"], true), Ok(Some(bytes.clone())));
        assert_eq!(bytes_body(&png, bytes.clone(), &["*/*"], true), Ok(Some(bytes.clone())));
        assert_eq!(bytes_body(&png, bytes.clone(), &["text/*"], true).map_err(|e| e.status), Err(415));
        assert_eq!(bytes_body(&png, axum::body::Bytes::new(), &["image/*"], true), Ok(Some(axum::body::Bytes::new())), "labelled: an empty upload");
        assert_eq!(bytes_body(&axum::http::HeaderMap::new(), axum::body::Bytes::new(), &["image/*"], true).map_err(|e| e.status), Err(400), "unlabelled: no body");
        let text = headers("text/csv; charset=utf-8");
        assert_eq!(text_body(&text, axum::body::Bytes::from_static(b"a,b"), &["text/csv"], true), Ok(Some("a,b".to_owned())));
        assert_eq!(text_body(&text, axum::body::Bytes::from_static(b"\xff"), &["text/csv"], true).map_err(|e| e.text()), Err("body: is not UTF-8 text".to_owned()));
    }
}
