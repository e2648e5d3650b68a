"""Census-shaped JSON for destinations, objects, connectors and connect links (and the page a
completed link shows)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from yarl import URL

from mockserver.engine.clock import parse_iso
from mockserver.vendors.census.catalogue import Connector
from mockserver.vendors.census.credentials import connection_details


def destination(record: dict[str, Any], connector: Connector, wire: bool = False) -> dict[str, Any]:
    """The destination as Census shows it. `wire=True` (answers only) embeds the type's objects
    pre-encoded instead of as a list: the same JSON, without re-encoding the catalogue per answer."""
    return {
        "id": record["id"],
        "name": record["name"],
        "type": record["type"],
        "created_at": record["created_at"],
        "last_test_results": record["last_test_results"],
        "last_test_succeeded": record["last_test_succeeded"],
        "last_tested_at": record["last_tested_at"],
        "connection_details": connection_details(connector, record["credentials"], record["system_details"]),
        "objects": connector.objects_wire if wire else list(connector.objects),
    }


def connector(entry: Connector) -> dict[str, Any]:
    return entry.answer


def connect_link(link: dict[str, Any], now: datetime, base: URL, owner_field: str = "destination_id") -> dict[str, Any]:
    """A destination link names its destination in `destination_id`, a source link its source in `source_id`."""
    return {
        "id": link["id"],
        "type": link["type"],
        "expiration": link["expiration"],
        "expired": now >= parse_iso(link["expiration"]),
        "revoked": link["revoked"],
        "uri": str(base.with_path("/pbc").with_query({"auth": link["auth"]})),
        "redirect_uri": link["redirect_uri"],
        owner_field: link[owner_field],
    }


def link_completed_page(kind: str, record: dict[str, Any]) -> bytes:
    """What the end user sees when a connect link with no `redirect_uri` is done: a page naming the
    connection the link made or reauthorized (the vendor's page is its web app's; this one only
    says it is done)."""
    name = html.escape(str(record.get("name") or record.get("label") or record["type"]))
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Connected</title></head><body>"
            f"<h1>Connected</h1><p>{kind.capitalize()} {record['id']} ({name}) is connected to your workspace."
            f" You may close this page.</p></body></html>").encode()
