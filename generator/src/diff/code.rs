//! What a spec change does to the generated crates' public API: both versions are emitted with the
//! generator's own emitters, every `.rs` file is parsed with `syn`, and the public items are compared
//! by path: structs and their fields, enums and their variants, type aliases, functions, methods,
//! trait implementations (derived or written out), constants, traits, modules and re-exports.
//!
//! This is derived from the output, not from the IR, so it shows exactly what downstream code
//! compiles against, for every crate `emit` makes (models today; client and server crates as they
//! come). Items inside an added or removed item are not listed again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use quote::ToTokens;
use serde::Serialize;
use syn::punctuated::Punctuated;

use super::DiffError;
use crate::emit;
use crate::ir::Api;

/// The change to the generated crates' public items, by module.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CodeDiff {
    /// Modules with changes, sorted by module path.
    pub modules: Vec<ModuleChanges>,
}

/// The changed public items of one module.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleChanges {
    /// The module path, e.g. `dockerhub_models::v2`.
    pub module: String,
    /// The file it is generated into, relative to the output directory.
    pub file: String,
    /// The changes, sorted by item path.
    pub changes: Vec<CodeChange>,
}

/// One public item added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeChange {
    /// The item's path, e.g. `dockerhub_models::v2::AccessToken::token_label`; a trait implementation
    /// is `<type path>: <trait>`.
    pub path: String,
    /// What kind of item it is (in the new version, unless removed).
    pub item: ItemKind,
    /// Added, removed or changed.
    pub change: CodeChangeKind,
    /// Its signature before (a field's or alias's type, a function's signature, …).
    pub old: Option<String>,
    /// Its signature after.
    pub new: Option<String>,
}

impl CodeChange {
    /// Whether the signature says more than the path (it does for fields, variants, functions, aliases).
    pub fn shows_signature(&self) -> bool {
        !matches!(self.item, ItemKind::Module | ItemKind::Struct | ItemKind::Enum | ItemKind::Trait | ItemKind::Impl)
    }
}

/// Added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeChangeKind {
    /// Only in the new crates.
    Added,
    /// Only in the old crates.
    Removed,
    /// In both, with a different signature or kind.
    Changed,
}

/// The kinds of public item compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// `pub mod`.
    Module,
    /// `pub struct`.
    Struct,
    /// A public field of a struct.
    Field,
    /// `pub enum`.
    Enum,
    /// A variant of an enum.
    Variant,
    /// `pub type`.
    TypeAlias,
    /// A free `pub fn`.
    Function,
    /// A `pub fn` of an inherent impl or a trait.
    Method,
    /// A trait implementation, derived or written out.
    Impl,
    /// `pub const`.
    Const,
    /// `pub static`.
    Static,
    /// `pub trait`.
    Trait,
    /// `pub use`.
    ReExport,
}

impl ItemKind {
    /// The kind in words.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Module => "module",
            ItemKind::Struct => "struct",
            ItemKind::Field => "field",
            ItemKind::Enum => "enum",
            ItemKind::Variant => "variant",
            ItemKind::TypeAlias => "type alias",
            ItemKind::Function => "function",
            ItemKind::Method => "method",
            ItemKind::Impl => "impl",
            ItemKind::Const => "constant",
            ItemKind::Static => "static",
            ItemKind::Trait => "trait",
            ItemKind::ReExport => "re-export",
        }
    }
}

/// Emits the crates for both versions (crate names `<prefix>-…`) and compares their public items.
pub fn diff_code(prefix: &str, old: &[Api], new: &[Api]) -> Result<CodeDiff, DiffError> {
    let emit = |apis: &[Api]| emit::emit(&emit::Crates::new(prefix, "cargo xtask diff --code", apis, &[]));
    Ok(compare(&public_items(&emit(old)?)?, &public_items(&emit(new)?)?))
}

/// A public item as found in one version.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    kind: ItemKind,
    signature: String,
    module: String,
    file: String,
    /// The item it belongs to (a field's struct, a method's type, an item's module).
    owner: Option<String>,
}

/// The public items of every Rust file under a crate's `src/`, by path.
///
/// A private module whose items its parent re-exports (`mod repos; pub use repos::*;`, the file of
/// one feature group) is not part of any public path: its items are the parent's.
fn public_items(files: &BTreeMap<PathBuf, String>) -> Result<BTreeMap<String, Item>, DiffError> {
    let mut parsed_files = Vec::new();
    let mut transparent: Vec<(String, String)> = Vec::new();
    for (path, text) in files {
        let Some(module) = module_path(path) else { continue };
        let file = path.to_string_lossy().replace('\\', "/");
        let parsed = syn::parse_file(text).map_err(|e| DiffError::Parse { file: file.clone(), message: e.to_string() })?;
        for item in &parsed.items {
            if let syn::Item::Use(u) = item {
                if let (true, syn::UseTree::Path(p)) = (public(&u.vis), &u.tree) {
                    if matches!(&*p.tree, syn::UseTree::Glob(_)) {
                        transparent.push((format!("{module}::{}", p.ident), module.clone()));
                    }
                }
            }
        }
        parsed_files.push((module, file, parsed));
    }
    let mut items = BTreeMap::new();
    for (module, file, parsed) in parsed_files {
        let module = transparent.iter().find(|(inner, _)| *inner == module).map_or(module, |(_, outer)| outer.clone());
        let mut collector = Collector { file, items: &mut items };
        collector.visit(&parsed.items, &module);
    }
    Ok(items)
}

/// `dockerhub-models/src/v2.rs` -> `dockerhub_models::v2`; `None` for files outside `src/`.
fn module_path(path: &Path) -> Option<String> {
    if path.extension().is_none_or(|e| e != "rs") {
        return None;
    }
    let parts: Vec<String> = path.components().filter_map(|c| if let Component::Normal(s) = c { Some(s.to_string_lossy().into_owned()) } else { None }).collect();
    let (krate, rest) = parts.split_first()?;
    let (src, rest) = rest.split_first()?;
    if src != "src" {
        return None;
    }
    let mut module = vec![krate.replace('-', "_")];
    for (i, part) in rest.iter().enumerate() {
        let part = part.strip_suffix(".rs").unwrap_or(part);
        let last = i + 1 == rest.len();
        if !(last && matches!(part, "lib" | "main" | "mod")) {
            module.push(part.to_owned());
        }
    }
    Some(module.join("::"))
}

struct Collector<'a> {
    file: String,
    items: &'a mut BTreeMap<String, Item>,
}

impl Collector<'_> {
    fn add(&mut self, path: String, kind: ItemKind, signature: String, module: &str, owner: &str) {
        let item = Item { kind, signature, module: module.to_owned(), file: self.file.clone(), owner: Some(owner.to_owned()) };
        self.items.insert(path, item);
    }

    fn visit(&mut self, items: &[syn::Item], module: &str) {
        for item in items {
            match item {
                syn::Item::Struct(s) if public(&s.vis) => {
                    let path = format!("{module}::{}", s.ident);
                    self.add(path.clone(), ItemKind::Struct, format!("struct {}{}", s.ident, generics(&s.generics)), module, module);
                    self.derives(&s.attrs, &path, &s.ident.to_string(), module);
                    for (i, field) in s.fields.iter().enumerate().filter(|(_, f)| public(&f.vis)) {
                        let name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
                        self.add(format!("{path}::{name}"), ItemKind::Field, type_text(&field.ty), module, &path);
                    }
                }
                syn::Item::Enum(e) if public(&e.vis) => {
                    let path = format!("{module}::{}", e.ident);
                    self.add(path.clone(), ItemKind::Enum, format!("enum {}{}", e.ident, generics(&e.generics)), module, module);
                    self.derives(&e.attrs, &path, &e.ident.to_string(), module);
                    for v in &e.variants {
                        self.add(format!("{path}::{}", v.ident), ItemKind::Variant, variant_text(v), module, &path);
                    }
                }
                syn::Item::Type(t) if public(&t.vis) => self.add(format!("{module}::{}", t.ident), ItemKind::TypeAlias, type_text(&t.ty), module, module),
                syn::Item::Fn(f) if public(&f.vis) => self.add(format!("{module}::{}", f.sig.ident), ItemKind::Function, signature_text(&f.sig), module, module),
                syn::Item::Const(c) if public(&c.vis) => self.add(format!("{module}::{}", c.ident), ItemKind::Const, type_text(&c.ty), module, module),
                syn::Item::Static(s) if public(&s.vis) => self.add(format!("{module}::{}", s.ident), ItemKind::Static, type_text(&s.ty), module, module),
                syn::Item::Trait(t) if public(&t.vis) => {
                    let path = format!("{module}::{}", t.ident);
                    self.add(path.clone(), ItemKind::Trait, format!("trait {}", t.ident), module, module);
                    for member in &t.items {
                        if let syn::TraitItem::Fn(f) = member {
                            self.add(format!("{path}::{}", f.sig.ident), ItemKind::Method, signature_text(&f.sig), module, &path);
                        }
                    }
                }
                syn::Item::Mod(m) if public(&m.vis) => {
                    let path = format!("{module}::{}", m.ident);
                    self.add(path.clone(), ItemKind::Module, format!("mod {}", m.ident), module, module);
                    if let Some((_, inner)) = &m.content {
                        self.visit(inner, &path);
                    }
                }
                // A glob re-export brings a group file's items into its module: they are listed
                // there, the `use` itself is no API.
                syn::Item::Use(u) if public(&u.vis) && !matches!(&u.tree, syn::UseTree::Path(p) if matches!(&*p.tree, syn::UseTree::Glob(_))) => {
                    let tree = tokens_text(&u.tree);
                    self.add(format!("{module}::{tree}"), ItemKind::ReExport, format!("pub use {tree}"), module, module);
                }
                syn::Item::Impl(i) => self.implementation(i, module),
                _ => {}
            }
        }
    }

    fn implementation(&mut self, i: &syn::ItemImpl, module: &str) {
        let ty = type_text(&i.self_ty);
        let owner = format!("{module}::{ty}");
        match &i.trait_ {
            Some((negative, path, _)) => {
                let name = format!("{}{}", if negative.is_some() { "!" } else { "" }, trait_text(path));
                self.add(format!("{owner}: {name}"), ItemKind::Impl, format!("impl {name} for {ty}"), module, &owner);
            }
            None => {
                for member in &i.items {
                    match member {
                        syn::ImplItem::Fn(f) if public(&f.vis) => {
                            self.add(format!("{owner}::{}", f.sig.ident), ItemKind::Method, signature_text(&f.sig), module, &owner);
                        }
                        syn::ImplItem::Const(c) if public(&c.vis) => self.add(format!("{owner}::{}", c.ident), ItemKind::Const, type_text(&c.ty), module, &owner),
                        _ => {}
                    }
                }
            }
        }
    }

    /// `#[derive(..)]` implements traits as surely as an `impl` block: record them the same way.
    fn derives(&mut self, attrs: &[syn::Attribute], path: &str, name: &str, module: &str) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(traits) = attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) else { continue };
            for t in traits {
                let t = trait_text(&t);
                self.add(format!("{path}: {t}"), ItemKind::Impl, format!("impl {t} for {name}"), module, path);
            }
        }
    }
}

fn public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Prints one item with prettyplease and folds it onto one line.
fn one_line(item: syn::Item) -> String {
    let text = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] });
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Undo the line breaks prettyplease puts in long lists.
    words.replace("( ", "(").replace(" )", ")").replace("< ", "<").replace(" >", ">").replace(",)", ")").replace(",>", ">")
}

fn type_text(ty: &syn::Type) -> String {
    match syn::parse2::<syn::Item>(quote::quote!(type __T = #ty;)) {
        Ok(item) => {
            let text = one_line(item);
            text.strip_prefix("type __T = ").and_then(|t| t.strip_suffix(';')).unwrap_or(&text).trim().to_owned()
        }
        Err(_) => tokens_text(ty),
    }
}

fn signature_text(sig: &syn::Signature) -> String {
    match syn::parse2::<syn::Item>(quote::quote!(#sig {})) {
        Ok(item) => {
            let text = one_line(item);
            // `mut` on a parameter is the body's business, not the caller's.
            let text = text.replace("(mut ", "(").replace(", mut ", ", ");
            text.strip_suffix("{}").unwrap_or(&text).trim().to_owned()
        }
        Err(_) => tokens_text(sig),
    }
}

/// A trait path without its lifetime arguments (`serde::Deserialize<'de>` is `serde::Deserialize`,
/// as derived), so derived and written-out implementations compare equal.
fn trait_text(path: &syn::Path) -> String {
    let segments = path.segments.iter().map(|segment| {
        let args: Vec<String> = match &segment.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|arg| match arg {
                    syn::GenericArgument::Lifetime(_) => None,
                    syn::GenericArgument::Type(t) => Some(type_text(t)),
                    other => Some(tokens_text(other)),
                })
                .collect(),
            syn::PathArguments::Parenthesized(p) => vec![tokens_text(p)],
            syn::PathArguments::None => Vec::new(),
        };
        if args.is_empty() {
            segment.ident.to_string()
        } else {
            format!("{}<{}>", segment.ident, args.join(", "))
        }
    });
    let leading = if path.leading_colon.is_some() { "::" } else { "" };
    format!("{leading}{}", segments.collect::<Vec<_>>().join("::"))
}

fn variant_text(v: &syn::Variant) -> String {
    match &v.fields {
        syn::Fields::Unit => v.ident.to_string(),
        syn::Fields::Unnamed(f) => format!("{}({})", v.ident, f.unnamed.iter().map(|f| type_text(&f.ty)).collect::<Vec<_>>().join(", ")),
        syn::Fields::Named(f) => {
            let fields = f.named.iter().map(|f| format!("{}: {}", f.ident.as_ref().map(ToString::to_string).unwrap_or_default(), type_text(&f.ty)));
            format!("{} {{ {} }}", v.ident, fields.collect::<Vec<_>>().join(", "))
        }
    }
}

fn generics(g: &syn::Generics) -> String {
    if g.params.is_empty() {
        String::new()
    } else {
        tokens_text(g)
    }
}

/// Token text with the spaces `proc_macro2` puts around punctuation taken out.
fn tokens_text(tokens: &impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    text.replace(" :: ", "::").replace(":: ", "::").replace(" ,", ",").replace("{ ", "{").replace(" }", "}").replace("< ", "<").replace(" >", ">").replace(" <", "<")
}

/// Compares the items of two versions.
fn compare(old: &BTreeMap<String, Item>, new: &BTreeMap<String, Item>) -> CodeDiff {
    let removed: BTreeSet<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let added: BTreeSet<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut modules: BTreeMap<String, ModuleChanges> = BTreeMap::new();
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for path in keys {
        let (change, item, old_sig, new_sig) = match (old.get(path), new.get(path)) {
            (Some(o), None) if !inside(o, &removed, old) => (CodeChangeKind::Removed, o, Some(o.signature.clone()), None),
            (None, Some(n)) if !inside(n, &added, new) => (CodeChangeKind::Added, n, None, Some(n.signature.clone())),
            (Some(o), Some(n)) if o.kind != n.kind => {
                let show = |i: &Item| format!("{} {}", i.kind.as_str(), i.signature);
                (CodeChangeKind::Changed, n, Some(show(o)), Some(show(n)))
            }
            (Some(o), Some(n)) if o.signature != n.signature => (CodeChangeKind::Changed, n, Some(o.signature.clone()), Some(n.signature.clone())),
            _ => continue,
        };
        let entry = modules
            .entry(item.module.clone())
            .or_insert_with(|| ModuleChanges { module: item.module.clone(), file: item.file.clone(), changes: Vec::new() });
        entry.changes.push(CodeChange { path: path.clone(), item: item.kind, change, old: old_sig, new: new_sig });
    }
    CodeDiff { modules: modules.into_values().collect() }
}

/// True when one of the item's owners is itself in `set` (and so already reported).
fn inside(item: &Item, set: &BTreeSet<&String>, items: &BTreeMap<String, Item>) -> bool {
    let mut owner = item.owner.as_ref();
    for _ in 0..64 {
        let Some(o) = owner else { return false };
        if set.contains(o) {
            return true;
        }
        owner = items.get(o).and_then(|i| i.owner.as_ref());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(code: &str) -> BTreeMap<String, Item> {
        let files = BTreeMap::from([(PathBuf::from("x-models/src/v2.rs"), code.to_owned())]);
        public_items(&files).expect("parses")
    }

    #[test]
    fn field_type_change_and_removed_struct_are_reported_once() {
        let old = items(
            "#[derive(Clone, Default)] pub struct Token { pub label: Option<String>, secret: String }\n\
             pub struct Gone { pub a: u8 }\n impl Gone { pub fn a(&self) -> u8 { self.a } }",
        );
        let new = items("#[derive(Clone)] pub struct Token { pub label: String, secret: String }");
        let diff = compare(&old, &new);
        assert_eq!(diff.modules.len(), 1);
        assert_eq!(diff.modules[0].module, "x_models::v2");
        let shown: Vec<String> =
            diff.modules[0].changes.iter().map(|c| format!("{:?} {} {:?} -> {:?}", c.change, c.path, c.old, c.new)).collect();
        assert_eq!(
            shown,
            vec![
                "Removed x_models::v2::Gone Some(\"struct Gone\") -> None",
                "Removed x_models::v2::Token: Default Some(\"impl Default for Token\") -> None",
                "Changed x_models::v2::Token::label Some(\"Option<String>\") -> Some(\"String\")",
            ]
        );
    }

    #[test]
    fn derived_and_written_impls_compare_equal_and_paths_follow_files() {
        let written = items("pub struct A; impl<'de> serde::Deserialize<'de> for A { fn deserialize() {} }");
        let derived = items("#[derive(serde::Deserialize)] pub struct A;");
        assert!(compare(&written, &derived).modules.is_empty());
        assert_eq!(module_path(Path::new("c-models/src/lib.rs")).as_deref(), Some("c_models"));
        assert_eq!(module_path(Path::new("c-models/src/a/mod.rs")).as_deref(), Some("c_models::a"));
        assert_eq!(module_path(Path::new("c-models/README.md")), None);
    }
}
