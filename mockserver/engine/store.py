"""Per-vendor, per-tenant state, kept as plain JSON-able records so it can be exported and restored.

A tenant is whatever the vendor's credential names (a Stitch account, a Portable organisation, a
Census workspace). Handlers only ever get their own tenant's collections, so one tenant can never
read or change another's data. All mutation happens on the event loop without awaiting in between,
so each request's change is atomic without locks.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

_ABSENT = object()  # in the undo log: the record did not exist before the request


@dataclass
class TenantState:
    key: str
    attrs: dict[str, Any] = field(default_factory=dict)
    collections: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    # Ordered lists the resources built from a collection, kept until the store's generation moves
    # (see Resource.list); never exported, and gone with the tenant.
    views: dict[str, tuple[int, list[dict[str, Any]]]] = field(default_factory=dict, repr=False, compare=False)

    def collection(self, name: str) -> dict[Any, dict[str, Any]]:
        """Records by id; each record holds its own `id`, which is how it is exported and restored."""
        return self.collections.setdefault(name, {})

    def to_json(self) -> dict[str, Any]:
        return {
            "attrs": self.attrs,
            # Reading a collection creates it empty; an empty one is no state, so it is not exported.
            "collections": {name: list(records.values()) for name, records in self.collections.items() if records},
        }

    @classmethod
    def from_json(cls, key: str, raw: dict[str, Any]) -> "TenantState":
        state = cls(key=key, attrs=dict(raw.get("attrs", {})))
        for name, records in (raw.get("collections") or {}).items():
            state.collections[name] = {rec["id"]: rec for rec in records}
        return state


@dataclass
class VendorState:
    tenants: dict[str, TenantState] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)


TenantInit = Callable[[TenantState], None]


_ATOMIC = (int, str, float, bool, type(None))  # an id sequence's value: kept as it is, nothing to copy


class Store:
    def __init__(self) -> None:
        self._vendors: dict[str, VendorState] = {}
        self.tenants_created = 0  # part of the engine's change counter
        # The write log of the request in progress, by (collection, key): the value as it was before
        # its first change (or _ABSENT). Resources note a record before changing it, and the store
        # notes a tenant it creates and an id sequence it moves, so a request that fails puts every
        # one back. One dict, made by begin(): a read-only request pays for nothing more.
        self._undo: dict[tuple[int, Any], tuple[dict[Any, Any], Any, Any]] | None = None
        # Moves on every noted change, rollback, load and reset: an ordered list built at one
        # generation is still right at the same generation (records change only through resources).
        self.generation = 0

    # -- one request's changes, undone when it fails ----------------------------------------------
    def begin(self) -> None:
        self._undo = {}

    def note(self, collection: dict[Any, Any], record_id: Any) -> None:
        """Remember a record (a tenant, a sequence) as it is now, or that it is absent, once per
        request, before a change."""
        self.generation += 1
        undo = self._undo
        if undo is None or (key := (id(collection), record_id)) in undo:
            return
        prior = collection.get(record_id, _ABSENT)
        undo[key] = (collection, record_id, prior if prior is _ABSENT or type(prior) in _ATOMIC else copy.deepcopy(prior))

    def commit(self) -> None:
        self._undo = None

    def rollback(self) -> None:
        self.generation += 1
        for collection, record_id, prior in reversed((self._undo or {}).values()):
            if prior is _ABSENT:
                collection.pop(record_id, None)
            else:
                collection[record_id] = prior
        self.commit()

    def vendor(self, vendor: str) -> VendorState:
        state = self._vendors.get(vendor)  # not setdefault: that would build a VendorState every call
        if state is None:
            state = self._vendors[vendor] = VendorState()
        return state

    def tenant(self, vendor: str, key: str, init: TenantInit | None = None) -> TenantState:
        """The tenant for a credential, created on first sight (any token is an account by default)."""
        tenants = self.vendor(vendor).tenants
        state = tenants.get(key)
        if state is None:
            self.note(tenants, key)  # a request that fails forgets the account it made
            state = TenantState(key=key)
            if init is not None:
                init(state)
            tenants[key] = state
            self.tenants_created += 1
        return state

    def find_tenant(self, vendor: str, key: str) -> TenantState | None:
        return self.vendor(vendor).tenants.get(key)

    def tenants(self, vendor: str) -> dict[str, TenantState]:
        return self.vendor(vendor).tenants

    def next_id(self, vendor: str, sequence: str, start: int) -> int:
        """Ids are unique per vendor across tenants, like the vendors' own database sequences."""
        seqs = self.vendor(vendor).sequences
        self.note(seqs, sequence)  # a request that fails gives its ids back
        last = seqs.get(sequence)
        seqs[sequence] = issued = start if last is None or last < start else last + 1
        return issued

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> None:
        self.generation += 1
        if vendor is None:
            self._vendors.clear()
        elif tenant is None:
            self._vendors.pop(vendor, None)
        else:
            self.vendor(vendor).tenants.pop(tenant, None)

    def export(self) -> dict[str, Any]:
        return {
            name: {
                "sequences": dict(state.sequences),
                "tenants": {key: t.to_json() for key, t in state.tenants.items()},
            }
            for name, state in self._vendors.items()
            if state.tenants or state.sequences
        }

    def load(self, raw: dict[str, Any]) -> None:
        self.generation += 1
        vendors: dict[str, VendorState] = {}
        for name, data in raw.items():
            vendors[name] = VendorState(
                tenants={key: TenantState.from_json(key, t) for key, t in (data.get("tenants") or {}).items()},
                sequences={k: int(v) for k, v in (data.get("sequences") or {}).items()},
            )
        self._vendors = vendors
