//! Every example body of the Docker Hub v2 request/response catalogue (seed 001) that matches its
//! schema deserializes into the generated model and serializes back to the same JSON.

use generator::ir::{Api, Method, TypeRef};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use tests::{conforms, read, same_json, shared};

include!(concat!(env!("OUT_DIR"), "/round_trip.rs"));

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))
}

/// One example body of the catalogue.
#[derive(Debug)]
struct Example {
    method: Method,
    path: String,
    /// `None` for the request body, else the response's label (its description in the spec).
    response: Option<String>,
    body: Value,
}

fn method(word: &str) -> Option<Method> {
    Method::ALL.into_iter().find(|m| m.as_str() == word)
}

/// Parses the catalogue: `METHOD {{baseUrl}}/path`, `> Body` and `*Label*` each followed by a JSON block.
fn parse_catalogue(text: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut current: Option<(Method, String)> = None;
    let mut label: Option<Option<String>> = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        if let Some((word, rest)) = line.split_once(" {{baseUrl}}") {
            if let Some(m) = method(word) {
                let path = rest.split('?').next().unwrap_or(rest);
                let path = path.split('/').map(|s| s.strip_prefix(':').map_or(s.to_owned(), |p| format!("{{{p}}}"))).collect::<Vec<_>>().join("/");
                current = Some((m, path));
                label = None;
            }
        } else if line == "> Body" {
            label = Some(None);
        } else if line.starts_with('*') && line.len() > 2 && !line.starts_with("**") {
            let text = line.trim_start_matches('*');
            let end = text.find('*').unwrap_or(text.len());
            label = Some(Some(text[..end].to_owned()));
        } else if line == "```json" {
            let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim_end() != "```").collect();
            if let (Some((m, path)), Some(response)) = (&current, label.take()) {
                let body = serde_json::from_str(&block.join("\n")).unwrap_or_else(|e| panic!("example for {path} is not JSON: {e}"));
                examples.push(Example { method: m.clone(), path: path.clone(), response, body });
            }
        }
    }
    examples
}

/// The type the spec gives an example: the request body's or the response's with that description.
fn example_type(api: &Api, example: &Example) -> Result<TypeRef, String> {
    let op = api
        .operations
        .iter()
        .find(|o| o.method == example.method && o.path == example.path)
        .ok_or_else(|| format!("no operation {} {}", example.method.as_str(), example.path))?;
    let content = match &example.response {
        None => op.body.as_ref().map(|b| &b.content),
        // The catalogue sometimes shortens a description ("Authentication failed" for "Authentication
        // failed or second factor required"): a description starting with the label is that response.
        Some(label) => op
            .responses
            .iter()
            .find(|r| r.doc.as_deref().is_some_and(|d| d.trim() == label.trim()))
            .or_else(|| op.responses.iter().find(|r| r.doc.as_deref().is_some_and(|d| d.trim().starts_with(label.trim()))))
            .map(|r| &r.content),
    }
    .ok_or_else(|| format!("{} has no response described {:?}", op.name, example.response))?;
    content.iter().find_map(|c| c.ty.clone()).filter(|t| *t != TypeRef::Any).ok_or_else(|| format!("{}: the spec gives no schema", op.name))
}

#[test]
fn catalogue_examples_that_match_their_schema_round_trip_through_the_models() {
    // The models the v2 crates have: Docker's newest text under its corrections.
    let (mut apis, _) = generator::Generator::new("test")
        .root(tests::root())
        .spec(xtask::HUB_LATEST, "v2")
        .overlay(xtask::HUB_LATEST_OVERLAY)
        .lower()
        .expect("the newest spec lowers");
    let api = apis.remove(0);
    let examples = parse_catalogue(&read(&shared().join("seeds/001_4a5487c16d047d80.txt")));
    assert!(examples.len() >= 40, "the catalogue has its examples ({} found)", examples.len());

    let mut checked = 0;
    let mut skipped = Vec::new();
    for example in &examples {
        let what = format!("{} {} {:?}", example.method.as_str(), example.path, example.response.as_deref().unwrap_or("request body"));
        let ty = match example_type(&api, example) {
            Ok(ty) => ty,
            Err(why) => {
                skipped.push(format!("{what}: {why}"));
                continue;
            }
        };
        if let Err(why) = conforms(&api, &ty, &example.body) {
            skipped.push(format!("{what}: does not match its schema: {why}"));
            continue;
        }
        let TypeRef::Named(name) = &ty else { panic!("{what}: body type {ty:?} is not a named model") };
        let back = round_trip_as(name, &example.body).unwrap_or_else(|| panic!("{what}: no model type {name}"));
        let back = back.unwrap_or_else(|e| panic!("{what}: {name} {e}"));
        assert!(same_json(&back, &example.body), "{what}: {name} does not serialize back to the example:\n{back}\n{}", example.body);
        checked += 1;
    }
    eprintln!("{checked} examples round-tripped; skipped:\n{}", skipped.join("\n"));
    // 29 since the switch to the newest spec: the image operations' examples have no operation now.
    assert!(checked >= 29, "only {checked} examples matched their schema; skipped:\n{}", skipped.join("\n"));
    // Only examples that contradict their schema (the catalogue's login failure says `details` where
    // the spec says `detail`) and the unlabelled examples of schema-less 429 and 500 answers may be
    // passed over; every other example must have been found and checked.
    // The seed's image operations left with the switch: their examples have no operation now.
    let unexplained: Vec<&String> = skipped
        .iter()
        .filter(|s| {
            let image_operation = s.contains(": no operation") && s.contains("images");
            !(s.contains("\"Untitled Example\"") || s.contains("does not match its schema") || image_operation)
        })
        .collect();
    assert!(unexplained.is_empty(), "examples not checked: {unexplained:#?}");
}

#[test]
fn the_catalogue_parser_finds_bodies_and_labels() {
    let text = "PATCH {{baseUrl}}/v2/access-tokens/:uuid\n```\n> Body\n```json\n{\"a\": 1}\n```\n*OK*\n```json\n{\"b\": 2}\n```\n";
    let examples = parse_catalogue(text);
    assert_eq!(examples.len(), 2);
    assert_eq!(examples[0].path, "/v2/access-tokens/{uuid}");
    assert_eq!(examples[0].response, None);
    assert_eq!(examples[1].response.as_deref(), Some("OK"));
    assert_eq!(examples[1].body, serde_json::json!({"b": 2}));
}
