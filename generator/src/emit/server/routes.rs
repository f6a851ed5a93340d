//! Where requests go: the routes of each trait, and the dispatchers that tell apart operations
//! a router matches alike (by template, then by the markers of [`crate::ir::routes`]).

use indexmap::IndexMap;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::routes::{routed, Marker};
use crate::ir::{Api, Operation, ParamLocation};

/// Where a handler is, from the module: its tag's feature (with features) and the path of its
/// tag's file.
pub(super) type Locate<'l> = dyn Fn(&Operation) -> (Option<String>, TokenStream) + 'l;

/// The route pattern of a path, with parameters named by position (`{p2}`) so that paths whose
/// parameters have different names at the same place can share the router. A segment holding a
/// parameter and text (`{name}:cancel`, `{base}...{head}`) is one parameter to the router, which
/// matches whole segments; the operation's template tells such paths apart
/// ([`dispatcher`]). What follows a `#` or `?` in a path never reaches a server: it is not routed.
fn route_pattern(path: &str) -> String {
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
        let carried = markers.iter().map(|m| {
            let check = carried(m);
            quote!(&& #check)
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

/// A route and method whose operations belong to several traits (Box tags `GET /files/{id}` and
/// `GET /files/{id}#get_shared_link` apart): one router entry, so the module serves it, not any
/// one trait's routes.
pub(super) struct SharedRoute<'a> {
    /// The route pattern.
    pub pattern: String,
    /// The method.
    pub method: &'a str,
    /// Its operations.
    pub ops: Vec<&'a Operation>,
}

/// The routes of `reached` (the operations a server reaches) that several traits share.
pub(super) fn shared_routes<'a>(reached: &[&'a Operation]) -> Vec<SharedRoute<'a>> {
    let mut by_route: IndexMap<(String, &'a str), Vec<&'a Operation>> = IndexMap::new();
    for op in reached {
        by_route.entry((route_pattern(&op.path), op.method.as_str())).or_default().push(op);
    }
    by_route
        .into_iter()
        .filter(|(_, ops)| ops.iter().any(|op| super::operation::trait_name_of(op) != super::operation::trait_name_of(ops[0])))
        .map(|((pattern, method), ops)| SharedRoute { pattern, method, ops })
        .collect()
}

/// The module's dispatchers of `shared` routes and their routes, each with the `#[cfg]` of the
/// features of its operations' tags (with features), whether it is also served with a trailing
/// slash, its pattern and its handler: each request goes to the
/// first operation, in [`crate::ir::routes::order`], whose template its path matches and whose
/// markers it carries, through its tag's handler (`locate`); where none matches (or its tag's
/// feature is off) it is a 404.
pub(super) fn shared_route_calls(api: &Api, shared: &[SharedRoute<'_>], all_paths: &std::collections::HashSet<&str>, trailing_slash: bool, locate: &Locate<'_>) -> (Vec<TokenStream>, Vec<SharedCall>) {
    let mut dispatchers = Vec::new();
    let mut calls = Vec::new();
    for route in shared {
        let ordered = crate::ir::routes::order(api, &route.ops);
        let name = format_ident!("dispatch_{}_{}", route.method.to_lowercase(), ordered[0].0.name);
        let mut features = std::collections::BTreeSet::new();
        let checks: Vec<TokenStream> = ordered
            .iter()
            .map(|(op, markers)| {
                let (feature, module) = locate(op);
                let cfg = feature.map(|f| {
                    let cfg = quote!(#[cfg(feature = #f)]);
                    features.insert(f);
                    cfg
                });
                let (template, handler) = (routed(&op.path), format_ident!("handle_{}", op.name));
                // Paths in full: with the tags' features off, an import only this code used would be unused.
                let carried = markers.iter().map(|m| {
                    let check = carried(m);
                    quote!(&& generator_runtime::#check)
                });
                quote!(#cfg if generator_runtime::server::template_matches(request.uri().path(), #template) #(#carried)* { return Box::pin(#module #handler::<S>(service, request)); })
            })
            .collect();
        let cfg = (!features.is_empty()).then(|| quote!(#[cfg(any(#(feature = #features),*))]));
        let paths: Vec<String> = ordered.iter().map(|(op, _)| format!("`{}` ({})", op.path, op.tags.first().map_or("untagged", String::as_str))).collect();
        let doc = format!(" `{}` of paths of several tags that route alike ({}): each request goes to the operation whose path it matches and whose required parameters it carries.", route.method, paths.join(", "));
        dispatchers.push(quote! {
            #[doc = #doc]
            #cfg
            fn #name<S: Service>(service: std::sync::Arc<S>, request: axum::extract::Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>> {
                #(#checks)*
                Box::pin(generator_runtime::server::not_found(request.uri().clone()))
            }
        });
        let (method, pattern) = (format_ident!("{}", route.method.to_lowercase()), &route.pattern);
        let handler = quote!(axum::routing::#method(generator_runtime::server::Operation(#name::<S>)));
        let slashed = route.ops.iter().any(|op| op.path.ends_with('/') || all_paths.contains(format!("{}/", op.path).as_str()));
        calls.push((cfg, trailing_slash && !slashed, pattern.clone(), handler));
    }
    (dispatchers, calls)
}

/// A route of the module ([`shared_route_calls`]): its `#[cfg]`, whether it is also served with
/// a trailing slash, its pattern and its handler.
pub(super) type SharedCall = (Option<TokenStream>, bool, String, TokenStream);

/// The check that a request carries `marker`.
fn carried(marker: &Marker<'_>) -> TokenStream {
    let Marker { location, name, value } = marker;
    let location = match location {
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path",
    };
    let value = value.as_deref().map_or_else(|| quote!(None), |v| quote!(Some(#v)));
    quote!(server::carries(&request, #location, #name, #value))
}
