//! `application/x-www-form-urlencoded` bodies: an object's properties as `name=value` pairs.
//!
//! By default (OpenAPI's, for form bodies) a property is written `form`, exploded: scalars as
//! `name=value`, arrays as one pair per item (`tags=a&tags=b`), and objects, which `form` would
//! flatten beyond reading back, as `deepObject` (`address[city]=Paris`). A spec's `encoding`
//! object may give a property another `style` and `explode`: that is a [`FieldEncoding`]. The
//! body is read back through the same [`ParamValue`] deserializer as parameters, so an error names
//! the property at fault.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::params::{self, Encoding, Pairs, ParamError, ParamValue, Shape, Style};

/// The media type of form bodies.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A property of a form body written otherwise than by default (an `encoding` entry of the spec):
/// its name, the shape of its schema (to read it back) and its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldEncoding {
    /// The property's name.
    pub name: &'static str,
    /// The shape of its schema.
    pub shape: Shape,
    /// Its `style` and `explode` (and `allowReserved`).
    pub encoding: Encoding,
}

impl FieldEncoding {
    /// Property `name` of `shape`, in `encoding`.
    pub const fn new(name: &'static str, shape: Shape, encoding: Encoding) -> FieldEncoding {
        FieldEncoding { name, shape, encoding }
    }
}

/// How a property without an `encoding` entry is written: objects as `deepObject`, the rest as
/// exploded `form`.
fn default_encoding(value: &ParamValue) -> Encoding {
    match value {
        ParamValue::Object(_) => Encoding::new(Style::DeepObject, true),
        _ => Encoding::FORM,
    }
}

/// The form body of `value`, an object (a struct or a map); `fields` lists the properties an
/// `encoding` object writes otherwise. An absent value is an empty body.
///
/// ```
/// use generator_runtime::body::form::{encode, FieldEncoding};
/// use generator_runtime::params::{Encoding, Shape, Style};
///
/// #[derive(serde::Serialize)]
/// struct Order { item: &'static str, tags: Vec<&'static str>, ids: Vec<u32> }
///
/// let fields = [FieldEncoding::new("ids", Shape::List, Encoding::new(Style::PipeDelimited, false))];
/// let body = encode(&Order { item: "tea & cake", tags: vec!["a", "b"], ids: vec![1, 2] }, &fields).unwrap();
/// assert_eq!(body, "item=tea%20%26%20cake&tags=a&tags=b&ids=1|2");
/// ```
pub fn encode<T: Serialize + ?Sized>(value: &T, fields: &[FieldEncoding]) -> Result<String, ParamError> {
    let entries = match ParamValue::of(value)? {
        ParamValue::Absent => return Ok(String::new()),
        ParamValue::Object(entries) => entries,
        _ => return Err(ParamError::new("a form body must be an object")),
    };
    let mut pairs = Vec::new();
    for (name, value) in &entries {
        let encoding = fields.iter().find(|f| f.name == name).map_or_else(|| default_encoding(value), |f| f.encoding);
        pairs.extend(params::query(name, value, encoding));
    }
    Ok(pairs.join("&"))
}

/// Reads form body `body` as a `T`; `fields` lists the properties an `encoding` object writes
/// otherwise than by default. `+` reads as a space, as browsers send it. An error names the
/// property at fault (`age`, `address.zip`, `tags[2]`).
///
/// ```
/// use generator_runtime::body::form::decode;
///
/// #[derive(Debug, PartialEq, serde::Deserialize)]
/// struct Order { item: String, count: u32 }
///
/// assert_eq!(decode::<Order>(b"item=tea+and+cake&count=2", &[]), Ok(Order { item: "tea and cake".into(), count: 2 }));
/// let error = decode::<Order>(b"item=tea&count=two", &[]).unwrap_err();
/// assert_eq!(error.to_string(), "count: expected an integer, got `two`");
/// ```
pub fn decode<T: DeserializeOwned>(body: &[u8], fields: &[FieldEncoding]) -> Result<T, ParamError> {
    let text = std::str::from_utf8(body).map_err(|_| ParamError::new("a form body must be UTF-8 text"))?;
    let pairs = Pairs::query(text);
    let skip: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let ParamValue::Object(mut entries) = pairs.tree(&skip)? else { return Err(ParamError::new("a form body must be an object")) };
    for field in fields {
        let value = pairs.value(field.name, field.shape, field.encoding)?;
        if value != ParamValue::Absent {
            entries.push((field.name.to_owned(), value));
        }
    }
    params::deserialize(ParamValue::Object(entries))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Address {
        city: String,
        zip: Option<u32>,
        #[serde(default)]
        lines: Vec<String>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Signup {
        name: String,
        age: u8,
        newsletter: bool,
        tags: Vec<String>,
        address: Address,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referrer: Option<String>,
        ids: Vec<u32>,
        color: BTreeMap<String, u8>,
    }

    const FIELDS: [FieldEncoding; 2] = [
        FieldEncoding::new("ids", Shape::List, Encoding::new(Style::Form, false)),
        FieldEncoding::new("color", Shape::Object, Encoding::new(Style::SpaceDelimited, false)),
    ];

    fn signup() -> Signup {
        Signup {
            name: "Zoë & co=1+1".into(),
            age: 42,
            newsletter: true,
            tags: vec!["a b".into(), "c".into()],
            address: Address { city: "Paris".into(), zip: Some(75001), lines: vec!["1 rue".into(), "bis".into()] },
            referrer: None,
            ids: vec![3, 4],
            color: BTreeMap::from([("B".into(), 150), ("R".into(), 100)]),
        }
    }

    #[test]
    fn properties_are_written_by_default_or_as_their_encoding_says() {
        let body = encode(&signup(), &FIELDS).expect("an object");
        assert_eq!(
            body,
            "name=Zo%C3%AB%20%26%20co%3D1%2B1&age=42&newsletter=true&tags=a%20b&tags=c\
             &address[city]=Paris&address[zip]=75001&address[lines][]=1%20rue&address[lines][]=bis\
             &ids=3,4&color=B%20150%20R%20100"
        );
        assert_eq!(encode(&None::<Signup>, &FIELDS).as_deref(), Ok(""));
        assert!(encode(&[1, 2], &[]).is_err(), "a list is no form");
    }

    #[test]
    fn what_is_written_reads_back() {
        let body = encode(&signup(), &FIELDS).expect("an object");
        assert_eq!(decode::<Signup>(body.as_bytes(), &FIELDS), Ok(signup()));
    }

    #[test]
    fn browsers_bodies_read_too() {
        // `+` for spaces, escaped brackets, one-item lists without brackets, properties in any order.
        let body = b"color=R+1&ids=7&address%5Bcity%5D=Lyon&address%5Blines%5D=x&tags=solo&newsletter=false&age=7&name=A+B";
        let read: Signup = decode(body, &FIELDS).expect("a signup");
        assert_eq!(read.name, "A B");
        assert_eq!(read.tags, ["solo"]);
        assert_eq!(read.ids, [7]);
        assert_eq!(read.address, Address { city: "Lyon".into(), zip: None, lines: vec!["x".into()] });
        assert_eq!(read.color, BTreeMap::from([("R".into(), 1)]));
    }

    #[test]
    fn an_empty_name_is_a_property_like_any_other() {
        let read = |body: &[u8]| decode::<BTreeMap<String, serde_json::Value>>(body, &[]).map_err(|e| e.to_string());
        assert_eq!(read(b"=x"), Ok(BTreeMap::from([(String::new(), serde_json::json!("x"))])));
        assert_eq!(read(b"=x&a=1&=y"), Ok(BTreeMap::from([(String::new(), serde_json::json!(["x", "y"])), ("a".into(), serde_json::json!(1))])));
        assert_eq!(read(b"[]=x&[]=y"), Ok(BTreeMap::from([(String::new(), serde_json::json!(["x", "y"]))])), "the items of a list named ``");
    }

    #[test]
    fn errors_name_the_property() {
        let error = |body: &[u8]| decode::<Signup>(body, &FIELDS).expect_err("a bad body").to_string();
        let good = "name=a&age=1&newsletter=true&address[city]=c";
        assert_eq!(error(format!("{good}&ids=1,x").as_bytes()), "ids[1]: expected an integer, got `x`");
        assert_eq!(error(b"name=a&age=300&newsletter=true&address[city]=c"), "age: expected an integer from 0 to 255, got `300`");
        assert_eq!(error(format!("{good}&address[zip]=abc").as_bytes()), "address.zip: expected an integer, got `abc`");
        assert_eq!(error(b"name=a&age=1&address[city]=c"), "newsletter: is required");
        assert_eq!(error(format!("{good}&color=R").as_bytes()), "color: expected an object as key and value pairs, got 1 items");
        assert_eq!(error(format!("{good}&name=%G0").as_bytes()), "name: has a bad percent-escape `%G0`");
        assert_eq!(error(b"\xff"), "a form body must be UTF-8 text");
    }
}
