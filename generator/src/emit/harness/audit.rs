//! Where a value went inside its model, for the models harness: the same JSON coming back does
//! not prove a property was read into its field (an open struct keeps a property it reads under
//! the wrong name in its map of extra properties, and writes it back unchanged), nor that a union
//! read the member the value is (it takes the first member that reads). So the harness walks each
//! typed value and reports, by JSON pointer into the value, the keys every struct kept as extra
//! properties and the member every union or tagged value holds; whoever drives it judges those
//! against the spec.
//!
//! The walk is a trait of the harness crate, implemented for the model types the examples reach,
//! so the models crate carries nothing for it.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::rust::{ident, qualified_type};
use crate::ir::naming::union_variant_names;
use crate::ir::{Api, Struct, TypeKind, TypeRef};

/// Whether a value of `ty` may hold a struct, a union or a tagged value (what the walk reports
/// on), through aliases, lists and maps. Tuples are not walked.
pub(super) fn walked(api: &Api, ty: &TypeRef) -> bool {
    match api.resolved(ty) {
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => walked(api, inner),
        TypeRef::Named(name) => matches!(api.type_def(name).map(|d| &d.kind), Some(TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Tagged(_))),
        _ => false,
    }
}

/// The structs, unions and tagged values a value of any of `roots` may hold, by name.
fn reached(api: &Api, roots: &[&TypeRef]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<TypeRef> = roots.iter().map(|t| (*t).clone()).collect();
    while let Some(ty) = todo.pop() {
        ty.visit(&mut |t| {
            let TypeRef::Named(name) = t else { return };
            if !seen.insert(name.clone()) {
                return;
            }
            let Some(def) = api.type_def(name) else { return };
            match &def.kind {
                TypeKind::Struct(s) => todo.extend(s.fields.iter().map(|f| f.ty.clone()).chain(s.additional.clone())),
                TypeKind::Union(members) => todo.extend(members.iter().cloned()),
                TypeKind::Tagged(tagged) => todo.extend(tagged.members().cloned()),
                TypeKind::Alias(target) => {
                    todo.push(target.clone());
                    return;
                }
                TypeKind::Enum(_) => return,
            }
            found.insert(name.clone());
        });
    }
    found
}

/// What the walk reports, and where any of `roots` may hold what it reports on: the walk (a
/// trait, its impls for the containers the models use and one impl per struct, union and tagged
/// value reached) and `audited`, which reads, walks and writes a value. `models` is the path of
/// the models' module.
pub(super) fn items(api: &Api, models: &TokenStream, roots: &[&TypeRef]) -> TokenStream {
    let reached = reached(api, roots);
    // What the walk may report: extras where a struct keeps them, members where a union is reached.
    let kinds = || reached.iter().filter_map(|name| api.type_def(name)).map(|def| &def.kind);
    let extras = kinds().any(|k| matches!(k, TypeKind::Struct(s) if s.additional.is_some()));
    let unions = kinds().any(|k| matches!(k, TypeKind::Union(_) | TypeKind::Tagged(_)));
    let extra = extras.then(|| {
        quote! {
            /// A struct at `at` kept `keys` as extra properties.
            fn extra<'a>(&mut self, at: &str, ty: &str, keys: impl Iterator<Item = &'a String>) {
                self.extra.push(serde_json::json!([at, ty, keys.collect::<Vec<_>>()]));
            }
        }
    });
    let member = unions.then(|| {
        quote! {
            /// A union at `at` holds its member numbered `index`.
            fn member(&mut self, at: &str, ty: &str, index: usize) {
                self.members.push(serde_json::json!([at, ty, index]));
            }
        }
    });
    let impls = reached.iter().filter_map(|name| {
        let def = api.type_def(name)?;
        let path = qualified_type(&TypeRef::Named(name.clone()), Some(models));
        let body = match &def.kind {
            TypeKind::Struct(s) => struct_body(api, name, s),
            TypeKind::Union(members) => members_body(api, name, &path, members),
            TypeKind::Tagged(tagged) => members_body(api, name, &path, &tagged.members().cloned().collect::<Vec<_>>()),
            TypeKind::Alias(_) | TypeKind::Enum(_) => return None,
        };
        // A struct with nothing to walk (no extras, no field of a walked type) reports nothing.
        if body.is_empty() {
            return Some(quote! {
                impl Audit for #path {
                    fn audit(&self, _: &str, _: &mut Report) {}
                }
            });
        }
        Some(quote! {
            impl Audit for #path {
                fn audit(&self, at: &str, out: &mut Report) {
                    #body
                }
            }
        })
    });
    let report = report();
    if roots.iter().all(|ty| !walked(api, ty)) {
        return report;
    }
    quote! {
        #report

        /// `json` read as a `T` and written again, with where its parts went.
        fn audited<T: serde::de::DeserializeOwned + serde::Serialize + Audit>(json: &str) -> Result<(String, Report), String> {
            let typed: T = read(json)?;
            let mut report = Report::default();
            typed.audit("", &mut report);
            Ok((write(&typed)?, report))
        }

        impl Report {
            #extra
            #member
        }

        /// A model value walked, reporting where its parts went.
        trait Audit {
            fn audit(&self, at: &str, out: &mut Report);
        }

        /// The pointer of `key` below `at`.
        fn child(at: &str, key: &str) -> String {
            format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"))
        }

        impl<T: Audit> Audit for Option<T> {
            fn audit(&self, at: &str, out: &mut Report) {
                if let Some(value) = self {
                    value.audit(at, out);
                }
            }
        }

        impl<T: Audit> Audit for Box<T> {
            fn audit(&self, at: &str, out: &mut Report) {
                (**self).audit(at, out);
            }
        }

        impl<T: Audit> Audit for Vec<T> {
            fn audit(&self, at: &str, out: &mut Report) {
                for (i, value) in self.iter().enumerate() {
                    value.audit(&child(at, &i.to_string()), out);
                }
            }
        }

        impl<T: Audit> Audit for std::collections::BTreeMap<String, T> {
            fn audit(&self, at: &str, out: &mut Report) {
                for (key, value) in self {
                    value.audit(&child(at, key), out);
                }
            }
        }

        #(#impls)*
    }
}

/// The report of one value: empty for a value of a type that holds nothing the walk reports on.
fn report() -> TokenStream {
    quote! {
        /// What the walk of one value found: the keys each struct kept as extra properties and
        /// the member each union holds, by JSON pointer into the value.
        #[derive(Default)]
        struct Report {
            extra: Vec<serde_json::Value>,
            members: Vec<serde_json::Value>,
        }

        impl Report {
            fn json(&self) -> serde_json::Value {
                serde_json::json!({"extra": self.extra, "members": self.members})
            }
        }
    }
}

/// A struct reports the keys it kept as extra properties, then walks its fields and extras.
fn struct_body(api: &Api, name: &str, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().filter(|f| walked(api, &f.ty)).map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        quote!(self.#field.audit(&child(at, #wire), out);)
    });
    let extra = s.additional.as_ref().map(|ty| {
        let field = ident(&s.additional_name);
        let walk = walked(api, ty).then(|| quote!(self.#field.audit(at, out);));
        quote! {
            if !self.#field.is_empty() {
                out.extra(at, #name, self.#field.keys());
            }
            #walk
        }
    });
    quote! {
        #extra
        #(#fields)*
    }
}

/// A union or tagged value reports the member it holds (its index among `members`), then walks it.
fn members_body(api: &Api, name: &str, path: &TokenStream, members: &[TypeRef]) -> TokenStream {
    let names = union_variant_names(members);
    let arms = members.iter().zip(names).enumerate().map(|(i, (ty, label))| {
        let variant = ident(&label);
        let index = Literal::usize_unsuffixed(i);
        if walked(api, ty) {
            quote!(#path::#variant(member) => {
                out.member(at, #name, #index);
                member.audit(at, out);
            })
        } else {
            quote!(#path::#variant(_) => out.member(at, #name, #index),)
        }
    });
    quote! {
        match self {
            #(#arms)*
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostics;
    use crate::ir::TypeRef;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        user_name: {type: string}
        owner: {$ref: "#/components/schemas/Owner"}
    Owner:
      oneOf:
        - {type: string, maxLength: 3}
        - {$ref: "#/components/schemas/Person"}
    Person:
      type: object
      additionalProperties: false
      properties:
        tags: {type: array, items: {$ref: "#/components/schemas/Pet"}}
"##;

    #[test]
    fn structs_report_their_extra_keys_and_unions_their_member() {
        let mut diags = Diagnostics::default();
        let doc = crate::load::load_str(SPEC, "t.yaml", &mut diags).expect("loads");
        let api = crate::ir::lower(&doc, "t", &mut diags).expect("lowers");
        let files = super::super::files(&api, "t", "t", "path = \"r\"", "@generated", &[(TypeRef::Named("Pet".into()), false), (TypeRef::String, true)]).expect("emits");
        let main = &files[std::path::Path::new("t-roundtrip/src/main.rs")];
        let flat: String = main.split_whitespace().collect::<Vec<_>>().join(" ");
        // The open struct reports its extra keys and walks the field that may hold a union; the
        // union reports each member and walks the one that may hold a struct; the closed struct
        // walks its list. A case of a type holding nothing to report is not walked.
        assert!(flat.contains(r#"impl Audit for t_models::t::Pet { fn audit(&self, at: &str, out: &mut Report) { if !self.additional_properties.is_empty() { out.extra(at, "Pet", self.additional_properties.keys()); }"#), "{main}");
        assert!(flat.contains(r#"self.owner.audit(&child(at, "owner"), out);"#), "{main}");
        assert!(flat.contains(r#"t_models::t::Owner::String(_) => out.member(at, "Owner", 0),"#), "{main}");
        assert!(flat.contains(r#"t_models::t::Owner::Person(member) => { out.member(at, "Owner", 1); member.audit(at, out); }"#), "{main}");
        assert!(flat.contains(r#"impl Audit for t_models::t::Person { fn audit(&self, at: &str, out: &mut Report) { self.tags.audit(&child(at, "tags"), out); } }"#), "{main}");
        assert!(flat.contains("Ok(0) => audited::<t_models::t::Pet>(json)"), "{main}");
        assert!(flat.contains("read::<Option<String>>(json) .and_then(|typed| write(&typed)) .map(|json| (json, Report::default()))"), "{main}");
    }
}
