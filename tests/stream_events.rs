//! A server-sent event stream of several kinds of event, each named by its `event` (a `oneOf` of
//! event objects, the pattern the OpenAPI 3.2 specification publishes; OpenAI's assistant events
//! are written so): the generated server writes each item's `event`, `id`, `retry` and `data` as
//! the event's fields, and the generated client reads each event back as the typed member it
//! names, over loopback (real axum, real reqwest).

use std::sync::Arc;

use futures_util::StreamExt as _;
use generator_runtime::server::EventStream;
use generator_runtime::stream::Event;
use serde_json::{json, Value};
use stream_events_server::models::stream_events::JobEvent;
use stream_events_server::stream_events::*;

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// The events of a job, as JSON objects of their fields.
fn events() -> Vec<Value> {
    vec![
        json!({"event": "progress", "id": "1", "data": {"percent": 50}}),
        json!({"event": "log", "data": "{\"not\": \"json data, a line of text\"}"}),
        json!({"event": "log", "data": "42"}),
        json!({"event": "progress", "data": {"percent": 100}}),
        json!({"event": "done", "retry": 1500, "data": {"ok": true, "message": "built"}}),
    ]
}

struct Jobs;

impl Operations for Jobs {
    async fn watch_job(&self, request: WatchJobRequest) -> WatchJobResponse {
        if request.id != "j1" {
            return WatchJobResponse::NotFound;
        }
        let items: Vec<Event<JobEvent>> = events().into_iter().map(|e| Event::new(serde_json::from_value(e).expect("an event of the spec"))).collect();
        WatchJobResponse::Ok(EventStream::from_items(items))
    }
}

#[tokio::test]
async fn each_event_crosses_under_its_own_name_and_is_read_as_the_member_it_names() {
    let base = serve(stream_events_server::router(Arc::new(Jobs))).await;

    // On the wire, each item's fields are the event's: no item is wrapped in another's `data`.
    let wire = reqwest::get(format!("{base}/jobs/j1/events")).await.expect("answered").text().await.expect("text");
    assert!(wire.starts_with("event: progress\nid: 1\ndata: {\"percent\":50}\n\n"), "{wire}");
    assert!(wire.contains("event: log\ndata: {\"not\": \"json data, a line of text\"}\n\n"), "{wire}");
    assert!(wire.contains("event: log\ndata: 42\n\n"), "{wire}");
    assert!(wire.contains("event: done\nretry: 1500\ndata: {\"message\":\"built\",\"ok\":true}\n\n") || wire.contains("event: done\nretry: 1500\ndata: {\"ok\":true,\"message\":\"built\"}\n\n"), "{wire}");

    let client = stream_events_client::stream_events::Client::builder().base_url(base).build().expect("client");
    let read: Vec<_> = client.watch_job("j1").await.expect("the stream opens").map(|e| e.expect("a well-formed event")).collect().await;
    let members: Vec<Value> = read.iter().map(|e| serde_json::to_value(&e.data).expect("json")).collect();
    assert_eq!(members, events(), "every event comes back as it was answered, text data as text");
    use stream_events_client::models::stream_events::JobEvent as J;
    assert!(matches!(&read[0].data, J::ProgressEvent(p) if p.data.percent == 50 && p.id.as_deref() == Some("1")));
    assert!(matches!(&read[2].data, J::LogEvent(l) if l.data == "42"), "text that reads as JSON is still the text: {:?}", read[2].data);
    assert!(matches!(&read[3].data, J::ProgressEvent(p) if p.id.is_none()), "an id is not carried over into the next event's own fields");
    assert!(matches!(&read[4].data, J::DoneEvent(d) if d.data.ok && d.retry == Some(1500)));
    assert_eq!(read[4].event.as_deref(), Some("done"));

    let missing = client.watch_job("j2").await;
    assert!(matches!(missing, Err(stream_events_client::Error::Api { status: 404, .. })), "{missing:?}");
}

/// What the IR reads: the item of such a stream is the whole event, the union of its kinds.
#[test]
fn a_one_of_of_event_objects_is_read_as_whole_events() {
    let (api, _) = tests::fixture("stream-events");
    let op = api.operations.iter().find(|o| o.name == "watch_job").expect("watch_job");
    let content = &op.responses[0].content[0];
    assert_eq!(content.sequence, Some(generator::ir::Framing::EventStream));
    assert!(content.whole_events);
    assert_eq!(content.ty, Some(generator::ir::TypeRef::Named("JobEvent".into())));
}
