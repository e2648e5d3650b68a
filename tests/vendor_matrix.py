"""One valid create per vendor, and where its list and item endpoints are: for cross-vendor tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from census_support import BRAZE, connection
from portable_support import SNOWFLAKE
from stitch_support import SEED_V4_CREATE


@dataclass(frozen=True)
class VendorCase:
    name: str
    collection: str  # list and create path
    create_body: dict[str, Any]
    created: int  # create status
    update_method: str
    update_body: Callable[[str], dict[str, Any]]  # a body that sets a marker value
    marker: Callable[[dict[str, Any]], str]  # reads the marker back from a list item
    unwrap: Callable[[Any], Any]  # the payload inside the vendor's envelope


CASES = {
    "stitch": VendorCase(
        "stitch", "/v4/destinations", SEED_V4_CREATE, 200, "PUT",
        lambda m: {"properties": {"username": m}}, lambda d: d["properties"]["username"], lambda b: b,
    ),
    "portable": VendorCase(
        "portable", "/v2/destinations",
        {"displayName": "Warehouse", "destinationSpec": "snowflake", "properties": SNOWFLAKE}, 201, "PATCH",
        lambda m: {"displayName": m}, lambda d: d["displayName"], lambda b: b["data"],
    ),
    "census": VendorCase(
        "census", "/api/v1/destinations", connection("braze", BRAZE, "Braze"), 201, "PATCH",
        lambda m: {"service_connection": {"name": m}}, lambda d: d["name"], lambda b: b["data"],
    ),
}
