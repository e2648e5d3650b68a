"""Census source objects (tables, models) and SQL models over HTTP: columns from the query, bad input."""

from __future__ import annotations

import pytest

from census_support import BASE, OTHER, TOKEN
from census_sync_support import USERS_QUERY, create_model, create_source, workspace

MODEL_KEYS = {"type", "id", "name", "description", "query", "created_at", "updated_at", "compiled_query", "columns"}


async def test_objects_are_the_tables_then_the_models(mock):
    source = await create_source(mock)
    tables = await mock.get(f"{BASE}/sources/{source['id']}/objects", token=TOKEN, params={"order": "asc"})
    assert tables.body["pagination"]["total_records"] == 6
    users = tables.body["data"][0]
    assert users == {"type": "table", "id": 1, "table_catalog": "ANALYTICS", "table_schema": "PUBLIC", "table_name": "USERS",
                     "columns": users["columns"]}
    assert users["columns"][:2] == [{"name": "ID", "type": "NUMBER(38,0)"}, {"name": "EMAIL", "type": "VARCHAR(16777216)"}]
    model = await create_model(mock, source["id"])
    newest = await mock.get(f"{BASE}/sources/{source['id']}/objects", token=TOKEN, params={"per_page": "1"})
    assert newest.body["data"] == [model] and newest.body["pagination"]["last_page"] == 7


async def test_create_model_reads_its_columns_from_the_query(mock):
    source = await create_source(mock)
    answer = await mock.post(f"{BASE}/sources/{source['id']}/models",
                             {"name": "Active users", "query": USERS_QUERY, "description": "Signed in this week"}, token=TOKEN)
    assert answer.status == 201 and answer.body["status"] == "created"
    data = answer.body["data"]
    assert set(data) == MODEL_KEYS and data["id"] == 15 and data["compiled_query"] is None
    assert data["columns"] == [{"name": "ID", "type": "NUMBER(38,0)"}, {"name": "EMAIL", "type": "VARCHAR(16777216)"},
                               {"name": "FIRST_NAME", "type": "VARCHAR(16777216)"}]
    star = await create_model(mock, source["id"], "All accounts", 'SELECT * FROM "MARTS"."ACCOUNT_HEALTH"')
    assert [c["name"] for c in star["columns"]] == ["ACCOUNT_ID", "DOMAIN", "HEALTH_SCORE", "ARR", "RENEWAL_DATE"]
    aliased = await create_model(mock, source["id"], "Scores", "select u.email as user_email, lead_score * 2 doubled "
                                 "from marts.user_scores u")
    assert aliased["columns"] == [{"name": "user_email", "type": "unknown"}, {"name": "doubled", "type": "unknown"}]
    unknown = await create_model(mock, source["id"], "Elsewhere", "select * from somewhere_else")
    assert unknown["columns"] == []


async def test_get_list_patch_and_delete(mock):
    source = await create_source(mock)
    model = await create_model(mock, source["id"])
    path = f"{BASE}/sources/{source['id']}/models/{model['id']}"
    assert (await mock.get(path, token=TOKEN)).body == {"status": "success", "data": model}
    listed = await mock.get(f"{BASE}/sources/{source['id']}/models", token=TOKEN)
    assert listed.body["data"] == [model]
    mock.advance(60)
    patched = await mock.patch(path, {"name": "Emails", "query": "select EMAIL from USERS"}, token=TOKEN)
    assert patched.body["status"] == "updated"
    assert patched.body["data"]["columns"] == [{"name": "EMAIL", "type": "VARCHAR(16777216)"}]
    assert patched.body["data"]["updated_at"] == "2026-01-01T09:01:00.000Z" and patched.body["data"]["created_at"] == model["created_at"]
    assert (await mock.delete(path, token=TOKEN)).body == {"status": "deleted"}
    assert (await mock.get(path, token=TOKEN)).status == 404


async def test_a_model_a_sync_reads_cannot_be_deleted(make_mock):
    mock = await make_mock(check_delay=0)
    ws = await workspace(mock)
    path = f"{BASE}/sources/{ws['source']['id']}/models/{ws['model']['id']}"
    before = mock.state()
    answer = await mock.delete(path, token=TOKEN)
    assert answer.status == 400
    assert answer.body == {"status": "error", "message": f"Model {ws['model']['id']} is used by syncs {ws['sync_id']}; delete those syncs first"}
    assert mock.state() == before
    await mock.delete(f"{BASE}/syncs/{ws['sync_id']}", token=TOKEN)
    assert (await mock.delete(path, token=TOKEN)).status == 200


@pytest.mark.parametrize("body,message", [
    ({"query": "select 1"}, "name"),
    ({"name": "x"}, "query"),
    ({"name": "", "query": "select 1"}, "name"),
    ({"name": "x", "query": "   "}, "query"),
    ({"name": "x", "query": 7}, "query"),
    ({"name": "Active users", "query": "select 1"}, "Name has already been taken"),
])
async def test_bad_models_are_refused(mock, body, message):
    source = await create_source(mock)
    await create_model(mock, source["id"])
    before = mock.state()
    answer = await mock.post(f"{BASE}/sources/{source['id']}/models", body, token=TOKEN)
    assert answer.status == 400 and message in answer.body["message"]
    assert mock.state() == before


async def test_models_of_unknown_or_foreign_sources_and_ids(mock):
    source = await create_source(mock)
    second = await create_source(mock)
    model = await create_model(mock, source["id"])
    await create_model(mock, second["id"], "Other")
    before = mock.state()
    for method, path, body in [
        ("GET", f"/sources/{second['id']}/models/{model['id']}", None),  # the model belongs to the first source
        ("PATCH", f"/sources/{second['id']}/models/{model['id']}", {"name": "y"}),
        ("DELETE", f"/sources/999/models/{model['id']}", None),
        ("GET", "/sources/999/models", None),
        ("POST", "/sources/999/models", {"name": "x", "query": "select 1"}),
        ("GET", f"/sources/{source['id']}/models/abc", None),
    ]:
        answer = await mock.request(method, BASE + path, token=TOKEN, **({"json_body": body} if body else {}))
        assert (answer.status, answer.body) == (404, {"status": 404}), (method, path)
    foreign = await mock.get(f"{BASE}/sources/{source['id']}/models", token=OTHER)
    assert foreign.status == 404
    rename = await mock.patch(f"{BASE}/sources/{second['id']}/models/{model['id'] + 1}", {"name": "Other"}, token=TOKEN)
    assert rename.status == 200  # renaming to its own name is no clash
    clash = await mock.patch(f"{BASE}/sources/{source['id']}/models/{model['id']}", {"name": ""}, token=TOKEN)
    assert clash.status == 400
    assert mock.state()["vendors"]["census"]["tenants"].keys() == before["vendors"]["census"]["tenants"].keys()
