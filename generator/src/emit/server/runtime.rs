//! The server crate's `runtime` module: credentials parsing, request reading and validation, and the
//! default error shape. Same for every API; only what the crate uses is emitted.

use proc_macro2::TokenStream;
use quote::quote;

/// Which optional runtime parts the crate's operations need.
#[derive(Debug, Default, Clone, Copy)]
pub struct Usage {
    /// Some operation reads query parameters.
    pub reads_query: bool,
    /// Some operation reads request headers.
    pub reads_headers: bool,
    /// Some operation reads a JSON body.
    pub reads_body: bool,
    /// Some value is checked against a pattern.
    pub checks_patterns: bool,
    /// Some parameter is a date-time.
    pub parses_date_times: bool,
    /// Some parameter is a number or boolean to parse.
    pub parses_values: bool,
    /// Some answer has no body.
    pub answers_empty: bool,
}

/// The private `runtime` module: credentials, reading requests, writing answers.
pub fn runtime_module(usage: Usage) -> TokenStream {
    let parts = [credentials(), errors(usage), reading(usage)];
    quote! {
        //! Reading requests before an implementation sees them, writing answers, the default error shape.
        #(#parts)*
    }
}

/// The public `validation` module: the rules requests are checked against.
pub fn validation_module(usage: Usage) -> TokenStream {
    let checks = checks(usage);
    quote! {
        //! The rules of the spec that requests are checked against before an implementation is
        //! called. Implementations may use them too.
        #checks
    }
}

fn credentials() -> TokenStream {
    quote! {
        /// The credentials a request presents in `Authorization`, parsed for the implementation to judge.
        ///
        /// `Debug` never shows secrets.
        #[derive(Clone, PartialEq, Eq)]
        pub enum Credentials {
            /// `Bearer <token>`.
            Bearer(String),
            /// `Basic <base64(username:password)>`.
            Basic {
                /// The user name.
                username: String,
                /// The password.
                password: String,
            },
            /// `Token signature=…,repository="…",access=…` (the v1 index token).
            Token {
                /// The whole value after `Token `, as issued.
                raw: String,
                /// `signature`.
                signature: Option<String>,
                /// `repository`, unquoted.
                repository: Option<String>,
                /// `access`.
                access: Option<String>,
            },
            /// Any other scheme: the scheme and its value.
            Other {
                /// The scheme name.
                scheme: String,
                /// The rest of the header.
                value: String,
            },
        }

        impl std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
                    Credentials::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: <redacted> }}"),
                    Credentials::Token { repository, access, .. } => write!(f, "Token {{ repository: {repository:?}, access: {access:?}, signature: <redacted> }}"),
                    Credentials::Other { scheme, .. } => write!(f, "Other {{ scheme: {scheme:?}, value: <redacted> }}"),
                }
            }
        }

        impl Credentials {
            /// Parses an `Authorization` header value; `None` when it is empty or malformed.
            pub fn parse(header: &str) -> Option<Credentials> {
                let (scheme, value) = header.trim().split_once(' ')?;
                let value = value.trim();
                if value.is_empty() {
                    return None;
                }
                match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => Some(Credentials::Bearer(value.to_owned())),
                    "basic" => {
                        let decoded = String::from_utf8(base64_decode(value)?).ok()?;
                        let (username, password) = decoded.split_once(':')?;
                        Some(Credentials::Basic { username: username.to_owned(), password: password.to_owned() })
                    }
                    "token" => {
                        let field = |name: &str| {
                            value.split(',').find_map(|part| {
                                let (k, v) = part.trim().split_once('=')?;
                                (k.trim() == name).then(|| v.trim().trim_matches('"').to_owned())
                            })
                        };
                        Some(Credentials::Token { raw: value.to_owned(), signature: field("signature"), repository: field("repository"), access: field("access") })
                    }
                    _ => Some(Credentials::Other { scheme: scheme.to_owned(), value: value.to_owned() }),
                }
            }

            pub(crate) fn from_headers(headers: &axum::http::HeaderMap) -> Option<Credentials> {
                headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(Credentials::parse)
            }
        }

        /// Standard base64 (RFC 4648), padding optional.
        fn base64_decode(text: &str) -> Option<Vec<u8>> {
            let mut bits: u32 = 0;
            let mut count = 0;
            let mut out = Vec::with_capacity(text.len() * 3 / 4);
            for c in text.trim_end_matches('=').bytes() {
                let v = match c {
                    b'A'..=b'Z' => c - b'A',
                    b'a'..=b'z' => c - b'a' + 26,
                    b'0'..=b'9' => c - b'0' + 52,
                    b'+' => 62,
                    b'/' => 63,
                    _ => return None,
                };
                bits = (bits << 6) | u32::from(v);
                count += 6;
                if count >= 8 {
                    count -= 8;
                    out.push((bits >> count) as u8);
                }
            }
            Some(out)
        }
    }
}

fn errors(usage: Usage) -> TokenStream {
    let empty = usage.answers_empty.then(|| {
        quote! {
            /// An answer without a body.
            pub(crate) fn empty_response(status: u16, headers: Vec<(&'static str, String)>) -> axum::response::Response {
                let status = axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                let mut response = status.into_response();
                add_headers(&mut response, headers);
                response
            }
        }
    });
    quote! {
        /// A JSON answer with the default error shape.
        pub(crate) fn default_error(status: u16, detail: impl Into<String>, field: Option<String>) -> axum::response::Response {
            json_response(status, "application/json", &crate::validation::ErrorBody { detail: detail.into(), field }, Vec::new())
        }

        /// A JSON answer.
        pub(crate) fn json_response<T: serde::Serialize>(status: u16, content_type: &'static str, body: &T, headers: Vec<(&'static str, String)>) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = match serde_json::to_vec(body) {
                Ok(bytes) => (status, [(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response(),
                Err(e) => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("cannot encode the answer: {e}")).into_response(),
            };
            add_headers(&mut response, headers);
            response
        }

        #empty

        fn add_headers(response: &mut axum::response::Response, headers: Vec<(&'static str, String)>) {
            for (name, value) in headers {
                if let Ok(value) = axum::http::HeaderValue::from_str(&value) {
                    response.headers_mut().insert(name, value);
                }
            }
        }

        use axum::response::IntoResponse as _;

        /// Answers unknown paths: 404 with the default error shape.
        pub(crate) async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
            default_error(404, format!("no operation at {}", uri.path()), None)
        }

        /// Answers a handler that panicked: 500 with the default error shape, the server keeps serving.
        pub(crate) fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
            default_error(500, "the handler failed", None)
        }

        /// Gives the answers axum makes itself (405, 413) the default error shape, keeping their headers.
        pub(crate) async fn shape_errors(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
            let response = next.run(request).await;
            let status = response.status();
            let plain = response.headers().get(axum::http::header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
            if !plain || !(status == axum::http::StatusCode::METHOD_NOT_ALLOWED || status == axum::http::StatusCode::PAYLOAD_TOO_LARGE) {
                return response;
            }
            let detail = if status == axum::http::StatusCode::METHOD_NOT_ALLOWED { "method not allowed for this path" } else { "request body too large" };
            let (mut parts, _) = response.into_parts();
            let shaped = default_error(status.as_u16(), detail, None);
            parts.headers.insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
            axum::response::Response::from_parts(parts, shaped.into_body())
        }
    }
}

fn reading(usage: Usage) -> TokenStream {
    let query = usage.reads_query.then(|| {
        quote! {
            /// The query string's pairs, percent-decoded.
            pub(crate) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
                query.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
            }

            /// The first value of query parameter `name`.
            pub(crate) fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
                pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
            }
        }
    });
    let header = usage.reads_headers.then(|| {
        quote! {
            /// A request header's value as text.
            pub(crate) fn header_value<'a>(headers: &'a axum::http::HeaderMap, name: &str, field: &str) -> Result<Option<&'a str>, crate::validation::Rejection> {
                match headers.get(name) {
                    None => Ok(None),
                    Some(v) => v.to_str().map(Some).map_err(|_| crate::validation::Rejection::bad(field, "is not text")),
                }
            }
        }
    });
    let body = usage.reads_body.then(|| {
        quote! {
            /// Reads a JSON body of one of the accepted media types; `None` when it is absent and optional.
            pub(crate) fn json_body<T: serde::de::DeserializeOwned>(headers: &axum::http::HeaderMap, bytes: &[u8], accepted: &[&str], required: bool) -> Result<Option<T>, crate::validation::Rejection> {
                if bytes.is_empty() {
                    return if required { Err(crate::validation::Rejection::bad("body", "a request body is required")) } else { Ok(None) };
                }
                let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
                let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                if !accepted.contains(&media.as_str()) {
                    return Err(crate::validation::Rejection { status: 415, field: Some("body".into()), message: format!("content type `{media}` is not accepted; send {}", accepted.join(" or ")) });
                }
                let mut deserializer = serde_json::Deserializer::from_slice(bytes);
                let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                    // serde_path_to_error writes `?` for a position it could not name (the end of a
                    // truncated document): the field is then the body itself.
                    let path = e.path().to_string();
                    let path = path.trim_end_matches('?').trim_end_matches('.');
                    let field = if path.is_empty() { "body".to_owned() } else { format!("body.{path}") };
                    crate::validation::Rejection::bad(field, e.inner().to_string())
                })?;
                deserializer.end().map_err(|e| crate::validation::Rejection::bad("body", e.to_string()))?;
                Ok(Some(value))
            }
        }
    });
    let date_time = usage.parses_date_times.then(|| {
        quote! {
            /// Parses an RFC 3339 date-time.
            pub(crate) fn parse_date_time(text: &str, field: &str) -> Result<chrono::DateTime<chrono::Utc>, crate::validation::Rejection> {
                chrono::DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&chrono::Utc)).map_err(|_| crate::validation::Rejection::bad(field, "must be an RFC 3339 date-time"))
            }
        }
    });
    let parse = usage.parses_values.then(|| {
        quote! {
            /// Parses a number, a boolean or any other `FromStr` value.
            pub(crate) fn parse_value<T: std::str::FromStr>(text: &str, field: &str, what: &str) -> Result<T, crate::validation::Rejection> {
                text.trim().parse().map_err(|_| crate::validation::Rejection::bad(field, format!("must be {what}, not `{text}`")))
            }
        }
    });
    quote! {
        #query
        #header
        #body
        #date_time

        #parse
    }
}

fn checks(usage: Usage) -> TokenStream {
    let pattern = usage.checks_patterns.then(|| {
        quote! {
            /// Checks `value` against a pattern compiled once.
            pub fn check_pattern(value: &str, pattern: &std::sync::LazyLock<Option<regex::Regex>>, source: &str, field: &str, errors: &mut Vec<Rejection>) {
                if let Some(re) = pattern.as_ref() {
                    if !re.is_match(value) {
                        errors.push(Rejection::bad(field, format!("must match `{source}`")));
                    }
                }
            }
        }
    });
    quote! {
        /// The default error body: what the server answers when an operation documents no shape for
        /// the error (unknown path, wrong method, malformed request of an operation without a
        /// documented 400 body, oversized body, a panicking handler).
        #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct ErrorBody {
            /// What is wrong.
            pub detail: String,
            /// The field at fault (`body.user_name`, `query.page_size`, …), when one is.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub field: Option<String>,
        }


        /// A request that breaks the spec: the field at fault, what is wrong, and the status to answer.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Rejection {
            /// The HTTP status (400, 413, 415).
            pub status: u16,
            /// The field at fault, as `location.name` (`query.page_size`, `body.scopes`).
            pub field: Option<String>,
            /// What is wrong.
            pub message: String,
        }

        impl Rejection {
            pub fn bad(field: impl Into<String>, message: impl Into<String>) -> Self {
                Rejection { status: 400, field: Some(field.into()), message: message.into() }
            }

            /// The default error body for this rejection.
            pub fn body(&self) -> ErrorBody {
                ErrorBody { detail: self.message.clone(), field: self.field.clone() }
            }

            /// The field at fault without its location (`body.token_label` -> `token_label`), or empty.
            pub fn name(&self) -> &str {
                let field = self.field.as_deref().unwrap_or("");
                field.split_once('.').map_or(field, |(_, rest)| rest)
            }

            /// `field: message`, or just the message.
            pub fn text(&self) -> String {
                match &self.field {
                    Some(field) => format!("{field}: {}", self.message),
                    None => self.message.clone(),
                }
            }
        }


        /// Values the spec constrains: every rule broken adds a rejection.
        pub trait Validate {
            /// Checks the value, naming fields from `field`.
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>);
        }

        impl<T: Validate> Validate for Option<T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                if let Some(v) = self {
                    v.validate(field, errors);
                }
            }
        }

        impl<T: Validate> Validate for Vec<T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                for (i, v) in self.iter().enumerate() {
                    v.validate(&format!("{field}[{i}]"), errors);
                }
            }
        }

        impl<T: Validate> Validate for Box<T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                self.as_ref().validate(field, errors);
            }
        }

        impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                for (k, v) in self {
                    v.validate(&format!("{field}.{k}"), errors);
                }
            }
        }

        /// Checks a text's length in characters.
        pub fn check_length(value: &str, min: Option<usize>, max: Option<usize>, field: &str, errors: &mut Vec<Rejection>) {
            let len = value.chars().count();
            if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
                let rule = match (min, max) {
                    (Some(a), Some(b)) => format!("must be {a} to {b} characters long"),
                    (Some(a), None) => format!("must be at least {a} characters long"),
                    (None, Some(b)) => format!("must be at most {b} characters long"),
                    (None, None) => String::new(),
                };
                errors.push(Rejection::bad(field, rule));
            }
        }

        /// Checks a number's range.
        pub fn check_range(value: f64, min: Option<f64>, max: Option<f64>, field: &str, errors: &mut Vec<Rejection>) {
            if min.is_some_and(|m| value < m) {
                errors.push(Rejection::bad(field, format!("must be at least {}", min.unwrap_or_default())));
            }
            if max.is_some_and(|m| value > m) {
                errors.push(Rejection::bad(field, format!("must be at most {}", max.unwrap_or_default())));
            }
        }

        /// Checks a list's length.
        pub fn check_items(len: usize, min: Option<usize>, max: Option<usize>, field: &str, errors: &mut Vec<Rejection>) {
            if min.is_some_and(|m| len < m) {
                errors.push(Rejection::bad(field, format!("must have at least {} item(s)", min.unwrap_or_default())));
            }
            if max.is_some_and(|m| len > m) {
                errors.push(Rejection::bad(field, format!("must have at most {} item(s)", max.unwrap_or_default())));
            }
        }

        /// Checks the `email` format: one `@` with text on both sides and a dot in the domain.
        pub fn check_email(value: &str, field: &str, errors: &mut Vec<Rejection>) {
            let valid = value.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !value.contains(char::is_whitespace));
            if !valid {
                errors.push(Rejection::bad(field, "must be an email address"));
            }
        }

        /// Rejects a value the spec's enum does not list (the models keep such values for clients).
        pub fn check_known(known: bool, value: &str, field: &str, errors: &mut Vec<Rejection>) {
            if !known {
                errors.push(Rejection::bad(field, format!("`{value}` is not one of the allowed values")));
            }
        }

        #pattern
    }
}
