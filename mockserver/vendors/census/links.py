"""Destination connect links (Census Embedded): created for a connector type, expire, can be revoked.

A link expires 24 hours after creation on the engine's clock; `expired` is computed from the clock
each time the link is shown, so no job is needed. Revoking is idempotent. The link's secret is an
`auth` token; its `uri` is built when shown, on the host the request came to (see serializers).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.census.catalogue import Catalogue

LIFETIME = timedelta(hours=24)
LINK_ID_START = 469


class ConnectLinks:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.records = engine.resources.declare(
            ResourceType(
                vendor="census",
                name="connect_links",
                id_start=LINK_ID_START,
                order=lambda r: (r["created_at"], r["id"]),
                missing=lambda link_id: NotFound(f"no connect link {link_id}", code="connect_link"),
            )
        )

    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, link_id: int) -> dict[str, Any]:
        return self.records.get(tenant, link_id)

    def create(self, tenant: TenantState, type_name: str, redirect_uri: str | None) -> dict[str, Any]:
        connector = self.catalogue.get(type_name)
        if connector is None:
            raise Invalid(f"Invalid destination type: {type_name}", code="type")
        if not connector.creatable_via_connect_link:
            raise Invalid(f"Destinations of type {type_name} cannot be created via connect link", code="type")
        now = self.engine.clock.now()
        link = {
            "id": self.records.new_id(),
            "type": type_name,
            "created_at": iso_millis(now),
            "expiration": iso_millis(now + LIFETIME),
            "revoked": False,
            "redirect_uri": redirect_uri,
            "destination_id": None,
            "auth": self.engine.random.token(24),
        }
        return self.records.create(tenant, link)

    def revoke(self, tenant: TenantState, link_id: int) -> dict[str, Any]:
        return self.records.update(tenant, link_id, revoked=True)
