"""Destination connect links (Census Embedded): created for a connector type, expire, can be revoked,
and are completed once, when the link's page is opened (the mock stands in for the end user).

A link expires 24 hours after creation on the engine's clock; `expired` is computed from the clock
each time the link is shown, so no job is needed. Revoking is idempotent. The link's secret is an
`auth` token; its `uri` is built when shown, on the host the request came to (see serializers).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis, parse_iso
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

    def tenant_of(self, auth: str) -> TenantState:
        """The workspace whose link this `auth` is: the link's page is opened without an API key."""
        found = self.records.locate(lambda link: link["auth"] == auth)
        if found is None:
            raise NotFound("no connect link with this auth", code="connect_link")
        return found[0]

    def complete(self, tenant: TenantState, auth: str, create: Callable[[TenantState, str], dict[str, Any]]) -> dict[str, Any]:
        """The end user finishes the link's flow: `create` makes the destination of the link's type,
        and the link names it from then on. A link is used once; a revoked or expired one not at all."""
        link = next((r for r in self.records.records(tenant).values() if r["auth"] == auth), None)
        if link is None:
            raise NotFound("no connect link with this auth", code="connect_link")
        if link["revoked"]:
            raise Invalid("This connect link has been revoked", code="connect_link")
        if self.engine.clock.now() >= parse_iso(link["expiration"]):
            raise Invalid("This connect link has expired", code="connect_link")
        if link["destination_id"] is not None:
            raise Invalid("This connect link has already been used", code="connect_link")
        destination = create(tenant, link["type"])
        return self.records.update(tenant, link["id"], destination_id=destination["id"])
