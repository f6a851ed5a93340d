//! [`Hub`] itself: its configuration, its lock, and the setup calls tests and the seed use to put
//! accounts, organisations, repositories and images in place without going through the API.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::crypto::{self, CryptoError, Random};
use crate::store::{self, AuditEvent, ImageRecord, Org, Repository, RestrictedImages, Store, TagRecord, User};
use crate::totp::TotpSecret;

/// How the hub behaves: lifetimes of what it issues, and what the v1 index announces.
#[derive(Clone, Debug)]
pub struct HubConfig {
    /// How long a session JWT from login is valid.
    pub session_ttl: Duration,
    /// How long the `login_2fa_token` of a two-factor login is valid.
    pub second_factor_ttl: Duration,
    /// How long a v1 index token (`X-Docker-Token`) is valid.
    pub v1_token_ttl: Duration,
    /// `X-Docker-Endpoints`: the registry hosts the v1 index names.
    pub v1_endpoints: String,
    /// The bearer token SCIM calls must present (`bearerSCIMAuth`); `None` refuses every SCIM call.
    pub scim_token: Option<String>,
    /// The organisation SCIM provisions users into.
    pub scim_org: String,
}

impl Default for HubConfig {
    /// One-hour sessions and v1 tokens, five-minute second-factor tokens, no SCIM token,
    /// provisioning into `acme`.
    fn default() -> Self {
        HubConfig {
            session_ttl: Duration::from_secs(3600),
            second_factor_ttl: Duration::from_secs(300),
            v1_token_ttl: Duration::from_secs(3600),
            v1_endpoints: "registry-1.docker.io".into(),
            scim_token: None,
            scim_org: "acme".into(),
        }
    }
}

/// Why a setup call failed.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// A user or an organisation already has the name.
    #[error("the name `{0}` is taken")]
    NameTaken(String),
    /// A name the hub does not accept.
    #[error("invalid name `{0}`: use 2 to 255 lowercase letters, digits, `.`, `_` or `-`, starting with a letter or digit")]
    InvalidName(String),
    /// No user or organisation has the name.
    #[error("no user or organisation is called `{0}`")]
    UnknownNamespace(String),
    /// No such user.
    #[error("no user is called `{0}`")]
    UnknownUser(String),
    /// No such repository.
    #[error("no repository `{0}`")]
    UnknownRepository(String),
    /// The repository's immutable tags rules hold the tag, which points at another image.
    #[error("the tag `{0}` is immutable")]
    ImmutableTag(String),
    /// A repository with the name exists.
    #[error("the repository `{0}` exists")]
    RepositoryExists(String),
    /// The TOTP secret is not base32.
    #[error(transparent)]
    Totp(#[from] crate::totp::TotpSecretError),
    /// Hashing or randomness failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// An account to add with [`Hub::add_user`].
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// The Docker ID.
    pub username: String,
    /// The password (hashed at once; never kept in clear).
    pub password: String,
    /// The primary email address.
    pub email: String,
    /// A base32 TOTP secret: the account then needs the second factor to log in with its password.
    pub totp_secret: Option<String>,
    /// A Docker administrator (may manage `library` repositories through the v1 index).
    pub admin: bool,
}

/// An organisation to add with [`Hub::add_org`].
#[derive(Clone, Debug, Default)]
pub struct NewOrg {
    /// The organisation's name (its namespace).
    pub name: String,
    /// Users with the owner role: they may change the settings.
    pub owners: Vec<String>,
    /// Users with the member role.
    pub members: Vec<String>,
}

/// An image to push with [`Hub::push_image`].
#[derive(Clone, Debug, Default)]
pub struct NewImage {
    /// The manifest digest; a random `sha256:` digest when `None`.
    pub digest: Option<String>,
    /// Tags to point at the image (moved from other images when they exist).
    pub tags: Vec<String>,
    /// The CPU architecture (`amd64` when empty).
    pub architecture: String,
    /// Size in bytes.
    pub size: i64,
    /// When it was pushed (now when `None`).
    pub pushed_at: Option<DateTime<Utc>>,
    /// When it was last pulled.
    pub pulled_at: Option<DateTime<Utc>>,
    /// The multi-arch index this image belongs to: such a child cannot be deleted directly.
    pub parent: Option<String>,
}

/// The in-memory Docker Hub: implements every trait of the generated server.
///
/// Share it as an `Arc<Hub>` between [`crate::app`] and the test that set it up.
pub struct Hub {
    store: Mutex<Store>,
    pub(crate) jwt_key: [u8; 32],
    pub(crate) config: HubConfig,
    /// A hash no password matches, checked when the user does not exist, so that unknown users
    /// take as long to refuse as known ones.
    pub(crate) decoy_hash: String,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Hub {
    /// An empty hub.
    pub fn new(config: HubConfig) -> Result<Hub, HubError> {
        let mut random = Random::from_os()?;
        let jwt_key = random.bytes();
        let decoy = random.token_text();
        let decoy_hash = crypto::hash_password(random.bytes(), &decoy)?;
        let mut store = Store::new(random, config.scim_org.clone());
        store.scim_token = config.scim_token.clone();
        Ok(Hub { store: Mutex::new(store), jwt_key, config, decoy_hash })
    }

    /// The state, locked. A panic while it was held cannot leave it half-changed (every change is
    /// made in one step), so a poisoned lock is taken as it is.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The hub's current time (the wall clock plus [`Hub::advance_clock`]).
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    /// Moves the hub's clock forward: sessions, second-factor and v1 tokens expire, images become
    /// inactive, TOTP codes change.
    pub fn advance_clock(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX / 2);
        let mut store = self.lock();
        store.clock_offset = store.clock_offset.saturating_add(secs);
    }

    /// Sets the SCIM bearer token (`None` refuses every SCIM call).
    pub fn set_scim_token(&self, token: Option<String>) {
        self.lock().scim_token = token;
    }

    /// Adds an account.
    pub fn add_user(&self, user: NewUser) -> Result<(), HubError> {
        check_name(&user.username)?;
        let totp = user.totp_secret.as_deref().map(TotpSecret::from_base32).transpose()?;
        let salt = self.lock().random.bytes();
        let password_hash = crypto::hash_password(salt, &user.password)?;
        let mut store = self.lock();
        if store.namespace_exists(&user.username) {
            return Err(HubError::NameTaken(user.username));
        }
        let id = store.next_id();
        let key = user.username.to_ascii_lowercase();
        store.users.insert(
            key,
            User {
                id,
                username: user.username,
                emails: vec![user.email],
                password_hash,
                totp,
                admin: user.admin,
                active: true,
            },
        );
        Ok(())
    }

    /// Adds an organisation; its owners and members must be existing users.
    pub fn add_org(&self, org: NewOrg) -> Result<(), HubError> {
        check_name(&org.name)?;
        let mut store = self.lock();
        if store.namespace_exists(&org.name) {
            return Err(HubError::NameTaken(org.name));
        }
        let people = |names: &[String]| -> Result<BTreeSet<String>, HubError> {
            names.iter().map(|n| store.user(n).map(|u| u.username.to_ascii_lowercase()).ok_or_else(|| HubError::UnknownUser(n.clone()))).collect()
        };
        let owners = people(&org.owners)?;
        let members = people(&org.members)?;
        let now = store.now();
        let joined = owners.iter().chain(&members).map(|n| (n.clone(), now)).collect();
        store.orgs.insert(
            org.name.to_ascii_lowercase(),
            Org { name: org.name, owners, members, restricted_images: RestrictedImages::default(), editors: BTreeSet::new(), joined },
        );
        Ok(())
    }

    /// Adds an empty repository `namespace/name`.
    pub fn add_repository(&self, namespace: &str, name: &str, private: bool) -> Result<(), HubError> {
        let mut store = self.lock();
        if !store.namespace_exists(namespace) {
            return Err(HubError::UnknownNamespace(namespace.into()));
        }
        create_repository(&mut store, namespace, name, private)
    }

    /// Pushes an image into `namespace/repository` as `actor`, moving its tags to it, and records a
    /// `repo.tag.push` audit event per tag. Returns the digest. A tag the repository's immutable
    /// tags rules hold cannot be moved to another image.
    pub fn push_image(&self, namespace: &str, repository: &str, actor: &str, image: NewImage) -> Result<String, HubError> {
        let mut store = self.lock();
        let now = store.now();
        let digest = image.digest.clone().unwrap_or_else(|| format!("sha256:{}", store.random.hex::<32>()));
        let actor_id = store.user(actor).map_or(0, |u| u.id);
        let mut tag_ids = Vec::with_capacity(image.tags.len());
        for _ in &image.tags {
            tag_ids.push(store.next_id());
        }
        let repo = store.repo_mut(namespace, repository).ok_or_else(|| HubError::UnknownRepository(format!("{namespace}/{repository}")))?;
        // An immutable tag may be pushed again only with the image it has.
        if let Some(tag) = image.tags.iter().find(|t| repo.tags.get(*t).is_some_and(|r| r.digest != digest) && crate::repositories::is_immutable(repo, t)) {
            return Err(HubError::ImmutableTag(tag.clone()));
        }
        let pushed = image.pushed_at.unwrap_or(now);
        match repo.images.iter_mut().find(|i| i.digest == digest) {
            Some(existing) => {
                existing.last_pushed = pushed;
                existing.last_pulled = image.pulled_at.or(existing.last_pulled);
            }
            None => repo.images.push(ImageRecord {
                digest: digest.clone(),
                architecture: if image.architecture.is_empty() { "amd64".into() } else { image.architecture.clone() },
                os: "linux".into(),
                size: image.size,
                last_pushed: pushed,
                last_pulled: image.pulled_at,
                parent: image.parent.clone(),
                tag_history: BTreeSet::new(),
            }),
        }
        for (tag, id) in image.tags.iter().zip(tag_ids) {
            // A tag keeps its id and creator when it moves to another image.
            let (id, creator) = repo.tags.get(tag).map_or((id, actor_id), |t| (t.id, t.creator));
            repo.tags.insert(
                tag.clone(),
                TagRecord {
                    id,
                    name: tag.clone(),
                    digest: digest.clone(),
                    creator,
                    last_updater: actor_id,
                    last_updater_username: actor.into(),
                    last_updated: pushed,
                    last_pulled: image.pulled_at,
                },
            );
            if let Some(record) = repo.images.iter_mut().find(|i| i.digest == digest) {
                record.tag_history.insert(tag.clone());
            }
        }
        let full_name = repo.full_name();
        let account = repo.namespace.clone();
        for tag in &image.tags {
            // Dated when the push happened, which setup may place in the past.
            store.audit.push(AuditEvent {
                account: account.clone(),
                action: "repo.tag.push".into(),
                name: full_name.clone(),
                actor: actor.into(),
                data: BTreeMap::from([("digest".to_owned(), digest.clone()), ("tag".to_owned(), tag.clone())]),
                timestamp: pushed,
                description: format!("pushed the tag {tag} with the digest {digest} to the repository {full_name}"),
            });
        }
        Ok(digest)
    }
}

/// Creates `namespace/name` in `store`.
pub(crate) fn create_repository(store: &mut Store, namespace: &str, name: &str, private: bool) -> Result<(), HubError> {
    check_name(name)?;
    let key = store::repo_key(namespace, name);
    if store.repos.contains_key(&key) {
        return Err(HubError::RepositoryExists(key));
    }
    let id = store.next_id();
    let namespace = store.user(namespace).map(|u| u.username.clone()).or_else(|| store.orgs.get(&namespace.to_ascii_lowercase()).map(|o| o.name.clone())).unwrap_or_else(|| namespace.to_ascii_lowercase());
    let created = store.now();
    store.repos.insert(
        key,
        Repository {
            id,
            namespace,
            name: name.to_ascii_lowercase(),
            private,
            images: Vec::new(),
            tags: BTreeMap::new(),
            v1_images: Vec::new(),
            description: String::new(),
            full_description: None,
            created,
            immutable_tags: false,
            immutable_tags_rules: Vec::new(),
            group_permissions: BTreeMap::new(),
        },
    );
    Ok(())
}

/// Checks a user, organisation or repository name.
pub(crate) fn check_name(name: &str) -> Result<(), HubError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(HubError::InvalidName(name.into()))
    }
}

/// 2 to 255 characters of `[a-z0-9._-]` (any case), starting with a letter or digit.
pub(crate) fn valid_name(name: &str) -> bool {
    (2..=255).contains(&name.len())
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}
