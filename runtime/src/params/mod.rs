//! Parameters on the wire: every `style` and `explode` combination OpenAPI defines, for path,
//! query, header and cookie parameters, rendered from any `Serialize` value.
//!
//! A value is first flattened into a [`ParamValue`] (absent, scalar, list or object), then written
//! in its [`Encoding`]. Percent-encoding follows RFC 3986: everything but the unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`) is escaped in values, the reserved ones too unless the parameter says
//! `allowReserved`; the delimiters a style adds (`,` `|` `%20` `=` `&` `[` `]` `.` `;`) are not.

mod style;
mod value;

pub use style::{cookie, header, path, query, Encoding, Style};
pub use value::{ParamError, ParamValue};

/// Percent-encodes `text` for a URL: everything but unreserved characters, and reserved ones too
/// unless `allow_reserved`.
pub fn percent_encode(text: &str, allow_reserved: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || (allow_reserved && b":/?#[]@!$&'()*+,;=".contains(&byte));
        if keep {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(byte & 15)]));
        }
    }
    out
}
