//! Where requests go: the routes of each trait, and the dispatchers that tell apart operations
//! a router matches alike (by template, then by the markers of [`crate::ir::routes`]).

use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::routes::{routed, Marker};
use crate::ir::{Api, Operation, ParamLocation};

/// The route pattern of a path, with parameters named by position (`{p2}`) so that paths whose
/// parameters have different names at the same place can share the router. A segment holding a
/// parameter and text (`{name}:cancel`, `{base}...{head}`) is one parameter to the router, which
/// matches whole segments; the operation's template tells such paths apart
/// ([`dispatcher`]). What follows a `#` or `?` in a path never reaches a server: it is not routed.
pub(super) fn route_pattern(path: &str) -> String {
    routed(path)
        .split('/')
        .enumerate()
        .map(|(i, segment)| if segment.contains('{') { format!("{{p{i}}}") } else { segment.to_owned() })
        .collect::<Vec<_>>()
        .join("/")
}

/// The `.route(…)` calls of some operations: one per route, its methods chained; with
/// `trailing_slash`, the route with one trailing slash is served too, unless the spec has it.
/// Operations of one method whose paths route alike (`/compare/{basehead}` and
/// `/compare/{base}...{head}`: a router matches whole segments) share a dispatcher, which tells
/// them apart by their templates: returned beside the calls.
pub(super) fn route_calls(api: &Api, ops: &[&Operation], all_paths: &std::collections::HashSet<&str>, trailing_slash: bool) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut by_route: IndexMap<String, IndexMap<&str, Vec<&Operation>>> = IndexMap::new();
    for op in ops {
        by_route.entry(route_pattern(&op.path)).or_default().entry(op.method.as_str()).or_default().push(op);
    }
    let mut dispatchers = Vec::new();
    let calls: Vec<TokenStream> = by_route
        .iter()
        .map(|(pattern, methods)| {
            let chain = methods.iter().enumerate().map(|(i, (method, ops))| {
                let handler = match ops.as_slice() {
                    [one] => format_ident!("handle_{}", one.name),
                    several => {
                        let (name, item) = dispatcher(api, method, several);
                        dispatchers.push(item);
                        name
                    }
                };
                let method = format_ident!("{}", method.to_lowercase());
                if i == 0 {
                    quote!(axum::routing::#method(server::Operation(#handler::<S>)))
                } else {
                    quote!(.#method(server::Operation(#handler::<S>)))
                }
            });
            let chain: Vec<TokenStream> = chain.collect();
            let slashed = methods.values().flatten().any(|op| op.path.ends_with('/') || all_paths.contains(format!("{}/", op.path).as_str()));
            if trailing_slash && !slashed {
                quote!(.route_and_slashed(#pattern, #(#chain)*))
            } else {
                quote!(.route(#pattern, #(#chain)*))
            }
        })
        .collect();
    (dispatchers, calls)
}

/// The handler shared by operations of `method` whose paths route alike: the first, in the order
/// of [`crate::ir::routes::order`], whose template the path matches and whose markers the request
/// carries is called, the last one otherwise.
fn dispatcher(api: &Api, method: &str, ops: &[&Operation]) -> (proc_macro2::Ident, TokenStream) {
    let ordered = crate::ir::routes::order(api, ops);
    let name = format_ident!("dispatch_{}_{}", method.to_lowercase(), ordered[0].0.name);
    let (fallback, tried) = ordered.split_last().map_or((ordered[0].0, &[][..]), |((last, _), rest)| (*last, rest));
    let checks = tried.iter().map(|(op, markers)| {
        let (template, handler) = (routed(&op.path), format_ident!("handle_{}", op.name));
        let carried = markers.iter().map(|Marker { location, name, value }| {
            let location = match location {
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
                ParamLocation::Path => "path",
            };
            let value = value.as_deref().map_or_else(|| quote!(None), |v| quote!(Some(#v)));
            quote!(&& server::carries(&request, #location, #name, #value))
        });
        quote!(if server::template_matches(request.uri().path(), #template) #(#carried)* { return Box::pin(#handler::<S>(service, request)); })
    });
    let fallback = format_ident!("handle_{}", fallback.name);
    let mut paths: Vec<String> = ordered.iter().take(3).map(|(op, _)| format!("`{}`", op.path)).collect();
    if ordered.len() > 3 {
        paths.push(format!("{} more", ordered.len() - 3));
    }
    let doc = format!(" `{method}` of {} paths that route alike ({}): each request goes to the operation whose path it matches and whose required parameters it carries.", ordered.len(), paths.join(", "));
    let item = quote! {
        #[doc = #doc]
        fn #name<S: Service>(service: std::sync::Arc<S>, request: axum::extract::Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>> {
            #(#checks)*
            Box::pin(#fallback::<S>(service, request))
        }
    };
    (name, item)
}
