"""Census destinations: the seed request, fetch, update (merge), delete, and connection details."""

from __future__ import annotations

import re

from census_support import (
    ACTIVE_CAMPAIGN,
    BASE,
    BRAZE,
    OTHER,
    SEED_CREATE,
    SEED_DESTINATION_KEYS,
    SEED_FIELD_KEYS,
    SEED_OBJECT_KEYS,
    TOKEN,
    connection,
    create,
)

MILLIS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
SECONDS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


async def test_seed_004_create_answers_created_with_the_seed_shape(mock):
    answer = await mock.post(f"{BASE}/destinations", SEED_CREATE, token=TOKEN)
    assert answer.status == 201
    assert answer.body["status"] == "created"
    data = answer.body["data"]
    assert set(data) == SEED_DESTINATION_KEYS
    assert isinstance(data["id"], int)
    assert data["name"] == "Google Sheets"
    assert data["type"] == "google_sheets"
    assert re.fullmatch(MILLIS, data["created_at"])
    assert re.fullmatch(r"census-[0-9a-f]{8}@census-sheets\.iam\.gserviceaccount\.com",
                        data["connection_details"]["service_account_email"])
    assert data["objects"], "every destination lists its type's objects"
    for obj in data["objects"]:
        assert set(obj) == SEED_OBJECT_KEYS
        for field in obj["fields"]:
            assert set(field) == SEED_FIELD_KEYS
    # The connection test runs on the clock: it is running until check_delay has passed.
    assert data["last_test_results"] == {"steps": [{"step": "Verify connectivity", "status": "running"}]}
    assert data["last_test_succeeded"] is None and data["last_tested_at"] is None


async def test_seed_004_with_no_check_delay_answers_a_finished_test(make_mock):
    mock = await make_mock(check_delay=0)
    data = (await mock.post(f"{BASE}/destinations", SEED_CREATE, token=TOKEN)).body["data"]
    assert data["last_test_succeeded"] is True
    assert re.fullmatch(SECONDS, data["last_tested_at"])
    assert [s["status"] for s in data["last_test_results"]["steps"]] == ["success", "success", "success"]


async def test_create_accepts_dagster_content_type_and_basic_auth(mock):
    answer = await mock.post(
        f"{BASE}/destinations",
        connection("braze", BRAZE, "Braze"),
        basic=("bearer", TOKEN),
        headers={"Content-Type": "application/json;version=2"},
    )
    assert answer.status == 201
    assert answer.body["data"]["name"] == "Braze"


async def test_fetch_answers_success_with_the_same_destination(mock):
    created = await create(mock, "braze", name="Braze")
    answer = await mock.get(f"{BASE}/destinations/{created['id']}", token=TOKEN)
    assert answer.status == 200
    assert answer.body == {"status": "success", "data": created}


async def test_name_defaults_to_the_connector_label(mock):
    created = await create(mock, "active_campaign", ACTIVE_CAMPAIGN)
    assert created["name"] == "ActiveCampaign"


async def test_connection_details_never_carry_password_fields(mock):
    created = await create(mock, "braze", BRAZE)
    assert created["connection_details"] == {"instance_url": BRAZE["instance_url"], "client_key": "app-1"}
    assert "braze-rest-key" not in str((await mock.get(f"{BASE}/destinations", token=TOKEN)).body)


async def test_undeclared_credentials_are_kept_but_never_shown(mock):
    created = await create(mock, "braze", {**BRAZE, "extra_setting": "x"})
    assert "extra_setting" not in created["connection_details"]
    assert mock.engine.store.find_tenant("census", TOKEN.split(":", 1)[1]).collection("destinations")[created["id"]][
        "credentials"]["extra_setting"] == "x"


async def test_custom_api_secret_header_values_are_masked(mock):
    headers = {"X-Team": "growth", "Authorization": {"value": "Bearer s3cr3t", "is_secret": True}}
    created = await create(mock, "custom_api", {"api_version": 1, "webhook_url": "https://hooks.example.com/census",
                                                "custom_headers": headers})
    assert created["connection_details"] == {
        "api_version": 1,
        "webhook_url": "https://hooks.example.com/census",
        "custom_headers": {"X-Team": "growth", "Authorization": {"value": "********", "is_secret": True}},
    }


async def test_integer_credentials_given_as_digit_strings_are_stored_as_integers(mock):
    created = await create(mock, "custom_api", {"api_version": "1", "webhook_url": "https://hooks.example.com/c"})
    assert created["connection_details"]["api_version"] == 1


async def test_big_query_service_account_email_comes_from_the_key(mock):
    key = '{"type": "service_account", "client_email": "loader@my-project.iam.gserviceaccount.com"}'
    created = await create(mock, "big_query", {"project_id": "my-project", "location": "US", "service_account_key": key})
    assert created["connection_details"] == {
        "project_id": "my-project",
        "location": "US",
        "service_account_email": "loader@my-project.iam.gserviceaccount.com",
    }


async def test_update_merges_credentials_like_the_legacy_example(mock):
    created = await create(mock, "active_campaign", ACTIVE_CAMPAIGN, name="Example ActiveCampaign")
    body = {"service_connection": {"name": "ActiveCampaign (Example)", "credentials": {"api_token": "regenerated_api_token"}}}
    answer = await mock.patch(f"{BASE}/destinations/{created['id']}", body, token=TOKEN)
    assert answer.status == 200
    assert answer.body["status"] == "updated"
    data = answer.body["data"]
    assert data["name"] == "ActiveCampaign (Example)"
    assert data["type"] == "active_campaign"
    assert data["connection_details"] == {"instance_url": "https://example.activehosted.com"}
    assert data["created_at"] == created["created_at"] and data["id"] == created["id"]


async def test_update_blank_password_keeps_the_stored_one(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, "braze", BRAZE)
    body = {"service_connection": {"credentials": {"api_key": "", "instance_url": "https://rest.fra-01.braze.eu"}}}
    data = (await mock.patch(f"{BASE}/destinations/{created['id']}", body, token=TOKEN)).body["data"]
    assert data["connection_details"]["instance_url"] == "https://rest.fra-01.braze.eu"
    assert data["last_test_succeeded"] is True  # still has its api_key, so it tests fine


async def test_update_blank_optional_field_clears_it(mock):
    created = await create(mock, "braze", BRAZE)
    body = {"service_connection": {"credentials": {"client_key": None}}}
    data = (await mock.patch(f"{BASE}/destinations/{created['id']}", body, token=TOKEN)).body["data"]
    assert data["connection_details"] == {"instance_url": BRAZE["instance_url"]}


async def test_update_with_unchanged_type_is_accepted(mock):
    created = await create(mock, "braze", BRAZE)
    body = {"service_connection": {"type": "braze", "name": "Renamed"}}
    answer = await mock.patch(f"{BASE}/destinations/{created['id']}", body, token=TOKEN)
    assert answer.status == 200 and answer.body["data"]["name"] == "Renamed"


async def test_rename_only_does_not_retest(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, "braze", BRAZE)
    mock.advance(60)
    data = (await mock.patch(f"{BASE}/destinations/{created['id']}", {"service_connection": {"name": "B"}}, token=TOKEN)).body["data"]
    assert data["last_tested_at"] == created["last_tested_at"]


async def test_delete_answers_deleted_and_the_destination_is_gone(mock):
    created = await create(mock, "braze", BRAZE)
    answer = await mock.delete(f"{BASE}/destinations/{created['id']}", token=TOKEN)
    assert (answer.status, answer.body) == (200, {"status": "deleted"})
    assert (await mock.get(f"{BASE}/destinations/{created['id']}", token=TOKEN)).status == 404
    again = await mock.delete(f"{BASE}/destinations/{created['id']}", token=TOKEN)
    assert (again.status, again.body) == (404, {"status": 404})


async def test_workspaces_never_see_each_other(mock):
    created = await create(mock, "braze", BRAZE, token=TOKEN)
    assert (await mock.get(f"{BASE}/destinations/{created['id']}", token=OTHER)).status == 404
    assert (await mock.get(f"{BASE}/destinations", token=OTHER)).body["data"] == []
    before = mock.state()
    assert (await mock.delete(f"{BASE}/destinations/{created['id']}", token=OTHER)).status == 404
    assert mock.state() == before


async def test_ids_increase_across_creates(mock):
    first = await create(mock, "braze", BRAZE)
    second = await create(mock, "braze", BRAZE)
    assert second["id"] == first["id"] + 1
