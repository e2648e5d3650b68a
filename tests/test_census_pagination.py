"""Census pagination on every collection: page, per_page, order, the pagination object and `next`."""

from __future__ import annotations

import pytest
from yarl import URL

from census_support import BASE, BRAZE, TOKEN, connection

COLLECTIONS = ["/destinations", "/connectors", "/destination_connect_links", "/destinations/{id}/objects"]


async def make_destinations(mock, count, token=TOKEN):
    ids = []
    for n in range(count):
        answer = await mock.post(f"{BASE}/destinations", connection("braze", BRAZE, f"Braze {n}"), token=token)
        ids.append(answer.body["data"]["id"])
    return ids


async def test_a_basic_auth_client_following_next_page_sees_each_of_60_destinations_once(mock):
    ids = await make_destinations(mock, 60)
    seen, page, pages = [], 1, 0
    while page is not None:
        answer = await mock.get(f"{BASE}/destinations", basic=("bearer", TOKEN), params={"page": str(page)},
                                headers={"Content-Type": "application/json;version=2"})
        assert answer.status == 200
        seen += [d["id"] for d in answer.body["data"]]
        page = answer.body["pagination"]["next_page"]
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)) == 60
    assert seen == sorted(ids, reverse=True)  # newest first by default


async def test_following_the_deprecated_next_url_walks_the_same_pages(mock):
    ids = await make_destinations(mock, 7)
    url, seen = f"{BASE}/destinations?per_page=3&order=asc", []
    while url is not None:
        answer = await mock.get(url, token=TOKEN)
        seen += [d["id"] for d in answer.body["data"]]
        nxt = answer.body["next"]
        url = None if nxt is None else URL(nxt).path_qs
    assert seen == ids


async def test_first_page_pagination_object_and_next_url(mock):
    await make_destinations(mock, 7)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "4"})
    assert answer.body["pagination"] == {
        "total_records": 7, "per_page": 4, "prev_page": None, "page": 1, "next_page": 2, "last_page": 2,
    }
    next_url = URL(answer.body["next"])
    assert next_url.scheme == "http" and next_url.host == "127.0.0.1"
    assert next_url.path == f"{BASE}/destinations"
    assert dict(next_url.query) == {"page": "2", "per_page": "4"}
    assert list(answer.body) == ["status", "data", "next", "pagination"]


async def test_last_page_has_null_next(mock):
    await make_destinations(mock, 7)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "4", "page": "2"})
    assert len(answer.body["data"]) == 3
    assert answer.body["next"] is None
    assert answer.body["pagination"] == {
        "total_records": 7, "per_page": 4, "prev_page": 1, "page": 2, "next_page": None, "last_page": 2,
    }


async def test_middle_page_has_both_neighbours(mock):
    await make_destinations(mock, 7)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "2", "page": "2"})
    p = answer.body["pagination"]
    assert (p["prev_page"], p["page"], p["next_page"], p["last_page"]) == (1, 2, 3, 4)


@pytest.mark.parametrize("page", ["0", "-3"])
async def test_page_zero_or_below_counts_as_one(mock, page):
    await make_destinations(mock, 3)
    first = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "2"})
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "2", "page": page})
    assert answer.body == first.body
    assert answer.body["pagination"]["page"] == 1


async def test_page_past_the_last_is_empty_with_null_neighbours(mock):
    await make_destinations(mock, 3)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"page": "5"})
    assert answer.body["data"] == [] and answer.body["next"] is None
    assert answer.body["pagination"] == {
        "total_records": 3, "per_page": 25, "prev_page": None, "page": 5, "next_page": None, "last_page": 1,
    }


async def test_empty_collection_has_one_empty_page(mock):
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN)
    assert answer.body == {
        "status": "success",
        "data": [],
        "next": None,
        "pagination": {"total_records": 0, "per_page": 25, "prev_page": None, "page": 1, "next_page": None, "last_page": 1},
    }


async def test_per_page_defaults_to_25(mock):
    await make_destinations(mock, 26)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN)
    assert len(answer.body["data"]) == 25
    assert answer.body["pagination"]["per_page"] == 25 and answer.body["pagination"]["last_page"] == 2


@pytest.mark.parametrize(("asked", "used"), [("101", 100), ("100000", 100), ("100", 100), ("0", 1), ("-5", 1), ("1", 1)])
async def test_per_page_clamps_between_1_and_100(mock, asked, used):
    await make_destinations(mock, 2)
    answer = await mock.get(f"{BASE}/connectors", token=TOKEN, params={"per_page": asked})
    assert answer.body["pagination"]["per_page"] == used
    assert len(answer.body["data"]) == min(used, answer.body["pagination"]["total_records"])


async def test_order_asc_and_desc_by_creation(mock):
    ids = await make_destinations(mock, 4)
    asc = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"order": "asc"})
    desc = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"order": "desc"})
    default = await mock.get(f"{BASE}/destinations", token=TOKEN)
    assert [d["id"] for d in asc.body["data"]] == ids
    assert [d["id"] for d in desc.body["data"]] == ids[::-1]
    assert default.body["data"] == desc.body["data"]


async def test_creation_time_orders_before_id(mock):
    first = await make_destinations(mock, 1)
    mock.advance(5)
    second = await make_destinations(mock, 1)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"order": "asc"})
    assert [d["id"] for d in answer.body["data"]] == first + second


async def test_next_url_keeps_an_explicit_order(mock):
    await make_destinations(mock, 3)
    answer = await mock.get(f"{BASE}/destinations", token=TOKEN, params={"per_page": "1", "order": "asc"})
    assert dict(URL(answer.body["next"]).query) == {"page": "2", "per_page": "1", "order": "asc"}


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize(
    ("param", "value"),
    [("page", "abc"), ("page", "1.5"), ("page", ""), ("per_page", "ten"), ("per_page", "2.0"), ("order", "sideways"),
     ("order", "ASC"), ("page", "9" * 30)],
)
async def test_bad_pagination_values_are_400(mock, collection, param, value):
    created = (await mock.post(f"{BASE}/destinations", connection("braze", BRAZE), token=TOKEN)).body["data"]
    path = BASE + collection.format(id=created["id"])
    before = mock.state()
    answer = await mock.get(path, token=TOKEN, params={param: value})
    assert answer.status == 400
    assert answer.body == {"status": "error", "message": f"invalid value for query parameter {param}"}
    assert mock.state() == before


@pytest.mark.parametrize("collection", COLLECTIONS)
async def test_every_collection_paginates(mock, collection):
    created = (await mock.post(f"{BASE}/destinations", connection("braze", BRAZE), token=TOKEN)).body["data"]
    for _ in range(3):
        await mock.post(f"{BASE}/destination_connect_links", {"type": "braze"}, token=TOKEN)
    path = BASE + collection.format(id=created["id"])
    whole = await mock.get(path, token=TOKEN, params={"order": "asc"})
    total = whole.body["pagination"]["total_records"]
    assert total >= 1
    walked, page = [], 1
    while page is not None:
        answer = await mock.get(path, token=TOKEN, params={"order": "asc", "per_page": "2", "page": str(page)})
        walked += answer.body["data"]
        page = answer.body["pagination"]["next_page"]
    assert walked == whole.body["data"]
