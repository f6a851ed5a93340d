//! What goes over the wire, as both the client (which writes it) and the server (which reads it)
//! see it: which media types of a body the crates handle, how each property of a form or multipart
//! body is written, and the shapes and styles of parameters and form properties.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::rust::qualified_type;
use crate::ir::{Api, Content, Framing, Header, Operation, ParamStyle, RequestBody, Response, Struct, TypeKind, TypeRef};

/// How a body of one media type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// `application/json` and every `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Bytes as they are: `application/octet-stream`, images, any `format: binary` body.
    Binary,
    /// Text as it is: `text/*` with a string schema (or none), any other media type but JSON,
    /// forms and multipart with a string schema.
    Text,
    /// A sequential media type (server-sent events, JSON Lines, JSON text sequences): items
    /// written as they come and read as they arrive, each of the content's type.
    Stream,
}

impl BodyKind {
    /// The variant of the body enum of an operation that accepts several kinds.
    pub fn variant(self) -> proc_macro2::Ident {
        format_ident!("{}", format!("{self:?}"))
    }
}

/// One media type of a body the crates handle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyMedia<'a> {
    pub kind: BodyKind,
    pub content: &'a Content,
}

impl BodyMedia<'_> {
    /// Whether the body may be `null` where its type has no `null` of its own: a JSON body whose
    /// schema admits `null`, held as an `Option` (text, bytes, forms and parts have no `null`).
    pub fn nullable(&self) -> bool {
        self.kind == BodyKind::Json && self.content.nullable && self.content.ty.as_ref().is_some_and(|t| !t.holds_null())
    }
}

/// What kind of body `content` is, if the crates can write and read it.
pub(crate) fn kind_of(content: &Content) -> Option<BodyKind> {
    if content.sequence.is_some() {
        return Some(BodyKind::Stream);
    }
    let media = content.media_type.to_ascii_lowercase();
    let binary = matches!(content.ty, Some(TypeRef::Binary | TypeRef::Bytes) | None);
    if media == "application/json" || media.ends_with("+json") {
        Some(BodyKind::Json)
    } else if media == "application/x-www-form-urlencoded" {
        // Without a schema there are no fields to write: the body is bytes as they are.
        Some(if content.ty.is_some() { BodyKind::Form } else { BodyKind::Binary })
    } else if media.starts_with("multipart/") {
        Some(if content.ty.is_some() { BodyKind::Multipart } else { BodyKind::Binary })
    } else if media.starts_with("text/") && matches!(content.ty, Some(TypeRef::String) | None) {
        Some(BodyKind::Text)
    } else if content.ty == Some(TypeRef::String) {
        // A string in a media type other than JSON (XML, Spotify's base64 `image/jpeg`) is text as
        // it is, not a JSON string: bytes that are no text are `format: binary`.
        Some(BodyKind::Text)
    } else if binary {
        Some(BodyKind::Binary)
    } else {
        None
    }
}

/// The media types of `body` the crates handle, the first of each kind, in spec order. A body
/// whose media types are all of other kinds (XML, say) is sent and read as its first as JSON, as
/// before this distinction.
pub(crate) fn medias(body: &RequestBody) -> Vec<BodyMedia<'_>> {
    let mut out: Vec<BodyMedia<'_>> = Vec::new();
    for content in &body.content {
        if let Some(kind) = kind_of(content) {
            if !out.iter().any(|m| m.kind == kind) {
                out.push(BodyMedia { kind, content });
            }
        }
    }
    if out.is_empty() {
        if let Some(content) = body.content.first() {
            out.push(BodyMedia { kind: BodyKind::Json, content });
        }
    }
    out
}

/// The name of the body enum of an operation that accepts several kinds of body (in the client
/// and the server crate alike).
pub(crate) fn enum_name(op: &Operation) -> Ident {
    format_ident!("{}Body", op.name.to_upper_camel_case())
}

/// The Rust type of a body of one media type: its schema's (an `Option` of it when the body may
/// be `null`), else bytes or text or any JSON; a stream's, as the server reads it.
pub(crate) fn value_type(media: &BodyMedia<'_>, models: &TokenStream) -> TokenStream {
    match (&media.content.ty, media.kind) {
        (_, BodyKind::Stream) => {
            let item = stream_item(media.content, models);
            quote!(generator_runtime::server::Incoming<#item>)
        }
        (Some(ty), _) if media.nullable() => {
            let ty = qualified_type(ty, Some(models));
            quote!(Option<#ty>)
        }
        (Some(ty), _) => qualified_type(ty, Some(models)),
        (None, BodyKind::Binary) => quote!(Vec<u8>),
        (None, BodyKind::Text) => quote!(String),
        (None, _) => quote!(serde_json::Value),
    }
}

/// The type of one item of a streamed body: an `Event` of the data for server-sent events, else
/// the record's type.
pub(crate) fn stream_item(content: &Content, models: &TokenStream) -> TokenStream {
    let data = match (&content.ty, content.sequence) {
        (Some(ty), _) => qualified_type(ty, Some(models)),
        (None, Some(Framing::EventStream)) => quote!(String),
        (None, _) => quote!(serde_json::Value),
    };
    match content.sequence {
        Some(Framing::EventStream) => quote!(generator_runtime::stream::Event<#data>),
        _ => data,
    }
}

/// Whether the items of a stream are text as it is (an event's data without a schema, or of a
/// string), not JSON.
pub(crate) fn stream_of_text(content: &Content) -> bool {
    content.sequence == Some(Framing::EventStream) && matches!(content.ty, Some(TypeRef::String) | None)
}

/// The media types of `kind` among `body`'s, lower case: what the server accepts for it (for a
/// stream, those framed as the first stream is).
pub(crate) fn accepted(body: &RequestBody, kind: BodyKind) -> Vec<String> {
    let framing = body.content.iter().find_map(|c| c.sequence);
    body.content
        .iter()
        .filter(|c| (kind_of(c) == Some(kind) && (kind != BodyKind::Stream || c.sequence == framing)) || (kind == BodyKind::Json && kind_of(c).is_none()))
        .map(|c| c.media_type.to_ascii_lowercase())
        .collect()
}

/// How a value is shaped as a parameter or form property on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireShape {
    /// A string, number, boolean, enum, or union of such (written as its member is).
    Scalar,
    /// An array.
    List,
    /// An object or map.
    Object,
    /// A union of scalars and a list (`oneOf: [string, array]`): the list where the parameter's
    /// name repeats.
    ScalarOrList,
}

/// The wire shape of a value of `ty`.
pub(crate) fn wire_shape(api: &Api, ty: &TypeRef) -> WireShape {
    match api.resolved(ty) {
        TypeRef::List(_) | TypeRef::Tuple(_) => WireShape::List,
        TypeRef::Map(_) => WireShape::Object,
        TypeRef::Named(name) => match api.type_def(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(_)) => WireShape::Object,
            Some(TypeKind::Union(members)) if scalars_or_list(api, members) => WireShape::ScalarOrList,
            _ => WireShape::Scalar,
        },
        _ => WireShape::Scalar,
    }
}

/// Whether a union's members are a list and scalars (no object, no other union): what a query
/// tells apart by whether the name repeats.
fn scalars_or_list(api: &Api, members: &[TypeRef]) -> bool {
    let kinds: Vec<Option<WireShape>> = members
        .iter()
        .map(|m| match api.resolved(m) {
            TypeRef::List(_) | TypeRef::Tuple(_) => Some(WireShape::List),
            TypeRef::Map(_) | TypeRef::Any | TypeRef::External(_) => None,
            TypeRef::Named(name) => match api.type_def(name).map(|d| &d.kind) {
                Some(TypeKind::Enum(_)) => Some(WireShape::Scalar),
                _ => None,
            },
            _ => Some(WireShape::Scalar),
        })
        .collect();
    kinds.contains(&Some(WireShape::List)) && kinds.contains(&Some(WireShape::Scalar)) && !kinds.contains(&None)
}

/// The runtime's `Shape` for a wire shape.
pub(crate) fn shape_tokens(shape: WireShape) -> TokenStream {
    match shape {
        WireShape::Scalar => quote!(Shape::Scalar),
        WireShape::List => quote!(Shape::List),
        WireShape::Object => quote!(Shape::Object),
        WireShape::ScalarOrList => quote!(Shape::ScalarOrList),
    }
}

/// The runtime's `Encoding` of a style and explode.
pub(crate) fn style_tokens(style: ParamStyle, explode: bool) -> TokenStream {
    let style = format_ident!("{style:?}");
    quote!(Encoding::new(Style::#style, #explode))
}

/// The `FieldEncoding`s of a form body: its properties the spec's `encoding` writes otherwise than
/// by default.
pub(crate) fn form_fields(api: &Api, content: &Content) -> TokenStream {
    let fields = content.ty.as_ref().and_then(|t| api.struct_of(t)).map(|(_, s)| s);
    let entries = content.encoding.iter().filter_map(|e| {
        let (style, explode) = e.style?;
        let shape = fields.and_then(|s| s.fields.iter().find(|f| f.wire_name == e.property)).map_or(WireShape::Scalar, |f| wire_shape(api, &f.ty));
        let shape = shape_tokens(shape);
        let property = &e.property;
        let encoding = style_tokens(style, explode);
        Some(quote!(FieldEncoding::new(#property, #shape, #encoding)))
    });
    quote!(&[#(#entries),*])
}

/// The body struct of a multipart body, if its schema is one.
pub(crate) fn multipart_struct<'a>(api: &'a Api, content: &'a Content) -> Option<(&'a str, &'a Struct)> {
    content.ty.as_ref().and_then(|t| api.struct_of(t))
}

/// The declared media type of multipart property `wire`, if any.
pub(crate) fn part_type<'a>(content: &'a Content, wire: &str) -> Option<&'a str> {
    content.encoding.iter().find(|e| e.property == wire).and_then(|e| e.content_type.as_deref())
}

/// Whether a property is a file: its bytes go in a part of their own.
pub(crate) fn is_file(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Binary | TypeRef::Bytes)
}

/// The content of a response the crates write and read whole: its first of a kind they handle
/// that is no stream, else its first (read as JSON), with that kind.
pub(crate) fn answer(content: &[Content]) -> Option<BodyMedia<'_>> {
    // A stream beside another body is read by a method of its own.
    content
        .iter()
        .filter(|c| c.sequence.is_none())
        .find_map(|c| kind_of(c).filter(|k| !matches!(k, BodyKind::Form | BodyKind::Multipart)).map(|kind| BodyMedia { kind, content: c }))
        .or_else(|| content.first().map(|c| BodyMedia { kind: BodyKind::Json, content: c }))
}

/// Whether HTTP itself writes response header `name`: the body's framing and media type. A
/// server's implementation does not set it, whatever the spec documents (a `Content-Length` it
/// chose would break the answer); a client reads what came.
pub(crate) fn set_by_http(name: &str) -> bool {
    ["content-length", "content-type", "transfer-encoding", "connection"].iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// The documented headers of `response` an implementation answers: all but those HTTP writes.
pub(crate) fn answered_headers(response: &Response) -> Vec<&Header> {
    response.headers.iter().filter(|h| !set_by_http(&h.wire_name)).collect()
}
