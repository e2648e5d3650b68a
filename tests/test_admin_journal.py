"""The request journal over HTTP: filters, limit, count (verify), clearing, the bound and the masking."""

from __future__ import annotations

import json

import pytest
from stitch_support import SEED_V4_CREATE

from mockserver.engine.journal import fingerprint

SECRET_TOKEN = "tok-very-secret-0123456789"


async def traffic(mock) -> dict:
    """A small known mix: two tenants, GETs and POSTs, a 401 and a 404."""
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=SECRET_TOKEN)).body
    await mock.get("/v4/destinations", token=SECRET_TOKEN)
    await mock.get(f"/v4/destinations/{created['id']}/last-connection-check", token=SECRET_TOKEN)
    await mock.get("/v4/destinations", token="tok-other")
    await mock.get("/v4/destinations")  # no token: 401
    await mock.get("/v4/nowhere", token="tok-other")  # unknown route: 404
    return created


async def listed(mock, **params) -> dict:
    answer = await mock.get("/__admin/requests", params={k: str(v) for k, v in params.items()})
    assert answer.status == 200, answer
    return answer.body


async def test_lists_requests_in_arrival_order_with_journal_stats(mock):
    await traffic(mock)
    body = await listed(mock)
    assert [(r["method"], r["path"], r["status"]) for r in body["requests"]][:2] == [
        ("POST", "/v4/destinations", 200),
        ("GET", "/v4/destinations", 200),
    ]
    assert body["matched"] == 6
    assert body["journal"] == {"size": 1000, "kept": 6, "total": 6}
    first = body["requests"][0]
    assert set(first) == {
        "id", "at", "vendor", "method", "path", "query", "status", "duration_ms", "operation_id",
        "tenant", "tenant_hint", "request_body", "fault", "reason", "prefer",
    }
    assert first["vendor"] == "stitch" and first["operation_id"] == "create-a-destination-v4"
    assert first["tenant"] == fingerprint(SECRET_TOKEN)
    assert first["at"] == "2026-01-01T09:00:00.000Z"  # the virtual clock's time


async def test_admin_calls_are_not_journaled(mock):
    await mock.get("/__admin/health")
    await mock.get("/__admin/state")
    assert (await listed(mock))["matched"] == 0


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"method": "POST"}, [("POST", "/v4/destinations")]),
        ({"method": "post"}, [("POST", "/v4/destinations")]),
        ({"vendor": "stitch", "status": "401"}, [("GET", "/v4/destinations")]),
        ({"status": "4xx"}, [("GET", "/v4/destinations"), ("GET", "/v4/nowhere")]),
        ({"path": "/v4/destinations/*"}, [("GET", "/v4/destinations/337658/last-connection-check")]),
        ({"path": "/v4/*", "status": "404"}, [("GET", "/v4/nowhere")]),
        ({"path_regex": r"/v4/destinations/\d+/.*"}, [("GET", "/v4/destinations/337658/last-connection-check")]),
        ({"path_regex": "destinations"}, []),  # a regex must match the whole path
        # An unknown route is answered before any credential is read, so it has no tenant.
        ({"token": "tok-other"}, [("GET", "/v4/destinations")]),
        ({"token": SECRET_TOKEN, "method": "GET"}, [("GET", "/v4/destinations"), ("GET", "/v4/destinations/337658/last-connection-check")]),
        ({"tenant": fingerprint("tok-other")}, [("GET", "/v4/destinations")]),
        ({"operation_id": "create-a-destination-v4"}, [("POST", "/v4/destinations")]),
        ({"after_id": "5"}, [("GET", "/v4/nowhere")]),
        ({"since": "2026-01-01T09:00:00Z"}, None),  # all six
        ({"since": "2026-01-01T09:00:00.001Z"}, []),
        ({"vendor": "portable"}, []),
    ],
)
async def test_filters(mock, params, expected):
    await traffic(mock)
    body = await listed(mock, **params)
    got = [(r["method"], r["path"]) for r in body["requests"]]
    if expected is None:
        assert len(got) == 6
    else:
        assert got == expected
    assert body["matched"] == len(got)
    count = await mock.post("/__admin/requests/count", params)
    assert count.status == 200 and count.body == {"count": len(got)}
    count = await mock.get("/__admin/requests/count", params=params)
    assert count.status == 200 and count.body == {"count": len(got)}


async def test_limit_keeps_the_newest_in_arrival_order(mock):
    await traffic(mock)
    body = await listed(mock, limit=2)
    assert [r["path"] for r in body["requests"]] == ["/v4/destinations", "/v4/nowhere"]
    assert body["matched"] == 6
    assert (await listed(mock, limit=0))["requests"] == []


async def test_count_with_json_status_number(mock):
    await traffic(mock)
    answer = await mock.post("/__admin/requests/count", {"status": 200, "method": "GET"})
    assert answer.body == {"count": 3}


async def test_delete_empties_the_journal(mock):
    await traffic(mock)
    answer = await mock.delete("/__admin/requests")
    assert answer.status == 200 and answer.body == {"cleared": 6}
    assert (await listed(mock))["requests"] == []
    await mock.get("/v4/destinations", token="tok-other")
    assert (await listed(mock))["requests"][0]["id"] == 7  # ids keep counting


BAD_FILTERS = [
    ({"colour": "red"}, "unknown filter"),
    ({"vendor": "nobody"}, "unknown vendor"),
    ({"method": "FETCH"}, "method must be one of"),
    ({"status": "2x"}, "status must be"),
    ({"status": "600"}, "status must be"),
    ({"path": "/a", "path_regex": "/a"}, "not both"),
    ({"path_regex": "("}, "does not compile"),
    ({"token": "a", "tenant": "b"}, "not both"),
    ({"since": "last tuesday"}, "since must be an ISO 8601 instant"),
    ({"since": "2026-01-01T09:00:00"}, "needs a time zone"),
    ({"after_id": "-1"}, "after_id must be a whole number"),
    ({"limit": "lots"}, "limit must be a whole number"),
]


@pytest.mark.parametrize("params, message", BAD_FILTERS)
async def test_listing_refuses_bad_filters(mock, params, message):
    answer = await mock.get("/__admin/requests", params=params)
    assert answer.status == 400
    assert message in answer.body["error"]


@pytest.mark.parametrize("params, message", [p for p in BAD_FILTERS if "limit" not in p[0]] + [({"limit": 5}, "unknown filter")])
async def test_count_refuses_bad_filters(mock, params, message):
    answer = await mock.post("/__admin/requests/count", params)
    assert answer.status == 400
    assert message in answer.body["error"]


@pytest.mark.parametrize(
    "body, message",
    [([1], "body must be a JSON object"), ({"vendor": 3}, "vendor must be a non-empty string"), ({"after_id": True}, "after_id")],
)
async def test_count_refuses_bad_json(mock, body, message):
    answer = await mock.post("/__admin/requests/count", body)
    assert answer.status == 400 and message in answer.body["error"]


async def test_count_refuses_malformed_json(mock):
    answer = await mock.request("POST", "/__admin/requests/count", data=b"{", headers={"Content-Type": "application/json"})
    assert answer.status == 400 and "malformed JSON" in answer.body["error"]


async def test_journal_stays_bounded(make_mock):
    mock = await make_mock(journal_size=5)
    for i in range(40):
        await mock.get("/v4/destinations", token=f"tok-{i}")
    body = await listed(mock, limit=100)
    assert body["journal"] == {"size": 5, "kept": 5, "total": 40}
    assert len(mock.engine.journal) == 5
    assert [r["tenant"] for r in body["requests"]] == [fingerprint(f"tok-{i}") for i in range(35, 40)]
    assert [r["id"] for r in body["requests"]] == [36, 37, 38, 39, 40]  # each request's own number, not its slot


@pytest.mark.parametrize("size", [1, 2, 5, 100])
def test_the_ring_shows_the_newest_rows_with_their_own_ids(size):
    """Whatever the count, a read shows exactly the newest `size` rows, in order, with their own
    ids and bodies, and no more than `size` rows are held."""
    from mockserver.engine.journal import Journal, payload

    journal = Journal(size)
    for n in range(1, 3 * size + 4):
        journal.record((float(n), "stitch", "GET", f"/v4/destinations/{n}", 200, 0.1, "op", None, None, None, None,
                        None, payload(None, {"n": n}) if n % 2 else None))
        assert len(journal._rows) == min(n, size)
        if n in (1, size - 1, size, size + 1, 2 * size + 1, 3 * size + 3):
            entries = list(journal)
            shown = range(n - len(entries) + 1, n + 1)
            assert len(journal) == len(entries) == min(n, size)
            assert [(e.id, e.path, e.request_body) for e in entries] == [
                (i, f"/v4/destinations/{i}", {"n": i} if i % 2 else None) for i in shown]
    journal.clear()
    assert list(journal) == [] and len(journal) == 0 and journal.total == 3 * size + 3


async def test_a_journaled_body_stays_as_it_was_sent_when_state_changes_later(mock):
    """The journal's masked copy shares what it left alone with the request's body, and a handler
    may keep that body and change it later; the journal keeps the body encoded at once, so the
    change does not show. (Handlers swapped in: one keeps the body as its record, the next changes it in place.)"""
    from mockserver.app_keys import VENDORS
    from mockserver.vendors.base import Reply

    kept: list[dict] = []
    handlers = mock.app[VENDORS]["stitch"].handlers
    handlers["create-a-destination-v4"] = lambda ctx: kept.append(ctx.body) or Reply(200, {})
    handlers["update-a-destination-v4"] = lambda ctx: kept[0]["properties"].update(host="changed") or Reply(200, {})
    body = {**SEED_V4_CREATE, "properties": {"host": "db.example.com"}}  # nothing to mask: all shared
    await mock.post("/v4/destinations", body, token="tok-a", check=False)
    await mock.put("/v4/destinations/1", body, token="tok-a", check=False)
    assert kept[0]["properties"]["host"] == "changed"
    first = (await listed(mock, method="POST"))["requests"][0]
    assert first["request_body"] == body


async def test_ids_after_a_clear_in_a_full_ring(make_mock):
    mock = await make_mock(journal_size=3)
    for i in range(5):
        await mock.get("/v4/destinations", token=f"tok-{i}")
    await mock.delete("/__admin/requests")
    for i in range(2):
        await mock.get("/v4/destinations", token=f"tok-after-{i}")
    body = await listed(mock)
    assert [(r["id"], r["tenant"]) for r in body["requests"]] == [(6, fingerprint("tok-after-0")), (7, fingerprint("tok-after-1"))]
    assert (await listed(mock, after_id=6))["requests"][0]["id"] == 7


async def test_journal_size_zero_keeps_nothing(make_mock):
    mock = await make_mock(journal_size=0)
    await mock.get("/v4/destinations", token="tok-a")
    body = await listed(mock)
    assert body["requests"] == [] and body["journal"] == {"size": 0, "kept": 0, "total": 1}


async def test_journal_never_holds_tokens_or_credentials(mock):
    await traffic(mock)
    await mock.put("/v4/destinations/337658", {**SEED_V4_CREATE, "properties": {"password": "hunter2-secret"}}, token=SECRET_TOKEN)
    raw = json.dumps((await listed(mock))["requests"])
    for secret in (SECRET_TOKEN, "tok-other", "[PASSWORD]", "hunter2-secret", "Bearer"):
        assert secret not in raw
    bodies = [r["request_body"] for r in (await listed(mock, method="POST"))["requests"]]
    assert bodies[0]["properties"]["password"] == "********"
    assert bodies[0]["properties"]["host"] == "[HOST_ADDRESS]"
    held = repr(list(mock.engine.journal._rows))  # what the server keeps, not only what it shows
    for secret in (SECRET_TOKEN, "hunter2-secret", "[PASSWORD]"):
        assert secret not in held


async def test_a_kept_row_holds_only_strings_numbers_and_bytes(mock):
    """Nothing a handler keeps (a body, a query) can reach the journal by reference: a row is built
    of immutable atoms, its query and body packed, so a later change to state cannot show in it and
    the garbage collector stops tracking it."""
    await traffic(mock)
    await mock.get("/v2/destinations", params={"page": "1", "api_key": "k-secret"}, token="tok-a", check=False)
    await mock.post("/v2/destinations", {"destinationSpec": "postgres", "properties": {"password": "p"}}, token="tok-a",
                    check=False)
    rows = list(mock.engine.journal._rows)
    assert len(rows) == 8 and any(row[-1] is not None for row in rows)
    for row in rows:
        assert all(type(item) in (str, int, float, bytes, type(None)) for item in row), row
    entries = (await listed(mock))["requests"]
    assert entries[-2]["query"] == {"page": "1", "api_key": "********"}
    assert entries[-1]["request_body"]["properties"]["password"] == "********"


async def test_masking_remembers_field_names_within_a_bound(mock, monkeypatch):
    """Each field name's verdict (secret or not) is remembered, but a client inventing names cannot
    grow that memory without end; a name met after the bound is still judged."""
    from mockserver.app_keys import VENDORS
    from mockserver.vendors.base import SecretNames

    monkeypatch.setattr(SecretNames, "LIMIT", 8)
    names = mock.app[VENDORS]["portable"]._secret_names
    seeded = len(names)
    invented = {f"field_{i}": "plain" for i in range(20)} | {"late_api_token": "sekrit-late"}
    answer = await mock.post("/v2/destinations", {"destinationSpec": "snowflake", "properties": invented}, token="tok-a")
    assert answer.status == 400  # unknown properties, journaled all the same
    kept = (await listed(mock))["requests"][0]["request_body"]["properties"]
    assert kept["late_api_token"] == "********" and kept["field_19"] == "plain"
    assert len(names) <= seeded + 8


def test_masking_copies_only_the_way_to_a_secret_and_never_touches_the_body():
    """The journal masks the very body the handler stored: masking must not change it, and what held
    no secret is shared, not copied (rejections.request_secrets relies on that to skip it)."""
    import copy

    from mockserver.vendors.base import mask_secrets

    body = {"name": "a", "properties": {"password": "p-1", "host": "h"}, "tags": [{"x": 1}],
            "keys": [{"api_token": "t-1"}, {"y": 2}], "empty_secret": "", "nothing": None}
    before = copy.deepcopy(body)
    shown = mask_secrets(body)
    assert body == before
    assert shown == {"name": "a", "properties": {"password": "********", "host": "h"}, "tags": [{"x": 1}],
                     "keys": [{"api_token": "********"}, {"y": 2}], "empty_secret": "", "nothing": None}
    assert shown["tags"] is body["tags"] and shown["keys"][1] is body["keys"][1]
    assert shown["properties"] is not body["properties"] and shown["keys"] is not body["keys"]
    plain = {"name": "a", "tags": [{"x": 1}, [2, {"y": 3}]]}
    listed_plain = [plain, 1]
    assert mask_secrets(plain) is plain and mask_secrets(listed_plain) is listed_plain


async def test_the_journal_gives_back_a_body_exactly_as_it_came(mock):
    """Rows are kept encoded and read back unchanged: text beyond ASCII, floats to the last digit."""
    body = {"destinationSpec": "postgres", "displayName": "Ünïcode ☃ 𝄞", "properties": {"port": 5432, "ratio": 0.1 + 0.2}}
    await mock.post("/v2/destinations", body, token="tok-a", check=False)
    assert (await listed(mock))["requests"][0]["request_body"] == body


async def test_a_token_that_is_not_utf8_is_journaled_and_read_back(mock):
    """aiohttp decodes such a header with surrogateescape: its hint then holds lone surrogates,
    which orjson refuses to write; the row is kept all the same and the journal still answers."""
    import asyncio

    reader, writer = await asyncio.open_connection("127.0.0.1", mock.client.server.port)
    writer.write(b"GET /v2/destinations HTTP/1.1\r\nHost: api.portable.io\r\n"
                 b"Authorization: Bearer \xff\xfe-abcdefghijklmnop\r\nConnection: close\r\n\r\n")
    await writer.drain()
    assert (await reader.read()).startswith(b"HTTP/1.1 200 ")
    writer.close()
    entry = (await listed(mock))["requests"][0]
    assert entry["path"] == "/v2/destinations" and entry["tenant_hint"] == "\udcff\udcfe-a…"


def test_kept_rows_read_back_as_they_were_written():
    """What orjson refuses to write (an integer beyond 64 bits, a lone surrogate from a header decoded
    with surrogateescape) is kept by the standard library and read back by it, not as a float."""
    from mockserver import jsonio

    for row in ([1.5, "a", {"n": 2**70 + 1}], [0.30000000000000004, "tenant\udc80", None], [1e300, "é", [True, None]]):
        assert jsonio.unpack(jsonio.pack(row)) == row
    assert jsonio.pack(["\udc80"]).isascii()


async def test_a_large_body_is_journaled_as_a_note(mock):
    big = {**SEED_V4_CREATE, "description": "x" * 70_000}
    await mock.post("/v4/destinations", big, token="tok-a")
    entry = (await listed(mock))["requests"][0]
    assert entry["request_body"].startswith("<") and entry["request_body"].endswith(" bytes, not kept>")


async def test_a_large_chunked_body_is_journaled_as_a_note(mock):
    """A chunked body has no Content-Length: its size as read decides, so it is not kept whole either."""
    big = json.dumps({**SEED_V4_CREATE, "description": "x" * 70_000}).encode()

    async def chunks():
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    await mock.request("POST", "/v4/destinations", token="tok-a", data=chunks(), headers={"Content-Type": "application/json"})
    entry = (await listed(mock))["requests"][0]
    assert entry["request_body"] == f"<{len(big)} bytes, not kept>"


async def test_secrets_in_query_strings_are_masked(mock):
    await mock.get("/api/v1/destinations", token="secret-token:q", params={"api_key": "sekrit-value", "page": "1"})
    (entry,) = (await mock.get("/__admin/requests")).body["requests"]
    assert entry["query"] == {"api_key": "********", "page": "1"}
    assert "sekrit-value" not in (await mock.get("/__admin/requests")).text


def test_kept_encodings_hold_only_their_own_size():
    """orjson's result keeps the buffer it grew while encoding (about 4 KiB for a small body); what the
    journal and the answer cache keep is copied to its own size, so 1,000 kept rows stay near their
    bytes (journal_memory.py measures the whole server)."""
    import tracemalloc

    from mockserver import jsonio

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [jsonio.dumps_kept({"properties": {"host": "db.example.com", "password": "********"}, "n": i}) for i in range(1000)]
    per_body = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    tracemalloc.stop()
    assert per_body < 400, per_body  # about 160 bytes: the bytes object and its 70 characters
