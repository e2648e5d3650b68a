"""airflow-provider-census 2.1.0 (hook, CensusOperator, CensusSensor, CensusTrigger) against a running mock.

Nothing in the provider changes: its connection comes from `AIRFLOW_CONN_CENSUS_DEFAULT` (host = the
mock's URL, password = the workspace key), as a user would set it. The hook sends
`Authorization: Bearer <key>`, triggers with an empty POST (no body, no content type), and the sensor
raises on a `failed` run with its `error_message`; the deferrable path's trigger reports
`completed`/`failed` as an event.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from typing import Any, Iterator

import pytest

os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="airflow-home-"))
pytest.importorskip("airflow")
pytest.importorskip("airflow_provider_census")

from airflow.exceptions import AirflowException  # noqa: E402  (after the skips: the client may be absent)
from airflow_provider_census.hooks.census import CensusHook  # noqa: E402
from airflow_provider_census.operators.census import CensusOperator  # noqa: E402
from airflow_provider_census.sensors.census import CensusSensor  # noqa: E402
from airflow_provider_census.triggers.census import CensusTrigger  # noqa: E402

from census_client_support import (  # noqa: E402
    FAST_RUNS, RUN_LIFECYCLE, TOKEN, assert_completed_counts, call, make_sync,
)


@pytest.fixture
def base_url(mock_base_url: str, mock_admin: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The provider's default connection pointed at the mock, and short run steps on the real clock."""
    monkeypatch.setenv("AIRFLOW_CONN_CENSUS_DEFAULT", json.dumps(
        {"conn_type": "census", "host": mock_base_url, "password": TOKEN}))
    mock_admin.lifecycle(RUN_LIFECYCLE, mode="time", delays=FAST_RUNS)
    yield mock_base_url


def run_sensor(sync_run_id: Any, timeout: float = 20) -> None:
    """The sensor's own execute loop (poke, sleep, poke...), outside a scheduler."""
    sensor = CensusSensor(task_id="wait_for_census", sync_run_id=str(sync_run_id), poke_interval=0.1, timeout=timeout)
    sensor.execute(context={})


def first_event(trigger: CensusTrigger) -> dict[str, Any]:
    async def first() -> dict[str, Any]:
        async for event in trigger.run():
            return dict(event.payload)
        raise AssertionError("the trigger ended without an event")

    return asyncio.run(first())


def test_the_hooks_connection_test_passes(base_url: str) -> None:
    assert CensusHook().test_connection() == (True, "Connection successfully tested against Fivetran Activations API.")


def test_the_hooks_connection_test_fails_on_a_wrong_host(base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_CENSUS_DEFAULT", json.dumps({"conn_type": "census", "host": base_url + "/nowhere",
                                                                  "password": TOKEN}))
    ok, message = CensusHook().test_connection()
    assert ok is False and "404" in message


def test_operator_then_sensor_see_the_run_complete(base_url: str, mock_admin: Any) -> None:
    ids = make_sync(base_url)
    sync_run_id = CensusOperator(task_id="trigger_census", sync_id=ids["sync_id"]).execute(context={})
    assert isinstance(sync_run_id, int)

    run_sensor(sync_run_id)

    assert_completed_counts(call(base_url, "GET", f"/sync_runs/{sync_run_id}")["data"])
    trigger = mock_admin.call("GET", f"/requests?method=POST&path=/api/v1/syncs/{ids['sync_id']}/trigger")["requests"]
    assert trigger[0]["request_body"] is None  # Airflow's empty POST
    assert len(mock_admin.call("GET", f"/requests?path=/api/v1/sync_runs/{sync_run_id}")["requests"]) >= 2


def test_a_forced_failure_makes_the_sensor_raise_with_the_error_message(base_url: str, mock_admin: Any) -> None:
    ids = make_sync(base_url)
    mock_admin.force(RUN_LIFECYCLE, "failed", token=TOKEN, message="Braze rejected the batch: rate limited")
    sync_run_id = CensusOperator(task_id="trigger_census", sync_id=ids["sync_id"]).execute(context={})

    with pytest.raises(AirflowException, match=f"sync run {sync_run_id} failed with error: Braze rejected the batch: rate limited"):
        run_sensor(sync_run_id)


def test_a_paused_sync_cannot_be_triggered(base_url: str) -> None:
    ids = make_sync(base_url)
    call(base_url, "PATCH", f"/syncs/{ids['sync_id']}", {"paused": True})
    with pytest.raises(AirflowException, match="400"):
        CensusOperator(task_id="trigger_census", sync_id=ids["sync_id"]).execute(context={})


def test_the_deferrable_trigger_reports_completed_and_failed(base_url: str, mock_admin: Any) -> None:
    ids = make_sync(base_url)
    hook = CensusHook()
    done = hook.trigger_sync(ids["sync_id"])
    event = first_event(CensusTrigger(sync_run_id=done, poll_interval=0.1))
    assert event == {"sync_run_id": done, "status": "completed", "error_message": None}

    mock_admin.force(RUN_LIFECYCLE, "failed", token=TOKEN, message="Warehouse query timed out")
    failed = hook.trigger_sync(ids["sync_id"])
    event = first_event(CensusTrigger(sync_run_id=failed, poll_interval=0.1))
    assert event == {"sync_run_id": failed, "status": "failed", "error_message": "Warehouse query timed out"}
    with pytest.raises(AirflowException, match="Warehouse query timed out"):
        CensusSensor(task_id="wait", sync_run_id=str(failed)).execute_complete(context={}, event=event)


def test_a_cancelled_run_fails_the_sensor(base_url: str, mock_admin: Any) -> None:
    mock_admin.lifecycle(RUN_LIFECYCLE, mode="manual")
    ids = make_sync(base_url)
    sync_run_id = CensusHook().trigger_sync(ids["sync_id"])
    assert call(base_url, "POST", f"/sync_runs/{sync_run_id}/cancel") == {"status": "cancelled", "data": {}}
    with pytest.raises(AirflowException, match="cancelled"):
        run_sensor(sync_run_id)
