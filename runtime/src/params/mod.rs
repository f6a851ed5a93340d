//! Parameters on the wire: every `style` and `explode` combination OpenAPI defines, for path,
//! query, header and cookie parameters, rendered from any `Serialize` value.
//!
//! A value is first flattened into a [`ParamValue`] (absent, scalar, list or object), then written
//! in its [`Encoding`]. Servers go the other way: the wire text is read back into a [`ParamValue`]
//! of the [`Shape`] the schema expects ([`Pairs`] for query strings and cookies, [`read_path`] and
//! [`read_header`]), then into a typed value with [`deserialize`]. Percent-encoding follows RFC 3986: everything but the unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`) is escaped in values, the reserved ones too unless the parameter says
//! `allowReserved`; the delimiters a style adds (`,` `|` `%20` `=` `&` `[` `]` `.` `;`) are not.

mod de;
#[cfg(test)]
mod examples;
mod parse;
mod style;
mod value;

pub use de::deserialize;
pub use parse::{read_header, read_path, Pairs, Shape};
pub use style::{cookie, header, path, query, Encoding, Style};
pub use value::{ParamError, ParamValue};

/// Percent-encodes `text` for a URL: everything but unreserved characters, and reserved ones too
/// unless `allow_reserved` (a query value's `allowReserved`). Even then, as OpenAPI 3.1.1 says,
/// the reserved characters a query cannot carry as data stay escaped: `#` would end the query,
/// `[` and `]` are not allowed there, and `&` and `+` mean a new pair and a space to whoever
/// reads the query as a form (`=` after a pair's first is data to such a reader).
pub fn percent_encode(text: &str, allow_reserved: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') || (allow_reserved && b":/?@!$'()*,;=".contains(&byte));
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

/// Percent-encodes a cookie value: what a cookie may not hold unescaped (RFC 6265's
/// `cookie-octet` excludes controls, space, `"`, `,`, `;`, `\` and non-ASCII), `%` itself so that
/// decoding is exact (unless `raw`: values that are not decoded keep it), and the characters in
/// `also` (`=` in the names of an exploded object's properties). Base64 tokens and the like pass
/// unchanged, as servers reading cookies raw expect.
pub(crate) fn cookie_encode(text: &str, also: &[u8], raw: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = (0x21..=0x7e).contains(&byte) && !b"\",;\\".contains(&byte) && (raw || byte != b'%') && !also.contains(&byte);
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

/// Percent-decodes `text` (RFC 3986), and reads `+` as a space when `plus_as_space` (query strings
/// and form bodies, as HTML forms send them). A `%` not followed by two hex digits, or bytes that
/// are not UTF-8 once decoded, are errors: a value the client did not mean is worse than a 400.
pub fn percent_decode(text: &str, plus_as_space: bool) -> Result<std::borrow::Cow<'_, str>, ParamError> {
    if !text.contains('%') && (!plus_as_space || !text.contains('+')) {
        return Ok(std::borrow::Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16)).and_then(|d| u8::try_from(d).ok());
                let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2)) else {
                    let escape: String = text[i..].chars().take(3).collect();
                    return Err(ParamError::new(format!("has a bad percent-escape `{escape}`")));
                };
                out.push(high * 16 + low);
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map(std::borrow::Cow::Owned).map_err(|_| ParamError::new("is not UTF-8 once percent-decoded"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn allow_reserved_keeps_only_what_a_query_carries_as_data() {
        assert_eq!(super::percent_encode("/a/b?c=d:e@f!$'()*,;", true), "/a/b?c=d:e@f!$'()*,;");
        assert_eq!(super::percent_encode("#tag [x] q&a+b", true), "%23tag%20%5Bx%5D%20q%26a%2Bb");
        assert_eq!(super::percent_encode("a/b", false), "a%2Fb");
    }
}
