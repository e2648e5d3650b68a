"""Stitch-shaped JSON for destinations (v4 and v3), report cards and connection checks."""

from __future__ import annotations

from typing import Any

from mockserver.vendors.base import is_secret_name
from mockserver.vendors.stitch.catalogue import DestinationType, FormType


def visible_properties(record: dict[str, Any], dtype: FormType) -> dict[str, Any]:
    """Everything but credentials, which Stitch never returns (undeclared secret-looking keys neither)."""
    index = dtype.form_index
    out = {}
    for name, value in record["properties"].items():
        prop = index.get(name)
        if (is_secret_name(name) if prop is None else prop.is_credential):
            continue
        out[name] = value
    return out


def report_card(record: dict[str, Any], dtype: DestinationType) -> dict[str, Any]:
    return dtype.report_card(set(record["properties"]), bool(record["configured"]))


def destination_v4(record: dict[str, Any], dtype: DestinationType, client_id: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "description": record["description"],
        "properties": visible_properties(record, dtype),
        "updated_at": record["updated_at"],
    }
    if record["check_job_name"]:
        body["check_job_name"] = record["check_job_name"]
    body.update(connection_fields(record, client_id))
    body["report_card"] = report_card(record, dtype)
    return body


def connection_fields(record: dict[str, Any], client_id: int) -> dict[str, Any]:
    """The fields destinations and sources share, in the vendor's order (its `report_card` follows)."""
    return {
        "name": record["name"],
        "type": record["type"],
        "deleted_at": record["deleted_at"],
        "system_paused_at": record["system_paused_at"],
        "stitch_client_id": client_id,
        "paused_at": record["paused_at"],
        "id": record["id"],
        "display_name": record["display_name"],
        "created_at": record["created_at"],
    }


def destination_v3(record: dict[str, Any], dtype: DestinationType) -> dict[str, Any]:
    check = record["last_check"]
    last_check = None
    if check is not None:
        last_check = {"error": bool(check["error"]), "started_at": check["start_time"], "completed_at": check["completion_time"]}
    return {
        "id": record["id"],
        "type": record["type"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "connection": visible_properties(record, dtype),
        "last_check": last_check,
    }


def connection_check(check: dict[str, Any]) -> dict[str, Any]:
    return dict(check)
