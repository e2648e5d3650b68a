"""`mockserver serve` as a user runs it: a real process, a real port, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

from process_support import call
from stitch_support import SEED_V4_CREATE


def test_serve_on_a_free_port_then_stop_cleanly():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--check-delay", "0", "--log-level", "info"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", line)
        assert match, line
        assert "stitch" in line
        base = match.group(1)
        status, body = call(base + "/v4/destinations", "POST", SEED_V4_CREATE, token="ac_cli")
        assert status == 200 and body["report_card"]["current_step_type"] == "fully_configured"
        status, body = call(base + "/__admin/health")
        assert status == 200 and body["status"] == "ok"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "mockserver stopping" in out
    # One log line per request, and never the token.
    assert len(re.findall(r"mockserver\.access", err)) == 2
    assert "ac_cli" not in err


def test_bad_options_are_refused():
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--check-delay", "-1"], capture_output=True, text=True)
    assert result.returncode == 2 and "must be 0 or more" in result.stderr
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--vendors", "nope"], capture_output=True, text=True)
    assert result.returncode != 0 and "unknown vendor" in result.stderr
