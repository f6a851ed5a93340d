//! Streamed answers between generated servers and generated clients, over loopback (real axum,
//! real reqwest): server-sent events typed both ways real specs write them (Hugging Face's Text
//! Generation Inference: the schema is each event's `data`; Mistral AI: the schema is the whole
//! event), JSON Lines and JSON text sequences, with items arriving as the server sends them, a
//! dropped connection resumed from `Last-Event-ID`, malformed items named by their index, and
//! the server's mock streaming generated items.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{stream, StreamExt as _};
use generator_runtime::server::{EventStream, ItemStream};
use generator_runtime::stream::Event;
use serde_json::json;
use tokio::sync::Notify;

/// How long a test waits for an item that should already have come.
const PATIENCE: Duration = Duration::from_secs(10);

/// Serves `app` on a loopback port and answers its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// A stream of `items` that holds back everything after the first until `go` is notified: what
/// proves a client hands over the first item before the stream ends.
fn held_after_first<T: Send + 'static>(items: Vec<T>, go: Arc<Notify>) -> impl futures_util::Stream<Item = T> + Send {
    stream::unfold((items.into_iter(), 0usize, go), |(mut items, sent, go)| async move {
        if sent == 1 {
            go.notified().await;
        }
        let item = items.next()?;
        Some((item, (items, sent + 1, go)))
    })
}

fn value<T: serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).expect("a value of the spec's type")
}

mod tgi {
    use super::*;
    use tgi_server::tgi::*;

    pub struct Tgi {
        pub go: Arc<Notify>,
    }

    fn token(index: i32, text: &str) -> tgi_server::models::tgi::StreamResponse {
        value(json!({"index": index, "token": {"id": index, "text": text, "logprob": -0.5, "special": false}, "generated_text": if text == "!" { json!("Hello world!") } else { json!(null) }}))
    }

    fn chunk(text: &str) -> tgi_server::models::tgi::ChatCompletionChunk {
        value(json!({"id": "c1", "created": 1706270978, "model": "tgi", "system_fingerprint": "2.4.1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": null}]}))
    }

    impl TextGenerationInference for Tgi {
        async fn generate_stream(&self, request: GenerateStreamRequest) -> GenerateStreamResponse {
            assert_eq!(request.body.inputs, "Hello");
            let tokens: Vec<_> = ["Hello", " world", "!"].iter().enumerate().map(|(i, t)| Event::new(token(i as i32, t)).with_id(i.to_string())).collect();
            GenerateStreamResponse::Ok(EventStream::new(held_after_first(tokens, self.go.clone())))
        }

        async fn chat_completions(&self, request: ChatCompletionsRequest) -> ChatCompletionsResponse {
            // The client chose: the stream where its `Accept` asks for one, else the whole answer.
            if request.context.accepts("text/event-stream") {
                let chunks = ["Bonjour", " !"].iter().map(|t| Event::new(chunk(t))).collect();
                return ChatCompletionsResponse::OkStream(EventStream::from_items(chunks));
            }
            ChatCompletionsResponse::Ok(value(json!({
                "id": "c1", "created": 1706270835, "model": "tgi", "system_fingerprint": "2.4.1",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour !"}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}
            })))
        }

        async fn compat_generate(&self, _: CompatGenerateRequest) -> CompatGenerateResponse {
            unreachable!("not called by these tests")
        }
        async fn get_chat_tokenize(&self, _: GetChatTokenizeRequest) -> GetChatTokenizeResponse {
            unreachable!("not called by these tests")
        }
        async fn generate(&self, _: GenerateRequest) -> GenerateResponse {
            unreachable!("not called by these tests")
        }
        async fn health(&self, _: HealthRequest) -> HealthResponse {
            HealthResponse::Ok
        }
        async fn get_model_info(&self, _: GetModelInfoRequest) -> GetModelInfoResponse {
            unreachable!("not called by these tests")
        }
        async fn sagemaker_compatibility(&self, _: SagemakerCompatibilityRequest) -> SagemakerCompatibilityResponse {
            unreachable!("not called by these tests")
        }
        async fn metrics(&self, _: MetricsRequest) -> MetricsResponse {
            MetricsResponse::Ok(String::new())
        }
        async fn tokenize(&self, _: TokenizeRequest) -> TokenizeResponse {
            unreachable!("not called by these tests")
        }
        async fn completions(&self, _: CompletionsRequest) -> CompletionsResponse {
            unreachable!("not called by these tests")
        }
        async fn openai_get_model_info(&self, _: OpenaiGetModelInfoRequest) -> OpenaiGetModelInfoResponse {
            unreachable!("not called by these tests")
        }
    }
}

#[tokio::test]
async fn tgi_tokens_stream_from_the_generated_server_to_the_generated_client_as_they_are_sent() {
    let go = Arc::new(Notify::new());
    let base = serve(tgi_server::router(Arc::new(tgi::Tgi { go: go.clone() }))).await;
    let client = tgi_client::tgi::Client::builder().base_url(base).build().expect("client");
    let mut events = client.generate_stream(&value(json!({"inputs": "Hello"}))).await.expect("the stream opens");
    // The server sends nothing after the first token until this test has read it.
    let first = tokio::time::timeout(PATIENCE, events.next()).await.expect("the first token arrives while the stream is held open").expect("an item").expect("a well-formed item");
    assert_eq!(first.data.token.text, "Hello");
    assert_eq!(first.id.as_deref(), Some("0"));
    go.notify_one();
    let rest: Vec<_> = events.map(|e| e.expect("a well-formed item")).collect().await;
    assert_eq!(rest.iter().map(|e| e.data.token.text.as_str()).collect::<Vec<_>>(), [" world", "!"]);
    assert_eq!(rest[1].data.generated_text, Some(Some("Hello world!".to_owned())));
    assert_eq!(rest.iter().map(|e| e.id.as_deref()).collect::<Vec<_>>(), [Some("1"), Some("2")]);
}

#[tokio::test]
async fn an_operation_documenting_json_and_events_at_one_status_offers_both_and_the_server_answers_what_accept_asks() {
    let base = serve(tgi_server::router(Arc::new(tgi::Tgi { go: Arc::new(Notify::new()) }))).await;
    let client = tgi_client::tgi::Client::builder().base_url(base).build().expect("client");
    let request = value(json!({"messages": [{"role": "user", "content": "Salut"}]}));
    let whole = client.chat_completions(&request).await.expect("the whole answer");
    assert_eq!(whole.usage.total_tokens, 3);
    let chunks: Vec<_> = client.chat_completions_events(&request).await.expect("the stream opens").map(|e| e.expect("a well-formed chunk").data).collect().await;
    assert_eq!(chunks.len(), 2);
    assert_eq!(serde_json::to_value(&chunks[0]).expect("json")["choices"][0]["delta"]["content"], "Bonjour");
}

/// The server's mock (`mock` feature) streams several items made from the schema of one, the
/// same for the same seed; where JSON and a stream share a status, it streams when `Accept` asks.
#[tokio::test]
async fn the_mock_streams_several_generated_items_read_one_by_one_the_same_for_the_same_seed() {
    let tokens = |seed: u64| async move {
        let base = serve(tgi_server::mock::Mock::new(seed).router(tgi_server::mock::Log::Quiet)).await;
        let client = tgi_client::tgi::Client::builder().base_url(base).build().expect("client");
        let mut events = client.generate_stream(&value(json!({"inputs": "Hello"}))).await.expect("the mock's stream opens");
        let mut items = Vec::new();
        while let Some(event) = tokio::time::timeout(PATIENCE, events.next()).await.expect("each item arrives") {
            items.push(serde_json::to_value(event.expect("a well-formed item, typed").data).expect("json"));
        }
        let request = value(json!({"messages": [{"role": "user", "content": "Salut"}]}));
        let chunks: Vec<_> = client.chat_completions_events(&request).await.expect("the stream opens").map(|e| e.expect("a well-formed chunk").data).collect().await;
        client.chat_completions(&request).await.expect("the whole answer, for a request asking for JSON");
        (items, chunks.len())
    };
    let (first, chunks) = tokens(3).await;
    assert_eq!(first.len(), generator_runtime::mock::STREAMED_ITEMS, "{first:?}");
    assert!(first[1] != first[2], "items made anew, not one repeated: {first:?}");
    assert_eq!(chunks, generator_runtime::mock::STREAMED_ITEMS, "the stream beside JSON");
    assert_eq!(tokens(3).await.0, first, "the same seed, the same stream");
    assert_ne!(tokens(4).await.0, first, "another seed, another stream");
}

mod mistral {
    use super::*;
    use mistral_server::mistral::*;

    pub struct Mistral {
        pub go: Arc<Notify>,
    }

    impl BetaConversations for Mistral {
        async fn agents_api_v1_conversations_start_stream(&self, _: AgentsApiV1ConversationsStartStreamRequest) -> AgentsApiV1ConversationsStartStreamResponse {
            // Mistral's events: the name in `event`, the data a union told apart by its `type`.
            let events = vec![
                Event::new(value(json!({"type": "conversation.response.started", "conversation_id": "conv-1"}))).named("conversation.response.started"),
                Event::new(value(json!({"type": "message.output.delta", "id": "m1", "content": "Bonjour"}))).named("message.output.delta"),
                Event::new(value(json!({"type": "conversation.response.done", "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}))).named("conversation.response.done"),
            ];
            AgentsApiV1ConversationsStartStreamResponse::Ok(EventStream::new(held_after_first(events, self.go.clone())))
        }

        async fn agents_api_v1_conversations_append_stream(&self, _: AgentsApiV1ConversationsAppendStreamRequest) -> AgentsApiV1ConversationsAppendStreamResponse {
            unreachable!("not called by these tests")
        }
    }

    impl Chat for Mistral {
        async fn chat_completion_v1_chat_completions_post(&self, request: ChatCompletionV1ChatCompletionsPostRequest) -> ChatCompletionV1ChatCompletionsPostResponse {
            assert!(request.context.accepts("text/event-stream"), "only the stream is asked for here");
            let chunk = |content: &str| Event::new(value(json!({"id": "x", "model": "mistral-small", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]})));
            ChatCompletionV1ChatCompletionsPostResponse::OkStream(EventStream::from_items(vec![chunk("Bon"), chunk("jour")]))
        }
    }

    impl AudioSpeech for Mistral {
        async fn speech_v1_audio_speech_post(&self, _: SpeechV1AudioSpeechPostRequest) -> SpeechV1AudioSpeechPostResponse {
            unreachable!("not called by these tests")
        }
    }

    impl Fim for Mistral {
        async fn fim_completion_v1_fim_completions_post(&self, _: FimCompletionV1FimCompletionsPostRequest) -> FimCompletionV1FimCompletionsPostResponse {
            unreachable!("not called by these tests")
        }
    }

    impl AudioTranscriptions for Mistral {
        async fn audio_api_v1_transcriptions_post_stream(&self, _: AudioApiV1TranscriptionsPostStreamRequest) -> AudioApiV1TranscriptionsPostStreamResponse {
            unreachable!("not called by these tests")
        }
    }

    impl WorkflowsExecutions for Mistral {
        async fn stream_workflow_execution_logs(&self, _: StreamWorkflowExecutionLogsRequest) -> StreamWorkflowExecutionLogsResponse {
            unreachable!("not called by these tests")
        }
    }
}

#[tokio::test]
async fn mistral_whole_events_stream_typed_by_their_data_with_the_event_name_beside_it() {
    use mistral_client::models::mistral::ConversationEventsData;
    let go = Arc::new(Notify::new());
    let base = serve(mistral_server::router(Arc::new(mistral::Mistral { go: go.clone() }))).await;
    let client = mistral_client::mistral::Client::builder().base_url(base).build().expect("client");
    let request = value(json!({"inputs": "Salut", "stream": true}));
    let mut events = client.agents_api_v1_conversations_start_stream(&request).await.expect("the stream opens");
    let first = tokio::time::timeout(PATIENCE, events.next()).await.expect("the first event arrives while the stream is held open").expect("an item").expect("a well-formed item");
    assert_eq!(first.event.as_deref(), Some("conversation.response.started"));
    assert!(matches!(&first.data, ConversationEventsData::ResponseStartedEvent(started) if started.conversation_id == "conv-1"), "{:?}", first.data);
    go.notify_one();
    let rest: Vec<_> = events.map(|e| e.expect("a well-formed item")).collect().await;
    assert_eq!(rest.iter().map(|e| e.event.as_deref()).collect::<Vec<_>>(), [Some("message.output.delta"), Some("conversation.response.done")]);
    assert!(matches!(rest[1].data, ConversationEventsData::ResponseDoneEvent(_)));

    let chat = value(json!({"model": "mistral-small", "messages": [{"role": "user", "content": "Salut"}], "stream": true}));
    let chunks: Vec<_> = client.chat_completion_v1_chat_completions_post_events(&chat).await.expect("the stream opens").map(|e| e.expect("a well-formed chunk").data.id).collect().await;
    assert_eq!(chunks, ["x", "x"]);
}

mod fixture {
    use super::*;
    use streams_server::streams::*;

    /// Changes 1 to 5: the first connection is cut after change 3; one resuming after an id
    /// gets the changes after it.
    pub struct Streams;

    fn change(seq: i64) -> Event<streams_server::models::streams::Change> {
        Event::new(value(json!({"seq": seq, "path": format!("/p/{seq}")}))).with_id(seq.to_string())
    }

    impl Operations for Streams {
        async fn watch_changes(&self, request: WatchChangesRequest) -> WatchChangesResponse {
            if request.topic.as_deref() == Some("missing") {
                return WatchChangesResponse::NotFound(value(json!({"detail": "no such topic"})));
            }
            let after = request.context.headers().get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<i64>().ok());
            match after {
                // Resumed: the rest, and the end of the stream.
                Some(after) => WatchChangesResponse::Ok(EventStream::new(stream::iter((after + 1..=5).map(change)))),
                // First connection: asks for a quick retry, then fails a moment after change 3.
                None => {
                    let first = (1..=3).map(|seq| Ok(if seq == 1 { change(seq).with_retry(Duration::from_millis(20)) } else { change(seq) }));
                    let cut = stream::once(async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err(std::io::Error::other("the source went away"))
                    });
                    WatchChangesResponse::Ok(EventStream::fallible(stream::iter(first).chain(cut)))
                }
            }
        }

        async fn complete(&self, request: CompleteRequest) -> CompleteResponse {
            CompleteResponse::Ok(value(json!({"text": request.body.text})))
        }

        async fn tail_logs(&self, _: TailLogsRequest) -> TailLogsResponse {
            TailLogsResponse::Ok(EventStream::new(stream::iter((0..10_000).map(|i| Event::new(format!("line {i}"))))))
        }

        async fn export_records(&self, _: ExportRecordsRequest) -> ExportRecordsResponse {
            ExportRecordsResponse::Ok(ItemStream::new(stream::iter((1..=3).map(|id| value(json!({"id": id, "name": format!("r{id}")}))))))
        }

        async fn export_sequence(&self, _: ExportSequenceRequest) -> ExportSequenceResponse {
            ExportSequenceResponse::Ok(ItemStream::new(stream::iter((1..=3).map(|id| value(json!({"id": id}))))))
        }
    }
}

async fn streams_client() -> streams_client::streams::Client {
    let base = serve(streams_server::router(Arc::new(fixture::Streams))).await;
    streams_client::streams::Client::builder().base_url(base).build().expect("client")
}

#[tokio::test]
async fn ten_thousand_events_are_read_one_by_one_in_order() {
    let client = streams_client().await;
    let mut events = client.tail_logs().await.expect("the stream opens");
    let mut read = 0;
    while let Some(event) = events.next().await {
        assert_eq!(event.expect("a well-formed event").data, format!("line {read}"));
        read += 1;
    }
    assert_eq!(read, 10_000);
}

#[tokio::test]
async fn a_dropped_connection_is_resumed_from_the_last_event_id_when_allowed_and_reported_when_not() {
    let client = streams_client().await;
    let params = || streams_client::streams::WatchChangesParams { topic: Some("all".into()) };
    let resumed: Vec<_> = client.watch_changes(params()).await.expect("the stream opens").reconnect(2, Duration::from_secs(1)).map(|e| e.expect("every change, across the reconnection")).collect().await;
    assert_eq!(resumed.iter().map(|e| e.data.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(resumed[0].retry, Some(Duration::from_millis(20)));

    let items: Vec<_> = client.watch_changes(params()).await.expect("the stream opens").collect().await;
    assert_eq!(items.len(), 4, "three changes, then the cut");
    assert!(items[..3].iter().all(Result::is_ok), "the changes before the cut are kept");
    assert!(matches!(items[3], Err(streams_client::StreamError::Connection(_))), "{:?}", items[3]);

    let missing = client.watch_changes(streams_client::streams::WatchChangesParams { topic: Some("missing".into()) }).await;
    assert!(matches!(missing, Err(streams_client::Error::Api { status: 404, .. })), "{missing:?}");
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_are_read_record_by_record() {
    let client = streams_client().await;
    let lines: Vec<_> = client.export_records().await.expect("the stream opens").map(|r| r.expect("a well-formed record")).collect().await;
    assert_eq!(lines.iter().map(|r| (r.id, r.name.clone())).collect::<Vec<_>>(), [(1, Some("r1".into())), (2, Some("r2".into())), (3, Some("r3".into()))]);
    let sequence: Vec<_> = client.export_sequence().await.expect("the stream opens").map(|r| r.expect("a well-formed record").id).collect().await;
    assert_eq!(sequence, [1, 2, 3]);
}

#[tokio::test]
async fn a_malformed_item_is_an_error_naming_its_index_and_the_items_around_it_are_kept() {
    // A server that breaks the spec (not a generated one, which cannot): its second event's
    // data is no `Change`, its third record no JSON.
    let app = axum::Router::new()
        .route("/changes", axum::routing::get(|| async { ([("content-type", "text/event-stream")], "data: {\"seq\":1,\"path\":\"/a\"}\n\ndata: {\"seq\":\"two\"}\n\ndata: {\"seq\":3,\"path\":\"/c\"}\n\n") }))
        .route("/records", axum::routing::get(|| async { ([("content-type", "application/x-ndjson")], "{\"id\":1}\n{\"id\":2}\n{oops\n{\"id\":4}\n") }));
    let base = serve(app).await;
    let client = streams_client::streams::Client::builder().base_url(base).build().expect("client");
    let events: Vec<_> = client.watch_changes(Default::default()).await.expect("the stream opens").collect().await;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].as_ref().expect("change 1").data.seq, 1);
    match &events[1] {
        Err(streams_client::StreamError::Item(e)) => {
            assert_eq!(e.index, 1);
            assert!(e.message.contains("invalid type"), "says what is wrong: {}", e.message);
        }
        other => panic!("item 1 is malformed: {other:?}"),
    }
    assert_eq!(events[2].as_ref().expect("change 3").data.seq, 3);
    let records: Vec<_> = client.export_records().await.expect("the stream opens").collect().await;
    assert_eq!(records.len(), 4);
    assert!(matches!(&records[2], Err(streams_client::StreamError::Item(e)) if e.index == 2), "{:?}", records[2]);
    assert_eq!(records[3].as_ref().expect("record 4").id, 4);
}

#[tokio::test]
async fn an_item_that_never_ends_stops_the_stream_at_the_item_limit_instead_of_filling_memory() {
    // A server that breaks the spec: after one event, an event whose data line never ends, and
    // after one record, a record that never ends, each sent in chunks for as long as it is read.
    fn endless(first: &'static str, filler: &'static [u8]) -> axum::body::Body {
        let chunks = stream::once(async move { Ok::<_, std::io::Error>(axum::body::Bytes::from_static(first.as_bytes())) }).chain(stream::repeat_with(move || Ok(axum::body::Bytes::from_static(filler))));
        axum::body::Body::from_stream(chunks)
    }
    let app = axum::Router::new()
        .route("/changes", axum::routing::get(|| async { ([("content-type", "text/event-stream")], endless("data: {\"seq\":1,\"path\":\"/a\"}\n\ndata: [", b"0,0,0,0,0,0,0,0,")) }))
        .route("/records", axum::routing::get(|| async { ([("content-type", "application/x-ndjson")], endless("{\"id\":1}\n{\"id\":", b"0000000000000000")) }));
    let base = serve(app).await;
    let client = streams_client::streams::Client::builder().base_url(base).build().expect("client");
    // Without a limit the reading would never end: the test gives it a minute.
    async fn within<T>(read: impl std::future::Future<Output = T>) -> T {
        tokio::time::timeout(Duration::from_secs(60), read).await.expect("the limit ends the stream")
    }
    let events: Vec<_> = within(client.watch_changes(Default::default()).await.expect("the stream opens").item_limit(64 * 1024).collect()).await;
    assert_eq!(events.len(), 2, "the good event, then the refusal that ends the stream");
    assert_eq!(events[0].as_ref().expect("change 1").data.seq, 1);
    assert!(matches!(events[1], Err(streams_client::StreamError::TooLong { index: 1, limit: 65_536 })), "{:?}", events[1]);
    let records: Vec<_> = within(client.export_records().await.expect("the stream opens").item_limit(64 * 1024).collect()).await;
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].as_ref().expect("record 1").id, 1);
    assert!(matches!(records[1], Err(streams_client::StreamError::TooLong { index: 1, limit: 65_536 })), "{:?}", records[1]);
}

/// The three ways a spec types a stream read into one notion: the content's framing, and the
/// type of one item.
#[test]
fn every_way_a_spec_describes_a_stream_is_read_as_a_sequence_of_typed_items() {
    use generator::ir::{Framing, TypeRef};
    let named = |n: &str| Some(TypeRef::Named(n.into()));
    let items = |fixture: &str| -> Vec<(String, String, Option<Framing>, Option<TypeRef>)> {
        let (api, _) = tests::fixture(fixture);
        let streamed = api.operations.iter().flat_map(|op| op.responses.iter().filter(|r| r.status.is_success()).flat_map(move |r| r.content.iter().map(move |c| (op, c))));
        streamed.map(|(op, c)| (op.name.clone(), c.media_type.clone(), c.sequence, c.ty.clone())).collect()
    };
    // 3.0: the schema is one event's data, or one record.
    let v30 = items("streams");
    assert!(v30.contains(&("watch_changes".into(), "text/event-stream".into(), Some(Framing::EventStream), named("Change"))));
    assert!(v30.contains(&("complete".into(), "application/json".into(), None, named("Completion"))));
    assert!(v30.contains(&("complete".into(), "text/event-stream".into(), Some(Framing::EventStream), named("Token"))));
    assert!(v30.contains(&("tail_logs".into(), "text/event-stream".into(), Some(Framing::EventStream), Some(TypeRef::String))));
    assert!(v30.contains(&("export_records".into(), "application/x-ndjson".into(), Some(Framing::JsonLines), named("Record"))));
    assert!(v30.contains(&("export_sequence".into(), "application/json-seq".into(), Some(Framing::JsonSeq), named("Record"))));
    // 3.1: the schema is the whole event, inline with `$defs` or a component; the item is its data.
    let v31 = items("streams-31");
    assert!(v31.contains(&("job_progress".into(), "text/event-stream".into(), Some(Framing::EventStream), named("JobProgressResponseItem"))));
    assert!(v31.contains(&("chat".into(), "text/event-stream".into(), Some(Framing::EventStream), named("ChatChunk"))));
    // 3.2: `itemSchema`, an event's data typed by `contentSchema`.
    let v32 = items("streams-32");
    assert!(v32.contains(&("ticks".into(), "text/event-stream".into(), Some(Framing::EventStream), named("Tick"))));
    assert!(v32.contains(&("rows".into(), "application/jsonl".into(), Some(Framing::JsonLines), named("Row"))));
    // Where JSON and a stream share a status, the stream's method is named beside the operation's.
    let (api, _) = tests::fixture("streams");
    assert_eq!(api.operations.iter().find(|o| o.name == "complete").and_then(|o| o.stream_name.as_deref()), Some("complete_events"));
}

mod answers {
    use super::*;
    use streams_answers_server::streams_answers::*;

    /// Entries 1 to 3; the first held until the test has read it where `go` is set.
    fn entries(go: Option<Arc<Notify>>) -> EventStream<streams_answers_server::models::streams_answers::Entry> {
        let items: Vec<_> = (1..=3).map(|seq| Event::new(value(json!({"seq": seq, "text": format!("e{seq}")})))).collect();
        match go {
            Some(go) => EventStream::new(held_after_first(items, go)),
            None => EventStream::from_items(items),
        }
    }

    pub struct Answers {
        pub go: Arc<Notify>,
    }

    impl Operations for Answers {
        async fn watch_feed(&self, _: WatchFeedRequest) -> WatchFeedResponse {
            WatchFeedResponse::Ok { body: entries(Some(self.go.clone())), x_request_id: Some("req-1".into()), x_rate_limit_remaining: Some(41) }
        }

        async fn export_rows(&self, _: ExportRowsRequest) -> ExportRowsResponse {
            ExportRowsResponse::Ok { body: ItemStream::new(stream::iter((1..=3).map(|seq| value(json!({"seq": seq, "text": "r"}))))), x_total_count: Some(3) }
        }

        async fn ask(&self, request: AskRequest) -> AskResponse {
            if request.context.accepts("text/event-stream") {
                return AskResponse::OkStream { body: entries(None), x_request_id: Some("req-2".into()) };
            }
            AskResponse::Ok { body: value(json!({"text": request.body.text})), x_request_id: Some("req-3".into()) }
        }

        async fn start_job(&self, request: StartJobRequest) -> StartJobResponse {
            match request.body.text.as_str() {
                "quick" => StartJobResponse::Ok(value(json!({"text": "done"}))),
                "long" => {
                    let progress = [10, 60, 100].map(|percent| Event::new(value(json!({"percent": percent})))).to_vec();
                    StartJobResponse::Accepted { body: EventStream::new(held_after_first(progress, self.go.clone())), x_job_id: Some("job-7".into()) }
                }
                _ => StartJobResponse::BadRequest(value(json!({"detail": "no such job"}))),
            }
        }

        async fn open_session(&self, request: OpenSessionRequest) -> OpenSessionResponse {
            if request.id == "new" {
                return OpenSessionResponse::Created(value(json!({"id": "s-1"})));
            }
            OpenSessionResponse::Ok(entries(None))
        }

        async fn search(&self, request: SearchRequest) -> SearchResponse {
            if request.body.text == "later" {
                return SearchResponse::Accepted(value(json!({"id": "s-2"})));
            }
            if request.context.accepts("text/event-stream") {
                return SearchResponse::OkStream { body: entries(None), x_request_id: Some("req-4".into()) };
            }
            SearchResponse::Ok { body: value(json!({"text": "hits"})), x_request_id: Some("req-5".into()) }
        }
    }
}

async fn answers_client(go: Arc<Notify>) -> streams_answers_client::streams_answers::Client {
    let base = serve(streams_answers_server::router(Arc::new(answers::Answers { go }))).await;
    streams_answers_client::streams_answers::Client::builder().base_url(base).build().expect("client")
}

#[tokio::test]
async fn the_headers_documented_beside_a_stream_are_sent_by_the_server_and_read_typed_by_the_client_before_the_items() {
    let go = Arc::new(Notify::new());
    let client = answers_client(go.clone()).await;
    let mut feed = client.watch_feed().await.expect("the stream opens");
    // The headers are at hand before any item, while the server holds back all but the first.
    assert_eq!(feed.x_request_id.as_deref(), Some("req-1"));
    assert_eq!(feed.x_rate_limit_remaining, Some(41_i32));
    let first = tokio::time::timeout(PATIENCE, feed.body.next()).await.expect("the first entry arrives while the stream is held open").expect("an item").expect("a well-formed item");
    assert_eq!(first.data.seq, 1);
    go.notify_one();
    let rest: Vec<_> = feed.body.map(|e| e.expect("a well-formed item").data.seq).collect().await;
    assert_eq!(rest, [2, 3]);

    let rows = client.export_rows().await.expect("the stream opens");
    assert_eq!(rows.x_total_count, Some(3_i64));
    let seqs: Vec<_> = rows.body.map(|r| r.expect("a well-formed record").seq).collect().await;
    assert_eq!(seqs, [1, 2, 3]);

    // A stream beside JSON at one status: both methods read the status's headers.
    let question = value(json!({"text": "why"}));
    let whole = client.ask(&question).await.expect("the whole answer");
    assert_eq!((whole.body.text.as_str(), whole.x_request_id.as_deref()), ("why", Some("req-3")));
    let events = client.ask_events(&question).await.expect("the stream opens");
    assert_eq!(events.x_request_id.as_deref(), Some("req-2"));
    assert_eq!(events.body.map(|e| e.expect("a well-formed item").data.seq).collect::<Vec<_>>().await, [1, 2, 3]);
}

#[tokio::test]
async fn a_stream_beside_other_success_statuses_is_one_typed_variant_its_items_read_as_they_arrive() {
    use streams_answers_client::streams_answers::{OpenSessionOutput, SearchOutput, StartJobError, StartJobOutput};
    let go = Arc::new(Notify::new());
    let client = answers_client(go.clone()).await;
    // 200 JSON beside 202 events.
    match client.start_job(&value(json!({"text": "quick"}))).await.expect("an answer") {
        StartJobOutput::Ok { body } => assert_eq!(body.text, "done"),
        other => panic!("200 is done at once: {other:?}"),
    }
    match client.start_job(&value(json!({"text": "long"}))).await.expect("an answer") {
        StartJobOutput::Accepted { body: mut progress, x_job_id } => {
            assert_eq!(x_job_id.as_deref(), Some("job-7"));
            let first = tokio::time::timeout(PATIENCE, progress.next()).await.expect("the first progress arrives while the stream is held open").expect("an item").expect("a well-formed item");
            assert_eq!(first.data.percent, 10);
            go.notify_one();
            let rest: Vec<_> = progress.map(|e| e.expect("a well-formed item").data.percent).collect().await;
            assert_eq!(rest, [60, 100]);
        }
        other => panic!("202 streams its progress: {other:?}"),
    }
    let refused = client.start_job(&value(json!({"text": "what"}))).await;
    assert!(matches!(&refused, Err(streams_answers_client::Error::Api { status: 400, error: StartJobError::BadRequest(problem) }) if problem.detail == "no such job"), "{refused:?}");

    // 200 events beside 201 JSON.
    match client.open_session("new").await.expect("an answer") {
        OpenSessionOutput::Created { body } => assert_eq!(body.id, "s-1"),
        other => panic!("201 is the new session: {other:?}"),
    }
    match client.open_session("old").await.expect("an answer") {
        OpenSessionOutput::Ok { body } => assert_eq!(body.map(|e| e.expect("a well-formed item").data.seq).collect::<Vec<_>>().await, [1, 2, 3]),
        other => panic!("200 streams the entries: {other:?}"),
    }

    // JSON and events at 200, JSON at 202: the plain method asks for JSON, the other for events;
    // each hands back whichever documented answer came.
    let question = value(json!({"text": "rust"}));
    match client.search(&question).await.expect("an answer") {
        SearchOutput::Ok { body, x_request_id } => assert_eq!((body.text.as_str(), x_request_id.as_deref()), ("hits", Some("req-5"))),
        other => panic!("200 as JSON: {other:?}"),
    }
    match client.search_events(&question).await.expect("an answer") {
        SearchOutput::OkStream { body, x_request_id } => {
            assert_eq!(x_request_id.as_deref(), Some("req-4"));
            assert_eq!(body.map(|e| e.expect("a well-formed item").data.seq).collect::<Vec<_>>().await, [1, 2, 3]);
        }
        other => panic!("200 as events: {other:?}"),
    }
    match client.search_events(&value(json!({"text": "later"}))).await.expect("an answer") {
        SearchOutput::Accepted { body } => assert_eq!(body.id, "s-2"),
        other => panic!("202 asked for events all the same: {other:?}"),
    }
}

/// The server's mock answers a stream beside other statuses and headers too.
#[tokio::test]
async fn the_mock_streams_beside_headers_and_other_statuses() {
    let base = serve(streams_answers_server::mock::Mock::new(5).router(streams_answers_server::mock::Log::Quiet)).await;
    let client = streams_answers_client::streams_answers::Client::builder().base_url(base).build().expect("client");
    let feed = client.watch_feed().await.expect("the mock's stream opens");
    assert!(feed.x_request_id.is_some(), "a required header is made");
    let items: Vec<_> = feed.body.map(|e| e.expect("a well-formed item")).collect().await;
    assert_eq!(items.len(), generator_runtime::mock::STREAMED_ITEMS);
}
