//! Invitations (`/v2/invites…`, `/v2/orgs/{org_name}/invites`): owners invite Docker IDs or email
//! addresses in bulk (each invitee gets a status: `invited`, `existing_org_member`,
//! `invalid_email_or_docker_id`, as the spec's example shows), optionally as a dry run; they list,
//! resend and cancel pending invites. Every change is audited.
//!
//! The bulk call documents no 401 or 403: fake-hub answers a caller who may not invite into the
//! organisation with 400 (a guess), and an invitee already invited with 409 when every invitee of
//! the call is a duplicate (also a guess: the spec names 409 without saying when).

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{
    BulkCreateInvitesRequest, BulkCreateInvitesResponse, DeleteInviteRequest, DeleteInviteResponse, Invites, ListOrgInvitesRequest, ListOrgInvitesResponse,
    ResendInviteRequest, ResendInviteResponse,
};

use crate::access::{refuse, OrgNeed, OrgRefusal};
use crate::errors::hub_error2;
use crate::hub::{valid_name, Hub};
use crate::store::{timestamp, InviteRecord};

/// The API's view of an invite.
fn view(invite: &InviteRecord) -> m::Invite {
    m::Invite {
        id: Some(invite.id.clone()),
        inviter_username: Some(invite.inviter.clone()),
        invitee: Some(invite.invitee.clone()),
        org: Some(invite.org.clone()),
        team: invite.team.clone(),
        created_at: Some(timestamp(invite.created_at)),
        additional_properties: Default::default(),
    }
}

/// Whether `invitee` looks like an email address or a Docker ID.
fn valid_invitee(invitee: &str) -> bool {
    match invitee.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !invitee.contains(char::is_whitespace),
        None => valid_name(invitee),
    }
}

impl Hub {
    /// The organisation of the invite `id` and whether the caller owns it, as the locked store.
    fn invite_owner(&self, credentials: &Option<dockerhub_server::Credentials>, id: &str) -> Result<(std::sync::MutexGuard<'_, crate::store::Store>, String, usize), OrgRefusal> {
        let org = {
            let store = self.lock();
            store.invites.iter().find(|i| i.id == id).map(|i| i.org.clone())
        };
        let Some(org) = org else {
            // Credentials are checked first, so that an anonymous caller learns nothing.
            self.bearer_caller(credentials).map_err(|e| OrgRefusal::Unauthorized(e.to_string()))?;
            return Err(OrgRefusal::NotFound(format!("invite {id} not found")));
        };
        let (store, caller, _) = self.org_caller(credentials, &org, OrgNeed::Owner)?;
        let index = store.invites.iter().position(|i| i.id == id).ok_or_else(|| OrgRefusal::NotFound(format!("invite {id} not found")))?;
        Ok((store, caller.username, index))
    }
}

impl Invites for Hub {
    async fn list_org_invites(&self, request: ListOrgInvitesRequest) -> ListOrgInvitesResponse {
        let (store, _, name) = match self.org_caller(&request.context.credentials(), &request.org_name, OrgNeed::Owner) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ListOrgInvitesResponse, refusal, hub_error2),
        };
        let data = store.invites.iter().filter(|i| i.org.eq_ignore_ascii_case(&name)).map(view).collect();
        ListOrgInvitesResponse::Ok(m::ListOrgInvitesResponse { data: Some(data), additional_properties: Default::default() })
    }

    async fn delete_invite(&self, request: DeleteInviteRequest) -> DeleteInviteResponse {
        let (mut store, actor, index) = match self.invite_owner(&request.context.credentials(), &request.id) {
            Ok(found) => found,
            Err(refusal) => return refuse!(DeleteInviteResponse, refusal, hub_error2),
        };
        let invite = store.invites.remove(index);
        let data = BTreeMap::from([("invitee".to_owned(), invite.invitee.clone())]);
        store.record(&invite.org, "org.member.invite.cancel", &invite.org, &actor, data, format!("cancelled the invitation of {}", invite.invitee));
        DeleteInviteResponse::NoContent
    }

    async fn resend_invite(&self, request: ResendInviteRequest) -> ResendInviteResponse {
        let (mut store, actor, index) = match self.invite_owner(&request.context.credentials(), &request.id) {
            Ok(found) => found,
            Err(refusal) => return refuse!(ResendInviteResponse, refusal, hub_error2),
        };
        let invite = store.invites[index].clone();
        let data = BTreeMap::from([("invitee".to_owned(), invite.invitee.clone()), ("role".to_owned(), invite.role.clone())]);
        store.record(&invite.org, "org.member.invite.resend", &invite.org, &actor, data, format!("resent the invitation of {}", invite.invitee));
        ResendInviteResponse::NoContent
    }

    async fn bulk_create_invites(&self, request: BulkCreateInvitesRequest) -> BulkCreateInvitesResponse {
        let body = request.body;
        let (mut store, caller, org) = match self.org_caller(&request.context.credentials(), &body.org, OrgNeed::Owner) {
            Ok(found) => found,
            Err(OrgRefusal::Unauthorized(why) | OrgRefusal::Forbidden(why) | OrgRefusal::NotFound(why)) => return BulkCreateInvitesResponse::BadRequest(hub_error2(why)),
        };
        let role = body.role.clone().unwrap_or_else(|| "member".into());
        if !["owner", "editor", "member"].contains(&role.as_str()) {
            return BulkCreateInvitesResponse::BadRequest(hub_error2(format!("`{role}` is not a role: use owner, editor or member")));
        }
        if body.invitees.is_empty() {
            return BulkCreateInvitesResponse::BadRequest(hub_error2("invitees: at least one invitee is required"));
        }
        if let Some(team) = &body.team {
            if !store.groups.contains_key(&crate::groups::group_key(&org, team)) {
                return BulkCreateInvitesResponse::BadRequest(hub_error2(format!("team {team} not found in {org}")));
            }
        }
        let mut answers = Vec::new();
        let mut duplicates = 0;
        for invitee in &body.invitees {
            let member = store.find_user(invitee).map(|u| u.username.to_ascii_lowercase()).and_then(|key| store.orgs.get(&org.to_ascii_lowercase()).filter(|o| o.owners.contains(&key) || o.members.contains(&key)));
            let (status, invite) = if !valid_invitee(invitee) {
                ("invalid_email_or_docker_id", None)
            } else if member.is_some() {
                ("existing_org_member", None)
            } else if store.invites.iter().any(|i| i.org.eq_ignore_ascii_case(&org) && i.invitee.eq_ignore_ascii_case(invitee)) {
                duplicates += 1;
                ("already_invited", None)
            } else {
                let invite = InviteRecord { id: store.random.uuid(), org: org.clone(), team: body.team.clone(), role: role.clone(), invitee: invitee.clone(), inviter: caller.username.clone(), created_at: store.now() };
                let answer = view(&invite);
                if body.dry_run != Some(true) {
                    let data = BTreeMap::from([("invitee".to_owned(), invitee.clone()), ("role".to_owned(), role.clone())]);
                    store.invites.push(invite);
                    store.record(&org, "org.member.invite.send", &org, &caller.username, data, format!("invited {invitee} as {role}"));
                }
                ("invited", Some(answer))
            };
            answers.push(m::BulkInviteInvitee { invitee: Some(invitee.clone()), status: Some(status.into()), invite, additional_properties: Default::default() });
        }
        if duplicates == body.invitees.len() {
            return BulkCreateInvitesResponse::Conflict(hub_error2("every invitee already has a pending invitation"));
        }
        BulkCreateInvitesResponse::Accepted(m::BulkCreateInvitesResponse {
            invitees: Some(m::BulkInvite { invitees: Some(answers), additional_properties: Default::default() }),
            additional_properties: Default::default(),
        })
    }
}
