//! Bodies and media types of operations: request bodies, each media type's content and its
//! documented examples.

use openapiv3::ReferenceOr;

use super::schema::SchemaView;
use super::Lowerer;
use crate::diag::{push_pointer, Error};
use crate::ir::naming;
use crate::ir::{Content, MediaExample, RequestBody};

impl<'a> Lowerer<'a> {
    /// A request body (resolved where it refers to a component), with each media type of it.
    pub(super) fn lower_body(&mut self, body: &'a ReferenceOr<openapiv3::RequestBody>, type_prefix: &str, at: &str) -> Result<RequestBody, Error> {
        let components = self.doc.openapi.components.as_ref().map(|c| &c.request_bodies);
        let (body, body_at, component) = self.resolve(body, "requestBodies", components, at)?;
        let hint = match &component {
            Some(key) => naming::component_type_hint(key),
            None => format!("{type_prefix}Request"),
        };
        Ok(RequestBody { required: body.required, doc: body.description.clone(), content: self.lower_content(&body.content, &body_at, &hint)? })
    }

    /// Records a JSON media type's `example` and `examples`, as examples of its schema; returns
    /// them as the media type documents them.
    pub(super) fn media_examples(&mut self, media: &'a openapiv3::MediaType, media_at: &str, schema_at: &str, lowered: &super::schema::Lowered) -> Vec<MediaExample> {
        self.documented_examples(media_at, media.example.as_ref(), &media.examples, schema_at, lowered)
    }

    /// Records the `example` and `examples` of the media type, parameter or header at `holder`
    /// (following a `$ref` into `components.examples`), as examples of the schema at `schema_at`;
    /// returns each by its name (none for `example`) and the pointer of its value.
    pub(super) fn documented_examples(&mut self, holder: &str, example: Option<&serde_json::Value>, examples: &'a indexmap::IndexMap<String, ReferenceOr<openapiv3::Example>>, schema_at: &str, lowered: &super::schema::Lowered) -> Vec<MediaExample> {
        let mut documented = Vec::new();
        for (at, value) in self.documented(holder, "example", example) {
            self.example(at.clone(), schema_at, lowered, &value);
            documented.push(MediaExample { name: None, at });
        }
        for (name, example) in examples {
            let (at, example) = match example {
                ReferenceOr::Item(e) => (push_pointer(&push_pointer(holder, "examples"), name), Some(e)),
                ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix("#/components/examples/").map(|k| k.replace("~1", "/").replace("~0", "~"));
                    let found = key.as_deref().and_then(|k| self.doc.openapi.components.as_ref().and_then(|c| c.examples.get(k)).map(|e| (k.to_owned(), e)));
                    match found {
                        Some((key, ReferenceOr::Item(e))) => (push_pointer("/components/examples", &key), Some(e)),
                        _ => (String::new(), None),
                    }
                }
            };
            if let Some(example) = example {
                for (value_at, value) in self.documented(&at, "value", example.value.as_ref()) {
                    self.example(value_at.clone(), schema_at, lowered, &value);
                    documented.push(MediaExample { name: Some(name.clone()), at: value_at });
                }
            }
        }
        documented
    }

    pub(super) fn lower_content(&mut self, content: &'a indexmap::IndexMap<String, openapiv3::MediaType>, at: &str, hint: &str) -> Result<Vec<Content>, Error> {
        let mut out: Vec<Content> = Vec::new();
        let mut first_inline: Option<(&'a openapiv3::Schema, super::schema::Lowered)> = None;
        for (media_type, media) in content {
            let media_at = push_pointer(&push_pointer(at, "content"), media_type);
            let mut examples = Vec::new();
            let sequence = crate::ir::Framing::of(media_type);
            let mut schema_pointer = media.schema.as_ref().map(|_| push_pointer(&media_at, "schema"));
            let mut whole_events = false;
            let lowered = match (&media.schema, sequence) {
                (None, _) => None,
                // A stream's schema is read as one item's.
                (Some(schema), Some(framing)) => {
                    let (item, item_at, whole) = self.item_schema(framing, schema, &push_pointer(&media_at, "schema"));
                    whole_events = whole;
                    let lowered = self.lower_schema(item, &item_at, &format!("{hint}Item"))?;
                    schema_pointer = Some(item_at);
                    Some(lowered)
                }
                (Some(schema), None) => match schema {
                    ReferenceOr::Item(inline) if first_inline.as_ref().is_some_and(|(s, _)| *s == inline) => first_inline.as_ref().map(|(_, l)| l.clone()),
                    schema => {
                        let schema_at = push_pointer(&media_at, "schema");
                        let lowered = self.lower_schema(SchemaView::from(schema), &schema_at, hint)?;
                        if crate::ir::is_json_media(media_type) {
                            examples = self.media_examples(media, &media_at, &schema_at, &lowered);
                        }
                        if let (ReferenceOr::Item(s), None) = (schema, &first_inline) {
                            first_inline = Some((s, lowered.clone()));
                        }
                        Some(lowered)
                    }
                },
            };
            let (ty, nullable, constraints) = match lowered {
                Some(l) => (Some(l.ty()), l.nullable, l.constraints),
                None => (None, false, Default::default()),
            };
            let encoding = media
                .encoding
                .iter()
                .map(|(property, e)| {
                    let style = match e.style {
                        Some(openapiv3::QueryStyle::Form) | None => crate::ir::ParamStyle::Form,
                        Some(openapiv3::QueryStyle::SpaceDelimited) => crate::ir::ParamStyle::SpaceDelimited,
                        Some(openapiv3::QueryStyle::PipeDelimited) => crate::ir::ParamStyle::PipeDelimited,
                        Some(openapiv3::QueryStyle::DeepObject) => crate::ir::ParamStyle::DeepObject,
                    };
                    // Loading wrote out `explode` where it was left to its default: the default
                    // encoding is `form`, exploded.
                    let styled = (style != crate::ir::ParamStyle::Form || !e.explode).then_some((style, e.explode));
                    crate::ir::PropertyEncoding { property: property.clone(), content_type: e.content_type.clone(), style: styled }
                })
                .collect();
            out.push(Content { media_type: media_type.clone(), ty, nullable, constraints, encoding, schema: schema_pointer, examples, sequence, whole_events });
        }
        Ok(out)
    }
}
