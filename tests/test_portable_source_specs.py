"""Portable source specs and the legacy connectors list over HTTP, against the catalogue fixture."""

from __future__ import annotations

from pathlib import Path

import yaml

from portable_support import TOKEN, warm

CATALOGUE = Path(__file__).resolve().parents[1] / "fixtures" / "portable" / "source-specs.yaml"
SUMMARY_KEYS = ["name", "displayName", "website", "tagLine", "lifecycle", "authenticationType"]
AUTH_TYPES = {"NONE", "BASIC", "TOKEN", "AUTH_CODE", "CLIENT_CREDENTIALS", "FETCH_CREDENTIALS", "OIDC"}


def catalogue() -> list[dict]:
    return yaml.safe_load(CATALOGUE.read_text())["specs"]


async def test_list_answers_every_summary_in_catalogue_order(mock):
    answer = await mock.get("/v2/source-specs", token=TOKEN)
    assert answer.status == 200
    data = answer.body["data"]
    assert [s["name"] for s in data] == [s["name"] for s in catalogue()]
    assert all(list(s) == SUMMARY_KEYS for s in data)


async def test_the_catalogue_covers_every_auth_type_lifecycle_and_property_type(mock):
    data = (await mock.get("/v2/source-specs", token=TOKEN, params={"limit": "1000"})).body["data"]
    assert {s["authenticationType"] for s in data} == AUTH_TYPES
    assert {s["lifecycle"] for s in data} == {"ALPHA", "BETA", "STABLE", "DEPRECATED"}
    types = {p["type"] for s in catalogue() for p in s["propertyDefinitions"]}
    assert types == {"STRING", "PASSWORD", "TEXT", "NUMBER", "BOOLEAN", "DATE", "DATETIME", "TIME"}


async def test_get_answers_the_documented_freshsales_properties(mock):
    answer = await mock.get("/v2/source-specs/freshsales", token=TOKEN)
    assert answer.status == 200
    spec = answer.body["data"]
    assert list(spec) == SUMMARY_KEYS + ["instructions", "propertyDefinitions"]
    assert [(p["name"], p["type"], p["required"]) for p in spec["propertyDefinitions"]] == [
        ("domain", "STRING", True), ("api_key", "PASSWORD", True), ("account_view_id", "STRING", False),
    ]
    assert "resources" not in spec  # the tables a run reports are the mock's own detail


async def test_list_pages_with_limit_and_offset(mock):
    names = [s["name"] for s in catalogue()]
    page = (await mock.get("/v2/source-specs", token=TOKEN, params={"limit": "2", "offset": "1"})).body["data"]
    assert [s["name"] for s in page] == names[1:3]


async def test_unknown_spec_answers_404(mock):
    before = await warm(mock)
    answer = await mock.get("/v2/source-specs/salesforce", token=TOKEN)
    assert (answer.status, answer.body) == (404, {"message": "Not Found"})
    assert mock.state() == before


async def test_bad_limit_answers_400(mock):
    answer = await mock.get("/v2/source-specs", token=TOKEN, params={"limit": "0"})
    assert (answer.status, answer.body) == (400, {"message": "limit must be between 1 and 1000, got 0"})


async def test_legacy_connectors_answer_the_source_spec_summaries(mock):
    answer = await mock.get("/v2/connectors", token=TOKEN)
    assert answer.status == 200
    assert answer.body == (await mock.get("/v2/source-specs", token=TOKEN)).body


async def test_legacy_connectors_test_the_token_like_any_call(mock):
    # Keboola's client calls this to check a token: anything but 200 means "check your API token".
    assert (await mock.get("/v2/connectors")).status == 401
    assert (await mock.get("/v2/connectors", headers={"Authorization": "Token x"})).status == 401
