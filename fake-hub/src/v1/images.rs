//! v1 repository image lists: anyone may read a public repository's list; updating it takes HTTP
//! Basic with write access to the namespace, or the index token issued for that repository with
//! `write` access (what a registry holds during a push). Entries are merged by image id.

use dockerhub_server::models::v1 as m;
use dockerhub_server::v1::{
    Images, ListLibraryRepositoryImagesRequest, ListLibraryRepositoryImagesResponse, ListUserRepositoryImagesRequest, ListUserRepositoryImagesResponse,
    UpdateLibraryRepositoryImagesRequest, UpdateLibraryRepositoryImagesResponse, UpdateUserRepositoryImagesRequest, UpdateUserRepositoryImagesResponse,
};
use dockerhub_server::Credentials;

use crate::access::can_read_repo;
use crate::hub::Hub;
use crate::store::V1Image;
use crate::v1::{Denied, Need, LIBRARY};

/// What an update answers.
enum Update {
    Done,
    NoRepository,
    Denied(Denied),
}

impl Hub {
    /// The image list of `namespace/name`, if the caller may see it.
    fn v1_images(&self, credentials: &Option<Credentials>, namespace: &str, name: &str) -> Option<m::ImageList> {
        // Private repositories are hidden (404) unless valid Basic credentials of a member come along.
        let caller = match credentials {
            Some(Credentials::Basic { .. }) => self.basic_caller(credentials).ok(),
            _ => None,
        };
        let store = self.lock();
        let repo = store.repo(namespace, name)?;
        if !can_read_repo(&store, caller.as_ref(), repo) {
            return None;
        }
        Some(repo.v1_images.iter().map(|i| m::Image { id: i.id.clone(), checksum: i.checksum.clone(), additional_properties: Default::default() }).collect())
    }

    /// Merges `images` into the list of `namespace/name`.
    fn v1_update_images(&self, credentials: &Option<Credentials>, namespace: &str, name: &str, images: &m::ImageList) -> Update {
        let full_name = format!("{}/{}", namespace.to_ascii_lowercase(), name.to_ascii_lowercase());
        let by_token = matches!(credentials, Some(Credentials::Token { access: Some(access), .. }) if access == "write") && self.v1_token_grants(credentials, &full_name);
        if !by_token {
            if let Err(denied) = self.v1_changer(credentials, namespace, Need::Write) {
                return Update::Denied(denied);
            }
        }
        let mut store = self.lock();
        let Some(repo) = store.repo_mut(namespace, name) else {
            return Update::NoRepository;
        };
        for image in images {
            match repo.v1_images.iter_mut().find(|i| i.id == image.id) {
                Some(existing) => existing.checksum = image.checksum.clone().or(existing.checksum.take()),
                None => repo.v1_images.push(V1Image { id: image.id.clone(), checksum: image.checksum.clone() }),
            }
        }
        Update::Done
    }
}

impl Images for Hub {
    async fn list_user_repository_images(&self, request: ListUserRepositoryImagesRequest) -> ListUserRepositoryImagesResponse {
        match self.v1_images(&request.context.credentials(), &request.namespace, &request.repo_name) {
            Some(images) => ListUserRepositoryImagesResponse::Ok(images),
            None => ListUserRepositoryImagesResponse::NotFound,
        }
    }

    async fn update_user_repository_images(&self, request: UpdateUserRepositoryImagesRequest) -> UpdateUserRepositoryImagesResponse {
        match self.v1_update_images(&request.context.credentials(), &request.namespace, &request.repo_name, &request.body) {
            Update::Done => UpdateUserRepositoryImagesResponse::NoContent,
            // The operation documents no 404: updating a repository that is not there is a bad request.
            Update::NoRepository => UpdateUserRepositoryImagesResponse::BadRequest,
            Update::Denied(Denied::Unauthorized) => UpdateUserRepositoryImagesResponse::Unauthorized,
            Update::Denied(Denied::Forbidden) => UpdateUserRepositoryImagesResponse::Forbidden,
        }
    }

    async fn list_library_repository_images(&self, request: ListLibraryRepositoryImagesRequest) -> ListLibraryRepositoryImagesResponse {
        match self.v1_images(&request.context.credentials(), LIBRARY, &request.repo_name) {
            Some(images) => ListLibraryRepositoryImagesResponse::Ok(images),
            None => ListLibraryRepositoryImagesResponse::NotFound,
        }
    }

    async fn update_library_repository_images(&self, request: UpdateLibraryRepositoryImagesRequest) -> UpdateLibraryRepositoryImagesResponse {
        match self.v1_update_images(&request.context.credentials(), LIBRARY, &request.repo_name, &request.body) {
            Update::Done => UpdateLibraryRepositoryImagesResponse::NoContent,
            Update::NoRepository => UpdateLibraryRepositoryImagesResponse::BadRequest,
            Update::Denied(Denied::Unauthorized) => UpdateLibraryRepositoryImagesResponse::Unauthorized,
            Update::Denied(Denied::Forbidden) => UpdateLibraryRepositoryImagesResponse::Forbidden,
        }
    }
}
