//! The `Serialize` and `Deserialize` impls of generated structs, written out rather than derived
//! (see the compile benchmark's README): a struct's properties as a map, in spec order, and a
//! visitor of one slot per field reading them back.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::super::rust::{ident, type_complexity, type_tokens, TYPE_COMPLEXITY_LIMIT};
use super::field_type;
use crate::ir::{Api, Field, Struct, TypeKind, TypeRef};

/// `Serialize` written out: the properties as a map, in spec order, an optional field left out
/// when `None` (a required nullable one sent as `null`), extra properties last.
pub(super) fn serialize_impl(type_name: &str, s: &Struct) -> TokenStream {
    let name = ident(type_name);
    let entries = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        if !f.required {
            quote!(if let Some(value) = &self.#field { map.serialize_entry(#wire, value)?; })
        } else {
            quote!(map.serialize_entry(#wire, &self.#field)?;)
        }
    });
    let extra = s.additional.as_ref().map(|_| {
        let field = ident(&s.additional_name);
        quote!(for (key, value) in &self.#field { map.serialize_entry(key, value)?; })
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                #extra
                map.end()
            }
        }
    }
}

/// `Deserialize` written out rather than derived: a visitor that fills one struct of slots, one per
/// field, matching property names in one loop, then checks the required ones in one match. It
/// reads what the derive would, but that a required property must be present even where it may be
/// `null` (an absent one is missing, so a union tries its next member), and that unknown properties
/// are kept (or refused, where the schema closes the object).
/// The slots live in one value so that each early return (a `?`) drops one value: with a local per
/// field, as the derive has, a 100-field struct's returns drop 100 locals each, and the compile
/// cost grows with the square of the fields (see the compile benchmark's README).
pub(super) fn deserialize_impl(api: &Api, type_name: &str, s: &Struct) -> TokenStream {
    let name = ident(type_name);
    // A slot is `None` until its property is read, but for an optional field, whose own `None`
    // stands for absent: so a required field, nullable or not, is missing when its slot is `None`.
    // A slot whose type would be too complex for clippy (a required map of maps of lists) is a
    // type parameter of the slots instead, which the fields it fills infer: an `Option` around a
    // type just within the limit, as the struct's own field has it, goes beyond it.
    let mut params = Vec::new();
    let slot_fields: Vec<TokenStream> = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = field_type(f);
        if !f.required {
            return quote!(#field: #ty,);
        }
        let slot = quote!(Option<#ty>);
        if type_complexity(&slot) <= TYPE_COMPLEXITY_LIMIT {
            return quote!(#field: #slot,);
        }
        let param = format_ident!("T{}", params.len());
        params.push(param.clone());
        quote!(#field: Option<#param>,)
    }).collect();
    let generics = (!params.is_empty()).then(|| quote!(<#(#params),*>));
    let arms = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        if !f.required && !f.nullable && !admits_null(api, &f.ty) {
            // `null` reads as absent, but where a server checks a request (see the runtime's `Optional`).
            quote!(#wire => slots.#field = generator_runtime::de::optional(&mut map)?,)
        } else if !f.required && !f.nullable {
            quote!(#wire => slots.#field = map.next_value()?,)
        } else {
            quote!(#wire => slots.#field = Some(map.next_value()?),)
        }
    });
    let (extra_slot, other_arm, extra_pattern, extra_value) = match &s.additional {
        Some(ty) => {
            let field = ident(&s.additional_name);
            let ty = type_tokens(ty);
            (
                quote!(#field: std::collections::BTreeMap<String, #ty>,),
                quote!(_ => { slots.#field.insert(key.into_owned(), map.next_value()?); }),
                quote!(#field,),
                quote!(#field,),
            )
        }
        // `additionalProperties: false`: a property the spec does not name is refused.
        None => {
            let refusal = format!("`{{}}` is not a property of `{type_name}`, which allows no other");
            (quote!(), quote!(other => return Err(serde::de::Error::custom(format_args!(#refusal, other))),), quote!(), quote!())
        }
    };
    let patterns = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        if !f.required {
            quote!(#field)
        } else {
            quote!(#field: Some(#field))
        }
    });
    let values = s.fields.iter().map(|f| ident(&f.name));
    let empty: Vec<TokenStream> = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        quote!(#field: None)
    }).collect();
    let extra_empty = s.additional.as_ref().map(|_| {
        let field = ident(&s.additional_name);
        quote!(#field: std::collections::BTreeMap::new(),)
    });
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let finish = if required.is_empty() {
        quote! {
            let Slots { #(#patterns,)* #extra_pattern } = slots;
            Ok(#name { #(#values,)* #extra_value })
        }
    } else {
        // The first required field missing, for the error: a flat list, however many fields
        // (nested `if`s would nest as deep as there are fields, for rustc and syn alike).
        let checks = required.iter().map(|f| {
            let field = ident(&f.name);
            let wire = &f.wire_name;
            quote!((#wire, slots.#field.is_none()))
        });
        quote! {
            match slots {
                Slots { #(#patterns,)* #extra_pattern } => Ok(#name { #(#values,)* #extra_value }),
                slots => {
                    let missing = [#(#checks),*];
                    let name = missing.iter().find(|(_, absent)| *absent).map_or("", |(name, _)| *name);
                    Err(serde::de::Error::missing_field(name))
                }
            }
        }
    };
    let expecting = format!("a `{type_name}` object");
    // A struct of extra properties alone keeps every property: no names to match.
    let read_loop = if s.fields.is_empty() {
        let field = ident(&s.additional_name);
        quote! {
            while let Some(key) = map.next_key::<String>()? {
                slots.#field.insert(key, map.next_value()?);
            }
        }
    } else {
        quote! {
            while let Some(key) = map.next_key::<generator_runtime::de::Key<'de>>()? {
                match key.as_ref() {
                    #(#arms)*
                    #other_arm
                }
            }
        }
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Slots #generics {
                    #(#slot_fields)*
                    #extra_slot
                }

                struct Visitor;

                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut slots = Slots { #(#empty,)* #extra_empty };
                        #read_loop
                        #finish
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }
    }
}

/// Whether a value of `ty` may be `null` though no field says so: any JSON value, a type of the
/// user's (which may read it), or a union with such a member, through aliases.
fn admits_null(api: &Api, ty: &TypeRef) -> bool {
    let ty = api.resolved(ty);
    if ty.holds_null() || matches!(ty, TypeRef::External(_)) {
        return true;
    }
    let TypeRef::Named(name) = ty else { return false };
    match api.type_def(name).map(|d| &d.kind) {
        Some(TypeKind::Union(members)) => members.iter().any(|m| api.resolved(m).holds_null() || matches!(api.resolved(m), TypeRef::External(_))),
        _ => false,
    }
}
