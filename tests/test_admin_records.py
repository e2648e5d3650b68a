"""The control plane's record calls: read one tenant's records of a resource, and set fields of one
(a model's row count, say), held to the vendor's spec: a record it could not serve is refused."""

from __future__ import annotations

import pytest
from census_support import BASE, TOKEN
from census_sync_support import create_model, run_of, sync_body, trigger, workspace
from stitch_support import SEED_V4_CREATE

STITCH = "ac_records"


async def test_lists_and_updates_a_stitch_destination(make_mock):
    mock = await make_mock(check_delay=0)
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=STITCH)).body
    listed = await mock.get("/__admin/records/stitch/destinations", params={"token": STITCH})
    assert listed.status == 200 and [r["id"] for r in listed.body["records"]] == [created["id"]]
    answer = await mock.patch(f"/__admin/records/stitch/destinations/{created['id']}",
                              {"token": STITCH, "fields": {"name": "Renamed by the control plane"}})
    assert answer.status == 200 and answer.body["record"]["name"] == "Renamed by the control plane"
    assert (await mock.get("/v4/destinations", token=STITCH)).body[0]["name"] == "Renamed by the control plane"


async def test_a_models_row_count_set_from_the_control_plane_drives_the_next_run(make_mock):
    mock = await make_mock(check_delay=0)
    await mock.put("/__admin/lifecycles/census.sync_run", {"mode": "immediate"})
    ws = await workspace(mock)
    model = await create_model(mock, ws["source"]["id"], "First hundred", "select ID, EMAIL from USERS limit 100")
    sync_id = (await mock.post(f"{BASE}/syncs", sync_body(ws["source"]["id"], ws["destination"]["id"], model["id"]), token=TOKEN)).body["data"]["sync_id"]
    assert (await run_of(mock, await trigger(mock, sync_id)))["source_record_count"] == 100
    answer = await mock.patch(f"/__admin/records/census/models/{model['id']}", {"token": TOKEN, "fields": {"row_count": 250}})
    assert answer.status == 200 and answer.body["record"]["row_count"] == 250
    assert (await run_of(mock, await trigger(mock, sync_id)))["source_record_count"] == 250


@pytest.mark.parametrize(("path", "body", "status", "error"), [
    ("/__admin/records/nobody/destinations/1", {"token": STITCH, "fields": {"name": "x"}}, 400, "unknown vendor"),
    ("/__admin/records/stitch/widgets/1", {"token": STITCH, "fields": {"name": "x"}}, 404, "stitch has no resource 'widgets'; known: "),
    ("/__admin/records/stitch/destinations/1", {"token": "never-seen", "fields": {"name": "x"}}, 404, "no stitch tenant has used that token yet"),
    ("/__admin/records/stitch/destinations/999", {"token": STITCH, "fields": {"name": "x"}}, 404, "no destinations 999 for that token"),
    ("/__admin/records/stitch/destinations/{id}", {"token": STITCH, "fields": {}}, 400, "fields must be a non-empty JSON object"),
    ("/__admin/records/stitch/destinations/{id}", {"token": STITCH, "fields": {"id": 5}}, 400, "id cannot be changed"),
    ("/__admin/records/stitch/destinations/{id}", {"token": STITCH, "fields": {"created_at": 12}}, 400, "record not changed: "),
    ("/__admin/records/stitch/destinations/{id}", {"fields": {"name": "x"}}, 400, "token"),
    ("/__admin/records/stitch/destinations/{id}", {"token": STITCH, "fields": {"name": "x"}, "extra": 1}, 400, "unknown field(s) extra"),
])
async def test_bad_record_updates_are_refused_and_change_nothing(make_mock, path, body, status, error):
    mock = await make_mock(check_delay=0)
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token=STITCH)).body
    before = mock.state()
    answer = await mock.patch(path.replace("{id}", str(created["id"])), body)
    assert answer.status == status and error in answer.body["error"], answer
    assert mock.state() == before


def test_mockserver_record_calls():
    import requests

    from mockserver.testing import MockServer

    with MockServer(check_delay=0) as server:
        created = requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE,
                                headers={"Authorization": f"Bearer {STITCH}"}, timeout=10).json()
        assert [r["id"] for r in server.records("stitch", "destinations", STITCH)] == [created["id"]]
        assert server.update_record("stitch", "destinations", created["id"], STITCH, description="from Python")["description"] == "from Python"
        with pytest.raises(ValueError, match="record not changed"):
            server.update_record("stitch", "destinations", created["id"], STITCH, created_at=12)
