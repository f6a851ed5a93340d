//! One request as an operation describes it, and its answer.

use std::convert::Infallible;

use futures_util::{Stream, StreamExt as _};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{AuthKind, Error, Failure, RateLimit};
use crate::body::form::FieldEncoding;
use crate::body::multipart::Multipart;
use crate::params::{self, Encoding, ParamValue};
use crate::stream::lines::{self, Framing};
use crate::stream::{sse, Encode, Event, ItemError};

/// One request, built by a generated operation: method, path template with its parameters filled
/// in, query, headers, cookies, body, and which credentials it may carry.
///
/// ```
/// use generator_runtime::client::Request;
///
/// let request = Request::new(reqwest::Method::GET, "/v2/namespaces/{namespace}/repositories")
///     .path("namespace", "library")
///     .query("page", &Some(2))
///     .query("ordering", &None::<String>)
///     .accept("application/json");
/// assert_eq!(request.target(), "/v2/namespaces/library/repositories?page=2");
/// ```
#[derive(Debug)]
pub struct Request {
    pub(crate) method: reqwest::Method,
    /// The path below the base URL, or an absolute URL (a pagination link).
    pub(crate) path: String,
    pub(crate) query: Vec<String>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<String>,
    pub(crate) body: Option<Body>,
    pub(crate) auth: &'static [AuthKind],
    /// Where an API key goes, for an operation an `apiKey` scheme secures.
    pub(crate) keys: &'static [(&'static str, super::KeyPlace)],
    pub(crate) anonymous: bool,
    pub(crate) issues: &'static [(&'static str, AuthKind)],
    /// The redirect statuses the operation documents as answers: handed back, not followed.
    pub(crate) redirects: &'static [u16],
    /// The operation's own server (its `servers`), where it is sent while the client talks to the
    /// spec's default server.
    pub(crate) server: Option<&'static str>,
    /// The first parameter or body that could not be encoded; sending then fails with it.
    pub(crate) failure: Option<Error<Infallible>>,
}

/// What a request sends after its headers.
#[derive(Debug)]
pub(crate) enum Body {
    /// Bytes labelled with their content type.
    Bytes(&'static str, Vec<u8>),
    /// A multipart form, made into a `reqwest` form for each attempt (a streamed form cannot be
    /// sent twice; its parts' content is shared between attempts, not copied).
    Multipart(Multipart),
    /// Items written as they come, labelled with their content type: sent once, by the first
    /// attempt, which takes it.
    Stream(&'static str, std::sync::Mutex<Option<reqwest::Body>>),
}

impl Request {
    /// A request of `method` to `template`, a path below the base URL whose `{name}`s are filled
    /// in by [`path`](Request::path).
    pub fn new(method: reqwest::Method, template: &str) -> Request {
        Request {
            method,
            path: template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            auth: &[],
            keys: &[],
            anonymous: false,
            issues: &[],
            redirects: &[],
            server: None,
            failure: None,
        }
    }

    /// A request of a method `reqwest` has no constant for (`QUERY`, or a custom method of an
    /// OpenAPI 3.2 `additionalOperations`), by name; sending it fails if `method` is no method
    /// name (an RFC 9110 token).
    ///
    /// ```
    /// use generator_runtime::client::Request;
    ///
    /// let filter = serde_json::json!({"author": "Le Guin", "year": 1969});
    /// let form = Request::named("QUERY", "/books").query_string("filter", "application/x-www-form-urlencoded", &filter);
    /// assert_eq!(form.target(), "/books?author=Le%20Guin&year=1969");
    /// let json = Request::named("QUERY", "/books").query_string("filter", "application/json", &filter);
    /// assert_eq!(json.target(), "/books?%7B%22author%22%3A%22Le%20Guin%22%2C%22year%22%3A1969%7D");
    /// ```
    pub fn named(method: &str, template: &str) -> Request {
        match reqwest::Method::from_bytes(method.as_bytes()) {
            Ok(method) => Request::new(method, template),
            Err(_) => {
                let mut request = Request::new(reqwest::Method::GET, template);
                request.failure = Some(Error::Encode { message: format!("`{method}` is no HTTP method name") });
                request
            }
        }
    }

    /// A GET of a listing's `next` link (an absolute URL or a path).
    pub fn link(url: String) -> Request {
        Request::new(reqwest::Method::GET, &url)
    }

    /// The operation's own server (`servers` of its operation or path), whose URL `template` is
    /// below: used while the client talks to the spec's default server; a client given another
    /// base URL (a mock, a proxy, another region) sends every operation there.
    pub fn server(mut self, url: &'static str) -> Request {
        self.server = Some(url);
        self
    }

    /// The path and query as they will be sent (below the base URL). A `#` in a path template
    /// (AWS writes `/tags/{arn}#tagKeys` to tell operations apart) begins a fragment, which is
    /// never sent: it is left out, so that the query is not taken into it. Values never hold
    /// one unescaped.
    pub fn target(&self) -> String {
        let path = self.path.split_once('#').map_or(self.path.as_str(), |(path, _)| path);
        if self.query.is_empty() {
            path.to_owned()
        } else {
            let sep = if path.contains('?') { '&' } else { '?' };
            format!("{path}{sep}{}", self.query.join("&"))
        }
    }

    fn flatten<T: Serialize + ?Sized>(&mut self, value: &T, what: &str) -> ParamValue {
        match ParamValue::of(value) {
            Ok(v) => v,
            Err(e) => {
                self.failure.get_or_insert(Error::Encode { message: format!("{what}: {e}") });
                ParamValue::Absent
            }
        }
    }

    /// Fills in path parameter `{name}` (`simple` style).
    pub fn path<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Request {
        self.path_as(name, value, Encoding::SIMPLE)
    }

    /// Fills in path parameter `{name}` in the given style.
    pub fn path_as<T: Serialize + ?Sized>(mut self, name: &str, value: &T, encoding: Encoding) -> Request {
        let value = self.flatten(value, name);
        match params::path(name, &value, encoding) {
            Some(text) if !text.is_empty() => self.path = self.path.replace(&format!("{{{name}}}"), &text),
            _ => {
                self.failure.get_or_insert(Error::Encode { message: format!("path parameter `{name}` is empty") });
            }
        }
        self
    }

    /// Adds query parameter `name` (`form`, exploded); `None` adds nothing.
    pub fn query<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Request {
        self.query_as(name, value, Encoding::FORM)
    }

    /// Adds query parameter `name` in the given style.
    pub fn query_as<T: Serialize + ?Sized>(mut self, name: &str, value: &T, encoding: Encoding) -> Request {
        let value = self.flatten(value, name);
        self.query.extend(params::query(name, &value, encoding));
        self
    }

    /// Adds query parameter `name` given by `content`: the value as JSON text.
    pub fn query_json<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Request {
        if let Some(text) = self.json_text(value, name) {
            self.query.push(format!("{}={}", params::percent_encode(name, false), params::percent_encode(&text, false)));
        }
        self
    }

    /// Adds the whole query string (OpenAPI 3.2 `in: querystring`, named `name`), written as
    /// `media_type`: a form (`application/x-www-form-urlencoded`) of an object's properties, or
    /// JSON text, percent-encoded. `None` adds nothing.
    pub fn query_string<T: Serialize + ?Sized>(mut self, name: &str, media_type: &str, value: &T) -> Request {
        if crate::body::is_form(media_type) {
            match crate::body::form::encode(value, &[]) {
                Ok(text) if !text.is_empty() => self.query.push(text),
                Ok(_) => {}
                Err(e) => {
                    self.failure.get_or_insert(Error::Encode { message: format!("{name}: {e}") });
                }
            }
        } else if let Some(text) = self.json_text(value, name) {
            self.query.push(params::percent_encode(&text, false));
        }
        self
    }

    /// Fills in path parameter `{name}` given by `content`: the value as JSON text, percent-encoded.
    pub fn path_json<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Request {
        match self.json_text(value, name) {
            Some(text) => self.path = self.path.replace(&format!("{{{name}}}"), &params::percent_encode(&text, false)),
            None => {
                self.failure.get_or_insert(Error::Encode { message: format!("path parameter `{name}` is empty") });
            }
        }
        self
    }

    /// Adds request header `name` given by `content`: the value as JSON text.
    pub fn header_json<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Request {
        if let Some(text) = self.json_text(value, name) {
            self.headers.push((name, text));
        }
        self
    }

    /// Adds cookie `name` given by `content`: the value as JSON text, percent-encoded.
    pub fn cookie_json<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Request {
        if let Some(text) = self.json_text(value, name) {
            self.cookies.push(format!("{name}={}", params::percent_encode(&text, false)));
        }
        self
    }

    /// Adds request header `name` (`simple`); `None` adds nothing.
    pub fn header<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Request {
        self.header_as(name, value, Encoding::SIMPLE)
    }

    /// Adds request header `name` in the given style.
    pub fn header_as<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T, encoding: Encoding) -> Request {
        let value = self.flatten(value, name);
        if let Some(text) = params::header(&value, encoding) {
            self.headers.push((name, text));
        }
        self
    }

    /// Adds cookie `name` (`form`, exploded); `None` adds nothing.
    pub fn cookie<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Request {
        self.cookie_as(name, value, Encoding::FORM)
    }

    /// Adds cookie `name` in the given style.
    pub fn cookie_as<T: Serialize + ?Sized>(mut self, name: &str, value: &T, encoding: Encoding) -> Request {
        let value = self.flatten(value, name);
        self.cookies.extend(params::cookie(name, &value, encoding));
        self
    }

    fn json_text<T: Serialize + ?Sized>(&mut self, value: &T, what: &str) -> Option<String> {
        match serde_json::to_string(value) {
            Ok(text) if text != "null" => Some(text),
            Ok(_) => None,
            Err(e) => {
                self.failure.get_or_insert(Error::Encode { message: format!("{what}: {e}") });
                None
            }
        }
    }

    /// Sends `body` as JSON, labelled `content_type` (`application/json` or another `+json` type).
    /// A body of `null` (`None`, where the schema admits `null`) is sent as `null`: unlike a
    /// parameter's, its absence is not what `null` means.
    pub fn json<T: Serialize + ?Sized>(mut self, content_type: &'static str, body: &T) -> Request {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::Bytes(content_type, bytes)),
            Err(e) => {
                self.failure.get_or_insert(Error::Encode { message: format!("the request body: {e}") });
            }
        }
        self
    }

    /// Sends `body` as an `application/x-www-form-urlencoded` form; `fields` are the properties the
    /// spec's `encoding` object writes otherwise than by default.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T, fields: &[FieldEncoding]) -> Request {
        match crate::body::form::encode(body, fields) {
            Ok(text) => self.body = Some(Body::Bytes(crate::body::form::CONTENT_TYPE, text.into_bytes())),
            Err(e) => {
                self.failure.get_or_insert(Error::Encode { message: format!("the request body: {e}") });
            }
        }
        self
    }

    /// Sends `body` as is, labelled `content_type`.
    pub fn bytes(mut self, content_type: &'static str, body: Vec<u8>) -> Request {
        self.body = Some(Body::Bytes(content_type, body));
        self
    }

    /// Sends `text` as is, labelled `content_type` (`text/plain`, `text/csv`, …).
    pub fn text(mut self, content_type: &'static str, text: String) -> Request {
        self.body = Some(Body::Bytes(content_type, text.into_bytes()));
        self
    }

    /// Sends `form` as `multipart/form-data`; a field of it that could not be encoded fails the
    /// request.
    pub fn multipart(mut self, form: Multipart) -> Request {
        match form.failure() {
            Some(failure) => {
                self.failure.get_or_insert(Error::Encode { message: format!("the request body: {failure}") });
            }
            None => self.body = Some(Body::Multipart(form)),
        }
        self
    }

    /// Sends the items of `items` as they come, each written by `encode` as one record of
    /// `framing` (JSON Lines, NDJSON or a JSON text sequence), labelled `content_type`.
    ///
    /// A streamed body is sent once: such a request is not retried and no redirect is followed
    /// for it. An item that cannot be written cuts the body short, and the call fails.
    pub fn records<T: 'static>(self, content_type: &'static str, framing: Framing, items: impl Stream<Item = T> + Send + 'static, encode: Encode<T>) -> Request {
        self.streamed(content_type, items, move |out, item| {
            let text = encode(item)?;
            lines::write_record(out, framing, &text);
            Ok(())
        })
    }

    /// Sends the events of `events` as they come (`text/event-stream`), each event's data written
    /// by `encode`, with its name, id and retry time. Sent once, as [`records`](Request::records).
    pub fn events<T: 'static>(self, events: impl Stream<Item = Event<T>> + Send + 'static, encode: Encode<T>) -> Request {
        self.streamed("text/event-stream", events, move |out, event| {
            let data = encode(&event.data)?;
            sse::write_event(out, event.event.as_deref(), event.id.as_deref(), event.retry, &data);
            Ok(())
        })
    }

    fn streamed<I: 'static>(mut self, content_type: &'static str, items: impl Stream<Item = I> + Send + 'static, write: impl Fn(&mut Vec<u8>, &I) -> Result<(), String> + Send + 'static) -> Request {
        let body = items.enumerate().map(move |(index, item)| {
            let mut out = Vec::new();
            write(&mut out, &item).map(|()| bytes::Bytes::from(out)).map_err(|message| ItemError { index: index as u64, message: format!("cannot be written: {message}") })
        });
        self.body = Some(Body::Stream(content_type, std::sync::Mutex::new(Some(reqwest::Body::wrap_stream(body)))));
        self
    }

    /// Whether the body is a stream, which is sent once.
    pub(crate) fn streams(&self) -> bool {
        matches!(self.body, Some(Body::Stream(..)))
    }

    /// Asks for answers of `media_type`.
    pub fn accept(mut self, media_type: &'static str) -> Request {
        self.headers.push(("accept", media_type.to_owned()));
        self
    }

    /// The redirect statuses (`302`, …) the operation documents as answers: the client hands
    /// them back as the spec describes them rather than following them, as it follows others.
    pub fn answers_redirects(mut self, statuses: &'static [u16]) -> Request {
        self.redirects = statuses;
        self
    }

    /// The kinds of credential the operation accepts (none given: whatever the client has).
    pub fn auth(mut self, kinds: &'static [AuthKind]) -> Request {
        self.auth = kinds;
        self
    }

    /// The operation's `apiKey` schemes, each as (its name, where it presents a key): each
    /// [`super::Credentials::KeyFor`] kept for one of them goes where it says, else a
    /// [`super::Credentials::ApiKey`] where the first says.
    pub fn api_keys(mut self, schemes: &'static [(&'static str, super::KeyPlace)]) -> Request {
        self.keys = schemes;
        self
    }

    /// Sends no credentials at all (the operation obtains them).
    pub fn anonymous(mut self) -> Request {
        self.anonymous = true;
        self
    }

    /// Response headers that carry a credential of the given kind for later calls.
    pub fn issues(mut self, headers: &'static [(&'static str, AuthKind)]) -> Request {
        self.issues = headers;
        self
    }
}

/// An answer, read whole.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (lossy), for errors.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        serde_json::from_slice(&self.body).map_err(|e| Failure(Error::Decode { status: self.status, message: e.to_string(), body: self.text() }))
    }

    /// A string body: a JSON string (`"OK"`), or the raw text when the server sends it unquoted.
    pub fn string(&self) -> String {
        serde_json::from_slice::<String>(&self.body).unwrap_or_else(|_| self.text())
    }

    /// A response header's value, if present and text (UTF-8: servers send text beyond ASCII as
    /// its octets, which `HeaderValue::to_str` refuses).
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_text(name).map(str::to_owned)
    }

    /// A response header parsed as `T`, if present and parseable.
    pub fn header_as<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.header_text(name).and_then(|v| v.trim().parse().ok())
    }

    fn header_text(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
    }

    /// `Err` of a documented error status, with the operation's error value.
    pub fn api<T, E>(&self, error: E) -> Result<T, Error<E>> {
        Err(Error::Api { status: self.status, error })
    }

    /// The error for a status the operation does not document.
    pub fn unexpected<T, E>(&self) -> Result<T, Error<E>> {
        Err(if self.status == 429 {
            let retry_after = RateLimit::from_headers(&self.headers).and_then(|r| r.retry_after);
            Error::RateLimited { retry_after, body: self.text() }
        } else {
            Error::UnexpectedStatus { status: self.status, body: self.text() }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Style;

    #[test]
    fn parameters_fill_the_template_and_query_in_their_styles() {
        let r = Request::new(reqwest::Method::GET, "/repos/{owner}/{repo}/items{ids}")
            .path("owner", "a b/c")
            .path("repo", &42)
            .path_as("ids", &[3, 4], Encoding::new(Style::Matrix, true))
            .query("tag", &vec!["x", "y"])
            .query_as("sort", &["a", "b"], Encoding::new(Style::PipeDelimited, false))
            .query_json("filter", &serde_json::json!({"q": 1}));
        assert_eq!(r.target(), "/repos/a%20b%2Fc/42/items;ids=3;ids=4?tag=x&tag=y&sort=a|b&filter=%7B%22q%22%3A1%7D");
        assert!(r.failure.is_none());
    }

    #[test]
    fn numbers_in_a_body_are_read_as_the_double_their_text_denotes() {
        // serde_json's fast parser reads this one as `4096029905631902.5`, half a unit off.
        let response = Response { status: 200, headers: reqwest::header::HeaderMap::new(), body: b"[4096029905631902.0, 0.30000000000000004]".to_vec() };
        let read: Vec<f64> = response.json().expect("numbers");
        assert_eq!(read, [4096029905631902.0, 0.30000000000000004]);
    }

    #[test]
    fn form_bodies_are_encoded_and_labelled_and_a_non_object_fails_the_request() {
        #[derive(serde::Serialize)]
        struct Login {
            user: &'static str,
            scopes: [&'static str; 2],
        }
        let r = Request::new(reqwest::Method::POST, "/login").form(&Login { user: "a b", scopes: ["x", "y"] }, &[]);
        let Some(Body::Bytes(content_type, bytes)) = r.body.as_ref() else { panic!("no body") };
        assert_eq!((*content_type, bytes.as_slice()), ("application/x-www-form-urlencoded", b"user=a%20b&scopes=x&scopes=y".as_slice()));
        let r = Request::new(reqwest::Method::POST, "/login").form(&"text", &[]);
        assert!(matches!(r.failure, Some(Error::Encode { .. })));
    }

    #[test]
    fn a_null_body_is_sent_as_null_where_a_null_parameter_is_left_out() {
        let r = Request::new(reqwest::Method::PATCH, "/gists/{id}").path("id", &"g").query_json("filter", &None::<u8>).json("application/json", &None::<u8>);
        let Some(Body::Bytes(content_type, bytes)) = r.body.as_ref() else { panic!("no body") };
        assert_eq!((*content_type, bytes.as_slice(), r.target().as_str()), ("application/json", b"null".as_slice(), "/gists/g"));
    }

    #[test]
    fn a_multipart_field_that_cannot_be_encoded_fails_the_request() {
        let bad = std::collections::HashMap::from([((1, 2), "tuple keys are no JSON")]);
        let r = Request::new(reqwest::Method::POST, "/upload").multipart(Multipart::new().field("bad", &bad));
        assert!(matches!(r.failure, Some(Error::Encode { .. })));
        let r = Request::new(reqwest::Method::POST, "/upload").multipart(Multipart::new().text("a", "b"));
        assert!(matches!(r.body, Some(Body::Multipart(_))));
    }

    #[test]
    fn an_absent_path_parameter_fails_the_request() {
        let r = Request::new(reqwest::Method::GET, "/a/{id}").path("id", &None::<String>);
        assert!(matches!(r.failure, Some(Error::Encode { .. })));
    }
}
