//! `$ref` resolution across files and to any JSON pointer, by bundling.
//!
//! Lowering understands one document whose references all name a component
//! (`#/components/schemas/Pet`). Bundling makes every spec that shape, as `redocly bundle` does:
//! - a reference into another file (`./schemas/pet.yaml`, `common.yaml#/components/schemas/Error`),
//!   resolved against the file that holds it, copies its target into the document's components;
//! - a reference deep into the document (`#/components/schemas/Tag/allOf/0`, `#/paths/…/schema`)
//!   moves its target into the components and leaves a reference where it was, so both places
//!   share one definition (and one generated type);
//! - a path item or callback reference (3.1 `components/pathItems`, `components/callbacks`, or another
//!   file) is replaced by a copy, since the 3.0 model has no place for shared path items, nor for
//!   shared callbacks of an operation;
//! - a reference to a component of another kind is read as what it evidently means (`kinds`), and
//!   a pointer that names nothing as written as what it evidently points at (`pointers`), each with
//!   a warning.
//!
//! A reference inside a callback that cannot be read leaves that callback out, with a warning: a
//! callback never stops the API from generating.
//!
//! Each copied or moved subtree is recorded in [`Sources`], so diagnostics name the file and line it
//! was written at. Targets are resolved once each, so reference cycles across files end; a cycle of
//! plain references is then rejected by lowering, located in the file that holds it. References
//! inside examples and `x-` extensions are data and are never followed.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

use self::kinds::{Named, Written};
use super::raw::parse;
use super::sources::{Role, Sources};
use super::walk::{reference, walk_from, Kind, METHODS};
use crate::diag::{pointer_tokens, push_pointer, Diagnostics, Error, Location};

mod base;
mod kinds;
mod pointers;

pub(crate) use self::base::SelfUri;

/// Resolves every `$ref` of `doc` (read from the file named `root_name`, relative to `base`) into a
/// local component reference, reading the files they name.
pub(crate) fn bundle(doc: &mut Value, root_name: &str, base: &Path, self_uri: Option<&SelfUri>, sources: &mut Sources, diags: &mut Diagnostics) -> Result<(), Error> {
    let mut bundler = Bundler { base, root_name, self_uri, sources, diags, externals: HashMap::new(), hoisted: HashMap::new(), moves: Vec::new(), inlining: Vec::new() };
    let refs = collect(doc, "", Kind::Document);
    // Callbacks whose references cannot be read, left out: a callback never stops the API.
    let mut left_out: Vec<String> = Vec::new();
    for (at, kind, target) in refs {
        let at = bundler.current(&at);
        if left_out.iter().any(|c| at.strip_prefix(c.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))) {
            continue;
        }
        match bundler.resolve(root_name, &at, kind, &target, doc) {
            Ok(resolved) => apply(doc, &at, resolved),
            Err(error) => {
                let Some(callback) = callback_of(&at) else { return Err(error) };
                let why = match error {
                    Error::Invalid { message, .. } => message,
                    other => other.to_string(),
                };
                let name = pointer_tokens(&callback).pop().unwrap_or_default();
                bundler.diags.warn(bundler.sources.locate(&callback), format!("the callback `{name}` cannot be read ({why}); left it out"));
                remove(doc, &callback);
                left_out.push(callback);
            }
        }
    }
    Ok(())
}

/// The callback a pointer is inside, if any: the outermost `callbacks` entry of an operation or of
/// `components`.
fn callback_of(at: &str) -> Option<String> {
    let tokens = pointer_tokens(at);
    let index = tokens.iter().enumerate().position(|(i, t)| t == "callbacks" && (i >= 3 && tokens[0] == "paths" || i == 1 && tokens[0] == "components"))?;
    tokens.get(index + 1)?;
    Some(tokens[..=index + 1].iter().fold(String::new(), |p, t| push_pointer(&p, t)))
}

/// Removes the node at `at` from its parent object.
fn remove(doc: &mut Value, at: &str) {
    let mut tokens = pointer_tokens(at);
    let Some(key) = tokens.pop() else { return };
    let parent = tokens.iter().fold(String::new(), |p, t| push_pointer(&p, t));
    if let Some(Value::Object(map)) = doc.pointer_mut(&parent) {
        map.shift_remove(&key);
    }
}

/// What a reference becomes: another reference, or (path items) a copy of its target.
enum Resolved {
    Ref(String),
    Inline(Value),
}

struct Bundler<'a> {
    base: &'a Path,
    root_name: &'a str,
    /// What the root document says it is (`$self`), where it says.
    self_uri: Option<&'a SelfUri>,
    sources: &'a mut Sources,
    diags: &'a mut Diagnostics,
    /// Referenced files, parsed, by name.
    externals: HashMap<String, Value>,
    /// Targets already given a component: (file, pointer, the kind it stands for) -> local reference.
    hoisted: HashMap<(String, String, Kind), String>,
    /// Subtrees moved within the document: (from, to).
    moves: Vec<(String, String)>,
    /// Path items being copied, to stop a path item that contains itself.
    inlining: Vec<(String, String)>,
}

/// Every reference below `node` (of `kind`, at `pointer`): where it is, what it stands for, its text.
fn collect(node: &mut Value, pointer: &str, kind: Kind) -> Vec<(String, Kind, String)> {
    let mut refs = Vec::new();
    walk_from(node, pointer, kind, &mut |node, at, kind| {
        if let Some(target) = reference(node) {
            refs.push((at.to_owned(), kind, target.to_owned()));
        }
    });
    refs
}

/// Puts a resolution in place of the reference at `at` (a pointer into `tree`).
fn apply(tree: &mut Value, at: &str, resolved: Resolved) {
    let Some(node) = tree.pointer_mut(at) else { return };
    match resolved {
        Resolved::Ref(r) => {
            if let Value::Object(map) = node {
                map.insert("$ref".into(), Value::String(r));
            }
        }
        Resolved::Inline(mut copy) => {
            // 3.1 lets a reference's `summary` and `description` override its target's.
            if let (Value::Object(reference), Value::Object(target)) = (&*node, &mut copy) {
                for (k, v) in reference.iter().filter(|(k, _)| *k != "$ref") {
                    target.insert(k.clone(), v.clone());
                }
            }
            *node = copy;
        }
    }
}

impl Bundler<'_> {
    /// Where a document pointer is now, after the moves so far.
    fn current(&self, pointer: &str) -> String {
        let mut p = pointer.to_owned();
        for (from, to) in &self.moves {
            if let Some(rest) = p.strip_prefix(from.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    p = format!("{to}{rest}");
                }
            }
        }
        p
    }

    fn invalid(&self, at: &str, message: String) -> Error {
        Error::Invalid { location: self.sources.locate(&push_pointer(at, "$ref")), message }
    }

    /// Resolves `target`, written in file `from` at document pointer `at`, standing for a `kind`.
    fn resolve(&mut self, from: &str, at: &str, kind: Kind, target: &str, doc: &mut Value) -> Result<Resolved, Error> {
        let (file_part, fragment) = target.split_once('#').unwrap_or((target, ""));
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(self.invalid(at, format!("`$ref` `{target}`: the part after `#` is not a JSON pointer")));
        }
        let file = if file_part.is_empty() {
            from.to_owned()
        } else {
            SelfUri::file(self.self_uri, self.root_name, from, file_part).map_err(|remote| self.invalid(at, format!("remote `$ref` `{target}` is not supported: `{remote}` is no file of this description; download the file and reference it by a relative path")))?
        };
        let local = file == self.root_name;
        if !local {
            self.read(&file, target, at)?;
        }
        let written = Written { from, at, target };
        let Some(node) = self.node_at(&file, &pointer, doc) else { return self.unnamed(&written, &file, &pointer, kind, doc) };
        // MODX's schemas are file names, PHP writes an empty map as `[]`: no object, nothing to read.
        if let Value::String(_) | Value::Number(_) | Value::Array(_) = node {
            let what = format!("names `{node}`, which is no object");
            return Ok(self.dangling(at, target, kind, &what));
        }
        let named_kind = component_kind(&pointer);
        match kind {
            Kind::PathItem if named_kind == Some(Kind::Callback) => return self.callback_as_path_item(&written, &file, &pointer, doc),
            Kind::Callback if named_kind == Some(Kind::PathItem) || METHODS.iter().any(|m| node.get(*m).is_some()) => {
                let message = format!("`$ref` `{target}` names a path item where a callback is expected, and no expression says where it is sent; left the callback out");
                self.diags.warn(self.sources.locate(&push_pointer(at, "$ref")), message);
                return Ok(Resolved::Inline(Value::Object(Map::new())));
            }
            // 3.0 has no place for shared path items or callbacks: each use gets a copy.
            Kind::PathItem | Kind::Callback => {
                if !local {
                    let index = self.sources.file_index(&file).unwrap_or(0);
                    self.sources.graft(at, index, &pointer);
                }
                return self.inline(&file, &pointer, node, at, kind, doc);
            }
            _ => {}
        }
        if let Some(from_kind) = named_kind.filter(|k| *k != kind) {
            return self.refit(&written, &Named { file: &file, pointer: &pointer, kind: from_kind }, kind, doc);
        }
        match (local, named_kind) {
            (true, Some(_)) => Ok(Resolved::Ref(format!("#{pointer}"))),
            (true, None) => Ok(Resolved::Ref(self.hoist_local(&pointer, kind, doc))),
            (false, _) => self.hoist_external(&file, &pointer, kind, node, doc).map(Resolved::Ref),
        }
    }

    /// A reference whose pointer names nothing as written: what it evidently means (see
    /// [`pointers`]), else what the spec does not describe.
    fn unnamed(&mut self, written: &Written<'_>, file: &str, pointer: &str, kind: Kind, doc: &mut Value) -> Result<Resolved, Error> {
        let Written { at, target, .. } = *written;
        if let Some((file, pointer)) = self.through_references(at, file, pointer, doc)? {
            let shown = if file == self.root_name { format!("#{pointer}") } else { format!("{file}#{pointer}") };
            let reading = format!("`$ref` `{target}` passes through a `$ref` on its way; read it through that reference, as `{shown}`");
            self.diags.warn(self.sources.locate(&push_pointer(at, "$ref")), reading);
            return self.resolve(&file, at, kind, &format!("#{pointer}"), doc);
        }
        if file == self.root_name {
            if let Some(meant) = self.meant(at, pointer, doc) {
                let reading = format!("`$ref` `{target}` names nothing; read as `#{meant}`, {}", if meant.ends_with(pointer) { "in the enclosing schema (the JSON Schema it was written in)" } else { "its OpenAPI 3 place" });
                self.diags.warn(self.sources.locate(&push_pointer(at, "$ref")), reading);
                let root = self.root_name.to_owned();
                return self.resolve(&root, at, kind, &format!("#{meant}"), doc);
            }
        }
        Ok(self.dangling(at, target, kind, "names nothing that exists"))
    }

    /// Resolves the reference a refitted part holds, once: a part that leads back to itself is a cycle.
    fn resolve_once(&mut self, from: &str, at: &str, kind: Kind, next: &str, inner: &str, doc: &mut Value) -> Result<Resolved, Error> {
        let key = (from.to_owned(), inner.to_owned());
        if self.inlining.contains(&key) {
            return Err(self.invalid(at, format!("`$ref` cycle through `{from}#{inner}`")));
        }
        self.inlining.push(key);
        let resolved = self.resolve(from, at, kind, next, doc);
        self.inlining.pop();
        resolved
    }

    /// A reference to nothing (or to text, a number or a list where an object belongs: `what` says
    /// which) stands for what the spec does not describe: any JSON value, an undocumented answer or
    /// body; a parameter of nothing is left out (as `null`, which `tolerate` drops from its list).
    fn dangling(&mut self, at: &str, target: &str, kind: Kind, what: &str) -> Resolved {
        let (undescribed, reading) = match kind {
            Kind::Schema => (serde_json::json!({}), "read as any JSON value"),
            Kind::Response => (serde_json::json!({"description": ""}), "read as an answer the spec does not describe"),
            Kind::RequestBody => (serde_json::json!({"content": {}}), "read as a body the spec does not describe"),
            Kind::Parameter => (Value::Null, "left the parameter out"),
            Kind::Header => (serde_json::json!({"schema": {"type": "string"}}), "read as a header holding text"),
            _ => (serde_json::json!({}), "read as an empty object"),
        };
        self.diags.warn(self.sources.locate(&push_pointer(at, "$ref")), format!("`$ref` `{target}` {what}; {reading}"));
        Resolved::Inline(undescribed)
    }

    /// Reads and parses a referenced file once.
    fn read(&mut self, file: &str, target: &str, at: &str) -> Result<(), Error> {
        if self.externals.contains_key(file) {
            return Ok(());
        }
        let text = std::fs::read_to_string(super::on_disk(self.base, file)).map_err(|e| self.invalid(at, format!("`$ref` `{target}`: cannot read `{file}`: {e}")))?;
        let parsed = parse(&text, file)?;
        for big in &parsed.big {
            let location = Location { file: file.to_owned(), line: parsed.lines.line_of(&big.pointer), pointer: big.pointer.clone() };
            self.diags.warn(location, super::big_integer_message(&big.text));
        }
        self.sources.add_file(file, Role::Referenced, parsed.lines);
        self.externals.insert(file.to_owned(), parsed.value);
        Ok(())
    }

    /// A copy of a path item or callback, its own references resolved against the file it came from.
    fn inline(&mut self, file: &str, pointer: &str, mut copy: Value, at: &str, kind: Kind, doc: &mut Value) -> Result<Resolved, Error> {
        let key = (file.to_owned(), pointer.to_owned());
        if self.inlining.contains(&key) {
            return Err(self.invalid(at, format!("`$ref` cycle: {} at `{file}#{pointer}` contains a reference to itself", kinds::article(kind))));
        }
        self.inlining.push(key);
        let result = self.rewrite(&mut copy, file, at, kind, doc);
        self.inlining.pop();
        result.map(|()| Resolved::Inline(copy))
    }

    /// Resolves, against `file`, every reference inside `tree`, which will stand at `at`.
    fn rewrite(&mut self, tree: &mut Value, file: &str, at: &str, kind: Kind, doc: &mut Value) -> Result<(), Error> {
        for (inner_at, inner_kind, target) in collect(tree, at, kind) {
            let resolved = self.resolve(file, &inner_at, inner_kind, &target, doc)?;
            apply(tree, &inner_at[at.len()..], resolved);
        }
        Ok(())
    }

    /// Moves a node of the document into its components section; a reference is left behind.
    fn hoist_local(&mut self, pointer: &str, kind: Kind, doc: &mut Value) -> String {
        let memo = (self.root_name.to_owned(), pointer.to_owned(), kind);
        if let Some(done) = self.hoisted.get(&memo) {
            return done.clone();
        }
        let Some(section) = kind.section() else { return format!("#{pointer}") };
        let dest = self.claim(doc, section, &derive_key(pointer, None), None);
        let reference = format!("#{dest}");
        self.hoisted.insert(memo, reference.clone());
        let now = self.current(pointer);
        let node = doc.pointer_mut(&now).map(|n| std::mem::replace(n, ref_node(&reference))).unwrap_or_default();
        place(doc, &dest, node);
        self.sources.moved(&now, &dest);
        self.moves.push((now, dest));
        reference
    }

    /// Copies a node of another file into the components section; its references are resolved
    /// against that file.
    fn hoist_external(&mut self, file: &str, pointer: &str, kind: Kind, mut node: Value, doc: &mut Value) -> Result<String, Error> {
        let memo = (file.to_owned(), pointer.to_owned(), kind);
        if let Some(done) = self.hoisted.get(&memo) {
            return Ok(done.clone());
        }
        let section = kind.section().unwrap_or("schemas");
        let stem = file_stem(file);
        let dest = self.claim(doc, section, &derive_key(pointer, Some(&stem)), Some(&stem));
        let reference = format!("#{dest}");
        self.hoisted.insert(memo, reference.clone());
        let index = self.sources.file_index(file).unwrap_or(0);
        self.sources.graft(&dest, index, pointer);
        // Reserve the place first, so that a reference back to this node finds it.
        place(doc, &dest, Value::Null);
        self.rewrite(&mut node, file, &dest, kind, doc)?;
        place(doc, &dest, node);
        Ok(reference)
    }

    /// A free key in `components/<section>` for `key`, as a pointer: `key`, else `<stem>_<key>`
    /// (for another file's node), else `key_2`, `key_3`, …
    fn claim(&self, doc: &Value, section: &str, key: &str, stem: Option<&str>) -> String {
        let taken: BTreeSet<&str> = doc.pointer(&format!("/components/{section}")).and_then(Value::as_object).map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        let mut candidates = vec![key.to_owned()];
        if let Some(stem) = stem.filter(|s| *s != key) {
            candidates.push(format!("{stem}_{key}"));
        }
        let chosen = candidates.into_iter().find(|c| !taken.contains(c.as_str())).unwrap_or_else(|| {
            (2..).map(|n| format!("{key}_{n}")).find(|c| !taken.contains(c.as_str())).unwrap_or_default()
        });
        push_pointer(&format!("/components/{section}"), &chosen)
    }
}

fn ref_node(reference: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(reference.to_owned()));
    Value::Object(map)
}

/// Sets `doc` at `/components/<section>/<key>` (creating the section) to `value`.
fn place(doc: &mut Value, dest: &str, value: Value) {
    let tokens = pointer_tokens(dest);
    let mut node = doc;
    for (i, token) in tokens.iter().enumerate() {
        let Value::Object(map) = node else { return };
        if i + 1 == tokens.len() {
            map.insert(token.clone(), value);
            return;
        }
        node = map.entry(token.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// The kind of the component a `/components/<section>/<key>` pointer names.
fn component_kind(pointer: &str) -> Option<Kind> {
    let tokens = pointer_tokens(pointer);
    (tokens.len() == 3 && tokens[0] == "components").then(|| Kind::of_section(&tokens[1])).flatten()
}

/// The key a hoisted node gets: its component key or `$defs` name where it has one, else the
/// meaningful words of its pointer (`/paths/~1pets/get/responses/200/…/schema` ->
/// `pets_get_200_response`), or the file's stem for a whole file.
fn derive_key(pointer: &str, stem: Option<&str>) -> String {
    let tokens = pointer_tokens(pointer);
    if tokens.is_empty() {
        return stem.unwrap_or("root").to_owned();
    }
    let n = tokens.len();
    if n == 3 && tokens[0] == "components" || n >= 2 && matches!(tokens[n - 2].as_str(), "$defs" | "definitions") {
        return tokens[n - 1].clone();
    }
    let mut words: Vec<String> = Vec::new();
    let mut previous = "";
    for token in &tokens {
        let word = match (previous, token.as_str()) {
            (_, "components" | "properties" | "content" | "schema" | "paths" | "webhooks" | "$defs" | "definitions") => None,
            (_, section) if Kind::of_section(section).is_some() && previous == "components" => None,
            ("responses", code) => Some(format!("{code}_response")),
            (_, "responses") => None,
            (_, "requestBody") => Some("request".to_owned()),
            (_, "items") => Some("item".to_owned()),
            (_, "additionalProperties") => Some("value".to_owned()),
            ("content", _) => None,
            (_, path) if path.starts_with('/') => Some(path.split('/').filter(|s| !s.is_empty() && !s.starts_with('{')).collect::<Vec<_>>().join("_")),
            (_, other) => Some(other.to_owned()),
        };
        words.extend(word.filter(|w| !w.is_empty()));
        previous = token;
    }
    if words.is_empty() {
        stem.unwrap_or("hoisted").to_owned()
    } else {
        words.join("_")
    }
}

/// The name of a file without directories and extension.
fn file_stem(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.split('.').next().unwrap_or(name).to_owned()
}

/// `relative` resolved against the directory of `from` (both as named, with `/`), without `.` and
/// with `..` folded where it can be.
fn join(from: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = if relative.starts_with('/') { Vec::new() } else { from.split('/').collect() };
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if relative.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Decodes `%XX` escapes of a URI fragment.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_referencing_file() {
        assert_eq!(join("specs/api.yaml", "./schemas/pet.yaml"), "specs/schemas/pet.yaml");
        assert_eq!(join("specs/schemas/pet.yaml", "../common.yaml"), "specs/common.yaml");
        assert_eq!(join("api.yaml", "common.yaml"), "common.yaml");
        assert_eq!(join("../shared/a.yaml", "../b.yaml"), "../b.yaml");
        assert_eq!(percent_decode("/components/schemas/Foo%20Bar"), "/components/schemas/Foo Bar");
    }

    #[test]
    fn hoisted_keys_read_like_names() {
        assert_eq!(derive_key("/components/schemas/Error", Some("common")), "Error");
        assert_eq!(derive_key("", Some("pet")), "pet");
        assert_eq!(derive_key("/components/schemas/Tag/allOf/0", None), "Tag_allOf_0");
        assert_eq!(derive_key("/components/schemas/Pet/properties/owner", None), "Pet_owner");
        assert_eq!(derive_key("/components/schemas/Pet/$defs/Owner", None), "Owner");
        assert_eq!(derive_key("/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema", None), "pets_get_200_response");
    }
}
