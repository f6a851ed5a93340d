use serde_json::json;

use super::*;

fn context(uri: &str, headers: &[(&str, &str)]) -> Context {
    let mut builder = axum::http::Request::builder().uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let (parts, ()) = builder.body(()).expect("a request").into_parts();
    Context::new(parts, &[])
}

static PETS: &[Operation] = &[Operation {
    name: "get_pet",
    method: "GET",
    path: "/pets/{id}",
    deprecated: false,
    security: &[&[Credential::Header("authorization")], &[Credential::Query("api_key")]],
    responses: &[
        Response {
            status: Status::Code(200),
            schema: Some("/pet"),
            examples: &[Example { name: Some("cat"), at: "/examples/cat" }, Example { name: Some("dog"), at: "/examples/dog" }],
            headers: &[Header { name: "X-Rate", schema: Some("/rate"), required: true }],
            stream: None,
        },
        Response { status: Status::Code(401), schema: Some("/problem"), examples: &[], headers: &[], stream: None },
        Response { status: Status::Range(4), schema: Some("/problem"), examples: &[], headers: &[], stream: None },
        Response { status: Status::Default, schema: Some("/problem"), examples: &[], headers: &[], stream: None },
    ],
}];

fn mock() -> Mock {
    let document = json!({
        "pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}},
        "rate": {"type": "integer", "minimum": 0, "maximum": 10},
        "problem": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
        "examples": {"cat": {"name": "Tom"}, "dog": {"name": "Rex"}},
    });
    Mock::new(&document.to_string(), PETS, 7)
}

/// The answer to a request, as (index, code, body, headers).
fn answered(mock: &Mock, uri: &str, headers: &[(&str, &str)]) -> (usize, u16, Value, Map<String, Value>) {
    mock.answer(0, &context(uri, headers), |a| Ok((a.index(), a.code(), a.body::<Value>()?, a.headers.clone())))
}

#[test]
fn the_lowest_success_with_its_first_example_by_default() {
    let (index, code, body, headers) = answered(&mock(), "/pets/1", &[("authorization", "Bearer x")]);
    assert_eq!((index, code), (0, 200));
    assert_eq!(body, json!({"name": "Tom"}));
    let rate = headers["X-Rate"].as_i64().expect("a required header, an integer");
    assert!((0..=10).contains(&rate), "{rate}");
}

#[test]
fn prefer_picks_the_status_and_the_example() {
    let mock = mock();
    let auth = ("authorization", "Bearer x");
    assert_eq!(answered(&mock, "/pets/1", &[auth, ("prefer", "example=dog")]).2, json!({"name": "Rex"}));
    let (index, code, body, _) = answered(&mock, "/pets/1", &[auth, ("prefer", "code=404")]);
    assert_eq!((index, code), (2, 404), "404 is the 4XX range's");
    assert!(body["message"].is_string(), "{body}");
    let (index, code, _, _) = answered(&mock, "/pets/1", &[auth, ("prefer", "code=503")]);
    assert_eq!((index, code), (3, 503), "503 is `default`'s");
    // The query's fallbacks, for clients that cannot set a header.
    assert_eq!(answered(&mock, "/pets/1?__code=404&api_key=k", &[]).1, 404);
    assert_eq!(answered(&mock, "/pets/1?__example=dog&api_key=k", &[]).2, json!({"name": "Rex"}));
}

#[test]
fn missing_credentials_get_the_documented_401() {
    let mock = mock();
    assert_eq!(answered(&mock, "/pets/1", &[]).1, 401);
    assert_eq!(answered(&mock, "/pets/1?api_key=k", &[]).1, 200, "one alternative suffices");
}

#[test]
fn dynamic_answers_are_made_anew_and_static_ones_repeat() {
    let mock = mock();
    let auth = ("authorization", "Bearer x");
    let dynamic: Vec<Value> = (0..6).map(|_| answered(&mock, "/pets/1", &[auth, ("prefer", "dynamic=true")]).2).collect();
    assert!(dynamic.iter().all(|v| v["name"].as_str().is_some_and(|n| !n.is_empty())), "{dynamic:?}");
    assert!(dynamic.iter().any(|v| *v != dynamic[0]), "dynamic answers differ: {dynamic:?}");
    let first = answered(&mock, "/pets/1", &[auth, ("prefer", "code=404")]).2;
    assert_eq!(answered(&mock, "/pets/1", &[auth, ("prefer", "code=404")]).2, first);
}

#[test]
fn a_value_that_does_not_read_is_made_anew() {
    let mock = mock();
    let tries = std::cell::Cell::new(0);
    // The example does not read (as a number); a generated one does not either; then one does.
    let read = mock.answer(0, &context("/pets/1?api_key=k", &[]), |a| {
        tries.set(tries.get() + 1);
        if tries.get() < 3 {
            return Err("not yet".into());
        }
        a.body::<Value>()
    });
    assert_eq!(tries.get(), 3);
    assert!(read["name"].is_string());
}

#[test]
fn preferences_read_from_header_and_query() {
    let p = Preference::of(&context("/x?__dynamic=true", &[("prefer", "code=201; example=\"big one\"")]));
    assert_eq!(p, Preference { code: Some(201), example: Some("big one".into()), dynamic: true });
}

/// A stream of pets: the documented example first, then pets made from the schema of one.
static WATCH: &[Operation] = &[Operation {
    name: "watch_pets",
    method: "GET",
    path: "/pets/watch",
    deprecated: false,
    security: &[],
    responses: &[Response { status: Status::Code(200), schema: Some("/pet"), examples: &[Example { name: None, at: "/examples/cat" }], headers: &[], stream: Some(Some("/pet")) }],
}];

#[test]
fn a_stream_answers_several_items_the_same_for_the_same_seed() {
    let document = json!({
        "pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}},
        "examples": {"cat": {"name": "Tom"}},
    });
    let items = |seed| Mock::new(&document.to_string(), WATCH, seed).answer(0, &context("/pets/watch", &[]), |a| a.items::<Value>());
    let first = items(7);
    assert_eq!(first.len(), STREAMED_ITEMS);
    assert_eq!(first[0], json!({"name": "Tom"}), "the example first");
    assert!(first.iter().all(|p| p["name"].as_str().is_some_and(|n| !n.is_empty())), "{first:?}");
    assert_eq!(items(7), first, "the same seed, the same stream");
    assert_ne!(items(8)[1..], first[1..], "another seed, other items");
}
