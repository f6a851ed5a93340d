//! Reading parameters off the wire: the inverse of the renderers in [`super::style`].
//!
//! The wire text is split while still percent-encoded, so that a style's delimiters (`,` `|`
//! `%20` `;` `.` `=` `&` `[` `]`) are told apart from the same characters escaped inside values,
//! and each piece is decoded afterwards. A style cannot say whether `a,b` is a list or a scalar
//! with a comma, so the caller passes the [`Shape`] the schema expects: the generator knows it.

use super::{percent_decode, Encoding, ParamError, ParamValue, Style};

/// The shape of the value a parameter's schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A string, number, boolean or enum.
    Scalar,
    /// An array of scalars (of objects and lists too for `deepObject`).
    List,
    /// An object (or a map) of scalars (nested too for `deepObject`).
    Object,
    /// A union of scalars and a list of them (`oneOf: [string, array]`): a name given once is the
    /// scalar, given more than once the list (an exploded query or cookie; `name[]` for
    /// `deepObject`). Where a style joins items in one value, the text cannot say which was
    /// meant, and reads as the scalar; so does a list of one item, which is written as its item
    /// is.
    ScalarOrList,
}

impl Shape {
    /// The shape read where the text cannot tell a union's list from its scalar.
    fn joined(self) -> Shape {
        match self {
            Shape::ScalarOrList => Shape::Scalar,
            other => other,
        }
    }
}

/// The `name=value` pairs of a query string or a `Cookie` header, kept raw until a parameter is
/// read from them.
///
/// ```
/// use generator_runtime::params::{Encoding, Pairs, ParamValue, Shape, Style};
///
/// let query = Pairs::query("filter[status]=open&filter[tags][]=a&ids=1,2");
/// let ids = query.value("ids", Shape::List, Encoding::new(Style::Form, false)).unwrap();
/// assert_eq!(ids, ParamValue::List(vec![ParamValue::Scalar("1".into()), ParamValue::Scalar("2".into())]));
/// let filter = query.value("filter", Shape::Object, Encoding::new(Style::DeepObject, true)).unwrap();
/// assert_eq!(filter, ParamValue::Object(vec![
///     ("status".into(), ParamValue::Scalar("open".into())),
///     ("tags".into(), ParamValue::List(vec![ParamValue::Scalar("a".into())])),
/// ]));
/// ```
#[derive(Debug, Clone)]
pub struct Pairs<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    /// Query strings read `+` as a space (HTML forms send spaces so); cookies do not.
    plus_as_space: bool,
}

impl<'a> Pairs<'a> {
    /// The pairs of a query string (with or without its leading `?`). A name without `=` has an
    /// empty value.
    pub fn query(raw: &'a str) -> Pairs<'a> {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        let pairs = raw.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect();
        Pairs { pairs, plus_as_space: true }
    }

    /// The pairs of a `Cookie` header (`a=1; b=2`).
    pub fn cookie(header: &'a str) -> Pairs<'a> {
        let pairs = header.split(';').map(str::trim).filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect();
        Pairs { pairs, plus_as_space: false }
    }

    /// The pairs without those of the parameters `names` (nor their `deepObject` keys): what an
    /// exploded `form` object, whose properties are top-level names, may take as its own when it
    /// is a map rather than a struct that ignores names it does not know.
    pub fn except(&self, names: &[&str]) -> Pairs<'a> {
        let pairs = self
            .pairs
            .iter()
            .filter(|(key, _)| {
                let key = self.decode(key).unwrap_or_default();
                let base = key.split('[').next().unwrap_or_default();
                !names.contains(&base)
            })
            .copied()
            .collect();
        Pairs { pairs, plus_as_space: self.plus_as_space }
    }

    fn decode(&self, text: &str) -> Result<String, ParamError> {
        percent_decode(text, self.plus_as_space).map(std::borrow::Cow::into_owned)
    }

    fn named(&self, name: &str) -> impl Iterator<Item = &'a str> + '_ {
        let name = name.to_owned();
        self.pairs.iter().filter(move |(key, _)| self.decode(key).is_ok_and(|k| k == name)).map(|(_, value)| *value)
    }

    /// Parameter `name` in `encoding`, read as `shape`; [`ParamValue::Absent`] when it is not
    /// there. An error names the parameter.
    pub fn value(&self, name: &str, shape: Shape, encoding: Encoding) -> Result<ParamValue, ParamError> {
        // `style: cookie` sends values as they are: nothing to decode.
        let raw = encoding.style == Style::Cookie;
        let decode = |text: &str| if raw { Ok(text.to_owned()) } else { self.decode(text).map_err(|e| e.within(name)) };
        match (shape, encoding.style, encoding.explode) {
            (Shape::ScalarOrList, Style::DeepObject, _) => self.deep(name, shape),
            (Shape::ScalarOrList, _, true) => {
                let mut items = self.named(name).map(|v| decode(v).map(ParamValue::Scalar)).collect::<Result<Vec<_>, _>>()?;
                Ok(match items.len() {
                    0 => ParamValue::Absent,
                    1 => items.pop().unwrap_or(ParamValue::Absent),
                    _ => ParamValue::List(items),
                })
            }
            (Shape::Scalar | Shape::ScalarOrList, ..) => self.named(name).next().map(|v| decode(v).map(ParamValue::Scalar)).unwrap_or(Ok(ParamValue::Absent)),
            (_, Style::DeepObject, _) => self.deep(name, shape),
            (Shape::List, _, true) => {
                let items = self.named(name).map(|v| decode(v).map(ParamValue::Scalar)).collect::<Result<Vec<_>, _>>()?;
                Ok(if items.is_empty() { ParamValue::Absent } else { ParamValue::List(items) })
            }
            (Shape::Object, _, true) => {
                let entries = self.pairs.iter().map(|(k, v)| Ok((decode(k)?, ParamValue::Scalar(decode(v)?)))).collect::<Result<Vec<_>, ParamError>>()?;
                Ok(if entries.is_empty() { ParamValue::Absent } else { ParamValue::Object(entries) })
            }
            (shape, style, false) => {
                let Some(raw) = self.named(name).next() else { return Ok(ParamValue::Absent) };
                let pieces: Vec<&str> = match style {
                    // Spaces inside items cannot be told from the delimiter; clients send it as
                    // `%20`, `+` or (unescaped) a space.
                    Style::SpaceDelimited => raw.split(['+', ' ']).flat_map(|p| p.split("%20")).collect(),
                    // OpenAPI 3.1.1 escapes the pipes (`|` is not allowed in a URL), 3.0.3 did
                    // not: either is the delimiter, so pipes inside items cannot be told apart.
                    Style::PipeDelimited => raw.split('|').flat_map(|p| p.split("%7C")).flat_map(|p| p.split("%7c")).collect(),
                    _ => raw.split(',').collect(),
                };
                gather(name, &pieces, raw.is_empty(), shape, &decode)
            }
        }
    }

    /// `deepObject`: every `name[key]…=value` pair, nested by its brackets; `[]` appends to a list,
    /// and a key given more than once is a list too.
    fn deep(&self, name: &str, shape: Shape) -> Result<ParamValue, ParamError> {
        let mut root = ParamValue::Absent;
        for (raw_key, raw_value) in &self.pairs {
            let Some(path) = self.deep_path(raw_key, name)? else { continue };
            let value = self.decode(raw_value).map_err(|e| e.within(name))?;
            insert(&mut root, &path, value).map_err(|message| ParamError::at(name, format!("`{}` {message}", self.decode(raw_key).unwrap_or_default())))?;
        }
        Ok(match (shape, root) {
            (Shape::List, ParamValue::Scalar(s)) => ParamValue::List(vec![ParamValue::Scalar(s)]),
            (_, root) => root,
        })
    }

    /// The bracketed path of `raw_key` below `name`, or `None` when the key is another parameter's.
    /// The brackets are looked for in the key as sent, so that an escaped `[` inside a property
    /// name stays in it; clients that escape the brackets themselves (`filter%5Bstatus%5D`) are
    /// read from the decoded key.
    fn deep_path(&self, raw_key: &str, name: &str) -> Result<Option<Vec<String>>, ParamError> {
        let malformed = |key: &str| ParamError::at(name, format!("has a malformed key `{key}`"));
        if let Some(open) = raw_key.find('[') {
            if self.decode(&raw_key[..open]).ok().as_deref() != Some(name) {
                return Ok(None);
            }
            let segments = brackets(&raw_key[open..]).ok_or_else(|| malformed(raw_key))?;
            return segments.into_iter().map(|s| self.decode(s).map_err(|e| e.within(name))).collect::<Result<_, _>>().map(Some);
        }
        let Ok(key) = self.decode(raw_key) else { return Ok(None) };
        match key.strip_prefix(name) {
            Some("") => Ok(Some(Vec::new())),
            Some(rest) if rest.starts_with('[') => {
                let segments = brackets(rest).ok_or_else(|| malformed(&key))?;
                Ok(Some(segments.into_iter().map(str::to_owned).collect()))
            }
            _ => Ok(None),
        }
    }
}

impl Pairs<'_> {
    /// Every pair but those of `skip`, as one object nested by the brackets of its keys
    /// (`a[b]=c`, `tags[]=x`, a name given twice a list): the properties of a form body.
    pub(crate) fn tree(&self, skip: &[&str]) -> Result<ParamValue, ParamError> {
        let mut root = Vec::new();
        for (raw_key, raw_value) in &self.pairs {
            let (base, segments) = self.split_key(raw_key)?;
            if skip.contains(&base.as_str()) {
                continue;
            }
            let value = self.decode(raw_value).map_err(|e| e.within(&base))?;
            // The base is a property's name even when empty (`=a&=b`): only a bracketed empty
            // segment (`[]`) is a list's next item.
            insert(property(&mut root, &base), &segments, value).map_err(|message| ParamError::at(&base, format!("`{}` {message}", self.decode(raw_key).unwrap_or_default())))?;
        }
        Ok(ParamValue::Object(root))
    }

    /// A key's name and bracketed path, decoded: brackets as sent first, then (for clients that
    /// escape them) brackets in the decoded key, if they pair up.
    fn split_key(&self, raw_key: &str) -> Result<(String, Vec<String>), ParamError> {
        let (raw_base, raw_rest) = raw_key.find('[').map_or((raw_key, ""), |open| raw_key.split_at(open));
        let base = self.decode(raw_base).map_err(|e| e.within(raw_base))?;
        if raw_rest.is_empty() {
            let nested = base.find('[').and_then(|open| Some((open, brackets(&base[open..])?.into_iter().map(str::to_owned).collect())));
            return Ok(match nested {
                Some((open, segments)) => (base[..open].to_owned(), segments),
                None => (base, Vec::new()),
            });
        }
        let segments = brackets(raw_rest).ok_or_else(|| ParamError::at(&base, format!("has a malformed key `{raw_key}`")))?;
        let segments = segments.into_iter().map(|s| self.decode(s).map_err(|e| e.within(&base))).collect::<Result<_, _>>()?;
        Ok((base, segments))
    }
}

/// The segments of `[a][b][]`, or `None` when the brackets do not pair up.
fn brackets(mut text: &str) -> Option<Vec<&str>> {
    let mut segments = Vec::new();
    while !text.is_empty() {
        let (segment, rest) = text.strip_prefix('[')?.split_once(']')?;
        segments.push(segment);
        text = rest;
    }
    Some(segments)
}

/// Puts `value` at `path` below `node`: segments are property names, an empty one (`[]`) the next
/// item of a list. A name given twice becomes a list of both values.
fn insert(node: &mut ParamValue, path: &[String], value: String) -> Result<(), String> {
    let Some((head, rest)) = path.split_first() else {
        *node = match std::mem::replace(node, ParamValue::Absent) {
            ParamValue::Absent => ParamValue::Scalar(value),
            ParamValue::Scalar(first) => ParamValue::List(vec![ParamValue::Scalar(first), ParamValue::Scalar(value)]),
            ParamValue::List(mut items) => {
                items.push(ParamValue::Scalar(value));
                ParamValue::List(items)
            }
            ParamValue::Object(_) => return Err("is given both as a value and with properties".into()),
        };
        return Ok(());
    };
    if head.is_empty() {
        match node {
            ParamValue::Absent => *node = ParamValue::List(Vec::new()),
            ParamValue::Scalar(first) => *node = ParamValue::List(vec![ParamValue::Scalar(std::mem::take(first))]),
            _ => {}
        }
        let ParamValue::List(items) = node else { return Err("is given both as a list and with properties".into()) };
        let mut item = ParamValue::Absent;
        insert(&mut item, rest, value)?;
        items.push(item);
        return Ok(());
    }
    if *node == ParamValue::Absent {
        *node = ParamValue::Object(Vec::new());
    }
    let ParamValue::Object(entries) = node else { return Err("is given both as a value and with properties".into()) };
    insert(property(entries, head), rest, value)
}

/// The value of property `name` among `entries`, added absent when it is not there yet.
fn property<'e>(entries: &'e mut Vec<(String, ParamValue)>, name: &str) -> &'e mut ParamValue {
    let at = match entries.iter().position(|(k, _)| k == name) {
        Some(at) => at,
        None => {
            entries.push((name.to_owned(), ParamValue::Absent));
            entries.len() - 1
        }
    };
    &mut entries[at].1
}

/// A list or object from the pieces its style's delimiter split it into (`empty`: there was no
/// text at all, which is an empty list or object rather than one empty item).
fn gather(name: &str, pieces: &[&str], empty: bool, shape: Shape, decode: &dyn Fn(&str) -> Result<String, ParamError>) -> Result<ParamValue, ParamError> {
    match shape {
        Shape::Scalar | Shape::ScalarOrList => Ok(ParamValue::Scalar(decode(&pieces.join(","))?)),
        _ if empty => Ok(if shape == Shape::List { ParamValue::List(Vec::new()) } else { ParamValue::Object(Vec::new()) }),
        Shape::List => pieces.iter().map(|p| decode(p).map(ParamValue::Scalar)).collect::<Result<_, _>>().map(ParamValue::List),
        Shape::Object => {
            if pieces.len() % 2 != 0 {
                return Err(ParamError::at(name, format!("expected an object as key and value pairs, got {} items", pieces.len())));
            }
            pieces.chunks(2).map(|kv| Ok((decode(kv[0])?, ParamValue::Scalar(decode(kv[1])?)))).collect::<Result<_, _>>().map(ParamValue::Object)
        }
    }
}

/// Exploded objects of `simple`, `label` and `matrix`: `key=value` pieces.
fn entries(name: &str, pieces: &[&str], decode: &dyn Fn(&str) -> Result<String, ParamError>) -> Result<ParamValue, ParamError> {
    let entry = |piece: &&str| {
        let (key, value) = piece.split_once('=').ok_or_else(|| ParamError::at(name, format!("expected `key=value`, got `{piece}`")))?;
        Ok((decode(key)?, ParamValue::Scalar(decode(value)?)))
    };
    pieces.iter().filter(|p| !p.is_empty()).map(entry).collect::<Result<_, _>>().map(ParamValue::Object)
}

/// Path parameter `name` from `raw`, the text that replaced `{name}` in the path template, still
/// percent-encoded (as routed, before any decoding).
pub fn read_path(raw: &str, name: &str, shape: Shape, encoding: Encoding) -> Result<ParamValue, ParamError> {
    let shape = shape.joined();
    let decode = |text: &str| percent_decode(text, false).map(std::borrow::Cow::into_owned).map_err(|e| e.within(name));
    let explode = encoding.explode;
    match encoding.style {
        Style::Label => {
            let rest = raw.strip_prefix('.').ok_or_else(|| ParamError::at(name, format!("expected a label value starting with `.`, got `{raw}`")))?;
            if shape == Shape::Scalar {
                return decode(rest).map(ParamValue::Scalar);
            }
            let pieces: Vec<&str> = rest.split(if explode { '.' } else { ',' }).collect();
            match shape {
                Shape::Object if explode => entries(name, &pieces, &decode),
                _ => gather(name, &pieces, rest.is_empty(), shape, &decode),
            }
        }
        Style::Matrix => {
            let rest = raw.strip_prefix(';').ok_or_else(|| ParamError::at(name, format!("expected a matrix value starting with `;`, got `{raw}`")))?;
            let pieces: Vec<&str> = rest.split(';').collect();
            match shape {
                Shape::List if explode => {
                    let item = |piece: &&str| match piece.split_once('=') {
                        Some((key, value)) if decode(key)? == name => decode(value).map(ParamValue::Scalar),
                        None if decode(piece)? == name => Ok(ParamValue::Scalar(String::new())),
                        _ => Err(ParamError::at(name, format!("expected `;{name}=item`, got `;{piece}`"))),
                    };
                    pieces.iter().map(item).collect::<Result<_, _>>().map(ParamValue::List)
                }
                Shape::Object if explode => entries(name, &pieces, &decode),
                _ => {
                    let (key, value) = rest.split_once('=').unwrap_or((rest, ""));
                    if decode(key)? != name {
                        return Err(ParamError::at(name, format!("expected `;{name}=…`, got `{raw}`")));
                    }
                    if shape == Shape::Scalar {
                        return decode(value).map(ParamValue::Scalar);
                    }
                    let pieces: Vec<&str> = value.split(',').collect();
                    gather(name, &pieces, value.is_empty(), shape, &decode)
                }
            }
        }
        _ => simple(raw, name, shape, explode, &decode),
    }
}

/// `simple`: comma-separated items, `key=value` entries when an object is exploded.
fn simple(text: &str, name: &str, shape: Shape, explode: bool, decode: &dyn Fn(&str) -> Result<String, ParamError>) -> Result<ParamValue, ParamError> {
    if shape == Shape::Scalar {
        return decode(text).map(ParamValue::Scalar);
    }
    let pieces: Vec<&str> = text.split(',').collect();
    match shape {
        Shape::Object if explode => entries(name, &pieces, decode),
        _ => gather(name, &pieces, text.is_empty(), shape, decode),
    }
}

/// Header parameter `name` from its value (`simple`). Headers are not percent-encoded; items are
/// trimmed, since HTTP lists put optional spaces after their commas (`a, b`).
pub fn read_header(text: &str, name: &str, shape: Shape, encoding: Encoding) -> Result<ParamValue, ParamError> {
    simple(text, name, shape.joined(), encoding.explode, &|piece| Ok(piece.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParamValue::{Absent, List, Object, Scalar};

    fn s(text: &str) -> ParamValue {
        Scalar(text.into())
    }

    const DEEP: Encoding = Encoding::new(Style::DeepObject, true);

    #[test]
    fn deep_objects_nest_by_their_brackets() {
        let query = Pairs::query("?filter[status]=open&filter[tags][]=a&filter[tags][]=b&filter[range][from]=1&filter[range][to]=9&page=2");
        let expected = Object(vec![
            ("status".into(), s("open")),
            ("tags".into(), List(vec![s("a"), s("b")])),
            ("range".into(), Object(vec![("from".into(), s("1")), ("to".into(), s("9"))])),
        ]);
        assert_eq!(query.value("filter", Shape::Object, DEEP), Ok(expected.clone()));
        // Clients that escape the brackets too, and keys given twice without `[]`.
        let escaped = Pairs::query("filter%5Bstatus%5D=open&filter%5Btags%5D=a&filter%5Btags%5D=b&filter%5Brange%5D%5Bfrom%5D=1&filter[range][to]=9");
        assert_eq!(escaped.value("filter", Shape::Object, DEEP), Ok(expected));
        // An escaped bracket inside a property name stays in it.
        assert_eq!(Pairs::query("f[a%5Bb%5D]=1").value("f", Shape::Object, DEEP), Ok(Object(vec![("a[b]".into(), s("1"))])));
        assert_eq!(query.value("sort", Shape::Object, DEEP), Ok(Absent));
        assert_eq!(Pairs::query("ids[]=1&ids[]=2").value("ids", Shape::List, DEEP), Ok(List(vec![s("1"), s("2")])));
        assert_eq!(Pairs::query("ids=1").value("ids", Shape::List, DEEP), Ok(List(vec![s("1")])));
    }

    #[test]
    fn malformed_deep_objects_are_errors_naming_the_parameter() {
        let error = Pairs::query("filter[status=open").value("filter", Shape::Object, DEEP).expect_err("unclosed");
        assert_eq!(error.to_string(), "filter: has a malformed key `filter[status`");
        let error = Pairs::query("filter[a]=1&filter[a][b]=2").value("filter", Shape::Object, DEEP).expect_err("mixed");
        assert_eq!(error.to_string(), "filter: `filter[a][b]` is given both as a value and with properties");
    }

    #[test]
    fn query_text_is_percent_decoded_with_plus_as_space() {
        let query = Pairs::query("q=caf%C3%A9+au+lait&bad=%zz1&half=%E9&a%20b=1");
        assert_eq!(query.value("q", Shape::Scalar, Encoding::FORM), Ok(s("café au lait")));
        assert_eq!(query.value("a b", Shape::Scalar, Encoding::FORM), Ok(s("1")));
        let error = query.value("bad", Shape::Scalar, Encoding::FORM).expect_err("bad escape");
        assert_eq!(error.to_string(), "bad: has a bad percent-escape `%zz`");
        let error = query.value("half", Shape::Scalar, Encoding::FORM).expect_err("not UTF-8");
        assert_eq!(error.to_string(), "half: is not UTF-8 once percent-decoded");
        assert_eq!(query.value("missing", Shape::List, Encoding::FORM), Ok(Absent));
        assert_eq!(query.value("missing", Shape::Scalar, Encoding::new(Style::Form, false)), Ok(Absent));
    }

    #[test]
    fn delimiters_are_split_before_decoding() {
        let form = Encoding::new(Style::Form, false);
        assert_eq!(Pairs::query("ids=a%2Cb,c").value("ids", Shape::List, form), Ok(List(vec![s("a,b"), s("c")])));
        assert_eq!(Pairs::query("ids=").value("ids", Shape::List, form), Ok(List(vec![])));
        let pipes = Encoding::new(Style::PipeDelimited, false);
        assert_eq!(Pairs::query("ids=a%7Cb|c%7cd").value("ids", Shape::List, pipes), Ok(List(vec![s("a"), s("b"), s("c"), s("d")])));
        let spaces = Encoding::new(Style::SpaceDelimited, false);
        assert_eq!(Pairs::query("ids=a%20b+c d").value("ids", Shape::List, spaces), Ok(List(vec![s("a"), s("b"), s("c"), s("d")])));
        let error = Pairs::query("c=R,1,G").value("c", Shape::Object, form).expect_err("odd");
        assert_eq!(error.to_string(), "c: expected an object as key and value pairs, got 3 items");
    }

    #[test]
    fn a_union_of_a_scalar_and_a_list_is_the_list_where_its_name_repeats() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(untagged)]
        enum Filter {
            One(String),
            Many(Vec<String>),
        }
        let query = Pairs::query("cwes=x&cwes=y&has=patch&q=a,b");
        let cwes = query.value("cwes", Shape::ScalarOrList, Encoding::FORM);
        assert_eq!(cwes, Ok(List(vec![s("x"), s("y")])));
        assert_eq!(crate::params::deserialize::<Filter>(cwes.expect("a list")), Ok(Filter::Many(vec!["x".into(), "y".into()])));
        let has = query.value("has", Shape::ScalarOrList, Encoding::FORM);
        assert_eq!(has, Ok(s("patch")), "one item is written as the scalar is");
        assert_eq!(crate::params::deserialize::<Filter>(has.expect("a scalar")), Ok(Filter::One("patch".into())));
        assert_eq!(query.value("none", Shape::ScalarOrList, Encoding::FORM), Ok(Absent));
        assert_eq!(query.value("q", Shape::ScalarOrList, Encoding::new(Style::Form, false)), Ok(s("a,b")), "joined items cannot say");
        assert_eq!(Pairs::query("f[]=1").value("f", Shape::ScalarOrList, DEEP), Ok(List(vec![s("1")])), "`deepObject` can");
        assert_eq!(Pairs::query("f=1").value("f", Shape::ScalarOrList, DEEP), Ok(s("1")));
        assert_eq!(read_header("a,b", "x", Shape::ScalarOrList, Encoding::SIMPLE), Ok(s("a,b")));
        assert_eq!(read_path("a,b", "x", Shape::ScalarOrList, Encoding::SIMPLE), Ok(s("a,b")));
    }

    #[test]
    fn exploded_objects_take_the_other_parameters_only_when_asked_not_to() {
        let query = Pairs::query("R=100&G=200&page=2");
        let all = query.value("color", Shape::Object, Encoding::FORM).expect("an object");
        assert_eq!(all, Object(vec![("R".into(), s("100")), ("G".into(), s("200")), ("page".into(), s("2"))]));
        let own = query.except(&["page"]).value("color", Shape::Object, Encoding::FORM).expect("an object");
        assert_eq!(own, Object(vec![("R".into(), s("100")), ("G".into(), s("200"))]));
    }

    #[test]
    fn cookies_are_split_on_semicolons_and_not_read_with_plus_as_space() {
        let cookies = Pairs::cookie("session=abc+/=; theme=dark%3B; ids=1,2");
        assert_eq!(cookies.value("session", Shape::Scalar, Encoding::FORM), Ok(s("abc+/=")));
        assert_eq!(cookies.value("theme", Shape::Scalar, Encoding::FORM), Ok(s("dark;")));
        assert_eq!(cookies.value("ids", Shape::List, Encoding::new(Style::Form, false)), Ok(List(vec![s("1"), s("2")])));
        // `style: cookie` reads values as they are.
        assert_eq!(cookies.value("theme", Shape::Scalar, Encoding::new(Style::Cookie, true)), Ok(s("dark%3B")));
        assert_eq!(cookies.value("ids", Shape::List, Encoding::new(Style::Cookie, false)), Ok(List(vec![s("1"), s("2")])));
    }

    #[test]
    fn path_values_must_start_with_their_style_prefix() {
        let label = Encoding::new(Style::Label, false);
        let error = read_path("blue", "color", Shape::Scalar, label).expect_err("no dot");
        assert_eq!(error.to_string(), "color: expected a label value starting with `.`, got `blue`");
        let matrix = Encoding::new(Style::Matrix, true);
        let error = read_path(";colour=blue", "color", Shape::List, matrix).expect_err("wrong name");
        assert_eq!(error.to_string(), "color: expected `;color=item`, got `;colour=blue`");
        let error = read_path(";R", "color", Shape::Object, matrix).expect_err("no =");
        assert_eq!(error.to_string(), "color: expected `key=value`, got `R`");
        let error = read_path("%4", "id", Shape::Scalar, Encoding::SIMPLE).expect_err("short escape");
        assert_eq!(error.to_string(), "id: has a bad percent-escape `%4`");
        assert_eq!(read_path("a+b%2Fc", "id", Shape::Scalar, Encoding::SIMPLE), Ok(s("a+b/c")), "`+` is a plus in paths");
        assert_eq!(read_path(".1.5", "v", Shape::Scalar, label), Ok(s("1.5")), "a scalar keeps its dots");
    }

    #[test]
    fn headers_are_not_decoded_and_items_are_trimmed() {
        assert_eq!(read_header("a%20b", "x-tag", Shape::Scalar, Encoding::SIMPLE), Ok(s("a%20b")));
        assert_eq!(read_header("a, b ,c", "x-tags", Shape::List, Encoding::SIMPLE), Ok(List(vec![s("a"), s("b"), s("c")])));
        let exploded = Encoding::new(Style::Simple, true);
        assert_eq!(read_header("R=1, G=2", "x-color", Shape::Object, exploded), Ok(Object(vec![("R".into(), s("1")), ("G".into(), s("2"))])));
    }
}
