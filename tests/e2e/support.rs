//! Starting a seeded fake-hub on loopback and building clients for it.

use std::sync::Arc;
use std::time::Duration;

use dockerhub_client::{v1, v2, ApiClient, ClientBuilder, Credentials, RetryPolicy};
use fake_hub::seed::{self, DemoUser};
use fake_hub::{AppOptions, Hub, HubConfig, TotpSecret};

/// A hub serving on loopback.
pub struct Running {
    /// The hub, to set up data and move its clock.
    pub hub: Arc<Hub>,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
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
    tokio::spawn(fake_hub::serve(listener, hub.clone(), options));
    Running { hub, base_url: format!("http://{address}") }
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
