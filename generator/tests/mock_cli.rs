//! `openapi-rust mock`, started as a user starts it: it builds the mock of a spec (once), says where
//! it listens and what it answers, answers over HTTP from the spec, logs each request on one line,
//! and starts again from its cache without building.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Where the test's mocks are built: kept between runs, so that only the first pays the build.
fn cache() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("mock-cli")
}

/// `openapi-rust mock` of the fixture on a free port; the child and the lines it printed up to and
/// including the operations it answers.
fn start() -> (Child, String, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_openapi-rust"))
        .current_dir(&root)
        .args(["mock", "--spec", "tests/fixtures/specs/mock.yaml", "--listen", "127.0.0.1:0", "--seed", "3", "--cache"])
        .arg(cache())
        // What is tested is the command, not the optimiser: the release build it runs skips
        // optimisation here (cargo reads its profile from the environment): a clean run's first
        // start took about 220 s optimised, 53 s not, on two cores.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("generator runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let address = first.strip_prefix("mock listening on http://").and_then(|rest| rest.split('/').next()).map(str::to_owned);
    let Some(address) = address else {
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
        panic!("the mock says where it listens first, said {first:?}; stderr:\n{stderr}");
    };
    let operations: Vec<String> = lines.by_ref().take(5).map_while(Result::ok).collect();
    // A user's pipe closes when its reader stops (`| head`); the mock must keep serving. Its
    // other lines are left unread here, as such a reader leaves them.
    drop(lines);
    (child, address, operations)
}

/// One HTTP/1.1 request over a plain socket; the answer's status line and body.
fn request(address: &str, head: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(address).expect("the mock accepts");
    write!(stream, "{head}\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status = answer.lines().next().unwrap_or_default().to_owned();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// Stops the mock; what it wrote on standard error.
fn stop(mut child: Child) -> String {
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
    stderr
}

#[test]
fn serves_a_spec_from_one_command_and_starts_again_from_its_cache() {
    let (child, address, operations) = start();
    assert!(operations.iter().any(|l| l.contains("GET") && l.contains("/pets") && l.contains("list_pets")), "it lists what it answers: {operations:?}");
    assert!(operations.iter().any(|l| l.contains("get_pet (deprecated)")), "{operations:?}");

    let (status, body) = request(&address, "GET /pets HTTP/1.1");
    assert!(status.contains(" 200 "), "{status}");
    assert!(body.contains("\"Tom\"") && body.contains("\"Rex\""), "the documented example: {body}");
    let (status, _) = request(&address, "GET /pets/1 HTTP/1.1\r\nPrefer: code=404");
    assert!(status.contains(" 404 "), "{status}");
    let (status, body) = request(&address, "GET /pets?limit=0 HTTP/1.1");
    assert!(status.contains(" 400 "), "an invalid request is refused: {status}");
    assert!(body.contains("limit"), "{body}");
    let log = stop(child);
    assert!(log.contains("GET /pets -> list_pets 200"), "a line per request:\n{log}");
    assert!(log.contains("GET /pets -> list_pets 400: query.limit"), "a refusal says why:\n{log}");

    // Nothing changed: the second start reuses what the first built.
    let (child, address, _) = start();
    let (status, _) = request(&address, "GET /note HTTP/1.1");
    assert!(status.contains(" 200 "), "{status}");
    let log = stop(child);
    assert!(!log.contains("building the mock"), "a second start builds nothing:\n{log}");
}
