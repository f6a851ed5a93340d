//! Groups (teams) of an organisation (`/v2/orgs/{org_name}/groups…`): members may list and read
//! them and their members; owners create, rename, describe and delete them and add or remove
//! members (who must belong to the organisation). Group names are unique in an organisation and
//! follow the rules of other names (fake-hub guesses: the spec gives no pattern). Every change is
//! audited.

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    CreateGroupMemberRequest, CreateGroupMemberResponse, CreateOrgGroupRequest, CreateOrgGroupResponse, DeleteGroupMemberRequest, DeleteGroupMemberResponse,
    DeleteOrgGroupRequest, DeleteOrgGroupResponse, GetOrgGroupRequest, GetOrgGroupResponse, Groups, ListGroupMembersRequest, ListGroupMembersResponse,
    ListOrgGroupsRequest, ListOrgGroupsResponse, ReplaceOrgGroupRequest, ReplaceOrgGroupResponse, UpdateOrgGroupRequest, UpdateOrgGroupResponse,
};

use crate::access::{refuse, OrgNeed, OrgRefusal};
use crate::errors::hub_error2;
use crate::hub::{valid_name, Hub};
use crate::pagination::{paginate, PageRequest};
use crate::store::{date_time, GroupRecord, Store};

/// The map key of a group.
pub(crate) fn group_key(org: &str, group: &str) -> String {
    format!("{}/{}", org.to_ascii_lowercase(), group.to_ascii_lowercase())
}

/// The API's view of a group.
fn view(group: &GroupRecord) -> m::OrgGroup {
    m::OrgGroup {
        id: Some(group.id as f64),
        uuid: Some(group.uuid.clone()),
        name: Some(group.name.clone()),
        description: Some(group.description.clone()),
        member_count: Some(group.members.len() as f64),
        additional_properties: Default::default(),
    }
}

/// The page of a group listing, or the 400 naming the parameter out of range, as the members
/// listing of the same API answers.
fn page_of(page: Option<i64>, size: Option<i64>) -> Result<PageRequest, m::Error2> {
    PageRequest::checked(page, size, 10, 100).map_err(|e| hub_error2(format!("{}: {e}", e.field())))
}

/// Checks the name a group of `org` (`key`) is given: a valid name no other group has, as its
/// creation requires.
fn check_rename(store: &Store, org: &str, key: &str, name: &str) -> Result<(), m::Error2> {
    if !valid_name(name) {
        return Err(hub_error2(format!("name: `{name}` is not a valid group name")));
    }
    let new_key = group_key(org, name);
    if new_key != key && store.groups.contains_key(&new_key) {
        return Err(hub_error2(format!("name: a group {name} exists in {org}")));
    }
    Ok(())
}

/// The key of an existing group, or why there is none.
fn existing(store: &Store, org: &str, group: &str) -> Result<String, OrgRefusal> {
    let key = group_key(org, group);
    if store.groups.contains_key(&key) {
        Ok(key)
    } else {
        Err(OrgRefusal::NotFound(format!("group {group} not found in {org}")))
    }
}

impl Hub {
    /// The caller may act on the group `group` of `org` as `need` says: the locked store, the
    /// caller's name, the organisation's name and the group's key.
    fn group_caller(&self, credentials: &Option<dockerhub_server::Credentials>, org: &str, group: &str, need: OrgNeed) -> Result<(std::sync::MutexGuard<'_, Store>, String, String, String), OrgRefusal> {
        let (store, caller, org) = self.org_caller(credentials, org, need)?;
        let key = existing(&store, &org, group)?;
        Ok((store, caller.username, org, key))
    }
}

impl Groups for Hub {
    async fn list_org_groups(&self, request: ListOrgGroupsRequest) -> ListOrgGroupsResponse {
        let (store, _, org) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Member) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ListOrgGroupsResponse, refusal, hub_error2),
        };
        let member = request.username.as_deref().map(str::to_ascii_lowercase);
        let search = request.search.as_deref().map(str::to_ascii_lowercase);
        // By name, as the store keeps them.
        let groups = store
            .groups
            .values()
            .filter(|g| g.org.eq_ignore_ascii_case(&org))
            .filter(|g| member.as_ref().is_none_or(|u| g.members.contains(u)))
            .filter(|g| search.as_ref().is_none_or(|s| g.name.to_ascii_lowercase().contains(s.as_str())))
            .map(view)
            .collect();
        let page = match page_of(request.page, request.page_size) {
            Ok(page) => paginate(groups, page, &request.context),
            Err(e) => return ListOrgGroupsResponse::BadRequest(e),
        };
        ListOrgGroupsResponse::Ok(Box::new(m::ListOrgGroupsResponse {
            count: Some(page.count as f64),
            next: page.next.map(Some),
            previous: page.previous.map(Some),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn create_org_group(&self, request: CreateOrgGroupRequest) -> CreateOrgGroupResponse {
        let (mut store, caller, org) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(OrgRefusal::Unauthorized(why)) => return CreateOrgGroupResponse::Unauthorized(hub_error2(why)),
            Err(OrgRefusal::Forbidden(why)) => return CreateOrgGroupResponse::Forbidden(hub_error2(why)),
            // The operation documents no 404: an unknown organisation is a bad request.
            Err(OrgRefusal::NotFound(why)) => return CreateOrgGroupResponse::BadRequest(hub_error2(why)),
        };
        let Some(body) = request.body else {
            return CreateOrgGroupResponse::BadRequest(hub_error2("name: this field is required"));
        };
        if !valid_name(&body.name) {
            return CreateOrgGroupResponse::BadRequest(hub_error2(format!("name: `{}` is not a valid group name", body.name)));
        }
        let key = group_key(&org, &body.name);
        if store.groups.contains_key(&key) {
            return CreateOrgGroupResponse::BadRequest(hub_error2(format!("name: a group {} exists in {org}", body.name)));
        }
        let group = GroupRecord { id: store.next_id(), uuid: store.random.uuid(), org: org.clone(), name: body.name.clone(), description: body.description.unwrap_or_default(), members: Default::default() };
        let answer = view(&group);
        store.groups.insert(key, group);
        store.record(&org, "org.team.create", &org, &caller.username, BTreeMap::from([("team".to_owned(), body.name.clone())]), format!("created the team {}", body.name));
        CreateOrgGroupResponse::Created(Box::new(answer))
    }

    async fn get_org_group(&self, request: GetOrgGroupRequest) -> GetOrgGroupResponse {
        match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Member) {
            Ok((store, _, _, key)) => match store.groups.get(&key) {
                Some(group) => GetOrgGroupResponse::Ok(Box::new(view(group))),
                None => GetOrgGroupResponse::NotFound(hub_error2("group not found")),
            },
            Err(refusal) => refuse!(GetOrgGroupResponse, refusal, hub_error2),
        }
    }

    async fn replace_org_group(&self, request: ReplaceOrgGroupRequest) -> ReplaceOrgGroupResponse {
        let (mut store, actor, org, key) = match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ReplaceOrgGroupResponse, refusal, hub_error2),
        };
        // A PUT replaces the group: its name is required, as when it is created.
        let Some(body) = request.body else {
            return ReplaceOrgGroupResponse::BadRequest(hub_error2("name: this field is required"));
        };
        if let Err(e) = check_rename(&store, &org, &key, &body.name) {
            return ReplaceOrgGroupResponse::BadRequest(e);
        }
        rename(&mut store, &org, &key, Some(body.name), Some(body.description.unwrap_or_default()), &actor)
            .map_or_else(|why| ReplaceOrgGroupResponse::NotFound(hub_error2(why)), |group| ReplaceOrgGroupResponse::Ok(Box::new(group)))
    }

    async fn update_org_group(&self, request: UpdateOrgGroupRequest) -> UpdateOrgGroupResponse {
        let (mut store, actor, org, key) = match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(UpdateOrgGroupResponse, refusal, hub_error2),
        };
        let body = request.body.unwrap_or_default();
        if let Some(Err(e)) = body.name.as_deref().map(|name| check_rename(&store, &org, &key, name)) {
            return UpdateOrgGroupResponse::BadRequest(e);
        }
        rename(&mut store, &org, &key, body.name, body.description, &actor)
            .map_or_else(|why| UpdateOrgGroupResponse::NotFound(hub_error2(why)), |group| UpdateOrgGroupResponse::Ok(Box::new(group)))
    }

    async fn delete_org_group(&self, request: DeleteOrgGroupRequest) -> DeleteOrgGroupResponse {
        let (mut store, actor, org, key) = match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(DeleteOrgGroupResponse, refusal, hub_error2),
        };
        let Some(group) = store.groups.remove(&key) else {
            return DeleteOrgGroupResponse::NotFound(hub_error2("group not found"));
        };
        // Its repository permissions go with it.
        for repo in store.repos.values_mut() {
            repo.group_permissions.remove(&group.id);
        }
        store.record(&org, "org.team.delete", &org, &actor, BTreeMap::from([("team".to_owned(), group.name.clone())]), format!("deleted the team {}", group.name));
        DeleteOrgGroupResponse::NoContent
    }

    async fn list_group_members(&self, request: ListGroupMembersRequest) -> ListGroupMembersResponse {
        let (store, _, org, key) = match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Member) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ListGroupMembersResponse, refusal, hub_error2),
        };
        let search = request.search.as_deref().map(str::to_ascii_lowercase);
        let joined = store.orgs.get(&org.to_ascii_lowercase()).map(|o| o.joined.clone()).unwrap_or_default();
        let members = store
            .groups
            .get(&key)
            .map(|g| g.members.iter().filter(|u| search.as_ref().is_none_or(|s| u.contains(s.as_str()))).filter_map(|u| store.user(u)).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .map(|user| m::GroupMember {
                id: Some(user.id.to_string()),
                username: Some(user.username.clone()),
                full_name: Some(user.username.clone()),
                email: user.emails.first().cloned(),
                date_joined: joined.get(&user.username.to_ascii_lowercase()).map(|t| date_time(*t)),
                type_: Some(m::GroupMemberType::User),
                ..Default::default()
            })
            .collect();
        let page = match page_of(request.page, request.page_size) {
            Ok(page) => paginate(members, page, &request.context),
            Err(e) => return ListGroupMembersResponse::BadRequest(e),
        };
        ListGroupMembersResponse::Ok(Box::new(m::ListGroupMembersResponse {
            count: Some(page.count as f64),
            next: page.next.map(Some),
            previous: page.previous.map(Some),
            results: Some(page.items),
            additional_properties: Default::default(),
        }))
    }

    async fn create_group_member(&self, request: CreateGroupMemberRequest) -> CreateGroupMemberResponse {
        let (mut store, actor, org, key) = match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(CreateGroupMemberResponse, refusal, hub_error2),
        };
        let Some(member) = store.find_user(&request.body.member).map(|u| u.username.to_ascii_lowercase()) else {
            return CreateGroupMemberResponse::NotFound(hub_error2(format!("no user is called {}", request.body.member)));
        };
        let in_org = store.orgs.get(&org.to_ascii_lowercase()).is_some_and(|o| o.owners.contains(&member) || o.members.contains(&member));
        if !in_org {
            return CreateGroupMemberResponse::NotFound(hub_error2(format!("{} is not a member of {org}", request.body.member)));
        }
        let Some(group) = store.groups.get_mut(&key) else {
            return CreateGroupMemberResponse::NotFound(hub_error2("group not found"));
        };
        group.members.insert(member.clone());
        let data = BTreeMap::from([("team".to_owned(), group.name.clone()), ("member".to_owned(), member.clone())]);
        let description = format!("added {member} to the team {}", group.name);
        store.record(&org, "org.team.member.add", &org, &actor, data, description);
        CreateGroupMemberResponse::Ok
    }

    async fn delete_group_member(&self, request: DeleteGroupMemberRequest) -> DeleteGroupMemberResponse {
        let (mut store, actor, org, key) = match self.group_caller(&request.context.credentials(), &request.org_name, &request.group_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(DeleteGroupMemberResponse, refusal, hub_error2),
        };
        let member = request.username.to_ascii_lowercase();
        let Some(group) = store.groups.get_mut(&key).filter(|g| g.members.contains(&member)) else {
            return DeleteGroupMemberResponse::NotFound(hub_error2(format!("{} is not in the group", request.username)));
        };
        group.members.remove(&member);
        let data = BTreeMap::from([("team".to_owned(), group.name.clone()), ("member".to_owned(), member.clone())]);
        let description = format!("removed {member} from the team {}", group.name);
        store.record(&org, "org.team.member.remove", &org, &actor, data, description);
        DeleteGroupMemberResponse::NoContent
    }
}

/// Renames (to a name [`check_rename`] let through) and re-describes the group `key` of `org`;
/// the group as it then is.
fn rename(store: &mut Store, org: &str, key: &str, name: Option<String>, description: Option<String>, actor: &str) -> Result<m::OrgGroup, String> {
    let mut group = store.groups.remove(key).ok_or("group not found")?;
    if let Some(name) = name {
        group.name = name;
    }
    if let Some(description) = description {
        group.description = description;
    }
    let answer = view(&group);
    let data = BTreeMap::from([("team".to_owned(), group.name.clone())]);
    let description = format!("updated the team {}", group.name);
    store.groups.insert(group_key(org, &group.name), group);
    store.record(org, "org.team.update", org, actor, data, description);
    Ok(answer)
}
