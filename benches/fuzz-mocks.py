#!/usr/bin/env python3
"""Fuzz the mock of each corpus spec with schemathesis, as one would fuzz a real server.

    benches/fuzz-mocks.py [--install] [SPEC ...] [--max-examples N] [--seed N] [--modes positive,negative]
    benches/fuzz-mocks.py --fake-hub [--max-examples N] [--seed N] [--modes positive,negative]

For each spec (by default every spec of ../shared/specs/corpus, smallest first), starts
`openapi-rust mock --spec SPEC --listen 127.0.0.1:PORT --cache target/mock-cache` (the first start
builds the mock, in release mode, which takes minutes), runs schemathesis's stateless `run`
against it once per data generation mode (with a made-up credential of each security scheme,
as a real server is fuzzed with credentials), stops it, and prints per spec and mode: the cases run,
the server errors (answers 5xx), the answers the spec does not allow (status, content type,
headers or body), and, in negative mode, the invalid requests the mock accepted. Failures of an
operation the spec gives a server no way to tell from another (Box's `/files/{file_id}#add_shared_link`
beside `/files/{file_id}`: HTTP never sends a fragment) are counted apart as the spec's defects: the
generator warns of each, and its requests reach, and are answered by, the other operation. So are
those of a `#fragment` operation told apart only by a required parameter: a request without it
reaches the other.

With `--fake-hub`, the server fuzzed is fake-hub (`cargo run --bin fake-hub -- --seed`), against the
specs it serves: Docker's newest v2 spec as the crates read it (with spec/hub-latest.overlay.yaml
applied, printed by `openapi-rust --print-spec`) and the v1 index spec. Requests carry the
credentials of a seeded account (a bearer token from its login for v2, basic auth for v1), as a
user of the service sends them; the state it changes is fake-hub's, so a run is one story of
calls, the same for the same seed.

schemathesis is not a dependency of the project: `--install` puts it in a virtual environment
under target/ (never done by the tests); without it, the script uses the one installed there
before, else the `st` on PATH. Its reports (NDJSON, one per spec and mode) and the mock's log of
requests are kept in target/fuzz-mocks/ for reading the failures.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
VENV = ROOT / "target" / "schemathesis-venv"
OUT = ROOT / "target" / "fuzz-mocks"
# The release the figures in benches/README.md were measured with.
SCHEMATHESIS = "schemathesis==4.32.5"

# What an answer is held to, in both modes.
ANSWER_CHECKS = ["status_code_conformance", "content_type_conformance", "response_headers_conformance", "response_schema_conformance"]
CHECKS = {
    "positive": ["not_a_server_error", *ANSWER_CHECKS],
    "negative": ["not_a_server_error", *ANSWER_CHECKS, "negative_data_rejection"],
}


def schemathesis(install: bool) -> str:
    st = VENV / "bin" / "st"
    if install and not st.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", SCHEMATHESIS], check=True)
    if st.exists():
        return str(st)
    found = shutil.which("st")
    if found is None:
        sys.exit("schemathesis is not installed: run with --install (it goes under target/), or put `st` on PATH")
    return found


def corpus() -> list:
    specs = [p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".yml", ".json")]
    return sorted(specs, key=lambda p: p.stat().st_size)


def document(spec: Path):
    """The spec, read (JSON or YAML); `None` when it does not read."""
    try:
        text = spec.read_text()
        if spec.suffix == ".json":
            return json.loads(text)
        import yaml  # PyYAML, which schemathesis depends on

        return yaml.safe_load(text)
    except Exception:
        return None


def credentials(spec: Path) -> list:
    """`-H` options carrying a made-up credential of each security scheme the spec declares, as
    one fuzzes a real server with credentials: the mock checks that they are there, not what
    they are, and refuses a request without them (401). Query and cookie API keys are left out
    (schemathesis has no option for them)."""
    schemes = ((document(spec) or {}).get("components") or {}).get("securitySchemes") or {}
    headers = {}
    for scheme in schemes.values():
        kind = (scheme or {}).get("type")
        if kind == "apiKey" and scheme.get("in") == "header" and scheme.get("name"):
            headers[scheme["name"]] = "fuzz"
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            headers.setdefault("Authorization", "Basic ZnV6ejpmdXp6")
        elif kind in ("http", "oauth2", "openIdConnect"):
            headers.setdefault("Authorization", "Bearer fuzz")
    return [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mock(generator: str, spec: Path, port: int, seed: int, log) -> subprocess.Popen:
    """The mock of `spec` on `port`, once it listens (building it first when it must)."""
    command = [generator, "mock", "--spec", str(spec), "--listen", f"127.0.0.1:{port}", "--seed", str(seed), "--cache", str(ROOT / "target" / "mock-cache")]
    process = subprocess.Popen(command, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)
    while process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"the mock of {spec.name} stopped (exit {process.returncode}); its output is in {log.name}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait()


def start_fake_hub(binary, port: int, log) -> subprocess.Popen:
    """fake-hub, seeded, on `port`, once it listens (`binary`, else built first: a debug build, as
    the tests use)."""
    if binary is None:
        subprocess.run(["cargo", "build", "--quiet", "--package", "fake-hub", "--bin", "fake-hub"], cwd=ROOT, check=True)
        binary = ROOT / "target" / "debug" / "fake-hub"
    command = [str(binary), "--listen", f"127.0.0.1:{port}", "--seed", "--rate-limit", "1000000"]
    process = subprocess.Popen(command, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)
    while process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"fake-hub stopped (exit {process.returncode}); its output is in {log.name}")


# The seeded account whose credentials the requests to fake-hub carry (fake-hub/src/seed.rs).
HUB_USER, HUB_PASSWORD = "alice", "alice-password"


def fake_hub_specs(generator: str, port: int) -> list:
    """(spec, `-H` options) of each API fake-hub serves: v2 as overlaid, with a bearer token from
    the seeded account's login; v1 with its basic credentials."""
    import base64
    import urllib.request

    v2 = OUT / "hub-latest.overlaid.yaml"
    with open(v2, "w") as out:
        subprocess.run([generator, "--spec", "spec/hub-latest.yaml", "--overlay", "spec/hub-latest.overlay.yaml", "--print-spec"], stdout=out, cwd=ROOT, check=True)
    login = urllib.request.Request(
        f"http://127.0.0.1:{port}/v2/users/login",
        data=json.dumps({"username": HUB_USER, "password": HUB_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(login) as answer:
        token = json.load(answer)["token"]
    basic = base64.b64encode(f"{HUB_USER}:{HUB_PASSWORD}".encode()).decode()
    return [(v2, ["-H", f"Authorization: Bearer {token}"]), (ROOT / "spec" / "index-v1.yaml", ["-H", f"Authorization: Basic {basic}"])]


def indistinct(generator: str, spec: Path) -> set:
    """Labels (`METHOD /path`) of the operations the spec gives a server no way to tell from
    another (the same method and path once a `#fragment`, which HTTP never sends, is dropped): the
    generator warns of each, and a server gives their requests to the other operation. What
    schemathesis finds wrong with their answers is the spec's defect, not the mock's."""
    run = subprocess.run([generator, "--spec", str(spec), "--name", "fuzz", "--check-only"], capture_output=True, text=True, cwd=ROOT)
    labels = {f"{method} {path}" for method, path in re.findall(r"\(([A-Z]+) (\S+)\) cannot be told apart from", run.stderr)}
    # Where a required parameter tells a `#fragment` operation apart, a request without it (a
    # negative case) still reaches the other one: its failures are the spec's too.
    paths = (document(spec) or {}).get("paths") or {}
    for path, item in paths.items():
        routed = path.split("#")[0]
        if routed != path and routed in paths:
            labels.update(f"{method.upper()} {path}" for method in (item or {}) if method in (paths[routed] or {}))
    return labels


def fuzz(st: str, spec: Path, name: str, port: int, mode: str, args, headers: list, defects=frozenset()):
    """Runs schemathesis in `mode` against the server on `port`; the tally of its report."""
    report = OUT / f"{name}.{mode}.ndjson"
    command = [
        st, "--no-color", "run", str(spec), "--url", f"http://127.0.0.1:{port}",
        "--phases", "examples,coverage,fuzzing", "--mode", mode,
        "--checks", ",".join(CHECKS[mode]),
        "--max-examples", str(args.max_examples), "--seed", str(args.seed),
        "--generation-database", "none", "--request-timeout", "30",
        "--report", "ndjson", "--report-ndjson-path", str(report),
        *headers,
    ]
    with open(OUT / f"{name}.{mode}.txt", "w") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=OUT)
    return tally(report, defects) if report.exists() else None


def tally(report: Path, defects=frozenset()) -> dict:
    """From a schemathesis NDJSON report: the cases run, those answered 5xx, those whose answer
    the spec does not allow (a failed status, content type, header or body check), the invalid
    requests accepted, and each distinct failure (check, operation, first line of its message)
    with how many cases it was seen in. Failures of an operation in `defects` (see
    [`indistinct`]) are counted apart, as the spec's."""
    counts = {"cases": 0, "server errors": 0, "violations": 0, "undocumented refusals": 0, "accepted": 0, "spec defects": 0, "failures": Counter()}
    for line in report.read_text().splitlines():
        event = json.loads(line).get("ScenarioFinished")
        if event is None:
            continue
        recorder = event.get("recorder", {})
        for interaction in recorder.get("interactions", {}).values():
            counts["cases"] += 1
            if ((interaction or {}).get("response") or {}).get("status_code", 0) >= 500:
                counts["server errors"] += 1
        for case_id, checks in recorder.get("checks", {}).items():
            failed = [c for c in checks if c.get("status") == "failure"]
            if refusal_undocumented(recorder, case_id, failed):
                # An invalid request refused with a 4xx where the spec documents none: what any
                # server must do, and a status the spec cannot allow. Counted apart.
                counts["undocumented refusals"] += 1
                failed = [c for c in failed if c["name"] != "status_code_conformance"]
            if failed and recorder.get("label") in defects:
                # Answered by the operation the request reaches, which is not this one.
                counts["spec defects"] += 1
                failed = [dict(c, name=f"{c['name']} (spec: indistinct operations)") for c in failed]
            if any(c["name"] in ANSWER_CHECKS for c in failed):
                counts["violations"] += 1
            if any(c["name"] == "negative_data_rejection" for c in failed):
                counts["accepted"] += 1
            for check in failed:
                failure = (check.get("failure_info") or {}).get("failure") or {}
                first = (failure.get("message") or failure.get("title") or "").strip().splitlines()
                counts["failures"][(check["name"], recorder.get("label"), first[0] if first else "")] += 1
    return counts


def refusal_undocumented(recorder: dict, case_id: str, failed: list) -> bool:
    """Whether a case's only status failure is a 4xx answer to a request made invalid on purpose."""
    if not any(c["name"] == "status_code_conformance" for c in failed):
        return False
    case = (recorder.get("cases", {}).get(case_id) or {}).get("value", {})
    negative = (case.get("meta", {}).get("generation") or {}).get("mode") == "negative"
    status = (((recorder.get("interactions", {}).get(case_id) or {}).get("response")) or {}).get("status_code", 0)
    return negative and 400 <= status < 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", type=Path, help="specs to fuzz (default: the corpus, smallest first)")
    parser.add_argument("--install", action="store_true", help=f"install {SCHEMATHESIS} into {VENV.relative_to(ROOT)} first")
    parser.add_argument("--modes", default="positive,negative", help="data generation modes, comma-separated")
    parser.add_argument("--max-examples", type=int, default=25, help="schemathesis cases per operation and phase")
    parser.add_argument("--seed", type=int, default=1, help="schemathesis's seed and the mock's")
    parser.add_argument("--generator", default=None, help="the generator binary (default: built with cargo)")
    parser.add_argument("--details", action="store_true", help="list each failure (check, operation, title)")
    parser.add_argument("--fake-hub", action="store_true", help="fuzz fake-hub on the specs it serves instead of mocks")
    parser.add_argument("--hub-binary", default=None, help="with --fake-hub, the fake-hub binary (default: built with cargo)")
    args = parser.parse_args()

    st = schemathesis(args.install)
    generator = args.generator
    if generator is None:
        subprocess.run(["cargo", "build", "--quiet", "--package", "generator"], cwd=ROOT, check=True)
        generator = str(ROOT / "target" / "debug" / "openapi-rust")
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.fake_hub:
        port = free_port()
        with open(OUT / "fake-hub.log", "w") as log:
            hub = start_fake_hub(args.hub_binary, port, log)
            try:
                for spec, headers in fake_hub_specs(generator, port):
                    name = f"fake-hub-{spec.stem}"
                    for mode in args.modes.split(","):
                        counts = fuzz(st, spec, name, port, mode, args, headers)
                        rows.append((name, mode, counts))
                        print_row(name, mode, counts, args.details)
            finally:
                stop(hub)
    specs = [] if args.fake_hub else [s.resolve() for s in args.specs] or corpus()
    for spec in specs:
        port = free_port()
        log_path = OUT / f"{spec.stem}.mock.log"
        with open(log_path, "w") as log:
            print(f"{spec.name}: starting its mock (the first start builds it)", file=sys.stderr, flush=True)
            try:
                mock = start_mock(generator, spec, port, args.seed, log)
            except RuntimeError as e:
                print(e, file=sys.stderr)
                rows.append((spec.name, "-", None))
                continue
            try:
                defects = indistinct(generator, spec)
                for mode in args.modes.split(","):
                    counts = fuzz(st, spec, spec.stem, port, mode, args, credentials(spec), defects)
                    rows.append((spec.name, mode, counts))
                    print_row(spec.name, mode, counts, args.details)
            finally:
                stop(mock)
    print()
    print(f"{'spec':32} {'mode':9} {'cases':>7} {'5xx':>5} {'violations':>10} {'undocumented 4xx':>16} {'accepted invalid':>16} {'spec defects':>12}")
    for name, mode, counts in rows:
        if counts is None:
            print(f"{name:32} {mode:9} {'did not run':>7}")
        else:
            accepted = counts["accepted"] if mode == "negative" else ""
            print(f"{name:32} {mode:9} {counts['cases']:>7} {counts['server errors']:>5} {counts['violations']:>10} {counts['undocumented refusals']:>16} {accepted:>16} {counts['spec defects']:>12}")
    return 0


def print_row(name: str, mode: str, counts, details: bool) -> None:
    if counts is None:
        print(f"{name} {mode}: schemathesis wrote no report", file=sys.stderr)
        return
    print(
        f"{name} {mode}: {counts['cases']} cases, {counts['server errors']} answered 5xx, {counts['violations']} answers the spec does not allow, "
        f"{counts['undocumented refusals']} refusals the spec documents no status for, {counts['accepted']} invalid requests accepted, "
        f"{counts['spec defects']} failures of operations the spec gives no way to tell apart (not counted above)",
        file=sys.stderr,
        flush=True,
    )
    if details:
        for (check, label, title), n in sorted(counts["failures"].items()):
            print(f"  {check}: {label}: {title} ({n} cases)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
