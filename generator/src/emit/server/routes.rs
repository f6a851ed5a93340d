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
/// one trait's routes. So is a route's QUERY and custom methods, whatever their traits: axum has
/// no filter for them, so one handler of every other method (a route has one) tells them apart
/// by name.
pub(super) struct SharedRoute<'a> {
    /// The route pattern.
    pub pattern: String,
    /// The method; empty for the route's QUERY and custom methods.
    pub method: &'a str,
    /// Its operations.
    pub ops: Vec<&'a Operation>,
    /// For QUERY and custom methods: every method the route serves, as an `Allow` header says
    /// them, for a method it does not.
    pub allow: Option<String>,
}

/// The routes of `reached` (the operations a server reaches) that several traits share, and each
/// route's QUERY and custom methods.
pub(super) fn shared_routes<'a>(reached: &[&'a Operation]) -> Vec<SharedRoute<'a>> {
    let mut by_route: IndexMap<(String, &'a str), Vec<&'a Operation>> = IndexMap::new();
    for op in reached {
        let method = if op.method.is_standard() { op.method.as_str() } else { "" };
        by_route.entry((route_pattern(&op.path), method)).or_default().push(op);
    }
    let allow = |pattern: &str| {
        let mut methods: Vec<&str> = reached.iter().filter(|op| route_pattern(&op.path) == pattern).map(|op| op.method.as_str()).collect();
        if methods.contains(&"GET") {
            methods.push("HEAD");
        }
        methods.sort_unstable();
        methods.dedup();
        methods.join(", ")
    };
    by_route
        .into_iter()
        .filter(|((_, method), ops)| method.is_empty() || ops.iter().any(|op| super::operation::trait_name_of(op) != super::operation::trait_name_of(ops[0])))
        .map(|((pattern, method), ops)| {
            let allow = method.is_empty().then(|| allow(&pattern));
            SharedRoute { pattern, method, ops, allow }
        })
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
        let kind = if route.allow.is_some() { "methods" } else { route.method };
        let name = format_ident!("dispatch_{}_{}", kind.to_lowercase(), ordered[0].0.name);
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
                let matches = quote!(generator_runtime::server::template_matches(request.uri().path(), #template) #(#carried)*);
                // A method of one operation on the route needs no more than its name.
                let condition = match route.allow.is_some().then(|| op.method.as_str()) {
                    Some(method) if route.ops.iter().filter(|o| o.method == op.method).count() == 1 => quote!(request.method().as_str() == #method),
                    Some(method) => quote!(request.method().as_str() == #method && #matches),
                    None => matches,
                };
                quote!(#cfg if #condition { return Box::pin(#module #handler::<S>(service, request)); })
            })
            .collect();
        let cfg = match features.len() {
            0 => None,
            1 => Some(quote!(#[cfg(feature = #(#features)*)])),
            _ => Some(quote!(#[cfg(any(#(feature = #features),*))])),
        };
        let paths: Vec<String> = ordered.iter().map(|(op, _)| format!("`{}` ({})", op.path, op.tags.first().map_or("untagged", String::as_str))).collect();
        let (doc, otherwise) = match &route.allow {
            Some(allow) => {
                let ops: Vec<String> = ordered.iter().map(|(op, _)| format!("`{} {}`", op.method.as_str(), op.path)).collect();
                let doc = format!(" Every method of `{}` the router has no filter for: {}, told apart by name; any other is a 405.", routed(&ordered[0].0.path), ops.join(", "));
                (doc, quote!(generator_runtime::server::method_not_allowed_allowing(#allow)))
            }
            None => (
                format!(" `{}` of paths of several tags that route alike ({}): each request goes to the operation whose path it matches and whose required parameters it carries.", route.method, paths.join(", ")),
                quote!(generator_runtime::server::not_found(request.uri().clone())),
            ),
        };
        dispatchers.push(quote! {
            #[doc = #doc]
            #cfg
            fn #name<S: Service>(service: std::sync::Arc<S>, request: axum::extract::Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>> {
                #(#checks)*
                Box::pin(#otherwise)
            }
        });
        let pattern = &route.pattern;
        let handler = match route.allow {
            // Any method no other handler of the route takes.
            Some(_) => quote!(axum::routing::MethodRouter::new().fallback(generator_runtime::server::Operation(#name::<S>))),
            None => {
                let method = format_ident!("{}", route.method.to_lowercase());
                quote!(axum::routing::#method(generator_runtime::server::Operation(#name::<S>)))
            }
        };
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
        ParamLocation::QueryString => "querystring",
    };
    let value = value.as_deref().map_or_else(|| quote!(None), |v| quote!(Some(#v)));
    quote!(server::carries(&request, #location, #name, #value))
}
