"""Valid requests the fuzzer mutates, and the resources it creates first, per vendor and operation id."""

from __future__ import annotations

from typing import Any

from census_support import ACTIVE_CAMPAIGN, BRAZE, SEED_CREATE, connection
from portable_support import REDSHIFT, SNOWFLAKE
from stitch_support import SEED_V3_CREATE, SEED_V3_UPDATE, SEED_V4_CREATE

PORTABLE_CREATE = {"displayName": "Warehouse", "destinationSpec": "snowflake", "properties": SNOWFLAKE}
CENSUS_BRAZE = connection("braze", BRAZE, "Braze")

SETUP: dict[str, list[tuple[str, str, Any]]] = {
    "stitch": [("POST", "/v4/destinations", SEED_V4_CREATE)],
    "portable": [("POST", "/v2/destinations", PORTABLE_CREATE)],
    "census": [
        ("POST", "/api/v1/destinations", CENSUS_BRAZE),
        ("POST", "/api/v1/destination_connect_links", {"type": "hubspot"}),
    ],
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "stitch": {
        "_names": ["postgres", "redshift", "storagegrid"],
        "create-a-destination-v4": [SEED_V4_CREATE, {"type": "s3", "properties": {"s3_bucket": "b", "output_file_format": "csv"}}],
        "update-a-destination-v4": [{"properties": {"username": "stitch_admin"}}, {"type": "postgres", "properties": {"port": 5433}}],
        "create-a-destination-v3": [SEED_V3_CREATE],
        "update-a-destination-v3": [SEED_V3_UPDATE],
    },
    "portable": {
        "_names": ["snowflake", "redshift", "google_sheets"],
        "createDestination": [PORTABLE_CREATE, {"destinationSpec": "redshift", "properties": REDSHIFT}],
        "updateDestination": [{"displayName": "Renamed"}, {"properties": {"warehouse": "BIG_WH"}}],
    },
    "census": {
        "_names": ["braze", "user", "hubspot", "salesforce"],
        "createDestination": [CENSUS_BRAZE, SEED_CREATE, connection("active_campaign", ACTIVE_CAMPAIGN, "AC")],
        "updateDestination": [{"service_connection": {"name": "Renamed", "credentials": {"api_key": "k2"}}}],
        "createDestinationConnectLink": [{"type": "hubspot", "redirect_uri": "https://example.com/back"}],
    },
}
