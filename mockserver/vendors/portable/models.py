"""The Portable organisation model: destinations over the spec catalogue. Knows nothing of HTTP."""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.portable.catalogue import Catalogue, DestinationSpec
from mockserver.vendors.portable.properties import resolve

# Portable's documentation examples show destination ids 689421 and 689422.
DESTINATION_ID_START = 689421
COLLECTION = "destinations"


class PortableModel:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.records = engine.resources.declare(
            ResourceType(
                vendor="portable",
                name=COLLECTION,
                id_start=DESTINATION_ID_START,
                missing=lambda destination_id: NotFound(f"destination {destination_id} not found", code="destination"),
            )
        )

    # -- queries -----------------------------------------------------------------------------------
    def destinations(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def destination(self, tenant: TenantState, destination_id: int) -> dict[str, Any]:
        return self.records.get(tenant, destination_id)

    def spec(self, name: str) -> DestinationSpec:
        spec = self.catalogue.get(name)
        if spec is None:
            raise NotFound(f"destination spec {name} not found", code="spec")
        return spec

    def spec_of(self, record: dict[str, Any]) -> DestinationSpec:
        spec = self.catalogue.get(record["destinationSpec"])
        assert spec is not None, record["destinationSpec"]
        return spec

    # -- commands ----------------------------------------------------------------------------------
    def create(
        self, tenant: TenantState, spec_name: str, display_name: str | None, properties: dict[str, Any] | None
    ) -> dict[str, Any]:
        spec = self.catalogue.get(spec_name)
        if spec is None:
            raise Invalid(f'unknown destination spec "{spec_name}"', code="spec")
        values = resolve(spec, properties or {}, {})
        now = iso_seconds(self.engine.clock.now())
        record = {
            "id": self.records.new_id(),
            "displayName": display_name or "",
            "destinationSpec": spec.name,
            "properties": values,
            "createdAt": now,
            "updatedAt": now,
        }
        return self.records.create(tenant, record)

    def update(
        self,
        tenant: TenantState,
        destination_id: int,
        *,
        display_name: str | None,
        properties: dict[str, Any] | None,
        spec_name: str | None = None,
    ) -> dict[str, Any]:
        record = self.records.edit(tenant, destination_id)
        if spec_name is not None and spec_name != record["destinationSpec"]:
            raise Invalid(
                f'destinationSpec cannot be changed: destination {destination_id} uses "{record["destinationSpec"]}"',
                code="spec_change",
            )
        values = resolve(self.spec_of(record), properties or {}, record["properties"])
        record["properties"] = values
        if display_name is not None:
            record["displayName"] = display_name
        record["updatedAt"] = iso_seconds(self.engine.clock.now())
        return record

    def delete(self, tenant: TenantState, destination_id: int) -> None:
        self.records.delete(tenant, destination_id)
