"""The specs are the contract, held by an outside fuzzer: schemathesis against a live `mockserver serve`.

Each vendor is fuzzed through its served OpenAPI 3.1 document (`/__admin/specs/{vendor}`), in every
phase (examples, coverage, fuzzing, stateful), with every check, twice: once as any caller would
(any token is a tenant), once against a server started with `--strict-auth` and declared tokens, where
every invalid credential must be refused. A run passes with zero failures and zero errors, and
every phase must have run and passed. The six runs go side by side, each bounded by `--max-time`,
so the whole takes about two and a half minutes (2 min 44 s measured with 110 s runs on two busy
cores). What is configured, and why, is in tests/schemathesis_support.py.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

import schemathesis_support as sts

pytest.importorskip("schemathesis")  # the `test` extra installs it

VENDORS = ("stitch", "portable", "census")
TOKENS = {"stitch": "st-fuzz", "portable": "pt-fuzz", "census": "cs-fuzz"}
# Stitch's default is one destination per account; the fuzzer creates many.
CONFIG = """tokens:
  stitch:
    st-fuzz: {destination_limit: 1000000}
  portable:
    pt-fuzz: {}
  census:
    cs-fuzz: {}
"""
MAX_TIME = {"open": 100, "strict": 100}  # seconds per run, side by side: about 2.5 minutes in all


def _serve(work: Path, strict: bool) -> tuple[subprocess.Popen[str], str]:
    config = work / "tokens.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    argv = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--seed", "1", "--check-delay", "0",
            "--refresh-delay", "0", "--log-level", "warning", "--config", str(config)]
    if strict:
        argv.append("--strict-auth")
    log = (work / "server.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
    if not match:
        proc.kill()
        raise AssertionError(f"server did not start: {line!r} {(work / 'server.log').read_text()}")
    return proc, match.group(1)


class Outcomes(dict):  # type: ignore[type-arg]
    """(vendor, mode) -> Outcome, each waited for on first use, so all runs go side by side."""

    def __init__(self, handles: dict[tuple[str, str], Any]) -> None:
        super().__init__()
        self.handles = handles

    def __missing__(self, key: tuple[str, str]) -> Any:
        self[key] = self.handles[key].wait()
        return self[key]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcomes]:
    """Both servers up, all six runs started at once; each test waits for its own."""
    servers = []
    handles = {}
    try:
        for mode in ("open", "strict"):
            work = tmp_path_factory.mktemp(f"st-{mode}")
            proc, base = _serve(work, strict=mode == "strict")
            servers.append(proc)
            for vendor in VENDORS:
                handles[(vendor, mode)] = sts.run(
                    base, vendor, TOKENS[vendor], strict_auth=mode == "strict", max_time=MAX_TIME[mode],
                    workdir=work / vendor, background=True,
                )
        results = Outcomes(handles)
        yield results
        for key in handles:  # nothing left running when the servers stop
            results[key]
    finally:
        for proc in servers:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.parametrize("mode", ["open", "strict"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_schemathesis_finds_nothing(outcomes: Outcomes, vendor: str, mode: str) -> None:
    outcome = outcomes[(vendor, mode)]
    report = outcome.report
    assert not outcome.problems, "\n".join([outcome.summary(), *outcome.problems, "", outcome.failures(8000)])
    assert report["operations"]["tested"] == report["operations"]["selected"] > 0
    assert report["test_cases"]["generated"] > 100

