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
