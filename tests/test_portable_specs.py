"""Portable destination specs: the catalogue, its listing and lookup, and creating from each spec."""

from __future__ import annotations

import pytest

from mockserver.resources import fixtures_dir
from mockserver.vendors.portable.catalogue import LIFECYCLES, PROPERTY_TYPES, Catalogue
from portable_support import MASK, SAMPLE_VALUES, TOKEN

CATALOGUE = Catalogue.load(fixtures_dir() / "portable" / "destination-specs.yaml")
NAMES = [s.name for s in CATALOGUE.ordered]
SUMMARY_KEYS = ["name", "displayName", "website", "tagLine", "lifecycle"]


def test_catalogue_has_the_engines_portable_names():
    assert {"snowflake", "bigquery", "redshift", "postgres", "mysql", "google_sheets"} <= set(NAMES)


def test_catalogue_uses_every_property_type_and_lifecycle():
    types = {p.type for s in CATALOGUE.ordered for p in s.properties}
    assert types == set(PROPERTY_TYPES)
    assert {s.lifecycle for s in CATALOGUE.ordered} == set(LIFECYCLES)


@pytest.mark.parametrize("name", NAMES)
def test_every_spec_is_complete(name):
    spec = CATALOGUE.get(name)
    assert spec.display_name and spec.website.startswith("https://") and spec.tag_line and spec.instructions
    assert any(p.required for p in spec.properties)
    assert any(p.secret for p in spec.properties)
    assert len({p.name for p in spec.properties}) == len(spec.properties)


@pytest.mark.parametrize("name", NAMES)
def test_definitions_by_name_answer_as_a_scan_of_the_spec(name):
    spec = CATALOGUE.get(name)
    for prop in spec.properties:
        assert spec.definition(prop.name) is next(p for p in spec.properties if p.name == prop.name)
    assert spec.definition("not_a_property") is None
    assert spec.required_names == tuple(p.name for p in spec.properties if p.required)


async def test_list_answers_summaries_in_catalogue_order(mock):
    answer = await mock.get("/v2/destination-specs", token=TOKEN)
    assert answer.status == 200
    assert [s["name"] for s in answer.body["data"]] == NAMES
    for summary in answer.body["data"]:
        assert list(summary) == SUMMARY_KEYS


async def test_list_pages_with_limit_and_offset(mock):
    answer = await mock.get("/v2/destination-specs", token=TOKEN, params={"limit": "3", "offset": "2"})
    assert [s["name"] for s in answer.body["data"]] == NAMES[2:5]


async def test_list_offset_past_the_end_is_empty(mock):
    answer = await mock.get("/v2/destination-specs", token=TOKEN, params={"offset": "100"})
    assert answer.body == {"data": []}


@pytest.mark.parametrize("name", NAMES)
async def test_get_answers_the_full_spec(mock, name):
    answer = await mock.get(f"/v2/destination-specs/{name}", token=TOKEN)
    assert answer.status == 200
    data = answer.body["data"]
    assert list(data) == SUMMARY_KEYS + ["instructions", "propertyDefinitions"]
    listed = (await mock.get("/v2/destination-specs", token=TOKEN)).body["data"]
    assert {k: data[k] for k in SUMMARY_KEYS} == next(s for s in listed if s["name"] == name)
    for definition in data["propertyDefinitions"]:
        assert list(definition) == ["name", "displayName", "type", "required", "description"]


async def test_spec_requests_change_no_destinations(mock):
    await mock.get("/v2/destination-specs", token=TOKEN)
    before = mock.state()
    await mock.get("/v2/destination-specs/snowflake", token=TOKEN)
    assert mock.state() == before


@pytest.mark.parametrize("name", NAMES)
async def test_a_destination_can_be_created_from_every_spec(mock, name):
    spec = CATALOGUE.get(name)
    props = {p.name: SAMPLE_VALUES[p.type] for p in spec.properties}
    answer = await mock.post("/v2/destinations", {"destinationSpec": name, "properties": props}, token=TOKEN)
    assert answer.status == 201
    expected = {k: (MASK if spec.definition(k).secret else v) for k, v in sorted(props.items())}
    assert answer.body["data"]["properties"] == expected


@pytest.mark.parametrize("name", NAMES)
async def test_required_properties_alone_are_enough(mock, name):
    spec = CATALOGUE.get(name)
    props = {p.name: SAMPLE_VALUES[p.type] for p in spec.properties if p.required}
    answer = await mock.post("/v2/destinations", {"destinationSpec": name, "properties": props}, token=TOKEN)
    assert answer.status == 201
