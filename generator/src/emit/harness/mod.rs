//! The round-trip harness of a models crate, for `cargo xtask roundtrip`: a program that reads
//! `<case>\t<json>` lines, deserializes each JSON text into the model type numbered `<case>` and
//! serializes it again, answering `ok\t<json>\t<where>` or `err\t<why>` on one line per case.
//! `<where>` says where the value went inside the model (see `audit.rs`): `{"extra": [[pointer, type,
//! [key, …]], …], "members": [[pointer, type, index], …]}`, the keys each struct kept as extra
//! properties and the member each union or tagged value holds. Whoever drives it decides what a
//! case is and judges what comes back; the harness only holds the types, which only generated
//! code can name.

mod audit;
pub mod operations;
mod program;
mod stream;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::rust::{ident, qualified_type};
use crate::diag::Error;
use crate::ir::{Api, TypeRef};

/// The harness crate's directory (and package) name for the crates named `<prefix>-…`.
pub fn crate_name(prefix: &str) -> String {
    format!("{prefix}-roundtrip")
}

#[derive(Serialize)]
struct Manifest<'a> {
    header: &'a str,
    crate_name: String,
    models: String,
    runtime: &'a str,
}

/// The harness crate's files, under `<prefix>-roundtrip/`: case `i` is `types[i]` of `api`, module
/// `module` of the models crate (an `Option` of it where the flag says the schema admits `null`).
/// `runtime` is the runtime's dependency keys, as for the other crates.
pub fn files(api: &Api, prefix: &str, module: &str, runtime: &str, header: &str, types: &[(TypeRef, bool)]) -> Result<BTreeMap<PathBuf, String>, Error> {
    let name = crate_name(prefix);
    let models = format!("{prefix}-models");
    let manifest = Manifest { header, crate_name: name.clone(), models: models.clone(), runtime };
    let models_path = {
        let krate = ident(&models.replace('-', "_"));
        let module = ident(module);
        quote!(#krate::#module)
    };
    let arms = types.iter().enumerate().map(|(i, (ty, nullable))| {
        let rust = qualified_type(ty, Some(&models_path));
        let rust: TokenStream = if *nullable { quote!(Option<#rust>) } else { rust };
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        if audit::walked(api, ty) {
            quote!(Ok(#i) => audited::<#rust>(json),)
        } else {
            quote!(Ok(#i) => read::<#rust>(json).and_then(|typed| write(&typed)).map(|json| (json, Report::default())),)
        }
    });
    let roots: Vec<&TypeRef> = types.iter().map(|(ty, _)| ty).collect();
    let audit = audit::items(api, &models_path, &roots);
    let tokens = quote! {
        //! Writes each JSON value it reads back through the model type its case names, and says
        //! where its parts went inside the model.

        use std::io::{BufRead as _, Write as _};

        fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
            serde_json::from_str(json).map_err(|e| format!("does not deserialize: {e}"))
        }

        fn write<T: serde::Serialize>(typed: &T) -> Result<String, String> {
            serde_json::to_string(typed).map_err(|e| format!("does not serialize: {e}"))
        }

        #audit

        fn main() -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in std::io::stdin().lock().lines() {
                let line = line?;
                let (case, json) = line.split_once('\t').unwrap_or((line.as_str(), ""));
                let result = match case.parse::<usize>() {
                    #(#arms)*
                    _ => Err(format!("no case numbered `{case}`")),
                };
                match result {
                    Ok((json, report)) => writeln!(out, "ok\t{json}\t{}", report.json())?,
                    Err(why) => writeln!(out, "err\t{}", why.replace('\n', " "))?,
                }
            }
            out.flush()
        }
    };
    let main = format!("// {header}\n\n{}", super::format_items(&name, tokens)?);
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from(&name).join("Cargo.toml"), super::templates::render("harness/Cargo.toml.j2", &manifest)?);
    files.insert(PathBuf::from(&name).join("src/main.rs"), main);
    Ok(files)
}
