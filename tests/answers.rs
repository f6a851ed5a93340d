//! Answers real specs describe loosely (`tests/fixtures/specs/answers.yaml`), each found by the
//! operations round trip:
//!
//! - a `204` (or `304`) documented with a body: HTTP never carries one, so a client reading the
//!   documented JSON failed on every such answer ("EOF while parsing", kumpeapps.com's user
//!   list); the loader now leaves that `content` out, with a located warning;
//! - a HEAD answer's documented headers (Azure API Management's `ETag`): the client handed back
//!   only whether the resource exists, and dropped them; it now hands them back;
//! - bodies without a schema (apisetu.gov.in's `application/pdf` certificates, Wolfram|Alpha's
//!   `text/plain`), which the generated client and server carry as bytes and text.
//!
//! The generated client calls the generated server on loopback (real reqwest, real axum).

use std::sync::Arc;

use answers_client::answers::{AskError, AskParams, Client, ListUsersOutput, TagEntityTagError};
use answers_server::answers::{
    AskRequest, AskResponse, CertificateEntityTagRequest, CertificateEntityTagResponse, DownloadCertificateRequest, DownloadCertificateResponse, GetFiltersRequest, GetFiltersResponse,
    ListUsersRequest, ListUsersResponse, Operations, TagEntityTagRequest, TagEntityTagResponse,
};
use generator_runtime::client::Error;
use tests::fixture;

/// Answers from its own fixed data, the status chosen by the request.
struct Registry;

impl Operations for Registry {
    async fn certificate_entity_tag(&self, request: CertificateEntityTagRequest) -> CertificateEntityTagResponse {
        match request.id.as_str() {
            "missing" => CertificateEntityTagResponse::NotFound,
            id => CertificateEntityTagResponse::Ok { e_tag: Some(format!("\"{id}-v1\"")) },
        }
    }

    async fn download_certificate(&self, request: DownloadCertificateRequest) -> DownloadCertificateResponse {
        DownloadCertificateResponse::Ok(format!("%PDF-1.7 certificate {}", request.id).into())
    }

    async fn tag_entity_tag(&self, request: TagEntityTagRequest) -> TagEntityTagResponse {
        match request.id.as_str() {
            "missing" => TagEntityTagResponse::Default { status: 404 },
            id => TagEntityTagResponse::Ok { e_tag: Some(format!("W/\"{id}\"")) },
        }
    }

    async fn ask(&self, request: AskRequest) -> AskResponse {
        match request.input.as_str() {
            "" => AskResponse::Status501,
            input => AskResponse::Ok(format!("{input} is 42")),
        }
    }

    async fn get_filters(&self, _request: GetFiltersRequest) -> GetFiltersResponse {
        GetFiltersResponse::Ok("rule_type,field,value\nexclude,source,example.com".into())
    }

    async fn list_users(&self, _request: ListUsersRequest) -> ListUsersResponse {
        ListUsersResponse::NoContent
    }
}

async fn client() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let app = answers_server::router(Arc::new(Registry));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Client::builder().base_url(format!("http://{address}")).build().expect("client")
}

#[test]
fn a_body_documented_where_http_carries_none_is_left_out_with_a_located_warning() {
    let (api, warnings) = fixture("answers");
    let users = api.operations.iter().find(|o| o.name == "list_users").expect("list_users");
    for code in [204, 304] {
        let response = users.responses.iter().find(|r| r.status == generator::ir::Status::Code(code)).expect("documented");
        assert!(response.content.is_empty(), "the {code} answer has no body");
    }
    let file = "tests/fixtures/specs/answers.yaml";
    for (line, code, section) in [(102, 204, "15.3.5"), (107, 304, "15.4.5")] {
        let place = format!("warning: {file}:{line} (#/paths/~1users/get/responses/{code}/content): ");
        assert!(warnings.iter().any(|w| w.starts_with(&place) && w.contains(&format!("a `{code}` answer has no body (RFC 9110 §{section})"))), "{place} in {warnings:#?}");
    }
}

#[tokio::test]
async fn a_no_content_answer_documented_with_a_body_reads_as_its_status() {
    let client = client().await;
    assert_eq!(client.list_users().await.expect("204"), ListUsersOutput::NoContent {});
}

#[tokio::test]
async fn a_head_call_hands_back_its_documented_headers() {
    let client = client().await;
    let found = client.certificate_entity_tag("c-1").await.expect("200").expect("it exists");
    assert_eq!(found.e_tag.as_deref(), Some("\"c-1-v1\""));
    assert_eq!(client.certificate_entity_tag("missing").await.expect("the documented 404"), None);
    // Without a documented 404 the headers come back as they are, and a 404 is an error.
    let tag = client.tag_entity_tag("t").await.expect("200");
    assert_eq!(tag.e_tag.as_deref(), Some("W/\"t\""));
    match client.tag_entity_tag("missing").await {
        Err(Error::Api { status: 404, error: TagEntityTagError::Default }) => {}
        other => panic!("a 404 the spec leaves to `default`: {other:?}"),
    }
}

#[tokio::test]
async fn bodies_without_a_schema_travel_as_bytes_and_text() {
    let client = client().await;
    let pdf = client.download_certificate("c-1").await.expect("200").collect().await.expect("the download");
    assert_eq!(pdf, b"%PDF-1.7 certificate c-1");
    assert_eq!(client.ask(AskParams { input: "six times seven".into() }).await.expect("200"), "six times seven is 42");
    assert!(matches!(client.ask(AskParams { input: String::new() }).await, Err(Error::Api { status: 501, error: AskError::Status501 })));
    assert_eq!(client.get_filters().await.expect("200"), "rule_type,field,value\nexclude,source,example.com");
}
