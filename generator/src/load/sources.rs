//! Where each node of a loaded document comes from.
//!
//! A document is read from one file, but bundling copies subtrees of other files into it (a `$ref`
//! to `./schemas/pet.yaml`), moves subtrees within it (a `$ref` deep into another schema becomes a
//! component), and overlays add nodes of their own. Each such subtree is a *graft*: its pointer in
//! the document, the file it came from and its pointer there. Locating a pointer finds the nearest
//! graft above it, so every diagnostic names the file and line the node was written at.

use std::collections::BTreeMap;

use super::lines::LineIndex;
use crate::diag::Location;

/// One file read while loading, with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file as named in diagnostics (relative to the generator's root, never absolute).
    pub name: String,
    /// What the file is to the document.
    pub role: Role,
    lines: LineIndex,
}

/// Why a file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The spec itself.
    Spec,
    /// A file the spec references with a relative `$ref`.
    Referenced,
    /// An overlay applied to the spec.
    Overlay,
}

/// The files of a document and the grafts between them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// Document pointer -> (file index, pointer in that file).
    grafts: BTreeMap<String, (usize, String)>,
}

impl Sources {
    /// Adds a file and returns its index; the first file added is the spec itself.
    pub(crate) fn add_file(&mut self, name: &str, role: Role, lines: LineIndex) -> usize {
        self.files.push(SourceFile { name: name.to_owned(), role, lines });
        self.files.len() - 1
    }

    /// The index of the file named `name`, if it was read.
    pub(crate) fn file_index(&self, name: &str) -> Option<usize> {
        self.files.iter().position(|f| f.name == name)
    }

    /// The files read, the spec first.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Records that the subtree at `at` came from `from` in file `file`; grafts that were below `at`
    /// are gone with the subtree it replaces.
    pub(crate) fn graft(&mut self, at: &str, file: usize, from: &str) {
        self.drop_below(at);
        self.grafts.insert(at.to_owned(), (file, from.to_owned()));
    }

    /// Records that the subtree at `from` now stands at `to` (a move within the document): the
    /// grafts inside it move along, and where it had none, it keeps pointing at where it was.
    pub(crate) fn moved(&mut self, from: &str, to: &str) {
        let origin = self.origin(from);
        let inside: Vec<(String, (usize, String))> = self.below(from).map(|(k, v)| (k.clone(), v.clone())).collect();
        self.drop_below(to);
        for (k, _) in &inside {
            self.grafts.remove(k);
        }
        self.grafts.insert(to.to_owned(), origin);
        for (k, v) in inside {
            let rest = &k[from.len()..];
            if !rest.is_empty() {
                self.grafts.insert(format!("{to}{rest}"), v);
            }
        }
    }

    /// Records that the subtree at `to` is a copy of the one at `from`: both keep pointing at where
    /// it was written.
    pub(crate) fn copied(&mut self, from: &str, to: &str) {
        let origin = self.origin(from);
        let inside: Vec<(String, (usize, String))> = self.below(from).map(|(k, v)| (k.clone(), v.clone())).collect();
        self.drop_below(to);
        self.grafts.insert(to.to_owned(), origin);
        for (k, v) in inside {
            let rest = &k[from.len()..];
            if !rest.is_empty() {
                self.grafts.insert(format!("{to}{rest}"), v);
            }
        }
    }

    fn below<'a>(&'a self, at: &'a str) -> impl Iterator<Item = (&'a String, &'a (usize, String))> + 'a {
        self.grafts.range(at.to_owned()..).take_while(move |(k, _)| k.starts_with(at)).filter(move |(k, _)| is_at_or_below(k, at))
    }

    /// Forgets where the subtree at `at` came from: it was removed.
    pub(crate) fn forget(&mut self, at: &str) {
        self.drop_below(at);
    }

    fn drop_below(&mut self, at: &str) {
        let doomed: Vec<String> = self.below(at).map(|(k, _)| k.clone()).collect();
        for k in doomed {
            self.grafts.remove(&k);
        }
    }

    /// The file index and pointer in that file of a document pointer.
    pub(crate) fn origin(&self, pointer: &str) -> (usize, String) {
        let mut p = pointer;
        loop {
            if let Some((file, base)) = self.grafts.get(p) {
                return (*file, format!("{base}{}", &pointer[p.len()..]));
            }
            match p.rfind('/') {
                Some(cut) => p = &p[..cut],
                None => return (0, pointer.to_owned()),
            }
        }
    }

    /// The location of `pointer` in file `file` itself (an overlay's own nodes, say).
    pub(crate) fn locate_in(&self, file: usize, pointer: &str) -> Location {
        match self.files.get(file) {
            Some(f) => Location { file: f.name.clone(), line: f.lines.line_of(pointer), pointer: pointer.to_owned() },
            None => Location { file: String::new(), line: None, pointer: pointer.to_owned() },
        }
    }

    /// The file and line of a document pointer (the pointer shown is the one in that file).
    pub fn locate(&self, pointer: &str) -> Location {
        let (file, at) = self.origin(pointer);
        match self.files.get(file) {
            Some(f) => Location { file: f.name.clone(), line: f.lines.line_of(&at), pointer: at },
            None => Location { file: String::new(), line: None, pointer: at },
        }
    }
}

/// True when pointer `p` is `at` or a descendant of it (`/a/bc` is not below `/a/b`).
fn is_at_or_below(p: &str, at: &str) -> bool {
    p.strip_prefix(at).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grafts_map_pointers_to_their_file_and_line() {
        let mut sources = Sources::default();
        sources.add_file("spec.yaml", Role::Spec, LineIndex::yaml("a:\n  b: 1\n").0);
        let pet = sources.add_file("pet.yaml", Role::Referenced, LineIndex::yaml("type: object\nproperties:\n  name: {type: string}\n").0);
        sources.graft("/components/schemas/pet", pet, "");
        assert_eq!(sources.locate("/a/b").to_string(), "spec.yaml:2 (#/a/b)");
        assert_eq!(sources.locate("/components/schemas/pet/properties/name").to_string(), "pet.yaml:3 (#/properties/name)");
        assert_eq!(sources.locate("/components/schemas/petx").file, "spec.yaml");

        // A subtree moved within the document keeps pointing at where it was written.
        sources.moved("/a", "/components/schemas/A");
        assert_eq!(sources.locate("/components/schemas/A/b").to_string(), "spec.yaml:2 (#/a/b)");
        sources.moved("/components/schemas/pet/properties", "/components/schemas/P");
        assert_eq!(sources.locate("/components/schemas/P/name").to_string(), "pet.yaml:3 (#/properties/name)");
    }
}
