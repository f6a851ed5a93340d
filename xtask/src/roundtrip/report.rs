//! What the round trip found, per spec: each example's fate, each operation's, and the line and
//! totals the report prints.

use std::collections::BTreeMap;

use serde_json::Value;

/// How one example fared.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// The same JSON came back.
    Exact,
    /// Other JSON came back.
    Lossy {
        /// Where the two first differ.
        pointer: String,
        /// What came back.
        back: Value,
    },
    /// The model refused it.
    Rejected(String),
    /// The same JSON came back, but a property the schema declares was kept among a struct's
    /// extra properties rather than in its field (read under another name, or not at all).
    Misplaced {
        /// Where the struct is in the example.
        pointer: String,
        /// The struct's type.
        ty: String,
        /// The property.
        key: String,
    },
    /// The same JSON came back, but a union read a value as a member whose schema it does not
    /// satisfy (a union takes the first member that reads).
    WrongMember {
        /// Where the value is in the example.
        pointer: String,
        /// The union's type.
        ty: String,
        /// The member it was read as (its index in the union).
        member: usize,
        /// What the member's schema says of the value.
        why: String,
    },
    /// It does not match its own schema (the spec's defect).
    Invalid(String),
}

/// One example's outcome.
#[derive(Debug, Clone)]
pub struct Case {
    /// Where the example is written: JSON pointer of the value.
    pub at: String,
    /// The example.
    pub value: Value,
    /// How it fared.
    pub fate: Fate,
    /// How the generator's repairs of the spec change what it means, if they do: judged by the
    /// spec as the generator reads it, it is invalid where it is valid as published, or the
    /// reverse.
    pub repaired: Option<String>,
}

/// One spec's outcome.
#[derive(Debug, Default)]
pub struct Checked {
    /// The spec's name.
    pub spec: String,
    /// Every example, in the order the generator met them.
    pub cases: Vec<Case>,
    /// Why the spec could not be checked, if it could not.
    pub failure: Option<String>,
    /// Every operation, and how it fared on the wire.
    pub operations: Vec<crate::wire::Outcome>,
    /// The documented examples not checked, each where it is and why.
    pub skipped: Vec<(String, crate::census::Reason)>,
    /// Why the examples could not be judged by the spec as the generator repairs it, if they
    /// could not.
    pub unrepaired: Option<String>,
    /// What rustc and clippy said about its models, client and server crates as they were built
    /// (errors and warnings, rendered): any fails the run.
    pub lints: Vec<String>,
}

impl Checked {
    fn count(&self, f: impl Fn(&Fate) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.fate)).count()
    }

    /// Examples that came back the same.
    pub fn exact(&self) -> usize {
        self.count(|f| *f == Fate::Exact)
    }

    /// Examples that came back changed.
    pub fn lossy(&self) -> usize {
        self.count(|f| matches!(f, Fate::Lossy { .. }))
    }

    /// Examples whose meaning the generator's repairs of the spec change.
    pub fn repaired(&self) -> usize {
        self.cases.iter().filter(|c| c.repaired.is_some()).count()
    }

    /// Documented examples not checked for `reason`.
    pub fn skipped(&self, reason: crate::census::Reason) -> usize {
        self.skipped.iter().filter(|(_, r)| *r == reason).count()
    }

    /// Examples the model refused.
    pub fn rejected(&self) -> usize {
        self.count(|f| matches!(f, Fate::Rejected(_)))
    }

    /// Examples that came back the same with a declared property kept as an extra one.
    pub fn misplaced(&self) -> usize {
        self.count(|f| matches!(f, Fate::Misplaced { .. }))
    }

    /// Examples that came back the same with a value read as a member it is not.
    pub fn wrong_member(&self) -> usize {
        self.count(|f| matches!(f, Fate::WrongMember { .. }))
    }

    /// Examples invalid against their own schema.
    pub fn invalid(&self) -> usize {
        self.count(|f| matches!(f, Fate::Invalid(_)))
    }

    /// Whether the spec was checked at all: its crates and harnesses built and ran.
    pub fn checked(&self) -> bool {
        self.failure.is_none()
    }

    /// Whether its crates built free of warnings and every valid example came back the same.
    pub fn ok(&self) -> bool {
        self.failure.is_none() && self.lints.is_empty() && self.lossy() == 0 && self.rejected() == 0 && self.misplaced() == 0 && self.wrong_member() == 0
    }

    /// Operations whose every case crossed as sent and was judged what the spec describes.
    pub fn operations_exact(&self) -> usize {
        self.operations.iter().filter(|o| o.fate == crate::wire::Fate::Exact).count()
    }

    /// Operations that failed on the wire.
    pub fn operations_failed(&self) -> usize {
        self.operations.iter().filter(|o| matches!(o.fate, crate::wire::Fate::Failed(_))).count()
    }
}

/// At most 200 characters of `text`, marked when cut: how a report shows a value.
pub(crate) fn brief(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The line printed for one spec.
pub fn line(c: &Checked) -> String {
    let verdict = match &c.failure {
        Some(_) => "not checked".to_owned(),
        None => {
            let ops = &c.operations;
            let count = |f: fn(&crate::wire::Fate) -> bool| ops.iter().filter(|o| f(&o.fate)).count();
            let exact = count(|f| *f == crate::wire::Fate::Exact);
            let skipped = count(|f| matches!(f, crate::wire::Fate::Skipped(_)));
            let lints = match c.lints.len() {
                0 => "clean".to_owned(),
                1 => "1 complaint".to_owned(),
                n => format!("{n} complaints"),
            };
            format!(
                "rustc and clippy {lints}; examples {} exact, {} lossy, {} rejected, {} misplaced, {} wrong member, {} invalid ({} judged otherwise as repaired), {} not checked; operations {exact}/{} ({skipped} not exercised)",
                c.exact(),
                c.lossy(),
                c.rejected(),
                c.misplaced(),
                c.wrong_member(),
                c.invalid(),
                c.repaired(),
                c.skipped.len(),
                ops.len()
            )
        }
    };
    format!("{:<60} {verdict}: {}", c.spec, if c.ok() { "ok" } else { "FAILED" })
}

/// The totals over every spec, for the last line; the examples not checked by the name of their
/// reason ([`crate::census::Reason::name`]).
pub fn totals(results: &[Checked]) -> BTreeMap<&'static str, usize> {
    let mut totals = BTreeMap::new();
    for r in results {
        *totals.entry("exact").or_default() += r.exact();
        *totals.entry("lossy").or_default() += r.lossy();
        *totals.entry("rejected").or_default() += r.rejected();
        *totals.entry("misplaced").or_default() += r.misplaced();
        *totals.entry("wrong member").or_default() += r.wrong_member();
        *totals.entry("invalid").or_default() += r.invalid();
        *totals.entry("repaired").or_default() += r.repaired();
        for reason in crate::census::Reason::ALL {
            *totals.entry(reason.name()).or_default() += r.skipped(reason);
        }
        *totals.entry("not checked").or_default() += usize::from(r.failure.is_some());
        *totals.entry("operations").or_default() += r.operations.len();
        *totals.entry("operations exact").or_default() += r.operations_exact();
        *totals.entry("operations failed").or_default() += r.operations_failed();
    }
    totals
}
