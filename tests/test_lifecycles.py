"""Lifecycles over HTTP: every mode and a forced outcome for each lifecycle the vendors declare, the
control plane's bad input, and the write log that undoes a failed request's record changes."""

from __future__ import annotations

import copy
import time

import pytest
from census_support import BRAZE
from census_support import create as census_destination
from stitch_support import SEED_V4_CREATE

from mockserver.app import VENDORS
from mockserver.engine.errors import Invalid
from mockserver.vendors.base import Reply, RequestContext
from mockserver.vendors.stitch import checks

STITCH = "ac_lifecycles"
CENSUS = "secret-token:lifecycles"
CENSUS_BASE = "/api/v1"


async def stitch_destination(mock, **properties: str) -> dict:
    body = copy.deepcopy(SEED_V4_CREATE)
    body["properties"].update(properties)
    answer = await mock.post("/v4/destinations", body, token=STITCH)
    assert answer.status == 200, answer
    return answer.body


async def stitch_check(mock, destination_id: int) -> dict:
    return (await mock.get(f"/v4/destinations/{destination_id}/last-connection-check", token=STITCH)).body


async def census_test(mock, destination_id: int) -> dict:
    return (await mock.get(f"{CENSUS_BASE}/destinations/{destination_id}", token=CENSUS)).body["data"]


async def census_refresh(mock, destination_id: int) -> tuple[int, str]:
    key = (await mock.post(f"{CENSUS_BASE}/destinations/{destination_id}/refresh_objects", token=CENSUS)).body["refresh_key"]
    return key, await refresh_status(mock, destination_id, key)


async def refresh_status(mock, destination_id: int, key: int) -> str:
    path = f"{CENSUS_BASE}/destinations/{destination_id}/refresh_objects_status"
    return (await mock.get(path, token=CENSUS, params={"refresh_key": str(key)})).body["status"]


async def configure(mock, name: str, **body) -> dict:
    answer = await mock.put(f"/__admin/lifecycles/{name}", body)
    assert answer.status == 200, answer
    return answer.body


# -- listing ----------------------------------------------------------------------------------------

async def test_lists_every_lifecycle_with_states_delays_and_mode(make_mock):
    mock = await make_mock(check_delay=3, refresh_delay=7)
    listed = {lc["name"]: lc for lc in (await mock.get("/__admin/lifecycles")).body["lifecycles"]}
    assert {"stitch.connection_check", "census.connection_check", "census.object_refresh"} <= set(listed)
    check = listed["stitch.connection_check"]
    assert check == {
        "name": "stitch.connection_check", "vendor": "stitch", "resource": "destinations",
        "description": check["description"], "states": ["running"], "outcomes": ["succeeded", "failed"],
        "terminal": ["succeeded", "failed"], "delays": {"running": 3.0}, "mode": "time", "repeat": False,
        "active_runs": 0,
    }
    assert listed["census.connection_check"]["delays"] == {"running": 3.0}
    assert listed["census.object_refresh"]["delays"] == {"processing": 7.0}
    assert listed["census.object_refresh"]["outcomes"] == ["completed"]


async def test_one_lifecycle_shows_its_runs_in_flight(mock):
    created = await stitch_destination(mock)
    one = (await mock.get("/__admin/lifecycles/stitch.connection_check")).body
    assert one["active_runs"] == 1 and len(one["runs"]) == 1
    run = one["runs"][0]
    assert run["record_id"] == created["id"] and run["state"] == "running"
    assert run["outcome"]["state"] == "succeeded" and run["context"]["job_name"] == created["check_job_name"]
    assert STITCH not in str(one)  # a tenant shows as its fingerprint, never its token
    mock.advance(60)
    assert (await mock.get("/__admin/lifecycles/stitch.connection_check")).body["runs"] == []


# -- modes, for each lifecycle ----------------------------------------------------------------------

async def test_stitch_check_modes(mock):
    await configure(mock, "stitch.connection_check", mode="manual")
    held = await stitch_destination(mock)
    mock.advance(3600)
    assert (await stitch_check(mock, held["id"]))["status"] == "running"
    moved = (await mock.post("/__admin/lifecycles/stitch.connection_check/advance", {"resource_id": held["id"]})).body
    assert moved["advanced"] == 1 and moved["runs"][0]["state"] == "succeeded"
    assert (await stitch_check(mock, held["id"]))["status"] == "succeeded"

    await mock.delete(f"/v4/destinations/{held['id']}", token=STITCH)
    await configure(mock, "stitch.connection_check", mode="immediate")
    quick = await stitch_destination(mock, host="db.example.invalid")
    check = await stitch_check(mock, quick["id"])
    assert check["status"] == "failed" and "db.example.invalid" in check["discovery_error_message"]

    await mock.delete(f"/v4/destinations/{quick['id']}", token=STITCH)
    await configure(mock, "stitch.connection_check", mode="time", delays={"running": 30})
    timed = await stitch_destination(mock)
    mock.advance(29)
    assert (await stitch_check(mock, timed["id"]))["status"] == "running"
    mock.advance(1)
    assert (await stitch_check(mock, timed["id"]))["status"] == "succeeded"


async def test_census_test_modes(mock):
    await configure(mock, "census.connection_check", mode="manual")
    held = await census_destination(mock, token=CENSUS)
    mock.advance(3600)
    assert (await census_test(mock, held["id"]))["last_test_succeeded"] is None
    assert (await mock.post("/__admin/lifecycles/census.connection_check/advance", {})).body["advanced"] == 1
    assert (await census_test(mock, held["id"]))["last_test_succeeded"] is True

    await configure(mock, "census.connection_check", mode="immediate")
    quick = await census_destination(mock, token=CENSUS)
    assert quick["last_test_succeeded"] is True  # finished within the create

    await configure(mock, "census.connection_check", mode="time", delays={"running": 10})
    timed = await census_destination(mock, token=CENSUS)
    mock.advance(9)
    assert (await census_test(mock, timed["id"]))["last_test_succeeded"] is None
    mock.advance(1)
    assert (await census_test(mock, timed["id"]))["last_test_succeeded"] is True


async def test_census_refresh_modes(make_mock):
    mock = await make_mock(check_delay=0)
    destination = await census_destination(mock, token=CENSUS)
    await configure(mock, "census.object_refresh", mode="manual")
    key, status = await census_refresh(mock, destination["id"])
    mock.advance(3600)
    assert status == "processing" and await refresh_status(mock, destination["id"], key) == "processing"
    answer = await mock.post("/__admin/lifecycles/census.object_refresh/advance", {"token": CENSUS, "resource_id": key})
    assert answer.body["advanced"] == 1
    assert await refresh_status(mock, destination["id"], key) == "completed"

    await configure(mock, "census.object_refresh", mode="immediate")
    assert (await census_refresh(mock, destination["id"]))[1] == "completed"

    await configure(mock, "census.object_refresh", mode="time", delays={"processing": 5})
    key, status = await census_refresh(mock, destination["id"])
    mock.advance(5)
    assert status == "processing" and await refresh_status(mock, destination["id"], key) == "completed"


async def test_switching_back_to_time_resumes_held_runs_on_the_clock(mock):
    await configure(mock, "stitch.connection_check", mode="manual")
    held = await stitch_destination(mock)
    mock.advance(100)
    await configure(mock, "stitch.connection_check", mode="time", delays={"running": 4})
    assert (await stitch_check(mock, held["id"]))["status"] == "running"
    mock.advance(4)
    assert (await stitch_check(mock, held["id"]))["status"] == "succeeded"


async def test_advancing_in_time_mode_moves_now_and_leaves_no_stale_step(mock):
    await configure(mock, "census.object_refresh", delays={"processing": 60})
    destination = await census_destination(mock, token=CENSUS)
    key, _ = await census_refresh(mock, destination["id"])
    await mock.post("/__admin/lifecycles/census.object_refresh/advance", {})
    assert await refresh_status(mock, destination["id"], key) == "completed"
    mock.advance(120)  # the job scheduled for the old state falls due and must change nothing
    assert await refresh_status(mock, destination["id"], key) == "completed"


# -- forcing, for each lifecycle --------------------------------------------------------------------

async def test_force_a_stitch_check_failure(make_mock):
    mock = await make_mock(check_delay=0)
    forced = await mock.post("/__admin/lifecycles/stitch.connection_check/force",
                             {"state": "failed", "message": "SSL SYSCALL error: EOF detected", "times": 2})
    assert forced.status == 201
    assert forced.body == {"id": 1, "lifecycle": "stitch.connection_check", "state": "failed", "ok": False,
                           "message": "SSL SYSCALL error: EOF detected", "data": None, "tenant": None,
                           "resource_id": None, "remaining": 2}
    created = await stitch_destination(mock)
    check = await stitch_check(mock, created["id"])
    assert check["status"] == "failed" and check["discovery_error_message"] == "SSL SYSCALL error: EOF detected"
    listed = (await mock.get("/__admin/lifecycles/stitch.connection_check")).body["forced"]
    assert [r["remaining"] for r in listed] == [1]


async def test_force_a_census_test_success_over_the_rules(make_mock):
    mock = await make_mock(check_delay=0)
    await mock.post("/__admin/lifecycles/census.connection_check/force", {"state": "succeeded", "token": CENSUS})
    created = await census_destination(mock, token=CENSUS, credentials={**BRAZE, "api_key": "wrong-password"})
    assert created["last_test_succeeded"] is True
    again = await census_destination(mock, token=CENSUS, credentials={**BRAZE, "api_key": "wrong-password"})
    assert again["last_test_succeeded"] is False  # the rule was used up


async def test_force_a_census_refresh_outcome_for_one_record(make_mock):
    mock = await make_mock(check_delay=0, refresh_delay=0)
    destination = await census_destination(mock, token=CENSUS)
    answer = await mock.post("/__admin/lifecycles/census.object_refresh/force", {"state": "completed", "resource_id": 999})
    assert answer.status == 201 and answer.body["resource_id"] == "999"
    assert (await census_refresh(mock, destination["id"]))[1] == "completed"
    assert (await mock.get("/__admin/lifecycles/census.object_refresh")).body["forced"][0]["remaining"] == 1
    assert (await mock.delete("/__admin/lifecycles/census.object_refresh/force")).body == {"deleted": 1}


async def test_legacy_forced_checks_apply_to_the_check_lifecycle(make_mock):
    mock = await make_mock(check_delay=0)
    await mock.post("/__admin/scenarios/checks", {"vendor": "stitch", "message": "forced by the alias"})
    shown = (await mock.get("/__admin/lifecycles/stitch.connection_check")).body["forced"]
    assert len(shown) == 1 and shown[0]["lifecycle"] is None and shown[0]["state"] is None
    created = await stitch_destination(mock)
    assert (await stitch_check(mock, created["id"]))["discovery_error_message"] == "forced by the alias"


# -- control-plane bad input: refused with a reason, nothing changes --------------------------------

@pytest.mark.parametrize(("method", "path", "body", "status", "error"), [
    ("GET", "/__admin/lifecycles/nope.thing", None, 404, "unknown lifecycle 'nope.thing'"),
    ("PUT", "/__admin/lifecycles/nope.thing", {"mode": "manual"}, 404, "unknown lifecycle"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"mode": "later"}, 400, "mode must be one of time, immediate, manual"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"mode": 3}, 400, "mode must be a string"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"delays": {"done": 1}}, 400, "has no timed state 'done'"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"delays": {"running": -1}}, 400, "from 0 to"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"delays": {"running": True}}, 400, "must be a number"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"delays": [1]}, 400, "delays must map"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", {"speed": 1}, 400, "unknown field(s) speed"),
    ("PUT", "/__admin/lifecycles/stitch.connection_check", None, 400, "JSON object"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/force", {"state": "running"}, 400, "must be one of stitch.connection_check's outcomes: succeeded, failed"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/force", {}, 400, "state is required"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/force", {"state": "failed", "times": 0}, 400, "times must be"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/force", {"state": "failed", "data": 1}, 400, "data must be a JSON object"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/force", {"state": "failed", "ok": True}, 400, "unknown field(s) ok"),
    ("POST", "/__admin/lifecycles/census.object_refresh/force", {"state": "failed"}, 400, "outcomes: completed"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/advance", {"all": True}, 400, "unknown field(s) all"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/advance", {"token": ""}, 400, "token must be"),
    ("POST", "/__admin/lifecycles/stitch.connection_check/advance", {"resource_id": [1]}, 400, "resource_id must be"),
])
async def test_bad_control_input_is_refused_and_changes_nothing(mock, method, path, body, status, error):
    before = (await mock.get("/__admin/lifecycles")).body
    answer = await mock.request(method, path, json_body=body) if body is not None else await mock.request(method, path)
    assert answer.status == status and error in answer.body["error"], answer
    assert (await mock.get("/__admin/lifecycles")).body == before
    assert (await mock.get("/__admin/lifecycles/stitch.connection_check")).body["forced"] == []


async def test_advance_with_nothing_in_flight_moves_nothing(mock):
    assert (await mock.post("/__admin/lifecycles/census.connection_check/advance", {})).body == {"advanced": 0, "runs": []}


async def test_full_reset_restores_the_configured_modes_and_delays(make_mock):
    mock = await make_mock(check_delay=5)
    await configure(mock, "stitch.connection_check", mode="manual", delays={"running": 50})
    await mock.post("/__admin/reset")
    check = next(lc for lc in (await mock.get("/__admin/lifecycles")).body["lifecycles"] if lc["name"] == "stitch.connection_check")
    assert (check["mode"], check["delays"]) == ("time", {"running": 5.0})


# -- a failed request undoes its record changes ------------------------------------------------------

async def test_a_handler_that_writes_then_fails_leaves_every_record_unchanged(make_mock):
    mock = await make_mock(check_delay=0)
    created = await stitch_destination(mock, host="db-one.example.com")
    vendor = mock.app[VENDORS]["stitch"]
    model = vendor.model

    def writes_then_fails(ctx: RequestContext) -> Reply:
        model.records.update(ctx.tenant, created["id"], name="changed", description="changed")
        model.create(ctx.tenant, model.creatable_type("postgres"), dict(SEED_V4_CREATE["properties"]), name="extra")
        raise Invalid("refused after writing", code="InvalidProperties", bad_properties=["host"], report_card=None)

    vendor.handlers["update-a-destination-v4"] = writes_then_fails
    mock.engine.store.tenant("stitch", STITCH).attrs["destination_limit"] = 5
    before = mock.state()
    answer = await mock.put(f"/v4/destinations/{created['id']}", {"properties": {"host": "x"}}, token=STITCH, check=False)
    assert answer.status == 400
    assert mock.state() == before
    listed = (await mock.get("/v4/destinations", token=STITCH)).body
    assert [(d["id"], d["name"]) for d in listed] == [(created["id"], created["name"])]


async def test_a_failed_request_also_undoes_a_run_it_started(make_mock):
    mock = await make_mock(check_delay=0)
    vendor = mock.app[VENDORS]["stitch"]
    created = await stitch_destination(mock)

    def checks_then_fails(ctx: RequestContext) -> Reply:
        checks.start(ctx.engine, checks.DESTINATION_CHECK, ctx.tenant, created["id"])
        raise Invalid("refused", code="InvalidProperties", bad_properties=["host"], report_card=None)

    vendor.handlers["update-a-destination-v4"] = checks_then_fails
    before = mock.state()
    await mock.put(f"/v4/destinations/{created['id']}", {"properties": {}}, token=STITCH, check=False)
    assert mock.state() == before


# -- runs survive a restart -------------------------------------------------------------------------

async def test_a_run_interrupted_by_a_restart_finishes_after_it(make_mock, tmp_path):
    path = str(tmp_path / "state.json")
    mock = await make_mock(state_file=path, check_delay=30)
    created = await stitch_destination(mock)
    mock.advance(10)
    await mock.client.close()  # shutdown saves the run in flight and its timed step

    again = await make_mock(state_file=path, check_delay=30)
    assert (await stitch_check(again, created["id"]))["status"] == "running"
    runs = (await again.get("/__admin/lifecycles/stitch.connection_check")).body["runs"]
    assert [(r["record_id"], r["state"]) for r in runs] == [(created["id"], "running")]
    again.advance(30)  # the restored step falls due on the restored schedule
    assert (await stitch_check(again, created["id"]))["status"] == "succeeded"


async def test_a_held_run_restored_in_time_mode_is_put_back_on_the_clock(make_mock, tmp_path):
    path = str(tmp_path / "state.json")
    mock = await make_mock(state_file=path, check_delay=5)
    await configure(mock, "stitch.connection_check", mode="manual")
    created = await stitch_destination(mock)
    await mock.client.close()

    again = await make_mock(state_file=path, check_delay=5)  # started afresh: time mode
    again.advance(5)
    assert (await stitch_check(again, created["id"]))["status"] == "succeeded"


def test_a_real_server_finishes_a_check_after_a_restart(tmp_path):
    from test_persistence import ServerProcess

    state = tmp_path / "state.json"
    server = ServerProcess(state, "--check-delay", "1.5", "--state-write-delay", "0")
    status, created = server.call("POST", "/v4/destinations", SEED_V4_CREATE)
    assert status == 200
    server.stop()

    restarted = ServerProcess(state, "--check-delay", "1.5")
    try:
        deadline = time.monotonic() + 10
        check: dict = {}
        while time.monotonic() < deadline:
            check = restarted.call("GET", f"/v4/destinations/{created['id']}/last-connection-check")[1]
            if check["status"] != "running":
                break
            time.sleep(0.1)
        assert check["status"] == "succeeded" and check["name"] == created["check_job_name"]
    finally:
        restarted.stop()


# -- the same from MockServer -------------------------------------------------------------------------

def test_mockserver_lifecycle_handle():
    import requests

    from mockserver.testing import MockServer

    with MockServer() as server:
        assert {"stitch.connection_check", "census.object_refresh"} <= {lc["name"] for lc in server.lifecycles()}
        check = server.lifecycle("stitch.connection_check").mode("manual").force("failed", message="boom")
        answer = requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE,
                               headers={"Authorization": f"Bearer {STITCH}"}, timeout=10)
        created = answer.json()
        server.clock.advance(600)
        assert check.describe()["runs"][0]["state"] == "running"
        moved = check.advance(token=STITCH, resource_id=created["id"])
        assert [run["state"] for run in moved] == ["failed"]
        last = requests.get(f"{server.stitch_url}/v4/destinations/{created['id']}/last-connection-check",
                            headers={"Authorization": f"Bearer {STITCH}"}, timeout=10).json()
        assert last["discovery_error_message"] == "boom"
        server.lifecycle("census.object_refresh").delays(processing=0)
        assert server.lifecycle("census.object_refresh").describe()["delays"] == {"processing": 0.0}
        with pytest.raises(ValueError, match="unknown lifecycle"):
            server.lifecycle("census.nothing")
        with pytest.raises(ValueError, match="mode must be one of"):
            check.mode("sometimes")


def test_config_file_sets_lifecycle_modes_and_delays(tmp_path):
    from mockserver.config import ConfigError
    from mockserver.testing import MockServer

    config = tmp_path / "mock.yaml"
    config.write_text("lifecycles:\n  stitch.connection_check: {mode: manual, delays: {running: 9}}\n")
    with MockServer(config=config) as server:
        described = server.lifecycle("stitch.connection_check").describe()
        assert (described["mode"], described["delays"]) == ("manual", {"running": 9.0})
        server.reset()
        assert server.lifecycle("stitch.connection_check").describe()["mode"] == "manual"  # the configured base
    config.write_text("lifecycles:\n  stitch.connection_check: {delays: {finished: 1}}\n")
    with pytest.raises(ConfigError, match="lifecycles.stitch.connection_check: .*no timed state 'finished'"):
        MockServer(config=config).start()
    config.write_text("lifecycles:\n  stitch.connection_check: {speed: 1}\n")
    with pytest.raises(ConfigError, match="unknown key"):
        MockServer(config=config)


# -- an unexpected error answers the same way in every vendor -----------------------------------------

@pytest.mark.parametrize(("vendor", "operation", "path", "token"), [
    ("stitch", "list-destinations-v4", "/v4/destinations", STITCH),
    ("portable", "listDestinations", "/v2/destinations", "pt-unexpected"),
    ("census", "listDestinations", "/api/v1/destinations", CENSUS),
])
async def test_an_unlisted_error_is_the_vendors_500_in_every_vendor(mock, vendor, operation, path, token):
    """Before, Portable answered an unlisted error with 400 and the others with 500."""
    from mockserver.engine.errors import DomainError, ForcedFault

    def fails(ctx: RequestContext) -> Reply:
        raise DomainError("a kind of error no vendor lists")

    target = mock.app[VENDORS][vendor]
    target.handlers[operation] = fails
    answer = await mock.get(path, token=token, check=False)
    assert answer.status == 500
    assert answer.body == target.render_error(ForcedFault(500), None).body  # the vendor's own outage answer
