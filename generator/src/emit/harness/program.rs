//! The code inside the operations harness program: for each operation, the server handler that
//! records what it received and answers what it is told, and the call through the generated client.


use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::body::{self, BodyKind, BodyMedia};
use crate::emit::client::operation::OpPlan;
use crate::emit::rust::{ident, status_variant};
use crate::emit::server::answers::answer_boxed;
use crate::emit::server::operation::names;
use crate::ir::{Api, Framing, Operation, Response, Status};

use super::stream::{answer_streams, StreamAnswer};

/// The trait method of an operation the harness does not exercise.
pub(super) fn refused(op: &Operation, server: &TokenStream) -> TokenStream {
    let n = names(op);
    let (method, request, response) = (&n.method, &n.request, &n.response);
    let why = format!("`{}` is not exercised by the round trip", op.name);
    quote! {
        async fn #method(&self, _request: #server::#request) -> #server::#response {
            panic!(#why)
        }
    }
}

/// The trait method that records what it received and answers as told.
pub(super) fn handler(api: &Api, op: &Operation, server: &TokenStream, models: &TokenStream) -> TokenStream {
    let n = names(op);
    let (method, request, response) = (&n.method, &n.request, &n.response);
    let records = op.params.iter().map(|p| {
        let (key, field) = (&p.name, ident(&p.name));
        quote!(received.insert(#key.to_owned(), to_json(&request.#field));)
    });
    let plan = OpPlan::new(api, op);
    // A streamed body is read item by item (an event's data), recorded as the list of them.
    let received = |m: &BodyMedia<'_>, body: TokenStream| match (m.kind, m.content.sequence) {
        (BodyKind::Stream, Some(Framing::EventStream)) => quote!(received_items(futures_util::StreamExt::map(#body, |item| item.map(|event| event.data))).await),
        (BodyKind::Stream, _) => quote!(received_items(#body).await),
        _ => quote!(to_json(&#body)),
    };
    let body = op.body.as_ref().map(|b| {
        let read = match plan.bodies.as_slice() {
            [one] if b.required => received(one, quote!(request.body)),
            [one] if one.kind == BodyKind::Stream => {
                let read = received(one, quote!(body));
                quote!(match request.body { Some(body) => #read, None => Value::Null })
            }
            [_] => quote!(to_json(&request.body)),
            several => {
                let name = body::enum_name(op);
                let arms = several.iter().map(|m| {
                    let (variant, read) = (m.kind.variant(), received(m, quote!(body)));
                    if b.required {
                        quote!(#server::#name::#variant(body) => #read,)
                    } else {
                        quote!(Some(#server::#name::#variant(body)) => #read,)
                    }
                });
                let none = (!b.required).then(|| quote!(None => Value::Null,));
                quote!(match request.body { #(#arms)* #none })
            }
        };
        quote!(received.insert("body".to_owned(), #read);)
    });
    let answer_type = quote!(#server::#response);
    let streams = answer_streams(api, op);
    let arms = op.responses.iter().zip(&streams).enumerate().map(|(j, (r, stream))| {
        let variant = status_variant(r.status);
        let j = Literal::usize_unsuffixed(j);
        // A HEAD answer has no body (the server's variants hold none).
        let has_body = body::answer(&r.content).is_some() && op.method != crate::ir::Method::Head;
        let binary = body::answer(&r.content).is_some_and(|a| a.kind == BodyKind::Binary);
        // A stream is answered from the case's list of items, recorded as that list.
        let read_items = |s: &StreamAnswer| {
            let item = s.item_type(models);
            quote!(let body: Vec<#item> = self.answer(&body, "body");)
        };
        let answered = body::answered_headers(r);
        let record_headers: Vec<TokenStream> = answered
            .iter()
            .map(|h| {
                let (key, field) = (&h.name, ident(&h.name));
                quote!(recorded.insert(#key.to_owned(), to_json(&#field));)
            })
            .collect();
        let header_reads: Vec<TokenStream> = answered
            .iter()
            .map(|h| {
                let (key, field) = (&h.name, ident(&h.name));
                quote!(let #field = self.answer(headers.get(#key).unwrap_or(&Value::Null), #key);)
            })
            .collect();
        let header_fields: Vec<proc_macro2::Ident> = answered.iter().map(|h| ident(&h.name)).collect();
        // A stream beside another body is answered when the case asks for it, in a variant of its
        // own, with the status's headers.
        let beside = stream.as_ref().filter(|s| s.beside).map(|s| {
            let (read, served) = (read_items(s), s.served());
            let stream_variant = format_ident!("{variant}Stream");
            if answered.is_empty() {
                return quote!(#j if stream => {
                    #read
                    self.answered(&body, Map::new());
                    #answer_type::#stream_variant(#served)
                });
            }
            quote!(#j if stream => {
                #read
                #(#header_reads)*
                let mut recorded = Map::new();
                #(#record_headers)*
                self.answered(&body, recorded);
                #answer_type::#stream_variant { body: #served, #(#header_fields),* }
            })
        });
        // Bytes are answered as an axum `Body`; the case gives them as text, and they are
        // recorded as such.
        let (read_body, body_value) = if let Some(s) = stream.as_ref().filter(|s| !s.beside) {
            (read_items(s), s.served())
        } else if binary {
            (quote!(let body: generator_runtime::Binary = self.answer(&body, "body");), quote!(axum::body::Body::from(body.0)))
        } else if answer_boxed(api, &r.content) {
            (quote!(let body = Box::new(self.answer(&body, "body"));), quote!(body))
        } else {
            (quote!(let body = self.answer(&body, "body");), quote!(body))
        };
        let recorded_body = if has_body { quote!(&body) } else { quote!(&Value::Null) };
        if answered.is_empty() && r.status != Status::Default {
            let (pattern_value, value) = if has_body { (read_body, quote!(#answer_type::#variant(#body_value))) } else { (quote!(), quote!(#answer_type::#variant)) };
            return quote!(#beside #j => {
                #pattern_value
                self.answered(#recorded_body, Map::new());
                #value
            });
        }
        let status = (r.status == Status::Default).then(|| quote!(status: code,));
        let recorded_decl = if answered.is_empty() { quote!(let recorded = Map::new();) } else { quote!(let mut recorded = Map::new();) };
        let body_field = has_body.then(|| quote!(body: #body_value,));
        let bind_body = has_body.then_some(read_body);
        quote!(#beside #j => {
            #bind_body
            #(#header_reads)*
            #recorded_decl
            #(#record_headers)*
            self.answered(#recorded_body, recorded);
            #answer_type::#variant { #status #body_field #(#header_fields),* }
        })
    });
    let why = format!("`{}` has no answer numbered", op.name);
    let received_decl = if op.params.is_empty() && op.body.is_none() { quote!(let received = Map::new();) } else { quote!(let mut received = Map::new();) };
    let code_pat = if op.responses.iter().any(|r| r.status == Status::Default) { quote!(code) } else { quote!(_) };
    let body_pat = if op.method != crate::ir::Method::Head && op.responses.iter().any(|r| body::answer(&r.content).is_some()) { quote!(body) } else { quote!(_) };
    let headers_pat = if op.responses.iter().any(|r| !body::answered_headers(r).is_empty()) { quote!(headers) } else { quote!(_) };
    let stream_pat = if streams.iter().flatten().any(|s| s.beside) { quote!(stream) } else { quote!(_) };
    // Only parameters and a body are recorded from the request.
    let request_pat = if op.params.is_empty() && op.body.is_none() { quote!(_) } else { quote!(request) };
    quote! {
        async fn #method(&self, #request_pat: #server::#request) -> #server::#response {
            #received_decl
            #(#records)*
            #body
            let (index, #code_pat, #body_pat, #headers_pat, #stream_pat) = self.exchange(received);
            match index {
                #(#arms)*
                other => panic!("{} {other}", #why),
            }
        }
    }
}

/// The type a case's body is read as for the client: a stream's is the list of its items (of
/// an event's data).
fn sent_type(media: &BodyMedia<'_>, models: &TokenStream) -> TokenStream {
    match media.kind {
        BodyKind::Stream => {
            let data = match &media.content.ty {
                Some(ty) => crate::emit::rust::qualified_type(ty, Some(models)),
                None if body::stream_of_text(media.content) => quote!(String),
                None => quote!(serde_json::Value),
            };
            quote!(Vec<#data>)
        }
        _ => body::value_type(media, models),
    }
}

/// The stream the client sends of the items `items` (events of them, for server-sent events).
fn sent_stream(media: &BodyMedia<'_>, items: TokenStream) -> TokenStream {
    match media.content.sequence {
        Some(Framing::EventStream) => quote!(generator_runtime::stream::ItemStream::from_items(#items.into_iter().map(generator_runtime::stream::Event::new).collect())),
        _ => quote!(generator_runtime::stream::ItemStream::from_items(#items)),
    }
}

/// The client call of one case: the values read as the method's types, sent, and what came back.
pub(super) struct Call {
    pub code: TokenStream,
    /// Whether it looks at the case at all (an operation of no parameters and no body, answering
    /// no stream beside another body, sends nothing the case gives).
    pub reads_case: bool,
    /// Whether it reads values of the case as the method's types (with `read`).
    pub reads_values: bool,
}

/// The client call of one case.
pub(super) fn call(api: &Api, op: &Operation, client: &TokenStream, models: &TokenStream) -> Call {
    let plan = OpPlan::new(api, op);
    let streams = answer_streams(api, op);
    let method = &plan.method;
    let mut reads = Vec::new();
    let mut sent = Vec::new();
    let mut args = Vec::new();
    for p in &plan.path_params {
        let (key, var) = (&p.name, format_ident!("p_{}", p.name));
        let ty = crate::emit::rust::qualified_type(&p.ty, Some(models));
        let what = format!("parameter `{}`", p.wire_name);
        reads.push(quote!(let #var: #ty = read(&case["params"][#key], #what)?;));
        sent.push(quote!(sent.insert(#key.to_owned(), to_json(&#var));));
        args.push(if p.ty == crate::ir::TypeRef::String { quote!(&#var) } else { quote!(#var) });
    }
    match plan.bodies.as_slice() {
        [media, ..] if plan.flow.is_some() => {
            // A login takes the body's required fields as its arguments and sends those alone.
            if let Some(flow) = &plan.flow {
                let ty = body::value_type(media, models);
                reads.push(quote!(let body: #ty = read(&case["body"], "the body")?;));
                for (arg, field) in flow.arg_fields() {
                    reads.push(quote!(let #arg = body.#field.clone();));
                    args.push(quote!(&#arg));
                }
                reads.push(flow.body_binding_in(models));
                sent.push(quote!(sent.insert("body".to_owned(), to_json(body));));
            }
        }
        [] => {}
        [media] => {
            let ty = sent_type(media, models);
            reads.push(quote!(let body: #ty = read(&case["body"], "the body")?;));
            sent.push(quote!(sent.insert("body".to_owned(), to_json(&body));));
            // A body that may be `null` is passed as an `Option<&T>`, a stream as its items.
            args.push(match media.kind {
                BodyKind::Stream => sent_stream(media, quote!(body)),
                _ if media.nullable() => quote!(body.as_ref()),
                _ => quote!(&body),
            });
        }
        several => {
            // The case numbers the media type it is sent in.
            let name = body::enum_name(op);
            let arms = several.iter().enumerate().map(|(k, m)| {
                let (k, variant, ty) = (Literal::usize_unsuffixed(k), m.kind.variant(), sent_type(m, models));
                let value = match m.kind {
                    BodyKind::Stream => sent_stream(m, quote!(body)),
                    _ => quote!(body),
                };
                quote!(#k => {
                    let body: #ty = read(&case["body"], "the body")?;
                    let json = to_json(&body);
                    (#client::#name::#variant(#value), json)
                })
            });
            reads.push(quote!(let (body, sent_body) = match case["media"].as_u64().unwrap_or_default() {
                #(#arms)*
                other => return Err(format!("no media type numbered {other}")),
            };));
            sent.push(quote!(sent.insert("body".to_owned(), sent_body);));
            // A body enum with a stream is taken by value.
            args.push(if several.iter().any(|m| m.kind == BodyKind::Stream) { quote!(body) } else { quote!(&body) });
        }
    }
    if let Some(params_type) = plan.params_type() {
        let fields = plan.other_params.iter().map(|p| {
            let (key, field) = (&p.name, ident(&p.name));
            let what = format!("parameter `{}`", p.wire_name);
            quote!(#field: read(&case["params"][#key], #what)?,)
        });
        reads.push(quote!(let query = #client::#params_type { #(#fields)* };));
        for p in &plan.other_params {
            let (key, field) = (&p.name, ident(&p.name));
            sent.push(quote!(sent.insert(#key.to_owned(), to_json(&query.#field));));
        }
        args.push(quote!(query));
    }
    let index_of = |r: &crate::ir::Response| op.responses.iter().position(|x| std::ptr::eq(x, r)).unwrap_or(usize::MAX);
    // A HEAD call's documented 404: the resource is missing, not an error.
    let missing = op.responses.iter().position(|x| x.status == Status::Code(404) && !x.status.is_success()).map(Literal::usize_unsuffixed);
    // A HEAD answer has no body: its output holds the headers only.
    let bodiless = |r: &crate::ir::Response| r.content.is_empty() || plan.is_head();
    // A success the client hands over as a stream comes back as every item it read; `as_stream`:
    // the stream of a status that documents it beside another body.
    let streamed_body = |r: &crate::ir::Response, value: &TokenStream, as_stream: bool| {
        let every = plan.stream.as_ref().and_then(|s| s.of_response(r)).filter(|a| a.alone || as_stream).map(|a| match a.framing {
            crate::ir::Framing::EventStream => quote!(every_event),
            _ => quote!(every_record),
        });
        // The variants of several success statuses box their streams.
        let unboxed = if plan.successes.len() > 1 { quote!(*#value) } else { value.clone() };
        match every {
            Some(every) => quote!(#every(#unboxed).await?),
            None => returned(r, value),
        }
    };
    let fields = |r: &crate::ir::Response, access: &dyn Fn(&proc_macro2::Ident) -> TokenStream, as_stream: bool| {
        let body = if bodiless(r) { quote!(Value::Null) } else { streamed_body(r, &access(&format_ident!("body")), as_stream) };
        let headers = r.headers.iter().map(|h| {
            let (key, value) = (&h.name, access(&ident(&h.name)));
            quote!(headers.insert(#key.to_owned(), to_json(&#value));)
        });
        let j = Literal::usize_unsuffixed(index_of(r));
        if r.headers.is_empty() {
            return quote!((#j, #body, Map::new()));
        }
        quote!({
            let mut headers = Map::new();
            #(#headers)*
            (#j, #body, headers)
        })
    };
    // The names a struct variant of `r` binds: its body (where it has one) and its headers.
    let bound = |r: &crate::ir::Response| {
        let body = (!bodiless(r)).then(|| quote!(body));
        let headers = r.headers.iter().map(|h| {
            let f = ident(&h.name);
            quote!(#f)
        });
        body.into_iter().chain(headers).collect::<Vec<TokenStream>>()
    };
    let outcome = plan.flow.as_ref().and_then(|f| Some((f.outcome_type(&plan)?, f.second_factor?.0)));
    let ok = if let Some((outcome, challenge)) = outcome {
        // A login asking for the second factor hands back the challenge as its outcome.
        let success = plan.successes.first().map(|r| (index_of(r), returned(r, &quote!(output))));
        let (j, body) = success.map(|(j, b)| (Literal::usize_unsuffixed(j), b)).unwrap_or((Literal::usize_unsuffixed(usize::MAX), quote!(Value::Null)));
        let c = Literal::usize_unsuffixed(index_of(challenge));
        quote! {
            Ok(#client::#outcome::Authenticated(output)) => (#j, #body, Map::new()),
            Ok(#client::#outcome::SecondFactorRequired(body)) => (#c, to_json(&body), Map::new()),
        }
    } else if plan.output_struct_needed() {
        let output = format_ident!("{}Output", plan.prefix);
        // Where a HEAD call's output is an `Option`, `None` is its documented 404.
        let (some, none) = match &missing {
            Some(m) if plan.head_misses() => (quote!(Ok(Some(output))), Some(quote!(Ok(None) => (#m, Value::Null, Map::new()),))),
            _ => (quote!(Ok(output)), None),
        };
        if let [only] = plan.successes.as_slice() {
            let value = fields(only, &|f| quote!(output.#f), false);
            quote!(#some => #value, #none)
        } else {
            let arms = plan.successes.iter().map(|r| {
                let variant = status_variant(r.status);
                let bound = bound(r);
                let value = fields(r, &|f| quote!(#f), false);
                // A stream beside another body, in a variant of its own.
                let beside = plan.stream.as_ref().and_then(|s| s.of_response(r)).filter(|a| !a.alone).map(|_| {
                    let name = format_ident!("{variant}Stream");
                    let value = fields(r, &|f| quote!(#f), true);
                    let bound: Vec<TokenStream> = std::iter::once(quote!(body)).chain(r.headers.iter().map(|h| {
                        let f = ident(&h.name);
                        quote!(#f)
                    }))
                    .collect();
                    quote!(#client::#output::#name { #(#bound),* } => #value,)
                });
                quote!(#client::#output::#variant { #(#bound),* } => #value, #beside)
            });
            quote!(#some => match output { #(#arms)* }, #none)
        }
    } else {
        let every = streams.iter().flatten().find(|s| s.every && !s.beside);
        match plan.successes.first() {
            // The operation's method hands over the stream: every item it reads comes back.
            Some(r) if every.is_some() => {
                let j = Literal::usize_unsuffixed(index_of(r));
                let every = every.map(StreamAnswer::every);
                quote!(Ok(output) => (#j, #every(output).await?, Map::new()),)
            }
            // A HEAD call says whether the resource is there: a success, or its documented 404.
            Some(r) if plan.is_head() => {
                let j = Literal::usize_unsuffixed(index_of(r));
                let missing = missing.map_or_else(|| quote!(return Err("a HEAD call said `false` where no 404 is documented".into())), |m| quote!((#m, Value::Null, Map::new())));
                quote!(Ok(output) => if output { (#j, Value::Null, Map::new()) } else { #missing },)
            }
            Some(r) if plan.downloads() => {
                let j = Literal::usize_unsuffixed(index_of(r));
                quote!(Ok(output) => {
                    let bytes = output.collect().await.map_err(|e| format!("the download failed: {}", generator_runtime::client::Error::<std::convert::Infallible>::from(e)))?;
                    (#j, Value::String(String::from_utf8_lossy(&bytes).into_owned()), Map::new())
                })
            }
            Some(r) => {
                let j = Literal::usize_unsuffixed(index_of(r));
                let body = returned(r, &quote!(output));
                quote!(Ok(output) => (#j, #body, Map::new()),)
            }
            None => quote!(Ok(_) => return Err("a success answer, where none is documented".into()),),
        }
    };
    let error_type = plan.error_type();
    let error_arms = plan.errors.iter().map(|r| {
        let variant = status_variant(r.status);
        let j = Literal::usize_unsuffixed(index_of(r));
        if !r.headers.is_empty() {
            let (bound, value) = (bound(r), fields(r, &|f| quote!(#f), false));
            quote!(#client::#error_type::#variant { #(#bound),* } => #value,)
        } else if bodiless(r) {
            quote!(#client::#error_type::#variant => (#j, Value::Null, Map::new()),)
        } else {
            // Boxed or not, a body serializes as itself.
            let body = returned(r, &quote!(body));
            quote!(#client::#error_type::#variant(body) => (#j, #body, Map::new()),)
        }
    });
    let api_error = if plan.errors.is_empty() {
        quote!(Err(generator_runtime::client::Error::Api { error, .. }) => match error {},)
    } else {
        quote!(Err(generator_runtime::client::Error::Api { error, .. }) => match error { #(#error_arms)* },)
    };
    let sent_decl = if sent.is_empty() { quote!(let sent = Map::new();) } else { quote!(let mut sent = Map::new();) };
    let mut returned = quote!(match client.#method(#(#args),*).await {
        #ok
        #api_error
        Err(e) => return Err(format!("the call failed: {e}")),
    });
    // A stream beside another body is read by a method of its own, when the case asks for it.
    let beside = streams.iter().enumerate().find_map(|(j, s)| s.as_ref().filter(|s| s.every && s.beside).map(|s| (j, s)));
    let mut reads_case = !reads.is_empty();
    if let (Some((j, s)), Some(stream)) = (beside, &plan.stream) {
        reads_case = true;
        let (j, every, stream_method) = (Literal::usize_unsuffixed(j), s.every(), &stream.method);
        // Several success statuses: the same output enum as the operation's method; one, with
        // headers: the stream and the headers; else the stream.
        let streamed = if stream.several {
            ok.clone()
        } else if let Some(r) = plan.successes.first().filter(|r| !r.headers.is_empty()) {
            let value = fields(r, &|f| quote!(output.#f), true);
            quote!(Ok(output) => #value,)
        } else {
            quote!(Ok(output) => (#j, #every(output).await?, Map::new()),)
        };
        returned = quote!(if case["stream"] == Value::Bool(true) {
            match client.#stream_method(#(#args),*).await {
                #streamed
                #api_error
                Err(e) => return Err(format!("the call failed: {e}")),
            }
        } else {
            #returned
        });
    }
    let code = quote! {
        #(#reads)*
        #sent_decl
        #(#sent)*
        let returned = #returned;
        Ok((Value::Object(sent), returned))
    };
    Call { code, reads_case, reads_values: !reads.is_empty() }
}

/// The JSON of a body of `response` the client handed back as `value`: bytes as the text they
/// are (as the case gives them), the first item of a stream (read as one value) as the list of
/// it, anything else as it serializes.
pub(super) fn returned(response: &Response, value: &TokenStream) -> TokenStream {
    if crate::emit::server::stream::streamed(response).is_some_and(|s| s.alone) {
        quote!(Value::Array(vec![to_json(&#value)]))
    } else if body::answer(&response.content).is_some_and(|a| a.kind == BodyKind::Binary) {
        quote!(Value::String(String::from_utf8_lossy(&#value).into_owned()))
    } else {
        quote!(to_json(&#value))
    }
}
