"""Portable flow schedules: frequencies and cron run flows on the engine's clock.

The virtual clock starts at 2026-01-01T09:00:00Z (a Thursday); a test advances it a day through the
control plane and reads the scheduled run attempts.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mockserver.engine.schedules import Cron
from portable_support import TOKEN, advance, attempts, make_flow

DAY = 24 * 3600
START = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)


def created(history):
    return [a["createdAt"] for a in history]


@pytest.mark.parametrize(("frequency", "per_day"), [("24h", 1), ("12h", 2), ("6h", 4), ("1h", 24), ("30m", 48),
                                                    ("15m", 96), ("manual", 0)])
async def test_a_day_on_the_clock_runs_each_frequency_that_often(mock, frequency, per_day):
    flow = await make_flow(mock, frequency=frequency)
    await advance(mock, DAY)
    history = await attempts(mock, flow["id"], limit="1000")
    assert len(history) == per_day
    assert all(a["trigger"] == "scheduled" and a["disposition"] == "SUCCEEDED" for a in history[1:])


async def test_scheduled_attempts_start_one_period_after_the_flow_was_made(mock):
    flow = await make_flow(mock, frequency="6h")
    await advance(mock, DAY)
    assert created(await attempts(mock, flow["id"], sort="asc")) == [
        "2026-01-01T15:00:00Z", "2026-01-01T21:00:00Z", "2026-01-02T03:00:00Z", "2026-01-02T09:00:00Z"]


async def test_the_documented_default_frequency_runs_daily(mock):
    flow = await make_flow(mock, frequency="24h")
    source, destination = flow["source"], flow["destination"]
    made = (await mock.post("/v2/flows", {"source": source, "destination": destination}, token=TOKEN)).body["data"]
    await advance(mock, DAY)
    assert created(await attempts(mock, made["id"])) == ["2026-01-02T09:00:00Z"]


async def test_cron_runs_at_the_minutes_it_names(mock):
    flow = await make_flow(mock, cron="30 9,17 * * *")
    await advance(mock, DAY)
    assert created(await attempts(mock, flow["id"], sort="asc")) == ["2026-01-01T09:30:00Z", "2026-01-01T17:30:00Z"]


async def test_a_weekly_cron_runs_once_a_week(mock):
    flow = await make_flow(mock, cron="7 5 * * 5")  # Portable's example: Fridays at 05:07
    await advance(mock, 14 * DAY)
    assert created(await attempts(mock, flow["id"], sort="asc")) == ["2026-01-02T05:07:00Z", "2026-01-09T05:07:00Z"]


async def test_switching_to_manual_stops_the_schedule(mock):
    flow = await make_flow(mock, frequency="1h")
    await advance(mock, 2 * 3600)
    await mock.patch(f"/v2/flows/{flow['id']}", {"frequency": "manual"}, token=TOKEN)
    await advance(mock, DAY)
    assert len(await attempts(mock, flow["id"])) == 2


async def test_a_new_frequency_counts_from_the_update(mock):
    flow = await make_flow(mock, frequency="24h")
    await advance(mock, 3600)
    await mock.patch(f"/v2/flows/{flow['id']}", {"frequency": "12h"}, token=TOKEN)
    await advance(mock, DAY)
    assert created(await attempts(mock, flow["id"], sort="asc")) == ["2026-01-01T22:00:00Z", "2026-01-02T10:00:00Z"]


async def test_an_unchanged_frequency_keeps_the_schedule(mock):
    flow = await make_flow(mock, frequency="24h")
    await advance(mock, 3600)
    await mock.patch(f"/v2/flows/{flow['id']}", {"frequency": "24h", "displayName": "x"}, token=TOKEN)
    await advance(mock, DAY - 3600)
    assert created(await attempts(mock, flow["id"])) == ["2026-01-02T09:00:00Z"]


async def test_a_scheduled_run_is_skipped_while_the_flow_still_runs(mock):
    await mock.put("/__admin/lifecycles/portable.flow_run", {"delays": {"PENDING": 60, "RUNNING": 3600}})
    flow = await make_flow(mock, frequency="15m")
    await advance(mock, 3600)
    # 09:15 starts a run lasting 61 minutes; the 09:30, 09:45 and 10:00 slots find it running.
    assert created(await attempts(mock, flow["id"])) == ["2026-01-01T09:15:00Z"]


async def test_history_keeps_the_latest_100_attempts_per_flow(mock):
    flow = await make_flow(mock, frequency="15m")
    other = await make_flow(mock, frequency="24h")
    await advance(mock, 2 * DAY)
    history = await attempts(mock, flow["id"], limit="1000")
    assert len(history) == 100
    assert history[0]["createdAt"] == "2026-01-03T09:00:00Z"  # the newest kept, the oldest dropped
    assert len(await attempts(mock, other["id"])) == 2


async def test_deleting_a_flow_ends_its_schedule(mock):
    flow = await make_flow(mock, frequency="15m")
    await mock.delete(f"/v2/flows/{flow['id']}", token=TOKEN)
    await advance(mock, DAY)
    tenants = mock.state()["vendors"]["portable"]["tenants"].values()
    assert not any(t["collections"].get("flow_runs") for t in tenants)
    assert mock.state()["jobs"] == []


async def test_schedules_survive_a_state_export_and_load(mock, make_mock):
    flow = await make_flow(mock, frequency="1h")
    await advance(mock, 1800)
    saved = (await mock.get("/__admin/state")).body
    restored = await make_mock()
    assert (await restored.put("/__admin/state", saved)).status == 200
    await advance(restored, 3600)
    assert created(await attempts(restored, flow["id"])) == ["2026-01-01T10:00:00Z"]


@pytest.mark.parametrize(("expression", "expected"), [
    ("*/15 * * * *", "2026-01-01T09:15:00+00:00"),
    ("0 9 * * *", "2026-01-02T09:00:00+00:00"),       # strictly after now
    ("0 22-2 * * *", "2026-01-01T22:00:00+00:00"),    # a backwards range wraps around midnight
    ("0 0 1 * 1", "2026-01-05T00:00:00+00:00"),       # both day fields: either matches (Monday the 5th)
    ("0 0 * * 7", "2026-01-04T00:00:00+00:00"),       # 7 is Sunday
    ("5/20 10 * * *", "2026-01-01T10:05:00+00:00"),   # a start with a step
    ("0 0 29 2 *", "2028-02-29T00:00:00+00:00"),
])
def test_cron_next_after(expression, expected):
    assert Cron(expression).next_after(START).isoformat() == expected


def test_a_cron_that_never_fires_has_no_next():
    assert Cron("0 0 31 2 *").next_after(START) is None
