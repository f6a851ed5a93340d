//! `cargo xtask roundtrip [SPEC…]`: every documented example of a spec comes back from its
//! generated model exactly as it went in.
//!
//! For each spec (by default the corpus and the APIs.guru sample, as `cargo xtask corpus` lists
//! them) the generator's IR lists the documented JSON examples and the type each illustrates: a
//! schema's `example` (3.1 `examples`, first of them), a JSON media type's `example` and `examples`
//! (those in `components.examples` included). Each is validated against its schema with the
//! `jsonschema` crate, formats included, on the spec as the generator read it (3.0 keywords
//! translated to JSON Schema 2020-12: [`json_schema`]); an invalid example is the spec's defect,
//! counted and not round-tripped. Every valid one is sent through the spec's models crate by a
//! harness the generator emits for it (`generator::emit::harness`), all specs in one scratch
//! workspace built by one `cargo build`, and what comes back must be the same JSON
//! ([`same_json`]): numbers equal as numbers, no key dropped or added, no string changed.
//!
//! One line per spec (examples exact, lossy, rejected, invalid), then every lossy or rejected
//! example with its pointer, the value sent and what came back.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use crate::corpus::Spec;

/// What `cargo xtask roundtrip` checks.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Spec files to check, relative to the project root; none: the corpus and the APIs.guru sample.
    pub specs: Vec<String>,
    /// Of the default specs, only those whose paths contain one of these (all when empty).
    pub only: Vec<String>,
    /// Build jobs for cargo (`-j`); `None` lets cargo decide.
    pub jobs: Option<usize>,
}

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

    /// Examples the model refused.
    pub fn rejected(&self) -> usize {
        self.count(|f| matches!(f, Fate::Rejected(_)))
    }

    /// Examples invalid against their own schema.
    pub fn invalid(&self) -> usize {
        self.count(|f| matches!(f, Fate::Invalid(_)))
    }

    /// Whether every valid example came back the same.
    pub fn ok(&self) -> bool {
        self.failure.is_none() && self.lossy() == 0 && self.rejected() == 0
    }
}

/// The specs `options` names: the given files, or the corpus check's.
pub fn specs(root: &Path, options: &Options) -> Result<Vec<Spec>> {
    if options.specs.is_empty() {
        return crate::corpus::specs(root, &crate::corpus::Options { only: options.only.clone(), no_doc: true, ..Default::default() });
    }
    Ok(options
        .specs
        .iter()
        .map(|path| {
            let file = path.rsplit('/').next().unwrap_or(path);
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            Spec { path: path.clone(), name: path.clone(), prefix: generator::ir::naming::crate_name_from(stem), module: generator::ir::naming::module_name(stem), documented: false }
        })
        .collect())
}

/// One spec's examples awaiting the harness: the type table and the valid cases.
struct Pending {
    /// Index into the results (set by the caller).
    result: usize,
    /// The harness's crate name.
    harness: String,
    /// (case index, type index) of each valid example.
    valid: Vec<(usize, usize)>,
}

/// Checks every spec, printing a line for each when all are done.
pub fn check(root: &Path, options: &Options) -> Result<Vec<Checked>> {
    let specs = specs(root, options)?;
    if specs.is_empty() {
        bail!("no spec to check");
    }
    let scratch = root.join("target/roundtrip");
    let ws = scratch.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws)?;
    let runtime = std::path::absolute(root.join("runtime"))?;

    let mut results = Vec::new();
    let mut pending = Vec::new();
    let mut members = Vec::new();
    for spec in &specs {
        let mut checked = Checked { spec: spec.name.clone(), ..Checked::default() };
        match prepare(root, spec, &runtime.to_string_lossy(), &ws, &mut checked) {
            Ok(Some(mut ready)) => {
                members.push(format!("{}-models", spec.prefix));
                members.push(ready.harness.clone());
                ready.result = results.len();
                pending.push(ready);
            }
            Ok(None) => {}
            Err(e) => checked.failure = Some(format!("{e:#}")),
        }
        results.push(checked);
    }
    if !members.is_empty() {
        let listed: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
        std::fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", listed.join("\n")))?;
        std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).context("copying Cargo.lock")?;
        // The corpus check's target directory: the dependencies are the same crates.
        let target = root.join("target/corpus-check/target");
        let started = std::time::Instant::now();
        let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        build.args(["build", "--workspace", "--bins", "--keep-going", "--quiet"]).current_dir(&ws).env("CARGO_TARGET_DIR", &target);
        if let Some(jobs) = options.jobs {
            build.arg(format!("-j{jobs}"));
        }
        let built = build.output().context("running cargo build")?;
        eprintln!("built {} harness(es): {:.0} s", pending.len(), started.elapsed().as_secs_f64());
        for p in &pending {
            let exe = target.join("debug").join(format!("{}{}", p.harness, std::env::consts::EXE_SUFFIX));
            let result = &mut results[p.result];
            if !exe.exists() {
                result.failure = Some(format!("the harness does not build:\n{}", String::from_utf8_lossy(&built.stderr)));
                continue;
            }
            if let Err(e) = run_harness(&exe, p, result) {
                result.failure = Some(format!("{e:#}"));
            }
        }
    }
    for r in &results {
        println!("{}", line(r));
    }
    for r in &results {
        for case in &r.cases {
            if let Fate::Invalid(why) = &case.fate {
                println!("warning: {} ({}): the example does not match its schema, not round-tripped: {}", r.spec, case.at, brief(why));
            }
        }
    }
    for r in results.iter().filter(|r| !r.ok()) {
        println!("\n{}:", r.spec);
        if let Some(why) = &r.failure {
            println!("  {why}");
        }
        for case in &r.cases {
            match &case.fate {
                Fate::Lossy { pointer, back } => {
                    let shown = |v: &Value| v.pointer(pointer).map_or_else(|| "(absent)".to_owned(), |v| brief(&v.to_string()));
                    println!("  lossy {} at `{pointer}`: sent {}, back {}", case.at, shown(&case.value), shown(back));
                }
                Fate::Rejected(why) => println!("  rejected {}: {why}\n    sent {}", case.at, brief(&case.value.to_string())),
                _ => {}
            }
        }
    }
    Ok(results)
}

/// At most 200 characters of `text`, marked when cut.
fn brief(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Generates a spec's models crate and harness into `ws` and validates its examples, recording
/// the invalid ones; `None` when it has no example.
fn prepare(root: &Path, spec: &Spec, runtime: &str, ws: &Path, checked: &mut Checked) -> Result<Option<Pending>> {
    let generator = generator::Generator::new(spec.prefix.as_str()).root(root).command("cargo xtask roundtrip").runtime_path(runtime).spec(spec.path.as_str(), spec.module.as_str());
    let output = generator.generate().map_err(|e| anyhow::anyhow!("does not generate: {e}"))?;
    let Some(api) = output.apis.first() else { return Ok(None) };
    // The same value documented for the same schema twice (a shared example) is one case.
    let mut seen = std::collections::HashSet::new();
    let examples: Vec<&generator::ir::Example> = api.examples.iter().filter(|e| seen.insert((e.at.as_str(), e.schema.as_str()))).collect();
    if examples.is_empty() {
        return Ok(None);
    }
    let mut diags = generator::diag::Diagnostics::default();
    let doc = generator::load::load_file(root, &spec.path, &mut diags).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut document = serde_json::to_value(&doc.openapi).context("the spec as JSON")?;
    json_schema(&mut document);
    let verdicts = validate(&document, &examples);

    let mut types: Vec<(generator::ir::TypeRef, bool)> = Vec::new();
    let mut valid = Vec::new();
    for (example, verdict) in examples.iter().zip(verdicts) {
        let case = checked.cases.len();
        let fate = match verdict {
            Err(why) => Fate::Invalid(why),
            Ok(()) => {
                let key = (example.ty.clone(), example.nullable);
                let index = types.iter().position(|t| *t == key).unwrap_or_else(|| {
                    types.push(key);
                    types.len() - 1
                });
                valid.push((case, index));
                // Settled when the harness answers.
                Fate::Rejected("not run".into())
            }
        };
        checked.cases.push(Case { at: example.at.clone(), value: example.value.clone(), fate });
    }
    if valid.is_empty() {
        return Ok(None);
    }
    let models = format!("{}-models/", spec.prefix);
    for (path, text) in &output.files {
        if path.starts_with(&models) {
            let target = ws.join(path);
            std::fs::create_dir_all(target.parent().unwrap_or(ws))?;
            std::fs::write(target, text)?;
        }
    }
    let keys = format!("path = \"{}\"", runtime.replace('\\', "/"));
    let header = format!("@generated by `cargo xtask roundtrip` from {}", spec.path);
    for (path, text) in generator::emit::harness::files(&spec.prefix, &spec.module, &keys, &header, &types).map_err(|e| anyhow::anyhow!("{e}"))? {
        let target = ws.join(path);
        std::fs::create_dir_all(target.parent().unwrap_or(ws))?;
        std::fs::write(target, text)?;
    }
    Ok(Some(Pending { result: 0, harness: generator::emit::harness::crate_name(&spec.prefix), valid }))
}

/// Each example validated against its schema, in one validator for the spec: the document is the
/// root (its `$ref`s resolve in it), and case `i` is property `i` of one instance.
fn validate(document: &Value, examples: &[&generator::ir::Example]) -> Vec<Result<(), String>> {
    let mut properties = Map::new();
    let mut instance = Map::new();
    let mut verdicts: Vec<Result<(), String>> = Vec::with_capacity(examples.len());
    for (i, example) in examples.iter().enumerate() {
        match document.pointer(&example.schema) {
            Some(schema) => {
                properties.insert(i.to_string(), schema.clone());
                instance.insert(i.to_string(), example.value.clone());
                verdicts.push(Ok(()));
            }
            None => verdicts.push(Err(format!("its schema `{}` is not in the document", example.schema))),
        }
    }
    let mut root = document.clone();
    if let Value::Object(map) = &mut root {
        map.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        map.insert("properties".into(), Value::Object(properties));
    }
    let validator = match jsonschema::options().should_validate_formats(true).build(&root) {
        Ok(v) => v,
        Err(e) => {
            let why = format!("the spec's schemas do not compile as JSON Schema: {e}");
            return verdicts.into_iter().map(|v| v.and(Err(why.clone()))).collect();
        }
    };
    let instance = Value::Object(instance);
    for error in validator.iter_errors(&instance) {
        let path = error.instance_path().to_string();
        let mut tokens = path.splitn(3, '/').skip(1);
        let Some(i) = tokens.next().and_then(|t| t.parse::<usize>().ok()) else { continue };
        if let Some(verdict @ Ok(())) = verdicts.get_mut(i) {
            *verdict = Err(format!("at `/{}`: {error}", tokens.next().unwrap_or_default()));
        }
    }
    verdicts
}

/// Sends a spec's valid examples through its harness and settles their fates.
fn run_harness(exe: &Path, pending: &Pending, checked: &mut Checked) -> Result<()> {
    let mut input = String::new();
    for (case, ty) in &pending.valid {
        input.push_str(&format!("{ty}\t{}\n", checked.cases[*case].value));
    }
    let mut child = Command::new(exe).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().with_context(|| format!("running {}", exe.display()))?;
    let mut stdin = child.stdin.take().context("the harness's stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output()?;
    writer.join().map_err(|_| anyhow::anyhow!("writing to the harness panicked"))??;
    let answers: Vec<&str> = std::str::from_utf8(&out.stdout)?.lines().collect();
    if !out.status.success() || answers.len() != pending.valid.len() {
        bail!("the harness answered {} of {} cases ({}): {}", answers.len(), pending.valid.len(), out.status, String::from_utf8_lossy(&out.stderr));
    }
    for ((case, _), answer) in pending.valid.iter().zip(answers) {
        let case = &mut checked.cases[*case];
        case.fate = match answer.split_once('\t') {
            Some(("ok", json)) => match serde_json::from_str::<Value>(json) {
                Ok(back) => match difference(&case.value, &back, String::new()) {
                    None => Fate::Exact,
                    Some(pointer) => Fate::Lossy { pointer, back },
                },
                Err(e) => Fate::Rejected(format!("wrote back what is not JSON: {e}")),
            },
            Some((_, why)) => Fate::Rejected(why.to_owned()),
            None => Fate::Rejected(format!("the harness answered `{answer}`")),
        };
    }
    Ok(())
}

/// Whether two JSON values are the same: numbers equal as numbers (`1` and `1.0`), objects with the
/// same keys whatever their order, everything else equal.
pub fn same_json(a: &Value, b: &Value) -> bool {
    difference(a, b, String::new()).is_none()
}

/// The JSON pointer (below `at`) of the first place `a` and `b` differ, as [`same_json`] compares.
fn difference(a: &Value, b: &Value, at: String) -> Option<String> {
    let child = |key: &str| generator::diag::push_pointer(&at, key);
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x != y && x.as_f64().is_none_or(|x| y.as_f64() != Some(x))).then_some(at),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at);
            }
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| difference(p, q, child(&i.to_string())))
        }
        (Value::Object(x), Value::Object(y)) => {
            if let Some(key) = x.keys().chain(y.keys()).find(|k| !(x.contains_key(*k) && y.contains_key(*k))) {
                return Some(child(key));
            }
            x.iter().find_map(|(k, v)| difference(v, &y[k], child(k)))
        }
        _ => (a != b).then_some(at),
    }
}

/// OpenAPI 3.0 schema keywords -> JSON Schema 2020-12, in place, everywhere below `value`:
/// `nullable: true` adds `null` to the `type` (and to the `enum`; or makes a `$ref` or composition
/// an alternative of `null`), the boolean `exclusiveMinimum`/`exclusiveMaximum` take the bound's
/// value, and `properties` without a `type` say `type: object`, as the generator reads them. References stay as they are, to be resolved against a root holding the document.
pub fn json_schema(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (NAMED_SCHEMAS.contains(&key.as_str()), child) {
                    // A map of schemas by name is no schema itself: a property named
                    // `properties` or `nullable` is only a name.
                    (true, Value::Object(named)) => named.values_mut().for_each(json_schema),
                    (_, child) => json_schema(child),
                }
            }
            for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                if let Some(Value::Bool(exclusive)) = map.get(flag) {
                    let exclusive = *exclusive;
                    map.remove(flag);
                    if exclusive {
                        if let Some(limit) = map.remove(bound) {
                            map.insert(flag.into(), limit);
                        }
                    }
                }
            }
            // Read as the generator (and every generator) reads it: `properties` without a
            // `type` describe an object, so a string there is the spec's defect, not a value.
            if map.get("properties").is_some_and(Value::is_object) && !map.contains_key("type") && !map.contains_key("$ref") {
                map.insert("type".into(), json!("object"));
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                nullable(map);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json_schema),
        _ => {}
    }
}

/// Keywords whose value maps names to schemas.
const NAMED_SCHEMAS: &[&str] = &["properties", "patternProperties", "definitions", "$defs", "schemas", "dependentSchemas"];

fn nullable(map: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.push(Value::Null);
    }
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(_) => {}
        None => {
            // A `$ref` (or composition) that may be null: null or the rest.
            let rest: Map<String, Value> = std::mem::take(map);
            map.insert("anyOf".into(), json!([{"type": "null"}, Value::Object(rest)]));
        }
    }
}

/// The line printed for one spec.
pub fn line(c: &Checked) -> String {
    let verdict = match &c.failure {
        Some(_) => "not checked".to_owned(),
        None => format!("examples {} exact, {} lossy, {} rejected, {} invalid", c.exact(), c.lossy(), c.rejected(), c.invalid()),
    };
    format!("{:<60} {verdict}: {}", c.spec, if c.ok() { "ok" } else { "FAILED" })
}

/// The totals over every spec, for the last line.
pub fn totals(results: &[Checked]) -> BTreeMap<&'static str, usize> {
    let mut totals = BTreeMap::new();
    for r in results {
        *totals.entry("exact").or_default() += r.exact();
        *totals.entry("lossy").or_default() += r.lossy();
        *totals.entry("rejected").or_default() += r.rejected();
        *totals.entry("invalid").or_default() += r.invalid();
        *totals.entry("not checked").or_default() += usize::from(r.failure.is_some());
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_located_and_numbers_compare_as_numbers() {
        assert!(same_json(&json!({"a": 1, "b": [1.0]}), &json!({"b": [1], "a": 1.0})));
        assert_eq!(difference(&json!({"a": {"b/c": 1}}), &json!({"a": {}}), String::new()), Some("/a/b~1c".into()));
        assert_eq!(difference(&json!([1, "x"]), &json!([1, "X"]), String::new()), Some("/1".into()));
        assert_eq!(difference(&json!({"a": 1}), &json!({"a": 1, "z": null}), String::new()), Some("/z".into()));
    }

    #[test]
    fn openapi_30_keywords_become_json_schema() {
        let mut schema = json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false, "enum": [2, 3]});
        json_schema(&mut schema);
        assert_eq!(schema, json!({"type": ["integer", "null"], "exclusiveMinimum": 1, "maximum": 9, "enum": [2, 3, null]}));
        let mut named = json!({"properties": {"properties": {"type": "string"}, "nullable": {"type": "boolean"}}});
        json_schema(&mut named);
        assert_eq!(named, json!({"type": "object", "properties": {"properties": {"type": "string"}, "nullable": {"type": "boolean"}}}), "property names are only names");
        let mut reference = json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true});
        json_schema(&mut reference);
        assert_eq!(reference, json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/components/schemas/A"}]}]}));
    }
}
