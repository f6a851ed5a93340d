//! IR: the resolved, named, language-neutral description of an API that every emitter reads.
//!
//! Everything here is plain data: no token streams, no `openapiv3` types, every `$ref` resolved and
//! every name decided (by [`naming`]). Collections keep a deterministic order: types sorted by name,
//! operations in the order of the spec's paths and of [`Method::ALL`].

pub mod carry;
mod lower;
mod method;
pub mod naming;
pub mod routes;
pub mod select;
pub mod stream;

use serde::Serialize;

use crate::diag::Location;

pub use lower::{lower, lower_with};
pub use method::Method;
pub use select::Selection;
pub use stream::Framing;

/// Whether `name` is an RFC 9110 token (§5.6.2), as header field names and authorization scheme
/// names must be.
pub fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b))
}

/// How lowering maps schemas to Rust types the user already has, instead of generating them, and
/// whether it builds what the mock answers from.
///
/// A component schema can also name its type itself with typify's `x-rust-type` extension
/// (`{crate: my-crate, version: "1", path: my_crate::Pet}`); the crate then becomes a dependency of
/// the generated crates. A replacing type must implement what the generated code asks of the type
/// it replaces: `serde::Serialize`, `serde::Deserialize`, `Clone`, `Debug` and `PartialEq`, plus
/// `Display` and `FromStr` when it travels in a path, query or header parameter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Component schema name -> Rust type path: the schema is that type (typify's replacements).
    pub replace: std::collections::BTreeMap<String, String>,
    /// `format` -> Rust type path: every schema of that format is that type (e.g. `decimal` ->
    /// `rust_decimal::Decimal`).
    pub formats: std::collections::BTreeMap<String, String>,
    /// Whether to build [`Api::answers`] (which also judges each answer's documented examples
    /// against its schema): the server crate's mock needs it; a review or a dump of the IR does
    /// not pay for it.
    pub answers: bool,
}

/// One API description (one spec file), lowered.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Api {
    /// Rust module name for this API in the generated crates (e.g. `v2`).
    pub module: String,
    /// The spec file, as named in diagnostics.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.summary` (OpenAPI 3.1).
    pub summary: Option<String>,
    /// The API's license: its SPDX identifier, or its name.
    pub license: Option<String>,
    /// Every file the API was read from: the spec first, then its overlays and the files it references.
    pub inputs: Vec<String>,
    /// The OpenAPI Overlays applied to the spec, in order.
    pub overlays: Vec<String>,
    /// Crates that types of the API come from (`x-rust-type`), as `Cargo.toml` dependency lines.
    pub dependencies: Vec<String>,
    /// Server URLs from `servers`, in spec order.
    pub servers: Vec<String>,
    /// Tags in spec order, then tags used by operations but never declared.
    pub tags: Vec<Tag>,
    /// Security schemes, declared or assumed.
    pub security_schemes: Vec<SecurityScheme>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Requests the API sends rather than receives (3.1 `webhooks`, 3.0 `callbacks`), in spec order.
    pub webhooks: Vec<Webhook>,
    /// Type definitions sorted by name.
    pub types: Vec<TypeDef>,
    /// The documented JSON examples and the type each illustrates, in the order lowering met them.
    pub examples: Vec<Example>,
    /// What answers are made of, for a mock: the JSON Schema (2020-12) of every answer body and
    /// header, each at its pointer in the bundled document ([`Content::schema`],
    /// [`Header::schema`]), with every schema their `$ref`s reach, and the answers' documented
    /// examples at theirs ([`MediaExample::at`]). Not part of the printed IR.
    #[serde(skip)]
    pub answers: serde_json::Value,
}

/// A documented example value: a schema's `example`, or a JSON media type's `example` or one of its
/// `examples` (those in `components.examples` included, as referred to).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// JSON pointer of the value in the (bundled) document.
    pub at: String,
    /// JSON pointer of the schema it illustrates.
    pub schema: String,
    /// The type that schema became.
    pub ty: TypeRef,
    /// Whether the schema also admits `null` (the Rust type is an `Option`).
    pub nullable: bool,
    /// The value.
    pub value: serde_json::Value,
}

/// Whether a media type is JSON: `application/json` or any `+json` type, parameters aside.
pub fn is_json_media(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

impl Api {
    /// The type definition named `name` (a binary search: `types` is sorted by name).
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.types[i])
    }

    /// What `ty` stands for once aliases are followed (itself when it is no alias).
    pub fn resolved<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut current = ty;
        // Alias chains are acyclic (lowering rejects cycles); the bound only guards against surprises.
        for _ in 0..32 {
            match current {
                TypeRef::Named(name) => match self.type_def(name).map(|d| &d.kind) {
                    Some(TypeKind::Alias(target)) => current = target,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// True when `ty` is, through aliases, a struct or a union: a value that may be large.
    pub fn is_compound(&self, ty: &TypeRef) -> bool {
        matches!(self.resolved(ty), TypeRef::Named(n) if matches!(self.type_def(n).map(|d| &d.kind), Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Tagged(_))))
    }

    /// The struct `ty` is, through aliases, with its name.
    pub fn struct_of(&self, ty: &TypeRef) -> Option<(&str, &Struct)> {
        let mut current = ty;
        // Alias chains are acyclic (lowering rejects cycles); the bound only guards against surprises.
        for _ in 0..32 {
            let TypeRef::Named(name) = current else { return None };
            let def = self.type_def(name)?;
            match &def.kind {
                TypeKind::Struct(s) => return Some((def.name.as_str(), s)),
                TypeKind::Alias(target) => current = target,
                _ => return None,
            }
        }
        None
    }
}

/// A tag grouping operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    /// The tag as written in the spec.
    pub name: String,
    /// Rust-friendly snake_case form of the name.
    pub ident: String,
    /// `x-displayName`, the `summary` (OpenAPI 3.2), or the name.
    pub display_name: String,
    /// The tag's description.
    pub description: Option<String>,
    /// The tag it is nested in (OpenAPI 3.2 `parent`), as written: a declared tag, never itself
    /// or one nested in it.
    pub parent: Option<String>,
    /// What the tag is for (OpenAPI 3.2 `kind`: `nav`, `badge`, `audience`, …), as written.
    pub kind: Option<String>,
}

/// How an operation authenticates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityScheme {
    /// The scheme's key in `components/securitySchemes`.
    pub name: String,
    /// What it is.
    pub kind: SecurityKind,
    /// Its description.
    pub description: Option<String>,
    /// False when the spec used the scheme without defining it and the generator assumed `kind`.
    pub declared: bool,
    /// Other names an HTTP scheme goes by in `Authorization` (`JWT` for Docker Hub's bearer
    /// tokens), from the scheme's `x-scheme-aliases` extension.
    pub aliases: Vec<String>,
}

/// The kinds of security scheme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SecurityKind {
    /// `Authorization: Basic …`.
    Basic,
    /// `Authorization: Bearer …`.
    Bearer,
    /// `Authorization: <Scheme> …` for another HTTP scheme (e.g. `Token`).
    HttpOther(String),
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where: `header`, `query` or `cookie`.
        location: String,
        /// Header, parameter or cookie name.
        name: String,
    },
    /// OAuth 2 or OpenID Connect: a bearer token obtained elsewhere.
    OAuth2,
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// snake_case name, unique within the API.
    pub name: String,
    /// The spec's `operationId`, if any.
    pub operation_id: Option<String>,
    /// The method.
    pub method: Method,
    /// The path template as written, e.g. `/v2/access-tokens/{uuid}`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// What the spec announces of its future: sunset and stability level.
    pub lifecycle: Lifecycle,
    /// Parameters: path-level ones merged with the operation's, path parameters first in path order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Responses by status, in ascending order, `default` last.
    pub responses: Vec<Response>,
    /// Alternative security requirements (any one suffices); empty means none needed.
    pub security: Vec<Vec<String>>,
    /// The login this operation performs (`x-login`, or recognised by names, with a warning).
    pub login: Option<Login>,
    /// How this listing is walked page by page (`x-pagination`, or recognised by names, with a
    /// warning).
    pub pagination: Option<Pagination>,
    /// The name of the client method reading the streamed answer, where a success status
    /// documents a stream beside another body (JSON and server-sent events): unique among the
    /// operations' names. Where the stream is the only answer, the operation's own method reads it.
    pub stream_name: Option<String>,
    /// Where the operation is defined.
    pub location: Location,
}

/// What a spec announces of an operation's future, as written: for a review to tell a planned
/// removal from a breaking one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    /// `x-sunset`, or the example of a documented `Sunset` response header (RFC 8594): the date
    /// from which it may be gone (`2025-06-30`, or an HTTP date as that header writes it).
    pub sunset: Option<String>,
    /// `x-stability-level` (`alpha`, `beta`, `stable`, …).
    pub stability: Option<String>,
}

/// An operation that logs in, issuing a bearer token the client keeps (`x-login`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Login {
    /// A first step (`password`) or the completion of a second factor (`second-factor`).
    pub kind: LoginKind,
    /// The success body's field holding the bearer token (wire name).
    pub token: String,
    /// For a password login: the error body field that, when present, asks for a second factor
    /// (wire name), and the status of that answer.
    pub challenge: Option<(u16, String)>,
}

/// What a login operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LoginKind {
    /// Takes the account's secrets (the body's required text fields) and answers a token.
    Password,
    /// Completes a login with a second factor code and the challenge's token.
    SecondFactor,
}

/// How a listing is walked (`x-pagination`): every name is a wire name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// Page numbers (`page`) or start indices (`index`, SCIM's `startIndex`).
    pub style: PageStyle,
    /// The query parameter of the page number or start index.
    pub cursor: String,
    /// The query parameter of the page size or count.
    pub size: String,
    /// The success body's list field holding the items.
    pub items: String,
    /// The success body's link to the next page, if it has one.
    pub next: Option<String>,
    /// The success body's total count (index style), if it has one.
    pub total: Option<String>,
}

/// How pages are addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PageStyle {
    /// Page numbers from 1.
    Page,
    /// 1-based start indices of the first item (RFC 7644 §3.4.2.4).
    Index,
}

/// A request the API sends to its users rather than receives: a 3.1 webhook or a 3.0 callback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// The webhook's name, or the callback's key.
    pub name: String,
    /// For a callback: the operation that registers it and the expression giving the URL it is sent to.
    pub callback: Option<Callback>,
    /// The request sent and the answers expected, as an operation (its `path` is the webhook's name
    /// or the callback's URL expression).
    pub operation: Operation,
}

/// Where a callback comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Callback {
    /// The name of the operation whose request registers the callback.
    pub operation: String,
    /// The runtime expression of the URL (e.g. `{$request.body#/callbackUrl}`).
    pub expression: String,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In a cookie.
    Cookie,
    /// The whole query string as one value (OpenAPI 3.2 `in: querystring`), given by `content`
    /// ([`ParamEncoding::Content`]): a form or JSON.
    QueryString,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// snake_case Rust name, unique within the operation.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// Whether it must be sent.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Its description.
    pub doc: Option<String>,
    /// Its schema admits `null`.
    pub nullable: bool,
    /// Validation rules.
    pub constraints: Constraints,
    /// The default value, as JSON.
    pub default: Option<serde_json::Value>,
    /// How it is written on the wire: `style` and `explode` (the location's defaults filled in),
    /// `allowReserved`, or a media type when the spec gives it by `content`.
    pub encoding: ParamEncoding,
    /// JSON pointer of its schema in the document, for tools that judge values by the spec's own
    /// words (the round-trip check, a mock server); `None` where the spec gives none.
    pub schema: Option<String>,
    /// Marked `deprecated`: its removal was announced.
    pub deprecated: bool,
}

/// How a parameter is written on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParamEncoding {
    /// A `style`, whether it explodes, and whether reserved characters go unescaped.
    Style {
        /// The style.
        style: ParamStyle,
        /// `explode`.
        explode: bool,
        /// `allowReserved` (query only).
        allow_reserved: bool,
    },
    /// The value serialized as this media type (`content`; in practice JSON text).
    Content(String),
}

impl ParamEncoding {
    /// The default of a location: `form` exploded for query and cookie, `simple` for path and header.
    pub fn default_for(location: ParamLocation) -> ParamEncoding {
        let (style, explode) = match location {
            ParamLocation::Query | ParamLocation::Cookie | ParamLocation::QueryString => (ParamStyle::Form, true),
            ParamLocation::Path | ParamLocation::Header => (ParamStyle::Simple, false),
        };
        ParamEncoding::Style { style, explode, allow_reserved: false }
    }
}

/// OpenAPI's parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamStyle {
    /// `name=value`.
    Form,
    /// Array items joined by spaces.
    SpaceDelimited,
    /// Array items joined by `|`.
    PipeDelimited,
    /// `name[key]=value`.
    DeepObject,
    /// Comma-separated.
    Simple,
    /// `.value`.
    Label,
    /// `;name=value`.
    Matrix,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// Whether it must be sent.
    pub required: bool,
    /// Its description.
    pub doc: Option<String>,
    /// Accepted media types with their types, in spec order.
    pub content: Vec<Content>,
}

/// A body of one media type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// e.g. `application/json`.
    pub media_type: String,
    /// The body type; `None` when the spec gives no schema.
    pub ty: Option<TypeRef>,
    /// The schema admits `null` as the whole body.
    pub nullable: bool,
    /// Validation rules of the body schema itself (an array's `minItems`, a text's `maxLength`).
    pub constraints: Constraints,
    /// How properties of a form or multipart body are written (the media type's `encoding`), by
    /// property; properties not listed are written the default way.
    pub encoding: Vec<PropertyEncoding>,
    /// JSON pointer of the body's schema in the document; `None` where the spec gives none.
    pub schema: Option<String>,
    /// The media type's documented examples (JSON media types), in spec order.
    pub examples: Vec<MediaExample>,
    /// How the items of a sequential media type (server-sent events, JSON Lines, JSON text
    /// sequences) are framed; `ty` is then the type of one item (an event's `data`).
    pub sequence: Option<Framing>,
}

/// One documented example of a media type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaExample {
    /// Its key under `examples`; `None` for the media type's `example`.
    pub name: Option<String>,
    /// JSON pointer of its value in the document (in `components/examples` where referred to).
    pub at: String,
}

/// How one property of a form or multipart body is written (an `encoding` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyEncoding {
    /// The property's wire name.
    pub property: String,
    /// The part's media type (multipart), e.g. `image/png` or `application/json`.
    pub content_type: Option<String>,
    /// Its style and explode (forms), when the spec sets either.
    pub style: Option<(ParamStyle, bool)>,
}

/// A response status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

impl Status {
    /// True for 2xx codes and the 2XX range.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    /// The status.
    pub status: Status,
    /// The description.
    pub doc: Option<String>,
    /// Declared response headers, in spec order.
    pub headers: Vec<Header>,
    /// Bodies by media type; empty for no body.
    pub content: Vec<Content>,
}

/// A response header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// snake_case Rust name.
    pub name: String,
    /// The header name as written.
    pub wire_name: String,
    /// Whether it is always sent.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Its description.
    pub doc: Option<String>,
    /// The security scheme whose credential this header carries (`x-credential-for`): a client keeps
    /// the value and presents it for that scheme on later calls.
    pub credential_for: Option<String>,
    /// JSON pointer of its schema in the document; `None` where the spec gives none.
    pub schema: Option<String>,
}

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
    /// What a value with another tag, or none, is read as: the base schema's own struct; without
    /// one, the variants are tried in order, as a union's members are.
    pub fallback: Option<TypeRef>,
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

impl Api {
    /// Calls `f` on every type reference of the API: fields, extra properties, alias targets,
    /// union members, parameters, bodies and headers of operations and webhooks.
    pub(crate) fn for_each_type_ref_mut(&mut self, f: &mut dyn FnMut(&mut TypeRef)) {
        for def in &mut self.types {
            match &mut def.kind {
                TypeKind::Struct(s) => s.fields.iter_mut().map(|field| &mut field.ty).chain(s.additional.as_mut()).for_each(&mut *f),
                TypeKind::Alias(target) => f(target),
                TypeKind::Union(members) => members.iter_mut().for_each(&mut *f),
                TypeKind::Tagged(t) => t.variants.iter_mut().map(|v| &mut v.ty).chain(t.fallback.as_mut()).for_each(&mut *f),
                TypeKind::Enum(_) => {}
            }
        }
        for op in self.operations.iter_mut().chain(self.webhooks.iter_mut().map(|w| &mut w.operation)) {
            op.params.iter_mut().for_each(|p| f(&mut p.ty));
            for content in op.body.iter_mut().flat_map(|b| &mut b.content).chain(op.responses.iter_mut().flat_map(|r| &mut r.content)) {
                if let Some(ty) = &mut content.ty {
                    f(ty);
                }
            }
            op.responses.iter_mut().flat_map(|r| &mut r.headers).for_each(|h| f(&mut h.ty));
        }
        self.examples.iter_mut().for_each(|e| f(&mut e.ty));
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
