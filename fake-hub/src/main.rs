//! `fake-hub`: serves an in-memory Docker Hub (v2 API and v1 index) on a local address.
//!
//! ```text
//! fake-hub --listen 127.0.0.1:5000 --seed
//! ```

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use fake_hub::{seed, AppOptions, Hub, HubConfig, TotpSecret};

/// An in-memory Docker Hub for tests and local development.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:5000")]
    listen: String,
    /// Load demo accounts, an organisation, repositories, images and SCIM users, and print their
    /// credentials.
    #[arg(long)]
    seed: bool,
    /// Requests each credential may make to /v2/ per minute before 429.
    #[arg(long, default_value_t = 10_000)]
    rate_limit: u32,
    /// The bearer token SCIM calls must present (with --seed: the demo token by default).
    #[arg(long)]
    scim_token: Option<String>,
    /// The organisation SCIM provisions users into.
    #[arg(long, default_value = seed::ORG)]
    scim_org: String,
    /// How long session tokens from login are valid, in seconds.
    #[arg(long, default_value_t = 3600)]
    session_ttl: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = HubConfig { scim_token: cli.scim_token.clone(), scim_org: cli.scim_org.clone(), session_ttl: Duration::from_secs(cli.session_ttl), ..HubConfig::default() };
    let hub = if cli.seed { Hub::seeded(config) } else { Hub::new(config) }.context("cannot set the hub up")?;
    let listener = tokio::net::TcpListener::bind(&cli.listen).await.with_context(|| format!("cannot listen on {}", cli.listen))?;
    let address = listener.local_addr().context("cannot read the listening address")?;
    println!("fake-hub listening on http://{address}");
    println!("  v2 API: http://{address}/v2/   v1 index: http://{address}/v1/   rate limit: {}/minute", cli.rate_limit);
    if cli.seed {
        print_demo(&cli);
    }
    let options = AppOptions { rate_limit: cli.rate_limit, ..AppOptions::default() };
    tokio::select! {
        served = fake_hub::serve(listener, Arc::new(hub), options) => served.context("the server stopped"),
        _ = tokio::signal::ctrl_c() => {
            println!("fake-hub stopping");
            Ok(())
        }
    }
}

fn print_demo(cli: &Cli) {
    println!("demo accounts (user / password):");
    for user in seed::USERS {
        println!("  {:<9} / {:<15} {}", user.username, user.password, user.role);
    }
    if let Ok(secret) = TotpSecret::from_base32(seed::TOTP_SECRET) {
        println!("  {}'s TOTP secret: {} ({})", seed::BOB.username, seed::TOTP_SECRET, secret.otpauth_uri(seed::BOB.username));
    }
    println!("organisation: {} (owner {}, member {})", seed::ORG, seed::ALICE.username, seed::CAROL.username);
    println!("repositories: acme/api (private), alice/web, library/ubuntu");
    println!("SCIM bearer token: {}", cli.scim_token.as_deref().unwrap_or(seed::SCIM_TOKEN));
}
