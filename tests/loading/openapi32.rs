//! OpenAPI 3.2 is read into the same IR, and what it says that has no place yet is warned about, located.

use super::*;

#[test]
fn openapi_32_is_read_into_the_same_ir_with_what_has_no_place_yet_warned() {
    let (api, warnings) = fixture("openapi-32");
    let file = "tests/fixtures/specs/openapi-32.yaml";
    // `$self` (`https://example.com/specs/library.yaml`) is the base of the document's references:
    // `library.yaml#…` and the absolute URI name the document itself, read from the file read.
    assert_eq!(api.inputs, [file]);
    let loan = api.operations.iter().flat_map(|o| &o.responses).flat_map(|r| &r.content).filter(|c| c.schema.as_deref() == Some("/paths/~1loans~1{book}/additionalOperations/RENEW/responses/200/content/application~1json/schema"));
    assert_eq!(loan.map(|c| c.ty.clone()).collect::<Vec<_>>(), [Some(TypeRef::Named("Loan".into()))]);
    // What carries over: a tag's summary as its label, its parent and kind; a response summary as
    // its description, a media type from `components.mediaTypes` in place, and its example's
    // `dataValue` as the value.
    let tag = |name: &str| api.tags.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("tag {name}"));
    assert_eq!((tag("catalogue").display_name.as_str(), tag("catalogue").kind.as_deref(), tag("catalogue").parent.as_deref()), ("Everything the library holds.", Some("nav"), None));
    assert_eq!((tag("books").display_name.as_str(), tag("books").kind.as_deref(), tag("books").parent.as_deref()), ("Books on the shelves.", Some("nav"), Some("catalogue")));
    assert_eq!((tag("loans").display_name.as_str(), tag("loans").parent.as_deref()), ("Books lent out.", Some("books")));
    let op = |name: &str| api.operations.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("operation {name}"));
    let list = op("list_books");
    assert_eq!(list.responses[0].doc.as_deref(), Some("The books."));
    assert_eq!(list.responses[0].content[0].ty, Some(TypeRef::List(Box::new(named("Book")))));
    assert!(api.examples.iter().any(|e| e.value == serde_json::json!([{"kind": "novel", "title": "Dune"}, {"kind": "atlas", "title": "World"}])), "dataValue is the example");
    // A `serializedValue` that is JSON, with no `dataValue`, is the example's value.
    assert!(api.examples.iter().any(|e| e.value == serde_json::json!({"book": "Dune", "days": 14})), "serializedValue read as the value");
    // `itemSchema` of an event stream types its items (here an event whose `data` is text).
    let feed = api.operations.iter().find(|o| o.name == "loan_feed").expect("loanFeed");
    assert_eq!((feed.responses[0].content[0].sequence, feed.responses[0].content[0].ty.clone()), (Some(generator::ir::Framing::EventStream), Some(TypeRef::String)));
    // The query string, whole, as one parameter given by `content`: a form, and JSON.
    let whole = |op: &Operation| op.params.iter().filter(|p| p.location == ParamLocation::QueryString).map(|p| (p.wire_name.clone(), p.required, p.encoding.clone())).collect::<Vec<_>>();
    assert_eq!(whole(list), [("filter".to_owned(), false, ParamEncoding::Content("application/x-www-form-urlencoded".into()))]);
    assert_eq!(whole(op("list_loans")), [("where".to_owned(), true, ParamEncoding::Content("application/json".into()))]);
    // QUERY and custom methods are operations of their own, named by their method where they
    // have no operationId (`RENEW /loans/{book}`), at their place in the path item.
    let methods: Vec<(&str, &str, &str)> = api.operations.iter().map(|o| (o.method.as_str(), o.path.as_str(), o.name.as_str())).collect();
    assert_eq!(
        methods,
        [
            ("GET", "/books", "list_books"),
            ("QUERY", "/books", "search_books"),
            ("PURGE", "/books", "purge_books"),
            ("GET", "/loans", "list_loans"),
            ("RENEW", "/loans/{book}", "renew_loan"),
            ("POST", "/loans/batch", "lend_batch"),
            ("POST", "/loans/notes", "add_loan_note"),
            ("GET", "/loans/feed", "loan_feed"),
        ]
    );
    assert_eq!((op("search_books").method.clone(), op("renew_loan").method.clone()), (Method::Query, Method::Other("RENEW".into())));
    assert_eq!(op("renew_loan").location.pointer, "/paths/~1loans~1{book}/additionalOperations/RENEW");
    // Servers keep their 3.2 `name`, and a client's default is the first with its variables at
    // their defaults.
    let servers: Vec<(Option<&str>, &str, &str)> = api.servers.iter().map(|s| (s.name.as_deref(), s.url.as_str(), s.default_url.as_str())).collect();
    assert_eq!(
        servers,
        [
            (Some("production"), "https://library.example.com", "https://library.example.com"),
            (Some("branch"), "https://{branch}.library.example.com/{version}", "https://central.library.example.com/v1")
        ]
    );
    assert_eq!(api.servers[1].variables.iter().map(|v| (v.name.as_str(), v.values.len())).collect::<Vec<_>>(), [("branch", 2), ("version", 0)]);
    // A discriminator's `defaultMapping` names the member a value of another tag, or none, is.
    let holding = api.type_def("Holding").expect("Holding");
    let TypeKind::Tagged(tagged) = &holding.kind else { panic!("Holding is tagged: {:?}", holding.kind) };
    assert_eq!(tagged.default.map(|i| &tagged.variants[i].ty), Some(&TypeRef::Named("Book".into())));
    // Every keyword left out is warned about at its place, and nothing else is: each warning is
    // asserted by where it is and what it says, so a keyword dropped in silence fails here.
    let expected = [
        ("83 (#/paths/~1books/additionalOperations/GET)", "`GET` is a method with a field of its own"),
        ("142 (#/paths/~1loans~1batch/post/requestBody/content/multipart~1mixed/itemSchema)", "`itemSchema`"),
        ("144 (#/paths/~1loans~1batch/post/requestBody/content/multipart~1mixed/itemEncoding)", "`itemEncoding`"),
        ("146 (#/paths/~1loans~1batch/post/requestBody/content/multipart~1mixed/prefixEncoding)", "`prefixEncoding`"),
        ("173 (#/paths/~1loans~1notes/post/requestBody/content/multipart~1form-data/encoding/note/encoding)", "`encoding` inside an encoding"),
        ("174 (#/paths/~1loans~1notes/post/requestBody/content/multipart~1form-data/encoding/note/itemEncoding)", "`itemEncoding` inside an encoding"),
        ("176 (#/paths/~1loans~1notes/post/requestBody/content/multipart~1form-data/encoding/note/prefixEncoding)", "`prefixEncoding` inside an encoding"),
        ("197 (#/webhooks/returned/query)", "the `query` operation (HTTP QUERY) outside `paths`"),
        ("237 (#/components/schemas/Loan/xml/nodeType)", "`xml.nodeType` is not used"),
        ("269 (#/components/securitySchemes/oauth/deprecated)", "a security scheme's `deprecated` is not shown"),
        ("270 (#/components/securitySchemes/oauth/oauth2MetadataUrl)", "`oauth2MetadataUrl`"),
        ("272 (#/components/securitySchemes/oauth/flows/deviceAuthorization)", "device authorization"),
    ];
    for (place, says) in expected {
        warned(&warnings, &format!("{file}:{place}"), says);
    }
    let unexpected: Vec<&String> = warnings.iter().filter(|w| !expected.iter().any(|(place, says)| w.starts_with(&format!("warning: {file}:{place}")) && w.contains(says))).collect();
    assert!(unexpected.is_empty(), "warnings nobody expects: {unexpected:#?}");
}

#[test]
fn openapi_32_custom_methods_query_strings_and_parents_that_cannot_be_read_are_left_out_located() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = dir.path().join("odd.yaml");
    std::fs::write(
        &spec,
        r##"openapi: 3.2.0
info: {title: Odd, version: "1"}
tags:
  - {name: a, parent: b}
  - {name: b, parent: a}
  - {name: c, parent: nowhere}
paths:
  /things:
    additionalOperations:
      "NOT A METHOD":
        responses:
          "200": {description: Never read.}
      query:
        responses:
          "200": {description: Never read.}
    get:
      operationId: listThings
      tags: [a, b, c]
      parameters:
        - name: raw
          in: querystring
          content:
            text/plain:
              schema: {type: string}
        - name: bare
          in: querystring
          schema: {type: object}
        - name: sorted
          in: query
          style: cookie
          schema: {type: string}
      responses:
        "200": {description: Listed.}
components:
  schemas:
    A: {type: object, properties: {k: {type: string}}}
    B: {type: object, properties: {k: {type: string}, n: {type: integer}}}
    AOrB:
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
      discriminator: {propertyName: k, defaultMapping: C}
"##,
    )
    .expect("writing the spec");
    let (api, warnings) = tests::lower(&spec.to_string_lossy(), "odd").expect("the API generates");
    let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let has = |at: &str, says: &str| assert!(said.iter().any(|w| w.contains(&format!("(#{at})")) && w.contains(says)), "no warning at {at} saying {says:?}: {said:#?}");
    has("/paths/~1things/additionalOperations/NOT A METHOD", "is no HTTP method name");
    has("/paths/~1things/additionalOperations/query", "a method with a field of its own");
    has("/paths/~1things/get/parameters/0", "given as `text/plain`, which the crates do not read");
    has("/paths/~1things/get/parameters/1", "given by `schema`, where OpenAPI asks for `content`");
    has("/paths/~1things/get/parameters/2/style", "`style: cookie` is a style of cookie parameters only");
    has("/tags/0/parent", "nests the tag in itself");
    has("/tags/2/parent", "`parent: nowhere` of tag `c` is no declared tag");
    has("/components/schemas/AOrB/discriminator/defaultMapping", "`defaultMapping` \"C\" names none of the members");
    assert_eq!(api.operations.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["list_things"]);
    assert_eq!(api.operations[0].params.iter().map(|p| p.wire_name.as_str()).collect::<Vec<_>>(), ["sorted"], "neither query string is read");
    let parents: Vec<Option<&str>> = api.tags.iter().map(|t| t.parent.as_deref()).collect();
    assert_eq!(parents, [None, Some("a"), None], "one link of the cycle is kept, none is left dangling");
}
