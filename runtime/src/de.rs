//! What the `Deserialize` impls of generated structs share.
//!
//! Generated structs read themselves with a small hand-written visitor instead of
//! `#[derive(Deserialize)]`: one loop matching property names, one slot per field. It accepts what
//! the derive would (unknown properties ignored, `null` or a missing property for an `Option`),
//! and costs a user's build about a third of what the derive's expansion does.

use serde::de::Error;

/// The value of required field `name`, or the error saying it is missing.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// A property name as read: borrowed from the input where the format allows.
pub type Key<'de> = std::borrow::Cow<'de, str>;

/// A value read whole, so that the members of an untagged union can be tried on it in order.
///
/// Generated unions read themselves with it instead of `#[serde(untagged)]`, whose derive expands
/// to several times the code (and compile time) for the same reading.
#[cfg(feature = "json")]
#[derive(Debug)]
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

    /// The error when no member of union `name` matches the value.
    pub fn mismatch<E: Error>(&self, name: &str) -> E {
        E::custom(format_args!("the value matches none of the shapes of `{name}`"))
    }
}
