//! Every parameter style and body media type on both sides of the wire: the generated client of
//! `tests/fixtures/specs/wire.yaml` sends to its generated router on loopback (real reqwest, real
//! axum), the implementation receives exactly the typed values sent, and the request on the wire
//! is exactly what the OpenAPI specification's style examples say it is. Malformed requests get a
//! 4xx naming what is wrong, never a 500.

use std::sync::{Arc, Mutex};

use wire_client::models::wire as m;
use wire_client::wire::{Client, CreatePetBody, StylesParams};
use wire_server::wire::{
    Bodies, CreateFeedRequest, CreateFeedResponse, CreateNoteRequest, CreateNoteResponse, CreatePetRequest, CreatePetResponse, DownloadBlobRequest, DrawShapeRequest, DrawShapeResponse, DownloadBlobResponse, GetArchiveRequest, GetArchiveResponse, GetImportRequest, GetImportResponse, Params,
    ReadNoteRequest, ReadNoteResponse, StylesRequest, StylesResponse, TypeaheadRequest, TypeaheadResponse, UpdateAvatarsRequest, UpdateAvatarsResponse, UpdateBlobsRequest, UpdateBlobsResponse, UploadRequest, UploadResponse,
};

/// What the implementation received: the typed request and, from its context, the raw path,
/// query, headers and cookie as they came over the wire.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<(StylesRequest, String, String)>>,
    /// The bytes of the last file or blob received.
    bytes: Mutex<Vec<u8>>,
}

impl Bodies for Recorder {
    async fn create_pet(&self, request: CreatePetRequest) -> CreatePetResponse {
        use wire_server::wire::CreatePetBody as B;
        let (pet, media) = match request.body {
            B::Json(pet) => (pet, "json"),
            B::Form(pet) => (pet, "form"),
            B::Multipart(pet) => (pet, "multipart"),
        };
        CreatePetResponse::Created(Box::new(m::Received { pet, media: media.into(), additional_properties: Default::default() }))
    }

    async fn upload(&self, request: UploadRequest) -> UploadResponse {
        let upload = request.body;
        let receipt = m::Receipt { title: Some(upload.title), size: Some(upload.photo.len() as i64), where_: upload.where_, count: upload.count, labels: upload.labels, ..Default::default() };
        *self.bytes.lock().expect("not poisoned") = upload.photo.into_inner();
        UploadResponse::Ok(Box::new(receipt))
    }

    async fn update_avatars(&self, request: UpdateAvatarsRequest) -> UpdateAvatarsResponse {
        let body = request.body;
        UpdateAvatarsResponse::Ok(Box::new(m::Receipt { size: body.avatar.map(|a| a.len() as i64), text: body.note, ..Default::default() }))
    }

    async fn update_blobs(&self, request: UpdateBlobsRequest) -> UpdateBlobsResponse {
        let size = request.body.len() as i64;
        *self.bytes.lock().expect("not poisoned") = request.body.into_inner();
        UpdateBlobsResponse::Ok(Box::new(m::Receipt { size: Some(size), ..Default::default() }))
    }

    async fn draw_shape(&self, _request: DrawShapeRequest) -> DrawShapeResponse {
        DrawShapeResponse::NoContent
    }

    async fn create_feed(&self, request: CreateFeedRequest) -> CreateFeedResponse {
        CreateFeedResponse::Ok(request.body)
    }

    async fn create_note(&self, request: CreateNoteRequest) -> CreateNoteResponse {
        CreateNoteResponse::Ok(Box::new(m::Receipt { text: request.body, ..Default::default() }))
    }

    async fn download_blob(&self, request: DownloadBlobRequest) -> DownloadBlobResponse {
        if request.id != 1 {
            return DownloadBlobResponse::NotFound(m::Problem { field: Some("path.id".into()), message: Some("no such blob".into()), additional_properties: Default::default() });
        }
        // Streamed in 64 KiB chunks, never held whole by the server.
        let chunks = blob().chunks(64 << 10).map(|c| Ok::<_, std::io::Error>(axum::body::Bytes::copy_from_slice(c))).collect::<Vec<_>>();
        DownloadBlobResponse::Ok(axum::body::Body::from_stream(futures_util::stream::iter(chunks)))
    }

    async fn get_archive(&self, request: GetArchiveRequest) -> GetArchiveResponse {
        GetArchiveResponse::Status302 { location: Some(format!("/notes/{}", request.id)) }
    }

    async fn read_note(&self, request: ReadNoteRequest) -> ReadNoteResponse {
        // No `content_length` here: HTTP writes it.
        ReadNoteResponse::Ok { body: format!("note {}\nwith two lines ✓", request.id), x_note_version: Some(3) }
    }
}

/// 2 MiB that are not one byte repeated.
fn blob() -> Vec<u8> {
    (0..2u32 << 20).map(|i| (i.wrapping_mul(40_503) >> 7) as u8).collect()
}

impl Params for Recorder {
    async fn typeahead(&self, request: TypeaheadRequest) -> TypeaheadResponse {
        TypeaheadResponse::Ok(Box::new(m::Receipt { count: request.count, ..Default::default() }))
    }

    async fn get_import(&self, request: GetImportRequest) -> GetImportResponse {
        GetImportResponse::Ok(Box::new(m::Receipt { count: Some(request.id), ..Default::default() }))
    }

    async fn styles(&self, request: StylesRequest) -> StylesResponse {
        let uri = request.context.uri();
        let (path, query) = (uri.path().to_owned(), uri.query().unwrap_or_default().to_owned());
        self.seen.lock().expect("not poisoned").push((request, path, query));
        StylesResponse::NoContent
    }
}

async fn serve(recorder: Arc<Recorder>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    // Uploads of a few MiB: the body limit is the server's to set.
    let app = wire_server::router(recorder).layer(axum::Extension(generator_runtime::server::BodyLimit(8 << 20)));
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn point(x: i64, y: i64) -> m::Point {
    m::Point { x, y, additional_properties: Default::default() }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn every_style_round_trips_typed_and_exact_on_the_wire() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let filter = m::Filter { status: Some(m::FilterStatus::Open), tags: Some(strings(&["a", "b c"])), owner: Some(m::Owner { name: Some("Zoë".into()), additional_properties: Default::default() }), additional_properties: Default::default() };
    let params = StylesParams {
        listed: Some(strings(&["blue", "black", "brown"])),
        repeated: Some(vec![3, 4]),
        spaced: Some(strings(&["blue", "black", "brown"])),
        piped: Some(strings(&["blue", "black", "brown"])),
        filter: Some(filter.clone()),
        point: Some(point(1, 2)),
        where_: Some(point(3, 4)),
        label: Some("a \"quoted\" label".into()),
        x_owner: Some(m::Owner { name: Some("Ann".into()), additional_properties: Default::default() }),
        next: Some("/a/b?c=d".into()),
        size: Some(m::StylesSize::Integer(3)),
        options: Some([("quality".to_owned(), "high".to_owned())].into()),
        affects: Some(m::StylesAffects::List(strings(&["x", "y"]))),
        x_tags: Some(strings(&["x", "y"])),
        x_point: Some(point(5, 6)),
        session: Some("s3ss10n".into()),
        prefs: Some(strings(&["dark", "compact"])),
    };
    let color = m::Rgb { r: 100, g: 200, b: 150, additional_properties: Default::default() };
    client.styles(vec![3, 4, 5], color.clone(), strings(&["blue", "black"]), params.clone()).await.expect("204");

    let seen = recorder.seen.lock().expect("not poisoned");
    let [(request, path, query)] = seen.as_slice() else { panic!("one request") };
    // Typed, exactly as sent.
    assert_eq!((&request.ids, &request.color, &request.tags), (&vec![3, 4, 5], &color, &strings(&["blue", "black"])));
    assert_eq!(request.listed, params.listed);
    assert_eq!(request.repeated, params.repeated);
    assert_eq!(request.spaced, params.spaced);
    assert_eq!(request.piped, params.piped);
    assert_eq!(request.filter, params.filter);
    assert_eq!(request.point, params.point);
    assert_eq!(request.where_, params.where_);
    assert_eq!((&request.label, &request.x_owner), (&params.label, &params.x_owner), "values given by `content` are JSON");
    assert_eq!(request.next, params.next);
    assert_eq!(request.size, params.size, "a union member read back as itself");
    assert_eq!(request.options, params.options, "an exploded map takes no other parameter's pair");
    assert_eq!(request.affects, params.affects);
    assert_eq!(request.x_tags, params.x_tags);
    assert_eq!(request.x_point, params.x_point);
    assert_eq!(request.session, params.session);
    assert_eq!(request.prefs, params.prefs);

    // On the wire, as the specification's "Style Examples" write them: simple, label (exploded
    // object) and matrix (exploded array) in the path...
    assert_eq!(path, "/styles/3,4,5/.R=100.G=200.B=150/;tags=blue;tags=black");
    // ...form (exploded and not), spaceDelimited, pipeDelimited, deepObject (nested, the common
    // `[]` form for arrays), content (JSON) and allowReserved in the query.
    for piece in [
        "listed=blue,black,brown",
        "repeated=3&repeated=4",
        "spaced=blue%20black%20brown",
        "piped=blue|black|brown",
        "filter[status]=open&filter[tags][]=a&filter[tags][]=b%20c&filter[owner][name]=Zo%C3%AB",
        "point=x,1,y,2",
        "where=%7B%22x%22%3A3%2C%22y%22%3A4%7D",
        "next=/a/b?c=d",
        "size=3",
        "quality=high",
        "affects=x&affects=y",
        "label=%22a%20%5C%22quoted%5C%22%20label%22",
    ] {
        assert!(query.split('&').collect::<Vec<_>>().windows(piece.split('&').count()).any(|w| w.join("&") == piece), "`{piece}` in `{query}`");
    }
    let headers = request.context.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!((header("x-tags"), header("x-point")), ("x,y".to_owned(), "x=5,y=6".to_owned()), "simple headers, the object exploded");
    assert_eq!(header("x-owner"), r#"{"name":"Ann"}"#);
    let cookie = header("cookie");
    assert!(cookie.contains("session=s3ss10n") && cookie.contains("prefs=dark,compact"), "form cookies: {cookie}");
}

#[tokio::test]
async fn a_parameter_that_does_not_read_is_a_400_naming_it() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let http = reqwest::Client::new();
    let get = |tail: &str| http.get(format!("{base}/styles/1,2/.R=1.G=2.B=3/;tags=a{tail}")).send();
    let ok = get("").await.expect("answers");
    assert_eq!(ok.status(), 204);
    for (tail, field) in [
        ("?repeated=3&repeated=x", "query.repeated[1]"),
        ("?filter[status]=ajar", "query.filter"),
        ("?point=x,1,y", "query.point"),
        ("?listed=%E0%A4%A", "query.listed"),
    ] {
        let answer = get(tail).await.expect("answers");
        assert_eq!(answer.status(), 400, "{tail}");
        let body: serde_json::Value = answer.json().await.expect("the documented Problem");
        assert!(body["message"].as_str().is_some_and(|m| m.contains(field)), "{tail}: {body}");
    }
    let bad_path = http.get(format!("{base}/styles/1,x/.R=1.G=2.B=3/;tags=a")).send().await.expect("answers");
    assert_eq!(bad_path.status(), 400);
    let body: serde_json::Value = bad_path.json().await.expect("JSON");
    assert!(body["message"].as_str().is_some_and(|m| m.contains("path.ids[1]")), "{body}");
    let missing_label = http.get(format!("{base}/styles/1/R=1/;tags=a")).send().await.expect("answers");
    assert_eq!(missing_label.status(), 400, "a label value starts with `.`");
    assert_eq!(recorder.seen.lock().expect("not poisoned").len(), 1, "only the good request reached the implementation");
}

/// A request the spec admits reaches the handler, and one it does not gets a 400 that says what
/// is wrong in the shape the operation documents: Asana's `{errors: [{message}]}` was answered
/// `{}` (a 400 documented without a body stays without one). A bound stated only in prose is no
/// rule (Asana's `count`, "a maximum of 100", schema `integer`, was refused at 44381).
#[tokio::test]
async fn a_bad_request_is_told_what_is_wrong_and_a_good_one_reaches_the_handler() {
    let base = serve(Arc::new(Recorder::default())).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let admitted = client.typeahead(wire_client::wire::TypeaheadParams { count: Some(44_381) }).await.expect("200: the schema admits any integer");
    assert_eq!(admitted.count, Some(44_381));
    let http = reqwest::Client::new();
    let listed = http.get(format!("{base}/typeahead?count=many")).send().await.expect("answers");
    assert_eq!(listed.status(), 400);
    let body: serde_json::Value = listed.json().await.expect("the documented shape");
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.starts_with("query.count: ")), "{body}");
    let bodiless = http.get(format!("{base}/imports/seven")).send().await.expect("answers");
    assert_eq!(bodiless.status(), 400);
    assert_eq!(bodiless.text().await.expect("text"), "", "a 400 documented without a body is answered as documented");
    assert_eq!(client.get_import(7).await.expect("200").count, Some(7));
}

fn pet() -> m::Pet {
    m::Pet { name: "Rex, the 1st & only".into(), age: Some(3), tags: Some(strings(&["good", "boy"])), owner: Some(m::Owner { name: Some("Zoë".into()), additional_properties: Default::default() }), additional_properties: [("nickname".to_owned(), serde_json::json!("Rexy"))].into() }
}

/// Each media type carries the declared properties and the others (`nickname` is in the pet's
/// `additionalProperties`: a multipart body once left it out on both sides).
#[tokio::test]
async fn one_body_goes_as_json_form_or_multipart_as_the_caller_picks() {
    let base = serve(Arc::new(Recorder::default())).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    for (body, media) in [(CreatePetBody::Json(pet()), "json"), (CreatePetBody::Form(pet()), "form"), (CreatePetBody::Multipart(pet()), "multipart")] {
        let received = client.create_pet(&body).await.expect("201");
        assert_eq!((received.pet, received.media.as_str()), (pet(), media), "{media}");
    }
}

/// What a request nests in a `oneOf` is held to the rules of the member it is: a length, a range, an
/// enum's values.
#[tokio::test]
async fn a_union_member_is_checked_by_its_own_rules() {
    let base = serve(Arc::new(Recorder::default())).await;
    let http = reqwest::Client::new();
    let draw = |body: &'static str| http.post(format!("{base}/shapes")).header("content-type", "application/json").body(body).send();
    for good in [r#"{"radius": 2.5}"#, r#"{"text": "hi", "color": "red"}"#] {
        assert_eq!(draw(good).await.expect("answers").status(), 204, "{good}");
    }
    for (bad, field) in [(r#"{"radius": -1}"#, "body.radius"), (r#"{"text": "too long"}"#, "body.text"), (r#"{"text": "hi", "color": "green"}"#, "body.color")] {
        let answer = draw(bad).await.expect("answers");
        assert_eq!(answer.status(), 400, "{bad}");
        let problem: serde_json::Value = answer.json().await.expect("the documented Problem");
        assert!(problem["message"].as_str().is_some_and(|m| m.starts_with(field)), "{bad}: {problem}");
    }
}

/// `type: integer` without `format` is an `i64`: an integer beyond it (JSON's have no bound) is
/// refused with a 400 that says so, naming the property, never read as a float or cut short.
#[tokio::test]
async fn an_integer_beyond_64_bits_is_refused_as_such() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder).await;
    let http = reqwest::Client::new();
    let send = |age: &str| http.post(format!("{base}/pets")).header("content-type", "application/json").body(format!(r#"{{"name": "Rex", "age": {age}}}"#)).send();
    let answer = send("9223372036854775807").await.expect("answers");
    assert_eq!(answer.status(), 201, "the largest i64 reads");
    let answer = send("9223372036854775808").await.expect("answers");
    assert_eq!(answer.status(), 400);
    let problem: serde_json::Value = answer.json().await.expect("the documented Problem");
    assert_eq!(problem["message"], "body.age: the integer `9223372036854775808` is beyond the range of the i64 it is read as", "{problem}");
    let answer = http.post(format!("{base}/pets?")).header("content-type", "application/x-www-form-urlencoded").body("name=Rex&age=9223372036854775808").send().await.expect("answers");
    let problem: serde_json::Value = answer.json().await.expect("the documented Problem");
    assert!(problem["message"].as_str().is_some_and(|m| m.contains("body.age") && m.contains("to 9223372036854775807")), "a form says the range too: {problem}");
    let listed = http.get(format!("{base}/typeahead?count=-90227495320119478937714688")).send().await.expect("answers");
    assert_eq!(listed.status(), 400);
    let body: serde_json::Value = listed.json().await.expect("the documented shape");
    assert_eq!(body["errors"][0]["message"], "query.count: the integer `-90227495320119478937714688` is beyond the range of the i64 it is read as", "and a parameter");
}

#[tokio::test]
async fn a_form_reads_as_browsers_and_the_encoding_object_write_it() {
    let base = serve(Arc::new(Recorder::default())).await;
    let http = reqwest::Client::new();
    let form = |body: &str| http.post(format!("{base}/pets")).header("content-type", "application/x-www-form-urlencoded").body(body.to_owned()).send();
    // `tags` is comma-joined (`explode: false`), `owner` a deepObject, spaces as `+`.
    let answer = form("name=Rex+the+dog&age=3&tags=good,boy&owner%5Bname%5D=Zo%C3%AB").await.expect("answers");
    assert_eq!(answer.status(), 201);
    let received: serde_json::Value = answer.json().await.expect("JSON");
    assert_eq!(received["pet"], serde_json::json!({"name": "Rex the dog", "age": 3, "tags": ["good", "boy"], "owner": {"name": "Zoë"}}));

    // A property may be named `` (Pet takes any other property), given once or repeated: a name
    // like any other, not the `[]` of a list's next item.
    for (body, extra) in [("name=Rex&=x", serde_json::json!("x")), ("name=Rex&=x&=y", serde_json::json!(["x", "y"]))] {
        let answer = form(body).await.expect("answers");
        assert_eq!(answer.status(), 201, "{body}");
        let received: serde_json::Value = answer.json().await.expect("JSON");
        assert_eq!(received["pet"], serde_json::json!({"name": "Rex", "": extra}), "{body}");
    }

    for (body, field) in [("name=Rex&age=old", "body.age"), ("age=3", "body.name"), ("name=Rex&age=-1", "body.age"), ("name=%ZZ", "body.name")] {
        let answer = form(body).await.expect("answers");
        assert_eq!(answer.status(), 400, "{body}");
        let problem: serde_json::Value = answer.json().await.expect("the documented Problem");
        assert!(problem["message"].as_str().is_some_and(|m| m.contains(field)), "{body}: {problem}");
    }
    let xml = http.post(format!("{base}/pets")).header("content-type", "application/xml").body("<pet/>").send().await.expect("answers");
    assert_eq!(xml.status(), 415, "a media type the operation does not accept");
    let none = http.post(format!("{base}/pets")).send().await.expect("answers");
    assert_eq!(none.status(), 415, "a required body of no media type");
}

#[tokio::test]
async fn a_multipart_upload_of_a_few_mib_arrives_byte_for_byte() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    // 3 MiB that are not one byte repeated, so a shifted or truncated copy cannot pass.
    let photo: Vec<u8> = (0..3u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let upload = m::Upload { title: "holiday".into(), photo: generator_runtime::Binary(photo.clone()), where_: Some(point(7, 8)), count: Some(2), labels: Some(strings(&["sea", "sun"])), additional_properties: Default::default() };
    let receipt = client.upload(&upload).await.expect("200");
    assert_eq!(receipt.title.as_deref(), Some("holiday"));
    assert_eq!(receipt.size, Some(3 << 20));
    assert_eq!((receipt.where_, receipt.count, receipt.labels), (Some(point(7, 8)), Some(2), Some(strings(&["sea", "sun"]))));
    assert!(*recorder.bytes.lock().expect("not poisoned") == photo, "the file arrives byte for byte");

    let blob: Vec<u8> = photo[..100_000].to_vec();
    assert_eq!(client.update_blobs(&blob).await.expect("200").size, Some(100_000));
    assert!(*recorder.bytes.lock().expect("not poisoned") == blob, "octet-stream bytes as they are");
    assert_eq!(client.create_note("a note\nwith two lines ✓").await.expect("200").text.as_deref(), Some("a note\nwith two lines ✓"));

    // XML documented as a string is the document itself on the wire, never a quoted JSON string.
    let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>"x" &amp; y</title></feed>"#;
    assert_eq!(client.create_feed(feed).await.expect("200"), feed);
    let raw = reqwest::Client::new().post(format!("{base}/feeds")).header("content-type", "application/atom+xml").body(feed).send().await.expect("an answer");
    assert_eq!(raw.headers()["content-type"], "application/xml");
    assert_eq!(raw.text().await.expect("text"), feed);
}

/// A form whose parts are all optional may have none: `reqwest` sends such a form as an empty
/// body, which is no multipart body at all (it ends with its closing delimiter, RFC 2046 §5.1.1),
/// and the server refused it as cut short. The client now sends the closing delimiter alone, as
/// browsers send an empty form.
#[tokio::test]
async fn a_form_of_no_parts_arrives_as_an_empty_form() {
    let base = serve(Arc::new(Recorder::default())).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let empty = client.update_avatars(&m::UpdateAvatarsRequest::default()).await.expect("200: an empty form is a form");
    assert_eq!((empty.size, empty.text), (None, None));
    let full = m::UpdateAvatarsRequest { avatar: Some(generator_runtime::Binary(vec![1, 2, 3])), note: Some("hi".into()), additional_properties: Default::default() };
    let receipt = client.update_avatars(&full).await.expect("200");
    assert_eq!((receipt.size, receipt.text.as_deref()), (Some(3), Some("hi")));
}

#[tokio::test]
async fn a_broken_multipart_body_is_a_4xx_naming_the_part() {
    let base = serve(Arc::new(Recorder::default())).await;
    let http = reqwest::Client::new();
    let send = |content_type: &str, body: &'static str| http.post(format!("{base}/uploads")).header("content-type", content_type.to_owned()).body(body).send();
    let multipart = "multipart/form-data; boundary=XyZ";
    let good = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--XyZ--\r\n";
    assert_eq!(send(multipart, good).await.expect("answers").status(), 200);
    for (content_type, body, status, field) in [
        (multipart, "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nPN", 400, "body"),
        (multipart, "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--XyZ--\r\n", 400, "body.photo"),
        (multipart, "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nP\r\n--XyZ\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\nmany\r\n--XyZ--\r\n", 400, "body.count"),
        ("multipart/form-data", good, 400, "body"),
        ("application/json", "{}", 415, "body"),
    ] {
        let answer = send(content_type, body).await.expect("answers");
        assert_eq!(answer.status(), status, "{body:?}");
        let text = answer.text().await.expect("text");
        assert!(text.contains(field), "{body:?}: {text}");
    }
}

#[tokio::test]
async fn answers_come_back_as_their_media_type_says() {
    let base = serve(Arc::new(Recorder::default())).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let stream = client.download_blob(1).await.expect("200");
    assert!(stream.collect().await.expect("the whole body") == blob(), "the download arrives byte for byte");
    match client.download_blob(2).await {
        Err(wire_client::Error::Api { status: 404, error: wire_client::wire::DownloadBlobError::NotFound(problem) }) => assert_eq!(problem.message.as_deref(), Some("no such blob")),
        other => panic!("a documented 404, got {other:?}"),
    }
    let note = client.read_note(7).await.expect("200");
    assert_eq!(note.body, "note 7\nwith two lines ✓");
    let length = "note 7\nwith two lines ✓".len().to_string();
    assert_eq!((note.content_length.as_deref(), note.x_note_version), (Some(length.as_str()), Some(3)), "what HTTP wrote, read as it came");

    // On the wire: the documented media types, the text as it is (not a JSON string).
    let http = reqwest::Client::new();
    let note = http.get(format!("{base}/notes/7")).send().await.expect("answers");
    assert_eq!(note.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/plain"));
    assert_eq!(note.text().await.expect("text"), "note 7\nwith two lines ✓");
    let blob_answer = http.get(format!("{base}/blobs/1")).send().await.expect("answers");
    assert_eq!(blob_answer.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/octet-stream"));
}

#[tokio::test]
async fn a_union_parameter_comes_back_as_the_member_sent() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let sizes = [m::StylesSize::Integer(42), m::StylesSize::StylesSizeVariant2(m::StylesSizeVariant2::Large)];
    for size in &sizes {
        let params = StylesParams { size: Some(size.clone()), ..Default::default() };
        client.styles(vec![1], m::Rgb { r: 1, g: 2, b: 3, additional_properties: Default::default() }, strings(&["a"]), params).await.expect("204");
    }
    let seen = recorder.seen.lock().expect("not poisoned");
    let received: Vec<Option<m::StylesSize>> = seen.iter().map(|(request, _, _)| request.size.clone()).collect();
    assert_eq!(received, sizes.map(Some));
    assert!(seen[1].2.contains("size=large"), "{}", seen[1].2);
}

/// A redirect the spec documents comes back as its answer, with its documented `Location` (reqwest
/// would have followed it to another operation's answer); one it does not document is followed,
/// as any HTTP client does.
#[tokio::test]
async fn documented_redirects_come_back_and_others_are_followed() {
    let base = serve(Arc::new(Recorder::default())).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    match client.get_archive(7).await {
        Err(wire_client::Error::Api { status: 302, error: wire_client::wire::GetArchiveError::Status302 { location } }) => {
            assert_eq!(location.as_deref(), Some("/notes/7"), "the documented header of an error status");
        }
        other => panic!("the documented 302, got {:?}", other.map(|_| "a download")),
    }

    // Before the generated router: `/notes/8` has moved to `/notes/7`, which the spec does not say.
    let moved = axum::middleware::from_fn(|request: axum::extract::Request, next: axum::middleware::Next| async move {
        if request.uri().path() == "/notes/8" {
            return axum::response::IntoResponse::into_response(axum::response::Redirect::permanent("/notes/7"));
        }
        next.run(request).await
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let app = wire_server::router(Arc::new(Recorder::default())).layer(moved);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Client::builder().base_url(format!("http://{address}")).build().expect("client");
    assert_eq!(client.read_note(8).await.expect("followed to 200").body, "note 7\nwith two lines ✓");
}

#[tokio::test]
async fn a_string_or_a_list_comes_back_as_the_member_sent() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let sent = [m::StylesAffects::String("pkg@1.0".into()), m::StylesAffects::List(strings(&["a", "b c", "d"]))];
    for affects in &sent {
        let params = StylesParams { affects: Some(affects.clone()), ..Default::default() };
        client.styles(vec![1], m::Rgb { r: 1, g: 2, b: 3, additional_properties: Default::default() }, strings(&["a"]), params).await.expect("204");
    }
    let seen = recorder.seen.lock().expect("not poisoned");
    let received: Vec<Option<m::StylesAffects>> = seen.iter().map(|(request, _, _)| request.affects.clone()).collect();
    assert_eq!(received, sent.map(Some), "the list where the name repeats, the string where it does not");
    assert!(seen[1].2.contains("affects=a&affects=b%20c&affects=d"), "{}", seen[1].2);
}

#[tokio::test]
async fn an_exploded_map_takes_only_the_pairs_no_other_parameter_names() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let rgb = || m::Rgb { r: 1, g: 2, b: 3, additional_properties: Default::default() };
    let with = StylesParams { options: Some([("quality".to_owned(), "high".to_owned())].into()), size: Some(m::StylesSize::Integer(3)), listed: Some(strings(&["a"])), ..Default::default() };
    client.styles(vec![1], rgb(), strings(&["a"]), with.clone()).await.expect("204");
    let without = StylesParams { options: None, ..with.clone() };
    client.styles(vec![1], rgb(), strings(&["a"]), without).await.expect("204");
    let seen = recorder.seen.lock().expect("not poisoned");
    let received: Vec<_> = seen.iter().map(|(request, _, _)| request.options.clone()).collect();
    assert_eq!(received, [with.options, None], "`size` and `listed` are not the map's");
}
