//! Repositories themselves (`/v2/namespaces/{namespace}/repositories[/{repository}]`): listed in a
//! namespace (public ones for everyone, private ones for members with read access) with the
//! documented filter (`name`, a partial match), orderings and pages; created by the namespace's
//! account, or an owner or editor of the organisation; read and checked with HEAD; their immutable
//! tags rules set and tried against the repository's tags (administrators only); organisation
//! groups given a permission on them. Tags are in [`crate::repos`].
//!
//! fake-hub guesses: without `ordering`, the newest-updated repository comes first (the hub's own
//! listing order); an immutable tags rule must match the whole tag (`v.*` holds `v1` but not
//! `xv1`); a private repository answers an anonymous caller 401 and a caller without access 403.

use std::collections::BTreeMap;
use std::sync::MutexGuard;

use chrono::{DateTime, Utc};
use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    CheckRepositoryRequest, CheckRepositoryResponse, CreateRepositoryGroupRequest, CreateRepositoryGroupResponse, CreateRepositoryRequest, CreateRepositoryResponse,
    GetRepositoryRequest, GetRepositoryResponse, ListNamespaceRepositoriesRequest, ListNamespaceRepositoriesResponse, UpdateRepositoryImmutableTagsRequest,
    UpdateRepositoryImmutableTagsResponse, VerifyRepositoryImmutableTagsRequest, VerifyRepositoryImmutableTagsResponse,
};

use crate::access::{can_admin_namespace, can_manage_repos, can_read_repo, can_write_namespace};
use crate::auth::Caller;
use crate::errors::{hub_error, hub_error2};
use crate::hub::{create_repository, Hub, HubError};
use crate::pagination::{paginate, PageRequest};
use crate::store::{date_time, Repository, Store};

/// The longest short description the hub accepts.
const MAX_DESCRIPTION: usize = 100;

/// Why a repository call is refused: its status and message.
pub(crate) enum Refused {
    Unauthorized(String),
    Forbidden(String),
    NotFound(String),
}

/// Answers a [`Refused`] with the response's 401, 403 or 404 and an `Error2` body.
macro_rules! refused {
    ($response:ident, $refused:expr) => {
        match $refused {
            Refused::Unauthorized(why) => $response::Unauthorized(hub_error2(why)),
            Refused::Forbidden(why) => $response::Forbidden(hub_error2(why)),
            Refused::NotFound(why) => $response::NotFound(hub_error2(why)),
        }
    };
}

/// Whether the immutable tags rules hold `tag`: one of them matches all of it. A rule that is not
/// a regex holds nothing (rules are checked when they are set).
pub(crate) fn is_immutable(repo: &Repository, tag: &str) -> bool {
    repo.immutable_tags && repo.immutable_tags_rules.iter().any(|rule| anchored(rule).is_ok_and(|r| r.is_match(tag)))
}

/// `rule` as a regex matching whole tags.
fn anchored(rule: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&format!("^(?:{rule})$"))
}

/// When the repository last changed: its newest tag, or its creation.
fn last_updated(repo: &Repository) -> DateTime<Utc> {
    repo.tags.values().map(|t| t.last_updated).max().unwrap_or(repo.created).max(repo.created)
}

/// The API's view of a repository for `caller`.
fn info(store: &Store, caller: Option<&Caller>, repo: &Repository) -> m::RepositoryInfo {
    let (write, admin) = caller.map_or((false, false), |c| (can_write_namespace(store, c, &repo.namespace), can_admin_namespace(store, c, &repo.namespace)));
    let updated = date_time(last_updated(repo));
    m::RepositoryInfo {
        user: repo.namespace.clone(),
        name: repo.name.clone(),
        namespace: repo.namespace.clone(),
        repository_type: Some(Some("image".into())),
        status: 1,
        status_description: "active".into(),
        description: repo.description.clone(),
        is_private: repo.private,
        is_automated: false,
        star_count: 0,
        pull_count: 0,
        last_updated: updated.clone(),
        last_modified: Some(Some(updated)),
        date_registered: date_time(repo.created),
        collaborator_count: 0,
        affiliation: None,
        hub_user: Some(Some(repo.namespace.clone())),
        has_starred: false,
        full_description: Some(repo.full_description.clone()),
        permissions: m::RepoPermissions { read: true, write, admin, additional_properties: Default::default() },
        media_types: Vec::new(),
        content_types: if repo.tags.is_empty() { Vec::new() } else { vec!["image".into()] },
        categories: Vec::new(),
        immutable_tags_settings: m::ImmutableTagsSettings { enabled: repo.immutable_tags, rules: repo.immutable_tags_rules.clone(), additional_properties: Default::default() },
        storage_size: Some(Some(repo.images.iter().map(|i| i.size).sum())),
        source: None,
        additional_properties: Default::default(),
    }
}

/// The entry of a repository in a listing.
fn entry(repo: &Repository) -> m::RepositoryListEntry {
    m::RepositoryListEntry {
        name: Some(repo.name.clone()),
        namespace: Some(repo.namespace.clone()),
        repository_type: Some(Some(m::RepositoryListEntryRepositoryType::Image)),
        status: Some(1),
        status_description: Some(m::ImageStatus::Active),
        description: Some(Some(repo.description.clone())),
        is_private: Some(repo.private),
        star_count: Some(0),
        pull_count: Some(0),
        last_updated: Some(Some(date_time(last_updated(repo)))),
        last_modified: Some(Some(date_time(last_updated(repo)))),
        date_registered: Some(date_time(repo.created)),
        affiliation: None,
        media_types: Some(Vec::new()),
        content_types: Some(if repo.tags.is_empty() { Vec::new() } else { vec!["image".into()] }),
        categories: Some(Vec::new()),
        storage_size: Some(repo.images.iter().map(|i| i.size).sum()),
        additional_properties: Default::default(),
    }
}

impl Hub {
    /// The caller (if any) and the locked store, with the key of `namespace/repository` if the
    /// caller may read it (and administer it, when `admin`).
    fn repository(&self, credentials: &Option<dockerhub_server::Credentials>, namespace: &str, repository: &str, admin: bool) -> Result<(MutexGuard<'_, Store>, Option<Caller>, String), Refused> {
        let caller = self.optional_bearer_caller(credentials).map_err(|e| Refused::Unauthorized(e.to_string()))?;
        if admin && caller.is_none() {
            return Err(Refused::Unauthorized("Authentication credentials were not provided.".into()));
        }
        let store = self.lock();
        let Some(repo) = store.repo(namespace, repository) else {
            return Err(Refused::NotFound(format!("repository {namespace}/{repository} not found")));
        };
        if !can_read_repo(&store, caller.as_ref(), repo) {
            return Err(match caller {
                None => Refused::Unauthorized(format!("log in to see the repository {namespace}/{repository}")),
                Some(_) => Refused::Forbidden(format!("you do not have access to the repository {namespace}/{repository}")),
            });
        }
        if admin && !caller.as_ref().is_some_and(|c| can_admin_namespace(&store, c, &repo.namespace)) {
            return Err(Refused::Forbidden(format!("only administrators of {namespace}/{repository} may do this")));
        }
        Ok((store, caller, crate::store::repo_key(namespace, repository)))
    }

    pub(crate) fn list_namespace_repositories_in(&self, request: ListNamespaceRepositoriesRequest) -> ListNamespaceRepositoriesResponse {
        let caller = match self.optional_bearer_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return ListNamespaceRepositoriesResponse::Unauthorized(hub_error2(e.to_string())),
        };
        let page = match PageRequest::checked(request.page, request.page_size, 10, 100) {
            Ok(page) => page,
            Err(e) => return ListNamespaceRepositoriesResponse::BadRequest(hub_error2(format!("{}: {e}", e.field()))),
        };
        let store = self.lock();
        if !store.namespace_exists(&request.namespace) {
            return ListNamespaceRepositoriesResponse::NotFound(hub_error2(format!("namespace {} not found", request.namespace)));
        }
        let needle = request.name.as_deref().map(str::to_ascii_lowercase);
        let mut repos: Vec<&Repository> = store
            .repos
            .values()
            .filter(|r| r.namespace.eq_ignore_ascii_case(&request.namespace))
            .filter(|r| can_read_repo(&store, caller.as_ref(), r))
            .filter(|r| needle.as_ref().is_none_or(|n| r.name.contains(n.as_str())))
            .collect();
        use m::ListNamespaceRepositoriesOrdering as O;
        match request.ordering.unwrap_or(O::LastUpdatedDesc) {
            O::Name => repos.sort_by(|a, b| a.name.cmp(&b.name)),
            O::NameDesc => repos.sort_by(|a, b| b.name.cmp(&a.name)),
            O::LastUpdated => repos.sort_by(|a, b| last_updated(a).cmp(&last_updated(b)).then_with(|| a.name.cmp(&b.name))),
            O::LastUpdatedDesc => repos.sort_by(|a, b| last_updated(b).cmp(&last_updated(a)).then_with(|| a.name.cmp(&b.name))),
            // Pulls are not counted by fake-hub: every count is 0, and the name orders.
            O::PullCount | O::PullCountDesc => repos.sort_by(|a, b| a.name.cmp(&b.name)),
            O::Unknown(other) => return ListNamespaceRepositoriesResponse::BadRequest(hub_error2(format!("ordering: `{other}` is not an ordering"))),
        }
        let entries = repos.into_iter().map(entry).collect();
        let page = paginate(entries, page, &request.context);
        ListNamespaceRepositoriesResponse::Ok(Box::new(m::ListRepositoriesResponse {
            count: Some(page.count as i64),
            next: Some(page.next),
            previous: Some(page.previous),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    pub(crate) fn create_repository_in(&self, request: CreateRepositoryRequest) -> CreateRepositoryResponse {
        let caller = match self.bearer_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return CreateRepositoryResponse::Unauthorized(hub_error2(e.to_string())),
        };
        let body = request.body;
        if !body.namespace.eq_ignore_ascii_case(&request.namespace) {
            return CreateRepositoryResponse::BadRequest(hub_error2(format!("namespace: `{}` is not the namespace of the path, {}", body.namespace, request.namespace)));
        }
        if body.description.as_ref().is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
            return CreateRepositoryResponse::BadRequest(hub_error2(format!("description: Ensure this field has no more than {MAX_DESCRIPTION} characters.")));
        }
        let mut store = self.lock();
        if !store.namespace_exists(&request.namespace) || request.namespace.eq_ignore_ascii_case("library") {
            return CreateRepositoryResponse::NotFound(hub_error2(format!("namespace {} not found", request.namespace)));
        }
        if !can_manage_repos(&store, &caller, &request.namespace) {
            return CreateRepositoryResponse::Forbidden(hub_error2(format!("you may not create repositories in {}", request.namespace)));
        }
        match create_repository(&mut store, &request.namespace, &body.name, body.is_private.unwrap_or(false)) {
            Ok(()) => {}
            Err(HubError::InvalidName(name)) => return CreateRepositoryResponse::BadRequest(hub_error2(format!("name: `{name}` is not a valid repository name"))),
            Err(HubError::RepositoryExists(name)) => return CreateRepositoryResponse::BadRequest(hub_error2(format!("name: the repository {name} already exists"))),
            Err(e) => return CreateRepositoryResponse::InternalServerError(hub_error2(e.to_string())),
        }
        let key = crate::store::repo_key(&request.namespace, &body.name);
        let Some(repo) = store.repos.get_mut(&key) else {
            return CreateRepositoryResponse::InternalServerError(hub_error2("the repository vanished"));
        };
        repo.description = body.description.unwrap_or_default();
        repo.full_description = body.full_description;
        let full_name = repo.full_name();
        let namespace = repo.namespace.clone();
        let data = BTreeMap::from([("private".to_owned(), repo.private.to_string())]);
        store.record(&namespace, "repo.create", &full_name, &caller.username, data, format!("created the repository {full_name}"));
        match store.repos.get(&key) {
            Some(repo) => CreateRepositoryResponse::Created(Box::new(info(&store, Some(&caller), repo))),
            None => CreateRepositoryResponse::InternalServerError(hub_error2("the repository vanished")),
        }
    }

    pub(crate) fn get_repository_in(&self, request: GetRepositoryRequest) -> GetRepositoryResponse {
        match self.repository(&request.context.credentials(), &request.namespace, &request.repository, false) {
            Ok((store, caller, key)) => match store.repos.get(&key) {
                Some(repo) => GetRepositoryResponse::Ok(Box::new(info(&store, caller.as_ref(), repo))),
                None => GetRepositoryResponse::NotFound(hub_error2("repository not found")),
            },
            Err(refusal) => refused!(GetRepositoryResponse, refusal),
        }
    }

    pub(crate) fn check_repository_in(&self, request: CheckRepositoryRequest) -> CheckRepositoryResponse {
        match self.repository(&request.context.credentials(), &request.namespace, &request.repository, false) {
            Ok(_) => CheckRepositoryResponse::Ok,
            Err(Refused::Unauthorized(_)) => CheckRepositoryResponse::Unauthorized,
            Err(Refused::Forbidden(_)) => CheckRepositoryResponse::Forbidden,
            Err(Refused::NotFound(_)) => CheckRepositoryResponse::NotFound,
        }
    }

    pub(crate) fn update_immutable_tags_in(&self, request: UpdateRepositoryImmutableTagsRequest) -> UpdateRepositoryImmutableTagsResponse {
        let (mut store, caller, key) = match self.repository(&request.context.credentials(), &request.namespace, &request.repository, true) {
            Ok(found) => found,
            Err(refusal) => return refused!(UpdateRepositoryImmutableTagsResponse, refusal),
        };
        if let Some((rule, e)) = request.body.immutable_tags_rules.iter().find_map(|r| anchored(r).err().map(|e| (r, e))) {
            return UpdateRepositoryImmutableTagsResponse::BadRequest(hub_error2(format!("immutable_tags_rules: `{rule}` is not a valid regex: {e}")));
        }
        if request.body.immutable_tags && request.body.immutable_tags_rules.is_empty() {
            return UpdateRepositoryImmutableTagsResponse::BadRequest(hub_error2("immutable_tags_rules: at least one rule is needed to turn immutable tags on"));
        }
        let Some(repo) = store.repos.get_mut(&key) else {
            return UpdateRepositoryImmutableTagsResponse::NotFound(hub_error2("repository not found"));
        };
        repo.immutable_tags = request.body.immutable_tags;
        repo.immutable_tags_rules = request.body.immutable_tags_rules.clone();
        let (namespace, full_name) = (repo.namespace.clone(), repo.full_name());
        let actor = caller.as_ref().map(|c| c.username.clone()).unwrap_or_default();
        let data = BTreeMap::from([("enabled".to_owned(), request.body.immutable_tags.to_string()), ("rules".to_owned(), request.body.immutable_tags_rules.join(","))]);
        store.record(&namespace, "repo.immutable_tags.update", &full_name, &actor, data, format!("changed the immutable tags of {full_name}"));
        match store.repos.get(&key) {
            Some(repo) => UpdateRepositoryImmutableTagsResponse::Ok(Box::new(info(&store, caller.as_ref(), repo))),
            None => UpdateRepositoryImmutableTagsResponse::NotFound(hub_error2("repository not found")),
        }
    }

    pub(crate) fn verify_immutable_tags_in(&self, request: VerifyRepositoryImmutableTagsRequest) -> VerifyRepositoryImmutableTagsResponse {
        let (store, _, key) = match self.repository(&request.context.credentials(), &request.namespace, &request.repository, true) {
            Ok(found) => found,
            Err(refusal) => return refused!(VerifyRepositoryImmutableTagsResponse, refusal),
        };
        let regex = match anchored(&request.body.regex) {
            Ok(regex) => regex,
            Err(e) => return VerifyRepositoryImmutableTagsResponse::BadRequest(hub_error2(format!("regex: not a valid regex: {e}"))),
        };
        let tags = store.repos.get(&key).map(|r| r.tags.keys().filter(|t| regex.is_match(t)).cloned().collect()).unwrap_or_default();
        VerifyRepositoryImmutableTagsResponse::Ok(m::ImmutableTagsVerifyResponse { tags, additional_properties: Default::default() })
    }

    pub(crate) fn create_repository_group_in(&self, request: CreateRepositoryGroupRequest) -> CreateRepositoryGroupResponse {
        let (mut store, caller, key) = match self.repository(&request.context.credentials(), &request.namespace, &request.repository, true) {
            Ok(found) => found,
            Err(Refused::Unauthorized(why)) => return CreateRepositoryGroupResponse::Unauthorized(hub_error2(why)),
            Err(Refused::Forbidden(why)) => return CreateRepositoryGroupResponse::Forbidden(hub_error2(why)),
            Err(Refused::NotFound(why)) => return CreateRepositoryGroupResponse::NotFound(hub_error(why)),
        };
        let permission = match &request.body.permission {
            m::Permission::Read => "read",
            m::Permission::Write => "write",
            m::Permission::Admin => "admin",
            m::Permission::Unknown(other) => return CreateRepositoryGroupResponse::BadRequest(hub_error2(format!("permission: `{other}` is not read, write or admin"))),
        };
        let Some(namespace) = store.repos.get(&key).map(|r| r.namespace.clone()) else {
            return CreateRepositoryGroupResponse::NotFound(hub_error("repository not found"));
        };
        let Some(group) = store.groups.values().find(|g| g.id == request.body.group_id && g.org.eq_ignore_ascii_case(&namespace)).map(|g| g.name.clone()) else {
            return CreateRepositoryGroupResponse::NotFound(hub_error(format!("group {} not found in {namespace}", request.body.group_id)));
        };
        let Some(repo) = store.repos.get_mut(&key) else {
            return CreateRepositoryGroupResponse::NotFound(hub_error("repository not found"));
        };
        repo.group_permissions.insert(request.body.group_id, permission.to_owned());
        let full_name = repo.full_name();
        let actor = caller.map(|c| c.username).unwrap_or_default();
        let data = BTreeMap::from([("team".to_owned(), group.clone()), ("permission".to_owned(), permission.to_owned())]);
        store.record(&namespace, "repo.team.add", &full_name, &actor, data, format!("gave the team {group} {permission} access to {full_name}"));
        CreateRepositoryGroupResponse::Ok(m::RepositoryGroup { group_name: Some(group), permission: Some(request.body.permission), group_id: Some(request.body.group_id), additional_properties: Default::default() })
    }
}
