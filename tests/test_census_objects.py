"""Census destination objects and object refresh jobs."""

from __future__ import annotations

import pytest

from census_support import BASE, BRAZE, OTHER, SEED_FIELD_KEYS, SEED_OBJECT_KEYS, TOKEN, VALID_CREDENTIALS, create
from mockserver.app import VENDORS


async def test_objects_list_is_the_types_catalogue(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/objects", token=TOKEN, params={"order": "asc"})
    assert answer.status == 200 and answer.body["status"] == "success"
    assert [o["full_name"] for o in answer.body["data"]] == ["user", "event", "purchase"]
    assert answer.body["data"] == created["objects"]
    assert answer.body["pagination"]["total_records"] == 3
    default = await mock.get(f"{BASE}/destinations/{created['id']}/objects", token=TOKEN)
    assert [o["full_name"] for o in default.body["data"]] == ["purchase", "event", "user"]


async def test_fetch_object_by_full_name(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/objects/user", token=TOKEN)
    assert answer.status == 200
    obj = answer.body["data"]
    assert answer.body["status"] == "success" and set(obj) == SEED_OBJECT_KEYS
    assert obj["label"] == "User" and obj["supported_operations"] == ["insert", "update", "upsert"]
    external = next(f for f in obj["fields"] if f["full_name"] == "external_id")
    assert set(external) == SEED_FIELD_KEYS
    assert external["can_be_upsert_key"] and external["required_for_mapping"]
    company = next(f for f in obj["fields"] if f["full_name"] == "company")
    assert company["lookup_object"] == "company"


async def test_object_full_names_may_hold_dots(mock):
    created = await create(mock, "google_sheets", {})
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/objects/customer_export.Sheet1", token=TOKEN)
    assert answer.status == 200 and answer.body["data"]["full_name"] == "customer_export.Sheet1"


@pytest.mark.parametrize("name", ["User", "nope", "user.x"])
async def test_unknown_object_is_404(mock, name):
    created = await create(mock, "braze", BRAZE)
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/objects/{name}", token=TOKEN)
    assert (answer.status, answer.body) == (404, {"status": 404})


async def test_every_creatable_type_answers_its_object_catalogue(make_mock):
    mock = await make_mock(check_delay=0)
    connectors = (await mock.get(f"{BASE}/connectors", token=TOKEN, params={"per_page": "100"})).body["data"]
    creatable = {c["service_name"] for c in connectors if c["creatable_via_api"]}
    assert set(VALID_CREDENTIALS) == creatable
    for type_name, credentials in VALID_CREDENTIALS.items():
        created = await create(mock, type_name, credentials)
        assert created["last_test_succeeded"] is True, type_name
        listed = await mock.get(f"{BASE}/destinations/{created['id']}/objects", token=TOKEN, params={"order": "asc"})
        objects = listed.body["data"]
        assert objects == created["objects"] and len(objects) >= 2, type_name
        for obj in objects:
            assert obj["fields"], (type_name, obj["full_name"])
            assert any(f["can_be_upsert_key"] or f["can_be_insert_key"] or f["can_be_update_key"] for f in obj["fields"])
            fetched = await mock.get(f"{BASE}/destinations/{created['id']}/objects/{obj['full_name']}", token=TOKEN)
            assert fetched.body == {"status": "success", "data": obj}


async def test_connectors_not_creatable_via_the_api_have_catalogues_too(mock):
    catalogue = mock.app[VENDORS]["census"].catalogue
    others = [c for c in catalogue.ordered if not c.creatable_via_api]
    assert {c.service_name for c in others} == {"facebook_ads", "google_ads", "linkedin"}
    for connector in others:
        assert connector.objects and all(o["fields"] for o in connector.objects)


async def test_refresh_is_processing_then_completed_after_the_refresh_delay(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await mock.post(f"{BASE}/destinations/{created['id']}/refresh_objects", token=TOKEN)
    assert answer.status == 200 and set(answer.body) == {"refresh_key"}
    key = answer.body["refresh_key"]
    assert key == 1767258000  # the virtual clock's Unix second: epoch-like, as the vendor's examples
    status_path = f"{BASE}/destinations/{created['id']}/refresh_objects_status"
    assert (await mock.get(status_path, token=TOKEN, params={"refresh_key": str(key)})).body == {"status": "processing"}
    mock.advance(1.9)
    assert (await mock.get(status_path, token=TOKEN, params={"refresh_key": str(key)})).body == {"status": "processing"}
    mock.advance(0.1)
    assert (await mock.get(status_path, token=TOKEN, params={"refresh_key": str(key)})).body == {"status": "completed"}


async def test_refresh_with_no_delay_completes_within_the_request(make_mock):
    mock = await make_mock(refresh_delay=0)
    created = await create(mock, "braze", BRAZE)
    key = (await mock.post(f"{BASE}/destinations/{created['id']}/refresh_objects", token=TOKEN)).body["refresh_key"]
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/refresh_objects_status", token=TOKEN,
                            params={"refresh_key": str(key)})
    assert answer.body == {"status": "completed"}


async def test_refresh_keys_are_unique_and_increasing(mock):
    created = await create(mock, "braze", BRAZE)
    path = f"{BASE}/destinations/{created['id']}/refresh_objects"
    keys = [(await mock.post(path, token=TOKEN)).body["refresh_key"] for _ in range(3)]
    assert keys == [keys[0], keys[0] + 1, keys[0] + 2]
    mock.advance(3600)
    later = (await mock.post(path, token=TOKEN)).body["refresh_key"]
    assert later == 1767258000 + 3600


async def test_refresh_ignores_a_request_body(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await mock.post(f"{BASE}/destinations/{created['id']}/refresh_objects", {"object_types": ["user"]}, token=TOKEN)
    assert answer.status == 200


async def test_refresh_key_of_another_destination_is_404(mock):
    first = await create(mock, "braze", BRAZE)
    second = await create(mock, "braze", BRAZE)
    key = (await mock.post(f"{BASE}/destinations/{first['id']}/refresh_objects", token=TOKEN)).body["refresh_key"]
    before = mock.state()
    answer = await mock.get(f"{BASE}/destinations/{second['id']}/refresh_objects_status", token=TOKEN,
                            params={"refresh_key": str(key)})
    assert (answer.status, answer.body) == (404, {"status": 404})
    assert mock.state() == before


async def test_refresh_key_of_another_workspace_is_404(mock):
    created = await create(mock, "braze", BRAZE)
    key = (await mock.post(f"{BASE}/destinations/{created['id']}/refresh_objects", token=TOKEN)).body["refresh_key"]
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/refresh_objects_status", token=OTHER,
                            params={"refresh_key": str(key)})
    assert (answer.status, answer.body) == (404, {"status": 404})


async def test_unknown_refresh_key_is_404(mock):
    created = await create(mock, "braze", BRAZE)
    before = mock.state()
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/refresh_objects_status", token=TOKEN,
                            params={"refresh_key": "1647978948"})
    assert (answer.status, answer.body) == (404, {"status": 404})
    assert mock.state() == before


async def test_missing_refresh_key_is_400(mock):
    created = await create(mock, "braze", BRAZE)
    before = mock.state()
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/refresh_objects_status", token=TOKEN)
    assert (answer.status, answer.body) == (400, {"status": "error", "message": "query parameter refresh_key is required"})
    assert mock.state() == before


@pytest.mark.parametrize("value", ["abc", "", "1.5", "9" * 40])
async def test_non_integer_refresh_key_is_400(mock, value):
    created = await create(mock, "braze", BRAZE)
    before = mock.state()
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/refresh_objects_status", token=TOKEN,
                            params={"refresh_key": value})
    assert (answer.status, answer.body) == (400, {"status": "error", "message": "invalid value for query parameter refresh_key"})
    assert mock.state() == before


async def test_status_of_a_deleted_destination_is_404(mock):
    created = await create(mock, "braze", BRAZE)
    key = (await mock.post(f"{BASE}/destinations/{created['id']}/refresh_objects", token=TOKEN)).body["refresh_key"]
    await mock.delete(f"{BASE}/destinations/{created['id']}", token=TOKEN)
    mock.advance(5)
    answer = await mock.get(f"{BASE}/destinations/{created['id']}/refresh_objects_status", token=TOKEN,
                            params={"refresh_key": str(key)})
    assert (answer.status, answer.body) == (404, {"status": 404})
