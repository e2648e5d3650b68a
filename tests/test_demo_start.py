"""--demo as a newcomer sees it: a quiet start with a progress line, health that says `starting`
until the data is in place, a banner that only states what is true, and data that a reset keeps."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

import mockserver.demo as demo_module
from mockserver.demo import DemoReport, banner, load_demo
from mockserver.demo.names import company_name
from mockserver.demo.stitch import TEAM


def health(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + "/__admin/health", timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_cli_starts_quietly_and_health_says_starting_until_the_data_is_in(unused_tcp_port):
    base = f"http://127.0.0.1:{unused_tcp_port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(unused_tcp_port), "--demo", "--check-delay", "2",
         "--refresh-delay", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seen: list[tuple[int, str]] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, body = health(base)
            except OSError:  # not listening yet
                time.sleep(0.02)
                continue
            seen.append((status, body["status"]))
            if status == 200:
                break
            time.sleep(0.05)
        banner_lines = [proc.stdout.readline() for _ in range(8)]
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert seen[0] == (503, "starting") and seen[-1] == (200, "ok"), seen
    assert {s for s in seen[:-1]} == {(503, "starting")}
    assert banner_lines[0].startswith("mockserver 0.1.0 listening on http://127.0.0.1:")
    assert banner_lines[1] == "demo data loaded; tokens (send as Authorization: Bearer <token>):\n"
    assert re.fullmatch(r"the ones shown running end in about [12] s\n", banner_lines[7])
    # Before the banner, stderr holds two progress lines and the health polls: no demo traffic.
    lines = err.splitlines()
    assert lines[:2] == ["mockserver: loading demo data ...",
                         "mockserver: demo: waiting 2 s for its connection checks and refreshes to finish"]
    assert all("/__admin/health" in line for line in lines[2:] if "mockserver.access" in line)


async def test_health_answers_503_until_the_demo_is_loaded(make_mock):
    mock = await make_mock(demo=True)
    answer = await mock.get("/__admin/health", check=False)
    assert answer.status == 503 and answer.body["status"] == "starting"
    await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    answer = await mock.get("/__admin/health")
    assert answer.status == 200 and answer.body["status"] == "ok"


async def test_a_server_without_demo_is_healthy_at_once(mock):
    assert (await mock.get("/__admin/health")).status == 200


async def test_with_a_long_check_delay_the_banner_says_the_outcomes_are_still_to_come(make_mock, monkeypatch):
    monkeypatch.setattr(demo_module, "MAX_WAIT", 0.2)
    mock = await make_mock(demo=True, virtual_clock=False, check_delay=30, refresh_delay=30)
    report = await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    text = banner(report)
    first, second = text.splitlines()[:2]
    assert first == "demo data created; its connection checks and refreshes finish in about 30 s,"
    assert second == "after which the tokens hold (send as Authorization: Bearer <token>):"
    assert "demo data loaded" not in text
    # And that is the truth: no Stitch check has finished yet.
    listed = (await mock.get("/v4/destinations", token=TEAM)).body
    assert {d["report_card"]["current_step_type"] for d in listed} == {"form"}


async def test_the_last_banner_line_says_what_is_still_running(make_mock):
    mock = await make_mock(demo=True, check_delay=0, refresh_delay=0)
    report = await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    last = banner(report).splitlines()[-1]
    if report.running:  # work with delays of its own (a Portable flow run) is still in flight
        assert re.fullmatch(r"the ones shown running end in about \d+ s of virtual time \(.*\)", last)
    else:
        assert last == "with these delays all that work has already finished, the ones shown running too"
    assert banner(DemoReport(report.rows)).splitlines()[-1] == (
        "with these delays all that work has already finished, the ones shown running too")


async def test_on_a_virtual_clock_the_banner_says_how_to_move_it(make_mock):
    mock = await make_mock(demo=True)
    text = banner(await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/")))
    assert text.splitlines()[-1] == "the ones shown running end in about 2 s of virtual time (POST /__admin/clock/advance moves it)"


async def test_a_full_reset_brings_the_demo_back(make_mock):
    mock = await make_mock(demo=True)
    await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    seeded = mock.state()
    clock = (await mock.get("/__admin/clock")).body
    mock.advance(60)
    first_new = await mock.post("/v2/destinations", {"destinationSpec": "postgres", "properties": {
        "host": "h", "port": "5432", "database": "d", "schema": "s", "username": "u", "password": "p"}},
        token="someone", check=False)
    assert mock.state() != seeded
    assert (await mock.post("/__admin/reset")).body == {"status": "reset", "vendor": None, "token": False}
    assert mock.state() == seeded
    assert (await mock.get("/__admin/clock")).body == clock
    # What follows a reset repeats what followed the start: the same ids come out again.
    again = await mock.post("/v2/destinations", {"destinationSpec": "postgres", "properties": {
        "host": "h", "port": "5432", "database": "d", "schema": "s", "username": "u", "password": "p"}},
        token="someone", check=False)
    assert again.status == first_new.status
    if again.status == 201:
        assert again.body["data"]["id"] == first_new.body["data"]["id"]


async def test_a_vendor_reset_still_drops_that_vendors_demo_data(make_mock):
    mock = await make_mock(demo=True)
    await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    await mock.post("/__admin/reset", {"vendor": "stitch"})
    assert "stitch" not in mock.state()["vendors"] or not mock.state()["vendors"]["stitch"]["tenants"]
    await mock.post("/__admin/reset")
    assert mock.state()["vendors"]["stitch"]["tenants"]


def test_the_pytest_plugin_keeps_the_demo_across_tests():
    from mockserver.testing import MockServer

    with MockServer(demo=True) as server:
        before = server.state()
        server.reset()  # what the plugin does before each test
        assert server.state() == before


def test_the_company_name_is_ours_and_follows_the_seed():
    names = {company_name(random.Random(seed)) for seed in range(50)}
    assert len(names) > 40
    assert company_name(random.Random(3)) == company_name(random.Random(3))
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][A-Za-z ]+", company_name(random.Random(3)))


def test_faker_is_not_needed():
    code = ("import sys\nfrom mockserver.testing import MockServer\n"
            "with MockServer(demo=True) as server: assert server.demo\n"
            "assert 'faker' not in sys.modules, 'faker was imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def unused_tcp_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
