"""Census syncs over HTTP: create (checked as the vendor does), read, list, update, delete, cascades."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from yarl import URL

from census_support import BASE, BRAZE, OTHER, TOKEN, create as create_destination
from census_sync_support import create_model, create_source, sync_body, trigger, workspace

SYNC_KEYS = {
    "id", "label", "resource_identifier", "status", "created_at", "updated_at", "operation", "paused",
    "schedule_frequency", "schedule_day", "schedule_hour", "schedule_minute", "cron_expression", "source_attributes",
    "destination_attributes", "mappings", "triggers", "field_behavior", "field_normalization",
    "high_water_mark_attributes", "failed_run_notifications_enabled", "failed_record_notifications_enabled",
    "failed_record_notifications_threshold_percent",
}


@pytest.fixture
async def ws(make_mock: Any) -> dict[str, Any]:
    mock = await make_mock(check_delay=0)
    return {"mock": mock, **(await workspace(mock))}


async def test_create_answers_the_new_id_and_get_shows_the_sync(ws):
    mock = ws["mock"]
    assert ws["sync_id"] == 61  # the vendor's example id
    data = (await mock.get(f"{BASE}/syncs/61", token=TOKEN)).body["data"]
    assert set(data) == SYNC_KEYS
    assert data["label"] is None and data["resource_identifier"] == "sync_61" and data["status"] == "ready"
    assert data["operation"] == "upsert" and data["paused"] is False and data["schedule_frequency"] == "never"
    assert data["source_attributes"]["connection_id"] == ws["source"]["id"]
    assert data["source_attributes"]["object"] == ws["model"]
    assert data["destination_attributes"] == {"connection_id": ws["destination"]["id"], "object": "user", "lead_union_insert_to": None}
    assert data["mappings"][0] == {"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True,
                                   "generate_field": False, "preserve_values": False, "operation": None}
    assert data["failed_record_notifications_threshold_percent"] == 75


async def test_a_table_source_by_name_and_every_setting(ws):
    mock = ws["mock"]
    body = sync_body(ws["source"]["id"], ws["destination"]["id"], label="Users to Braze", schedule_frequency="expression",
                     cron_expression="0 * * * *", paused=True, field_normalization="snake_case")
    body["mappings"].append({"from": {"type": "constant_value", "data": {"value": "census", "basic_type": "text"}},
                             "to": "lifecycle_stage", "is_primary_identifier": False, "generate_field": True})
    answer = await mock.post(f"{BASE}/syncs", body, token=TOKEN)
    assert answer.status == 201, answer
    data = (await mock.get(f"{BASE}/syncs/{answer.body['data']['sync_id']}", token=TOKEN)).body["data"]
    assert data["source_attributes"]["object"]["type"] == "table" and data["source_attributes"]["object"]["table_name"] == "USERS"
    assert (data["label"], data["cron_expression"], data["paused"]) == ("Users to Braze", "0 * * * *", True)
    assert data["mappings"][-1]["generate_field"] is True


async def test_validate_only_checks_and_stores_nothing(ws):
    mock = ws["mock"]
    before = mock.state()
    body = sync_body(ws["source"]["id"], ws["destination"]["id"], ws["model"]["id"], validate_only=True)
    assert (await mock.post(f"{BASE}/syncs", body, token=TOKEN)).body == {"status": "success", "data": {}}
    assert mock.state() == before


async def test_list_pages_and_next_keeps_page_per_page_and_order(ws):
    mock = ws["mock"]
    for _ in range(4):
        await mock.post(f"{BASE}/syncs", sync_body(ws["source"]["id"], ws["destination"]["id"], ws["model"]["id"]), token=TOKEN)
    answer = await mock.get(f"{BASE}/syncs", token=TOKEN, params={"per_page": "2", "order": "asc"})
    assert [s["id"] for s in answer.body["data"]] == [61, 62]
    assert answer.body["pagination"] == {"total_records": 5, "per_page": 2, "prev_page": None, "page": 1, "next_page": 2, "last_page": 3}
    assert dict(URL(answer.body["next"]).query) == {"page": "2", "per_page": "2", "order": "asc"}
    newest = await mock.get(f"{BASE}/syncs", token=TOKEN, params={"page": "1", "per_page": "1"})
    assert newest.body["status"] == "success" and newest.body["data"][0]["id"] == 65
    assert (await mock.get(f"{BASE}/syncs", token=OTHER)).body["data"] == []


async def test_patch_changes_settings_and_mappings_but_not_the_ends(ws):
    mock = ws["mock"]
    mock.advance(30)
    mappings = [{"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True},
                {"from": {"type": "column", "data": "FIRST_NAME"}, "to": "first_name", "is_primary_identifier": False}]
    answer = await mock.patch(f"{BASE}/syncs/61", {"label": "Renamed", "paused": True, "mappings": mappings,
                                                   "operation": "upsert"}, token=TOKEN)
    assert answer.status == 200 and answer.body["status"] == "updated"
    data = answer.body["data"]
    assert (data["label"], data["paused"], data["updated_at"]) == ("Renamed", True, "2026-01-01T09:00:30.000Z")
    assert [m["to"] for m in data["mappings"]] == ["external_id", "first_name"]
    before = mock.state()
    for body, message in [
        ({"operation": "update"}, "The operation of a sync cannot be changed (it is upsert)"),
        ({"destination_attributes": {"connection_id": ws["destination"]["id"], "object": "event"}}, "The destination of a sync cannot be changed"),
        ({"source_attributes": {"connection_id": ws["source"]["id"], "object": {"type": "table", "id": 1}}}, "The source of a sync cannot be changed"),
        ({"mappings": [{"from": {"type": "column", "data": "NOPE"}, "to": "external_id", "is_primary_identifier": True}]},
         "Column NOPE does not exist in the source object"),
        ({"schedule_frequency": "expression"}, "cron_expression"),
    ]:
        refused = await mock.patch(f"{BASE}/syncs/61", body, token=TOKEN)
        assert refused.status == 400 and message in refused.body["message"], (body, refused)
    assert mock.state() == before


async def test_delete_removes_the_sync_and_its_runs(ws):
    mock = ws["mock"]
    run_id = await trigger(mock, 61)
    assert (await mock.delete(f"{BASE}/syncs/61", token=TOKEN)).body == {"status": "deleted"}
    assert (await mock.get(f"{BASE}/syncs/61", token=TOKEN)).status == 404
    assert (await mock.get(f"{BASE}/sync_runs/{run_id}", token=TOKEN)).status == 404
    assert (await mock.delete(f"{BASE}/syncs/61", token=TOKEN)).status == 404


async def test_deleting_the_destination_deletes_its_syncs(ws):
    mock = ws["mock"]
    assert (await mock.delete(f"{BASE}/destinations/{ws['destination']['id']}", token=TOKEN)).status == 200
    assert (await mock.get(f"{BASE}/syncs/61", token=TOKEN)).status == 404
    assert (await mock.get(f"{BASE}/sources/{ws['source']['id']}", token=TOKEN)).status == 200


def bad(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`body` with one value replaced (path: keys and indexes); `...` deletes the key."""
    changed = copy.deepcopy(body)
    target = changed
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is ...:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return changed


BAD_SYNCS = [
    ("operation", "delete", "operation"),
    ("operation", ..., "operation"),
    ("mappings", [], "mappings"),
    ("mappings.0.is_primary_identifier", False, "mappings"),
    ("mappings.1.is_primary_identifier", True, "mappings"),
    ("mappings.0.from", {"type": "column"}, "from"),
    ("mappings.0.from", {"type": "constant_value", "data": {"value": "x", "basic_type": "emoji"}}, "from"),
    ("source_attributes.object", {"type": "model"}, "object"),
    ("source_attributes.object", {"type": "table", "table_name": "USERS"}, "object"),
    ("source_attributes.connection_id", "4", "connection_id"),
    ("schedule_hour", 25, "schedule_hour"),
    ("failed_record_notifications_threshold_percent", 101, "failed_record_notifications_threshold_percent"),
    ("schedule_frequency", "expression", "cron_expression"),
    ("source_attributes.connection_id", 999, "Source connection 999 was not found in this workspace"),
    ("destination_attributes.connection_id", 999, "Destination connection 999 was not found in this workspace"),
    ("source_attributes.object", {"type": "model", "id": 999}, "Model 999 was not found on source 4"),
    ("source_attributes.object", {"type": "model", "name": "Nope"}, "Model Nope was not found on source 4"),
    ("source_attributes.object", {"type": "table", "id": 99}, "Table 99 was not found on source 4"),
    ("source_attributes.object", {"type": "table", "table_catalog": "ANALYTICS", "table_schema": "PUBLIC", "table_name": "NOPE"},
     "Table ANALYTICS.PUBLIC.NOPE was not found on source 4"),
    ("source_attributes.filter_segment_id", 5, "Segment 5 was not found on source 4"),
    ("destination_attributes.object", "subscription", "Destination object subscription was not found on destination 12"),
    ("operation", "mirror", "Operation mirror is not supported by user (supported: insert, update, upsert)"),
    ("mappings.0.to", "braze_id", "Field braze_id cannot be the primary identifier of an upsert sync to user"),
    ("mappings.1.to", "external_id", "Field external_id is mapped more than once"),
    ("mappings.1.to", "favourite_colour", "Field favourite_colour does not exist on user; set generate_field to create it"),
    ("mappings.1.from.data", "PHONE", "Column PHONE does not exist in the source object"),
]


@pytest.mark.parametrize("path,value,message", BAD_SYNCS)
async def test_bad_syncs_are_refused_and_change_nothing(ws, path, value, message):
    mock = ws["mock"]
    body = bad(sync_body(ws["source"]["id"], ws["destination"]["id"], ws["model"]["id"]), path, value)
    before = mock.state()
    answer = await mock.post(f"{BASE}/syncs", body, token=TOKEN)
    assert answer.status == 400 and answer.body["status"] == "error", answer
    assert message in answer.body["message"]
    assert mock.state() == before


async def test_another_workspaces_connections_are_not_found(ws):
    mock = ws["mock"]
    theirs = await create_source(mock, token=OTHER)
    their_model = await create_model(mock, theirs["id"], token=OTHER)
    their_destination = await create_destination(mock, "braze", dict(BRAZE), token=OTHER)
    before = mock.state()
    for body in (sync_body(theirs["id"], ws["destination"]["id"], their_model["id"]),
                 sync_body(ws["source"]["id"], their_destination["id"], ws["model"]["id"]),
                 sync_body(ws["source"]["id"], ws["destination"]["id"], their_model["id"])):
        answer = await mock.post(f"{BASE}/syncs", body, token=TOKEN)
        assert answer.status == 400 and "was not found" in answer.body["message"]
    for method in ("GET", "DELETE"):
        assert (await mock.request(method, f"{BASE}/syncs/61", token=OTHER)).body == {"status": 404}
    assert (await mock.patch(f"{BASE}/syncs/61", {"label": "x"}, token=OTHER)).status == 404
    assert mock.state() == before


async def test_generated_fields_need_an_object_that_allows_custom_fields(make_mock):
    mock = await make_mock(check_delay=0)
    source = await create_source(mock)
    klaviyo = await create_destination(mock, "klaviyo", {"api_key": "pk_0123456789"})
    body = {"operation": "mirror", "source_attributes": {"connection_id": source["id"], "object": {"type": "table", "id": 1}},
            "destination_attributes": {"connection_id": klaviyo["id"], "object": "list_membership"},
            "mappings": [{"from": {"type": "column", "data": "EMAIL"}, "to": "email", "is_primary_identifier": True},
                         {"from": {"type": "column", "data": "PLAN"}, "to": "plan", "is_primary_identifier": False,
                          "generate_field": True}]}
    before = mock.state()
    answer = await mock.post(f"{BASE}/syncs", body, token=TOKEN)
    assert answer.status == 400
    assert answer.body["message"] == "list_membership does not allow custom fields, so plan cannot be generated"
    assert mock.state() == before
    body["mappings"].pop()
    assert (await mock.post(f"{BASE}/syncs", body, token=TOKEN)).status == 201
