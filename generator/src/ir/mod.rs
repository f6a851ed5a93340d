//! IR: the resolved, named, language-neutral description of an API that every emitter reads.
//!
//! Everything here is plain data: no token streams, no `openapiv3` types, every `$ref` resolved and
//! every name decided (by [`naming`]). Collections keep a deterministic order: types sorted by name,
//! operations in the order of the spec's paths and of [`Method::ALL`].

pub mod carry;
mod lower;
mod method;
pub mod naming;
mod operation;
pub mod routes;
pub mod select;
pub mod stream;
mod types;

use serde::Serialize;

use crate::diag::Location;

pub use lower::{lower, lower_with};
pub use method::Method;
pub use select::Selection;
pub use stream::Framing;
pub use operation::*;
pub use types::*;

/// Whether `name` is an RFC 9110 token (§5.6.2), as header field names and authorization scheme
/// names must be.
pub fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b))
}

/// The `{name}`s of a template (a path, a server URL), in order.
pub fn template_names(template: &str) -> impl Iterator<Item = &str> {
    template.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
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
    /// The servers of `servers`, in spec order.
    pub servers: Vec<Server>,
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

/// A server the API (or one operation) is served from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    /// Its URL as written, with `{variables}` (a scheme-relative `//host` read as `https://host`).
    pub url: String,
    /// The URL with every variable at its default: where a client sends unless told otherwise.
    pub default_url: String,
    /// Its name (OpenAPI 3.2).
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// The variables of its URL, in spec order.
    pub variables: Vec<ServerVariable>,
}

/// A variable of a server's URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerVariable {
    /// Its name, as written between braces.
    pub name: String,
    /// Its default value.
    pub default: String,
    /// The values it may take (`enum`); any, when empty.
    pub values: Vec<String>,
    /// Its description.
    pub description: Option<String>,
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
