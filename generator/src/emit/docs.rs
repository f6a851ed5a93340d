//! Spec descriptions -> rustdoc-safe Markdown lines.
//!
//! Spec prose was written for a documentation website, not rustdoc. Left as is, `[a-z0-9_]` becomes a
//! broken intra-doc link, a bare URL a `bare_urls` warning, `<br>` an unclosed HTML tag, and an
//! indented or unlabelled code block a doctest that fails to compile. This module rewrites such text
//! so that it renders as the author meant and produces no rustdoc warnings.

/// Splits `text` into doc lines that rustdoc renders without warnings or doctests.
pub fn doc_lines(text: &str) -> Vec<String> {
    // Tabs render unpredictably (and clippy flags them in docs): four spaces each.
    let text = text.replace("\r\n", "\n").replace('\t', "    ");
    let raw_lines: Vec<&str> = text.lines().collect();
    // Prose is escaped a paragraph at a time: a code span or a link may run over a line break.
    let mut escaped: Vec<Option<String>> = vec![None; raw_lines.len()];
    let mut in_fence = false;
    let mut start = None;
    for (i, raw) in raw_lines.iter().enumerate().chain(std::iter::once((raw_lines.len(), &""))) {
        let trimmed = raw.trim();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        let prose = i < raw_lines.len() && !in_fence && !fence && !trimmed.is_empty();
        match (prose, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                let paragraph: Vec<&str> = raw_lines[from..i].iter().map(|l| l.trim()).collect();
                for (j, line) in escape_prose(&paragraph.join("\n")).split('\n').enumerate() {
                    escaped[from + j] = Some(line.to_owned());
                }
                start = None;
            }
            _ => {}
        }
        if fence {
            in_fence = !in_fence;
        }
    }

    let mut lines = Vec::new();
    let mut in_fence = false;
    // Width of the list marker whose item the current line continues, if any.
    let mut list_indent: Option<usize> = None;
    for (raw, escaped) in raw_lines.iter().zip(escaped) {
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
            continue;
        }
        // Leading indentation would turn prose into an (executable) indented code block; lines
        // continuing a list item are indented by the marker's width, as Markdown wants.
        let escaped = escaped.unwrap_or_default();
        if trimmed.is_empty() {
            list_indent = None;
            lines.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
            lines.push(escaped);
        } else if let Some(width) = list_indent {
            lines.push(format!("{}{escaped}", " ".repeat(width)));
        } else {
            lines.push(escaped);
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

/// Width of the marker, with the spaces after it, when `line` starts a list item (`- `, `*   `,
/// `+ `, `1. `): continuation lines are indented as far.
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || !line[digits..].starts_with('.') {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    (1..=4).contains(&spaces).then_some(marker + spaces)
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

/// End (exclusive) of a URL starting at `at`: up to white space, a closing bracket, the `<` of an
/// HTML tag (`…/x</pre>`, which URLs never hold unescaped) or trailing punctuation.
fn url_end(chars: &[char], at: usize) -> usize {
    let mut end = at;
    while end < chars.len() && !chars[end].is_whitespace() && !matches!(chars[end], ')' | ']' | '<' | '>' | '"' | '\'' | '`') {
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
        assert_eq!(doc_lines("<pre>curl https://a.b/{c}</pre>"), vec!["&lt;pre&gt;curl <https://a.b/{c}>&lt;/pre&gt;"]);
        assert_eq!(doc_lines("<p>https://a.b</p>"), vec!["&lt;p&gt;<https://a.b>&lt;/p&gt;"]);
        assert_eq!(doc_lines("- item that\ncontinues\n\nafter"), vec!["- item that", "  continues", "", "after"]);
        assert_eq!(doc_lines("*   wide item\n  continues"), vec!["*   wide item", "    continues"]);
        assert_eq!(doc_lines("| a\t| b |"), vec!["| a    | b |"]);
        // A link whose text runs over a line break is still a link.
        assert_eq!(doc_lines("see [`amazing\nlanguage:go`](https://x.io/s?q=a) here"), vec!["see [`amazing", "language:go`](https://x.io/s?q=a) here"]);
    }
}
