//! ECMA-262 pattern text rewritten for Rust's regex syntax.
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

/// `pattern` in Rust's regex syntax.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecma_readings_are_written_out() {
        assert_eq!(to_rust(r"\d[\w-]"), r"[0-9][[A-Za-z0-9_]-]");
        assert_eq!(to_rust(r"\s[^\s]"), format!("[{ASCII_SPACE}][^[{ECMA_SPACE}]]"));
        assert_eq!(to_rust(r"\S"), format!("[^{ECMA_SPACE}]"));
        assert_eq!(to_rust(r"a.[.[&&~]"), r"a[^\n\r\x{2028}\x{2029}][.\[\&\&\~]");
        assert_eq!(to_rust(r"[]|[^]"), r"[^\x{0}-\x{10FFFF}]|[\x{0}-\x{10FFFF}]");
    }
}
