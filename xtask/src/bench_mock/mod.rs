//! `cargo xtask bench-mock SPEC`: how fast `openapi-rust mock` starts once built, and how many
//! requests a second it answers.
//!
//! What is run is what a user runs: the release `openapi-rust` binary's `openapi-rust mock` (with its
//! cache under `target/bench-mock/cache`), which logs a line per request (here to `/dev/null`).
//! It is started once to fill the cache (the first start builds the mock, minutes), then timed
//! over several starts from the command to its first answer, in turns with the built program
//! started alone, so that the cache check (`MockServer::prepare`) and the program's own start are
//! told apart. Throughput is one GET hammered over kept-alive connections; with `--prism`, Prism
//! serves the same spec and is loaded the same way in the same run, in alternating rounds, and
//! what counts is the ratio.

mod cpu;
mod load;
mod prism;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

pub use load::Load;

/// What `bench-mock` measures.
#[derive(Debug, Clone)]
pub struct Options {
    /// Requests per round of load.
    pub requests: usize,
    /// Connections sending them at once.
    pub concurrency: usize,
    /// Rounds of load (each server once per round).
    pub rounds: usize,
    /// Timed second starts (of each of the command, the program alone and Prism).
    pub starts: usize,
    /// The path to GET (default: the first listed GET without path parameters answered 2xx).
    pub path: Option<String>,
    /// Also measure Prism.
    pub prism: bool,
}

/// One round of load: ours, and Prism's when measured.
#[derive(Debug, Clone)]
pub struct Round {
    /// Our mock's.
    pub ours: Load,
    /// Prism's.
    pub prism: Option<Load>,
}

/// The figures of one run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The spec, as given.
    pub spec: String,
    /// The path loaded and the operations the mock listed.
    pub path: String,
    /// The number of operations the mock serves.
    pub operations: usize,
    /// The first start, when this run built the mock (seconds to its first answer).
    pub built: Option<f64>,
    /// Second starts of `openapi-rust mock`, seconds to the first answer.
    pub starts: Vec<f64>,
    /// Starts of the built program alone.
    pub program_starts: Vec<f64>,
    /// Starts of Prism.
    pub prism_starts: Vec<f64>,
    /// Rounds of load.
    pub rounds: Vec<Round>,
}

/// A server process this run started, stopped (with everything it started) when dropped.
struct Server {
    what: String,
    child: Child,
}

impl Server {
    fn start(what: &str, mut command: Command) -> Result<Server> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().with_context(|| format!("starting {what}"))?;
        Ok(Server { what: what.to_owned(), child })
    }

    /// An error once the process has ended.
    fn alive(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            Some(status) => bail!("{} ended ({status}) before answering", self.what),
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The process group this run made for it: Prism's node may have started others.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.wait();
    }
}

/// How long a second start may take before the run gives up.
const START_TIMEOUT: Duration = Duration::from_secs(600);

/// The median of `values` (0 when empty).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The paths of the GET operations without path parameters in the mock's listing
/// (`  GET     /pets -> find_pets`), in its order, deprecated ones last.
pub fn simple_gets(listing: &[String]) -> Vec<String> {
    let mut found: Vec<(bool, String)> = listing
        .iter()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (method, path) = (words.next()?, words.next()?);
            (method == "GET" && words.next() == Some("->") && !path.contains('{')).then(|| (line.ends_with("(deprecated)"), path.to_owned()))
        })
        .collect();
    found.sort_by_key(|(deprecated, _)| *deprecated);
    found.into_iter().map(|(_, path)| path).collect()
}

/// The release `openapi-rust` binary, built (incrementally) now.
fn generator_binary(root: &Path) -> Result<PathBuf> {
    eprintln!("building the generator (cargo build --release -p generator)");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "--package", "generator"])
        .current_dir(root)
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("the generator did not build");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    Ok(std::path::absolute(target)?.join("release/openapi-rust"))
}

/// Measures the mock of `spec` (relative to `root`); see the module's documentation.
pub fn bench_mock(root: &Path, spec: &str, options: &Options) -> Result<Report> {
    let spec_path = std::path::absolute(root.join(spec))?;
    if !spec_path.is_file() {
        bail!("no spec at {}", spec_path.display());
    }
    let generator = generator_binary(root)?;
    let cache = std::path::absolute(root.join("target/bench-mock/cache"))?;
    let program = generator::mock::MockServer::new(spec_path.to_string_lossy(), Vec::new(), &cache).program();
    let ours = |address: SocketAddr| {
        let mut command = Command::new(&generator);
        command.arg("mock").arg("--spec").arg(&spec_path).arg("--cache").arg(&cache).arg("--listen").arg(address.to_string()).current_dir(root);
        command
    };
    let alone = |address: SocketAddr| {
        let mut command = Command::new(&program);
        command.arg(address.to_string()).arg("0");
        command
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut report = Report { spec: spec.to_owned(), ..Report::default() };

    // The first start: builds the mock unless the cache holds it for this generator and spec.
    let before = program.metadata().and_then(|m| m.modified()).ok();
    eprintln!("starting `openapi-rust mock` once to fill its cache in {} (building the mock takes minutes the first time)", cache.display());
    let address = load::free_address()?;
    let started = Instant::now();
    let mut command = ours(address);
    command.stdout(Stdio::piped());
    let mut server = Server::start("openapi-rust mock", command)?;
    let lines = listing(&mut server.child);
    runtime.block_on(load::first_answer(address, "/", Duration::from_secs(4 * 3600), || server.alive()))?;
    if program.metadata().and_then(|m| m.modified()).ok() != before {
        report.built = Some(started.elapsed().as_secs_f64());
    }
    let listed = collect(&lines);
    report.operations = listed.iter().filter(|l| l.contains(" -> ")).count();
    report.path = match &options.path {
        Some(path) => path.clone(),
        None => runtime.block_on(pick(address, &simple_gets(&listed)))?,
    };
    drop(server);
    eprintln!("loading GET {}", report.path);

    let prism = if options.prism { Some(prism::install(root)?) } else { None };
    let prism_start = |address: SocketAddr| -> Option<Command> {
        let mut command = prism::command(prism.as_deref()?, &spec_path, address);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        Some(command)
    };
    if prism.is_some() {
        // Untimed, as ours was: files read once are in the page cache for every timed start.
        eprintln!("starting Prism once");
        let address = load::free_address()?;
        if let Some(command) = prism_start(address) {
            time_start(&runtime, "Prism", command, address, &report.path)?;
        }
    }

    // Second starts, in turns.
    for _ in 0..options.starts.max(1) {
        let address = load::free_address()?;
        let mut command = ours(address);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        report.starts.push(time_start(&runtime, "openapi-rust mock", command, address, &report.path)?);
        let address = load::free_address()?;
        let mut command = alone(address);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        report.program_starts.push(time_start(&runtime, "the mock's program", command, address, &report.path)?);
        let address = load::free_address()?;
        if let Some(command) = prism_start(address) {
            report.prism_starts.push(time_start(&runtime, "Prism", command, address, &report.path)?);
        }
    }

    // Throughput: both servers up, loaded in alternating rounds after a warm-up.
    let address = load::free_address()?;
    let mut command = ours(address);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let mut server = Server::start("openapi-rust mock", command)?;
    runtime.block_on(load::first_answer(address, &report.path, START_TIMEOUT, || server.alive()))?;
    let mut peer = None;
    let peer_address = load::free_address()?;
    if let Some(command) = prism_start(peer_address) {
        let mut prism_server = Server::start("Prism", command)?;
        runtime.block_on(load::first_answer(peer_address, &report.path, START_TIMEOUT, || prism_server.alive()))?;
        peer = Some(prism_server);
    }
    let group = |server: &Server| server.child.id();
    let hammer = |address: SocketAddr, group: u32, requests: usize| -> Result<Load> {
        let before = cpu::group_secs(group);
        let mut load = runtime.block_on(load::hammer(address, &report.path, requests, options.concurrency))?;
        load.server_cpu_secs = before.zip(cpu::group_secs(group)).map(|(before, after)| after - before);
        Ok(load)
    };
    let ours_group = group(&server);
    let peer_group = peer.as_ref().map(group);
    let warm = options.requests.min(1000);
    hammer(address, ours_group, warm)?;
    if let Some(peer_group) = peer_group {
        hammer(peer_address, peer_group, warm)?;
    }
    let mut rounds = Vec::new();
    for round in 0..options.rounds.max(1) {
        let ours = || hammer(address, ours_group, options.requests);
        let theirs = |group| hammer(peer_address, group, options.requests);
        // Who goes first changes each round, so that neither always follows the other's load.
        let (ours, prism) = match (peer_group, round % 2) {
            (None, _) => (ours()?, None),
            (Some(peer_group), 0) => (ours()?, Some(theirs(peer_group)?)),
            (Some(peer_group), _) => {
                let prism = theirs(peer_group)?;
                (ours()?, Some(prism))
            }
        };
        eprintln!("round {}: ours {:.0} requests/s{}", round + 1, ours.per_sec(), prism.as_ref().map(|p| format!(", Prism {:.0}", p.per_sec())).unwrap_or_default());
        rounds.push(Round { ours, prism });
    }
    report.rounds = rounds;
    drop(server);
    drop(peer);
    Ok(report)
}

/// Seconds from starting `command` until it answers a GET of `path` on `address`; the server is
/// stopped after.
fn time_start(runtime: &tokio::runtime::Runtime, what: &str, command: Command, address: SocketAddr, path: &str) -> Result<f64> {
    let started = Instant::now();
    let mut server = Server::start(what, command)?;
    let (_, answered) = runtime.block_on(load::first_answer(address, path, START_TIMEOUT, || server.alive()))?;
    Ok(answered.duration_since(started).as_secs_f64())
}

/// The lines a child writes on its standard output, as they come.
fn listing(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
    }
    receive
}

/// The lines received so far, waiting a little for the rest of a listing being written.
fn collect(lines: &mpsc::Receiver<String>) -> Vec<String> {
    let mut found = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
        found.push(line);
    }
    found
}

/// The first of `paths` the mock answers with a 2xx.
async fn pick(address: SocketAddr, paths: &[String]) -> Result<String> {
    for path in paths.iter().take(50) {
        if let Ok((status, _)) = load::get_once(address, path).await {
            if (200..300).contains(&status) {
                return Ok(path.clone());
            }
        }
    }
    bail!("no GET without path parameters answers 2xx among the first 50 listed: name one with --path")
}

impl Report {
    /// The figures, in Markdown.
    pub fn lines(&self, options: &Options) -> Vec<String> {
        let mut out = Vec::new();
        let (ours, alone) = (median(&self.starts), median(&self.program_starts));
        out.push(format!("{}: {} operations", self.spec, self.operations));
        if let Some(built) = self.built {
            out.push(format!("first start (this run built the mock): {built:.1} s"));
        }
        out.push(String::new());
        out.push("| second start, to the first answer | median | starts |".into());
        out.push("|---|---|---|".into());
        let row = |what: &str, starts: &[f64]| {
            let all: Vec<String> = starts.iter().map(|s| format!("{:.3}", s)).collect();
            format!("| {what} | {:.3} s | {} |", median(starts), all.join(", "))
        };
        out.push(row("`openapi-rust mock` (cache filled)", &self.starts));
        out.push(row("the built program alone", &self.program_starts));
        out.push(format!("| the cache check and exec (the difference) | {:.3} s | |", ours - alone));
        if !self.prism_starts.is_empty() {
            out.push(row("Prism", &self.prism_starts));
            out.push(format!("| ours against Prism | {:.3}x | |", ours / median(&self.prism_starts).max(f64::EPSILON)));
        }
        out.push(String::new());
        out.push(format!("GET {}, {} requests per round over {} connections, {} rounds:", self.path, options.requests, options.concurrency, self.rounds.len()));
        out.push(String::new());
        let peer = self.rounds.iter().any(|r| r.prism.is_some());
        let cpu = |load: &Load| load.cpu_micros().map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0}"));
        if peer {
            out.push("| round | ours, requests/s | server CPU µs/request | errors | Prism, requests/s | server CPU µs/request | errors | ratio (requests/s) |".into());
            out.push("|---|---|---|---|---|---|---|---|".into());
        } else {
            out.push("| round | ours, requests/s | server CPU µs/request | errors |".into());
            out.push("|---|---|---|---|".into());
        }
        let mut ratios = Vec::new();
        for (i, round) in self.rounds.iter().enumerate() {
            let mut line = format!("| {} | {:.0} | {} | {} |", i + 1, round.ours.per_sec(), cpu(&round.ours), round.ours.errors);
            if let Some(prism) = &round.prism {
                let ratio = round.ours.per_sec() / prism.per_sec().max(f64::EPSILON);
                ratios.push(ratio);
                line.push_str(&format!(" {:.0} | {} | {} | {ratio:.1}x |", prism.per_sec(), cpu(prism), prism.errors));
            }
            out.push(line);
        }
        let rates = |of: fn(&Round) -> Option<&Load>| -> Vec<f64> { self.rounds.iter().filter_map(of).map(Load::per_sec).collect() };
        let micros = |of: fn(&Round) -> Option<&Load>| -> String {
            let all: Vec<f64> = self.rounds.iter().filter_map(of).filter_map(Load::cpu_micros).collect();
            if all.is_empty() { "n/a".into() } else { format!("{:.0}", median(&all)) }
        };
        let mut line = format!("| median | {:.0} | {} | |", median(&rates(|r| Some(&r.ours))), micros(|r| Some(&r.ours)));
        if peer {
            line.push_str(&format!(" {:.0} | {} | | {:.1}x |", median(&rates(|r| r.prism.as_ref())), micros(|r| r.prism.as_ref()), median(&ratios)));
        }
        out.push(line);
        for (who, load) in self.rounds.iter().flat_map(|r| [("ours", Some(&r.ours)), ("Prism", r.prism.as_ref())]) {
            if let Some(error) = load.and_then(|l| l.first_error.as_ref()) {
                out.push(format!("first error ({who}): {error}"));
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn simple_gets_are_the_listed_gets_without_path_parameters_deprecated_last() {
        let listing = [
            "mock listening on http://127.0.0.1:4010/ (4 operations)",
            "  GET     /old -> old (deprecated)",
            "  GET     /pets -> find_pets",
            "  POST    /pets -> add_pet",
            "  GET     /pets/{id} -> find_pet_by_id",
        ]
        .map(String::from);
        assert_eq!(simple_gets(&listing), ["/pets", "/old"]);
    }
}
