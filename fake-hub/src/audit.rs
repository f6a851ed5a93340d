//! The audit log: operations that change state record an event under the account they touch
//! ([`Store::record`]); `GET /v2/auditlogs/{account}` lists them newest first with filters and page
//! numbers, and `…/actions` lists the actions that can appear, as filters for the former. Refusals
//! use the operation's `default` answer (`rpcStatus`), the only error shape it documents.

use std::collections::BTreeMap;

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{AuditLogs, ListAuditActionsRequest, ListAuditActionsResponse, ListAuditLogsRequest, ListAuditLogsResponse};

use crate::access::{role, Role};
use crate::auth::{Caller, Scope};
use crate::errors::{rpc_code, rpc_status};
use crate::hub::Hub;
use crate::pagination::{paginate, PageRequest};
use crate::store::{AuditEvent, Store};

/// An action: its name in its group, label and description.
type Action = (&'static str, &'static str, &'static str);

/// Every action the hub records: group, group label, and the group's actions. An event's `action`
/// is `group.name` (e.g. `repo.tag.push`).
const CATALOG: &[(&str, &str, &[Action])] = &[
    (
        "account",
        "Account",
        &[
            ("access_token.create", "Access Token Created", "contains personal access token create events"),
            ("access_token.delete", "Access Token Deleted", "contains personal access token delete events"),
        ],
    ),
    (
        "org",
        "Organization",
        &[
            ("settings.update", "Settings Updated", "contains organization settings change events"),
            ("member.remove", "Member Removed", "contains organization member remove events"),
            ("member.role.change", "Member Role Changed", "contains organization member role change events"),
            ("member.invite.send", "Invite Sent", "contains organization invite send events"),
            ("member.invite.resend", "Invite Resent", "contains organization invite resend events"),
            ("member.invite.cancel", "Invite Cancelled", "contains organization invite cancel events"),
            ("team.create", "Team Created", "contains team create events"),
            ("team.update", "Team Updated", "contains team update events"),
            ("team.delete", "Team Deleted", "contains team delete events"),
            ("team.member.add", "Team Member Added", "contains team member add events"),
            ("team.member.remove", "Team Member Removed", "contains team member remove events"),
            ("access_token.create", "Access Token Created", "contains organization access token create events"),
            ("access_token.update", "Access Token Updated", "contains organization access token update events"),
            ("access_token.delete", "Access Token Deleted", "contains organization access token delete events"),
        ],
    ),
    (
        "repo",
        "Repository",
        &[
            ("create", "Repository Created", "contains repository create events"),
            ("delete", "Repository Deleted", "contains repository delete events"),
            ("tag.push", "Tag Pushed", "contains image tag push events"),
            ("immutable_tags.update", "Immutable Tags Updated", "contains immutable tags settings change events"),
            ("team.add", "Team Added", "contains repository team permission events"),
        ],
    ),
];

impl Store {
    /// Records an event under `account`, now.
    pub(crate) fn record(&mut self, account: &str, action: &str, name: &str, actor: &str, data: BTreeMap<String, String>, description: String) {
        let timestamp = self.now();
        self.audit.push(AuditEvent { account: account.to_owned(), action: action.to_owned(), name: name.to_owned(), actor: actor.to_owned(), data, timestamp, description });
    }
}

/// Why a caller may not read `account`'s log, as a `(status, rpcStatus)`.
fn refusal(store: &Store, caller: &Caller, account: &str) -> Option<(u16, m::RpcStatus)> {
    if !store.namespace_exists(account) {
        return Some((404, rpc_status(rpc_code::NOT_FOUND, format!("account {account} not found"))));
    }
    if caller.scope < Scope::Read || role(store, &caller.username, account) != Role::Owner {
        return Some((403, rpc_status(rpc_code::PERMISSION_DENIED, format!("only the owners of {account} can read its audit log"))));
    }
    None
}

impl AuditLogs for Hub {
    async fn list_audit_logs(&self, request: ListAuditLogsRequest) -> ListAuditLogsResponse {
        let fail = |status, body| ListAuditLogsResponse::Default { status, body };
        let caller = match self.bearer_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return fail(401, rpc_status(rpc_code::UNAUTHENTICATED, e.to_string())),
        };
        let page = match PageRequest::checked(request.page.map(i64::from), request.page_size.map(i64::from), 25, 100) {
            Ok(page) => page,
            Err(e) => return fail(400, rpc_status(rpc_code::INVALID_ARGUMENT, format!("{}: {e}", e.field()))),
        };
        // Compared as instants: `10:00+02:00` is before `09:00Z`.
        let (from, to) = (request.from.as_ref().map(|t| t.to_chrono()), request.to.as_ref().map(|t| t.to_chrono()));
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return fail(400, rpc_status(rpc_code::INVALID_ARGUMENT, "query.from: must not be after `to`"));
            }
        }
        let store = self.lock();
        if let Some((status, body)) = refusal(&store, &caller, &request.account) {
            return fail(status, body);
        }
        let matches = |wanted: &Option<String>, value: &str| wanted.as_deref().is_none_or(|w| w == value);
        let mut newest_first: Vec<&AuditEvent> = store.audit.iter().rev().collect();
        // Stable: events of the same instant stay latest-recorded first.
        newest_first.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
        let events: Vec<m::AuditLog> = newest_first
            .into_iter()
            .filter(|e| e.account.eq_ignore_ascii_case(&request.account))
            .filter(|e| matches(&request.action, &e.action) && matches(&request.name, &e.name) && matches(&request.actor, &e.actor))
            .filter(|e| from.is_none_or(|from| e.timestamp >= from) && to.is_none_or(|to| e.timestamp <= to))
            .map(|e| m::AuditLog {
                account: Some(e.account.clone()),
                action: Some(e.action.clone()),
                name: Some(e.name.clone()),
                actor: Some(e.actor.clone()),
                data: Some(e.data.clone()),
                timestamp: Some(e.timestamp.into()),
                action_description: Some(e.description.clone()),
                additional_properties: Default::default(),
            })
            .collect();
        ListAuditLogsResponse::Ok(m::GetAuditLogsResponse { logs: Some(paginate(events, page, &request.context).items), additional_properties: Default::default() })
    }

    async fn list_audit_actions(&self, request: ListAuditActionsRequest) -> ListAuditActionsResponse {
        let fail = |status, body| ListAuditActionsResponse::Default { status, body };
        let caller = match self.bearer_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(e) => return fail(401, rpc_status(rpc_code::UNAUTHENTICATED, e.to_string())),
        };
        let store = self.lock();
        if let Some((status, body)) = refusal(&store, &caller, &request.account) {
            return fail(status, body);
        }
        // An organisation has org events, a user account its own; both have repositories.
        let is_org = store.orgs.contains_key(&request.account.to_ascii_lowercase());
        let actions = CATALOG
            .iter()
            .filter(|(group, _, _)| *group == "repo" || (*group == "org") == is_org)
            .map(|(group, label, actions)| {
                let actions = actions
                    .iter()
                    .map(|(name, label, description)| m::AuditLogAction { name: Some((*name).into()), label: Some((*label).into()), description: Some((*description).into()), additional_properties: Default::default() })
                    .collect();
                ((*group).to_owned(), m::AuditLogActions { actions: Some(actions), label: Some((*label).into()), additional_properties: Default::default() })
            })
            .collect();
        ListAuditActionsResponse::Ok(m::GetAuditActionsResponse { actions: Some(actions), additional_properties: Default::default() })
    }
}
