//! SCIM filter expressions (RFC 7644 §3.4.2.2), the part `GET /v2/scim/2.0/Users` documents:
//! comparisons `eq ne co sw` (and `ew gt ge lt le pr`), `and`, `or`, `not`, parentheses, with
//! attribute names and operators case-insensitive. Parsing is separate from evaluation so that a
//! bad filter is refused (400 `invalidFilter`) even when there is nothing to filter.

use std::fmt;

/// How deeply parentheses and `not` may nest: enough for any real filter, and a bound on the
/// parser's recursion for hostile ones.
const MAX_DEPTH: usize = 32;

/// How many comparisons one filter may hold: bounds the depth of `and`/`or` chains, which
/// evaluation walks recursively.
const MAX_TERMS: usize = 64;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }
}

/// A comparison's right-hand side.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Literal {
    Str(String),
    Bool(bool),
    Number(f64),
    Null,
}

/// A parsed filter; attribute paths are lowercased.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Filter {
    Compare { attr: String, op: Op, value: Literal },
    Present { attr: String },
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

/// A filter that cannot be parsed, with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FilterError(pub String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value an attribute has.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AttrValue {
    Str { text: String, case_exact: bool },
    Bool(bool),
}

impl Filter {
    /// Every attribute path the filter names.
    pub(crate) fn attributes(&self) -> Vec<&str> {
        match self {
            Filter::Compare { attr, .. } | Filter::Present { attr } => vec![attr.as_str()],
            Filter::And(a, b) | Filter::Or(a, b) => a.attributes().into_iter().chain(b.attributes()).collect(),
            Filter::Not(inner) => inner.attributes(),
        }
    }

    /// Whether a resource matches; `lookup` gives an attribute's values (none when unassigned).
    pub(crate) fn matches(&self, lookup: &dyn Fn(&str) -> Vec<AttrValue>) -> bool {
        match self {
            Filter::And(a, b) => a.matches(lookup) && b.matches(lookup),
            Filter::Or(a, b) => a.matches(lookup) || b.matches(lookup),
            Filter::Not(inner) => !inner.matches(lookup),
            Filter::Present { attr } => !lookup(attr).is_empty(),
            Filter::Compare { attr, op: Op::Ne, value } => !Filter::Compare { attr: attr.clone(), op: Op::Eq, value: value.clone() }.matches(lookup),
            Filter::Compare { attr, op, value } => {
                let values = lookup(attr);
                match value {
                    Literal::Null => *op == Op::Eq && values.is_empty(),
                    _ => values.iter().any(|v| compare(v, *op, value)),
                }
            }
        }
    }
}

fn compare(value: &AttrValue, op: Op, literal: &Literal) -> bool {
    match (value, literal) {
        (AttrValue::Bool(have), Literal::Bool(want)) => op == Op::Eq && have == want,
        (AttrValue::Str { text, case_exact }, Literal::Str(want)) => {
            let (have, want) = if *case_exact { (text.clone(), want.clone()) } else { (text.to_lowercase(), want.to_lowercase()) };
            match op {
                Op::Eq => have == want,
                Op::Ne => have != want,
                Op::Co => have.contains(&want),
                Op::Sw => have.starts_with(&want),
                Op::Ew => have.ends_with(&want),
                Op::Gt => have > want,
                Op::Ge => have >= want,
                Op::Lt => have < want,
                Op::Le => have <= want,
            }
        }
        _ => false,
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    Word(String),
    Str(String),
}

fn tokenize(text: &str) -> Result<Vec<Token>, FilterError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => tokens.push(Token::Open),
            ')' => tokens.push(Token::Close),
            '"' => {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        None => return Err(FilterError(format!("unterminated string starting at character {at}"))),
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, 'n')) => value.push('\n'),
                            Some((_, 't')) => value.push('\t'),
                            Some((_, other)) => value.push(other),
                            None => return Err(FilterError(format!("unterminated string starting at character {at}"))),
                        },
                        Some((_, other)) => value.push(other),
                    }
                }
                tokens.push(Token::Str(value));
            }
            _ => {
                let mut word = String::from(c);
                while let Some(&(_, next)) = chars.peek() {
                    if next.is_whitespace() || next == '(' || next == ')' || next == '"' {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
    terms: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Result<T, FilterError>) -> Result<T, FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError(format!("the filter nests deeper than {MAX_DEPTH} levels")));
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.next();
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.next();
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, FilterError> {
        if self.keyword("not") {
            self.next();
            return self.nested(|p| Ok(Filter::Not(Box::new(p.unary()?))));
        }
        if self.peek() == Some(&Token::Open) {
            self.next();
            let inner = self.nested(Parser::or)?;
            return match self.next() {
                Some(Token::Close) => Ok(inner),
                _ => Err(FilterError("a `(` is not closed".into())),
            };
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Filter, FilterError> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(FilterError(format!("the filter has more than {MAX_TERMS} comparisons")));
        }
        let attr = match self.next() {
            Some(Token::Word(word)) if valid_path(&word) => normalise_path(&word),
            Some(Token::Word(word)) => return Err(FilterError(format!("`{word}` is not an attribute name"))),
            Some(other) => return Err(FilterError(format!("expected an attribute name, found {}", describe(&other)))),
            None => return Err(FilterError("expected an attribute name, found the end of the filter".into())),
        };
        let op = match self.next() {
            Some(Token::Word(word)) if word.eq_ignore_ascii_case("pr") => return Ok(Filter::Present { attr }),
            Some(Token::Word(word)) => Op::parse(&word).ok_or_else(|| FilterError(format!("`{word}` is not an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)")))?,
            Some(other) => return Err(FilterError(format!("expected an operator after `{attr}`, found {}", describe(&other)))),
            None => return Err(FilterError(format!("expected an operator after `{attr}`"))),
        };
        let value = match self.next() {
            Some(Token::Str(text)) => Literal::Str(text),
            Some(Token::Word(word)) => match word.to_ascii_lowercase().as_str() {
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                "null" => Literal::Null,
                _ => word.parse::<f64>().map(Literal::Number).map_err(|_| FilterError(format!("`{word}` is not a value; quote strings")))?,
            },
            Some(other) => return Err(FilterError(format!("expected a value after `{attr}`, found {}", describe(&other)))),
            None => return Err(FilterError(format!("expected a value after `{attr}`"))),
        };
        Ok(Filter::Compare { attr, op, value })
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::Word(w) => format!("`{w}`"),
        Token::Str(s) => format!("\"{s}\""),
    }
}

/// An attribute path: letters, digits, `.`, `_`, `-`, `:` and `$` (URN prefixes).
fn valid_path(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && word.chars().all(|c| c.is_ascii_alphanumeric() || "._-:$".contains(c))
}

/// Lowercases a path and drops the core User schema's URN prefix.
pub(crate) fn normalise_path(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    let prefix = "urn:ietf:params:scim:schemas:core:2.0:user:";
    lower.strip_prefix(prefix).map_or(lower.clone(), str::to_owned)
}

/// Parses a filter.
pub(crate) fn parse(text: &str) -> Result<Filter, FilterError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(FilterError("the filter is empty".into()));
    }
    let mut parser = Parser { tokens, at: 0, depth: 0, terms: 0 };
    let filter = parser.or()?;
    match parser.next() {
        None => Ok(filter),
        Some(extra) => Err(FilterError(format!("unexpected {} after a complete expression", describe(&extra)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(attr: &str) -> Vec<AttrValue> {
        let s = |t: &str| AttrValue::Str { text: t.into(), case_exact: false };
        match attr {
            "username" => vec![s("Jon.Snow@docker.com")],
            "displayname" => vec![s("jonsnow")],
            "active" => vec![AttrValue::Bool(true)],
            "emails.value" => vec![s("jon@docker.com"), s("king@north.org")],
            _ => vec![],
        }
    }

    fn check(text: &str) -> bool {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).matches(&lookup)
    }

    #[test]
    fn operators_and_logic() {
        assert!(check(r#"userName eq "jon.snow@docker.com""#), "case-insensitive values");
        assert!(check(r#"USERNAME EQ "jon.snow@docker.com""#), "case-insensitive names and operators");
        assert!(check(r#"userName eq "jon.snow@docker.com" and not (displayName sw "x")"#));
        assert!(!check(r#"userName eq "jon.snow@docker.com" and not (displayName sw "jon")"#));
        assert!(check(r#"displayName co "nsn" or userName eq "nobody""#));
        assert!(check(r#"userName ne "arya@docker.com""#));
        assert!(check(r#"(displayName sw "j" or displayName sw "a") and active eq true"#));
        assert!(!check(r#"active eq false"#));
        assert!(check(r#"emails.value ew "north.org""#), "any value of a multi-valued attribute");
        assert!(check(r#"name.givenName eq null"#) && check("userName pr") && !check("name.familyName pr"));
        assert!(check(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "jon""#));
        assert!(check(r#"not not (displayName eq "JONSNOW")"#));
    }

    #[test]
    fn precedence_is_and_over_or() {
        // a or (b and c), not (a or b) and c
        assert!(check(r#"displayName eq "jonsnow" or displayName eq "x" and active eq false"#));
    }

    #[test]
    fn malformed_filters_are_refused_with_a_reason() {
        for bad in ["", "userName", "userName zz \"x\"", "userName eq", "userName eq x", "(userName eq \"x\"", "userName eq \"x\")", "userName eq \"x", "\"x\" eq userName", "1abc eq \"x\"", "userName eq \"x\" and"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
        let deep = format!("{}userName pr{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).unwrap_err().0.contains("nests deeper"));
        let nots = format!("{}userName pr", "not ".repeat(100));
        assert!(parse(&nots).is_err());
        let long = vec!["userName pr"; 65].join(" and ");
        assert!(parse(&long).unwrap_err().0.contains("more than 64"));
        assert!(parse(&vec!["userName pr"; 64].join(" or ")).is_ok());
    }
}
