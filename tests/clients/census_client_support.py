"""Set-up for the Census client tests, done the way a user's own fixtures would: over the public API."""

from __future__ import annotations

import itertools
from typing import Any

import requests

TOKEN = "secret-token:census-clients"
SNOWFLAKE = {"account": "xy12345.us-east-1", "warehouse": "COMPUTE_WH", "user": "CENSUS", "password": "s3cret"}
BRAZE = {"instance_url": "https://rest.iad-03.braze.com", "api_key": "braze-rest-key"}
USERS_QUERY = "select ID, EMAIL, FIRST_NAME from ANALYTICS.PUBLIC.USERS where IS_ACTIVE"
USERS_ROWS = 1250  # fixtures/census/tables/snowflake.json: ANALYTICS.PUBLIC.USERS
RUN_LIFECYCLE = "census.sync_run"
FAST_RUNS = {"queued": 0.2, "working": 0.3}  # seconds: short, but long enough for a client to poll through
_models = itertools.count(1)  # model names are unique per source


def call(base_url: str, method: str, path: str, body: Any = None, token: str = TOKEN) -> Any:
    answer = requests.request(method, f"{base_url}/api/v1{path}", json=body, timeout=10,
                              headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code < 300, (method, path, answer.status_code, answer.text)
    return answer.json()


def make_sync(base_url: str, *, label: str | None = "Active users to Braze", braze: dict[str, str] | None = None,
              source_id: int | None = None, destination_id: int | None = None) -> dict[str, int]:
    """A Snowflake source with the users model, a Braze destination, and an upsert sync between them."""
    if source_id is None:
        source_id = call(base_url, "POST", "/sources", {"connection": {"type": "snowflake", "credentials": SNOWFLAKE}})["data"]["id"]
    model = call(base_url, "POST", f"/sources/{source_id}/models",
                 {"name": f"Active users {next(_models)}", "query": USERS_QUERY})["data"]
    if destination_id is None:
        destination_id = call(base_url, "POST", "/destinations",
                              {"service_connection": {"type": "braze", "credentials": braze or BRAZE}})["data"]["id"]
    sync = call(base_url, "POST", "/syncs", {
        "label": label,
        "operation": "upsert",
        "source_attributes": {"connection_id": source_id, "object": {"type": "model", "id": model["id"]}},
        "destination_attributes": {"connection_id": destination_id, "object": "user"},
        "mappings": [
            {"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True},
            {"from": {"type": "column", "data": "EMAIL"}, "to": "email", "is_primary_identifier": False},
        ],
    })
    return {"source_id": source_id, "destination_id": destination_id, "model_id": model["id"], "sync_id": sync["data"]["sync_id"]}


def assert_completed_counts(run: dict[str, Any], rows: int = USERS_ROWS) -> None:
    """A completed first run: every count an integer, all rows processed and sent."""
    assert run["status"] == "completed", run
    counts = {k: run[k] for k in ("source_record_count", "records_processed", "records_updated", "records_failed", "records_invalid")}
    assert all(type(v) is int for v in counts.values()), counts
    assert counts == {"source_record_count": rows, "records_processed": rows, "records_updated": rows,
                      "records_failed": 0, "records_invalid": 0}
    assert run["completed_at"] is not None and run["full_sync"] is True
