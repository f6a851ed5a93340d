//! The report's data: plain, serializable, sorted, so that the Markdown and JSON renderings and the
//! tests all read the same thing.

use serde::Serialize;

use super::classify::{Breaks, Side};
use super::code::CodeDiff;
use crate::diag::Location;
use crate::ir::Method;

/// Everything that changed between two versions of a family of APIs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The old spec files, as named in locations.
    pub old: Vec<String>,
    /// The new spec files, as named in locations.
    pub new: Vec<String>,
    /// Counts over every change of every API.
    pub summary: Summary,
    /// One entry per API module, sorted by module; modules without changes are left out.
    pub apis: Vec<ApiChanges>,
    /// The change to the generated crates' public items, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeDiff>,
    /// What the generator assumed reading each spec (the old one's, then the new one's), for
    /// the terminal; not part of the report.
    #[serde(skip)]
    pub assumed: Vec<crate::Warning>,
}

/// How many changes break whom.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Changes that break clients (a change breaking both is counted here and for servers).
    pub breaking_for_clients: usize,
    /// Changes that break servers.
    pub breaking_for_servers: usize,
    /// Changes that break nobody on the wire.
    pub non_breaking: usize,
    /// Changes that break code against the generated crates (whatever they do on the wire).
    pub breaking_code: usize,
    /// Announced removals (deprecated past their sunset, or alpha or beta): non-breaking on the wire.
    pub planned: usize,
    /// Items whose descriptions, summaries or tags changed (never breaking; not in the other counts).
    pub documentation: usize,
}

/// The changes of one API (one spec file, one generated module).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiChanges {
    /// The module its items are generated into (e.g. `v2`).
    pub module: String,
    /// The old spec file, if the module existed before.
    pub old_source: Option<String>,
    /// The new spec file, if the module still exists.
    pub new_source: Option<String>,
    /// Changes to the API as a whole: servers and security schemes.
    pub api: Vec<Change>,
    /// Operations added, removed or changed (directly or through the types they use), by path and method.
    pub operations: Vec<OperationChanges>,
    /// Named types added, removed or changed, by name.
    pub types: Vec<TypeChanges>,
    /// Documentation-only changes, by item.
    pub documentation: Vec<DocChange>,
}

/// Whether an item is new, gone, or in both versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with changes.
    Changed,
}

/// The changes of one operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationChanges {
    /// The HTTP method (`GET`, … in JSON).
    #[serde(serialize_with = "method_on_the_wire")]
    pub method: Method,
    /// The path template.
    pub path: String,
    /// Added, removed or changed.
    pub status: ItemStatus,
    /// Where it is in the old spec.
    pub old: Option<Location>,
    /// Where it is in the new spec.
    pub new: Option<Location>,
    /// Changes to the operation itself (its parameters, bodies, responses, security).
    pub changes: Vec<Change>,
    /// Changed types this operation reaches; their changes are listed once, under each type.
    pub through_types: Vec<String>,
}

fn method_on_the_wire<S: serde::Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

impl OperationChanges {
    /// `GET /path`, as the report names operations.
    pub fn title(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }
}

/// The changes of one named type, listed once however many operations reach it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeChanges {
    /// The type's name (the new one when it was renamed).
    pub name: String,
    /// The old name, when the generator names it differently now.
    pub old_name: Option<String>,
    /// The component schema it is, or `None` for a schema written inline.
    pub schema: Option<String>,
    /// Added, removed or changed.
    pub status: ItemStatus,
    /// Where it is in the old spec.
    pub old: Option<Location>,
    /// Where it is in the new spec.
    pub new: Option<Location>,
    /// Every operation that reaches it in either version, and on which side.
    pub used_by: Vec<Use>,
    /// Types that hold the same fields (through `allOf`) and changed the same way: their identical
    /// changes are listed here only, and their operations are in `used_by`.
    pub included_in: Vec<String>,
    /// The changes.
    pub changes: Vec<Change>,
}

/// An operation that reaches a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Use {
    /// `GET /path`.
    pub operation: String,
    /// Where in the operation: its request, its responses, or both.
    pub sides: Vec<Side>,
}

/// One change, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// A stable name of the change for CI to refer to (an ignore file, an annotation), derived
    /// from what changed and nothing else (see `Report::assign_ids`): in a type or the API as a
    /// whole, `<kind>:#<JSON pointer>` (`field_removed:#/components/schemas/Pet/properties/tag`);
    /// in an operation, `<kind>:<METHOD> <path>[:<element>]`
    /// (`parameter_added:GET /pets:parameters/query/owner`).
    pub id: String,
    /// The changed element, as the id names it: a path from the operation
    /// (`parameters/query/owner`, `responses/200/content/application~1json`), from the type
    /// (`properties/tag`, `enum`), or from the document's root for the API's parts
    /// (`/servers/…`); empty for the operation or type as a whole.
    pub element: String,
    /// What kind of change it is.
    pub kind: ChangeKind,
    /// The element that changed, e.g. ``query parameter `page` `` or ``field `token_label` ``.
    pub subject: String,
    /// How it changed, in words, e.g. `was optional, now required`.
    pub detail: String,
    /// Which way data flows through the element; empty for a type no operation uses.
    pub sides: Vec<Side>,
    /// Whom it breaks on the wire: calls or answers that worked stop working (the rule table).
    pub breaks: Breaks,
    /// An announced removal (see the deprecation policy in the module docs): it breaks nobody on
    /// the wire, and `--fail-on planned` fails on it.
    pub planned: bool,
    /// Whose code against the generated crates may stop compiling once they are regenerated: an
    /// item it names is gone or has another type (a `match` arm naming a removed enum variant,
    /// a field now `f64` where it was `i64`).
    pub code: Breaks,
    /// Where the changed operation or type is in the old spec.
    pub old: Option<Location>,
    /// Where it is in the new spec.
    pub new: Option<Location>,
}

/// The kinds of change the report distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// The operation's `deprecated` mark changed.
    DeprecatedChanged,
    /// The `operationId` changed (generated method names may follow).
    OperationIdChanged,
    /// The security requirements changed.
    SecurityChanged,
    /// A path parameter has another name (`/books/{bookId}` → `/books/{id}`): the same operation.
    PathParameterRenamed,
    /// Path parameters trade places (`/{a}/{b}` → `/{b}/{a}`): the same path on the wire, but each
    /// value sent now means the other parameter.
    PathParametersMoved,
    /// A new parameter.
    ParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// A request body where there was none.
    RequestBodyAdded,
    /// The request body is gone.
    RequestBodyRemoved,
    /// A new media type of a request or response body.
    MediaTypeAdded,
    /// A media type of a request or response body is gone.
    MediaTypeRemoved,
    /// A newly documented response status.
    ResponseAdded,
    /// A documented response status is gone.
    ResponseRemoved,
    /// A new response header.
    HeaderAdded,
    /// A response header is gone.
    HeaderRemoved,
    /// A new field of an object.
    FieldAdded,
    /// A field of an object is gone.
    FieldRemoved,
    /// Required became optional or the other way round.
    RequiredChanged,
    /// `nullable` changed.
    NullableChanged,
    /// The type of an element changed.
    TypeChanged,
    /// Validation rules (lengths, bounds, pattern, format, allowed values) changed.
    ConstraintsChanged,
    /// The default value changed.
    DefaultChanged,
    /// `readOnly` or `writeOnly` changed.
    AccessChanged,
    /// New values of a string enum.
    EnumValuesAdded,
    /// Values of a string enum are gone.
    EnumValuesRemoved,
    /// New alternatives of a `oneOf`/`anyOf`.
    UnionMembersAdded,
    /// Alternatives of a `oneOf`/`anyOf` are gone.
    UnionMembersRemoved,
    /// Whether (or of which type) further, unnamed properties are allowed.
    AdditionalPropertiesChanged,
    /// A new component schema.
    TypeAdded,
    /// A component schema is gone.
    TypeRemoved,
    /// A new server URL.
    ServerAdded,
    /// A server URL is gone.
    ServerRemoved,
    /// The servers of one operation (its own `servers`, or the API's) changed.
    OperationServersChanged,
    /// A security scheme was added, removed or changed kind.
    SecuritySchemeChanged,
}

/// Documentation-only changes of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocChange {
    /// The item, e.g. ``GET /v2/users/login`` or ``type `AccessToken` ``.
    pub item: String,
    /// What changed, e.g. `summary`, ``description of field `token_label` ``.
    pub what: Vec<String>,
    /// Where the item is in the old spec.
    pub old: Option<Location>,
    /// Where it is in the new spec.
    pub new: Option<Location>,
}

impl Report {
    /// True when any change breaks clients or servers: what `--fail-on-breaking` fails on.
    pub fn is_breaking(&self) -> bool {
        self.summary.breaking_for_clients > 0 || self.summary.breaking_for_servers > 0
    }

    /// True when nothing at all changed (documentation included; the code diff is not looked at).
    pub fn is_empty(&self) -> bool {
        self.apis.is_empty()
    }

    /// Every judged change of every API, in report order.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.apis.iter().flat_map(|a| {
            a.api.iter().chain(a.operations.iter().flat_map(|o| &o.changes)).chain(a.types.iter().flat_map(|t| &t.changes))
        })
    }

    /// Names every change ([`Change::id`]) after its kind and its place: the operation
    /// (`GET /path`) and the element in it, or the JSON pointer of the changed type (in the new
    /// spec, or the old one for a type that is gone) and the element in it, or the pointer of the
    /// API's part. No report-order counter and no wording of the report goes into it, so an id
    /// names the same change after the spec is reordered, other changes come or go, or the report
    /// is reworded; two changes of one report never share one.
    pub(crate) fn assign_ids(&mut self) {
        let kind_name = |kind: ChangeKind| serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let pointer = |base: &str, element: &str| {
            let path = match (base, element) {
                (b, "") => b.to_owned(),
                ("", e) => e.to_owned(),
                (b, e) => format!("{b}/{e}"),
            };
            format!("#{path}")
        };
        for api in &mut self.apis {
            for change in &mut api.api {
                change.id = format!("{}:{}", kind_name(change.kind), pointer("", &change.element));
            }
            for op in &mut api.operations {
                let item = op.title();
                for change in &mut op.changes {
                    let element = if change.element.is_empty() { String::new() } else { format!(":{}", change.element) };
                    change.id = format!("{}:{item}{element}", kind_name(change.kind));
                }
            }
            for ty in &mut api.types {
                let base = ty.new.as_ref().or(ty.old.as_ref()).map(|l| l.pointer.clone()).unwrap_or_default();
                for change in &mut ty.changes {
                    change.id = format!("{}:{}", kind_name(change.kind), pointer(&base, &change.element));
                }
            }
        }
    }

    /// The changes that make `cargo xtask diff --fail-on LEVEL` fail, leaving out those `ignored`
    /// names by id.
    pub fn failing(&self, level: FailOn, ignored: &Ignored) -> Vec<&Change> {
        self.changes().filter(|c| !ignored.covers(&c.id) && level.fails_on(c)).collect()
    }

    /// Recounts [`Report::summary`] from the changes.
    pub(crate) fn count(&mut self) {
        let mut summary = Summary { documentation: self.apis.iter().map(|a| a.documentation.len()).sum(), ..Summary::default() };
        for change in self.changes() {
            summary.breaking_for_clients += usize::from(change.breaks.clients);
            summary.breaking_for_servers += usize::from(change.breaks.servers);
            summary.non_breaking += usize::from(!change.breaks.any());
            summary.breaking_code += usize::from(change.code.any());
            summary.planned += usize::from(change.planned);
        }
        self.summary = summary;
    }
}

impl ApiChanges {
    /// True when nothing changed in this API.
    pub fn is_empty(&self) -> bool {
        self.api.is_empty() && self.operations.is_empty() && self.types.is_empty() && self.documentation.is_empty()
    }
}

/// What makes a review fail, from the strictest to the least strict reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any change that breaks clients.
    Clients,
    /// Any change that breaks servers.
    Servers,
    /// Any change that breaks clients or servers on the wire.
    Breaking,
    /// Any change that breaks code against the generated crates.
    Code,
    /// Any change that breaks anyone, on the wire or in code.
    Either,
    /// Any change that breaks clients or servers on the wire, and any planned removal.
    Planned,
    /// Any breaking change, and any operation newly deprecated.
    Deprecations,
    /// Any change at all (documentation aside).
    Any,
}

impl FailOn {
    /// Whether `change` fails a review at this level.
    pub fn fails_on(self, change: &Change) -> bool {
        let deprecated = change.kind == ChangeKind::DeprecatedChanged && change.detail == "now deprecated";
        match self {
            FailOn::Clients => change.breaks.clients,
            FailOn::Servers => change.breaks.servers,
            FailOn::Breaking => change.breaks.any(),
            FailOn::Code => change.code.any(),
            FailOn::Either => change.breaks.any() || change.code.any(),
            FailOn::Planned => change.breaks.any() || change.planned,
            FailOn::Deprecations => change.breaks.any() || deprecated,
            FailOn::Any => true,
        }
    }
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "clients" => Ok(FailOn::Clients),
            "servers" => Ok(FailOn::Servers),
            "breaking" | "wire" => Ok(FailOn::Breaking),
            "code" => Ok(FailOn::Code),
            "either" => Ok(FailOn::Either),
            "planned" => Ok(FailOn::Planned),
            "deprecations" => Ok(FailOn::Deprecations),
            "any" => Ok(FailOn::Any),
            other => Err(format!("`{other}` is no level to fail on: clients, servers, breaking (or wire), code, either, planned, deprecations or any")),
        }
    }
}

/// Change ids a review accepts, each with the reason it was accepted: an ignore file, one
/// `<id> # <reason>` per line (blank lines and lines starting with `#` aside).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ignored {
    /// (id, reason), in file order.
    pub entries: Vec<(String, String)>,
}

impl Ignored {
    /// Reads an ignore file's text; a line without a reason is an error naming it (`file:line`).
    pub fn parse(text: &str, file: &str) -> Result<Ignored, String> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once(" # ") {
                Some((id, reason)) if !id.trim().is_empty() && !reason.trim().is_empty() => entries.push((id.trim().to_owned(), reason.trim().to_owned())),
                _ => return Err(format!("{file}:{}: `{line}` gives no reason; write `<change id> # <why it is accepted>`", i + 1)),
            }
        }
        Ok(Ignored { entries })
    }

    /// Whether the change named `id` is accepted.
    pub fn covers(&self, id: &str) -> bool {
        self.entries.iter().any(|(i, _)| i == id)
    }

    /// Entries naming no change of `report`: stale, worth removing.
    pub fn unused<'a>(&'a self, report: &Report) -> Vec<&'a str> {
        self.entries.iter().filter(|(id, _)| !report.changes().any(|c| &c.id == id)).map(|(id, _)| id.as_str()).collect()
    }
}
