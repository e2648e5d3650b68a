"""The answers orchestrators poll are kept encoded while the store does not change (vendors/answers.py):
Stitch's destination list and source, and Portable's flow status, like Census's
(tests/test_census_answers.py).
Each test polls, changes something (a request, the clock, a refused request) and polls again: the
next answer shows the change at once, and a refused change leaves it byte for byte as it was."""

from __future__ import annotations

from portable_support import advance, make_flow, status
from stitch_support import RECURLY_CREATE, card_step, postgres, select

STITCH = "ac_polled"
OTHER = "ac_polled_other"



async def test_the_stitch_destination_list_shows_every_change_at_once(mock):
    listed = lambda token=STITCH: mock.get("/v4/destinations", token=token)  # noqa: E731
    assert (await listed()).body == []
    created = (await mock.post("/v4/destinations", postgres(), token=STITCH)).body
    first = await listed()
    assert [d["id"] for d in first.body] == [created["id"]]
    assert first.body[0]["report_card"]["current_step_type"] == "form"  # its check is running
    assert (await listed()).text == first.text  # nothing changed: the same bytes
    mock.advance(60)  # the connection check ends on the clock, with no request in between
    assert (await listed()).body[0]["report_card"]["current_step_type"] == "fully_configured"
    renamed = await mock.put(f"/v4/destinations/{created['id']}", {"name": "Renamed", "properties": {"port": "5433"}}, token=STITCH)
    assert renamed.status == 200
    assert (await listed()).body[0]["name"] == "Renamed"
    assert (await listed(OTHER)).body == []  # another account's list is its own


async def test_a_refused_stitch_change_leaves_the_polled_list_as_it_was(mock):
    created = (await mock.post("/v4/destinations", postgres(), token=STITCH)).body
    before = await mock.get("/v4/destinations", token=STITCH)
    refused = await mock.put(f"/v4/destinations/{created['id']}", {"type": "not-a-type"}, token=STITCH)
    assert refused.status == 400
    assert (await mock.get("/v4/destinations", token=STITCH)).text == before.text


async def test_a_portable_flow_status_follows_its_run_step_by_step(make_mock):
    mock = await make_mock(virtual_clock=True)
    flow = await make_flow(mock)
    assert (await status(mock, flow["id"]))["lifecycle"] == "NOT_RUNNING"
    assert (await mock.post(f"/v2/flows/{flow['id']}/run", token="portable-org-token")).status == 201
    assert (await status(mock, flow["id"]))["lifecycle"] == "PENDING"
    assert (await status(mock, flow["id"]))["lifecycle"] == "PENDING"  # polled again, kept
    await advance(mock, 2)
    assert (await status(mock, flow["id"]))["lifecycle"] == "RUNNING"
    await advance(mock, 8)
    done = await status(mock, flow["id"])
    assert (done["lifecycle"], done["disposition"]) == ("NOT_RUNNING", "SUCCEEDED")


async def test_a_polled_stitch_source_follows_its_check_and_its_schedule_follows_the_clock(mock):
    # The schedule's turns held (manual mode), so passing a next run changes nothing in the store.
    assert (await mock.put("/__admin/lifecycles/stitch.source_schedule", {"mode": "manual"})).status == 200
    created = (await mock.post("/v4/sources", RECURLY_CREATE, token=STITCH)).body
    path = f"/v4/sources/{created['id']}"
    first = await mock.get(path, token=STITCH)
    assert card_step(first.body) == (2, "discover_schema")
    assert (await mock.get(path, token=STITCH)).text == first.text  # nothing changed: the same bytes
    mock.advance(2)  # the check ends on the clock
    assert card_step((await mock.get(path, token=STITCH)).body) == (3, "field_selection")
    assert (await mock.put(f"{path}/streams/metadata", select("accounts"), token=STITCH)).status == 200
    configured = (await mock.get(path, token=STITCH)).body
    assert card_step(configured) == (4, "fully_configured")
    assert configured["schedule"]["next_fire_time"] == "2026-01-01T10:00:00Z"
    mock.advance(3600)  # nothing in the store changes, but the next run named is now past
    assert (await mock.get(path, token=STITCH)).body["schedule"]["next_fire_time"] == "2026-01-01T11:00:00Z"
