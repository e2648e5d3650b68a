"""Declared resources: one accessor for every vendor record, instead of a lookup-or-404 per vendor.

A vendor declares each resource type once (its tenant collection, id sequence, list order, parent,
history cap) and keeps the `Resource` handle. Every change goes through the handle, which notes the
record in the store's write log first, so a request that fails is undone completely. Deleting a
record deletes its children (declared by `parent`) and tells the listeners (the lifecycle runner
drops the record's runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from mockserver.engine.errors import DomainError, NotFound
from mockserver.engine.store import Store, TenantState

Record = dict[str, Any]
Missing = Callable[[Any], DomainError]
DeleteListener = Callable[[TenantState, str, Any], None]


def _by_id(record: Record) -> Any:
    return record["id"]


@dataclass(frozen=True)
class ResourceType:
    vendor: str
    name: str  # the tenant collection that holds the records
    id_start: int = 1  # ids come from the vendor-wide sequence `sequence or name`, unique across tenants
    sequence: str | None = None
    order: Callable[[Record], Any] | None = None  # list order; by id when None
    parent: str | None = None  # the parent resource type (same vendor): deleting a parent deletes this
    parent_field: str | None = None  # the field of this record that holds its parent's id
    missing: Missing | None = None  # the vendor's "no such record" for an id
    keep: int | None = None  # bounded history: at most this many per parent (or per tenant), oldest dropped


class Resource:
    """The handle a vendor keeps for one declared resource type."""

    def __init__(self, rtype: ResourceType, store: Store, registry: "Resources") -> None:
        self.type = rtype
        self.name = rtype.name
        self._store = store
        self._registry = registry
        self._order = rtype.order or _by_id

    def records(self, tenant: TenantState) -> dict[Any, Record]:
        """The raw collection, for reading only (a change made here could not be undone)."""
        return tenant.collection(self.name)

    # -- reading -------------------------------------------------------------------------------------
    def find(self, tenant: TenantState, record_id: Any) -> Record | None:
        return tenant.collection(self.name).get(record_id)

    def locate(self, matches: Callable[[Record], bool]) -> tuple[TenantState, Record] | None:
        """The first record of any tenant that `matches`, with its tenant: for what a client opens
        without a credential, where the record itself says whose it is (a connect link's page)."""
        for tenant in self._store.tenants(self.type.vendor).values():
            for record in tenant.collections.get(self.name, {}).values():
                if matches(record):
                    return tenant, record
        return None

    def get(self, tenant: TenantState, record_id: Any, missing: Missing | None = None) -> Record:
        """The record, or the vendor's not-found (`missing` overrides the declared one for one call)."""
        record = tenant.collection(self.name).get(record_id)
        if record is None:
            raise self._missing(record_id, missing)
        return record

    def list(self, tenant: TenantState, where: Callable[[Record], bool] | None = None) -> list[Record]:
        """The records in declared order (a new list; filtered by `where`). The order is computed
        once per store generation: polling a list of a thousand records does not sort it each time."""
        generation = self._store.generation
        view = tenant.views.get(self.name)
        if view is None or view[0] != generation:
            view = (generation, sorted(tenant.collection(self.name).values(), key=self._order))
            tenant.views[self.name] = view
        return [r for r in view[1] if where(r)] if where is not None else list(view[1])

    def count(self, tenant: TenantState) -> int:
        return len(tenant.collection(self.name))

    # -- changing ------------------------------------------------------------------------------------
    def new_id(self) -> int:
        return self._store.next_id(self.type.vendor, self.type.sequence or self.name, self.type.id_start)

    def create(self, tenant: TenantState, record: Record) -> Record:
        """Store a new record; its `id` comes from the sequence unless the record brings one."""
        if "id" not in record:
            record = {"id": self.new_id(), **record}
        records = tenant.collection(self.name)
        self._store.note(records, record["id"])
        records[record["id"]] = record
        if self.type.keep is not None:
            self._trim(tenant, record)
        return record

    def edit(self, tenant: TenantState, record_id: Any, missing: Missing | None = None) -> Record:
        """The record, noted for undo: the caller may change it in place."""
        records = tenant.collection(self.name)
        if record_id not in records:
            raise self._missing(record_id, missing)
        self._store.note(records, record_id)
        return records[record_id]

    def update(self, tenant: TenantState, record_id: Any, **changes: Any) -> Record:
        record = self.edit(tenant, record_id)
        record.update(changes)
        return record

    def delete(self, tenant: TenantState, record_id: Any, missing: Missing | None = None) -> Record:
        """Remove the record and, first, its children; returns the removed record."""
        records = tenant.collection(self.name)
        if record_id not in records:
            raise self._missing(record_id, missing)
        for child in self._registry.children_of(self):
            field = child.type.parent_field or ""
            for kid in child.list(tenant, where=lambda r: r.get(field) == record_id):
                child.delete(tenant, kid["id"])
        self._store.note(records, record_id)
        record = records.pop(record_id)
        self._registry.deleted(tenant, self.name, record_id)
        return record

    # -- internals -----------------------------------------------------------------------------------
    def _missing(self, record_id: Any, missing: Missing | None) -> DomainError:
        make = missing or self.type.missing
        return make(record_id) if make is not None else NotFound(f"no {self.name} {record_id}", code=self.name)

    def _trim(self, tenant: TenantState, newest: Record) -> None:
        field = self.type.parent_field
        siblings = self.list(tenant, where=None if field is None else (lambda r: r.get(field) == newest.get(field)))
        for old in siblings[: max(0, len(siblings) - (self.type.keep or 0))]:
            if old["id"] != newest["id"]:
                self.delete(tenant, old["id"])


class Resources:
    """Every declared resource type of every vendor: `engine.resources`."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._types: dict[tuple[str, str], Resource] = {}
        self._listeners: list[DeleteListener] = []

    def declare(self, rtype: ResourceType) -> Resource:
        key = (rtype.vendor, rtype.name)
        if key in self._types:
            raise ValueError(f"resource {rtype.vendor}.{rtype.name} is declared twice")
        if rtype.parent is not None and (rtype.vendor, rtype.parent) not in self._types:
            raise ValueError(f"resource {rtype.vendor}.{rtype.name}: declare its parent {rtype.parent} first")
        if (rtype.parent is None) != (rtype.parent_field is None):
            raise ValueError(f"resource {rtype.vendor}.{rtype.name}: parent and parent_field go together")
        handle = Resource(rtype, self._store, self)
        self._types[key] = handle
        return handle

    def of(self, vendor: str, name: str) -> Resource:
        try:
            return self._types[(vendor, name)]
        except KeyError:
            raise KeyError(f"no resource {vendor}.{name} is declared") from None

    def all(self) -> list[Resource]:
        return list(self._types.values())

    def children_of(self, parent: Resource) -> list[Resource]:
        return [r for r in self._types.values() if r.type.vendor == parent.type.vendor and r.type.parent == parent.name]

    def on_delete(self, listener: DeleteListener) -> None:
        self._listeners.append(listener)

    def deleted(self, tenant: TenantState, name: str, record_id: Any) -> None:
        for listener in self._listeners:
            listener(tenant, name, record_id)
