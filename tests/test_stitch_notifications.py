"""Stitch Import API tokens and notifications (post-load hooks, custom emails) over HTTP, each
family's errors in its own shape, and paths with runs of slashes read as the vendor's nginx does."""

from __future__ import annotations

import asyncio
import json

import pytest
from stitch_support import RECURLY_CREATE, SEED_V4_CREATE

from mockserver.app import REGISTRY
from mockserver.slashes import merged
from mockserver.spec.contract import check_response

TOKEN = "ac_notify"
API = "/notifications/public/v1/api"


async def import_api(mock) -> dict:
    answer = await mock.post("/v4/sources", {"type": "import_api", "display_name": "Import API"}, token=TOKEN)
    assert answer.status == 200, answer
    return answer.body


# -- Import API sources and tokens ---------------------------------------------------------------------

async def test_import_api_source_is_configured_at_once(mock):
    source = await import_api(mock)
    assert source["name"] == "import_api" and source["properties"] == {} and source["schedule"] is None
    card = source["report_card"]
    assert (card["current_step"], card["current_step_type"]) == (2, "fully_configured")
    assert [s["type"] for s in card["steps"]] == ["form", "fully_configured"]


async def test_tokens_are_shown_once_listed_by_id_and_revoked(mock):
    source = await import_api(mock)
    first = await mock.post(f"/v4/sources/{source['id']}/tokens", token=TOKEN)
    second = await mock.post(f"/v4/sources/{source['id']}/tokens", token=TOKEN)
    assert first.status == 200 and set(first.body) == {"id", "access_token"}
    assert first.body["access_token"] != second.body["access_token"]
    assert first.body["access_token"] not in str(mock.state())  # only a fingerprint is kept
    listed = await mock.get(f"/v4/sources/{source['id']}/tokens", token=TOKEN)
    assert listed.body == [first.body["id"], second.body["id"]]
    revoked = await mock.delete(f"/v4/sources/{source['id']}/tokens/{first.body['id']}", token=TOKEN)
    assert revoked.status == 200 and revoked.body["id"] == source["id"] and "report_card" in revoked.body
    assert (await mock.get(f"/v4/sources/{source['id']}/tokens", token=TOKEN)).body == [second.body["id"]]
    await mock.delete(f"/v4/sources/{source['id']}", token=TOKEN)
    assert (await mock.get(f"/v4/sources/{source['id']}/tokens", token=TOKEN)).body == []


async def test_token_errors(make_mock):
    mock = await make_mock(check_delay=0)
    source = await import_api(mock)
    recurly = (await mock.post("/v4/sources", RECURLY_CREATE, token=TOKEN)).body
    before = mock.state()
    cases = [
        ("POST", f"/v4/sources/{recurly['id']}/tokens", "InvalidType", f"source {recurly['id']} is not an Import API source"),
        ("POST", "/v4/sources/999/tokens", "InvalidId", "source not found (999)"),
        ("GET", "/v4/sources/999/tokens", "InvalidId", "source not found (999)"),
        ("DELETE", f"/v4/sources/{source['id']}/tokens/5", "InvalidId", "token not found (5)"),
    ]
    for method, path, error, message in cases:
        answer = await mock.request(method, path, token=TOKEN)
        assert (answer.status, answer.body) == (400, {"error": error, "data": {"message": message}}), path
    assert mock.state() == before


# -- hooks ---------------------------------------------------------------------------------------------

async def destination(mock) -> int:
    return (await mock.post("/v4/destinations", SEED_V4_CREATE, token=TOKEN)).body["id"]


async def test_hooks_create_list_disable_enable_delete(mock):
    dest = await destination(mock)
    body = {"type": "post_load", "destination_id": dest, "config": {"url": "https://hooks.zapier.com/hooks/catch/1/a"}}
    created = await mock.post(f"{API}/hooks", body, token=TOKEN)
    assert created.status == 200
    hook = created.body
    assert hook == {"id": hook["id"], "client_id": hook["client_id"], "type": "post_load", "version": 1, "destination_id": dest,
                    "config": body["config"], "created_at": "2026-01-01T09:00:00Z", "modified_at": "2026-01-01T09:00:00Z",
                    "disabled_at": None}
    assert (await mock.get(f"{API}/hooks", token=TOKEN)).body == {"post_load": [hook]}
    mock.advance(60)
    disabled = (await mock.put(f"{API}/hooks/{hook['id']}", {"enable": False}, token=TOKEN)).body
    assert disabled["disabled_at"] == "2026-01-01T09:01:00Z" and disabled["modified_at"] == "2026-01-01T09:01:00Z"
    enabled = (await mock.put(f"{API}/hooks/{hook['id']}", {"enable": True}, token=TOKEN)).body
    assert enabled["disabled_at"] is None
    deleted = await mock.delete(f"{API}/hooks/{hook['id']}", token=TOKEN)
    assert (deleted.status, deleted.text) == (200, "null")
    assert (await mock.get(f"{API}/hooks", token=TOKEN)).body == {"post_load": []}


async def test_hook_errors(mock):
    dest = await destination(mock)
    good = {"type": "post_load", "destination_id": dest, "config": {"url": "https://example.com/hook"}}
    for _ in range(10):
        assert (await mock.post(f"{API}/hooks", good, token=TOKEN)).status == 200
    hook_id = (await mock.get(f"{API}/hooks", token=TOKEN)).body["post_load"][0]["id"]
    before = mock.state()
    over = await mock.post(f"{API}/hooks", good, token=TOKEN)
    assert (over.status, over.body) == (400, {"error": {"message": "You have exceeded the limit of 10 hooks."}})
    invalid = {"data": {"message": "Invalid POST body"}, "error": "InvalidBody"}
    for body in ({}, {**good, "type": "pre_load"}, {**good, "config": {}}, {**good, "extra": 1}, {**good, "destination_id": 1}, []):
        answer = await mock.post(f"{API}/hooks", body, token=TOKEN)
        assert (answer.status, answer.body) == (400, invalid), body
    put_invalid = {"data": {"message": "PUT body must only contain boolean 'enable' key"}, "error": "InvalidBody"}
    for body in ({}, {"enable": "yes"}, {"enable": True, "url": "x"}):
        answer = await mock.put(f"{API}/hooks/{hook_id}", body, token=TOKEN)
        assert (answer.status, answer.body) == (400, put_invalid), body
    for method, body in (("PUT", {"enable": True}), ("DELETE", None)):
        answer = await mock.request(method, f"{API}/hooks/999", token=TOKEN, **({"json_body": body} if body else {}))
        assert (answer.status, answer.body) == (404, {"error": "NotFound"})
    assert mock.state() == before


# -- custom emails -------------------------------------------------------------------------------------

async def test_custom_emails(mock):
    created = await mock.post(f"{API}/custom-emails", {"email_address": "ops@example.com"}, token=TOKEN)
    assert created.status == 200
    email = created.body
    assert email == {"id": email["id"], "client_id": email["client_id"], "email_address": "ops@example.com",
                     "created_at": "2026-01-01T09:00:00Z", "disabled_at": None}
    assert (await mock.get(f"{API}/custom-emails", token=TOKEN)).body == [email]
    disabled = await mock.put(f"{API}/custom-emails/{email['id']}", {"disabled_at": "2019-06-01T00:00:00Z"}, token=TOKEN)
    assert disabled.body == {"disabled_at": "2019-06-01T00:00:00Z"}
    enabled = await mock.put(f"{API}/custom-emails/{email['id']}", {"disabled_at": None}, token=TOKEN)
    assert enabled.body == {"disabled_at": None}
    deleted = await mock.delete(f"{API}/custom-emails/{email['id']}", token=TOKEN)
    assert (deleted.status, deleted.body) == (200, [1])
    assert (await mock.get(f"{API}/custom-emails", token=TOKEN)).body == []


async def test_custom_email_errors(mock):
    for n in range(10):
        assert (await mock.post(f"{API}/custom-emails", {"email_address": f"ops{n}@example.com"}, token=TOKEN)).status == 200
    email_id = (await mock.get(f"{API}/custom-emails", token=TOKEN)).body[0]["id"]
    before = mock.state()
    over = await mock.post(f"{API}/custom-emails", {"email_address": "more@example.com"}, token=TOKEN)
    assert (over.status, over.body) == (400, {"error": {"message": (
        "Account not authorized to create additional custom notification email addresses.")}})
    required = {"error": {"message": {"email_address": "Required. Must be valid email address format."}}}
    for body in ({}, {"email_address": "not-an-email"}, {"email_address": 5}, []):
        answer = await mock.post(f"{API}/custom-emails", body, token=TOKEN)
        assert (answer.status, answer.body) == (400, required), body
    for body, echoed in (({"disabled_at": "soon"}, "soon"), ({"disabled_at": 5}, "5"), ({}, ""), ({"disabled_at": None, "x": 1}, "")):
        answer = await mock.put(f"{API}/custom-emails/{email_id}", body, token=TOKEN)
        assert (answer.status, answer.body) == (400, {"disabled_at": echoed}), body
    for method, body in (("PUT", {"disabled_at": None}), ("DELETE", None)):
        answer = await mock.request(method, f"{API}/custom-emails/999", token=TOKEN, **({"json_body": body} if body else {}))
        assert (answer.status, answer.body) == (404, {"status": "NOT FOUND"})
    assert mock.state() == before


async def test_notifications_need_a_token_and_belong_to_one_account(mock):
    answer = await mock.get(f"{API}/hooks")
    assert (answer.status, answer.body) == (401, {"message": "Not Authorized"})
    await mock.post(f"{API}/custom-emails", {"email_address": "ops@example.com"}, token=TOKEN)
    assert (await mock.get(f"{API}/custom-emails", token="ac_other")).body == []


# -- slashes -------------------------------------------------------------------------------------------

async def raw_get(mock, target: str) -> tuple[int, str]:
    """GET a request target exactly as written, over a plain socket."""
    reader, writer = await asyncio.open_connection("127.0.0.1", mock.client.server.port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: api.stitchdata.com\r\nAuthorization: Bearer {TOKEN}\r\n"
                 f"Connection: close\r\n\r\n".encode())
    await writer.drain()
    head, _, body = (await reader.read()).decode().partition("\r\n\r\n")
    writer.close()
    return int(head.split()[1]), body


@pytest.mark.parametrize("target, expected", [
    ("/v4//sources", "/v4/sources"),
    ("//notifications/public/v1/api//hooks", "/notifications/public/v1/api/hooks"),
    ("///v4///source-types", "/v4/source-types"),
])
async def test_runs_of_slashes_count_as_one_without_a_redirect(mock, target, expected):
    assert merged(target) == expected
    status, body = await raw_get(mock, target)  # test clients refuse a leading `//` (a network-path reference)
    assert status == 200
    _, violation = check_response(mock.app[REGISTRY], "GET", expected, 200, json.loads(body))
    assert violation is None
    assert list(mock.engine.journal)[-1].path == target  # the journal keeps what was sent


async def test_slashes_in_a_create_and_its_query(mock):
    async with mock.client.post("/v4//sources", json={"type": "import_api", "display_name": "Import API"},
                                headers={"Authorization": f"Bearer {TOKEN}"}) as answer:
        assert answer.status == 200
    listed = (await mock.get("/v4/sources", token=TOKEN)).body
    assert [s["name"] for s in listed] == ["import_api"]
    async with mock.client.get("/v4//destinations?nope=1", headers={"Authorization": f"Bearer {TOKEN}"}) as answer:
        assert answer.status == 400  # the query survives the merge


async def test_other_vendors_paths_are_not_merged(mock):
    async with mock.client.get("/api//v1/destinations", headers={"Authorization": "Bearer secret-token:x"}) as answer:
        assert answer.status == 404
