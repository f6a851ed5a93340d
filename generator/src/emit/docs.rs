//! Spec descriptions -> rustdoc-safe Markdown lines.
//!
//! Spec prose was written for a documentation website, not rustdoc. Left as is, `[a-z0-9_]` becomes a
//! broken intra-doc link, a bare URL a `bare_urls` warning, `<br>` an unclosed HTML tag, and an
//! indented or unlabelled code block a doctest that fails to compile. This module rewrites such text
//! so that it renders as the author meant and produces no rustdoc warnings.

/// Splits `text` into doc lines that rustdoc renders without warnings or doctests.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    // Width of the list marker whose item the current line continues, if any.
    let mut list_indent: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            // Code from a spec is shown, never compiled as a doctest, whatever language it claims.
            lines.push(if in_fence { fence.to_owned() } else { format!("{fence}text") });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(raw.trim_end().to_owned());
        } else {
            // Leading indentation would turn prose into an (executable) indented code block; lines
            // continuing a list item are indented by the marker's width, as Markdown wants.
            if trimmed.is_empty() {
                list_indent = None;
                lines.push(String::new());
            } else if let Some(width) = list_marker_width(trimmed) {
                list_indent = Some(width);
                lines.push(escape_prose(trimmed));
            } else if let Some(width) = list_indent {
                lines.push(format!("{}{}", " ".repeat(width), escape_prose(trimmed)));
            } else {
                lines.push(escape_prose(trimmed));
            }
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    // No leading, trailing or repeated blank lines.
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Width of the marker when `line` starts a list item (`- `, `* `, `+ `, `1. `).
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Escapes one line of prose: stray brackets, HTML-looking angle brackets and bare URLs.
pub(crate) fn escape_prose(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                if let Some((close, end)) = markdown_link_end(&chars, i) {
                    // A real link `[text](target)`: keep it, escaping only inside the text.
                    out.push('[');
                    out.push_str(&escape_prose(&chars[i + 1..close].iter().collect::<String>()));
                    out.extend(&chars[close..end]);
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                if let Some(end) = autolink_end(&chars, i) {
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                out.push_str("&lt;");
            }
            '>' => out.push_str("&gt;"),
            'h' if starts_with(&chars, i, "http://") || starts_with(&chars, i, "https://") => {
                let end = url_end(&chars, i);
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], at: usize, prefix: &str) -> bool {
    let p: Vec<char> = prefix.chars().collect();
    chars.len() >= at + p.len() && chars[at..at + p.len()] == p[..]
}

/// End (exclusive) of a URL starting at `at`: up to white space, a closing bracket or trailing punctuation.
fn url_end(chars: &[char], at: usize) -> usize {
    let mut end = at;
    while end < chars.len() && !chars[end].is_whitespace() && !matches!(chars[end], ')' | ']' | '>' | '"' | '\'' | '`') {
        end += 1;
    }
    while end > at && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
        end -= 1;
    }
    end
}

/// `[text](target)` starting at `at`: the index of the `]` matching the `[`, and the index just
/// after `)`.
fn markdown_link_end(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut close = None;
    for (j, &c) in chars.iter().enumerate().skip(at) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 1..].iter().position(|&c| c == ')')? + close + 1;
    let target: String = chars[close + 2..end].iter().collect();
    (!target.is_empty() && !target.contains(char::is_whitespace)).then_some((close, end + 1))
}

/// `<https://…>` starting at `at`: the index just after `>`.
fn autolink_end(chars: &[char], at: usize) -> Option<usize> {
    if !(starts_with(chars, at + 1, "http://") || starts_with(chars, at + 1, "https://")) {
        return None;
    }
    let end = chars[at..].iter().position(|&c| c == '>')? + at;
    (!chars[at..end].iter().any(|c| c.is_whitespace())).then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(doc_lines("must match [a-z0-9_]."), vec!["must match \\[a-z0-9_\\]."]);
        assert_eq!(doc_lines("see [Docker Pricing](https://www.docker.com/pricing)."), vec!["see [Docker Pricing](https://www.docker.com/pricing)."]);
        assert_eq!(doc_lines("`[a-z]` in code"), vec!["`[a-z]` in code"]);
        assert_eq!(doc_lines("[Create](#operation/PostUsersLogin) route"), vec!["[Create](#operation/PostUsersLogin) route"]);
        // An image with a size suffix is no image: its URL is bare, inside a real link.
        assert_eq!(
            doc_lines("[![Run](https://x.io/b.svg =128px)](https://app.io/run)"),
            vec!["[!\\[Run\\](<https://x.io/b.svg> =128px)](https://app.io/run)"]
        );
    }

    #[test]
    fn urls_html_and_code_blocks_are_made_safe() {
        assert_eq!(doc_lines("at https://hub.docker.com/v2/x?a=1."), vec!["at <https://hub.docker.com/v2/x?a=1>."]);
        assert_eq!(doc_lines("line<br>next"), vec!["line&lt;br&gt;next"]);
        assert_eq!(doc_lines("```\nlet x = 1;\n```"), vec!["```text", "let x = 1;", "```"]);
        assert_eq!(doc_lines("a\n\n\n    indented\n\n"), vec!["a", "", "indented"]);
        assert_eq!(doc_lines("<https://a.b/c>"), vec!["<https://a.b/c>"]);
        assert_eq!(doc_lines("- item that\ncontinues\n\nafter"), vec!["- item that", "  continues", "", "after"]);
    }
}
