"""PUT /__admin/state refuses records its vendor could not serve, and changes nothing when it does.

The document's outline is checked first; then every tenant's records are rendered the way the
vendor's handlers do and held to the vendor's spec. A document that passes answers like the state
it describes; one that fails is a 400 and the old state stays.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Callable

import pytest
from aiohttp.test_utils import TestServer

from mockserver.app import create_app
from mockserver.persistence import PersistenceError
from mockserver.settings import Settings

from vendor_matrix import CASES

TOKEN = "state-records"


def first_record(doc: dict[str, Any], vendor: str, collection: str) -> dict[str, Any]:
    (tenant,) = doc["vendors"][vendor]["tenants"].values()
    return tenant["collections"][collection][0]


CORRUPTIONS: dict[str, tuple[str, str, Callable[[dict[str, Any]], None]]] = {
    "stitch: unknown destination type": ("stitch", "destinations", lambda r: r.update(type="oracle")),
    "stitch: properties not an object": ("stitch", "destinations", lambda r: r.update(properties=["host"])),
    "stitch: created_at not a timestamp": ("stitch", "destinations", lambda r: r.update(created_at="yesterday")),
    "stitch: record without its name": ("stitch", "destinations", lambda r: r.pop("name")),
    "portable: unknown destination spec": ("portable", "destinations", lambda r: r.update(destinationSpec="oracle")),
    "portable: id not an integer": ("portable", "destinations", lambda r: r.update(id="seven")),
    "census: unknown connector type": ("census", "destinations", lambda r: r.update(type="oracle")),
    "census: record without credentials": ("census", "destinations", lambda r: r.pop("credentials")),
    "census: connect link without expiry": ("census", "connect_links", lambda r: r.pop("expiration", None) or r.pop("created_at")),
}


async def populated(mock) -> dict[str, Any]:
    for case in CASES.values():
        assert (await mock.post(case.collection, case.create_body, token=TOKEN)).status == case.created
    answer = await mock.post("/api/v1/destination_connect_links", {"type": "hubspot"}, token=TOKEN)
    assert answer.status == 201
    return mock.state()


async def test_an_intact_export_loads_and_serves_the_same(make_mock):
    mock = await make_mock(check_delay=0)
    exported = await populated(mock)
    before = {name: (await mock.get(case.collection, token=TOKEN)).body for name, case in CASES.items()}
    answer = await mock.put("/__admin/state", exported)
    assert answer.status == 200, answer
    after = {name: (await mock.get(case.collection, token=TOKEN)).body for name, case in CASES.items()}
    assert after == before


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
async def test_a_record_the_vendor_cannot_serve_is_refused(make_mock, case):
    mock = await make_mock(check_delay=0)
    exported = await populated(mock)
    vendor, collection, corrupt = CORRUPTIONS[case]
    document = copy.deepcopy(exported)
    corrupt(first_record(document, vendor, collection))
    answer = await mock.put("/__admin/state", document)
    assert answer.status == 400, answer
    assert answer.body["error"].startswith(("state not loaded:", "not a state document:"))
    assert f"vendors/{vendor}" in answer.body["error"]
    assert TOKEN not in answer.body["error"]  # tokens are shown masked
    assert mock.state() == exported
    # ...and the server still serves the state it had.
    for case_ in CASES.values():
        assert (await mock.get(case_.collection, token=TOKEN)).status == 200


async def test_a_state_file_with_an_unservable_record_stops_start_up(tmp_path, make_mock):
    mock = await make_mock(check_delay=0)
    document = await populated(mock)
    first_record(document, "census", "destinations")["type"] = "oracle"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document))
    server = TestServer(create_app(Settings(virtual_clock=True, state_file=str(path))))
    with pytest.raises(PersistenceError, match="vendors/census"):
        await server.start_server()
    await server.close()
    assert json.loads(path.read_text()) == document  # the file is left for the user to mend
