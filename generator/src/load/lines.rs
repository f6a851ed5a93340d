//! Maps JSON pointers to the lines of the YAML or JSON text they came from, and finds integer
//! literals too large for 64 bits (which the parsers silently turn into floats).
//!
//! Neither serde_yaml nor serde_json keeps positions, so the text is walked once more: YAML with
//! `yaml-rust2`'s event parser, which reports a marker for every node, JSON with the small scanner
//! below (a YAML parser would reject JSON's surrogate-pair escapes). The index is best effort: text
//! that cannot be walked yields an empty index, and locations then carry only their pointer.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diag::{pointer_tokens, push_pointer};

/// Line numbers of every node of a document, as a tree: a node's children are found by their key
/// (a member name, or an item's index written as text), so a pointer is looked up a token at a time
/// and no node stores its whole pointer.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// The line of each node; node 0 is the document.
    lines: Vec<u32>,
    /// The child of a node under a key.
    children: HashMap<(u32, Box<str>), u32>,
}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex { lines: vec![0], children: HashMap::new() }
    }
}

/// An integer literal that does not fit in 64 bits, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct BigInteger {
    /// JSON pointer of the value.
    pub pointer: String,
    /// The literal as written.
    pub text: String,
}

impl LineIndex {
    /// Indexes YAML text; never fails (unparseable text gives an empty index).
    pub fn yaml(text: &str) -> (Self, Vec<BigInteger>) {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return (Self::default(), Vec::new());
        }
        (builder.index, builder.big)
    }

    /// Indexes JSON text; never fails (the index stops where the text stops being JSON).
    pub fn json(text: &str) -> (Self, Vec<BigInteger>) {
        let mut builder = Builder::default();
        json_scan(text.as_bytes(), &mut builder);
        (builder.index, builder.big)
    }

    /// The line of `pointer`, or of its nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut node = 0u32;
        for token in pointer_tokens(pointer) {
            match self.children.get(&(node, token.into_boxed_str())) {
                Some(child) => node = *child,
                None => break,
            }
        }
        self.lines.get(node as usize).filter(|line| **line > 0).map(|line| *line as usize)
    }

    /// The child of `parent` under `key`, made (starting on `line`) when new.
    fn child(&mut self, parent: u32, key: Box<str>, line: usize) -> u32 {
        let next = self.lines.len() as u32;
        let node = *self.children.entry((parent, key)).or_insert(next);
        if node == next {
            self.lines.push(line as u32);
        }
        node
    }
}

/// True when `text` is an integer literal (optional sign, digits) that fits neither `i64` nor `u64`.
fn is_big_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && text.parse::<i64>().is_err() && text.parse::<u64>().is_err()
}

enum Frame {
    /// A mapping: its node and pointer, and the key waiting for its value, if any.
    Map { node: u32, pointer: String, key: Option<String> },
    /// A sequence: its node and pointer, and the index of the next item.
    Seq { node: u32, pointer: String, next: usize },
}

#[derive(Default)]
struct Builder {
    index: LineIndex,
    stack: Vec<Frame>,
    big: Vec<BigInteger>,
}

impl Builder {
    /// The node that starts now (on `line`) with its pointer, or `None` when it is a mapping key.
    fn place_node(&mut self, line: usize) -> Option<(u32, String)> {
        let (parent, pointer, key) = match self.stack.last_mut() {
            None => {
                if self.index.lines[0] == 0 {
                    self.index.lines[0] = line as u32;
                }
                return Some((0, String::new()));
            }
            Some(Frame::Seq { node, pointer, next }) => {
                *next += 1;
                (*node, pointer, (*next - 1).to_string())
            }
            Some(Frame::Map { node, pointer, key }) => match key.take() {
                Some(k) => (*node, pointer, k),
                None => return None,
            },
        };
        let pointer = push_pointer(pointer, &key);
        Some((self.index.child(parent, key.into_boxed_str(), line), pointer))
    }

    /// A mapping key on `line`: remember it, and point the key's own line at the value's node so
    /// that a pointer to a block mapping lands on the line of its key.
    fn key(&mut self, value: String, line: usize) {
        if let Some(Frame::Map { node, key, .. }) = self.stack.last_mut() {
            let parent = *node;
            *key = Some(value.clone());
            self.index.child(parent, value.into_boxed_str(), line);
        }
    }

    fn scalar(&mut self, text: &str, plain: bool, line: usize) {
        // Only a big integer needs its pointer; the others are placed without building one.
        let big = plain && is_big_integer(text);
        if !big && matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
            self.key(text.to_owned(), line);
            return;
        }
        if !big {
            self.place_leaf(line);
            return;
        }
        match self.place_node(line) {
            Some((_, pointer)) => self.big.push(BigInteger { pointer, text: text.to_owned() }),
            None => self.key(text.to_owned(), line),
        }
    }

    /// A scalar value (not a key) starting on `line`.
    fn place_leaf(&mut self, line: usize) {
        let (parent, key) = match self.stack.last_mut() {
            None => return,
            Some(Frame::Seq { node, next, .. }) => {
                *next += 1;
                (*node, (*next - 1).to_string())
            }
            Some(Frame::Map { node, key, .. }) => match key.take() {
                Some(k) => (*node, k),
                None => return,
            },
        };
        self.index.child(parent, key.into_boxed_str(), line);
    }

    fn open_map(&mut self, line: usize) {
        let (node, pointer) = self.place_node(line).unwrap_or_default();
        self.stack.push(Frame::Map { node, pointer, key: None });
    }

    fn open_seq(&mut self, line: usize) {
        let (node, pointer) = self.place_node(line).unwrap_or_default();
        self.stack.push(Frame::Seq { node, pointer, next: 0 });
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, style, ..) => self.scalar(&value, style == TScalarStyle::Plain, mark.line()),
            Event::Alias(_) => {
                self.place_leaf(mark.line());
            }
            Event::MappingStart(..) => self.open_map(mark.line()),
            Event::SequenceStart(..) => self.open_seq(mark.line()),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Walks JSON text, telling `builder` where every value and key starts.
fn json_scan(b: &[u8], builder: &mut Builder) {
    let mut i = 0;
    let mut line = 1;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'{' => {
                builder.open_map(line);
                i += 1;
            }
            b'[' => {
                builder.open_seq(line);
                i += 1;
            }
            b'}' | b']' => {
                builder.stack.pop();
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                let raw = &b[start..i];
                let is_key = matches!(builder.stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key {
                    let Ok(key) = serde_json::from_slice::<String>(raw) else { return };
                    builder.key(key, line);
                } else {
                    builder.place_leaf(line);
                }
            }
            b',' | b':' | b' ' | b'\t' | b'\r' => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    i += 1;
                }
                let token = std::str::from_utf8(&b[start..i]).unwrap_or("");
                builder.scalar(token, true, line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_of_keys_items_and_escaped_paths() {
        let text = "openapi: 3.0.0\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n      responses:\n        200:\n          description: ok\n";
        let (index, big) = LineIndex::yaml(text);
        assert!(big.is_empty());
        assert_eq!(index.line_of(""), Some(1));
        assert_eq!(index.line_of("/paths"), Some(2));
        assert_eq!(index.line_of("/paths/~1a~1b/get"), Some(4));
        assert_eq!(index.line_of("/paths/~1a~1b/get/tags/1"), Some(5));
        assert_eq!(index.line_of("/paths/~1a~1b/get/responses/200/description"), Some(8));
        // Unknown children fall back to the nearest known ancestor.
        assert_eq!(index.line_of("/paths/~1a~1b/get/responses/404"), Some(6));
    }

    #[test]
    fn json_is_indexed_with_escapes_and_bad_yaml_gives_nothing() {
        let (index, _) = LineIndex::json("{\n  \"a\": {\n    \"b\": 1\n  },\n  \"c\\u00e9\\uD83D\\uDE00/\": [\n    true,\n    \"x\"\n  ]\n}\n");
        assert_eq!(index.line_of("/a/b"), Some(3));
        assert_eq!(index.line_of("/c\u{e9}\u{1F600}~1"), Some(5));
        assert_eq!(index.line_of("/c\u{e9}\u{1F600}~1/1"), Some(7));
        assert_eq!(LineIndex::yaml("a: [").0.line_of("/a"), None);
    }

    #[test]
    fn integers_beyond_64_bits_are_found_in_both_syntaxes() {
        let (_, big) = LineIndex::yaml("a:\n  minimum: -9223372036854776000\n  maximum: 18446744073709551615\n  b: '99999999999999999999'\n");
        assert_eq!(big, vec![BigInteger { pointer: "/a/minimum".into(), text: "-9223372036854776000".into() }]);
        let (_, big) = LineIndex::json("{\"x\": [1, 123456789012345678901234, 1.5e300]}");
        assert_eq!(big, vec![BigInteger { pointer: "/x/1".into(), text: "123456789012345678901234".into() }]);
    }
}
