"""The control plane across all three vendors: state, reset, journal masking, faults in each
vendor's own error shape, forced checks, declared-tenant attributes and the state file."""

from __future__ import annotations

import json

import pytest
from census_support import BRAZE
from census_support import TOKEN as CENSUS_TOKEN
from portable_support import NO_API, SNOWFLAKE
from vendor_matrix import CASES

from mockserver.persistence import SAVER

TOKENS = {"stitch": "tok-stitch", "portable": "tok-portable", "census": CENSUS_TOKEN}


async def create_everywhere(mock) -> dict[str, object]:
    made = {}
    for name, case in CASES.items():
        answer = await mock.post(case.collection, case.create_body, token=TOKENS[name])
        assert answer.status == case.created, answer
        made[name] = case.unwrap(answer.body)
    return made


async def listing(mock, name: str) -> object:
    return (await mock.get(CASES[name].collection, token=TOKENS[name])).body


async def test_state_holds_every_vendor_and_a_put_restores_all(mock):
    await create_everywhere(mock)
    before = {name: await listing(mock, name) for name in CASES}
    exported = (await mock.get("/__admin/state")).body
    assert set(exported["vendors"]) == {"stitch", "portable", "census"}
    await mock.post("/__admin/reset")
    answer = await mock.put("/__admin/state", exported)
    assert answer.status == 200
    assert {name: v["records"] for name, v in answer.body["vendors"].items()} == {"stitch": 1, "portable": 1, "census": 1}
    assert {name: await listing(mock, name) for name in CASES} == before


@pytest.mark.parametrize("vendor", list(CASES))
async def test_reset_one_vendor_keeps_the_others(mock, vendor):
    await create_everywhere(mock)
    answer = await mock.post("/__admin/reset", {"vendor": vendor})
    assert answer.status == 200
    assert vendor not in mock.state()["vendors"]
    assert set(mock.state()["vendors"]) == set(CASES) - {vendor}


async def test_reset_a_census_token_with_or_without_its_prefix(mock):
    await create_everywhere(mock)
    await mock.post("/__admin/reset", {"vendor": "census", "token": CENSUS_TOKEN.removeprefix("secret-token:")})
    assert mock.state()["vendors"]["census"]["tenants"] == {}


async def test_journal_masks_every_vendors_credentials(mock):
    await create_everywhere(mock)
    raw = json.dumps((await mock.get("/__admin/requests")).body)
    for secret in (SNOWFLAKE["password"], BRAZE["api_key"], *TOKENS.values()):
        assert secret not in raw
    vendors = [e["vendor"] for e in (await mock.get("/__admin/requests")).body["requests"]]
    assert vendors == ["stitch", "portable", "census"]


async def test_journal_token_filter_follows_each_vendors_key_rules(mock):
    await create_everywhere(mock)
    bare = CENSUS_TOKEN.removeprefix("secret-token:")
    for token in (CENSUS_TOKEN, bare):
        answer = await mock.get("/__admin/requests/count", params={"token": token})
        assert answer.body == {"count": 1}
    await mock.get("/api/v1/destinations", basic=("bearer", bare))
    assert (await mock.post("/__admin/requests/count", {"token": bare, "vendor": "census"})).body == {"count": 2}


FAULT_BODIES = {
    ("stitch", 429): "Too Many Requests",
    ("stitch", 503): "Service Unavailable",
    ("portable", 429): {"message": "Too Many Requests"},
    ("portable", 503): {"message": "Service Unavailable"},
    ("census", 429): {"status": 429},
    ("census", 503): {"status": "error", "message": "Service unavailable"},
}


@pytest.mark.parametrize("vendor, status", list(FAULT_BODIES))
async def test_forced_status_in_each_vendors_shape(mock, vendor, status):
    await mock.post("/__admin/faults", {"vendor": vendor, "status": status})
    answer = await mock.get(CASES[vendor].collection, token=TOKENS[vendor], check=status < 500)
    assert (answer.status, answer.body) == (status, FAULT_BODIES[(vendor, status)])
    # The other vendors are untouched.
    for other in set(CASES) - {vendor}:
        assert (await mock.get(CASES[other].collection, token=TOKENS[other])).status == 200


async def test_forced_census_test_for_one_destination(mock):
    made = await create_everywhere(mock)
    census_id = made["census"]["id"]
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    answer = await mock.post("/__admin/scenarios/checks", {
        "vendor": "census", "token": CENSUS_TOKEN.removeprefix("secret-token:"), "resource_id": census_id,
        "message": "Braze answered 401 Unauthorized",
    })
    assert answer.status == 201
    await mock.patch(f"/api/v1/destinations/{census_id}", {"service_connection": {"credentials": {"api_key": "new-key"}}},
                     token=CENSUS_TOKEN)
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    data = (await mock.get(f"/api/v1/destinations/{census_id}", token=CENSUS_TOKEN)).body["data"]
    assert data["last_test_succeeded"] is False
    assert data["last_test_results"]["steps"][0]["error"] == {"message": "Braze answered 401 Unauthorized"}


async def test_declared_attributes_for_portable_and_census(make_mock):
    mock = await make_mock(declared_tenants={
        "portable": {"pt-starter": {"api_access": False}},
        "census": {"cs-acme": {"workspace_name": "Acme Analytics"}},
    })
    answer = await mock.get("/v2/destinations", token="pt-starter")
    assert (answer.status, answer.body) == (403, {"message": NO_API})
    assert (await mock.get("/v2/destinations", token="pt-other")).status == 200
    assert (await mock.get("/api/v1/destinations", token="secret-token:cs-acme")).status == 200
    assert mock.state()["vendors"]["census"]["tenants"]["cs-acme"]["attrs"]["workspace_name"] == "Acme Analytics"
    workspace = await mock.get("/api/v1/workspace", token="cs-acme")
    assert workspace.body["data"]["name"] == "Acme Analytics"


async def test_strict_auth_covers_every_vendor(make_mock):
    mock = await make_mock(strict_auth=True, declared_tenants={"stitch": {"s": {}}, "portable": {"p": {}}, "census": {"c": {}}})
    for name, good in (("stitch", "s"), ("portable", "p"), ("census", "c")):
        assert (await mock.get(CASES[name].collection, token=good)).status == 200
        assert (await mock.get(CASES[name].collection, token="undeclared")).status == 401


async def test_the_state_file_keeps_every_vendor(make_mock, tmp_path):
    path = tmp_path / "state.json"
    mock = await make_mock(state_file=str(path), state_write_delay=0)
    await create_everywhere(mock)
    await mock.post("/__admin/clock/advance", {"seconds": 2})
    before = {name: await listing(mock, name) for name in CASES}
    await mock.app[SAVER].wait_saved()
    await mock.client.close()
    again = await make_mock(state_file=str(path))
    assert {name: await listing(again, name) for name in CASES} == before
