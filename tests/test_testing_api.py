"""The Python API: `MockServer` as a context manager (background thread) and an async one."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import aiohttp
import pytest
import requests
from stitch_support import SEED_V4_CREATE

from mockserver.testing import AdminError, MockServer


@pytest.fixture(scope="module")
def server():
    with MockServer() as running:
        yield running


@pytest.fixture
def fresh(server):
    server.reset()
    return server


def create(server: MockServer, token: str = "tok-a") -> requests.Response:
    return requests.post(server.stitch_url + "/v4/destinations", json=SEED_V4_CREATE,
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_urls(fresh):
    assert fresh.url == f"http://127.0.0.1:{fresh.port}"
    assert fresh.stitch_url == fresh.portable_url == fresh.url
    assert fresh.census_url == fresh.url + "/api/v1"


def test_a_blocking_client_talks_to_it_and_the_clock_finishes_checks(fresh):
    created = create(fresh).json()
    assert created["report_card"]["current_step_type"] == "form"
    assert fresh.clock.now() == datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)
    advanced = fresh.clock.advance(2)
    assert advanced["ran"] == 1 and advanced["now"] == "2026-01-01T09:00:02.000Z"
    check = requests.get(f"{fresh.stitch_url}/v4/destinations/{created['id']}/last-connection-check",
                         headers={"Authorization": "Bearer tok-a"}, timeout=10).json()
    assert check["status"] == "succeeded"


def test_journal_queries(fresh):
    create(fresh)
    requests.get(fresh.stitch_url + "/v4/destinations", timeout=10)  # 401
    assert fresh.count(method="POST") == 1
    assert fresh.count(status="4xx") == 1
    assert fresh.count(token="tok-a") == 1
    entries = fresh.requests(vendor="stitch")
    assert [(e["method"], e["status"]) for e in entries] == [("POST", 200), ("GET", 401)]
    assert [e["status"] for e in fresh.requests(limit=1)] == [401]
    fresh.clear_requests()
    assert fresh.requests() == []


def test_force_check(fresh):
    rule = fresh.force_check("stitch", message="too many connections", token="tok-a")
    assert rule["remaining"] == 1
    created = create(fresh).json()
    fresh.clock.advance(2)
    check = requests.get(f"{fresh.stitch_url}/v4/destinations/{created['id']}/last-connection-check",
                         headers={"Authorization": "Bearer tok-a"}, timeout=10).json()
    assert check["status"] == "failed" and check["discovery_error_message"] == "too many connections"


def test_add_and_remove_faults(fresh):
    rule = fresh.add_fault("stitch", method="POST", status=429, count=1)
    assert rule["id"] >= 1 and rule["status"] == 429
    assert create(fresh).status_code == 429
    assert create(fresh).status_code == 200
    rule = fresh.add_fault("stitch", status=503)
    fresh.remove_fault(rule["id"])
    assert create(fresh, token="tok-b").status_code == 200
    fresh.add_fault(drop=True)
    with pytest.raises(requests.ConnectionError):
        create(fresh, token="tok-c")
    fresh.clear_faults()
    assert create(fresh, token="tok-c").status_code == 200


def test_reset_drops_state_and_rules(fresh):
    create(fresh)
    fresh.add_fault("stitch", status=500)
    fresh.clock.advance(30)
    fresh.reset()
    assert fresh.state() == {"vendors": {}, "jobs": []}
    assert fresh.requests() == []
    assert create(fresh).status_code == 200
    assert fresh.clock.now() == datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)


def test_reset_one_token(fresh):
    create(fresh, "tok-a")
    create(fresh, "tok-b")
    fresh.reset("stitch", "tok-a")
    assert set(fresh.state()["vendors"]["stitch"]["tenants"]) == {"tok-b"}


def test_state_round_trip(fresh):
    created = create(fresh).json()
    saved = fresh.state()
    fresh.reset()
    assert fresh.load_state(saved)["vendors"]["stitch"] == {"tenants": 1, "records": 1}
    listed = requests.get(fresh.stitch_url + "/v4/destinations", headers={"Authorization": "Bearer tok-a"}, timeout=10).json()
    assert [d["id"] for d in listed] == [created["id"]]


def test_bad_input_raises_the_admin_message(fresh):
    with pytest.raises(ValueError, match="unknown vendor 'nobody'"):
        fresh.reset("nobody")
    with pytest.raises(AdminError, match="status must be a whole number from 400 to 599"):
        fresh.add_fault(status=200)
    with pytest.raises(AdminError, match="vendor is required"):
        fresh.force_check("nobody")
    with pytest.raises(AdminError, match="not a state document"):
        fresh.load_state({"vendors": []})
    with pytest.raises(AdminError, match="seconds must be a number"):
        fresh.clock.advance(-1)
    with pytest.raises(AdminError, match="unknown filter"):
        fresh.requests(colour="red")


def test_control_calls_from_many_threads_are_serialised(fresh):
    errors: list[BaseException] = []

    def hammer(n: int) -> None:
        try:
            for i in range(10):
                create(fresh, token=f"tok-{n}-{i}")
                fresh.count(method="POST")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert fresh.count(method="POST", status="200") == 40
    assert len(fresh.state()["vendors"]["stitch"]["tenants"]) == 40


def test_not_running():
    server = MockServer()
    with pytest.raises(RuntimeError, match="not running"):
        server.url
    with pytest.raises(RuntimeError, match="not running"):
        server.reset()
    server.stop()  # harmless


def test_start_failure_is_raised_in_the_caller(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("[]")
    with pytest.raises(Exception, match="not a state document"):
        MockServer(state_file=str(state)).start()


def test_config_file(tmp_path):
    config = tmp_path / "mock.yaml"
    config.write_text("strict_auth: true\ntokens:\n  stitch:\n    sk-ok: {destination_limit: 2}\n")
    with MockServer(config=config) as server:
        assert create(server, "sk-ok").status_code == 200
        assert create(server, "sk-ok").status_code == 200
        assert create(server, "sk-ok").status_code == 400
        assert create(server, "sk-other").status_code == 401


async def test_async_context_manager_on_the_running_loop():
    async with MockServer(check_delay=0) as server:
        async with aiohttp.ClientSession() as session:
            async with session.post(server.stitch_url + "/v4/destinations", json=SEED_V4_CREATE,
                                    headers={"Authorization": "Bearer tok-a"}) as resp:
                assert resp.status == 200
                created = await resp.json()
            assert server.count(method="POST") == 1
            server.add_fault("stitch", method="GET", status=502)
            async with session.get(f"{server.stitch_url}/v4/destinations/{created['id']}/last-connection-check",
                                   headers={"Authorization": "Bearer tok-a"}) as resp:
                assert resp.status == 502
            server.reset()
            assert server.state() == {"vendors": {}, "jobs": []}
    with pytest.raises(RuntimeError):
        server.url
