//! v1 repository create and delete (user and `library` routes), with the index token on request,
//! and `PUT …/auth`, where a registry checks such a token. Created repositories are the same ones
//! the v2 API lists; creation and deletion are audited.

use std::collections::BTreeMap;

use dockerhub_server::models::v1 as m;
use dockerhub_server::v1::{
    Auth, AuthorizeLibraryRepositoryTokenRequest, AuthorizeLibraryRepositoryTokenResponse, AuthorizeUserRepositoryTokenRequest, AuthorizeUserRepositoryTokenResponse,
    CreateLibraryRepositoryRequest, CreateLibraryRepositoryResponse, CreateUserRepositoryRequest, CreateUserRepositoryResponse, DeleteLibraryRepositoryRequest,
    DeleteLibraryRepositoryResponse, DeleteUserRepositoryRequest, DeleteUserRepositoryResponse, Repositories,
};
use dockerhub_server::Credentials;

use crate::hub::{create_repository, valid_name, Hub};
use crate::store::V1Image;
use crate::v1::{Denied, Need, LIBRARY};

/// What a create or delete call answers, before it is put in the operation's own enum.
enum Answer {
    Done { token: Option<(String, String)>, endpoints: String },
    BadRequest,
    Denied(Denied),
}

impl Hub {
    /// Creates (or refreshes the image list of) `namespace/name`.
    fn v1_create(&self, credentials: &Option<Credentials>, namespace: &str, name: &str, images: &m::ImageList, wants_token: bool) -> Answer {
        let caller = match self.v1_changer(credentials, namespace, Need::Write) {
            Ok(caller) => caller,
            Err(denied) => return Answer::Denied(denied),
        };
        if !valid_name(name) {
            return Answer::BadRequest;
        }
        let mut store = self.lock();
        if store.repo(namespace, name).is_none() {
            if create_repository(&mut store, namespace, name, false).is_err() {
                return Answer::BadRequest;
            }
            let full_name = format!("{}/{}", namespace.to_ascii_lowercase(), name.to_ascii_lowercase());
            let data = BTreeMap::from([("private".to_owned(), "false".to_owned())]);
            store.record(namespace, "repo.create", &full_name, &caller.username, data, format!("created the repository {full_name}"));
        }
        let Some(repo) = store.repo_mut(namespace, name) else {
            return Answer::BadRequest;
        };
        repo.v1_images = images.iter().map(|i| V1Image { id: i.id.clone(), checksum: i.checksum.clone() }).collect();
        let full_name = repo.full_name();
        let token = wants_token.then(|| {
            let issued = self.issue_v1_token(&mut store, &full_name, "write");
            (issued.token, issued.www_authenticate)
        });
        Answer::Done { token, endpoints: self.config.v1_endpoints.clone() }
    }

    /// Deletes `namespace/name`.
    fn v1_delete(&self, credentials: &Option<Credentials>, namespace: &str, name: &str, wants_token: bool) -> Answer {
        let caller = match self.v1_changer(credentials, namespace, Need::Admin) {
            Ok(caller) => caller,
            Err(denied) => return Answer::Denied(denied),
        };
        let mut store = self.lock();
        let key = crate::store::repo_key(namespace, name);
        // The operation documents no 404: deleting what is not there is a bad request.
        let Some(repo) = store.repos.remove(&key) else {
            return Answer::BadRequest;
        };
        let full_name = repo.full_name();
        let data = BTreeMap::from([("images".to_owned(), repo.images.len().to_string())]);
        store.record(&repo.namespace, "repo.delete", &full_name, &caller.username, data, format!("deleted the repository {full_name}"));
        let token = wants_token.then(|| {
            let issued = self.issue_v1_token(&mut store, &full_name, "delete");
            (issued.token, issued.www_authenticate)
        });
        Answer::Done { token, endpoints: self.config.v1_endpoints.clone() }
    }

    /// Whether the index token in `credentials` is good for `namespace/name`, and the repository exists.
    fn v1_authorize(&self, credentials: &Option<Credentials>, namespace: &str, name: &str) -> TokenCheck {
        let full_name = format!("{}/{}", namespace.to_ascii_lowercase(), name.to_ascii_lowercase());
        if !self.v1_token_grants(credentials, &full_name) {
            TokenCheck::Refused
        } else if self.lock().repo(namespace, name).is_none() {
            TokenCheck::NoRepository
        } else {
            TokenCheck::Granted
        }
    }
}

/// What `PUT …/auth` finds.
enum TokenCheck {
    /// The token was issued for this repository and is still valid.
    Granted,
    /// No, a wrong or an expired token (403).
    Refused,
    /// A good token, but the repository is gone (404).
    NoRepository,
}

/// Splits an issued token into the three optional headers.
fn headers(token: Option<(String, String)>, endpoints: String) -> (Option<String>, Option<String>, Option<String>) {
    let (token, www) = token.map_or((None, None), |(t, w)| (Some(t), Some(w)));
    (www, token, Some(endpoints))
}

impl Repositories for Hub {
    async fn create_user_repository(&self, request: CreateUserRepositoryRequest) -> CreateUserRepositoryResponse {
        match self.v1_create(&request.context.credentials(), &request.namespace, &request.repo_name, &request.body, request.x_docker_token == Some(true)) {
            Answer::Done { token, endpoints } => {
                let (www_authenticate, x_docker_token, x_docker_endpoints) = headers(token, endpoints);
                CreateUserRepositoryResponse::Ok { body: String::new(), www_authenticate, x_docker_token, x_docker_endpoints }
            }
            Answer::BadRequest => CreateUserRepositoryResponse::BadRequest,
            Answer::Denied(Denied::Unauthorized) => CreateUserRepositoryResponse::Unauthorized,
            Answer::Denied(Denied::Forbidden) => CreateUserRepositoryResponse::Forbidden,
        }
    }

    async fn delete_user_repository(&self, request: DeleteUserRepositoryRequest) -> DeleteUserRepositoryResponse {
        match self.v1_delete(&request.context.credentials(), &request.namespace, &request.repo_name, request.x_docker_token == Some(true)) {
            Answer::Done { token, endpoints } => {
                let (www_authenticate, x_docker_token, x_docker_endpoints) = headers(token, endpoints);
                DeleteUserRepositoryResponse::Accepted { body: String::new(), www_authenticate, x_docker_token, x_docker_endpoints }
            }
            Answer::BadRequest => DeleteUserRepositoryResponse::BadRequest,
            Answer::Denied(Denied::Unauthorized) => DeleteUserRepositoryResponse::Unauthorized,
            Answer::Denied(Denied::Forbidden) => DeleteUserRepositoryResponse::Forbidden,
        }
    }

    async fn create_library_repository(&self, request: CreateLibraryRepositoryRequest) -> CreateLibraryRepositoryResponse {
        match self.v1_create(&request.context.credentials(), LIBRARY, &request.repo_name, &request.body, request.x_docker_token == Some(true)) {
            Answer::Done { token, endpoints } => {
                let (www_authenticate, x_docker_token, x_docker_endpoints) = headers(token, endpoints);
                CreateLibraryRepositoryResponse::Ok { body: String::new(), www_authenticate, x_docker_token, x_docker_endpoints }
            }
            Answer::BadRequest => CreateLibraryRepositoryResponse::BadRequest,
            Answer::Denied(Denied::Unauthorized) => CreateLibraryRepositoryResponse::Unauthorized,
            Answer::Denied(Denied::Forbidden) => CreateLibraryRepositoryResponse::Forbidden,
        }
    }

    async fn delete_library_repository(&self, request: DeleteLibraryRepositoryRequest) -> DeleteLibraryRepositoryResponse {
        match self.v1_delete(&request.context.credentials(), LIBRARY, &request.repo_name, request.x_docker_token == Some(true)) {
            Answer::Done { token, endpoints } => {
                let (www_authenticate, x_docker_token, x_docker_endpoints) = headers(token, endpoints);
                DeleteLibraryRepositoryResponse::Accepted { body: String::new(), www_authenticate, x_docker_token, x_docker_endpoints }
            }
            Answer::BadRequest => DeleteLibraryRepositoryResponse::BadRequest,
            Answer::Denied(Denied::Unauthorized) => DeleteLibraryRepositoryResponse::Unauthorized,
            Answer::Denied(Denied::Forbidden) => DeleteLibraryRepositoryResponse::Forbidden,
        }
    }
}

impl Auth for Hub {
    async fn authorize_library_repository_token(&self, request: AuthorizeLibraryRepositoryTokenRequest) -> AuthorizeLibraryRepositoryTokenResponse {
        match self.v1_authorize(&request.context.credentials(), LIBRARY, &request.repo_name) {
            TokenCheck::Granted => AuthorizeLibraryRepositoryTokenResponse::Ok("OK".into()),
            TokenCheck::Refused => AuthorizeLibraryRepositoryTokenResponse::Forbidden,
            TokenCheck::NoRepository => AuthorizeLibraryRepositoryTokenResponse::NotFound,
        }
    }

    async fn authorize_user_repository_token(&self, request: AuthorizeUserRepositoryTokenRequest) -> AuthorizeUserRepositoryTokenResponse {
        match self.v1_authorize(&request.context.credentials(), &request.namespace, &request.repo_name) {
            TokenCheck::Granted => AuthorizeUserRepositoryTokenResponse::Ok("OK".into()),
            TokenCheck::Refused => AuthorizeUserRepositoryTokenResponse::Forbidden,
            TokenCheck::NoRepository => AuthorizeUserRepositoryTokenResponse::NotFound,
        }
    }
}
