//! The models crate (`<prefix>-models`): one module per API with a serde type for every named type.
//!
//! Structs keep the wire names, tell required, optional and nullable apart, and redact secrets in
//! `Debug`; string enums keep unknown values in a fallback variant so that a newer server's answer
//! still deserializes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::layout::{gated, Layout, ModuleCode, Units};
use super::rust::{constraints_doc, doc_attrs, ident, inner_doc_attrs, type_tokens};
use super::templates;
use super::features::{Features, Placement};
use super::{rust_file, Crates, TypeDeps};
use crate::diag::Error;
use crate::ir::{Api, Constraints, Enum, Field, Struct, Tagged, TypeDef, TypeKind, TypeRef};

mod struct_serde;
use struct_serde::{deserialize_impl, serialize_impl};

/// What a redacted secret shows in `Debug` output.
const REDACTED: &str = "<redacted>";

/// Name of the models crate for a prefix.
pub fn crate_name(prefix: &str) -> String {
    format!("{prefix}-models")
}

/// Adds the models crate's small files to `files`, and its modules to `layout`.
pub(crate) fn emit<'a>(crates: &'a Crates<'a>, features: &'a Features, files: &mut BTreeMap<PathBuf, String>, layout: &mut Layout<'a>) -> Result<(), Error> {
    let name = crate_name(crates.prefix);
    let root = PathBuf::from(&name);
    for (index, api) in crates.apis.iter().enumerate() {
        layout.add(module_code(index, api, features), features, &name, &api.module);
    }
    files.insert(root.join("src/lib.rs"), rust_file(crates, &format!("{name}/src/lib.rs"), lib_tokens(crates))?);

    let mut deps = TypeDeps::default();
    for def in crates.apis.iter().flat_map(|a| &a.types) {
        for_each_type(def, &mut |t| deps.add(t));
        // Structs, unions and enums read themselves with the runtime's `de` helpers.
        deps.runtime |= matches!(def.kind, TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Tagged(_) | TypeKind::Enum(_));
        deps.unions |= matches!(def.kind, TypeKind::Union(_) | TypeKind::Tagged(_));
    }
    let context = templates::ModelsContext {
        overlays: crates.overlays(),
        note: crates.readme_note.map(|n| n.trim_end().to_owned()),
        crate_name: name.clone(),
        header: crates.header(),
        description: format!(
            "Typed models of {}, generated from {}",
            api_titles(crates.apis),
            if crates.apis.len() == 1 { "its OpenAPI description" } else { "their OpenAPI descriptions" }
        ),
        crate_list: deps.listed(&crates.extra_dependencies()),
        runtime_features: deps.model_runtime_features(),
        deps,
        runtime: crates.runtime.to_owned(),
        dependencies: crates.extra_dependencies(),
        features: features.cargo_table(&[]),
        apis: crates.apis.iter().map(templates::ApiSummary::from).collect(),
        warnings: crates.warnings.iter().map(ToString::to_string).collect(),
    };
    files.insert(root.join("Cargo.toml"), templates::render("models/Cargo.toml.j2", &context)?);
    files.insert(root.join("README.md"), templates::render("models/README.md.j2", &context)?);
    Ok(())
}

/// "Title (version) and Title (version)" of the APIs.
pub(crate) fn api_titles(apis: &[Api]) -> String {
    let titles: Vec<String> = apis.iter().map(|a| format!("{} ({})", a.title, a.version)).collect();
    titles.join(" and ")
}

/// Calls `f` on every type a definition holds directly.
fn for_each_type(def: &TypeDef, f: &mut dyn FnMut(&TypeRef)) {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).for_each(f),
        TypeKind::Alias(t) => f(t),
        TypeKind::Union(v) => v.iter().for_each(f),
        TypeKind::Tagged(t) => t.members().for_each(f),
        TypeKind::Enum(_) => {}
    }
}

fn lib_tokens(crates: &Crates<'_>) -> TokenStream {
    let intro = format!("Typed models of {}.", api_titles(crates.apis));
    let usage = "Every type implements `serde::Serialize` and `serde::Deserialize` with the exact wire names of the spec, so it can be sent and read with any serde format that has maps (usually JSON). Fields the spec marks optional are `Option`s that are left out when `None`; required nullable ones are `Option`s sent as `null`; optional nullable ones are `Option<Option<_>>`, absent when `None` and `null` when `Some(None)`, so a value read is written back as it came. String enums keep values this version of the spec does not know in a fallback variant. The impls are written out rather than derived: they compile in a fraction of the time.".to_owned();
    // Written here, not taken from a spec, so the intra-doc links are meant and stay unescaped.
    let modules = crates.apis.iter().map(|a| {
        let line = format!(" - [`{}`]: {} ({}), from `{}`: {} types.", a.module, a.title, a.version, a.source, a.types.len());
        quote!(#![doc = #line])
    });
    let prose = inner_doc_attrs(&[Some(intro), Some(usage)]);
    let inner_docs = quote!(#prose #![doc = ""] #(#modules)*);
    let mods = crates.apis.iter().map(|a| {
        let m = ident(&a.module);
        let doc = doc_attrs(&[Some(format!("{} ({}).", a.title, a.version))]);
        quote!(#doc pub mod #m;)
    });
    quote! {
        #inner_docs
        #![forbid(unsafe_code)]
        #(#mods)*
    }
}

fn module_code<'a>(index: usize, api: &'a Api, features: &'a Features) -> ModuleCode<'a> {
    let group_of = move |def: &TypeDef| match features.place_type(index, &def.name) {
        Placement::Group(g) => Some(g),
        Placement::Shared(_) => None,
    };
    let placed: BTreeMap<&str, Option<usize>> = api.types.iter().map(|def| (def.name.as_str(), group_of(def))).collect();
    // A group file names the types its types hold that live elsewhere.
    let mut group_uses: BTreeMap<usize, std::collections::BTreeSet<String>> = BTreeMap::new();
    for def in &api.types {
        let Some(Some(g)) = placed.get(def.name.as_str()) else { continue };
        group_uses.entry(*g).or_default();
        for_each_type(def, &mut |ty| {
            ty.visit(&mut |t| {
                if let TypeRef::Named(n) = t {
                    if placed.get(n.as_str()) != Some(&Some(*g)) {
                        group_uses.entry(*g).or_default().insert(n.clone());
                    }
                }
            })
        });
    }
    let mut members: BTreeMap<usize, Vec<&'a TypeDef>> = BTreeMap::new();
    let mut shared: Vec<&'a TypeDef> = Vec::new();
    for def in &api.types {
        match group_of(def) {
            Some(g) => members.entry(g).or_default().push(def),
            None => shared.push(def),
        }
    }
    let exporting = members.keys().copied().collect();
    let groups = members.into_iter().map(|(g, defs)| (g, Units::new(defs.len(), move |i| type_tokens_of(api, defs[i], None)))).collect();
    let root = Units::new(shared.len(), move |i| {
        let def = shared[i];
        // The cfg attribute is tokens, which threads cannot share: the unit makes it again.
        let cfg = match features.place_type(index, &def.name) {
            Placement::Shared(cfg) => cfg,
            Placement::Group(_) => None,
        };
        type_tokens_of(api, def, cfg.as_ref())
    });
    let docs = Box::new(move || {
        let intro = format!("Types of {} ({}), generated from `{}`.", api.title, api.version, api.source);
        inner_doc_attrs(&[Some(intro), api.description.clone()])
    });
    ModuleCode { docs, root, groups, exporting, imports: Vec::new(), group_uses }
}

/// The items of one type, each under `cfg` when given.
fn type_tokens_of(api: &Api, def: &TypeDef, cfg: Option<&TokenStream>) -> TokenStream {
    let origin = match &def.schema_name {
        Some(schema) => format!("Schema `{schema}` of `{}`.", api.source),
        None => format!("Inline schema at `{}` of `{}`.", def.location.pointer, api.source),
    };
    let shared = (!def.shared_with.is_empty()).then(|| {
        let places: Vec<String> = def.shared_with.iter().map(|p| format!("`{p}`")).collect();
        format!("Also the identical inline schema{} at {}.", if places.len() == 1 { "" } else { "s" }, places.join(", "))
    });
    let docs = doc_attrs(&[def.doc.clone(), Some(origin), shared]);
    gated(type_items(api, def, docs), cfg)
}

fn type_items(api: &Api, def: &TypeDef, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => struct_tokens(api, &def.name, docs, s),
        TypeKind::Enum(e) => enum_tokens(&def.name, docs, e),
        TypeKind::Union(variants) => union_tokens(api, &def.name, docs, variants, &def.member_rules),
        TypeKind::Tagged(tagged) => tagged_tokens(api, &def.name, docs, tagged),
        TypeKind::Alias(target) => {
            let target = type_tokens(target);
            quote!(#docs pub type #name = #target;)
        }
    }
}

/// The field's Rust type: `Box` for recursion, `Option` when it may be absent or null, and
/// `Option<Option<_>>` when it may be either (`None` absent, `Some(None)` null).
fn field_type(f: &Field) -> TokenStream {
    let mut ty = type_tokens(&f.ty);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.absent_or_null() {
        ty = quote!(Option<Option<#ty>>);
    } else if !f.required || f.nullable {
        ty = quote!(Option<#ty>);
    }
    ty
}

fn field_tokens(f: &Field) -> TokenStream {
    let presence = match (f.required, f.nullable) {
        (true, false) => None,
        (true, true) => Some("Always present; `None` stands for `null`.".to_owned()),
        (false, true) => Some("May be absent or `null`: `None` when absent (and left out), `Some(None)` for `null`.".to_owned()),
        (false, false) => Some("May be absent; left out when `None`.".to_owned()),
    };
    let default = f.default.as_ref().map(|d| format!("Default: `{d}`."));
    let access = match (f.read_only, f.write_only) {
        (true, _) => Some("Read-only: answers carry it; a request leaves it out.".to_owned()),
        (_, true) => Some("Write-only: requests carry it; answers leave it out.".to_owned()),
        _ => None,
    };
    let wire = (f.name != f.wire_name).then(|| format!("`{}` on the wire.", f.wire_name));
    // A field the spec does not describe is still documented: by the property it is.
    let described = f.doc.as_deref().is_some_and(|d| !super::docs::doc_lines(d).is_empty());
    let doc = if described { f.doc.clone() } else { Some(format!("The `{}` property.", f.wire_name)) };
    let wire = if described { wire } else { None };
    let docs = doc_attrs(&[doc, constraints_doc(&f.constraints), default, access, presence, wire]);
    let name = ident(&f.name);
    let ty = field_type(f);
    quote! {
        #docs
        pub #name: #ty,
    }
}

fn struct_tokens(api: &Api, type_name: &str, docs: TokenStream, s: &Struct) -> TokenStream {
    let name = ident(type_name);
    let fields = s.fields.iter().map(field_tokens);
    let additional = s.additional.as_ref().map(|t| {
        let field = ident(&s.additional_name);
        let ty = type_tokens(t);
        quote! {
            /// Properties not named by the spec, by name.
            pub #field: std::collections::BTreeMap<String, #ty>,
        }
    });
    let has_secret = s.fields.iter().any(|f| f.secret);
    let all_optional = s.fields.iter().all(|f| !f.required || f.nullable);
    let mut derives = vec![quote!(Clone)];
    if !has_secret {
        derives.push(quote!(Debug));
    }
    if all_optional {
        derives.push(quote!(Default));
    }
    derives.push(quote!(PartialEq));
    let debug_impl = has_secret.then(|| redacting_debug(type_name, s));
    let deserialize = deserialize_impl(api, type_name, s);
    let serialize = serialize_impl(type_name, s);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #debug_impl
        #serialize
        #deserialize
    }
}

/// `Debug` that prints every field but shows secrets as a redaction.
fn redacting_debug(type_name: &str, s: &Struct) -> TokenStream {
    let name = ident(type_name);
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let label = &f.name;
        if !f.secret {
            quote!(.field(#label, &self.#field))
        } else if !f.required || f.nullable {
            quote!(.field(#label, &self.#field.as_ref().map(|_| #REDACTED)))
        } else {
            quote!(.field(#label, &#REDACTED))
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = ident(&s.additional_name);
        let label = &s.additional_name;
        quote!(.field(#label, &self.#field))
    });
    let doc = format!(" Shows every field but the secret ones, which read `{REDACTED}`.");
    quote! {
        #[doc = #doc]
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

fn enum_tokens(type_name: &str, docs: TokenStream, e: &Enum) -> TokenStream {
    let name = ident(type_name);
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = format!(" `{}`", v.value);
        quote!(#[doc = #doc] #variant,)
    });
    let to_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the spec does not list, kept as received.
            #fallback(String),
        }

        impl #name {
            /// The value as it is on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#fallback(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// Reads any string: one the spec does not list is kept in the fallback, except while a
        /// union tries its members strictly.
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                match Self::from(value.as_str()) {
                    Self::#fallback(_) if generator_runtime::de::strict() => Err(serde::de::Error::custom(format_args!("`{value}` is not a value of `{}`", #type_name))),
                    read => Ok(read),
                }
            }
        }
    }
}

/// An untagged union; its struct and union members are boxed, so that one large member does not make
/// every value of the union large.
fn union_tokens(api: &Api, type_name: &str, docs: TokenStream, variants: &[TypeRef], rules: &[Constraints]) -> TokenStream {
    let name = ident(type_name);
    let names = crate::ir::naming::union_variant_names(variants);
    let mut members = Vec::new();
    let mut tries = Vec::new();
    let mut writes = Vec::new();
    for (i, (t, label)) in variants.iter().zip(names).enumerate() {
        let variant = ident(&label);
        let ty = type_tokens(t);
        let ty = if api.is_compound(t) { quote!(Box<#ty>) } else { ty };
        let rules = rules.get(i);
        let doc = match rules.and_then(constraints_doc) {
            Some(rules) => format!(" The value is a `{label}`. {rules}"),
            None => format!(" The value is a `{label}`."),
        };
        members.push(quote!(#[doc = #doc] #variant(#ty),));
        tries.push(match rules.and_then(member_rules) {
            Some(rules) => quote! {
                {
                    static RULES: generator_runtime::de::Rules = #rules;
                    if let Some(member) = value.read_within(&RULES) {
                        return Some(Self::#variant(member));
                    }
                }
            },
            None => quote! {
                if let Some(member) = value.read() {
                    return Some(Self::#variant(member));
                }
            },
        });
        writes.push(quote!(Self::#variant(member) => member.serialize(serializer),));
    }
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#members)*
        }

        /// Writes the member as it is, with no tag.
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                }
            }
        }

        /// Reads the first member, in the spec's order, that the value is (a number or boolean
        /// also as its text, last; a member listing an enum's value before one that does not).
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let buffered = generator_runtime::de::Buffered::deserialize(deserializer)?;
                buffered
                    .first(|value| {
                        #(#tries)*
                        None
                    })
                    .ok_or_else(|| buffered.mismatch(#type_name))
            }
        }
    }
}

/// The runtime's [`Rules`](generator_runtime::de::Rules) of a union member, where it has some
/// the runtime judges before reading it: lengths, a pattern, `format: uri` and `email`, bounds, an
/// `enum` of numbers, item counts and unique items.
fn member_rules(c: &Constraints) -> Option<TokenStream> {
    let size = |v: Option<u64>| v.map(|v| v as usize);
    let bound = |v: Option<f64>, exclusive: bool| v.map(|v| quote!(Some((#v, #exclusive))));
    let mut set = Vec::new();
    for (name, value) in [("min_length", size(c.min_length)), ("max_length", size(c.max_length)), ("min_items", size(c.min_items)), ("max_items", size(c.max_items))] {
        if let Some(value) = value {
            let name = quote::format_ident!("{name}");
            set.push(quote!(#name: Some(#value)));
        }
    }
    if let Some(pattern) = &c.pattern {
        set.push(quote!(pattern: Some(generator_runtime::text::Pattern::new(#pattern))));
    }
    match c.format.as_deref() {
        Some("uri") => set.push(quote!(absolute_uri: true)),
        Some("email") => set.push(quote!(email: true)),
        _ => {}
    }
    if c.unique_items {
        set.push(quote!(unique_items: true));
    }
    if let Some(min) = bound(c.minimum, c.exclusive_minimum) {
        set.push(quote!(minimum: #min));
    }
    if let Some(max) = bound(c.maximum, c.exclusive_maximum) {
        set.push(quote!(maximum: #max));
    }
    let allowed: Vec<f64> = c.allowed.iter().filter_map(serde_json::Value::as_f64).collect();
    if !allowed.is_empty() {
        set.push(quote!(allowed: &[#(#allowed),*]));
    }
    (!set.is_empty()).then(|| quote!(generator_runtime::de::Rules { #(#set,)* ..generator_runtime::de::Rules::NONE }))
}

/// A value whose shape a property names: one variant per shape (compound ones boxed, as a union's
/// are), read by the tag and written as the member it holds.
fn tagged_tokens(api: &Api, type_name: &str, docs: TokenStream, tagged: &Tagged) -> TokenStream {
    let name = ident(type_name);
    let members: Vec<TypeRef> = tagged.members().cloned().collect();
    let names = crate::ir::naming::union_variant_names(&members);
    let property = &tagged.property;
    // How a member read from the buffered value becomes the variant.
    let wraps: Vec<TokenStream> = members
        .iter()
        .zip(&names)
        .map(|(ty, label)| {
            let variant = ident(label);
            if api.is_compound(ty) {
                quote!(|member| Self::#variant(Box::new(member)))
            } else {
                quote!(Self::#variant)
            }
        })
        .collect();
    let mut variants = Vec::new();
    let mut writes = Vec::new();
    for (i, (ty, label)) in members.iter().zip(&names).enumerate() {
        let variant = ident(label);
        let rust = type_tokens(ty);
        let rust = if api.is_compound(ty) { quote!(Box<#rust>) } else { rust };
        let doc = match tagged.variants.get(i) {
            Some(v) if tagged.default == Some(i) => format!(" `{property}` is {}, another value or none: the value is a `{label}`.", v.values.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" or ")),
            Some(v) => format!(" `{property}` is {}: the value is a `{label}`.", v.values.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" or ")),
            None if tagged.default.is_some() => format!(" The base shape's own fields, written as they are; a value read whose `{property}` names no shape is the default one."),
            None => format!(" `{property}` names no other shape: the value is a `{label}`."),
        };
        variants.push(quote!(#[doc = #doc] #variant(#rust),));
        writes.push(quote!(Self::#variant(member) => member.serialize(serializer),));
    }
    let arms = tagged.variants.iter().zip(&wraps).map(|(v, wrap)| {
        let values = &v.values;
        quote!(Some(#(#values)|*) => buffered.parse().map(#wrap),)
    });
    let otherwise = match (tagged.default.and_then(|i| wraps.get(i)), &tagged.fallback, wraps.last()) {
        (Some(wrap), _, _) | (None, Some(_), Some(wrap)) => quote!(_ => buffered.parse().map(#wrap),),
        _ => {
            let tries = members.iter().zip(&names).map(|(ty, label)| {
                let variant = ident(label);
                let member = if api.is_compound(ty) { quote!(Box::new(member)) } else { quote!(member) };
                quote! {
                    if let Some(member) = value.read() {
                        return Some(Self::#variant(#member));
                    }
                }
            });
            quote!(_ => buffered
                .first(|value| {
                    #(#tries)*
                    None
                })
                .ok_or_else(|| buffered.mismatch(#type_name)),)
        }
    };
    let write_doc = format!(" Writes the member as it is: its own `{property}` says which it is.");
    let read_doc = format!(" Reads the shape the value's `{property}` names.");
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #[doc = #write_doc]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                }
            }
        }

        #[doc = #read_doc]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let buffered = generator_runtime::de::Buffered::deserialize(deserializer)?;
                match buffered.tag(#property) {
                    #(#arms)*
                    #otherwise
                }
            }
        }
    }
}
