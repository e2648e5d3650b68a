"""Portable flow runs over HTTP: trigger, status, run attempts, cancel, outcomes, modes and forcing.

A run is the `portable.flow_run` lifecycle: PENDING (2 s by default), RUNNING (8 s), then
NOT_RUNNING with SUCCEEDED or FAILED. The tests move the virtual clock through the control plane.
"""

from __future__ import annotations

import pytest

from portable_support import OTHER_TOKEN, RUN, TOKEN, advance, attempts, make_flow, make_source, status

NEVER_RAN = {"lifecycle": "NOT_RUNNING", "disposition": "NONE", "resources": None, "errors": None, "completedAt": None}
ATTEMPT_KEYS = ["id", "flow", "trigger", "lifecycle", "disposition", "resources", "errors", "completedAt", "createdAt"]
FRESHSALES_TABLES = ["contacts", "accounts", "deals", "sales_activities", "users"]


async def run(mock, flow_id, token=TOKEN):
    answer = await mock.post(f"/v2/flows/{flow_id}/run", token=token)
    assert (answer.status, answer.body) == (201, {"message": "Created"}), answer
    return answer


async def test_a_flow_that_never_ran(mock):
    flow = await make_flow(mock)
    assert await status(mock, flow["id"]) == {"id": flow["id"], **NEVER_RAN}
    assert await attempts(mock, flow["id"]) == []


async def test_a_run_walks_pending_running_then_succeeded(mock):
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    # Right after the trigger the status is the new run, as Shipyard's no-wait test expects.
    assert await status(mock, flow["id"]) == {"id": flow["id"], "lifecycle": "PENDING", "disposition": "NONE",
                                              "resources": None, "errors": None, "completedAt": None}
    await advance(mock, 2)
    assert (await status(mock, flow["id"]))["lifecycle"] == "RUNNING"
    await advance(mock, 8)
    done = await status(mock, flow["id"])
    assert (done["lifecycle"], done["disposition"], done["errors"]) == ("NOT_RUNNING", "SUCCEEDED", None)
    assert done["completedAt"] == "2026-01-01T09:00:10Z"
    assert [r["name"] for r in done["resources"]] == FRESHSALES_TABLES
    assert all(r["extracted"] == r["analyzed"] == r["loaded"] >= 0 and r["errors"] == [] for r in done["resources"])


async def test_run_attempts_record_each_run(mock):
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    (attempt,) = await attempts(mock, flow["id"])
    assert list(attempt) == ATTEMPT_KEYS
    assert attempt == {"id": 1200001, "flow": flow["id"], "trigger": "manual", "lifecycle": "PENDING",
                       "disposition": "NONE", "resources": [], "errors": None, "completedAt": None,
                       "createdAt": "2026-01-01T09:00:00Z"}
    await advance(mock, 10)
    (attempt,) = await attempts(mock, flow["id"])
    assert (attempt["lifecycle"], attempt["disposition"], attempt["completedAt"]) == (
        "NOT_RUNNING", "SUCCEEDED", "2026-01-01T09:00:10Z")
    assert [set(r) for r in attempt["resources"]] == [{"name", "extracted", "analyzed", "loaded"}] * 5


async def test_attempts_are_newest_first_unless_sorted_asc_and_page(mock):
    flow = await make_flow(mock)
    for _ in range(3):
        await run(mock, flow["id"])
        await advance(mock, 10)
    newest_first = [a["id"] for a in await attempts(mock, flow["id"])]
    assert newest_first == sorted(newest_first, reverse=True) and len(newest_first) == 3
    assert [a["id"] for a in await attempts(mock, flow["id"], sort="asc")] == newest_first[::-1]
    assert [a["id"] for a in await attempts(mock, flow["id"], limit="1", offset="1")] == newest_first[1:2]
    assert [a["id"] for a in await attempts(mock, flow["id"], sort="asc", limit="2")] == newest_first[:0:-1]
    assert await attempts(mock, flow["id"], offset="3") == []


async def test_status_follows_the_latest_attempt(mock):
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    await advance(mock, 10)
    await run(mock, flow["id"])
    assert (await status(mock, flow["id"]))["disposition"] == "NONE"  # not the previous SUCCEEDED


async def test_a_second_trigger_while_running_answers_400(mock):
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    before = mock.state()
    answer = await mock.post(f"/v2/flows/{flow['id']}/run", token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": f"flow {flow['id']} is already running"})
    assert mock.state() == before


async def test_cancel_ends_a_running_attempt_as_failed(mock):
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    await advance(mock, 3)
    answer = await mock.post(f"/v2/flows/{flow['id']}/cancel", token=TOKEN)
    assert (answer.status, answer.body) == (200, {"message": "OK"})
    done = await status(mock, flow["id"])
    assert (done["lifecycle"], done["disposition"], done["errors"]) == ("NOT_RUNNING", "FAILED", ["The flow run was cancelled"])
    assert done["completedAt"] == "2026-01-01T09:00:03Z"
    await advance(mock, 60)
    assert await status(mock, flow["id"]) == done  # the cancelled run's old steps do nothing
    await run(mock, flow["id"])  # and the flow can run again


async def test_cancel_without_a_run_changes_nothing(mock):
    flow = await make_flow(mock)
    before = mock.state()
    answer = await mock.post(f"/v2/flows/{flow['id']}/cancel", token=TOKEN)
    assert (answer.status, answer.body) == (200, {"message": "OK"})
    assert mock.state() == before
    await run(mock, flow["id"])
    await advance(mock, 10)
    finished = mock.state()
    assert (await mock.post(f"/v2/flows/{flow['id']}/cancel", token=TOKEN)).status == 200
    assert mock.state() == finished


@pytest.mark.parametrize(("side", "properties", "message"), [
    ("source", {"domain": "acme.invalid"}, 'Failed to connect to the source: could not resolve host "acme.invalid"'),
    ("source", {"api_key": "wrong-password"}, "Failed to connect to the source: authentication failed (API Key was rejected)"),
    ("destination", {"host": "db.invalid"}, 'Failed to connect to the destination: could not resolve host "db.invalid"'),
    ("destination", {"password": "wrong-password"},
     "Failed to connect to the destination: authentication failed (Password was rejected)"),
])
async def test_credentials_under_the_shared_failure_rules_fail_the_run(mock, side, properties, message):
    if side == "source":
        flow = await make_flow(mock, source=await make_source(mock, **properties))
    else:
        flow = await make_flow(mock, destination_properties=properties)
    await run(mock, flow["id"])
    await advance(mock, 10)
    done = await status(mock, flow["id"])
    assert (done["lifecycle"], done["disposition"], done["errors"], done["resources"]) == (
        "NOT_RUNNING", "FAILED", [message], None)
    (attempt,) = await attempts(mock, flow["id"])
    assert (attempt["disposition"], attempt["errors"], attempt["resources"]) == ("FAILED", [message], [])


async def test_fixing_the_source_makes_the_next_run_succeed(mock):
    source = await make_source(mock, api_key="wrong-password")
    flow = await make_flow(mock, source=source)
    await mock.patch(f"/v2/sources/{source['id']}", {"properties": {"api_key": "right"}}, token=TOKEN)
    await run(mock, flow["id"])
    await advance(mock, 10)
    assert (await status(mock, flow["id"]))["disposition"] == "SUCCEEDED"


async def test_a_forced_failure_applies_to_the_named_flow_once(mock):
    flow = await make_flow(mock)
    other = await make_flow(mock)
    forced = await mock.post(f"/__admin/lifecycles/{RUN}/force",
                             {"state": "FAILED", "message": "Quota exceeded", "token": TOKEN, "resource_id": flow["id"]})
    assert forced.status == 201
    await run(mock, other["id"])
    await run(mock, flow["id"])
    await advance(mock, 10)
    assert (await status(mock, other["id"]))["disposition"] == "SUCCEEDED"
    assert (await status(mock, flow["id"]))["errors"] == ["Quota exceeded"]
    await run(mock, flow["id"])
    await advance(mock, 10)
    assert (await status(mock, flow["id"]))["disposition"] == "SUCCEEDED"


async def test_a_forced_failure_without_a_message_says_the_source_failed(mock):
    flow = await make_flow(mock)
    await mock.post(f"/__admin/lifecycles/{RUN}/force", {"state": "FAILED", "token": TOKEN})
    await run(mock, flow["id"])
    await advance(mock, 10)
    assert (await status(mock, flow["id"]))["errors"] == ["Failed to connect to the source"]


async def test_a_forced_success_overrides_the_rules(mock):
    flow = await make_flow(mock, source=await make_source(mock, api_key="wrong-password"))
    await mock.post(f"/__admin/lifecycles/{RUN}/force", {"state": "SUCCEEDED", "resource_id": flow["id"]})
    await run(mock, flow["id"])
    await advance(mock, 10)
    done = await status(mock, flow["id"])
    assert (done["disposition"], done["errors"]) == ("SUCCEEDED", None)
    assert [r["name"] for r in done["resources"]] == FRESHSALES_TABLES


async def test_immediate_mode_finishes_within_the_trigger(mock):
    assert (await mock.put(f"/__admin/lifecycles/{RUN}", {"mode": "immediate"})).status == 200
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    assert (await status(mock, flow["id"]))["disposition"] == "SUCCEEDED"


async def test_manual_mode_holds_each_state_until_advanced(mock):
    await mock.put(f"/__admin/lifecycles/{RUN}", {"mode": "manual"})
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    await advance(mock, 3600)
    assert (await status(mock, flow["id"]))["lifecycle"] == "PENDING"
    await mock.post(f"/__admin/lifecycles/{RUN}/advance", {"resource_id": flow["id"]})
    assert (await status(mock, flow["id"]))["lifecycle"] == "RUNNING"
    await mock.post(f"/__admin/lifecycles/{RUN}/advance", {"resource_id": flow["id"]})
    assert (await status(mock, flow["id"]))["disposition"] == "SUCCEEDED"


async def test_delays_are_settable(mock):
    await mock.put(f"/__admin/lifecycles/{RUN}", {"delays": {"PENDING": 0, "RUNNING": 30}})
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    assert (await status(mock, flow["id"]))["lifecycle"] == "RUNNING"
    await advance(mock, 29)
    assert (await status(mock, flow["id"]))["lifecycle"] == "RUNNING"
    await advance(mock, 1)
    assert (await status(mock, flow["id"]))["lifecycle"] == "NOT_RUNNING"


async def test_the_lifecycles_are_listed_in_the_control_plane(mock):
    listed = {lc["name"]: lc for lc in (await mock.get("/__admin/lifecycles")).body["lifecycles"]}
    assert listed[RUN]["states"] == ["PENDING", "RUNNING"]
    assert listed[RUN]["outcomes"] == ["SUCCEEDED", "FAILED"]
    assert listed["portable.flow_schedule"]["repeat"] is True


async def test_deleting_a_running_flow_abandons_its_run(mock):
    flow = await make_flow(mock)
    await run(mock, flow["id"])
    assert (await mock.delete(f"/v2/flows/{flow['id']}", token=TOKEN)).status == 200
    await advance(mock, 10)  # its pending steps find nothing to move
    assert (await mock.get(f"/v2/flows/{flow['id']}/status", token=TOKEN)).status == 404


async def test_runs_of_another_organisation_are_unknown(mock):
    flow = await make_flow(mock)
    await mock.get("/v2/flows", token=OTHER_TOKEN)  # the other organisation exists
    before = mock.state()
    for method, path in (("POST", "run"), ("GET", "run"), ("GET", "status"), ("POST", "cancel")):
        answer = await mock.request(method, f"/v2/flows/{flow['id']}/{path}", token=OTHER_TOKEN)
        assert (answer.status, answer.body) == (404, {"message": "Not Found"})
    assert mock.state() == before


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "up"}, 'sort must be one of asc, desc, got "up"'),
    ({"limit": "0"}, "limit must be between 1 and 1000, got 0"),
    ({"limit": "1001"}, "limit must be between 1 and 1000, got 1001"),
    ({"offset": "-1"}, "offset must be 0 or more, got -1"),
    ({"limit": "ten"}, 'Invalid format for parameter limit: error binding string parameter: '
                       'strconv.ParseInt: parsing "ten": invalid syntax'),
])
async def test_bad_attempt_queries_answer_400(mock, params, message):
    flow = await make_flow(mock)
    before = mock.state()
    answer = await mock.get(f"/v2/flows/{flow['id']}/run", token=TOKEN, params=params)
    assert (answer.status, answer.body) == (400, {"message": message})
    assert mock.state() == before
