"""The vendor's own documented requests (seeds 000, 001, 003) get the documented status and shape."""

from __future__ import annotations

import re

from stitch_support import POSTGRES_CARD_ORDER, SEED_V3_CREATE, SEED_V3_UPDATE, SEED_V4_CREATE, V4_KEYS, provided


async def test_seed_001_v4_create_answers_destination_with_report_card(mock):
    answer = await mock.post("/v4/destinations", SEED_V4_CREATE, token="ac_seed001")
    assert answer.status == 200
    body = answer.body
    assert set(body) == V4_KEYS
    assert body["name"] == "Staging"
    assert body["description"] == "Postgres database for the staging environment."
    assert body["type"] == "postgres"
    assert body["display_name"] is None
    assert body["deleted_at"] is None and body["paused_at"] is None and body["system_paused_at"] is None
    assert body["properties"] == {
        "database": "[DATABASE]",
        "encryption_type": "none",
        "host": "[HOST_ADDRESS]",
        "port": "5432",
        "ssl": "false",
        "username": "[USERNAME]",
    }
    assert re.fullmatch(rf"{body['stitch_client_id']}\.{body['id']}\.check\.[0-9a-f-]{{36}}", body["check_job_name"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["created_at"])
    card = body["report_card"]
    assert [p["name"] for p in card["steps"][0]["properties"]] == POSTGRES_CARD_ORDER
    assert card["steps"][1] == {"type": "fully_configured", "properties": []}
    assert "details" not in card
    # The check runs asynchronously: until it finishes the card stays at the form step.
    assert (card["current_step"], card["current_step_type"]) == (1, "form")
    assert provided(card) == {name: name in SEED_V4_CREATE["properties"] for name in POSTGRES_CARD_ORDER}


async def test_seed_001_reaches_fully_configured_after_the_check_delay(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="ac_seed001")).body
    mock.advance(1.9)
    listed = (await mock.get("/v4/destinations", token="ac_seed001")).body
    assert listed[0]["report_card"]["current_step"] == 1
    mock.advance(0.1)
    listed = (await mock.get("/v4/destinations", token="ac_seed001")).body
    assert isinstance(listed, list) and len(listed) == 1
    assert listed[0]["id"] == created["id"]
    assert listed[0]["report_card"]["current_step"] == 2
    assert listed[0]["report_card"]["current_step_type"] == "fully_configured"
    assert listed[0]["check_job_name"] == created["check_job_name"]


async def test_seed_001_destination_types_lists_the_report_card(mock):
    answer = await mock.get("/v4/destination-types/postgres", token="ac_seed001")
    assert answer.status == 200
    card = answer.body
    assert card["type"] == "postgres"
    assert (card["current_step"], card["current_step_type"]) == (1, "form")
    assert card["details"] == {"pricing_tier": "standard", "pipeline_state": "released", "protocol": "postgres", "access": True}
    assert [p["name"] for p in card["steps"][0]["properties"]] == POSTGRES_CARD_ORDER
    assert all(p["provided"] is False for p in card["steps"][0]["properties"])
    password = next(p for p in card["steps"][0]["properties"] if p["name"] == "password")
    assert password == {
        "name": "password", "is_required": True, "is_credential": True, "system_provided": False,
        "property_type": "user_provided", "json_schema": {"type": "string"}, "provided": False,
    }


async def test_seed_000_v3_create_answers_the_v3_object(make_mock):
    mock = await make_mock(check_delay=2)
    answer = await mock.post("/v3/destinations", SEED_V3_CREATE, token="ac_seed000")
    assert answer.status == 200
    body = answer.body
    assert set(body) == {"id", "type", "created_at", "updated_at", "connection", "last_check"}
    assert body["type"] == "redshift"
    # Numbers and booleans come back as strings; the credential never comes back.
    assert body["connection"] == {
        "host": "<HOST>", "port": "5439", "username": "<USERNAME>", "database": "<DATABASE>",
        "ssl": "false", "encryption_type": "none",
    }
    assert body["last_check"] == {"error": False, "started_at": body["created_at"], "completed_at": None}
    mock.advance(2)
    listed = (await mock.get("/v3/destinations", token="ac_seed000")).body
    assert listed[0]["last_check"]["completed_at"] is not None
    assert listed[0]["last_check"]["error"] is False
    v4 = (await mock.get("/v4/destinations", token="ac_seed000")).body
    assert v4[0]["report_card"]["current_step_type"] == "fully_configured"


async def test_seed_003_v3_update_replaces_the_connection(mock):
    created = (await mock.post("/v4/destinations", SEED_V4_CREATE, token="ac_seed003")).body
    mock.advance(2)
    mock.advance(5)
    answer = await mock.put(f"/v3/destinations/{created['id']}", SEED_V3_UPDATE, token="ac_seed003")
    assert answer.status == 200
    body = answer.body
    assert body["id"] == created["id"] and body["type"] == "postgres"
    assert body["created_at"] == created["created_at"]
    assert body["updated_at"] > created["updated_at"]
    assert body["connection"] == {
        "host": "<HOST>", "port": "5432", "username": "<USERNAME>", "database": "<DATABASE>",
        "ssl": "false", "encryption_type": "none",
    }
    # An update starts a fresh check.
    assert body["last_check"]["completed_at"] is None
    mock.advance(2)
    listed = (await mock.get("/v3/destinations", token="ac_seed003")).body
    assert listed[0]["last_check"]["completed_at"] is not None
