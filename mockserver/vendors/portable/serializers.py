"""Portable-shaped JSON for stored records: destinations and sources with their full spec embedded
and PASSWORD values masked, flows, run attempts, and the status of a flow's latest attempt."""

from __future__ import annotations

from typing import Any, Protocol

from mockserver.vendors.base import MASK
from mockserver.vendors.portable.catalogue import Spec


class Render(Protocol):
    def __call__(self, record: dict[str, Any], spec: Spec, wire: bool = False) -> dict[str, Any]: ...


def visible_properties(values: dict[str, str], spec: Spec) -> dict[str, str]:
    """Every stored property, PASSWORD ones as `********` (Portable never returns them)."""
    secret = spec.secret_names
    return {name: (MASK if name in secret else value) for name, value in values.items()}


def _spec_record(spec_field: str) -> Render:
    """Destinations and sources answer alike but for the name of their spec field."""

    def render(record: dict[str, Any], spec: Spec, wire: bool = False) -> dict[str, Any]:
        """`wire=True` (answers only): the spec embedded as its bytes, encoded once (Spec.wire)."""
        return {
            "id": record["id"],
            "displayName": record["displayName"],
            spec_field: spec.wire if wire else spec.to_json(),
            "properties": visible_properties(record["properties"], spec),
            "createdAt": record["createdAt"],
            "updatedAt": record["updatedAt"],
        }

    return render


destination = _spec_record("destinationSpec")
source = _spec_record("sourceSpec")


def flow(record: dict[str, Any]) -> dict[str, Any]:
    """Exactly one of `frequency` and `cron`, as in Portable's two flow examples."""
    body = {
        "id": record["id"],
        "displayName": record["displayName"],
        "source": record["source"],
        "destination": record["destination"],
    }
    if record.get("cron"):
        body["cron"] = record["cron"]
    else:
        body["frequency"] = record["frequency"]
    return body


def run_attempt(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "flow": record["flow"],
        "trigger": record["trigger"],
        "lifecycle": record["lifecycle"],
        "disposition": record["disposition"],
        "resources": [dict(r) for r in record["resources"]],
        "errors": list(record["errors"]) if record["errors"] is not None else None,
        "completedAt": record["completedAt"],
        "createdAt": record["createdAt"],
    }


def flow_status(flow_id: int, latest: dict[str, Any] | None) -> dict[str, Any]:
    """The latest attempt as GET /v2/flows/{id}/status shows it (unwrapped; `id` is the flow's).
    A flow that never ran is NOT_RUNNING / NONE with nothing else to say."""
    if latest is None:
        return {
            "id": flow_id,
            "lifecycle": "NOT_RUNNING",
            "disposition": "NONE",
            "resources": None,
            "errors": None,
            "completedAt": None,
        }
    resources = [{**r, "errors": []} for r in latest["resources"]]
    return {
        "id": flow_id,
        "lifecycle": latest["lifecycle"],
        "disposition": latest["disposition"],
        "resources": resources or None,
        "errors": list(latest["errors"]) if latest["errors"] is not None else None,
        "completedAt": latest["completedAt"],
    }
