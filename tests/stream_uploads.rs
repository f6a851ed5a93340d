//! Request bodies that are streams, between a generated client and a generated server over
//! loopback (real reqwest, real axum): JSON Lines, JSON text sequences and server-sent events sent
//! from a `Stream` of items as they are made, read by the server item by item as they arrive,
//! each held to its schema, a malformed one named by its index without losing the others, none
//! past the body limit; JSON Lines both ways at once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{stream, StreamExt as _};
use generator_runtime::server::{BodyLimit, Incoming, IncomingError, ItemStream};
use generator_runtime::stream::Event;
use serde_json::json;
use stream_uploads_client::stream_uploads::Client;
use stream_uploads_server::models::stream_uploads::{Record, Summary};
use stream_uploads_server::stream_uploads::*;
use tokio::sync::Notify;

/// How long a test waits for what should already have happened.
const PATIENCE: Duration = Duration::from_secs(10);

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn record(id: i64) -> stream_uploads_client::models::stream_uploads::Record {
    serde_json::from_value(json!({"id": id, "name": format!("r{id}")})).expect("a record")
}

fn summary(imported: usize, refused: Vec<String>) -> Summary {
    serde_json::from_value(json!({"imported": imported, "refused": refused})).expect("a summary")
}

/// The server's implementation: it reads each stream item by item, noting each item (or error)
/// as it comes and telling `first_read` once it has the first.
#[derive(Default)]
struct Uploads {
    first_read: Arc<Notify>,
    seen: Mutex<Vec<String>>,
}

impl Uploads {
    /// Reads `items` to their end, noting each; answers what was imported and what was refused.
    async fn read<I>(&self, mut items: Incoming<I>, describe: impl Fn(&I) -> String) -> Summary {
        let (mut imported, mut refused) = (0, Vec::new());
        while let Some(item) = items.next().await {
            match item {
                Ok(item) => {
                    imported += 1;
                    self.seen.lock().expect("lock").push(describe(&item));
                }
                Err(e) => refused.push(e.to_string()),
            }
            if imported + refused.len() == 1 {
                self.first_read.notify_one();
            }
        }
        summary(imported, refused)
    }
}

impl Operations for Uploads {
    async fn import_records(&self, request: ImportRecordsRequest) -> ImportRecordsResponse {
        ImportRecordsResponse::Ok(self.read(request.body, |r: &Record| r.id.to_string()).await)
    }

    async fn echo_records(&self, request: EchoRecordsRequest) -> EchoRecordsResponse {
        // Each record goes back as soon as it is read: the two streams run at once.
        EchoRecordsResponse::Ok(ItemStream::new(request.body.filter_map(|r| async move { r.ok() })))
    }

    async fn replace_records(&self, request: ReplaceRecordsRequest) -> ReplaceRecordsResponse {
        let summary = match request.body {
            Some(body) => self.read(body, |r: &Record| r.id.to_string()).await,
            None => summary(0, vec!["absent".into()]),
        };
        self.seen.lock().expect("lock").push(format!("replaced with {} ({:?})", summary.imported, summary.refused));
        ReplaceRecordsResponse::NoContent
    }

    async fn publish_notes(&self, request: PublishNotesRequest) -> PublishNotesResponse {
        let notes = request.body.map(|e| e.map(|e: Event<String>| format!("{}#{}:{}", e.event.unwrap_or_default(), e.id.unwrap_or_default(), e.data)).unwrap_or_else(|e| e.to_string()));
        PublishNotesResponse::Accepted(notes.collect().await)
    }

    async fn store_documents(&self, request: StoreDocumentsRequest) -> StoreDocumentsResponse {
        StoreDocumentsResponse::Ok(match request.body {
            StoreDocumentsBody::Json(one) => summary(usize::from(one.id > 0), Vec::new()),
            StoreDocumentsBody::Stream(many) => self.read(many, |r: &Record| r.id.to_string()).await,
        })
    }
}

async fn started(uploads: Arc<Uploads>) -> (Client, String) {
    let base = serve(stream_uploads_server::router(uploads)).await;
    (Client::builder().base_url(base.clone()).build().expect("client"), base)
}

/// A stream of `items` that yields the first, then waits for `go` before the rest.
fn held_after_first<T: Send + 'static>(items: Vec<T>, go: Arc<Notify>) -> impl futures_util::Stream<Item = T> + Send + 'static {
    stream::unfold((items.into_iter(), 0usize, go), |(mut items, sent, go)| async move {
        if sent == 1 {
            tokio::time::timeout(PATIENCE, go.notified()).await.expect("the other side has the first item while the rest is held back");
        }
        let item = items.next()?;
        Some((item, (items, sent + 1, go)))
    })
}

#[tokio::test]
async fn records_are_sent_as_they_are_made_and_read_by_the_server_as_they_arrive() {
    let uploads = Arc::new(Uploads::default());
    let (client, _) = started(uploads.clone()).await;
    // The client's stream holds every record after the first until the server has read it.
    let records = held_after_first(vec![record(1), record(2), record(3)], uploads.first_read.clone());
    let summary = client.import_records(records).await.expect("imported");
    assert_eq!((summary.imported, summary.refused.len()), (3, 0));
    assert_eq!(*uploads.seen.lock().expect("lock"), ["1", "2", "3"]);
}

#[tokio::test]
async fn an_item_against_its_schema_is_named_by_index_and_the_others_are_read() {
    let uploads = Arc::new(Uploads::default());
    let (client, _) = started(uploads.clone()).await;
    // `id` has `minimum: 1`, `name` `maxLength: 20`: the client sends what it is given.
    let mut long = record(3);
    long.name = Some("n".repeat(21));
    let summary = client.import_records(stream::iter(vec![record(1), record(0), long, record(4)])).await.expect("imported");
    assert_eq!(summary.imported, 2);
    assert_eq!(summary.refused.len(), 2, "{:?}", summary.refused);
    assert!(summary.refused[0].starts_with("item 1 of the stream: item.id"), "{}", summary.refused[0]);
    assert!(summary.refused[1].starts_with("item 2 of the stream: item.name"), "{}", summary.refused[1]);
    assert_eq!(*uploads.seen.lock().expect("lock"), ["1", "4"]);
}

#[tokio::test]
async fn json_lines_go_both_ways_at_once_each_record_echoed_before_the_next_is_sent() {
    let (client, _) = started(Arc::new(Uploads::default())).await;
    let echoed_first = Arc::new(Notify::new());
    let records = held_after_first(vec![record(1), record(2), record(3)], echoed_first.clone());
    let mut echoed = client.echo_records(records).await.expect("the echo opens");
    let first = tokio::time::timeout(PATIENCE, echoed.next()).await.expect("the first record comes back while the rest is unsent").expect("an item").expect("a record");
    assert_eq!(first.id, 1);
    echoed_first.notify_one();
    let rest: Vec<i64> = echoed.map(|r| r.expect("a record").id).collect().await;
    assert_eq!(rest, [2, 3]);
}

#[tokio::test]
async fn a_json_text_sequence_is_read_and_an_optional_stream_may_be_absent() {
    let uploads = Arc::new(Uploads::default());
    let (client, base) = started(uploads.clone()).await;
    client.replace_records(stream::iter(vec![record(7), record(8)])).await.expect("replaced");
    let absent = reqwest::Client::new().put(format!("{base}/records/sequence")).send().await.expect("answered");
    assert_eq!(absent.status(), 204);
    assert_eq!(*uploads.seen.lock().expect("lock"), ["7", "8", "replaced with 2 ([])", "replaced with 0 ([\"absent\"])"]);
}

#[tokio::test]
async fn server_sent_events_are_sent_with_their_names_and_ids() {
    let (client, _) = started(Arc::new(Uploads::default())).await;
    let events = vec![Event::new("hello".to_owned()).named("note").with_id("1"), Event::new("two\nlines".to_owned()).with_id("2")];
    let notes = client.publish_notes(stream::iter(events)).await.expect("published");
    assert_eq!(notes, ["note#1:hello", "#2:two\nlines"]);
}

#[tokio::test]
async fn a_body_of_json_or_of_json_lines_is_the_callers_choice() {
    let (client, _) = started(Arc::new(Uploads::default())).await;
    let one = client.store_documents(stream_uploads_client::stream_uploads::StoreDocumentsBody::Json(record(5))).await.expect("stored");
    assert_eq!(one.imported, 1);
    let many = client.store_documents(stream_uploads_client::stream_uploads::StoreDocumentsBody::Stream(generator_runtime::stream::ItemStream::from_items(vec![record(1), record(2)]))).await.expect("stored");
    assert_eq!(many.imported, 2);
}

#[tokio::test]
async fn malformed_lines_too_long_items_and_wrong_media_types_are_refused_as_such() {
    let uploads = Arc::new(Uploads::default());
    let app = stream_uploads_server::router(uploads.clone()).layer(axum::Extension(BodyLimit(64)));
    let base = serve(app).await;
    let http = reqwest::Client::new();
    let post = |body: &'static str, content_type: &'static str| http.post(format!("{base}/records")).header("content-type", content_type).body(body).send();

    // A line that is no JSON is that item's error; the item after it is read. A line longer
    // than the limit ends the stream, the items before it kept.
    let long = "{\"id\":3,\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n{\"id\":4}\n";
    let body: &'static str = Box::leak(format!("{{\"id\":1}}\n{{oops\n{{\"id\":2}}\n{long}").into_boxed_str());
    let answer = post(body, "application/x-ndjson; charset=utf-8").await.expect("answered");
    assert_eq!(answer.status(), 200);
    let summary: serde_json::Value = answer.json().await.expect("a summary");
    assert_eq!(summary["imported"], 2, "{summary}");
    let refused = summary["refused"].as_array().expect("refusals");
    assert!(refused[0].as_str().is_some_and(|r| r.starts_with("item 1 of the stream: ")), "{summary}");
    assert_eq!(refused[1], "item 3 of the stream is longer than the limit of 64 bytes", "{summary}");
    assert_eq!(refused.len(), 2, "{summary}");

    let wrong = post("{\"id\":1}", "application/json").await.expect("answered");
    assert_eq!(wrong.status(), 415);
    let missing = http.post(format!("{base}/records")).send().await.expect("answered");
    assert_eq!(missing.status(), 400);
    assert!(missing.text().await.expect("text").contains("a request body is required"));
}

#[tokio::test]
async fn an_incoming_stream_made_in_a_test_hands_over_its_items() {
    let items: Vec<Result<i32, IncomingError>> = Incoming::from_items(vec![1, 2]).collect().await;
    assert_eq!(items, [Ok(1), Ok(2)]);
}

#[tokio::test]
async fn a_streamed_body_is_sent_once_never_retried_where_a_whole_one_would_be() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A server that is busy: every PUT gets a 503 asking for a retry at once.
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().route(
        "/records/sequence",
        axum::routing::put(move || {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                (axum::http::StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "0")], "busy")
            }
        }),
    );
    let base = serve(app).await;
    let client = Client::builder().base_url(base.clone()).build().expect("client");
    let failed = client.replace_records(stream::iter(vec![record(1)])).await;
    assert!(matches!(failed, Err(stream_uploads_client::Error::UnexpectedStatus { status: 503, .. })), "the busy answer comes back: {failed:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the stream went with the first attempt; a PUT is otherwise sent three times");
}
