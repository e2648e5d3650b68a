"""Census sync schedules: a sync's `schedule_frequency` runs it on the engine's clock.

The virtual clock starts at 2026-01-01T09:00:00Z (a Thursday); a test moves it through the control
plane, as a test client would, and reads the sync's runs through the API.
"""

from __future__ import annotations

from typing import Any

import pytest

from census_support import BASE, TOKEN
from census_sync_support import trigger, workspace
from mockserver.engine.schedules import Cron, is_cron

DAY = 24 * 3600
SCHEDULED = {"ui_tag": "Scheduled", "ui_detail": "Triggered by the sync's schedule"}


async def advance(mock: Any, seconds: float) -> None:
    assert (await mock.post("/__admin/clock/advance", {"seconds": seconds})).status == 200


async def runs(mock: Any, sync_id: int) -> list[dict[str, Any]]:
    answer = await mock.get(f"{BASE}/syncs/{sync_id}/sync_runs", token=TOKEN, params={"per_page": "100", "order": "asc"})
    assert answer.status == 200, answer
    return answer.body["data"]


async def scheduled_sync(mock: Any, **schedule: Any) -> int:
    sync_id = (await workspace(mock))["sync_id"]
    answer = await mock.patch(f"{BASE}/syncs/{sync_id}", schedule, token=TOKEN)
    assert answer.status == 200, answer
    return sync_id


def times(found: list[dict[str, Any]]) -> list[str]:
    return sorted(r["scheduled_execution_time"] for r in found)


@pytest.mark.parametrize(("schedule", "per_day"), [
    ({"schedule_frequency": "never"}, 0),
    ({"schedule_frequency": "daily", "schedule_hour": 6, "schedule_minute": 30}, 1),
    ({"schedule_frequency": "hourly", "schedule_minute": 10}, 24),
    ({"schedule_frequency": "quarter_hourly", "schedule_minute": 5}, 96),
    ({"schedule_frequency": "weekly", "schedule_day": "Friday", "schedule_hour": 0}, 1),
    ({"schedule_frequency": "weekly", "schedule_day": "Monday", "schedule_hour": 0}, 0),
    ({"schedule_frequency": "expression", "cron_expression": "0 */6 * * *"}, 4),
])
async def test_a_day_on_the_clock_runs_each_schedule_that_often(mock, schedule, per_day):
    sync_id = await scheduled_sync(mock, **schedule)
    await advance(mock, DAY)
    found = await runs(mock, sync_id)
    assert len(found) == per_day
    assert all(r["sync_trigger_reason"] == SCHEDULED and r["status"] == "completed" for r in found)


async def test_scheduled_runs_fall_on_the_minutes_the_schedule_names(mock):
    sync_id = await scheduled_sync(mock, schedule_frequency="daily", schedule_hour=6, schedule_minute=30)
    await advance(mock, 2 * DAY)
    assert times(await runs(mock, sync_id)) == ["2026-01-02T06:30:00.000Z", "2026-01-03T06:30:00.000Z"]
    quarter = await scheduled_sync(mock, schedule_frequency="quarter_hourly", schedule_minute=20)
    await advance(mock, 3600)
    assert times(await runs(mock, quarter))[:4] == [
        "2026-01-03T09:05:00.000Z", "2026-01-03T09:20:00.000Z", "2026-01-03T09:35:00.000Z", "2026-01-03T09:50:00.000Z"]


async def test_a_scheduled_run_reads_like_a_triggered_one_with_its_schedule(mock):
    sync_id = await scheduled_sync(mock, schedule_frequency="hourly", schedule_minute=0)
    manual = await trigger(mock, sync_id)
    await advance(mock, 3600 + 10)  # 10:00:10, the scheduled run done
    found = {r["id"]: r for r in await runs(mock, sync_id)}
    assert found[manual]["sync_trigger_reason"] == {"ui_tag": "API", "ui_detail": "Triggered through the API"}
    assert found[manual]["scheduled_execution_time"] is None
    (scheduled,) = [r for r in found.values() if r["id"] != manual]
    assert scheduled["scheduled_execution_time"] == "2026-01-01T10:00:00.000Z"
    assert scheduled["created_at"] == "2026-01-01T10:00:00.000Z"
    assert scheduled["status"] == "completed" and scheduled["full_sync"] is False  # the manual run was the first


async def test_a_schedule_that_finds_a_run_in_flight_records_it_skipped(mock):
    await mock.put("/__admin/lifecycles/census.sync_run", {"delays": {"queued": 60, "working": 3600}})
    sync_id = await scheduled_sync(mock, schedule_frequency="quarter_hourly", schedule_minute=0)
    await advance(mock, 3600)
    # 09:15 starts a run lasting 61 minutes; the 09:30, 09:45 and 10:00 turns find it in flight.
    assert [(r["scheduled_execution_time"][11:16], r["status"]) for r in await runs(mock, sync_id)] == [
        ("09:15", "working"), ("09:30", "skipped"), ("09:45", "skipped"), ("10:00", "skipped")]


async def test_pausing_stops_the_schedule_and_unpausing_starts_it_again(mock):
    sync_id = await scheduled_sync(mock, schedule_frequency="hourly", schedule_minute=0)
    assert (await mock.patch(f"{BASE}/syncs/{sync_id}", {"paused": True}, token=TOKEN)).status == 200
    await advance(mock, DAY)
    assert await runs(mock, sync_id) == []
    assert (await mock.patch(f"{BASE}/syncs/{sync_id}", {"paused": False}, token=TOKEN)).status == 200
    await advance(mock, 3600)
    assert times(await runs(mock, sync_id)) == ["2026-01-02T10:00:00.000Z"]


async def test_a_new_schedule_replaces_the_old_one_and_never_stops_it(mock):
    sync_id = await scheduled_sync(mock, schedule_frequency="hourly", schedule_minute=0)
    await mock.patch(f"{BASE}/syncs/{sync_id}", {"schedule_frequency": "daily", "schedule_hour": 12}, token=TOKEN)
    await advance(mock, DAY)
    assert times(await runs(mock, sync_id)) == ["2026-01-01T12:00:00.000Z"]
    await mock.patch(f"{BASE}/syncs/{sync_id}", {"schedule_frequency": "never"}, token=TOKEN)
    await advance(mock, DAY)
    assert len(await runs(mock, sync_id)) == 1
    assert [j for j in mock.state()["jobs"] if "census.sync_schedule" in str(j)] == []


async def test_deleting_a_sync_ends_its_schedule(mock):
    sync_id = await scheduled_sync(mock, schedule_frequency="continuous")
    await advance(mock, 120)
    assert len(await runs(mock, sync_id)) == 2  # every minute
    assert (await mock.delete(f"{BASE}/syncs/{sync_id}", token=TOKEN)).status == 200
    await advance(mock, DAY)
    assert [j for j in mock.state()["jobs"] if "census.sync_schedule" in str(j)] == []


async def test_schedules_survive_a_state_export_and_load(mock, make_mock):
    sync_id = await scheduled_sync(mock, schedule_frequency="hourly", schedule_minute=0)
    await advance(mock, 1800)
    saved = (await mock.get("/__admin/state")).body
    restored = await make_mock()
    assert (await restored.put("/__admin/state", saved)).status == 200
    await advance(restored, 3600)
    assert times(await runs(restored, sync_id)) == ["2026-01-01T10:00:00.000Z"]


@pytest.mark.parametrize("expression", ["0 25 * * *", "61 * * * *", "0 0 * * MON", "@daily", "0 0 * *", "*/0 * * * *"])
async def test_a_cron_expression_the_mock_cannot_run_is_refused_and_stores_nothing(mock, expression):
    sync_id = (await workspace(mock))["sync_id"]
    before = mock.state()
    answer = await mock.patch(f"{BASE}/syncs/{sync_id}", {"schedule_frequency": "expression", "cron_expression": expression},
                              token=TOKEN)
    assert answer.status == 400
    assert answer.body == {"status": "error", "message": (
        "cron_expression must be five fields (minute hour day-of-month month day-of-week, UTC), each *, a number, "
        "a range or a list, optionally with a /step")}
    assert mock.state() == before


def test_the_cron_grammar_refuses_what_it_cannot_run():
    assert is_cron("5/15 0-23 1,15 */2 0-7") and not is_cron("0 24 * * *") and not is_cron("0 0 0 * *")
    assert Cron("0 0 * * 7").weekdays == frozenset({0})


async def test_a_loaded_state_without_the_schedule_runs_is_scheduled_as_the_api_would(mock, make_mock):
    """A state file written by hand (or before syncs were scheduled) holds the sync but no wait for
    it: loading it starts one, so the sync runs on its schedule all the same."""
    sync_id = await scheduled_sync(mock, schedule_frequency="hourly", schedule_minute=0)
    saved = (await mock.get("/__admin/state")).body
    for tenant in saved["vendors"]["census"]["tenants"].values():
        waits = tenant["collections"].get("lifecycle_runs") or []
        kept = [w for w in waits if not w["id"].startswith("census.sync_schedule:")]
        assert len(kept) < len(waits)  # the saved state had the wait; this one does not
        tenant["collections"]["lifecycle_runs"] = kept
    saved["jobs"] = [j for j in saved["jobs"] if j["kind"] != "census.sync_schedule"]
    restored = await make_mock()
    assert (await restored.put("/__admin/state", saved)).status == 200
    await advance(restored, 3600)
    assert times(await runs(restored, sync_id)) == ["2026-01-01T10:00:00.000Z"]


async def test_a_turn_the_vendor_refuses_is_skipped_and_the_schedule_goes_on(mock, monkeypatch):
    from mockserver.app_keys import VENDORS
    from mockserver.engine.errors import Invalid

    sync_id = await scheduled_sync(mock, schedule_frequency="hourly", schedule_minute=0)
    runs_model = mock.app[VENDORS]["census"].runs

    def refuse(*args, **kwargs):
        raise Invalid("refused for the test", code="test")

    monkeypatch.setattr(runs_model, "trigger", refuse)
    await advance(mock, 3600)
    assert await runs(mock, sync_id) == []
    monkeypatch.undo()
    await advance(mock, 3600)
    assert times(await runs(mock, sync_id)) == ["2026-01-01T11:00:00.000Z"]


async def test_a_job_that_fails_is_logged_and_the_others_still_run(mock, caplog):
    """A bug of ours in one job must not stop the jobs after it, nor fail the request that ran them."""
    scheduler = mock.engine.scheduler

    def broken(payload):
        raise RuntimeError("a bug")

    scheduler.register("test.broken", broken)
    scheduler.schedule(1, "test.broken", {})
    sync_id = await scheduled_sync(mock, schedule_frequency="continuous")
    await advance(mock, 60)
    assert "a test.broken job failed" in caplog.text
    assert len(await runs(mock, sync_id)) == 1
    scheduler.schedule(0, "test.broken", {})
    answer = await mock.get(f"{BASE}/syncs/{sync_id}", token=TOKEN)  # the request runs the due job first
    assert answer.status == 200
