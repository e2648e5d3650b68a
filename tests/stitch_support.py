"""Request bodies shared by the Stitch tests: the vendor's own documented examples."""

from __future__ import annotations

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
