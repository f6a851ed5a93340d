//! Demo data for `fake-hub --seed` and for tests: a few accounts (one with a second factor whose
//! TOTP secret is published here, one Docker administrator), an organisation with an owner and a
//! member, repositories with active and inactive images, current and historical tags, a multi-arch
//! image, and SCIM users. The credentials are constants so that tests and people can use them.

use chrono::Duration;

use crate::hub::{Hub, HubConfig, HubError, NewImage, NewOrg, NewUser};

/// A demo account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoUser {
    /// The Docker ID.
    pub username: &'static str,
    /// The password.
    pub password: &'static str,
    /// The primary email address.
    pub email: &'static str,
    /// What the account is for.
    pub role: &'static str,
}

/// Owner of the `acme` organisation; owns `alice/web`.
pub const ALICE: DemoUser = DemoUser { username: "alice", password: "alice-password", email: "alice@example.com", role: "owner of acme" };
/// Has two-factor authentication with [`TOTP_SECRET`].
pub const BOB: DemoUser = DemoUser { username: "bob", password: "bob-password", email: "bob@example.com", role: "two-factor login" };
/// Member (not owner) of `acme`.
pub const CAROL: DemoUser = DemoUser { username: "carol", password: "carol-password", email: "carol@example.com", role: "member of acme" };
/// A Docker administrator: may manage `library` repositories through the v1 index.
pub const ADMIN: DemoUser = DemoUser { username: "hubadmin", password: "admin-password", email: "admin@example.com", role: "Docker administrator (library repositories)" };
/// Every demo account.
pub const USERS: [DemoUser; 4] = [ALICE, BOB, CAROL, ADMIN];

/// [`BOB`]'s TOTP secret, in base32 (what an authenticator app takes).
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";
/// The SCIM bearer token, unless the configuration names another.
pub const SCIM_TOKEN: &str = "scim-demo-token";
/// The demo organisation.
pub const ORG: &str = "acme";

/// Digests of the demo images of `acme/api`, oldest first: the first is inactive and untagged
/// (it once was `v0`), the second carries `v1`, the third `latest` and `v2`.
pub const ACME_API_DIGESTS: [&str; 3] = [
    "sha256:1000000000000000000000000000000000000000000000000000000000000001",
    "sha256:2000000000000000000000000000000000000000000000000000000000000002",
    "sha256:3000000000000000000000000000000000000000000000000000000000000003",
];
/// A multi-arch index in `acme/api` and its `arm64` child (which cannot be deleted directly).
pub const ACME_API_INDEX: (&str, &str) = (
    "sha256:4000000000000000000000000000000000000000000000000000000000000004",
    "sha256:5000000000000000000000000000000000000000000000000000000000000005",
);

/// SCIM users provisioned into [`ORG`]: `(userName, givenName, familyName)`.
pub const SCIM_USERS: [(&str, &str, &str); 4] =
    [("jon.snow@docker.com", "Jon", "Snow"), ("arya.stark@docker.com", "Arya", "Stark"), ("sansa.stark@docker.com", "Sansa", "Stark"), ("carol@example.com", "Carol", "Danvers")];

impl Hub {
    /// A hub with the demo data. The SCIM token is the configuration's, or [`SCIM_TOKEN`].
    pub fn seeded(config: HubConfig) -> Result<Hub, HubError> {
        let hub = Hub::new(config)?;
        seed(&hub)?;
        Ok(hub)
    }
}

/// Adds the demo data to `hub`.
pub fn seed(hub: &Hub) -> Result<(), HubError> {
    for user in USERS {
        hub.add_user(NewUser {
            username: user.username.into(),
            password: user.password.into(),
            email: user.email.into(),
            totp_secret: (user.username == BOB.username).then(|| TOTP_SECRET.into()),
            admin: user.username == ADMIN.username,
        })?;
    }
    hub.add_org(NewOrg { name: ORG.into(), owners: vec![ALICE.username.into()], members: vec![CAROL.username.into()] })?;
    if hub.lock().scim_token.is_none() {
        hub.set_scim_token(Some(SCIM_TOKEN.into()));
    }

    let now = hub.now();
    let days_ago = |days: i64| Some(now - Duration::days(days));
    hub.add_repository(ORG, "api", true)?;
    let push = |digest: &str, tags: &[&str], pushed: i64, pulled: Option<i64>, parent: Option<&str>| NewImage {
        digest: Some(digest.into()),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        architecture: if parent.is_some() { "arm64".into() } else { "amd64".into() },
        size: 27_000_000,
        pushed_at: days_ago(pushed),
        pulled_at: pulled.and_then(days_ago),
        parent: parent.map(str::to_owned),
    };
    let [old, middle, newest] = ACME_API_DIGESTS;
    hub.push_image(ORG, "api", ALICE.username, push(old, &["v0"], 120, Some(100), None))?;
    hub.push_image(ORG, "api", ALICE.username, push(middle, &["v1", "v0"], 60, Some(3), None))?;
    hub.push_image(ORG, "api", ALICE.username, push(newest, &["latest", "v2"], 2, Some(1), None))?;
    let (index, child) = ACME_API_INDEX;
    hub.push_image(ORG, "api", ALICE.username, push(index, &["multiarch"], 10, None, None))?;
    hub.push_image(ORG, "api", ALICE.username, push(child, &[], 10, None, Some(index)))?;

    hub.add_repository(ALICE.username, "web", false)?;
    for (i, tag) in ["1.0", "1.1", "1.2", "2.0", "latest"].into_iter().enumerate() {
        let mut image = push(&format!("sha256:{:064x}", 0xa000 + i), &[tag], 40 - 8 * i as i64, None, None);
        if tag == "latest" {
            image.digest = Some(format!("sha256:{:064x}", 0xa003));
        }
        hub.push_image(ALICE.username, "web", ALICE.username, image)?;
    }

    hub.add_repository("library", "ubuntu", false)?;
    hub.push_image("library", "ubuntu", ADMIN.username, push(&format!("sha256:{:064x}", 0xb0b), &["22.04", "jammy", "latest"], 5, Some(0), None))?;

    let mut store = hub.lock();
    for (user_name, given, family) in SCIM_USERS {
        // Provisioning can only fail on duplicates, which a fresh hub does not have.
        let _ = crate::scim::users::provision(&mut store, user_name, Some(given.into()), Some(family.into()));
    }
    Ok(())
}
