"""pystitchconnect 0.0.5 (`import pystitch`), unmodified but for its base URL, against a running mock.

The client's base URL is the class attribute `PyStitch.BASE_URL`; a test sets it on its instance. It
sends `Authorization: Bearer`, `Content-Type: application/json` (on GETs too) and a `Date` header,
starts a job with `data=None` (no body, `Content-Length: 0`), calls `raise_for_status()` and returns
each answer's JSON untouched. It cannot create sources or select streams, so the set-up does that
over the API first.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pystitch = pytest.importorskip("pystitch.client")
requests = pytest.importorskip("requests")

from stitch_client_support import ROWS, TOKEN, assert_job_completed, call, configured_source  # noqa: E402


def client(base_url: str) -> Any:
    stitch = pystitch.PyStitch(TOKEN)
    stitch.BASE_URL = f"{base_url}/v4"
    return stitch


def test_reads_sources_streams_and_schemas(mock_base_url: str) -> None:
    source = configured_source(mock_base_url)
    stitch = client(mock_base_url)
    assert [d["type"] for d in stitch.list_destinations()] == ["postgres"]
    assert [s["id"] for s in stitch.list_sources()] == [source["id"]]
    got = stitch.get_source(source["id"])
    assert got["report_card"]["current_step_type"] == "fully_configured" and "api_key" not in got["properties"]
    streams = {s["tap_stream_id"]: s for s in stitch.list_streams(source["id"])}
    assert streams["accounts"]["selected"] is True and streams["coupons"]["selected"] is None
    schema = stitch.get_stream_schema(source["id"], streams["accounts"]["stream_id"])
    properties = json.loads(schema["schema"])["properties"]
    fields = [m for m in schema["metadata"] if m["breadcrumb"]]
    assert [m["breadcrumb"][1] for m in fields] == list(properties)
    assert all(isinstance(m["metadata"]["selected"], bool) for m in fields)


def test_starts_a_job_whose_extraction_and_loads_complete(mock_base_url: str) -> None:
    source = configured_source(mock_base_url)
    job = client(mock_base_url).start_replication_job(source["id"])
    assert set(job) == {"job_name"}
    assert_job_completed(mock_base_url, source["stitch_client_id"], source["id"], job["job_name"], ROWS)


def test_a_second_start_while_one_runs_is_a_200_already_running(mock_base_url: str, mock_admin: Any) -> None:
    mock_admin.lifecycle("stitch.replication_job", mode="manual")
    source = configured_source(mock_base_url)
    stitch = client(mock_base_url)
    first = stitch.start_replication_job(source["id"])
    second = stitch.start_replication_job(source["id"])  # raise_for_status() does not raise: it is a 200
    assert second["error"]["type"] == "already_running"
    mock_admin.advance("stitch.replication_job")
    mock_admin.advance("stitch.replication_job")
    assert_job_completed(mock_base_url, source["stitch_client_id"], source["id"], first["job_name"], ROWS)


def test_errors_raise_http_errors(mock_base_url: str) -> None:
    stitch = client(mock_base_url)
    with pytest.raises(requests.HTTPError) as missing:
        stitch.get_source(424242)
    assert missing.value.response.status_code == 400
    assert missing.value.response.json() == {"error": "InvalidId", "data": {"message": "source not found (424242)"}}
    with pytest.raises(requests.HTTPError) as unknown:
        stitch.start_replication_job(424242)
    assert unknown.value.response.json()["error"]["type"] == "invalid_source"
    unselected = call(mock_base_url, "POST", "/v4/sources", {"type": "import_api", "display_name": "Import API"})
    with pytest.raises(requests.HTTPError):
        stitch.start_replication_job(unselected["id"])
