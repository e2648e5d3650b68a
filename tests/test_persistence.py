"""--state-file: loaded at start, saved soon after changes and at shutdown, and never torn by kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from stitch_support import SEED_V4_CREATE

from mockserver.app import CONTROL, ENGINE, create_app
from mockserver.persistence import SAVER, PersistenceError, StateFile
from mockserver.settings import Settings


def destinations_in(document: dict) -> dict[str, list[int]]:
    tenants = document["vendors"].get("stitch", {}).get("tenants", {})
    return {key: sorted(d["id"] for d in t["collections"].get("destinations", [])) for key, t in tenants.items()}


# -- in-process -------------------------------------------------------------------------------------

async def test_changes_are_saved_soon_and_survive_a_restart(make_mock, tmp_path):
    path = tmp_path / "state.json"
    mock = await make_mock(state_file=str(path), state_write_delay=0.01, stitch_destination_limit=5)
    created = [(await mock.post("/v4/destinations", SEED_V4_CREATE, token=t)).body for t in ("tok-a", "tok-a", "tok-b")]
    await mock.app[SAVER].wait_saved()
    assert destinations_in(json.loads(path.read_bytes())) == {"tok-a": [created[0]["id"], created[1]["id"]], "tok-b": [created[2]["id"]]}
    mock.advance(2)  # the checks finish: a job run is a change too
    before = {t: (await mock.get("/v4/destinations", token=t)).body for t in ("tok-a", "tok-b")}
    await mock.client.close()  # shutdown saves what is left

    again = await make_mock(state_file=str(path), stitch_destination_limit=5)
    after = {t: (await again.get("/v4/destinations", token=t)).body for t in ("tok-a", "tok-b")}
    assert after == before
    assert all(d["report_card"]["current_step_type"] == "fully_configured" for ds in after.values() for d in ds)


async def test_reads_do_not_rewrite_the_file(make_mock, tmp_path):
    path = tmp_path / "state.json"
    mock = await make_mock(state_file=str(path), state_write_delay=0)
    await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")
    saver = mock.app[SAVER]
    await saver.wait_saved()
    saves = saver.saves
    for _ in range(5):
        await mock.get("/v4/destinations", token="tok-a")
        await mock.get("/v4/destination-types", token="tok-a")
    assert await saver.save_if_changed() is False
    assert saver.saves == saves


async def test_admin_changes_are_saved_too(make_mock, tmp_path):
    path = tmp_path / "state.json"
    mock = await make_mock(state_file=str(path), state_write_delay=0)
    await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")
    await mock.app[SAVER].wait_saved()
    await mock.post("/__admin/reset")
    await mock.app[SAVER].wait_saved()
    assert json.loads(path.read_bytes()) == {"vendors": {}, "jobs": []}


async def test_a_state_file_that_is_not_state_stops_the_start(aiohttp_client, tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"vendors": {"nobody": {}}}')
    with pytest.raises(PersistenceError, match="state file .*state.json: not a state document"):
        await aiohttp_client(create_app(Settings(virtual_clock=True, state_file=str(path))))
    path.write_text("{torn")
    with pytest.raises(PersistenceError, match="is not JSON"):
        await aiohttp_client(create_app(Settings(virtual_clock=True, state_file=str(path))))


async def test_stale_temporaries_are_removed_at_start(make_mock, tmp_path):
    stale = tmp_path / ".state.json.999.1.tmp"
    stale.write_text("half a state")
    mock = await make_mock(state_file=str(tmp_path / "state.json"))
    assert not stale.exists()
    assert mock.app[ENGINE].export() == {"vendors": {}, "jobs": []}


def test_an_older_snapshot_never_replaces_a_newer_one(tmp_path):
    state_file = StateFile(tmp_path / "state.json")
    assert state_file.write(b'{"v": 2}', version=2) is True
    assert state_file.write(b'{"v": 1}', version=1) is False
    assert state_file.read() == {"v": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


# -- a real server process ----------------------------------------------------------------------------

class ServerProcess:
    """`mockserver serve --port 0 --state-file FILE` in a child process; knows its port."""

    def __init__(self, state_file: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--log-level", "warning",
             "--state-file", str(state_file), "--stitch-destination-limit", "100000", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.base = line.split("listening on ")[1].split()[0]

    def call(self, method: str, path: str, body: object = None, token: str = "tok-a") -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        self.proc.send_signal(sig)
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


def test_a_restarted_server_has_every_destination(tmp_path):
    path = tmp_path / "state.json"
    server = ServerProcess(path, "--check-delay", "0")
    made = {}
    for token in ("tok-a", "tok-b", "tok-c"):
        for _ in range(3):
            status, body = server.call("POST", "/v4/destinations", SEED_V4_CREATE, token=token)
            assert status == 200
        made[token] = server.call("GET", "/v4/destinations", token=token)[1]
    server.stop(signal.SIGTERM)

    server = ServerProcess(path, "--check-delay", "0")
    try:
        for token, listed in made.items():
            assert server.call("GET", "/v4/destinations", token=token) == (200, listed)
    finally:
        server.stop()


def test_kill_9_during_writes_always_leaves_a_loadable_file(tmp_path):
    """Writes stream in while the saver rewrites the file continuously; SIGKILL lands at random
    moments. Each time the file must parse as a state document, hold only acknowledged
    destinations, never go backwards, and be exactly what the restarted server serves."""
    path = tmp_path / "state.json"
    dice = random.Random(int(os.environ.get("KILL_TEST_SEED", "5")))
    acknowledged: set[int] = set()
    kept_before: set[int] = set()
    for _round in range(4):
        server = ServerProcess(path, "--state-write-delay", "0", "--check-delay", "0.05")
        if path.exists():  # the restarted server serves exactly what the file held
            listed = server.call("GET", "/v4/destinations")[1]
            assert {d["id"] for d in listed} == kept_before
        stop = threading.Event()

        def write() -> None:
            while not stop.is_set():
                try:
                    status, body = server.call("POST", "/v4/destinations", SEED_V4_CREATE)
                except OSError:
                    return  # the server is gone
                if status == 200:
                    acknowledged.add(body["id"])

        writer = threading.Thread(target=write)
        writer.start()
        killed_at = threading.Event()
        threading.Timer(dice.uniform(0.15, 0.6), lambda: (server.proc.send_signal(signal.SIGKILL), killed_at.set())).start()
        killed_at.wait(5)
        server.proc.wait(timeout=10)
        stop.set()
        writer.join(timeout=10)
        server.stop(signal.SIGKILL) if server.proc.poll() is None else None
        for stream in (server.proc.stdout, server.proc.stderr):
            if stream:
                stream.close()

        if not path.exists():  # killed before the first save: nothing to check yet
            continue
        document = json.loads(path.read_bytes())
        create_app(Settings(virtual_clock=True))[CONTROL].replace_state(document)  # loads, or raises
        kept = set(destinations_in(document).get("tok-a", []))
        assert len(kept - acknowledged) <= 1  # nothing invented (one request may have been in flight)...
        assert kept_before <= kept  # ...and nothing lost that an earlier file held
        kept_before = kept
    assert len(kept_before) > 0
