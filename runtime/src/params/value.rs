//! Any `Serialize` value as the shape parameter styles render: absent, a scalar, a list or an
//! object (possibly nested, for `deepObject`).

use serde::ser::{self, Serialize};

/// A parameter value, as text, in the shape the styles care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// `None` or unit: the parameter is not sent.
    Absent,
    /// A string, number or boolean, as text.
    Scalar(String),
    /// An array.
    List(Vec<ParamValue>),
    /// An object, its properties in order.
    Object(Vec<(String, ParamValue)>),
}

impl ParamValue {
    /// Flattens any serializable value.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<ParamValue, ParamError> {
        value.serialize(ValueSerializer)
    }
}

/// A value that cannot be a parameter (a map with a non-text key, say), or wire text that does
/// not read as the value expected (a bad percent-escape, `abc` for an integer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// Where the fault is: the parameter's name and the path inside its value (`filter.status`,
    /// `ids[2]`), or empty when it is the value as a whole and nobody named it yet.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ParamError {
    /// An error about the value as a whole.
    pub fn new(message: impl Into<String>) -> ParamError {
        ParamError { field: String::new(), message: message.into() }
    }

    /// An error about `field`.
    pub fn at(field: impl Into<String>, message: impl Into<String>) -> ParamError {
        ParamError { field: field.into(), message: message.into() }
    }

    /// The same error seen from one level up: inside property (or parameter) `outer`. Indices
    /// (`[2]`) attach without a dot, the way `serde_path_to_error` writes paths.
    pub fn within(mut self, outer: &str) -> ParamError {
        self.field = match self.field.as_str() {
            "" => outer.to_owned(),
            inner if inner.starts_with('[') => format!("{outer}{inner}"),
            inner => format!("{outer}.{inner}"),
        };
        self
    }
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.field.as_str() {
            "" => f.write_str(&self.message),
            field => write!(f, "{field}: {}", self.message),
        }
    }
}

impl std::error::Error for ParamError {}

impl ser::Error for ParamError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ParamError::new(msg.to_string())
    }
}

struct ValueSerializer;

fn scalar(text: impl ToString) -> Result<ParamValue, ParamError> {
    Ok(ParamValue::Scalar(text.to_string()))
}

impl ser::Serializer for ValueSerializer {
    type Ok = ParamValue;
    type Error = ParamError;
    type SerializeSeq = ListBuilder;
    type SerializeTuple = ListBuilder;
    type SerializeTupleStruct = ListBuilder;
    type SerializeTupleVariant = VariantBuilder<ListBuilder>;
    type SerializeMap = ObjectBuilder;
    type SerializeStruct = ObjectBuilder;
    type SerializeStructVariant = VariantBuilder<ObjectBuilder>;

    fn serialize_bool(self, v: bool) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_i8(self, v: i8) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_i16(self, v: i16) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_i32(self, v: i32) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_i64(self, v: i64) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_i128(self, v: i128) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_u8(self, v: u8) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_u16(self, v: u16) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_u32(self, v: u32) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_u64(self, v: u64) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_u128(self, v: u128) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_f32(self, v: f32) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_f64(self, v: f64) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_char(self, v: char) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_str(self, v: &str) -> Result<ParamValue, ParamError> {
        scalar(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Scalar(crate::Base64(v.to_vec()).to_string()))
    }
    fn serialize_none(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<ParamValue, ParamError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Absent)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Absent)
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<ParamValue, ParamError> {
        scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<ParamValue, ParamError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Object(vec![(variant.to_owned(), value.serialize(ValueSerializer)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListBuilder, ParamError> {
        Ok(ListBuilder(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<ListBuilder, ParamError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ListBuilder, ParamError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, variant: &'static str, len: usize) -> Result<VariantBuilder<ListBuilder>, ParamError> {
        Ok(VariantBuilder(variant, ListBuilder(Vec::with_capacity(len))))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<ObjectBuilder, ParamError> {
        Ok(ObjectBuilder { entries: Vec::with_capacity(len.unwrap_or(0)), key: None })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<ObjectBuilder, ParamError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, variant: &'static str, len: usize) -> Result<VariantBuilder<ObjectBuilder>, ParamError> {
        Ok(VariantBuilder(variant, ObjectBuilder { entries: Vec::with_capacity(len), key: None }))
    }
}

#[doc(hidden)]
pub struct ListBuilder(Vec<ParamValue>);

impl ser::SerializeSeq for ListBuilder {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.0.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::List(self.0))
    }
}

impl ser::SerializeTuple for ListBuilder {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for ListBuilder {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        ser::SerializeSeq::end(self)
    }
}

#[doc(hidden)]
pub struct ObjectBuilder {
    entries: Vec<(String, ParamValue)>,
    key: Option<String>,
}

impl ser::SerializeMap for ObjectBuilder {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ParamError> {
        match key.serialize(ValueSerializer)? {
            ParamValue::Scalar(k) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(ParamError::new("a map key of a parameter must be text")),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        let key = self.key.take().unwrap_or_default();
        let value = value.serialize(ValueSerializer)?;
        if value != ParamValue::Absent {
            self.entries.push((key, value));
        }
        Ok(())
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Object(self.entries))
    }
}

impl ser::SerializeStruct for ObjectBuilder {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), ParamError> {
        let value = value.serialize(ValueSerializer)?;
        if value != ParamValue::Absent {
            self.entries.push((key.to_owned(), value));
        }
        Ok(())
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Object(self.entries))
    }
}

#[doc(hidden)]
pub struct VariantBuilder<B>(&'static str, B);

impl ser::SerializeTupleVariant for VariantBuilder<ListBuilder> {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        ser::SerializeSeq::serialize_element(&mut self.1, value)
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Object(vec![(self.0.to_owned(), ser::SerializeSeq::end(self.1)?)]))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<ObjectBuilder> {
    type Ok = ParamValue;
    type Error = ParamError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), ParamError> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> Result<ParamValue, ParamError> {
        Ok(ParamValue::Object(vec![(self.0.to_owned(), ser::SerializeStruct::end(self.1)?)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Color {
        #[serde(rename = "R")]
        r: u8,
        #[serde(rename = "G")]
        g: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<u8>,
    }

    #[test]
    fn values_flatten_into_scalars_lists_and_objects() {
        use ParamValue::*;
        assert_eq!(ParamValue::of(&"blue").expect("ok"), Scalar("blue".into()));
        assert_eq!(ParamValue::of(&Some(5)).expect("ok"), Scalar("5".into()));
        assert_eq!(ParamValue::of(&None::<i32>).expect("ok"), Absent);
        assert_eq!(ParamValue::of(&vec![true, false]).expect("ok"), List(vec![Scalar("true".into()), Scalar("false".into())]));
        assert_eq!(
            ParamValue::of(&Color { r: 100, g: 200, b: None }).expect("ok"),
            Object(vec![("R".into(), Scalar("100".into())), ("G".into(), Scalar("200".into()))])
        );
    }
}
