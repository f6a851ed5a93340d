//! Requests per second of a trivial GET through a generated router (reading and checking the
//! request, calling the implementation, answering its typed response) against a hand-written axum
//! handler for the same route and answer, measured in the same run. Requests go through the routers
//! in process (`tower::ServiceExt::oneshot`), so the figures are the routers' cost, not the network's.
//!
//! Run with `cargo bench -p tests --bench router`; the ratio of the two `time` figures is the
//! generated router's overhead. Criterion measures one after the other, so a machine shared with
//! other work can tilt that ratio by a few percent either way; the bench then measures the two in
//! alternating rounds and prints the median of the rounds' ratios, the figure to quote.

use std::hint::black_box;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use criterion::Criterion;
use refs_server::models::refs as m;
use refs_server::refs::{self, Operations};
use tower::ServiceExt;

/// Answers every post with the same constant post.
struct Constant;

fn post(id: generator_runtime::Uuid) -> m::Post {
    m::Post { id, title: "hello".into(), author_id: None, additional_properties: Default::default() }
}

impl Operations for Constant {
    async fn list_posts(&self, _request: refs::ListPostsRequest) -> refs::ListPostsResponse {
        refs::ListPostsResponse::Ok { body: Default::default(), x_rate_limit_remaining: None }
    }

    async fn create_post(&self, _request: refs::CreatePostRequest) -> refs::CreatePostResponse {
        refs::CreatePostResponse::Created { body: post(uuid::Uuid::nil().into()), location: None }
    }

    async fn get_post(&self, request: refs::GetPostRequest) -> refs::GetPostResponse {
        refs::GetPostResponse::Ok(post(request.post_id))
    }

    async fn delete_post(&self, _request: refs::DeletePostRequest) -> refs::DeletePostResponse {
        refs::DeletePostResponse::NoContent
    }
}

/// The same route and answer, written by hand.
fn hand_written() -> axum::Router {
    axum::Router::new().route("/posts/{id}", axum::routing::get(|axum::extract::Path(id): axum::extract::Path<uuid::Uuid>| async move { axum::Json(post(id.into())) }))
}

fn get(router: &axum::Router, runtime: &tokio::runtime::Runtime) -> u16 {
    runtime.block_on(async {
        let request = Request::get("/posts/67e55044-10b1-426f-9247-bb680e5fe0c8").header("x-request-id", "r1").body(Body::empty()).expect("request");
        let response = router.clone().oneshot(request).await.expect("router answers");
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.expect("body");
        black_box(body);
        status
    })
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let generated = refs_server::router(Arc::new(Constant));
    let by_hand = hand_written();
    assert_eq!(get(&generated, &runtime), 200);
    assert_eq!(get(&by_hand, &runtime), 200);

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("trivial GET /posts/{id}");
    group.bench_function("hand-written axum handler (baseline)", |b| b.iter(|| get(&by_hand, &runtime)));
    group.bench_function("generated router", |b| b.iter(|| get(&generated, &runtime)));
    group.finish();
    criterion.final_summary();
    if !criterion_listing() {
        paired(&generated, &by_hand, &runtime);
    }
}

/// Whether criterion was only asked to list or test the benchmarks (`--list`, `--test`, as
/// `cargo test --benches` does), when no figures are wanted.
fn criterion_listing() -> bool {
    std::env::args().any(|a| a == "--list" || a == "--test")
}

/// The ratio measured in pairs: rounds of the two routers alternate, so that a machine shared
/// with other work slows both alike, and the median of the rounds' ratios is printed.
fn paired(generated: &axum::Router, by_hand: &axum::Router, runtime: &tokio::runtime::Runtime) {
    const ROUNDS: usize = 301;
    const PER_ROUND: u32 = 2_000;
    let time = |router: &axum::Router| {
        let start = std::time::Instant::now();
        for _ in 0..PER_ROUND {
            black_box(get(router, runtime));
        }
        start.elapsed().as_secs_f64() / f64::from(PER_ROUND)
    };
    let mut ratios: Vec<f64> = (0..ROUNDS).map(|_| time(by_hand) / time(generated)).collect();
    ratios.sort_by(f64::total_cmp);
    let (low, median, high) = (ratios[ROUNDS / 4], ratios[ROUNDS / 2], ratios[3 * ROUNDS / 4]);
    println!("paired rounds: the generated router at {median:.3}x the hand-written handler's throughput (quartiles {low:.3} to {high:.3}, {ROUNDS} rounds of {PER_ROUND})");
}
