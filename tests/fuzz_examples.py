"""Valid requests the fuzzer mutates, and the resources it creates first, per vendor and operation id."""

from __future__ import annotations

from typing import Any

from stitch_support import SEED_V3_CREATE, SEED_V3_UPDATE, SEED_V4_CREATE

SETUP: dict[str, list[tuple[str, str, Any]]] = {
    "stitch": [("POST", "/v4/destinations", SEED_V4_CREATE)],
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "stitch": {
        "_names": ["postgres", "redshift", "storagegrid"],
        "create-a-destination-v4": [SEED_V4_CREATE, {"type": "s3", "properties": {"s3_bucket": "b", "output_file_format": "csv"}}],
        "update-a-destination-v4": [{"properties": {"username": "stitch_admin"}}, {"type": "postgres", "properties": {"port": 5433}}],
        "create-a-destination-v3": [SEED_V3_CREATE],
        "update-a-destination-v3": [SEED_V3_UPDATE],
    },
}
