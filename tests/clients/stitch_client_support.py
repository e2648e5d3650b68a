"""Set-up and read-back for the Stitch client tests, over the public API as a user's fixtures would do."""

from __future__ import annotations

from typing import Any

import requests

TOKEN = "ac_stitch_clients"
JOB_LIFECYCLE = "stitch.replication_job"
RECURLY = {
    "type": "platform.recurly",
    "display_name": "Recurly",
    "properties": {"start_date": "2018-01-10T00:00:00Z", "api_key": "recurly-key", "frequency_in_minutes": "60",
                   "quota_limit": "30", "subdomain": "stitchdata"},
}
POSTGRES_DESTINATION = {
    "type": "postgres",
    "properties": {"host": "warehouse.example.com", "port": "5432", "username": "loader", "password": "s3cret",
                   "database": "analytics", "ssl": "false"},
}
ROWS = {"accounts": 1240, "invoices": 6310}  # fixtures/stitch/source-types.yaml: first loads bring every row


def call(base_url: str, method: str, path: str, body: Any = None, token: str = TOKEN) -> Any:
    answer = requests.request(method, f"{base_url}{path}", json=body, timeout=10, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code < 300, (method, path, answer.status_code, answer.text)
    return answer.json()


def configured_source(base_url: str, streams: tuple[str, ...] = tuple(ROWS)) -> dict[str, Any]:
    """A destination and a Recurly source with `streams` selected: fully configured (checks take 0 s here)."""
    call(base_url, "POST", "/v4/destinations", POSTGRES_DESTINATION)
    source = call(base_url, "POST", "/v4/sources", RECURLY)
    selection = {"streams": [{"tap_stream_id": s, "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]} for s in streams]}
    assert call(base_url, "PUT", f"/v4/sources/{source['id']}/streams/metadata", selection) == {"status": 200}
    return call(base_url, "GET", f"/v4/sources/{source['id']}")


def assert_job_completed(base_url: str, client_id: int, source_id: int, job_name: str, streams: dict[str, int]) -> None:
    """The job's extraction finished cleanly, each selected stream was loaded, and the log counts its rows."""
    extraction = next(e for e in call(base_url, "GET", f"/v4/{client_id}/extractions")["data"] if e["source_id"] == source_id)
    assert extraction["job_name"] == job_name
    assert (extraction["discovery_exit_status"], extraction["tap_exit_status"], extraction["target_exit_status"]) == (0, 0, 0)
    assert extraction["completion_time"] is not None
    loads = {l["stream_name"]: l for l in call(base_url, "GET", f"/v4/{client_id}/loads")["data"]}
    assert set(loads) == set(streams)
    assert all(l["last_batch_loaded_at"] is not None and l["error_state"] is None for l in loads.values())
    log = requests.get(f"{base_url}/v4/{client_id}/extractions/{job_name}", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert log.status_code == 200 and log.history and log.history[0].status_code == 302
    for stream, rows in streams.items():
        assert f'tap - INFO replicated {rows} records from "{stream}" endpoint' in log.text
