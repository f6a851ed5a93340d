//! Diagnostics: where in a spec something is, what the generator assumed there, and why it stopped.
//!
//! Every warning and error carries a [`Location`]: the spec file, a JSON pointer into it and, where the
//! source text allows, the line the pointer lands on.

use std::fmt;

/// A place in a spec file: the file as given, a JSON pointer, and the line when it is known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    /// The spec file as the caller named it (never made absolute, so output stays machine-independent).
    pub file: String,
    /// 1-based line of the pointed-at key in the source text, when it could be found.
    pub line: Option<usize>,
    /// JSON pointer (RFC 6901) into the document, e.g. `/components/schemas/Error`.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{} (#{})", self.file, line, self.pointer),
            None => write!(f, "{} (#{})", self.file, self.pointer),
        }
    }
}

/// Something the generator had to assume because the spec is defective or ambiguous.
///
/// Warnings never stop generation; they are collected, sorted by location and reported together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Warning {
    /// Where the defect is.
    pub location: Location,
    /// What is wrong and what was assumed instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

/// Why the generator could not produce output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A spec, overlay or referenced file could not be read.
    #[error("{file}: cannot read it: {source}")]
    Read {
        /// The file as given.
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid YAML or JSON.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is well-formed but cannot be used as an OpenAPI 3.0 description.
    #[error("{location}: {message}")]
    Invalid {
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// The generator's own settings cannot be used (a crate or module name cargo or rustc would
    /// refuse, a type path that is not Rust).
    #[error("{message}")]
    Config {
        /// What is wrong, and what would do.
        message: String,
    },
    /// Writing output failed (templates, formatting of emitted code).
    #[error("cannot emit {what}: {message}")]
    Emit {
        /// Which output.
        what: String,
        /// What went wrong.
        message: String,
    },
}

/// Collects warnings while a spec is loaded and lowered; they come out sorted by file, line and pointer.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    warnings: Vec<Warning>,
}

impl Diagnostics {
    /// Records that something was assumed at `location`.
    pub fn warn(&mut self, location: Location, message: impl Into<String>) {
        self.warnings.push(Warning { location, message: message.into() });
    }

    /// The warnings so far, sorted by file, line, pointer and message, without duplicates.
    pub fn into_sorted(mut self) -> Vec<Warning> {
        self.warnings.sort();
        self.warnings.dedup();
        self.warnings
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn push_pointer(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// Splits a JSON pointer into its unescaped reference tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_round_trips_escapes() {
        let p = push_pointer("/paths", "/v2/users/{id}");
        assert_eq!(p, "/paths/~1v2~1users~1{id}");
        assert_eq!(pointer_tokens(&p), vec!["paths", "/v2/users/{id}"]);
        assert_eq!(pointer_tokens(&push_pointer("", "a~b")), vec!["a~b"]);
    }

    #[test]
    fn location_shows_line_when_known() {
        let mut loc = Location { file: "spec.yaml".into(), pointer: "/a".into(), line: Some(3) };
        assert_eq!(loc.to_string(), "spec.yaml:3 (#/a)");
        loc.line = None;
        assert_eq!(loc.to_string(), "spec.yaml (#/a)");
    }
}
