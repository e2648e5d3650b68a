"""GET/PUT /__admin/state and POST /__admin/reset over HTTP, including bad admin input."""

from __future__ import annotations

import copy

import pytest
from stitch_support import SEED_V4_CREATE


async def create_destination(mock, token: str) -> dict:
    answer = await mock.post("/v4/destinations", SEED_V4_CREATE, token=token)
    assert answer.status == 200, answer
    return answer.body


async def test_state_exports_every_vendor_tenant_and_pending_job(mock):
    created = await create_destination(mock, "tok-a")
    answer = await mock.get("/__admin/state")
    assert answer.status == 200
    state = answer.body
    assert set(state) == {"vendors", "jobs"}
    tenant = state["vendors"]["stitch"]["tenants"]["tok-a"]
    assert [d["id"] for d in tenant["collections"]["destinations"]] == [created["id"]]
    assert [job["kind"] for job in state["jobs"]] == ["stitch.check"]  # the check is still running


async def test_put_state_restores_an_export_after_a_reset(mock):
    created = await create_destination(mock, "tok-a")
    exported = (await mock.get("/__admin/state")).body
    assert (await mock.post("/__admin/reset")).status == 200
    assert (await mock.get("/v4/destinations", token="tok-a")).body == []

    answer = await mock.put("/__admin/state", exported)
    assert answer.status == 200
    assert answer.body == {"status": "loaded", "vendors": answer.body["vendors"], "jobs": 1}
    assert answer.body["vendors"]["stitch"] == {"tenants": 1, "records": 1}
    listed = (await mock.get("/v4/destinations", token="tok-a")).body
    assert [d["id"] for d in listed] == [created["id"]]
    # The restored pending check still finishes on the clock.
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    listed = (await mock.get("/v4/destinations", token="tok-a")).body
    assert listed[0]["report_card"]["current_step_type"] == "fully_configured"


async def test_put_state_then_ids_continue_from_the_restored_sequences(mock):
    first = await create_destination(mock, "tok-a")
    exported = (await mock.get("/__admin/state")).body
    await mock.post("/__admin/reset")
    await mock.put("/__admin/state", exported)
    second = await create_destination(mock, "tok-b")
    assert second["id"] == first["id"] + 1


GARBAGE = [
    pytest.param(b"{not json", "malformed JSON", id="malformed"),
    pytest.param(b"", "(root)", id="empty"),
    pytest.param(b"[]", "(root)", id="array"),
    pytest.param(b'{"vendors": {}, "extra": 1}', "Additional properties", id="extra-top-level"),
    pytest.param(b'{"vendors": {"nobody": {}}}', "nobody", id="unknown-vendor"),
    pytest.param(b'{"vendors": {"stitch": {"tenants": {"t": {"collections": {"destinations": [{"name": "x"}]}}}}}}', "'id' is a required property", id="record-without-id"),
    pytest.param(b'{"vendors": {"stitch": {"tenants": {"t": {"collections": {"destinations": [{"id": 1}, {"id": 1}]}}}}}}', "ids repeat", id="duplicate-ids"),
    pytest.param(b'{"vendors": {"stitch": {"sequences": {"destinations": "x"}}}}', "not of type 'integer'", id="bad-sequence"),
    pytest.param(b'{"vendors": {}, "jobs": [{"due": "2026-01-01T00:00:00.000Z", "seq": 1, "kind": "nope.job", "payload": {"tenant": "t"}}]}', "unknown job kind", id="unknown-job-kind"),
    pytest.param(b'{"vendors": {}, "jobs": [{"due": "yesterday", "seq": 1, "kind": "stitch.check", "payload": {"tenant": "t"}}]}', "yesterday", id="bad-due-time"),
    pytest.param(b'{"vendors": {}, "jobs": [{"due": "2026-01-01T00:00:00.000Z", "seq": 1, "kind": "stitch.check", "payload": {}}]}', "'tenant' is a required property", id="job-without-tenant"),
]


@pytest.mark.parametrize("raw, message", GARBAGE)
async def test_put_state_refuses_garbage_and_changes_nothing(mock, raw, message):
    await create_destination(mock, "tok-a")
    before = mock.state()
    answer = await mock.request("PUT", "/__admin/state", data=raw, headers={"Content-Type": "application/json"})
    assert answer.status == 400
    assert set(answer.body) == {"error"}
    assert message in answer.body["error"]
    assert mock.state() == before


async def test_reset_everything(mock):
    await create_destination(mock, "tok-a")
    answer = await mock.post("/__admin/reset")
    assert answer.status == 200
    assert answer.body == {"status": "reset", "vendor": None, "token": False}
    assert mock.state() == {"vendors": {}, "jobs": []}


async def test_reset_one_vendor_by_query_or_body(mock):
    await create_destination(mock, "tok-a")
    answer = await mock.request("POST", "/__admin/reset", params={"vendor": "stitch"})
    assert answer.status == 200 and answer.body["vendor"] == "stitch"
    assert "stitch" not in mock.state()["vendors"]
    assert mock.state()["jobs"] == []


async def test_reset_one_token_keeps_the_others(mock):
    await create_destination(mock, "tok-a")
    kept = await create_destination(mock, "tok-b")
    answer = await mock.post("/__admin/reset", {"vendor": "stitch", "token": "tok-a"})
    assert answer.status == 200 and answer.body == {"status": "reset", "vendor": "stitch", "token": True}
    assert (await mock.get("/v4/destinations", token="tok-a")).body == []
    assert [d["id"] for d in (await mock.get("/v4/destinations", token="tok-b")).body] == [kept["id"]]
    # Only tok-a's pending check was dropped.
    assert [job["payload"]["tenant"] for job in mock.state()["jobs"]] == ["tok-b"]


@pytest.mark.parametrize(
    "body, message",
    [
        ({"vendor": "nobody"}, "unknown vendor"),
        ({"token": "tok-a"}, "token needs a vendor"),
        ({"vendor": "stitch", "token": 5}, "token must be a non-empty string"),
        ({"vendor": "stitch", "token": ""}, "token must be a non-empty string"),
        ([1, 2], "body must be a JSON object"),
    ],
)
async def test_reset_refuses_bad_input_and_changes_nothing(mock, body, message):
    await create_destination(mock, "tok-a")
    before = mock.state()
    answer = await mock.post("/__admin/reset", body)
    assert answer.status == 400
    assert message in answer.body["error"]
    assert mock.state() == before


async def test_exported_state_is_a_copy(mock):
    await create_destination(mock, "tok-a")
    exported = (await mock.get("/__admin/state")).body
    mutated = copy.deepcopy(exported)
    mutated["vendors"]["stitch"]["tenants"]["tok-a"]["collections"]["destinations"][0]["name"] = "Renamed"
    await mock.put("/__admin/state", mutated)
    listed = (await mock.get("/v4/destinations", token="tok-a")).body
    assert listed[0]["name"] == "Renamed"
