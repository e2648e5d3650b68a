"""Harness for the real-client tests: one `mockserver serve` process for the session, reset per test.

Real vendor clients (dagster-census, airflow-provider-census, ...) are installed by the `clients`
extra (`pip install -e '.[test,clients]'`); a test file skips itself when its client is missing
(`pytest.importorskip`). The default run does not collect this folder (see `norecursedirs` in
pyproject.toml); run it with `python -m pytest tests/clients`.

The server is a child process on a free 127.0.0.1 port, on the real clock, exactly as a user runs
it, so a client's own sleeps and polls see time pass. Fixtures:

- `mock_base_url`: `http://127.0.0.1:<port>`; each test starts from a full reset (every vendor's
  state, forced outcomes, faults, and each lifecycle's mode and delays back to the defaults);
- `mock_admin`: the control plane over HTTP (`/__admin/...`), for steering lifecycles and faults.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any, Iterator

import pytest

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")
START_TIMEOUT = 30.0


class Admin:
    """The mock's control plane over HTTP: the same calls a user's own test suite would make."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """`/__admin<path>`; any answer other than 2xx fails the test with the server's message."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + "/__admin" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                text = answer.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} /__admin{path} answered {error.code}: {error.read()[:500]!r}") from None
        return json.loads(text) if text else None

    def reset(self) -> None:
        self.call("POST", "/reset", {})

    def lifecycle(self, name: str, *, mode: str | None = None, delays: dict[str, float] | None = None) -> Any:
        """Set a lifecycle's mode (`time`, `immediate`, `manual`) and/or its per-state delays."""
        body: dict[str, Any] = {}
        if mode is not None:
            body["mode"] = mode
        if delays is not None:
            body["delays"] = delays
        return self.call("PUT", f"/lifecycles/{name}", body)

    def force(self, name: str, state: str, **rule: Any) -> Any:
        """The next run(s) of a lifecycle end in `state` (`message`, `token`, `resource_id`, `times`, `data`)."""
        return self.call("POST", f"/lifecycles/{name}/force", {"state": state, **rule})

    def advance(self, name: str, **target: Any) -> Any:
        return self.call("POST", f"/lifecycles/{name}/advance", target)


@pytest.fixture(scope="session")
def _mock_process() -> Iterator[str]:
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--log-level", "warning", "--check-delay", "0"],
        stdout=subprocess.PIPE, stderr=log, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        base_url = _wait_for_address(process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_for_address(process: subprocess.Popen[str], log: Any) -> str:
    """The URL the server prints once it listens (it picked the free port itself: no race for it)."""
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = LISTENING.search(line)
        if found:
            return found.group(1)
        if not line and process.poll() is not None:
            break
    log.seek(0)
    raise RuntimeError(f"mockserver did not start (exit {process.poll()}): {log.read()[-2000:]!r}")


@pytest.fixture
def mock_admin(_mock_process: str) -> Admin:
    return Admin(_mock_process)


@pytest.fixture
def mock_base_url(_mock_process: str, mock_admin: Admin) -> str:
    """The running mock's base URL, reset to a clean state for this test."""
    mock_admin.reset()
    return _mock_process
