"""Census's polled answers (a page of destinations, a destination, a sync run) are encoded once and
sent as the same bytes while the store does not change: the bytes are what the plain encoding gives,
and any change shows at once."""

from __future__ import annotations

import json
from typing import Any

from yarl import URL

from census_support import BASE, BRAZE, OTHER, TOKEN, connection, create
from census_sync_support import run_of, trigger, workspace
from mockserver.app_keys import VENDORS
from mockserver.engine.clock import RealClock
from mockserver.vendors.census import serializers
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.census.pagination import page_of

mock_clock = RealClock().now  # the unit tests below keep nothing `until` an instant


def plain(value: Any) -> str:
    """The straightforward encoding: the standard library, compact, keys in insertion order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


async def test_a_page_of_destinations_is_the_plain_encoding_of_its_records_byte_for_byte(mock):
    for n, type_name in enumerate(["braze", "google_sheets", "braze", "active_campaign"]):
        credentials = {"api_token": "t", "instance_url": "https://acme.activehosted.com"} if type_name == "active_campaign" else None
        await create(mock, type_name, credentials, name=f"Destination {n}")
    vendor = mock.app[VENDORS]["census"]
    tenant = mock.engine.store.find_tenant("census", TOKEN.split(":", 1)[1])
    for query in ({"per_page": "3"}, {"per_page": "3", "page": "2", "order": "asc"}):
        answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params=query)
        typed = {k: (v if k == "order" else int(v)) for k, v in query.items()}
        url = URL.build(scheme="http", host=mock.client.host, port=mock.client.port, path=f"{BASE}/destinations")
        expected = page_of(vendor.model.destinations(tenant), typed, url,
                           lambda r: serializers.destination(r, vendor.model.connector_of(r)))
        assert answer.text == plain(expected)
        again = await mock.get(f"{BASE}/destinations", token=TOKEN, params=query)
        assert again.text == answer.text and again.headers["Content-Type"] == "application/json"


async def test_every_change_shows_in_the_next_poll(mock):
    first = await create(mock, name="First")
    listed = lambda: mock.get(f"{BASE}/destinations", token=TOKEN)  # noqa: E731
    assert [d["name"] for d in (await listed()).body["data"]] == ["First"]
    await create(mock, name="Second")
    assert [d["name"] for d in (await listed()).body["data"]] == ["Second", "First"]
    await mock.patch(f"{BASE}/destinations/{first['id']}", connection("braze", name="Renamed"), token=TOKEN)
    assert [d["name"] for d in (await listed()).body["data"]] == ["Second", "Renamed"]
    assert (await mock.get(f"{BASE}/destinations/{first['id']}", token=TOKEN)).body["data"]["name"] == "Renamed"
    assert (await listed()).body["data"][1]["last_test_succeeded"] is None  # its re-test is running
    mock.advance(2)  # the connection tests end on the clock, with no request in between
    assert [d["last_test_succeeded"] for d in (await listed()).body["data"]] == [True, True]
    await mock.delete(f"{BASE}/destinations/{first['id']}", token=TOKEN)
    assert [d["name"] for d in (await listed()).body["data"]] == ["Second"]
    assert (await mock.get(f"{BASE}/destinations/{first['id']}", token=TOKEN)).status == 404


async def test_a_refused_change_leaves_the_polled_answer_as_it_was(mock):
    created = await create(mock, name="Kept")
    before = await mock.get(f"{BASE}/destinations/{created['id']}", token=TOKEN)
    refused = await mock.patch(f"{BASE}/destinations/{created['id']}",
                               connection("braze", {"api_key": 12}, "Not kept"), token=TOKEN)
    assert refused.status == 400
    assert (await mock.get(f"{BASE}/destinations/{created['id']}", token=TOKEN)).text == before.text


async def test_answers_are_kept_per_workspace_and_per_host(mock):
    await create(mock, name="A's")
    await create(mock, name="B's", token=OTHER)
    assert (await mock.get(f"{BASE}/destinations", token=TOKEN)).body["data"][0]["name"] == "A's"
    assert (await mock.get(f"{BASE}/destinations", token=OTHER)).body["data"][0]["name"] == "B's"
    for n in range(2):
        await create(mock, name=f"more {n}")
    for host in ("census.example.com", "other.example.com:8443"):
        answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "1"}, headers={"Host": host})
        assert answer.body["next"] == f"http://{host}{BASE}/destinations?page=2&per_page=1"


async def test_a_polled_sync_run_follows_its_lifecycle(make_mock):
    mock = await make_mock(check_delay=2)  # a run is queued 1 s, then working 2 s
    ws = await workspace(mock)
    mock.advance(2)  # the connection tests end
    run_id = await trigger(mock, ws["sync_id"])
    seen = []
    for _ in range(4):
        seen.append((await run_of(mock, run_id))["status"])
        seen.append((await run_of(mock, run_id))["status"])
        mock.advance(1)
    assert seen == ["queued", "queued", "working", "working", "working", "working", "completed", "completed"]


class FakeStore:
    generation = 0


def test_the_cache_is_bounded_in_answers_and_bytes_and_dropped_when_the_store_changes():
    store = FakeStore()
    answers = EncodedAnswers(store, now=mock_clock, max_answers=3, max_bytes=100)  # type: ignore[arg-type]
    for n in range(5):
        assert answers.reply(n, lambda n=n: {"n": n}).body == b'{"n":%d}' % n
    assert len(answers) == 3
    answers.reply("big", lambda: "x" * 40)
    answers.reply("bigger", lambda: "y" * 60)
    assert answers.size <= 100 and len(answers) <= 3
    answers.reply("huge", lambda: "z" * 200)  # sent, never kept
    assert answers.size <= 100
    calls = []
    render = lambda: calls.append(1) or {"v": len(calls)}  # noqa: E731
    assert answers.reply("k", render).body == answers.reply("k", render).body == b'{"v":1}'
    store.generation += 1
    assert len(answers.reply("k", render).body) and len(calls) == 2 and len(answers) == 1


def test_an_answer_whose_rendering_changed_the_store_is_not_kept():
    store = FakeStore()
    answers = EncodedAnswers(store, now=mock_clock)  # type: ignore[arg-type]

    def render() -> dict[str, int]:
        store.generation += 1
        return {"g": store.generation}

    assert answers.reply("k", render).body == b'{"g":1}'
    assert answers.reply("k", render).body == b'{"g":2}'
