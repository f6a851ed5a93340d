//! Servers (`servers` of the document, a path or an operation): URL templates with variables.
//!
//! A variable is filled with its default for the URL a client sends to unless told otherwise; a
//! scheme-relative URL (`//api.example.com`) is read as `https:`, which every API that writes one
//! serves. A variable the URL names but does not declare, and a default its `enum` does not list,
//! are warnings at their place.

use crate::diag::push_pointer;
use crate::ir::{Server, ServerVariable};

/// The servers written at `at` (a `servers` list), with what was assumed warned about.
pub(super) fn lower(servers: &[openapiv3::Server], at: &str, warn: &mut dyn FnMut(&str, String)) -> Vec<Server> {
    servers.iter().enumerate().map(|(i, server)| one(server, &push_pointer(at, &i.to_string()), warn)).collect()
}

fn one(server: &openapiv3::Server, at: &str, warn: &mut dyn FnMut(&str, String)) -> Server {
    let url = match server.url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => server.url.clone(),
    };
    let mut variables = Vec::new();
    for (name, variable) in server.variables.iter().flatten() {
        let values = variable.enumeration.clone();
        if !values.is_empty() && !values.contains(&variable.default) {
            let place = push_pointer(&push_pointer(&push_pointer(at, "variables"), name), "default");
            warn(&place, format!("the default `{}` of server variable `{name}` is none of its `enum` values; kept as the default", variable.default));
        }
        variables.push(ServerVariable { name: name.clone(), default: variable.default.clone(), values, description: variable.description.clone() });
    }
    let mut default_url = url.clone();
    for variable in &variables {
        default_url = default_url.replace(&format!("{{{}}}", variable.name), &variable.default);
    }
    for undeclared in crate::ir::template_names(&default_url) {
        warn(&push_pointer(at, "url"), format!("the server URL names `{{{undeclared}}}`, which `variables` does not declare; left in the URL as written"));
    }
    let name = server.extensions.get(crate::load::SERVER_NAME).and_then(serde_json::Value::as_str).map(str::to_owned);
    Server { url, default_url, name, description: server.description.clone(), variables }
}
