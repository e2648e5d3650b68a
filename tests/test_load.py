"""`--load FILE`: start from a state or scenario file kept in a repository, never writing to it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import yaml
from process_support import call
from stitch_support import SEED_V4_CREATE

from mockserver.testing import MockServer

TOKEN = "scenario-account"


def scenario(tmp_path: Path, name: str = "scenario.json") -> Path:
    """A state document as GET /__admin/state exports it: one Stitch account with one destination."""
    with MockServer(check_delay=0) as server:
        status, _ = _post(server.url + "/v4/destinations", SEED_V4_CREATE)
        assert status == 200
        state = server.state()
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(state, indent=2) + "\n")
    else:
        path.write_text(yaml.safe_dump(state))
    return path


def _post(url: str, body: object) -> tuple[int, object]:
    return call(url, "POST", body, token=TOKEN)


def test_the_file_is_byte_identical_after_a_run_with_changes(tmp_path: Path):
    path = scenario(tmp_path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--check-delay", "0", "--log-level", "warning",
         "--stitch-destination-limit", "5", "--load", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base = re.search(r"listening on (http://\S+)", proc.stdout.readline()).group(1)
        status, listed = call(base + "/v4/destinations", token=TOKEN)
        assert status == 200 and len(listed) == 1  # the scenario's destination
        assert call(base + "/v4/destinations", "POST", SEED_V4_CREATE, token="other")[0] == 200  # a change
        assert call(base + f"/v4/destinations/{listed[0]['id']}", "DELETE", token=TOKEN)[0] == 200  # another
        assert call(base + "/__admin/reset", "POST", {})[0] == 200
        assert call(base + "/v4/destinations", token=TOKEN)[1] == listed  # a full reset returns to the file
        assert call(base + "/v4/destinations", token="other")[1] == []
        assert call(base + "/v4/destinations", "POST", SEED_V4_CREATE, token="other")[0] == 200  # left at exit
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(os.listdir(tmp_path)) == ["scenario.json"]  # no temporary files beside it either


def test_a_yaml_scenario_loads_too(tmp_path: Path):
    path = scenario(tmp_path, "scenario.yaml")
    before = path.read_bytes()
    with MockServer(load_file=str(path)) as server:
        status, listed = call(server.url + "/v4/destinations", token=TOKEN)
        assert status == 200 and len(listed) == 1
        server.reset()
        assert len(call(server.url + "/v4/destinations", token=TOKEN)[1]) == 1
    assert path.read_bytes() == before


def test_a_yaml_scenario_with_a_repeated_key_names_the_line(tmp_path: Path):
    path = tmp_path / "scenario.yaml"
    path.write_text("vendors: {}\njobs: []\nvendors: {}\n")
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0", "--load", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"mockserver: --load {path}:3: key 'vendors' given twice (first on line 1)\n"
