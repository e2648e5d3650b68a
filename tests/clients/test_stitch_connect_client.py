"""stitch-connect-client 0.6.2 (OpenAPI-generated, asyncio on aiohttp), unmodified but for its host.

The package uses aiohttp without declaring it, so the `clients` extra installs aiohttp too. Every
API method is a coroutine; answers are deserialized into its models, whose setters refuse values
outside their enums (step types, pricing tiers, inclusion) and `None` for a metadata entry's
`breadcrumb` or `metadata`, so these tests also hold the mock's shapes to what the client accepts.
Its `CreateSourceBody` sends its `properties` map a second time as `destination_id` (the model's
`destination_id` property is declared with `@properties.setter`, so it reads `properties`); the mock
refuses that body as it refuses any non-integer `destination_id`, so a source is created with the
model's required fields and given its properties by `update_source`, which has no such field. Its
`StreamUpdate.metadata` model has no breadcrumbs, so field selection is sent as a plain dict
(which the client passes through). Source types, extractions and loads have no API class in this
client: they go through its own generic `ApiClient.call_api`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

scc = pytest.importorskip("stitch_connect_client")
pytest.importorskip("aiohttp")

from stitch_client_support import POSTGRES_DESTINATION, RECURLY, ROWS, TOKEN, assert_job_completed  # noqa: E402


class Stitch:
    """The client's API classes on one configured ApiClient (created inside the running loop)."""

    def __init__(self, base_url: str) -> None:
        config = scc.Configuration(host=base_url)
        config.access_token = TOKEN
        self.api = scc.ApiClient(config)
        self.sources = scc.SourcesApi(self.api)
        self.streams = scc.StreamsApi(self.api)
        self.destinations = scc.DestinationsApi(self.api)

    async def get(self, path: str) -> Any:
        return await self.api.call_api(path, "GET", response_type="object", auth_settings=["bearerAuth"],
                                       _return_http_data_only=True)

    async def close(self) -> None:
        await self.api.rest_client.pool_manager.close()
        # Its __del__ schedules another close on the running loop: let that happen here, not at exit.
        self.api.rest_client = None
        self.sources = self.streams = self.destinations = None
        await asyncio.sleep(0)

    async def create_source(self, body: dict[str, Any]) -> Any:
        created = await self.sources.create_source(scc.CreateSourceBody(display_name=body["display_name"], type=body["type"]))
        return await self.sources.update_source(created.id, scc.UpdateSourceBody(properties=body["properties"]))


async def refusal(call: Any) -> tuple[int, Any]:
    """(status, JSON body) of a call the client raises ApiException for; nothing of the raise is kept
    (its traceback would keep the client's session alive past the event loop)."""
    try:
        await call
    except scc.ApiException as error:
        return error.status, json.loads(error.body)
    raise AssertionError("the call succeeded")


@pytest.fixture
async def stitch(mock_base_url: str) -> Any:
    client = Stitch(mock_base_url)
    yield client
    await client.close()


async def test_source_lifecycle_selection_and_a_job(stitch: Stitch, mock_base_url: str) -> None:
    destination = await stitch.destinations.create_destination(scc.CreateDestinationBody(**POSTGRES_DESTINATION))
    assert destination.type == "postgres"
    types = await stitch.get("/v4/source-types")
    assert {"platform.recurly", "platform.postgres"} <= {t["type"] for t in types}
    status, body = await refusal(stitch.sources.create_source(scc.CreateSourceBody(**RECURLY)))  # its typo, see above
    assert (status, body["error"]) == (400, "InvalidBody")
    created = await stitch.create_source(RECURLY)
    assert created.name == "recurly" and created.report_card.current_step == 3
    assert [s.type for s in created.report_card.steps] == ["form", "discover_schema", "field_selection", "fully_configured"]
    check = await stitch.sources.get_last_connection_check(created.id)
    assert check.status == "succeeded" and check.discovery_exit_status == 0

    streams = {s.tap_stream_id: s for s in await stitch.streams.get_streams(created.id)}
    assert streams["accounts"].selected is None
    assert streams["accounts"].metadata.table_key_properties == ["id"]
    schema = await stitch.streams.get_stream_schema(created.id, streams["accounts"].stream_id)
    assert "email" in json.loads(schema.schema)["properties"]
    assert all(m.metadata.selected is False for m in schema.metadata if m.breadcrumb)
    assert schema.non_discoverable_metadata_keys[0] == "selected"

    selection = {"streams": [{"tap_stream_id": name, "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]}
                             for name in ROWS]}
    await stitch.streams.update_stream_metadata(created.id, selection)
    source = await stitch.sources.get_source(created.id)
    assert source.report_card.current_step == 4

    started = await stitch.sources.start_replication(created.id)
    job_name = stitch.api.last_response.data and json.loads(stitch.api.last_response.data)["job_name"]
    assert started.error is None and job_name.startswith(f"{source.stitch_client_id}.{source.id}.sync.")
    extractions = await stitch.get(f"/v4/{source.stitch_client_id}/extractions")
    assert extractions["data"][0]["tap_exit_status"] == 0
    loads = await stitch.get(f"/v4/{source.stitch_client_id}/loads")
    assert sorted(l["stream_name"] for l in loads["data"]) == sorted(ROWS)
    assert_job_completed(mock_base_url, source.stitch_client_id, source.id, job_name, ROWS)


async def test_pause_update_delete_and_errors(stitch: Stitch) -> None:
    created = await stitch.create_source(RECURLY)
    paused = await stitch.sources.update_source(created.id, scc.UpdateSourceBody(paused_at="2019-06-01T00:00:00Z"))
    assert paused.paused_at == "2019-06-01T00:00:00Z"
    renamed = await stitch.sources.update_source(created.id, scc.UpdateSourceBody(display_name="Recurly (prod)"))
    assert renamed.display_name == "Recurly (prod)" and renamed.name == "recurly"
    listed = await stitch.sources.get_sources()
    assert [s.id for s in listed] == [created.id]
    deleted = await stitch.sources.delete_source(created.id)
    assert deleted.deleted_at is not None
    assert (await stitch.sources.get_sources())[0].deleted_at == deleted.deleted_at
    refused = await refusal(stitch.sources.start_replication(created.id))
    assert refused == (400, {"error": {"type": "invalid_source", "message": "Integration is deleted."}})
    bad = await refusal(stitch.sources.create_source(scc.CreateSourceBody(display_name="X", type="platform.nope")))
    assert bad == (400, {"error": "InvalidType", "data": {"message": "invalid source type (platform.nope)"}})
