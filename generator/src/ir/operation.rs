//! Operations: what a client calls and a server answers, with their parameters, bodies and responses.

use serde::Serialize;

use super::*;

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
    /// The operation's own servers (`servers` of the operation, else of its path), where they
    /// differ from the API's; empty, it is served where the API is.
    pub servers: Vec<Server>,
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
    /// `allowEmptyValue` of a query parameter, where the spec states it: `true`, an empty value
    /// (`?name=`) is the parameter sent without a value; `false`, an empty value is not allowed.
    /// Unstated, an empty value is read as the schema reads the empty text (OpenAPI's default of
    /// `false` is not applied: most specs that leave it out accept empty strings).
    pub allow_empty_value: Option<bool>,
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
    /// A cookie's `name=value` pairs as RFC 6265 writes them, values neither escaped nor decoded
    /// (OpenAPI 3.2).
    Cookie,
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
    /// The items of a server-sent event stream are whole events, not their data: the schema is a
    /// `oneOf` (or `anyOf`) of event objects told apart by their `event`, so that each item's
    /// `event`, `data`, `id` and `retry` travel as the event's fields.
    pub whole_events: bool,
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
