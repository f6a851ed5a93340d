//! The generated crates as one Rust file, for a downstream crate's `build.rs` to write into
//! `OUT_DIR` and `include!` (as progenitor offers).
//!
//! Each crate becomes a module of the file (`models`, `client`, `server`): its files are inlined
//! (`mod v2;` becomes `mod v2 { … }`), its `crate::` paths are re-rooted under its module, and the
//! models crate is named `crate::models`. The file is meant to be included at the root of the
//! downstream crate, which depends on what the crates would (`generator-runtime` with the
//! features the modules use, `serde`, `serde_json`, and `chrono`, `uuid`, `url` or
//! `futures-util` as the API needs them: the generated `Cargo.toml` files list them). The server's
//! `mock` feature is left out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};

use crate::diag::Error;

/// The crates of `files` (emitted with prefix `prefix`) as one formatted Rust file.
pub fn single_file(prefix: &str, files: &BTreeMap<PathBuf, String>, header: &str) -> Result<String, Error> {
    let models_crate = format!("{prefix}-models").replace('-', "_");
    let mut modules = Vec::new();
    for kind in ["models", "client", "server"] {
        let dir = PathBuf::from(format!("{prefix}-{kind}/src"));
        if !files.contains_key(&dir.join("lib.rs")) {
            continue;
        }
        let items = inline_file(files, &dir.join("lib.rs"), &dir)?;
        let items = reroot(items, kind, &models_crate);
        let name = format_ident!("{}", kind);
        modules.push(quote!(pub mod #name { #items }));
    }
    let file: syn::File = syn::parse2(quote!(#(#modules)*)).map_err(|e| Error::Emit { what: "the single file".into(), message: e.to_string() })?;
    Ok(format!("// {header}\n\n{}", prettyplease::unparse(&file)))
}

/// The items of `file`, its `mod x;` declarations replaced by the modules' files (in `dir`).
fn inline_file(files: &BTreeMap<PathBuf, String>, file: &Path, dir: &Path) -> Result<TokenStream, Error> {
    let text = files.get(file).ok_or_else(|| Error::Emit { what: file.display().to_string(), message: "not generated".into() })?;
    let parsed = syn::parse_file(text).map_err(|e| Error::Emit { what: file.display().to_string(), message: e.to_string() })?;
    let mut out = TokenStream::new();
    for attr in &parsed.attrs {
        out.extend(quote!(#attr));
    }
    for item in parsed.items {
        match item {
            // The server's mock reads its answers' document from a file beside it, and is a
            // feature of the crate: a single file has neither (no API or tag module is `mock`).
            syn::Item::Mod(m) if m.ident == "mock" => {}
            syn::Item::Mod(m) if m.content.is_none() => {
                let name = m.ident.to_string();
                let (inner, inner_dir) = match files.contains_key(&dir.join(format!("{name}.rs"))) {
                    true => (dir.join(format!("{name}.rs")), dir.join(&name)),
                    false => (dir.join(&name).join("mod.rs"), dir.join(&name)),
                };
                let body = inline_file(files, &inner, &inner_dir)?;
                // The module file's own (inner) docs describe it; a doc on its declaration too would
                // mix inner and outer attributes.
                let attrs = m.attrs.iter().filter(|a| !a.path().is_ident("doc"));
                let (vis, ident) = (&m.vis, &m.ident);
                out.extend(quote!(#(#attrs)* #vis mod #ident { #body }));
            }
            // The README doctest includes a file relative to the crate; the including crate has none.
            syn::Item::Struct(s) if s.ident == "ReadmeDoctests" => {}
            other => out.extend(quote!(#other)),
        }
    }
    Ok(out)
}

/// `crate::x` becomes `crate::<kind>::x`, and the models crate `crate::models`, in code and in docs.
fn reroot(tokens: TokenStream, kind: &str, models_crate: &str) -> TokenStream {
    let mut out = Vec::new();
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(id) if id == "crate" && is_path_sep(&trees, i + 1) => {
                out.push(trees[i].clone());
                out.extend(path_sep());
                out.push(TokenTree::Ident(Ident::new(kind, Span::call_site())));
            }
            TokenTree::Ident(id) if id == models_crate => {
                out.push(TokenTree::Ident(Ident::new("crate", Span::call_site())));
                out.extend(path_sep());
                out.push(TokenTree::Ident(Ident::new("models", Span::call_site())));
            }
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), reroot(g.stream(), kind, models_crate));
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            TokenTree::Literal(lit) if i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '=') && doc_context(&trees, i) => {
                let text = lit.to_string().replace("crate::", &format!("crate::{kind}::"));
                match text.parse::<proc_macro2::Literal>() {
                    Ok(lit) => out.push(TokenTree::Literal(lit)),
                    Err(_) => out.push(trees[i].clone()),
                }
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

fn is_path_sep(trees: &[TokenTree], at: usize) -> bool {
    matches!((trees.get(at), trees.get(at + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

fn path_sep() -> [TokenTree; 2] {
    [TokenTree::Punct(Punct::new(':', Spacing::Joint)), TokenTree::Punct(Punct::new(':', Spacing::Alone))]
}

/// Whether the literal at `at` is the value of a `doc = "…"` attribute.
fn doc_context(trees: &[TokenTree], at: usize) -> bool {
    at >= 2 && matches!(&trees[at - 2], TokenTree::Ident(id) if id == "doc")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_are_rerooted_in_code_and_docs() {
        let tokens = quote! {
            #[doc = "See [`crate::Error`]."]
            pub fn f() -> crate::Error<pets_models::v2::Pet> { todo!() }
        };
        let text = reroot(tokens, "client", "pets_models").to_string();
        assert!(text.contains("crate :: client :: Error < crate :: models :: v2 :: Pet >"), "{text}");
        assert!(text.contains("[`crate::client::Error`]"), "{text}");
    }

    #[test]
    fn groups_keep_their_delimiters() {
        let text = reroot(quote!(fn g() { crate::x() }), "server", "m").to_string();
        assert!(text.contains("{ crate :: server :: x () }"), "{text}");
    }
}
