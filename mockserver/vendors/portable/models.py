"""Portable's spec-backed records: destinations and sources. Knows nothing of HTTP.

Both kinds work alike (Portable documents the same body for creating either, and the same PATCH):
a record names a spec of its catalogue, holds property values checked against that spec, and can
be renamed and have its properties merged, but never change spec. One class serves both; only
names, id starts and the catalogue differ. A record a flow uses cannot be deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.portable.catalogue import Catalogue, Spec
from mockserver.vendors.portable.properties import resolve


@dataclass(frozen=True)
class Kind:
    name: str  # "destination" or "source"
    collection: str  # the tenant collection: "destinations", "sources"
    id_start: int
    spec_field: str  # "destinationSpec", "sourceSpec"


# Portable's documentation examples show destination ids 689421 and 689422, and source ids 80190
# and 80562.
DESTINATION = Kind("destination", "destinations", 689421, "destinationSpec")
SOURCE = Kind("source", "sources", 80190, "sourceSpec")

InUse = Callable[[TenantState, int], list[int]]  # the ids of the flows that use a record


class SpecRecords:
    def __init__(self, engine: Engine, catalogue: Catalogue, kind: Kind) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.kind = kind
        self.in_use: InUse = lambda tenant, record_id: []
        self.records = engine.resources.declare(
            ResourceType(
                vendor="portable",
                name=kind.collection,
                id_start=kind.id_start,
                missing=lambda record_id: NotFound(f"{kind.name} {record_id} not found", code=kind.name),
            )
        )

    # -- queries -----------------------------------------------------------------------------------
    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, record_id: int) -> dict[str, Any]:
        return self.records.get(tenant, record_id)

    def spec(self, name: str) -> Spec:
        spec = self.catalogue.get(name)
        if spec is None:
            raise NotFound(f"{self.kind.name} spec {name} not found", code="spec")
        return spec

    def spec_of(self, record: dict[str, Any]) -> Spec:
        spec = self.catalogue.get(record[self.kind.spec_field])
        assert spec is not None, record[self.kind.spec_field]
        return spec

    # -- commands ----------------------------------------------------------------------------------
    def create(
        self, tenant: TenantState, spec_name: str, display_name: str | None, properties: dict[str, Any] | None
    ) -> dict[str, Any]:
        spec = self.catalogue.get(spec_name)
        if spec is None:
            raise Invalid(f'unknown {self.kind.name} spec "{spec_name}"', code="spec")
        values = resolve(spec, properties or {}, {})
        now = self.engine.clock.now_seconds()
        return self.records.create(tenant, {
            "id": self.records.new_id(),
            "displayName": display_name or "",
            self.kind.spec_field: spec.name,
            "properties": values,
            "createdAt": now,
            "updatedAt": now,
        })

    def update(
        self,
        tenant: TenantState,
        record_id: int,
        *,
        display_name: str | None,
        properties: dict[str, Any] | None,
        spec_name: str | None = None,
    ) -> dict[str, Any]:
        record = self.records.edit(tenant, record_id)
        field = self.kind.spec_field
        if spec_name is not None and spec_name != record[field]:
            raise Invalid(
                f'{field} cannot be changed: {self.kind.name} {record_id} uses "{record[field]}"',
                code="spec_change",
            )
        record["properties"] = resolve(self.spec_of(record), properties or {}, record["properties"])
        if display_name is not None:
            record["displayName"] = display_name
        record["updatedAt"] = self.engine.clock.now_seconds()
        return record

    def delete(self, tenant: TenantState, record_id: int) -> None:
        self.records.get(tenant, record_id)
        flows = self.in_use(tenant, record_id)
        if flows:
            noun = "flow" if len(flows) == 1 else "flows"
            raise Invalid(
                f"{self.kind.name} {record_id} is used by {noun} {', '.join(map(str, flows))}; delete or change "
                f"{'it' if len(flows) == 1 else 'them'} first",
                code="in_use",
            )
        self.records.delete(tenant, record_id)
