//! Organisation members (`/v2/orgs/{org_name}/members`): members may list them (with pending
//! invitees when asked), owners export them as CSV, change a member's role (`owner`, `editor` or
//! `member`) and remove members. The last owner can be neither demoted nor removed, as Docker's
//! documentation says of organisations ("an organization must have at least one owner").

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    DeleteOrgMemberRequest, DeleteOrgMemberResponse, ExportOrgMembersRequest, ExportOrgMembersResponse, ListOrgMembersRequest, ListOrgMembersResponse, Orgs,
    UpdateOrgMemberRequest, UpdateOrgMemberResponse,
};

use crate::access::{refuse, OrgNeed};
use crate::errors::hub_error2;
use crate::hub::Hub;
use crate::pagination::{paginate, PageRequest};
use crate::store::{timestamp, Org, Store};

/// A member's role as the API names it.
pub(crate) fn role_name(org: &Org, username: &str) -> &'static str {
    let key = username.to_ascii_lowercase();
    if org.owners.contains(&key) {
        "owner"
    } else if org.editors.contains(&key) {
        "editor"
    } else {
        "member"
    }
}

/// The groups of `org` that `username` belongs to, by name.
pub(crate) fn groups_of(store: &Store, org: &str, username: &str) -> Vec<String> {
    let key = username.to_ascii_lowercase();
    store.groups.values().filter(|g| g.org.eq_ignore_ascii_case(org) && g.members.contains(&key)).map(|g| g.name.clone()).collect()
}

/// The API's view of a member (lowercase `key`) of `org`.
fn member_view(store: &Store, org: &Org, key: &str) -> Option<m::OrgMember> {
    let user = store.user(key)?;
    // The listing's `role` knows Owner, Member and Invitee only: an editor is listed as a member.
    let role = if org.owners.contains(key) { m::OrgMemberRole::Owner } else { m::OrgMemberRole::Member };
    Some(m::OrgMember {
        id: Some(user.id.to_string()),
        username: Some(user.username.clone()),
        full_name: Some(user.username.clone()),
        date_joined: org.joined.get(key).map(|t| timestamp(*t)),
        type_: Some(m::GroupMemberType::User),
        email: user.emails.first().cloned(),
        role: Some(role),
        groups: Some(groups_of(store, &org.name, key)),
        is_guest: Some(false),
        ..Default::default()
    })
}

/// The API's view of a pending invitee.
fn invitee_view(invitee: &str, created: &str) -> m::OrgMember {
    m::OrgMember {
        username: Some(invitee.to_owned()),
        email: invitee.contains('@').then(|| invitee.to_owned()),
        date_joined: Some(created.to_owned()),
        role: Some(m::OrgMemberRole::Invitee),
        groups: Some(Vec::new()),
        is_guest: Some(false),
        ..Default::default()
    }
}

impl Orgs for Hub {
    async fn list_org_members(&self, request: ListOrgMembersRequest) -> ListOrgMembersResponse {
        let (store, _, name) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Member) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ListOrgMembersResponse, refusal, hub_error2),
        };
        let page = match PageRequest::checked(request.page, request.page_size, 25, 100) {
            Ok(page) => page,
            Err(e) => return ListOrgMembersResponse::BadRequest(hub_error2(format!("{}: {e}", e.field()))),
        };
        let Some(org) = store.orgs.get(&name.to_ascii_lowercase()) else {
            return ListOrgMembersResponse::NotFound(hub_error2("organization not found"));
        };
        let kind = request.type_.unwrap_or(if request.invites == Some(true) { m::Type::All } else { m::Type::Member });
        let mut results = Vec::new();
        if matches!(kind, m::Type::All | m::Type::Member) {
            for key in org.owners.iter().chain(&org.members) {
                let wanted = match &request.role {
                    None => true,
                    Some(m::Role::Owner) => role_name(org, key) == "owner",
                    Some(m::Role::Editor) => role_name(org, key) == "editor",
                    Some(m::Role::Member) => role_name(org, key) == "member",
                    Some(m::Role::Unknown(_)) => false,
                };
                if wanted {
                    results.extend(member_view(&store, org, key));
                }
            }
        }
        if matches!(kind, m::Type::All | m::Type::Invitee) && request.role.is_none() {
            for invite in store.invites.iter().filter(|i| i.org.eq_ignore_ascii_case(&name)) {
                results.push(invitee_view(&invite.invitee, &timestamp(invite.created_at)));
            }
        }
        // `search` is typed as an integer by the spec; fake-hub matches its digits in user names.
        if let Some(search) = request.search {
            let needle = search.to_string();
            results.retain(|r| r.username.as_deref().is_some_and(|u| u.contains(&needle)));
        }
        // Sorted by user name (the documentation names no order; fake-hub guesses).
        results.sort_by(|a, b| a.username.cmp(&b.username));
        let page = paginate(results, page, &request.context);
        ListOrgMembersResponse::Ok(Box::new(m::OrgMemberPaginated {
            count: Some(page.count as f64),
            next: page.next.map(Some),
            previous: page.previous.map(Some),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn export_org_members(&self, request: ExportOrgMembersRequest) -> ExportOrgMembersResponse {
        let (store, _, name) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ExportOrgMembersResponse, refusal, hub_error2),
        };
        let Some(org) = store.orgs.get(&name.to_ascii_lowercase()) else {
            return ExportOrgMembersResponse::NotFound(hub_error2("organization not found"));
        };
        let mut body = Vec::new();
        for key in org.owners.iter().chain(&org.members) {
            let Some(user) = store.user(key) else { continue };
            let permission = if org.owners.contains(key) { m::ExportOrgMembersResponseItemPermission::Owner } else { m::ExportOrgMembersResponseItemPermission::Member };
            body.push(m::ExportOrgMembersResponseItem {
                name: user.username.clone(),
                username: user.username.clone(),
                email: user.emails.first().cloned().unwrap_or_default(),
                type_: m::ExportOrgMembersResponseItemType::User,
                permission: Some(permission),
                teams: Some(groups_of(&store, &name, key).join(",")),
                date_joined: org.joined.get(key).map(|t| timestamp(*t)).unwrap_or_default(),
                additional_properties: Default::default(),
            });
        }
        for invite in store.invites.iter().filter(|i| i.org.eq_ignore_ascii_case(&name)) {
            body.push(m::ExportOrgMembersResponseItem {
                name: String::new(),
                username: invite.invitee.clone(),
                email: if invite.invitee.contains('@') { invite.invitee.clone() } else { String::new() },
                type_: m::ExportOrgMembersResponseItemType::Invitee,
                permission: None,
                teams: invite.team.clone(),
                date_joined: timestamp(invite.created_at),
                additional_properties: Default::default(),
            });
        }
        let date = store.now().format("%Y-%m-%d");
        ExportOrgMembersResponse::Ok { body, content_disposition: Some(format!("attachment;filename=\"{name}-members-{date}.csv\"")) }
    }

    async fn update_org_member(&self, request: UpdateOrgMemberRequest) -> UpdateOrgMemberResponse {
        let (mut store, caller, name) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(UpdateOrgMemberResponse, refusal, hub_error2),
        };
        let key = request.username.to_ascii_lowercase();
        let role = match &request.body.role {
            m::Role::Owner => "owner",
            m::Role::Editor => "editor",
            m::Role::Member => "member",
            m::Role::Unknown(other) => return UpdateOrgMemberResponse::BadRequest(hub_error2(format!("`{other}` is not a role: use owner, editor or member"))),
        };
        let Some(org) = store.orgs.get_mut(&name.to_ascii_lowercase()) else {
            return UpdateOrgMemberResponse::NotFound(hub_error2("organization not found"));
        };
        if !org.owners.contains(&key) && !org.members.contains(&key) {
            return UpdateOrgMemberResponse::NotFound(hub_error2(format!("{} is not a member of {name}", request.username)));
        }
        if role != "owner" && org.owners.contains(&key) && org.owners.len() == 1 {
            return UpdateOrgMemberResponse::BadRequest(hub_error2("an organization must keep at least one owner"));
        }
        org.owners.remove(&key);
        org.members.remove(&key);
        org.editors.remove(&key);
        match role {
            "owner" => {
                org.owners.insert(key.clone());
            }
            "editor" => {
                org.editors.insert(key.clone());
                org.members.insert(key.clone());
            }
            _ => {
                org.members.insert(key.clone());
            }
        }
        let data = BTreeMap::from([("member".to_owned(), request.username.clone()), ("role".to_owned(), role.to_owned())]);
        store.record(&name, "org.member.role.change", &name, &caller.username, data, format!("changed the role of {} to {role}", request.username));
        let Some(org) = store.orgs.get(&name.to_ascii_lowercase()) else {
            return UpdateOrgMemberResponse::NotFound(hub_error2("organization not found"));
        };
        match member_view(&store, org, &key) {
            Some(view) => UpdateOrgMemberResponse::Ok(Box::new(view)),
            None => UpdateOrgMemberResponse::NotFound(hub_error2(format!("no user is called {}", request.username))),
        }
    }

    async fn delete_org_member(&self, request: DeleteOrgMemberRequest) -> DeleteOrgMemberResponse {
        let (mut store, caller, name) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(DeleteOrgMemberResponse, refusal, hub_error2),
        };
        let key = request.username.to_ascii_lowercase();
        let Some(org) = store.orgs.get_mut(&name.to_ascii_lowercase()) else {
            return DeleteOrgMemberResponse::NotFound(hub_error2("organization not found"));
        };
        if !org.owners.contains(&key) && !org.members.contains(&key) {
            return DeleteOrgMemberResponse::NotFound(hub_error2(format!("{} is not a member of {name}", request.username)));
        }
        if org.owners.contains(&key) && org.owners.len() == 1 {
            return DeleteOrgMemberResponse::BadRequest(hub_error2("the last owner of an organization cannot be removed"));
        }
        org.owners.remove(&key);
        org.members.remove(&key);
        org.editors.remove(&key);
        org.joined.remove(&key);
        // Leaving the organisation leaves its groups.
        for group in store.groups.values_mut().filter(|g| g.org.eq_ignore_ascii_case(&name)) {
            group.members.remove(&key);
        }
        let data = BTreeMap::from([("member".to_owned(), request.username.clone())]);
        store.record(&name, "org.member.remove", &name, &caller.username, data, format!("removed {} from the organization", request.username));
        DeleteOrgMemberResponse::NoContent
    }
}
