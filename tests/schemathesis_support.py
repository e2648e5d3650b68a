"""Schemathesis (an outside fuzzer) against a live `mockserver serve`, one vendor at a time.

Used by tests/test_schemathesis.py, and runnable by hand against any running server:

    .venv/bin/python tests/schemathesis_support.py http://127.0.0.1:8080 census --token my-token

The run reads the vendor's OpenAPI 3.1 document from `/__admin/specs/{vendor}` and runs every phase
(examples, coverage, fuzzing, stateful) with every check, configured from that document only:

- the stateful phase follows the OpenAPI links the spec declares (and `Location` headers); its
  guessing of links from path shapes is off, as it would chain a create to sub-resources that may
  rightly not exist yet (Stitch's last connection check of a destination no check has run for);
- `positive_data_acceptance` also accepts 400 on operations whose spec lists constraints the schema
  cannot express (`x-rejects`, also written into their descriptions), e.g. "the type must be one of
  the connectors", "the id must name one of the account's destinations" (Stitch answers 400 there);
- `unsupported_method` (which demands 405) is off for vendors whose spec declares another answer
  under `x-undeclared-method` (Stitch documents 404; Census, a Rails app, answers 404 too);
- `ignored_auth` is off unless the server runs with `--strict-auth`: by design any other token is a
  tenant of its own, so "an invalid token was accepted" is what the mock promises;
- `use_after_free` (which demands 404 after a DELETE) is off for vendors whose spec marks a delete
  `x-soft-delete`: Stitch answers a deleted source, with `deleted_at`, and keeps it listed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# schemathesis's own default for positive_data_acceptance, plus 400 where the spec says why.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def st_command() -> list[str]:
    """The `st` next to this Python (the venv's), else the one on PATH."""
    candidate = Path(sys.executable).with_name("st")
    return [str(candidate)] if candidate.exists() else ["st"]


def fetch_document(base_url: str, vendor: str, admin_token: str | None = None) -> dict[str, Any]:
    request = urllib.request.Request(f"{base_url}/__admin/specs/{vendor}")
    if admin_token:
        request.add_header("X-Admin-Token", admin_token)
    with urllib.request.urlopen(request, timeout=20) as resp:
        return json.loads(resp.read())


def operations_with_rejects(document: dict[str, Any]) -> list[str]:
    return sorted(
        op["operationId"]
        for item in document.get("paths", {}).values()
        for method, op in item.items()
        if method in HTTP_METHODS and op.get("x-rejects")
    )


def excluded_checks(document: dict[str, Any], *, strict_auth: bool) -> list[str]:
    """The checks this vendor's document (and the server's auth mode) rule out; see the module docstring."""
    out = []
    if set(document.get("x-undeclared-method", {})) - {"405"}:
        out.append("unsupported_method")
    if soft_deletes(document):
        out.append("use_after_free")
    if not strict_auth:
        out.append("ignored_auth")
    return out


def soft_deletes(document: dict[str, Any]) -> list[str]:
    """Operations whose spec says the deleted thing stays readable (`x-soft-delete`: a Stitch source
    is answered with `deleted_at` and stays listed), so a read after them rightly answers 200."""
    return sorted(
        op["operationId"]
        for item in document.get("paths", {}).values()
        for method, op in item.items()
        if method in HTTP_METHODS and op.get("x-soft-delete")
    )


def config_toml(document: dict[str, Any]) -> str:
    """schemathesis.toml for one vendor's document: the stateful phase follows the links the spec
    declares, and 400 is an accepted answer to schema-valid data on the operations whose spec lists
    `x-rejects` (constraints JSON Schema cannot say)."""
    lines = ["[phases.stateful.inference]", 'algorithms = ["location-headers"]', ""]
    beyond = operations_with_rejects(document)
    if beyond:
        lines += [
            "[[operations]]",
            f"include-operation-id = {json.dumps(beyond)}",
            f"checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, '400'])}",
            "",
        ]
    return "\n".join(lines)


@dataclass
class Outcome:
    """One run's JSON report (schemathesis `--report json`), with its console output for messages."""

    vendor: str
    report: dict[str, Any]
    output: str

    @property
    def problems(self) -> list[str]:
        """Everything that makes the run not clean: failures, errors, phases that did not pass."""
        out = [f"{f['code']} {f['title']}: {', '.join(f['operations'])}" for f in self.report.get("failures", [])]
        out += [f"error: {json.dumps(e)[:500]}" for e in self.report.get("errors", [])]
        for phase in PHASES:
            status = self.report.get("phases", {}).get(phase, {}).get("status")
            if status != "success":
                out.append(f"phase {phase}: {status} ({self.report['phases'][phase].get('skip_reason')})")
        if self.report.get("exit_code") != 0:
            out.append(f"exit code {self.report.get('exit_code')}")
        return out

    def failures(self, limit: int) -> str:
        """The console's FAILURES section (each failure with its curl reproduction), cut at `limit`."""
        start = self.output.find("FAILURES")
        end = self.output.find("SUMMARY", max(start, 0))
        text = self.output[start:end] if start >= 0 else self.output[-limit:]
        return text[:limit]

    def summary(self) -> str:
        cases = self.report.get("test_cases", {})
        return (f"{self.vendor}: {cases.get('generated')} cases in {self.report.get('running_time', 0):.0f} s, "
                f"{len(self.report.get('failures', []))} failures, {len(self.report.get('errors', []))} errors")


def run(base_url: str, vendor: str, token: str, *, strict_auth: bool, max_time: int, max_examples: int = 25,
        seed: int = 1, workdir: Path | None = None, admin_token: str | None = None, background: bool = False) -> Any:
    """Run schemathesis against the vendor's served document; an Outcome (or, with `background`, a
    handle whose `.wait()` gives one, so vendors can run side by side)."""
    work = Path(workdir or tempfile.mkdtemp(prefix=f"st-{vendor}-"))
    work.mkdir(parents=True, exist_ok=True)
    document = fetch_document(base_url, vendor, admin_token)
    (work / "schemathesis.toml").write_text(config_toml(document), encoding="utf-8")
    excluded = excluded_checks(document, strict_auth=strict_auth)
    report = work / "report.json"
    argv = [
        *st_command(), "--config-file", str(work / "schemathesis.toml"), "run", f"{base_url}/__admin/specs/{vendor}",
        "--header", f"Authorization: Bearer {token}", "--checks", "all",
        "--phases", ",".join(PHASES), "--max-examples", str(max_examples), "--max-time", str(max_time),
        "--seed", str(seed), "--generation-database", "none", "--no-color", "--workers", "1",
        "--report", "json", "--report-json-path", str(report),
    ]
    if excluded:
        argv += ["--exclude-checks", ",".join(excluded)]
    if admin_token:
        argv += ["--header", f"X-Admin-Token: {admin_token}"]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    log = (work / "output.txt").open("w", encoding="utf-8")
    proc = subprocess.Popen(argv, cwd=work, stdout=log, stderr=subprocess.STDOUT, env=env)

    class Handle:
        def wait(self) -> Outcome:
            try:
                proc.wait(timeout=max_time + 120)
            finally:
                if proc.poll() is None:
                    proc.kill()
                log.close()
            output = (work / "output.txt").read_text(encoding="utf-8", errors="replace")
            data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"exit_code": proc.returncode, "errors": [output[-2000:]]}
            return Outcome(vendor, data, output)

    handle = Handle()
    return handle if background else handle.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run schemathesis against a running mockserver, one vendor.")
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8080")
    parser.add_argument("vendor", choices=("stitch", "portable", "census"))
    parser.add_argument("--token", default="schemathesis", help="the bearer token to fuzz with")
    parser.add_argument("--strict-auth", action="store_true", help="the server runs with --strict-auth: check ignored_auth too")
    parser.add_argument("--max-time", type=int, default=60)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--admin-token", default=None)
    parser.add_argument("--workdir", default=None, help="where the config, output and report go (default: a temp dir)")
    args = parser.parse_args(argv)
    outcome = run(args.base_url.rstrip("/"), args.vendor, args.token, strict_auth=args.strict_auth, max_time=args.max_time,
                  max_examples=args.max_examples, admin_token=args.admin_token,
                  workdir=Path(args.workdir) if args.workdir else None)
    print(outcome.output)
    print(outcome.summary())
    for problem in outcome.problems:
        print("  " + problem)
    return 0 if not outcome.problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
