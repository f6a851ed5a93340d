//! Server-sent events per second through a generated server and a generated client, against a
//! hand-written axum SSE handler read by a hand-written reqwest client, over the same loopback in
//! the same run; and how far the resident memory rises while a stream is read, for 10,000 and for
//! 100,000 events.
//!
//! Run with `cargo bench -p tests --bench streams`. Each side streams 100,000 small events (a
//! `Change` of the `streams` fixture, `{"seq":…,"path":"/p/…"}`), written as JSON and read back
//! into the type as they arrive. Criterion measures the two one after the other; the bench then
//! measures them in alternating rounds and prints the median of the rounds' ratios (the figure to
//! quote), then each side's server alone read by the same hand-written reader (where a difference
//! comes from), and the rise of resident memory of each side at the two stream lengths (flat: it
//! does not grow with the number of events).

use std::hint::black_box;
use std::sync::Arc;

use criterion::Criterion;
use futures_util::{stream, StreamExt as _};
use generator_runtime::server::EventStream;
use generator_runtime::stream::Event;
use streams_server::models::streams::Change;
use streams_server::streams::*;

/// Events per stream.
const EVENTS: u64 = 100_000;

fn change(seq: u64) -> Change {
    Change { seq: seq as i64, path: format!("/p/{seq}"), removed: None, additional_properties: Default::default() }
}

/// Streams `?topic=N` changes (the number of events in the topic), 100,000 by default.
struct Changes;

fn count(topic: Option<&str>) -> u64 {
    topic.and_then(|t| t.parse().ok()).unwrap_or(EVENTS)
}

impl Operations for Changes {
    async fn watch_changes(&self, request: WatchChangesRequest) -> WatchChangesResponse {
        let n = count(request.topic.as_deref());
        WatchChangesResponse::Ok(EventStream::new(stream::iter((0..n).map(|seq| Event::new(change(seq))))))
    }
    async fn complete(&self, _: CompleteRequest) -> CompleteResponse {
        unreachable!("not measured")
    }
    async fn tail_logs(&self, _: TailLogsRequest) -> TailLogsResponse {
        unreachable!("not measured")
    }
    async fn export_records(&self, _: ExportRecordsRequest) -> ExportRecordsResponse {
        unreachable!("not measured")
    }
    async fn export_sequence(&self, _: ExportSequenceRequest) -> ExportSequenceResponse {
        unreachable!("not measured")
    }
}

/// The same stream, written by hand with axum's `Sse`.
fn hand_written() -> axum::Router {
    use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
    #[derive(serde::Deserialize)]
    struct Query {
        topic: Option<String>,
    }
    axum::Router::new().route(
        "/changes",
        axum::routing::get(|axum::extract::Query(query): axum::extract::Query<Query>| async move {
            let n = count(query.topic.as_deref());
            let events = stream::iter((0..n).map(|seq| SseEvent::default().json_data(change(seq))));
            Sse::new(events).keep_alive(KeepAlive::default())
        }),
    )
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// Reads `n` events with the generated client; answers how many came.
async fn generated_read(client: &streams_client::streams::Client, n: u64) -> u64 {
    let mut events = client.watch_changes(streams_client::streams::WatchChangesParams { topic: Some(n.to_string()) }).await.expect("the stream opens");
    let mut read = 0;
    while let Some(event) = events.next().await {
        black_box(event.expect("a change"));
        read += 1;
    }
    read
}

/// Reads `n` events by hand: reqwest's chunks, split at blank lines, each `data:` line parsed.
async fn hand_read(http: &reqwest::Client, base: &str, n: u64) -> u64 {
    let answer = http.get(format!("{base}/changes?topic={n}")).header("accept", "text/event-stream").send().await.expect("the stream opens");
    let mut body = answer.bytes_stream();
    let mut buffer: Vec<u8> = Vec::new();
    let mut read = 0;
    while let Some(chunk) = body.next().await {
        buffer.extend_from_slice(&chunk.expect("a chunk"));
        let mut start = 0;
        while let Some(end) = buffer[start..].windows(2).position(|w| w == b"\n\n") {
            let event = &buffer[start..start + end];
            for line in event.split(|b| *b == b'\n') {
                if let Some(data) = line.strip_prefix(b"data:") {
                    let data = data.strip_prefix(b" ").unwrap_or(data);
                    black_box(serde_json::from_slice::<Change>(data).expect("a change"));
                    read += 1;
                }
            }
            start += end + 2;
        }
        buffer.drain(..start);
    }
    read
}

/// A figure of `/proc/self/status`, in KiB (Linux).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// How far the resident memory rose above where it was while `read` ran, in KiB: the peak is
/// reset first (`/proc/self/clear_refs`, Linux), so each reading is its own run's. `None` where
/// the system does not say.
fn peak_during(runtime: &tokio::runtime::Runtime, read: impl std::future::Future<Output = u64>) -> (u64, Option<(u64, u64)>) {
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_kib("VmRSS:");
    let n = runtime.block_on(read);
    let rise = match (reset, before, status_kib("VmHWM:")) {
        (true, Some(before), Some(peak)) => Some((peak.saturating_sub(before), peak)),
        _ => None,
    };
    (n, rise)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let (generated_base, hand_base) = runtime.block_on(async { (serve(streams_server::router(Arc::new(Changes))).await, serve(hand_written()).await) });
    let client = streams_client::streams::Client::builder().base_url(generated_base.clone()).build().expect("client");
    let http = reqwest::Client::new();
    assert_eq!(runtime.block_on(generated_read(&client, 10)), 10);
    assert_eq!(runtime.block_on(hand_read(&http, &hand_base, 10)), 10);

    let mut criterion = Criterion::default().sample_size(10).configure_from_args();
    let mut group = criterion.benchmark_group("100,000 SSE events over loopback");
    group.throughput(criterion::Throughput::Elements(EVENTS));
    group.bench_function("hand-written axum Sse + reqwest reader (baseline)", |b| b.iter(|| runtime.block_on(hand_read(&http, &hand_base, EVENTS))));
    group.bench_function("generated server + generated client", |b| b.iter(|| runtime.block_on(generated_read(&client, EVENTS))));
    group.finish();
    criterion.final_summary();
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }

    const ROUNDS: usize = 9;
    let time = |read: &dyn Fn() -> u64| {
        let start = std::time::Instant::now();
        assert_eq!(read(), EVENTS);
        start.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let by_hand = time(&|| runtime.block_on(hand_read(&http, &hand_base, EVENTS)));
            let generated = time(&|| runtime.block_on(generated_read(&client, EVENTS)));
            by_hand / generated
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    println!("paired rounds: the generated server and client at {:.3}x the hand-written pair's events/s (quartiles {:.3} to {:.3}, {ROUNDS} rounds of {EVENTS} events)", ratios[ROUNDS / 2], ratios[ROUNDS / 4], ratios[3 * ROUNDS / 4]);
    // Where the difference comes from: each side's server read by the same hand-written reader.
    let mut servers: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let by_hand = time(&|| runtime.block_on(hand_read(&http, &hand_base, EVENTS)));
            let generated = time(&|| runtime.block_on(hand_read(&http, &generated_base, EVENTS)));
            by_hand / generated
        })
        .collect();
    servers.sort_by(f64::total_cmp);
    println!("paired rounds, servers alone: the generated server read by the hand-written reader at {:.3}x the hand-written server's events/s (quartiles {:.3} to {:.3})", servers[ROUNDS / 2], servers[ROUNDS / 4], servers[3 * ROUNDS / 4]);
    for n in [10_000, EVENTS] {
        let (read, generated) = peak_during(&runtime, generated_read(&client, n));
        assert_eq!(read, n);
        let (read, by_hand) = peak_during(&runtime, hand_read(&http, &hand_base, n));
        assert_eq!(read, n);
        let show = |m: Option<(u64, u64)>| m.map_or_else(|| "not known".to_owned(), |(rise, peak)| format!("+{rise} KiB (peak {peak} KiB)"));
        println!("resident memory while {n} events stream (server and client in this process): generated {}, hand-written {}", show(generated), show(by_hand));
    }
}
