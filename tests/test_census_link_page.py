"""Census connect links beyond destinations' (source links, links that reauthorize a destination or
a source) and the page a link's `uri` opens (`GET /pbc?auth=...`), where the mock stands in for the
end user: it makes (or reauthorizes) the link's connection, names it on the link, and sends the
user on to the link's `redirect_uri`; a link is used once, and a revoked, expired or unknown one
makes nothing."""

from __future__ import annotations

import json

import pytest
from census_support import BASE, TOKEN, create
from census_sync_support import create_source
from conftest import Answer
from yarl import URL

from mockserver.app import VENDORS

LINKS = f"{BASE}/destination_connect_links"
SOURCE_LINKS = f"{BASE}/source_connect_links"
SOURCE_LINK_KEYS = {"id", "type", "expiration", "expired", "revoked", "uri", "redirect_uri", "source_id"}


async def make_link(mock, type_name="hubspot", redirect_uri=None):
    answer = await mock.post(LINKS, {"type": type_name, "redirect_uri": redirect_uri}, token=TOKEN)
    assert answer.status == 201, answer
    return answer.body["data"]


async def open_page(mock, link_or_path):
    """Opens the link's page as a browser would (no API key), without following a redirect."""
    target = link_or_path if isinstance(link_or_path, str) else URL(link_or_path["uri"]).path_qs
    async with mock.client.get(target, allow_redirects=False) as resp:
        status, headers, raw = resp.status, resp.headers, await resp.read()
    if status < 400:  # a page or a redirect: its status must be one the spec declares
        mock.check_contract("GET", "/pbc", Answer(status, None, "", headers))
    return status, headers, raw


async def test_opening_the_page_makes_the_destination_and_the_link_names_it(mock):
    link = await make_link(mock, "hubspot")
    status, headers, page = await open_page(mock, link)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    fetched = (await mock.get(f"{LINKS}/{link['id']}", token=TOKEN)).body["data"]
    destination_id = fetched["destination_id"]
    assert isinstance(destination_id, int) and f"Destination {destination_id}".encode() in page
    assert (fetched["revoked"], fetched["expired"]) == (False, False)
    destination = (await mock.get(f"{BASE}/destinations/{destination_id}", token=TOKEN)).body["data"]
    assert destination["type"] == "hubspot" and destination["name"] == "HubSpot"
    assert "oauth_code" not in destination["connection_details"]  # a password field, never shown
    mock.advance(60)  # its connection test runs as for any new destination
    tested = (await mock.get(f"{BASE}/destinations/{destination_id}", token=TOKEN)).body["data"]
    assert tested["last_test_succeeded"] is True


async def test_with_a_redirect_uri_the_user_is_sent_on(mock):
    link = await make_link(mock, "salesforce", "https://app.example.com/census/done?step=2")
    status, headers, _ = await open_page(mock, link)
    assert status == 302 and headers["Location"] == "https://app.example.com/census/done?step=2"
    assert (await mock.get(f"{LINKS}/{link['id']}", token=TOKEN)).body["data"]["destination_id"] is not None


async def test_every_type_a_link_may_make_is_made(mock):
    catalogue = mock.app[VENDORS]["census"].catalogue
    types = [c.service_name for c in catalogue.ordered if c.creatable_via_connect_link]
    assert "google_ads" in types and "braze" in types  # OAuth-only, and a pattern-checked field
    for type_name in types:
        link = await make_link(mock, type_name)
        assert (await open_page(mock, link))[0] == 200, type_name
        made = (await mock.get(f"{LINKS}/{link['id']}", token=TOKEN)).body["data"]["destination_id"]
        assert (await mock.get(f"{BASE}/destinations/{made}", token=TOKEN)).body["data"]["type"] == type_name


async def refused(mock, target, status, body):
    before = mock.state()
    got, headers, raw = await open_page(mock, target)
    assert got == status and headers["Content-Type"].startswith("application/json")
    assert json.loads(raw) == body
    mock.check_contract("GET", "/pbc", Answer(got, body, raw.decode(), headers))
    assert mock.state() == before


async def test_a_link_is_used_once(mock):
    link = await make_link(mock)
    await open_page(mock, link)
    await refused(mock, link, 400, {"status": "error", "message": "This connect link has already been used"})


async def test_a_revoked_link_makes_nothing(mock):
    link = await make_link(mock)
    await mock.post(f"{LINKS}/{link['id']}/revoke", token=TOKEN)
    await refused(mock, link, 400, {"status": "error", "message": "This connect link has been revoked"})


async def test_an_expired_link_makes_nothing(mock):
    link = await make_link(mock)
    mock.advance(24 * 3600)
    await refused(mock, link, 400, {"status": "error", "message": "This connect link has expired"})


@pytest.mark.parametrize("target", ["/pbc?auth=" + "0" * 48, "/pbc?auth=", "/pbc"])
async def test_an_unknown_or_missing_auth_names_no_link(mock, target):
    await make_link(mock)
    await refused(mock, target, 404, {"status": 404})


async def test_the_journal_and_log_never_show_the_links_auth(mock, caplog):
    link = await make_link(mock)
    auth = URL(link["uri"]).query["auth"]
    with caplog.at_level("INFO", logger="mockserver.access"):
        await open_page(mock, link)
    entry = [e for e in mock.engine.journal if e.path == "/pbc"][-1]
    assert entry.query == {"auth": "********"} and entry.operation_id == "completeConnectLink"
    assert auth not in caplog.text and "/pbc?auth=********" in caplog.text


# -- source connect links ------------------------------------------------------------------------------

async def test_source_links_are_made_listed_fetched_and_revoked(mock):
    made = await mock.post(SOURCE_LINKS, {"type": "postgres", "redirect_uri": "http://example.com"}, token=TOKEN)
    assert made.status == 201 and made.body["status"] == "created"
    link = made.body["data"]
    assert set(link) == SOURCE_LINK_KEYS and (link["type"], link["source_id"], link["revoked"]) == ("postgres", None, False)
    other = (await mock.post(SOURCE_LINKS, {"type": "snowflake"}, token=TOKEN)).body["data"]
    assert other["id"] == link["id"] + 1 and other["redirect_uri"] is None
    listed = (await mock.get(SOURCE_LINKS, token=TOKEN)).body
    assert [x["id"] for x in listed["data"]] == [other["id"], link["id"]]  # newest first, as destination links
    assert (await mock.get(f"{SOURCE_LINKS}/{link['id']}", token=TOKEN)).body["data"] == link
    revoked = await mock.post(f"{SOURCE_LINKS}/{link['id']}/revoke", token=TOKEN)
    assert revoked.status == 200 and revoked.body["data"]["revoked"] is True
    # one id sequence with destination links; each kind lists only its own
    destination_link = await make_link(mock)
    assert destination_link["id"] == other["id"] + 1
    assert (await mock.get(f"{SOURCE_LINKS}/{destination_link['id']}", token=TOKEN)).status == 404


async def test_completing_a_source_link_makes_the_source(mock):
    link = (await mock.post(SOURCE_LINKS, {"type": "postgres"}, token=TOKEN)).body["data"]
    status, _, page = await open_page(mock, link)
    source_id = (await mock.get(f"{SOURCE_LINKS}/{link['id']}", token=TOKEN)).body["data"]["source_id"]
    assert status == 200 and f"Source {source_id}".encode() in page
    source = (await mock.get(f"{BASE}/sources/{source_id}", token=TOKEN)).body["data"]
    assert source["type"] == "postgres"
    await refused(mock, link, 400, {"status": "error", "message": "This connect link has already been used"})


# -- reauthorization links -------------------------------------------------------------------------------

async def test_a_destination_is_reauthorized_through_its_link(mock):
    destination = await create(mock)
    mock.advance(60)
    tested_at = (await mock.get(f"{BASE}/destinations/{destination['id']}", token=TOKEN)).body["data"]["last_tested_at"]
    made = await mock.post(f"{BASE}/destinations/{destination['id']}/connect_links",
                           {"redirect_uri": "https://app.example.com/reauthorized"}, token=TOKEN)
    assert made.status == 201 and made.body["status"] == "created"
    link = made.body["data"]
    assert (link["type"], link["destination_id"]) == ("braze", destination["id"])
    mock.advance(30)
    status, headers, _ = await open_page(mock, link)
    assert status == 302 and headers["Location"] == "https://app.example.com/reauthorized"
    stored = mock.engine.store.find_tenant("census", TOKEN.split(":", 1)[1]).collections["destinations"][destination["id"]]
    assert stored["credentials"]["api_key"] != "braze-rest-key"  # the password field entered anew
    assert stored["credentials"]["instance_url"] == "https://rest.iad-03.braze.com"  # the rest kept
    mock.advance(60)
    again = (await mock.get(f"{BASE}/destinations/{destination['id']}", token=TOKEN)).body["data"]
    assert again["last_tested_at"] > tested_at  # its connection test ran again
    assert len((await mock.get(f"{BASE}/destinations", token=TOKEN)).body["data"]) == 1  # nothing new made
    await refused(mock, link, 400, {"status": "error", "message": "This connect link has already been used"})


async def test_a_source_is_reauthorized_through_its_link_with_no_body(mock):
    source = await create_source(mock)
    made = await mock.request("POST", f"{BASE}/sources/{source['id']}/connect_links", token=TOKEN)
    assert made.status == 201 and (made.body["data"]["type"], made.body["data"]["source_id"]) == ("snowflake", source["id"])
    status, _, page = await open_page(mock, made.body["data"])
    assert status == 200 and f"Source {source['id']}".encode() in page


@pytest.mark.parametrize("path", [f"{BASE}/destinations/999/connect_links", f"{BASE}/sources/999/connect_links"])
async def test_reauthorizing_an_unknown_connection_is_404(mock, path):
    before = mock.state()
    answer = await mock.post(path, {}, token=TOKEN)
    assert (answer.status, answer.body) == (404, {"status": 404})
    assert mock.state() == before


@pytest.mark.parametrize("kind", ["destinations", "sources"])
@pytest.mark.parametrize("body, message", [
    ({"redirect_uri": 5}, "redirect_uri must be of type string or null"),
    ([], "body must be of type object"),
])
async def test_a_bad_reauthorization_body_is_400_and_makes_no_link(mock, kind, body, message):
    made = await (create(mock) if kind == "destinations" else create_source(mock))
    before = mock.state()
    answer = await mock.post(f"{BASE}/{kind}/{made['id']}/connect_links", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, {"status": "error", "message": message})
    assert mock.state() == before


async def test_a_reauthorization_link_whose_connection_is_gone_makes_nothing(mock):
    destination = await create(mock)
    link = (await mock.post(f"{BASE}/destinations/{destination['id']}/connect_links", {}, token=TOKEN)).body["data"]
    await mock.delete(f"{BASE}/destinations/{destination['id']}", token=TOKEN)
    await refused(mock, link, 404, {"status": 404})


async def test_a_redirect_uri_with_controls_is_sent_percent_encoded(mock):
    link = await make_link(mock, "hubspot", "https://app.example.com/back\r\nSet-Cookie: a=1")
    status, headers, _ = await open_page(mock, link)
    assert status == 302 and "Set-Cookie" not in headers
    assert headers["Location"] == "https://app.example.com/back%0D%0ASet-Cookie:%20a=1"
