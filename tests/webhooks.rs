//! Webhooks the generated server crate builds: typed body and headers, sent by a real HTTP client
//! to a real receiver on loopback, which sees what the spec says it should.

use std::sync::{Arc, Mutex};

use openapi_31_server::models::openapi_31 as m;
use openapi_31_server::openapi_31::{PlantWateredHeaders, Webhooks};

/// What the receiver saw: method, path, the event header, content type and body.
type Seen = Arc<Mutex<Vec<(String, String, Option<String>, Option<String>, Vec<u8>)>>>;

async fn receiver(seen: Seen) -> String {
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let seen = seen.clone();
        async move {
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
            let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            if let Ok(mut seen) = seen.lock() {
                seen.push((parts.method.to_string(), parts.uri.path().to_owned(), header("x-garden-event"), header("content-type"), bytes.to_vec()));
            }
            axum::http::StatusCode::NO_CONTENT
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}/hooks/garden")
}

#[tokio::test]
async fn a_webhook_is_built_typed_and_received_as_the_spec_says() {
    let seen: Seen = Arc::default();
    let url = receiver(seen.clone()).await;
    let body = m::Watering { plant_id: 7, litres: Some(1.5), additional_properties: Default::default() };
    let request = Webhooks::plant_watered(&url, &body, &PlantWateredHeaders { x_garden_event: m::PlantWateredXGardenEvent::Watered }).expect("a valid request");
    let request = reqwest::Request::try_from(request.map(reqwest::Body::from)).expect("reqwest takes it");
    let answer = reqwest::Client::new().execute(request).await.expect("delivered");
    assert_eq!(answer.status(), 204);

    let seen = seen.lock().expect("lock").clone();
    let [(method, path, event, content_type, bytes)] = seen.as_slice() else { panic!("one delivery: {seen:?}") };
    assert_eq!((method.as_str(), path.as_str()), ("POST", "/hooks/garden"));
    assert_eq!(event.as_deref(), Some("watered"));
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(bytes).expect("JSON body");
    assert_eq!(sent, serde_json::json!({"plant_id": 7, "litres": 1.5}));
}

#[test]
fn a_webhook_refuses_urls_it_cannot_send_to() {
    let body = m::Watering { plant_id: 1, litres: None, additional_properties: Default::default() };
    let headers = PlantWateredHeaders { x_garden_event: m::PlantWateredXGardenEvent::Watered };
    assert!(Webhooks::plant_watered("not a url", &body, &headers).is_err());
    assert!(Webhooks::plant_watered("ftp://garden.test/", &body, &headers).is_err());
}
