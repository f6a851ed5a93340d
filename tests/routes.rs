//! Paths a router matches alike (`tests/fixtures/specs/routes.yaml`): GitHub's
//! `/compare/{basehead}` and `/compare/{base}...{head}` are one axum route, which made the
//! generated GitHub server panic as it started ("Overlapping method route"), found by the
//! operations round trip. The server now routes each request to the operation whose path it
//! matches, and reads parameters that share a segment; the generated client calls both.

use std::sync::Arc;

use routes_client::routes::Client;
use routes_server::models::routes::{Comparison, GetFileExt};
use routes_client::models::routes::{Job, JobId, PauseJobOperation, ResumeJobOperation, StartJobXAmzTarget, StopJobXAmzTarget};
use routes_client::routes::{PauseJobParams, ResumeJobParams, ShareLinkParams, StartJobParams, StopJobParams, UntagResourceParams};
use routes_server::routes::{
    CancelJobRequest, CancelJobResponse, CompareJoinedRequest, CompareJoinedResponse, CompareSplitRequest, CompareSplitResponse, GetFileRequest, GetFileResponse, Operations, PauseJobRequest,
    PauseJobResponse, RenameJobRequest, RenameJobResponse, ResumeJobRequest, ResumeJobResponse, ShareLinkRequest, ShareLinkResponse, StartJobRequest, StartJobResponse, StopJobRequest,
    StopJobResponse, UnshareLinkRequest, UnshareLinkResponse, UntagResourceRequest, UntagResourceResponse, UpdateLinkRequest, UpdateLinkResponse,
};
use routes_server::routes::{Books, GetLinkRequest, GetLiteralNoteRequest, GetLiteralNoteResponse, GetNoteRequest, GetNoteResponse, GetNotePinRequest, GetNotePinResponse, GetLinkResponse, GetSharedLinkRequest, GetSharedLinkResponse, GetShelfRequest, GetShelfResponse, ListShelfBooksRequest, ListShelfBooksResponse, Shelves};

/// Says which operation read the request, and what it read.
struct Echo;

fn comparison(operation: &str, first: String, second: Option<String>) -> Comparison {
    Comparison { operation: operation.into(), first: Some(first), second, additional_properties: Default::default() }
}

impl Operations for Echo {
    async fn compare_joined(&self, request: CompareJoinedRequest) -> CompareJoinedResponse {
        CompareJoinedResponse::Ok(comparison("joined", format!("{}:{}", request.owner, request.basehead), None))
    }

    async fn compare_split(&self, request: CompareSplitRequest) -> CompareSplitResponse {
        CompareSplitResponse::Ok(comparison("split", format!("{}:{}", request.owner, request.base), Some(request.head)))
    }

    async fn get_file(&self, request: GetFileRequest) -> GetFileResponse {
        GetFileResponse::Ok(comparison("file", request.name, Some(request.ext.as_str().to_owned())))
    }

    async fn cancel_job(&self, request: CancelJobRequest) -> CancelJobResponse {
        CancelJobResponse::Ok(comparison("cancel", request.name, None))
    }

    async fn rename_job(&self, request: RenameJobRequest) -> RenameJobResponse {
        RenameJobResponse::Ok(comparison("rename", request.name, None))
    }

    async fn untag_resource(&self, request: UntagResourceRequest) -> UntagResourceResponse {
        UntagResourceResponse::Ok(comparison("untag", request.arn, Some(request.tag_keys.join("+"))))
    }

    async fn start_job(&self, request: StartJobRequest) -> StartJobResponse {
        let location = format!("/jobs/{}", request.body.name);
        StartJobResponse::Ok { body: comparison("start", request.body.name, None), location: Some(location) }
    }

    async fn stop_job(&self, request: StopJobRequest) -> StopJobResponse {
        StopJobResponse::Ok(comparison("stop", request.body.job_id, None))
    }

    async fn pause_job(&self, request: PauseJobRequest) -> PauseJobResponse {
        PauseJobResponse::Ok(comparison("pause", request.id, None))
    }

    async fn resume_job(&self, request: ResumeJobRequest) -> ResumeJobResponse {
        ResumeJobResponse::Ok(comparison("resume", request.id, None))
    }

    async fn get_link(&self, request: GetLinkRequest) -> GetLinkResponse {
        GetLinkResponse::Ok(comparison("get", request.id, request.fields))
    }

    async fn get_shared_link(&self, request: GetSharedLinkRequest) -> GetSharedLinkResponse {
        GetSharedLinkResponse::Ok(comparison("shared", request.id, Some(request.fields)))
    }

    async fn update_link(&self, request: UpdateLinkRequest) -> UpdateLinkResponse {
        UpdateLinkResponse::Ok(comparison("update", request.id, None))
    }

    async fn share_link(&self, request: ShareLinkRequest) -> ShareLinkResponse {
        ShareLinkResponse::Ok(comparison("share", request.id, Some(request.fields)))
    }

    async fn unshare_link(&self, request: UnshareLinkRequest) -> UnshareLinkResponse {
        UnshareLinkResponse::Ok(comparison("unshare", request.id, Some(request.fields)))
    }

    async fn get_note_pin(&self, request: GetNotePinRequest) -> GetNotePinResponse {
        GetNotePinResponse::Ok(comparison("pin", request.note_id, Some(request.pin)))
    }

    async fn get_note(&self, request: GetNoteRequest) -> GetNoteResponse {
        GetNoteResponse::Ok(comparison("note", request.note_id, None))
    }

    async fn get_literal_note(&self, _: GetLiteralNoteRequest) -> GetLiteralNoteResponse {
        GetLiteralNoteResponse::Ok(comparison("literal note", String::new(), None))
    }
}

impl Shelves for Echo {
    async fn get_shelf(&self, request: GetShelfRequest) -> GetShelfResponse {
        GetShelfResponse::Ok(comparison("shelf", request.id, None))
    }
}

impl Books for Echo {
    async fn list_shelf_books(&self, request: ListShelfBooksRequest) -> ListShelfBooksResponse {
        ListShelfBooksResponse::Ok(comparison("books", request.id, Some(request.view.as_str().to_owned())))
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    // Built before serving: a router whose routes overlap panics here.
    let app = routes_server::router(Arc::new(Echo));
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

#[tokio::test]
async fn operations_whose_paths_route_alike_each_get_their_own_requests() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let joined = client.compare_joined("octo", "main").await.expect("200");
    assert_eq!((joined.operation.as_str(), joined.first.as_deref(), joined.second.as_deref()), ("joined", Some("octo:main"), None));
    let split = client.compare_split("octo", "main", "dev").await.expect("200");
    assert_eq!((split.operation.as_str(), split.first.as_deref(), split.second.as_deref()), ("split", Some("octo:main"), Some("dev")));
    let file = client.get_file("report.v2", GetFileExt::Pdf).await.expect("200");
    assert_eq!((file.operation.as_str(), file.first.as_deref(), file.second.as_deref()), ("file", Some("report.v2"), Some("pdf")));

    let cancel = client.cancel_job("projects/p/jobs/7").await.expect("200");
    assert_eq!((cancel.operation.as_str(), cancel.first.as_deref()), ("cancel", Some("projects/p/jobs/7")), "a custom method, the name with its slashes escaped");
    let rename = client.rename_job("jobs/8").await.expect("200");
    assert_eq!((rename.operation.as_str(), rename.first.as_deref()), ("rename", Some("jobs/8")));
    let untag = client.untag_resource("arn:aws:x", UntagResourceParams { tag_keys: vec!["a".into(), "b".into()] }).await.expect("200");
    assert_eq!((untag.operation.as_str(), untag.first.as_deref(), untag.second.as_deref()), ("untag", Some("arn:aws:x"), Some("a+b")), "the fragment is no part of the request, the query is");

    // And as any other client writes them, with a trailing slash too.
    let http = reqwest::Client::new();
    for (path, operation) in [("/repos/octo/compare/main...dev", "split"), ("/repos/octo/compare/main...dev/", "split"), ("/repos/octo/compare/main", "joined"), ("/repos/octo/compare/...dev", "joined")] {
        let answer: serde_json::Value = http.get(format!("{base}{path}")).send().await.expect("answers").json().await.expect("JSON");
        assert_eq!(answer["operation"], operation, "{path}: {answer}");
    }
}

/// AWS's JSON protocol serves every action at `POST /`, told apart by the one value of the required
/// `X-Amz-Target` header each declares; others share a path told apart by a query value. Each
/// request reaches its own operation (before, every one reached the first and failed to read
/// another's body), and one that carries no known value gets a 400, not another operation.
#[tokio::test]
async fn operations_sharing_a_path_and_method_are_told_apart_by_their_fixed_parameters() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let started = client.start_job(&Job { name: "nightly".into(), additional_properties: Default::default() }, StartJobParams { x_amz_target: StartJobXAmzTarget::JobsStartJob }).await.expect("200");
    assert_eq!((started.body.operation.as_str(), started.body.first.as_deref()), ("start", Some("nightly")));
    let stopped = client.stop_job(&JobId { job_id: "j-7".into(), additional_properties: Default::default() }, StopJobParams { x_amz_target: StopJobXAmzTarget::JobsStopJob }).await.expect("200");
    assert_eq!((stopped.operation.as_str(), stopped.first.as_deref()), ("stop", Some("j-7")));
    let paused = client.pause_job("j-8", PauseJobParams { operation: PauseJobOperation::Pause }).await.expect("200");
    let resumed = client.resume_job("j-8", ResumeJobParams { operation: ResumeJobOperation::Resume }).await.expect("200");
    assert_eq!((paused.operation.as_str(), resumed.operation.as_str()), ("pause", "resume"));

    let updated = client.update_link("l-1").await.expect("200");
    let shared = client.share_link("l-1", ShareLinkParams { fields: "shared_link".into() }).await.expect("200");
    assert_eq!((updated.operation.as_str(), shared.operation.as_str(), shared.second.as_deref()), ("update", "share", Some("shared_link")), "told apart by the query parameter one requires");

    let http = reqwest::Client::new();
    let unknown = http.post(format!("{base}/")).header("X-Amz-Target", "Jobs.Unknown").json(&serde_json::json!({"jobId": "j"})).send().await.expect("answers");
    assert_eq!(unknown.status(), 400, "an action no operation declares is a bad request");
}

/// A documented response header whose text is beyond ASCII reaches the client as it was answered
/// (it was dropped by the server, which wrote headers as ASCII only).
#[tokio::test]
async fn a_response_header_beyond_ascii_comes_back_as_answered() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let started = client.start_job(&Job { name: "Zoë 東京".into(), additional_properties: Default::default() }, StartJobParams { x_amz_target: StartJobXAmzTarget::JobsStartJob }).await.expect("200");
    assert_eq!(started.location.as_deref(), Some("/jobs/Zoë 東京"));
}

/// Two operations nothing on the wire tells apart (the same method, path and required parameters)
/// are a defect of the spec: the loader says so, located, and which one a server gives the
/// requests to.
#[test]
fn operations_nothing_tells_apart_are_warned_about() {
    let (_, warnings) = tests::fixture("routes");
    let hits: Vec<&String> = warnings.iter().filter(|w| w.contains("cannot be told apart")).collect();
    assert_eq!(hits.len(), 2, "{warnings:#?}");
    assert!(hits.iter().all(|w| w.starts_with("warning: tests/fixtures/specs/routes.yaml:")), "{hits:#?}");
    assert!(hits.iter().any(|w| w.contains("`unshare_link`") && w.contains("a server gives its requests to `share_link`")), "{hits:#?}");
    // A required `fields` does not tell an operation from one that takes `fields` as optional.
    assert!(hits.iter().any(|w| w.contains("`get_shared_link`") && w.contains("a server gives its requests to `get_link`")), "{hits:#?}");
}

/// Operations of different tags on one route (Box's `GET /files/{id}` and its
/// `#get_shared_link`): each tag's routes once held the route alone, and the second tag's
/// operation was never reached. The module serves such a route itself, calling each tag's
/// handler.
#[tokio::test]
async fn operations_of_different_tags_on_one_route_each_get_their_requests() {
    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let shelf = client.get_shelf("s-1").await.expect("200");
    let books = client.list_shelf_books("s-1", routes_client::routes::ListShelfBooksParams { view: routes_client::models::routes::ListShelfBooksView::Books }).await.expect("200");
    assert_eq!((shelf.operation.as_str(), books.operation.as_str(), books.second.as_deref()), ("shelf", "books", Some("books")));
    let http = reqwest::Client::new();
    let slashed: serde_json::Value = http.get(format!("{base}/shelves/s-1/?view=books")).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(slashed["operation"], "books", "with a trailing slash too");
}

/// Specs generated from Express-style routers (Hono's, Koa's) write a path parameter as `:id`,
/// which OpenAPI reads as literal text: the client sent `:id` itself, and axum refused the route,
/// so the generated server panicked as it started. The loader reads it as the `{id}` it means,
/// with a located warning; the client fills it in and the server routes it.
#[tokio::test]
async fn a_path_written_as_express_writes_parameters_is_read_as_a_template() {
    let (_, warnings) = tests::fixture("routes");
    let file = "tests/fixtures/specs/routes.yaml";
    let hit = warnings.iter().find(|w| w.starts_with(&format!("warning: {file}:248 (#/paths/~1notes~1:noteId~1pins~1:pin): ")));
    assert!(hit.is_some_and(|w| w.contains("read it as `/notes/{noteId}/pins/{pin}`")), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.contains("path parameter `pin` is in the path but not declared")), "{warnings:#?}");

    let base = serve().await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let pin = client.get_note_pin("n-1", "p-2").await.expect("200");
    assert_eq!((pin.operation.as_str(), pin.first.as_deref(), pin.second.as_deref()), ("pin", Some("n-1"), Some("p-2")));
}

/// An Express-style path left as written beside its own template (`/notes/:noteId` and
/// `/notes/{noteId}`): its `:noteId` is literal text, which axum refused as a route, so the
/// server panicked as it started. It starts, and each path reaches its own operation.
#[tokio::test]
async fn an_express_path_beside_its_template_is_literal_text_and_the_server_starts() {
    let (_, warnings) = tests::fixture("routes");
    assert!(warnings.iter().any(|w| w.contains("path `/notes/:noteId` writes parameters as Express does") && w.contains("left as written")), "{warnings:#?}");
    let base = serve().await;
    let http = reqwest::Client::new();
    let templated: serde_json::Value = http.get(format!("{base}/notes/n-1")).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!((templated["operation"].as_str(), templated["first"].as_str()), (Some("note"), Some("n-1")));
    let literal: serde_json::Value = http.get(format!("{base}/notes/:noteId")).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(literal["operation"], "literal note");
}
