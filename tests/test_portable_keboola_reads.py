"""Keboola's component-portable, call by call: it is not installable from a registry, so this test
makes exactly the requests its `src/client.py` makes and reads exactly the fields it reads
(shared/reference/portable-flows.md, b2), and asserts what the component would conclude."""

from __future__ import annotations

from portable_support import RUN, TOKEN, advance, make_flow, make_source

POLL = 10  # seconds between status polls in the component


async def keboola_run_and_wait(mock, flow_id: int, fail_on_error: bool = True) -> tuple[str, bool]:
    """run_flow, then get_flow_status every 10 s while PENDING or RUNNING; (last lifecycle, job failed)."""
    answer = await mock.post(f"/v2/flows/{flow_id}/run", token=TOKEN)
    assert answer.body["message"] == "Created"  # anything else is only logged as a warning
    while True:
        flow_status = (await mock.get(f"/v2/flows/{flow_id}/status", token=TOKEN)).body
        if flow_status["lifecycle"] not in ("PENDING", "RUNNING"):
            return flow_status["lifecycle"], fail_on_error and flow_status["errors"] is not None
        await advance(mock, POLL)


async def test_the_token_test_and_connector_list_read_data(mock):
    answer = await mock.get("/v2/connectors", token=TOKEN)  # test_connection: any HTTP error = bad token
    assert answer.status == 200
    assert isinstance(answer.body["data"], list) and answer.body["data"]


async def test_the_flow_picker_reads_ids_and_display_names(mock):
    flow = await make_flow(mock, displayName="Freshsales to Postgres")
    picker = [(f["id"], f["displayName"]) for f in (await mock.get("/v2/flows", token=TOKEN)).body["data"]]
    assert picker == [(flow["id"], "Freshsales to Postgres")]


async def test_a_succeeding_run_ends_the_job_without_failing_it(mock):
    flow = await make_flow(mock)
    assert await keboola_run_and_wait(mock, flow["id"]) == ("NOT_RUNNING", False)


async def test_a_failing_run_fails_the_job(mock):
    flow = await make_flow(mock, source=await make_source(mock, domain="acme.invalid"))
    assert await keboola_run_and_wait(mock, flow["id"]) == ("NOT_RUNNING", True)


async def test_a_forced_failure_fails_the_job(mock):
    flow = await make_flow(mock)
    await mock.post(f"/__admin/lifecycles/{RUN}/force", {"state": "FAILED", "resource_id": flow["id"]})
    assert await keboola_run_and_wait(mock, flow["id"]) == ("NOT_RUNNING", True)
