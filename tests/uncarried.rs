//! Parameters whose schema admits no value their style can carry
//! (`tests/fixtures/specs/uncarried.yaml`): the spec contradicting itself, which the loader warns
//! about where the parameter is written and the round trip counts as not exercised, naming why,
//! rather than failing to make a value for it (Jellyfin's plugin `version`, Box's `mdfilters`).
//! A list of integers in a path is carried (DaniWeb's ids): the round trip once refused every such
//! value, reading the items' text as empty.

use std::sync::Arc;

use generator::emit::harness::operations;
use tests::fixture;
use uncarried_client::models::uncarried::Ids;
use uncarried_client::uncarried::{Client, SearchParams};
use uncarried_server::uncarried::{DeletePluginRequest, DeletePluginResponse, GetAppRequest, GetAppResponse, Operations, SearchRequest, SearchResponse};

fn warned<'a>(warnings: &'a [String], place: &str, says: &str) -> &'a str {
    let found = warnings.iter().find(|w| w.starts_with(&format!("warning: {place}: ")) && w.contains(says));
    found.unwrap_or_else(|| panic!("no warning at {place} saying {says:?} in {warnings:#?}"))
}

#[test]
fn a_parameter_no_request_can_carry_is_warned_about_where_it_is_written() {
    let (api, warnings) = fixture("uncarried");
    let file = "tests/fixtures/specs/uncarried.yaml";
    warned(&warnings, &format!("{file}:36 (#/paths/~1plugins~1{{version}}/delete/parameters/0)"), "every property of `Version` is `readOnly` and it admits no other (`additionalProperties: false`), so a request sends `{}`, which is an empty path segment");
    warned(&warnings, &format!("{file}:49 (#/paths/~1search/get/parameters/1)"), "a list of at least 1 item(s), each a list or an object, which no style spells inside a list; a client can only leave it out");
    let about = |name: &str| warnings.iter().filter(|w| w.contains(&format!("parameter `{name}`"))).count();
    assert_eq!((about("ids"), about("query")), (0, 0), "a list of integers is `1,2,3`; a string is itself: {warnings:#?}");

    let op = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no operation {name}"));
    let skipped = operations::unsupported(&api, op("delete_plugin")).expect("a required parameter no request carries");
    assert!(skipped.contains("admits no value that its encoding can carry"), "{skipped}");
    assert_eq!(operations::unsupported(&api, op("search")), None, "an optional one is left out and the operation exercised");
    assert_eq!(operations::unsupported(&api, op("get_app")), None);
}

/// Says what the server read.
struct Echo;

impl Operations for Echo {
    async fn get_app(&self, request: GetAppRequest) -> GetAppResponse {
        GetAppResponse::Ok(Ids { ids: Some(request.ids), ..Default::default() })
    }

    async fn delete_plugin(&self, _request: DeletePluginRequest) -> DeletePluginResponse {
        DeletePluginResponse::NoContent
    }

    async fn search(&self, request: SearchRequest) -> SearchResponse {
        assert!(request.mdfilters.is_none(), "no client sends it");
        SearchResponse::Ok(Ids { query: request.query_param, ..Default::default() })
    }
}

#[tokio::test]
async fn what_a_style_carries_arrives_and_what_it_cannot_is_left_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, uncarried_server::router(Arc::new(Echo))).await });
    let client = Client::builder().base_url(&base).build().expect("client");
    let apps = client.get_app(vec![1, 160_519]).await.expect("200");
    assert_eq!(apps.ids, Some(vec![1, 160_519]), "`/apps/1,160519`");
    let found = client.search(SearchParams { query_param: Some("cat".into()), mdfilters: None }).await.expect("200");
    assert_eq!(found.query.as_deref(), Some("cat"));
}
