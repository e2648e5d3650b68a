"""`--demo` for Stitch: sources at every report-card step and a job history, made through the API."""

from __future__ import annotations

import pytest

from mockserver.demo import load_demo
from mockserver.demo.stitch import TEAM


@pytest.mark.parametrize("check_delay", [0, 2])
async def test_demo_sources_cover_every_step_and_jobs_have_a_history(make_mock, check_delay):
    mock = await make_mock(demo=True, check_delay=check_delay, refresh_delay=0)
    await load_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    sources = {s["name"]: s for s in (await mock.get("/v4/sources", token=TEAM)).body}
    steps = {s["report_card"]["current_step_type"] for s in sources.values()}
    assert steps == {"form", "oauth", "discover_schema", "field_selection", "fully_configured"}
    assert sources["stripe"]["paused_at"] is not None and sources["github"]["deleted_at"] is not None
    assert (await mock.get(f"/v4/sources/{sources['import_api']['id']}/tokens", token=TEAM)).body != []
    client = sources["recurly"]["stitch_client_id"]
    mock.advance(2 * check_delay)  # the running job (Mixpanel) ends
    extractions = {e["source_id"]: e for e in (await mock.get(f"/v4/{client}/extractions", token=TEAM)).body["data"]}
    assert extractions[sources["mixpanel"]["id"]]["tap_exit_status"] == 0
    if check_delay == 0:  # the control plane was open: a history with a failure
        assert extractions[sources["recurly"]["id"]]["tap_exit_status"] == 0
        assert extractions[sources["shopify"]["id"]]["tap_exit_status"] == 1
    loads = (await mock.get(f"/v4/{client}/loads", token=TEAM)).body["data"]
    assert {l["source_name"] for l in loads} >= {"mixpanel"}
    assert (await mock.get("/notifications/public/v1/api/hooks", token=TEAM)).body["post_load"] != []
