//! `null` where the spec allows it beyond fields: list items, map values and tuple members whose
//! schema admits `null` are `Option`s, and so are bodies whose schema does. The models read and
//! write such values back as they came, and the generated client of
//! `tests/fixtures/specs/nullable.yaml` sends and reads them through its generated server on
//! loopback (real reqwest, real axum), `null` on the wire.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use nullable_client::models::nullable as m;
use nullable_client::nullable::{Client, UpdateGistError};
use nullable_server::nullable::{
    GetAppRequest, GetAppResponse, GetBookRequest, GetBookResponse, ListAppsRequest, ListAppsResponse, Operations, UpdateBookRequest, UpdateBookResponse, UpdateGistRequest, UpdateGistResponse,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use tests::same_json;

/// Reads `value` as a `T`, checks it came back as the same JSON, and returns what was read.
fn exact<T: DeserializeOwned + Serialize>(value: Value) -> T {
    let model: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not read: {e}"));
    let back = serde_json::to_value(&model).expect("writes");
    assert!(same_json(&back, &value), "{value} came back as {back}");
    model
}

fn app(id: i64) -> m::App {
    m::App { id, slug: format!("app-{id}"), name: None, owner: None, description: Some(None), external_url: None, html_url: None, additional_properties: BTreeMap::new() }
}

#[test]
fn null_items_values_and_members_read_and_come_back() {
    // GitHub's `/protection/restrictions/apps`: items of a nullable component.
    let apps: Vec<Option<m::App>> = exact(json!([null, {"id": 1, "slug": "app-1", "description": null}]));
    assert_eq!(apps, vec![None, Some(app(1))]);
    // A map whose values are a nullable component.
    let gist: m::Gist = exact(json!({"id": "g", "files": {"gone.txt": null, "kept.txt": {"filename": "kept.txt", "size": 3}}}));
    assert_eq!(gist.files["gone.txt"], None);
    // An inline nullable object as map values (GitHub's gist `files`: `null` deletes a file).
    let patch: m::UpdateGistRequest = exact(json!({"files": {"old.txt": null, "new.txt": {"content": "x", "filename": null}}}));
    assert_eq!(patch.files.as_ref().map(|f| f["old.txt"].is_none()), Some(true));
    // Nullable items of a nullable list field.
    exact::<m::Book>(json!({"title": "t", "subtitle": null, "pages": 1, "edition": null, "author": {"name": "a"}, "translator": null, "tags": [], "awards": null, "reviews": [null, "good"]}));
    // The 3.1 spellings: `type: [object, "null"]` items, `anyOf` with `null` map values, a
    // `prefixItems` member that may be `null`.
    use openapi_31_server::models::openapi_31 as p;
    let plant: p::Plant = exact(json!({"id": 1, "name": "Fern", "kind": "plant", "companions": [null, {"name": "Basil"}], "beds": {"north": null, "south": {"diameter_cm": 20}}, "reading": [null, 18.5]}));
    assert_eq!(plant.reading, Some((None, 18.5)));
    // `null` is still refused where the schema does not admit it.
    assert!(serde_json::from_value::<p::Plant>(json!({"id": 1, "name": "Fern", "kind": "plant", "reading": [1.0, null]})).is_err());
    assert!(serde_json::from_value::<m::Book>(json!({"title": "t", "subtitle": null, "pages": 1, "edition": null, "author": {"name": "a"}, "translator": null, "tags": [null], "awards": null})).is_err());
}

/// Answers what it holds and keeps the gist changes it received.
#[derive(Default)]
struct Store {
    app: Mutex<Option<m::App>>,
    received: Mutex<Vec<Option<m::UpdateGistRequest>>>,
}

impl Operations for Store {
    async fn get_book(&self, _request: GetBookRequest) -> GetBookResponse {
        unreachable!("not called")
    }

    async fn update_book(&self, _request: UpdateBookRequest) -> UpdateBookResponse {
        unreachable!("not called")
    }

    async fn get_app(&self, _request: GetAppRequest) -> GetAppResponse {
        GetAppResponse::Ok(self.app.lock().expect("not poisoned").clone().map(Box::new))
    }

    async fn list_apps(&self, _request: ListAppsRequest) -> ListAppsResponse {
        ListAppsResponse::Ok(vec![None, Some(app(2))])
    }

    async fn update_gist(&self, request: UpdateGistRequest) -> UpdateGistResponse {
        self.received.lock().expect("not poisoned").push(request.body.clone());
        // No changes (`null`) do not apply, and the problem is `null` too.
        let Some(changes) = request.body else { return UpdateGistResponse::UnprocessableEntity(None) };
        let files = changes.files.unwrap_or_default().into_iter().map(|(name, file)| (name, file.map(|f| m::GistFile { filename: f.filename.flatten(), ..Default::default() }))).collect();
        UpdateGistResponse::Ok(m::Gist { id: request.gist_id, files, additional_properties: BTreeMap::new() })
    }
}

async fn serve(store: Arc<Store>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let app = nullable_server::router(store);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

#[tokio::test]
async fn null_items_and_bodies_cross_the_wire_both_ways() {
    let store = Arc::new(Store::default());
    let base = serve(store.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");

    // A nullable answer body: `null` is `None`, an app is `Some`.
    assert_eq!(client.get_app().await.expect("null answers"), None);
    let raw = reqwest::get(format!("{base}/app")).await.expect("answers").text().await.expect("text");
    assert_eq!(raw, "null");
    *store.app.lock().expect("not poisoned") = Some(app(1));
    assert_eq!(client.get_app().await.expect("an app answers"), Some(app(1)));

    // Nullable items of an answer.
    assert_eq!(client.list_apps().await.expect("lists"), vec![None, Some(app(2))]);
    let raw: Value = reqwest::get(format!("{base}/apps")).await.expect("answers").json().await.expect("json");
    assert_eq!(raw, json!([null, {"id": 2, "slug": "app-2", "description": null}]));

    // Nullable map values of a request: a file set to `null` is deleted, and the answer's map
    // holds `null` for it.
    let mut files = BTreeMap::new();
    files.insert("old.txt".to_owned(), None);
    files.insert("new.txt".to_owned(), Some(m::UpdateGistRequestFilesValue { content: Some("x".into()), filename: Some(Some("new.txt".into())), ..Default::default() }));
    let changes = m::UpdateGistRequest { files: Some(files), ..Default::default() };
    let gist = client.update_gist("g1", Some(&changes)).await.expect("applies");
    assert_eq!(gist.files.get("old.txt"), Some(&None));
    assert_eq!(gist.files["new.txt"].as_ref().and_then(|f| f.filename.as_deref()), Some("new.txt"));
    assert_eq!(store.received.lock().expect("not poisoned").last(), Some(&Some(changes)));

    // A nullable request body sent as `null`, and a nullable error body read as `None`.
    match client.update_gist("g1", None).await {
        Err(generator_runtime::client::Error::Api { error: UpdateGistError::UnprocessableEntity(problem), .. }) => assert_eq!(problem, None),
        other => panic!("expected the 422 with a null body, got {other:?}"),
    }
    assert_eq!(store.received.lock().expect("not poisoned").last(), Some(&None));
    let raw = reqwest::Client::new().patch(format!("{base}/gists/g2")).header("content-type", "application/json").body("null").send().await.expect("answers");
    assert_eq!((raw.status().as_u16(), raw.text().await.expect("text")), (422, "null".to_owned()));
    // A required body may be `null`, but not absent.
    let absent = reqwest::Client::new().patch(format!("{base}/gists/g3")).header("content-type", "application/json").send().await.expect("answers");
    assert_eq!(absent.status().as_u16(), 400);
}

#[tokio::test]
async fn a_server_refuses_null_for_an_optional_property_its_schema_does_not_allow() {
    let store = Arc::new(Store::default());
    let base = serve(store.clone()).await;
    let patch = |body: &'static str| reqwest::Client::new().patch(format!("{base}/gists/g1")).header("content-type", "application/json").body(body).send();

    // `description` is optional and not nullable: absent is fine, `null` is not a value of it.
    let refused = patch(r#"{"description": null}"#).await.expect("answers");
    assert_eq!(refused.status().as_u16(), 400);
    let text = refused.text().await.expect("text");
    assert!(text.contains("body.description") && text.contains("null"), "the refusal names the property: {text}");
    // Deeper down, inside a map value: `content` is optional, not nullable; `filename` is nullable.
    let refused = patch(r#"{"files": {"a.txt": {"content": null, "filename": null}}}"#).await.expect("answers");
    assert_eq!(refused.status().as_u16(), 400);
    let text = refused.text().await.expect("text");
    assert!(text.contains("body.files.a.txt.content"), "the refusal names the property: {text}");
    assert!(store.received.lock().expect("not poisoned").is_empty(), "nothing refused reached the implementation");

    let accepted = patch(r#"{"files": {"a.txt": {"filename": null}}}"#).await.expect("answers");
    assert_eq!(accepted.status().as_u16(), 200, "`null` where the schema allows it");
    assert_eq!(store.received.lock().expect("not poisoned").len(), 1);

    // A client stays tolerant: an answer's `null` for an optional property reads as absent.
    let book: m::Book = serde_json::from_value(json!({"title": "t", "subtitle": null, "isbn": null, "pages": 1, "edition": null, "author": {"name": "a"}, "translator": null, "tags": [], "awards": null}))
        .expect("a client reads `null` as absent");
    assert_eq!(book.isbn, None);
}

#[test]
fn a_webhook_body_that_may_be_null_is_sent_as_null() {
    use openapi_31_server::openapi_31::Webhooks;
    let request = Webhooks::pot_emptied("http://127.0.0.1/hooks", None).expect("a valid request");
    assert_eq!(request.body().as_slice(), b"null");
    let pot = openapi_31_server::models::openapi_31::Pot { diameter_cm: Some(12.0), ..Default::default() };
    let request = Webhooks::pot_emptied("http://127.0.0.1/hooks", Some(&pot)).expect("a valid request");
    assert_eq!(request.body().as_slice(), br#"{"diameter_cm":12.0}"#);
}
