"""Census auth: Bearer or Basic `bearer:<key>`, the `secret-token:` prefix, and 401 `{"status": 401}`."""

from __future__ import annotations

import base64

import pytest

from census_support import BASE, BRAZE, TOKEN, connection, create

WORKSPACE = "census-workspace-a"  # TOKEN without its secret-token: prefix


async def test_bearer_and_basic_name_the_same_workspace(mock):
    created = await create(mock, "braze", BRAZE, token=TOKEN)
    answer = await mock.get(f"{BASE}/destinations/{created['id']}", basic=("bearer", TOKEN))
    assert answer.status == 200 and answer.body["data"]["id"] == created["id"]


@pytest.mark.parametrize("spelling", [WORKSPACE, TOKEN])
async def test_the_secret_token_prefix_is_optional(mock, spelling):
    created = await create(mock, "braze", BRAZE, token=TOKEN)
    listed = await mock.get(f"{BASE}/destinations", token=spelling)
    assert [d["id"] for d in listed.body["data"]] == [created["id"]]
    basic = await mock.get(f"{BASE}/destinations", basic=("bearer", spelling))
    assert [d["id"] for d in basic.body["data"]] == [created["id"]]


async def test_basic_user_is_case_insensitive(mock):
    assert (await mock.get(f"{BASE}/connectors", basic=("Bearer", TOKEN))).status == 200


async def test_any_new_key_is_an_empty_workspace(mock):
    answer = await mock.get(f"{BASE}/destinations", token="brand-new-key")
    assert answer.status == 200 and answer.body["data"] == []


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer secret-token:",
        "Bearer two words",
        "Token abc",
        _basic("admin", TOKEN),
        _basic("bearer", ""),
        _basic("bearer", "secret-token:"),
        "Basic not-base64!!",
        "Basic " + base64.b64encode(b"no-colon").decode(),
    ],
    ids=["missing", "empty", "bearer-no-token", "bearer-blank", "prefix-only", "spaces", "other-scheme",
         "basic-wrong-user", "basic-empty-key", "basic-prefix-only", "basic-garbled", "basic-no-colon"],
)
async def test_bad_or_missing_auth_is_401_and_changes_nothing(mock, header):
    before = mock.state()
    headers = {"Authorization": header} if header is not None else {}
    for method, path, body in [
        ("GET", f"{BASE}/destinations", None),
        ("POST", f"{BASE}/destinations", connection("braze", BRAZE)),
        ("GET", f"{BASE}/connectors", None),
    ]:
        answer = await mock.request(method, path, token=None, headers=headers,
                                    **({"json_body": body} if body is not None else {}))
        assert (answer.status, answer.body) == (401, {"status": 401}), (method, path)
    assert mock.state() == before


async def test_auth_is_checked_before_ids_and_bodies(mock):
    assert (await mock.get(f"{BASE}/destinations/not-a-number", token=None)).body == {"status": 401}
    answer = await mock.request("POST", f"{BASE}/destinations", token=None, data=b"{not json",
                                headers={"Content-Type": "application/json"})
    assert (answer.status, answer.body) == (401, {"status": 401})


async def test_journal_masks_password_credentials_and_secret_headers(mock):
    await create(mock, "braze", BRAZE)
    headers = {"Authorization": {"value": "Bearer s3cr3t", "is_secret": True}, "X-Team": "growth"}
    await create(mock, "custom_api", {"api_version": 1, "webhook_url": "https://h.example.com", "custom_headers": headers})
    bodies = [e.request_body for e in mock.engine.journal if e.vendor == "census" and e.method == "POST"]
    assert bodies[0]["service_connection"]["credentials"] == {**BRAZE, "api_key": "********"}
    sent = bodies[1]["service_connection"]["credentials"]["custom_headers"]
    assert sent == {"Authorization": {"value": "********", "is_secret": True}, "X-Team": "growth"}
    assert "braze-rest-key" not in repr(bodies) and "s3cr3t" not in repr(bodies)


async def test_remembered_headers_are_bounded_and_a_refused_one_is_never_remembered(mock, monkeypatch):
    import mockserver.vendors.census as census
    from mockserver.app_keys import VENDORS

    monkeypatch.setattr(census, "KNOWN_HEADERS", 3)
    vendor = mock.app[VENDORS]["census"]
    for n in range(5):
        assert (await mock.get(f"{BASE}/connectors", token=f"secret-token:key-{n}")).status == 200
        assert len(vendor._keys) <= 3
    for _ in range(2):
        assert (await mock.get(f"{BASE}/connectors", token=None, headers={"Authorization": "Bearer secret-token:"})).status == 401
    assert "Bearer secret-token:" not in vendor._keys
    # the prefix is taken off once, as it always was: `secret-token:secret-token:x` is workspace `secret-token:x`, not `x`
    for _ in range(2):
        await create(mock, "braze", BRAZE, token="secret-token:secret-token:x")
    assert len((await mock.get(f"{BASE}/destinations", token="secret-token:secret-token:x")).body["data"]) == 2
    assert (await mock.get(f"{BASE}/destinations", token="x")).body["data"] == []
