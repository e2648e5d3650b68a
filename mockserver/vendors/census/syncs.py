"""Syncs: a source object, a destination object, an operation and the mappings between their fields.

Checked as the vendor would, before anything is stored (each failure is a 400 naming the problem):
the source and the destination are this workspace's; the source object (a model by id or name, a
table by id or by catalog, schema and name) exists on the source; the destination object exists in
the destination's catalogue, can be a sync destination and supports the operation; exactly one
mapping is the primary identifier, and for `upsert` and `update` its field can be that operation's
key; every mapped field exists on the object unless `generate_field` (which needs an object that
allows custom fields); no field is mapped twice; a mapped column exists in the source object when
its columns are known (case-insensitively).

A sync is a child of its source (deleting the source deletes it); deleting its destination deletes
it too [infer], and a model a sync reads cannot be deleted. The source, the destination and the
operation cannot change after creation (sending them unchanged is accepted).
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.schedules import is_cron
from mockserver.engine.store import TenantState
from mockserver.vendors.census.models import CensusModel
from mockserver.vendors.census.schedules import CRON_GRAMMAR
from mockserver.vendors.census.sources import Sources
from mockserver.vendors.census.sqlmodels import Models

SYNC_ID_START = 61  # the id in the vendor's examples
KEY_FLAG = {"upsert": "can_be_upsert_key", "update": "can_be_update_key"}
SETTINGS_DEFAULTS: dict[str, Any] = {
    "label": None,
    "schedule_frequency": "never",
    "schedule_day": None,
    "schedule_hour": None,
    "schedule_minute": None,
    "cron_expression": None,
    "paused": False,
    "triggers": None,
    "field_behavior": "specific_properties",
    "field_normalization": None,
    "high_water_mark_attributes": None,
    "failed_run_notifications_enabled": True,
    "failed_record_notifications_enabled": True,
    "failed_record_notifications_threshold_percent": 75,
}


def _missing(sync_id: Any) -> NotFound:
    return NotFound(f"no sync {sync_id}", code="sync")


class Syncs:
    def __init__(self, engine: Engine, sources: Sources, models: Models, destinations: CensusModel) -> None:
        self.engine = engine
        self.sources = sources
        self.models = models
        self.destinations = destinations
        self.records: Resource = engine.resources.declare(
            ResourceType(
                vendor="census", name="syncs", id_start=SYNC_ID_START,
                order=lambda r: (r["created_at"], r["id"]),
                parent="sources", parent_field="source_id", missing=_missing,
            )
        )
        models.used_by = self.reading_model
        destinations.dependents.append(self._destination_deleted)

    # -- queries -----------------------------------------------------------------------------------
    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, sync_id: int) -> dict[str, Any]:
        return self.records.get(tenant, sync_id)

    def reading_model(self, tenant: TenantState, model_id: int) -> list[int]:
        return [s["id"] for s in self.records.list(tenant) if s["source_object"] == {"type": "model", "id": model_id}]

    def source_object(self, tenant: TenantState, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The sync's source record and the model or table record it reads."""
        source = self.sources.get(tenant, record["source_id"])
        ref = record["source_object"]
        if ref["type"] == "model":
            return source, self.models.records.get(tenant, ref["id"])
        table = self.sources.table(source, table_id=ref["id"])
        assert table is not None, ref
        return source, table

    def rows(self, tenant: TenantState, record: dict[str, Any]) -> int:
        """The rows in the sync's source object now."""
        source, found = self.source_object(tenant, record)
        if record["source_object"]["type"] == "table":
            return self.sources.table_rows(source, found["id"])
        return self.models.rows(tenant, found)

    # -- commands ----------------------------------------------------------------------------------
    def create(self, tenant: TenantState, body: dict[str, Any]) -> dict[str, Any] | None:
        """The new sync, or None when `validate_only` asked for the checks alone."""
        operation = body["operation"]
        source, ref, columns = self._resolve_source(tenant, body["source_attributes"])
        destination, obj = self._resolve_destination(tenant, body["destination_attributes"], operation)
        mappings = check_mappings(body["mappings"], obj, operation, columns)
        settings = {key: body.get(key, default) for key, default in SETTINGS_DEFAULTS.items()}
        _check_schedule(settings)
        if body.get("validate_only"):
            return None
        now = iso_millis(self.engine.clock.now())
        return self.records.create(tenant, {
            "id": self.records.new_id(),
            "source_id": source["id"],
            "source_object": ref,
            "destination_id": destination["id"],
            "destination_object": obj["full_name"],
            "lead_union_insert_to": body["destination_attributes"].get("lead_union_insert_to"),
            "operation": operation,
            "mappings": mappings,
            **settings,
            "created_at": now,
            "updated_at": now,
        })

    def update(self, tenant: TenantState, sync_id: int, body: dict[str, Any]) -> dict[str, Any]:
        record = self.get(tenant, sync_id)
        if "operation" in body and body["operation"] != record["operation"]:
            raise Invalid(f"The operation of a sync cannot be changed (it is {record['operation']})", code="sync_immutable")
        if "source_attributes" in body:
            source, ref, _ = self._resolve_source(tenant, body["source_attributes"])
            if (source["id"], ref) != (record["source_id"], record["source_object"]):
                raise Invalid("The source of a sync cannot be changed; create a new sync instead", code="sync_immutable")
        if "destination_attributes" in body:
            attrs = body["destination_attributes"]
            if (attrs["connection_id"], attrs["object"]) != (record["destination_id"], record["destination_object"]):
                raise Invalid("The destination of a sync cannot be changed; create a new sync instead", code="sync_immutable")
        settings = {key: body.get(key, record[key]) for key in SETTINGS_DEFAULTS}
        _check_schedule(settings)
        mappings = None
        if "mappings" in body:
            _, columns = self._columns(tenant, record)
            obj = self._destination_object(tenant, record)
            mappings = check_mappings(body["mappings"], obj, record["operation"], columns)
        record = self.records.edit(tenant, sync_id)
        record.update(settings)
        if mappings is not None:
            record["mappings"] = mappings
        record["updated_at"] = iso_millis(self.engine.clock.now())
        return record

    def delete(self, tenant: TenantState, sync_id: int) -> None:
        self.records.delete(tenant, sync_id)

    def _destination_deleted(self, tenant: TenantState, destination_id: int) -> None:
        for record in self.records.list(tenant, where=lambda r: r["destination_id"] == destination_id):
            self.records.delete(tenant, record["id"])

    # -- resolving references ----------------------------------------------------------------------
    def _resolve_source(self, tenant: TenantState, attrs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str] | None]:
        source = self.sources.records.find(tenant, attrs["connection_id"])
        if source is None:
            raise Invalid(f"Source connection {attrs['connection_id']} was not found in this workspace", code="sync_source")
        if attrs.get("filter_segment_id") is not None:
            raise Invalid(f"Segment {attrs['filter_segment_id']} was not found on source {source['id']}", code="sync_source")
        wanted = attrs["object"]
        if wanted["type"] == "model":
            model = (self.models.records.find(tenant, wanted["id"]) if "id" in wanted
                     else self.models.named(tenant, source["id"], wanted.get("name", "")))
            if model is None or model["source_id"] != source["id"]:
                raise Invalid(f"Model {wanted.get('id', wanted.get('name'))} was not found on source {source['id']}", code="sync_source")
            columns = [c["name"] for c in self.models.columns(source, model)]
            return source, {"type": "model", "id": model["id"]}, columns
        table = (self.sources.table(source, table_id=wanted["id"]) if "id" in wanted else self.sources.table(
            source, catalog=wanted.get("table_catalog"), schema=wanted.get("table_schema"), name=wanted.get("table_name")))
        if table is None:
            named = ".".join(str(wanted.get(k)) for k in ("table_catalog", "table_schema", "table_name"))
            raise Invalid(f"Table {wanted.get('id', named)} was not found on source {source['id']}", code="sync_source")
        return source, {"type": "table", "id": table["id"]}, [c["name"] for c in table["columns"]]

    def _resolve_destination(self, tenant: TenantState, attrs: dict[str, Any], operation: str) -> tuple[dict[str, Any], dict[str, Any]]:
        destination = self.destinations.records.find(tenant, attrs["connection_id"])
        if destination is None:
            raise Invalid(f"Destination connection {attrs['connection_id']} was not found in this workspace", code="sync_destination")
        obj = self.destinations.connector_of(destination).object(attrs["object"])
        if obj is None:
            raise Invalid(f"Destination object {attrs['object']} was not found on destination {destination['id']}", code="sync_destination")
        if not obj["can_be_sync_destination"]:
            raise Invalid(f"Destination object {attrs['object']} cannot be synced to", code="sync_destination")
        if operation not in obj["supported_operations"]:
            supported = ", ".join(obj["supported_operations"])
            raise Invalid(f"Operation {operation} is not supported by {obj['full_name']} (supported: {supported})", code="sync_operation")
        return destination, obj

    def _columns(self, tenant: TenantState, record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        source, found = self.source_object(tenant, record)
        if record["source_object"]["type"] == "model":
            return source, [c["name"] for c in self.models.columns(source, found)]
        return source, [c["name"] for c in found["columns"]]

    def _destination_object(self, tenant: TenantState, record: dict[str, Any]) -> dict[str, Any]:
        destination = self.destinations.destination(tenant, record["destination_id"])
        obj = self.destinations.connector_of(destination).object(record["destination_object"])
        assert obj is not None, record["destination_object"]
        return obj


def check_mappings(given: list[dict[str, Any]], obj: dict[str, Any], operation: str, columns: list[str] | None) -> list[dict[str, Any]]:
    """The mappings as stored (defaults filled in), or Invalid naming the first problem."""
    primary = [m for m in given if m["is_primary_identifier"] is True]
    if len(primary) != 1:
        raise Invalid(f"Exactly one mapping must be the primary identifier (found {len(primary)})", code="mappings")
    fields = {f["full_name"]: f for f in obj["fields"]}
    known_columns = {c.lower() for c in columns} if columns else None
    seen: set[str] = set()
    stored = []
    for mapping in given:
        to = mapping["to"]
        if to in seen:
            raise Invalid(f"Field {to} is mapped more than once", code="mappings")
        seen.add(to)
        generate = bool(mapping.get("generate_field", False))
        field = fields.get(to)
        if field is None and not generate:
            raise Invalid(f"Field {to} does not exist on {obj['full_name']}; set generate_field to create it", code="mappings")
        if field is None and not obj["allow_custom_fields"]:
            raise Invalid(f"{obj['full_name']} does not allow custom fields, so {to} cannot be generated", code="mappings")
        source = mapping["from"]
        if source["type"] == "column" and known_columns is not None and source["data"].lower() not in known_columns:
            raise Invalid(f"Column {source['data']} does not exist in the source object", code="mappings")
        if mapping["is_primary_identifier"] and operation in KEY_FLAG and not (field or {}).get(KEY_FLAG[operation]):
            raise Invalid(f"Field {to} cannot be the primary identifier of an {operation} sync to {obj['full_name']}", code="mappings")
        shown = {
            "from": source,
            "to": to,
            "is_primary_identifier": mapping["is_primary_identifier"],
            "generate_field": generate,
            "preserve_values": bool(mapping.get("preserve_values", False)),
            "operation": mapping.get("operation"),
        }
        for key in ("lookup_object", "lookup_field"):
            if mapping.get(key) is not None:
                shown[key] = mapping[key]
        stored.append(shown)
    return stored


def _check_schedule(settings: dict[str, Any]) -> None:
    if settings["schedule_frequency"] != "expression":
        return
    if not settings["cron_expression"]:
        raise Invalid("cron_expression is required when schedule_frequency is expression", code="schedule")
    if not is_cron(settings["cron_expression"]):  # [infer] the grammar the mock runs; the vendor's is not documented
        raise Invalid(f"cron_expression must be {CRON_GRAMMAR}", code="schedule")
