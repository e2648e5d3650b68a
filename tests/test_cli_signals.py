"""Ctrl-C on a real `mockserver serve`: the first stops it within a moment even while a request sits
in a long injected latency (which is cut short, so the request still gets its answer); a second one
exits at once, even while a stalled upload holds up the graceful stop."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

from process_support import call

SERVE = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--check-delay", "0", "--log-level", "warning"]


def start() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(SERVE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    match = re.search(r"listening on (http://\S+)", proc.stdout.readline())
    assert match, proc.stderr.read()
    return proc, match.group(1)


def test_the_first_ctrl_c_cuts_injected_latency_short():
    proc, base = start()
    try:
        status, _ = call(base + "/__admin/faults", "POST", {"vendor": "stitch", "method": "GET", "latency_ms": 60_000})
        assert status == 201
        results: list[object] = []

        def slow_list() -> None:
            try:
                results.append(call(base + "/v4/destinations", token="sig-a"))
            except Exception as exc:  # noqa: BLE001 - asserted below
                results.append(exc)

        thread = threading.Thread(target=slow_list)
        thread.start()
        time.sleep(0.5)  # the request is inside its minute of latency now
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
        thread.join(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert took < 2.5, f"Ctrl-C took {took:.1f} s"
    assert "Traceback" not in err
    assert "mockserver stopping (Ctrl-C again to exit at once)" in out
    assert results == [(200, [])]  # the faulted request still got the vendor's answer


def test_a_second_ctrl_c_exits_at_once():
    proc, base = start()
    try:
        address = urlsplit(base)
        stalled = socket.create_connection((address.hostname, address.port))
        # An upload that announces 1,000 bytes and sends 10: the graceful stop would wait for it.
        stalled.sendall(b"POST /v4/destinations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sig-b\r\n"
                        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\": ")
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        assert proc.poll() is None  # still waiting for the upload
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
        stalled.close()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert took < 1.0, f"the second Ctrl-C took {took:.1f} s"
    assert err.strip().splitlines()[-1] == "mockserver: second interrupt, exiting at once"
    assert "Traceback" not in err


def test_ctrl_c_during_demo_seeding_stops_without_a_traceback():
    proc = subprocess.Popen([*SERVE[:-4], "--demo", "--check-delay", "8"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert line == "mockserver: loading demo data ...\n"
        assert proc.stderr.readline().startswith("mockserver: demo: waiting 8 s")
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and took < 2.5
    assert "Traceback" not in err and "listening on" not in out
