"""Routing remembers which route answered a (method, path) (mockserver/routing.py): repeated requests
must still reach the route their own method and path name, with their own path values."""

from __future__ import annotations

import pytest

from portable_support import TOKEN, make_flow

STITCH = "ac_routing"


async def test_repeated_paths_keep_their_own_values_methods_and_merged_slashes(mock):
    first, second = await make_flow(mock), await make_flow(mock)
    for _ in range(3):  # alternately, so each poll follows a remembered route of the other
        for flow in (first, second):
            answer = await mock.get(f"/v2/flows/{flow['id']}/status", token=TOKEN)
            assert (answer.status, answer.body["id"]) == (200, flow["id"])
    for _ in range(2):  # the same path, another method: its own route, not the remembered one
        assert (await mock.get(f"/v2/flows/{first['id']}", token=TOKEN)).body["data"]["id"] == first["id"]
        assert (await mock.request("PUT", f"/v2/flows/{first['id']}/status", token=TOKEN, check=False)).status == 405
    for _ in range(2):  # Stitch's runs of slashes, merged before routing, each time
        for path in ("/v4//destinations", "/v4/destinations"):
            assert (await mock.get(path, token=STITCH)).status == 200
    for _ in range(2):  # unknown paths stay unknown, and the answer says why
        unknown = await mock.request("GET", "/nowhere/at/all", check=False)
        assert (unknown.status, unknown.body) == (404, {"message": "Not Found"})
        assert unknown.headers["X-Mock-Rejection"] == "not found: no route for GET /nowhere/at/all"


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/destinations/%0A%7B/refresh_objects", {"status": 404}),  # Census
    ("/v2/flows/%0A%7B/status", {"message": "Not Found"}),  # Portable
    ("/v4/destinations/%0A%7B/x", "Not Found"),  # Stitch
    ("/elsewhere/%0A%7B", {"message": "Not Found"}),  # under no vendor
])
async def test_a_path_holding_a_newline_gets_the_vendors_own_404(mock, path, body):
    """A decoded path with a newline (and a brace, which no route's value may hold) matches only
    the catch-all routes, which must take any character: else aiohttp answers its own text 404."""
    vendor = not path.startswith("/elsewhere")  # the harness checks vendor answers against their specs
    answer = await mock.request("POST", path, token="tok-a", check=vendor)
    assert (answer.status, answer.body) == (404, body)
