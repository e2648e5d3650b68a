"""--demo: seeded data for every vendor, in every state, created through the vendors' own APIs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mockserver.demo import banner, seed_demo
from mockserver.demo.census import WORKSPACE
from mockserver.demo.portable import ORG, STARTER
from mockserver.demo.stitch import SOLO, TEAM


async def demo_mock(make_mock, **settings):
    mock = await make_mock(demo=True, **settings)
    rows = await seed_demo(mock.app, str(mock.client.make_url("")).rstrip("/"))
    return mock, rows


@pytest.fixture
async def demo(make_mock):
    mock, _ = await demo_mock(make_mock)
    return mock


async def test_stitch_destinations_in_every_state(demo):
    listed = (await demo.get("/v4/destinations", token=TEAM)).body
    states = {}
    for d in listed:
        check = (await demo.get(f"/v4/destinations/{d['id']}/last-connection-check", token=TEAM, check=False)).body
        states[d["name"]] = (d["report_card"]["current_step_type"], check.get("status") if isinstance(check, dict) else None)
    assert states == {
        "Analytics warehouse": ("fully_configured", "succeeded"),
        "Legacy Redshift": ("form", "failed"),
        "Staging": ("form", "failed"),
        "Snowflake (draft)": ("form", None),
        "Snowflake": ("form", "running"),
    }


async def test_the_standard_plan_account_is_at_its_limit(demo):
    assert len((await demo.get("/v4/destinations", token=SOLO)).body) == 1
    listed = (await demo.get("/v4/destinations", token=SOLO)).body
    answer = await demo.post("/v4/destinations", {"type": "postgres", "properties": {}}, token=SOLO)
    assert answer.status == 400 and len(listed) == 1


async def test_portable_organisations(demo):
    listed = (await demo.get("/v2/destinations", token=ORG)).body["data"]
    assert sorted(d["destinationSpec"]["name"] for d in listed) == ["bigquery", "postgres", "snowflake"]
    assert (await demo.get("/v2/destinations", token=STARTER)).status == 403


async def test_census_workspace(demo):
    listed = (await demo.get("/api/v1/destinations", token=WORKSPACE)).body["data"]
    assert {d["type"]: d["last_test_succeeded"] for d in listed} == {
        "braze": True, "klaviyo": False, "iterable": True, "salesforce": None,
    }
    braze = next(d for d in listed if d["type"] == "braze")
    assert (await demo.get(f"/api/v1/destinations/{braze['id']}/objects", token=WORKSPACE)).body["data"]
    refreshes = demo.state()["vendors"]["census"]["tenants"]["demo-census-workspace"]["collections"]["refreshes"]
    assert sorted(r["status"] for r in refreshes) == ["completed", "processing"]
    links = (await demo.get("/api/v1/destination_connect_links", token=WORKSPACE)).body["data"]
    assert sorted((link["type"], link["revoked"], link["expired"]) for link in links) == [
        ("hubspot", True, False), ("salesforce", False, False),
    ]


async def test_the_journal_starts_empty(demo):
    assert (await demo.get("/__admin/requests")).body["matched"] == 0


async def test_demo_data_is_seeded_and_reproducible(make_mock):
    first, rows = await demo_mock(make_mock, seed=11)
    again, _ = await demo_mock(make_mock, seed=11)
    assert first.state() == again.state()
    assert {vendor for vendor, _, _ in rows} == {"stitch", "portable", "census"}


async def test_demo_tokens_work_under_strict_auth(make_mock):
    mock, _ = await demo_mock(make_mock, strict_auth=True)
    assert (await mock.get("/v4/destinations", token=TEAM)).status == 200
    assert (await mock.get("/v4/destinations", token="someone-else")).status == 401


async def test_existing_state_wins_over_the_demo(make_mock):
    mock = await make_mock(demo=True)
    await mock.get("/v4/destinations", token="tok-a")
    assert await seed_demo(mock.app, str(mock.client.make_url("")).rstrip("/")) == []
    assert list(mock.state()["vendors"]) == ["stitch"]
    assert "already holds state" in banner([])


def test_the_cli_prints_the_demo_tokens():
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--demo", "--check-delay", "0",
         "--refresh-delay", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(7)]
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert "listening on http://127.0.0.1:" in lines[0]
    assert lines[1].startswith("demo data loaded")
    text = "".join(lines)
    for token in (TEAM, SOLO, ORG, STARTER, WORKSPACE):
        assert token in text
