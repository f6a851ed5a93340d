//! Tags and operations against the items the emitters name after them (see `naming::items`): a tag
//! whose server trait cannot be its plain name is warned about, and an operation whose client method
//! would meet another method of `Client` (one of its own, another operation's decoder or stream) gets
//! another name, with a warning.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use super::Lowerer;
use crate::diag::Diagnostics;
use crate::ir::naming::{self, client_helpers, Scope, CLIENT_METHODS};
use crate::ir::{Api, Operation};

impl Lowerer<'_> {
    /// One warning per tag that names a trait (an operation's first tag) whose trait is not the
    /// tag's plain UpperCamelCase name, at the tag's declaration or else its first use.
    pub(super) fn warn_renamed_traits(&mut self, operations: &[Operation]) {
        let mut seen = BTreeSet::new();
        for op in operations {
            let Some(tag) = op.tags.first() else { continue };
            if !seen.insert(tag.as_str()) {
                continue;
            }
            let Some((name, why)) = naming::trait_rename(tag) else { continue };
            let location = match self.doc.openapi.tags.iter().position(|t| &t.name == tag) {
                Some(i) => self.locate(&format!("/tags/{i}")),
                None => self.locate(&format!("{}/tags/0", op.location.pointer)),
            };
            let plain = naming::camel_name(tag);
            self.diags.warn(location, format!("the tag `{tag}` would be the server trait `{plain}`, {}; its trait is `{name}`", why.reason()));
        }
    }
}

/// Renames each operation whose client method would meet another method of `Client`: a method of
/// the client's own (`new`), another operation's decoder (`decode_token` beside `token`) or stream
/// (`list_stream` beside a paginated `list`). The later of two operations whose helpers meet is the
/// one renamed; an operation named like another's helper is renamed, not the other.
pub(super) fn settle_client_methods(api: &mut Api, diags: &mut Diagnostics) {
    // Each round renames one operation to a name that meets nothing, so the rounds end.
    while let Some((index, clash, why)) = first_clash(&api.operations) {
        let op = &api.operations[index];
        let paginated = op.pagination.is_some();
        let mut taken: BTreeSet<String> = CLIENT_METHODS.iter().map(|m| (*m).to_owned()).collect();
        for other in &api.operations {
            taken.insert(other.name.clone());
            taken.extend(client_helpers(&other.name, other.pagination.is_some()));
        }
        let prefixes: BTreeSet<String> = api.operations.iter().map(|o| o.name.to_upper_camel_case()).collect();
        let mut scope = Scope::default();
        taken.iter().for_each(|name| scope.reserve(name));
        let renamed = loop {
            let candidate = scope.claim(&op.name);
            if !prefixes.contains(&candidate.to_upper_camel_case()) && client_helpers(&candidate, paginated).iter().all(|h| !taken.contains(h)) {
                break candidate;
            }
        };
        let old = op.name.clone();
        diags.warn(op.location.clone(), format!("the operation name `{old}` would make the client method `{clash}`, which is {why}; the operation is named `{renamed}`"));
        for hook in &mut api.webhooks {
            if let Some(callback) = hook.callback.as_mut().filter(|c| c.operation == old) {
                callback.operation = renamed.clone();
            }
        }
        api.operations[index].name = renamed;
    }
}

/// The first operation whose client methods meet another method of `Client`: its index, the
/// method, and what that method already is.
fn first_clash(ops: &[Operation]) -> Option<(usize, String, String)> {
    let helpers: Vec<Vec<String>> = ops.iter().map(|o| client_helpers(&o.name, o.pagination.is_some())).collect();
    let what = |helper: &str, of: &str| if helper.starts_with("decode_") { format!("the decoder of `{of}`") } else { format!("the page-by-page stream of `{of}`") };
    for (i, op) in ops.iter().enumerate() {
        if CLIENT_METHODS.contains(&op.name.as_str()) {
            return Some((i, op.name.clone(), "a method `Client` has of its own".to_owned()));
        }
        if let Some(j) = (0..ops.len()).find(|&j| j != i && helpers[j].contains(&op.name)) {
            return Some((i, op.name.clone(), what(&op.name, &ops[j].name)));
        }
        for helper in &helpers[i] {
            if CLIENT_METHODS.contains(&helper.as_str()) {
                return Some((i, helper.clone(), "a method `Client` has of its own".to_owned()));
            }
            if let Some(j) = (0..i).find(|&j| helpers[j].contains(helper)) {
                return Some((i, helper.clone(), what(helper, &ops[j].name)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::ir::Method;

    fn op(name: &str, paginated: bool) -> Operation {
        let pagination = paginated.then(|| crate::ir::Pagination {
            style: crate::ir::PageStyle::Page,
            cursor: "page".into(),
            size: "size".into(),
            items: "items".into(),
            next: None,
            total: None,
        });
        Operation {
            name: name.into(),
            operation_id: None,
            method: Method::Get,
            path: "/".into(),
            summary: None,
            description: None,
            tags: Vec::new(),
            deprecated: false,
            lifecycle: Default::default(),
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            security: Vec::new(),
            login: None,
            pagination,
            stream_name: None,
            servers: Vec::new(),
            location: Location { file: "t.yaml".into(), line: None, pointer: String::new() },
        }
    }

    fn settled(ops: Vec<Operation>) -> (Vec<String>, usize) {
        let mut api = Api { operations: ops, ..Api::default() };
        let mut diags = Diagnostics::default();
        settle_client_methods(&mut api, &mut diags);
        (api.operations.iter().map(|o| o.name.clone()).collect(), diags.into_sorted().len())
    }

    #[test]
    fn client_methods_never_meet() {
        assert_eq!(settled(vec![op("new", false), op("builder", false)]), (vec!["new_2".into(), "builder_2".into()], 2));
        assert_eq!(settled(vec![op("decode_token", false), op("token", false)]), (vec!["decode_token_2".into(), "token".into()], 1));
        assert_eq!(settled(vec![op("list", true), op("list_stream", false)]), (vec!["list".into(), "list_stream_2".into()], 1));
        assert_eq!(settled(vec![op("list", false), op("list_stream", false)]), (vec!["list".into(), "list_stream".into()], 0));
        assert_eq!(settled(vec![op("x_stream", false), op("decode_x", true)]), (vec!["x_stream".into(), "decode_x_2".into()], 1));
    }
}
