//! ECMA-262 pattern text rewritten for Rust's regex syntax, and lookaround taken out of it.
//!
//! Where the two dialects read the same text differently, the rewrite says what ECMA-262 means:
//! `\d` and `\w` are ASCII classes there, `.` leaves out every line terminator, and inside a
//! class `[`, `&` and `~` are plain characters (Rust reads nested classes and set operations).

/// Whitespace every reading of `\s` agrees on (jsonschema's translation of `\s` leaves out some of
/// ECMA-262's): what `\s` generates.
const ASCII_SPACE: &str = r"\t\n\x0B\x0C\r ";

/// ECMA-262's WhiteSpace and LineTerminator: what `\S` keeps out, so that no reading of it sees
/// whitespace where the pattern allows none.
const ECMA_SPACE: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// `pattern` in Rust's regex syntax (lookaround left in; `fancy-regex` reads it).
pub(super) fn to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    // Inside a class: whether it is negated.
    let mut class: Option<bool> = None;
    while let Some(c) = chars.next() {
        match (c, class) {
            ('\\', _) => match chars.next() {
                Some(e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S')) => {
                    // Whitespace in the strings this class admits: the agreed ASCII part; kept
                    // out of them: all of ECMA-262's.
                    let admits = e.is_ascii_lowercase() != class.unwrap_or(false);
                    let set = match e.to_ascii_lowercase() {
                        'd' => "0-9",
                        'w' => "A-Za-z0-9_",
                        _ if admits => ASCII_SPACE,
                        _ => ECMA_SPACE,
                    };
                    // Inside a class, a nested class is Rust's syntax for a union.
                    let negated = if e.is_ascii_uppercase() { "^" } else { "" };
                    out.push_str(&format!("[{negated}{set}]"));
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            ('[', None) => {
                let negated = chars.next_if_eq(&'^').is_some();
                if chars.next_if_eq(&']').is_some() {
                    // ECMA-262's `[]` matches nothing and `[^]` any character.
                    out.push_str(if negated { r"[\x{0}-\x{10FFFF}]" } else { r"[^\x{0}-\x{10FFFF}]" });
                    continue;
                }
                class = Some(negated);
                out.push_str(if negated { "[^" } else { "[" });
            }
            (']', Some(_)) => {
                class = None;
                out.push(']');
            }
            ('[' | '&' | '~', Some(_)) => {
                out.push('\\');
                out.push(c);
            }
            ('.', None) => out.push_str(r"[^\n\r\x{2028}\x{2029}]"),
            _ => out.push(c),
        }
    }
    out
}

/// A pattern with its lookaround groups taken out, for generating candidates the whole pattern
/// then judges.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Split {
    /// The pattern without lookaround (still ECMA-262 text).
    pub generator: String,
    /// The bodies of positive lookaheads outside every group and alternation: each holds at the
    /// position it sits at, which is how `(?=^.{3,63}$)` bounds the whole string.
    pub lookaheads: Vec<String>,
    /// Whether there was lookaround to take out.
    pub had_lookaround: bool,
}

/// `pattern` split into what generates and what only judges. Unbalanced text is left as it is,
/// for the regex parser to report.
pub(super) fn without_lookaround(pattern: &str) -> Split {
    let chars: Vec<char> = pattern.chars().collect();
    let mut split = Split::default();
    let (mut depth, mut in_class, mut alternation) = (0usize, false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            split.generator.extend(&chars[i..(i + 2).min(chars.len())]);
            i += 2;
            continue;
        }
        if in_class {
            in_class = c != ']';
        } else {
            match c {
                '[' => in_class = true,
                '(' => {
                    if let (Some((body, positive_ahead)), Some(end)) = (lookaround_body(&chars, i), group_end(&chars, i)) {
                        if positive_ahead && depth == 0 {
                            split.lookaheads.push(chars[body..end].iter().collect());
                        }
                        split.had_lookaround = true;
                        i = end + 1;
                        continue;
                    }
                    depth += 1;
                }
                ')' => depth = depth.saturating_sub(1),
                '|' if depth == 0 => alternation = true,
                _ => {}
            }
        }
        split.generator.push(c);
        i += 1;
    }
    if alternation {
        split.lookaheads.clear();
    }
    split
}

/// Where the body of a lookaround group opening at `open` starts, and whether it is a positive
/// lookahead; `None` for any other group.
fn lookaround_body(chars: &[char], open: usize) -> Option<(usize, bool)> {
    match chars.get(open + 1..open + 4)? {
        ['?', '=', _] => Some((open + 3, true)),
        ['?', '!', _] => Some((open + 3, false)),
        ['?', '<', '=' | '!'] => Some((open + 4, false)),
        _ => None,
    }
}

/// The index of the `)` closing the group opened at `open`, past escapes, classes and nested groups.
fn group_end(chars: &[char], open: usize) -> Option<usize> {
    let (mut depth, mut in_class, mut i) = (0usize, false, open);
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            ']' if in_class => in_class = false,
            _ if in_class => {}
            '[' => in_class = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookaround_is_taken_out_past_nested_groups_classes_and_escapes() {
        let split = without_lookaround(r"^(?![^:\\]*/action/)[^:\\]+$");
        assert_eq!((split.generator.as_str(), split.had_lookaround), (r"^[^:\\]+$", true));
        assert_eq!(without_lookaround(r"^[0-9a-z\.\-]*(?<!\.)$").generator, r"^[0-9a-z\.\-]*$");
        assert_eq!(without_lookaround(r"a(?!b(c)[)(]\))d").generator, "ad");
        assert_eq!(without_lookaround(r"\(?=x[(?=]").generator, r"\(?=x[(?=]");
        assert_eq!(without_lookaround(r"(?<name>x)(?:y)").generator, r"(?<name>x)(?:y)");
        assert_eq!(without_lookaround(r"^(^(?!aws:).[\p{L}\-@]*)$").generator, r"^(^.[\p{L}\-@]*)$");
        assert!(!without_lookaround(r"^[a-z]+$").had_lookaround);
    }

    #[test]
    fn top_level_positive_lookaheads_are_kept_as_bounds() {
        let split = without_lookaround(r"(?=^.{3,63}$)(?!^(\d+\.)+\d+$)(^([a-z0-9]\.)*[a-z0-9]$)");
        assert_eq!(split.lookaheads, [r"^.{3,63}$"]);
        assert_eq!(split.generator, r"(^([a-z0-9]\.)*[a-z0-9]$)");
        assert!(without_lookaround(r"(a(?=^.{3}$))").lookaheads.is_empty(), "inside a group");
        assert!(without_lookaround(r"(?=^.{3}$)a|b").lookaheads.is_empty(), "beside an alternation");
    }

    #[test]
    fn ecma_readings_are_written_out() {
        assert_eq!(to_rust(r"\d[\w-]"), r"[0-9][[A-Za-z0-9_]-]");
        assert_eq!(to_rust(r"\s[^\s]"), format!("[{ASCII_SPACE}][^[{ECMA_SPACE}]]"));
        assert_eq!(to_rust(r"\S"), format!("[^{ECMA_SPACE}]"));
        assert_eq!(to_rust(r"a.[.[&&~]"), r"a[^\n\r\x{2028}\x{2029}][.\[\&\&\~]");
        assert_eq!(to_rust(r"[]|[^]"), r"[^\x{0}-\x{10FFFF}]|[\x{0}-\x{10FFFF}]");
    }
}
