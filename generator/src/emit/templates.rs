//! Non-Rust files (Cargo.toml, README) from the minijinja templates in `templates/`.
//!
//! The templates are compiled into the generator, so the CLI works from any directory.

use minijinja::Environment;
use serde::Serialize;

use crate::diag::Error;
use crate::ir::{Api, TypeKind};

/// The templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("models/Cargo.toml.j2", include_str!("../../../templates/models/Cargo.toml.j2")),
    ("models/README.md.j2", include_str!("../../../templates/models/README.md.j2")),
    ("client/Cargo.toml.j2", include_str!("../../../templates/client/Cargo.toml.j2")),
    ("client/README.md.j2", include_str!("../../../templates/client/README.md.j2")),
    ("server/Cargo.toml.j2", include_str!("../../../templates/server/Cargo.toml.j2")),
    ("server/README.md.j2", include_str!("../../../templates/server/README.md.j2")),
    ("harness/Cargo.toml.j2", include_str!("../../../templates/harness/Cargo.toml.j2")),
    ("harness/wire.Cargo.toml.j2", include_str!("../../../templates/harness/wire.Cargo.toml.j2")),
    ("mock/Cargo.toml.j2", include_str!("../../../templates/mock/Cargo.toml.j2")),
    ("mock/workspace.Cargo.toml.j2", include_str!("../../../templates/mock/workspace.Cargo.toml.j2")),
];

/// What the server crate's templates see.
#[derive(Debug, Serialize)]
pub struct ServerContext {
    /// e.g. `dockerhub-server`.
    pub crate_name: String,
    /// e.g. `dockerhub-models`.
    pub models_crate: String,
    /// The `@generated` line.
    pub header: String,
    /// The overlays applied, one line each (overlay, and the spec it corrects).
    pub overlays: Vec<String>,
    /// The user's README note (Markdown), if any.
    pub note: Option<String>,
    /// One-line package description.
    pub description: String,
    /// The crates the parameter and body types come from.
    pub deps: super::TypeDeps,
    /// The runtime crate's dependency value.
    pub runtime: String,
    /// The runtime's features the crate needs (`server`, `chrono`, `regex`).
    pub runtime_features: Vec<&'static str>,
    /// Dependency lines of the user's own types.
    pub dependencies: Vec<String>,
    /// The `[features]` table: name and what each enables.
    pub features: Vec<(String, Vec<String>)>,
    /// The body limit in bytes.
    pub body_limit: usize,
    /// One entry per module.
    pub apis: Vec<ServerApi>,
}

/// An API as the server README lists it.
#[derive(Debug, Serialize)]
pub struct ServerApi {
    /// Module name.
    pub module: String,
    /// Title and version.
    pub title: String,
    /// Trait names.
    pub traits: Vec<String>,
    /// Number of operations.
    pub operations: usize,
}

/// What the client crate's templates see.
#[derive(Debug, Serialize)]
pub struct ClientContext {
    /// e.g. `dockerhub-client`.
    pub crate_name: String,
    /// e.g. `dockerhub_client`.
    pub crate_ident: String,
    /// e.g. `dockerhub-models`.
    pub models_crate: String,
    /// The `@generated` line.
    pub header: String,
    /// The overlays applied, one line each (overlay, and the spec it corrects).
    pub overlays: Vec<String>,
    /// The user's README note (Markdown), if any.
    pub note: Option<String>,
    /// One-line package description.
    pub description: String,
    /// The crates the parameter and body types come from.
    pub deps: super::TypeDeps,
    /// The runtime crate's dependency value.
    pub runtime: String,
    /// Dependency lines of the user's own types.
    pub dependencies: Vec<String>,
    /// The `[features]` table: name and what each enables.
    pub features: Vec<(String, Vec<String>)>,
    /// Some operation is walked page by page as a stream (needs `futures-util`).
    pub paginates: bool,
    /// One entry per module.
    pub apis: Vec<ClientApi>,
    /// A Rust example using the client (formatted code).
    pub example: String,
    /// The rate-limit and retry headers the spec documents in its answers, as it writes them.
    pub rate_headers: Vec<String>,
}

/// An API as the client README lists it.
#[derive(Debug, Serialize)]
pub struct ClientApi {
    /// Module name.
    pub module: String,
    /// Title and version.
    pub title: String,
    /// Default server.
    pub server: String,
    /// Number of operations.
    pub operations: usize,
}

/// What the models crate's templates see.
#[derive(Debug, Serialize)]
pub struct ModelsContext {
    /// e.g. `dockerhub-models`.
    pub crate_name: String,
    /// The `@generated` line.
    pub header: String,
    /// The overlays applied, one line each (overlay, and the spec it corrects).
    pub overlays: Vec<String>,
    /// The user's README note (Markdown), if any.
    pub note: Option<String>,
    /// One-line package description.
    pub description: String,
    /// The crates the types come from.
    pub deps: super::TypeDeps,
    /// The runtime crate's dependency value.
    pub runtime: String,
    /// The runtime's features the models use.
    pub runtime_features: Vec<&'static str>,
    /// Dependency lines of the user's own types.
    pub dependencies: Vec<String>,
    /// The dependencies after serde, in words, for the README (", chrono (dates) and uuid").
    pub crate_list: String,
    /// The `[features]` table: name and what each enables.
    pub features: Vec<(String, Vec<String>)>,
    /// One entry per module.
    pub apis: Vec<ApiSummary>,
    /// The generator's assumptions, one line each.
    pub warnings: Vec<String>,
}

/// An API as the README lists it.
#[derive(Debug, Serialize)]
pub struct ApiSummary {
    /// Module name.
    pub module: String,
    /// Title and version.
    pub title: String,
    /// Spec file.
    pub source: String,
    /// Types with their kind and first line of documentation.
    pub types: Vec<TypeSummary>,
}

/// One row of the README's type table.
#[derive(Debug, Serialize)]
pub struct TypeSummary {
    /// Rust name.
    pub name: String,
    /// `struct`, `enum` or `type`.
    pub kind: &'static str,
    /// First sentence of the description, or the schema name.
    pub summary: String,
}

impl From<&Api> for ApiSummary {
    fn from(api: &Api) -> Self {
        let types = api
            .types
            .iter()
            .map(|t| {
                let kind = match t.kind {
                    TypeKind::Struct(_) => "struct",
                    TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Tagged(_) => "enum",
                    TypeKind::Alias(_) => "type",
                };
                let first_line = t.doc.as_deref().and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty())).map(|l| l.replace('|', "\\|"));
                let origin = match &t.schema_name {
                    Some(s) => format!("schema `{s}`"),
                    None => format!("inline at `{}`", t.location.pointer),
                };
                TypeSummary { name: t.name.clone(), kind, summary: first_line.map_or(origin.clone(), |l| format!("{l} ({origin})")) }
            })
            .collect();
        ApiSummary { module: api.module.clone(), title: format!("{} ({})", api.title, api.version), source: api.source.clone(), types }
    }
}

/// Renders template `name` with `context`.
pub fn render(name: &str, context: &impl Serialize) -> Result<String, Error> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (template, source) in TEMPLATES {
        env.add_template(template, source).map_err(|e| Error::Emit { what: (*template).to_owned(), message: e.to_string() })?;
    }
    let template = env.get_template(name).map_err(|e| Error::Emit { what: name.to_owned(), message: e.to_string() })?;
    let mut text = template.render(context).map_err(|e| Error::Emit { what: name.to_owned(), message: e.to_string() })?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}
