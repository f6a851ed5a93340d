//! Strings matching an ECMA-262 `pattern`, as JSON Schema writes them, of lengths within a
//! schema's `minLength` and `maxLength`.
//!
//! JSON Schema patterns are ECMA-262 regular expressions and are not anchored: a string matches
//! when some part of it does. A string the whole pattern generates is such a string, so anchors
//! and other assertions generate nothing. The text is read as ECMA-262 means it ([`ecma`]) and
//! each string is made to a length chosen within the bounds ([`tree`]).

mod ecma;
mod tree;

use rand::Rng;

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
}

impl Pattern {
    /// Compiles `pattern`, or says why no string can be generated from it.
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(&ecma::to_rust(pattern)).map_err(|e| format!("Rust's regex syntax cannot read it: {}", last_line(&e)))?;
        let tree = Tree::new(&hir).ok_or("it matches no text")?;
        Ok(Pattern { tree })
    }

    /// A string the pattern matches, of `min` to `max` characters (`None`: no limit), or why none
    /// was found.
    pub fn string(&self, rng: &mut impl Rng, min: usize, max: Option<usize>) -> Result<String, String> {
        let low = min.max(self.tree.min);
        let high = tighter(max, self.tree.max);
        if high.is_some_and(|high| high < low) {
            return Err(format!("makes strings of {}, none of {}", lengths(self.tree.min, self.tree.max), lengths(min, max)));
        }
        for attempt in 0..TRIES {
            let reach = REACH[usize::from(attempt >= TRIES / 2)];
            let target = rng.random_range(low..=high.unwrap_or(usize::MAX).min(low.saturating_add(reach)));
            let mut text = String::new();
            self.tree.generate(target, rng, &mut text);
            let length = text.chars().count();
            if length >= min && max.is_none_or(|max| length <= max) {
                return Ok(text);
            }
        }
        Err(format!("gave no string of {} in {TRIES} tries", lengths(min, max)))
    }
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
    fn what_cannot_be_made_says_why() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let fixed = Pattern::new(r"^\d{4}$").expect("compiles");
        assert_eq!(fixed.string(&mut rng, 5, None), Err("makes strings of 4 to 4 characters, none of at least 5 characters".to_owned()));
        assert!(Pattern::new(r"(a)\1").is_err_and(|e| e.contains("backreferences")), "backreferences");
        assert!(Pattern::new(r"^(?!x)").is_err_and(|e| e.contains("look-around")), "lookaround");
        assert!(Pattern::new(r"[^\x{0}-\x{10FFFF}]").is_err_and(|e| e.contains("no text")));
    }
}
