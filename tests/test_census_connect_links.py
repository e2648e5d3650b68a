"""Census destination connect links: create, list, fetch, revoke, 24-hour expiry on the clock (and
the refusals source connect links share)."""

from __future__ import annotations

import pytest
from yarl import URL

from census_support import BASE, OTHER, TOKEN

LINKS = f"{BASE}/destination_connect_links"
SOURCE_LINKS = f"{BASE}/source_connect_links"
LINK_KEYS = {"id", "type", "expiration", "expired", "revoked", "uri", "redirect_uri", "destination_id"}


async def make_link(mock, type_name="hubspot", redirect_uri=None, token=TOKEN):
    body = {"type": type_name}
    if redirect_uri is not None:
        body["redirect_uri"] = redirect_uri
    answer = await mock.post(LINKS, body, token=token)
    assert answer.status == 201, answer
    return answer.body["data"]


async def test_create_answers_201_with_a_fresh_link(mock):
    answer = await mock.post(LINKS, {"type": "hubspot", "redirect_uri": "https://app.example.com/done"}, token=TOKEN)
    assert answer.status == 201 and answer.body["status"] == "created"
    link = answer.body["data"]
    assert set(link) == LINK_KEYS
    assert link["type"] == "hubspot"
    assert link["expiration"] == "2026-01-02T09:00:00.000Z"
    assert (link["expired"], link["revoked"], link["destination_id"]) == (False, False, None)
    assert link["redirect_uri"] == "https://app.example.com/done"
    uri = URL(link["uri"])
    assert uri.host == "127.0.0.1" and uri.path == "/pbc"
    assert len(uri.query["auth"]) == 48


async def test_redirect_uri_is_optional_and_nullable(mock):
    assert (await make_link(mock))["redirect_uri"] is None
    answer = await mock.post(LINKS, {"type": "braze", "redirect_uri": None}, token=TOKEN)
    assert answer.status == 201 and answer.body["data"]["redirect_uri"] is None


async def test_links_can_be_made_for_types_not_creatable_via_api(mock):
    assert (await make_link(mock, "google_ads"))["type"] == "google_ads"


async def test_fetch_and_list(mock):
    first = await make_link(mock, "hubspot")
    second = await make_link(mock, "salesforce")
    fetched = await mock.get(f"{LINKS}/{first['id']}", token=TOKEN)
    assert fetched.body == {"status": "success", "data": first}
    listed = await mock.get(LINKS, token=TOKEN)
    assert listed.body["data"] == [second, first]
    assert (await mock.get(LINKS, token=OTHER)).body["data"] == []
    assert (await mock.get(f"{LINKS}/{first['id']}", token=OTHER)).status == 404


async def test_links_expire_24_hours_after_creation(mock):
    link = await make_link(mock)
    mock.advance(24 * 3600 - 1)
    assert (await mock.get(f"{LINKS}/{link['id']}", token=TOKEN)).body["data"]["expired"] is False
    mock.advance(1)
    expired = (await mock.get(f"{LINKS}/{link['id']}", token=TOKEN)).body["data"]
    assert expired["expired"] is True and expired["expiration"] == link["expiration"]
    listed = (await mock.get(LINKS, token=TOKEN)).body["data"]
    assert [l["expired"] for l in listed] == [True]  # expired links are still listed


async def test_revoke_is_idempotent(mock):
    link = await make_link(mock)
    answer = await mock.post(f"{LINKS}/{link['id']}/revoke", token=TOKEN)
    assert answer.status == 200 and answer.body["status"] == "success"
    assert answer.body["data"] == {**link, "revoked": True}
    again = await mock.post(f"{LINKS}/{link['id']}/revoke", token=TOKEN)
    assert again.body == answer.body
    assert (await mock.get(f"{LINKS}/{link['id']}", token=TOKEN)).body["data"]["revoked"] is True


async def test_revoking_in_another_workspace_is_404_and_changes_nothing(mock):
    link = await make_link(mock)
    before = mock.state()
    answer = await mock.post(f"{LINKS}/{link['id']}/revoke", token=OTHER)
    assert (answer.status, answer.body) == (404, {"status": 404})
    assert mock.state() == before


@pytest.mark.parametrize(
    ("links", "body", "message"),
    [
        (LINKS, {"type": "no_such_type"}, "Invalid destination type: no_such_type"),
        (LINKS, {"type": "google_sheets"}, "Destinations of type google_sheets cannot be created via connect link"),
        (LINKS, {}, "type is required"),
        (LINKS, {"type": 3}, "type must be of type string"),
        (LINKS, {"type": "hubspot", "redirect_uri": 5}, "redirect_uri must be of type string or null"),
        (SOURCE_LINKS, {"type": "big_query"}, "Sources of type big_query cannot be created via connect link"),
        (SOURCE_LINKS, {"type": "oracle"}, "Invalid source type: oracle"),
        (SOURCE_LINKS, {}, "type is required"),
    ],
)
async def test_bad_create_is_400_and_changes_nothing(mock, links, body, message):
    before = mock.state()
    answer = await mock.post(links, body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"status": "error", "message": message})
    assert mock.state() == before


async def test_malformed_create_is_400(mock):
    before = mock.state()
    answer = await mock.request("POST", LINKS, token=TOKEN, data=b"{type:", headers={"Content-Type": "application/json"})
    assert answer.status == 400 and answer.body["status"] == "error"
    assert mock.state() == before


async def test_ids_are_integers_from_the_vendors_example(mock):
    assert (await make_link(mock))["id"] == 469
