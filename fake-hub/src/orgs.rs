//! Organisation settings (`/v2/orgs/{name}/settings`): members may read them, only owners acting
//! with full (`repo:admin`) credentials may change them, and every change is audited.

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{GetOrgSettingsRequest, GetOrgSettingsResponse, OrgSettings, UpdateOrgSettingsRequest, UpdateOrgSettingsResponse};

use crate::access::{can_admin_namespace, can_read_namespace};
use crate::errors::{auth_error, hub_error};
use crate::hub::Hub;
use crate::store::{Org, RestrictedImages};

fn view(org: &Org) -> m::OrgSettings {
    let r = org.restricted_images;
    m::OrgSettings {
        restricted_images: Some(m::RestrictedImages {
            enabled: Some(r.enabled),
            allow_official_images: Some(r.allow_official_images),
            allow_verified_publishers: Some(r.allow_verified_publishers),
            additional_properties: Default::default(),
        }),
        additional_properties: Default::default(),
    }
}

impl OrgSettings for Hub {
    async fn get_org_settings(&self, request: GetOrgSettingsRequest) -> GetOrgSettingsResponse {
        let caller = match self.bearer_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return GetOrgSettingsResponse::Unauthorized(auth_error(&e)),
        };
        let store = self.lock();
        let Some(org) = store.orgs.get(&request.name.to_ascii_lowercase()) else {
            return GetOrgSettingsResponse::NotFound(hub_error(format!("organization {} not found", request.name)));
        };
        if !can_read_namespace(&store, &caller, &org.name) {
            return GetOrgSettingsResponse::Forbidden(hub_error(format!("you are not a member of the organization {}", org.name)));
        }
        GetOrgSettingsResponse::Ok(view(org))
    }

    async fn update_org_settings(&self, request: UpdateOrgSettingsRequest) -> UpdateOrgSettingsResponse {
        let caller = match self.bearer_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return UpdateOrgSettingsResponse::Unauthorized(auth_error(&e)),
        };
        let mut store = self.lock();
        let key = request.name.to_ascii_lowercase();
        let Some(name) = store.orgs.get(&key).map(|o| o.name.clone()) else {
            return UpdateOrgSettingsResponse::NotFound(hub_error(format!("organization {} not found", request.name)));
        };
        if !can_admin_namespace(&store, &caller, &name) {
            return UpdateOrgSettingsResponse::Forbidden(hub_error(format!("only owners of the organization {name} can change its settings")));
        }
        let wanted = &request.body.restricted_images;
        let settings = RestrictedImages { enabled: wanted.enabled, allow_official_images: wanted.allow_official_images, allow_verified_publishers: wanted.allow_verified_publishers };
        let Some(org) = store.orgs.get_mut(&key) else {
            return UpdateOrgSettingsResponse::NotFound(hub_error(format!("organization {name} not found")));
        };
        let before = std::mem::replace(&mut org.restricted_images, settings);
        let answer = view(org);
        let data = BTreeMap::from([
            ("restricted_images.enabled".to_owned(), format!("{} -> {}", before.enabled, settings.enabled)),
            ("restricted_images.allow_official_images".to_owned(), format!("{} -> {}", before.allow_official_images, settings.allow_official_images)),
            ("restricted_images.allow_verified_publishers".to_owned(), format!("{} -> {}", before.allow_verified_publishers, settings.allow_verified_publishers)),
        ]);
        store.record(&name, "org.settings.update", &name, &caller.username, data, format!("changed the settings of the organization {name}"));
        UpdateOrgSettingsResponse::Ok(answer)
    }
}
