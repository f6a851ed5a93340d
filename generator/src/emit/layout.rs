//! How an API's module is laid out in files, and the building of those files on every core.
//!
//! A module is one file (`src/<module>.rs`) when the crates have no features, else a folder with
//! the module file and one file per group (`src/<module>/<group>.rs`, compiled under the group's
//! feature, its items re-exported into the module). A file's items come from [`Units`] (a type, an
//! operation, a trait with its handlers), built and formatted a chunk at a time on every core:
//! token streams are not `Send`, so a chunk's tokens are built on the thread that formats them,
//! from the IR, which is shared. Then each file is put together from its head (docs, the `use`s
//! its chunks need, module declarations) and its chunks' text, so no more than a chunk per core is
//! ever held as tokens or syntax tree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::features::Features;
use super::{format_items, rust_file, Crates};
use crate::diag::Error;

/// How many units one job builds and formats: enough to make the per-job work worth a thread
/// hand-off, few enough that the largest file (GitHub's webhook payload types, 6 MB of Rust)
/// spreads over every core and no thread holds much syntax tree at a time.
const CHUNK: usize = 32;

/// The units of code of one file part: `build(i)` is the items of unit `i`.
pub(crate) struct Units<'a> {
    count: usize,
    build: Box<dyn Fn(usize) -> TokenStream + Send + Sync + 'a>,
}

impl<'a> Units<'a> {
    /// `count` units, each built by `build`.
    pub fn new(count: usize, build: impl Fn(usize) -> TokenStream + Send + Sync + 'a) -> Self {
        Units { count, build: Box::new(build) }
    }
}

/// The code of one API's module in one crate, before it is laid out in files.
pub(crate) struct ModuleCode<'a> {
    /// The module's inner doc attributes.
    pub docs: Box<dyn Fn() -> TokenStream + Send + Sync + 'a>,
    /// The module's own items.
    pub root: Units<'a>,
    /// The items of each group (tag), by group index.
    pub groups: BTreeMap<usize, Units<'a>>,
    /// Groups whose file defines items to re-export (not only impls of the module's types).
    pub exporting: BTreeSet<usize>,
    /// Names the code may use unqualified, with the path each is imported from: a `use` is
    /// written in each file whose code mentions the name.
    pub imports: Vec<(&'static str, String)>,
    /// Per group: the items of the module (or of other groups) its file names, imported from `super`.
    pub group_uses: BTreeMap<usize, BTreeSet<String>>,
}

/// One chunk of a file: formatted text, and the names of the module's imports it mentions.
type Chunk = (String, BTreeSet<&'static str>);

/// Makes the head of a file from the names of the imports its chunks mention.
type Head<'a> = Box<dyn FnOnce(&BTreeSet<&'static str>) -> TokenStream + 'a>;

/// Builds and formats one chunk.
type Job<'a> = Box<dyn FnOnce() -> Result<Chunk, Error> + Send + 'a>;

/// A generated file waiting for its chunks.
struct File<'a> {
    path: PathBuf,
    /// The head of the file, given the imports its chunks mention.
    head: Head<'a>,
    /// Indices of the file's chunks in the job list.
    chunks: Vec<usize>,
}

/// Every module's files of the crates being emitted, built together so that all chunks of all
/// files share the cores.
#[derive(Default)]
pub(crate) struct Layout<'a> {
    files: Vec<File<'a>>,
    jobs: Vec<Job<'a>>,
}

impl<'a> Layout<'a> {
    /// Adds the files of `code`, the module `module` of crate `krate`.
    pub fn add(&mut self, code: ModuleCode<'a>, features: &'a Features, krate: &str, module: &str) {
        let ModuleCode { docs, root, groups, exporting, imports, group_uses } = code;
        let imports = std::sync::Arc::new(imports);
        if !features.enabled() {
            let path = PathBuf::from(krate).join(format!("src/{module}.rs"));
            let mut chunks = self.chunks(&path, root, &imports);
            for units in groups.into_values() {
                chunks.extend(self.chunks(&path, units, &imports));
            }
            let head = Box::new(move |used: &BTreeSet<&'static str>| {
                let uses = uses(used, &imports);
                let docs = docs();
                quote!(#docs #uses)
            });
            self.files.push(File { path, head, chunks });
            return;
        }
        let mut decls = Vec::new();
        for (index, units) in groups {
            let group = &features.groups[index];
            decls.push((index, group.module.clone(), exporting.contains(&index)));
            let path = PathBuf::from(krate).join(format!("src/{module}/{}.rs", group.module));
            let chunks = self.chunks(&path, units, &imports);
            let parents: Vec<String> = features.enabled_by(&group.feature).iter().map(|f| format!("`{f}`")).collect();
            let doc = match parents.as_slice() {
                [] => format!(" The part of `{module}` compiled with the `{}` feature.", group.feature),
                _ => format!(" The part of `{module}` compiled with the `{}` feature (turned on by {} too, the tag it is nested in).", group.feature, parents.join(" and ")),
            };
            let from_super = group_uses.get(&index).cloned().unwrap_or_default();
            let imports = imports.clone();
            let head = Box::new(move |used: &BTreeSet<&'static str>| {
                let uses = uses(used, &imports);
                let from_super = (!from_super.is_empty()).then(|| {
                    let names = from_super.iter().map(|n| format_ident!("{}", n));
                    quote!(use super::{#(#names),*};)
                });
                quote!(#![doc = #doc] #uses #from_super)
            });
            self.files.push(File { path, head, chunks });
        }
        let path = PathBuf::from(krate).join(format!("src/{module}/mod.rs"));
        let chunks = self.chunks(&path, root, &imports);
        let head = Box::new(move |used: &BTreeSet<&'static str>| {
            let decls = decls.iter().map(|(index, name, exports)| {
                let cfg = features.cfg_of(*index);
                let name = format_ident!("{}", name);
                let export = exports.then(|| quote!(#cfg pub use #name::*;));
                quote!(#cfg mod #name; #export)
            });
            let uses = uses(used, &imports);
            let docs = docs();
            quote!(#docs #uses #(#decls)*)
        });
        self.files.push(File { path, head, chunks });
    }

    /// Queues the jobs of `units`, a chunk each, and returns their indices.
    fn chunks(&mut self, path: &std::path::Path, units: Units<'a>, imports: &std::sync::Arc<Vec<(&'static str, String)>>) -> Vec<usize> {
        let units = std::sync::Arc::new(units);
        let mut indices = Vec::new();
        for start in (0..units.count).step_by(CHUNK) {
            let end = (start + CHUNK).min(units.count);
            let (units, imports, what) = (units.clone(), imports.clone(), path.display().to_string());
            indices.push(self.jobs.len());
            self.jobs.push(Box::new(move || {
                let items: TokenStream = (start..end).map(|i| (units.build)(i)).collect();
                let names: Vec<&'static str> = imports.iter().map(|(name, _)| *name).collect();
                let mut used = BTreeSet::new();
                mentioned(&items, &names, &mut used);
                Ok((format_items(&what, items)?, used))
            }));
        }
        indices
    }

    /// Builds every chunk on every core, then puts each file together.
    pub fn finish(self, crates: &Crates<'_>) -> Result<Vec<(PathBuf, String)>, Error> {
        let Layout { files, jobs } = self;
        let mut chunks: Vec<Option<Chunk>> = run(jobs)?.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(files.len());
        for file in files {
            let parts: Vec<Chunk> = file.chunks.iter().filter_map(|&i| chunks[i].take()).collect();
            let used: BTreeSet<&'static str> = parts.iter().flat_map(|(_, used)| used.iter().copied()).collect();
            let mut text = rust_file(crates, &file.path.display().to_string(), (file.head)(&used))?;
            text.reserve(parts.iter().map(|(t, _)| t.len() + 1).sum());
            for (part, _) in parts {
                text.push('\n');
                text.push_str(&part);
            }
            out.push((file.path, text));
        }
        Ok(out)
    }
}

/// The stack of a formatting thread: 64 MiB of address space, touched only as deep as it goes.
const WORKER_STACK: usize = 64 << 20;

/// Runs the jobs on every core; their results come back in the jobs' order.
fn run(jobs: Vec<Job<'_>>) -> Result<Vec<Chunk>, Error> {
    let count = jobs.len();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(count.max(1));
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate().rev().collect::<Vec<_>>());
    let results = std::sync::Mutex::new((0..count).map(|_| None).collect::<Vec<Option<Result<Chunk, Error>>>>());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let work = || loop {
                let Some((index, job)) = queue.lock().ok().and_then(|mut q| q.pop()) else { return };
                let result = job();
                if let Ok(mut r) = results.lock() {
                    r[index] = Some(result);
                }
            };
            // `syn` and `prettyplease` recurse over the items' trees: room for the deepest a
            // spec can make, in unoptimised builds too. A worker that cannot start leaves its
            // share to the others (the jobs it would have run come back as an error if none can).
            let _ = std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, work);
        }
    });
    let results = results.into_inner().map_err(|_| Error::Emit { what: "the generated files".into(), message: "a formatting thread panicked".into() })?;
    results.into_iter().map(|r| r.unwrap_or_else(|| Err(Error::Emit { what: "the generated files".into(), message: "a formatting thread panicked".into() }))).collect()
}

/// The `names` that `code` mentions as identifiers of their own, not inside a path
/// (`models::Encoding` is a type of the models, not the imported `Encoding`).
fn mentioned(code: &TokenStream, names: &[&'static str], out: &mut BTreeSet<&'static str>) {
    // After `::`: the second of two `:`, the first joint to it.
    let mut after_path = false;
    let mut colon = false;
    for tree in code.clone() {
        let was_colon = std::mem::take(&mut colon);
        match tree {
            TokenTree::Ident(ident) => {
                if !after_path {
                    if let Some(name) = names.iter().find(|name| ident == **name) {
                        out.insert(name);
                    }
                }
                after_path = false;
            }
            TokenTree::Group(group) => {
                mentioned(&group.stream(), names, out);
                after_path = false;
            }
            TokenTree::Punct(p) => {
                after_path = was_colon && p.as_char() == ':';
                colon = p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint;
            }
            TokenTree::Literal(_) => after_path = false,
        }
    }
}

/// `use` items for the names of `imports` in `used`; names imported from the same module share one
/// `use`.
fn uses(used: &BTreeSet<&'static str>, imports: &[(&'static str, String)]) -> TokenStream {
    // `a::b::C` is grouped under `a::b`; anything else (`x as y`) stands alone.
    let mut grouped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut alone: Vec<String> = Vec::new();
    for (name, path) in imports.iter().filter(|(name, _)| used.contains(name)) {
        match path.rsplit_once("::") {
            Some((module, last)) if last == *name => grouped.entry(module).or_default().push(last),
            _ => alone.push(format!("use {path};")),
        }
    }
    let mut uses: Vec<String> = alone;
    for (module, mut names) in grouped {
        names.sort_unstable();
        uses.push(if names.len() == 1 { format!("use {module}::{};", names[0]) } else { format!("use {module}::{{{}}};", names.join(", ")) });
    }
    uses.sort();
    uses.join("\n").parse().unwrap_or_default()
}

/// Every item of `items` under `cfg`, when given (a type's struct and its impls all need it). An
/// item ends with a brace-delimited body or a `;` at the top level of the stream.
pub(crate) fn gated(items: TokenStream, cfg: Option<&TokenStream>) -> TokenStream {
    let Some(cfg) = cfg else { return items };
    let mut out = TokenStream::new();
    let mut current = TokenStream::new();
    for tree in items {
        let ends = match &tree {
            TokenTree::Group(g) => g.delimiter() == proc_macro2::Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        current.extend([tree]);
        if ends {
            out.extend(cfg.clone());
            out.extend(std::mem::take(&mut current));
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_cfg() {
        let cfg = quote!(#[cfg(feature = "x")]);
        let items = quote! {
            #[doc = "A."] pub struct A { a: i32 }
            impl A { fn f() {} }
            pub type B = A;
        };
        let text = gated(items, Some(&cfg)).to_string();
        assert_eq!(text.matches("# [cfg (feature = \"x\")]").count(), 3, "{text}");
        assert!(text.starts_with("# [cfg (feature = \"x\")] # [doc = \"A.\"] pub struct A"), "{text}");
    }

    #[test]
    fn imports_are_those_the_code_names() {
        let imports = [("Request", "generator_runtime::client::Request"), ("Response", "generator_runtime::client::Response"), ("Error", "crate::Error"), ("models", "pets_models::v2 as models")].map(|(n, p)| (n, p.to_owned()));
        let used = ["Request", "Error", "models"].into_iter().collect();
        assert_eq!(uses(&used, &imports).to_string(), "use crate :: Error ; use generator_runtime :: client :: Request ; use pets_models :: v2 as models ;");
    }
}
