//! Starting a seeded fake-hub on loopback and building clients for it.

use std::sync::Arc;
use std::time::Duration;

use dockerhub_client::{v1, v2, ApiClient, ClientBuilder, Credentials, RetryPolicy};
use fake_hub::seed::{self, DemoUser};
use fake_hub::{AppOptions, Hub, HubConfig, TotpSecret};

use crate::conformance::{record, Checker, Violations};

/// A hub serving on loopback.
pub struct Running {
    /// The hub, to set up data and move its clock.
    pub hub: Arc<Hub>,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Answers that did not conform to the spec: the test fails when the hub is dropped.
    violations: Violations,
}

/// The specs every answer is checked against, read once.
static CHECKER: std::sync::LazyLock<Arc<Checker>> = std::sync::LazyLock::new(|| Arc::new(Checker::docker_hub()));

impl Running {
    /// The answers so far that did not conform, forgotten once taken.
    pub fn take_violations(&self) -> Vec<String> {
        std::mem::take(&mut *self.violations.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let violations = self.take_violations();
        if !violations.is_empty() && !std::thread::panicking() {
            panic!("fake-hub answered against the spec:\n{}", violations.join("\n"));
        }
    }
}

/// A seeded hub with the default configuration and a high rate limit.
pub async fn start() -> Running {
    start_with(HubConfig::default(), AppOptions::default()).await
}

/// A seeded hub with `config` and `options`.
pub async fn start_with(config: HubConfig, options: AppOptions) -> Running {
    let hub = Arc::new(Hub::seeded(config).expect("the demo data loads"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("local address");
    let violations = Violations::default();
    let (checker, seen) = (CHECKER.clone(), violations.clone());
    let app = fake_hub::app(hub.clone(), options).layer(axum::middleware::from_fn(move |request, next| record(checker.clone(), seen.clone(), request, next)));
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await });
    Running { hub, base_url: format!("http://{address}"), violations }
}

/// The `User-Agent` of the tests' clients.
pub const USER_AGENT: &str = "fake-hub-e2e";

fn build<C: ApiClient>(builder: ClientBuilder<C>, base_url: &str) -> C {
    builder.base_url(base_url).timeout(Duration::from_secs(20)).user_agent(USER_AGENT).retry_policy(RetryPolicy::never()).build().expect("the client builds")
}

impl Running {
    /// A v2 client without credentials.
    pub fn anonymous(&self) -> v2::Client {
        build(v2::Client::builder(), &self.base_url)
    }

    /// A v2 client logged in as `user` with its password.
    pub async fn login(&self, user: DemoUser) -> v2::Client {
        self.login_with(user.username, user.password).await
    }

    /// A v2 client logged in with `username` and `secret` (a password or a personal access token).
    pub async fn login_with(&self, username: &str, secret: &str) -> v2::Client {
        let client = self.anonymous();
        match client.login(username, secret).await.expect("login answers") {
            v2::LoginOutcome::Authenticated(session) => assert!(session.token.is_some_and(|t| t.split('.').count() == 3), "a JWT"),
            other => panic!("{username} should log in without a second factor, got {other:?}"),
        }
        client
    }

    /// A v2 client presenting the SCIM bearer token.
    pub fn scim(&self) -> v2::Client {
        let client = self.anonymous();
        client.set_credentials(Credentials::Bearer(seed::SCIM_TOKEN.into()));
        client
    }

    /// A v1 client with HTTP Basic credentials.
    pub fn index(&self, username: &str, password: &str) -> v1::Client {
        let client = build(v1::Client::builder(), &self.base_url);
        client.set_credentials(Credentials::Basic { username: username.into(), password: password.into() });
        client
    }

    /// A v1 client without credentials.
    pub fn anonymous_index(&self) -> v1::Client {
        build(v1::Client::builder(), &self.base_url)
    }

    /// The code bob's authenticator app shows now (by the hub's clock).
    pub fn bob_code(&self) -> String {
        let secret = TotpSecret::from_base32(seed::TOTP_SECRET).expect("the demo secret is base32");
        fake_hub::totp_code(&secret, u64::try_from(self.hub.now().timestamp()).expect("after 1970"))
    }

    /// A raw HTTP client for requests the generated client would never send.
    pub fn raw(&self) -> reqwest::Client {
        reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("reqwest builds")
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// A session JWT for `user`, straight from the hub.
    pub fn session(&self, user: DemoUser) -> String {
        self.hub.login_token(user.username, user.password).expect("demo credentials work")
    }
}
