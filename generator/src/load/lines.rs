//! Maps JSON pointers to the lines of the YAML (or JSON) text they came from.
//!
//! serde_yaml keeps no positions, so the text is walked once more with `yaml-rust2`'s event parser,
//! which reports a marker for every node. The index is best effort: text it cannot parse yields an
//! empty index, and locations then carry only their pointer.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::push_pointer;

/// Line numbers of every node of a document, keyed by JSON pointer.
#[derive(Debug, Default, Clone)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

impl LineIndex {
    /// Indexes `text`; never fails (unparseable text gives an empty index).
    pub fn new(text: &str) -> Self {
        let mut builder = Builder { lines: HashMap::new(), stack: Vec::new() };
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return Self::default();
        }
        Self { lines: builder.lines }
    }

    /// The line of `pointer`, or of its nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(line) = self.lines.get(p) {
                return Some(*line);
            }
            let cut = p.rfind('/')?;
            p = &p[..cut];
        }
    }
}

enum Frame {
    /// A mapping: the pointer of the mapping and the key waiting for its value, if any.
    Map { pointer: String, key: Option<String> },
    /// A sequence: its pointer and the index of the next item.
    Seq { pointer: String, next: usize },
}

struct Builder {
    lines: HashMap<String, usize>,
    stack: Vec<Frame>,
}

impl Builder {
    /// Pointer of the node that starts now, or `None` when the event is a mapping key.
    fn place_node(&mut self, mark: Marker) -> Option<String> {
        let pointer = match self.stack.last_mut() {
            None => String::new(),
            Some(Frame::Seq { pointer, next }) => {
                let p = push_pointer(pointer, &next.to_string());
                *next += 1;
                p
            }
            Some(Frame::Map { pointer, key }) => match key.take() {
                Some(k) => push_pointer(pointer, &k),
                None => return None,
            },
        };
        self.lines.entry(pointer.clone()).or_insert(mark.line());
        Some(pointer)
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            // A key: remember it, and point the key's own line at the value's pointer so that a
            // pointer to a block mapping lands on the line of its key.
            Event::Scalar(value, ..) if self.place_node(mark).is_none() => {
                if let Some(Frame::Map { pointer, key }) = self.stack.last_mut() {
                    self.lines.entry(push_pointer(pointer, &value)).or_insert(mark.line());
                    *key = Some(value);
                }
            }
            Event::Alias(_) => {
                self.place_node(mark);
            }
            Event::MappingStart(..) => {
                let pointer = self.place_node(mark).unwrap_or_default();
                self.stack.push(Frame::Map { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.place_node(mark).unwrap_or_default();
                self.stack.push(Frame::Seq { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_of_keys_items_and_escaped_paths() {
        let text = "openapi: 3.0.0\npaths:\n  /a/b:\n    get:\n      tags: [x, y]\n      responses:\n        200:\n          description: ok\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_of(""), Some(1));
        assert_eq!(index.line_of("/paths"), Some(2));
        assert_eq!(index.line_of("/paths/~1a~1b/get"), Some(4));
        assert_eq!(index.line_of("/paths/~1a~1b/get/tags/1"), Some(5));
        assert_eq!(index.line_of("/paths/~1a~1b/get/responses/200/description"), Some(8));
        // Unknown children fall back to the nearest known ancestor.
        assert_eq!(index.line_of("/paths/~1a~1b/get/responses/404"), Some(6));
    }

    #[test]
    fn json_text_is_indexed_too_and_bad_text_gives_nothing() {
        let index = LineIndex::new("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n");
        assert_eq!(index.line_of("/a/b"), Some(3));
        assert_eq!(LineIndex::new("a: [").line_of("/a"), None);
    }
}
