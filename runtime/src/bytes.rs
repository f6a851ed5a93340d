//! Bytes: [`Base64`] travels as base64 text (`format: byte`); [`Binary`] (`format: binary`) is a
//! file part's or a body's octets, and inside JSON the string as it is.

use std::fmt;
use std::ops::{Deref, DerefMut};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// Bytes sent as base64 text: standard alphabet with padding when written; either alphabet, padded
/// or not, when read (servers differ).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// Decodes base64 text in either alphabet, padded or not, ignoring line breaks.
    pub fn decode(text: &str) -> Result<Self, base64::DecodeError> {
        let clean: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let unpadded = clean.trim_end_matches('=');
        let url_safe: String = unpadded.chars().map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        }).collect();
        URL_SAFE_NO_PAD.decode(url_safe).map(Base64)
    }
}

impl Deref for Base64 {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Base64 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(bytes: Base64) -> Self {
        bytes.0
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

/// The base64 text.
impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&STANDARD.encode(&self.0))
    }
}

impl std::str::FromStr for Base64 {
    type Err = base64::DecodeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Base64::decode(text)
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Base64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("base64 text")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Base64, E> {
                Base64::decode(text).map_err(|e| E::custom(format_args!("not base64: {e}")))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Octets (`format: binary`): a file part's or a body's bytes as they are. Inside JSON, where only
/// text can stand, the string itself (its UTF-8 bytes): a spec's `binary` there is text that the
/// model gives back exactly as it came, never decoded as base64 (which `format: byte` says).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Binary {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Binary {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(text.into_bytes())
    }
}

impl From<Binary> for Vec<u8> {
    fn from(bytes: Binary) -> Self {
        bytes.0
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

/// The bytes as text (invalid UTF-8 shown as U+FFFD).
impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.0))
    }
}

/// The text's bytes, as a parameter carries them.
impl std::str::FromStr for Binary {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Binary(text.as_bytes().to_vec()))
    }
}

/// The string the bytes spell; bytes that are not UTF-8 have no JSON string and are an error.
impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(e) => Err(serde::ser::Error::custom(format_args!("binary data that is not UTF-8 cannot be written as a JSON string ({e}); the spec calls for `format: byte` (base64) to carry it"))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Binary::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_in_json_is_the_text_as_it_came() {
        let text: Binary = serde_json::from_str("\"get-date\"").expect("reads");
        assert_eq!(text.as_slice(), b"get-date");
        assert_eq!(serde_json::to_string(&text).expect("writes"), "\"get-date\"");
        assert!(serde_json::to_string(&Binary(vec![0xff])).is_err(), "no JSON string for bytes that are not UTF-8");
    }

    #[test]
    fn writes_standard_base64_and_reads_either_alphabet() {
        let bytes = Base64(vec![0xfb, 0xff, 0x00, b'a']);
        assert_eq!(bytes.to_string(), "+/8AYQ==");
        assert_eq!(Base64::decode("+/8AYQ==").expect("standard"), bytes);
        assert_eq!(Base64::decode("-_8AYQ").expect("url-safe, unpadded"), bytes);
        assert!(Base64::decode("not base64!").is_err());
    }
}
