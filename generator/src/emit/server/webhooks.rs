//! Webhooks and callbacks: the requests the API sends. Each gets an associated function of the
//! module's `Webhooks` that builds its request (typed body and headers), for any HTTP client to send.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use heck::ToUpperCamelCase;

use crate::emit::body::{self, BodyKind, BodyMedia};
use crate::emit::rust::{doc_attrs, ident, mixed_doc_attrs, qualified_type};
use crate::ir::{ParamLocation, Webhook};

/// The `Webhooks` type the functions hang on.
pub(super) fn webhooks_type(api_title: &str) -> TokenStream {
    let doc = format!(" The requests {api_title} sends (webhooks and callbacks): each function builds one, typed, for any HTTP client to send.");
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        pub struct Webhooks;
    }
}

/// The function building one webhook's request.
pub(super) fn webhook_fn(hook: &Webhook, ctx: &Ctx) -> TokenStream {
    let op = &hook.operation;
    let name = ident(&op.name);
    let method = format_ident!("{}", op.method.as_str());
    let target = match &hook.callback {
        Some(cb) => format!("The callback `{}` of `{}`, sent to the URL given by `{}` in the request that registered it.", hook.name, cb.operation, cb.expression),
        None => format!("The webhook `{}`, sent to a subscriber's URL.", hook.name),
    };
    let docs = mixed_doc_attrs(&[op.summary.clone(), op.description.clone()], &[Some(format!("A `{}` request. {target}", op.method.as_str()))]);
    let mut args = vec![quote!(url: &str)];
    let body = op.body.as_ref().and_then(|b| b.content.first()).and_then(|c| c.ty.as_ref().map(|t| (c, t)));
    let body_arg = match body {
        Some((content, ty)) => {
            let media = content.media_type.as_str();
            let ty = qualified_type(ty, Some(&ctx.models));
            // A JSON body that may be `null` is sent as `null` for `None`.
            let nullable = BodyMedia { kind: body::kind_of(content).unwrap_or(BodyKind::Json), content }.nullable();
            if nullable {
                args.push(quote!(body: Option<&#ty>));
                quote!(Some((#media, &body)))
            } else {
                args.push(quote!(body: &#ty));
                quote!(Some((#media, body)))
            }
        }
        None => quote!(None::<(&str, &())>),
    };
    // Headers come in a struct of their own (`…Headers`, `Default` when all are optional), so that
    // a webhook with many headers keeps a short signature.
    let header_params: Vec<_> = op.params.iter().filter(|p| p.location == ParamLocation::Header).collect();
    let mut pushes = Vec::new();
    let mut fields = Vec::new();
    for p in &header_params {
        let field = ident(&p.name);
        let ty = qualified_type(&p.ty, Some(&ctx.models));
        let wire = p.wire_name.to_ascii_lowercase();
        let doc = doc_attrs(&[p.doc.clone(), Some(format!("The `{}` header.", p.wire_name))]);
        if p.required {
            fields.push(quote!(#doc pub #field: #ty,));
            pushes.push(quote!(server::webhook_header(&mut pairs, #wire, &headers.#field)?;));
        } else {
            fields.push(quote!(#doc pub #field: Option<#ty>,));
            pushes.push(quote!(if let Some(value) = &headers.#field { server::webhook_header(&mut pairs, #wire, value)?; }));
        }
    }
    let headers_type = headers_type_name(hook);
    let headers_struct = (!header_params.is_empty()).then(|| {
        args.push(quote!(headers: &#headers_type));
        let derive = if header_params.iter().all(|p| !p.required) { quote!(#[derive(Clone, Debug, Default)]) } else { quote!(#[derive(Clone, Debug)]) };
        let doc = format!(" The headers of [`Webhooks::{}`].", op.name);
        quote! {
            #[doc = #doc]
            #derive
            pub struct #headers_type {
                #(#fields)*
            }
        }
    });
    let pairs_decl = if pushes.is_empty() { quote!(let pairs = Vec::new();) } else { quote!(let mut pairs = Vec::new();) };
    quote! {
        impl Webhooks {
            #docs
            pub fn #name(#(#args),*) -> Result<axum::http::Request<Vec<u8>>, server::WebhookError> {
                #pairs_decl
                #(#pushes)*
                server::webhook_request(axum::http::Method::#method, url, #body_arg, pairs)
            }
        }

        #headers_struct
    }
}

/// The name of the struct of a webhook's headers.
fn headers_type_name(hook: &Webhook) -> proc_macro2::Ident {
    format_ident!("{}Headers", hook.operation.name.to_upper_camel_case())
}

/// Whether a webhook's function takes a struct of headers (which its group's file then exports).
pub(super) fn has_headers(hook: &Webhook) -> bool {
    hook.operation.params.iter().any(|p| p.location == ParamLocation::Header)
}
