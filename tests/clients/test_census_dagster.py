"""dagster-census 0.29.27, unmodified but for its base URL, against a running mock.

`CensusResource.api_base_url` is a hard-coded property; a user points it elsewhere with a subclass,
which is all these tests change. The resource authenticates with HTTP Basic `bearer:<key>`, sends
`Content-Type: application/json;version=2` on every call and a JSON body `{"force_full_sync": false}`
to the trigger, sleeps `poll_interval` before each poll, and returns (does not raise) when a run ends
`failed`: that status, with its error fields, is how it reports a failure.
"""

from __future__ import annotations

from typing import Any

import pytest

dagster = pytest.importorskip("dagster")
dagster_census = pytest.importorskip("dagster_census")

from census_client_support import (  # noqa: E402  (after the skips: the client may be absent)
    BRAZE, FAST_RUNS, RUN_LIFECYCLE, TOKEN, USERS_ROWS, assert_completed_counts, call, make_sync,
)


class MockCensusResource(dagster_census.CensusResource):
    """The real resource; only its base URL points at the mock."""

    mock_base_url: str

    @property
    def api_base_url(self) -> str:
        return f"{self.mock_base_url}/api/v1"


def census(base_url: str, **settings: Any) -> MockCensusResource:
    return MockCensusResource(api_key=TOKEN, mock_base_url=base_url, **settings)


@pytest.fixture
def base_url(mock_base_url: str, mock_admin: Any) -> str:
    mock_admin.lifecycle(RUN_LIFECYCLE, mode="time", delays=FAST_RUNS)
    return mock_base_url


def test_trigger_sync_and_poll_returns_a_completed_run_with_integer_counts(base_url: str, mock_admin: Any) -> None:
    ids = make_sync(base_url)
    output = census(base_url).trigger_sync_and_poll(ids["sync_id"], poll_interval=0.1)

    assert_completed_counts(output.sync_run)
    assert output.sync_run["sync_id"] == ids["sync_id"]
    assert output.source["name"] == "Snowflake - xy12345.us-east-1" and output.source["type"] == "snowflake"
    assert "password" not in output.source["connection_details"]
    assert output.destination["name"] == "Braze"
    # It really polled through the run: the first poll (after 0.1 s) saw it queued, later ones working.
    polls = mock_admin.call("GET", f"/requests?method=GET&path=/api/v1/sync_runs/{output.sync_run['id']}")
    assert len(polls["requests"]) >= 3
    trigger = mock_admin.call("GET", f"/requests?method=POST&path=/api/v1/syncs/{ids['sync_id']}/trigger")["requests"]
    assert trigger[0]["request_body"] == {"force_full_sync": False}
    # The sync now reads as up to date, as the vendor's sync status does after a completed run.
    assert call(base_url, "GET", f"/syncs/{ids['sync_id']}")["data"]["status"] == "up to date"


def test_a_second_run_is_incremental(base_url: str) -> None:
    ids = make_sync(base_url)
    resource = census(base_url)
    resource.trigger_sync_and_poll(ids["sync_id"], poll_interval=0.05)
    second = resource.trigger_sync_and_poll(ids["sync_id"], poll_interval=0.05).sync_run
    assert second["status"] == "completed" and second["full_sync"] is False
    assert (second["source_record_count"], second["records_processed"], second["records_updated"]) == (USERS_ROWS, 0, 0)
    forced = resource.trigger_sync_and_poll(ids["sync_id"], force_full_sync=True, poll_interval=0.05).sync_run
    assert forced["full_sync"] is True and forced["records_processed"] == USERS_ROWS


def test_a_forced_failure_comes_back_as_a_failed_run(base_url: str, mock_admin: Any) -> None:
    ids = make_sync(base_url)
    mock_admin.force(RUN_LIFECYCLE, "failed", token=TOKEN, message="The array field being used does not appear to be valid JSON",
                     data={"error_code": "JSON_ARRAY_ERROR", "error_detail": "Please make sure the field is a JSON array"})
    run = census(base_url).trigger_sync_and_poll(ids["sync_id"], poll_interval=0.1).sync_run

    assert run["status"] == "failed"
    assert run["error_code"] == "JSON_ARRAY_ERROR"
    assert run["error_message"] == "The array field being used does not appear to be valid JSON"
    assert run["error_detail"] == "Please make sure the field is a JSON array"
    assert run["completed_at"] is None and run["records_processed"] is None
    assert call(base_url, "GET", f"/syncs/{ids['sync_id']}")["data"]["status"] == "failing"


def test_a_destination_whose_connection_test_failed_fails_the_run(base_url: str) -> None:
    ids = make_sync(base_url, braze={**BRAZE, "api_key": "wrong-password"})
    run = census(base_url).trigger_sync_and_poll(ids["sync_id"], poll_interval=0.1).sync_run
    assert run["status"] == "failed"
    assert run["error_code"] == "DESTINATION_CONNECTION_FAILED"
    assert "Verify credentials" in run["error_detail"]


def test_the_op_records_the_run_as_materialization_metadata(base_url: str) -> None:
    ids = make_sync(base_url)

    @dagster.job(resource_defs={"census": census(base_url)})
    def sync_job() -> None:
        dagster_census.census_trigger_sync_op()

    outcome = sync_job.execute_in_process(run_config={"ops": {"census_trigger_sync_op": {"config": {
        "sync_id": ids["sync_id"], "poll_interval": 0.1}}}})
    assert outcome.success
    materialization = outcome.asset_materializations_for_node("census_trigger_sync_op")[0]
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert metadata["source_record_count"] == USERS_ROWS and metadata["records_processed"] == USERS_ROWS
    assert metadata["records_failed"] == 0 and metadata["full_sync"] is True
    output = outcome.output_for_node("census_trigger_sync_op")
    assert output.sync_run["status"] == "completed"


def test_the_workspace_listing_pages_through_every_sync(base_url: str) -> None:
    first = make_sync(base_url)
    for n in range(29):  # 30 syncs: two pages at the client's default per_page (25)
        make_sync(base_url, label=None if n % 3 == 0 else f"sync {n}",
                  source_id=first["source_id"], destination_id=first["destination_id"])
    data = census(base_url).fetch_census_workspace_data()

    assert len(data.syncs) == 30
    assert len({s.id for s in data.syncs}) == 30
    unlabelled = [s for s in data.syncs if s.name.startswith("sync_")]
    assert len(unlabelled) == 10 and all(s.name == f"sync_{s.id}" for s in unlabelled)
    assert all(s.source_id == first["source_id"] and s.destination_id == first["destination_id"] for s in data.syncs)
    assert all(m["to"] in ("external_id", "email") for s in data.syncs for m in s.mappings)


def test_an_unknown_sync_fails_after_the_clients_retries(base_url: str, mock_admin: Any) -> None:
    resource = census(base_url, request_max_retries=2, request_retry_delay=0.01)
    with pytest.raises(dagster.Failure, match="Max retries"):
        resource.get_sync(999999)
    assert len(mock_admin.call("GET", "/requests?path=/api/v1/syncs/999999")["requests"]) == 3
