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
