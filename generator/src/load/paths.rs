//! Path templates written in a web framework's dialect rather than OpenAPI's. Express and the
//! routers modelled on it (Hono, Koa, Fastify) write a path parameter as a whole segment `:id`;
//! specs generated from their routes keep it (`/todos/:id`). OpenAPI reads it as literal text, a
//! client would send `:id` itself, and axum refuses such a route when the server starts. It is read
//! as the `{id}` it plainly means, with a warning; a parameter it names that the operation does
//! not declare is then assumed a required string, as for any template.

use serde_json::{Map, Value};

use super::Note;
use crate::diag::push_pointer;

/// A path of `paths` moved to its OpenAPI spelling: where it was, where it is, and what was assumed.
pub(crate) struct Respelled {
    /// The pointer of the path as written.
    pub from: String,
    /// Its pointer now.
    pub to: String,
    /// The warning, for the path as written.
    pub note: Note,
}

/// Rewrites the keys of `paths` that use `:name` segments into `{name}` templates, in place and in
/// order; a path whose OpenAPI spelling the spec also writes is left as it is, with a warning.
pub(crate) fn respell(doc: &mut Value) -> Vec<Respelled> {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return Vec::new() };
    if !paths.keys().any(|path| express(path).is_some()) {
        return Vec::new();
    }
    let mut moves = Vec::new();
    let mut kept = Map::new();
    let written: Vec<String> = paths.keys().cloned().collect();
    for (path, item) in std::mem::take(paths) {
        let from = push_pointer("/paths", &path);
        let Some(template) = express(&path) else {
            kept.insert(path, item);
            continue;
        };
        if written.contains(&template) || kept.contains_key(&template) {
            let message = format!("path `{path}` writes parameters as Express does (`:name`), but `{template}` is also in `paths`; left as written, its `:` segments literal text");
            moves.push(Respelled { to: from.clone(), from, note: Note { pointer: push_pointer("/paths", &path), message } });
            kept.insert(path, item);
            continue;
        }
        let message = format!("path `{path}` writes parameters as Express does (`:name`), which OpenAPI reads as literal text; read it as `{template}`");
        moves.push(Respelled { from: from.clone(), to: push_pointer("/paths", &template), note: Note { pointer: from, message } });
        kept.insert(template, item);
    }
    *paths = kept;
    moves
}

/// The OpenAPI template of a path with `:name` segments, or `None` where it has none.
fn express(path: &str) -> Option<String> {
    let is_param = |segment: &str| {
        segment.strip_prefix(':').is_some_and(|name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    if !path.split('/').any(is_param) {
        return None;
    }
    let segments: Vec<String> = path.split('/').map(|s| if is_param(s) { format!("{{{}}}", &s[1..]) } else { s.to_owned() }).collect();
    Some(segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn express_segments_become_templates_and_nothing_else_changes() {
        assert_eq!(express("/todos/:id/files/:file_name").as_deref(), Some("/todos/{id}/files/{file_name}"));
        // Google's custom methods and literal colons inside a segment are OpenAPI already.
        for path in ["/v1/{name}:cancel", "/a:b", "/todos/{id}", "/times/:", "/x/:1st"] {
            assert_eq!(express(path), None, "{path}");
        }
    }

    #[test]
    fn a_path_also_written_in_openapi_spelling_is_left_as_it_is() {
        let mut doc = serde_json::json!({"paths": {"/a/:id": {}, "/a/{id}": {}, "/b/:id": {"get": {}}}});
        let moves = respell(&mut doc);
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/a/:id", "/a/{id}", "/b/{id}"]);
        assert_eq!(moves.iter().map(|m| (m.from.as_str(), m.to.as_str())).collect::<Vec<_>>(), [("/paths/~1a~1:id", "/paths/~1a~1:id"), ("/paths/~1b~1:id", "/paths/~1b~1{id}")]);
    }
}
