"""Stitch sources over HTTP: create, list, retrieve, update (pause, unpause), soft delete, report cards
moving on the check lifecycle, source types, and every bad input in the sources family's shape."""

from __future__ import annotations

import copy

import pytest
from stitch_support import POSTGRES_SOURCE_CREATE, RECURLY_CREATE, SOURCE_KEYS, card_step, select

TOKEN = "ac_sources"


def recurly(**overrides) -> dict:
    body = copy.deepcopy(RECURLY_CREATE)
    body["properties"].update(overrides)
    return body


async def admin(mock, method: str, path: str, body=None):
    """A control-plane call (its own document is checked by the admin tests)."""
    answer = await mock.request(method, path, json_body=body if body is not None else {}, check=False)
    assert answer.status in (200, 201), answer
    return answer.body


async def create(mock, body=None, token=TOKEN) -> dict:
    answer = await mock.post("/v4/sources", body or recurly(), token=token)
    assert answer.status == 200, answer
    return answer.body


# -- source types ----------------------------------------------------------------------------------------

async def test_source_types_are_report_cards_with_details(mock):
    answer = await mock.get("/v4/source-types", token=TOKEN)
    assert answer.status == 200
    types = {card["type"]: card for card in answer.body}
    assert len(types) >= 10
    assert {"platform.recurly", "platform.hubspot", "platform.postgres", "platform.mysql", "platform.salesforce"} <= set(types)
    recurly_card = types["platform.recurly"]
    assert (recurly_card["current_step"], recurly_card["current_step_type"]) == (1, "form")
    assert [s["type"] for s in recurly_card["steps"]] == ["form", "discover_schema", "field_selection", "fully_configured"]
    assert recurly_card["details"] == {"pricing_tier": "standard", "pipeline_state": "released", "default_start_date": "-1 year",
                                       "default_scheduling_interval": 60, "protocol": "platform.recurly", "access": True}
    form = {p["name"]: p for p in recurly_card["steps"][0]["properties"]}
    assert form["api_key"]["is_credential"] is True and form["api_key"]["provided"] is False
    assert form["image_version"]["property_type"] == "read_only" and form["image_version"]["json_schema"] is None
    assert form["quota_limit"]["json_schema"] == {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^\\d+"}]}
    assert all("tap_mutable" in p for p in form.values())
    hubspot = types["platform.hubspot"]
    assert [s["type"] for s in hubspot["steps"]] == ["form", "oauth", "discover_schema", "field_selection", "fully_configured"]


async def test_one_source_type_and_an_unknown_one(mock):
    answer = await mock.get("/v4/source-types/platform.hubspot", token=TOKEN)
    assert answer.status == 200 and answer.body["type"] == "platform.hubspot"
    missing = await mock.get("/v4/source-types/platform.nope", token=TOKEN)
    assert (missing.status, missing.body) == (404, "source type not found: platform.nope")


# -- create ------------------------------------------------------------------------------------------

async def test_create_as_the_guide_shows(make_mock):
    mock = await make_mock(check_delay=0)
    body = await create(mock)
    assert set(body) == SOURCE_KEYS
    assert body["name"] == "recurly" and body["display_name"] == "Recurly" and body["type"] == "platform.recurly"
    assert "api_key" not in body["properties"]
    assert body["properties"]["image_version"] == "1.latest"
    assert body["properties"]["quota_limit"] == "30"
    assert card_step(body) == (3, "field_selection")  # the check and discovery finished inside the request
    assert body["schedule"] is None
    assert body["check_job_name"].startswith(f"{body['stitch_client_id']}.{body['id']}.check.")
    assert body["deleted_at"] is None and body["paused_at"] is None and body["system_paused_at"] is None
    form = {p["name"]: p for p in body["report_card"]["steps"][0]["properties"]}
    assert form["api_key"]["provided"] is True and form["anchor_time"]["provided"] is False


async def test_values_may_be_numbers_and_come_back_as_strings(make_mock):
    mock = await make_mock(check_delay=0)
    body = await create(mock, recurly(quota_limit=30, frequency_in_minutes=60))
    assert body["properties"]["quota_limit"] == "30" and body["properties"]["frequency_in_minutes"] == "60"


async def test_incomplete_form_stays_at_form_and_runs_no_check(mock):
    body = recurly()
    del body["properties"]["subdomain"]
    created = await create(mock, body)
    assert card_step(created) == (1, "form") and "check_job_name" not in created
    check = await mock.get(f"/v4/sources/{created['id']}/last-connection-check", token=TOKEN)
    assert (check.status, check.body) == (404, f"no connection check has run for source {created['id']}")
    completed = await mock.put(f"/v4/sources/{created['id']}", {"properties": {"subdomain": "acme"}}, token=TOKEN)
    assert card_step(completed.body) == (2, "discover_schema") and "check_job_name" in completed.body


async def test_oauth_step_waits_for_its_user_provided_property(make_mock):
    mock = await make_mock(check_delay=0)
    ga = await create(mock, {"type": "platform.google-analytics", "display_name": "Google Analytics",
                             "properties": {"start_date": "2024-01-01T00:00:00Z"}})
    assert card_step(ga) == (2, "oauth")
    updated = (await mock.put(f"/v4/sources/{ga['id']}", {"properties": {"view_id": "123456"}}, token=TOKEN)).body
    assert card_step(updated) == (4, "field_selection")
    hubspot = await create(mock, {"type": "platform.hubspot", "display_name": "HubSpot",
                                  "properties": {"start_date": "2024-01-01T00:00:00Z"}})
    assert card_step(hubspot) == (4, "field_selection")  # OAuth client values default to Stitch's own


async def test_check_runs_on_the_clock_then_discovery_and_selection_configure(mock):
    created = await create(mock)
    assert card_step(created) == (2, "discover_schema")
    running = (await mock.get(f"/v4/sources/{created['id']}/last-connection-check", token=TOKEN)).body
    assert running["status"] == "running" and running["name"] == created["check_job_name"]
    assert (await mock.get(f"/v4/sources/{created['id']}/streams", token=TOKEN)).body == []
    mock.advance(2)
    done = (await mock.get(f"/v4/sources/{created['id']}/last-connection-check", token=TOKEN)).body
    assert done["status"] == "succeeded" and done["discovery_exit_status"] == 0 and done["check_exit_status"] == 0
    source = (await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body
    assert card_step(source) == (3, "field_selection") and source["schedule"] is None
    assert (await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("accounts"), token=TOKEN)).status == 200
    source = (await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body
    assert card_step(source) == (4, "fully_configured")
    assert source["schedule"] == {"type": "interval", "unit": "minute", "interval": 60.0, "next_fire_time": "2026-01-01T10:00:00Z"}


@pytest.mark.parametrize("overrides, message", [
    ({"host": "db.example.invalid"}, 'could not translate host name "db.example.invalid" to address: Name or service not known'),
    ({"password": "wrong-password"}, 'FATAL:  password authentication failed for user "replicator"'),
])
async def test_a_failed_check_keeps_the_source_at_discover_schema(make_mock, overrides, message):
    mock = await make_mock(check_delay=0)
    body = copy.deepcopy(POSTGRES_SOURCE_CREATE)
    body["properties"].update(overrides)
    created = await create(mock, body)
    assert card_step(created) == (2, "discover_schema")
    check = (await mock.get(f"/v4/sources/{created['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "failed" and check["error"] is True and check["discovery_exit_status"] == 1
    assert check["discovery_error_message"] == message
    assert (await mock.get(f"/v4/sources/{created['id']}/streams", token=TOKEN)).body == []


async def test_wrong_api_key_fails_discovery_and_a_fix_recovers(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, recurly(api_key="wrong-password"))
    assert card_step(created) == (2, "discover_schema")
    fixed = (await mock.put(f"/v4/sources/{created['id']}", {"properties": {"api_key": "right"}}, token=TOKEN)).body
    assert card_step(fixed) == (3, "field_selection")


async def test_the_check_can_be_held_and_forced_from_the_control_plane(mock):
    await admin(mock, "PUT", "/__admin/lifecycles/stitch.source_check", {"mode": "manual"})
    created = await create(mock)
    mock.advance(60)
    assert card_step((await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body) == (2, "discover_schema")
    await admin(mock, "POST", "/__admin/lifecycles/stitch.source_check/advance", {"resource_id": created["id"]})
    assert card_step((await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body) == (3, "field_selection")
    await admin(mock, "PUT", "/__admin/lifecycles/stitch.source_check", {"mode": "time"})
    await admin(mock, "POST", "/__admin/lifecycles/stitch.source_check/force", {"state": "failed", "message": "tap crashed"})
    other = await create(mock, {**recurly(), "display_name": "Recurly EU"})
    mock.advance(2)
    check = (await mock.get(f"/v4/sources/{other['id']}/last-connection-check", token=TOKEN)).body
    assert check["status"] == "failed" and check["discovery_error_message"] == "tap crashed"


async def test_database_source_discovers_database_named_streams(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock, copy.deepcopy(POSTGRES_SOURCE_CREATE))
    assert created["name"] == "shop_db" and "password" not in created["properties"]
    streams = (await mock.get(f"/v4/sources/{created['id']}/streams", token=TOKEN)).body
    ids = [s["tap_stream_id"] for s in streams]
    assert "shop-public-customers" in ids and "shop-public-orders" in ids
    customers = next(s for s in streams if s["stream_name"] == "customers")
    assert customers["metadata"] == {"database-name": "shop", "is-view": False, "row-count": 5200, "schema-name": "public",
                                     "selected": None, "table-key-properties": ["id"]}


# -- names -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("display_name, name", [("GitHub", "github"), ("Import API", "import_api"),
                                                ("Recurly!!!", "recurly"), ("My Shop-Prod", "my_shop_prod")])
async def test_name_is_derived_from_display_name(mock, display_name, name):
    assert (await create(mock, {**recurly(), "display_name": display_name}))["name"] == name


async def test_display_name_update_keeps_the_name(mock):
    created = await create(mock)
    updated = await mock.put(f"/v4/sources/{created['id']}", {"display_name": "Recurly (prod)"}, token=TOKEN)
    assert updated.status == 200
    assert updated.body["display_name"] == "Recurly (prod)" and updated.body["name"] == "recurly"


# -- list, retrieve, pause, delete ------------------------------------------------------------------------

async def test_list_holds_active_paused_and_deleted_sources(make_mock):
    mock = await make_mock(check_delay=0)
    active = await create(mock)
    paused = await create(mock, {**recurly(), "display_name": "Paused"})
    deleted = await create(mock, {**recurly(), "display_name": "Gone"})
    await mock.put(f"/v4/sources/{paused['id']}", {"paused_at": "2019-06-01T00:00:00Z"}, token=TOKEN)
    answer = await mock.delete(f"/v4/sources/{deleted['id']}", token=TOKEN)
    assert answer.status == 200 and answer.body["deleted_at"] == "2026-01-01T09:00:00Z" and answer.body["schedule"] is None
    assert set(answer.body) == SOURCE_KEYS
    listed = (await mock.get("/v4/sources", token=TOKEN)).body
    assert [s["id"] for s in listed] == [active["id"], paused["id"], deleted["id"]]
    assert [s["paused_at"] for s in listed] == [None, "2019-06-01T00:00:00Z", None]
    assert listed[2]["deleted_at"] is not None
    one = (await mock.get(f"/v4/sources/{deleted['id']}", token=TOKEN)).body
    assert one["deleted_at"] == answer.body["deleted_at"]


async def test_pause_and_unpause(make_mock):
    mock = await make_mock(check_delay=0)
    created = await create(mock)
    await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("accounts"), token=TOKEN)
    paused = (await mock.put(f"/v4/sources/{created['id']}", {"paused_at": "2019-06-01T00:00:00Z"}, token=TOKEN)).body
    assert paused["paused_at"] == "2019-06-01T00:00:00Z" and paused["schedule"] is None
    zoneless = (await mock.put(f"/v4/sources/{created['id']}", {"paused_at": "2026-11-24T20:31:02.123456"}, token=TOKEN)).body
    assert zoneless["paused_at"] == "2026-11-24T20:31:02Z"
    unpaused = (await mock.put(f"/v4/sources/{created['id']}", {"paused_at": None}, token=TOKEN)).body
    assert unpaused["paused_at"] is None and unpaused["schedule"]["type"] == "interval"


async def test_sources_belong_to_one_account(mock):
    created = await create(mock)
    assert (await mock.get("/v4/sources", token="ac_other")).body == []
    other = await mock.get(f"/v4/sources/{created['id']}", token="ac_other")
    assert (other.status, other.body) == (400, {"error": "InvalidId", "data": {"message": f"source not found ({created['id']})"}})


async def test_source_maps_to_a_destination_and_the_destination_filter_finds_it(make_mock):
    mock = await make_mock(check_delay=0)
    from stitch_support import SEED_V4_CREATE
    destination = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    source = await create(mock)
    mapped = (await mock.get(f"/v4/destinations?source_id={source['id']}", token=TOKEN)).body
    assert [d["id"] for d in mapped] == [destination["id"]]
    assert (await mock.get("/v4/destinations?source_id=1", token=TOKEN)).body == []


# -- bad input: the sources family's shape, and nothing changes ------------------------------------------

BODY = "POST body may only include a non-empty type, a non-empty display_name and map of string properties"
PUT_BODY = "PUT body many only include the keys: display_name, properties, and paused_at"


@pytest.mark.parametrize("body, error, message", [
    ({"display_name": "X"}, "InvalidBody", BODY),
    ({"type": "platform.recurly"}, "InvalidBody", BODY),
    ({"type": "", "display_name": "X"}, "InvalidBody", BODY),
    ({"type": "platform.recurly", "display_name": ""}, "InvalidBody", BODY),
    ({"type": "platform.recurly", "display_name": "X", "properties": []}, "InvalidBody", BODY),
    ({"type": "platform.recurly", "display_name": "X", "schedule": {}}, "InvalidBody", BODY),
    ([], "InvalidBody", BODY),
    ({"type": "platform.nope", "display_name": "X"}, "InvalidType", "invalid source type (platform.nope)"),
    ({"type": "platform.marketo", "display_name": "X"}, "AccessDenied", "you do not have access to source type (platform.marketo)"),
    ({"type": "platform.recurly", "display_name": "####"}, "InvalidDisplayName", "invalid name after deriving it from display_name (#### -> )"),
    ({"type": "platform.recurly", "display_name": "1st"}, "InvalidName",
     "The name field must be under 50 characters, and can only contain lowercase letters, numbers, underscores, or dollar signs. "
     "It must begin with a letter or an underscore."),
    ({"type": "platform.recurly", "display_name": "X", "properties": {"cron_expression": "0 0 12 ? * MON-FRI *"}},
     "AccessDenied", "access to cron_expression based scheduling is not permitted"),
])
async def test_bad_create_bodies(mock, body, error, message):
    await create(mock)  # the account exists: a rejected request must not change it
    before = mock.state()
    answer = await mock.post("/v4/sources", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"error": error, "data": {"message": message}})
    assert mock.state() == before


async def test_malformed_json_and_empty_body(mock):
    for raw in (b"{", b"", b"null"):
        answer = await mock.request("POST", "/v4/sources", data=raw, headers={"Content-Type": "application/json"}, token=TOKEN)
        assert (answer.status, answer.body) == (400, {"error": "InvalidBody", "data": {"message": BODY}})


async def test_names_must_be_unique(mock):
    await create(mock)
    before = mock.state()
    same = await mock.post("/v4/sources", {**recurly(), "display_name": "recurly"}, token=TOKEN)
    assert same.body == {"error": "InvalidName", "data": {"message": "non-unique name (recurly)"}}
    derived = await mock.post("/v4/sources", {**recurly(), "display_name": "Recurly!!!"}, token=TOKEN)
    assert derived.body == {"error": "InvalidName",
                            "data": {"message": "non-unique name after deriving it from display_name (Recurly!!! -> recurly)"}}
    assert mock.state() == before


async def test_bad_properties_name_them_with_a_report_card(mock):
    before = mock.state()
    answer = await mock.post("/v4/sources", recurly(start_date="2018-01-10", frequency_in_minutes="5", image_version="2"), token=TOKEN)
    assert answer.status == 400
    assert answer.body["error"] == "InvalidProperties"
    assert answer.body["data"]["message"] == "properties do not match schema"
    assert answer.body["data"]["bad_properties"] == ["start_date", "frequency_in_minutes", "image_version"]
    assert answer.body["data"]["report_card"]["type"] == "platform.recurly"
    assert mock.state() == before


async def test_cron_on_a_plan_that_allows_it(make_mock):
    mock = await make_mock(declared_tenants={"stitch": {TOKEN: {"cron_scheduling": True}}})
    bad = await mock.post("/v4/sources", recurly(cron_expression="* * * * * *"), token=TOKEN)
    assert bad.body == {"error": "InvalidCronExpression", "data": {"message": (
        'cron_expression "* * * * * *" is invalid: Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.')}}
    good = await mock.post("/v4/sources", recurly(cron_expression="0 0 12 ? * MON-FRI *"), token=TOKEN)
    assert good.status == 200 and good.body["properties"]["cron_expression"] == "0 0 12 ? * MON-FRI *"


@pytest.mark.parametrize("body, error, message", [
    ({"name": "x"}, "InvalidBody", PUT_BODY),
    ({"paused_at": "yesterday"}, "InvalidBody", PUT_BODY),
    ({"paused_at": 5}, "InvalidBody", PUT_BODY),
    ({"display_name": ""}, "InvalidDisplayName", "invalid display_name ()"),
    ({"display_name": "!!!"}, "InvalidDisplayName", "invalid display_name (!!!)"),
    ({"destination_id": 1}, "InvalidId", "destination not found (1)"),
    ({"properties": {"quota_limit": "many"}}, "InvalidProperties", "properties do not match schema"),
])
async def test_bad_updates(mock, body, error, message):
    created = await create(mock)
    before = mock.state()
    answer = await mock.put(f"/v4/sources/{created['id']}", body, token=TOKEN)
    assert answer.status == 400 and answer.body["error"] == error and answer.body["data"]["message"] == message
    assert mock.state() == before


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("PUT", ""), ("DELETE", ""), ("GET", "/last-connection-check")])
async def test_unknown_source_ids(mock, method, suffix):
    await create(mock)
    before = mock.state()
    body = {"display_name": "x"} if method == "PUT" else None
    answer = await mock.request(method, f"/v4/sources/999{suffix}", token=TOKEN, **({"json_body": body} if body else {}))
    assert (answer.status, answer.body) == (400, {"error": "InvalidId", "data": {"message": "source not found (999)"}})
    assert mock.state() == before


async def test_deleted_source_cannot_be_updated_or_deleted_again(mock):
    created = await create(mock)
    await mock.delete(f"/v4/sources/{created['id']}", token=TOKEN)
    before = mock.state()
    for answer in (await mock.put(f"/v4/sources/{created['id']}", {"display_name": "x"}, token=TOKEN),
                   await mock.delete(f"/v4/sources/{created['id']}", token=TOKEN)):
        assert answer.body == {"error": "InvalidId", "data": {"message": f"source not found ({created['id']})"}}
    assert mock.state() == before


async def test_non_numeric_ids_and_unknown_methods_are_404(mock):
    for method, path in [("GET", "/v4/sources/abc"), ("PATCH", "/v4/sources/1"), ("POST", "/v4/sources/1")]:
        answer = await mock.request(method, path, token=TOKEN)
        assert (answer.status, answer.body) == (404, "Not Found")


async def test_no_token_is_401(mock):
    answer = await mock.get("/v4/sources")
    assert (answer.status, answer.body) == (401, {"message": "Not Authorized"})


async def test_bad_properties_of_an_import_api_source(mock):
    before = mock.state()
    answer = await mock.post("/v4/sources", {"type": "import_api", "display_name": "Import API",
                                             "properties": {"nested": {"a": [1]}, "list": [False]}}, token=TOKEN)
    assert answer.status == 400 and answer.body["error"] == "InvalidProperties"
    assert answer.body["data"]["bad_properties"] == ["nested", "list"]
    assert answer.body["data"]["report_card"]["current_step_type"] == "fully_configured"
    assert mock.state() == before


async def test_pause_times_out_of_range_in_utc_are_refused(mock):
    created = await create(mock)
    before = mock.state()
    answer = await mock.put(f"/v4/sources/{created['id']}", {"paused_at": "9999-12-31T23:00:00-05:00"}, token=TOKEN)
    assert answer.body == {"error": "InvalidBody", "data": {"message": PUT_BODY}}
    assert mock.state() == before
