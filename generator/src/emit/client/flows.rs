//! Patterns the client recognises in an API and turns into conveniences: logins that issue a bearer
//! token (with a second factor), and paginated listings walked as streams.
//!
//! Which operations are logins and listings, and by which fields, is the IR's [`Login`] and
//! [`Pagination`] (declared with `x-login` and `x-pagination`, see `ir/lower/flows.rs`):
//! - a **password login** takes the request body's required text fields as arguments and keeps the
//!   success body's token as the bearer credential;
//! - its **second factor** challenge (an error answer whose body has the declared field) is a
//!   [`Flow::outcome_type`] variant, not an error; a `second-factor` login completes it;
//! - a **paginated listing** is walked as a stream, page after page (or index after index).
//!
//! [`Login`]: crate::ir::Login
//! [`Pagination`]: crate::ir::Pagination

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::answer::body_type;
use super::operation::OpPlan;
use crate::emit::rust::status_variant;
use super::Ctx;
use crate::emit::rust::{ident, mixed_doc_attrs, qualified_type};
use crate::ir::{Api, Field, PageStyle, Param, ParamLocation, Response, Status, Struct, TypeRef};

/// A login-like operation.
pub(in crate::emit) struct Flow<'a> {
    /// The request body's struct name and its fields.
    body_name: &'a str,
    body: &'a Struct,
    /// The success body's `token` field.
    token: &'a Field,
    /// The error response meaning "second factor required", and its `…2fa_token` field.
    pub second_factor: Option<(&'a Response, &'a str, &'a Field)>,
    /// The method's argument for each required field of the body, unique beside the path
    /// parameters and the parameters struct.
    arg_names: Vec<String>,
}


fn field<'a>(s: &'a Struct, wire: &str) -> Option<&'a Field> {
    s.fields.iter().find(|f| f.wire_name == wire)
}

/// The login the operation performs, as the IR says (`x-login`, or recognised by names).
pub(super) fn detect_flow<'a>(api: &'a Api, plan: &OpPlan<'a>) -> Option<Flow<'a>> {
    let login = plan.op.login.as_ref()?;
    // One success answer, whose body holds the token (several would make the output an enum).
    let [_] = plan.successes.as_slice() else { return None };
    let body_ty = plan.body.and_then(|(_, ty)| ty)?;
    let (body_name, body) = api.struct_of(body_ty)?;
    let success = plan.successes.first()?.content.first()?.ty.as_ref()?;
    let (_, success_struct) = api.struct_of(success)?;
    let token = field(success_struct, &login.token)?;
    // The required fields become `&str` arguments: they must be text.
    if body.fields.iter().any(|f| f.required && (f.ty != TypeRef::String || f.nullable || f.boxed)) {
        return None;
    }
    let mut scope = crate::ir::naming::Scope::default();
    for taken in plan.path_params.iter().map(|p| p.name.as_str()).chain(["params", "body", "request", "response"]) {
        scope.reserve(taken);
    }
    let arg_names = body.fields.iter().filter(|f| f.required).map(|f| scope.claim(&f.name)).collect();
    let second_factor = login.challenge.as_ref().and_then(|(status, wire)| {
        let r = plan.errors.iter().find(|r| r.status == Status::Code(*status))?;
        let (name, s) = api.struct_of(r.content.first()?.ty.as_ref()?)?;
        Some((*r, name, field(s, wire)?))
    });
    Some(Flow { body_name, body, token, second_factor, arg_names })
}

impl<'a> Flow<'a> {
    fn required(&self) -> impl Iterator<Item = &'a Field> + 'a {
        self.body.fields.iter().filter(|f| f.required)
    }

    /// The method's arguments: the body's required text fields.
    pub fn args(&self) -> Vec<TokenStream> {
        self.arg_names
            .iter()
            .map(|a| {
                let name = ident(a);
                quote!(#name: &str)
            })
            .collect()
    }

    /// The statement binding `body` to the request body built from the arguments.
    pub fn body_binding(&self, ctx: &Ctx) -> TokenStream {
        self.body_binding_in(&ctx.models)
    }

    /// The wire names of the body properties the method sends: its required ones, from its
    /// arguments.
    pub fn sent_properties(&self) -> Vec<&'a str> {
        self.required().map(|f| f.wire_name.as_str()).collect()
    }

    /// The names of the method's arguments (in order), each bound to the body field it fills.
    pub fn arg_fields(&self) -> Vec<(proc_macro2::Ident, proc_macro2::Ident)> {
        self.required().zip(&self.arg_names).map(|(f, a)| (ident(a), ident(&f.name))).collect()
    }

    /// [`Self::body_binding`] with the body's type under `models` (a crate using the client's
    /// models from outside, as the round-trip harness does).
    pub fn body_binding_in(&self, models: &TokenStream) -> TokenStream {
        let name = ident(self.body_name);
        let mut args = self.arg_names.iter();
        let fields = self.body.fields.iter().map(|f| {
            let field = ident(&f.name);
            match args.next().filter(|_| f.required) {
                Some(arg) => {
                    let arg = ident(arg);
                    quote!(#field: #arg.to_owned())
                }
                None => quote!(#field: None),
            }
        });
        let extras = self.body.additional.as_ref().map(|_| {
            let field = ident(&self.body.additional_name);
            quote!(#field: ::std::collections::BTreeMap::new(),)
        });
        quote!(let body = &#models::#name { #(#fields,)* #extras };)
    }

    /// Placeholder arguments for the README example.
    pub fn sample_args(&self) -> Vec<TokenStream> {
        self.required()
            .map(|f| {
                let text = format!("my-{}", f.wire_name.replace('_', "-"));
                quote!(#text)
            })
            .collect()
    }

    /// The Rust name of the second-factor token field of the challenge body, if any.
    pub fn challenge_field(&self) -> Option<&'a Field> {
        self.second_factor.map(|(_, _, f)| f)
    }

    /// Logins send no earlier credentials.
    pub fn obtains_credentials(&self) -> bool {
        true
    }

    /// The outcome enum, when a second factor may be asked for.
    pub fn outcome_type(&self, plan: &OpPlan<'_>) -> Option<TokenStream> {
        self.second_factor.as_ref().map(|_| {
            let name = format_ident!("{}Outcome", plan.prefix);
            quote!(#name)
        })
    }

    /// What the method does with the answer: second-factor check, decoding, keeping the token.
    pub fn after_success(&self, plan: &OpPlan<'_>, ctx: &Ctx) -> TokenStream {
        let decoder = format_ident!("decode_{}", plan.op.name);
        let token_field = ident(&self.token.name);
        // With response headers, the answer is an output struct holding the body.
        let body = (plan.output_struct_needed() && self.outcome_type(plan).is_none()).then(|| quote!(.body));
        let keep = if self.token.required && !self.token.nullable {
            quote!(self.transport.set_credentials(crate::Credentials::Bearer(success #body.#token_field.clone()));)
        } else if self.token.absent_or_null() {
            quote! {
                if let Some(Some(token)) = &success #body.#token_field {
                    self.transport.set_credentials(crate::Credentials::Bearer(token.clone()));
                }
            }
        } else {
            quote! {
                if let Some(token) = &success #body.#token_field {
                    self.transport.set_credentials(crate::Credentials::Bearer(token.clone()));
                }
            }
        };
        match (&self.second_factor, self.outcome_type(plan)) {
            (Some((response, body_name, field)), Some(outcome)) => {
                let Status::Code(code) = response.status else { return quote!(Self::#decoder(&response)) };
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                let body_name = ident(body_name);
                let models = &ctx.models;
                let field = ident(&field.name);
                let error = format_ident!("{}Error", plan.prefix);
                let variant = status_variant(response.status);
                quote! {
                    if response.status() == #code {
                        let body: #models::#body_name = response.json()?;
                        if body.#field.is_some() {
                            return Ok(#outcome::SecondFactorRequired(body));
                        }
                        return response.api(#error::#variant(Box::new(body)));
                    }
                    let success = Self::#decoder(&response)?;
                    #keep
                    Ok(#outcome::Authenticated(success))
                }
            }
            _ => quote! {
                let success = Self::#decoder(&response)?;
                #keep
                Ok(success)
            },
        }
    }
}

/// The outcome enum of a login with a second factor.
pub(super) fn outcome_def(plan: &OpPlan<'_>, ctx: &Ctx) -> TokenStream {
    let Some(flow) = &plan.flow else { return quote!() };
    let (Some((response, body_name, _)), Some(outcome)) = (&flow.second_factor, flow.outcome_type(plan)) else { return quote!() };
    let models = &ctx.models;
    let success = plan.successes.first().map(|r| body_type(&r.content, models)).unwrap_or_else(|| quote!(()));
    let body_name = ident(body_name);
    let doc = format!(" What [`Client::{}`] leads to: a session, or a request for the second factor.", plan.op.name);
    let second = format!(
        " The account has two-factor authentication: the answer ({}) carries the short-lived token to complete the login with the second factor.",
        response.doc.as_deref().unwrap_or("second factor required")
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #outcome {
            /// Logged in: the client keeps the token and sends it on later calls.
            Authenticated(#success),
            #[doc = #second]
            SecondFactorRequired(#models::#body_name),
        }
    }
}

/// How a paginated listing is walked.
pub(in crate::emit) struct Pagination<'a> {
    /// Page number (or start index) parameter and page size (or count) parameter.
    cursor: &'a Param,
    size: &'a Param,
    /// Items: the list field of the success body, and the item type.
    items: &'a Field,
    item: &'a TypeRef,
    /// `next` link field, if the body has one.
    next: Option<&'a Field>,
    /// Total count (`totalResults`) for index-style listings.
    total: Option<&'a Field>,
    /// Index style (`startIndex`/`count`) instead of page numbers.
    index_style: bool,
}

/// How the listing is walked, as the IR says (`x-pagination`, or recognised by names).
pub(super) fn detect_pagination<'a>(api: &'a Api, plan: &OpPlan<'a>) -> Option<Pagination<'a>> {
    let declared = plan.op.pagination.as_ref()?;
    let query = |wire: &str| plan.other_params.iter().copied().find(|p| p.location == ParamLocation::Query && p.wire_name == wire);
    let (cursor, size) = (query(&declared.cursor)?, query(&declared.size)?);
    let success = plan.successes.first()?.content.first()?.ty.as_ref()?;
    let (_, body) = api.struct_of(success)?;
    let items = field(body, &declared.items)?;
    let TypeRef::List(item) = &items.ty else { return None };
    let next = declared.next.as_deref().and_then(|n| field(body, n));
    let total = declared.total.as_deref().and_then(|t| field(body, t));
    Some(Pagination { cursor, size, items, item, next, total, index_style: declared.style == PageStyle::Index })
}

impl Pagination<'_> {
    /// True when the walk follows `next` links.
    pub fn follows_links(&self) -> bool {
        self.next.is_some()
    }
}

/// The `…_stream` method of a paginated listing.
pub(super) fn stream_method(plan: &OpPlan<'_>, ctx: &Ctx) -> TokenStream {
    let Some(p) = &plan.pagination else { return quote!() };
    let models = &ctx.models;
    let op = plan.op;
    let method = &plan.method;
    let stream = format_ident!("{}_stream", op.name);
    let decoder = format_ident!("decode_{}", op.name);
    let Some(params_type) = plan.params_type() else { return quote!() };
    let error = plan.error_type();
    let item = qualified_type(p.item, Some(models));
    let cursor = ident(&p.cursor.name);
    let size = ident(&p.size.name);
    let items = ident(&p.items.name);
    let path_args: Vec<TokenStream> = plan
        .path_params
        .iter()
        .map(|param| {
            let name = ident(&param.name);
            match &param.ty {
                TypeRef::String => quote!(#name: &'a str),
                other => {
                    let ty = qualified_type(other, Some(models));
                    quote!(#name: #ty)
                }
            }
        })
        .collect();
    let path_names: Vec<TokenStream> = plan
        .path_params
        .iter()
        .map(|param| {
            let name = ident(&param.name);
            quote!(#name)
        })
        .collect();
    // Each page's future owns its path values: one that is no reference and not `Copy` (a
    // `Uuid`, a named type) is cloned for it, outside the future, which the closure makes again.
    let owned_copies: Vec<TokenStream> = plan
        .path_params
        .iter()
        .filter(|param| !matches!(param.ty, TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean | TypeRef::Ipv4))
        .map(|param| {
            let name = ident(&param.name);
            quote!(let #name = #name.clone();)
        })
        .collect();
    // Counts in the parameters' own type: `1` for an integer, `1.0` for a `number`.
    let count = |ty: &TypeRef, n: i64| match ty {
        TypeRef::Number { .. } => {
            let n = proc_macro2::Literal::f64_unsuffixed(n as f64);
            quote!(#n)
        }
        _ => {
            let n = proc_macro2::Literal::i64_unsuffixed(n);
            quote!(#n)
        }
    };
    let clamp = match p.size.constraints.maximum {
        Some(max) => {
            let (one, max) = (count(&p.size.ty, 1), count(&p.size.ty, max as i64));
            quote!(params.#size = Some(params.#size.map_or(#max, |size| size.clamp(#one, #max)));)
        }
        None => quote!(),
    };
    let one = count(&p.cursor.ty, 1);
    let take_items = match (p.items.required && !p.items.nullable, p.items.absent_or_null()) {
        (true, _) => quote!(page.#items),
        (false, false) => quote!(page.#items.unwrap_or_default()),
        (false, true) => quote!(page.#items.flatten().unwrap_or_default()),
    };
    let next_link = p.next.map(|n| {
        let flatten = n.absent_or_null().then(|| quote!(.flatten()));
        let n = ident(&n.name);
        quote!(let link = page.#n.clone() #flatten;)
    });
    let cursor_ty = qualified_type(&p.cursor.ty, Some(models));
    let next_cursor = if p.index_style {
        let total = p.total.map(|t| {
            let flatten = t.absent_or_null().then(|| quote!(.flatten()));
            let t = ident(&t.name);
            quote!(let total = page.#t #flatten;)
        });
        let beyond = if p.total.is_some() { quote!(|| total.is_some_and(|total| next_start > total)) } else { quote!() };
        quote! {
            #total
            let items = #take_items;
            let next_start = params.#cursor.unwrap_or(#one) + items.len() as #cursor_ty;
            let next = if items.is_empty() #beyond {
                None
            } else {
                Some(Cursor::Params(#params_type { #cursor: Some(next_start), ..params }))
            };
        }
    } else if p.follows_links() {
        quote! {
            let items = #take_items;
            let next = match link {
                Some(link) if !items.is_empty() => Some(Cursor::Link(link)),
                _ => None,
            };
        }
    } else {
        quote! {
            let items = #take_items;
            let next = if items.is_empty() {
                None
            } else {
                Some(Cursor::Params(#params_type { #cursor: Some(params.#cursor.unwrap_or(#one) + #one), ..params }))
            };
        }
    };
    let params_decl = if clamp.is_empty() { quote!(params) } else { quote!(mut params) };

    let fetch = if p.follows_links() {
        let auth_call = plan.auth_calls();
        let accept = plan.successes[0].content.first().map(|c| c.media_type.clone()).unwrap_or_else(|| "application/json".into());
        quote! {
            let page = match cursor {
                Cursor::Params(params) => self.#method(#(#path_names,)* params).await?,
                Cursor::Link(link) => {
                    let response = self.transport.send(Request::link(link).accept(#accept)#auth_call).await?;
                    Self::#decoder(&response)?
                }
            };
        }
    } else {
        let params = quote! {
            let params = match cursor {
                Cursor::Params(params) => params,
                Cursor::Link(_) => return Ok((Vec::new(), None)),
            };
        };
        quote! {
            #params
            let page = self.#method(#(#path_names,)* params.clone()).await?;
        }
    };
    let doc = mixed_doc_attrs(
        &[],
        &[
            Some(format!("Every item of [`Self::{}`], page after page{}.", op.name, if p.follows_links() { ", following the `next` links" } else { "" })),
            Some(format!(
                "The page size is the largest the spec allows unless `params` asks for fewer; the walk stops at the first empty page{}.",
                if p.follows_links() { " or when there is no `next` link" } else { "" }
            )),
        ],
    );
    let many = super::operation::many_arguments(path_args.len() + 1);
    let page = quote! {
        async move {
            #fetch
            #next_link
            #next_cursor
            Ok((items, next))
        }
    };
    let walker = if owned_copies.is_empty() { quote!(move |cursor| #page) } else { quote!(move |cursor| { #(#owned_copies)* #page }) };
    quote! {
        #doc
        #many
        pub fn #stream<'a>(&'a self, #(#path_args,)* #params_decl: #params_type) -> impl futures_util::Stream<Item = Result<#item, Error<#error>>> + 'a {
            #clamp
            generator_runtime::client::walk(params, #walker)
        }
    }
}
