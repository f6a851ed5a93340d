//! Lowering of an operation's responses: statuses, headers and bodies.

use openapiv3::{ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::schema::SchemaView;
use super::Lowerer;
use crate::diag::{push_pointer, Error};
use crate::ir::naming::{self, Scope};
use crate::ir::{Header, Response, Status, TypeRef};

impl<'a> Lowerer<'a> {
    /// The responses of an operation, in status order (`default` last), each with its headers
    /// and the bodies HTTP lets it carry.
    pub(super) fn lower_responses(&mut self, responses: &'a openapiv3::Responses, type_prefix: &str, at: &str) -> Result<Vec<Response>, Error> {
        let components = self.doc.openapi.components.as_ref().map(|c| &c.responses);
        let header_components = self.doc.openapi.components.as_ref().map(|c| &c.headers);
        let mut entries: Vec<(Status, &'a ReferenceOr<openapiv3::Response>, String)> = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => Status::Code(*c),
                    StatusCode::Range(r) => Status::Range(*r),
                };
                (status, r, push_pointer(at, &code.to_string()))
            })
            .collect();
        if let Some(default) = &responses.default {
            entries.push((Status::Default, default, push_pointer(at, "default")));
        }
        entries.sort_by_key(|(s, _, _)| *s);

        let mut out = Vec::new();
        for (status, response, response_at) in entries {
            let (response, resolved_at, component) = self.resolve(response, "responses", components, &response_at)?;
            let hint = match &component {
                Some(key) => naming::component_type_hint(key),
                None if status.is_success() => format!("{type_prefix}Response"),
                None => format!("{type_prefix}{}Response", naming::status_name(status)),
            };
            let mut headers = Vec::new();
            let mut header_scope = Scope::default();
            // A client's output struct holds the body beside the headers.
            header_scope.reserve("body");
            for (name, header) in &response.headers {
                if name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let header_at = push_pointer(&push_pointer(&resolved_at, "headers"), name);
                let (header, header_at, _) = self.resolve(header, "headers", header_components, &header_at)?;
                let (lowered, schema) = match &header.format {
                    ParameterSchemaOrContent::Schema(s) => {
                        let schema_at = push_pointer(&header_at, "schema");
                        (self.lower_schema(SchemaView::from(s), &schema_at, &format!("{type_prefix}{}", naming::camel_name(name)))?, Some(schema_at))
                    }
                    ParameterSchemaOrContent::Content(_) => Default::default(),
                };
                if let Some(schema_at) = &schema {
                    self.documented_examples(&header_at, header.example.as_ref(), &header.examples, schema_at, &lowered);
                }
                headers.push(Header {
                    name: header_scope.claim(&naming::snake_name(name)),
                    wire_name: name.clone(),
                    required: header.required,
                    // A header's `simple` style has no spelling of a `null` item.
                    ty: lowered.ty.map_or(TypeRef::String, |t| t.without_nulls()),
                    doc: header.description.clone(),
                    credential_for: header.extensions.get("x-credential-for").and_then(|v| v.as_str()).map(str::to_owned),
                    schema,
                });
            }
            let content = match no_content_rule(status) {
                Some(rule) if !response.content.is_empty() => {
                    self.warn(&push_pointer(&resolved_at, "content"), format!("a {} answer has no body ({rule}); its `content` is left out", status_label(status)));
                    Vec::new()
                }
                _ => self.lower_content(&response.content, &resolved_at, &hint)?,
            };
            let doc = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
            out.push(Response { status, doc, headers, content });
        }
        Ok(out)
    }
}

/// The rule of RFC 9110 by which an answer of `status` has no body, if it is such a status: a
/// spec documenting one describes what HTTP never carries, and a client reading it would wait
/// for, or fail on, a body that cannot come.
fn no_content_rule(status: Status) -> Option<&'static str> {
    match status {
        Status::Code(100..=199) | Status::Range(1) => Some("RFC 9110 §15.2: an informational answer ends with its headers"),
        Status::Code(204) => Some("RFC 9110 §15.3.5"),
        Status::Code(205) => Some("RFC 9110 §15.3.6"),
        Status::Code(304) => Some("RFC 9110 §15.4.5"),
        _ => None,
    }
}

/// A status as the spec writes it: `204`, `1XX`, `default`.
fn status_label(status: Status) -> String {
    match status {
        Status::Code(c) => format!("`{c}`"),
        Status::Range(d) => format!("`{d}XX`"),
        Status::Default => "`default`".to_owned(),
    }
}
