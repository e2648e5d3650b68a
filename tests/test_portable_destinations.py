"""Portable destinations over HTTP: create, list with pagination, get, merge-update, delete."""

from __future__ import annotations

import pytest

from mockserver.engine.journal import fingerprint
from portable_support import MASK, OTHER_TOKEN, REDSHIFT, SNOWFLAKE, TOKEN, create, create_body, warm

DESTINATION_KEYS = ["id", "displayName", "destinationSpec", "properties", "createdAt", "updatedAt"]
START = "2026-01-01T09:00:00Z"  # the virtual clock's default start


async def test_create_answers_201_with_the_full_destination(mock):
    answer = await mock.post("/v2/destinations", create_body(displayName="Warehouse"), token=TOKEN)
    assert answer.status == 201
    data = answer.body["data"]
    assert list(answer.body) == ["data"]
    assert list(data) == DESTINATION_KEYS
    assert data["id"] == 689421
    assert data["displayName"] == "Warehouse"
    assert data["createdAt"] == data["updatedAt"] == START
    spec = (await mock.get("/v2/destination-specs/snowflake", token=TOKEN)).body["data"]
    assert data["destinationSpec"] == spec


async def test_create_answers_properties_sorted_by_name_with_passwords_masked(mock):
    data = await create(mock)
    assert list(data["properties"]) == sorted(SNOWFLAKE)
    assert data["properties"] == {**SNOWFLAKE, "password": MASK}


async def test_create_without_display_name_answers_an_empty_one(mock):
    assert (await create(mock))["displayName"] == ""


async def test_ids_are_integers_in_sequence_across_organisations(mock):
    first = await create(mock)
    second = await create(mock, token=OTHER_TOKEN)
    third = await create(mock)
    assert [first["id"], second["id"], third["id"]] == [689421, 689422, 689423]


async def test_json_numbers_and_booleans_are_stored_as_strings(mock):
    body = create_body("redshift", {**REDSHIFT, "port": 5439, "ssl": True})
    data = (await mock.post("/v2/destinations", body, token=TOKEN)).body["data"]
    assert data["properties"]["port"] == "5439"
    assert data["properties"]["ssl"] == "true"
    again = await mock.get(f"/v2/destinations/{data['id']}", token=TOKEN)
    assert again.body["data"]["properties"]["port"] == "5439"


async def test_float_numbers_keep_their_shortest_form(mock):
    props = {"project_id": "p", "dataset": "d", "service_account_key": "{}", "partition_expiration_days": 7.0}
    data = (await mock.post("/v2/destinations", create_body("bigquery", props), token=TOKEN)).body["data"]
    assert data["properties"]["partition_expiration_days"] == "7"
    props["partition_expiration_days"] = 1.5
    data = (await mock.post("/v2/destinations", create_body("bigquery", props), token=TOKEN)).body["data"]
    assert data["properties"]["partition_expiration_days"] == "1.5"


async def test_empty_or_null_optional_values_are_not_stored(mock):
    data = await create(mock, properties={**SNOWFLAKE, "role": "", "load_window_start": None})
    assert "role" not in data["properties"] and "load_window_start" not in data["properties"]


async def test_unknown_top_level_fields_are_ignored(mock):
    answer = await mock.post("/v2/destinations", create_body(color="blue"), token=TOKEN)
    assert answer.status == 201
    assert "color" not in answer.body["data"]


async def test_get_answers_the_destination_with_passwords_masked(mock):
    made = await create(mock, displayName="Warehouse")
    answer = await mock.get(f"/v2/destinations/{made['id']}", token=TOKEN)
    assert answer.status == 200
    assert answer.body == {"data": made}
    assert answer.body["data"]["properties"]["password"] == MASK


async def test_the_stored_password_is_the_real_one(mock):
    made = await create(mock)
    tenant = mock.state()["vendors"]["portable"]["tenants"][TOKEN]
    (record,) = tenant["collections"]["destinations"]
    assert record["id"] == made["id"]
    assert record["properties"]["password"] == SNOWFLAKE["password"]


async def test_list_is_empty_for_a_new_organisation(mock):
    answer = await mock.get("/v2/destinations", token=TOKEN)
    assert answer.status == 200
    assert answer.body == {"data": []}


async def test_list_answers_all_destinations_oldest_first(mock):
    made = [await create(mock, displayName=f"d{i}") for i in range(3)]
    answer = await mock.get("/v2/destinations", token=TOKEN)
    assert answer.body == {"data": made}


async def test_list_only_shows_the_callers_organisation(mock):
    mine = await create(mock)
    await create(mock, token=OTHER_TOKEN)
    answer = await mock.get("/v2/destinations", token=TOKEN)
    assert [d["id"] for d in answer.body["data"]] == [mine["id"]]


async def test_list_pages_with_limit_and_offset(mock):
    ids = [(await create(mock))["id"] for _ in range(5)]

    async def page(**params: str) -> list[int]:
        answer = await mock.get("/v2/destinations", token=TOKEN, params=params)
        assert answer.status == 200
        return [d["id"] for d in answer.body["data"]]

    assert await page(limit="2") == ids[:2]
    assert await page(limit="2", offset="2") == ids[2:4]
    assert await page(offset="4") == ids[4:]
    assert await page(offset="5") == []
    assert await page(limit="1000", offset="0") == ids


async def test_list_limit_defaults_to_100(mock):
    tenant_ids = [(await create(mock))["id"] for _ in range(101)]
    answer = await mock.get("/v2/destinations", token=TOKEN)
    assert [d["id"] for d in answer.body["data"]] == tenant_ids[:100]


async def test_patch_changes_the_display_name_only(mock):
    made = await create(mock, displayName="Old")
    mock.advance(60)
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {"displayName": "New"}, token=TOKEN)
    assert answer.status == 200
    data = answer.body["data"]
    assert data["displayName"] == "New"
    assert data["properties"] == made["properties"]
    assert data["createdAt"] == START
    assert data["updatedAt"] == "2026-01-01T09:01:00Z"


async def test_patch_merges_properties(mock):
    made = await create(mock)
    answer = await mock.patch(
        f"/v2/destinations/{made['id']}", {"properties": {"warehouse": "BIG_WH", "role": "LOADER"}}, token=TOKEN
    )
    assert answer.status == 200
    assert answer.body["data"]["properties"] == {**made["properties"], "warehouse": "BIG_WH", "role": "LOADER"}
    assert answer.body["data"]["displayName"] == made["displayName"]


async def test_patch_can_set_the_display_name_to_empty(mock):
    made = await create(mock, displayName="Named")
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {"displayName": ""}, token=TOKEN)
    assert answer.body["data"]["displayName"] == ""


async def test_patch_with_the_mask_keeps_the_stored_password(mock):
    made = await create(mock)
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {"properties": made["properties"]}, token=TOKEN)
    assert answer.status == 200
    record = mock.state()["vendors"]["portable"]["tenants"][TOKEN]["collections"]["destinations"][0]
    assert record["properties"]["password"] == SNOWFLAKE["password"]


async def test_patch_with_a_new_password_stores_it_and_answers_the_mask(mock):
    made = await create(mock)
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {"properties": {"password": "n3w"}}, token=TOKEN)
    assert answer.body["data"]["properties"]["password"] == MASK
    record = mock.state()["vendors"]["portable"]["tenants"][TOKEN]["collections"]["destinations"][0]
    assert record["properties"]["password"] == "n3w"


@pytest.mark.parametrize("empty", ["", None])
async def test_patch_with_no_value_removes_an_optional_property(mock, empty):
    made = await create(mock, properties={**SNOWFLAKE, "role": "LOADER"})
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {"properties": {"role": empty}}, token=TOKEN)
    assert answer.status == 200
    assert "role" not in answer.body["data"]["properties"]


async def test_patch_accepts_the_current_destination_spec(mock):
    made = await create(mock)
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {"destinationSpec": "snowflake"}, token=TOKEN)
    assert answer.status == 200
    assert answer.body["data"]["destinationSpec"]["name"] == "snowflake"


async def test_empty_patch_only_touches_updated_at(mock):
    made = await create(mock)
    mock.advance(5)
    answer = await mock.patch(f"/v2/destinations/{made['id']}", {}, token=TOKEN)
    assert answer.body["data"] == {**made, "updatedAt": "2026-01-01T09:00:05Z"}


async def test_patched_values_are_what_get_answers(mock):
    made = await create(mock)
    patched = await mock.patch(f"/v2/destinations/{made['id']}", {"displayName": "X"}, token=TOKEN)
    got = await mock.get(f"/v2/destinations/{made['id']}", token=TOKEN)
    assert got.body == patched.body


async def test_delete_answers_ok_and_the_destination_is_gone(mock):
    made = await create(mock)
    kept = await create(mock)
    answer = await mock.delete(f"/v2/destinations/{made['id']}", token=TOKEN)
    assert answer.status == 200
    assert answer.body == {"message": "OK"}
    assert (await mock.get(f"/v2/destinations/{made['id']}", token=TOKEN)).status == 404
    listed = await mock.get("/v2/destinations", token=TOKEN)
    assert [d["id"] for d in listed.body["data"]] == [kept["id"]]


async def test_deleted_ids_are_not_reused(mock):
    made = await create(mock)
    await mock.delete(f"/v2/destinations/{made['id']}", token=TOKEN)
    assert (await create(mock))["id"] == made["id"] + 1


async def test_journal_masks_password_properties(mock):
    await create(mock, spec="bigquery", properties={"project_id": "p", "dataset": "d", "service_account_key": "{\"k\": 1}"})
    await warm(mock)
    entries = [e for e in mock.engine.journal if e.operation_id == "createDestination"]
    assert entries[0].request_body["properties"]["service_account_key"] == MASK
    assert entries[0].request_body["properties"]["project_id"] == "p"
    assert entries[0].tenant == fingerprint(TOKEN)
