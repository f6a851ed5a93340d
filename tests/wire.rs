//! Every parameter style on both sides of the wire: the generated client of
//! `tests/fixtures/specs/wire.yaml` sends to its generated router on loopback (real reqwest, real
//! axum), the implementation receives exactly the typed values sent, and the request on the wire
//! is exactly what the OpenAPI specification's style examples say it is.

use std::sync::{Arc, Mutex};

use wire_client::models::wire as m;
use wire_client::wire::{Client, StylesParams};
use wire_server::wire::{Params, StylesRequest, StylesResponse};

/// What the implementation received: the typed request and, from its context, the raw path,
/// query, headers and cookie as they came over the wire.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<(StylesRequest, String, String)>>,
}

impl Params for Recorder {
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
    tokio::spawn(async move { axum::serve(listener, wire_server::router(recorder)).await });
    format!("http://{address}")
}

fn point(x: i64, y: i64) -> m::Point {
    m::Point { x, y }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn every_style_round_trips_typed_and_exact_on_the_wire() {
    let recorder = Arc::new(Recorder::default());
    let base = serve(recorder.clone()).await;
    let client = Client::builder().base_url(&base).build().expect("client");
    let filter = m::Filter { status: Some(m::FilterStatus::Open), tags: Some(strings(&["a", "b c"])), owner: Some(m::Owner { name: Some("Zoë".into()) }) };
    let params = StylesParams {
        listed: Some(strings(&["blue", "black", "brown"])),
        repeated: Some(vec![3, 4]),
        spaced: Some(strings(&["blue", "black", "brown"])),
        piped: Some(strings(&["blue", "black", "brown"])),
        filter: Some(filter.clone()),
        point: Some(point(1, 2)),
        where_: Some(point(3, 4)),
        next: Some("/a/b?c=d".into()),
        x_tags: Some(strings(&["x", "y"])),
        x_point: Some(point(5, 6)),
        session: Some("s3ss10n".into()),
        prefs: Some(strings(&["dark", "compact"])),
    };
    let color = m::Rgb { r: 100, g: 200, b: 150 };
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
    assert_eq!(request.next, params.next);
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
    ] {
        assert!(query.split('&').collect::<Vec<_>>().windows(piece.split('&').count()).any(|w| w.join("&") == piece), "`{piece}` in `{query}`");
    }
    let headers = request.context.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!((header("x-tags"), header("x-point")), ("x,y".to_owned(), "x=5,y=6".to_owned()), "simple headers, the object exploded");
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
