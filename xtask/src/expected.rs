//! What `cargo xtask roundtrip` is expected to find, checked in (`xtask/roundtrip-expected.tsv`):
//! per spec, how many operations round-trip, fail or are not exercised yet, and how many
//! documented examples are exact, fail in each way, are invalid against their own schema or are
//! not checked (by reason). A run whose counts differ fails, naming the spec and the count, so
//! coverage cannot shrink, nor a known failure grow, unnoticed; `--bless` writes the file anew
//! when a change is meant.
//!
//! The file's first line names its columns, so a column added later reads as 0 where the file
//! has none yet (a file without that line has the first seven columns of [`columns`]).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use crate::census::Reason;
use crate::roundtrip::Checked;

/// The file, relative to the project root.
pub const FILE: &str = "xtask/roundtrip-expected.tsv";

const HEADER: &str = "# Written by `cargo xtask roundtrip --bless`: what the round trip finds per spec. A run that finds\n# otherwise fails; bless a change that is meant. The next line names the columns.\n";

/// The columns of a file written before it named them.
const LEGACY: [&str; 7] = ["operations exact", "operations failed", "operations not exercised", "examples exact", "examples lossy", "examples rejected", "examples invalid"];

/// The columns, in order: the operations', then the examples', then the examples not checked by
/// reason (`skipped: <reason>`).
pub fn columns() -> Vec<String> {
    let fixed = ["operations exact", "operations failed", "operations not exercised", "examples exact", "examples lossy", "examples rejected", "examples misplaced", "examples wrong member", "examples invalid", "examples judged otherwise as repaired"];
    fixed.into_iter().map(str::to_owned).chain(Reason::ALL.iter().map(|r| format!("skipped: {}", r.name()))).collect()
}

/// Whether a column counts operations (a run without them says nothing of it).
fn is_operations(column: &str) -> bool {
    column.starts_with("operations")
}

/// The counts of one spec, by column.
fn counts(c: &Checked) -> Vec<(String, usize)> {
    let ops = c.operations.len();
    let (exact, failed) = (c.operations_exact(), c.operations_failed());
    let fixed = [exact, failed, ops - exact - failed, c.exact(), c.lossy(), c.rejected(), c.misplaced(), c.wrong_member(), c.invalid(), c.repaired()];
    let values = fixed.into_iter().chain(Reason::ALL.iter().map(|r| c.skipped(*r)));
    columns().into_iter().zip(values).collect()
}

/// Writes the counts of `results` into the file, keeping the lines of specs this run did not
/// check, and their operations' counts when this run did not send the operations.
pub fn bless(root: &Path, results: &[Checked], operations: bool) -> Result<()> {
    let mut lines = read(root).unwrap_or_default();
    for r in results {
        let old = lines.remove(&r.spec).unwrap_or_default();
        let mut new: BTreeMap<String, usize> = counts(r).into_iter().collect();
        if !operations {
            for column in columns().into_iter().filter(|c| is_operations(c)) {
                let kept = old.get(&column).copied().unwrap_or_default();
                new.insert(column, kept);
            }
        }
        lines.insert(r.spec.clone(), new);
    }
    let mut text = HEADER.to_owned();
    text.push_str(&format!("spec\t{}\n", columns().join("\t")));
    for (spec, counts) in &lines {
        let counts: Vec<String> = columns().iter().map(|c| counts.get(c).copied().unwrap_or_default().to_string()).collect();
        text.push_str(&format!("{spec}\t{}\n", counts.join("\t")));
    }
    std::fs::write(root.join(FILE), text).with_context(|| format!("writing {FILE}"))
}

/// The file's counts, by spec and column.
fn read(root: &Path) -> Result<BTreeMap<String, BTreeMap<String, usize>>> {
    let text = std::fs::read_to_string(root.join(FILE)).with_context(|| format!("reading {FILE}"))?;
    parse(&text)
}

fn parse(text: &str) -> Result<BTreeMap<String, BTreeMap<String, usize>>> {
    let mut names: Vec<String> = LEGACY.iter().map(|c| (*c).to_owned()).collect();
    let mut lines = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut fields = line.split('\t');
        let spec = fields.next().unwrap_or_default().to_owned();
        if spec == "spec" && lines.is_empty() {
            names = fields.map(str::to_owned).collect();
            continue;
        }
        let numbers: Vec<usize> = fields.map(|f| f.trim().parse().with_context(|| format!("{FILE}: `{line}`"))).collect::<Result<_>>()?;
        if numbers.len() != names.len() {
            anyhow::bail!("{FILE}: `{line}` does not have {} counts", names.len());
        }
        lines.insert(spec, names.iter().cloned().zip(numbers).collect());
    }
    Ok(lines)
}

/// Where the run's counts differ from the file's, one line each; empty when they agree. A run
/// without the operations (`operations` false) is held to the examples' counts only.
pub fn differences(root: &Path, results: &[Checked], operations: bool) -> Result<Vec<String>> {
    let expected = read(root)?;
    let mut out = Vec::new();
    for r in results {
        let Some(want) = expected.get(&r.spec) else {
            out.push(format!("{}: not in {FILE}", r.spec));
            continue;
        };
        for (name, got) in counts(r) {
            let want = want.get(&name).copied().unwrap_or_default();
            if want != got && (operations || !is_operations(&name)) {
                out.push(format!("{}: {name} {got}, expected {want}", r.spec));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_names_its_columns_and_one_without_has_the_first_seven() {
        let legacy = parse("# old\na.yaml\t1\t2\t3\t4\t5\t6\t7\n").expect("reads");
        assert_eq!(legacy["a.yaml"]["examples invalid"], 7);
        assert_eq!(legacy["a.yaml"].get("examples misplaced"), None, "a column the file does not have");
        let named = parse("spec\texamples exact\toperations exact\na.yaml\t9\t1\n").expect("reads");
        assert_eq!(named["a.yaml"]["examples exact"], 9);
        assert!(parse("spec\texamples exact\na.yaml\t9\t1\n").is_err(), "a line with more counts than columns");
    }
}
