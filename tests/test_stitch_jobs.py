"""Stitch replication jobs, extractions, loads and extraction logs over HTTP: a job is extraction then
one load per selected stream, on the clock (or inside the POST with a zero delay), refused, stopped
and failed as the vendor documents, listed 100 a page."""

from __future__ import annotations

import copy

import pytest
from stitch_support import POSTGRES_SOURCE_CREATE, RECURLY_CREATE, SEED_V4_CREATE, select

from mockserver.app import REGISTRY
from mockserver.spec.contract import check_response

TOKEN = "ac_jobs"
JOB = "stitch.replication_job"


async def admin(mock, method: str, path: str, body=None):
    answer = await mock.request(method, path, json_body=body if body is not None else {}, check=False)
    assert answer.status in (200, 201), answer
    return answer.body


async def ready_source(mock, body=None, streams=("accounts", "invoices"), token=TOKEN) -> dict:
    """A fully configured source (checks finish at once in these tests)."""
    created = await mock.post("/v4/sources", copy.deepcopy(body or RECURLY_CREATE), token=token)
    assert created.status == 200, created
    if streams:
        answer = await mock.put(f"/v4/sources/{created.body['id']}/streams/metadata", select(*streams), token=token)
        assert answer.status == 200, answer
    return (await mock.get(f"/v4/sources/{created.body['id']}", token=token)).body


async def sync(mock, source_id: int, token=TOKEN):
    return await mock.request("POST", f"/v4/sources/{source_id}/sync", token=token)


async def extractions(mock, client: int, **params) -> dict:
    answer = await mock.get(f"/v4/{client}/extractions", token=TOKEN, params={k: str(v) for k, v in params.items()})
    assert answer.status == 200, answer
    return answer.body


async def loads(mock, client: int, **params) -> dict:
    answer = await mock.get(f"/v4/{client}/loads", token=TOKEN, params={k: str(v) for k, v in params.items()})
    assert answer.status == 200, answer
    return answer.body


async def log_of(mock, client: int, job_name: str) -> str:
    """Follow the 302 as a client would; the log needs no Stitch token."""
    async with mock.client.get(f"/v4/{client}/extractions/{job_name}", headers={"Authorization": f"Bearer {TOKEN}"},
                               allow_redirects=False) as first:
        assert first.status == 302 and first.headers["Content-Length"] == "0" and await first.read() == b""
        location = first.headers["Location"]
        _, violation = check_response(mock.app[REGISTRY], "GET", first.url.path, 302, None)
        assert violation is None
    assert "/v4/extraction-logs/" in location and "x-amz-security-token=" in location
    async with mock.client.session.get(location) as download:
        assert download.status == 200 and download.content_type == "text/plain"
        return await download.text()


@pytest.fixture
async def instant(make_mock):
    mock = await make_mock(check_delay=0)
    return mock


async def test_zero_delay_finishes_the_whole_job_inside_the_post(instant):
    mock = instant
    source = await ready_source(mock)
    client = source["stitch_client_id"]
    answer = await sync(mock, source["id"])
    assert answer.status == 200 and set(answer.body) == {"job_name"}
    job_name = answer.body["job_name"]
    assert job_name.startswith(f"{client}.{source['id']}.sync.")
    page = await extractions(mock, client)
    assert page == {"data": [{
        "target_exit_status": 0, "job_name": job_name, "start_time": "2026-01-01T09:00:00Z", "stitch_client_id": client,
        "tap_exit_status": 0, "source_type": "tap-recurly", "target_description": None, "discovery_exit_status": 0,
        "discovery_description": None, "tap_description": None, "completion_time": "2026-01-01T09:00:00Z",
        "source_id": source["id"]}], "page": 1, "total": 1, "links": {}}
    assert (await loads(mock, client))["data"] == [
        {"stitch_client_id": client, "source_name": "recurly", "stream_name": name,
         "last_batch_loaded_at": "2026-01-01T09:00:00Z", "error_state": None}
        for name in ("accounts", "invoices")
    ]
    log = await log_of(mock, client, job_name)
    assert 'tap - INFO replicated 1240 records from "accounts" endpoint' in log
    assert 'tap - INFO replicated 6310 records from "invoices" endpoint' in log
    assert all(line[:25].endswith("Z ") and line[19] == "," for line in log.splitlines())


@pytest.mark.parametrize("raw, headers", [(None, {}), (b"", {"Content-Type": "application/json"}), (b"{}", {"Content-Type": "application/json"})])
async def test_sync_takes_no_body_an_empty_one_or_an_empty_object(instant, raw, headers):
    source = await ready_source(instant)
    answer = await instant.request("POST", f"/v4/sources/{source['id']}/sync", data=raw, headers=headers, token=TOKEN)
    assert answer.status == 200 and "job_name" in answer.body


async def test_a_job_moves_on_the_clock_and_refuses_a_second_start(make_mock):
    mock = await make_mock(check_delay=0)
    await admin(mock, "PUT", f"/__admin/lifecycles/{JOB}", {"delays": {"extracting": 5, "loading": 5}})
    source = await ready_source(mock)
    client = source["stitch_client_id"]
    job_name = (await sync(mock, source["id"])).body["job_name"]
    running = (await extractions(mock, client))["data"][0]
    assert running["job_name"] == job_name and running["completion_time"] is None
    assert (running["discovery_exit_status"], running["tap_exit_status"], running["target_exit_status"]) == (None, None, None)
    before = mock.state()
    again = await sync(mock, source["id"])
    assert (again.status, again.body) == (200, {"error": {"type": "already_running", "message": (
        f"Did not create job for client-id: {client}; connection-id: {source['id']} because one already exists")}})
    assert mock.state() == before
    assert (await loads(mock, client))["data"] == []
    mock.advance(5)
    extracted = (await extractions(mock, client))["data"][0]
    assert extracted["tap_exit_status"] == 0 and extracted["completion_time"] == "2026-01-01T09:00:05Z"
    assert (await loads(mock, client))["data"] == []
    mock.advance(5)
    assert [load["last_batch_loaded_at"] for load in (await loads(mock, client))["data"]] == ["2026-01-01T09:00:10Z"] * 2
    assert (await sync(mock, source["id"])).body["job_name"] != job_name


async def test_stop_ends_the_running_job(make_mock):
    mock = await make_mock(check_delay=0)
    await admin(mock, "PUT", f"/__admin/lifecycles/{JOB}", {"mode": "manual"})
    source = await ready_source(mock)
    job_name = (await sync(mock, source["id"])).body["job_name"]
    stopped = await mock.delete(f"/v4/sources/{source['id']}/sync", token=TOKEN)
    assert (stopped.status, stopped.body) == (200, {"status": 200})
    extraction = (await extractions(mock, source["stitch_client_id"]))["data"][0]
    assert extraction["job_name"] == job_name
    assert (extraction["discovery_exit_status"], extraction["tap_exit_status"], extraction["target_exit_status"]) == (None, None, None)
    assert extraction["tap_description"] == extraction["target_description"] == extraction["discovery_description"] == "Terminated"
    assert extraction["completion_time"] is not None
    assert "main - CRITICAL Terminated" in await log_of(mock, source["stitch_client_id"], job_name)
    assert (await mock.delete(f"/v4/sources/{source['id']}/sync", token=TOKEN)).body == {"status": 200}  # nothing runs: still 200
    assert "job_name" in (await sync(mock, source["id"])).body


async def test_manual_mode_holds_each_phase_until_advanced(make_mock):
    mock = await make_mock(check_delay=0)
    await admin(mock, "PUT", f"/__admin/lifecycles/{JOB}", {"mode": "manual"})
    source = await ready_source(mock)
    client = source["stitch_client_id"]
    await sync(mock, source["id"])
    mock.advance(3600)
    assert (await extractions(mock, client))["data"][0]["tap_exit_status"] is None
    await admin(mock, "POST", f"/__admin/lifecycles/{JOB}/advance", {})
    assert (await extractions(mock, client))["data"][0]["tap_exit_status"] == 0
    assert (await loads(mock, client))["data"] == []
    await admin(mock, "POST", f"/__admin/lifecycles/{JOB}/advance", {})
    assert len((await loads(mock, client))["data"]) == 2


async def test_a_paused_source_can_still_be_synced_manually(instant):
    source = await ready_source(instant)
    await instant.put(f"/v4/sources/{source['id']}", {"paused_at": "2019-06-01T00:00:00Z"}, token=TOKEN)
    assert "job_name" in (await sync(instant, source["id"])).body


async def test_refusals_in_the_jobs_shape(instant):
    mock = instant
    client_source = await ready_source(mock)
    client = client_source["stitch_client_id"]
    unselected = await ready_source(mock, {**RECURLY_CREATE, "display_name": "Recurly EU"}, streams=())
    deleted = await ready_source(mock, {**RECURLY_CREATE, "display_name": "Old"})
    await mock.delete(f"/v4/sources/{deleted['id']}", token=TOKEN)
    before = mock.state()
    cases = [
        (unselected["id"], {"type": "generic", "message": f"Could not create job for client-id: {client}; connection-id: {unselected['id']}"}),
        (999, {"type": "invalid_source", "message": f"Unable to locate source(999) for client ({client})"}),
        (deleted["id"], {"type": "invalid_source", "message": "Integration is deleted."}),
    ]
    for source_id, error in cases:
        answer = await sync(mock, source_id)
        assert (answer.status, answer.body) == (400, {"error": error})
    stop = await mock.delete("/v4/sources/999/sync", token=TOKEN)
    assert stop.body == {"error": {"type": "invalid_source", "message": f"Unable to locate source(999) for client ({client})"}}
    assert mock.state() == before


async def test_a_source_whose_credentials_now_fail_fails_its_extraction(instant):
    source = await ready_source(instant)
    await instant.put(f"/v4/sources/{source['id']}", {"properties": {"api_key": "wrong-password"}}, token=TOKEN)
    # the failed re-check puts the card back at discover_schema; a job needs a configured source
    answer = await sync(instant, source["id"])
    assert answer.status == 400 and answer.body["error"]["type"] == "generic"


async def test_forced_extraction_failure_and_load_failure(instant):
    mock = instant
    source = await ready_source(mock)
    client = source["stitch_client_id"]
    await admin(mock, "POST", f"/__admin/lifecycles/{JOB}/force",
                {"state": "failed", "message": "Response returned http error code 401", "data": {"phase": "extraction"}})
    job_name = (await sync(mock, source["id"])).body["job_name"]
    failed = (await extractions(mock, client))["data"][0]
    assert failed["tap_exit_status"] == 1 and failed["tap_description"] == "Response returned http error code 401"
    assert (await loads(mock, client))["data"] == []
    log = await log_of(mock, client, job_name)
    assert log.splitlines()[-2].endswith("tap - CRITICAL Response returned http error code 401")
    await admin(mock, "POST", f"/__admin/lifecycles/{JOB}/force", {"state": "failed", "message": "Open Session Error."})
    await sync(mock, source["id"])
    failed_loads = (await loads(mock, client))["data"]
    assert [load["last_batch_loaded_at"] for load in failed_loads] == [None, None]
    state = failed_loads[0]["error_state"]
    assert state["notification_data"]["error"] == "LOADER_WAREHOUSE_ERROR"
    assert state["notification_data"]["warehouse_message"] == "Open Session Error."
    assert state["exception_chain"][0]["class"] == "clojure.lang.ExceptionInfo"


async def test_an_unreachable_destination_fails_the_loads(instant):
    mock = instant
    body = copy.deepcopy(SEED_V4_CREATE)
    body["properties"]["host"] = "db.example.com"
    destination = (await mock.post("/v4/destinations", body, token=TOKEN)).body
    source = await ready_source(mock)
    await mock.put(f"/v4/destinations/{destination['id']}", {"properties": {"host": "warehouse.example.invalid"}}, token=TOKEN)
    await sync(mock, source["id"])
    load = (await loads(mock, source["stitch_client_id"]))["data"][0]
    assert load["last_batch_loaded_at"] is None
    assert load["error_state"]["notification_data"]["warehouse_message"] == (
        'could not translate host name "warehouse.example.invalid" to address: Name or service not known')


async def test_incremental_streams_load_fewer_rows_the_second_time(instant):
    mock = instant
    source = await ready_source(mock, POSTGRES_SOURCE_CREATE, streams=("shop-public-customers",))
    await mock.put(f"/v4/sources/{source['id']}/streams/metadata", {"streams": [{"tap_stream_id": "shop-public-orders", "metadata": [
        {"breadcrumb": [], "metadata": {"selected": True, "replication-method": "INCREMENTAL", "replication-key": "updated_at"}}]}]},
        token=TOKEN)
    client = source["stitch_client_id"]
    first = await log_of(mock, client, (await sync(mock, source["id"])).body["job_name"])
    second = await log_of(mock, client, (await sync(mock, source["id"])).body["job_name"])
    assert 'replicated 5200 records from "customers"' in first and 'replicated 41870 records from "orders"' in first
    assert 'replicated 5200 records from "customers"' in second  # FULL_TABLE: everything again
    assert 'replicated 41870 records from "orders"' not in second


async def test_extractions_list_the_latest_job_per_source_for_sixty_days(instant):
    mock = instant
    first = await ready_source(mock)
    second = await ready_source(mock, {**RECURLY_CREATE, "display_name": "Recurly EU"})
    await sync(mock, first["id"])
    latest = (await sync(mock, first["id"])).body["job_name"]
    await sync(mock, second["id"])
    data = (await extractions(mock, first["stitch_client_id"]))["data"]
    assert [(e["source_id"], e["job_name"] == latest) for e in data] == [(first["id"], True), (second["id"], False)]
    names = [(l["stream_name"], l["source_name"]) for l in (await loads(mock, first["stitch_client_id"]))["data"]]
    assert names == [("accounts", "recurly"), ("accounts", "recurly_eu"), ("invoices", "recurly"), ("invoices", "recurly_eu")]
    for source in (first, second):  # paused, so their schedules start no newer job meanwhile
        answer = await mock.put(f"/v4/sources/{source['id']}", {"paused_at": "2026-01-01T09:00:00Z"}, token=TOKEN)
        assert answer.status == 200, answer
    mock.advance(61 * 24 * 3600)
    assert (await extractions(mock, first["stitch_client_id"]))["total"] == 0
    assert (await loads(mock, first["stitch_client_id"]))["total"] == 0


async def test_pages_of_one_hundred_with_links(make_mock):
    mock = await make_mock(check_delay=0, declared_tenants={"stitch": {TOKEN: {}}})
    client = None
    for n in range(101):
        source = await ready_source(mock, {**RECURLY_CREATE, "display_name": f"Recurly {n}"}, streams=("plans",))
        client = source["stitch_client_id"]
        await sync(mock, source["id"])
    first = await extractions(mock, client)
    assert (len(first["data"]), first["page"], first["total"]) == (100, 1, 101)
    assert first["links"] == {"next": f"/v4/{client}/extractions?page=2"}
    second = await extractions(mock, client, page=2)
    assert len(second["data"]) == 1 and second["links"] == {"previous": f"/v4/{client}/extractions?page=1"}
    beyond = await extractions(mock, client, page=5)
    assert beyond["data"] == [] and beyond["links"] == {"previous": f"/v4/{client}/extractions?page=2"}
    assert (await loads(mock, client))["links"] == {"next": f"/v4/{client}/loads?page=2"}


async def test_bad_pages_other_clients_and_unknown_jobs(instant):
    mock = instant
    source = await ready_source(mock)
    client = source["stitch_client_id"]
    job_name = (await sync(mock, source["id"])).body["job_name"]
    before = mock.state()
    for page in ("0", "x", "-1"):
        answer = await mock.get(f"/v4/{client}/extractions", token=TOKEN, params={"page": page})
        assert (answer.status, answer.body) == (400, "invalid page")
    for path in (f"/v4/{client + 1}/extractions", f"/v4/{client + 1}/loads", f"/v4/{client + 1}/extractions/{job_name}"):
        answer = await mock.get(path, token=TOKEN)
        assert (answer.status, answer.body) == (401, {"message": "Not Authorized"})
    missing = await mock.get(f"/v4/{client}/extractions/{client}.1.sync.nope", token=TOKEN)
    assert (missing.status, missing.body) == (404, "Not Found")
    forged = await mock.get(f"/v4/extraction-logs/{job_name}", params={"x-amz-security-token": "forged"})
    assert (forged.status, forged.body) == (404, "Not Found")
    unknown = await mock.get("/v4/extraction-logs/1.2.sync.x", params={"x-amz-security-token": "t"})
    assert (unknown.status, unknown.body) == (404, "Not Found")
    assert mock.state() == before


async def test_deleting_a_source_stops_its_job_and_keeps_its_history(make_mock):
    mock = await make_mock(check_delay=0)
    await admin(mock, "PUT", f"/__admin/lifecycles/{JOB}", {"mode": "manual"})
    source = await ready_source(mock)
    await sync(mock, source["id"])
    await mock.delete(f"/v4/sources/{source['id']}", token=TOKEN)
    extraction = (await extractions(mock, source["stitch_client_id"]))["data"][0]
    assert extraction["tap_description"] == "Terminated"
