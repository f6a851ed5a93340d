//! What `cargo xtask roundtrip` is expected to find, checked in (`xtask/roundtrip-expected.tsv`):
//! per spec, how many operations round-trip, fail or are not exercised yet, and how many
//! documented examples are exact or invalid against their own schema. A run whose counts differ
//! fails, naming the spec and the count, so coverage cannot shrink, nor a known failure grow,
//! unnoticed; `--bless` writes the file anew when a change is meant.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use crate::roundtrip::Checked;

/// The file, relative to the project root.
pub const FILE: &str = "xtask/roundtrip-expected.tsv";

const HEADER: &str = "# Written by `cargo xtask roundtrip --bless`: what the round trip finds per spec. A run that finds\n# otherwise fails; bless a change that is meant. Columns: operations exact, failed and not\n# exercised on the wire; documented examples exact, lossy, rejected by their model, and invalid\n# against their own schema.\n";

/// How many counts a line has.
const COUNTS: usize = 7;

/// The counts of one spec.
fn counts(c: &Checked) -> [usize; COUNTS] {
    let ops = c.operations.len();
    let (exact, failed) = (c.operations_exact(), c.operations_failed());
    [exact, failed, ops - exact - failed, c.exact(), c.lossy(), c.rejected(), c.invalid()]
}

const NAMES: [&str; COUNTS] = ["operations exact", "operations failed", "operations not exercised", "examples exact", "examples lossy", "examples rejected", "examples invalid"];

/// Writes the counts of `results` into the file, keeping the lines of specs this run did not check.
pub fn bless(root: &Path, results: &[Checked]) -> Result<()> {
    let mut lines = read(root).unwrap_or_default();
    for r in results {
        lines.insert(r.spec.clone(), counts(r));
    }
    let mut text = HEADER.to_owned();
    for (spec, counts) in &lines {
        let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
        text.push_str(&format!("{spec}\t{}\n", counts.join("\t")));
    }
    std::fs::write(root.join(FILE), text).with_context(|| format!("writing {FILE}"))
}

fn read(root: &Path) -> Result<BTreeMap<String, [usize; COUNTS]>> {
    let text = std::fs::read_to_string(root.join(FILE)).with_context(|| format!("reading {FILE}"))?;
    let mut lines = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut fields = line.split('\t');
        let spec = fields.next().unwrap_or_default().to_owned();
        let numbers: Vec<usize> = fields.map(|f| f.trim().parse().with_context(|| format!("{FILE}: `{line}`"))).collect::<Result<_>>()?;
        let counts: [usize; COUNTS] = numbers.try_into().map_err(|_| anyhow::anyhow!("{FILE}: `{line}` does not have {COUNTS} counts"))?;
        lines.insert(spec, counts);
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
        for (i, ((name, want), got)) in NAMES.iter().zip(want).zip(counts(r)).enumerate() {
            if *want != got && (operations || i >= 3) {
                out.push(format!("{}: {name} {got}, expected {want}", r.spec));
            }
        }
    }
    Ok(out)
}
