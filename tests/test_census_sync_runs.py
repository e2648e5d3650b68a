"""Census trigger and sync runs over HTTP: the census.sync_run lifecycle, counts, failures, cancel."""

from __future__ import annotations

import json
from typing import Any

import pytest

from census_support import BASE, BRAZE, OTHER, TOKEN
from census_sync_support import SNOWFLAKE, USERS_ROWS, create_model, run_of, sync_body, trigger, workspace

LIFECYCLE = "census.sync_run"
COUNTS = ("source_record_count", "records_processed", "records_updated", "records_failed", "records_invalid")


@pytest.fixture
async def ws(make_mock: Any) -> dict[str, Any]:
    """Connection tests finish at once (check delay 0); runs keep the default pace of a 2 s check delay."""
    mock = await make_mock(check_delay=0)
    await admin(mock, "PUT", f"/lifecycles/{LIFECYCLE}", {"delays": {"queued": 1, "working": 2}})
    return {"mock": mock, **(await workspace(mock))}


async def admin(mock: Any, method: str, path: str, body: Any = None) -> Any:
    answer = await mock.request(method, "/__admin" + path, json_body=body if body is not None else {}, check=False)
    assert answer.status < 300, answer
    return answer.body


async def test_a_run_walks_queued_working_completed_on_the_clock(ws):
    mock = ws["mock"]
    answer = await mock.post(f"{BASE}/syncs/61/trigger", token=TOKEN)
    assert answer.body == {"status": "success", "data": {"sync_run_id": 94}}
    queued = await run_of(mock, 94)
    assert queued["status"] == "queued" and queued["current_step"] == "Checking source and destination configuration"
    assert all(queued[k] is None for k in COUNTS) and queued["completed_at"] is None
    assert queued["sync_trigger_reason"] == {"ui_tag": "API", "ui_detail": "Triggered through the API"}
    mock.advance(1)
    working = await run_of(mock, 94)
    assert working["status"] == "working" and working["current_step"] == "Loading data into destination service"
    mock.advance(2)
    done = await run_of(mock, 94)
    assert done["status"] == "completed" and "current_step" not in done
    assert {k: done[k] for k in COUNTS} == {"source_record_count": USERS_ROWS, "records_processed": USERS_ROWS,
                                            "records_updated": USERS_ROWS, "records_failed": 0, "records_invalid": 0}
    assert done["completed_at"] == "2026-01-01T09:00:03.000Z" and done["full_sync"] is True and done["canceled"] is False
    assert (await mock.get(f"{BASE}/syncs/61", token=TOKEN)).body["data"]["status"] == "up to date"


async def test_force_full_sync_from_query_body_or_nothing(ws):
    mock = ws["mock"]
    await admin(mock, "PUT", f"/lifecycles/{LIFECYCLE}", {"mode": "immediate"})
    first = await run_of(mock, await trigger(mock, 61))  # no body, no content type (Airflow)
    assert first["full_sync"] is True  # the first run is always full
    incremental = await run_of(mock, await trigger(mock, 61, data=json.dumps({"force_full_sync": False}),
                                                   headers={"Content-Type": "application/json;version=2"}))  # dagster
    assert incremental["full_sync"] is False and incremental["records_processed"] == 0
    forced = await run_of(mock, await trigger(mock, 61, data=json.dumps({"force_full_sync": True}),
                                              headers={"Content-Type": "application/json;version=2"}))
    assert forced["full_sync"] is True and forced["records_processed"] == USERS_ROWS
    query = await run_of(mock, await trigger(mock, 61, params={"force_full_sync": "true"}))  # prefect
    assert query["full_sync"] is True
    both = await run_of(mock, await trigger(mock, 61, params={"force_full_sync": "false"},
                                            data=json.dumps({"force_full_sync": True}), headers={"Content-Type": "application/json"}))
    assert both["full_sync"] is False  # the query wins, as in Rails' merged params


async def test_a_trigger_while_a_run_is_in_flight_is_skipped(ws):
    mock = ws["mock"]
    first = await trigger(mock, 61)
    second = await run_of(mock, await trigger(mock, 61))
    assert second["status"] == "skipped" and all(second[k] is None for k in COUNTS) and "current_step" not in second
    mock.advance(5)
    assert (await run_of(mock, first))["status"] == "completed"
    assert (await run_of(mock, second["id"]))["status"] == "skipped"
    runs = await mock.get(f"{BASE}/syncs/61/sync_runs", token=TOKEN)
    assert [r["id"] for r in runs.body["data"]] == [second["id"], first]  # newest first
    latest = await mock.get(f"{BASE}/syncs/61/sync_runs", token=TOKEN, params={"per_page": "1", "order": "asc"})
    assert [r["id"] for r in latest.body["data"]] == [first]


async def test_row_counts_follow_the_source_object(ws):
    mock = ws["mock"]
    await admin(mock, "PUT", f"/lifecycles/{LIFECYCLE}", {"mode": "immediate"})
    limited = await create_model(mock, ws["source"]["id"], "First hundred", "select ID, EMAIL from USERS limit 100")
    body = sync_body(ws["source"]["id"], ws["destination"]["id"], limited["id"])
    sync_id = (await mock.post(f"{BASE}/syncs", body, token=TOKEN)).body["data"]["sync_id"]
    assert (await run_of(mock, await trigger(mock, sync_id)))["source_record_count"] == 100
    table = await mock.post(f"{BASE}/syncs", sync_body(ws["source"]["id"], ws["destination"]["id"]), token=TOKEN)
    run = await run_of(mock, await trigger(mock, table.body["data"]["sync_id"]))
    assert run["source_record_count"] == USERS_ROWS
    # The control plane's state document sets a model's row count; an incremental run processes the growth.
    state = await admin(mock, "GET", "/state")
    for tenant in state["vendors"]["census"]["tenants"].values():
        for model in tenant["collections"].get("models", []):
            if model["id"] == limited["id"]:
                model["row_count"] = 130
    await admin(mock, "PUT", "/state", state)
    grown = await run_of(mock, await trigger(mock, sync_id))
    assert (grown["source_record_count"], grown["records_processed"], grown["full_sync"]) == (130, 30, False)


async def test_a_forced_outcome_sets_the_counts_or_the_error(ws):
    mock = ws["mock"]
    await admin(mock, "PUT", f"/lifecycles/{LIFECYCLE}", {"mode": "immediate"})
    await admin(mock, "POST", f"/lifecycles/{LIFECYCLE}/force", {"state": "completed", "data": {"records_failed": 7, "records_invalid": 3}})
    run = await run_of(mock, await trigger(mock, 61))
    assert (run["records_processed"], run["records_updated"], run["records_failed"], run["records_invalid"]) == (USERS_ROWS, USERS_ROWS - 10, 7, 3)
    await admin(mock, "POST", f"/lifecycles/{LIFECYCLE}/force", {"state": "failed", "message": "The array field being used does not appear to be valid JSON",
                                                                  "data": {"error_code": "JSON_ARRAY_ERROR", "error_detail": "Make it an array"}})
    failed = await run_of(mock, await trigger(mock, 61))
    assert failed["status"] == "failed" and failed["current_step"] == "Running sync"
    assert (failed["error_code"], failed["error_message"], failed["error_detail"]) == (
        "JSON_ARRAY_ERROR", "The array field being used does not appear to be valid JSON", "Make it an array")
    assert failed["source_record_count"] == USERS_ROWS and failed["records_processed"] is None and failed["completed_at"] is None
    assert (await mock.get(f"{BASE}/syncs/61", token=TOKEN)).body["data"]["status"] == "failing"


@pytest.mark.parametrize("side", ["source", "destination"])
async def test_a_connection_whose_last_test_failed_fails_the_run(make_mock, side):
    mock = await make_mock()
    if side == "destination":
        ws = await workspace(mock, destination={**BRAZE, "api_key": "wrong-password"})
    else:
        ws = await workspace(mock)
        await mock.patch(f"{BASE}/sources/{ws['source']['id']}", {"connection": {"credentials": {**SNOWFLAKE, "account": "gone.invalid"}}}, token=TOKEN)
    mock.advance(2)  # the connection tests end
    run_id = await trigger(mock, ws["sync_id"])
    mock.advance(5)
    run = await run_of(mock, run_id)
    assert run["status"] == "failed" and run["error_code"] == f"{side.upper()}_CONNECTION_FAILED"
    assert run["current_step"] == "Checking source and destination configuration"
    assert run["error_detail"].startswith(f"The {side}'s last connection test failed: Verify ")


async def test_cancel_ends_a_run_failed_and_canceled(ws):
    mock = ws["mock"]
    await admin(mock, "PUT", f"/lifecycles/{LIFECYCLE}", {"mode": "manual"})
    run_id = await trigger(mock, 61)
    await admin(mock, "POST", f"/lifecycles/{LIFECYCLE}/advance", {"resource_id": run_id})
    assert (await run_of(mock, run_id))["status"] == "working"
    answer = await mock.post(f"{BASE}/sync_runs/{run_id}/cancel", token=TOKEN)
    assert answer.body == {"status": "cancelled", "data": {}}
    run = await run_of(mock, run_id)
    assert (run["status"], run["canceled"], run["error_code"]) == ("failed", True, "SYNC_CANCELED")
    assert run["current_step"] == "Loading data into destination service"
    assert (await mock.get(f"{BASE}/syncs/61", token=TOKEN)).body["data"]["status"] == "ready"  # a cancel is not a failure
    before = mock.state()
    again = await mock.post(f"{BASE}/sync_runs/{run_id}/cancel", token=TOKEN)
    assert again.status == 400 and again.body["message"] == f"Sync run {run_id} is not running (it is failed)"
    assert mock.state() == before


async def test_bad_triggers_and_unknown_runs_change_nothing(ws):
    mock = ws["mock"]
    run_id = await trigger(mock, 61)
    before = mock.state()
    cases = [
        ("POST", "/syncs/999/trigger", {}, 404, {"status": 404}),
        ("POST", "/syncs/abc/trigger", {}, 404, {"status": 404}),
        ("POST", "/syncs/61/trigger", {"params": {"force_full_sync": "yes"}}, 400,
         {"status": "error", "message": "invalid value for query parameter force_full_sync"}),
        ("POST", "/syncs/61/trigger", {"data": "{", "headers": {"Content-Type": "application/json"}}, 400, None),
        ("POST", "/syncs/61/trigger", {"data": json.dumps({"force_full_sync": "yes"}), "headers": {"Content-Type": "application/json"}}, 400, None),
        ("GET", "/sync_runs/999", {}, 404, {"status": 404}),
        ("POST", "/sync_runs/999/cancel", {}, 404, {"status": 404}),
        ("GET", "/syncs/999/sync_runs", {}, 404, {"status": 404}),
        ("GET", "/syncs/61/sync_runs", {"params": {"page": "x"}}, 400, None),
    ]
    for method, path, kw, status, body in cases:
        answer = await mock.request(method, BASE + path, token=TOKEN, **kw)
        assert answer.status == status, (path, answer)
        if body is not None:
            assert answer.body == body
    for path in (f"/sync_runs/{run_id}", "/syncs/61/sync_runs"):
        assert (await mock.get(BASE + path, token=OTHER)).status == 404
    assert (await mock.post(f"{BASE}/syncs/61/trigger", token=OTHER)).status == 404
    assert mock.state() == before


async def test_paused_syncs_and_full_appends_cannot_be_triggered(ws):
    mock = ws["mock"]
    await mock.patch(f"{BASE}/syncs/61", {"paused": True}, token=TOKEN)
    before = mock.state()
    paused = await mock.post(f"{BASE}/syncs/61/trigger", token=TOKEN)
    assert paused.body == {"status": "error", "message": "Sync 61 is paused; unpause it to trigger a run"}
    assert mock.state() == before
    braze_event = sync_body(ws["source"]["id"], ws["destination"]["id"], ws["model"]["id"], operation="insert")
    braze_event["destination_attributes"]["object"] = "event"
    braze_event["mappings"] = [{"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True}]
    assert (await mock.post(f"{BASE}/syncs", braze_event, token=TOKEN)).status == 201
    deleted = await mock.post(f"{BASE}/syncs", {**sync_body(ws["source"]["id"], ws["destination"]["id"], ws["model"]["id"])}, token=TOKEN)
    sync_id = deleted.body["data"]["sync_id"]
    await mock.delete(f"{BASE}/syncs/{sync_id}", token=TOKEN)
    assert (await mock.post(f"{BASE}/syncs/{sync_id}/trigger", token=TOKEN)).status == 404


async def test_full_sync_of_an_append_sync_is_refused(make_mock):
    mock = await make_mock(check_delay=0)
    ws = await workspace(mock)
    sheets = (await mock.post(f"{BASE}/destinations", {"service_connection": {"type": "google_sheets"}}, token=TOKEN)).body["data"]
    body = {"operation": "append", "source_attributes": {"connection_id": ws["source"]["id"], "object": {"type": "table", "id": 1}},
            "destination_attributes": {"connection_id": sheets["id"], "object": "customer_export.Sheet1"},
            "mappings": [{"from": {"type": "column", "data": "EMAIL"}, "to": "Email", "is_primary_identifier": True}]}
    sync_id = (await mock.post(f"{BASE}/syncs", body, token=TOKEN)).body["data"]["sync_id"]
    before = mock.state()
    answer = await mock.post(f"{BASE}/syncs/{sync_id}/trigger", token=TOKEN, params={"force_full_sync": "true"})
    assert answer.body == {"status": "error", "message": "Append syncs do not support full syncs"}
    assert mock.state() == before
    assert (await mock.post(f"{BASE}/syncs/{sync_id}/trigger", token=TOKEN)).status == 200


async def test_runs_are_listed_by_the_control_plane_and_survive_a_state_round_trip(ws):
    mock = ws["mock"]
    run_id = await trigger(mock, 61)
    described = await admin(mock, "GET", f"/lifecycles/{LIFECYCLE}")
    assert described["states"] == ["queued", "working"] and described["outcomes"] == ["completed", "failed"]
    assert [r["record_id"] for r in described["runs"]] == [run_id]
    state = await admin(mock, "GET", "/state")
    await admin(mock, "PUT", "/state", state)
    mock.advance(5)
    assert (await run_of(mock, run_id))["status"] == "completed"


async def test_a_model_reading_a_missing_table_fails_its_run(ws):
    mock = ws["mock"]
    await admin(mock, "PUT", f"/lifecycles/{LIFECYCLE}", {"mode": "immediate"})
    model = await create_model(mock, ws["source"]["id"], "Churn risk", "select * from MARTS.CHURN_SCORES")
    assert model["columns"] == []  # saved without running it, as Census does
    body = sync_body(ws["source"]["id"], ws["destination"]["id"], model["id"])
    sync_id = (await mock.post(f"{BASE}/syncs", body, token=TOKEN)).body["data"]["sync_id"]
    run = await run_of(mock, await trigger(mock, sync_id))
    assert (run["status"], run["error_code"], run["current_step"]) == ("failed", "WAREHOUSE_QUERY_ERROR", "Unloading data from warehouse")
    assert run["error_message"] == "SQL compilation error: Object 'MARTS.CHURN_SCORES' does not exist or not authorized."
    await mock.patch(f"{BASE}/sources/{ws['source']['id']}/models/{model['id']}", {"query": "select ID, EMAIL from MARTS.USER_SCORES"}, token=TOKEN)
    fixed = await run_of(mock, await trigger(mock, sync_id))
    assert fixed["status"] == "completed" and fixed["source_record_count"] == 1180
    constant = await create_model(mock, ws["source"]["id"], "One row", "select 1 as ID, 'a@example.com' as EMAIL")
    body = sync_body(ws["source"]["id"], ws["destination"]["id"], constant["id"])
    one = (await mock.post(f"{BASE}/syncs", body, token=TOKEN)).body["data"]["sync_id"]
    assert (await run_of(mock, await trigger(mock, one)))["source_record_count"] == 1
