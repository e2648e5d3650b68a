"""Census datasets (`/datasets`, the newer name of a source's SQL models): the same records either way,
by id alone; create, list (`?type=sql`), fetch, update, delete, column refreshes; refusals change nothing."""

from __future__ import annotations

import pytest
from census_support import BASE, OTHER, TOKEN
from census_sync_support import USERS_QUERY, create_model, create_source, workspace

DATASETS = f"{BASE}/datasets"
KEYS = {"id", "name", "type", "description", "query", "source_id", "created_at", "updated_at"}


async def make_dataset(mock, source_id, name="Users", query=USERS_QUERY, **extra):
    answer = await mock.post(DATASETS, {"name": name, "type": "sql", "query": query, "source_id": source_id, **extra}, token=TOKEN)
    assert answer.status == 201, answer
    return answer.body["data"]


async def test_a_dataset_is_a_model_of_its_source(mock):
    source = await create_source(mock)
    made = await make_dataset(mock, source["id"], description="Active users")
    assert set(made) == KEYS and (made["type"], made["source_id"], made["description"]) == ("sql", source["id"], "Active users")
    model = (await mock.get(f"{BASE}/sources/{source['id']}/models/{made['id']}", token=TOKEN)).body["data"]
    assert (model["name"], model["query"]) == ("Users", USERS_QUERY) and model["columns"]
    older = await create_model(mock, source["id"], name="Older")
    listed = (await mock.get(DATASETS, token=TOKEN, params={"type": "sql"})).body
    assert {d["id"] for d in listed["data"]} == {made["id"], older["id"]}
    assert (await mock.get(DATASETS, token=TOKEN, params={"type": "dbt"})).body["data"] == []
    assert (await mock.get(f"{DATASETS}/{older['id']}", token=TOKEN)).body["data"]["name"] == "Older"
    assert (await mock.get(DATASETS, token=OTHER)).body["data"] == []  # another workspace's


async def test_update_and_delete(mock):
    source = await create_source(mock)
    made = await make_dataset(mock, source["id"])
    updated = await mock.patch(f"{DATASETS}/{made['id']}", {"name": "Renamed", "query": "select 1"}, token=TOKEN)
    assert updated.status == 200 and updated.body["status"] == "updated"
    assert (updated.body["data"]["name"], updated.body["data"]["query"]) == ("Renamed", "select 1")
    same_source = await mock.patch(f"{DATASETS}/{made['id']}", {"source_id": source["id"], "description": "d"}, token=TOKEN)
    assert same_source.status == 200 and same_source.body["data"]["description"] == "d"
    deleted = await mock.delete(f"{DATASETS}/{made['id']}", token=TOKEN)
    assert (deleted.status, deleted.body) == (200, {"status": "deleted"})
    assert (await mock.get(f"{DATASETS}/{made['id']}", token=TOKEN)).body == {"status": 404}


async def test_column_refreshes_run_like_the_models(mock):
    source = await create_source(mock)
    made = await make_dataset(mock, source["id"])
    key = (await mock.post(f"{DATASETS}/{made['id']}/refresh_columns", token=TOKEN)).body["refresh_key"]
    status = f"{DATASETS}/{made['id']}/refresh_columns_status"
    assert (await mock.get(status, token=TOKEN, params={"refresh_key": str(key)})).body == {"status": "processing"}
    mock.advance(60)
    assert (await mock.get(status, token=TOKEN, params={"refresh_key": str(key)})).body == {"status": "completed"}
    # the same refresh, seen through the model
    model_status = f"{BASE}/sources/{source['id']}/models/{made['id']}/refresh_columns_status"
    assert (await mock.get(model_status, token=TOKEN, params={"refresh_key": str(key)})).body == {"status": "completed"}


@pytest.mark.parametrize("method, path, body, status, answer", [
    ("POST", "", {"name": "X", "type": "sql", "query": "select 1", "source_id": 999}, 404, {"status": 404}),
    ("POST", "", {"name": "X", "type": "dbt", "query": "select 1", "source_id": "SOURCE"}, 400, None),
    ("POST", "", {"name": "Users", "type": "sql", "query": "select 1", "source_id": "SOURCE"}, 400, None),
    ("POST", "", {"type": "sql", "query": "select 1", "source_id": "SOURCE"}, 400, None),
    ("PATCH", "/DATASET", {"source_id": 999}, 400, None),
    ("PATCH", "/DATASET", {"name": ""}, 400, None),
    ("GET", "/999", None, 404, {"status": 404}),
    ("DELETE", "/999", None, 404, {"status": 404}),
])
async def test_refusals_change_nothing(mock, method, path, body, status, answer):
    source = await create_source(mock)
    made = await make_dataset(mock, source["id"])
    path = path.replace("DATASET", str(made["id"]))
    if isinstance(body, dict) and body.get("source_id") == "SOURCE":
        body = {**body, "source_id": source["id"]}
    before = mock.state()
    got = await mock.request(method, f"{DATASETS}{path}", token=TOKEN, **({} if body is None else {"json_body": body}))
    assert got.status == status, got
    if answer is not None:
        assert got.body == answer
    else:
        assert got.body["status"] == "error" and got.body["message"]
    assert mock.state() == before


async def test_a_dataset_a_sync_reads_is_not_deleted(mock):
    made = await workspace(mock)  # a sync reads its model
    before = mock.state()
    refused = await mock.delete(f"{DATASETS}/{made['model']['id']}", token=TOKEN)
    assert refused.status == 400 and "delete those syncs first" in refused.body["message"]
    assert mock.state() == before
