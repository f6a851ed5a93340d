//! The base URI references are resolved against: the file a document was read from, or the URI it
//! gives itself with OpenAPI 3.2's `$self`.
//!
//! A document that names itself `https://example.com/specs/api.yaml` means its relative references
//! from there: `schemas/pet.yaml` is `https://example.com/specs/schemas/pet.yaml`, and an absolute
//! reference to `https://example.com/common/error.yaml` is a file of the same description. Files
//! are read from disk, so a URI of the same origin is read as the file at the same place relative
//! to the document read (`../common/error.yaml` beside it); a URI of another origin is remote. A
//! relative `$self` is resolved against the file read, as the retrieval URI it stands for.

use super::join;

/// What `$self` says a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SelfUri {
    /// An absolute URI: its origin (`https://example.com`) and its path (`/specs/api.yaml`).
    Absolute { origin: String, path: String },
    /// A relative URI, resolved against the file read: the file name it stands for.
    Relative(String),
}

impl SelfUri {
    /// Reads `$self` of the document read from `root`; `None` for text no reference can use
    /// (with a fragment, or empty), which the caller warns about.
    pub(crate) fn parse(text: &str, root: &str) -> Option<SelfUri> {
        if text.is_empty() || text.contains('#') {
            return None;
        }
        let text = text.split('?').next().unwrap_or(text);
        Some(match split_origin(text) {
            Some((origin, path)) => SelfUri::Absolute { origin: origin.to_owned(), path: if path.is_empty() { "/".to_owned() } else { path.to_owned() } },
            None => SelfUri::Relative(join(root, text)),
        })
    }

    /// The file a reference's file part (`file_part`, no fragment) written in `from` names, where
    /// the root document is `root`: `Err` with the URI when it is remote.
    pub(super) fn file(this: Option<&SelfUri>, root: &str, from: &str, file_part: &str) -> Result<String, String> {
        let absolute = split_origin(file_part);
        match (this, absolute) {
            // Written relative in the root document: relative to what it says it is.
            (Some(SelfUri::Relative(me)), None) if from == root => Ok(Some(join(me, file_part)).filter(|f| f != me).unwrap_or_else(|| root.to_owned())),
            (Some(SelfUri::Absolute { path, .. }), None) if from == root => Ok(local(root, path, &join(path, file_part))),
            // An absolute URI is a file of the description where it has the document's origin.
            (Some(SelfUri::Absolute { origin, path }), Some((o, p))) if o.eq_ignore_ascii_case(origin) => Ok(local(root, path, p)),
            (_, Some(_)) => Err(file_part.to_owned()),
            (_, None) => Ok(join(from, file_part)),
        }
    }
}

/// `scheme://authority` and the path after it, of an absolute URI.
fn split_origin(uri: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = uri.split_once("://")?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return None;
    }
    let end = rest.find('/').unwrap_or(rest.len());
    Some((&uri[..scheme.len() + 3 + end], &rest[end..]))
}

/// The file on disk for URI path `target`, where URI path `me` is the file `root`: `root` itself,
/// else the same place relative to it.
fn local(root: &str, me: &str, target: &str) -> String {
    if target == me {
        return root.to_owned();
    }
    let dir = |p: &str| -> Vec<String> {
        let mut parts: Vec<String> = p.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        parts.pop();
        parts
    };
    let (mine, theirs) = (dir(me), target.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>());
    let shared = mine.iter().zip(&theirs).take_while(|(a, b)| a == *b).count();
    let up = mine.len() - shared.min(mine.len());
    let mut relative: Vec<&str> = std::iter::repeat_n("..", up).collect();
    relative.extend(theirs.iter().skip(shared).copied());
    join(root, &relative.join("/"))
}

#[cfg(test)]
mod tests {
    use super::SelfUri;

    fn file(me: &str, from: &str, target: &str) -> Result<String, String> {
        let root = "specs/api.yaml";
        SelfUri::file(SelfUri::parse(me, root).as_ref(), root, from, target)
    }

    #[test]
    fn references_resolve_against_the_uri_a_document_gives_itself() {
        let me = "https://example.com/v1/api.yaml";
        assert_eq!(file(me, "specs/api.yaml", "schemas/pet.yaml"), Ok("specs/schemas/pet.yaml".into()));
        assert_eq!(file(me, "specs/api.yaml", "https://example.com/v1/schemas/pet.yaml"), Ok("specs/schemas/pet.yaml".into()));
        assert_eq!(file(me, "specs/api.yaml", "https://EXAMPLE.com/common/error.yaml"), Ok("common/error.yaml".into()));
        assert_eq!(file(me, "specs/api.yaml", "/common/error.yaml"), Ok("common/error.yaml".into()));
        assert_eq!(file(me, "specs/api.yaml", "https://example.com/v1/api.yaml"), Ok("specs/api.yaml".into()));
        // The document by the name it gives itself, though read from a file of another name.
        assert_eq!(file("https://example.com/v1/library.yaml", "specs/api.yaml", "library.yaml"), Ok("specs/api.yaml".into()));
        // Another file of the description, and another origin.
        assert_eq!(file(me, "specs/schemas/pet.yaml", "https://example.com/v1/tag.yaml"), Ok("specs/tag.yaml".into()));
        assert_eq!(file(me, "specs/api.yaml", "https://other.example/x.yaml"), Err("https://other.example/x.yaml".into()));
        // A relative `$self` moves the base with it.
        assert_eq!(file("v2/api.yaml", "specs/api.yaml", "schemas/pet.yaml"), Ok("specs/v2/schemas/pet.yaml".into()));
        assert_eq!(file("v2/library.yaml", "specs/api.yaml", "library.yaml"), Ok("specs/api.yaml".into()));
        // Without `$self`, the file read is the base.
        assert_eq!(file("", "specs/api.yaml", "schemas/pet.yaml"), Ok("specs/schemas/pet.yaml".into()));
        assert_eq!(file("", "specs/api.yaml", "https://example.com/x.yaml"), Err("https://example.com/x.yaml".into()));
    }
}
