"""Portable sources over HTTP: create, list, get, merge-update, delete, and every bad input."""

from __future__ import annotations

import pytest

from portable_support import FRESHSALES, MASK, OTHER_TOKEN, TOKEN, make_flow, make_source, warm

SOURCE_KEYS = ["id", "displayName", "sourceSpec", "properties", "createdAt", "updatedAt"]
START = "2026-01-01T09:00:00Z"


async def test_create_answers_201_with_the_full_source(mock):
    answer = await mock.post("/v2/sources", {"displayName": "CRM", "sourceSpec": "freshsales", "properties": FRESHSALES},
                             token=TOKEN)
    assert answer.status == 201
    assert list(answer.body) == ["data"]
    data = answer.body["data"]
    assert list(data) == SOURCE_KEYS
    assert data["id"] == 80190
    assert data["displayName"] == "CRM"
    assert data["createdAt"] == data["updatedAt"] == START
    spec = (await mock.get("/v2/source-specs/freshsales", token=TOKEN)).body["data"]
    assert data["sourceSpec"] == spec
    assert data["properties"] == {"api_key": MASK, "domain": FRESHSALES["domain"]}  # sorted, PASSWORD masked


async def test_the_documented_create_example_needs_no_properties(mock):
    answer = await mock.post("/v2/sources", {"sourceSpec": "google_calendar"}, token=TOKEN)
    assert answer.status == 201
    assert answer.body["data"]["displayName"] == ""
    assert answer.body["data"]["properties"] == {}
    assert answer.body["data"]["sourceSpec"]["authenticationType"] == "AUTH_CODE"


async def test_ids_follow_one_sequence_across_organisations(mock):
    first = await make_source(mock)
    second = await make_source(mock, OTHER_TOKEN)
    assert [first["id"], second["id"]] == [80190, 80191]


async def test_list_is_oldest_first_with_limit_and_offset(mock):
    made = [await make_source(mock) for _ in range(3)]
    listed = (await mock.get("/v2/sources", token=TOKEN)).body["data"]
    assert [s["id"] for s in listed] == [s["id"] for s in made]
    page = (await mock.get("/v2/sources", token=TOKEN, params={"limit": "1", "offset": "1"})).body["data"]
    assert [s["id"] for s in page] == [made[1]["id"]]
    assert (await mock.get("/v2/sources", token=TOKEN, params={"offset": "9"})).body == {"data": []}


async def test_organisations_see_only_their_own_sources(mock):
    mine = await make_source(mock)
    assert (await mock.get("/v2/sources", token=OTHER_TOKEN)).body == {"data": []}
    assert (await mock.get(f"/v2/sources/{mine['id']}", token=OTHER_TOKEN)).status == 404


async def test_get_answers_the_source(mock):
    made = await make_source(mock)
    answer = await mock.get(f"/v2/sources/{made['id']}", token=TOKEN)
    assert answer.status == 200
    assert answer.body == {"data": made}


async def test_patch_merges_properties_and_keeps_a_masked_password(mock):
    made = await make_source(mock)
    # Portable's own update-source example: an empty name and the mask sent back for the key.
    body = {"displayName": "", "properties": {"domain": "veradata-new", "api_key": MASK, "account_view_id": "12006154448"}}
    answer = await mock.patch(f"/v2/sources/{made['id']}", body, token=TOKEN)
    assert answer.status == 200
    data = answer.body["data"]
    assert data["properties"] == {"account_view_id": "12006154448", "api_key": MASK, "domain": "veradata-new"}
    assert data["createdAt"] == made["createdAt"]


async def test_patch_sets_updated_at_from_the_clock(mock):
    made = await make_source(mock)
    await mock.post("/__admin/clock/advance", {"seconds": 60})
    data = (await mock.patch(f"/v2/sources/{made['id']}", {"displayName": "Renamed"}, token=TOKEN)).body["data"]
    assert (data["displayName"], data["updatedAt"]) == ("Renamed", "2026-01-01T09:01:00Z")


async def test_patch_may_name_the_current_spec(mock):
    made = await make_source(mock)
    answer = await mock.patch(f"/v2/sources/{made['id']}", {"sourceSpec": "freshsales"}, token=TOKEN)
    assert answer.status == 200


async def test_delete_answers_ok_and_the_source_is_gone(mock):
    made = await make_source(mock)
    answer = await mock.delete(f"/v2/sources/{made['id']}", token=TOKEN)
    assert (answer.status, answer.body) == (200, {"message": "OK"})
    assert (await mock.get(f"/v2/sources/{made['id']}", token=TOKEN)).status == 404
    assert (await mock.delete(f"/v2/sources/{made['id']}", token=TOKEN)).status == 404


async def test_a_source_a_flow_uses_cannot_be_deleted(mock):
    flow = await make_flow(mock)
    before = mock.state()
    answer = await mock.delete(f"/v2/sources/{flow['source']}", token=TOKEN)
    assert answer.status == 400
    assert answer.body == {"message": f"source {flow['source']} is used by flow {flow['id']}; delete or change it first"}
    assert mock.state() == before
    assert (await mock.delete(f"/v2/flows/{flow['id']}", token=TOKEN)).status == 200
    assert (await mock.delete(f"/v2/sources/{flow['source']}", token=TOKEN)).status == 200


async def test_a_destination_a_flow_uses_cannot_be_deleted(mock):
    flow = await make_flow(mock)
    answer = await mock.delete(f"/v2/destinations/{flow['destination']}", token=TOKEN)
    assert answer.status == 400
    assert answer.body["message"].startswith(f"destination {flow['destination']} is used by flow {flow['id']}")


@pytest.mark.parametrize(("body", "message"), [
    ({"sourceSpec": "salesforce"}, 'unknown source spec "salesforce"'),
    ({"sourceSpec": "Freshsales"}, 'unknown source spec "Freshsales"'),
    ({"displayName": "x"}, "sourceSpec is required"),
    ({"sourceSpec": 7}, "sourceSpec must be of type string"),
    ({"sourceSpec": "freshsales", "properties": {"domain": "acme"}},
     'missing required property "api_key" for source spec "freshsales"'),
    ({"sourceSpec": "freshsales", "properties": {**FRESHSALES, "color": "blue"}},
     'unknown property "color" for source spec "freshsales"'),
    ({"sourceSpec": "hubspot", "properties": {"start_date": "2026-02-30"}},
     'property "start_date" must be a DATE (YYYY-MM-DD), got "2026-02-30"'),
    ({"sourceSpec": "jira", "properties": {"site": "a.atlassian.net", "email": "e@x.io", "api_token": "t", "page_size": "many"}},
     'property "page_size" must be a NUMBER, got "many"'),
    ({"sourceSpec": "freshsales", "properties": {"domain": ["a"], "api_key": "k"}},
     "properties.domain must be of type string or number or boolean or null"),
    ({"sourceSpec": "freshsales", "properties": "domain=acme"}, "properties must be of type object"),
])
async def test_bad_create_bodies_answer_400_and_store_nothing(mock, body, message):
    before = await warm(mock)
    answer = await mock.post("/v2/sources", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": message})
    assert mock.state() == before


async def test_malformed_json_answers_400(mock):
    before = await warm(mock)
    answer = await mock.request("POST", "/v2/sources", token=TOKEN, data="{", headers={"Content-Type": "application/json"})
    assert answer.status == 400 and answer.body["message"].startswith("malformed JSON")
    assert mock.state() == before


@pytest.mark.parametrize(("body", "message"), [
    ({"sourceSpec": "github"}, 'sourceSpec cannot be changed: source 80190 uses "freshsales"'),
    ({"properties": {"api_key": None}}, 'missing required property "api_key" for source spec "freshsales"'),
    ({"properties": {"token": "x"}}, 'unknown property "token" for source spec "freshsales"'),
    ({"displayName": 3}, "displayName must be of type string"),
])
async def test_bad_patches_answer_400_and_change_nothing(mock, body, message):
    made = await make_source(mock)
    before = mock.state()
    answer = await mock.patch(f"/v2/sources/{made['id']}", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"message": message})
    assert mock.state() == before


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_non_integer_ids_get_gos_binding_400(mock, method):
    before = await warm(mock)
    body = {"displayName": "x"} if method == "PATCH" else None
    answer = await mock.request(method, "/v2/sources/abc", token=TOKEN, **({"json_body": body} if body else {}))
    assert answer.status == 400
    assert answer.body == {"message": 'Invalid format for parameter id: error binding string parameter: '
                                      'strconv.ParseInt: parsing "abc": invalid syntax'}
    assert mock.state() == before


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_unknown_ids_answer_404(mock, method):
    before = await warm(mock)
    body = {"displayName": "x"} if method == "PATCH" else None
    answer = await mock.request(method, "/v2/sources/80190", token=TOKEN, **({"json_body": body} if body else {}))
    assert (answer.status, answer.body) == (404, {"message": "Not Found"})
    assert mock.state() == before


async def test_no_credentials_answer_401(mock):
    answer = await mock.get("/v2/sources")
    assert (answer.status, answer.body) == (401, {"message": "Unauthorized"})


async def test_the_journal_masks_source_passwords(mock):
    await make_source(mock, spec="okta", domain="demo.okta.com", client_id="0oa1", private_key="-----BEGIN KEY-----")
    (entry,) = [e for e in mock.engine.journal if e.operation_id == "createSource"]
    assert entry.request_body["properties"]["private_key"] == MASK
    assert entry.request_body["properties"]["domain"] == "demo.okta.com"
