//! Rendering a [`ParamValue`] in each style.

use super::{cookie_encode, percent_encode, ParamValue};

/// How a parameter is serialized (OpenAPI's `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// `name=value` (query, cookie).
    Form,
    /// Array items joined by spaces (query).
    SpaceDelimited,
    /// Array items joined by `|` (query).
    PipeDelimited,
    /// `name[key]=value`, nested as `name[key][inner]=value` and `name[key][]=item` (query).
    DeepObject,
    /// Comma-separated (path, header).
    Simple,
    /// `.value` (path).
    Label,
    /// `;name=value` (path).
    Matrix,
    /// A cookie's `name=value` pairs as RFC 6265 writes them, values neither escaped nor decoded
    /// (OpenAPI 3.2 `style: cookie`): a value is given in the form the server reads.
    Cookie,
}

/// A parameter's `style`, `explode` and `allowReserved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Encoding {
    /// The style.
    pub style: Style,
    /// Whether arrays and objects are exploded into separate parameters.
    pub explode: bool,
    /// Whether reserved characters go unescaped (query only).
    pub allow_reserved: bool,
}

impl Encoding {
    /// The default of query parameters and cookies: `form`, exploded.
    pub const FORM: Encoding = Encoding::new(Style::Form, true);
    /// The default of path parameters and headers: `simple`, not exploded.
    pub const SIMPLE: Encoding = Encoding::new(Style::Simple, false);

    /// A style and explode, reserved characters escaped.
    pub const fn new(style: Style, explode: bool) -> Encoding {
        Encoding { style, explode, allow_reserved: false }
    }

    /// The same with reserved characters left unescaped.
    pub const fn allowing_reserved(self) -> Encoding {
        Encoding { allow_reserved: true, ..self }
    }
}

/// Text of a scalar, or of a nested value where a style has no place for nesting (its items or
/// entries joined by commas).
fn text(value: &ParamValue) -> String {
    match value {
        ParamValue::Absent => String::new(),
        ParamValue::Scalar(s) => s.clone(),
        ParamValue::List(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        ParamValue::Object(entries) => entries.iter().map(|(k, v)| format!("{k},{}", text(v))).collect::<Vec<_>>().join(","),
    }
}

/// The query string pieces (`name=value`, already percent-encoded, to be joined by `&`) of a query
/// parameter.
pub fn query(name: &str, value: &ParamValue, encoding: Encoding) -> Vec<String> {
    let enc = |s: &str| percent_encode(s, encoding.allow_reserved);
    let n = percent_encode(name, false);
    let joined = |items: Vec<String>, sep: &str| format!("{n}={}", items.join(sep));
    let pairs = |entries: &[(String, ParamValue)]| entries.iter().flat_map(|(k, v)| [enc(k), enc(&text(v))]).collect::<Vec<_>>();
    match (value, encoding.style, encoding.explode) {
        (ParamValue::Absent, ..) => Vec::new(),
        (ParamValue::Scalar(s), ..) => vec![format!("{n}={}", enc(s))],
        (ParamValue::Object(entries), Style::DeepObject, _) => {
            let mut out = Vec::new();
            deep(&n, entries, &enc, &mut out);
            out
        }
        (ParamValue::List(items), Style::DeepObject, _) => items.iter().map(|i| format!("{n}[]={}", enc(&text(i)))).collect(),
        (ParamValue::List(items), _, true) => items.iter().map(|i| format!("{n}={}", enc(&text(i)))).collect(),
        (ParamValue::Object(entries), _, true) => entries.iter().map(|(k, v)| format!("{}={}", enc(k), enc(&text(v)))).collect(),
        (ParamValue::List(items), style, false) => {
            let items: Vec<String> = items.iter().map(|i| enc(&text(i))).collect();
            vec![joined(items, separator(style))]
        }
        (ParamValue::Object(entries), style, false) => vec![joined(pairs(entries), separator(style))],
    }
}

/// What joins array items of a non-exploded query parameter.
fn separator(style: Style) -> &'static str {
    match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    }
}

/// `deepObject`: `name[key]=value`, objects nested as `name[key][inner]`, lists as `name[key][]`.
fn deep(prefix: &str, entries: &[(String, ParamValue)], enc: &dyn Fn(&str) -> String, out: &mut Vec<String>) {
    for (key, value) in entries {
        let at = format!("{prefix}[{}]", enc(key));
        match value {
            ParamValue::Absent => {}
            ParamValue::Scalar(s) => out.push(format!("{at}={}", enc(s))),
            ParamValue::List(items) => out.extend(items.iter().map(|i| format!("{at}[]={}", enc(&text(i))))),
            ParamValue::Object(inner) => deep(&at, inner, enc, out),
        }
    }
}

/// The text that replaces `{name}` in a path template (percent-encoded), or `None` when the value
/// is absent.
pub fn path(name: &str, value: &ParamValue, encoding: Encoding) -> Option<String> {
    if *value == ParamValue::Absent {
        return None;
    }
    let explode = encoding.explode;
    // An exploded label value is split on dots, so dots inside its items are escaped: `%2E` is
    // the same character to RFC 3986, and the only way to tell it from the delimiter.
    let label_items = encoding.style == Style::Label && explode;
    let enc = |s: &str| {
        let encoded = percent_encode(s, false);
        if label_items { encoded.replace('.', "%2E") } else { encoded }
    };
    let items = |value: &ParamValue, explode: bool| -> Vec<String> {
        match value {
            ParamValue::List(items) => items.iter().map(|i| enc(&text(i))).collect(),
            ParamValue::Object(entries) if explode => entries.iter().map(|(k, v)| format!("{}={}", enc(k), enc(&text(v)))).collect(),
            ParamValue::Object(entries) => entries.iter().flat_map(|(k, v)| [enc(k), enc(&text(v))]).collect(),
            other => vec![percent_encode(&text(other), false)],
        }
    };
    Some(match encoding.style {
        Style::Label => {
            let parts = items(value, explode);
            format!(".{}", parts.join(if explode { "." } else { "," }))
        }
        Style::Matrix => {
            let n = enc(name);
            match value {
                ParamValue::Scalar(s) if s.is_empty() => format!(";{n}"),
                ParamValue::List(list) if explode => list.iter().map(|i| format!(";{n}={}", enc(&text(i)))).collect(),
                ParamValue::Object(_) if explode => items(value, true).iter().map(|p| format!(";{p}")).collect(),
                _ => format!(";{n}={}", items(value, false).join(",")),
            }
        }
        _ => items(value, explode).join(","),
    })
}

/// A header's value (`simple`; headers are not percent-encoded), or `None` when absent.
pub fn header(value: &ParamValue, encoding: Encoding) -> Option<String> {
    match value {
        ParamValue::Absent => None,
        ParamValue::Object(entries) if encoding.explode => Some(entries.iter().map(|(k, v)| format!("{k}={}", text(v))).collect::<Vec<_>>().join(",")),
        other => Some(text(other)),
    }
}

/// A cookie's `name=value` pairs (`form` or `cookie`): an exploded list gives one pair per item.
/// Values are percent-encoded only where a cookie cannot hold the character, so that plain tokens
/// are sent as they are; `form` escapes `%` too, so that decoding is exact, where `cookie` sends
/// it as it is (its values are not decoded).
pub fn cookie(name: &str, value: &ParamValue, encoding: Encoding) -> Vec<String> {
    let raw = encoding.style == Style::Cookie;
    let enc = |s: &str| cookie_encode(s, b"", raw);
    // An exploded object's property names stand where the cookie name does, before the `=`.
    let key = |s: &str| cookie_encode(s, b"=", raw);
    let joined = |items: Vec<String>| vec![format!("{name}={}", items.join(","))];
    match value {
        ParamValue::Absent => Vec::new(),
        ParamValue::Scalar(s) => vec![format!("{name}={}", enc(s))],
        ParamValue::List(items) if encoding.explode => items.iter().map(|i| format!("{name}={}", enc(&text(i)))).collect(),
        ParamValue::Object(entries) if encoding.explode => entries.iter().map(|(k, v)| format!("{}={}", key(k), enc(&text(v)))).collect(),
        ParamValue::List(items) => joined(items.iter().map(|i| enc(&text(i))).collect()),
        ParamValue::Object(entries) => joined(entries.iter().flat_map(|(k, v)| [enc(k), enc(&text(v))]).collect()),
    }
}
