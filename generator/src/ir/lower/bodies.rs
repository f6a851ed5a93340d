//! What the wire asks of bodies once every type is known: a non-JSON body whose schema names a
//! string is that string, and a form media type no value of its schema fits in is not offered.

use std::collections::HashMap;

use crate::diag::{Diagnostics, Location};
use crate::ir::{Api, Content, Framing, TypeRef};

/// Settles the bodies of `api`'s operations (see the module), warning at `locate(pointer)`.
pub(super) fn settle(api: &mut Api, locate: &dyn Fn(&str) -> Location, diags: &mut Diagnostics) {
    text_as_scalars(api);
    drop_uncarried_forms(api, locate, diags);
}

/// A body of a media type other than JSON whose schema is a `$ref` to a string (or bytes) is
/// that scalar: text or bytes as they are, which only the resolved type says (an alias would be
/// written as JSON, quoted). The alias stays in the models.
fn text_as_scalars(api: &mut Api) {
    let scalars: HashMap<String, TypeRef> = api
        .types
        .iter()
        .filter_map(|def| match api.resolved(&TypeRef::Named(def.name.clone())) {
            ty @ (TypeRef::String | TypeRef::Binary | TypeRef::Bytes) => Some((def.name.clone(), ty.clone())),
            _ => None,
        })
        .collect();
    let json = |c: &Content| {
        let media = c.media_type.to_ascii_lowercase();
        media == "application/json" || media.ends_with("+json")
    };
    for op in &mut api.operations {
        let requests = op.body.iter_mut().flat_map(|b| b.content.iter_mut());
        for content in requests.chain(op.responses.iter_mut().flat_map(|r| r.content.iter_mut())) {
            let scalar = match &content.ty {
                // A record of JSON Lines is JSON, whatever its type; an event's data is text.
                Some(TypeRef::Named(name)) if !json(content) && !matches!(content.sequence, Some(Framing::JsonLines | Framing::JsonSeq)) => scalars.get(name).cloned(),
                _ => None,
            };
            if scalar.is_some() {
                content.ty = scalar;
            }
        }
    }
}

/// A form or multipart media type of a request body whose schema is never an object is not
/// offered, with a warning: a client would send what no server reads as the value.
fn drop_uncarried_forms(api: &mut Api, locate: &dyn Fn(&str) -> Location, diags: &mut Diagnostics) {
    let mut dropped: Vec<(usize, String)> = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        for content in op.body.iter().flat_map(|b| &b.content) {
            if let Some(why) = crate::ir::carry::uncarried_body(api, content) {
                let at = content.schema.as_deref().map_or(op.location.pointer.as_str(), |s| s.strip_suffix("/schema").unwrap_or(s));
                diags.warn(locate(at), format!("the request body of `{}` ({} {}) cannot be sent as `{}`: {why}; the crates leave that media type out", op.name, op.method.as_str(), op.path, content.media_type));
                dropped.push((i, content.media_type.clone()));
            }
        }
    }
    for (i, media_type) in dropped {
        let op = &mut api.operations[i];
        if let Some(body) = &mut op.body {
            body.content.retain(|c| c.media_type != media_type);
        }
        if op.body.as_ref().is_some_and(|b| b.content.is_empty()) {
            op.body = None;
        }
    }
}
