//! The people of an organisation through Docker's newest spec: members listed, filtered, exported
//! as CSV, given roles and removed (never the last owner); invites sent in bulk (dry run included),
//! listed, resent and cancelled; groups created, read, renamed and deleted, their members added
//! and removed. Every change lands in the audit log.

use dockerhub_client::{v2, Error};
use dockerhub_models::v2 as m;
use fake_hub::seed::{ADMIN, ALICE, BOB, CAROL, ORG};

use crate::support::start;

fn usernames(page: &m::OrgMemberPaginated) -> Vec<String> {
    page.results.iter().flatten().filter_map(|r| r.username.clone()).collect()
}

fn invite(invitees: &[&str], dry_run: bool) -> m::BulkInviteRequest {
    m::BulkInviteRequest { org: ORG.into(), team: None, role: Some("member".into()), invitees: invitees.iter().map(|i| (*i).to_owned()).collect(), dry_run: Some(dry_run), additional_properties: Default::default() }
}

#[tokio::test]
async fn members_are_listed_exported_given_roles_and_removed() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let carol = hub.login(CAROL).await;
    let members = carol.list_org_members(ORG, v2::ListOrgMembersParams::default()).await.expect("a member lists");
    assert_eq!(usernames(&members), ["alice", "carol"]);
    let alice_entry = members.results.iter().flatten().find(|r| r.username.as_deref() == Some("alice")).cloned().expect("alice");
    assert_eq!((alice_entry.role, alice_entry.email.as_deref()), (Some(m::OrgMemberRole::Owner), Some(ALICE.email)));
    let owners = alice.list_org_members(ORG, v2::ListOrgMembersParams { role: Some(m::Role::Owner), ..Default::default() }).await.expect("owners");
    assert_eq!(usernames(&owners), ["alice"]);
    let paged = alice.list_org_members(ORG, v2::ListOrgMembersParams { page_size: Some(1), ..Default::default() }).await.expect("page");
    assert_eq!((paged.count, usernames(&paged)), (Some(2.0), vec!["alice".to_owned()]));
    assert!(paged.next.flatten().is_some_and(|n| n.contains("page=2")));
    assert!(matches!(hub.anonymous().list_org_members(ORG, v2::ListOrgMembersParams::default()).await, Err(Error::Api { status: 401, .. })));
    assert!(matches!(hub.login(ADMIN).await.list_org_members(ORG, v2::ListOrgMembersParams::default()).await, Err(Error::Api { status: 403, .. })), "an outsider");
    assert!(matches!(alice.list_org_members("nobody-here", v2::ListOrgMembersParams::default()).await, Err(Error::Api { status: 404, .. })));

    let export = alice.export_org_members(ORG).await.expect("an owner exports");
    assert_eq!(export.body.iter().map(|r| r.username.as_str()).collect::<Vec<_>>(), ["alice", "carol"]);
    assert!(export.content_disposition.is_some_and(|d| d.contains(".csv")));
    assert!(matches!(carol.export_org_members(ORG).await, Err(Error::Api { status: 403, .. })), "owners only");

    let role = |role| m::UpdateOrgMemberRequest { role, additional_properties: Default::default() };
    let promoted = alice.update_org_member(ORG, CAROL.username, &role(m::Role::Owner)).await.expect("promote");
    assert_eq!(promoted.role, Some(m::OrgMemberRole::Owner));
    alice.update_org_member(ORG, CAROL.username, &role(m::Role::Member)).await.expect("demote");
    match alice.update_org_member(ORG, ALICE.username, &role(m::Role::Member)).await {
        Err(Error::Api { status: 400, error: v2::UpdateOrgMemberError::BadRequest(body) }) => assert!(body.detail.unwrap_or_default().contains("owner")),
        other => panic!("the last owner stays, got {other:?}"),
    }
    assert!(matches!(alice.update_org_member(ORG, BOB.username, &role(m::Role::Member)).await, Err(Error::Api { status: 404, .. })), "not a member");
    assert!(matches!(carol.update_org_member(ORG, CAROL.username, &role(m::Role::Owner)).await, Err(Error::Api { status: 403, .. })));
    assert!(matches!(alice.delete_org_member(ORG, ALICE.username).await, Err(Error::Api { status: 400, .. })), "the last owner cannot leave");
    alice.delete_org_member(ORG, CAROL.username).await.expect("remove carol");
    assert!(matches!(carol.list_org_members(ORG, v2::ListOrgMembersParams::default()).await, Err(Error::Api { status: 403, .. })), "carol is out");
    assert!(matches!(alice.delete_org_member(ORG, CAROL.username).await, Err(Error::Api { status: 404, .. })));

    let log = alice.list_audit_logs(ORG, v2::ListAuditLogsParams::default()).await.expect("audit");
    let actions: Vec<String> = log.logs.into_iter().flatten().filter_map(|l| l.action).collect();
    assert!(actions.contains(&"org.member.role.change".to_owned()) && actions.contains(&"org.member.remove".to_owned()), "{actions:?}");
}

#[tokio::test]
async fn invites_are_sent_in_bulk_listed_resent_and_cancelled() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let dry = alice.bulk_create_invites(&invite(&["bob", "new@example.com"], true), v2::BulkCreateInvitesParams::default()).await.expect("dry run");
    let statuses: Vec<_> = dry.invitees.and_then(|i| i.invitees).unwrap_or_default().into_iter().map(|i| i.status.unwrap_or_default()).collect();
    assert_eq!(statuses, ["invited", "invited"]);
    assert_eq!(alice.list_org_invites(ORG).await.expect("list").data.map(|d| d.len()), Some(0), "a dry run changes nothing");

    let sent = alice.bulk_create_invites(&invite(&["bob", "carol", "not an id!", "new@example.com"], false), v2::BulkCreateInvitesParams::default()).await.expect("invite");
    let statuses: Vec<_> = sent.invitees.and_then(|i| i.invitees).unwrap_or_default().into_iter().map(|i| i.status.unwrap_or_default()).collect();
    assert_eq!(statuses, ["invited", "existing_org_member", "invalid_email_or_docker_id", "invited"]);
    match alice.bulk_create_invites(&invite(&["bob"], false), v2::BulkCreateInvitesParams::default()).await {
        Err(Error::Api { status: 409, error: v2::BulkCreateInvitesError::Conflict(_) }) => {}
        other => panic!("inviting again: 409, got {other:?}"),
    }
    let carol = hub.login(CAROL).await;
    assert!(matches!(carol.bulk_create_invites(&invite(&["x1"], false), v2::BulkCreateInvitesParams::default()).await, Err(Error::Api { status: 400, .. })), "a member cannot invite");

    let invites = alice.list_org_invites(ORG).await.expect("list").data.unwrap_or_default();
    assert_eq!(invites.iter().filter_map(|i| i.invitee.as_deref()).collect::<Vec<_>>(), ["bob", "new@example.com"]);
    assert!(invites.iter().all(|i| i.inviter_username.as_deref() == Some("alice") && i.org.as_deref() == Some(ORG)));
    let with_invitees = alice.list_org_members(ORG, v2::ListOrgMembersParams { type_: Some(m::Type::Invitee), ..Default::default() }).await.expect("invitees");
    assert_eq!(usernames(&with_invitees), ["bob", "new@example.com"]);
    assert!(matches!(carol.list_org_invites(ORG).await, Err(Error::Api { status: 403, .. })));

    let id = invites[0].id.clone().expect("an id");
    alice.resend_invite(&id).await.expect("resend");
    assert!(matches!(carol.resend_invite(&id).await, Err(Error::Api { status: 403, .. })));
    alice.delete_invite(&id).await.expect("cancel");
    assert!(matches!(alice.delete_invite(&id).await, Err(Error::Api { status: 404, .. })));
    assert!(matches!(hub.anonymous().resend_invite(&id).await, Err(Error::Api { status: 401, .. })));
    assert_eq!(alice.list_org_invites(ORG).await.expect("list").data.map(|d| d.len()), Some(1));

    let log = alice.list_audit_logs(ORG, v2::ListAuditLogsParams::default()).await.expect("audit");
    let actions: Vec<String> = log.logs.into_iter().flatten().filter_map(|l| l.action).collect();
    for action in ["org.member.invite.send", "org.member.invite.resend", "org.member.invite.cancel"] {
        assert!(actions.contains(&action.to_owned()), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn groups_and_their_members() {
    let hub = start().await;
    let alice = hub.login(ALICE).await;
    let carol = hub.login(CAROL).await;
    let request = |name: &str| m::OrgGroupRequest { name: name.into(), description: Some(format!("the {name}")), additional_properties: Default::default() };
    let made = alice.create_org_group(ORG, &request("devs")).await.expect("create");
    assert_eq!((made.name.as_deref(), made.member_count), (Some("devs"), Some(0.0)));
    alice.create_org_group(ORG, &request("ops")).await.expect("create another");
    assert!(matches!(alice.create_org_group(ORG, &request("devs")).await, Err(Error::Api { status: 400, .. })), "names are unique");
    assert!(matches!(carol.create_org_group(ORG, &request("mine")).await, Err(Error::Api { status: 403, .. })));

    let listed = carol.list_org_groups(ORG, v2::ListOrgGroupsParams::default()).await.expect("a member lists");
    assert_eq!(listed.results.iter().flatten().filter_map(|g| g.name.clone()).collect::<Vec<_>>(), ["devs", "ops"]);
    let searched = carol.list_org_groups(ORG, v2::ListOrgGroupsParams { search: Some("OP".into()), ..Default::default() }).await.expect("search");
    assert_eq!(searched.count, Some(1.0));
    assert_eq!(carol.get_org_group(ORG, "devs").await.expect("get").description.as_deref(), Some("the devs"));
    assert!(matches!(carol.get_org_group(ORG, "nothing").await, Err(Error::Api { status: 404, .. })));

    let member = |name: &str| m::AddMemberToOrgGroup { member: name.into(), additional_properties: Default::default() };
    alice.create_group_member(ORG, "devs", &member(CAROL.username)).await.expect("add carol");
    assert!(matches!(alice.create_group_member(ORG, "devs", &member(BOB.username)).await, Err(Error::Api { status: 404, .. })), "bob is not in the organisation");
    let members = carol.list_group_members(ORG, "devs", v2::ListGroupMembersParams::default()).await.expect("members");
    assert_eq!(members.results.iter().flatten().filter_map(|m| m.username.clone()).collect::<Vec<_>>(), ["carol"]);
    let carols = alice.list_org_groups(ORG, v2::ListOrgGroupsParams { username: Some("carol".into()), ..Default::default() }).await.expect("by member");
    assert_eq!(carols.count, Some(1.0));
    let listing = alice.list_org_members(ORG, v2::ListOrgMembersParams::default()).await.expect("members");
    let carol_entry = listing.results.iter().flatten().find(|r| r.username.as_deref() == Some("carol")).cloned().expect("carol");
    assert_eq!(carol_entry.groups, Some(vec!["devs".to_owned()]));

    let renamed = alice.update_org_group(ORG, "devs", &m::UpdateOrgGroupRequest { name: Some("developers".into()), description: None, additional_properties: Default::default() }).await.expect("rename");
    assert_eq!((renamed.name.as_deref(), renamed.member_count), (Some("developers"), Some(1.0)));
    let replaced = alice.replace_org_group(ORG, "developers", &m::OrgGroupRequest { name: "developers".into(), description: None, additional_properties: Default::default() }).await.expect("replace");
    assert_eq!(replaced.description.as_deref(), Some(""), "PUT replaces the description too");
    assert!(matches!(carol.update_org_group(ORG, "ops", &m::UpdateOrgGroupRequest::default()).await, Err(Error::Api { status: 403, .. })));
    // A rename is held to the rules of a new group, in the 400 the overlay documents; nothing changes.
    let rename = |name: &str| m::UpdateOrgGroupRequest { name: Some(name.into()), description: None, additional_properties: Default::default() };
    for (bad, why) in [("ops", "another group's name"), ("not a name!", "not a valid name")] {
        assert!(matches!(alice.update_org_group(ORG, "developers", &rename(bad)).await, Err(Error::Api { status: 400, error: v2::UpdateOrgGroupError::BadRequest(_) })), "PATCH: {why}");
        assert!(matches!(alice.replace_org_group(ORG, "developers", &request(bad)).await, Err(Error::Api { status: 400, error: v2::ReplaceOrgGroupError::BadRequest(_) })), "PUT: {why}");
    }
    assert_eq!(alice.get_org_group(ORG, "developers").await.expect("still there").member_count, Some(1.0));
    for page in [v2::ListOrgGroupsParams { page: Some(0), ..Default::default() }, v2::ListOrgGroupsParams { page_size: Some(101), ..Default::default() }] {
        assert!(matches!(carol.list_org_groups(ORG, page).await, Err(Error::Api { status: 400, error: v2::ListOrgGroupsError::BadRequest(_) })));
    }
    let too_big = v2::ListGroupMembersParams { page_size: Some(1000), ..Default::default() };
    assert!(matches!(carol.list_group_members(ORG, "developers", too_big).await, Err(Error::Api { status: 400, error: v2::ListGroupMembersError::BadRequest(_) })));

    alice.delete_group_member(ORG, "developers", CAROL.username).await.expect("remove carol");
    assert!(matches!(alice.delete_group_member(ORG, "developers", CAROL.username).await, Err(Error::Api { status: 404, .. })));
    alice.delete_org_group(ORG, "ops").await.expect("delete");
    assert!(matches!(alice.delete_org_group(ORG, "ops").await, Err(Error::Api { status: 404, .. })));

    let log = alice.list_audit_logs(ORG, v2::ListAuditLogsParams::default()).await.expect("audit");
    let actions: Vec<String> = log.logs.into_iter().flatten().filter_map(|l| l.action).collect();
    for action in ["org.team.create", "org.team.update", "org.team.delete", "org.team.member.add", "org.team.member.remove"] {
        assert!(actions.contains(&action.to_owned()), "{action} in {actions:?}");
    }
}
