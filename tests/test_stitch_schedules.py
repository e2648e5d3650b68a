"""Stitch source schedules: a fully configured source's interval starts replication jobs on the
engine's clock, at the `next_fire_time` its schedule names.

The virtual clock starts at 2026-01-01T09:00:00Z; checks end at once (`check_delay=0`), so a source
is fully configured as soon as its streams are selected.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from stitch_support import RECURLY_CREATE, select

TOKEN = "ac_schedules"
HOUR = 3600


@pytest.fixture
async def instant(make_mock):
    return await make_mock(check_delay=0)


async def configured_source(mock: Any, display_name: str = "Recurly", **properties: str) -> dict[str, Any]:
    body = copy.deepcopy(RECURLY_CREATE)
    body["display_name"] = display_name
    body["properties"].update(properties)
    created = await mock.post("/v4/sources", body, token=TOKEN)
    assert created.status == 200, created
    answer = await mock.put(f"/v4/sources/{created.body['id']}/streams/metadata", select("accounts"), token=TOKEN)
    assert answer.status == 200, answer
    return (await mock.get(f"/v4/sources/{created.body['id']}", token=TOKEN)).body


async def job_starts(mock: Any, source: dict[str, Any]) -> list[str]:
    """Every job of the source the mock holds, by start time (extractions list only the latest)."""
    tenants = mock.state()["vendors"]["stitch"]["tenants"].values()
    jobs = [j for t in tenants for j in t["collections"].get("jobs") or [] if j["source_id"] == source["id"]]
    return sorted(j["start_time"] for j in jobs)


async def test_a_configured_source_runs_at_each_next_fire_time(instant):
    source = await configured_source(instant, frequency_in_minutes="30")
    assert source["schedule"]["next_fire_time"] == "2026-01-01T09:30:00Z"
    instant.advance(2 * HOUR)
    assert await job_starts(instant, source) == [
        "2026-01-01T09:30:00Z", "2026-01-01T10:00:00Z", "2026-01-01T10:30:00Z", "2026-01-01T11:00:00Z"]
    shown = (await instant.get(f"/v4/sources/{source['id']}", token=TOKEN)).body
    assert shown["schedule"]["next_fire_time"] == "2026-01-01T11:30:00Z"
    latest = (await instant.get(f"/v4/{source['stitch_client_id']}/extractions", token=TOKEN)).body["data"][0]
    assert latest["start_time"] == "2026-01-01T11:00:00Z" and latest["tap_exit_status"] == 0


async def test_the_interval_counts_from_the_anchor_time(instant):
    source = await configured_source(instant, frequency_in_minutes="60", anchor_time="2025-12-31T22:15:00Z")
    instant.advance(2 * HOUR)
    assert await job_starts(instant, source) == ["2026-01-01T09:15:00Z", "2026-01-01T10:15:00Z"]


async def test_a_source_not_fully_configured_or_paused_runs_nothing(instant):
    created = await instant.post("/v4/sources", RECURLY_CREATE, token=TOKEN)  # no stream selected
    instant.advance(3 * HOUR)
    assert await job_starts(instant, created.body) == []
    source = await configured_source(instant, "Recurly EU", frequency_in_minutes="60")
    answer = await instant.put(f"/v4/sources/{source['id']}", {"paused_at": "2026-01-01T12:00:00Z"}, token=TOKEN)
    assert answer.status == 200 and answer.body["schedule"] is None
    instant.advance(3 * HOUR)
    assert await job_starts(instant, source) == []
    answer = await instant.put(f"/v4/sources/{source['id']}", {"paused_at": None}, token=TOKEN)
    assert answer.status == 200 and answer.body["schedule"]["next_fire_time"] == "2026-01-01T16:00:00Z"
    instant.advance(HOUR)
    assert await job_starts(instant, source) == ["2026-01-01T16:00:00Z"]


async def test_a_turn_that_finds_a_job_running_is_skipped(make_mock):
    mock = await make_mock(check_delay=0)
    await mock.put("/__admin/lifecycles/stitch.replication_job", {"delays": {"extracting": 2000, "loading": 2000}})
    source = await configured_source(mock, frequency_in_minutes="30")
    mock.advance(2 * HOUR)
    # 09:30 starts a job lasting 66 minutes; 10:00 and 10:30 find it running; 11:00 starts the next.
    assert await job_starts(mock, source) == ["2026-01-01T09:30:00Z", "2026-01-01T11:00:00Z"]


async def test_a_deleted_source_runs_no_more(instant):
    source = await configured_source(instant, frequency_in_minutes="30")
    assert (await instant.delete(f"/v4/sources/{source['id']}", token=TOKEN)).status == 200
    instant.advance(3 * HOUR)
    assert await job_starts(instant, source) == []
    assert [j for j in instant.state()["jobs"] if "stitch.source_schedule" in str(j)] == []


async def test_an_import_api_source_keeps_no_schedule(instant):
    """Data is pushed to an Import API source, never replicated from it: no schedule, no wait."""
    created = await instant.post("/v4/sources", {"type": "import_api", "display_name": "Import API"}, token=TOKEN)
    assert created.status == 200 and created.body["schedule"] is None
    assert [j for j in instant.state()["jobs"] if "stitch.source_schedule" in str(j)] == []
