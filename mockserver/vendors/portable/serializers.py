"""Portable-shaped JSON for destinations: the full spec embedded, PASSWORD values masked."""

from __future__ import annotations

from typing import Any

from mockserver.vendors.base import MASK
from mockserver.vendors.portable.catalogue import DestinationSpec


def visible_properties(values: dict[str, str], spec: DestinationSpec) -> dict[str, str]:
    """Every stored property, PASSWORD ones as `********` (Portable never returns them)."""
    secret = spec.secret_names
    return {name: (MASK if name in secret else value) for name, value in values.items()}


def destination(record: dict[str, Any], spec: DestinationSpec) -> dict[str, Any]:
    return {
        "id": record["id"],
        "displayName": record["displayName"],
        "destinationSpec": spec.to_json(),
        "properties": visible_properties(record["properties"], spec),
        "createdAt": record["createdAt"],
        "updatedAt": record["updatedAt"],
    }
