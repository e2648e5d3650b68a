"""Census refresh jobs beyond a destination's objects: one object's fields, a source's tables, a
table's columns and a model's columns, each started by a POST and polled by its `_status` GET, and
the source table they name (`GET /sources/{id}/tables/{table_id}`).

They share the vendor's one refresh shape (the destination objects' refresh has its own tests in
test_census_objects.py): a key not enveloped, a status of `processing` then `completed`.
"""

from __future__ import annotations

from typing import Any

import pytest

from census_support import BASE, BRAZE, OTHER, TOKEN, create
from census_sync_support import create_model, create_source

KINDS = ("fields", "tables", "table columns", "model columns")


async def setting(mock: Any) -> dict[str, Any]:
    """A Braze destination, and a Snowflake source with a model; its first catalogue table."""
    destination = await create(mock, "braze", BRAZE)
    source = await create_source(mock)
    model = await create_model(mock, source["id"])
    objects = (await mock.get(f"{BASE}/sources/{source['id']}/objects", token=TOKEN)).body["data"]
    table = next(o for o in objects if o["type"] == "table")
    return {"destination": destination["id"], "source": source["id"], "model": model["id"], "table": table}


def start_path(kind: str, at: dict[str, Any]) -> str:
    return {
        "fields": f"{BASE}/destinations/{at['destination']}/objects/user/refresh_fields",
        "tables": f"{BASE}/sources/{at['source']}/refresh_tables",
        "table columns": f"{BASE}/sources/{at['source']}/tables/{at['table']['id']}/refresh_columns",
        "model columns": f"{BASE}/sources/{at['source']}/models/{at['model']}/refresh_columns",
    }[kind]


async def start(mock: Any, kind: str, at: dict[str, Any]) -> int:
    answer = await mock.post(start_path(kind, at), token=TOKEN)
    assert answer.status == 200 and set(answer.body) == {"refresh_key"}, answer
    return int(answer.body["refresh_key"])


async def status(mock: Any, kind: str, at: dict[str, Any], key: int | str, token: str = TOKEN) -> Any:
    return await mock.get(start_path(kind, at) + "_status", token=token, params={"refresh_key": str(key)})


@pytest.mark.parametrize("kind", KINDS)
async def test_a_refresh_is_processing_then_completed_after_the_refresh_delay(mock, kind):
    at = await setting(mock)
    key = await start(mock, kind, at)
    assert key == 1767258000  # the virtual clock's Unix second, as the destination objects' refresh
    assert (await status(mock, kind, at, key)).body == {"status": "processing"}
    mock.advance(1.9)
    assert (await status(mock, kind, at, key)).body == {"status": "processing"}
    mock.advance(0.1)
    assert (await status(mock, kind, at, key)).body == {"status": "completed"}


@pytest.mark.parametrize("kind", KINDS)
async def test_with_no_refresh_delay_it_completes_within_the_request(make_mock, kind):
    mock = await make_mock(refresh_delay=0)
    at = await setting(mock)
    assert (await status(mock, kind, at, await start(mock, kind, at))).body == {"status": "completed"}


async def test_keys_are_one_sequence_across_every_kind_of_refresh(mock):
    at = await setting(mock)
    keys = [await start(mock, kind, at) for kind in KINDS]
    objects = (await mock.post(f"{BASE}/destinations/{at['destination']}/refresh_objects", token=TOKEN)).body
    assert keys + [objects["refresh_key"]] == [1767258000 + n for n in range(5)]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_key_answers_only_where_it_was_issued(mock, kind):
    at = await setting(mock)
    key = await start(mock, kind, at)
    before = mock.state()
    for other in KINDS:
        answer = await status(mock, other, at, key)
        assert answer.status == (200 if other == kind else 404), (other, answer)
    objects = await mock.get(f"{BASE}/destinations/{at['destination']}/refresh_objects_status", token=TOKEN,
                             params={"refresh_key": str(key)})
    assert (objects.status, objects.body) == (404, {"status": 404})
    assert (await status(mock, kind, at, key, token=OTHER)).status == 404  # another workspace
    assert mock.state() == before


async def test_a_fields_key_answers_only_for_its_object(mock):
    at = await setting(mock)
    key = await start(mock, "fields", at)
    other = f"{BASE}/destinations/{at['destination']}/objects/event/refresh_fields_status"
    assert (await mock.get(other, token=TOKEN, params={"refresh_key": str(key)})).status == 404


@pytest.mark.parametrize(("kind", "where"), [
    ("fields", {"destination": 999}), ("fields", {"object": "no_such_object"}),
    ("tables", {"source": 999}),
    ("table columns", {"table": {"id": 999999}}), ("table columns", {"source": 999}),
    ("model columns", {"model": 999}), ("model columns", {"source": 999}),
])
async def test_refreshing_what_does_not_exist_is_404_and_changes_nothing(mock, kind, where):
    at = {**await setting(mock), **where}
    before = mock.state()
    path = start_path(kind, at)
    if "object" in where:
        path = path.replace("/objects/user/", f"/objects/{where['object']}/")
    answer = await mock.post(path, token=TOKEN)
    assert (answer.status, answer.body) == (404, {"status": 404})
    assert (await mock.get(path + "_status", token=TOKEN, params={"refresh_key": "1767258000"})).status == 404
    assert mock.state() == before


@pytest.mark.parametrize("kind", KINDS)
async def test_a_missing_refresh_key_is_400(mock, kind):
    at = await setting(mock)
    before = mock.state()
    answer = await mock.get(start_path(kind, at) + "_status", token=TOKEN)
    assert (answer.status, answer.body) == (400, {"status": "error", "message": "query parameter refresh_key is required"})
    assert mock.state() == before


async def test_deleting_the_source_ends_its_refreshes(mock):
    at = await setting(mock)
    keys = {kind: await start(mock, kind, at) for kind in ("tables", "table columns", "model columns")}
    assert (await mock.delete(f"{BASE}/sources/{at['source']}", token=TOKEN)).status == 200
    mock.advance(5)
    for kind, key in keys.items():
        assert (await status(mock, kind, at, key)).status == 404
    tenants = mock.state()["vendors"]["census"]["tenants"].values()
    assert not any(t["collections"].get("source_refreshes") for t in tenants)


async def test_a_source_table_is_the_one_its_objects_list(mock):
    at = await setting(mock)
    answer = await mock.get(f"{BASE}/sources/{at['source']}/tables/{at['table']['id']}", token=TOKEN)
    assert answer.status == 200
    assert answer.body == {"status": "success", "data": at["table"]}
    assert answer.body["data"]["columns"] and set(answer.body["data"]) == {
        "type", "id", "table_catalog", "table_schema", "table_name", "columns"}


@pytest.mark.parametrize("table_id", ["999999", "abc"])
async def test_a_table_the_source_does_not_have_is_404(mock, table_id):
    at = await setting(mock)
    answer = await mock.get(f"{BASE}/sources/{at['source']}/tables/{table_id}", token=TOKEN)
    assert (answer.status, answer.body) == (404, {"status": 404})
