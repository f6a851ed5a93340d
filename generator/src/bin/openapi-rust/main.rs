//! `openapi-rust`: generate typed Rust crates from any OpenAPI 3.0, 3.1 or 3.2 description.

use std::path::{Path, PathBuf};

mod config;
mod paths;

use paths::{for_terminal, name_from};
use std::process::ExitCode;

use clap::Parser;
use serde::ser::Error as _;

/// The generator's version, and that of the runtime crate the code it emits is written for.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (emits code for generator-runtime ", env!("GENERATOR_RUNTIME_VERSION"), ")");

/// Generation builds and drops many small token trees: mimalloc serves them faster than glibc.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate typed Rust crates (models, client, server) from OpenAPI 3.0, 3.1 and 3.2 descriptions.
///
/// Reads each spec (YAML or JSON, with the files its `$ref`s reach and the OpenAPI Overlays given
/// for it), reports every assumption it makes about defects in it (with file, line and JSON
/// pointer), and writes `<NAME>-models`, `<NAME>-client` and `<NAME>-server` under the output
/// directory.
///
/// With `--config FILE`, or with no `--spec` and a file `openapi-rust.toml` in the working
/// directory, runs every job of that config file instead (see the README).
///
/// `openapi-rust mock --spec FILE` serves a mock of the API instead (`openapi-rust mock --help`).
#[derive(Debug, Parser)]
#[command(name = "openapi-rust", version = VERSION, about, long_about)]
struct Cli {
    /// A spec to read, as `FILE` or `MODULE=FILE` (the module its types go into; default: the file
    /// name in snake_case). Repeat for several specs in one crate.
    #[arg(long = "spec", value_name = "[MODULE=]FILE")]
    specs: Vec<String>,
    /// Run every job of this config file (default: `openapi-rust.toml` of the working directory
    /// when no `--spec` is given); `--check` and `--check-only` apply to each.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["specs", "overlays", "out", "name", "ir", "print_spec", "runtime_path", "runtime", "replacements", "format_types", "exact_paths", "dependencies", "tags", "operations", "exclude_tags", "exclude_operations"])]
    config: Option<PathBuf>,
    /// An OpenAPI Overlay (1.0) to apply to a spec before reading it, as `FILE` (the only spec) or
    /// `MODULE=FILE`. Repeatable; applied in the order given.
    #[arg(long = "overlay", value_name = "[MODULE=]FILE")]
    overlays: Vec<String>,
    /// Directory the crates are written into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Crate name prefix: the models crate is `<NAME>-models`.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Write nothing; only report what the generator assumed, and fail on errors.
    #[arg(long)]
    check_only: bool,
    /// Write nothing; compare what would be written with what is in the output directory, and fail
    /// with a unified diff and the command to run when anything is stale (for CI).
    #[arg(long, conflicts_with_all = ["check_only", "ir", "print_spec"])]
    check: bool,
    /// Write nothing; print the lowered IR (operations, types, names) as JSON on standard output.
    #[arg(long, conflicts_with = "check_only")]
    ir: bool,
    /// Write nothing; print the spec with its overlays applied (YAML, or JSON for a `.json` spec) on
    /// standard output, for any other OpenAPI tool to read the API the crates implement.
    #[arg(long, conflicts_with_all = ["check_only", "ir"])]
    print_spec: bool,
    /// Use the `generator-runtime` crate at PATH (relative to the output directory, or absolute)
    /// instead of writing a copy of it beside the generated crates, as `OUT/generator-runtime`
    /// (the default, so that the output builds wherever it is copied).
    #[arg(long, value_name = "PATH", conflicts_with = "runtime")]
    runtime_path: Option<String>,
    /// Depend on the `generator-runtime` crate as this `Cargo.toml` dependency says (e.g.
    /// `git = "https://…"` or `version = "0.1"`) instead of writing a copy beside the crates.
    #[arg(long, value_name = "KEYS")]
    runtime: Option<String>,
    /// Use an existing Rust type for a component schema instead of generating one, as
    /// `SCHEMA=RUST_PATH` (e.g. `Money=my_types::Money`). Repeatable.
    #[arg(long = "replace", value_name = "SCHEMA=RUST_PATH")]
    replacements: Vec<String>,
    /// Use an existing Rust type for every schema of a `format`, as `FORMAT=RUST_PATH` (e.g.
    /// `decimal=rust_decimal::Decimal`). Repeatable.
    #[arg(long = "format-type", value_name = "FORMAT=RUST_PATH")]
    format_types: Vec<String>,
    /// Route each path exactly as the spec writes it; by default the server also answers the path
    /// with one trailing slash.
    #[arg(long)]
    exact_paths: bool,
    /// Generate only the operations of this tag (and the types they reach). Repeatable; with
    /// `--operation`, an operation chosen either way is kept.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Generate only this operation (its operationId or Rust name). Repeatable.
    #[arg(long = "operation", value_name = "OPERATION")]
    operations: Vec<String>,
    /// Leave out the operations of this tag. Repeatable.
    #[arg(long = "exclude-tag", value_name = "TAG")]
    exclude_tags: Vec<String>,
    /// Leave out this operation (its operationId or Rust name). Repeatable.
    #[arg(long = "exclude-operation", value_name = "OPERATION")]
    exclude_operations: Vec<String>,
    /// A `Cargo.toml` dependency line added to every generated crate, for the crates replaced types
    /// come from (e.g. `my-types = { path = "../my-types" }`). Repeatable.
    #[arg(long = "dependency", value_name = "LINE")]
    dependencies: Vec<String>,
}

/// `KEY=VALUE`, or an error naming the option.
fn pair<'a>(text: &'a str, option: &str) -> Result<(&'a str, &'a str), String> {
    text.split_once('=').filter(|(k, v)| !k.is_empty() && !v.is_empty()).ok_or_else(|| format!("--{option} takes KEY=VALUE, not `{text}`"))
}

/// Serve a mock of an API: every operation answered from its spec (`openapi-rust mock --spec FILE`).
///
/// Generates the crates with the server's `mock` feature, builds the program serving it (once, in
/// release mode, into the cache directory; later starts reuse it while no file the spec was read
/// from changes), and runs it: it prints where it listens and the operations it answers, then one
/// line per request (method, path, operation, status, and why a request was refused). A request
/// picks its answer with `Prefer: code=404`, `example=NAME` or `dynamic=true` (or `?__code=`,
/// `__example=`, `__dynamic=`); by default it gets the lowest documented 2xx with its first
/// documented example, else values made from the schema with the seed.
#[derive(Debug, Parser)]
#[command(name = "openapi-rust mock", version = VERSION, long_about)]
struct MockCli {
    /// The spec to mock (YAML or JSON, with the files its `$ref`s reach).
    #[arg(long, value_name = "FILE")]
    spec: String,
    /// An OpenAPI Overlay (1.0) to apply to the spec first. Repeatable; applied in order.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<String>,
    /// The address to listen on.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:4010")]
    listen: String,
    /// The seed of the values made from the schemas (the same seed, the same answers).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Where built mocks are kept (default: `openapi-rust/mock` in the user's cache directory).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
}

/// The user's cache directory for built mocks: `$XDG_CACHE_HOME`, else `~/.cache`, else `target`.
fn default_cache() -> PathBuf {
    let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache"));
    let base = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).or(home).unwrap_or_else(|| PathBuf::from("target"));
    base.join("openapi-rust/mock")
}

fn mock(cli: MockCli) -> Result<ExitCode, String> {
    let server = generator::mock::MockServer::new(cli.spec.as_str(), cli.overlays.clone(), cli.cache.clone().unwrap_or_else(default_cache));
    let prepared = server.prepare(|why| eprintln!("{why}")).map_err(|e| e.to_string())?;
    for warning in &prepared.warnings {
        eprintln!("{warning}");
    }
    let mut command = std::process::Command::new(&prepared.program);
    command.arg(&cli.listen).arg(cli.seed.to_string());
    #[cfg(unix)]
    {
        // The mock takes this process's place: a signal to it stops the server.
        let error = std::os::unix::process::CommandExt::exec(&mut command);
        Err(format!("cannot start {}: {error}", prepared.program.display()))
    }
    #[cfg(not(unix))]
    {
        let status = command.status().map_err(|e| format!("cannot start {}: {e}", prepared.program.display()))?;
        Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    }
}

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let outcome = if args.get(1).is_some_and(|a| a == "mock") {
        args.remove(1);
        mock(MockCli::parse_from(args))
    } else {
        run(Cli::parse_from(args))
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The specs as (module, file) and the overlays of each.
fn specs(cli: &Cli) -> Result<Vec<(String, String, Vec<String>)>, String> {
    let mut specs: Vec<(String, String, Vec<String>)> = cli
        .specs
        .iter()
        .map(|spec| match spec.split_once('=') {
            Some((module, file)) => (module.to_owned(), file.to_owned(), Vec::new()),
            None => {
                let stem = Path::new(spec).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                (generator::ir::naming::module_name(&stem), spec.clone(), Vec::new())
            }
        })
        .collect();
    for overlay in &cli.overlays {
        let (module, file) = match overlay.split_once('=') {
            Some((module, file)) => (Some(module), file),
            None => (None, overlay.as_str()),
        };
        let index = match (module, specs.len()) {
            (None, 1) => 0,
            (None, _) => return Err(format!("--overlay {file}: there are several specs; say which one it corrects, as MODULE={file}")),
            (Some(module), _) => specs.iter().position(|s| s.0 == module).ok_or_else(|| format!("--overlay {overlay}: no spec goes into module `{module}`"))?,
        };
        specs[index].2.push(file.to_owned());
    }
    Ok(specs)
}

/// This command line without `--check`: what refreshes the files a check found stale.
fn rerun_command() -> String {
    let quote = |arg: String| {
        if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+".contains(c)) {
            arg
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        }
    };
    let args = std::env::args().skip(1).filter(|a| a != "--check").map(quote);
    std::iter::once("openapi-rust".to_owned()).chain(args).collect::<Vec<_>>().join(" ")
}

/// An error, with the files it names as the user would name them.
fn terminal_error(out: &Path, error: generator::Error) -> String {
    use generator::Error;
    match error {
        Error::Read { file, source } => Error::Read { file: for_terminal(out, &file), source },
        Error::Syntax { file, line, column, message } => Error::Syntax { file: for_terminal(out, &file), line, column, message },
        Error::Invalid { mut location, message } => {
            location.file = for_terminal(out, &location.file);
            Error::Invalid { location, message }
        }
        other => other,
    }
    .to_string()
}

/// The first option given that belongs to one job (`--spec`'s), with its config key.
fn job_flag(cli: &Cli) -> Option<(&'static str, &'static str)> {
    let given = [
        (!cli.overlays.is_empty(), "--overlay", "overlays"),
        (cli.out.is_some(), "--out", "out"),
        (cli.name.is_some(), "--name", "name"),
        (cli.runtime_path.is_some(), "--runtime-path", "runtime-path"),
        (cli.runtime.is_some(), "--runtime", "runtime"),
        (!cli.replacements.is_empty(), "--replace", "replace"),
        (!cli.format_types.is_empty(), "--format-type", "format-types"),
        (cli.exact_paths, "--exact-paths", "exact-paths"),
        (!cli.tags.is_empty(), "--tag", "tags"),
        (!cli.operations.is_empty(), "--operation", "operations"),
        (!cli.exclude_tags.is_empty(), "--exclude-tag", "exclude-tags"),
        (!cli.exclude_operations.is_empty(), "--exclude-operation", "exclude-operations"),
        (!cli.dependencies.is_empty(), "--dependency", "dependencies"),
    ];
    given.into_iter().find(|(set, ..)| *set).map(|(_, flag, key)| (flag, key))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let default_config = Path::new(generator::config::FILE_NAME);
    if let Some(file) = &cli.config {
        return config::run(file, cli.check, cli.check_only);
    }
    if cli.specs.is_empty() {
        if default_config.is_file() {
            // A flag for one job would be silently dropped by every job of the file.
            if let Some((flag, key)) = job_flag(&cli) {
                return Err(format!("{flag} applies to the job given by --spec; for the jobs of {}, write `{key}` in the job", generator::config::FILE_NAME));
            }
            return config::run(default_config, cli.check, cli.check_only);
        }
        return Err(format!("give a spec (--spec FILE --name NAME --out DIR) or a config file (--config FILE); there is no {} here", generator::config::FILE_NAME));
    }
    if cli.name.is_none() && !cli.print_spec {
        return Err("--name NAME is needed: the crates are named <NAME>-models, <NAME>-client, <NAME>-server".into());
    }
    if cli.out.is_none() && !(cli.print_spec || cli.check_only || cli.ir) {
        return Err("--out DIR is needed: the directory the crates are written into".into());
    }
    let specs = specs(&cli)?;
    if cli.print_spec {
        let [(_, file, overlays)] = specs.as_slice() else {
            return Err("--print-spec prints one spec; give one --spec".into());
        };
        // Read as generation reads it, for the same warnings and errors; printed as overlaid.
        let mut diags = generator::diag::Diagnostics::default();
        generator::load::load_file_with(Path::new("."), file, overlays, &mut diags).map_err(|e| e.to_string())?;
        for warning in diags.into_sorted() {
            eprintln!("{warning}");
        }
        let value = generator::load::overlaid(Path::new("."), file, overlays, &mut generator::diag::Diagnostics::default()).map_err(|e| e.to_string())?;
        let text = if file.ends_with(".json") { serde_json::to_string_pretty(&value).map(|t| t + "\n") } else { serde_yaml::to_string(&value).map_err(serde_json::Error::custom) };
        print!("{}", text.map_err(|e| format!("cannot print the spec: {e}"))?);
        return Ok(ExitCode::SUCCESS);
    }
    // Files are named relative to the output directory (the current one when nothing is written).
    let out = cli.out.clone().unwrap_or_else(|| PathBuf::from("."));
    let root = std::path::absolute(&out).map_err(|e| format!("cannot find {}: {e}", out.display()))?;
    let name = cli.name.clone().unwrap_or_default();
    let mut generator = generator::Generator::new(&name).command(format!("openapi-rust --name {name}")).root(&root);
    if let Some(keys) = &cli.runtime {
        generator = generator.runtime(keys.as_str());
    } else if let Some(path) = &cli.runtime_path {
        // Each crate is one directory below the output directory.
        let from_crate = if Path::new(path).is_absolute() { path.clone() } else { format!("../{path}") };
        generator = generator.runtime_path(&from_crate);
    }
    for (module, file, overlays) in specs {
        generator = generator.spec(name_from(&out, &file), module);
        for overlay in overlays {
            generator = generator.overlay(name_from(&out, &overlay));
        }
    }
    for (option, values) in [("replace", &cli.replacements), ("format-type", &cli.format_types)] {
        for value in values {
            let (key, path) = pair(value, option)?;
            generator = if option == "replace" { generator.replace(key, path) } else { generator.format_type(key, path) };
        }
    }
    for line in &cli.dependencies {
        generator = generator.dependency(line.as_str());
    }
    let selection = generator::ir::Selection { tags: cli.tags.clone(), operations: cli.operations.clone(), exclude_tags: cli.exclude_tags.clone(), exclude_operations: cli.exclude_operations.clone() };
    generator = generator.trailing_slash(!cli.exact_paths).select(&selection);
    let output = generator.generate().map_err(|e| terminal_error(&out, e))?;
    for warning in &output.warnings {
        let mut warning = warning.clone();
        warning.location.file = for_terminal(&out, &warning.location.file);
        eprintln!("{warning}");
    }
    if cli.ir {
        let json = serde_json::to_string_pretty(&output.apis).map_err(|e| format!("cannot print the IR: {e}"))?;
        println!("{json}");
    } else if cli.check {
        let owned = generator::fresh::split_by_crate(&out, &output.files);
        let stale = generator::fresh::stale_files(Path::new(""), &owned).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
        if !stale.is_empty() {
            eprint!("{}", generator::fresh::report(&stale, &rerun_command()));
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("{} files in {} are fresh ({} warnings)", output.files.len(), out.display(), output.warnings.len());
    } else if !cli.check_only {
        output.write_to(&out).map_err(|e| format!("cannot write to {}: {e}", out.display()))?;
        eprintln!("wrote {} files to {} ({} warnings)", output.files.len(), out.display(), output.warnings.len());
    }
    Ok(ExitCode::SUCCESS)
}
