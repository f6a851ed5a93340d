//! Webhooks and callbacks: the requests the API sends. Each gets an associated function of the
//! module's `Webhooks` that builds its request (typed body and headers), for any HTTP client to send.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use crate::emit::rust::{ident, mixed_doc_attrs, qualified_type};
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
    let param_docs: Vec<String> = op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| format!("- `{}`: the `{}` header.", p.name, p.wire_name)).collect();
    let param_docs = (!param_docs.is_empty()).then(|| format!("Headers:\n{}", param_docs.join("\n")));
    let docs = mixed_doc_attrs(&[op.summary.clone(), op.description.clone()], &[Some(format!("A `{}` request. {target}", op.method.as_str())), param_docs]);
    let mut args = vec![quote!(url: &str)];
    let body = op.body.as_ref().and_then(|b| b.content.first()).and_then(|c| c.ty.as_ref().map(|t| (c.media_type.as_str(), t)));
    let body_arg = match body {
        Some((media, ty)) => {
            let ty = qualified_type(ty, Some(&ctx.models));
            args.push(quote!(body: &#ty));
            quote!(Some((#media, body)))
        }
        None => quote!(None::<(&str, &())>),
    };
    let mut pushes = Vec::new();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Header) {
        let arg = ident(&p.name);
        let ty = qualified_type(&p.ty, Some(&ctx.models));
        let wire = p.wire_name.to_ascii_lowercase();
        if p.required {
            args.push(quote!(#arg: &#ty));
            pushes.push(quote!(server::webhook_header(&mut headers, #wire, #arg)?;));
        } else {
            args.push(quote!(#arg: Option<&#ty>));
            pushes.push(quote!(if let Some(value) = #arg { server::webhook_header(&mut headers, #wire, value)?; }));
        }
    }
    let headers_decl = if pushes.is_empty() { quote!(let headers = Vec::new();) } else { quote!(let mut headers = Vec::new();) };
    quote! {
        #docs
        pub fn #name(#(#args),*) -> Result<axum::http::Request<Vec<u8>>, server::WebhookError> {
            #headers_decl
            #(#pushes)*
            server::webhook_request(axum::http::Method::#method, url, #body_arg, headers)
        }
    }
}
