"""Census connectors (destination types): list, fetch, and their configuration fields."""

from __future__ import annotations

from census_support import BASE, TOKEN

CONNECTOR_KEYS = {
    "documentation_slug", "label", "service_name", "auth_method", "creatable_via_api",
    "creatable_via_connect_link", "source_creatable_via_connect_link", "configuration_fields",
}


async def test_list_connectors_is_paginated_in_catalogue_order(mock):
    answer = await mock.get(f"{BASE}/connectors", token=TOKEN, params={"order": "asc", "per_page": "100"})
    assert answer.status == 200 and answer.body["status"] == "success"
    names = [c["service_name"] for c in answer.body["data"]]
    assert names == sorted(names)
    assert {"salesforce", "hubspot", "braze", "google_sheets", "big_query", "custom_api", "active_campaign"} <= set(names)
    assert answer.body["pagination"]["total_records"] == len(names)
    for connector in answer.body["data"]:
        assert set(connector) == CONNECTOR_KEYS
        assert connector["auth_method"] in ("credentials", "oauth", "other")


async def test_fetch_braze_shows_its_credential_fields(mock):
    answer = await mock.get(f"{BASE}/connectors/braze", token=TOKEN)
    assert answer.status == 200 and answer.body["status"] == "success"
    braze = answer.body["data"]
    assert (braze["label"], braze["service_name"], braze["auth_method"]) == ("Braze", "braze", "credentials")
    assert braze["creatable_via_api"] is True and braze["creatable_via_connect_link"] is True
    fields = {f["id"]: f for f in braze["configuration_fields"]["fields"]}
    assert list(fields) == ["instance_url", "api_key", "client_key"]
    url = fields["instance_url"]
    assert url["rules"] == "required" and url["is_password_type_field"] is False
    assert url["placeholder"] == url["placholder"] == "https://rest.iad-01.braze.com"
    assert url["matches"].startswith("^(?:(?=.*rest)https:")
    assert fields["api_key"]["is_password_type_field"] is True
    assert fields["api_key"]["rules"] == "required:notForEditing"
    assert "rules" not in fields["client_key"]


async def test_oauth_only_connectors_are_not_creatable_via_api(mock):
    for name in ("google_ads", "facebook_ads", "linkedin"):
        connector = (await mock.get(f"{BASE}/connectors/{name}", token=TOKEN)).body["data"]
        assert connector["auth_method"] == "oauth"
        assert connector["creatable_via_api"] is False and connector["creatable_via_connect_link"] is True


async def test_select_fields_list_their_possible_values(mock):
    salesforce = (await mock.get(f"{BASE}/connectors/salesforce", token=TOKEN)).body["data"]
    domain = next(f for f in salesforce["configuration_fields"]["fields"] if f["id"] == "domain")
    assert domain["input_type"] == "select"
    assert domain["possible_values"] == ["login.salesforce.com", "test.salesforce.com"]


async def test_mock_only_keys_are_never_served(mock):
    body = (await mock.get(f"{BASE}/connectors", token=TOKEN, params={"per_page": "100"})).text
    assert "x-mock" not in body


async def test_connector_names_are_case_sensitive(mock):
    answer = await mock.get(f"{BASE}/connectors/Braze", token=TOKEN)
    assert (answer.status, answer.body) == (404, {"status": 404})
