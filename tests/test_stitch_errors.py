"""Every documented Stitch error: exact status and body, never a 500, and no state change."""

from __future__ import annotations

import copy

import pytest

from stitch_support import SEED_V3_CREATE, SEED_V4_CREATE

TOKEN = "ac_errors"
V4_INVALID = "POST body may only include a type, a name, a description, map of properties, and boolean for unmapped sources"
V3_INVALID = "body must be a map with type = redshift, postgres, or snowflake. required-keys = type, connection"


async def rejected(mock, method: str, path: str, status: int, expected, **kw):
    """Send a request that must be refused, and prove it changed nothing."""
    before = mock.state()
    answer = await mock.request(method, path, **kw)
    assert answer.status == status, answer
    if expected is not None:
        assert answer.body == expected
    assert mock.state() == before
    return answer


# -- auth --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic YWJjOmRlZg==", "Token abc", "Bearer a b"])
async def test_missing_or_malformed_auth_is_401(mock, header):
    headers = {} if header is None else {"Authorization": header}
    for method, path in [("GET", "/v4/destinations"), ("GET", "/v4/destination-types"), ("GET", "/v3/destinations")]:
        await rejected(mock, method, path, 401, {"message": "Not Authorized"}, headers=headers)
    await rejected(mock, "POST", "/v4/destinations", 401, {"message": "Not Authorized"}, headers=headers, json_body=SEED_V4_CREATE)


async def test_each_token_is_its_own_account(mock):
    a = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="ac_a")).body
    b = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="ac_b")).body
    assert a["stitch_client_id"] != b["stitch_client_id"]
    assert [d["id"] for d in (await mock.get("/v4/destinations", token="ac_a")).body] == [a["id"]]
    assert [d["id"] for d in (await mock.get("/v4/destinations", token="ac_b")).body] == [b["id"]]
    # One account cannot read, change or delete another's destination.
    await rejected(mock, "PUT", f"/v4/destinations/{a['id']}", 400, "invalid connection id", token="ac_b", json_body={"properties": {}})
    await rejected(mock, "DELETE", f"/v4/destinations/{a['id']}", 400,
                   f"Unable to locate dest ({a['id']}) for client ({b['stitch_client_id']}) to delete", token="ac_b")
    await rejected(mock, "GET", f"/v4/destinations/{a['id']}/last-connection-check", 400, "invalid connection id", token="ac_b")


# -- create ------------------------------------------------------------------------------------------

async def test_destination_limit_is_one_by_default(mock):
    await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)
    await rejected(mock, "POST", "/v4/destinations", 400, "you are at your destination limit", token=TOKEN, json_body=SEED_V4_CREATE)
    await rejected(mock, "POST", "/v3/destinations", 400, "you are at your destination limit", token=TOKEN, json_body=SEED_V3_CREATE)


async def test_destination_limit_is_configurable(make_mock):
    mock = await make_mock(stitch_destination_limit=2)
    assert (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).status == 200
    assert (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).status == 200
    await rejected(mock, "POST", "/v4/destinations", 400, "you are at your destination limit", token=TOKEN, json_body=SEED_V4_CREATE)


async def test_deleting_frees_the_slot(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    await mock.delete(f"/v4/destinations/{created['id']}", token=TOKEN)
    assert (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).status == 200


@pytest.mark.parametrize(
    "body",
    [
        {**SEED_V4_CREATE, "colour": "blue"},
        {"type": "postgres"},
        {"properties": {"host": "h"}},
        {"type": 5, "properties": {}},
        {"type": "postgres", "properties": "host=h"},
        {"type": "postgres", "properties": {}, "ignore_unmapped_sources": "yes"},
        [SEED_V4_CREATE],
        "postgres",
    ],
)
async def test_v4_create_with_missing_or_prohibited_arguments(mock, body):
    await rejected(mock, "POST", "/v4/destinations", 400, V4_INVALID, token=TOKEN, json_body=body)


@pytest.mark.parametrize("raw", [b"{", b"", b"   ", b'{"type": "postgres",}', b"\xff\xfe{}", b"null"])
async def test_v4_create_with_malformed_or_empty_body(mock, raw):
    await rejected(mock, "POST", "/v4/destinations", 400, V4_INVALID, token=TOKEN, data=raw,
                   headers={"Content-Type": "application/json"})


async def test_v4_create_with_unknown_type(mock):
    body = {**SEED_V4_CREATE, "type": "oracle"}
    await rejected(mock, "POST", "/v4/destinations", 400,
                   {"error": "InvalidType", "data": {"message": "oracle is not a valid destination type"}}, token=TOKEN, json_body=body)


async def test_v4_create_with_inaccessible_type(mock):
    body = {"type": "storagegrid", "properties": {"endpoint": "grid.example.com"}}
    await rejected(mock, "POST", "/v4/destinations", 400,
                   {"error": "AccessDenied", "data": {"message": "destination type storagegrid is not available on this account's plan"}},
                   token=TOKEN, json_body=body)


@pytest.mark.parametrize(
    "overrides, bad",
    [
        ({"port": "fifty"}, ["port"]),
        ({"encryption_type": "tls"}, ["encryption_type"]),
        ({"ssl": "maybe"}, ["ssl"]),
        ({"host": None}, ["host"]),
        ({"database": ""}, ["database"]),
        ({"port": "x", "ssl": "y"}, ["port", "ssl"]),
        ({"mystery": {"nested": True}}, ["mystery"]),
    ],
)
async def test_v4_create_with_properties_that_do_not_match_their_schema(mock, overrides, bad):
    body = copy.deepcopy(SEED_V4_CREATE)
    body["properties"].update(overrides)
    answer = await rejected(mock, "POST", "/v4/destinations", 400, None, token=TOKEN, json_body=body)
    assert answer.body["error"] == "InvalidProperties"
    assert answer.body["data"]["message"] == "properties do not match schema"
    assert answer.body["data"]["bad_properties"] == bad
    card = answer.body["data"]["report_card"]
    assert card["type"] == "postgres" and card["current_step"] == 1


async def test_v3_create_with_bad_body_or_type(mock):
    for body in [{"type": "redshift"}, {"connection": {}}, {**SEED_V3_CREATE, "name": "x"}, {"type": "oracle", "connection": {}}]:
        await rejected(mock, "POST", "/v3/destinations", 400, V3_INVALID, token=TOKEN, json_body=body)
    await rejected(mock, "POST", "/v3/destinations", 400, V3_INVALID, token=TOKEN, data=b"{nope", headers={"Content-Type": "application/json"})


async def test_body_over_the_size_limit_is_413(make_mock):
    mock = await make_mock(max_body_bytes=2048)
    body = copy.deepcopy(SEED_V4_CREATE)
    body["description"] = "x" * 4096
    await rejected(mock, "POST", "/v4/destinations", 413, "request body is too large", token=TOKEN, json_body=body)


# -- update ------------------------------------------------------------------------------------------

async def test_update_cannot_change_type(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    msg = "this API endpoint does not support modifying destination type"
    await rejected(mock, "PUT", f"/v4/destinations/{created['id']}", 400, msg, token=TOKEN,
                   json_body={"type": "redshift", "properties": {}})
    await rejected(mock, "PUT", f"/v3/destinations/{created['id']}", 400, msg, token=TOKEN,
                   json_body={"type": "redshift", "connection": {}})


async def test_update_unknown_id(mock):
    await rejected(mock, "PUT", "/v4/destinations/999999", 400, "invalid connection id", token=TOKEN, json_body={"properties": {}})
    await rejected(mock, "PUT", "/v3/destinations/999999", 400, "invalid connection id", token=TOKEN,
                   json_body={"type": "postgres", "connection": {}})


@pytest.mark.parametrize("path", ["/v4/destinations/abc", "/v4/destinations/12a", "/v4/destinations/-1", "/v3/destinations/abc"])
async def test_update_non_numeric_id_is_404(mock, path):
    body = {"properties": {}} if path.startswith("/v4") else {"type": "postgres", "connection": {}}
    await rejected(mock, "PUT", path, 404, "Not Found", token=TOKEN, json_body=body)


async def test_v4_update_with_bad_arguments_or_values(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    path = f"/v4/destinations/{created['id']}"
    invalid = "PUT body may only include a type, a name, a description, and map of properties"
    await rejected(mock, "PUT", path, 400, invalid, token=TOKEN, json_body={"name": "only a name"})
    await rejected(mock, "PUT", path, 400, invalid, token=TOKEN, json_body={"properties": {}, "paused": True})
    answer = await rejected(mock, "PUT", path, 400, None, token=TOKEN, json_body={"properties": {"port": "http"}})
    assert answer.body["data"]["bad_properties"] == ["port"]


async def test_v4_update_merges_properties_and_renames(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    answer = await mock.put(f"/v4/destinations/{created['id']}",
                            {"properties": {"username": "stitch_admin"}, "name": "Production"}, token=TOKEN)
    assert answer.status == 200
    assert answer.body["name"] == "Production"
    assert answer.body["properties"]["username"] == "stitch_admin"
    assert answer.body["properties"]["host"] == "[HOST_ADDRESS]"


# -- delete, list, last check ------------------------------------------------------------------------

async def test_delete_answers_empty_object_then_unknown(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    answer = await mock.delete(f"/v4/destinations/{created['id']}", token=TOKEN)
    assert (answer.status, answer.body) == (200, {})
    assert (await mock.get("/v4/destinations", token=TOKEN)).body == []
    msg = f"Unable to locate dest ({created['id']}) for client ({created['stitch_client_id']}) to delete"
    await rejected(mock, "DELETE", f"/v4/destinations/{created['id']}", 400, msg, token=TOKEN)


@pytest.mark.parametrize("path", ["/v4/destinations/abc", "/v4/destinations/", "/v3/destinations/1"])
async def test_delete_without_or_with_illegal_id_is_404(mock, path):
    await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)
    await rejected(mock, "DELETE", path, 404, "Not Found", token=TOKEN)


async def test_list_filters_and_rejects_other_params(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body
    assert len((await mock.get("/v4/destinations", token=TOKEN, params={"destination_id": str(created["id"])})).body) == 1
    assert (await mock.get("/v4/destinations", token=TOKEN, params={"destination_id": "1"})).body == []
    assert (await mock.get("/v4/destinations", token=TOKEN, params={"source_id": "5"})).body == []
    msg = "GET may only include the params: source_id and/or destination_id"
    await rejected(mock, "GET", "/v4/destinations", 400, msg, token=TOKEN, params={"page": "2"})
    await rejected(mock, "GET", "/v4/destinations", 400, msg, token=TOKEN, params={"destination_id": "abc"})


async def test_unknown_routes_and_methods_are_404(mock):
    for method, path in [
        ("PATCH", "/v4/destinations/1"), ("GET", "/v4/destinations/1"), ("POST", "/v4/destination-types"),
        ("GET", "/v4/nothing"), ("DELETE", "/v3/destinations"), ("GET", "/v4"), ("GET", "/v3/destinations/1/x"),
        ("GET", "/oauth/revoke"), ("GET", "/oauth/token"), ("POST", "/notifications/private/v1/api/hooks"),
    ]:
        await rejected(mock, method, path, 404, "Not Found", token=TOKEN)


async def test_unknown_destination_type_is_404(mock):
    await rejected(mock, "GET", "/v4/destination-types/oracle", 404, "destination type not found: oracle", token=TOKEN)
