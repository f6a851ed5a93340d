//! `multipart/form-data` bodies: named parts, each text, JSON or a file.
//!
//! One type serves both sides: a client builds a [`Multipart`] from typed fields and files and
//! sends it as a `reqwest` form (feature `client`); a server reads one from the request body
//! (feature `server`, with `multer`, the parser axum itself uses) and takes typed fields out of it
//! by name. The parts are kept whole in memory as [`Bytes`] (cheap to clone, so a request can be
//! rebuilt for a retry); the reading side bounds them with [`Limits`].

use bytes::Bytes;

/// One part: its name, the file name and content type it declares, and its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The form field it belongs to (`name` of its `Content-Disposition`).
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// Its `Content-Type`, when it declares one (none means `text/plain`).
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

impl Part {
    /// Whether the part declares a JSON content type (`application/json`, `…+json`).
    pub fn is_json(&self) -> bool {
        let media = self.content_type.as_deref().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        media == "application/json" || media.ends_with("+json")
    }
}

/// A multipart form: its parts, in order.
///
/// ```
/// use generator_runtime::body::multipart::Multipart;
///
/// #[derive(serde::Serialize)]
/// struct Meta { title: &'static str }
///
/// let form = Multipart::new()
///     .field("meta", &Meta { title: "cat" })
///     .field("tags", &["a", "b"])
///     .file("photo", "cat.png", "image/png", vec![0x89, b'P', b'N', b'G']);
/// let names: Vec<&str> = form.parts().iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["meta", "tags", "tags", "photo"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
    /// The first field that could not be encoded; a request sending the form fails with it.
    failure: Option<String>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Why a field could not be encoded, if one could not.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Adds `part`.
    pub fn part(mut self, part: Part) -> Multipart {
        self.parts.push(part);
        self
    }

    /// Adds a text part (no content type: `text/plain` is the default).
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Multipart {
        let value: String = value.into();
        self.part(Part { name: name.into(), file_name: None, content_type: None, bytes: Bytes::from(value) })
    }

    /// Adds a part of `value` as JSON, labelled `application/json`.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, name: impl Into<String>, value: &T) -> Multipart {
        let name = name.into();
        match serde_json::to_vec(value) {
            Ok(json) => self.part(Part { name, file_name: None, content_type: Some("application/json".into()), bytes: Bytes::from(json) }),
            Err(e) => {
                self.failure.get_or_insert(format!("part `{name}`: {e}"));
                self
            }
        }
    }

    /// Adds a file part: its file name, content type and content.
    pub fn file(self, name: impl Into<String>, file_name: impl Into<String>, content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Multipart {
        self.part(Part { name: name.into(), file_name: Some(file_name.into()), content_type: Some(content_type.into()), bytes: bytes.into() })
    }

    /// Adds property `name` of a form the way OpenAPI encodes it by default: a string, number or
    /// boolean as a text part, an object as a JSON part, an array as one part per item (each by the
    /// same rule), and nothing for `None`.
    pub fn field<T: serde::Serialize + ?Sized>(mut self, name: &str, value: &T) -> Multipart {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => items.into_iter().fold(self, |form, item| form.push_value(name, item)),
            Ok(value) => self.push_value(name, value),
            Err(e) => {
                self.failure.get_or_insert(format!("part `{name}`: {e}"));
                self
            }
        }
    }

    fn push_value(self, name: &str, value: serde_json::Value) -> Multipart {
        match value {
            serde_json::Value::Null => self,
            serde_json::Value::String(text) => self.text(name, text),
            serde_json::Value::Bool(_) | serde_json::Value::Number(_) => self.text(name, value.to_string()),
            other => self.json(name, &other),
        }
    }

    /// The form as `reqwest` sends it (its boundary chosen by `reqwest`); the parts' content is
    /// shared, not copied. Fails on a content type that is not a MIME type.
    ///
    /// Names go in quotes as browsers send them (UTF-8 as is, RFC 7578), not as `reqwest`'s
    /// default `name*=utf-8''…`, which RFC 7578 forbids and servers (`multer` among them) do not
    /// read. Line breaks, which would end the header, are escaped as browsers escape them.
    #[cfg(feature = "client")]
    pub fn to_form(&self) -> Result<reqwest::multipart::Form, reqwest::Error> {
        let header_safe = |text: &str| text.replace('\r', "%0D").replace('\n', "%0A");
        let mut form = reqwest::multipart::Form::new().percent_encode_noop();
        for part in &self.parts {
            let length = u64::try_from(part.bytes.len()).unwrap_or(u64::MAX);
            let mut sent = reqwest::multipart::Part::stream_with_length(reqwest::Body::from(part.bytes.clone()), length);
            if let Some(file_name) = &part.file_name {
                // `reqwest` escapes the quotes of file names itself.
                sent = sent.file_name(header_safe(file_name));
            }
            if let Some(content_type) = &part.content_type {
                sent = sent.mime_str(content_type)?;
            }
            form = form.part(header_safe(&part.name).replace('"', "\\\""), sent);
        }
        Ok(form)
    }

    /// A form of no parts, as the content type and bytes to send: the closing delimiter alone, as
    /// browsers send an empty form. `reqwest` sends such a form as an empty body, which no
    /// multipart reader reads: RFC 2046 §5.1.1 ends every body with its closing delimiter.
    #[cfg(feature = "client")]
    pub fn without_parts() -> (String, Bytes) {
        let boundary = reqwest::multipart::Form::new().boundary().to_owned();
        (format!("multipart/form-data; boundary={boundary}"), Bytes::from(format!("--{boundary}--\r\n")))
    }

    /// The first part named `name`.
    pub fn get(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// Every part named `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Part> + 'a {
        self.parts.iter().filter(move |p| p.name == name)
    }
}

#[cfg(feature = "server")]
pub use read::{required, Limits};

#[cfg(feature = "server")]
mod read;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_text_json_or_one_part_per_item() {
        #[derive(serde::Serialize)]
        struct Meta {
            title: &'static str,
        }
        let form = Multipart::new()
            .field("count", &3)
            .field("on", &true)
            .field("name", "Zoë")
            .field("meta", &Meta { title: "cat" })
            .field("tags", &["a", "b"])
            .field("none", &None::<u8>)
            .text("note", "plain")
            .file("photo", "cat.png", "image/png", vec![1, 2]);
        let summary: Vec<(&str, Option<&str>, &[u8])> = form.parts().iter().map(|p| (p.name.as_str(), p.content_type.as_deref(), p.bytes.as_ref())).collect();
        assert_eq!(
            summary,
            [
                ("count", None, b"3".as_slice()),
                ("on", None, b"true".as_slice()),
                ("name", None, "Zoë".as_bytes()),
                ("meta", Some("application/json"), br#"{"title":"cat"}"#.as_slice()),
                ("tags", None, b"a".as_slice()),
                ("tags", None, b"b".as_slice()),
                ("note", None, b"plain".as_slice()),
                ("photo", Some("image/png"), [1, 2].as_slice()),
            ]
        );
        assert_eq!(form.get("photo").and_then(|p| p.file_name.as_deref()), Some("cat.png"));
        assert_eq!(form.all("tags").count(), 2);
        assert!(form.get("meta").is_some_and(Part::is_json));
        assert!(form.failure().is_none());
    }

    #[test]
    fn a_field_that_cannot_be_encoded_is_kept_as_the_failure() {
        let map = std::collections::HashMap::from([((1, 2), "tuple keys are no JSON")]);
        let form = Multipart::new().field("bad", &map).text("fine", "x");
        assert!(form.failure().is_some_and(|f| f.starts_with("part `bad`:")), "{:?}", form.failure());
        assert_eq!(form.parts().len(), 1);
    }
}
