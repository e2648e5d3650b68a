"""GET /__admin/clock and POST /__admin/clock/advance over HTTP, including bad input."""

from __future__ import annotations

import pytest
from stitch_support import SEED_V4_CREATE


async def test_clock_shows_virtual_time_and_pending_jobs(mock):
    answer = await mock.get("/__admin/clock")
    assert answer.status == 200
    assert answer.body == {"virtual": True, "now": "2026-01-01T09:00:00.000Z", "pending_jobs": 0, "next_due": None}
    await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")
    answer = await mock.get("/__admin/clock")
    assert answer.body["pending_jobs"] == 1 and answer.body["next_due"] == "2026-01-01T09:00:02.000Z"


async def test_advance_runs_every_job_that_falls_due(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="tok-a")).body
    answer = await mock.post("/__admin/clock/advance", {"seconds": 1.5})
    assert answer.status == 200
    assert answer.body == {"virtual": True, "now": "2026-01-01T09:00:01.500Z", "pending_jobs": 1,
                           "next_due": "2026-01-01T09:00:02.000Z", "ran": 0}
    answer = await mock.post("/__admin/clock/advance", {"seconds": 0.5})
    assert answer.body["ran"] == 1 and answer.body["pending_jobs"] == 0
    check = (await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token="tok-a")).body
    assert check["status"] == "succeeded" and check["completion_time"] == "2026-01-01T09:00:02Z"


async def test_advance_by_zero_runs_what_is_already_due(make_mock):
    mock = await make_mock(check_delay=0)
    answer = await mock.post("/__admin/clock/advance", {"seconds": 0})
    assert answer.status == 200 and answer.body["ran"] == 0


async def test_advance_on_a_real_clock_is_a_conflict(make_mock):
    mock = await make_mock(virtual_clock=False)
    answer = await mock.post("/__admin/clock/advance", {"seconds": 1})
    assert answer.status == 409
    assert answer.body == {"error": "the clock is real; start the server with --virtual-clock to advance it"}
    clock = (await mock.get("/__admin/clock")).body
    assert clock["virtual"] is False


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "seconds must be a number"),
        ({"seconds": -1}, "seconds must be a number from 0"),
        ({"seconds": "5"}, "seconds must be a number"),
        ({"seconds": True}, "seconds must be a number"),
        ({"seconds": 1e12}, "seconds must be a number from 0"),
        ({"seconds": 1, "minutes": 2}, "unknown field(s) minutes"),
        ([5], "body must be a JSON object"),
    ],
)
async def test_advance_refuses_bad_input_and_leaves_the_clock(mock, body, message):
    answer = await mock.post("/__admin/clock/advance", body)
    assert answer.status == 400 and message in answer.body["error"]
    assert (await mock.get("/__admin/clock")).body["now"] == "2026-01-01T09:00:00.000Z"


async def test_advance_needs_a_body(mock):
    answer = await mock.request("POST", "/__admin/clock/advance")
    assert answer.status == 400 and answer.body == {"error": "this call needs a JSON object body"}


async def test_a_full_reset_rewinds_the_virtual_clock(mock):
    await mock.post("/__admin/clock/advance", {"seconds": 60})
    await mock.post("/__admin/reset")
    assert (await mock.get("/__admin/clock")).body["now"] == "2026-01-01T09:00:00.000Z"


async def test_timestamps_follow_the_clock_second_by_second(mock):
    """Stitch and Portable's seconds-style timestamps follow the clock: each record carries its own
    second, across hundreds of seconds, and back to an instant seen before."""
    seen = []
    for step in range(300):
        answer = await mock.post("/v2/destinations", {"destinationSpec": "postgres", "properties": {
            "host": "db.example.com", "port": "5432", "database": "d", "schema": "s", "username": "u", "password": "p"}},
            token="tok-a")
        assert answer.status == 201, answer
        seen.append(answer.body["data"]["createdAt"])
        await mock.post("/__admin/clock/advance", {"seconds": 0.5 if step % 2 == 0 else 60.5})
    expected = []
    for step in range(300):
        total = step // 2 * 61 + (step % 2) * 0.5
        expected.append(f"2026-01-01T{9 + int(total) // 3600:02d}:{int(total) // 60 % 60:02d}:{int(total) % 60:02d}Z")
    assert seen == expected


def test_the_real_clock_stamps_the_wall_clocks_own_second(monkeypatch):
    """The real clock formats a second's stamp once and gives it until the wall clock leaves that
    second, in either direction (an NTP step back included)."""
    from types import SimpleNamespace

    from mockserver.engine import clock as clock_module
    from mockserver.engine.clock import RealClock

    real = RealClock()
    for instant, stamp in ((1767258000.2, "2026-01-01T09:00:00Z"), (1767258000.9, "2026-01-01T09:00:00Z"),
                           (1767258001.0, "2026-01-01T09:00:01Z"), (1767257999.99, "2026-01-01T08:59:59Z"),
                           (1767261661.5, "2026-01-01T10:01:01Z")):
        monkeypatch.setattr(clock_module, "time", SimpleNamespace(time=lambda instant=instant: instant))
        assert real.now_seconds() == stamp
