//! One operation of the client: its parameters struct, error enum, output type, method and decoder.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::flows::{self, Flow, Pagination};
use super::answer::{body_type, decoder, error_enum, output_type_def};
use super::body::{body_enum, send_body, streams_body};
use super::stream::StreamPlan;
use super::Ctx;
use crate::emit::body::{self, BodyKind, BodyMedia};
use crate::emit::rust::{constraints_doc, doc_attrs, ident, mixed_doc_attrs, qualified_type, status_text, status_variant};
use crate::ir::{Api, Method, Operation, Param, ParamEncoding, ParamLocation, Response, SecurityKind, Status, TypeRef};

/// What the client emits for one operation, decided once from the IR.
pub(in crate::emit) struct OpPlan<'a> {
    pub api: &'a Api,
    pub op: &'a Operation,
    pub method: Ident,
    pub prefix: String,
    pub path_params: Vec<&'a Param>,
    pub other_params: Vec<&'a Param>,
    pub body: Option<(&'a str, Option<&'a TypeRef>)>,
    /// The media types of the body the client can send, one per kind; several make a body enum.
    pub bodies: Vec<BodyMedia<'a>>,
    pub successes: Vec<&'a Response>,
    pub errors: Vec<&'a Response>,
    pub auth: Vec<TokenStream>,
    /// The operation's `apiKey` schemes, each as (its name, where its key goes:
    /// `KeyPlace::Header("X-Api-Key")`), in the order its requirements name them.
    pub keys: Vec<TokenStream>,
    pub flow: Option<Flow<'a>>,
    pub pagination: Option<Pagination<'a>>,
    /// Response headers that carry a credential: (wire name, credential kind).
    pub issued: Vec<(&'a str, TokenStream)>,
    /// How the success answer streams, if it does.
    pub stream: Option<StreamPlan<'a>>,
}

impl<'a> OpPlan<'a> {
    pub fn new(api: &'a Api, op: &'a Operation) -> Self {
        let path_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
        let other_params: Vec<&Param> = op.params.iter().filter(|p| p.location != ParamLocation::Path).collect();
        let bodies = op.body.as_ref().map(body::medias).unwrap_or_default();
        let body = bodies.first().map(|m| (m.content.media_type.as_str(), m.content.ty.as_ref()));
        let successes: Vec<&Response> = op.responses.iter().filter(|r| r.status.is_success()).collect();
        let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
        let kinds = |scheme: &str| api.security_schemes.iter().find(|s| s.name == scheme).map(|s| &s.kind);
        let mut auth: Vec<TokenStream> = Vec::new();
        let mut keys: Vec<TokenStream> = Vec::new();
        let mut keyed: Vec<&str> = Vec::new();
        for requirement in &op.security {
            for scheme in requirement {
                let kind = match kinds(scheme) {
                    Some(SecurityKind::Basic) => quote!(AuthKind::Basic),
                    Some(SecurityKind::HttpOther(_)) => quote!(AuthKind::Token),
                    Some(SecurityKind::ApiKey { location, name }) => {
                        if !keyed.contains(&scheme.as_str()) {
                            keyed.push(scheme);
                            let place = match location.as_str() {
                                "query" => quote!(Query),
                                "cookie" => quote!(Cookie),
                                _ => quote!(Header),
                            };
                            keys.push(quote!((#scheme, generator_runtime::client::KeyPlace::#place(#name))));
                        }
                        quote!(AuthKind::ApiKey)
                    }
                    _ => quote!(AuthKind::Bearer),
                };
                if !auth.iter().any(|k| k.to_string() == kind.to_string()) {
                    auth.push(kind);
                }
            }
        }
        let issued = successes
            .iter()
            .flat_map(|r| &r.headers)
            .filter_map(|h| {
                let scheme = api.security_schemes.iter().find(|s| Some(&s.name) == h.credential_for.as_ref())?;
                let kind = match scheme.kind {
                    SecurityKind::HttpOther(_) => quote!(AuthKind::Token),
                    SecurityKind::Basic => quote!(AuthKind::Basic),
                    _ => quote!(AuthKind::Bearer),
                };
                Some((h.wire_name.as_str(), kind))
            })
            .collect();
        let mut plan = OpPlan {
            api,
            op,
            method: ident(&op.name),
            prefix: op.name.to_upper_camel_case(),
            path_params,
            other_params,
            body,
            bodies,
            successes,
            errors,
            auth,
            keys,
            flow: None,
            pagination: None,
            issued,
            stream: None,
        };
        plan.flow = flows::detect_flow(api, &plan);
        plan.pagination = flows::detect_pagination(api, &plan);
        if plan.flow.is_none() {
            plan.stream = StreamPlan::of(&plan);
        }
        plan
    }

    /// The request's calls saying which credentials it presents, and where API keys go.
    pub fn auth_calls(&self) -> TokenStream {
        let auth = &self.auth;
        let kinds = (!auth.is_empty()).then(|| quote!(.auth(&[#(#auth),*])));
        let keys = &self.keys;
        let keys = (!keys.is_empty()).then(|| quote!(.api_keys(&[#(#keys),*])));
        quote!(#kinds #keys)
    }

    pub fn is_head(&self) -> bool {
        self.op.method == Method::Head
    }

    pub fn params_type(&self) -> Option<Ident> {
        (!self.other_params.is_empty()).then(|| format_ident!("{}Params", self.prefix))
    }

    pub fn error_type(&self) -> TokenStream {
        if self.errors.is_empty() {
            quote!(std::convert::Infallible)
        } else {
            let name = format_ident!("{}Error", self.prefix);
            quote!(#name)
        }
    }

    /// Whether a successful call returns an output type of its own: a body beside headers, or one
    /// of several success statuses. A HEAD call has no body: it returns its headers where the spec
    /// documents any, else whether the resource exists.
    pub(in crate::emit) fn output_struct_needed(&self) -> bool {
        if self.streams_alone() {
            return !self.successes[0].headers.is_empty();
        }
        if self.is_head() {
            return self.successes.iter().any(|r| !r.headers.is_empty());
        }
        self.successes.len() > 1 || self.successes.iter().any(|r| !r.headers.is_empty())
    }

    /// Whether a HEAD call reads its documented `404` as the resource missing (`Ok(false)`, or
    /// `Ok(None)` where it returns headers) rather than as an error.
    pub(in crate::emit) fn head_misses(&self) -> bool {
        self.is_head() && self.errors.iter().any(|r| r.status == Status::Code(404))
    }

    /// The success body type, when it is nested deep enough (`Vec<BTreeMap<String, …>>`) to read
    /// better under a name of its own.
    pub(super) fn output_alias(&self) -> Option<&'a TypeRef> {
        fn depth(ty: &TypeRef) -> usize {
            match ty {
                TypeRef::List(inner) | TypeRef::Map(inner) => 1 + depth(inner),
                TypeRef::Nullable(inner) => depth(inner),
                TypeRef::Tuple(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        if self.is_head() || self.output_struct_needed() || self.flow.is_some() || self.streams_alone() {
            return None;
        }
        self.successes.first()?.content.first()?.ty.as_ref().filter(|t| depth(t) >= 2)
    }

    /// The Rust type a successful call returns.
    pub fn output_type(&self, models: &TokenStream) -> TokenStream {
        if let Some(flow) = &self.flow {
            if let Some(outcome) = flow.outcome_type(self) {
                return outcome;
            }
        }
        if let Some(stream) = self.stream.as_ref().filter(|s| s.in_output()) {
            return stream.output_type(self, models, false);
        }
        if self.output_struct_needed() || self.output_alias().is_some() {
            let name = format_ident!("{}Output", self.prefix);
            return if self.head_misses() { quote!(Option<#name>) } else { quote!(#name) };
        }
        if self.is_head() {
            return quote!(bool);
        }
        if self.downloads() {
            return quote!(ByteStream);
        }
        match self.successes.first() {
            Some(r) => body_type(&r.content, models),
            None => quote!(()),
        }
    }

    /// Whether the one success answer is a stream and nothing else: the operation's method
    /// hands it over (with the headers, where the spec documents any).
    pub fn streams_alone(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.alone && !s.several)
    }

    /// Whether the operation's one success answer is bytes, handed over as they arrive.
    pub fn downloads(&self) -> bool {
        let [success] = self.successes.as_slice() else { return false };
        !self.is_head() && !self.streams_alone() && self.flow.is_none() && !self.output_struct_needed() && body::answer(&success.content).is_some_and(|a| a.kind == BodyKind::Binary)
    }
}

/// Whether [`operation`] defines types for the plan (its parameters struct, error enum, output or
/// outcome type), which the file of its group then re-exports.
pub(super) fn defines_types(plan: &OpPlan<'_>) -> bool {
    let outcome = plan.flow.as_ref().is_some_and(|f| f.outcome_type(plan).is_some());
    let second_factor = plan.flow.as_ref().is_some_and(|f| f.second_factor.is_some());
    plan.params_type().is_some() || plan.bodies.len() > 1 || !plan.errors.is_empty() || plan.output_alias().is_some() || (plan.output_struct_needed() && !outcome) || (outcome && second_factor)
}

/// Everything emitted for one operation: types, then the `impl Client` items (method, decoder, stream).
pub(super) fn operation(plan: &OpPlan<'_>, ctx: &Ctx) -> (TokenStream, TokenStream) {
    let models = &ctx.models;
    let beside_output = plan.stream.as_ref().map(|s| s.beside_output_def(models));
    let types = [params_struct(plan, models), body_enum(plan, models), error_enum(plan, models), output_type_def(plan, models), beside_output.unwrap_or_default(), flows::outcome_def(plan, ctx)];
    let methods = [method(plan, ctx), super::stream::stream_methods(plan, ctx), decoder(plan, models), flows::stream_method(plan, ctx)];
    (quote!(#(#types)*), quote!(#(#methods)*))
}

fn params_struct(plan: &OpPlan<'_>, models: &TokenStream) -> TokenStream {
    let Some(name) = plan.params_type() else { return quote!() };
    let all_optional = plan.other_params.iter().all(|p| !p.required);
    let fields = plan.other_params.iter().map(|p| {
        let field = ident(&p.name);
        let mut ty = qualified_type(&p.ty, Some(models));
        if !p.required {
            ty = quote!(Option<#ty>);
        }
        let location = match p.location {
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "request header",
            ParamLocation::QueryString => "query string, whole",
            _ => "cookie",
        };
        let wire = Some(format!("The `{}` {location}.", p.wire_name));
        let default = p.default.as_ref().map(|d| format!("The server's default: `{d}`."));
        let docs = doc_attrs(&[p.doc.clone(), constraints_doc(&p.constraints), default, wire]);
        quote!(#docs pub #field: #ty,)
    });
    let derive = if all_optional { quote!(#[derive(Clone, Debug, Default, PartialEq)]) } else { quote!(#[derive(Clone, Debug, PartialEq)]) };
    let doc = format!(" Query and header parameters of [`Client::{}`].", plan.op.name);
    quote! {
        #[doc = #doc]
        #derive
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The doc comment of an operation's method.
pub(super) fn method_docs(plan: &OpPlan<'_>, note: Option<&str>) -> TokenStream {
    let op = plan.op;
    let route = Some(format!("`{} {}`", op.method.as_str(), op.path));
    let params: Vec<String> = plan
        .path_params
        .iter()
        .map(|p| format!("- `{}`: {}", p.name, p.doc.as_deref().map(|d| crate::emit::docs::escape_prose(d.lines().next().unwrap_or("").trim())).unwrap_or_else(|| "path parameter".to_owned())))
        .collect();
    let params = (!params.is_empty()).then(|| format!("Path parameters:\n{}", params.join("\n")));
    let errors: Vec<String> = plan
        .errors
        .iter()
        .map(|r| {
            let status = status_text(r.status);
            let text = crate::emit::docs::escape_prose(r.doc.as_deref().and_then(|d| d.lines().next()).unwrap_or("").trim());
            format!("- {status}, [`{}Error::{}`]: {text}", plan.prefix, status_variant(r.status))
        })
        .collect();
    let errors = if errors.is_empty() {
        "# Errors\n\nA status the spec does not document is [`crate::Error::UnexpectedStatus`]; transport failures are the other [`crate::Error`] variants.".to_owned()
    } else {
        format!(
            "# Errors\n\nDocumented error statuses come back as [`crate::Error::Api`] with:\n{}\n\nOther statuses are [`crate::Error::UnexpectedStatus`] (or [`crate::Error::RateLimited`]).",
            errors.join("\n")
        )
    };
    let head = match (plan.head_misses(), plan.output_struct_needed()) {
        (true, false) => Some("Answers whether the resource exists: `404` is `Ok(false)`, not an error.".to_owned()),
        (true, true) => Some("Answers the resource's headers, or `Ok(None)` where it does not exist (`404`, not an error).".to_owned()),
        (false, _) => None,
    };
    let deprecated = op.deprecated.then(|| "Deprecated by the spec.".to_owned());
    mixed_doc_attrs(&[op.summary.clone(), op.description.clone()], &[route, note.map(str::to_owned), head, deprecated, params, Some(errors)])
}

/// What a method sends: its arguments, clippy's leave for many of them, and the statements
/// building `request` (asking for `accept`, else the answer's first media type read whole).
pub(super) struct RequestParts {
    pub args: Vec<TokenStream>,
    pub many: Option<TokenStream>,
    pub request: TokenStream,
}

/// The arguments and the request of an operation's method; `accept` is the media type asked for
/// where it is not the answer read whole (a stream's).
pub(super) fn request_parts(plan: &OpPlan<'_>, ctx: &Ctx, accept: Option<&str>) -> RequestParts {
    let models = &ctx.models;
    let op = plan.op;

    let path_args = plan.path_params.iter().map(|p| {
        let arg = ident(&p.name);
        let ty = arg_type(&p.ty, models);
        quote!(#arg: #ty)
    });
    let (flow_args, body_binding) = match &plan.flow {
        Some(flow) => (flow.args(), Some(flow.body_binding(ctx))),
        None => {
            let body_arg = match plan.bodies.as_slice() {
                [] => None,
                // A stream of items, sent as they come.
                [one] if one.kind == BodyKind::Stream => {
                    let item = body::stream_item(one.content, models);
                    Some(quote!(body: impl generator_runtime::stream::Stream<Item = #item> + Send + 'static))
                }
                // Text and bytes are borrowed as `str` and `[u8]`, whatever owns them.
                [one] => one.content.ty.as_ref().map(|ty| match (one.kind, ty) {
                    (BodyKind::Text, TypeRef::String) => quote!(body: &str),
                    (BodyKind::Binary, TypeRef::Binary | TypeRef::Bytes) => quote!(body: &[u8]),
                    // `None` sends `null`.
                    _ if one.nullable() => {
                        let ty = qualified_type(ty, Some(models));
                        quote!(body: Option<&#ty>)
                    }
                    _ => {
                        let ty = body::value_type(one, models);
                        quote!(body: &#ty)
                    }
                }),
                _ if streams_body(plan) => {
                    let name = body::enum_name(plan.op);
                    Some(quote!(body: #name))
                }
                _ => {
                    let name = body::enum_name(plan.op);
                    Some(quote!(body: &#name))
                }
            };
            (body_arg.into_iter().collect::<Vec<_>>(), None)
        }
    };
    let body_expr = quote!(body);
    let params_arg = plan.params_type().map(|t| quote!(params: #t));
    let args: Vec<TokenStream> = path_args.chain(flow_args).chain(params_arg).collect();
    let many = many_arguments(args.len());

    let new_request = new_request(op);
    let mut calls: Vec<TokenStream> = Vec::new();
    let mut body_match = None;
    for p in &plan.path_params {
        let arg = ident(&p.name);
        let value = if p.ty == TypeRef::String { quote!(#arg) } else { quote!(&#arg) };
        calls.push(param_call(p, value));
    }
    for p in &plan.other_params {
        let field = ident(&p.name);
        calls.push(param_call(p, quote!(&params.#field)));
    }
    match plan.bodies.as_slice() {
        [] => {}
        // A login sends its body built from the arguments, as its first media type.
        [first, ..] if plan.flow.is_some() => calls.push(send_body(plan.api, first, &body_expr)),
        [one] if one.content.ty.is_some() || one.kind == BodyKind::Stream => calls.push(send_body(plan.api, one, &if one.nullable() { quote!(&#body_expr) } else { body_expr.clone() })),
        [_] => {}
        several => {
            let name = body::enum_name(plan.op);
            // A body enum with a stream is taken by value: the others are sent by reference.
            let by_value = streams_body(plan);
            let arms = several.iter().map(|m| {
                let variant = m.kind.variant();
                let send = send_body(plan.api, m, &quote!(body));
                if by_value && m.kind != BodyKind::Stream {
                    quote!(#name::#variant(body) => {
                        let body = &body;
                        request #send
                    })
                } else {
                    quote!(#name::#variant(body) => request #send,)
                }
            });
            body_match = Some(quote!(let request = match #body_expr { #(#arms)* };));
        }
    }
    // The answer read whole is asked for in its media type, a stream's beside it aside.
    let answered = || plan.successes.iter().flat_map(|r| &r.content);
    if let Some(accept) = accept.or_else(|| answered().find(|c| c.sequence.is_none()).or_else(|| answered().next()).map(|c| c.media_type.as_str())) {
        calls.push(quote!(.accept(#accept)));
    }
    // Redirects the spec documents come back as answers; the client follows the others.
    let redirects: Vec<u16> = [301u16, 302, 303, 307, 308]
        .into_iter()
        .filter(|code| op.responses.iter().any(|r| matches!(r.status, Status::Code(c) if c == *code) || r.status == Status::Range(3)))
        .collect();
    if !redirects.is_empty() {
        let redirects = redirects.into_iter().map(proc_macro2::Literal::u16_unsuffixed);
        calls.push(quote!(.answers_redirects(&[#(#redirects),*])));
    }
    calls.push(plan.auth_calls());
    if plan.flow.as_ref().is_some_and(|f| f.obtains_credentials()) {
        calls.push(quote!(.anonymous()));
    }
    if !plan.issued.is_empty() {
        let issues = plan.issued.iter().map(|(h, k)| {
            let h = h.to_ascii_lowercase();
            quote!((#h, #k))
        });
        calls.push(quote!(.issues(&[#(#issues),*])));
    }
    let request = quote! {
        #body_binding
        let request = #new_request #(#calls)*;
        #body_match
    };
    RequestParts { args, many, request }
}

fn method(plan: &OpPlan<'_>, ctx: &Ctx) -> TokenStream {
    // Streams alone at their statuses, or beside other success statuses, are read by the
    // stream's methods, one under the operation's name.
    if plan.stream.as_ref().is_some_and(|s| s.opened_by_own()) {
        return quote!();
    }
    let models = &ctx.models;
    let op = plan.op;
    let name = &plan.method;
    let also = plan.stream.as_ref().map(|s| format!("The same answer as a stream: [`Self::{}`].", s.method));
    let docs = method_docs(plan, also.as_deref());
    let error = plan.error_type();
    let output = plan.output_type(models);
    let decoder = format_ident!("decode_{}", op.name);
    let RequestParts { args, many, request } = request_parts(plan, ctx, None);
    let after = plan.flow.as_ref().map(|f| f.after_success(plan, ctx)).unwrap_or_else(|| quote!(Self::#decoder(&response)));
    // A download hands its body over as it arrives; any other answer is read whole and decoded.
    let send = if plan.downloads() {
        quote! {
            let download = self.transport.download(request).await?;
            if (200..300).contains(&download.status()) {
                return Ok(download.into_body());
            }
            let response = download.into_response().await?;
        }
    } else {
        quote!(let response = self.transport.send(request).await?;)
    };
    quote! {
        #docs
        #many
        pub async fn #name(&self, #(#args),*) -> Result<#output, Error<#error>> {
            #request
            #send
            #after
        }
    }
}

/// A method takes one argument per path parameter, in the path's order: where a path has so many
/// that clippy's `too_many_arguments` (7 with `self`) would fire, this method says why it has them.
pub(super) fn many_arguments(args: usize) -> Option<TokenStream> {
    (args + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per path parameter, in the order of the path")]))
}

/// The request-builder call that sends a parameter in its style.
fn param_call(p: &Param, value: TokenStream) -> TokenStream {
    let wire = if p.location == ParamLocation::Header { p.wire_name.to_ascii_lowercase() } else { p.wire_name.clone() };
    let (plain, styled) = match p.location {
        ParamLocation::Path => (quote!(path), quote!(path_as)),
        ParamLocation::Query => (quote!(query), quote!(query_as)),
        ParamLocation::Header => (quote!(header), quote!(header_as)),
        ParamLocation::Cookie => (quote!(cookie), quote!(cookie_as)),
        // Always by `content` (lowering leaves out any other).
        ParamLocation::QueryString => (quote!(query_string), quote!(query_string)),
    };
    match &p.encoding {
        ParamEncoding::Content(media) if p.location == ParamLocation::QueryString => quote!(.query_string(#wire, #media, #value)),
        ParamEncoding::Content(_) => {
            let json = format_ident!("{plain}_json");
            quote!(.#json(#wire, #value))
        }
        encoding if *encoding == ParamEncoding::default_for(p.location) => quote!(.#plain(#wire, #value)),
        ParamEncoding::Style { style, explode, allow_reserved } => {
            let encoding = body::style_tokens(*style, *explode);
            let reserved = allow_reserved.then(|| quote!(.allowing_reserved()));
            quote!(.#styled(#wire, #value, #encoding #reserved))
        }
    }
}

/// How a path parameter of type `ty` is passed to a method.
fn arg_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        other => qualified_type(other, Some(models)),
    }
}

/// A new request of the operation's method to its path: by one of `reqwest`'s constants, or, for
/// QUERY and custom methods, by name; to its own server where it has one.
fn new_request(op: &Operation) -> TokenStream {
    let path = &op.path;
    let request = if op.method.is_standard() {
        let name = format_ident!("{}", op.method.as_str());
        quote!(Request::new(Method::#name, #path))
    } else {
        let name = op.method.as_str();
        quote!(Request::named(#name, #path))
    };
    match op.servers.first() {
        Some(server) => {
            let url = &server.default_url;
            quote!(#request.server(#url))
        }
        None => request,
    }
}
