//! The generated server router's behaviour for any API, on a small fixture (`refs-server`) served on
//! loopback and called with reqwest: checks before the implementation, the default error shape, the
//! statuses axum answers itself, and a panicking handler that does not take the server down.

use std::net::SocketAddr;
use std::sync::Arc;

use refs_server::refs::{self, Operations};
use refs_server::{models::refs as m, Credentials, ErrorBody};
use serde_json::{json, Value};

/// A blog whose `delete_post` panics, to prove a handler's panic stays in its request.
struct Blog;

impl Operations for Blog {
    async fn list_posts(&self, request: refs::ListPostsRequest) -> refs::ListPostsResponse {
        let n = request.limit.unwrap_or(20) as usize;
        let posts = (0..n.min(3)).map(|i| m::Post { id: uuid::Uuid::from_u128(i as u128).into(), title: format!("post {i}"), author_id: None, additional_properties: Default::default() }).collect();
        refs::ListPostsResponse::Ok { body: posts, x_rate_limit_remaining: Some(41) }
    }

    async fn create_post(&self, request: refs::CreatePostRequest) -> refs::CreatePostResponse {
        let post = m::Post { id: uuid::Uuid::from_u128(7).into(), title: request.body.title, author_id: None, additional_properties: Default::default() };
        let location = "http://blog.test/posts/00000000-0000-0000-0000-000000000007".parse().ok();
        refs::CreatePostResponse::Created { body: post, location }
    }

    async fn get_post(&self, request: refs::GetPostRequest) -> refs::GetPostResponse {
        match request.context.credentials() {
            Some(Credentials::Bearer(token)) if token == "letmein" => {
                refs::GetPostResponse::Ok(m::Post { id: request.post_id, title: "hello".into(), author_id: request.x_request_id.and_then(|id| id.parse().ok()), additional_properties: Default::default() })
            }
            _ => refs::GetPostResponse::Default { status: 401, body: m::Error { message: "who are you?".into(), additional_properties: Default::default() } },
        }
    }

    async fn delete_post(&self, _request: refs::DeletePostRequest) -> refs::DeletePostResponse {
        panic!("the implementation has a bug")
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, refs_server::router(Arc::new(Blog))).await.expect("serves") });
    format!("http://{addr}")
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON body")
}

#[tokio::test]
async fn typed_requests_reach_the_implementation_and_answers_carry_headers() {
    let base = serve().await;
    let http = reqwest::Client::new();
    let list = http.get(format!("{base}/posts?limit=2")).send().await.expect("sent");
    assert_eq!(list.status(), 200);
    assert_eq!(list.headers()["x-rate-limit-remaining"], "41");
    assert_eq!(json_of(list).await.as_array().map(Vec::len), Some(2));

    let created = http.post(format!("{base}/posts")).json(&json!({"title": "first"})).send().await.expect("sent");
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["location"], "http://blog.test/posts/00000000-0000-0000-0000-000000000007");

    let (id, author) = ("67e55044-10b1-426f-9247-bb680e5fe0c8", "00000000-0000-0000-0000-00000000000a");
    let post = http.get(format!("{base}/posts/{id}")).bearer_auth("letmein").header("X-Request-Id", author).send().await.expect("sent");
    assert_eq!(post.status(), 200);
    assert_eq!(json_of(post).await, json!({"id": id, "title": "hello", "authorId": author}));
    let anonymous = http.get(format!("{base}/posts/{id}")).send().await.expect("sent");
    assert_eq!(anonymous.status(), 401, "the implementation judged the (missing) credentials");
}

#[tokio::test]
async fn requests_that_break_the_spec_are_refused_before_the_implementation() {
    let base = serve().await;
    let http = reqwest::Client::new();
    // The operations document a `default` answer `{message}`: a refusal takes that shape, its
    // message led by the field at fault; a path no operation serves gets the default error shape.
    let check = |status: u16, field: Option<&'static str>| move |response: (u16, Value)| {
        assert_eq!(response.0, status, "{:?}", response.1);
        if let Some(message) = response.1.get("message").and_then(Value::as_str) {
            let field = field.unwrap_or_else(|| panic!("a documented shape where none was expected: {}", response.1));
            assert!(message.starts_with(&format!("{field}: ")), "{}", response.1);
            return;
        }
        let body: ErrorBody = serde_json::from_value(response.1.clone()).unwrap_or_else(|e| panic!("default error shape: {e}: {}", response.1));
        assert_eq!(body.field.as_deref(), field, "{body:?}");
    };
    let send = |request: reqwest::RequestBuilder| async move {
        let response = request.send().await.expect("sent");
        let status = response.status().as_u16();
        (status, json_of(response).await)
    };
    check(400, Some("query.limit"))(send(http.get(format!("{base}/posts?limit=lots"))).await);
    check(400, Some("path.postId"))(send(http.get(format!("{base}/posts/not-a-uuid"))).await);
    check(400, Some("body.title"))(send(http.post(format!("{base}/posts")).header("content-type", "application/json").body("{\"title\": ")).await);
    check(400, Some("body"))(send(http.post(format!("{base}/posts")).header("content-type", "application/json").body("not json")).await);
    check(400, Some("body"))(send(http.post(format!("{base}/posts")).json(&json!({"headline": "x"}))).await);
    check(400, Some("body.title"))(send(http.post(format!("{base}/posts")).json(&json!({"title": 42}))).await);
    check(415, Some("body"))(send(http.post(format!("{base}/posts")).header("content-type", "text/plain").body("title")).await);
    check(404, None)(send(http.get(format!("{base}/nothing/here"))).await);
    check(413, Some("body"))(send(http.post(format!("{base}/posts")).header("content-type", "application/json").body(vec![b' '; refs_server::BODY_LIMIT + 1])).await);

    let wrong_method = http.put(format!("{base}/posts/67e55044-10b1-426f-9247-bb680e5fe0c8")).send().await.expect("sent");
    assert_eq!(wrong_method.status(), 405);
    let allow = wrong_method.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(allow.contains("GET") && allow.contains("DELETE"), "Allow lists the path's methods: {allow}");
    check(405, None)((405, json_of(wrong_method).await));
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_keeps_serving() {
    let base = serve().await;
    let http = reqwest::Client::new();
    let failed = http.delete(format!("{base}/posts/67e55044-10b1-426f-9247-bb680e5fe0c8")).send().await.expect("sent");
    assert_eq!(failed.status(), 500);
    let body: ErrorBody = serde_json::from_value(json_of(failed).await).expect("default error shape");
    assert_eq!(body.detail, "the handler failed");
    let next = http.get(format!("{base}/posts")).send().await.expect("the server still answers");
    assert_eq!(next.status(), 200);
}

#[test]
fn credentials_are_parsed_from_authorization_and_never_shown() {
    let basic = Credentials::parse("Basic YWxpY2U6dG90bzQy").expect("basic");
    assert_eq!(basic, Credentials::Basic { username: "alice".into(), password: "toto42".into() });
    let token = Credentials::parse("Token signature=123abc,repository=\"foo/bar\",access=write").expect("token");
    match &token {
        Credentials::Token { signature, repository, access, .. } => {
            assert_eq!((signature.as_deref(), repository.as_deref(), access.as_deref()), (Some("123abc"), Some("foo/bar"), Some("write")))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(Credentials::parse("Bearer abc"), Some(Credentials::Bearer("abc".into())));
    assert_eq!(Credentials::parse("Basic !!!"), None);
    assert_eq!(Credentials::parse(""), None);
    let shown = format!("{basic:?} {token:?} {:?}", Credentials::Bearer("jwt-secret".into()));
    for secret in ["toto42", "123abc", "jwt-secret"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}
