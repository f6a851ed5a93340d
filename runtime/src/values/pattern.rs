//! Strings matching an ECMA-262 `pattern`, as JSON Schema writes them, of lengths within a
//! schema's `minLength` and `maxLength`.
//!
//! JSON Schema patterns are ECMA-262 regular expressions and are not anchored: a string matches
//! when some part of it does. A string the whole pattern generates is such a string, so anchors
//! and other assertions generate nothing. Lookaround (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`),
//! which Rust's regex syntax cannot read, is taken out to generate candidates ([`ecma`]), made to
//! a chosen length ([`tree`]); a candidate is kept only when the whole pattern, lookaround
//! included, matches it (`fancy-regex`, the engine the `jsonschema` crate judges with).

mod ecma;
mod tree;

use rand::Rng;
use regex_syntax::hir::{HirKind, Look};

use tree::Tree;

/// How many candidates are made before a pattern and lengths are given up on.
const TRIES: usize = 64;

/// How far past its shortest length a string goes when the bounds leave room, in the first half
/// of the tries and then in the second (for patterns whose lengths step, such as `(abcd)+`).
const REACH: [usize; 2] = [16, 256];

/// A compiled pattern, ready to generate strings.
#[derive(Debug)]
pub(super) struct Pattern {
    tree: Tree,
    /// The whole pattern, lookaround included, which judges every candidate.
    whole: fancy_regex::Regex,
    /// What lookaheads say about the length of the whole string: at least, at most.
    bounds: (usize, Option<usize>),
    had_lookaround: bool,
}

impl Pattern {
    /// Compiles `pattern`, or says why no string can be generated from it.
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let split = ecma::without_lookaround(pattern);
        let without = if split.had_lookaround { " without its lookaround" } else { "" };
        let hir = regex_syntax::ParserBuilder::new().build().parse(&ecma::to_rust(&split.generator)).map_err(|e| format!("Rust's regex syntax cannot read it{without}: {}", last_line(&e)))?;
        let tree = Tree::new(&hir).ok_or_else(|| format!("it matches no text{without}"))?;
        let whole = fancy_regex::Regex::new(&ecma::to_rust(pattern)).map_err(|e| format!("`fancy-regex` cannot read it: {e}"))?;
        let bounds = split.lookaheads.iter().filter_map(|body| anchored_lengths(body)).fold((0, None), |(min, max), (low, high)| (min.max(low), tighter(max, high)));
        Ok(Pattern { tree, whole, bounds, had_lookaround: split.had_lookaround })
    }

    /// A string the pattern matches, of `min` to `max` characters (`None`: no limit), or why none
    /// was found.
    pub fn string(&self, rng: &mut impl Rng, min: usize, max: Option<usize>) -> Result<String, String> {
        let low = min.max(self.tree.min).max(self.bounds.0);
        let high = tighter(tighter(max, self.tree.max), self.bounds.1);
        if high.is_some_and(|high| high < low) {
            let made = lengths(self.tree.min.max(self.bounds.0), tighter(self.tree.max, self.bounds.1));
            return Err(format!("makes strings of {made}, none of {}", lengths(min, max)));
        }
        let mut judged_out = 0;
        for attempt in 0..TRIES {
            let reach = REACH[usize::from(attempt >= TRIES / 2)];
            let target = rng.random_range(low..=high.unwrap_or(usize::MAX).min(low.saturating_add(reach)));
            let mut text = String::new();
            self.tree.generate(target, rng, &mut text);
            let length = text.chars().count();
            if length < min || max.is_some_and(|max| length > max) {
                continue;
            }
            // A string too costly to decide (the backtracking limit) counts as not matching.
            if self.whole.is_match(&text).unwrap_or(false) {
                return Ok(text);
            }
            judged_out += 1;
        }
        let judged = match (judged_out, self.had_lookaround) {
            (0, _) => "",
            (_, true) => " that the whole pattern, lookaround included, matches",
            (_, false) => " that the whole pattern, anchors included, matches",
        };
        Err(format!("gave no string of {}{judged} in {TRIES} tries", lengths(min, max)))
    }
}

/// The lengths the body of a lookahead such as `^.{3,63}$` allows the whole string, when it is
/// anchored at both ends (and so is about the whole string).
fn anchored_lengths(body: &str) -> Option<(usize, Option<usize>)> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(&ecma::to_rust(body)).ok()?;
    let HirKind::Concat(items) = hir.kind() else { return None };
    let anchored = matches!(items.first().map(|h| h.kind()), Some(HirKind::Look(Look::Start))) && matches!(items.last().map(|h| h.kind()), Some(HirKind::Look(Look::End)));
    let tree = Tree::new(&hir).filter(|_| anchored)?;
    Some((tree.min, tree.max))
}

/// The smaller of two upper limits, `None` being no limit.
fn tighter(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// "3 to 63 characters", "at least 1 character".
fn lengths(min: usize, max: Option<usize>) -> String {
    match max {
        Some(max) => format!("{min} to {max} characters"),
        None => format!("at least {min} characters"),
    }
}

/// The line of a regex parse error that says what is wrong (the others draw where).
fn last_line(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    let line = text.lines().last().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn strings(pattern: &str, min: usize, max: Option<usize>) -> Vec<String> {
        let pattern = Pattern::new(pattern).expect("compiles");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        (0..100).map(|_| pattern.string(&mut rng, min, max).expect("a string")).collect()
    }

    #[test]
    fn anchored_patterns_generate_matching_ascii_digits() {
        for s in strings(r"^\d{3}-[\dA-F]{2}$", 0, None) {
            let bytes = s.as_bytes();
            assert_eq!(bytes.len(), 6, "{s}");
            assert!(bytes[..3].iter().all(u8::is_ascii_digit) && bytes[3] == b'-', "{s}");
            assert!(bytes[4..].iter().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)), "{s}");
        }
    }

    #[test]
    fn strings_are_made_to_the_length_asked() {
        assert!(strings("[a-zA-Z0-9][a-zA-Z0-9-]*", 36, Some(36)).iter().all(|s| s.len() == 36));
        assert!(strings("^([a-z]{2,3}-)+[0-9]?$", 40, Some(41)).iter().all(|s| (40..=41).contains(&s.chars().count())));
        let unbounded = strings("[a-f0-9]+", 0, None);
        assert!(unbounded.iter().all(|s| (1..=1 + REACH[1]).contains(&s.len())), "{unbounded:?}");
        assert!(unbounded.iter().filter(|s| s.len() <= 1 + REACH[0]).count() > 40, "mostly short: {unbounded:?}");
    }

    #[test]
    fn an_anchored_lookahead_bounds_the_length() {
        let pattern = Pattern::new(r"(?=^.{3,5}$)^[a-z]+$").expect("compiles");
        assert_eq!(pattern.bounds, (3, Some(5)));
        assert!(strings(r"(?=^.{3,5}$)^[a-z]+$", 0, None).iter().all(|s| (3..=5).contains(&s.len())));
    }

    #[test]
    fn what_cannot_be_made_says_why() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let fixed = Pattern::new(r"^\d{4}$").expect("compiles");
        assert_eq!(fixed.string(&mut rng, 5, None), Err("makes strings of 4 to 4 characters, none of at least 5 characters".to_owned()));
        let contradiction = Pattern::new("^(?!x)x").expect("compiles");
        assert!(contradiction.string(&mut rng, 0, None).is_err_and(|e| e.contains("lookaround included")));
        let misplaced = Pattern::new(".^").expect("compiles");
        assert!(misplaced.string(&mut rng, 0, None).is_err_and(|e| e.contains("anchors included")));
        assert!(Pattern::new(r"(a)\1").is_err_and(|e| e.contains("backreferences")), "backreferences");
        assert!(Pattern::new(r"[^\x{0}-\x{10FFFF}]").is_err_and(|e| e.contains("no text")));
    }
}
