//! OpenAPI 3.2 on the wire (`tests/fixtures/specs/openapi-32.yaml`): a `QUERY` operation, custom
//! methods of `additionalOperations` (`PURGE`, `RENEW`) and parameters of the whole query string
//! (`in: querystring`, as a form and as JSON) go from the generated client to the generated server
//! on loopback and back; what the server cannot read is a 400 naming it, and a method a path does
//! not serve a 405 saying which it does.

use std::sync::{Arc, Mutex};

use openapi_32_client::openapi_32::{Client, ListBooksParams, ListLoansParams, PurgeBooksParams};
use openapi_32_server::models::openapi_32 as m;
use openapi_32_server::openapi_32::{
    AddLoanNoteRequest, AddLoanNoteResponse, Books, LendBatchRequest, LendBatchResponse, ListBooksRequest, ListBooksResponse, ListLoansRequest, ListLoansResponse, LoanFeedRequest,
    LoanFeedResponse, Loans, PurgeBooksRequest, PurgeBooksResponse, RenewLoanRequest, RenewLoanResponse, SearchBooksRequest, SearchBooksResponse,
};

/// Answers with what it read; keeps the method of each request it served.
#[derive(Default)]
struct Library {
    methods: Mutex<Vec<String>>,
}

impl Library {
    fn saw(&self, context: &openapi_32_server::Context) {
        if let Ok(mut methods) = self.methods.lock() {
            methods.push(context.method().to_string());
        }
    }
}

fn book(kind: &str, title: String) -> m::Book {
    m::Book { kind: kind.into(), title, additional_properties: Default::default() }
}

impl Books for Library {
    async fn list_books(&self, request: ListBooksRequest) -> ListBooksResponse {
        self.saw(&request.context);
        let filter = request.filter.map(|f| format!("{:?}/{:?}", f.author, f.year)).unwrap_or_default();
        ListBooksResponse::Ok(vec![book("listed", filter)])
    }

    async fn search_books(&self, request: SearchBooksRequest) -> SearchBooksResponse {
        self.saw(&request.context);
        SearchBooksResponse::Ok(vec![book("queried", request.body.author.unwrap_or_default())])
    }

    async fn purge_books(&self, request: PurgeBooksRequest) -> PurgeBooksResponse {
        self.saw(&request.context);
        assert_eq!(request.session.as_deref(), Some("s1%41"), "the cookie of a custom method, `style: cookie`: as it was sent, not decoded");
        PurgeBooksResponse::NoContent
    }
}

impl Loans for Library {
    async fn list_loans(&self, request: ListLoansRequest) -> ListLoansResponse {
        self.saw(&request.context);
        let days = request.where_.overdue.map(|overdue| if overdue { 30 } else { 7 });
        ListLoansResponse::Ok(vec![m::Loan { book: Some(request.where_.reader), days, additional_properties: Default::default() }])
    }

    async fn renew_loan(&self, request: RenewLoanRequest) -> RenewLoanResponse {
        self.saw(&request.context);
        RenewLoanResponse::Ok(m::Loan { book: Some(request.book), days: request.body.map(|b| b.days), additional_properties: Default::default() })
    }

    async fn lend_batch(&self, _: LendBatchRequest) -> LendBatchResponse {
        LendBatchResponse::Accepted(m::Loan { book: None, days: None, additional_properties: Default::default() })
    }

    async fn add_loan_note(&self, _: AddLoanNoteRequest) -> AddLoanNoteResponse {
        AddLoanNoteResponse::NoContent
    }

    async fn loan_feed(&self, _: LoanFeedRequest) -> LoanFeedResponse {
        LoanFeedResponse::Ok(generator_runtime::server::EventStream::from_items(Vec::new()))
    }
}

async fn serve(library: Arc<Library>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let app = openapi_32_server::router(library);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

#[tokio::test]
async fn query_and_custom_methods_go_from_client_to_server_and_back() {
    let library = Arc::new(Library::default());
    let base = serve(library.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");

    let filter = m::Filter { author: Some("Le Guin".into()), year: Some(1969), additional_properties: Default::default() };
    let found = client.search_books(&filter).await.expect("QUERY answers 200");
    assert_eq!(found, [book("queried", "Le Guin".into())]);

    client.purge_books(PurgeBooksParams { session: Some("s1%41".into()) }).await.expect("PURGE answers 204");
    // `style: cookie` values cross as they are: another client's `s1%41` is read as written.
    let purge = reqwest::Method::from_bytes(b"PURGE").expect("a method");
    let raw = reqwest::Client::new().request(purge, format!("{base}/books")).header("cookie", "session=s1%41").send().await.expect("answers");
    assert_eq!(raw.status(), 204);

    let renewal = m::RenewLoanRequest { days: 21, additional_properties: Default::default() };
    let renewed = client.renew_loan("The Dispossessed", &renewal).await.expect("RENEW answers 200");
    assert_eq!((renewed.book.as_deref(), renewed.days), (Some("The Dispossessed"), Some(21)), "a custom method with a path parameter and a body");

    // GET on the same path as QUERY and PURGE still reaches its own operation.
    client.list_books(ListBooksParams { filter: None }).await.expect("GET answers 200");
    let methods = library.methods.lock().expect("lock").clone();
    assert_eq!(methods, ["QUERY", "PURGE", "PURGE", "RENEW", "GET"], "each request reached the operation of its method");
}

#[tokio::test]
async fn a_method_a_path_does_not_serve_is_a_405_saying_which_it_does() {
    let base = serve(Arc::default()).await;
    let http = reqwest::Client::new();
    let method = |name: &str| reqwest::Method::from_bytes(name.as_bytes()).expect("a method");
    let refused = http.request(method("RENEW"), format!("{base}/books")).send().await.expect("answers");
    assert_eq!(refused.status(), 405);
    assert_eq!(refused.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET, HEAD, PURGE, QUERY"));
    let refused = http.request(method("QUERY"), format!("{base}/loans/dune")).send().await.expect("answers");
    assert_eq!(refused.status(), 405);
    assert_eq!(refused.headers().get("allow").and_then(|v| v.to_str().ok()), Some("RENEW"));
    // A standard method the path does not serve too, and the trailing slash is served alike.
    let refused = http.delete(format!("{base}/books")).send().await.expect("answers");
    assert_eq!(refused.status(), 405);
    let served = http.request(method("QUERY"), format!("{base}/books/")).header("content-type", "application/json").body("{}").send().await.expect("answers");
    assert_eq!(served.status(), 200);
}

#[tokio::test]
async fn the_whole_query_string_is_one_typed_parameter_both_ways() {
    let base = serve(Arc::default()).await;
    let client = Client::builder().base_url(&base).build().expect("client");

    // As a form of the object's properties.
    let filter = m::Filter { author: Some("Le Guin & Co".into()), year: Some(1969), additional_properties: Default::default() };
    let listed = client.list_books(ListBooksParams { filter: Some(filter) }).await.expect("200");
    assert_eq!(listed, [book("listed", "Some(\"Le Guin & Co\")/Some(1969)".into())]);

    // As JSON text, required.
    let query = m::LoanQuery { reader: "ursula".into(), overdue: Some(true), additional_properties: Default::default() };
    let loans = client.list_loans(ListLoansParams { where_: query }).await.expect("200");
    assert_eq!((loans[0].book.as_deref(), loans[0].days), (Some("ursula"), Some(30)));

    // What other clients send is read the same way, and what does not read is a 400 naming it.
    let http = reqwest::Client::new();
    let answer: serde_json::Value = http.get(format!("{base}/books?author=Tolkien&year=1954")).send().await.expect("answers").json().await.expect("JSON");
    assert_eq!(answer[0]["title"], "Some(\"Tolkien\")/Some(1954)");
    let bad = http.get(format!("{base}/books?year=soon")).send().await.expect("answers");
    assert_eq!(bad.status(), 400);
    let said = bad.text().await.expect("text");
    assert!(said.contains("querystring.filter.year"), "{said}");
    let bad = http.get(format!("{base}/loans?%7B%22overdue%22%3Atrue%7D")).send().await.expect("answers");
    assert_eq!(bad.status(), 400, "`reader` is required");
    assert!(bad.text().await.expect("text").contains("querystring.where"));
    let missing = http.get(format!("{base}/loans")).send().await.expect("answers");
    assert_eq!(missing.status(), 400, "the query string is required");
}

#[test]
fn a_parent_tags_feature_turns_on_the_features_of_the_tags_nested_in_it() {
    // `loans` is nested in `books`, `books` in `catalogue`, which has no operation of its own.
    for krate in ["models", "client", "server"] {
        let manifest = tests::read(&tests::root().join(format!("tests/fixtures/golden/openapi-32-{krate}/Cargo.toml")));
        let feature = |name: &str| manifest.lines().find(|l| l.starts_with(&format!("{name} = "))).unwrap_or_else(|| panic!("{krate}: no feature `{name}`")).to_owned();
        assert!(feature("catalogue").starts_with(r#"catalogue = ["books""#), "{krate}: {}", feature("catalogue"));
        assert!(feature("books").starts_with(r#"books = ["loans""#), "{krate}: {}", feature("books"));
        assert!(!feature("loans").contains(r#""books""#), "{krate}: a nested tag does not turn on its parent");
    }
}

#[test]
fn a_tag_no_mapping_names_is_the_member_default_mapping_names_and_is_written_back_as_it_came() {
    let novel = serde_json::json!({"kind": "novel", "title": "Dune"});
    let holding: m::Holding = serde_json::from_value(novel.clone()).expect("a novel is a holding");
    assert!(matches!(&holding, m::Holding::Book(book) if book.kind == "novel" && book.title == "Dune"), "{holding:?}");
    assert_eq!(serde_json::to_value(&holding).expect("written"), novel);
    let issue = serde_json::json!({"kind": "periodical", "title": "Library Journal", "issue": 12});
    let holding: m::Holding = serde_json::from_value(issue.clone()).expect("a periodical is a holding");
    assert!(matches!(&holding, m::Holding::Periodical(p) if p.issue == 12), "{holding:?}");
    assert_eq!(serde_json::to_value(&holding).expect("written"), issue);
}

#[test]
fn a_server_of_the_spec_is_chosen_with_its_variables_filled_in_and_a_value_its_enum_lacks_is_refused() {
    use openapi_32_client::openapi_32::SERVERS;
    use openapi_32_client::{ApiClient, ServerError};
    assert_eq!(<Client as ApiClient>::DEFAULT_BASE_URL, SERVERS[0].default_url());
    let branch = SERVERS.iter().find(|s| s.name == Some("branch")).expect("the branch server");
    assert_eq!(branch.default_url(), "https://central.library.example.com/v1");
    assert_eq!(branch.url_with(&[("branch", "north")]).as_deref(), Ok("https://north.library.example.com/v1"));
    assert!(matches!(branch.url_with(&[("branch", "south")]), Err(ServerError::NotAllowed { variable: "branch", .. })));
    let client = Client::builder().base_url(branch.url_with(&[("branch", "north"), ("version", "v2")]).expect("a URL")).build().expect("a client");
    assert!(format!("{client:?}").contains("\"https://north.library.example.com/v2\""), "{client:?}");
}
