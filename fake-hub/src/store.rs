//! The hub's state: plain data behind one lock. Every operation reads and changes it in one short
//! critical section (never across an `.await`), so the semantics are those of a single-threaded
//! service and tests never see half an update. Ordered maps keep every listing deterministic.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::crypto::Random;
use crate::totp::TotpSecret;

/// A Docker Hub account.
pub(crate) struct User {
    pub id: i64,
    pub username: String,
    /// The first is the primary address; `PUT /v1/users/{username}/` adds more.
    pub emails: Vec<String>,
    pub password_hash: String,
    pub totp: Option<TotpSecret>,
    /// A Docker administrator: may manage `library` repositories.
    pub admin: bool,
    pub active: bool,
}

/// An organisation: owners administer it, members use its repositories.
pub(crate) struct Org {
    pub name: String,
    pub owners: BTreeSet<String>,
    pub members: BTreeSet<String>,
    pub restricted_images: RestrictedImages,
    /// Members with the editor role (also in `members`): they manage the organisation's repositories.
    pub editors: BTreeSet<String>,
    /// When each owner and member joined.
    pub joined: BTreeMap<String, DateTime<Utc>>,
}

/// The organisation settings the API exposes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RestrictedImages {
    pub enabled: bool,
    pub allow_official_images: bool,
    pub allow_verified_publishers: bool,
}

/// A repository, shared by the v2 image API and the v1 index.
pub(crate) struct Repository {
    pub id: i64,
    pub namespace: String,
    pub name: String,
    pub private: bool,
    /// Images in push order.
    pub images: Vec<ImageRecord>,
    /// Current tags by name.
    pub tags: BTreeMap<String, TagRecord>,
    /// The image list of the v1 index (`PUT …/images`).
    pub v1_images: Vec<V1Image>,
    /// The short description.
    pub description: String,
    /// The overview (Markdown).
    pub full_description: Option<String>,
    pub created: DateTime<Utc>,
    /// Tags matching one of the rules cannot be overwritten, when `immutable_tags` is on.
    pub immutable_tags: bool,
    pub immutable_tags_rules: Vec<String>,
    /// Organisation groups with access, by group id: `read`, `write` or `admin`.
    pub group_permissions: BTreeMap<i64, String>,
}

impl Repository {
    /// `namespace/name`.
    pub(crate) fn full_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The image with `digest`.
    pub(crate) fn image(&self, digest: &str) -> Option<&ImageRecord> {
        self.images.iter().find(|i| i.digest == digest)
    }
}

/// One image manifest.
#[derive(Clone)]
pub(crate) struct ImageRecord {
    pub digest: String,
    pub architecture: String,
    pub os: String,
    pub size: i64,
    pub last_pushed: DateTime<Utc>,
    pub last_pulled: Option<DateTime<Utc>>,
    /// The multi-arch index this manifest is a child of: such images cannot be deleted directly.
    pub parent: Option<String>,
    /// Every tag that ever pointed at this image (current ones included).
    pub tag_history: BTreeSet<String>,
}

impl ImageRecord {
    /// The later of the last push and the last pull.
    pub(crate) fn last_activity(&self) -> DateTime<Utc> {
        self.last_pulled.map_or(self.last_pushed, |pulled| pulled.max(self.last_pushed))
    }
}

/// A current tag.
#[derive(Clone)]
pub(crate) struct TagRecord {
    pub id: i64,
    pub name: String,
    pub digest: String,
    pub creator: i64,
    pub last_updater: i64,
    pub last_updater_username: String,
    pub last_updated: DateTime<Utc>,
    pub last_pulled: Option<DateTime<Utc>>,
}

/// An entry of a v1 image list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct V1Image {
    pub id: String,
    pub checksum: Option<String>,
}

/// A personal access token: only its SHA-256 is kept.
pub(crate) struct AccessTokenRecord {
    /// Creation order.
    pub seq: i64,
    pub uuid: String,
    pub owner: String,
    pub label: String,
    pub scopes: Vec<String>,
    pub secret_sha256: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
    /// After this time the token no longer logs in, and the sessions it opened end.
    pub expires_at: Option<DateTime<Utc>>,
    pub creator_ip: String,
    pub creator_ua: String,
}

/// An invitation to join an organisation (or one of its teams).
#[derive(Clone)]
pub(crate) struct InviteRecord {
    pub id: String,
    pub org: String,
    pub team: Option<String>,
    /// `member`, `editor` or `owner`.
    pub role: String,
    /// A Docker ID or an email address.
    pub invitee: String,
    pub inviter: String,
    pub created_at: DateTime<Utc>,
}

/// A group (team) of an organisation.
#[derive(Clone)]
pub(crate) struct GroupRecord {
    pub id: i64,
    pub uuid: String,
    pub org: String,
    pub name: String,
    pub description: String,
    /// Lowercase user names.
    pub members: BTreeSet<String>,
}

/// An organisation access token: only its SHA-256 is kept.
#[derive(Clone)]
pub(crate) struct OrgTokenRecord {
    pub id: String,
    pub org: String,
    pub label: String,
    pub description: String,
    pub created_by: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used: Option<DateTime<Utc>>,
    /// `(type, path, scopes)`: `TYPE_REPO` or `TYPE_ORG`.
    pub resources: Vec<(String, String, Vec<String>)>,
    pub secret_sha256: String,
}

/// One audit-log event.
#[derive(Clone)]
pub(crate) struct AuditEvent {
    pub account: String,
    pub action: String,
    pub name: String,
    pub actor: String,
    pub data: BTreeMap<String, String>,
    pub timestamp: DateTime<Utc>,
    pub description: String,
}

/// A user provisioned through SCIM.
#[derive(Clone)]
pub(crate) struct ScimUserRecord {
    pub id: String,
    pub user_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// The Docker ID the user has (or will have) on the hub.
    pub display_name: String,
    pub active: bool,
    pub created: DateTime<Utc>,
    pub last_modified: DateTime<Utc>,
    /// Teams of the SCIM organisation.
    pub groups: Vec<String>,
}

/// A token the v1 index issued on `X-Docker-Token: true`.
pub(crate) struct V1Token {
    pub repository: String,
    pub access: String,
    pub expires: i64,
}

/// Everything the hub knows.
pub(crate) struct Store {
    pub random: Random,
    /// Seconds added to the wall clock ([`crate::Hub::advance_clock`]).
    pub clock_offset: i64,
    pub scim_token: Option<String>,
    pub scim_org: String,
    pub users: BTreeMap<String, User>,
    pub orgs: BTreeMap<String, Org>,
    /// By `namespace/name`.
    pub repos: BTreeMap<String, Repository>,
    /// By UUID.
    pub tokens: BTreeMap<String, AccessTokenRecord>,
    /// In the order they happened.
    pub audit: Vec<AuditEvent>,
    /// In the order they were created.
    pub scim_users: Vec<ScimUserRecord>,
    /// By signature.
    pub v1_tokens: BTreeMap<String, V1Token>,
    /// Second-factor tokens already exchanged, with their expiry.
    pub used_second_factor: BTreeMap<String, i64>,
    /// In the order they were sent.
    pub invites: Vec<InviteRecord>,
    /// By lowercase `org/group`.
    pub groups: BTreeMap<String, GroupRecord>,
    /// By id.
    pub org_tokens: BTreeMap<String, OrgTokenRecord>,
    pub next_id: i64,
}

impl Store {
    pub(crate) fn new(random: Random, scim_org: String) -> Self {
        Store {
            random,
            clock_offset: 0,
            scim_token: None,
            scim_org,
            users: BTreeMap::new(),
            orgs: BTreeMap::new(),
            repos: BTreeMap::new(),
            tokens: BTreeMap::new(),
            audit: Vec::new(),
            scim_users: Vec::new(),
            v1_tokens: BTreeMap::new(),
            used_second_factor: BTreeMap::new(),
            invites: Vec::new(),
            groups: BTreeMap::new(),
            org_tokens: BTreeMap::new(),
            next_id: 1,
        }
    }

    /// The hub's time: the wall clock plus the offset tests may add.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let wall = DateTime::<Utc>::from(std::time::SystemTime::now());
        chrono::TimeDelta::try_seconds(self.clock_offset).and_then(|offset| wall.checked_add_signed(offset)).unwrap_or(wall)
    }

    /// A fresh numeric id.
    pub(crate) fn next_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The user named `name` (case-insensitively) or with `name` as an email address.
    pub(crate) fn find_user(&self, name: &str) -> Option<&User> {
        self.users.get(&name.to_ascii_lowercase()).or_else(|| self.users.values().find(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(name))))
    }

    /// The user named exactly `name` (case-insensitively).
    pub(crate) fn user(&self, name: &str) -> Option<&User> {
        self.users.get(&name.to_ascii_lowercase())
    }

    /// Whether a user or an organisation is called `name`, or it is reserved (`library`, the
    /// namespace of official images, belongs to no account).
    pub(crate) fn namespace_exists(&self, name: &str) -> bool {
        let key = name.to_ascii_lowercase();
        key == "library" || self.users.contains_key(&key) || self.orgs.contains_key(&key)
    }

    /// The repository `namespace/name`.
    pub(crate) fn repo(&self, namespace: &str, name: &str) -> Option<&Repository> {
        self.repos.get(&repo_key(namespace, name))
    }

    /// The repository `namespace/name`, to change.
    pub(crate) fn repo_mut(&mut self, namespace: &str, name: &str) -> Option<&mut Repository> {
        self.repos.get_mut(&repo_key(namespace, name))
    }

}

/// The map key of a repository: names are case-insensitive on the hub.
pub(crate) fn repo_key(namespace: &str, name: &str) -> String {
    format!("{}/{}", namespace.to_ascii_lowercase(), name.to_ascii_lowercase())
}

/// RFC 3339 with microseconds and `Z`, the way the hub writes times.
pub(crate) fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A time as the runtime's checked date-time text.
pub(crate) fn date_time(time: DateTime<Utc>) -> generator_runtime::DateTime {
    generator_runtime::DateTime::from(time)
}
