//! SCIM 2.0 provisioning (`/v2/scim/2.0/…`): the service's self-description and the Users
//! resource, with filters ([`filter`]), sorting, `startIndex`/`count` paging and `attributes`
//! projection. Every call must present the organisation's SCIM bearer token (`bearerSCIMAuth`), a
//! credential separate from user sessions.

pub(crate) mod filter;
pub(crate) mod resources;
pub(crate) mod users;

use std::cmp::Ordering;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    CreateUserRequest, CreateUserResponse, GetResourceTypeRequest, GetResourceTypeResponse, GetSchemaRequest, GetSchemaResponse, GetServiceProviderConfigRequest,
    GetServiceProviderConfigResponse, GetUserRequest, GetUserResponse, ListResourceTypesRequest, ListResourceTypesResponse, ListSchemasRequest, ListSchemasResponse,
    ListUsersRequest, ListUsersResponse, Scim, UpdateUserRequest, UpdateUserResponse,
};
use dockerhub_server::Credentials;

use crate::context;
use crate::crypto::constant_time_eq;
use crate::errors::{scim_bad_request, scim_error};
use crate::hub::Hub;
use crate::scim::filter::{normalise_path, AttrValue};
use crate::scim::resources::{LIST_SCHEMA, USER_SCHEMA};
use crate::scim::users::{lookup, project, provision, view, ProvisionError, KNOWN_ATTRIBUTES};

/// How many users a page holds when `count` is not given.
const DEFAULT_COUNT: i64 = 100;

impl Hub {
    /// Checks the SCIM bearer token; the error is the 401 body.
    fn scim_auth(&self, credentials: &Option<Credentials>) -> Result<(), m::ScimError> {
        let expected = self.lock().scim_token.clone();
        match (credentials, expected) {
            (None, _) => Err(scim_error(401, "Authentication credentials were not provided.")),
            (Some(Credentials::Bearer(token)), Some(expected)) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
            (Some(Credentials::Bearer(_)), _) => Err(scim_error(401, "Invalid SCIM bearer token")),
            (Some(_), _) => Err(scim_error(401, "SCIM calls take the organization's SCIM bearer token")),
        }
    }
}

/// The SCIM answer to a schemas list without the core User schema.
fn check_schemas(schemas: &[String]) -> Result<(), m::ScimBadRequest> {
    if schemas.iter().any(|s| s.eq_ignore_ascii_case(USER_SCHEMA)) {
        Ok(())
    } else {
        Err(scim_bad_request("invalidValue", format!("schemas: must include {USER_SCHEMA}")))
    }
}

/// Compares two users by their first value of the attribute `path`; unassigned values sort last.
fn by_attribute(path: &str, a: &crate::store::ScimUserRecord, b: &crate::store::ScimUserRecord) -> Ordering {
    let key = |u| match lookup(u, path).into_iter().next() {
        Some(AttrValue::Str { text, case_exact: false }) => Some(text.to_lowercase()),
        Some(AttrValue::Str { text, case_exact: true }) => Some(text),
        Some(AttrValue::Bool(b)) => Some(b.to_string()),
        None => None,
    };
    match (key(a), key(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

impl Scim for Hub {
    async fn get_service_provider_config(&self, request: GetServiceProviderConfigRequest) -> GetServiceProviderConfigResponse {
        match self.scim_auth(&request.context.credentials()) {
            Ok(()) => GetServiceProviderConfigResponse::Ok(Box::new(resources::service_provider_config())),
            Err(e) => GetServiceProviderConfigResponse::Unauthorized(e),
        }
    }

    async fn list_resource_types(&self, request: ListResourceTypesRequest) -> ListResourceTypesResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return ListResourceTypesResponse::Unauthorized(e);
        }
        ListResourceTypesResponse::Ok(m::ScimGetResourceTypesResponse {
            schemas: Some(vec![LIST_SCHEMA.into()]),
            total_results: Some(1),
            resources: Some(vec![resources::user_resource_type()]),
            additional_properties: Default::default(),
        })
    }

    async fn get_resource_type(&self, request: GetResourceTypeRequest) -> GetResourceTypeResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return GetResourceTypeResponse::Unauthorized(e);
        }
        let user = resources::user_resource_type();
        if user.id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(&request.name)) {
            GetResourceTypeResponse::Ok(Box::new(user))
        } else {
            GetResourceTypeResponse::NotFound(scim_error(404, "Resource type not found"))
        }
    }

    async fn list_schemas(&self, request: ListSchemasRequest) -> ListSchemasResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return ListSchemasResponse::Unauthorized(e);
        }
        ListSchemasResponse::Ok(m::ScimGetSchemasResponse {
            schemas: Some(vec![LIST_SCHEMA.into()]),
            total_results: Some(1),
            resources: Some(vec![resources::user_schema()]),
            additional_properties: Default::default(),
        })
    }

    async fn get_schema(&self, request: GetSchemaRequest) -> GetSchemaResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return GetSchemaResponse::Unauthorized(e);
        }
        if request.id.eq_ignore_ascii_case(USER_SCHEMA) {
            GetSchemaResponse::Ok(Box::new(resources::user_schema()))
        } else {
            GetSchemaResponse::NotFound(scim_error(404, "Schema not found"))
        }
    }

    async fn list_users(&self, request: ListUsersRequest) -> ListUsersResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return ListUsersResponse::Unauthorized(e);
        }
        let parsed = match request.filter.as_deref().map(filter::parse).transpose() {
            Ok(parsed) => parsed,
            Err(e) => return ListUsersResponse::BadRequest(Box::new(scim_bad_request("invalidFilter", format!("filter: {e}")))),
        };
        if let Some(unknown) = parsed.iter().flat_map(|f| f.attributes()).find(|a| !KNOWN_ATTRIBUTES.contains(a)) {
            return ListUsersResponse::BadRequest(Box::new(scim_bad_request("invalidFilter", format!("filter: unknown attribute `{unknown}`"))));
        }
        let sort_by = request.sort_by.as_deref().map(normalise_path);
        if let Some(path) = sort_by.as_deref().filter(|p| !KNOWN_ATTRIBUTES.contains(p)) {
            return ListUsersResponse::BadRequest(Box::new(scim_bad_request("invalidValue", format!("sortBy: unknown attribute `{path}`"))));
        }
        let descending = request.sort_order.as_ref() == Some(&m::ListUsersSortOrder::Descending);
        let start = request.start_index.unwrap_or(1).max(1);
        let count = request.count.unwrap_or(DEFAULT_COUNT).clamp(0, resources::MAX_RESULTS);
        let base = context::base_url(&request.context);
        let store = self.lock();
        let mut found: Vec<&crate::store::ScimUserRecord> =
            store.scim_users.iter().filter(|u| parsed.as_ref().is_none_or(|f| f.matches(&|path: &str| lookup(u, path)))).collect();
        if let Some(path) = &sort_by {
            // A stable sort: creation order breaks ties.
            found.sort_by(|a, b| {
                let order = by_attribute(path, a, b);
                if descending { order.reverse() } else { order }
            });
        } else if descending {
            found.reverse();
        }
        let total = found.len() as i64;
        let skip = usize::try_from(start - 1).unwrap_or(usize::MAX);
        let take = usize::try_from(count).unwrap_or(0);
        let page: Vec<m::ScimUser> = found.into_iter().skip(skip).take(take).map(|u| project(view(u, &base), request.attributes.as_deref())).collect();
        ListUsersResponse::Ok(Box::new(m::ScimGetUsersResponse {
            schemas: Some(vec![LIST_SCHEMA.into()]),
            total_results: Some(total),
            start_index: Some(start),
            items_per_page: Some(page.len() as i64),
            resources: Some(page),
            additional_properties: Default::default(),
        }))
    }

    async fn create_user(&self, request: CreateUserRequest) -> CreateUserResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return CreateUserResponse::Unauthorized(e);
        }
        if let Err(e) = check_schemas(&request.body.schemas) {
            return CreateUserResponse::BadRequest(Box::new(e));
        }
        let name = request.body.name.unwrap_or_default();
        let base = context::base_url(&request.context);
        let mut store = self.lock();
        match provision(&mut store, request.body.user_name.trim(), name.given_name, name.family_name) {
            Ok(user) => CreateUserResponse::Created(Box::new(view(&user, &base))),
            Err(e @ ProvisionError::Conflict(_)) => CreateUserResponse::Conflict(scim_error(409, e.to_string())),
            Err(e @ ProvisionError::NotAnEmail(_)) => CreateUserResponse::BadRequest(Box::new(scim_bad_request("invalidValue", e.to_string()))),
        }
    }

    async fn get_user(&self, request: GetUserRequest) -> GetUserResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return GetUserResponse::Unauthorized(e);
        }
        let base = context::base_url(&request.context);
        let store = self.lock();
        match store.scim_users.iter().find(|u| u.id == request.id) {
            Some(user) => GetUserResponse::Ok(Box::new(view(user, &base))),
            None => GetUserResponse::NotFound(scim_error(404, "User not found")),
        }
    }

    async fn update_user(&self, request: UpdateUserRequest) -> UpdateUserResponse {
        if let Err(e) = self.scim_auth(&request.context.credentials()) {
            return UpdateUserResponse::Unauthorized(e);
        }
        if let Err(e) = check_schemas(&request.body.schemas) {
            return UpdateUserResponse::BadRequest(Box::new(e));
        }
        let base = context::base_url(&request.context);
        let mut store = self.lock();
        let now = store.now();
        let Some(index) = store.scim_users.iter().position(|u| u.id == request.id) else {
            return UpdateUserResponse::NotFound(scim_error(404, "User not found"));
        };
        // A PUT replaces the user (RFC 7644 §3.5.1): an omitted `active` is not asserted, and the
        // service gives it its documented default, false (deactivated); names are changed, never
        // cleared, as the spec says.
        users::set_active(&mut store, index, request.body.active.unwrap_or(false));
        let Some(user) = store.scim_users.get_mut(index) else {
            return UpdateUserResponse::NotFound(scim_error(404, "User not found"));
        };
        if let Some(name) = request.body.name {
            user.given_name = name.given_name.or(user.given_name.take());
            user.family_name = name.family_name.or(user.family_name.take());
        }
        user.last_modified = now;
        UpdateUserResponse::Ok(Box::new(view(user, &base)))
    }
}
