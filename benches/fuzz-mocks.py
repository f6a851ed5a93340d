#!/usr/bin/env python3
"""Fuzz the mock of each corpus spec with schemathesis, as one would fuzz a real server.

    benches/fuzz-mocks.py [--install] [SPEC ...] [--max-examples N] [--seed N] [--modes positive,negative]

For each spec (by default every spec of ../shared/specs/corpus, smallest first), starts
`openapi-rust mock --spec SPEC --listen 127.0.0.1:PORT --cache target/mock-cache` (the first start
builds the mock, in release mode, which takes minutes), runs schemathesis's stateless `run`
against it once per data generation mode (with a made-up credential of each security scheme,
as a real server is fuzzed with credentials), stops it, and prints per spec and mode: the cases run,
the server errors (answers 5xx), the answers the spec does not allow (status, content type,
headers or body), and, in negative mode, the invalid requests the mock accepted.

schemathesis is not a dependency of the project: `--install` puts it in a virtual environment
under target/ (never done by the tests); without it, the script uses the one installed there
before, else the `st` on PATH. Its reports (NDJSON, one per spec and mode) and the mock's log of
requests are kept in target/fuzz-mocks/ for reading the failures.
"""

import argparse
import json
import os
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


def credentials(spec: Path) -> list:
    """`-H` options carrying a made-up credential of each security scheme the spec declares, as
    one fuzzes a real server with credentials: the mock checks that they are there, not what
    they are, and refuses a request without them (401). Query and cookie API keys are left out
    (schemathesis has no option for them)."""
    try:
        text = spec.read_text()
        if spec.suffix == ".json":
            doc = json.loads(text)
        else:
            import yaml  # PyYAML, which schemathesis depends on

            doc = yaml.safe_load(text)
    except Exception:
        return []
    schemes = ((doc or {}).get("components") or {}).get("securitySchemes") or {}
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


def tally(report: Path) -> dict:
    """From a schemathesis NDJSON report: the cases run, those answered 5xx, those whose answer
    the spec does not allow (a failed status, content type, header or body check), the invalid
    requests accepted, and each distinct failure (check, operation, first line of its message)
    with how many cases it was seen in."""
    counts = {"cases": 0, "server errors": 0, "violations": 0, "undocumented refusals": 0, "accepted": 0, "failures": Counter()}
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
    args = parser.parse_args()

    st = schemathesis(args.install)
    generator = args.generator
    if generator is None:
        subprocess.run(["cargo", "build", "--quiet", "--package", "generator"], cwd=ROOT, check=True)
        generator = str(ROOT / "target" / "debug" / "openapi-rust")
    OUT.mkdir(parents=True, exist_ok=True)
    specs = [s.resolve() for s in args.specs] or corpus()
    rows = []
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
                for mode in args.modes.split(","):
                    report = OUT / f"{spec.stem}.{mode}.ndjson"
                    command = [
                        st, "--no-color", "run", str(spec), "--url", f"http://127.0.0.1:{port}",
                        "--phases", "examples,coverage,fuzzing", "--mode", mode,
                        "--checks", ",".join(CHECKS[mode]),
                        "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                        "--generation-database", "none", "--request-timeout", "30",
                        "--report", "ndjson", "--report-ndjson-path", str(report),
                        *credentials(spec),
                    ]
                    with open(OUT / f"{spec.stem}.{mode}.txt", "w") as out:
                        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=OUT)
                    counts = tally(report) if report.exists() else None
                    rows.append((spec.name, mode, counts))
                    print_row(spec.name, mode, counts, args.details)
            finally:
                stop(mock)
    print()
    print(f"{'spec':32} {'mode':9} {'cases':>7} {'5xx':>5} {'violations':>10} {'undocumented 4xx':>16} {'accepted invalid':>16}")
    for name, mode, counts in rows:
        if counts is None:
            print(f"{name:32} {mode:9} {'did not run':>7}")
        else:
            accepted = counts["accepted"] if mode == "negative" else ""
            print(f"{name:32} {mode:9} {counts['cases']:>7} {counts['server errors']:>5} {counts['violations']:>10} {counts['undocumented refusals']:>16} {accepted:>16}")
    return 0


def print_row(name: str, mode: str, counts, details: bool) -> None:
    if counts is None:
        print(f"{name} {mode}: schemathesis wrote no report", file=sys.stderr)
        return
    print(
        f"{name} {mode}: {counts['cases']} cases, {counts['server errors']} answered 5xx, {counts['violations']} answers the spec does not allow, "
        f"{counts['undocumented refusals']} refusals the spec documents no status for, {counts['accepted']} invalid requests accepted",
        file=sys.stderr,
        flush=True,
    )
    if details:
        for (check, label, title), n in sorted(counts["failures"].items()):
            print(f"  {check}: {label}: {title} ({n} cases)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
