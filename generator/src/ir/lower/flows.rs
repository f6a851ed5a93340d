//! Logins and paginated listings, the flows the client turns into conveniences.
//!
//! An operation declares them with documented extensions, which an overlay can add to a spec that
//! lacks them:
//!
//! ```yaml
//! x-login: password            # or `second-factor`, or false; in full:
//! x-login: {kind: password, token: token, challenge: login_2fa_token}
//! x-pagination: {page: page, size: page_size, items: results, next: next}
//! x-pagination: {start: startIndex, size: count, items: Resources, total: totalResults}
//! x-pagination: false
//! ```
//!
//! `token` is the success body's field holding the bearer token (default `token`); `challenge` the
//! error body's field that asks for a second factor. `page` (or `start`, for 1-based start indices)
//! and `size` are query parameters; `items`, `next` and `total` fields of the success body. Without
//! a declaration the names are guessed (a `password` field in and a `token` out; `page` and
//! `page_size` in and a `results` list out), and a warning says what was guessed and how to declare
//! it. A declaration that does not fit the operation is a warning too, and the flow is left out.

use serde_json::Value;

use crate::diag::{push_pointer, Diagnostics, Location};
use crate::ir::{naming, Api, Login, LoginKind, Method, Operation, PageStyle, Pagination, ParamLocation, Response, Status, Struct, TypeRef};

/// The extension declaring a login.
pub(super) const LOGIN: &str = "x-login";
/// The extension declaring pagination.
pub(super) const PAGINATION: &str = "x-pagination";

/// What an operation declares, read while lowering it.
pub(super) struct Declared {
    /// The operation's name.
    pub op: String,
    /// Its pointer, where the extensions are.
    pub at: String,
    pub login: Option<Value>,
    pub pagination: Option<Value>,
}

/// Sets every operation's login and pagination from its declarations, or from its names with a
/// warning.
pub(super) fn settle(api: &mut Api, declared: Vec<Declared>, locate: &dyn Fn(&str) -> Location, diags: &mut Diagnostics) {
    let mut found = Vec::with_capacity(api.operations.len());
    for (index, op) in api.operations.iter().enumerate() {
        let declared = declared.iter().find(|d| d.op == op.name);
        let login = match declared.and_then(|d| Some((d, d.login.as_ref()?))) {
            Some((_, Value::Bool(false))) => None,
            Some((d, value)) => match declared_login(api, op, value) {
                Ok(login) => Some(login),
                Err(why) => {
                    diags.warn(locate(&push_pointer(&d.at, LOGIN)), format!("`{LOGIN}` does not fit `{}`: {why}; no login method is generated for it", op.name));
                    None
                }
            },
            None => guessed_login(api, op).inspect(|login| {
                let what = match login.kind {
                    LoginKind::Password => "a password login (a `password` field in, a `token` out)",
                    LoginKind::SecondFactor => "the second step of a login (a `code` and a token in, a `token` out)",
                };
                diags.warn(op.location.clone(), format!("`{}` is read as {what} from its field names; declare it with `{LOGIN}` (an overlay can) to make that explicit", op.name));
            }),
        };
        let pagination = match declared.and_then(|d| Some((d, d.pagination.as_ref()?))) {
            Some((_, Value::Bool(false))) => None,
            Some((d, value)) => match declared_pagination(api, op, login.is_some(), value) {
                Ok(p) => Some(p),
                Err(why) => {
                    diags.warn(locate(&push_pointer(&d.at, PAGINATION)), format!("`{PAGINATION}` does not fit `{}`: {why}; no page-by-page stream is generated for it", op.name));
                    None
                }
            },
            None => guessed_pagination(api, op, login.is_some()).inspect(|p| {
                diags.warn(
                    op.location.clone(),
                    format!("`{}` is read as a paginated listing from its names (`{}` and `{}` in, `{}` out); declare it with `{PAGINATION}` (an overlay can) to make that explicit", op.name, p.cursor, p.size, p.items),
                );
            }),
        };
        found.push((index, login, pagination));
    }
    for (index, login, pagination) in found {
        if let Some(op) = api.operations.get_mut(index) {
            op.login = login;
            op.pagination = pagination;
        }
    }
}

fn field<'a>(s: &'a Struct, wire: &str) -> Option<&'a crate::ir::Field> {
    s.fields.iter().find(|f| f.wire_name == wire)
}

fn successes(op: &Operation) -> impl Iterator<Item = &Response> {
    op.responses.iter().filter(|r| r.status.is_success())
}

/// The struct of the request body, and of the first success body.
fn login_shapes<'a>(api: &'a Api, op: &'a Operation) -> Result<(&'a Struct, &'a Struct), String> {
    if op.method != Method::Post {
        return Err("a login is a POST".into());
    }
    let body = op.body.as_ref().and_then(|b| b.content.first()).and_then(|c| c.ty.as_ref()).and_then(|t| api.struct_of(t)).ok_or("its request body is not an object")?;
    let success = successes(op).next().and_then(|r| r.content.first()).and_then(|c| c.ty.as_ref()).and_then(|t| api.struct_of(t)).ok_or("its success body is not an object")?;
    let required: Vec<_> = body.1.fields.iter().filter(|f| f.required).collect();
    if required.is_empty() || required.iter().any(|f| f.ty != TypeRef::String) {
        return Err("its request body's required fields are not all text (they become the method's arguments)".into());
    }
    Ok((body.1, success.1))
}

/// The error answer whose body has field `wire`, with its status.
fn challenge(api: &Api, op: &Operation, wire: &str) -> Option<(u16, String)> {
    op.responses.iter().filter(|r| !r.status.is_success()).find_map(|r| {
        let Status::Code(code) = r.status else { return None };
        let (_, s) = api.struct_of(r.content.first()?.ty.as_ref()?)?;
        field(s, wire).map(|f| (code, f.wire_name.clone()))
    })
}

fn declared_login(api: &Api, op: &Operation, value: &Value) -> Result<Login, String> {
    let (kind, token, challenge_field) = match value {
        Value::String(kind) => (kind.as_str(), "token", None),
        Value::Object(map) => (
            map.get("kind").and_then(Value::as_str).unwrap_or("password"),
            map.get("token").and_then(Value::as_str).unwrap_or("token"),
            map.get("challenge").and_then(Value::as_str),
        ),
        _ => return Err("it must be `password`, `second-factor`, false or a mapping".into()),
    };
    let kind = match kind {
        "password" => LoginKind::Password,
        "second-factor" => LoginKind::SecondFactor,
        other => return Err(format!("`{other}` is not a kind of login (`password` or `second-factor`)")),
    };
    let (_, success) = login_shapes(api, op)?;
    if !field(success, token).is_some_and(|f| f.ty == TypeRef::String) {
        return Err(format!("its success body has no text field `{token}`"));
    }
    let challenge = match challenge_field {
        Some(wire) if kind == LoginKind::Password => Some(challenge(api, op, wire).ok_or_else(|| format!("no error answer's body has a field `{wire}`"))?),
        Some(_) => return Err("only a password login can ask for a second factor".into()),
        None => None,
    };
    Ok(Login { kind, token: token.to_owned(), challenge })
}

fn guessed_login(api: &Api, op: &Operation) -> Option<Login> {
    let (body, success) = login_shapes(api, op).ok()?;
    field(success, "token").filter(|f| f.ty == TypeRef::String)?;
    let kind = if field(body, "password").is_some() {
        LoginKind::Password
    } else if field(body, "code").is_some() && body.fields.iter().any(|f| f.wire_name.ends_with("token")) {
        LoginKind::SecondFactor
    } else {
        return None;
    };
    let challenge = (kind == LoginKind::Password)
        .then(|| {
            op.responses.iter().filter(|r| !r.status.is_success()).find_map(|r| {
                let (_, s) = api.struct_of(r.content.first()?.ty.as_ref()?)?;
                let f = s.fields.iter().find(|f| f.wire_name.ends_with("2fa_token"))?;
                challenge(api, op, &f.wire_name)
            })
        })
        .flatten();
    Some(Login { kind, token: "token".into(), challenge })
}

/// The success body a listing's pages have, when the operation can be walked at all.
fn page_body<'a>(api: &'a Api, op: &'a Operation, is_login: bool) -> Result<&'a Struct, String> {
    let mut all = successes(op);
    let (Some(success), None) = (all.next(), all.next()) else { return Err("a listing has one success answer".into()) };
    if op.method != Method::Get || is_login || !success.headers.is_empty() {
        return Err("a listing is a GET whose success answer has no headers".into());
    }
    success.content.first().and_then(|c| c.ty.as_ref()).and_then(|t| api.struct_of(t)).map(|(_, s)| s).ok_or_else(|| "its success body is not an object".into())
}

/// A page number, index or size is a count, whether the spec types it `integer` or, as Docker
/// Hub's access-token listing does, `number`.
fn integer_query(op: &Operation, wire: &str) -> Result<(), String> {
    match op.params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == wire) {
        Some(p) if matches!(p.ty, TypeRef::Integer { .. } | TypeRef::Number { .. }) => Ok(()),
        Some(_) => Err(format!("the query parameter `{wire}` is not a number")),
        None => Err(format!("it has no query parameter `{wire}`")),
    }
}

fn check_fields(body: &Struct, p: &Pagination) -> Result<(), String> {
    if !field(body, &p.items).is_some_and(|f| matches!(f.ty, TypeRef::List(_))) {
        return Err(format!("its success body has no list field `{}`", p.items));
    }
    if let Some(next) = &p.next {
        if !field(body, next).is_some_and(|f| f.ty == TypeRef::String && (!f.required || f.nullable)) {
            return Err(format!("its success body has no optional or nullable text field `{next}` (the last page has no next link)"));
        }
    }
    if let Some(total) = &p.total {
        if !field(body, total).is_some_and(|f| matches!(f.ty, TypeRef::Integer { .. } | TypeRef::Number { .. })) {
            return Err(format!("its success body has no number field `{total}`"));
        }
    }
    Ok(())
}

fn declared_pagination(api: &Api, op: &Operation, is_login: bool, value: &Value) -> Result<Pagination, String> {
    let Value::Object(map) = value else { return Err("it must be a mapping or false".into()) };
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    let (style, cursor) = match (text("page"), text("start")) {
        (Some(page), None) => (PageStyle::Page, page),
        (None, Some(start)) => (PageStyle::Index, start),
        _ => return Err("give the page number parameter as `page`, or the start index parameter as `start`".into()),
    };
    let size = text("size").ok_or("give the page size parameter as `size`")?;
    let items = text("items").ok_or("give the success body's list field as `items`")?;
    let pagination = Pagination { style, cursor, size, items, next: text("next"), total: text("total") };
    let body = page_body(api, op, is_login)?;
    integer_query(op, &pagination.cursor)?;
    integer_query(op, &pagination.size)?;
    check_fields(body, &pagination)?;
    Ok(pagination)
}

fn guessed_pagination(api: &Api, op: &Operation, is_login: bool) -> Option<Pagination> {
    let body = page_body(api, op, is_login).ok()?;
    let query = |names: &[&str]| op.params.iter().find(|p| p.location == ParamLocation::Query && names.contains(&p.wire_name.as_str())).map(|p| p.wire_name.clone());
    let (style, cursor, size) = match (query(&["page"]), query(&["page_size", "per_page"]), query(&["startIndex", "start_index"]), query(&["count"])) {
        (Some(page), Some(size), _, _) => (PageStyle::Page, page, size),
        (_, _, Some(start), Some(count)) => (PageStyle::Index, start, count),
        _ => return None,
    };
    integer_query(op, &cursor).ok()?;
    integer_query(op, &size).ok()?;
    let items = body.fields.iter().find(|f| naming::is_list_property(&f.wire_name) && matches!(f.ty, TypeRef::List(_)))?.wire_name.clone();
    let next = field(body, "next").filter(|f| f.ty == TypeRef::String && (!f.required || f.nullable)).map(|f| f.wire_name.clone());
    let total = body.fields.iter().find(|f| f.wire_name == "totalResults" && matches!(f.ty, TypeRef::Integer { .. }) && !f.required).map(|f| f.wire_name.clone());
    let pagination = Pagination { style, cursor, size, items, next, total };
    check_fields(body, &pagination).ok()?;
    Some(pagination)
}
