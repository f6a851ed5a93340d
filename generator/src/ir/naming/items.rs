//! The names the emitters give the items of an API's module, and why no spec name meets them.
//!
//! An API's module in the server crate holds `Service`, `routes`, `Webhooks`, `SCHEME_ALIASES`
//! and the imports `Validate`, `Rejection`, `Shape`, `Style`, `Encoding`, `FieldEncoding`, `axum`,
//! `server` and `models`; one trait per tag (`Operations` for untagged operations) with its
//! `<trait>_routes`; `<Op>Request`, `<Op>Response`, `<Op>Body`, `read_<op>` and `handle_<op>` per
//! operation, `<Hook>Headers` per webhook, `bad_request_<type>` per documented 400 body. The
//! client's holds `Client` and its imports, `<Op>Params`, `<Op>Error`, `<Op>Output`, `<Op>Body`
//! and `<Op>Outcome` per operation, and on `Client` the methods `<op>`, `decode_<op>` and
//! `<op>_stream` beside its own (`builder`, `new`, …). What keeps them apart, by construction:
//!
//! - Schemas are never among them: the client and server name every model `models::<Type>`, so a
//!   schema may be called `Client`, `Webhooks` or `ListPetsRequest`.
//! - The UpperCamelCase prefixes of operations are distinct within an API (the IR claims them), and
//!   no suffix ends another, so no two names made from operations meet.
//! - A tag's trait ([`trait_name`]) never is an item of the server module, never ends like a type
//!   made from an operation, and its `<trait>_routes` never starts like a function made from one.
//! - An operation whose client method would meet another method of `Client` gets another name in
//!   the IR, with a warning (see `ir::lower::items`).

use heck::ToSnakeCase;

use super::{camel_name, is_reserved_type, type_name};

/// The trait of operations without a tag.
const UNTAGGED_TRAIT: &str = "Operations";

/// The server module's own type-namespace items (and imports), which a tag's trait may not be.
const SERVER_ITEMS: &[&str] =
    &["Service", "Operations", "Webhooks", "Rejection", "Validate", "Credentials", "ErrorBody", "Router", "Shape", "Style", "Encoding", "FieldEncoding", "Multipart"];

/// How the server names the types of an operation or webhook (`ListPetsRequest`, `PetAddedHeaders`):
/// a tag's trait never ends so.
const SERVER_TYPE_SUFFIXES: &[&str] = &["Request", "Response", "Body", "Headers"];

/// How the server names the functions of an operation (`read_list_pets`, `handle_list_pets`) and of
/// a 400 body (`bad_request_problem`): a tag's `<trait>_routes` never starts so.
const SERVER_FN_PREFIXES: &[&str] = &["read_", "handle_", "bad_request_"];

/// The methods `Client` has of its own (and of its `ApiClient` impl), beside those of operations.
pub const CLIENT_METHODS: &[&str] = &["builder", "new", "set_credentials", "clear_credentials", "rate_limit", "from_transport"];

/// Why a tag's trait is not named plainly after the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraitRename {
    /// The plain name is Rust's prelude's or the models' helpers' (`Option`).
    Prelude,
    /// The plain name is an item of the server module (`Service`, `Webhooks`).
    ModuleItem,
    /// The plain name ends like the types made from an operation (`ListPetsRequest`).
    OperationType,
    /// The plain name's `<trait>_routes` starts like a function made from an operation (`read_…`).
    OperationFunction,
}

impl TraitRename {
    /// What the plain name would have met, for a warning.
    pub fn reason(self) -> &'static str {
        match self {
            TraitRename::Prelude => "a name of Rust's prelude or of the generated code's own helpers",
            TraitRename::ModuleItem => "a name the server module gives an item of its own",
            TraitRename::OperationType => "a name ending the way the server names an operation's types (`…Request`, `…Response`, `…Body`, `…Headers`)",
            TraitRename::OperationFunction => "a name whose routes function would start the way the server names an operation's functions (`read_…`, `handle_…`, `bad_request_…`)",
        }
    }
}

/// The server trait of a tag: its UpperCamelCase name, with `Api` added where that would meet an
/// item of the server module (`service` -> `ServiceApi`) or end like an operation's types
/// (`ListPetsRequest` -> `ListPetsRequestApi`), and `Api` put first where its `<trait>_routes`
/// would start like an operation's functions (`read` -> `ApiRead`); `Operations` for untagged
/// operations.
pub fn trait_name(tag: Option<&str>) -> String {
    match tag {
        Some(tag) => renamed_trait(tag).0,
        None => UNTAGGED_TRAIT.to_owned(),
    }
}

/// The trait of `tag` and, when it is not the tag's plain UpperCamelCase name, why.
pub fn trait_rename(tag: &str) -> Option<(String, TraitRename)> {
    let (name, why) = renamed_trait(tag);
    why.map(|why| (name, why))
}

fn renamed_trait(tag: &str) -> (String, Option<TraitRename>) {
    let mut name = type_name(tag);
    let mut why = is_reserved_type(&camel_name(tag)).then_some(TraitRename::Prelude);
    if SERVER_ITEMS.contains(&name.as_str()) {
        why = why.or(Some(TraitRename::ModuleItem));
        name.push_str("Api");
    } else if SERVER_TYPE_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        why = why.or(Some(TraitRename::OperationType));
        name.push_str("Api");
    }
    let snake = name.to_snake_case();
    if SERVER_FN_PREFIXES.iter().any(|p| snake.starts_with(p) || snake == p.trim_end_matches('_')) {
        why = why.or(Some(TraitRename::OperationFunction));
        name = format!("Api{name}");
    }
    (name, why)
}

/// The methods of `Client` made from an operation named `op` other than its own: its decoder and,
/// for a listing walked page by page, its stream.
pub fn client_helpers(op: &str, paginated: bool) -> Vec<String> {
    let mut helpers = vec![format!("decode_{op}")];
    if paginated {
        helpers.push(format!("{op}_stream"));
    }
    helpers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tags_trait_meets_nothing_the_server_module_names() {
        assert_eq!(trait_name(Some("service")), "ServiceApi");
        assert_eq!(trait_name(Some("operations")), "OperationsApi");
        assert_eq!(trait_name(Some("webhooks")), "WebhooksApi");
        assert_eq!(trait_name(None), "Operations");
        assert_eq!(trait_name(Some("pets")), "Pets");
        assert_eq!(trait_name(Some("Access requests")), "AccessRequests");
        assert_eq!(trait_name(Some("ListPetsRequest")), "ListPetsRequestApi");
        assert_eq!(trait_name(Some("pet_headers")), "PetHeadersApi");
        assert_eq!(trait_name(Some("read")), "ApiRead");
        assert_eq!(trait_name(Some("Read Later")), "ApiReadLater");
        assert_eq!(trait_name(Some("readers")), "Readers");
        assert_eq!(trait_name(Some("read_request")), "ApiReadRequestApi");
        assert_eq!(trait_name(Some("Option")), "OptionModel");
        assert_eq!(trait_rename("Option"), Some(("OptionModel".to_owned(), TraitRename::Prelude)));
        assert_eq!(trait_rename("webhooks"), Some(("WebhooksApi".to_owned(), TraitRename::ModuleItem)));
        assert_eq!(trait_rename("pets"), None);
    }

    #[test]
    fn an_operations_client_helpers_are_its_decoder_and_stream() {
        assert_eq!(client_helpers("list_pets", true), ["decode_list_pets", "list_pets_stream"]);
        assert_eq!(client_helpers("get_pet", false), ["decode_get_pet"]);
    }
}
