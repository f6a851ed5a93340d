//! Lowering: a loaded [`Document`] becomes an [`Api`].
//!
//! Components are named first (so every `$ref` has a name to point at), then lowered in spec
//! order, then operations; inline types are named from their context as they are met. Last,
//! recursive fields are boxed, alias cycles rejected, and operations whose client methods would
//! meet others renamed.

mod answers;
mod bodies;
mod content;
mod flows;
mod items;
mod merge;
mod operation;
mod responses;
mod schema;
mod servers;
mod shapes;
mod share;
mod streams;
mod tagged;
mod templates;
mod unions;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use self::schema::SchemaView;
use super::naming::{self, Scope};
use super::{is_token, Api, Options, SecurityKind, SecurityScheme, Tag, TypeDef, TypeKind, TypeRef};
use crate::diag::{push_pointer, Diagnostics, Error, Location};
use crate::load::Document;

/// The extension of an HTTP security scheme listing other names of its scheme in `Authorization`.
const SCHEME_ALIASES: &str = "x-scheme-aliases";

/// Lowers `doc` into an [`Api`] whose generated module is `module`; warnings go to `diags`.
pub fn lower(doc: &Document, module: &str, diags: &mut Diagnostics) -> Result<Api, Error> {
    lower_with(doc, module, &Options::default(), diags)
}

/// [`lower`], with schemas mapped to existing Rust types as `options` says.
pub fn lower_with(doc: &Document, module: &str, options: &Options, diags: &mut Diagnostics) -> Result<Api, Error> {
    let mut lowerer = Lowerer {
        doc,
        options,
        diags,
        types: Vec::new(),
        type_names: reserved_type_names(),
        component_names: BTreeMap::new(),
        component_in_progress: None,
        property: None,
        lowered: HashMap::new(),
        security_schemes: Vec::new(),
        dependencies: BTreeSet::new(),
        declared: Vec::new(),
        examples: Vec::new(),
        restated: Vec::new(),
    };
    lowerer.name_components();
    lowerer.lower_components()?;
    lowerer.tag_discriminated_bases();
    lowerer.lower_security_schemes();
    let operations = lowerer.lower_operations()?;
    lowerer.warn_renamed_traits(&operations);
    let webhooks = lowerer.lower_webhooks(&operations)?;
    lowerer.settle_restated();

    let info = &doc.openapi.info;
    let mut api = Api {
        module: module.to_owned(),
        source: doc.file.clone(),
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        summary: doc.summary.clone(),
        license: doc.license.clone(),
        inputs: doc.inputs(),
        overlays: doc.overlays(),
        dependencies: std::mem::take(&mut lowerer.dependencies).into_iter().collect(),
        servers: servers::lower(&doc.openapi.servers, "/servers", &mut |at, message| lowerer.warn(at, message)),
        tags: tags(doc, &operations, &mut |at, message| lowerer.warn(at, message)),
        security_schemes: std::mem::take(&mut lowerer.security_schemes),
        operations,
        webhooks,
        types: std::mem::take(&mut lowerer.types),
        examples: std::mem::take(&mut lowerer.examples),
        answers: serde_json::Value::Null,
    };
    share::share_identical_types(&mut api);
    lowerer.types = std::mem::take(&mut api.types);
    lowerer.check_alias_cycles()?;
    lowerer.box_recursive_fields();
    api.types = lowerer.types;
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    let declared = std::mem::take(&mut lowerer.declared);
    flows::settle(&mut api, declared, &|pointer| doc.locate(pointer), lowerer.diags);
    items::settle_client_methods(&mut api, lowerer.diags);
    for (op, first) in crate::ir::routes::shadowed(&api) {
        let (op, first) = (&api.operations[op], &api.operations[first]);
        lowerer.diags.warn(
            op.location.clone(),
            format!(
                "`{}` ({} {}) cannot be told apart from `{}` ({} {}) on the wire: the same method, the same path to a server and the same required parameters; a server gives its requests to `{}`",
                op.name,
                op.method.as_str(),
                op.path,
                first.name,
                first.method.as_str(),
                first.path,
                first.name
            ),
        );
    }
    bodies::settle(&mut api, &|pointer| doc.locate(pointer), lowerer.diags);
    shapes::warn_refused_examples(&api, doc, lowerer.diags);
    for op in &api.operations {
        for p in &op.params {
            if let Some(why) = crate::ir::carry::uncarried(&api, op, p) {
                // The parameter itself, where its schema is written in it (`…/parameters/0/schema`).
                let at = p.schema.as_deref().map_or(op.location.pointer.as_str(), |s| s.strip_suffix("/schema").unwrap_or(s));
                let outcome = if p.required { "no request of it can be sent as the spec describes" } else { "a client can only leave it out" };
                lowerer.diags.warn(
                    doc.locate(at),
                    format!("parameter `{}` of `{}` ({} {}) admits no value that its encoding can carry: {why}; {outcome}", p.wire_name, op.name, op.method.as_str(), op.path),
                );
            }
        }
    }
    if options.answers {
        api.answers = answers::document(doc, &mut api, lowerer.diags);
    }
    Ok(api)
}

/// A scope of type names in which no claim gets a name the generated code uses
/// ([`naming::RESERVED_TYPES`]), whatever path a name comes by.
fn reserved_type_names() -> Scope {
    let mut scope = Scope::default();
    for name in naming::RESERVED_TYPES {
        scope.reserve(name);
    }
    scope
}

/// State of one lowering.
pub(super) struct Lowerer<'a> {
    doc: &'a Document,
    options: &'a Options,
    diags: &'a mut Diagnostics,
    /// Type definitions in creation order.
    types: Vec<TypeDef>,
    /// Type names taken so far.
    type_names: Scope,
    /// Rust name of each component schema, by its pointer.
    component_names: BTreeMap<String, String>,
    /// The component whose own type is being defined (never replaced by an identical one).
    component_in_progress: Option<String>,
    /// The property or parameter whose schema is being lowered (some readings depend on its name).
    property: Option<String>,
    /// Inline schemas already lowered, by pointer.
    lowered: HashMap<String, schema::Lowered>,
    security_schemes: Vec<SecurityScheme>,
    /// `Cargo.toml` lines of the crates `x-rust-type` names.
    dependencies: BTreeSet<String>,
    /// The flows each operation declares (`x-login`, `x-pagination`).
    declared: Vec<flows::Declared>,
    /// The documented examples met so far.
    examples: Vec<crate::ir::Example>,
    /// Examples of a property of a struct that may not be lowered yet, to be typed as its field
    /// once every type is (see [`merge::Restated`]).
    restated: Vec<merge::Restated>,
}

impl<'a> Lowerer<'a> {
    fn locate(&self, pointer: &str) -> Location {
        self.doc.locate(pointer)
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.locate(pointer);
        self.diags.warn(location, message);
    }

    fn invalid(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Invalid { location: self.locate(pointer), message: message.into() }
    }

    fn claim_type_name(&mut self, hint: &str) -> String {
        self.type_names.claim(&naming::type_name(hint))
    }

    /// The key of a local `#/components/<section>/<key>` reference.
    fn component_key(&self, reference: &str, section: &str, at: &str) -> Result<String, Error> {
        let at = &push_pointer(at, "$ref");
        if !reference.starts_with('#') {
            return Err(self.invalid(at, format!("external `$ref` `{reference}` is not supported; bundle the spec into one file first")));
        }
        let prefix = format!("#/components/{section}/");
        match reference.strip_prefix(&prefix) {
            Some(key) if !key.contains('/') => Ok(key.replace("~1", "/").replace("~0", "~")),
            _ => Err(self.invalid(at, format!("`$ref` `{reference}` must point into `#/components/{section}/` here"))),
        }
    }

    /// Follows a reference to a component of another kind (responses, parameters, …) through chains.
    fn resolve<T>(
        &self,
        item: &'a ReferenceOr<T>,
        section: &str,
        map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
        at: &str,
    ) -> Result<(&'a T, String, Option<String>), Error> {
        let mut current = item;
        let mut pointer = at.to_owned();
        let mut component = None;
        let mut seen = BTreeSet::new();
        loop {
            match current {
                ReferenceOr::Item(t) => return Ok((t, pointer, component)),
                ReferenceOr::Reference { reference } => {
                    let key = self.component_key(reference, section, &pointer)?;
                    if !seen.insert(key.clone()) {
                        return Err(self.invalid(&pointer, format!("`$ref` cycle through `{reference}`")));
                    }
                    let Some(next) = map.and_then(|m| m.get(&key)) else {
                        return Err(self.invalid(&push_pointer(&pointer, "$ref"), format!("`$ref` to `{reference}`, which does not exist")));
                    };
                    pointer = push_pointer(&format!("/components/{section}"), &key);
                    component = Some(key);
                    current = next;
                }
            }
        }
    }

    fn component_type_name(&self, pointer: &str) -> String {
        self.component_names.get(pointer).cloned().unwrap_or_else(|| naming::type_name(pointer))
    }

    fn name_components(&mut self) {
        let Some(components) = &self.doc.openapi.components else { return };
        for key in components.schemas.keys() {
            let camel = naming::camel_name(key);
            if naming::is_reserved_type(&camel) {
                let at = push_pointer("/components/schemas", key);
                self.warn(&at, format!("the schema name `{key}` is `{camel}` in Rust, a name the generated code uses (Rust's prelude, or its own helpers); its type is `{camel}Model`"));
            }
            let name = self.type_names.claim(&naming::type_name(key));
            self.component_names.insert(push_pointer("/components/schemas", key), name);
        }
    }

    fn lower_components(&mut self) -> Result<(), Error> {
        let Some(components) = &self.doc.openapi.components else { return Ok(()) };
        for (key, schema) in &components.schemas {
            let at = push_pointer("/components/schemas", key);
            let name = self.component_type_name(&at);
            let doc = match schema {
                ReferenceOr::Item(s) => s.schema_data.description.clone().or_else(|| s.schema_data.title.clone()),
                ReferenceOr::Reference { .. } => None,
            };
            if let Some(path) = self.options.replace.get(key) {
                let doc = Some(format!("Schema `{key}` is replaced by the generator's configuration with `{path}`."));
                self.types.push(TypeDef { shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(), name, schema_name: Some(key.clone()), doc, location: self.locate(&at), kind: TypeKind::Alias(TypeRef::External(path.clone())) });
                continue;
            }
            // Released so that the component's own struct or enum, the first type the lowering
            // below names, gets exactly this name.
            self.type_names.release(&name);
            self.component_in_progress = Some(name.clone());
            let lowered = self.lower_schema(SchemaView::from(schema), &at, &name);
            self.component_in_progress = None;
            let ty = lowered?.ty();
            if ty == TypeRef::Named(name.clone()) {
                if let Some(def) = self.types.iter_mut().find(|t| t.name == name) {
                    def.schema_name = Some(key.clone());
                }
            } else {
                self.type_names.reserve(&name);
                self.types.push(TypeDef { shared_with: Vec::new(), member_schemas: Vec::new(), member_rules: Vec::new(), name, schema_name: Some(key.clone()), doc, location: self.locate(&at), kind: TypeKind::Alias(ty) });
            }
        }
        Ok(())
    }

    fn lower_security_schemes(&mut self) {
        let Some(components) = &self.doc.openapi.components else { return };
        for (name, scheme) in &components.security_schemes {
            let at = push_pointer("/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.warn(&at, "security scheme given as a `$ref`; not supported, skipped");
                continue;
            };
            let mut aliases = Vec::new();
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::HTTP { scheme, description, extensions, .. } => {
                    let kind = match scheme.to_ascii_lowercase().as_str() {
                        "basic" => SecurityKind::Basic,
                        "bearer" => SecurityKind::Bearer,
                        _ => SecurityKind::HttpOther(scheme.clone()),
                    };
                    match extensions.get(SCHEME_ALIASES) {
                        Some(serde_json::Value::Array(items)) if items.iter().all(|i| i.as_str().is_some_and(is_token)) => {
                            aliases = items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect();
                        }
                        Some(_) => self.warn(&push_pointer(&at, SCHEME_ALIASES), format!("`{SCHEME_ALIASES}` is not a list of scheme names (letters, digits and `!#$%&'*+.^_`|~-`); ignored")),
                        None => {}
                    }
                    (kind, description.clone())
                }
                openapiv3::SecurityScheme::APIKey { location, name, description, .. } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Query => "query",
                        openapiv3::APIKeyLocation::Header => "header",
                        openapiv3::APIKeyLocation::Cookie => "cookie",
                    };
                    (SecurityKind::ApiKey { location: location.into(), name: name.clone() }, description.clone())
                }
                openapiv3::SecurityScheme::OAuth2 { description, .. } | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (SecurityKind::OAuth2, description.clone())
                }
            };
            self.security_schemes.push(SecurityScheme { name: name.clone(), kind, description, declared: true, aliases });
        }
    }

    /// A scheme that operations use but the spec never defines is assumed from its name
    /// (`…basic…` is HTTP Basic, anything else an HTTP bearer token), with one warning.
    fn assume_security_scheme(&mut self, name: &str, at: &str, uses: usize) {
        if self.security_schemes.iter().any(|s| s.name == name) {
            return;
        }
        let kind = if name.to_ascii_lowercase().contains("basic") { SecurityKind::Basic } else { SecurityKind::Bearer };
        let reading = if kind == SecurityKind::Basic { "HTTP Basic" } else { "an HTTP bearer token" };
        self.warn(at, format!("security scheme `{name}` is used by {uses} operation(s) but never defined in `components/securitySchemes`; assumed {reading}"));
        self.security_schemes.push(SecurityScheme {
            name: name.to_owned(),
            kind,
            description: Some(format!("Assumed {reading}: the spec uses `{name}` without defining it.")),
            declared: false,
            aliases: Vec::new(),
        });
    }

    /// `type A = B; type B = A;` cannot compile: reject alias cycles with their location.
    fn check_alias_cycles(&self) -> Result<(), Error> {
        let aliases: BTreeMap<&str, &TypeDef> = self.types.iter().filter(|t| matches!(t.kind, TypeKind::Alias(_))).map(|t| (t.name.as_str(), t)).collect();
        for start in aliases.values() {
            let mut seen = BTreeSet::new();
            let mut current = *start;
            while let TypeKind::Alias(TypeRef::Named(next)) = &current.kind {
                if !seen.insert(current.name.as_str()) {
                    return Err(Error::Invalid {
                        location: start.location.clone(),
                        message: format!("`$ref` cycle: `{}` is only a reference to itself through other references", start.schema_name.as_deref().unwrap_or(&start.name)),
                    });
                }
                match aliases.get(next.as_str()) {
                    Some(def) => current = def,
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// A field whose type contains the struct itself (not through a list or map) needs a `Box`.
    fn box_recursive_fields(&mut self) {
        let index: BTreeMap<String, usize> = self.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        let edges: Vec<Vec<usize>> = self.types.iter().map(|t| direct_children(&t.kind).iter().filter_map(|n| index.get(*n).copied()).collect()).collect();
        let reaches = |from: usize, to: usize| -> bool {
            let mut stack = vec![from];
            let mut seen = vec![false; edges.len()];
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if !std::mem::replace(&mut seen[n], true) {
                    stack.extend(&edges[n]);
                }
            }
            false
        };
        let mut to_box = Vec::new();
        for (i, t) in self.types.iter().enumerate() {
            if let TypeKind::Struct(s) = &t.kind {
                for (f, field) in s.fields.iter().enumerate() {
                    let mut targets = Vec::new();
                    held(&field.ty, &mut targets);
                    if targets.iter().any(|target| index.get(*target).is_some_and(|&j| reaches(j, i))) {
                        to_box.push((i, f));
                    }
                }
            }
        }
        for (i, f) in to_box {
            if let TypeKind::Struct(s) = &mut self.types[i].kind {
                s.fields[f].boxed = true;
            }
        }
    }
}

/// Named types a type holds by value (lists and maps give indirection, so they do not count).
fn direct_children(kind: &TypeKind) -> Vec<&str> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| held(&f.ty, &mut out)),
        TypeKind::Alias(t) => held(t, &mut out),
        TypeKind::Union(v) => v.iter().for_each(|t| held(t, &mut out)),
        TypeKind::Tagged(t) => t.members().for_each(|t| held(t, &mut out)),
        TypeKind::Enum(_) => {}
    }
    out
}

/// The named types a value of `ty` holds by value: itself, or the members of a tuple (an
/// `Option` holds its value in place).
fn held<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Tuple(items) => items.iter().for_each(|t| held(t, out)),
        TypeRef::Nullable(inner) => held(inner, out),
        _ => {}
    }
}

/// The declared tags, then those operations use undeclared; a 3.2 `parent` that names no declared
/// tag, or that nests a tag in itself, is left out with a warning (`warn`): the tag is read flat.
fn tags(doc: &Document, operations: &[super::Operation], warn: &mut dyn FnMut(&str, String)) -> Vec<Tag> {
    let mut tags: Vec<Tag> = doc
        .openapi
        .tags
        .iter()
        .map(|t| {
            let more = doc.tags_32.get(&t.name);
            let label = t.extensions.get("x-displayName").and_then(|v| v.as_str()).or_else(|| more.and_then(|m| m.summary.as_deref()));
            Tag {
                name: t.name.clone(),
                ident: naming::snake_name(&t.name),
                display_name: label.unwrap_or(&t.name).to_owned(),
                description: t.description.clone(),
                parent: more.and_then(|m| m.parent.as_ref()).map(|(p, _)| p.clone()),
                kind: more.and_then(|m| m.kind.clone()),
            }
        })
        .collect();
    for i in 0..tags.len() {
        let Some(parent) = tags[i].parent.clone() else { continue };
        let at = doc.tags_32.get(&tags[i].name).and_then(|m| m.parent.as_ref()).map_or("/tags", |(_, at)| at.as_str()).to_owned();
        let why = if !tags.iter().any(|t| t.name == parent) {
            "is no declared tag"
        } else if nests_in_itself(&tags, i) {
            "nests the tag in itself"
        } else {
            continue;
        };
        warn(&at, format!("`parent: {parent}` of tag `{}` {why}; the tag is read flat", tags[i].name));
        tags[i].parent = None;
    }
    for op in operations {
        for name in &op.tags {
            if !tags.iter().any(|t| &t.name == name) {
                tags.push(Tag { name: name.clone(), ident: naming::snake_name(name), display_name: name.clone(), description: None, parent: None, kind: None });
            }
        }
    }
    tags
}

/// Whether following the parents of tag `i` comes back to it.
fn nests_in_itself(tags: &[Tag], i: usize) -> bool {
    let mut current = tags[i].parent.as_deref();
    for _ in 0..tags.len() {
        match current {
            Some(name) if name == tags[i].name => return true,
            Some(name) => current = tags.iter().find(|t| t.name == name).and_then(|t| t.parent.as_deref()),
            None => return false,
        }
    }
    false
}
