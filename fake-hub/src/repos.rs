//! Repository tags (`/v2/namespaces/{namespace}/repositories/{repository}/tags[/{tag}]`), and the
//! [`Repositories`] trait whose other operations are in [`crate::repositories`]: public
//! repositories are readable by anyone, private ones by members of their namespace with read
//! access. The operations document 403 and 404 but no 401, so a refused caller (bad credentials
//! included) is forbidden, and a missing repository or tag is not found.

use chrono::{DateTime, Months, Utc};
use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    CheckRepositoryTagRequest, CheckRepositoryTagResponse, CheckRepositoryTagsRequest, CheckRepositoryTagsResponse, GetRepositoryTagRequest, GetRepositoryTagResponse,
    ListRepositoryTagsRequest, ListRepositoryTagsResponse, Repositories,
};
use dockerhub_server::v2::{
    CheckRepositoryRequest, CheckRepositoryResponse, CreateRepositoryGroupRequest, CreateRepositoryGroupResponse, CreateRepositoryRequest, CreateRepositoryResponse,
    GetRepositoryRequest, GetRepositoryResponse, ListNamespaceRepositoriesRequest, ListNamespaceRepositoriesResponse, UpdateRepositoryImmutableTagsRequest,
    UpdateRepositoryImmutableTagsResponse, VerifyRepositoryImmutableTagsRequest, VerifyRepositoryImmutableTagsResponse,
};

use crate::access::can_read_repo;
use crate::errors::hub_error;
use crate::hub::Hub;
use crate::pagination::{paginate, PageRequest};
use crate::store::{timestamp, ImageRecord, Repository, Store, TagRecord};

/// The time from which activity counts: a month before `now`.
pub(crate) fn active_from(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(1)).unwrap_or(now)
}

/// Whether `image` was pushed or pulled since `from`.
fn is_active(image: &ImageRecord, from: DateTime<Utc>) -> bool {
    image.last_activity() >= from
}

/// Why a repository cannot be read.
enum Denied {
    Forbidden(String),
    NotFound(String),
}

impl Hub {
    /// The locked store and the repository, if the caller may read it.
    fn readable(&self, credentials: &Option<dockerhub_server::Credentials>, namespace: &str, repository: &str) -> Result<(std::sync::MutexGuard<'_, Store>, String), Denied> {
        let caller = self.optional_bearer_caller(credentials).map_err(|e| Denied::Forbidden(e.to_string()))?;
        let store = self.lock();
        let Some(repo) = store.repo(namespace, repository) else {
            return Err(Denied::NotFound(format!("repository {namespace}/{repository} not found")));
        };
        if !can_read_repo(&store, caller.as_ref(), repo) {
            return Err(Denied::Forbidden(format!("you do not have access to the repository {namespace}/{repository}")));
        }
        let key = crate::store::repo_key(namespace, repository);
        Ok((store, key))
    }
}

/// The API's view of a tag.
fn view(store: &Store, repo: &Repository, tag: &TagRecord) -> m::Tag {
    let from = active_from(store.now());
    let image = repo.image(&tag.digest);
    let children: Vec<&ImageRecord> = repo.images.iter().filter(|i| i.parent.as_deref() == Some(tag.digest.as_str())).collect();
    let platforms = if children.is_empty() { image.into_iter().collect() } else { children };
    let status = |active: bool| if active { m::ImageStatus::Active } else { m::ImageStatus::Inactive };
    let tag_active = tag.last_pulled.map_or(tag.last_updated, |p| p.max(tag.last_updated)) >= from;
    m::Tag {
        id: Some(tag.id),
        // A multi-arch tag lists each platform's image (the index's children); a plain tag its one.
        images: Some(platforms.iter().map(|i| m::Image {
            architecture: Some(i.architecture.clone()),
            features: Some(String::new()),
            variant: None,
            digest: Some(Some(i.digest.clone())),
            layers: Some(Vec::new()),
            os: Some(i.os.clone()),
            os_features: Some(String::new()),
            os_version: None,
            size: Some(i.size),
            status: Some(if is_active(i, from) { m::ImageStatus::Active } else { m::ImageStatus::Inactive }),
            last_pulled: Some(i.last_pulled.map(timestamp)),
            last_pushed: Some(Some(timestamp(i.last_pushed))),
            additional_properties: Default::default(),
        }).collect()),
        creator: Some(tag.creator),
        last_updated: Some(Some(timestamp(tag.last_updated))),
        last_updater: Some(tag.last_updater),
        last_updater_username: Some(tag.last_updater_username.clone()),
        name: Some(tag.name.clone()),
        repository: Some(repo.id),
        full_size: image.map(|i| i.size),
        v2: Some("true".into()),
        status: Some(status(tag_active)),
        tag_last_pulled: Some(tag.last_pulled.map(timestamp)),
        tag_last_pushed: Some(Some(timestamp(tag.last_updated))),
        additional_properties: Default::default(),
    }
}

impl Repositories for Hub {
    async fn list_repository_tags(&self, request: ListRepositoryTagsRequest) -> ListRepositoryTagsResponse {
        let (store, key) = match self.readable(&request.context.credentials(), &request.namespace, &request.repository) {
            Ok(found) => found,
            Err(Denied::Forbidden(why)) => return ListRepositoryTagsResponse::Forbidden(hub_error(why)),
            Err(Denied::NotFound(why)) => return ListRepositoryTagsResponse::NotFound(hub_error(why)),
        };
        let Some(repo) = store.repos.get(&key) else {
            return ListRepositoryTagsResponse::NotFound(hub_error("repository not found"));
        };
        let mut tags: Vec<&TagRecord> = repo.tags.values().collect();
        // Most recently updated first, as the hub lists them; the name breaks ties.
        tags.sort_by(|a, b| b.last_updated.cmp(&a.last_updated).then_with(|| a.name.cmp(&b.name)));
        let views = tags.into_iter().map(|t| view(&store, repo, t)).collect();
        let page = paginate(views, PageRequest::clamped(request.page, request.page_size, 10, 100), &request.context);
        ListRepositoryTagsResponse::Ok(Box::new(m::PaginatedTags { count: Some(page.count as i64), next: Some(page.next), previous: Some(page.previous), results: Some(page.items), additional_properties: Default::default() }))
    }

    async fn check_repository_tags(&self, request: CheckRepositoryTagsRequest) -> CheckRepositoryTagsResponse {
        match self.readable(&request.context.credentials(), &request.namespace, &request.repository) {
            Ok((store, key)) if store.repos.get(&key).is_some_and(|r| !r.tags.is_empty()) => CheckRepositoryTagsResponse::Ok,
            Ok(_) | Err(Denied::NotFound(_)) => CheckRepositoryTagsResponse::NotFound,
            Err(Denied::Forbidden(_)) => CheckRepositoryTagsResponse::Forbidden,
        }
    }

    async fn get_repository_tag(&self, request: GetRepositoryTagRequest) -> GetRepositoryTagResponse {
        let (store, key) = match self.readable(&request.context.credentials(), &request.namespace, &request.repository) {
            Ok(found) => found,
            Err(Denied::Forbidden(why)) => return GetRepositoryTagResponse::Forbidden(hub_error(why)),
            Err(Denied::NotFound(why)) => return GetRepositoryTagResponse::NotFound(hub_error(why)),
        };
        match store.repos.get(&key).and_then(|r| r.tags.get(&request.tag).map(|t| (r, t))) {
            Some((repo, tag)) => GetRepositoryTagResponse::Ok(Box::new(view(&store, repo, tag))),
            None => GetRepositoryTagResponse::NotFound(hub_error(format!("tag {} not found", request.tag))),
        }
    }

    async fn check_repository_tag(&self, request: CheckRepositoryTagRequest) -> CheckRepositoryTagResponse {
        match self.readable(&request.context.credentials(), &request.namespace, &request.repository) {
            Ok((store, key)) if store.repos.get(&key).is_some_and(|r| r.tags.contains_key(&request.tag)) => CheckRepositoryTagResponse::Ok,
            Ok(_) | Err(Denied::NotFound(_)) => CheckRepositoryTagResponse::NotFound,
            Err(Denied::Forbidden(_)) => CheckRepositoryTagResponse::Forbidden,
        }
    }

    async fn update_repository_immutable_tags(&self, request: UpdateRepositoryImmutableTagsRequest) -> UpdateRepositoryImmutableTagsResponse {
        self.update_immutable_tags_in(request)
    }

    async fn verify_repository_immutable_tags(&self, request: VerifyRepositoryImmutableTagsRequest) -> VerifyRepositoryImmutableTagsResponse {
        self.verify_immutable_tags_in(request)
    }

    async fn create_repository_group(&self, request: CreateRepositoryGroupRequest) -> CreateRepositoryGroupResponse {
        self.create_repository_group_in(request)
    }

    async fn list_namespace_repositories(&self, request: ListNamespaceRepositoriesRequest) -> ListNamespaceRepositoriesResponse {
        self.list_namespace_repositories_in(request)
    }

    async fn create_repository(&self, request: CreateRepositoryRequest) -> CreateRepositoryResponse {
        self.create_repository_in(request)
    }

    async fn get_repository(&self, request: GetRepositoryRequest) -> GetRepositoryResponse {
        self.get_repository_in(request)
    }

    async fn check_repository(&self, request: CheckRepositoryRequest) -> CheckRepositoryResponse {
        self.check_repository_in(request)
    }
}
