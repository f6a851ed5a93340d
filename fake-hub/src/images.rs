//! Advanced image management, reading side: the images of a repository with their current and
//! historical tags, counted as active or inactive by their last push or pull against `active_from`
//! (default: one month before now). Only members of the namespace may look, and only on a paid
//! plan for the detailed listings (the summary is for everyone with access). Deletion is in
//! [`crate::images::deletion`].

pub(crate) mod deletion;

use std::sync::MutexGuard;

use chrono::{DateTime, Months, Utc};
use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    DeleteImagesRequest, DeleteImagesResponse, GetRepositoryImagesSummaryRequest, GetRepositoryImagesSummaryResponse, Images, ListImageTagsRequest,
    ListImageTagsResponse, ListRepositoryImagesRequest, ListRepositoryImagesResponse,
};

use crate::access::can_read_namespace;
use crate::hub::Hub;
use crate::pagination::{paginate, PageRequest};
use crate::store::{timestamp, ImageRecord, Store};

/// The time from which activity counts: `text` when it is an RFC 3339 time, else a month before
/// `now`. (The reading operations document no 400 answer; the time used is echoed back.)
pub(crate) fn active_from(text: Option<&str>, now: DateTime<Utc>) -> DateTime<Utc> {
    text.and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| now.checked_sub_months(Months::new(1)).unwrap_or(now))
}

/// Whether `image` was pushed or pulled since `from`.
pub(crate) fn is_active(image: &ImageRecord, from: DateTime<Utc>) -> bool {
    image.last_activity() >= from
}

/// Why a caller may not read a namespace's images.
enum Refusal {
    /// Not authenticated, or no read access to the namespace (401), with the caller's id if known.
    Unauthorized(String, Option<i64>),
    /// The namespace's plan does not include the API (403).
    Forbidden(String, Option<i64>),
}

impl Hub {
    /// The caller of an image-API read, checked against `namespace`.
    fn image_reader(&self, credentials: &Option<dockerhub_server::Credentials>, namespace: &str, needs_plan: bool) -> Result<MutexGuard<'_, Store>, Refusal> {
        let caller = self.bearer_caller(credentials).map_err(|e| Refusal::Unauthorized(e.to_string(), None))?;
        let store = self.lock();
        if !can_read_namespace(&store, &caller, namespace) {
            return Err(Refusal::Unauthorized(format!("user does not have read access to the namespace {namespace}"), Some(caller.user_id)));
        }
        if needs_plan && !store.plan_of(namespace).manages_images() {
            return Err(Refusal::Forbidden("this API is only available to users on Pro or Team plans".into(), Some(caller.user_id)));
        }
        Ok(store)
    }
}

impl Images for Hub {
    async fn get_repository_images_summary(&self, request: GetRepositoryImagesSummaryRequest) -> GetRepositoryImagesSummaryResponse {
        const NAME: &str = "GetNamespacesRepositoriesImagesSummary";
        let store = match self.image_reader(&request.context.credentials(), &request.namespace, false) {
            Ok(store) => store,
            Err(Refusal::Unauthorized(message, id) | Refusal::Forbidden(message, id)) => {
                return GetRepositoryImagesSummaryResponse::Unauthorized(self.error_response(NAME, id, message))
            }
        };
        let from = active_from(request.active_from.as_deref(), store.now());
        let images = store.repo(&request.namespace, &request.repository).map_or(&[][..], |r| &r.images[..]);
        let active = images.iter().filter(|i| is_active(i, from)).count() as i64;
        let total = images.len() as i64;
        GetRepositoryImagesSummaryResponse::Ok(Box::new(m::GetNamespaceRepositoryImagesSummaryResponse {
            active_from: Some(timestamp(from)),
            statistics: Some(m::GetNamespaceRepositoryImagesSummaryResponseStatistics { total: Some(total), active: Some(active), inactive: Some(total - active), additional_properties: Default::default() }),
            additional_properties: Default::default(),
        }))
    }

    async fn list_repository_images(&self, request: ListRepositoryImagesRequest) -> ListRepositoryImagesResponse {
        const NAME: &str = "GetNamespacesRepositoriesImages";
        let store = match self.image_reader(&request.context.credentials(), &request.namespace, true) {
            Ok(store) => store,
            Err(Refusal::Unauthorized(message, id)) => return ListRepositoryImagesResponse::Unauthorized(self.error_response(NAME, id, message)),
            Err(Refusal::Forbidden(message, id)) => return ListRepositoryImagesResponse::Forbidden(self.error_response(NAME, id, message)),
        };
        let from = active_from(request.active_from.as_deref(), store.now());
        let Some(repo) = store.repo(&request.namespace, &request.repository) else {
            let empty = m::GetNamespaceRepositoryImagesResponse { count: Some(0), next: None, previous: None, results: Some(Vec::new()), additional_properties: Default::default() };
            return ListRepositoryImagesResponse::Ok(Box::new(empty));
        };
        let wanted_status = request.status.as_ref().map(|s| *s == m::Status::Active);
        let mut images: Vec<&ImageRecord> = repo
            .images
            .iter()
            .filter(|i| wanted_status.is_none_or(|active| is_active(i, from) == active))
            .filter(|i| request.currently_tagged.is_none_or(|tagged| repo.current_tags(&i.digest).is_empty() != tagged))
            .collect();
        match request.ordering.as_ref().unwrap_or(&m::ListRepositoryImagesOrdering::LastActivityDesc) {
            m::ListRepositoryImagesOrdering::LastActivity => images.sort_by(|a, b| a.last_activity().cmp(&b.last_activity()).then(a.digest.cmp(&b.digest))),
            m::ListRepositoryImagesOrdering::Digest => images.sort_by(|a, b| a.digest.cmp(&b.digest)),
            m::ListRepositoryImagesOrdering::DigestDesc => images.sort_by(|a, b| b.digest.cmp(&a.digest)),
            _ => images.sort_by(|a, b| b.last_activity().cmp(&a.last_activity()).then(a.digest.cmp(&b.digest))),
        }
        let results: Vec<m::GetNamespaceRepositoryImagesResponseResult> = images
            .into_iter()
            .map(|image| {
                let current = repo.current_tags(&image.digest);
                let tags = image
                    .tag_history
                    .iter()
                    .map(|tag| m::GetNamespaceRepositoryImagesResponseResultTag { tag: Some(tag.clone()), is_current: Some(current.contains(tag)), additional_properties: Default::default() })
                    .collect();
                let status = if is_active(image, from) { m::Status::Active } else { m::Status::Inactive };
                m::GetNamespaceRepositoryImagesResponseResult {
                    namespace: Some(repo.namespace.clone()),
                    repository: Some(repo.name.clone()),
                    digest: Some(image.digest.clone()),
                    tags: Some(tags),
                    last_pushed: Some(Some(timestamp(image.last_pushed))),
                    last_pulled: Some(image.last_pulled.map(timestamp)),
                    status: Some(status),
                    additional_properties: Default::default(),
                }
            })
            .collect();
        let page = paginate(results, PageRequest::clamped(request.page, request.page_size, 10, 100), &request.context);
        ListRepositoryImagesResponse::Ok(Box::new(m::GetNamespaceRepositoryImagesResponse {
            count: Some(page.count as i64),
            next: Some(page.next),
            previous: Some(page.previous),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn list_image_tags(&self, request: ListImageTagsRequest) -> ListImageTagsResponse {
        const NAME: &str = "GetNamespacesRepositoriesImagesTags";
        let store = match self.image_reader(&request.context.credentials(), &request.namespace, true) {
            Ok(store) => store,
            Err(Refusal::Unauthorized(message, id)) => return ListImageTagsResponse::Unauthorized(self.error_response(NAME, id, message)),
            Err(Refusal::Forbidden(message, id)) => return ListImageTagsResponse::Forbidden(self.error_response(NAME, id, message)),
        };
        let repo = store.repo(&request.namespace, &request.repository);
        let mut tags: Vec<m::GetNamespaceRepositoryImagesResponseResultTag> = match repo.and_then(|r| r.image(&request.digest).map(|i| (r, i))) {
            Some((repo, image)) => {
                let current = repo.current_tags(&image.digest);
                image.tag_history.iter().map(|tag| m::GetNamespaceRepositoryImagesResponseResultTag { tag: Some(tag.clone()), is_current: Some(current.contains(tag)), additional_properties: Default::default() }).collect()
            }
            None => Vec::new(),
        };
        // Current tags first, then by name.
        tags.sort_by(|a, b| b.is_current.cmp(&a.is_current).then_with(|| a.tag.cmp(&b.tag)));
        let page = paginate(tags, PageRequest::clamped(request.page, request.page_size, 10, 100), &request.context);
        ListImageTagsResponse::Ok(Box::new(m::GetNamespaceRepositoryImagesTagsResponse {
            count: Some(page.count as i64),
            next: Some(page.next),
            previous: Some(page.previous),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn delete_images(&self, request: DeleteImagesRequest) -> DeleteImagesResponse {
        self.delete_images_now(request)
    }
}
