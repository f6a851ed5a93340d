//! SCIM users as data: the hub's record of a provisioned user, its SCIM view (with `attributes`
//! projection), attribute lookup for filters and sorting, and provisioning itself, which links the
//! SCIM user to the hub account with the same email (membership of the SCIM organisation's
//! "company" team, and `active` carried over to the account).

use dockerhub_server::models::v2 as m;

use crate::scim::filter::{normalise_path, AttrValue};
use crate::scim::resources::USER_SCHEMA;
use crate::store::{date_time, timestamp, ScimUserRecord, Store};

/// The team SCIM users join.
pub(crate) const TEAM: &str = "company";

/// The attribute paths filters and `sortBy` may name (lowercase, without the schema prefix).
pub(crate) const KNOWN_ATTRIBUTES: &[&str] =
    &["id", "username", "displayname", "active", "name.givenname", "name.familyname", "emails", "emails.value", "groups", "groups.value", "groups.display", "meta.created", "meta.lastmodified"];

/// The values of the attribute `path` (lowercase) of `user`.
pub(crate) fn lookup(user: &ScimUserRecord, path: &str) -> Vec<AttrValue> {
    let text = |t: &str, case_exact: bool| vec![AttrValue::Str { text: t.to_owned(), case_exact }];
    match path {
        "id" => text(&user.id, true),
        "username" | "emails" | "emails.value" => text(&user.user_name, false),
        "displayname" => text(&user.display_name, false),
        "active" => vec![AttrValue::Bool(user.active)],
        "name.givenname" => user.given_name.as_deref().map_or_else(Vec::new, |t| text(t, false)),
        "name.familyname" => user.family_name.as_deref().map_or_else(Vec::new, |t| text(t, false)),
        "groups" | "groups.value" | "groups.display" => user.groups.iter().map(|g| AttrValue::Str { text: g.clone(), case_exact: false }).collect(),
        "meta.created" => text(&timestamp(user.created), true),
        "meta.lastmodified" => text(&timestamp(user.last_modified), true),
        _ => Vec::new(),
    }
}

/// The SCIM view of `user`, its `meta.location` on `base_url`.
pub(crate) fn view(user: &ScimUserRecord, base_url: &str) -> m::ScimUser {
    let name = (user.given_name.is_some() || user.family_name.is_some()).then(|| m::ScimUserName { given_name: user.given_name.clone(), family_name: user.family_name.clone(), additional_properties: Default::default() });
    m::ScimUser {
        schemas: Some(vec![USER_SCHEMA.into()]),
        id: Some(user.id.clone()),
        user_name: Some(user.user_name.clone()),
        name,
        display_name: Some(user.display_name.clone()),
        active: Some(user.active),
        emails: Some(vec![m::ScimEmail { value: Some(user.user_name.clone()), display: Some(user.user_name.clone()), primary: Some(true), additional_properties: Default::default() }]),
        groups: Some(user.groups.iter().map(|g| m::ScimGroup { value: Some(g.clone()), display: Some(g.clone()), additional_properties: Default::default() }).collect()),
        meta: Some(m::ScimUserMeta {
            resource_type: Some("User".into()),
            location: Some(format!("{base_url}/v2/scim/2.0/Users/{}", user.id)),
            created: Some(date_time(user.created)),
            last_modified: Some(date_time(user.last_modified)),
            additional_properties: Default::default(),
        }),
        additional_properties: Default::default(),
    }
}

/// Keeps only the `attributes` asked for (comma-separated; `id` and `schemas` always stay).
pub(crate) fn project(user: m::ScimUser, attributes: Option<&str>) -> m::ScimUser {
    let Some(wanted) = attributes.map(|a| a.split(',').map(|s| normalise_path(s.trim())).filter(|s| !s.is_empty()).collect::<Vec<_>>()) else {
        return user;
    };
    if wanted.is_empty() {
        return user;
    }
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(&user) else {
        return user;
    };
    let mut kept = serde_json::Map::new();
    for (key, value) in map {
        let lower = key.to_ascii_lowercase();
        if lower == "id" || lower == "schemas" || wanted.contains(&lower) {
            kept.insert(key, value);
            continue;
        }
        let subs: Vec<&str> = wanted.iter().filter_map(|w| w.strip_prefix(&format!("{lower}."))).collect();
        match value {
            serde_json::Value::Object(inner) if !subs.is_empty() => {
                let inner: serde_json::Map<_, _> = inner.into_iter().filter(|(k, _)| subs.contains(&k.to_ascii_lowercase().as_str())).collect();
                kept.insert(key, serde_json::Value::Object(inner));
            }
            serde_json::Value::Array(items) if !subs.is_empty() => {
                let items = items
                    .into_iter()
                    .map(|item| match item {
                        serde_json::Value::Object(inner) => serde_json::Value::Object(inner.into_iter().filter(|(k, _)| subs.contains(&k.to_ascii_lowercase().as_str())).collect()),
                        other => other,
                    })
                    .collect();
                kept.insert(key, serde_json::Value::Array(items));
            }
            _ => {}
        }
    }
    serde_json::from_value(serde_json::Value::Object(kept)).unwrap_or(user)
}

/// Why a user cannot be provisioned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ProvisionError {
    /// `userName` is taken.
    #[error("a user with the userName {0} already exists")]
    Conflict(String),
    /// `userName` is not an email address.
    #[error("userName must be the user's email address, not `{0}`")]
    NotAnEmail(String),
}

/// Provisions a user into the SCIM organisation.
pub(crate) fn provision(store: &mut Store, user_name: &str, given_name: Option<String>, family_name: Option<String>) -> Result<ScimUserRecord, ProvisionError> {
    let valid = user_name.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !user_name.contains(char::is_whitespace));
    if !valid {
        return Err(ProvisionError::NotAnEmail(user_name.into()));
    }
    if store.scim_users.iter().any(|u| u.user_name.eq_ignore_ascii_case(user_name)) {
        return Err(ProvisionError::Conflict(user_name.into()));
    }
    let now = store.now();
    let id = store.random.uuid();
    // An account with this address joins the organisation's team; otherwise the Docker ID it will
    // get is derived from the address.
    let existing = store.users.values().find(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(user_name))).map(|u| u.username.clone());
    let display_name = existing.clone().unwrap_or_else(|| docker_id_for(user_name));
    if let Some(account) = existing {
        let key = store.scim_org.to_ascii_lowercase();
        if let Some(org) = store.orgs.get_mut(&key) {
            let account = account.to_ascii_lowercase();
            if !org.owners.contains(&account) {
                org.joined.entry(account.clone()).or_insert(now);
                org.members.insert(account);
            }
        }
    }
    let record = ScimUserRecord { id, user_name: user_name.into(), given_name, family_name, display_name, active: true, created: now, last_modified: now, groups: vec![TEAM.into()] };
    store.scim_users.push(record.clone());
    Ok(record)
}

/// Sets a SCIM user's `active`, and the linked hub account's.
pub(crate) fn set_active(store: &mut Store, index: usize, active: bool) {
    let Some(user) = store.scim_users.get_mut(index) else {
        return;
    };
    user.active = active;
    let user_name = user.user_name.clone();
    if let Some(account) = store.users.values_mut().find(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(&user_name))) {
        account.active = active;
    }
}

/// A Docker ID from an email address: the local part's letters and digits, lowercased.
fn docker_id_for(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let id: String = local.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    if id.len() >= 4 {
        id
    } else {
        format!("{id}user")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_ids_come_from_the_local_part() {
        assert_eq!(docker_id_for("Jon.Snow@docker.com"), "jonsnow");
        assert_eq!(docker_id_for("a@b.c"), "auser");
    }

    #[test]
    fn projection_keeps_what_was_asked() {
        let user = m::ScimUser {
            id: Some("1".into()),
            user_name: Some("a@b.c".into()),
            display_name: Some("a".into()),
            name: Some(m::ScimUserName { given_name: Some("A".into()), family_name: Some("B".into()), additional_properties: Default::default() }),
            ..Default::default()
        };
        let projected = project(user.clone(), Some("userName, name.givenName"));
        assert_eq!(projected.id.as_deref(), Some("1"));
        assert_eq!(projected.user_name.as_deref(), Some("a@b.c"));
        assert_eq!(projected.display_name, None);
        assert_eq!(projected.name, Some(m::ScimUserName { given_name: Some("A".into()), family_name: None, additional_properties: Default::default() }));
        assert_eq!(project(user.clone(), None), user);
    }
}
