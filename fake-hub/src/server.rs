//! Serving a [`Hub`]: the generated router (which checks every request against the spec before
//! the hub sees it) wrapped in the hub's own layers, and a loop that serves it on a listener.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::hub::Hub;
use crate::ratelimit::{self, RateLimiter};

/// How the server around the hub behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppOptions {
    /// Requests each credential may make to `/v2/` per window.
    pub rate_limit: u32,
    /// The rate-limit window (at least one second).
    pub rate_window: Duration,
}

impl Default for AppOptions {
    /// 10 000 requests a minute: high enough that tests never meet it unless they ask.
    fn default() -> Self {
        AppOptions { rate_limit: 10_000, rate_window: Duration::from_secs(60) }
    }
}

/// The hub's HTTP application: every operation of both APIs, rate-limited on `/v2/`.
pub fn app(hub: Arc<Hub>, options: AppOptions) -> axum::Router {
    let limiter = RateLimiter::new(options.rate_limit, options.rate_window);
    dockerhub_server::router(hub)
        .layer(axum::middleware::from_fn_with_state(limiter, ratelimit::limit))
}

/// Serves `hub` on `listener` until the process ends (or the future is dropped).
pub async fn serve(listener: tokio::net::TcpListener, hub: Arc<Hub>, options: AppOptions) -> std::io::Result<()> {
    axum::serve(listener, app(hub, options).into_make_service_with_connect_info::<SocketAddr>()).await
}
