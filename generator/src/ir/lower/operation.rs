//! Lowering of paths and operations: parameters, request bodies, responses, headers and security.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::{ParameterSchemaOrContent, PathItem, ReferenceOr, SchemaKind, StatusCode, Type};

use super::schema::SchemaView;
use super::templates::template_params;
use super::Lowerer;
use crate::diag::{push_pointer, Error};
use crate::ir::naming::{self, is_list_property, OperationFacts, Scope};
use crate::ir::{Callback, Method, Operation, Param, ParamEncoding, ParamLocation, ParamStyle, TypeRef, Webhook};

/// Header parameters OpenAPI says are ignored: "If `in` is `"header"` and the `name` field is
/// `"Accept"`, `"Content-Type"` or `"Authorization"`, the parameter definition SHALL be ignored."
const IGNORED_HEADERS: [&str; 3] = ["Accept", "Content-Type", "Authorization"];

/// First use of a security scheme and how many operations use it.
type SchemeUses = BTreeMap<String, (String, usize)>;

/// Where an operation is: its path item, method and pointer.
struct OpSite<'a> {
    path: &'a str,
    item: &'a PathItem,
    method: Method,
    op: &'a openapiv3::Operation,
    at: String,
    sibling_methods: Vec<Method>,
    /// The name to use instead of one derived from the path (webhooks and callbacks).
    name: Option<String>,
}

/// What lowering the operations of one API keeps track of across them.
#[derive(Default)]
struct OpsState {
    names: Scope,
    /// The UpperCamelCase prefixes of the types named after operations (`GetA1Params`), which two
    /// distinct snake_case names (`get_a1`, `get_a_1`) could share.
    prefixes: std::collections::BTreeSet<String>,
    scheme_uses: SchemeUses,
}

/// A resolved parameter before lowering: its data, pointer, location, component key (if any) and
/// style.
struct RawParam<'a> {
    data: &'a openapiv3::ParameterData,
    at: String,
    location: ParamLocation,
    component: Option<String>,
    style: ParamStyle,
    allow_reserved: bool,
    allow_empty_value: Option<bool>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        let mut state = OpsState::default();
        for (path, item) in &self.doc.openapi.paths.paths {
            let path_at = push_pointer("/paths", path);
            let ReferenceOr::Item(item) = item else {
                return Err(self.invalid(&path_at, "a path item given as a `$ref` is not supported; inline it"));
            };
            let mut present = methods(item);
            present.extend(self.extra_methods(path));
            for (method, op) in &present {
                let site = OpSite {
                    path,
                    item,
                    method: method.clone(),
                    op,
                    at: format!("{path_at}/{}", method.pointer_in_item()),
                    sibling_methods: present.iter().map(|(m, _)| m.clone()).filter(|m| m != method).collect(),
                    name: None,
                };
                operations.push(self.lower_operation(site, &mut state)?);
            }
        }
        // Claimed after every operation's own name, so that no name of the spec's moves for them.
        for op in &mut operations {
            op.stream_name = super::streams::stream_method_base(op).map(|base| state.names.claim(&base));
        }
        for (scheme, (first_at, uses)) in state.scheme_uses {
            self.assume_security_scheme(&scheme, &first_at, uses);
        }
        Ok(operations)
    }

    /// Webhooks (3.1) and callbacks (3.0): requests the API sends. A webhook is named by its
    /// `operationId` or its key; a callback by its `operationId` or its operation's name and its key.
    pub(super) fn lower_webhooks(&mut self, operations: &[Operation]) -> Result<Vec<Webhook>, Error> {
        let mut out = Vec::new();
        let mut state = OpsState::default();
        for (name, item) in &self.doc.webhooks {
            let item_at = push_pointer("/webhooks", name);
            let present = methods(item);
            for (method, op) in &present {
                let fallback = if present.len() > 1 { format!("{name}_{}", method.as_str().to_lowercase()) } else { name.clone() };
                let site = OpSite {
                    path: name,
                    item,
                    method: method.clone(),
                    op,
                    at: push_pointer(&item_at, &method.as_str().to_lowercase()),
                    sibling_methods: Vec::new(),
                    name: Some(op.operation_id.clone().unwrap_or(fallback)),
                };
                let operation = self.lower_operation(site, &mut state)?;
                out.push(Webhook { name: name.clone(), callback: None, operation });
            }
        }
        for (path, item) in &self.doc.openapi.paths.paths {
            let ReferenceOr::Item(item) = item else { continue };
            let mut present = methods(item);
            present.extend(self.extra_methods(path));
            for (method, op) in present {
                let Some(parent) = operations.iter().find(|o| o.path == *path && o.method == method) else { continue };
                let op_at = format!("{}/{}", push_pointer("/paths", path), method.pointer_in_item());
                for (key, callback) in &op.callbacks {
                    for (expression, cb_item) in callback {
                        let cb_at = push_pointer(&push_pointer(&push_pointer(&op_at, "callbacks"), key), expression);
                        for (cb_method, cb_op) in methods(cb_item) {
                            let site = OpSite {
                                path: expression,
                                item: cb_item,
                                at: push_pointer(&cb_at, &cb_method.as_str().to_lowercase()),
                                method: cb_method,
                                op: cb_op,
                                sibling_methods: Vec::new(),
                                name: Some(cb_op.operation_id.clone().unwrap_or_else(|| format!("{}_{key}", parent.name))),
                            };
                            // A callback never stops the API: one that cannot be read is left out.
                            let operation = match self.lower_operation(site, &mut state) {
                                Ok(operation) => operation,
                                Err(e) => {
                                    self.warn(&cb_at, format!("callback `{key}` of `{}` cannot be read, left out: {e}", parent.name));
                                    continue;
                                }
                            };
                            let callback = Some(Callback { operation: parent.name.clone(), expression: expression.clone() });
                            out.push(Webhook { name: key.clone(), callback, operation });
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn lower_operation(&mut self, site: OpSite<'a>, state: &mut OpsState) -> Result<Operation, Error> {
        let OpSite { path, item, method, op, at, sibling_methods, name } = site;
        let is_webhook = name.is_some();
        let at = at.as_str();
        let params = self.collect_params(item, op, at)?;
        let query_params: Vec<&str> = params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| p.data.name.as_str()).collect();
        let facts = OperationFacts {
            operation_id: op.operation_id.as_deref(),
            method: method.clone(),
            path,
            summary: op.summary.as_deref(),
            query_params,
            returns_list: self.returns_list(op, at),
            sibling_methods,
        };
        let base = name.map_or_else(|| naming::operation_name(&facts), |n| naming::snake_name(&n));
        let mut name = state.names.claim(&base);
        while !state.prefixes.insert(name.to_upper_camel_case()) {
            name = state.names.claim(&base);
        }
        let type_prefix = name.to_upper_camel_case();
        if !is_webhook {
            let declared = |key: &str| op.extensions.get(key).cloned();
            self.declared.push(super::flows::Declared { op: name.clone(), at: at.to_owned(), login: declared(super::flows::LOGIN), pagination: declared(super::flows::PAGINATION) });
        }

        // A webhook's "path" is its name, a callback's an expression: neither has path parameters.
        let template = if is_webhook { "" } else { path };
        let params = self.lower_params(template, params, &type_prefix, at)?;
        let body = match &op.request_body {
            Some(body) => Some(self.lower_body(body, &type_prefix, &push_pointer(at, "requestBody"))?),
            None => None,
        };
        let responses = self.lower_responses(&op.responses, &type_prefix, &push_pointer(at, "responses"))?;
        if method == Method::Head {
            for (code, response) in &op.responses.responses {
                if let ReferenceOr::Item(r) = response {
                    if !r.content.is_empty() {
                        let content_at = push_pointer(&push_pointer(&push_pointer(at, "responses"), &code.to_string()), "content");
                        self.warn(&content_at, "a HEAD answer has no body (RFC 9110 §9.3.2); its `content` is read only for the `Content-Type` the answer carries");
                    }
                }
            }
        }

        let security_at = if op.security.is_some() { push_pointer(at, "security") } else { "/security".to_owned() };
        let requirements = op.security.as_ref().or(self.doc.openapi.security.as_ref());
        let security: Vec<Vec<String>> = requirements.map(|reqs| reqs.iter().map(|r| r.keys().cloned().collect()).collect()).unwrap_or_default();
        for scheme in security.iter().flatten() {
            let declared = self.doc.openapi.components.as_ref().is_some_and(|c| c.security_schemes.contains_key(scheme));
            if !declared {
                let entry = state.scheme_uses.entry(scheme.clone()).or_insert_with(|| (security_at.clone(), 0));
                entry.1 += 1;
            }
        }

        Ok(Operation {
            name,
            operation_id: op.operation_id.clone(),
            method,
            path: path.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            lifecycle: crate::ir::Lifecycle {
                sunset: op.extensions.get("x-sunset").and_then(|v| v.as_str()).map(str::to_owned).or_else(|| sunset_header(op)),
                stability: op.extensions.get("x-stability-level").and_then(|v| v.as_str()).map(str::to_owned),
            },
            params,
            body,
            responses,
            security,
            login: None,
            pagination: None,
            stream_name: None,
            servers: if is_webhook { Vec::new() } else { self.own_servers(item, op, at) },
            location: self.locate(at),
        })
    }

    /// The servers of the operation, else of its path, where they differ from the document's.
    fn own_servers(&mut self, item: &'a PathItem, op: &'a openapiv3::Operation, at: &str) -> Vec<crate::ir::Server> {
        let path_at = at.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
        let (written, written_at) = if op.servers.is_empty() { (&item.servers, push_pointer(&path_at, "servers")) } else { (&op.servers, push_pointer(at, "servers")) };
        let api: Vec<&str> = self.doc.openapi.servers.iter().map(|s| s.url.as_str()).collect();
        if written.is_empty() || written.iter().map(|s| s.url.as_str()).eq(api) {
            return Vec::new();
        }
        let servers = super::servers::lower(written, &written_at, &mut |place, message| self.warn(place, message));
        let absolute = |url: &str| url.starts_with("https://") || url.starts_with("http://");
        if servers.first().is_some_and(|s| !absolute(&s.default_url)) {
            let message = format!("the operation's server `{}` is relative (to where the spec is served, which a client does not know); the operation is sent to the API's server", servers[0].url);
            self.warn(&push_pointer(&push_pointer(&written_at, "0"), "url"), message);
            return Vec::new();
        }
        servers
    }

    /// Path-level and operation-level parameters, resolved; the operation's override the path's.
    fn collect_params(&self, item: &'a PathItem, op: &'a openapiv3::Operation, at: &str) -> Result<Vec<RawParam<'a>>, Error> {
        let components = self.doc.openapi.components.as_ref().map(|c| &c.parameters);
        let path_at = at.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
        let mut out: Vec<RawParam<'a>> = Vec::new();
        let sources = [(&item.parameters, push_pointer(&path_at, "parameters")), (&op.parameters, push_pointer(at, "parameters"))];
        for (list, list_at) in sources {
            for (i, p) in list.iter().enumerate() {
                let (param, param_at, component) = self.resolve(p, "parameters", components, &push_pointer(&list_at, &i.to_string()))?;
                use openapiv3::{PathStyle, QueryStyle};
                let (data, location, style, allow_reserved, allow_empty_value) = match param {
                    openapiv3::Parameter::Query { parameter_data, style, allow_reserved, allow_empty_value } => {
                        let style = match style {
                            QueryStyle::Form => ParamStyle::Form,
                            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                            QueryStyle::DeepObject => ParamStyle::DeepObject,
                        };
                        let location = if self.doc.querystrings.contains(&param_at) { ParamLocation::QueryString } else { ParamLocation::Query };
                        (parameter_data, location, style, *allow_reserved, *allow_empty_value)
                    }
                    openapiv3::Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header, ParamStyle::Simple, false, None),
                    openapiv3::Parameter::Path { parameter_data, style, .. } => {
                        let style = match style {
                            PathStyle::Simple => ParamStyle::Simple,
                            PathStyle::Label => ParamStyle::Label,
                            PathStyle::Matrix => ParamStyle::Matrix,
                        };
                        (parameter_data, ParamLocation::Path, style, false, None)
                    }
                    openapiv3::Parameter::Cookie { parameter_data, .. } => {
                        let style = if parameter_data.extensions.contains_key(crate::load::COOKIE_STYLE) { ParamStyle::Cookie } else { ParamStyle::Form };
                        (parameter_data, ParamLocation::Cookie, style, false, None)
                    }
                };
                out.retain(|p| !(p.data.name == data.name && p.location == location));
                out.push(RawParam { data, at: param_at, location, component, style, allow_reserved, allow_empty_value });
            }
        }
        Ok(out)
    }

    fn lower_params(
        &mut self,
        path: &str,
        params: Vec<RawParam<'a>>,
        type_prefix: &str,
        at: &str,
    ) -> Result<Vec<Param>, Error> {
        let mut scope = Scope::default();
        let mut lowered = Vec::new();
        for RawParam { data, at: param_at, location, component, style, allow_reserved, allow_empty_value } in params {
            if location == ParamLocation::Header && IGNORED_HEADERS.iter().any(|h| data.name.eq_ignore_ascii_case(h)) {
                // The client writes these from the operation itself; a parameter beside them
                // would send a second value (a `Content-Type` other than the body's, which a
                // server refuses) or stand for a header that is never absent.
                self.warn(&param_at, format!("header parameter `{}` is ignored, as OpenAPI says of `Accept`, `Content-Type` and `Authorization`: the client writes them from the media types and its credentials", data.name));
                continue;
            }
            let hint = match &component {
                Some(key) => naming::type_name(key),
                None => format!("{type_prefix}{}", naming::camel_name(&data.name)),
            };
            if location == ParamLocation::QueryString && !self.querystring_is_read(data, &param_at) {
                continue;
            }
            let explode = data.explode.unwrap_or(matches!(style, ParamStyle::Form | ParamStyle::Cookie));
            let (schema, schema_at, encoding) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => (Some(SchemaView::from(s)), push_pointer(&param_at, "schema"), ParamEncoding::Style { style, explode, allow_reserved }),
                ParameterSchemaOrContent::Content(content) => {
                    let first = content.iter().next();
                    let at = first.map(|(mt, _)| push_pointer(&push_pointer(&param_at, "content"), mt)).unwrap_or_else(|| param_at.clone());
                    let media = first.map_or_else(|| "application/json".to_owned(), |(mt, _)| mt.clone());
                    (first.and_then(|(_, m)| m.schema.as_ref()).map(SchemaView::from), push_pointer(&at, "schema"), ParamEncoding::Content(media))
                }
            };
            self.property = Some(data.name.clone());
            let pointer = schema.is_some().then(|| schema_at.clone());
            let result = match schema {
                Some(view) => self.lower_schema(view, &schema_at, &hint).map(Some),
                None => Ok(None),
            };
            self.property = None;
            let schema = result?.unwrap_or_default();
            if let Some(schema_at) = &pointer {
                self.documented_examples(&param_at, data.example.as_ref(), &data.examples, schema_at, &schema);
                if let ParameterSchemaOrContent::Content(content) = &data.format {
                    if let Some((media_type, media)) = content.iter().next().filter(|(mt, _)| crate::ir::is_json_media(mt)) {
                        let media_at = push_pointer(&push_pointer(&param_at, "content"), media_type);
                        self.media_examples(media, &media_at, schema_at, &schema);
                    }
                }
            }
            let constraints = schema.constraints.clone();
            // Prose is no rule: a server refusing what the schema admits would refuse requests the
            // spec allows (Asana's typeahead `count`, "a maximum of 100", schema `integer`). Said,
            // so that an overlay can make it one.
            if constraints.maximum.is_none() && matches!(schema.ty, Some(TypeRef::Integer { .. })) {
                if let Some(max) = data.description.as_deref().and_then(stated_maximum) {
                    self.warn(&param_at, format!("the description of `{}` states a maximum of {max} that the schema does not; not checked, as the schema admits more (an overlay adding `maximum: {max}` makes it a rule)", data.name));
                }
            }
            let mut required = data.required;
            if location == ParamLocation::Path && !required {
                self.warn(&param_at, format!("path parameter `{}` is not marked `required: true`; path parameters always are, assumed required", data.name));
                required = true;
            }
            // A style has no spelling of `null`: an item or value that may be `null` is only sent
            // as JSON (`content`).
            let ty = match &encoding {
                ParamEncoding::Content(_) => schema.ty(),
                ParamEncoding::Style { .. } => schema.ty().without_nulls(),
            };
            lowered.push(Param {
                name: scope.claim(&naming::param_name(&data.name, location == ParamLocation::Path)),
                wire_name: data.name.clone(),
                location,
                required,
                ty,
                doc: data.description.clone().or(schema.doc),
                nullable: schema.nullable,
                constraints,
                default: schema.default,
                encoding,
                schema: pointer,
                deprecated: data.deprecated.unwrap_or(false),
                allow_empty_value,
            });
        }
        self.agree_with_template(path, &mut lowered, &mut scope, at);
        let order = template_params(path);
        lowered.sort_by_key(|p| match p.location {
            ParamLocation::Path => (0, order.iter().position(|n| *n == p.wire_name).unwrap_or(usize::MAX)),
            other => (1 + other as usize, 0),
        });
        Ok(lowered)
    }

    /// Whether the first success response's JSON body is a list, or an object holding a list.
    fn returns_list(&self, op: &'a openapiv3::Operation, at: &str) -> bool {
        let components = self.doc.openapi.components.as_ref().map(|c| &c.responses);
        let Some((_, response)) = op.responses.responses.iter().find(|(c, _)| matches!(c, StatusCode::Code(200..=299) | StatusCode::Range(2))) else {
            return false;
        };
        let Ok((response, _, _)) = self.resolve(response, "responses", components, at) else { return false };
        let Some(schema) = response.content.values().find_map(|m| m.schema.as_ref()) else { return false };
        self.schema_is_list(SchemaView::from(schema), 0)
    }

    fn schema_is_list(&self, view: SchemaView<'a>, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let schema = match view {
            SchemaView::Ref(r) => match self.component_schema(r, "") {
                Ok((target, _)) => return self.schema_is_list(SchemaView::from(target), depth + 1),
                Err(_) => return false,
            },
            SchemaView::Inline(s) => s,
        };
        let is_array = |v: SchemaView<'a>| -> bool {
            let s = match v {
                SchemaView::Ref(r) => match self.component_schema(r, "") {
                    Ok((ReferenceOr::Item(s), _)) => s,
                    _ => return false,
                },
                SchemaView::Inline(s) => s,
            };
            matches!(&s.schema_kind, SchemaKind::Type(Type::Array(_))) || matches!(&s.schema_kind, SchemaKind::Any(a) if a.items.is_some())
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(_)) => true,
            SchemaKind::Type(Type::Object(o)) => o.properties.iter().any(|(k, v)| is_list_property(k) && is_array(SchemaView::from(v))),
            SchemaKind::Any(a) => a.properties.iter().any(|(k, v)| is_list_property(k) && is_array(SchemaView::from(v))),
            SchemaKind::AllOf { all_of } => all_of.iter().any(|m| self.schema_is_list(SchemaView::from(m), depth + 1)),
            _ => false,
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Whether a parameter `in: querystring` (the whole query string as one value) is one the
    /// crates read: given by `content` as a form or JSON. Any other is left out, with a warning.
    fn querystring_is_read(&mut self, data: &openapiv3::ParameterData, at: &str) -> bool {
        let media = match &data.format {
            ParameterSchemaOrContent::Content(content) => content.keys().next().map(String::as_str),
            ParameterSchemaOrContent::Schema(_) => None,
        };
        let why = match media {
            Some(m) if crate::ir::is_json_media(m) || m.split(';').next().is_some_and(|e| e.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")) => return true,
            Some(m) => format!("given as `{m}`, which the crates do not read (a form or JSON)"),
            None => "given by `schema`, where OpenAPI asks for `content`".to_owned(),
        };
        self.warn(at, format!("the query string parameter `{}` is {why}; left out", data.name));
        false
    }

    /// The operations of `path` of methods a path item has no field for in the 3.0 model (3.2
    /// `query` and `additionalOperations`), after those of [`methods`].
    fn extra_methods(&self, path: &str) -> Vec<(Method, &'a openapiv3::Operation)> {
        let extra = self.doc.extra_operations.get(path).map_or(&[][..], Vec::as_slice);
        extra
            .iter()
            .map(|e| {
                let method = if e.method == "QUERY" { Method::Query } else { Method::Other(e.method.clone()) };
                (method, &e.operation)
            })
            .collect()
    }
}

fn methods(item: &PathItem) -> Vec<(Method, &openapiv3::Operation)> {
    let all = [
        (Method::Get, &item.get),
        (Method::Head, &item.head),
        (Method::Post, &item.post),
        (Method::Put, &item.put),
        (Method::Patch, &item.patch),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Trace, &item.trace),
    ];
    all.into_iter().filter_map(|(m, op)| op.as_ref().map(|op| (m, op))).collect()
}

/// A maximum stated in prose ("Max of 100", "maximum 50"), which specs often write instead of `maximum`.
fn stated_maximum(description: &str) -> Option<u64> {
    let lower = description.to_lowercase();
    let at = lower.find("max of ").map(|i| i + 7).or_else(|| lower.find("maximum of ").map(|i| i + 11)).or_else(|| lower.find("maximum ").map(|i| i + 8))?;
    let digits: String = lower[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The date a documented `Sunset` response header (RFC 8594) gives as its example, for an
/// operation without `x-sunset`: the first answer's, written inline.
fn sunset_header(op: &openapiv3::Operation) -> Option<String> {
    let answers = op.responses.responses.values().chain(op.responses.default.as_ref());
    answers.filter_map(ReferenceOr::as_item).flat_map(|r| &r.headers).find_map(|(name, header)| {
        let header = header.as_item().filter(|_| name.eq_ignore_ascii_case("sunset"))?;
        let schema_example = match &header.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema.schema_data.example.as_ref(),
            _ => None,
        };
        header.example.as_ref().or(schema_example)?.as_str().map(str::to_owned)
    })
}

#[cfg(test)]
mod tests {
    use super::stated_maximum;

    #[test]
    fn maxima_stated_in_prose_are_read() {
        assert_eq!(stated_maximum("Number of images to get per page. Defaults to 10. Max of 100."), Some(100));
        assert_eq!(stated_maximum("At most a maximum of 25 items"), Some(25));
        assert_eq!(stated_maximum("Page number to get."), None);
        assert_eq!(stated_maximum("the maximum value"), None);
    }
}
