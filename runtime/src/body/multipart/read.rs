//! Reading a multipart body on the server, and typed fields out of it (feature `server`).
//!
//! What goes wrong is a [`Rejection`] naming the part at fault (`body.photo`): 413 for a part or
//! body over its limit, 415 for a body that is not multipart, 400 for the rest (no boundary, a
//! body cut short, a part that does not read as its schema says). Nothing here panics on input.

use bytes::Bytes;
use futures_util::Stream;
use serde::de::DeserializeOwned;

use super::{Multipart, Part};
use crate::params::{self, ParamValue};
use crate::server::{BodyLimit, Rejection};

/// The most a multipart body may hold, in bytes: in all, and in any one part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The whole body; a request's [`BodyLimit`] extension, when set, replaces it.
    pub body: u64,
    /// Any one part.
    pub part: u64,
}

impl Limits {
    /// `body` bytes in all, `part` in any one part.
    pub const fn new(body: u64, part: u64) -> Limits {
        Limits { body, part }
    }
}

/// `body.name`, or `body` when no part is to blame.
fn field(part: Option<&str>) -> String {
    part.map_or_else(|| "body".to_owned(), |name| format!("body.{name}"))
}

/// The rejection for what `multer` found wrong; `part` is the part being read, if one was.
fn rejection(error: multer::Error, part: Option<&str>) -> Rejection {
    use multer::Error as E;
    match error {
        E::FieldSizeExceeded { limit, field_name } => {
            Rejection { status: 413, field: Some(field(field_name.as_deref().or(part))), message: format!("is larger than the limit of {limit} bytes") }
        }
        E::StreamSizeExceeded { limit } => Rejection { status: 413, field: Some("body".into()), message: format!("request body too large: the limit is {limit} bytes") },
        E::IncompleteFieldData { field_name } => Rejection::bad(field(field_name.as_deref().or(part)), "is cut short: the body ends inside this part"),
        E::IncompleteStream => Rejection::bad(field(part), "is cut short: the body ends before the closing boundary"),
        E::NoBoundary => Rejection::bad("body", "multipart/form-data needs a `boundary` parameter in its Content-Type"),
        E::NoMultipart | E::DecodeContentType(_) => not_multipart(),
        E::StreamReadFailed(e) => Rejection::bad("body", format!("could not be read: {e}")),
        other => Rejection::bad(field(part), format!("is not well-formed multipart: {other}")),
    }
}

fn not_multipart() -> Rejection {
    Rejection { status: 415, field: Some("body".into()), message: "content type is not accepted; send multipart/form-data".into() }
}

/// Part `name` is required and absent, as the error to answer.
pub fn required<T>(value: Option<T>, name: &str) -> Result<T, Rejection> {
    value.ok_or_else(|| Rejection::bad(field(Some(name)), "is required"))
}

impl Multipart {
    /// Reads a multipart body: `content_type` is the request's `Content-Type` (which carries the
    /// boundary), `body` its chunks as they arrive; no part or body over `limits` is read whole.
    pub async fn read<S, E>(content_type: Option<&str>, body: S, limits: Limits) -> Result<Multipart, Rejection>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let boundary = multer::parse_boundary(content_type.ok_or_else(not_multipart)?).map_err(|e| rejection(e, None))?;
        let constraints = multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limits.body).per_field(limits.part));
        let mut reader = multer::Multipart::with_constraints(body, boundary, constraints);
        let mut parts = Vec::new();
        while let Some(next) = reader.next_field().await.map_err(|e| rejection(e, None))? {
            // RFC 7578 gives every part a name; a part without one belongs to no field.
            let Some(name) = next.name().map(str::to_owned) else { return Err(Rejection::bad("body", "a part has no name")) };
            let file_name = next.file_name().map(str::to_owned);
            let content_type = next.content_type().map(ToString::to_string);
            let bytes = next.bytes().await.map_err(|e| rejection(e, Some(&name)))?;
            parts.push(Part { name, file_name, content_type, bytes });
        }
        Ok(Multipart { parts, failure: None })
    }

    /// Reads a multipart body already in memory.
    pub async fn from_bytes(content_type: Option<&str>, body: Bytes, limits: Limits) -> Result<Multipart, Rejection> {
        let chunks = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
        Multipart::read(content_type, chunks, limits).await
    }

    /// Reads the multipart body of `request` as it arrives, within `limits` (the whole body
    /// within the request's [`BodyLimit`] when it has one), and gives back the request's parts.
    pub async fn from_request(request: axum::extract::Request, limits: Limits) -> Result<(axum::http::request::Parts, Multipart), Rejection> {
        let (parts, body) = request.into_parts();
        let content_type = parts.headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body_limit = parts.extensions.get::<BodyLimit>().map_or(limits.body, |l| u64::try_from(l.0).unwrap_or(u64::MAX));
        let form = Multipart::read(content_type.as_deref(), body.into_data_stream(), Limits { body: body_limit, ..limits }).await?;
        Ok((parts, form))
    }

    /// The content of the first part `name`.
    pub fn field_bytes(&self, name: &str) -> Option<Bytes> {
        self.get(name).map(|p| p.bytes.clone())
    }

    /// The text of the first part `name`; content that is not UTF-8 is a 400 naming it.
    pub fn field_text(&self, name: &str) -> Result<Option<&str>, Rejection> {
        self.get(name).map(text_of).transpose()
    }

    /// The first part `name` read as JSON; content that does not read is a 400 naming it.
    pub fn field_json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Rejection> {
        self.get(name).map(|p| serde_json::from_slice(&p.bytes).map_err(|e| Rejection::bad(field(Some(name)), e.to_string()))).transpose()
    }

    /// Property `name` read back from the way OpenAPI encodes it by default (as
    /// [`Multipart::field`] writes it): JSON parts as JSON; text parts through the parameter
    /// deserializer, so numbers and booleans are parsed; several parts of the name are a list.
    /// What does not read is a 400 naming the property (`body.tags[1]`).
    pub fn field_value<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Rejection> {
        let parts: Vec<&Part> = self.all(name).collect();
        if parts.is_empty() {
            return Ok(None);
        }
        if !parts.iter().any(|p| p.is_json()) {
            let mut texts = parts.into_iter().map(|p| text_of(p).map(|t| ParamValue::Scalar(t.to_owned()))).collect::<Result<Vec<_>, _>>()?;
            let value = if texts.len() == 1 { texts.remove(0) } else { ParamValue::List(texts) };
            return params::deserialize(value).map(Some).map_err(|e| Rejection::from_param("body", e.within(name)));
        }
        let bad = |e: serde_json::Error| Rejection::bad(field(Some(name)), e.to_string());
        let mut values = Vec::with_capacity(parts.len());
        for part in parts {
            values.push(if part.is_json() { serde_json::from_slice(&part.bytes).map_err(bad)? } else { serde_json::Value::String(text_of(part)?.to_owned()) });
        }
        if values.len() > 1 {
            return serde_json::from_value(serde_json::Value::Array(values)).map(Some).map_err(bad);
        }
        let value = values.remove(0);
        // One part may be the value, or the one item of a list sent a part per item.
        serde_json::from_value(value.clone()).or_else(|first| serde_json::from_value(serde_json::Value::Array(vec![value])).map_err(|_| first)).map(Some).map_err(bad)
    }
}

impl Multipart {
    /// The parts whose names are not `declared`, each read as [`Multipart::field_value`] reads a
    /// property: what a schema's `additionalProperties` receives.
    pub fn others<T: DeserializeOwned>(&self, declared: &[&str]) -> Result<std::collections::BTreeMap<String, T>, Rejection> {
        let mut others = std::collections::BTreeMap::new();
        for part in &self.parts {
            if declared.contains(&part.name.as_str()) || others.contains_key(&part.name) {
                continue;
            }
            if let Some(value) = self.field_value(&part.name)? {
                others.insert(part.name.clone(), value);
            }
        }
        Ok(others)
    }
}

fn text_of(part: &Part) -> Result<&str, Rejection> {
    std::str::from_utf8(&part.bytes).map_err(|_| Rejection::bad(field(Some(&part.name)), "is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=XyZ";
    const LIMITS: Limits = Limits::new(1 << 20, 1 << 16);

    fn body(parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, headers, content) in parts {
            out.extend_from_slice(format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"{headers}\r\n\r\n").as_bytes());
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--XyZ--\r\n");
        out
    }

    async fn read(content_type: Option<&str>, bytes: Vec<u8>, limits: Limits) -> Result<Multipart, Rejection> {
        Multipart::from_bytes(content_type, Bytes::from(bytes), limits).await
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Meta {
        title: String,
    }

    #[tokio::test]
    async fn parts_are_read_and_typed_fields_taken_by_name() {
        let bytes = body(&[
            ("count", "", b"3"),
            ("meta", "\r\nContent-Type: application/json", br#"{"title":"cat"}"#),
            ("tags", "", b"a"),
            ("tags", "", b"b"),
            ("photo", "; filename=\"cat.png\"\r\nContent-Type: image/png", &[0x89, 0, 0xff]),
        ]);
        let form = read(Some(TYPE), bytes, LIMITS).await.expect("a form");
        assert_eq!(form.field_value::<u32>("count"), Ok(Some(3)));
        assert_eq!(form.field_value::<Meta>("meta"), Ok(Some(Meta { title: "cat".into() })));
        assert_eq!(form.field_json::<Meta>("meta"), Ok(Some(Meta { title: "cat".into() })));
        assert_eq!(form.field_value::<Vec<String>>("tags"), Ok(Some(vec!["a".into(), "b".into()])));
        assert_eq!(form.field_value::<Vec<u32>>("count"), Ok(Some(vec![3])), "one part is a list of one");
        assert_eq!(form.field_text("count"), Ok(Some("3")));
        let photo = form.get("photo").expect("a photo");
        assert_eq!((photo.file_name.as_deref(), photo.content_type.as_deref(), photo.bytes.as_ref()), (Some("cat.png"), Some("image/png"), [0x89, 0, 0xff].as_slice()));
        assert_eq!(form.field_value::<u32>("missing"), Ok(None));
        assert_eq!(required(form.field_bytes("missing"), "missing").map_err(|e| e.text()), Err("body.missing: is required".to_owned()));
        assert_eq!(form.field_text("photo").map_err(|e| e.text()), Err("body.photo: is not UTF-8 text".to_owned()));
        assert_eq!(form.field_value::<Vec<u32>>("tags").map_err(|e| e.text()), Err("body.tags[0]: expected an integer, got `a`".to_owned()));
        assert_eq!(form.field_json::<u32>("meta").map_err(|e| e.field), Err(Some("body.meta".to_owned())));
    }

    #[tokio::test]
    async fn parts_no_property_declares_are_the_additional_properties() {
        let bytes = body(&[("title", "", b"cat"), ("extra", "", b"7"), ("labels", "", b"a"), ("labels", "", b"b")]);
        let form = read(Some(TYPE), bytes, LIMITS).await.expect("a form");
        let others: std::collections::BTreeMap<String, serde_json::Value> = form.others(&["title"]).expect("reads");
        assert_eq!(serde_json::to_value(others).expect("JSON"), serde_json::json!({"extra": 7, "labels": ["a", "b"]}), "text parts read as parameters are");
        let texts: std::collections::BTreeMap<String, Vec<String>> = form.others(&["title"]).expect("reads");
        assert_eq!(texts.get("extra").map(Vec::as_slice), Some(&["7".to_owned()][..]), "typed as the schema says");
        let none: std::collections::BTreeMap<String, String> = read(Some(TYPE), body(&[]), LIMITS).await.expect("the empty form").others(&[]).expect("reads");
        assert!(none.is_empty(), "a form of no parts reads, and has none");
    }

    #[tokio::test]
    async fn malformed_bodies_are_rejections_naming_the_part() {
        let whole = body(&[("first", "", b"ok"), ("photo", "; filename=\"a.bin\"", &[7; 64])]);
        let cut = whole[..whole.len() - 30].to_vec();
        let error = read(Some(TYPE), cut, LIMITS).await.expect_err("cut short");
        assert_eq!((error.status, error.field.as_deref()), (400, Some("body.photo")), "{}", error.text());
        let error = read(Some(TYPE), whole[..whole.len() - 9].to_vec(), LIMITS).await.expect_err("no closing boundary");
        assert_eq!(error.status, 400, "{}", error.text());
        let error = read(Some("multipart/form-data"), whole.clone(), LIMITS).await.expect_err("no boundary");
        assert_eq!((error.status, error.field.as_deref()), (400, Some("body")));
        assert!(error.message.contains("boundary"), "{}", error.message);
        let error = read(Some("application/json"), whole.clone(), LIMITS).await.expect_err("not multipart");
        assert_eq!(error.status, 415);
        let error = read(None, whole.clone(), LIMITS).await.expect_err("no content type");
        assert_eq!(error.status, 415);
        let error = read(Some(TYPE), b"garbage without any boundary".to_vec(), LIMITS).await.expect_err("garbage");
        assert_eq!(error.status, 400, "{}", error.text());
    }

    #[tokio::test]
    async fn parts_and_bodies_over_their_limits_are_413() {
        let whole = body(&[("first", "", b"ok"), ("photo", "; filename=\"a.bin\"", &[7; 64])]);
        let error = read(Some(TYPE), whole.clone(), Limits::new(1 << 20, 32)).await.expect_err("part too large");
        assert_eq!((error.status, error.field.as_deref()), (413, Some("body.photo")), "{}", error.text());
        let error = read(Some(TYPE), whole.clone(), Limits::new(100, 1 << 16)).await.expect_err("body too large");
        assert_eq!((error.status, error.field.as_deref()), (413, Some("body")), "{}", error.text());
        let request = axum::extract::Request::builder()
            .header("content-type", TYPE)
            .extension(BodyLimit(100))
            .body(axum::body::Body::from(whole))
            .expect("a request");
        let error = Multipart::from_request(request, LIMITS).await.expect_err("the request's own limit");
        assert_eq!(error.status, 413);
    }

    #[cfg(feature = "client")]
    #[tokio::test]
    async fn what_a_client_sends_a_server_reads_back() {
        use http_body_util::BodyExt as _;

        #[derive(serde::Serialize)]
        struct Upload {
            title: &'static str,
            sizes: [u16; 2],
        }
        let sent = Multipart::new()
            .field("meta", &Upload { title: "a \"quoted\" name", sizes: [1, 2] })
            .field("count", &7)
            .field("tags", &["x", "y z"])
            .file("photo", "the cat.png", "image/png", vec![0, 159, 146, 150]);
        let mut request = reqwest::Client::new().post("http://localhost/upload").multipart(sent.to_form().expect("a form")).build().expect("a request");
        let content_type = request.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let wire = request.body_mut().take().expect("a body").collect().await.expect("the bytes").to_bytes();
        let received = Multipart::from_bytes(content_type.as_deref(), wire, LIMITS).await.expect("a form");
        assert_eq!(received, sent);
        assert_eq!(received.field_value::<Vec<String>>("tags"), Ok(Some(vec!["x".into(), "y z".into()])));
        assert_eq!(received.field_value::<u8>("count"), Ok(Some(7)));
    }
}
