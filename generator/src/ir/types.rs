//! Types: what schemas lower to, named definitions and the references to them.

use serde::Serialize;

use super::*;
pub use crate::load::RequiredChoice;

/// A reference to a type: a primitive, a container, or a named definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum TypeRef {
    /// A [`TypeDef`] of the same API, by name.
    Named(String),
    /// Text.
    String,
    /// A whole number of the given width in bits (8, 16, 32 or 64), signed or not.
    Integer {
        /// 8, 16, 32 or 64.
        bits: u8,
        /// False for `uint…` formats.
        signed: bool,
    },
    /// A floating-point number of the given width in bits (32 or 64).
    Number {
        /// 32 or 64.
        bits: u8,
    },
    /// true or false.
    Boolean,
    /// An RFC 3339 date-time.
    DateTime,
    /// An RFC 3339 full-date.
    Date,
    /// `format: uuid`.
    Uuid,
    /// `format: uri`: an absolute URL.
    Url,
    /// `format: ipv4`.
    Ipv4,
    /// `format: ipv6`.
    Ipv6,
    /// `format: byte`: bytes sent as base64 text.
    Bytes,
    /// `format: binary`: raw bytes (in JSON, where raw bytes cannot go, base64 text).
    Binary,
    /// A fixed-length list with one type per position (3.1 `prefixItems`).
    Tuple(Vec<TypeRef>),
    /// A Rust type of the user's, by path (`x-rust-type`, or a replacement given to the generator).
    External(String),
    /// A list.
    List(Box<TypeRef>),
    /// A map from text to values.
    Map(Box<TypeRef>),
    /// A value of the inner type or `null`: only as a list's item, a map's value or a tuple's
    /// member whose schema admits `null` (a field, parameter or body says so by its own
    /// `nullable`), and never around a type that holds `null` itself ([`TypeRef::nullable`]).
    Nullable(Box<TypeRef>),
    /// Any JSON value: the spec gives no schema.
    Any,
}

impl TypeRef {
    /// `int32`.
    pub const I32: TypeRef = TypeRef::Integer { bits: 32, signed: true };
    /// `int64`, and integers without a format.
    pub const I64: TypeRef = TypeRef::Integer { bits: 64, signed: true };
    /// `double`, and numbers without a format.
    pub const F64: TypeRef = TypeRef::Number { bits: 64 };

    /// `inner`, or `null` when `nullable`: [`TypeRef::Nullable`] unless `inner` holds `null`
    /// itself (any JSON value does).
    pub fn nullable(inner: TypeRef, nullable: bool) -> TypeRef {
        match inner {
            TypeRef::Any | TypeRef::Nullable(_) => inner,
            _ if nullable => TypeRef::Nullable(Box::new(inner)),
            _ => inner,
        }
    }

    /// Whether a value of this type may be `null`: any JSON value, or a [`TypeRef::Nullable`].
    pub fn holds_null(&self) -> bool {
        matches!(self, TypeRef::Any | TypeRef::Nullable(_))
    }

    /// This type with no [`TypeRef::Nullable`] inside: what a parameter or header in a `style`,
    /// which has no spelling of `null`, can carry.
    pub fn without_nulls(&self) -> TypeRef {
        let mut ty = self.clone();
        ty.visit_mut(&mut |t| {
            while let TypeRef::Nullable(inner) = t {
                *t = std::mem::replace(inner.as_mut(), TypeRef::Any);
            }
        });
        ty
    }

    /// Calls `f` on this type and every type inside it.
    pub fn visit(&self, f: &mut dyn FnMut(&TypeRef)) {
        f(self);
        match self {
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.visit(f),
            TypeRef::Tuple(items) => items.iter().for_each(|t| t.visit(f)),
            _ => {}
        }
    }

    /// True when this type or one inside it satisfies `pred`.
    pub fn mentions(&self, pred: &dyn Fn(&TypeRef) -> bool) -> bool {
        let mut found = false;
        self.visit(&mut |t| found |= pred(t));
        found
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    /// UpperCamelCase Rust name, unique within the API.
    pub name: String,
    /// The component schema name when this type is a component.
    pub schema_name: Option<String>,
    /// Its description.
    pub doc: Option<String>,
    /// Where the schema is.
    pub location: Location,
    /// Pointers of identical inline schemas this type stands for too (see `lower/share.rs`).
    pub shared_with: Vec<String>,
    /// For a union or a tagged value: the JSON pointer of each member's schema in the document, in
    /// the order of [`TypeKind::Union`]'s members or of [`Tagged::members`], for tools that judge
    /// by the spec's own words which member a value is (the round-trip check); empty otherwise.
    pub member_schemas: Vec<String>,
    /// For a union: the rules of each member's schema that its type does not carry (an inline
    /// `{type: string, minLength: 1}`'s length, `{type: integer, minimum: 1}`'s bound, `format:
    /// uri`), in the order of [`TypeKind::Union`]'s members; empty where no member has any. A
    /// member is read only where its rules hold while a later member's do, and a server refuses a
    /// value that holds those of none. Only rules a reading judges are kept (no `email`, no unique
    /// items): a server that checked another would refuse a value a later member admits.
    pub member_rules: Vec<Constraints>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shapes of named types.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    /// An object with known fields.
    Struct(Struct),
    /// A string with a fixed set of values.
    Enum(Enum),
    /// One of several shapes, told apart by trying each in order.
    Union(Vec<TypeRef>),
    /// One of several shapes, told apart by the value of a property (a `discriminator`).
    Tagged(Tagged),
    /// Another name for a type.
    Alias(TypeRef),
}

/// A value whose shape a property names (`discriminator`): the subtypes of a base schema that
/// include it by `allOf`, or the members of a `oneOf`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tagged {
    /// The property holding the tag (wire name).
    pub property: String,
    /// The shapes, each with the tag values that name it, in spec order.
    pub variants: Vec<TaggedVariant>,
    /// The base schema's own struct, a shape of its own beside the variants: what a value with
    /// another tag, or none, is read as where no [`default`](Tagged::default) is named.
    pub fallback: Option<TypeRef>,
    /// The variant (an index into `variants`) a value with another tag, or none, is read as:
    /// OpenAPI 3.2's discriminator `defaultMapping`. Without it or a fallback, the variants are
    /// tried in order, as a union's members are.
    pub default: Option<usize>,
}

/// One shape of a [`Tagged`] value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedVariant {
    /// The tag values that name it.
    pub values: Vec<String>,
    /// Its type.
    pub ty: TypeRef,
}

impl Tagged {
    /// Every type the value may be: the variants, then the fallback.
    pub fn members(&self) -> impl Iterator<Item = &TypeRef> {
        self.variants.iter().map(|v| &v.ty).chain(&self.fallback)
    }
}

/// An object with known fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// The type of further, unnamed properties (`additionalProperties`), if allowed.
    pub additional: Option<TypeRef>,
    /// The snake_case name of the field holding them: `additional_properties`, or another where a
    /// property of the spec has that name.
    pub additional_name: String,
    /// Names `required` lists that `properties` does not declare (Box's `required: [grant_type]`
    /// beside other properties): JSON Schema requires them all the same, whatever they hold, so a
    /// server looks for them among the further properties.
    pub required_undeclared: Vec<String>,
    /// Alternatives of required names, one (or exactly one) of which a value satisfies: an
    /// `anyOf`/`oneOf` whose members only list `required` (GitHub's `PUT /repos/…/pages` needs one
    /// of `build_type`, `source`, `cname`, …). The models read any of them; a server checks.
    pub required_choices: Vec<RequiredChoice>,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// snake_case Rust name, unique within the struct.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// Its type (never wrapped in an option: see `required` and `nullable`).
    pub ty: TypeRef,
    /// Must be present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Its value is a credential: never shown in `Debug` output.
    pub secret: bool,
    /// Refers to a type that contains this one: needs indirection.
    pub boxed: bool,
    /// `readOnly`: only answers carry it, so a request need not (never required).
    pub read_only: bool,
    /// `writeOnly`: only requests carry it, so an answer need not (never required).
    pub write_only: bool,
    /// Its description.
    pub doc: Option<String>,
    /// Validation rules.
    pub constraints: Constraints,
    /// The default value, as JSON.
    pub default: Option<serde_json::Value>,
}

impl Field {
    /// Whether the property may be absent and may be `null`: two states a model must tell apart
    /// (absent leaves a value as it is, `null` clears it), so its Rust type is `Option<Option<T>>`.
    pub fn absent_or_null(&self) -> bool {
        !self.required && self.nullable
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    /// Variants in spec order.
    pub variants: Vec<Variant>,
    /// Name of the variant that carries values unknown to this version of the spec.
    pub fallback: String,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// UpperCamelCase Rust name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
}

/// Validation rules of a value, as the spec states them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA 262 regular expression), when Rust's regex engine reads it.
    pub pattern: Option<String>,
    /// A `pattern` Rust's regex engine cannot read (ECMA 262 backreferences, lookaround): shown in
    /// the docs, not checked.
    pub unchecked_pattern: Option<String>,
    /// `format` when it carries a rule not expressed in the type (e.g. `email`, `uuid`, `password`).
    pub format: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// The minimum itself is not allowed (`exclusiveMinimum`).
    pub exclusive_minimum: bool,
    /// The maximum itself is not allowed (`exclusiveMaximum`).
    pub exclusive_maximum: bool,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`: no two items of the list are the same JSON value.
    pub unique_items: bool,
    /// Allowed values of a non-string enum, as JSON.
    pub allowed: Vec<serde_json::Value>,
    /// JSON Schema 2020-12 keywords the types do not express (`dependentRequired`, `if`/`then`/
    /// `else`, `contains`, `unevaluatedProperties`, …), as written, by keyword: kept so that a
    /// review sees them change.
    pub keywords: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Constraints {
    /// True when no rule is stated.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

impl TypeRef {
    /// Calls `f` on this type and every type inside it, mutably.
    pub(crate) fn visit_mut(&mut self, f: &mut dyn FnMut(&mut TypeRef)) {
        f(self);
        match self {
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.visit_mut(f),
            TypeRef::Tuple(items) => items.iter_mut().for_each(|t| t.visit_mut(f)),
            _ => {}
        }
    }
}
