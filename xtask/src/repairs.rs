//! Where the generator's repairs change what a documented example means. Loading tolerates,
//! normalises and repairs a spec before anything reads it (`generator::load`): `minItems` written
//! inside `items` moves to the array, `example: null` makes a schema nullable, a `type` list
//! becomes a `oneOf`. The examples check judges by the spec as published; here each example is
//! judged again by the spec as the generator reads it, and an example one of them admits and the
//! other refuses is reported, with what the one that refuses it says.

use serde_json::Value;

/// The spec as the generator reads it, ready to judge examples by.
pub struct Repaired {
    document: Value,
    /// Each example's schema in `document`.
    schemas: Vec<String>,
}

impl Repaired {
    /// The repaired spec of `doc` (as loaded), with a copy of the schema of each of `schemas`
    /// (pointers into it, as the IR's examples have them).
    pub fn new(doc: &generator::load::Document, schemas: &[&str]) -> Result<Repaired, String> {
        let raw = crate::judge::repaired(doc)?;
        let mut copies = crate::judge::Copies::default();
        let placed = schemas.iter().map(|s| copies.add_in(&raw, s).unwrap_or_else(|| (*s).to_owned())).collect();
        let mut document = raw.clone();
        crate::judge::json_schema(&mut document);
        crate::judge::discriminated(&mut document);
        copies.attach(&mut document, &raw);
        Ok(Repaired { document, schemas: placed })
    }

    /// Each of `values` (of the examples of [`Repaired::new`]'s `schemas`, in order) judged by the
    /// repaired spec; an error when its schemas do not compile as JSON Schema.
    pub fn verdicts(&self, values: &[&Value]) -> Result<Vec<Result<(), String>>, String> {
        let cases: Vec<(&str, &Value)> = self.schemas.iter().map(String::as_str).zip(values.iter().copied()).collect();
        crate::judge::validate(&self.document, &cases)
    }
}

/// How the repairs change an example's meaning, given its verdicts by the spec as published and
/// as repaired; `None` when both admit it or both refuse it.
pub fn change(published: &Result<(), String>, repaired: &Result<(), String>) -> Option<String> {
    match (published, repaired) {
        (Ok(()), Err(why)) => Some(format!("valid as published, invalid as the generator repairs the spec: {why}")),
        (Err(why), Ok(())) => Some(format!("invalid as published ({why}), valid as the generator repairs the spec")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_example_the_repairs_judge_otherwise_is_told_both_ways() {
        // `minItems` written inside `items` is ignored, as JSON Schema ignores it: `[]` stays valid.
        // `example: null` beside `type: string` makes it nullable: `null` was invalid.
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {
            "Tags": {"type": "array", "items": {"type": "string", "minItems": 1}, "example": []},
            "Name": {"type": "string", "example": null}
        }}}"#;
        let mut diags = generator::diag::Diagnostics::default();
        let doc = generator::load::load_str(text, "t.json", &mut diags).expect("loads");
        let repaired = Repaired::new(&doc, &["/components/schemas/Tags", "/components/schemas/Name"]).expect("judges");
        let verdicts = repaired.verdicts(&[&json!([]), &Value::Null]).expect("compiles");
        assert_eq!(change(&Ok(()), &verdicts[0]), None, "the repair leaves `[]` valid");
        let tightened = change(&Ok(()), &Err("[] has fewer than 1 item".into())).expect("a repair that refuses it changes it");
        assert!(tightened.starts_with("valid as published, invalid as the generator repairs the spec"), "{tightened}");
        let name = change(&Err("null is not of type \"string\"".into()), &verdicts[1]).expect("the repair changes it");
        assert!(name.starts_with("invalid as published"), "{name}");
        assert_eq!(change(&Ok(()), &Ok(())), None);
    }
}
