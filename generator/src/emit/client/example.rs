//! The usage example of the client README (compiled as a doctest through the crate docs): log in if
//! the API has a login, walk a paginated listing if it has one, and handle a documented error.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operation::OpPlan;
use crate::emit::rust::status_variant;
use super::Crates;
use crate::diag::Error;
use crate::emit::rust::ident;
use crate::ir::{Method, Param, Status, TypeRef};

/// A placeholder argument for a path parameter.
fn sample(param: &Param) -> Option<TokenStream> {
    match &param.ty {
        TypeRef::String => {
            let text = format!("my-{}", param.wire_name.to_snake_case().replace('_', "-"));
            Some(quote!(#text))
        }
        TypeRef::Integer { .. } => Some(quote!(1)),
        _ => None,
    }
}

fn path_samples(plan: &OpPlan<'_>) -> Option<Vec<TokenStream>> {
    plan.path_params.iter().map(|p| sample(p)).collect()
}

fn params_arg(plan: &OpPlan<'_>) -> Option<TokenStream> {
    match plan.params_type() {
        None => Some(quote!()),
        Some(_) if plan.other_params.iter().all(|p| !p.required) => Some(quote!(Default::default())),
        Some(_) => None,
    }
}

/// The example as formatted Rust code.
pub(super) fn readme_example(crates: &Crates<'_>, plans: &[Vec<OpPlan<'_>>]) -> Result<String, Error> {
    let crate_ident = format_ident!("{}", super::crate_name(crates.prefix).to_snake_case());
    let Some((index, api)) = crates.apis.iter().enumerate().find(|(i, _)| plans[*i].iter().any(|p| p.flow.is_some())).or_else(|| crates.apis.iter().enumerate().next()) else {
        return Ok(String::new());
    };
    let plans = &plans[index];
    let module = ident(&api.module);
    let mut steps = Vec::new();
    let mut uses_stream = false;

    // A login the example can call: its path parameters and parameters struct have samples.
    let callable = |p: &&OpPlan<'_>| p.flow.is_some() && path_samples(p).is_some() && params_arg(p).is_some();
    let login = plans.iter().filter(callable).find(|p| p.flow.as_ref().is_some_and(|f| f.outcome_type(p).is_some())).or_else(|| plans.iter().find(callable));
    if let Some(plan) = login {
        let method = &plan.method;
        let mut args = path_samples(plan).unwrap_or_default();
        args.extend(plan.flow.as_ref().map(|f| f.sample_args()).unwrap_or_default());
        args.extend(params_arg(plan).filter(|p| !p.is_empty()));
        match plan.flow.as_ref().and_then(|f| f.outcome_type(plan)) {
            Some(outcome) => {
                let second = plans.iter().find(|p| p.flow.is_some() && p.flow.as_ref().and_then(|f| f.outcome_type(p)).is_none());
                let on_challenge = match (second, plan.flow.as_ref().and_then(|f| f.challenge_field())) {
                    (Some(second), Some(field)) => {
                        let second_method = &second.method;
                        let flatten = field.absent_or_null().then(|| quote!(.flatten()));
                        let field = ident(&field.name);
                        quote! {
                            // The account has two-factor authentication: send the current code.
                            let pending = challenge.#field #flatten.unwrap_or_default();
                            client.#second_method(&pending, "123456").await?;
                        }
                    }
                    _ => quote!(let _ = challenge;),
                };
                steps.push(quote! {
                    // Log in; the client keeps the token and sends it on later calls.
                    match client.#method(#(#args),*).await? {
                        #module::#outcome::Authenticated(_) => {}
                        #module::#outcome::SecondFactorRequired(challenge) => {
                            #on_challenge
                        }
                    }
                });
            }
            None => steps.push(quote! {
                // Log in; the client keeps the token and sends it on later calls.
                client.#method(#(#args),*).await?;
            }),
        }
    }

    if let Some((plan, paths, params)) = plans.iter().filter(|p| p.pagination.is_some()).find_map(|p| Some((p, path_samples(p)?, params_arg(p)?))) {
        let stream = format_ident!("{}_stream", plan.op.name);
        uses_stream = true;
        steps.push(quote! {
            // Walk every page of a listing.
            let all: Vec<_> = client.#stream(#(#paths,)* #params).try_collect().await?;
            println!("{} items", all.len());
        });
    }

    let lookup = plans.iter().filter(|p| p.op.method == Method::Get && p.pagination.is_none() && !p.path_params.is_empty()).find_map(|p| {
        let not_found = p.errors.iter().find(|r| r.status == Status::Code(404))?;
        Some((p, not_found, path_samples(p)?, params_arg(p)?))
    });
    if let Some((plan, not_found, paths, params)) = lookup {
        let method = &plan.method;
        let error = format_ident!("{}Error", plan.prefix);
        let variant = status_variant(not_found.status);
        let pattern = if not_found.content.is_empty() { quote!(#module::#error::#variant) } else { quote!(#module::#error::#variant(body)) };
        let report = if not_found.content.is_empty() { quote!(println!("not found")) } else { quote!(println!("not found: {body:?}")) };
        let args: Vec<TokenStream> = paths.into_iter().chain((!params.is_empty()).then_some(params)).collect();
        steps.push(quote! {
            // Documented error statuses are typed, with the body the spec gives them.
            match client.#method(#(#args),*).await {
                Ok(found) => println!("{found:?}"),
                Err(#crate_ident::Error::Api { error: #pattern, .. }) => #report,
                Err(other) => return Err(other.into()),
            }
        });
    }

    let stream_import = uses_stream.then(|| quote!(use futures_util::TryStreamExt;));
    let code = quote! {
        #stream_import
        use #crate_ident::#module;

        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            let client = #module::Client::builder().user_agent("my-tool/1.0").build()?;
            #(#steps)*
            if let Some(limit) = client.rate_limit() {
                println!("{:?} calls left", limit.remaining);
            }
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(code).map_err(|e| Error::Emit { what: "client README example".into(), message: e.to_string() })?;
    Ok(prettyplease::unparse(&file).trim_end().to_owned())
}
