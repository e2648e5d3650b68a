"""Request bodies shared by the Stitch tests: the vendor's own documented examples."""

from __future__ import annotations

import copy
from typing import Any

# Seed 000: POST /v3/destinations (Redshift), values as the docs send them (numbers, booleans).
SEED_V3_CREATE: dict[str, Any] = {
    "type": "redshift",
    "connection": {
        "host": "<HOST>",
        "port": 5439,
        "username": "<USERNAME>",
        "database": "<DATABASE>",
        "password": "<PASSWORD>",
        "ssl": False,
    },
}

# Seed 001: POST /v4/destinations (PostgreSQL), every value as a string.
SEED_V4_CREATE: dict[str, Any] = {
    "type": "postgres",
    "name": "Staging",
    "description": "Postgres database for the staging environment.",
    "properties": {
        "database": "[DATABASE]",
        "encryption_type": "none",
        "host": "[HOST_ADDRESS]",
        "password": "[PASSWORD]",
        "port": "5432",
        "ssl": "false",
        "username": "[USERNAME]",
    },
}


def postgres(**overrides: str) -> dict[str, Any]:
    """The seed's create body (a fresh copy), with properties overridden."""
    body = copy.deepcopy(SEED_V4_CREATE)
    body["properties"].update(overrides)
    return body

# Seed 003: PUT /v3/destinations/{id} (PostgreSQL), full connection object.
SEED_V3_UPDATE: dict[str, Any] = {
    "type": "postgres",
    "connection": {
        "host": "<HOST>",
        "port": 5432,
        "username": "<USERNAME>",
        "database": "<DATABASE>",
        "password": "<PASSWORD>",
        "ssl": False,
    },
}

POSTGRES_CARD_ORDER = [
    "database", "encryption_host", "encryption_port", "encryption_type", "encryption_username",
    "host", "password", "port", "ssl", "sslrootcert", "username",
]

V4_KEYS = {
    "description", "properties", "updated_at", "check_job_name", "name", "type", "deleted_at",
    "system_paused_at", "stitch_client_id", "paused_at", "id", "display_name", "created_at", "report_card",
}


def provided(card: dict[str, Any]) -> dict[str, bool]:
    return {p["name"]: p["provided"] for p in card["steps"][0]["properties"]}


# The vendor's create-a-source guide: POST /v4/sources (Recurly).
RECURLY_CREATE: dict[str, Any] = {
    "type": "platform.recurly",
    "display_name": "Recurly",
    "properties": {
        "start_date": "2018-01-10T00:00:00Z",
        "api_key": "[RECURLY_API_KEY]",
        "frequency_in_minutes": "60",
        "quota_limit": "30",
        "subdomain": "stitchdata",
    },
}

POSTGRES_SOURCE_CREATE: dict[str, Any] = {
    "type": "platform.postgres",
    "display_name": "Shop DB",
    "properties": {"host": "shop-db.example.com", "port": "5432", "user": "replicator",
                   "password": "secret", "database": "shop"},
}

SOURCE_KEYS = {
    "properties", "updated_at", "schedule", "check_job_name", "name", "type", "deleted_at", "system_paused_at",
    "stitch_client_id", "paused_at", "id", "display_name", "created_at", "report_card",
}


def card_step(source: dict[str, Any]) -> tuple[int, str]:
    card = source["report_card"]
    return card["current_step"], card["current_step_type"]


def select(*tap_stream_ids: str, fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """A PUT /v4/sources/{id}/streams/metadata body selecting streams (and the same fields in each)."""
    return {"streams": [
        {"tap_stream_id": tap_id, "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]
         + [{"breadcrumb": ["properties", f], "metadata": {"selected": True}} for f in fields]}
        for tap_id in tap_stream_ids
    ]}
