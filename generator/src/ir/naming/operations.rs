//! Operation names: an `operationId` where it says more than the method and path, else a name
//! derived from the method, path and summary the way a person would name it (`list_access_tokens`,
//! `get_repository_tag`, `delete_images`).

use heck::ToSnakeCase;

use super::snake_name;
use crate::ir::Method;

/// Words that make a path segment an action rather than a resource (`/users/login`, `/delete-images`).
const ACTION_WORDS: &[&str] = &[
    "login", "logout", "delete", "create", "search", "register", "verify", "reset", "refresh", "revoke", "activate",
    "deactivate", "enable", "disable", "sync", "import", "export", "validate", "cancel", "approve", "reject", "publish",
    "archive", "restore", "upload", "download", "authorize", "authenticate", "invite", "merge", "copy", "move", "send",
    "resend",
];

/// Action words that take no object: `/users/login` is `login`, not `login_users`.
const INTRANSITIVE_WORDS: &[&str] = &["login", "logout", "register", "authorize", "authenticate", "search"];

/// Last segments that say how an operation acts on the resource before them (`/invites/bulk`).
const MODIFIER_WORDS: &[&str] = &["bulk", "batch"];

/// Query parameters that mark an operation as returning one page of a list.
const PAGE_PARAMS: &[&str] = &["page", "page_size", "per_page", "limit", "offset", "cursor", "start_index", "count", "page_token"];

/// Property names that, holding an array, mark a response as a list.
const LIST_PROPERTIES: &[&str] = &["results", "items", "resources", "data", "entries", "records", "logs"];

/// Singular form of an English noun, by the common rules (`repositories` -> `repository`,
/// `caches` -> `cache`, `branches` -> `branch`, `sizes` -> `size`, `statuses` -> `status`).
pub fn singular(word: &str) -> String {
    let w = word;
    let vowel = |c: Option<char>| c.is_some_and(|c| "aeiou".contains(c));
    // The letter before a suffix, and the one before that.
    let before = |stem: &str| (stem.chars().next_back(), stem.chars().rev().nth(1));
    // Words the rules below would cut wrongly.
    for (plural, one) in [("cookies", "cookie"), ("movies", "movie"), ("series", "series"), ("species", "species")] {
        if let Some(head) = w.strip_suffix(plural) {
            return format!("{head}{one}");
        }
    }
    if let Some(stem) = w.strip_suffix("ies") {
        // `ties` -> `tie`; `policies` -> `policy`.
        return if stem.len() <= 1 { format!("{stem}ie") } else { format!("{stem}y") };
    }
    if let Some(stem) = w.strip_suffix("ches") {
        // One vowel after a consonant keeps its `e` (`caches`, `niches`); a vowel pair or a
        // consonant does not (`coaches`, `speeches`, `branches`, `matches`).
        let (last, prior) = before(stem);
        return if vowel(last) && !vowel(prior) { format!("{stem}che") } else { format!("{stem}ch") };
    }
    if let Some(stem) = w.strip_suffix("uses") {
        // `statuses` -> `status`; after a vowel the `e` is the word's (`houses`, `causes`).
        return if vowel(stem.chars().next_back()) { format!("{stem}use") } else { format!("{stem}us") };
    }
    for suffix in ["sses", "xes", "shes", "zzes"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") && w.len() > 1 {
        return w[..w.len() - 1].to_owned();
    }
    w.to_owned()
}

/// Facts about an operation that its name is derived from.
#[derive(Debug, Clone)]
pub struct OperationFacts<'a> {
    /// The spec's operationId.
    pub operation_id: Option<&'a str>,
    /// The method.
    pub method: Method,
    /// The path template.
    pub path: &'a str,
    /// The summary, used to split run-together words (`auditlogs` + "audit log" -> `audit_logs`).
    pub summary: Option<&'a str>,
    /// Wire names of the query parameters.
    pub query_params: Vec<&'a str>,
    /// The success body is an array, or an object with a list-like array property.
    pub returns_list: bool,
    /// Other methods defined on the same path.
    pub sibling_methods: Vec<Method>,
}

/// True for a property name that, when it holds an array, marks the body as a list.
pub fn is_list_property(name: &str) -> bool {
    LIST_PROPERTIES.contains(&name.to_snake_case().as_str())
}

/// The snake_case name of an operation: its operationId when that is more than the method and path
/// run together, otherwise a name derived from method, path and summary.
pub fn operation_name(facts: &OperationFacts<'_>) -> String {
    if let Some(id) = facts.operation_id {
        if !is_path_soup(id, &facts.method, facts.path) {
            return snake_name(without_group_prefix(id));
        }
    }
    snake_name(&derive_operation_name(facts))
}

/// An operationId written `Group_Operation` (`AuditLogs_ListAuditLogs`, as ASP.NET and gRPC
/// gateways write them) repeats its group, which the operation's words name already: the name is
/// the operation's part (`list_audit_logs`). A group the operation does not mention is kept
/// (`Pets_List` is `pets_list`, not `list`).
fn without_group_prefix(id: &str) -> &str {
    let Some((group, operation)) = id.split_once('_') else { return id };
    if operation.is_empty() || operation.contains('_') || !group.chars().next().is_some_and(char::is_uppercase) {
        return id;
    }
    let words = |s: &str| s.to_snake_case().split('_').map(singular).collect::<Vec<_>>();
    let operation_words = words(operation);
    if words(group).iter().any(|w| operation_words.contains(w)) {
        operation
    } else {
        id
    }
}

/// An operationId like `GetNamespacesRepositoriesImages` or `AuditLogs_GetAuditLogs` says only the
/// method and the path's words: a derived name reads better.
fn is_path_soup(id: &str, method: &Method, path: &str) -> bool {
    let id = id.rsplit_once('_').filter(|(prefix, _)| !prefix.contains('_') && prefix.chars().next().is_some_and(char::is_uppercase)).map_or(id, |(_, rest)| rest);
    let words: Vec<String> = id.to_snake_case().split('_').map(str::to_owned).collect();
    let Some((first, rest)) = words.split_first() else { return false };
    if *first != method.as_str().to_lowercase() || rest.is_empty() {
        return false;
    }
    let static_text: String = path
        .split('/')
        .filter(|s| !s.starts_with('{'))
        .flat_map(|s| s.chars())
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    rest.iter().all(|w| static_text.contains(w.as_str()))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Segment<'a> {
    Static(&'a str),
    Param,
}

fn is_version(segment: &str) -> bool {
    let s = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.') && (s.contains('.') || segment.len() != s.len())
}

fn derive_operation_name(facts: &OperationFacts<'_>) -> String {
    let segments: Vec<Segment<'_>> = facts
        .path
        .split('/')
        .filter(|s| !s.is_empty() && !is_version(s))
        .map(|s| if s.starts_with('{') { Segment::Param } else { Segment::Static(s) })
        .collect();
    let summary_words = summary_words(facts.summary);

    let Some(last) = segments.last() else { return facts.method.as_str().to_lowercase() };
    if let Segment::Static(s) = last {
        let snake = s.to_snake_case();
        if snake.split('_').any(|w| ACTION_WORDS.contains(&w)) {
            return acted_on(&snake, &segments[..segments.len() - 1], &summary_words).unwrap_or(snake);
        }
    }
    // `/invites/bulk`: the verb comes from the method, the resource is the segment before.
    let modifier = match (last, segments.len().checked_sub(2).map(|i| segments[i])) {
        (Segment::Static(s), Some(Segment::Static(_))) if MODIFIER_WORDS.contains(&s.to_snake_case().as_str()) => Some(s.to_snake_case()),
        _ => None,
    };
    let named = if modifier.is_some() { &segments[..segments.len() - 1] } else { &segments[..] };
    let is_item = named.last() == Some(&Segment::Param);
    let resource_at = named.iter().rposition(|s| matches!(s, Segment::Static(_)));
    let Some(resource_at) = resource_at else { return facts.method.as_str().to_lowercase() };
    let Segment::Static(resource) = named[resource_at] else { return facts.method.as_str().to_lowercase() };
    let qualifier = qualifier_of(named, resource_at, &summary_words);

    // An item's body may hold a list (an access token's `resources`) and still be one item: only
    // page parameters make a GET on an item path a listing (`/auditlogs/{account}`).
    let paginated = facts.query_params.iter().any(|p| PAGE_PARAMS.contains(&p.to_snake_case().as_str()));
    let is_list = facts.method == Method::Get && (paginated || (facts.returns_list && !is_item));
    let custom;
    let verb = match &facts.method {
        Method::Get if is_list => "list",
        Method::Get => "get",
        Method::Head => "check",
        Method::Post if is_item => "update",
        Method::Post => "create",
        Method::Put if facts.sibling_methods.contains(&Method::Patch) => "replace",
        Method::Put | Method::Patch => "update",
        Method::Delete => "delete",
        Method::Options => "options",
        Method::Trace => "trace",
        Method::Query => "query",
        // `PURGE /documents/{id}` is `purge_document`, `M-SEARCH /devices` `m_search_devices`.
        Method::Other(name) => {
            custom = name.to_snake_case();
            custom.as_str()
        }
    };
    let words = split_words(resource, &summary_words);
    let noun = if ((is_item && !is_list) || facts.method == Method::Post) && modifier.is_none() { singular_words(&words) } else { words };
    let name = match qualifier {
        Some(q) => format!("{verb}_{q}_{noun}"),
        None => format!("{verb}_{noun}"),
    };
    match modifier {
        Some(m) => format!("{m}_{name}"),
        None => name,
    }
}

/// The singular of the resource that owns the one at `resource_at` (`/orgs/{org_name}/members` ->
/// `org`): a name built from static segments alone, so renaming a path parameter between
/// revisions (`{name}` -> `{org_name}`) keeps every name.
fn qualifier_of(segments: &[Segment<'_>], resource_at: usize, summary_words: &[String]) -> Option<String> {
    match (resource_at.checked_sub(1).map(|i| segments[i]), resource_at.checked_sub(2).map(|i| segments[i])) {
        (Some(Segment::Param), Some(Segment::Static(parent))) => Some(singular_words(&split_words(parent, summary_words))),
        _ => None,
    }
}

/// A one-word action acts on the resource before it: `/orgs/{org}/members/export` is
/// `export_org_members`, `/invites/{id}/resend` is `resend_invite`. None when the action takes no
/// object (`/users/login`), already names one (`delete-images`), or nothing static precedes it.
fn acted_on(action: &str, before: &[Segment<'_>], summary_words: &[String]) -> Option<String> {
    if action.contains('_') || INTRANSITIVE_WORDS.contains(&action) {
        return None;
    }
    let is_item = before.last() == Some(&Segment::Param);
    let resource_at = before.iter().rposition(|s| matches!(s, Segment::Static(_)))?;
    let Segment::Static(resource) = before[resource_at] else { return None };
    let words = split_words(resource, summary_words);
    let noun = if is_item { singular_words(&words) } else { words };
    Some(match qualifier_of(before, resource_at, summary_words) {
        Some(q) => format!("{action}_{q}_{noun}"),
        None => format!("{action}_{noun}"),
    })
}

fn summary_words(summary: Option<&str>) -> Vec<String> {
    summary
        .unwrap_or("")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// snake_case words of a path segment; a run-together segment (`auditlogs`) is split where the
/// summary spells it as separate words ("audit log").
fn split_words(segment: &str, summary: &[String]) -> String {
    let snake = segment.to_snake_case();
    if snake.contains('_') {
        return snake;
    }
    for start in 0..summary.len() {
        let mut joined = String::new();
        for end in start..summary.len() {
            joined.push_str(&summary[end]);
            if summary[end].len() < 2 {
                break;
            }
            if end > start && (joined == snake || format!("{joined}s") == snake) {
                let mut words: Vec<String> = summary[start..=end].to_vec();
                if format!("{joined}s") == snake {
                    if let Some(last) = words.last_mut() {
                        last.push('s');
                    }
                }
                return words.join("_");
            }
            if joined.len() >= snake.len() {
                break;
            }
        }
    }
    snake
}

fn singular_words(snake: &str) -> String {
    match snake.rsplit_once('_') {
        Some((head, last)) => format!("{head}_{}", singular(last)),
        None => singular(snake),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived(method: Method, path: &str, summary: &str, query: &[&'static str], returns_list: bool) -> String {
        operation_name(&OperationFacts {
            operation_id: None,
            method,
            path,
            summary: Some(summary),
            query_params: query.to_vec(),
            returns_list,
            sibling_methods: vec![],
        })
    }

    #[test]
    fn docker_hub_operations_get_the_names_a_person_would_choose() {
        use Method::*;
        assert_eq!(derived(Get, "/v2/access-tokens", "Get a list of personal access tokens", &["page", "page_size"], false), "list_access_tokens");
        assert_eq!(derived(Post, "/v2/access-tokens", "Create a personal access token", &[], false), "create_access_token");
        assert_eq!(derived(Get, "/v2/access-tokens/{uuid}", "Get a personal access token", &[], false), "get_access_token");
        assert_eq!(derived(Patch, "/v2/access-tokens/{uuid}", "Update", &[], false), "update_access_token");
        assert_eq!(derived(Post, "/v2/namespaces/{namespace}/delete-images", "Delete images", &[], false), "delete_images");
        assert_eq!(derived(Get, "/v2/namespaces/{n}/repositories/{r}/tags/{tag}", "Read repository tag", &[], false), "get_repository_tag");
        assert_eq!(derived(Head, "/v2/namespaces/{n}/repositories/{r}/tags/{tag}", "Check repository tag", &[], false), "check_repository_tag");
        assert_eq!(derived(Head, "/v2/namespaces/{n}/repositories/{r}/tags", "Check repository tags", &[], false), "check_repository_tags");
        assert_eq!(derived(Get, "/v2/namespaces/{n}/repositories/{r}/tags", "List repository tags", &["page"], false), "list_repository_tags");
        assert_eq!(derived(Get, "/v2/auditlogs/{account}", "Returns list of audit log  events.", &["page"], false), "list_audit_logs");
        assert_eq!(derived(Get, "/v2/n/{n}/images/{digest}/tags", "Get image's tags", &["page"], false), "list_image_tags");
        assert_eq!(derived(Get, "/v2/orgs/{name}/settings", "Get organization settings", &[], false), "get_org_settings");
        assert_eq!(derived(Post, "/v2/users/2fa-login", "Second factor authentication.", &[], false), "login_2fa");
        assert_eq!(derived(Get, "/v2/scim/2.0/ResourceTypes", "List resource types", &[], true), "list_resource_types");
        assert_eq!(derived(Get, "/v2/scim/2.0/ResourceTypes/{name}", "Get a resource type", &[], false), "get_resource_type");
    }

    #[test]
    fn items_under_a_parent_are_named_by_static_segments_and_their_actions() {
        use Method::*;
        // The item's body holds a list (`resources`): still one item.
        assert_eq!(derived(Get, "/v2/orgs/{org_name}/access-tokens/{access_token_id}", "Get access token", &[], true), "get_org_access_token");
        assert_eq!(derived(Get, "/v2/orgs/{name}/access-tokens", "List access tokens", &["page"], true), "list_org_access_tokens");
        assert_eq!(derived(Get, "/v2/orgs/{org_name}/members/export", "Export org members CSV", &[], true), "export_org_members");
        assert_eq!(derived(Patch, "/v2/invites/{id}/resend", "Resend an invite", &[], false), "resend_invite");
        assert_eq!(derived(Post, "/v2/invites/bulk", "Bulk create invites", &[], false), "bulk_create_invites");
        assert_eq!(derived(Post, "/v2/users/login", "Log in", &[], false), "login");
        assert_eq!(derived(Get, "/v2/orgs/{org_name}/groups/{group_name}/members", "List members of a group", &["search"], true), "list_group_members");
        assert_eq!(derived(Delete, "/v2/orgs/{org_name}/groups/{group_name}/members/{username}", "Remove a user from a group", &[], false), "delete_group_member");
    }

    #[test]
    fn query_and_custom_methods_are_their_own_verbs() {
        use Method::*;
        assert_eq!(derived(Query, "/v1/books", "Search books", &[], true), "query_books");
        assert_eq!(derived(Other("PURGE".into()), "/documents/{id}", "Purge a document", &[], false), "purge_document");
        assert_eq!(derived(Other("M-SEARCH".into()), "/devices", "Discover devices", &[], true), "m_search_devices");
        assert_eq!(derived(Other("LINK".into()), "/", "Link", &[], false), "link");
    }

    #[test]
    fn operation_ids_are_kept_unless_they_only_repeat_method_and_path() {
        let facts = |id: &'static str, method, path: &'static str| OperationFacts {
            operation_id: Some(id),
            method,
            path,
            summary: Some("Returns list of audit log actions."),
            query_params: vec![],
            returns_list: false,
            sibling_methods: vec![],
        };
        assert_eq!(operation_name(&facts("PostUsersLogin", Method::Post, "/v2/users/login")), "login");
        assert_eq!(operation_name(&facts("AuditLogs_GetAuditActions", Method::Get, "/v2/auditlogs/{account}/actions")), "get_audit_log_actions");
        assert_eq!(operation_name(&facts("listPets", Method::Get, "/pets")), "list_pets");
        assert_eq!(operation_name(&facts("createUserRepository", Method::Put, "/v1/repositories/{namespace}/{repo_name}/")), "create_user_repository");
        // A group prefix the operation's words repeat is left out; one they do not is kept.
        assert_eq!(operation_name(&facts("AuditLogs_ListAuditLogs", Method::Get, "/v2/auditlogs/{account}")), "list_audit_logs");
        assert_eq!(operation_name(&facts("AuditLogs_ListAuditActions", Method::Get, "/v2/auditlogs/{account}/actions")), "list_audit_actions");
        assert_eq!(operation_name(&facts("Pets_List", Method::Get, "/pets")), "pets_list");
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("repositories"), "repository");
        assert_eq!(singular("images"), "image");
        assert_eq!(singular("statuses"), "status");
        assert_eq!(singular("status"), "status");
        for (plural, one) in [
            ("caches", "cache"),
            ("niches", "niche"),
            ("branches", "branch"),
            ("matches", "match"),
            ("coaches", "coach"),
            ("speeches", "speech"),
            ("houses", "house"),
            ("causes", "cause"),
            ("campuses", "campus"),
            ("sizes", "size"),
            ("buzzes", "buzz"),
            ("boxes", "box"),
            ("crashes", "crash"),
            ("addresses", "address"),
            ("policies", "policy"),
            ("ties", "tie"),
            ("cookies", "cookie"),
            ("series", "series"),
            ("analysis", "analysis"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
