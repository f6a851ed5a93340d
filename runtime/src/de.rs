//! What the `Deserialize` impls of generated structs share.
//!
//! Generated structs read themselves with a small hand-written visitor instead of
//! `#[derive(Deserialize)]`: one loop matching property names, one slot per field. It accepts what
//! the derive would (unknown properties ignored, `null` or a missing property for an `Option`),
//! and costs a user's build about a third of what the derive's expansion does.

use serde::de::Error;

#[cfg(feature = "json")]
mod rules;
#[cfg(feature = "json")]
pub use rules::Rules;

/// The value of required field `name`, or the error saying it is missing.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

thread_local! {
    /// Whether a union is trying its members strictly (see [`Buffered::first`]).
    static STRICT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a union is trying its members strictly: a string enum then refuses a value it does not
/// list instead of keeping it in its fallback variant, so that the member that lists the value is
/// the one read.
pub fn strict() -> bool {
    STRICT.with(std::cell::Cell::get)
}

/// Sets [`strict`] for as long as it lives, then puts back what was.
#[cfg(feature = "json")]
struct Strict(bool);

#[cfg(feature = "json")]
impl Strict {
    fn on() -> Strict {
        Strict(STRICT.with(|s| s.replace(true)))
    }
}

#[cfg(feature = "json")]
impl Drop for Strict {
    fn drop(&mut self) {
        STRICT.with(|s| s.set(self.0));
    }
}

thread_local! {
    /// Whether the value being read is a JSON request a server checks (see [`checking_json`]).
    static CHECKING_JSON: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read` as a server reads a JSON request body it holds to the spec, where the models are
/// lenient for clients in two ways:
///
/// - `null` for an optional property whose schema does not admit it is refused. Such a property is
///   an `Option` whose `None` stands for absent, so the models read `null` as absent: what a client
///   needs of a server that writes `null` for what it leaves out. A request's `null` is no value of
///   the property's schema; [`Optional`] refuses it with an error the property's path is added to.
/// - A union's members are tried on the value as it was sent, not also on a number's or boolean's
///   text (see [`Buffered::readings`]): that reading is for values that came as text (parameters,
///   form fields), and in JSON `2147483648` is no string, whatever a string member's pattern admits.
pub fn checking_json<R>(read: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            CHECKING_JSON.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(CHECKING_JSON.with(|r| r.replace(true)));
    read()
}

fn checking() -> bool {
    CHECKING_JSON.with(std::cell::Cell::get)
}

/// The value of an optional property that is not nullable: absent (`None`) when it is `null`,
/// except within [`checking_json`], where `null` is an error.
///
/// ```
/// use generator_runtime::de::{checking_json, Optional};
///
/// let read = |json: &str| serde_json::from_str::<Optional<u32>>(json).map(|o| o.0).map_err(|e| e.to_string());
/// assert_eq!(read("null"), Ok(None), "a client reads `null` as absent");
/// assert_eq!(checking_json(|| read("7")), Ok(Some(7)));
/// assert!(checking_json(|| read("null")).unwrap_err().starts_with("is `null`"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Optional<T>(pub Option<T>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Optional<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<T>::deserialize(deserializer)? {
            None if checking() => Err(D::Error::custom("is `null`, which its schema does not allow: leave the property out instead")),
            value => Ok(Optional(value)),
        }
    }
}

/// The next value of `map`, that of an optional property that is not nullable: see [`Optional`].
pub fn optional<'de, T: serde::Deserialize<'de>, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value::<Optional<T>>().map(|value| value.0)
}

/// A property name as read: borrowed from the input where the format allows.
pub type Key<'de> = std::borrow::Cow<'de, str>;

/// A value read whole, so that the members of an untagged union can be tried on it in order.
///
/// Generated unions read themselves with it instead of `#[serde(untagged)]`, whose derive expands
/// to several times the code (and compile time) for the same reading.
#[cfg(feature = "json")]
#[derive(Clone, Debug)]
pub struct Buffered(serde_json::Value);

#[cfg(feature = "json")]
impl<'de> serde::Deserialize<'de> for Buffered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Buffered)
    }
}

#[cfg(feature = "json")]
impl Buffered {
    /// The value as a `T`, if it is one.
    pub fn read<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(&self.0).ok()
    }

    /// The value as a `T`, if it is one and, while members are tried [`strict`]ly, satisfies
    /// `rules`: a union's member whose schema adds rules to its type.
    pub fn read_within<T: serde::de::DeserializeOwned>(&self, rules: &Rules) -> Option<T> {
        if strict() && !rules.admit(&self.0) {
            return None;
        }
        self.read()
    }

    /// The readings of the value to try members on, in order: the value itself, then, where it
    /// holds numbers or booleans, the value with each written as its text. A value read from text
    /// (a parameter, a form field) comes as the scalars it spells, the items of a list too (`fields=a&fields=5`), and
    /// still reaches the string members of its union when no other fits. Within
    /// [`checking_json`] the value itself only: a JSON request's number is no string.
    pub fn readings(&self) -> impl Iterator<Item = std::borrow::Cow<'_, Buffered>> {
        let text = if checking() { None } else { as_text(&self.0) };
        std::iter::once(std::borrow::Cow::Borrowed(self)).chain(text.map(|t| std::borrow::Cow::Owned(Buffered(t))))
    }

    /// The first member `read` finds in the value's [`readings`](Self::readings): first with every
    /// enum [`strict`] (a member that would keep the value of an enum in its fallback does not
    /// match while another member lists it) and each member's [`Rules`] held to, then, where none
    /// does, as each member reads.
    pub fn first<T>(&self, read: impl Fn(&Buffered) -> Option<T>) -> Option<T> {
        let guard = Strict::on();
        let found = self.readings().find_map(|v| read(&v));
        let outer = guard.0;
        drop(guard);
        if found.is_some() || outer {
            return found;
        }
        self.readings().find_map(|v| read(&v))
    }

    /// The value as a `T`, or the error saying why it is not one.
    pub fn parse<T: serde::de::DeserializeOwned, E: Error>(&self) -> Result<T, E> {
        T::deserialize(&self.0).map_err(E::custom)
    }

    /// The text of property `property` of an object value (a discriminator's tag), if it has one.
    pub fn tag(&self, property: &str) -> Option<&str> {
        self.0.get(property)?.as_str()
    }

    /// The error when no member of union `name` matches the value.
    pub fn mismatch<E: Error>(&self, name: &str) -> E {
        E::custom(format_args!("the value matches none of the shapes of `{name}`"))
    }
}

/// `value` with every number and boolean in it, at any depth, written as its text; `None` where it
/// holds none.
#[cfg(feature = "json")]
fn as_text(value: &serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    match value {
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        Value::Array(items) => {
            let texts: Vec<Option<Value>> = items.iter().map(as_text).collect();
            texts.iter().any(Option::is_some).then(|| Value::Array(items.iter().zip(texts).map(|(item, text)| text.unwrap_or_else(|| item.clone())).collect()))
        }
        Value::Object(map) => {
            let texts: Vec<Option<Value>> = map.values().map(as_text).collect();
            texts.iter().any(Option::is_some).then(|| Value::Object(map.iter().zip(texts).map(|((key, item), text)| (key.clone(), text.unwrap_or_else(|| item.clone()))).collect()))
        }
        Value::Null | Value::String(_) => None,
    }
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::Buffered;

    #[test]
    fn a_scalar_is_read_as_itself_then_as_its_text() {
        let read = |json: &str| -> Vec<serde_json::Value> { serde_json::from_str::<Buffered>(json).expect("JSON").readings().map(|b| b.0.clone()).collect() };
        assert_eq!(read("5"), [serde_json::json!(5), serde_json::json!("5")]);
        assert_eq!(read("true"), [serde_json::json!(true), serde_json::json!("true")]);
        assert_eq!(read(r#""five""#), [serde_json::json!("five")]);
        assert_eq!(read(r#"{"a": 1}"#), [serde_json::json!({"a": 1}), serde_json::json!({"a": "1"})]);
        assert_eq!(read(r#"["a", 5, [true]]"#), [serde_json::json!(["a", 5, [true]]), serde_json::json!(["a", "5", ["true"]])], "items spell scalars too");
        assert_eq!(read(r#"["a", null]"#), [serde_json::json!(["a", null])]);
        assert_eq!(super::checking_json(|| read("5")), [serde_json::json!(5)], "a JSON request's number is no text");
    }

    #[test]
    fn a_tag_is_read_from_an_object_and_the_value_parsed_whole() {
        let buffered: Buffered = serde_json::from_str(r#"{"kind": "cat", "lives": 9}"#).expect("JSON");
        assert_eq!(buffered.tag("kind"), Some("cat"));
        assert_eq!(buffered.tag("lives"), None, "not text");
        let parsed: Result<std::collections::BTreeMap<String, serde_json::Value>, serde_json::Error> = buffered.parse();
        assert_eq!(parsed.expect("an object").len(), 2);
        let refused: Result<Vec<u8>, serde_json::Error> = buffered.parse();
        assert!(refused.is_err());
    }
}
