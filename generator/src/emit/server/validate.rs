//! The checks of the spec's rules: for parameters in the request readers, and as `Validate` impls for
//! every model type a body may contain (lengths, patterns, ranges, item counts, `email`, `uri`, and enum
//! values the spec does not list, which the models keep for clients but a server must refuse).

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::emit::rust::ident;
use crate::ir::{Api, Constraints, RequiredChoice, Struct, TypeDef, TypeKind, TypeRef};

/// What a type is, for checking, once aliases are followed.
pub(super) enum Resolved<'a> {
    /// A struct, enum or union (or a list, map, option or box of one): it implements `Validate`.
    Validates,
    /// A scalar (or a list of scalars), checked only by its constraints.
    Plain(&'a TypeRef),
}

impl<'a> Resolved<'a> {
    pub fn of(api: &'a Api, ty: &'a TypeRef) -> Resolved<'a> {
        match ty {
            TypeRef::Named(name) => match api.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => Resolved::of(api, target),
                Some(TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_) | TypeKind::Tagged(_)) => Resolved::Validates,
                _ => Resolved::Plain(ty),
            },
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => match Resolved::of(api, inner) {
                Resolved::Validates => Resolved::Validates,
                Resolved::Plain(_) => Resolved::Plain(ty),
            },
            other => Resolved::Plain(other),
        }
    }
}

fn opt_usize(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = v as usize;
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}


/// A value to check.
pub(super) struct Subject<'a> {
    /// Its type.
    pub ty: &'a TypeRef,
    /// The spec's rules for it.
    pub constraints: &'a Constraints,
    /// The expression naming it.
    pub value: TokenStream,
    /// An expression of its field name, for rejections.
    pub field: TokenStream,
    /// How many `Option`s wrap it: 0, 1, or 2 for a property that may be absent or `null`.
    pub options: usize,
    /// The value is a reference bound as `value` already (a union's member, by `match self`).
    pub borrowed: bool,
}

/// Checks of one value, pushing to `errors` (an expression of a `&mut Vec<Rejection>`). Empty when
/// nothing applies.
pub(super) fn value_checks(api: &Api, subject: &Subject<'_>, errors: &TokenStream) -> TokenStream {
    let Subject { ty, constraints: c, value, field, options, borrowed } = subject;
    let mut checks = Vec::new();
    let resolved = Resolved::of(api, ty);
    match &resolved {
        Resolved::Validates => checks.push(quote!(Validate::validate(value, #field, #errors);)),
        Resolved::Plain(plain) => match plain {
            TypeRef::String => {
                if c.min_length.is_some() || c.max_length.is_some() {
                    let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                    checks.push(quote!(server::check_length(value, #min, #max, #field, #errors);));
                }
                if let Some(pattern) = &c.pattern {
                    checks.push(quote! {
                        {
                            static PATTERN: generator_runtime::text::Pattern = generator_runtime::text::Pattern::new(#pattern);
                            server::check_pattern(value, &PATTERN, #field, #errors);
                        }
                    });
                }
                if c.format.as_deref() == Some("email") {
                    checks.push(quote!(server::check_email(value, #field, #errors);));
                }
            }
            TypeRef::Url if c.format.as_deref() == Some("uri") => checks.push(quote!(server::check_absolute_uri(value, #field, #errors);)),
            TypeRef::Integer { .. } | TypeRef::Number { .. } if c.minimum.is_some() || c.maximum.is_some() => {
                let bound = |value: Option<f64>, exclusive: bool| match value {
                    Some(v) if exclusive => quote!(Some(server::Bound::Exclusive(#v))),
                    Some(v) => quote!(Some(server::Bound::Inclusive(#v))),
                    None => quote!(None),
                };
                let (min, max) = (bound(c.minimum, c.exclusive_minimum), bound(c.maximum, c.exclusive_maximum));
                let as_f64 = match plain {
                    TypeRef::Number { bits: 64 } => quote!(*value),
                    TypeRef::Number { .. } => quote!(f64::from(*value)),
                    _ => quote!(*value as f64),
                };
                checks.push(quote!(server::check_range(#as_f64, #min, #max, #field, #errors);));
            }
            _ => {}
        },
    }
    // The values of an integer or number `enum` (a string enum is a type of its own, checked by
    // its `Validate`).
    if matches!(&resolved, Resolved::Plain(TypeRef::Integer { .. } | TypeRef::Number { .. })) && !c.allowed.is_empty() {
        let allowed: Vec<String> = c.allowed.iter().map(|v| v.to_string()).collect();
        // Read once, by the runtime, the first time a value is checked.
        checks.push(quote! {
            {
                static ALLOWED: server::Allowed = server::Allowed::new(&[#(#allowed),*]);
                server::check_allowed(value, &ALLOWED, #field, #errors);
            }
        });
    }
    let is_list = matches!(ty, TypeRef::List(_)) || matches!(&resolved, Resolved::Plain(TypeRef::List(_)));
    if is_list && (c.min_items.is_some() || c.max_items.is_some()) {
        let (min, max) = (opt_usize(c.min_items), opt_usize(c.max_items));
        checks.push(quote!(server::check_items(value.len(), #min, #max, #field, #errors);));
    }
    if is_list && c.unique_items {
        checks.push(quote!(server::check_unique(value, #field, #errors);));
    }
    if checks.is_empty() {
        return quote!();
    }
    match options {
        0 if *borrowed => quote!({ #(#checks)* }),
        0 => quote!({ let value = &#value; #(#checks)* }),
        1 => quote!(if let Some(value) = &#value { #(#checks)* }),
        _ => quote!(if let Some(Some(value)) = &#value { #(#checks)* }),
    }
}

/// The `Validate` impl of a union (by shape or by a tag): the member it holds is checked as that
/// member is, with the rules its schema adds to its type (`rules`, by member), so that what a
/// request nests in a `oneOf` is held to the member's rules. Reading chose the first member whose
/// rules hold; one held that breaks them is there because no member's hold.
fn union_validate(api: &Api, def: &TypeDef, members: &[TypeRef], rules: &[Constraints], ctx: &Ctx) -> TokenStream {
    let models = &ctx.models;
    let name = ident(&def.name);
    let names = crate::ir::naming::union_variant_names(members);
    let none = Constraints::default();
    // Each member with something to check, with its checks.
    let checked: Vec<(proc_macro2::Ident, TokenStream)> = members
        .iter()
        .zip(&names)
        .enumerate()
        .filter_map(|(i, (ty, label))| {
            let subject = Subject { ty, constraints: rules.get(i).unwrap_or(&none), value: quote!(value), field: quote!(field), options: 0, borrowed: true };
            let checks = value_checks(api, &subject, &quote!(errors));
            (!checks.is_empty()).then(|| (ident(label), checks))
        })
        .collect();
    let arms = checked.iter().map(|(variant, checks)| quote!(#models::#name::#variant(value) => #checks));
    // Members with nothing to check (scalars without rules) are left out; one member with checks
    // among others is an `if let` (clippy's `single_match`).
    let body = match (checked.len() < members.len(), checked.as_slice()) {
        (_, []) => {
            return quote! {
                impl Validate for #models::#name {
                    fn validate(&self, _field: &str, _errors: &mut Vec<Rejection>) {}
                }
            }
        }
        (true, [(variant, checks)]) => quote!(if let #models::#name::#variant(value) = self #checks),
        (true, _) => quote!(match self { #(#arms)* _ => {} }),
        (false, _) => quote!(match self { #(#arms)* }),
    };
    quote! {
        impl Validate for #models::#name {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                #body
            }
        }
    }
}

/// The check that a struct's value satisfies one of `choice`'s alternatives of required names (or
/// exactly one, for a `oneOf`); `None` where an `anyOf` always holds (an alternative of names the
/// struct requires anyway).
fn required_choice_check(s: &Struct, choice: &RequiredChoice) -> Option<TokenStream> {
    // Whether a name is present: a required field always is, an optional one when it is `Some`
    // (`null` too, where it may be `null`: JSON Schema's `required` asks for the name only).
    let present = |name: &String| -> Option<TokenStream> {
        match s.fields.iter().find(|f| &f.wire_name == name) {
            Some(f) if f.required && !f.nullable => None,
            Some(f) => {
                let member = ident(&f.name);
                Some(quote!(self.#member.is_some()))
            }
            None if s.additional.is_some() => {
                let extras = ident(&s.additional_name);
                Some(quote!(self.#extras.contains_key(#name)))
            }
            None => Some(quote!(false)),
        }
    };
    let held: Vec<TokenStream> = choice
        .alternatives
        .iter()
        .map(|names| {
            let checks: Vec<TokenStream> = names.iter().filter_map(present).collect();
            if checks.is_empty() { quote!(true) } else { quote!(#(#checks)&&*) }
        })
        .collect();
    let spelled: Vec<String> = choice.alternatives.iter().map(|names| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" and ")).collect();
    if choice.exactly_one {
        let message = format!("must have exactly one of {}", spelled.join(", or "));
        Some(quote!(if [#(#held),*].iter().filter(|held| **held).count() != 1 { errors.push(Rejection::bad(field, #message)); }))
    } else {
        if held.iter().any(|h| h.to_string() == "true") {
            return None;
        }
        let message = format!("must have one of {}", spelled.join(", or "));
        Some(quote!(if ![#(#held),*].contains(&true) { errors.push(Rejection::bad(field, #message)); }))
    }
}

/// The `Validate` impl of a struct, enum or union of the API (`None` for an alias).
pub(super) fn validate_impl(api: &Api, def: &TypeDef, ctx: &Ctx) -> Option<TokenStream> {
    let models = &ctx.models;
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Enum(e) => {
            let fallback = ident(&e.fallback);
            quote!(server::check_known(!matches!(self, #models::#name::#fallback(_)), self.as_str(), field, errors);)
        }
        TypeKind::Struct(s) => {
            let mut checks: Vec<TokenStream> = s
                .fields
                .iter()
                .map(|f| {
                    let member = ident(&f.name);
                    let wire = &f.wire_name;
                    let subject = Subject {
                        ty: &f.ty,
                        constraints: &f.constraints,
                        value: quote!(self.#member),
                        field: {
                            let path = format!("{{field}}.{}", wire.replace('{', "{{").replace('}', "}}"));
                            quote!(&format!(#path))
                        },
                        options: if f.absent_or_null() { 2 } else { usize::from(!f.required || f.nullable) },
                        borrowed: false,
                    };
                    value_checks(api, &subject, &quote!(errors))
                })
                .filter(|t| !t.is_empty())
                .collect();
            // Properties `required` names without declaring them are among the further ones (a
            // closed object cannot hold them: that contradiction is the spec's, not checked).
            if s.additional.is_some() {
                let extras = ident(&s.additional_name);
                checks.extend(s.required_undeclared.iter().map(|name| {
                    let path = format!("{{field}}.{}", name.replace('{', "{{").replace('}', "}}"));
                    quote!(if !self.#extras.contains_key(#name) { errors.push(Rejection::bad(format!(#path), "is required")); })
                }));
            }
            checks.extend(s.required_choices.iter().filter_map(|choice| required_choice_check(s, choice)));
            if checks.is_empty() {
                return Some(quote! {
                    impl Validate for #models::#name {
                        fn validate(&self, _field: &str, _errors: &mut Vec<Rejection>) {}
                    }
                });
            }
            quote!(#(#checks)*)
        }
        TypeKind::Union(members) => return Some(union_validate(api, def, members, &def.member_rules, ctx)),
        TypeKind::Tagged(tagged) => return Some(union_validate(api, def, &tagged.members().cloned().collect::<Vec<_>>(), &[], ctx)),
        TypeKind::Alias(_) => return None,
    };
    Some(quote! {
        impl Validate for #models::#name {
            fn validate(&self, field: &str, errors: &mut Vec<Rejection>) {
                #body
            }
        }
    })
}
