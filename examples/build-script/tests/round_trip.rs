//! The included client talks to the included server over loopback.

use std::sync::Arc;

use build_script_example::{client, models, server};

struct Store;

impl server::petstore::Pets for Store {
    async fn list_pets(&self, request: server::petstore::ListPetsRequest) -> server::petstore::ListPetsResponse {
        let limit = request.limit.unwrap_or(10) as usize;
        let pets = vec![models::petstore::Pet { id: 1, name: "Rex".into(), tag: None, additional_properties: Default::default() }; limit.min(2)];
        server::petstore::ListPetsResponse::Ok(pets)
    }

    async fn create_pet(&self, request: server::petstore::CreatePetRequest) -> server::petstore::CreatePetResponse {
        let pet = models::petstore::Pet { id: 7, name: request.body.name, tag: request.body.tag, additional_properties: Default::default() };
        server::petstore::CreatePetResponse::Created(pet)
    }
}

#[tokio::test]
async fn the_generated_client_calls_the_generated_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let app = server::router(Arc::new(Store));
    tokio::spawn(async move { generator_runtime::server::axum::serve(listener, app).await });

    let api = client::petstore::Client::builder().base_url(format!("http://{addr}")).build().expect("client");
    let pets = api.list_pets(client::petstore::ListPetsParams { limit: Some(5) }).await.expect("lists");
    assert_eq!(pets.len(), 2);
    let created = api.create_pet(&models::petstore::NewPet { name: "Fido".into(), tag: Some(Some("dog".into())), additional_properties: Default::default() }).await.expect("creates");
    assert_eq!((created.id, created.name.as_str(), created.tag.as_ref().and_then(Option::as_deref)), (7, "Fido", Some("dog")));
    // The server checks the spec's rules before the implementation sees the request.
    let refused = api.create_pet(&models::petstore::NewPet { name: String::new(), tag: None, additional_properties: Default::default() }).await;
    assert!(matches!(refused, Err(client::Error::Api { status: 400, .. })), "{refused:?}");
}
