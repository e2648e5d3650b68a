"""GET /api/v1/workspace: the workspace a key names, with the name `--config` declares for it."""

from __future__ import annotations

import re

from census_support import OTHER, TOKEN

PATH = "/api/v1/workspace"


async def test_a_key_names_its_own_workspace(mock):
    answer = await mock.get(PATH, token=TOKEN)
    assert answer.status == 200
    assert answer.body["status"] == "success"
    data = answer.body["data"]
    assert set(data) == {"id", "name", "organization_id", "created_at", "notification_emails"}
    assert data["id"] == 123 and data["name"] == "Workspace 123" and data["organization_id"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["created_at"])
    assert data["notification_emails"] == []
    mock.advance(60)
    assert (await mock.get(PATH, token=TOKEN)).body == answer.body  # stable
    other = (await mock.get(PATH, token=OTHER)).body["data"]
    assert other["id"] == 124


async def test_the_key_prefix_and_basic_auth_name_the_same_workspace(mock):
    first = (await mock.get(PATH, token=TOKEN)).body
    bare = TOKEN.removeprefix("secret-token:")
    assert (await mock.get(PATH, token=bare)).body == first
    assert (await mock.get(PATH, basic=("bearer", TOKEN))).body == first


async def test_a_declared_workspace_name_shows(make_mock):
    mock = await make_mock(declared_tenants={"census": {TOKEN: {"workspace_name": "Acme Analytics"}}})
    assert (await mock.get(PATH, token=TOKEN)).body["data"]["name"] == "Acme Analytics"


async def test_without_a_key_it_is_401_and_creates_nothing(mock):
    before = mock.state()
    for kw in ({}, {"basic": ("someone", "key")}, {"headers": {"Authorization": "Bearer "}}):
        answer = await mock.get(PATH, **kw)
        assert (answer.status, answer.body) == (401, {"status": 401})
    assert mock.state() == before
