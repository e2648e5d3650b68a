"""SIGTERM while requests are in flight: they finish, the process exits 0, the state file is complete."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from process_support import call


def test_in_flight_requests_finish_and_the_state_file_is_complete(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--check-delay", "0",
         "--stitch-destination-limit", "50", "--state-file", str(state_file), "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base = re.search(r"listening on (http://\S+)", proc.stdout.readline()).group(1)
        body = {"type": "postgres", "properties": {"host": "db.example.com", "port": "5432", "username": "u",
                                                   "password": "p", "database": "d", "ssl": "false"}}
        created = [call(base + "/v4/destinations", "POST", body)[1]["id"] for _ in range(20)]
        # Slow every list call down, start several, and ask the server to stop while they wait.
        status, _ = call(base + "/__admin/faults", "POST", {"vendor": "stitch", "method": "GET", "latency_ms": 1500})
        assert status in (200, 201)
        results: list[object] = []

        def slow_list() -> None:
            try:
                results.append(call(base + "/v4/destinations"))
            except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                results.append(exc)

        threads = [threading.Thread(target=slow_list) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # the requests are inside their injected latency now
        proc.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=20)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert len(results) == 4
    for result in results:
        assert not isinstance(result, Exception), result
        status, listed = result
        assert status == 200 and sorted(d["id"] for d in listed) == sorted(created)
    saved = json.loads(state_file.read_text())
    tenants = saved["vendors"]["stitch"]["tenants"]
    (account,) = tenants.values()
    assert sorted(r["id"] for r in account["collections"]["destinations"]) == sorted(created)
