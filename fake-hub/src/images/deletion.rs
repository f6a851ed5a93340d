//! `POST /v2/namespaces/{namespace}/delete-images`: deleting image manifests of one repository.
//!
//! Errors (`not_found`, `unauthorized` for members who are not owners, `child_manifest` for
//! children of multi-arch images) can never be ignored; warnings (`is_active`, `current_tag`) stop
//! the deletion until the request lists them in `ignore_warnings`, exactly as the 400 answer gave
//! them, so a client can feed them back verbatim. `dry_run` checks everything and changes nothing.
//! Deleting a tagged image deletes its tags; deleting a multi-arch index deletes its children.

use std::collections::{BTreeMap, BTreeSet};

use dockerhub_server::models::v2 as m;
use dockerhub_server::v2::{DeleteImagesRequest, DeleteImagesResponse};

use crate::access::{role, Role};
use crate::auth::{Caller, Scope};
use crate::errors::CallInfo;
use crate::hub::Hub;
use crate::images::{active_from, is_active};
use crate::store::Store;

const NAME: &str = "PostNamespacesDeleteImages";

type ErrorKind = m::PostNamespacesDeleteImagesResponseErrorErrinfoDetailsErrorError;
type WarningKind = m::WarningWarning;
type Problem = m::PostNamespacesDeleteImagesResponseErrorErrinfoDetailsError;
type Warning = m::PostNamespacesDeleteImagesResponseErrorErrinfoDetailsWarning;

/// What the checks found.
enum Outcome {
    /// The caller may not use the API on this namespace (403).
    Forbidden(String),
    /// The request cannot be carried out (400), with the errors and warnings that say why.
    Refused { message: String, kind: &'static str, errors: Vec<Problem>, warnings: Vec<Warning> },
    /// Done (or, on a dry run, would be done).
    Deleted { dry_run: bool, manifests: i64, tags: i64 },
}

impl Hub {
    /// Carries out a delete-images request.
    pub(crate) fn delete_images_now(&self, request: DeleteImagesRequest) -> DeleteImagesResponse {
        let (outcome, docker_id) = match self.bearer_caller(&request.context.credentials()) {
            // The operation documents no 401: a refused caller is forbidden.
            Err(e) => (Outcome::Forbidden(e.to_string()), None),
            Ok(caller) => {
                let mut store = self.lock();
                (decide(&mut store, &caller, &request), Some(caller.user_id))
            }
        };
        match outcome {
            Outcome::Forbidden(message) => DeleteImagesResponse::Forbidden(self.error_response(NAME, docker_id, message)),
            Outcome::Refused { message, kind, errors, warnings } => {
                let info = self.call_info(NAME, docker_id);
                DeleteImagesResponse::BadRequest(Box::new(refusal_body(info, message, kind, errors, warnings)))
            }
            Outcome::Deleted { dry_run, manifests, tags } => DeleteImagesResponse::Ok(Box::new(m::PostNamespacesDeleteImagesResponseSuccess {
                dry_run: Some(dry_run),
                metrics: Some(m::PostNamespacesDeleteImagesResponseSuccessMetrics {
                    manifest_deletes: Some(manifests),
                    manifest_errors: Some(0),
                    tag_deletes: Some(tags),
                    tag_errors: Some(0),
                    additional_properties: Default::default(),
                }),
                additional_properties: Default::default(),
            })),
        }
    }
}

fn refused(message: impl Into<String>) -> Outcome {
    Outcome::Refused { message: message.into(), kind: "bad_request", errors: Vec::new(), warnings: Vec::new() }
}

/// Checks the request against the state and, unless it is a dry run, deletes.
fn decide(store: &mut Store, caller: &Caller, request: &DeleteImagesRequest) -> Outcome {
    let namespace = request.namespace.as_str();
    let caller_role = role(store, &caller.username, namespace);
    if caller.scope < Scope::Admin || caller_role < Role::Member {
        return Outcome::Forbidden(format!("user does not have delete access to the namespace {namespace}"));
    }
    if !store.plan_of(namespace).manages_images() {
        return Outcome::Forbidden("this API is only available to users on Pro or Team plans".into());
    }
    let body = &request.body;
    let manifests = body.manifests.clone().unwrap_or_default();
    if manifests.is_empty() {
        return refused("manifests: at least one manifest to delete is required");
    }
    let repositories: BTreeSet<String> = manifests.iter().map(|m| m.repository.to_ascii_lowercase()).collect();
    if repositories.len() > 1 {
        return refused("manifests: deletion is limited to a single repository");
    }
    let from = match body.active_from.as_deref() {
        Some(text) if chrono::DateTime::parse_from_rfc3339(text.trim()).is_err() => return refused("active_from: must be an RFC 3339 date-time"),
        text => active_from(text, store.now()),
    };
    let ignored = body.ignore_warnings.clone().unwrap_or_default();
    let is_ignored = |repository: &str, digest: &str, kind: WarningKind, tags: &[String]| {
        ignored.iter().any(|i| {
            i.repository.eq_ignore_ascii_case(repository)
                && i.digest == digest
                && i.warning.as_str() == kind.as_str()
                && i.tags.as_ref().is_none_or(|listed| tags.iter().all(|t| listed.contains(t)))
        })
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut targets: BTreeSet<String> = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for manifest in &manifests {
        if !seen.insert((manifest.repository.to_ascii_lowercase(), manifest.digest.clone())) {
            continue;
        }
        let problem = |kind: ErrorKind| Problem { repository: Some(manifest.repository.clone()), digest: Some(manifest.digest.clone()), error: Some(kind), additional_properties: Default::default() };
        let Some(image) = store.repo(namespace, &manifest.repository).and_then(|r| r.image(&manifest.digest).map(|i| (r, i))) else {
            errors.push(problem(ErrorKind::NotFound));
            continue;
        };
        let (repo, image) = image;
        if caller_role != Role::Owner {
            errors.push(problem(ErrorKind::Unauthorized));
            continue;
        }
        if image.parent.is_some() {
            errors.push(problem(ErrorKind::ChildManifest));
            continue;
        }
        let warn = |kind: WarningKind, tags: Option<Vec<String>>| Warning { repository: Some(manifest.repository.clone()), digest: Some(manifest.digest.clone()), warning: Some(kind), tags, additional_properties: Default::default() };
        if is_active(image, from) && !is_ignored(&manifest.repository, &manifest.digest, WarningKind::IsActive, &[]) {
            warnings.push(warn(WarningKind::IsActive, None));
        }
        let current = repo.current_tags(&image.digest);
        if !current.is_empty() && !is_ignored(&manifest.repository, &manifest.digest, WarningKind::CurrentTag, &current) {
            warnings.push(warn(WarningKind::CurrentTag, Some(current)));
        }
        targets.insert(image.digest.clone());
    }
    if !errors.is_empty() || !warnings.is_empty() {
        let message = if errors.is_empty() { "deletion not possible: some warnings were not ignored" } else { "deletion not possible: some manifests cannot be deleted" };
        return Outcome::Refused { message: message.into(), kind: "validation", errors, warnings };
    }
    let repository = manifests.first().map(|m| m.repository.clone()).unwrap_or_default();
    let dry_run = body.dry_run.unwrap_or(false);
    apply(store, &caller.username, namespace, &repository, &targets, dry_run)
}

/// Deletes `targets` (and their children) from `namespace/repository`; a dry run only counts.
fn apply(store: &mut Store, actor: &str, namespace: &str, repository: &str, targets: &BTreeSet<String>, dry_run: bool) -> Outcome {
    let Some(repo) = store.repo_mut(namespace, repository) else {
        return Outcome::Deleted { dry_run, manifests: 0, tags: 0 };
    };
    let doomed: BTreeSet<String> = repo.images.iter().filter(|i| targets.contains(&i.digest) || i.parent.as_ref().is_some_and(|p| targets.contains(p))).map(|i| i.digest.clone()).collect();
    let tags: Vec<(String, String)> = repo.tags.values().filter(|t| doomed.contains(&t.digest)).map(|t| (t.name.clone(), t.digest.clone())).collect();
    let outcome = Outcome::Deleted { dry_run, manifests: doomed.len() as i64, tags: tags.len() as i64 };
    if dry_run {
        return outcome;
    }
    repo.images.retain(|i| !doomed.contains(&i.digest));
    repo.tags.retain(|_, t| !doomed.contains(&t.digest));
    let (account, full_name) = (repo.namespace.clone(), repo.full_name());
    for (tag, digest) in tags {
        let data = BTreeMap::from([("digest".to_owned(), digest.clone()), ("tag".to_owned(), tag.clone())]);
        store.record(&account, "repo.tag.delete", &full_name, actor, data, format!("deleted the tag {tag} from the repository {full_name}"));
    }
    for digest in doomed {
        let data = BTreeMap::from([("digest".to_owned(), digest.clone())]);
        store.record(&account, "repo.image.delete", &full_name, actor, data, format!("deleted the image {digest} from the repository {full_name}"));
    }
    outcome
}

/// The documented 400 body.
fn refusal_body(info: CallInfo, message: String, kind: &str, errors: Vec<Problem>, warnings: Vec<Warning>) -> m::PostNamespacesDeleteImagesResponseError {
    let details = (!errors.is_empty() || !warnings.is_empty())
        .then_some(m::PostNamespacesDeleteImagesResponseErrorErrinfoDetails { errors: Some(errors), warnings: Some(warnings), additional_properties: Default::default() });
    m::PostNamespacesDeleteImagesResponseError {
        txnid: Some(info.txnid.clone()),
        message: Some(message),
        errinfo: Some(m::PostNamespacesDeleteImagesResponseErrorErrinfo {
            api_call_docker_id: info.docker_id,
            api_call_name: Some(info.name.into()),
            api_call_start: Some(info.start),
            api_call_txnid: Some(info.txnid),
            type_: Some(kind.into()),
            details,
            additional_properties: Default::default(),
        }),
        additional_properties: Default::default(),
    }
}

