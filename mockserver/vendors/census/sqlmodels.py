"""SQL models on a source: a named query whose columns and row count syncs read. The datasets API
(`/datasets`, the models' newer name) serves the same records, by id alone.

A model belongs to one source (its child: deleting the source deletes it) and its name is unique
within that source [infer], since syncs may name a model instead of giving its id. Its columns and
rows come from its query (see queries.py): the rows of the source table it selects from, capped by
its LIMIT; a query without FROM selects one row. A query that names a table the source does not have
is accepted (Census does not run it on save), but a sync run reading it fails. The record's
`row_count`, when set (through the control plane's state document), overrides the rows.
A model that a sync reads cannot be deleted [infer: Census asks you to delete the syncs first].
"""

from __future__ import annotations

from typing import Any, Callable

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.census import queries
from mockserver.vendors.census.sources import Sources

MODEL_ID_START = 15  # the id in the vendor's examples

UsedBy = Callable[[TenantState, int], list[int]]


def _missing(model_id: Any) -> NotFound:
    return NotFound(f"no model {model_id}", code="model")


class Models:
    def __init__(self, engine: Engine, sources: Sources) -> None:
        self.engine = engine
        self.sources = sources
        self.records: Resource = engine.resources.declare(
            ResourceType(
                vendor="census", name="models", id_start=MODEL_ID_START,
                order=lambda r: (r["created_at"], r["id"]),
                parent="sources", parent_field="source_id", missing=_missing,
            )
        )
        self.used_by: UsedBy = lambda tenant, model_id: []  # the syncs reading a model; set by Syncs

    # -- queries -----------------------------------------------------------------------------------
    def of_source(self, tenant: TenantState, source_id: int) -> list[dict[str, Any]]:
        self.sources.get(tenant, source_id)
        return self.records.list(tenant, where=lambda r: r["source_id"] == source_id)

    def get(self, tenant: TenantState, source_id: int, model_id: int) -> dict[str, Any]:
        self.sources.get(tenant, source_id)
        record = self.records.get(tenant, model_id)
        if record["source_id"] != source_id:
            raise _missing(model_id)
        return record

    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        """Every model of the workspace, oldest first: what the datasets API lists."""
        return self.records.list(tenant)

    def dataset(self, tenant: TenantState, model_id: int) -> dict[str, Any]:
        """A model by its id alone, as the datasets API names it."""
        return self.records.get(tenant, model_id, missing=lambda _id: NotFound(f"no dataset {_id}", code="dataset"))

    def named(self, tenant: TenantState, source_id: int, name: str) -> dict[str, Any] | None:
        return next((r for r in self.records.list(tenant) if r["source_id"] == source_id and r["name"] == name), None)

    def columns(self, source: dict[str, Any], record: dict[str, Any]) -> list[dict[str, str]]:
        reading = queries.read(record["query"])
        table = self._table(source, reading)
        known = {c["name"].lower(): c for c in (table["columns"] if table else [])}
        if reading.columns is None:
            return [dict(c) for c in table["columns"]] if table else []
        return [
            {"name": name, "type": known[src.lower()]["type"] if src and src.lower() in known else "unknown"}
            for name, src in zip(reading.columns, reading.sources)
        ]

    def rows(self, tenant: TenantState, record: dict[str, Any]) -> int:
        if isinstance(record.get("row_count"), int):
            return int(record["row_count"])
        source = self.sources.get(tenant, record["source_id"])
        reading = queries.read(record["query"])
        table = self._table(source, reading)
        rows = self.sources.table_rows(source, table["id"]) if table else (0 if reading.table else 1)
        return min(rows, reading.limit) if reading.limit is not None else rows

    def missing_table(self, tenant: TenantState, record: dict[str, Any]) -> str | None:
        """The name the query selects from when the source has no such table (a run reading it fails)."""
        reading = queries.read(record["query"])
        if reading.table is None or self._table(self.sources.get(tenant, record["source_id"]), reading) is not None:
            return None
        return ".".join(reading.table)

    def _table(self, source: dict[str, Any], reading: queries.Reading) -> dict[str, Any] | None:
        if reading.table is None:
            return None
        return next(
            (t for t in self.sources.tables(source)
             if queries.matches(reading.table, t["table_catalog"], t["table_schema"], t["table_name"])),
            None,
        )

    # -- commands ----------------------------------------------------------------------------------
    def create(self, tenant: TenantState, source_id: int, name: str, query: str, description: str | None) -> dict[str, Any]:
        self.sources.get(tenant, source_id)
        self._unique(tenant, source_id, name, None)
        now = iso_millis(self.engine.clock.now())
        return self.records.create(tenant, {
            "id": self.records.new_id(),
            "source_id": source_id,
            "name": name,
            "description": description,
            "query": query,
            "created_at": now,
            "updated_at": now,
            "row_count": None,
        })

    def update(self, tenant: TenantState, source_id: int, model_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        self.get(tenant, source_id, model_id)
        if "name" in changes:
            self._unique(tenant, source_id, changes["name"], model_id)
        record = self.records.edit(tenant, model_id)
        for key in ("name", "query", "description"):
            if key in changes:
                record[key] = changes[key]
        record["updated_at"] = iso_millis(self.engine.clock.now())
        return record

    def delete(self, tenant: TenantState, source_id: int, model_id: int) -> None:
        self.get(tenant, source_id, model_id)
        users = self.used_by(tenant, model_id)
        if users:
            listed = ", ".join(str(u) for u in users)
            raise Invalid(f"Model {model_id} is used by syncs {listed}; delete those syncs first", code="model_in_use")
        self.records.delete(tenant, model_id)

    def _unique(self, tenant: TenantState, source_id: int, name: str, own_id: int | None) -> None:
        other = self.named(tenant, source_id, name)
        if other is not None and other["id"] != own_id:
            raise Invalid(f"Name has already been taken: source {source_id} already has a model named {name}", code="model_name")
