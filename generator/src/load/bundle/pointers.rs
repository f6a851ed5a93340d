//! Pointers that name nothing as written, and what they evidently mean:
//!
//! - a pointer that passes through a `$ref` (`#/components/schemas/Gateway/properties/ip/properties/subnet`
//!   where `ip` is `{$ref: '#/components/schemas/IpConfig'}`, or `Report` a `$ref` to another file):
//!   the pointer read on from that reference's target, as a JSON Schema tool resolving the
//!   reference first would read it;
//! - `#/definitions/Inner` in a JSON Schema embedded with its own root: the `definitions` (or
//!   `$defs`) of an enclosing schema;
//! - a Swagger 2 pointer (`#/definitions/Pet`): its OpenAPI 3 place (`#/components/schemas/Pet`).

use serde_json::Value;

use super::{join, percent_decode, reference, Bundler};
use crate::diag::{pointer_tokens, push_pointer, Error};

/// How many references one pointer may be read through before it is taken to name nothing.
const MAX_HOPS: usize = 32;

impl Bundler<'_> {
    /// The file and pointer a pointer of `file` that names nothing as written names once read
    /// through the references on its way, if it passes through any and then names something; a
    /// file it cannot read is an error located at the reference, written at `written_at`.
    pub(super) fn through_references(&mut self, written_at: &str, file: &str, pointer: &str, doc: &Value) -> Result<Option<(String, String)>, Error> {
        let mut file = file.to_owned();
        let mut at = String::new();
        let mut hops = 0;
        let mut tokens = pointer_tokens(pointer).into_iter().peekable();
        while let Some(token) = tokens.peek() {
            let Some(node) = self.node_at(&file, &at, doc) else { return Ok(None) };
            let next = push_pointer(&at, token);
            if node.pointer(&next[at.len()..]).is_some() {
                at = next;
                tokens.next();
                continue;
            }
            let Some(target) = reference(&node).map(str::to_owned) else { return Ok(None) };
            hops += 1;
            if hops > MAX_HOPS {
                return Ok(None);
            }
            let (file_part, fragment) = target.split_once('#').unwrap_or((&target, ""));
            if file_part.contains("://") {
                return Ok(None);
            }
            if !file_part.is_empty() {
                file = join(&file, file_part);
                if file != self.root_name {
                    self.read(&file, &target, written_at)?;
                }
            }
            at = percent_decode(fragment);
        }
        Ok((hops > 0 && self.node_at(&file, &at, doc).is_some()).then_some((file, at)))
    }

    /// What a reference to nothing evidently means: the `definitions` (or `$defs`) of an enclosing
    /// schema, for a JSON Schema written with its own root (`#/definitions/Inner`); or the OpenAPI 3
    /// place of a Swagger 2 pointer (`#/definitions/Pet` is `#/components/schemas/Pet`).
    pub(super) fn meant(&self, at: &str, pointer: &str, doc: &Value) -> Option<String> {
        let tokens = pointer_tokens(pointer);
        let first = tokens.first()?.as_str();
        if matches!(first, "definitions" | "$defs") {
            let (_, written) = self.sources.origin(at);
            let mut ancestor = written.as_str();
            while let Some(cut) = ancestor.rfind('/') {
                ancestor = &ancestor[..cut];
                let candidate = format!("{ancestor}{pointer}");
                if doc.pointer(&self.current(&candidate)).is_some() {
                    return Some(candidate);
                }
            }
        }
        let section = match first {
            "definitions" => "schemas",
            "parameters" => "parameters",
            "responses" => "responses",
            _ => return None,
        };
        let rest: Vec<String> = tokens[1..].iter().map(|t| t.replace('~', "~0").replace('/', "~1")).collect();
        let candidate = format!("/components/{section}/{}", rest.join("/"));
        doc.pointer(&self.current(&candidate)).is_some().then_some(candidate)
    }
}
