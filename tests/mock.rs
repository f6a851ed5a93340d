//! The generated server's `mock` feature on loopback (real axum, real reqwest, the generated
//! client of `tests/fixtures/specs/mock.yaml`): every operation answered from the spec, the
//! documented example first, `Prefer` and its query fallbacks honoured, the documented 401 for a
//! request without the credentials it needs (a 401 even where the spec documents none), values
//! made from the schemas valid against them,
//! CORS preflights and `Deprecation` answered, an invalid request refused with a 4xx.

use mock_client::mock_api::{Client, CreatePetError, GetPetError, ListPetsParams};
use mock_client::models::mock_api as m;
use mock_server::mock::{Log, Mock};

/// The mock of `seed` served on loopback; its base URL.
async fn serve(seed: u64) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let router = Mock::new(seed).router(Log::Quiet);
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/")
}

fn client(base: &str) -> Client {
    Client::builder().base_url(base).build().expect("a client")
}

/// The spec's schema `name`, as a validator reads it (its `$ref`s resolved in the spec, OpenAPI
/// 3.0's `nullable` read as admitting `null`).
fn validator(name: &str) -> jsonschema::Validator {
    let spec: serde_json::Value = serde_yaml::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/specs/mock.yaml")).expect("the fixture")).expect("YAML");
    let mut root = spec.clone();
    admit_null_where_nullable(&mut root);
    root["$ref"] = serde_json::json!(format!("#/components/schemas/{name}"));
    root["$schema"] = serde_json::json!("https://json-schema.org/draft/2020-12/schema");
    jsonschema::options().build(&root).expect("the schema compiles")
}

/// `nullable: true` in JSON Schema's words: `null` among the types and the `enum` values.
fn admit_null_where_nullable(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            if map.remove("nullable") == Some(serde_json::Value::Bool(true)) {
                if let Some(serde_json::Value::String(ty)) = map.get("type") {
                    map.insert("type".into(), serde_json::json!([ty, "null"]));
                }
                if let Some(serde_json::Value::Array(values)) = map.get_mut("enum") {
                    values.push(serde_json::Value::Null);
                }
            }
            map.values_mut().for_each(admit_null_where_nullable);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(admit_null_where_nullable),
        _ => {}
    }
}

#[tokio::test]
async fn answers_the_documented_example_of_the_lowest_success() {
    let base = serve(1).await;
    let pets = client(&base).list_pets(ListPetsParams::default()).await.expect("200");
    let names: Vec<&str> = pets.body.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Tom", "Rex"], "the first of the documented examples");
    let total = pets.x_total.expect("a required header is answered");
    assert!((0..=1000).contains(&total), "{total}");
}

#[tokio::test]
async fn prefer_picks_the_example_and_the_status() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let get = |path: &str, prefer: &str| http.get(format!("{base}{path}")).header("prefer", prefer).send();
    let none = get("pets", "example=none").await.expect("an answer");
    assert_eq!(none.status(), 200);
    assert_eq!(none.json::<serde_json::Value>().await.expect("JSON"), serde_json::json!([]));

    let missing = get("pets/3", "code=404").await.expect("an answer");
    assert_eq!(missing.status(), 404);
    let problem: serde_json::Value = missing.json().await.expect("JSON");
    assert!(validator("Problem").is_valid(&problem), "{problem}");

    let other = get("pets/3", "code=503").await.expect("an answer");
    assert_eq!(other.status(), 503, "`default` answers the status asked for");

    let fallback = http.get(format!("{base}pets/3?__code=404")).send().await.expect("an answer");
    assert_eq!(fallback.status(), 404, "the query's fallback for clients that cannot set headers");

    // Through the generated client: the documented error, typed.
    match client(&base).get_pet(3).await {
        Ok(pet) => assert!(validator("Pet").is_valid(&serde_json::to_value(&pet).expect("JSON")), "{pet:?}"),
        Err(e) => panic!("the default answer is the 200: {e}"),
    }
    let mut prefer = reqwest::header::HeaderMap::new();
    prefer.insert("prefer", reqwest::header::HeaderValue::from_static("code=404"));
    let preferring = Client::builder().base_url(&base).http_client(reqwest::Client::builder().default_headers(prefer).build().expect("reqwest")).build().expect("a client");
    match preferring.get_pet(3).await {
        Err(generator_runtime::client::Error::Api { error: GetPetError::NotFound(problem), .. }) => assert!(validator("Problem").is_valid(&serde_json::to_value(&problem).expect("JSON"))),
        other => panic!("the documented 404, typed: {other:?}"),
    }
}

#[tokio::test]
async fn generated_answers_satisfy_the_schema_and_repeat_unless_dynamic() {
    let base = serve(7).await;
    let pet_schema = validator("Pet");
    let first = client(&base).get_pet(1).await.expect("200");
    let json = serde_json::to_value(&first).expect("JSON");
    assert!(pet_schema.is_valid(&json), "{json}");
    assert_eq!(client(&base).get_pet(1).await.expect("200"), first, "the same request, the same answer");

    let http = reqwest::Client::new();
    let mut seen = Vec::new();
    for _ in 0..6 {
        let answer: serde_json::Value = http.get(format!("{base}pets/1")).header("prefer", "dynamic=true").send().await.expect("an answer").json().await.expect("JSON");
        assert!(pet_schema.is_valid(&answer), "{answer}");
        seen.push(answer);
    }
    assert!(seen.iter().any(|a| *a != seen[0]), "dynamic answers are made anew: {seen:?}");
    assert_ne!(serve_first(3).await, serve_first(4).await, "another seed, other values");
}

async fn serve_first(seed: u64) -> m::Pet {
    client(&serve(seed).await).get_pet(1).await.expect("200")
}

#[tokio::test]
async fn credentials_a_request_lacks_get_the_documented_401() {
    let base = serve(1).await;
    let pet = m::Pet { id: 1, name: "Tom".into(), tag: None, kind: None, mood: None, labels: None, additional_properties: Default::default() };
    match client(&base).create_pet(&pet).await {
        Err(generator_runtime::client::Error::Api { error: CreatePetError::Unauthorized(problem), .. }) => assert!(validator("Problem").is_valid(&serde_json::to_value(&problem).expect("JSON"))),
        other => panic!("401 without the key: {other:?}"),
    }
    // The generated client presents an API key where the scheme says: the `X-Api-Key` header.
    let keyed = client(&base);
    keyed.set_credentials(generator_runtime::client::Credentials::ApiKey("k".into()));
    let created = keyed.create_pet(&pet).await.expect("201 with the key");
    assert_eq!((created.id, created.name.as_str()), (7, "Kit"), "the documented example");
    let http = reqwest::Client::new();

    // A body the spec does not admit is refused before the mock is asked.
    let invalid = http.post(format!("{base}pets")).header("x-api-key", "k").json(&serde_json::json!({"id": 0, "name": ""})).send().await.expect("an answer");
    assert_eq!(invalid.status(), 400, "{:?}", invalid.text().await);
    let bad_query = http.get(format!("{base}pets?limit=1000")).send().await.expect("an answer");
    assert_eq!(bad_query.status(), 400);
    // Its 400 documents an optional header too: the shape is answered without it.
    let problem: serde_json::Value = bad_query.json().await.expect("the documented 400 shape");
    assert!(validator("Problem").is_valid(&problem), "{problem}");
}

#[tokio::test]
async fn a_refused_request_is_answered_in_the_shape_documented_for_it() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    // `getPet` documents no 400 but a `default`, `deletePet` a `4XX`: a refusal takes that shape.
    for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
        let refused = http.request(method.clone(), format!("{base}pets/abc")).send().await.expect("an answer");
        assert_eq!(refused.status(), 400, "{method}");
        let problem: serde_json::Value = refused.json().await.expect("JSON");
        assert!(validator("Problem").is_valid(&problem), "{method}: {problem}");
        assert!(problem["message"].as_str().is_some_and(|m| m.contains("id")), "it says what is wrong: {problem}");
    }
    // `getPhoto` documents its 400 as text: what is wrong, in words.
    let refused = http.get(format!("{base}pets/abc/photo")).send().await.expect("an answer");
    assert_eq!(refused.status(), 400);
    assert_eq!(refused.headers()["content-type"], "text/plain");
    let text = refused.text().await.expect("text");
    assert!(text.starts_with("path.id: "), "{text}");
}

#[tokio::test]
async fn credentials_a_request_lacks_get_a_401_documented_or_not() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    // `deletePet` documents a `4XX` (whose variant answers 400): the refusal is that answer.
    let refused = http.delete(format!("{base}pets/1")).send().await.expect("an answer");
    assert_eq!(refused.status(), 400);
    let problem: serde_json::Value = refused.json().await.expect("JSON");
    assert!(validator("Problem").is_valid(&problem), "{problem}");
    let deleted = http.delete(format!("{base}pets/1")).header("x-api-key", "k").send().await.expect("an answer");
    assert_eq!(deleted.status(), 204);

    // `getSecret` documents no answer for it: a 401 all the same, never the 200.
    let refused = http.get(format!("{base}secret")).send().await.expect("an answer");
    assert_eq!(refused.status(), 401);
    assert!(refused.json::<serde_json::Value>().await.expect("the default error body")["detail"].is_string());
    let secret = http.get(format!("{base}secret")).header("x-api-key", "k").send().await.expect("an answer");
    assert_eq!(secret.status(), 200);

    // `getVault` needs both of its schemes' keys: one API key is not enough, a key for each is.
    let keyed = client(&base);
    keyed.set_credentials(generator_runtime::client::Credentials::ApiKey("k".into()));
    assert!(keyed.get_vault().await.is_err(), "one key of two");
    for (scheme, key) in [("key", "k"), ("token", "t")] {
        keyed.set_credentials(generator_runtime::client::Credentials::KeyFor { scheme: scheme.into(), key: key.into() });
    }
    keyed.get_vault().await.expect("200 with a key for each scheme");
}

#[tokio::test]
async fn bytes_and_text_are_answered_in_their_media_types() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let photo = http.get(format!("{base}pets/1/photo")).send().await.expect("an answer");
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/png");
    let note = client(&base).get_note().await.expect("200");
    assert!((1..=50).contains(&note.chars().count()), "{note:?}");
    // Text without a schema: any text, never the handler's 500.
    let memo = http.get(format!("{base}memo")).send().await.expect("an answer");
    assert_eq!((memo.status().as_u16(), memo.headers()["content-type"].to_str().ok()), (200, Some("text/plain")));
    client(&base).get_memo().await.expect("200, as text");
}

#[tokio::test]
async fn a_string_in_a_media_type_other_than_json_is_text_as_it_is() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let put = |body: &'static str| http.put(format!("{base}pets/1/avatar")).header("content-type", "image/jpeg").body(body).send();
    assert_eq!(put("/9j/4AAQSkZJRg==").await.expect("an answer").status(), 202, "base64 text, not a JSON string");
    client(&base).set_avatar(1, "/9j/4AAQSkZJRg==").await.expect("the generated client sends it as text");
}

#[tokio::test]
async fn cors_preflights_and_deprecated_operations() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{base}pets"))
        .header("origin", "https://example.com")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-api-key")
        .send()
        .await
        .expect("an answer");
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert_eq!(preflight.headers()["access-control-allow-methods"], "POST");
    assert_eq!(preflight.headers()["access-control-allow-headers"], "x-api-key");

    let deprecated = http.get(format!("{base}pets/1")).send().await.expect("an answer");
    assert_eq!(deprecated.headers()["deprecation"], "true");
    assert_eq!(deprecated.headers()["access-control-allow-origin"], "*");
    let current = http.get(format!("{base}pets")).send().await.expect("an answer");
    assert!(current.headers().get("deprecation").is_none());
}

#[tokio::test]
async fn unique_items_empty_values_and_integer_enums_are_held_to_the_spec() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let status = |query: &'static str| {
        let request = http.get(format!("{base}search?{query}")).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    assert_eq!(status("tags=a&tags=b").await, 200);
    assert_eq!(status("tags=a&tags=b&tags=a").await, 400, "`uniqueItems`: a repeated item is refused");
    assert_eq!(status("pretty=").await, 200, "`allowEmptyValue: true`: sent without a value");
    assert_eq!(status("pretty=true").await, 200);
    assert_eq!(status("pretty=maybe").await, 400);
    assert_eq!(status("q=").await, 400, "`allowEmptyValue: false`: an empty value is refused");
    assert_eq!(status("q=rex").await, 200);
    assert_eq!(status("level=2").await, 200);
    assert_eq!(status("level=5").await, 400, "an integer the `enum` does not list is refused");
    let refused = http.get(format!("{base}search?tags=a&tags=a")).send().await.expect("an answer");
    let problem: serde_json::Value = refused.json().await.expect("the documented 400");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("query.tags")), "it says which parameter: {problem}");
    // The enum's values are read once; every refusal after the first says the same.
    for _ in 0..2 {
        let refused = http.get(format!("{base}search?level=5")).send().await.expect("an answer");
        assert_eq!(refused.status(), 400);
        let problem: serde_json::Value = refused.json().await.expect("the documented 400");
        assert!(problem["message"].as_str().is_some_and(|m| m.contains("query.level: must be one of 1, 2, 3")), "it says what is allowed: {problem}");
    }

    // A body's list is held to it too.
    let pet = serde_json::json!({"id": 1, "name": "Tom", "labels": ["old", "old"]});
    let repeated = http.post(format!("{base}pets")).header("x-api-key", "k").json(&pet).send().await.expect("an answer");
    assert_eq!(repeated.status(), 400);

    // What the mock makes up holds no item twice, though the list may be planned longer than
    // the items have distinct values.
    let moods = validator("Pet");
    let answer_schema = jsonschema::validator_for(&serde_json::json!({"type": "array", "items": {"enum": ["calm", "wild", "shy"]}, "uniqueItems": true})).expect("compiles");
    let mut longest = 0;
    for seed in 0..40 {
        let base = serve(seed).await;
        let answer: serde_json::Value = http.get(format!("{base}search")).header("prefer", "dynamic=true").send().await.expect("an answer").json().await.expect("JSON");
        assert!(answer_schema.is_valid(&answer), "seed {seed}: {answer}");
        longest = longest.max(answer.as_array().map_or(0, Vec::len));
        let pet: serde_json::Value = http.get(format!("{base}pets/1")).send().await.expect("an answer").json().await.expect("JSON");
        assert!(moods.is_valid(&pet), "seed {seed}: {pet}");
    }
    assert!(longest >= 2, "lists of several items were made");
}

#[tokio::test]
async fn a_nullable_enum_admits_null_though_its_values_do_not_list_it() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let create = |mood: serde_json::Value| http.post(format!("{base}pets")).header("x-api-key", "k").json(&serde_json::json!({"id": 1, "name": "Tom", "mood": mood})).send();
    assert_eq!(create(serde_json::Value::Null).await.expect("an answer").status(), 201, "the server admits `null`");
    assert_eq!(create(serde_json::json!("calm")).await.expect("an answer").status(), 201);
    assert_eq!(create(serde_json::json!("sleepy")).await.expect("an answer").status(), 400, "a value the enum does not list is refused");

    // The model reads and writes `null`, and the mock makes it up among the values.
    let pet: m::Pet = serde_json::from_value(serde_json::json!({"id": 1, "name": "Tom", "mood": null})).expect("the model reads null");
    assert_eq!(pet.mood, Some(None));
    assert_eq!(serde_json::to_value(&pet).expect("JSON")["mood"], serde_json::Value::Null);
    let mut moods = std::collections::BTreeSet::new();
    for seed in 0..60 {
        let base = serve(seed).await;
        let answer: serde_json::Value = http.get(format!("{base}pets/1")).send().await.expect("an answer").json().await.expect("JSON");
        if let Some(mood) = answer.get("mood") {
            moods.insert(mood.to_string());
        }
    }
    assert_eq!(moods.into_iter().collect::<Vec<_>>(), ["\"calm\"", "\"wild\"", "null"], "every value the spec admits, and no other");
}

#[tokio::test]
async fn a_required_property_the_schema_does_not_declare_is_required_all_the_same() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let book = |body: serde_json::Value| http.post(format!("{base}visits")).json(&body).send();
    assert_eq!(book(serde_json::json!({"pet": 1, "vet": "Dr. Who"})).await.expect("an answer").status(), 204);
    let refused = book(serde_json::json!({"pet": 1})).await.expect("an answer");
    assert_eq!(refused.status(), 400, "`required` names `vet`: JSON Schema requires it whatever it holds");
    let problem: serde_json::Value = refused.json().await.expect("the documented 400");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("vet")), "{problem}");
}

#[tokio::test]
async fn a_json_number_is_no_string_to_a_union() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let set = |extension: serde_json::Value| {
        let request = http.put(format!("{base}policies")).json(&serde_json::json!({"extension": extension})).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    for valid in [serde_json::json!(365), serde_json::json!("365"), serde_json::json!("none"), serde_json::json!(2147483647)] {
        assert_eq!(set(valid.clone()).await, 204, "{valid} matches one member");
    }
    // Beyond `int32`, the integer member refuses it, and a JSON number is no string, whatever the
    // string member's pattern admits of its digits (Box's `max_extension_length`).
    assert_eq!(set(serde_json::json!(2147483648_u64)).await, 400, "2147483648 matches no member");
    assert_eq!(set(serde_json::json!(true)).await, 400, "nor is a boolean");
    let refused = http.put(format!("{base}policies")).json(&serde_json::json!({"extension": 2147483648_u64})).send().await.expect("an answer");
    let problem: serde_json::Value = refused.json().await.expect("the documented 400");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("extension")), "it names the property: {problem}");
}

#[tokio::test]
async fn list_items_read_from_text_reach_a_union_of_texts() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let status = |query: &'static str| {
        let request = http.get(format!("{base}policies?{query}")).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    assert_eq!(status("fields=a").await, 200);
    assert_eq!(status("fields=5").await, 200, "one text that spells a number");
    assert_eq!(status("fields=a&fields=b").await, 200);
    assert_eq!(status("fields=a&fields=5&fields=true").await, 200, "items that spell a number or a boolean are texts all the same (GitHub's `fields`)");
}

#[tokio::test]
async fn a_uri_is_absolute_where_the_format_says_uri() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let add = |query: &'static str, body: serde_json::Value| {
        let request = http.post(format!("{base}links{query}")).json(&body).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    assert_eq!(add("", serde_json::json!({"site": "https://example.com/a?b=c", "path": "/a/b"})).await, 204, "a reference is a `uri-reference`");
    assert_eq!(add("?next=mailto:a@b.c", serde_json::json!({"site": "urn:isbn:0451450523"})).await, 204);
    for site in ["", "AAA", "/a/b", "http://a b", "http://a/%zz"] {
        assert_eq!(add("", serde_json::json!({"site": site})).await, 400, "`{site}` is no absolute URI (GitHub's `checkout_uri: \"\"`)");
    }
    assert_eq!(add("?next=/a", serde_json::json!({"site": "https://example.com"})).await, 400, "a query parameter too");
    let refused = http.post(format!("{base}links")).json(&serde_json::json!({"site": "AAA"})).send().await.expect("an answer");
    let problem: serde_json::Value = refused.json().await.expect("the documented 400");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("body.site") && m.contains("absolute URI")), "{problem}");
}

#[tokio::test]
async fn a_refusal_fills_what_its_documented_shape_requires_beside_the_message() {
    let base = serve(1).await;
    let refused = reqwest::get(format!("{base}tasks?limit=50")).await.expect("an answer");
    assert_eq!(refused.status(), 400);
    let problem: serde_json::Value = refused.json().await.expect("JSON");
    // Not the default error shape: the documented one, its `documentation_url` filled, its list
    // of `errors` (whose items require a `code` no refusal has) left out.
    assert!(validator("DetailedProblem").is_valid(&problem), "{problem}");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("query.limit")), "it says what is wrong: {problem}");
}

#[tokio::test]
async fn an_object_satisfies_one_of_the_alternatives_of_required_names() {
    let base = serve(1).await;
    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, body: serde_json::Value| {
        let request = http.request(method, format!("{base}site")).json(&body).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    let put = reqwest::Method::PUT;
    for valid in [serde_json::json!({"cname": "a.example.com"}), serde_json::json!({"cname": null}), serde_json::json!({"public": false, "source": "main"})] {
        assert_eq!(send(put.clone(), valid.clone()).await, 204, "{valid} has one of `anyOf`'s names");
    }
    assert_eq!(send(put.clone(), serde_json::json!({})).await, 400, "`{{}}` has none (GitHub's `PUT /repos/…/pages`)");
    let refused = http.put(format!("{base}site")).json(&serde_json::json!({})).send().await.expect("an answer");
    let problem: serde_json::Value = refused.json().await.expect("the documented 400");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("`cname`") && m.contains("`public`")), "it says which names: {problem}");

    let post = reqwest::Method::POST;
    assert_eq!(send(post.clone(), serde_json::json!({"id": 1})).await, 204);
    assert_eq!(send(post.clone(), serde_json::json!({"owner": "o", "repo": "r"})).await, 204);
    assert_eq!(send(post.clone(), serde_json::json!({"owner": "o"})).await, 400, "half of an alternative is none");
    assert_eq!(send(post.clone(), serde_json::json!({"id": 1, "owner": "o", "repo": "r"})).await, 400, "`oneOf`: both alternatives at once");

    // Under `allOf`: the component's alternatives (`cname` or `source`) and the member's own
    // (`cname` or `https`) both hold.
    let patch = reqwest::Method::PATCH;
    for valid in [serde_json::json!({"cname": "a.example.com"}), serde_json::json!({"source": "main", "https": true})] {
        assert_eq!(send(patch.clone(), valid.clone()).await, 204, "{valid} satisfies both");
    }
    for invalid in [serde_json::json!({}), serde_json::json!({"source": "main"}), serde_json::json!({"https": true})] {
        assert_eq!(send(patch.clone(), invalid.clone()).await, 400, "{invalid} misses one of the `allOf`'s alternatives");
    }
}

#[tokio::test]
async fn a_union_member_is_held_to_the_rules_of_its_schema() {
    // Reading picks the first member whose rules hold: `rexy` is no `@handle`, so it is the
    // second member, not the first with its pattern broken.
    let read = |value: serde_json::Value| serde_json::from_value::<m::Handle>(value).expect("a client reads any member's type");
    assert_eq!(read(serde_json::json!("@rex")), m::Handle::String("@rex".into()));
    assert_eq!(read(serde_json::json!("rexy")), m::Handle::String2("rexy".into()));
    assert_eq!(read(serde_json::json!(7)), m::Handle::Integer(7));
    // A value no member's rules admit is still read by a client, as the first member it types as.
    assert_eq!(read(serde_json::json!("x")), m::Handle::String("x".into()));

    let base = serve(1).await;
    let http = reqwest::Client::new();
    let set = |query: &'static str, body: serde_json::Value| {
        let request = http.put(format!("{base}handle{query}")).json(&body).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    for valid in [serde_json::json!("@rex"), serde_json::json!("rexy"), serde_json::json!(100)] {
        assert_eq!(set("", valid.clone()).await, 204, "{valid} satisfies a member's rules");
    }
    for invalid in [serde_json::json!(""), serde_json::json!("x"), serde_json::json!("toolonghandle"), serde_json::json!(0), serde_json::json!(101)] {
        assert_eq!(set("", invalid.clone()).await, 400, "{invalid} satisfies no member's rules (Box's `max_extension_length: \"\"`)");
    }
    let add = |body: serde_json::Value| {
        let request = http.post(format!("{base}handle")).json(&body).send();
        async move { request.await.expect("an answer").status().as_u16() }
    };
    for valid in [serde_json::json!({"reach": "a@b.example"}), serde_json::json!({"reach": ["a", "b"]}), serde_json::json!({"note": "x"}), serde_json::json!({"note": 3}), serde_json::json!({"note": {}})] {
        assert_eq!(add(valid.clone()).await, 204, "{valid} satisfies a member's rules");
    }
    for invalid in [serde_json::json!({"reach": "nobody"}), serde_json::json!({"reach": ["a", "a"]}), serde_json::json!({"note": ""})] {
        assert_eq!(add(invalid.clone()).await, 400, "{invalid}: no member's format, unique items or length admits it");
    }
    assert_eq!(set("?alias=rexy", serde_json::json!(5)).await, 204, "a parameter is read alike");
    assert_eq!(set("?alias=x", serde_json::json!(5)).await, 400);
    // Box's own: the string member's pattern refuses `""`, the integer member's minimum `0`.
    for extension in [serde_json::json!(""), serde_json::json!("abc"), serde_json::json!(0)] {
        let refused = http.put(format!("{base}policies")).json(&serde_json::json!({"extension": extension})).send().await.expect("an answer");
        assert_eq!(refused.status(), 400, "{extension}");
    }
}
