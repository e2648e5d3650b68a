"""Portable auth: Bearer tokens are organisations; plans without API access get 403 on every call."""

from __future__ import annotations

from typing import Any

import pytest

from portable_support import NO_API, OTHER_TOKEN, TOKEN, create, create_body

# One call per operation, each as it would succeed for an organisation with destination 689421.
CALLS: list[tuple[str, str, Any]] = [
    ("POST", "/v2/destinations", create_body()),
    ("GET", "/v2/destinations", None),
    ("GET", "/v2/destinations/689421", None),
    ("PATCH", "/v2/destinations/689421", {"displayName": "x"}),
    ("DELETE", "/v2/destinations/689421", None),
    ("GET", "/v2/destination-specs", None),
    ("GET", "/v2/destination-specs/snowflake", None),
]
CALL_IDS = [f"{m} {p}" for m, p, _ in CALLS]


async def send(mock: Any, method: str, path: str, body: Any, **kw: Any) -> Any:
    if body is not None:
        kw["json_body"] = body
    return await mock.request(method, path, **kw)


@pytest.mark.parametrize("method,path,body", CALLS, ids=CALL_IDS)
async def test_no_credentials_is_401(mock, method, path, body):
    before = mock.state()
    answer = await send(mock, method, path, body)
    assert answer.status == 401
    assert answer.body == {"message": "Unauthorized"}
    assert mock.state() == before


@pytest.mark.parametrize(
    "header",
    ["Basic cG9ydGFibGU6c2VjcmV0", "Bearer", "Bearer ", "Token abc", "abc", "Bearer two words"],
)
async def test_malformed_authorization_is_401(mock, header):
    before = mock.state()
    answer = await mock.get("/v2/destinations", headers={"Authorization": header})
    assert answer.status == 401
    assert answer.body == {"message": "Unauthorized"}
    assert mock.state() == before


async def test_scheme_is_case_insensitive(mock):
    answer = await mock.get("/v2/destinations", headers={"authorization": f"bearer {TOKEN}"})
    assert answer.status == 200


async def test_auth_is_checked_before_the_id(mock):
    answer = await mock.get("/v2/destinations/not-a-number")
    assert answer.status == 401


@pytest.mark.parametrize("method,path,body", CALLS, ids=CALL_IDS)
async def test_plan_without_api_access_is_403_on_every_call(make_mock, method, path, body):
    mock = await make_mock(portable_no_api_tokens=frozenset({"starter"}))
    before = mock.state()
    answer = await send(mock, method, path, body, token="starter")
    assert answer.status == 403
    assert answer.body == {"message": NO_API}
    assert mock.state() == before


async def test_403_comes_before_id_and_body_checks(make_mock):
    mock = await make_mock(portable_no_api_tokens=frozenset({"starter"}))
    assert (await mock.get("/v2/destinations/abc", token="starter")).status == 403
    assert (await mock.post("/v2/destinations", {"nope": 1}, token="starter")).status == 403


async def test_declared_tenant_without_api_access_is_403(make_mock):
    mock = await make_mock(declared_tenants={"portable": {"starter": {"api_access": False}}})
    before = mock.state()
    answer = await mock.get("/v2/destinations", token="starter")
    assert answer.status == 403
    assert answer.body == {"message": NO_API}
    assert mock.state() == before


async def test_declared_tenant_with_api_access_works(make_mock):
    mock = await make_mock(declared_tenants={"portable": {"pro": {"api_access": True}}})
    assert (await mock.get("/v2/destinations", token="pro")).status == 200


async def test_api_access_switched_off_later_is_403(mock):
    await create(mock)
    mock.engine.store.find_tenant("portable", TOKEN).attrs["api_access"] = False
    answer = await mock.get("/v2/destinations", token=TOKEN)
    assert answer.status == 403


async def test_other_tokens_keep_api_access(make_mock):
    mock = await make_mock(portable_no_api_tokens=frozenset({"starter"}))
    assert (await mock.get("/v2/destinations", token=TOKEN)).status == 200


async def test_strict_auth_refuses_undeclared_tokens(make_mock):
    mock = await make_mock(strict_auth=True, declared_tenants={"portable": {"known": {}}})
    before = mock.state()
    answer = await mock.get("/v2/destinations", token="stranger")
    assert answer.status == 401
    assert answer.body == {"message": "Unauthorized"}
    assert mock.state() == before
    assert (await mock.get("/v2/destinations", token="known")).status == 200


async def test_each_token_is_its_own_organisation(mock):
    mine = await create(mock, displayName="mine")
    theirs = await create(mock, token=OTHER_TOKEN, displayName="theirs")
    listed = await mock.get("/v2/destinations", token=OTHER_TOKEN)
    assert listed.body == {"data": [theirs]}
    assert (await mock.get(f"/v2/destinations/{mine['id']}", token=OTHER_TOKEN)).status == 404
    assert (await mock.get(f"/v2/destinations/{mine['id']}", token=TOKEN)).body == {"data": mine}
