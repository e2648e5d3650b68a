"""Stitch streams over HTTP: discovery's catalogue, schemas as JSON strings with per-field metadata,
stream and field selection, and every bad metadata update in the streams family's shape."""

from __future__ import annotations

import copy
import json

import pytest
from stitch_support import POSTGRES_SOURCE_CREATE, RECURLY_CREATE, card_step, select

TOKEN = "ac_streams"


@pytest.fixture
async def mock(make_mock):
    return await make_mock(check_delay=0)


async def source(mock, body=None) -> dict:
    answer = await mock.post("/v4/sources", copy.deepcopy(body or RECURLY_CREATE), token=TOKEN)
    assert answer.status == 200, answer
    return answer.body


async def streams(mock, source_id: int) -> dict[str, dict]:
    listed = (await mock.get(f"/v4/sources/{source_id}/streams", token=TOKEN)).body
    return {s["tap_stream_id"]: s for s in listed}


async def test_discovered_streams_are_listed_unselected(mock):
    created = await source(mock)
    listed = await streams(mock, created["id"])
    assert list(listed) == ["accounts", "adjustments", "billing_info", "coupon_redemptions", "coupons", "invoices",
                            "plans", "plans_add_ons", "subscriptions", "transactions"]
    assert listed["accounts"] == {
        "selected": None, "stream_id": listed["accounts"]["stream_id"], "tap_stream_id": "accounts", "stream_name": "accounts",
        "metadata": {"forced-replication-method": "INCREMENTAL", "selected": None, "table-key-properties": ["id"],
                     "valid-replication-keys": ["updated_at"]},
    }
    assert listed["billing_info"]["metadata"]["table-key-properties"] == ["account_id"]
    assert listed["transactions"]["metadata"]["valid-replication-keys"] == ["collected_at"]


async def test_schema_is_a_json_string_and_every_field_says_selected(mock):
    created = await source(mock)
    accounts = (await streams(mock, created["id"]))["accounts"]
    answer = await mock.get(f"/v4/sources/{created['id']}/streams/{accounts['stream_id']}", token=TOKEN)
    assert answer.status == 200
    schema = json.loads(answer.body["schema"])
    assert schema["properties"]["email"] == {"type": ["null", "string"]}
    assert schema["properties"]["updated_at"] == {"type": ["null", "string"], "format": "date-time"}
    assert answer.body["non-discoverable-metadata-keys"] == ["selected", "replication-method", "replication-key", "view-key-properties"]
    top, *fields = answer.body["metadata"]
    assert top["breadcrumb"] == [] and top["metadata"]["selected"] is None
    assert [f["breadcrumb"][1] for f in fields] == list(schema["properties"])
    assert all(f["metadata"]["selected"] is False for f in fields)
    inclusion = {f["breadcrumb"][1]: f["metadata"]["inclusion"] for f in fields}
    assert inclusion["id"] == "automatic" and inclusion["updated_at"] == "automatic" and inclusion["email"] == "available"


async def test_selecting_streams_and_fields(mock):
    created = await source(mock)
    answer = await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("accounts", "invoices", fields=("state",)), token=TOKEN)
    assert (answer.status, answer.body) == (200, {"status": 200})
    listed = await streams(mock, created["id"])
    assert listed["accounts"]["selected"] is True and listed["accounts"]["metadata"]["selected"] is True
    assert listed["coupons"]["selected"] is None
    schema = (await mock.get(f"/v4/sources/{created['id']}/streams/{listed['accounts']['stream_id']}", token=TOKEN)).body
    selected = {m["breadcrumb"][1]: m["metadata"]["selected"] for m in schema["metadata"][1:]}
    assert selected["state"] is True and selected["email"] is False
    assert card_step((await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body) == (4, "fully_configured")
    deselect = {"streams": [{"tap_stream_id": t, "metadata": [{"breadcrumb": [], "metadata": {"selected": False}}]}
                            for t in ("accounts", "invoices")]}
    await mock.put(f"/v4/sources/{created['id']}/streams/metadata", deselect, token=TOKEN)
    listed = await streams(mock, created["id"])
    assert listed["accounts"]["selected"] is False
    assert card_step((await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body) == (3, "field_selection")


async def test_database_streams_take_a_replication_method_and_show_sql_types(mock):
    created = await source(mock, POSTGRES_SOURCE_CREATE)
    body = {"streams": [{"tap_stream_id": "shop-public-orders", "metadata": [
        {"breadcrumb": [], "metadata": {"selected": True, "replication-method": "INCREMENTAL", "replication-key": "updated_at"}},
        {"breadcrumb": ["properties", "status"], "metadata": {"selected": True}}]}]}
    assert (await mock.put(f"/v4/sources/{created['id']}/streams/metadata", body, token=TOKEN)).status == 200
    orders = (await streams(mock, created["id"]))["shop-public-orders"]
    assert orders["metadata"]["replication-method"] == "INCREMENTAL" and orders["metadata"]["replication-key"] == "updated_at"
    schema = (await mock.get(f"/v4/sources/{created['id']}/streams/{orders['stream_id']}", token=TOKEN)).body
    fields = {m["breadcrumb"][1]: m["metadata"] for m in schema["metadata"][1:]}
    assert fields["total_amount"]["sql-datatype"] == "numeric"
    assert json.loads(schema["schema"])["properties"]["total_amount"] == {"type": ["null", "number"]}


async def test_a_view_without_a_key_needs_a_field(mock):
    created = await source(mock, POSTGRES_SOURCE_CREATE)
    await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("shop-public-monthly_revenue"), token=TOKEN)
    assert card_step((await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body) == (3, "field_selection")
    await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("shop-public-monthly_revenue", fields=("revenue",)), token=TOKEN)
    assert card_step((await mock.get(f"/v4/sources/{created['id']}", token=TOKEN)).body) == (4, "fully_configured")


async def test_unsupported_field_shows_why_and_cannot_be_selected(mock):
    created = await source(mock, {"type": "platform.salesforce", "display_name": "Salesforce", "properties": {
        "start_date": "2024-01-01T00:00:00Z", "api_type": "BULK", "select_fields_by_default": "true"}})
    account = (await streams(mock, created["id"]))["Account"]
    schema = (await mock.get(f"/v4/sources/{created['id']}/streams/{account['stream_id']}", token=TOKEN)).body
    billing = next(m for m in schema["metadata"] if m["breadcrumb"] == ["properties", "BillingAddress"])
    assert billing["metadata"] == {"unsupported-description": "cannot query compound fields with bulk API",
                                   "inclusion": "unsupported", "selected": False}
    before = mock.state()
    answer = await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("Account", fields=("BillingAddress",)), token=TOKEN)
    assert (answer.status, answer.body) == (400, {"invalid_fields": "Unsupported fields cannot be selected by default"})
    assert mock.state() == before


SHAPE = "body must contain a 'streams' property with a list of metadatas by tap_stream_id"


@pytest.mark.parametrize("body, expected", [
    ({"streams": [{"metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]}]},
     {"invalid_fields": "invalid tap-stream-ids:  [nil]"}),
    ({"streams": [{"tap_stream_id": "nope", "metadata": []}, {"tap_stream_id": "accounts", "metadata": []}]},
     {"invalid_fields": "invalid tap-stream-ids:  [nope]"}),
    ({"streams": [{"tap_stream_id": "accounts", "metadata": [{"breadcrumb": [], "metadata": {"table-key-properties": ["x"]}}]}]},
     {"invalid_fields": 'only non-discoverable metadata can be produced by the UI: #{"table-key-properties"}'}),
    ({"streams": [{"tap_stream_id": "accounts", "metadata": [{"breadcrumb": [], "metadata": {"selected": "yes"}}]}]},
     {"invalid_fields": "invalid value for selected: yes"}),
    ({"streams": [{"tap_stream_id": "accounts", "metadata": [{"breadcrumb": [], "metadata": {"replication-method": "SOMETIMES"}}]}]},
     {"invalid_fields": "invalid value for replication-method: SOMETIMES"}),
    ({"streams": [{"tap_stream_id": "accounts", "metadata": [{"breadcrumb": ["properties", "nope"], "metadata": {"selected": True}}]}]},
     {"invalid_fields": "invalid breadcrumb: [properties nope]"}),
    ({}, SHAPE),
    ({"streams": {}}, SHAPE),
    ({"streams": [{"tap_stream_id": "accounts"}]}, SHAPE),
    ({"streams": [{"tap_stream_id": "accounts", "metadata": [{"metadata": {"selected": True}}]}]}, SHAPE),
    ({"streams": [{"tap_stream_id": "accounts", "metadata": [{"breadcrumb": []}]}]}, SHAPE),
    ([], SHAPE),
])
async def test_bad_metadata_updates(mock, body, expected):
    created = await source(mock)
    before = mock.state()
    answer = await mock.put(f"/v4/sources/{created['id']}/streams/metadata", body, token=TOKEN)
    assert (answer.status, answer.body) == (400, expected)
    assert mock.state() == before


async def test_malformed_metadata_json(mock):
    created = await source(mock)
    answer = await mock.request("PUT", f"/v4/sources/{created['id']}/streams/metadata", data=b"{",
                                headers={"Content-Type": "application/json"}, token=TOKEN)
    assert (answer.status, answer.body) == (400, SHAPE)


async def test_unknown_stream_or_source(mock):
    created = await source(mock)
    accounts = (await streams(mock, created["id"]))["accounts"]
    for path in (f"/v4/sources/{created['id']}/streams/1", f"/v4/sources/999/streams/{accounts['stream_id']}"):
        answer = await mock.get(path, token=TOKEN)
        assert answer.status == 400 and answer.body.startswith("invalid stream-id: ")
    listed = await mock.get("/v4/sources/999/streams", token=TOKEN)
    assert (listed.status, listed.body) == (400, {"error": "InvalidId", "data": {"message": "source not found (999)"}})
    update = await mock.put("/v4/sources/999/streams/metadata", select("accounts"), token=TOKEN)
    assert update.body == {"error": "InvalidId", "data": {"message": "source not found (999)"}}
    other = await mock.get(f"/v4/sources/{created['id']}/streams/{accounts['stream_id']}", token="ac_someone_else")
    assert other.body == f"invalid stream-id: {accounts['stream_id']}"
    bad = await mock.get(f"/v4/sources/{created['id']}/streams/abc", token=TOKEN)
    assert (bad.status, bad.body) == (404, "Not Found")


async def test_rediscovery_keeps_selection(mock):
    created = await source(mock)
    await mock.put(f"/v4/sources/{created['id']}/streams/metadata", select("accounts"), token=TOKEN)
    await mock.put(f"/v4/sources/{created['id']}", {"properties": {"subdomain": "other"}}, token=TOKEN)
    listed = await streams(mock, created["id"])
    assert len(listed) == 10 and listed["accounts"]["selected"] is True


async def test_a_deleted_source_keeps_its_streams_readable(mock):
    """Deletes are soft (the source stays listed with `deleted_at`, the spec's `x-soft-delete`), so
    its streams still answer 200 as before: what the fuzzer's use-after-free check would call a
    deleted resource still available."""
    created = await source(mock)
    before = await streams(mock, created["id"])
    assert (await mock.delete(f"/v4/sources/{created['id']}", token=TOKEN)).status == 200
    answer = await mock.get(f"/v4/sources/{created['id']}/streams", token=TOKEN)
    assert answer.status == 200
    assert {s["tap_stream_id"]: s for s in answer.body} == before
