//! A pattern as a tree whose parts know how many characters they make, so that a string is made
//! to a length chosen within the schema's bounds rather than drawn until one happens to fit (a
//! `*` drawn freely almost never reaches the 36 characters an identifier of exactly 36 needs).

use rand::seq::IndexedRandom as _;
use rand::Rng;
use regex_syntax::hir::{Class as HirClass, Hir, HirKind};

/// Part of a pattern, and how many characters (code points) it makes: `min` to `max`, `None`
/// being no limit.
#[derive(Debug)]
pub(super) struct Tree {
    kind: Kind,
    pub min: usize,
    pub max: Option<usize>,
}

#[derive(Debug)]
enum Kind {
    Text(String),
    Class(Class),
    Concat(Vec<Tree>),
    Alternation(Vec<Tree>),
    Repeat { sub: Box<Tree>, min: usize, max: Option<usize> },
}

impl Tree {
    /// `hir` as a tree, every assertion (anchor, word boundary) read as the empty string.
    /// `None` when it matches no text (an empty class, bytes that are not UTF-8).
    pub fn new(hir: &Hir) -> Option<Tree> {
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Tree::text(String::new()),
            HirKind::Literal(literal) => Tree::text(String::from_utf8(literal.0.to_vec()).ok()?),
            HirKind::Class(class) => Tree { kind: Kind::Class(Class::new(class)?), min: 1, max: Some(1) },
            HirKind::Capture(capture) => Tree::new(&capture.sub)?,
            HirKind::Concat(items) => {
                let items = items.iter().map(Tree::new).collect::<Option<Vec<_>>>()?;
                let min = items.iter().fold(0usize, |sum, t| sum.saturating_add(t.min));
                let max = items.iter().try_fold(0usize, |sum, t| t.max.map(|m| sum.saturating_add(m)));
                Tree { kind: Kind::Concat(items), min, max }
            }
            HirKind::Alternation(branches) => {
                let branches: Vec<Tree> = branches.iter().filter_map(Tree::new).collect();
                let min = branches.iter().map(|b| b.min).min()?;
                let max = branches.iter().try_fold(0usize, |most, b| b.max.map(|m| most.max(m)));
                Tree { kind: Kind::Alternation(branches), min, max }
            }
            HirKind::Repetition(repetition) => {
                let (min, max) = (repetition.min as usize, repetition.max.map(|m| m as usize));
                let Some(sub) = Tree::new(&repetition.sub) else {
                    // Nothing to repeat: only none of it matches.
                    return (min == 0).then(|| Tree::text(String::new()));
                };
                if sub.max == Some(0) || max == Some(0) {
                    return Some(Tree::text(String::new()));
                }
                let (low, high) = (min.saturating_mul(sub.min), max.zip(sub.max).map(|(r, m)| r.saturating_mul(m)));
                Tree { kind: Kind::Repeat { sub: Box::new(sub), min, max }, min: low, max: high }
            }
        })
    }

    fn text(text: String) -> Tree {
        let n = text.chars().count();
        Tree { kind: Kind::Text(text), min: n, max: Some(n) }
    }

    /// Appends a string of this part to `out`, of `target` characters where the part can make
    /// that many (else of about as many; whoever asked checks the length).
    pub fn generate(&self, target: usize, rng: &mut impl Rng, out: &mut String) {
        match &self.kind {
            Kind::Text(text) => out.push_str(text),
            Kind::Class(class) => out.push(class.sample(rng)),
            Kind::Concat(items) => sequence(&items.iter().collect::<Vec<_>>(), target, rng, out),
            Kind::Alternation(branches) => {
                let fitting: Vec<&Tree> = branches.iter().filter(|b| b.distance(target) == 0).collect();
                let branch = fitting.choose(rng).copied().or_else(|| branches.iter().min_by_key(|b| b.distance(target)));
                if let Some(branch) = branch {
                    branch.generate(target, rng, out);
                }
            }
            Kind::Repeat { sub, min, max } => {
                let count = repeat_count(sub, *min, *max, target, rng);
                sequence(&vec![&**sub; count], target, rng, out);
            }
        }
    }

    /// How far `length` is from the lengths this part makes.
    fn distance(&self, length: usize) -> usize {
        let above = self.max.map_or(0, |max| length.saturating_sub(max));
        self.min.saturating_sub(length).max(above)
    }
}

/// `items` one after another, making `target` characters together: each takes a length left
/// room for by the ones after it.
fn sequence(items: &[&Tree], target: usize, rng: &mut impl Rng, out: &mut String) {
    // What items i.. make together, for every i.
    let mut after_min = vec![0usize; items.len() + 1];
    let mut after_max = vec![Some(0usize); items.len() + 1];
    for (i, item) in items.iter().enumerate().rev() {
        after_min[i] = after_min[i + 1].saturating_add(item.min);
        after_max[i] = after_max[i + 1].zip(item.max).map(|(a, m)| a.saturating_add(m));
    }
    let mut left = target;
    for (i, item) in items.iter().enumerate() {
        let most = item.max.unwrap_or(usize::MAX);
        let low = item.min.max(after_max[i + 1].map_or(0, |m| left.saturating_sub(m)));
        let high = most.min(left.saturating_sub(after_min[i + 1]));
        let length = if low <= high { rng.random_range(low..=high) } else { left.saturating_sub(after_min[i + 1]).clamp(item.min, most) };
        item.generate(length, rng, out);
        left = left.saturating_sub(length);
    }
}

/// How many times `sub` is repeated (at least `min`, at most `max`) to make `target` characters.
fn repeat_count(sub: &Tree, min: usize, max: Option<usize>, target: usize, rng: &mut impl Rng) -> usize {
    let max = max.unwrap_or(usize::MAX);
    let fewest = match sub.max {
        Some(longest) => target.div_ceil(longest.max(1)),
        None => usize::from(target > 0),
    }
    .max(min);
    // A part that can be empty can be repeated without end; once per character is enough.
    let most = target.checked_div(sub.min).unwrap_or(target.max(min)).min(max);
    if fewest <= most { rng.random_range(fewest..=most) } else { fewest.min(max) }
}

/// The characters of a class: mostly from its printable ASCII part, readable in a failure report;
/// now and then from the whole class, since text beyond ASCII is what escaping gets wrong.
#[derive(Debug)]
struct Class {
    printable: Vec<char>,
    /// The class's code points as ranges, without surrogates.
    ranges: Vec<(u32, u32)>,
    size: u32,
}

impl Class {
    fn new(class: &HirClass) -> Option<Class> {
        let mut ranges = Vec::new();
        match class {
            HirClass::Unicode(unicode) => {
                for range in unicode.ranges() {
                    let (start, end) = (u32::from(range.start()), u32::from(range.end()));
                    // Surrogates are not characters.
                    if start < 0xD800 && end > 0xDFFF {
                        ranges.extend([(start, 0xD7FF), (0xE000, end)]);
                    } else {
                        ranges.push((start, end));
                    }
                }
            }
            // Bytes (`(?-u)`) as far as they are text.
            HirClass::Bytes(bytes) => ranges.extend(bytes.ranges().iter().filter(|r| r.start() < 0x80).map(|r| (u32::from(r.start()), u32::from(r.end().min(0x7F))))),
        }
        let size = ranges.iter().map(|(s, e)| e - s + 1).sum::<u32>();
        let printable = (0x20..0x7F).filter(|c| ranges.iter().any(|(s, e)| (s..=e).contains(&c))).filter_map(char::from_u32).collect();
        (size > 0).then_some(Class { printable, ranges, size })
    }

    fn sample(&self, rng: &mut impl Rng) -> char {
        if !self.printable.is_empty() && rng.random_bool(0.75) {
            return self.printable.choose(rng).copied().unwrap_or(' ');
        }
        let mut n = rng.random_range(0..self.size);
        for (start, end) in &self.ranges {
            let len = end - start + 1;
            if n < len {
                return char::from_u32(start + n).unwrap_or(' ');
            }
            n -= len;
        }
        ' '
    }
}
