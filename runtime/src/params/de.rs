//! Typed values from a [`ParamValue`]: a serde `Deserializer` that reads scalars' text as whatever
//! the target type asks for.
//!
//! Parameters carry no types on the wire (`5` may be a number or text), so the target type
//! decides: `deserialize_i64` parses the text as an integer, `deserialize_str` takes it as it is.
//! Only `deserialize_any` (untagged unions, `serde_json::Value`) has no target to ask: it reads
//! text that spells a number or a boolean as that, and any other text as a string.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

use super::{ParamError, ParamValue};

/// Reads `value` as a `T`: integers, floats and booleans parsed from their text, unit enums by
/// name, `Option` (absent is `None`), lists, and structs or maps from objects. An error says what
/// was expected and names the property at fault (`status`, `tags[1]`).
///
/// ```
/// use generator_runtime::params::{deserialize, ParamValue};
///
/// let page: Option<u32> = deserialize(ParamValue::Scalar("2".into())).unwrap();
/// assert_eq!(page, Some(2));
/// let error = deserialize::<u32>(ParamValue::Scalar("two".into())).unwrap_err();
/// assert_eq!(error.message, "expected an integer, got `two`");
/// ```
pub fn deserialize<T: DeserializeOwned>(value: ParamValue) -> Result<T, ParamError> {
    T::deserialize(ValueDeserializer(value))
}

impl de::Error for ParamError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ParamError::new(msg.to_string())
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        ParamError::new(format!("expected {expected}, got {unexpected}"))
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        ParamError::new(format!("expected {expected}, got {unexpected}"))
    }

    fn missing_field(field: &'static str) -> Self {
        ParamError::at(field, "is required")
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let names: Vec<String> = expected.iter().map(|name| format!("`{name}`")).collect();
        ParamError::new(format!("expected one of {}, got `{variant}`", names.join(", ")))
    }
}

/// What a value that is not a scalar is called in errors.
fn describe(value: &ParamValue) -> String {
    match value {
        ParamValue::Absent => "nothing".into(),
        ParamValue::Scalar(text) => format!("`{text}`"),
        ParamValue::List(_) => "a list".into(),
        ParamValue::Object(_) => "an object".into(),
    }
}

struct ValueDeserializer(ParamValue);

impl ValueDeserializer {
    /// The text of a scalar, or the error saying `expected` was.
    fn text(self, expected: &str) -> Result<String, ParamError> {
        match self.0 {
            ParamValue::Scalar(text) => Ok(text),
            other => Err(ParamError::new(format!("expected {expected}, got {}", describe(&other)))),
        }
    }

    fn parse<T: std::str::FromStr>(self, expected: &str) -> Result<T, ParamError> {
        let text = self.text(expected)?;
        text.trim().parse().map_err(|_| ParamError::new(format!("expected {expected}, got `{text}`")))
    }
}

/// Integers parsed from text; a number out of the type's range says so rather than "not an
/// integer".
macro_rules! integers {
    ($($method:ident $visit:ident $ty:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
            let text = self.text("an integer")?;
            let trimmed = text.trim();
            match trimmed.parse::<$ty>() {
                Ok(number) => visitor.$visit(number),
                Err(_) if trimmed.parse::<i128>().is_ok() || trimmed.parse::<u128>().is_ok() => {
                    Err(ParamError::new(format!("expected an integer from {} to {}, got `{text}`", <$ty>::MIN, <$ty>::MAX)))
                }
                Err(_) => Err(ParamError::new(format!("expected an integer, got `{text}`"))),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDeserializer {
    type Error = ParamError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self.0 {
            ParamValue::Absent => visitor.visit_none(),
            // Text that spells a number or a boolean is read as one: a union (or an untyped value)
            // sent as a parameter reaches its numeric members, which no text would.
            ParamValue::Scalar(text) => match text.as_str() {
                "true" => visitor.visit_bool(true),
                "false" => visitor.visit_bool(false),
                _ => match (text.parse::<i64>(), text.parse::<f64>()) {
                    (Ok(integer), _) => visitor.visit_i64(integer),
                    (_, Ok(float)) if float.is_finite() && !text.trim().is_empty() && text.trim() == text => visitor.visit_f64(float),
                    _ => visitor.visit_string(text),
                },
            },
            ParamValue::List(items) => visitor.visit_seq(Seq { items: items.into_iter(), index: 0 }),
            ParamValue::Object(entries) => visitor.visit_map(Map { entries: entries.into_iter(), pending: None }),
        }
    }

    integers! {
        deserialize_i8 visit_i8 i8,
        deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64,
        deserialize_i128 visit_i128 i128,
        deserialize_u8 visit_u8 u8,
        deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32,
        deserialize_u64 visit_u64 u64,
        deserialize_u128 visit_u128 u128,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_f32(self.parse("a number")?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_f64(self.parse("a number")?)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self.text("`true` or `false`")?.as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(ParamError::new(format!("expected `true` or `false`, got `{other}`"))),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_char(self.parse("one character")?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_string(self.text("text")?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_str(visitor)
    }

    /// Bytes travel as base64 text, as [`ParamValue::of`] writes them.
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        let text = self.text("base64 text")?;
        let bytes = crate::Base64::decode(&text).map_err(|_| ParamError::new(format!("expected base64 text, got `{text}`")))?;
        visitor.visit_byte_buf(bytes.into_inner())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match self.0 {
            ParamValue::Absent => visitor.visit_none(),
            value => visitor.visit_some(ValueDeserializer(value)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        match &self.0 {
            ParamValue::Absent => visitor.visit_unit(),
            ParamValue::Scalar(text) if text.is_empty() => visitor.visit_unit(),
            other => Err(ParamError::new(format!("expected nothing, got {}", describe(other)))),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_newtype_struct(self)
    }

    /// A list; also a lone scalar (one `tags=a` where the style would repeat it) and an absent
    /// value (an exploded empty list sends nothing).
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        let items = match self.0 {
            ParamValue::Absent => Vec::new(),
            ParamValue::Scalar(text) => vec![ParamValue::Scalar(text)],
            ParamValue::List(items) => items,
            ParamValue::Object(_) => return Err(ParamError::new("expected a list, got an object")),
        };
        visitor.visit_seq(Seq { items: items.into_iter(), index: 0 })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, _len: usize, visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_seq(visitor)
    }

    /// An object; an absent one reads as empty, so that its required properties are the ones
    /// named as missing.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        let entries = match self.0 {
            ParamValue::Absent => Vec::new(),
            ParamValue::Object(entries) => entries,
            other => return Err(ParamError::new(format!("expected an object, got {}", describe(&other)))),
        };
        visitor.visit_map(Map { entries: entries.into_iter(), pending: None })
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, ParamError> {
        self.deserialize_map(visitor)
    }

    /// A unit variant by name, or a variant with data as an object of one property (the way
    /// [`ParamValue::of`] writes one).
    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], visitor: V) -> Result<V::Value, ParamError> {
        match self.0 {
            ParamValue::Scalar(variant) => visitor.visit_enum(Enum { variant, value: None }),
            ParamValue::Object(entries) if entries.len() == 1 => {
                let Some((variant, value)) = entries.into_iter().next() else { return Err(ParamError::new("expected a variant")) };
                visitor.visit_enum(Enum { variant, value: Some(value) })
            }
            other => Err(ParamError::new(format!("expected a variant name, got {}", describe(&other)))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ParamError> {
        visitor.visit_unit()
    }
}

/// A list's items; an item's error names its index.
struct Seq {
    items: std::vec::IntoIter<ParamValue>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = ParamError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ParamError> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        seed.deserialize(ValueDeserializer(item)).map(Some).map_err(|e| e.within(&format!("[{index}]")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's entries; a value's error names its property.
struct Map {
    entries: std::vec::IntoIter<(String, ParamValue)>,
    pending: Option<(String, ParamValue)>,
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = ParamError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ParamError> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        let read = seed.deserialize(ValueDeserializer(ParamValue::Scalar(key.clone()))).map_err(|e| e.within(&key))?;
        self.pending = Some((key, value));
        Ok(Some(read))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ParamError> {
        let (key, value) = self.pending.take().ok_or_else(|| ParamError::new("a value was asked for before its key"))?;
        seed.deserialize(ValueDeserializer(value)).map_err(|e| e.within(&key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A variant: its name, and its data unless it is a unit variant.
struct Enum {
    variant: String,
    value: Option<ParamValue>,
}

impl<'de> de::EnumAccess<'de> for Enum {
    type Error = ParamError;
    type Variant = Variant;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Variant), ParamError> {
        let read = seed.deserialize(ValueDeserializer(ParamValue::Scalar(self.variant.clone())))?;
        Ok((read, Variant { name: self.variant, value: self.value }))
    }
}

/// The data of a variant.
struct Variant {
    name: String,
    value: Option<ParamValue>,
}

impl Variant {
    fn data(self) -> Result<(String, ValueDeserializer), ParamError> {
        match self.value {
            Some(value) => Ok((self.name, ValueDeserializer(value))),
            None => Err(ParamError::new(format!("variant `{}` needs a value", self.name))),
        }
    }
}

impl<'de> de::VariantAccess<'de> for Variant {
    type Error = ParamError;

    fn unit_variant(self) -> Result<(), ParamError> {
        match self.value {
            None | Some(ParamValue::Absent) => Ok(()),
            Some(_) => Err(ParamError::new(format!("variant `{}` takes no value", self.name))),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ParamError> {
        let (name, data) = self.data()?;
        seed.deserialize(data).map_err(|e| e.within(&name))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ParamError> {
        let (name, data) = self.data()?;
        de::Deserializer::deserialize_seq(data, visitor).map_err(|e| e.within(&name))
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, ParamError> {
        let (name, data) = self.data()?;
        de::Deserializer::deserialize_map(data, visitor).map_err(|e| e.within(&name))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use ParamValue::{Absent, List, Object, Scalar};

    fn s(text: &str) -> ParamValue {
        Scalar(text.into())
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Open,
        Closed,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Filter {
        status: Status,
        #[serde(default)]
        tags: Vec<String>,
        limit: Option<u8>,
        inner: Option<Inner>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Inner {
        ratio: f64,
        on: bool,
    }

    #[test]
    fn scalars_are_read_as_the_type_asks() {
        assert_eq!(deserialize::<i64>(s("-42")), Ok(-42));
        assert_eq!(deserialize::<u8>(s("255")), Ok(255));
        assert_eq!(deserialize::<f64>(s("1.5")), Ok(1.5));
        assert_eq!(deserialize::<bool>(s("true")), Ok(true));
        assert_eq!(deserialize::<String>(s("42")), Ok("42".to_owned()));
        assert_eq!(deserialize::<char>(s("x")), Ok('x'));
        assert_eq!(deserialize::<Status>(s("open")), Ok(Status::Open));
        assert_eq!(deserialize::<Option<i32>>(Absent), Ok(None));
        assert_eq!(deserialize::<Option<i32>>(s("7")), Ok(Some(7)));
        assert_eq!(deserialize::<crate::Base64>(s("AAE=")), Ok(crate::Base64(vec![0, 1])));
        assert_eq!(deserialize::<Vec<u16>>(List(vec![s("1"), s("2")])), Ok(vec![1, 2]));
        assert_eq!(deserialize::<Vec<u16>>(s("3")), Ok(vec![3]), "a lone value is a list of one");
        assert_eq!(deserialize::<Vec<u16>>(Absent), Ok(vec![]), "an exploded empty list sends nothing");
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        let message = |value, f: fn(ParamValue) -> Result<(), ParamError>| f(value).map_err(|e| e.to_string()).err();
        assert_eq!(message(s("abc"), |v| deserialize::<i64>(v).map(drop)).as_deref(), Some("expected an integer, got `abc`"));
        assert_eq!(message(s("300"), |v| deserialize::<u8>(v).map(drop)).as_deref(), Some("expected an integer from 0 to 255, got `300`"));
        assert_eq!(message(s("1.x"), |v| deserialize::<f32>(v).map(drop)).as_deref(), Some("expected a number, got `1.x`"));
        assert_eq!(message(s("yes"), |v| deserialize::<bool>(v).map(drop)).as_deref(), Some("expected `true` or `false`, got `yes`"));
        assert_eq!(message(s("shut"), |v| deserialize::<Status>(v).map(drop)).as_deref(), Some("expected one of `open`, `closed`, got `shut`"));
        assert_eq!(message(Absent, |v| deserialize::<i64>(v).map(drop)).as_deref(), Some("expected an integer, got nothing"));
        assert_eq!(message(List(vec![]), |v| deserialize::<String>(v).map(drop)).as_deref(), Some("expected text, got a list"));
        let nested = Object(vec![("status".into(), s("open")), ("tags".into(), List(vec![s("a")])), ("inner".into(), Object(vec![("ratio".into(), s("x"))]))]);
        let error = deserialize::<Filter>(nested).expect_err("ratio is no number");
        assert_eq!((error.field.as_str(), error.message.as_str()), ("inner.ratio", "expected a number, got `x`"));
        let error = deserialize::<Vec<Inner>>(List(vec![Object(vec![("ratio".into(), s("1")), ("on".into(), s("no"))])])).expect_err("on is no bool");
        assert_eq!(error.field, "[0].on");
        let error = deserialize::<Filter>(Object(vec![("tags".into(), s("a"))])).expect_err("status is required");
        assert_eq!(error.to_string(), "status: is required");
    }

    #[test]
    fn objects_become_structs_and_maps() {
        let value = Object(vec![
            ("status".into(), s("closed")),
            ("tags".into(), List(vec![s("a"), s("b")])),
            ("limit".into(), s("5")),
            ("inner".into(), Object(vec![("ratio".into(), s("0.25")), ("on".into(), s("false"))])),
            ("unknown".into(), s("ignored")),
        ]);
        let filter: Filter = deserialize(value).expect("a filter");
        assert_eq!(
            filter,
            Filter { status: Status::Closed, tags: vec!["a".into(), "b".into()], limit: Some(5), inner: Some(Inner { ratio: 0.25, on: false }) }
        );
        let map: BTreeMap<u32, bool> = deserialize(Object(vec![("1".into(), s("true")), ("2".into(), s("false"))])).expect("a map");
        assert_eq!(map, BTreeMap::from([(1, true), (2, false)]));
    }

    #[test]
    fn untagged_unions_see_the_scalars_text_spells() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(untagged)]
        enum IdOrRange {
            Range { from: u32, to: u32 },
            Id(u64),
            Name(String),
        }
        assert_eq!(deserialize::<IdOrRange>(s("abc")), Ok(IdOrRange::Name("abc".into())));
        let range = Object(vec![("from".into(), s("1")), ("to".into(), s("9"))]);
        assert_eq!(deserialize::<IdOrRange>(range), Ok(IdOrRange::Range { from: 1, to: 9 }));
        assert_eq!(deserialize::<IdOrRange>(s("5")), Ok(IdOrRange::Id(5)));
        assert_eq!(deserialize::<serde_json::Value>(s("2.5")), Ok(serde_json::json!(2.5)));
        assert_eq!(deserialize::<serde_json::Value>(s("true")), Ok(serde_json::json!(true)));
        assert_eq!(deserialize::<serde_json::Value>(s(" 7")), Ok(serde_json::json!(" 7")), "not quite a number stays text");
    }

    #[test]
    fn variants_with_data_read_back_what_the_serializer_wrote() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        enum Choice {
            Plain,
            Count(u32),
            Pair(u8, u8),
            Named { on: bool },
        }
        for choice in [Choice::Plain, Choice::Count(3), Choice::Pair(1, 2), Choice::Named { on: true }] {
            let value = ParamValue::of(&choice).expect("flattens");
            assert_eq!(deserialize::<Choice>(value), Ok(choice));
        }
    }
}
