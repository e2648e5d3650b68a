"""shipyard-portable 0.1.0, the real client, against a running mock.

Its own `trigger` command runs unmodified in a child process, but for two things a user would change
too: the base URL (hard-coded to Portable's host in `PortableClient.__init__`) and the poll interval
(`INTERVAL`, 60 s). Exit codes are the client's own (shipyard_templates.Etl): 0 completed, 200
unauthorised, 201 bad request or unknown flow, 211 errored, 214 still pending.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("shipyard_portable")
requests = pytest.importorskip("requests")

TOKEN = "shipyard-portable-org"

# The client's trigger command, with only its base URL and poll interval changed.
RUNNER = """
import os
from shipyard_portable import PortableClient
from shipyard_portable.cli import trigger

original_init = PortableClient.__init__

def rebased_init(self, access_token):
    original_init(self, access_token)
    self.base_url = os.environ["MOCK_BASE_URL"] + "/v2"
    self.flow_url = self.base_url + "/flows"

PortableClient.__init__ = rebased_init
trigger.INTERVAL = float(os.environ["POLL_INTERVAL"])
trigger.main()
"""

AUTHTEST = """
import os
from shipyard_portable import PortableClient
client = PortableClient(os.environ["PORTABLE_API_TOKEN"])
client.flow_url = os.environ["MOCK_BASE_URL"] + "/v2/flows"
raise SystemExit(client.connect())
"""


def call(base: str, method: str, path: str, body: Any = None) -> Any:
    """One Portable call with the test's token, as a user's set-up script would make it."""
    answer = requests.request(method, base + path, json=body, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert answer.status_code < 300, (method, path, answer.status_code, answer.text)
    return answer.json()


def make_flow(base: str, source_properties: dict[str, str] | None = None) -> int:
    destination = call(base, "POST", "/v2/destinations", {
        "destinationSpec": "postgres",
        "properties": {"host": "db.example.com", "port": "5432", "database": "analytics",
                       "schema": "portable", "username": "portable", "password": "s3cret"},
    })["data"]
    source = call(base, "POST", "/v2/sources", {
        "displayName": "Freshsales", "sourceSpec": "freshsales",
        "properties": source_properties or {"domain": "acme", "api_key": "fs-key"},
    })["data"]
    flow = call(base, "POST", "/v2/flows", {
        "displayName": "Freshsales to Postgres", "source": source["id"],
        "destination": destination["id"], "frequency": "manual",
    })["data"]
    return int(flow["id"])


@pytest.fixture
def portable(mock_base_url: str, mock_admin: Any) -> str:
    """The mock with short flow-run steps on the real clock, so the client polls through each state."""
    mock_admin.lifecycle("portable.flow_run", mode="time", delays={"PENDING": 0.3, "RUNNING": 0.6})
    return mock_base_url


def run_trigger(base: str, tmp_path: Path, flow_id: Any, *, wait: str = "TRUE", token: str = TOKEN,
                ) -> tuple[int, Any, str]:
    env = {"MOCK_BASE_URL": base, "POLL_INTERVAL": "0.1", "SHIPYARD_ARTIFACTS_DIRECTORY": str(tmp_path),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "--access-token", token, "--flow-id", str(flow_id),
         "--wait-for-completion", wait],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    artifact = tmp_path / "portable-blueprints" / "responses" / "flow_response.json"
    status = json.loads(artifact.read_text()) if artifact.exists() else None
    return done.returncode, status, done.stderr


def test_trigger_and_wait_reports_the_run_succeeded(portable: str, tmp_path: Path) -> None:
    flow_id = make_flow(portable)
    code, status, log = run_trigger(portable, tmp_path, flow_id)
    assert code == 0, log
    assert status["id"] == flow_id
    assert (status["lifecycle"], status["disposition"], status["errors"]) == ("NOT_RUNNING", "SUCCEEDED", None)
    assert "RUNNING" in log or "PENDING" in log  # it polled while the run was in flight
    attempts = call(portable, "GET", f"/v2/flows/{flow_id}/run")["data"]
    assert [(a["trigger"], a["disposition"]) for a in attempts] == [("manual", "SUCCEEDED")]


def test_a_forced_failure_makes_the_client_report_failure(portable: str, mock_admin: Any, tmp_path: Path) -> None:
    flow_id = make_flow(portable)
    mock_admin.force("portable.flow_run", "FAILED", message="Failed to connect to the source", token=TOKEN,
                     resource_id=flow_id)
    code, status, log = run_trigger(portable, tmp_path, flow_id)
    assert code == 211, log  # EXIT_CODE_FINAL_STATUS_ERRORED
    assert (status["disposition"], status["errors"]) == ("FAILED", ["Failed to connect to the source"])


def test_a_source_with_a_wrong_password_fails_its_run(portable: str, tmp_path: Path) -> None:
    flow_id = make_flow(portable, {"domain": "acme", "api_key": "wrong-password"})
    code, status, log = run_trigger(portable, tmp_path, flow_id)
    assert code == 211, log
    assert status["errors"][0].startswith("Failed to connect to the source")


def test_trigger_without_waiting_sees_the_new_run_pending(portable: str, tmp_path: Path) -> None:
    flow_id = make_flow(portable)
    code, status, log = run_trigger(portable, tmp_path, flow_id, wait="FALSE")
    assert code == 214, log  # EXIT_CODE_FINAL_STATUS_PENDING, as Shipyard's own live test expects
    assert (status["lifecycle"], status["disposition"]) == ("PENDING", "NONE")


@pytest.mark.parametrize(("flow_id", "token", "expected"), [
    ("bad_flow_id", TOKEN, 201),  # a non-integer id: 400, the client's BadRequestError
    ("999999999", TOKEN, 201),    # unknown flow: 404, "Flow not found"
    ("568971", "", 200),          # no token: 401, the client's UnauthorizedError
])
def test_bad_requests_get_the_clients_exit_codes(portable: str, tmp_path: Path, flow_id: str, token: str,
                                                 expected: int) -> None:
    code, status, log = run_trigger(portable, tmp_path, flow_id, token=token)
    assert code == expected, log
    assert status is None


def test_the_credential_test_lists_flows(portable: str) -> None:
    env = {"MOCK_BASE_URL": portable, "PORTABLE_API_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", AUTHTEST], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
