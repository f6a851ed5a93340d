//! What a caller may do in a namespace: the role the account has there (its own namespace, or an
//! organisation's owner or member) combined with the scope its credential carries. Kept apart from
//! the operations so that every one of them asks the same questions.

use crate::auth::{Caller, Scope};
use crate::store::{Repository, Store};

/// An account's role in a namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    /// Nothing to do with it.
    Outsider,
    /// A member of the organisation.
    Member,
    /// The account itself, or an owner of the organisation.
    Owner,
}

/// `username`'s role in `namespace`.
pub(crate) fn role(store: &Store, username: &str, namespace: &str) -> Role {
    if username.eq_ignore_ascii_case(namespace) && store.user(namespace).is_some() {
        return Role::Owner;
    }
    let Some(org) = store.orgs.get(&namespace.to_ascii_lowercase()) else {
        return Role::Outsider;
    };
    let key = username.to_ascii_lowercase();
    // An organisation access token's caller bears the organisation's name and acts as a member.
    if key == org.name.to_ascii_lowercase() {
        return Role::Member;
    }
    if org.owners.contains(&key) {
        Role::Owner
    } else if org.members.contains(&key) {
        Role::Member
    } else {
        Role::Outsider
    }
}

/// Whether `caller` (or an anonymous caller) may read `repo`.
pub(crate) fn can_read_repo(store: &Store, caller: Option<&Caller>, repo: &Repository) -> bool {
    match caller {
        None => !repo.private,
        Some(caller) if !repo.private => caller.scope >= Scope::PublicRead,
        Some(caller) => caller.scope >= Scope::Read && role(store, &caller.username, &repo.namespace) >= Role::Member,
    }
}

/// Whether `caller` may read what a namespace holds beyond its public repositories (images,
/// settings, members' view).
pub(crate) fn can_read_namespace(store: &Store, caller: &Caller, namespace: &str) -> bool {
    caller.scope >= Scope::Read && role(store, &caller.username, namespace) >= Role::Member
}

/// Whether `caller` may push to repositories of `namespace`.
pub(crate) fn can_write_namespace(store: &Store, caller: &Caller, namespace: &str) -> bool {
    caller.scope >= Scope::Write && role(store, &caller.username, namespace) >= Role::Member
}

/// Whether `caller` may administer `namespace` (delete repositories and images, change settings).
pub(crate) fn can_admin_namespace(store: &Store, caller: &Caller, namespace: &str) -> bool {
    caller.scope >= Scope::Admin && role(store, &caller.username, namespace) == Role::Owner
}

/// Whether `caller` may create and change repositories of `namespace`: the account itself, an
/// owner or an editor of the organisation, acting with `repo:write` at least.
pub(crate) fn can_manage_repos(store: &Store, caller: &Caller, namespace: &str) -> bool {
    if caller.scope < Scope::Write || caller.oat.is_some() {
        return false;
    }
    let editor = store.orgs.get(&namespace.to_ascii_lowercase()).is_some_and(|o| o.editors.contains(&caller.username.to_ascii_lowercase()));
    editor || role(store, &caller.username, namespace) == Role::Owner
}

/// Why a caller may not act on an organisation.
pub(crate) enum OrgRefusal {
    /// No or bad credentials.
    Unauthorized(String),
    /// Not a member (reading) or not an owner (changing).
    Forbidden(String),
    /// No such organisation.
    NotFound(String),
}

/// What an organisation call needs of its caller.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgNeed {
    /// To be a member (reading members, groups, invites).
    Member,
    /// To be an owner with full credentials (changing them).
    Owner,
}

impl crate::hub::Hub {
    /// The locked store, the caller and the organisation's stored name, if the caller may do what
    /// `need` says in `org`.
    pub(crate) fn org_caller(&self, credentials: &Option<dockerhub_server::Credentials>, org: &str, need: OrgNeed) -> Result<(std::sync::MutexGuard<'_, Store>, Caller, String), OrgRefusal> {
        let caller = self.bearer_caller(credentials).map_err(|e| OrgRefusal::Unauthorized(e.to_string()))?;
        let store = self.lock();
        let Some(found) = store.orgs.get(&org.to_ascii_lowercase()) else {
            return Err(OrgRefusal::NotFound(format!("organization {org} not found")));
        };
        let name = found.name.clone();
        let allowed = match need {
            OrgNeed::Member => caller.scope >= Scope::Read && role(&store, &caller.username, &name) >= Role::Member,
            OrgNeed::Owner => caller.oat.is_none() && can_admin_namespace(&store, &caller, &name),
        };
        if !allowed {
            let what = if need == OrgNeed::Owner { "an owner" } else { "a member" };
            return Err(OrgRefusal::Forbidden(format!("you must be {what} of the organization {name}")));
        }
        Ok((store, caller, name))
    }
}

/// Answers an [`OrgRefusal`] with the response type's 401, 403 or 404, its body made by `body`.
macro_rules! refuse {
    ($response:ident, $refusal:expr, $body:path) => {
        match $refusal {
            $crate::access::OrgRefusal::Unauthorized(why) => $response::Unauthorized($body(why)),
            $crate::access::OrgRefusal::Forbidden(why) => $response::Forbidden($body(why)),
            $crate::access::OrgRefusal::NotFound(why) => $response::NotFound($body(why)),
        }
    };
}
pub(crate) use refuse;
