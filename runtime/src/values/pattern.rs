//! Strings matching an ECMA-262 `pattern`, as JSON Schema writes them, from `rand_regex`.
//!
//! JSON Schema patterns are ECMA-262 regular expressions and are not anchored: a string matches
//! when some part of it does. A string the whole pattern generates is such a string, so anchors
//! (`^`, `$`) and other assertions are dropped before generating (`rand_regex` refuses them); the
//! ECMA-262 meaning of `\d`, `\w` and `\s` (ASCII digits, ASCII word characters, the usual
//! whitespace) is written out, since Rust's regex syntax reads them as Unicode classes, which
//! would give digits no ECMA-262 validator accepts.

use rand::Rng;
use regex_syntax::hir::{Hir, HirKind};

/// The most extra repetitions `*`, `+` and `{n,}` generate.
const MAX_REPEAT: u32 = 6;

/// A compiled pattern, ready to generate strings.
#[derive(Debug)]
pub(super) struct Pattern(rand_regex::Regex);

impl Pattern {
    /// Compiles `pattern`; `None` when Rust's regex syntax cannot read it (lookaround,
    /// backreferences) or it generates no text.
    pub fn new(pattern: &str) -> Option<Pattern> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(&ecma_classes(pattern)).ok()?;
        let regex = rand_regex::Regex::with_hir(without_assertions(hir), MAX_REPEAT).ok()?;
        regex.is_utf8().then_some(Pattern(regex))
    }

    /// One string matching the pattern.
    pub fn sample(&self, rng: &mut impl Rng) -> String {
        rng.sample::<String, _>(&self.0)
    }
}

/// `\d`, `\w`, `\s` (and their negations) written as the ASCII classes ECMA-262 means.
fn ecma_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S')) => {
                    let class = match e.to_ascii_lowercase() {
                        'd' => "0-9",
                        'w' => "A-Za-z0-9_",
                        _ => r" \t\n\r\x0B\x0C",
                    };
                    // Inside a class, a nested class is Rust's syntax for a union.
                    let negated = if e.is_ascii_uppercase() { "^" } else { "" };
                    out.push_str(&format!("[{negated}{class}]"));
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `hir` with every assertion (anchors, word boundaries) replaced by the empty string.
fn without_assertions(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Capture(capture) => without_assertions(*capture.sub),
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(without_assertions(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Concat(items) => Hir::concat(items.into_iter().map(without_assertions).collect()),
        HirKind::Alternation(items) => Hir::alternation(items.into_iter().map(without_assertions).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn anchored_patterns_generate_matching_ascii_digits() {
        let pattern = Pattern::new(r"^\d{3}-[\dA-F]{2}$").expect("compiles");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..50 {
            let s = pattern.sample(&mut rng);
            let bytes = s.as_bytes();
            assert_eq!(bytes.len(), 6, "{s}");
            assert!(bytes[..3].iter().all(u8::is_ascii_digit) && bytes[3] == b'-', "{s}");
            assert!(bytes[4..].iter().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)), "{s}");
        }
    }

    #[test]
    fn lookaround_is_not_generated() {
        assert!(Pattern::new(r"^(?!foo).*$").is_none());
    }
}
