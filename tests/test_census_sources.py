"""Census source types and sources over HTTP: shapes, connection tests, secrets, cascades, bad input."""

from __future__ import annotations

import pytest

from census_support import BASE, OTHER, TOKEN
from census_sync_support import (
    SNOWFLAKE, VALID_SOURCE_CREDENTIALS, create_model, create_source, source_body, trigger, workspace,
)

SOURCE_KEYS = {"id", "name", "label", "type", "created_at", "last_test_results", "last_test_succeeded",
               "last_tested_at", "connection_details", "read_only_connection"}
PASSED = {"steps": [{"step": "Verify connectivity", "status": "success"}, {"step": "Verify credentials", "status": "success"},
                    {"step": "Verify permissions", "status": "success"}]}


async def test_source_types_are_the_warehouses_with_their_configuration_fields(mock):
    answer = await mock.get(f"{BASE}/source_types", token=TOKEN, params={"order": "asc"})
    names = [t["service_name"] for t in answer.body["data"]]
    assert names == ["snowflake", "redshift", "big_query", "postgres", "databricks"]
    snowflake = answer.body["data"][0]
    assert snowflake["supported_sync_engines"] == ["advanced", "basic"] and snowflake["creatable_via_api"] is True
    password = next(f for f in snowflake["configuration_fields"]["fields"] if f["id"] == "password")
    assert password["is_password_type_field"] is True
    one = await mock.get(f"{BASE}/source_types/redshift", token=TOKEN)
    assert one.body["data"]["label"] == "Redshift"
    missing = await mock.get(f"{BASE}/source_types/oracle", token=TOKEN)
    assert (missing.status, missing.body) == (404, {"status": 404})


@pytest.mark.parametrize("type_name", sorted(VALID_SOURCE_CREDENTIALS))
async def test_every_source_type_can_be_created_and_hides_its_secrets(make_mock, type_name):
    mock = await make_mock(check_delay=0)
    answer = await mock.post(f"{BASE}/sources", source_body(type_name), token=TOKEN)
    assert answer.status == 201 and answer.body["status"] == "created"
    data = answer.body["data"]
    assert set(data) == SOURCE_KEYS
    assert data["type"] == type_name and data["label"] is None and data["read_only_connection"] is False
    assert data["last_test_succeeded"] is True and data["last_test_results"] == PASSED
    assert not {"password", "access_token", "private_key", "service_account_key"} & set(data["connection_details"])


async def test_name_label_and_details(make_mock):
    mock = await make_mock(check_delay=0)
    data = await create_source(mock, label="Acme Inc. Snowflake", read_only_connection=True)
    assert data["id"] == 4  # the vendor's example id
    assert data["name"] == "Snowflake - xy12345.us-east-1" and data["label"] == "Acme Inc. Snowflake"
    assert data["connection_details"] == {"account": "xy12345.us-east-1", "warehouse": "COMPUTE_WH", "user": "CENSUS"}
    assert data["read_only_connection"] is True
    bq = await create_source(mock, "big_query")
    assert bq["connection_details"]["service_account"].endswith("@census-warehouse.iam.gserviceaccount.com")
    assert (await mock.get(f"{BASE}/sources/{data['id']}", token=TOKEN)).body == {"status": "success", "data": data}


async def test_the_connection_test_runs_on_the_clock(mock):
    data = await create_source(mock)
    assert data["last_test_succeeded"] is None
    assert data["last_test_results"] == {"steps": [{"step": "Verify connectivity", "status": "running"}]}
    mock.advance(2)
    after = (await mock.get(f"{BASE}/sources/{data['id']}", token=TOKEN)).body["data"]
    assert after["last_test_succeeded"] is True and after["last_tested_at"] == "2026-01-01T09:00:02Z"


async def test_connection_test_failures_follow_the_shared_rules(make_mock):
    mock = await make_mock(check_delay=0)
    dns = await create_source(mock, credentials={**SNOWFLAKE, "account": "nowhere.invalid"})
    assert dns["last_test_succeeded"] is False
    assert dns["last_test_results"]["steps"] == [{"step": "Verify connectivity", "status": "failed", "error": {
        "message": "Could not connect to Snowflake: unable to resolve host nowhere.invalid"}}]
    auth = await create_source(mock, credentials={**SNOWFLAKE, "password": "wrong-password"})
    assert auth["last_test_results"]["steps"][-1] == {"step": "Verify credentials", "status": "failed", "error": {
        "message": "Snowflake rejected the credentials: invalid Password"}}


async def test_patch_relabels_and_retests_on_new_credentials(mock):
    data = await create_source(mock)
    mock.advance(2)
    relabel = await mock.patch(f"{BASE}/sources/{data['id']}", {"connection": {"label": "Warehouse"}}, token=TOKEN)
    assert relabel.status == 200 and relabel.body["status"] == "updated"
    assert relabel.body["data"]["label"] == "Warehouse" and relabel.body["data"]["last_test_succeeded"] is True
    moved = await mock.patch(f"{BASE}/sources/{data['id']}", {"connection": {
        "type": "snowflake", "credentials": {"account": "ab98765.eu-west-1", "password": "wrong-password"}}}, token=TOKEN)
    shown = moved.body["data"]
    assert shown["name"] == "Snowflake - ab98765.eu-west-1" and shown["last_test_succeeded"] is None
    assert shown["connection_details"]["warehouse"] == "COMPUTE_WH"  # merged, not replaced
    mock.advance(2)
    assert (await mock.get(f"{BASE}/sources/{data['id']}", token=TOKEN)).body["data"]["last_test_succeeded"] is False


async def test_list_is_paginated_newest_first(mock):
    ids = [(await create_source(mock))["id"] for _ in range(3)]
    answer = await mock.get(f"{BASE}/sources", token=TOKEN, params={"per_page": "2"})
    assert [s["id"] for s in answer.body["data"]] == ids[::-1][:2]
    assert answer.body["pagination"]["last_page"] == 2
    assert (await mock.get(f"{BASE}/sources", token=OTHER)).body["data"] == []


async def test_delete_takes_the_models_syncs_and_runs_with_it(make_mock):
    mock = await make_mock(check_delay=0)
    ws = await workspace(mock)
    run_id = await trigger(mock, ws["sync_id"])
    source_id = ws["source"]["id"]
    assert (await mock.delete(f"{BASE}/sources/{source_id}", token=TOKEN)).body == {"status": "deleted"}
    for path in (f"/sources/{source_id}", f"/sources/{source_id}/models/{ws['model']['id']}",
                 f"/syncs/{ws['sync_id']}", f"/sync_runs/{run_id}"):
        gone = await mock.get(BASE + path, token=TOKEN)
        assert (gone.status, gone.body) == (404, {"status": 404}), path
    assert (await mock.get(f"{BASE}/destinations/{ws['destination']['id']}", token=TOKEN)).status == 200
    mock.advance(10)  # the deleted run's pending steps find nothing and do nothing
    assert (await mock.get(f"{BASE}/syncs", token=TOKEN)).body["data"] == []


async def test_the_journal_masks_source_passwords(mock):
    await create_source(mock, credentials={**SNOWFLAKE, "password": "hunter2-secret"})
    entries = mock.engine.journal
    body = [e for e in entries if e.path == f"{BASE}/sources"][-1].request_body
    assert body["connection"]["credentials"]["password"] != "hunter2-secret"
    assert body["connection"]["credentials"]["account"] == "xy12345.us-east-1"


BAD_CREATES = [
    ({}, 400, "connection"),
    ({"connection": {"credentials": {}}}, 400, "type"),
    ({"connection": {"type": "oracle", "credentials": {}}}, 400, "Invalid source type: oracle"),
    ({"connection": {"type": "snowflake", "credentials": {"account": "x"}}}, 400,
     "Missing required credentials for snowflake: warehouse, user"),
    ({"connection": {"type": "redshift", "credentials": {**VALID_SOURCE_CREDENTIALS["redshift"], "port": "five"}}}, 400,
     "Invalid credentials for redshift: port must be an integer"),
    ({"connection": {"type": "snowflake", "credentials": SNOWFLAKE, "read_only_connection": "yes"}}, 400, "read_only_connection"),
    ({"connection": {"type": "snowflake", "credentials": "secret"}}, 400, "credentials"),
]


@pytest.mark.parametrize("body,status,message", BAD_CREATES)
async def test_bad_creates_are_refused_and_change_nothing(mock, body, status, message):
    await create_source(mock)
    before = mock.state()
    answer = await mock.post(f"{BASE}/sources", body, token=TOKEN)
    assert answer.status == status and answer.body["status"] == "error"
    assert message in answer.body["message"]
    assert mock.state() == before


async def test_bad_updates_and_unknown_ids_change_nothing(mock):
    data = await create_source(mock)
    before = mock.state()
    for path, body, status in [
        (f"/sources/{data['id']}", {"connection": {"type": "redshift"}}, 400),
        (f"/sources/{data['id']}", {"connection": {"credentials": {"port": 1}, "label": 3}}, 400),
        (f"/sources/{data['id']}", {"label": "no connection"}, 400),
        ("/sources/999", {"connection": {"label": "x"}}, 404),
        ("/sources/abc", {"connection": {"label": "x"}}, 404),
    ]:
        answer = await mock.patch(BASE + path, body, token=TOKEN)
        assert answer.status == status, (path, answer)
    other = await mock.patch(f"{BASE}/sources/{data['id']}", {"connection": {"label": "x"}}, token=OTHER)
    assert (other.status, other.body) == (404, {"status": 404})
    for path in (f"/sources/{data['id']}", f"/sources/{data['id']}/objects"):
        assert (await mock.get(BASE + path, token=OTHER)).status == 404
    assert (await mock.delete(f"{BASE}/sources/{data['id']}", token=OTHER)).status == 404
    assert (await mock.delete(f"{BASE}/sources/999", token=TOKEN)).status == 404
    type_change = await mock.patch(f"{BASE}/sources/{data['id']}", {"connection": {"type": "redshift"}}, token=TOKEN)
    assert type_change.body["message"] == "The type of a source cannot be changed (it is snowflake)"
    assert mock.state() == before
    assert (await mock.get(f"{BASE}/sources/{data['id']}", token=TOKEN)).body["data"]["label"] is None


async def test_another_workspace_cannot_read_a_model(mock):
    data = await create_source(mock)
    model = await create_model(mock, data["id"])
    answer = await mock.get(f"{BASE}/sources/{data['id']}/models/{model['id']}", token=OTHER)
    assert (answer.status, answer.body) == (404, {"status": 404})
