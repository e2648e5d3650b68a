"""Census sources (warehouse connections): created from a source type, tested like destinations.

A source's `credentials` follow its source type's configuration fields with the same rules as a
destination's (checked, merged on edit, password-type fields never shown). Its `name` is made by
Census from the type's label and where the warehouse is (`Snowflake - xxxxxxx.us-east-1`); `label` is
the user's own. Creating a source, or changing its credentials, runs a connection test (the same
steps, rules and delay as a destination's). Its tables are the source type's catalogue; each table's
row count is the catalogue's, unless the source's `row_counts` (table id -> rows) says otherwise.

Deleting a source deletes its models and its syncs, and the syncs' runs [infer]: they are declared
as its children.
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.census import checks, credentials
from mockserver.vendors.census.catalogue import Catalogue, Connector
from mockserver.vendors.census.refreshes import Refreshes

SOURCE_ID_START = 4  # the id in the vendor's examples
SOURCE_TEST = "census.source_connection_check"


class Sources:
    def __init__(self, engine: Engine, types: Catalogue) -> None:
        self.engine = engine
        self.types = types
        self.records: Resource = engine.resources.declare(
            ResourceType(
                vendor="census",
                name="sources",
                id_start=SOURCE_ID_START,
                order=lambda r: (r["created_at"], r["id"]),
                missing=lambda source_id: NotFound(f"no source {source_id}", code="source"),
            )
        )
        self.refreshes = Refreshes(
            engine, name="source_refreshes", owner="sources", owner_field="source_id",
            lifecycle="census.source_refresh",
            description="A source's table (or one table's or model's column) refresh: processing, then completed",
        )
        checks.declare(engine, SOURCE_TEST, "sources", self.type_of,
                       "A source's connection test: running, then succeeded or failed")
        self._tables = {t.service_name: tuple(_served_table(raw) for raw in t.objects) for t in types.ordered}

    # -- queries -----------------------------------------------------------------------------------
    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        return self.records.get(tenant, source_id)

    def type_of(self, record: dict[str, Any]) -> Connector:
        found = self.types.get(record["type"])
        assert found is not None, record["type"]
        return found

    def source_type(self, service_name: str) -> Connector:
        found = self.types.get(service_name)
        if found is None:
            raise NotFound(f"no source type {service_name}", code="source_type")
        return found

    def tables(self, record: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        """The source's tables as Census shows them, in catalogue order."""
        return self._tables[record["type"]]

    def table(self, record: dict[str, Any], *, table_id: int | None = None, catalog: str | None = None,
              schema: str | None = None, name: str | None = None) -> dict[str, Any] | None:
        """A table by id, or by catalog, schema and name (exact, as Census matches them)."""
        for table in self.tables(record):
            if table_id is not None:
                if table["id"] == table_id:
                    return table
            elif (table["table_catalog"], table["table_schema"], table["table_name"]) == (catalog, schema, name):
                return table
        return None

    def served_table(self, tenant: TenantState, source_id: int, table_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The source and its table `table_id`, or the vendor's 404."""
        source = self.get(tenant, source_id)
        table = self.table(source, table_id=table_id)
        if table is None:
            raise NotFound(f"no table {table_id} on source {source_id}", code="table")
        return source, table

    def table_rows(self, record: dict[str, Any], table_id: int) -> int:
        override = (record.get("row_counts") or {}).get(str(table_id))
        if isinstance(override, int):
            return override
        raw = next(t for t in self.type_of(record).objects if t["id"] == table_id)
        return int(raw["x-mock-row-count"])

    # -- commands ----------------------------------------------------------------------------------
    def creatable(self, type_name: str) -> Connector:
        found = self.types.get(type_name)
        if found is None:
            raise Invalid(f"Invalid source type: {type_name}. Valid types are listed by GET /source_types", code="type")
        if not found.creatable_via_api:
            raise Invalid(f"Sources of type {type_name} cannot be created via the API", code="type")
        return found

    def create(self, tenant: TenantState, type_name: str, label: str | None, given: dict[str, Any],
               read_only: bool) -> dict[str, Any]:
        source_type = self.creatable(type_name)
        return self._insert(tenant, source_type, label, credentials.merge(source_type, {}, given, editing=False), read_only)

    def create_linked(self, tenant: TenantState, type_name: str) -> dict[str, Any]:
        """The source an end user makes by completing a source connect link of this type (which the
        link's creation checked): credentials as the user would give them."""
        source_type = self.types.get(type_name)
        assert source_type is not None, type_name
        given = credentials.as_end_user_would(source_type, lambda: self.engine.random.token(16))
        return self._insert(tenant, source_type, None, credentials.merge(source_type, {}, given, editing=False), False)

    def reauthorized(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        """The source after its end user signed in again: password fields anew, the test run again."""
        source_type = self.type_of(self.records.get(tenant, source_id))
        given = credentials.as_end_user_would(source_type, lambda: self.engine.random.token(16), secrets_only=True)
        return self.update(tenant, source_id, {"credentials": given})

    def _insert(self, tenant: TenantState, source_type: Connector, label: str | None, stored: dict[str, Any],
                read_only: bool) -> dict[str, Any]:
        token = self.engine.random.token(4)
        record = self.records.create(tenant, {
            "id": self.records.new_id(),
            "type": source_type.service_name,
            "label": label,
            "created_at": iso_millis(self.engine.clock.now()),
            "credentials": stored,
            "system_token": token,
            "system_details": credentials.system_details(source_type, stored, token),
            "read_only_connection": read_only,
            "row_counts": {},
            "last_test_results": None,
            "last_test_succeeded": None,
            "last_tested_at": None,
            "test_job": None,
        })
        checks.start(self.engine, SOURCE_TEST, tenant, record["id"])
        return record

    def update(self, tenant: TenantState, source_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Relabel, flip read-only and/or merge credentials; a credentials change re-runs the test."""
        record = self.records.edit(tenant, source_id)
        source_type = self.type_of(record)
        type_name = changes.get("type")
        if type_name is not None and type_name != record["type"]:
            raise Invalid(f"The type of a source cannot be changed (it is {record['type']})", code="type_change")
        given = changes.get("credentials")
        merged = credentials.merge(source_type, record["credentials"], given, editing=True) if given is not None else None
        if "label" in changes:
            record["label"] = changes["label"]
        if "read_only_connection" in changes:
            record["read_only_connection"] = changes["read_only_connection"]
        if merged is not None:
            record["credentials"] = merged
            record["system_details"] = credentials.system_details(source_type, merged, record["system_token"])
            checks.start(self.engine, SOURCE_TEST, tenant, record["id"])
        return record

    def delete(self, tenant: TenantState, source_id: int) -> None:
        self.records.delete(tenant, source_id)


def name_of(record: dict[str, Any], source_type: Connector) -> str:
    """Census's own name for a source: the type's label, then where the warehouse is, when known."""
    where = record["credentials"].get(source_type.name_from) if source_type.name_from else None
    return f"{source_type.label} - {where}" if isinstance(where, str) and where else source_type.label


def _served_table(raw: dict[str, Any]) -> dict[str, Any]:
    return {"type": "table", **{k: v for k, v in raw.items() if not k.startswith("x-mock-")}}
