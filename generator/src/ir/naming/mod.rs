//! Naming: every Rust identifier the generator emits is decided here, once.
//!
//! Type names are UpperCamelCase, functions and fields snake_case (both by `heck`), keywords and
//! prelude names are avoided, and names that would collide get a deterministic suffix. Operations
//! without a usable `operationId` get a name derived from their method, path and summary, the way a
//! person would name them (`list_access_tokens`, `get_repository_tag`, `delete_images`;
//! `operations`). The names the client and server emitters give their own items are out of a
//! spec's reach by construction (`items`).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::Status;

mod items;
mod operations;

pub use items::{client_helpers, trait_name, trait_rename, TraitRename, CLIENT_METHODS};
pub use operations::{is_list_property, operation_name, singular, OperationFacts};

/// Rust keywords (strict, reserved and edition-dependent): never usable as plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut",
    "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that generated code may use unqualified, so that a type of the same name would
/// shadow them: every name of Rust's prelude (2021 and 2024 editions, types, traits and variants),
/// `Self`, the local `Visitor` and `Slots` of a model's `Deserialize`, and the generic parameters
/// of the serde impls (`S`, `D`, `A`, `E`). A schema named so gets `Model` added, with a warning.
pub const RESERVED_TYPES: &[&str] = &[
    "Copy", "Send", "Sized", "Sync", "Unpin", "Drop", "Fn", "FnMut", "FnOnce", "AsyncFn", "AsyncFnMut", "AsyncFnOnce", "Box", "ToOwned", "Clone",
    "PartialEq", "PartialOrd", "Eq", "Ord", "AsRef", "AsMut", "Into", "From", "Default", "Iterator", "Extend", "IntoIterator",
    "DoubleEndedIterator", "ExactSizeIterator", "Option", "Some", "None", "Result", "Ok", "Err", "String", "ToString", "Vec",
    "TryFrom", "TryInto", "FromIterator", "Future", "IntoFuture", "Self", "Visitor", "Slots", "S", "D", "A", "E",
];

/// Names the generated code gives its own locals, arguments and request fields where parameters
/// also become locals (the server's request readers) or fields (its request structs): a parameter
/// named so (`query`, `body`, …) gets `_param` added instead of shadowing them.
const RESERVED_LOCALS: &[&str] =
    &["params", "body", "request", "response", "query", "headers", "path", "pairs", "cookies", "errors", "bytes", "credentials", "context", "service", "rejection", "models"];

/// Further names of locals of the client's page walkers, which take path parameters as arguments.
const RESERVED_PATH_LOCALS: &[&str] = &["cursor", "page", "items", "next", "link", "total", "next_start"];

/// UpperCamelCase type name from any spec name: `scim_user` -> `ScimUser`, `Option` -> `OptionModel`.
pub fn type_name(raw: &str) -> String {
    let mut name = camel_name(raw);
    if is_reserved_type(&name) {
        name.push_str("Model");
    }
    name
}

/// True when a type of this name would shadow a name the generated code uses ([`RESERVED_TYPES`]).
pub fn is_reserved_type(name: &str) -> bool {
    RESERVED_TYPES.contains(&name)
}

/// UpperCamelCase words of any spec name, for a type name or a part of one (`scim_user` ->
/// `ScimUser`); [`type_name`] makes it a name no generated code uses.
pub fn camel_name(raw: &str) -> String {
    // A name that is already UpperCamelCase keeps its spelling (`Users2FALoginRequest`, not `Users2FaLoginRequest`).
    let already_camel = raw.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && raw.chars().all(|c| c.is_ascii_alphanumeric())
        && raw.chars().any(|c| c.is_ascii_lowercase());
    let name = if already_camel { raw.to_owned() } else { words_fixed(&raw.to_snake_case()).to_upper_camel_case() };
    if name.is_empty() {
        "Unnamed".into()
    } else {
        name
    }
}

/// Type name for a body defined in `components/responses` or `components/requestBodies`: the key,
/// with a trailing `resp`/`req` spelled out (`scim_get_users_resp` -> `ScimGetUsersResponse`).
pub fn component_type_hint(key: &str) -> String {
    let name = type_name(key);
    if let Some(stem) = name.strip_suffix("Resp") {
        format!("{stem}Response")
    } else if let Some(stem) = name.strip_suffix("Req") {
        format!("{stem}Request")
    } else {
        name
    }
}

/// UpperCamelCase enum variant name from a wire value: `repo:read` -> `RepoRead`,
/// `-last_activity` -> `LastActivityDesc`, `""` -> `Empty`.
pub fn variant_name(value: &str) -> String {
    let (descending, rest) = match value.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, value),
    };
    let mut name = words_fixed(&rest.to_snake_case()).to_upper_camel_case();
    if name.is_empty() && !rest.is_empty() {
        // No letters or digits (`😀`, `+`): the code points name it.
        name = rest.chars().map(|c| format!("U{:04X}", u32::from(c))).collect();
    } else if name.is_empty() {
        name = "Empty".into();
    }
    if descending {
        name.push_str("Desc");
    }
    if name == "Self" {
        name.push_str("Value");
    }
    name
}

/// snake_case field, parameter or function name: `userName` -> `user_name`, `type` -> `type_`.
pub fn snake_name(raw: &str) -> String {
    let mut name = words_fixed(&raw.to_snake_case());
    if name.is_empty() {
        name = "value".into();
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Identifiers cannot start with a digit: moves leading numeric words to the end
/// (`2fa_login` -> `login_2fa`), or prefixes `n` when every word starts with a digit.
fn words_fixed(snake: &str) -> String {
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let split = words.iter().position(|w| !w.starts_with(|c: char| c.is_ascii_digit()));
    match split {
        Some(0) => words.join("_"),
        Some(i) => {
            let mut reordered: Vec<&str> = words[i..].to_vec();
            reordered.extend_from_slice(&words[..i]);
            reordered.join("_")
        }
        None if words.is_empty() => String::new(),
        None => format!("n{}", words.join("_")),
    }
}

/// snake_case name of a parameter: as [`snake_name`], with `_param` added where the name is one the
/// generated code uses for itself (`query` -> `query_param`; `page` only for a path parameter, which
/// becomes an argument next to the page walker's own `page`).
pub fn param_name(raw: &str, in_path: bool) -> String {
    let name = snake_name(raw);
    if RESERVED_LOCALS.contains(&name.as_str()) || (in_path && RESERVED_PATH_LOCALS.contains(&name.as_str())) {
        format!("{name}_param")
    } else {
        name
    }
}

/// UpperCamelCase name of a response status, by its reason phrase: `400` -> `BadRequest`,
/// `418` -> `Status418`, `5XX` -> `Status5xx`, `default` -> `Default`. Type names and enum variants of
/// every emitter use it.
pub fn status_name(status: Status) -> String {
    match status {
        Status::Code(c) => match c {
            200 => "Ok".to_owned(),
            201 => "Created".to_owned(),
            202 => "Accepted".to_owned(),
            204 => "NoContent".to_owned(),
            400 => "BadRequest".to_owned(),
            401 => "Unauthorized".to_owned(),
            403 => "Forbidden".to_owned(),
            404 => "NotFound".to_owned(),
            405 => "MethodNotAllowed".to_owned(),
            409 => "Conflict".to_owned(),
            413 => "PayloadTooLarge".to_owned(),
            422 => "UnprocessableEntity".to_owned(),
            429 => "TooManyRequests".to_owned(),
            500 => "InternalServerError".to_owned(),
            502 => "BadGateway".to_owned(),
            503 => "ServiceUnavailable".to_owned(),
            other => format!("Status{other}"),
        },
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Default".to_owned(),
    }
}

/// True when `text` is a Rust type, such as a path (`my_crate::Pet`, `rust_decimal::Decimal`).
pub fn is_rust_type(text: &str) -> bool {
    syn::parse_str::<syn::Type>(text).is_ok()
}

/// True when `name` is a name cargo accepts for a package: ASCII letters, digits, `-` and `_`,
/// starting with a letter, at most 64 characters.
pub fn is_crate_name(name: &str) -> bool {
    name.len() <= 64 && name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Module names the generated crates use for their own items, or that would shadow crates they use;
/// a module of a tag is also a Cargo feature, which may not be `default`, `all` or `mock`.
const RESERVED_MODULES: &[&str] = &[
    "models", "transport", "runtime", "validation", "webhooks", "std", "core", "alloc", "serde", "serde_json", "chrono", "uuid", "url",
    "reqwest", "axum", "http", "tokio", "futures_util", "tower_http", "regex", "generator_runtime", "enabled", "shared", "all", "default", "params", "server", "mock",
];

/// True when `name` can be the module of an API in the generated crates: a lower-case identifier
/// that is no keyword and no name the crates use themselves.
pub fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
        && !RESERVED_MODULES.contains(&name)
}

/// The module name for an API from a file name or other text: snake_case, and `_api` added where
/// that would be a keyword or a name the generated crates use (`models` -> `models_api`).
pub fn module_name(raw: &str) -> String {
    let name = snake_name(raw);
    if is_module_name(&name) {
        name
    } else {
        format!("{}_api", name.trim_end_matches('_'))
    }
}

/// A crate name cargo accepts, made from `raw` (`petstore-3.0` -> `petstore-3-0`).
pub fn crate_name_from(raw: &str) -> String {
    let mut name = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api-{name}")
    }
}

/// The variant names of an untagged union of `types`: a named type's own name, else the kind of
/// value (`String`, `Integer`, `List`, …), made unique.
pub fn union_variant_names(types: &[super::TypeRef]) -> Vec<String> {
    use super::TypeRef;
    let mut scope = Scope::default();
    types
        .iter()
        .map(|t| {
            let label = match t {
                TypeRef::Named(n) => n.as_str(),
                TypeRef::String => "String",
                TypeRef::Integer { .. } => "Integer",
                TypeRef::Number { .. } => "Number",
                TypeRef::Boolean => "Boolean",
                TypeRef::DateTime => "DateTime",
                TypeRef::Date => "Date",
                TypeRef::Uuid => "Uuid",
                TypeRef::Url => "Url",
                TypeRef::Ipv4 => "Ipv4",
                TypeRef::Ipv6 => "Ipv6",
                TypeRef::Bytes | TypeRef::Binary => "Bytes",
                TypeRef::Tuple(_) => "Tuple",
                TypeRef::External(_) => "External",
                TypeRef::List(_) => "List",
                TypeRef::Map(_) => "Map",
                TypeRef::Nullable(_) => "Nullable",
                TypeRef::Any => "Any",
            };
            scope.claim(label)
        })
        .collect()
}

/// Hands out names unique within one scope, suffixing `2`, `3`, … to later claimants of a taken name.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// Marks `name` as taken without claiming it (e.g. names reserved by the emitters).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Gives `name` back (a type that turned out to be a duplicate of another).
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
    }

    /// True when `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `candidate`, or the first free `candidate2`, `candidate3`, … (`candidate_2` for snake_case).
    pub fn claim(&mut self, candidate: &str) -> String {
        let snake = candidate.contains('_') || candidate.chars().next().is_some_and(|c| c.is_lowercase());
        let mut name = candidate.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            let trimmed = candidate.trim_end_matches('_');
            name = if snake { format!("{trimmed}_{n}") } else { format!("{candidate}{n}") };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// True when a field with this wire name holds a credential that must not appear in `Debug` output.
pub fn is_secret_name(wire_name: &str) -> bool {
    let snake = wire_name.to_snake_case();
    let last = snake.rsplit('_').next().unwrap_or("");
    matches!(last, "password" | "passwd" | "secret" | "token" | "otp" | "totp") || snake == "code" || snake == "secret_key"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_avoid_keywords_digits_and_prelude() {
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("userName"), "user_name");
        assert_eq!(snake_name("3d_model"), "model_3d");
        assert_eq!(snake_name("@type"), "type_");
        assert_eq!(type_name("Result"), "ResultModel");
        assert_eq!(type_name("scim_user"), "ScimUser");
        assert_eq!(type_name("Users2FALoginRequest"), "Users2FALoginRequest");
        assert_eq!(type_name("accessToken"), "AccessToken");
        assert_eq!(type_name("HTTP"), "Http");
        assert_eq!(variant_name("repo:read"), "RepoRead");
        assert_eq!(variant_name("-last_activity"), "LastActivityDesc");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("\u{1F600}"), "U1F600");
        assert_eq!(variant_name("+"), "U002B");
        assert_eq!(variant_name("2fa"), "N2fa");
        assert_eq!(variant_name("Self"), "SelfValue");
    }

    #[test]
    fn crate_and_module_names_are_ones_cargo_and_rustc_accept() {
        assert!(is_crate_name("dockerhub"));
        assert!(!is_crate_name("petstore-3.0"));
        assert!(!is_crate_name("3d"));
        assert_eq!(crate_name_from("petstore-3.0"), "petstore-3-0");
        assert_eq!(crate_name_from("3D API!"), "api-3d-api");
        assert!(is_module_name("v2"));
        assert!(!is_module_name("models"));
        assert!(!is_module_name("Pets"));
        assert_eq!(module_name("petstore-expanded-3.0"), "petstore_expanded_3_0");
        assert_eq!(module_name("models"), "models_api");
        assert_eq!(module_name("type"), "type_");
    }

    #[test]
    fn spec_names_never_take_the_generated_codes_own() {
        assert_eq!(param_name("query", false), "query_param");
        assert_eq!(param_name("Body", false), "body_param");
        assert_eq!(param_name("page", false), "page");
        assert_eq!(param_name("page", true), "page_param");
        assert_eq!(trait_name(Some("service")), "ServiceApi");
        assert_eq!(trait_name(Some("operations")), "OperationsApi");
        assert_eq!(trait_name(None), "Operations");
        assert_eq!(type_name("Visitor"), "VisitorModel");
    }

    #[test]
    fn scope_suffixes_collisions_deterministically() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("Pet"), "Pet");
        assert_eq!(scope.claim("Pet"), "Pet2");
        assert_eq!(scope.claim("foo_bar"), "foo_bar");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
        assert_eq!(scope.claim("type_"), "type_");
        assert_eq!(scope.claim("type_"), "type_2");
    }

    #[test]
    fn secrets() {
        assert!(is_secret_name("password"));
        assert!(is_secret_name("login_2fa_token"));
        assert!(is_secret_name("code"));
        assert!(!is_secret_name("token_label"));
        assert!(!is_secret_name("country"));
    }
}
