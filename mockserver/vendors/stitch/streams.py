"""Streams of a source: discovered from its type's catalogue, then selected (with their fields) by the caller.

Discovery creates one stream record per catalogue entry the source does not have yet (a database
source names its streams `<database>-<schema>-<table>` after its `database` property), so a
re-discovery after an update keeps earlier selections. A metadata update is checked as a whole
before anything changes; its errors carry the vendor's streams texts.
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch.source_types import SourceType, StreamTemplate

STREAM_ID_START = 2288758  # the stream id in the vendor's streams examples
NON_DISCOVERABLE = ("selected", "replication-method", "replication-key", "view-key-properties")
REPLICATION_METHODS = ("FULL_TABLE", "INCREMENTAL", "LOG_BASED")


def stream_not_found(stream_id: Any) -> Invalid:
    return Invalid(f"invalid stream-id: {stream_id}", code="stream")


def invalid_fields(message: str) -> Invalid:
    return Invalid(message, code="invalid_fields")


class StreamModel:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.records = engine.resources.declare(
            ResourceType(
                vendor="stitch",
                name="streams",
                id_start=STREAM_ID_START,
                parent="sources",
                parent_field="source_id",
                missing=stream_not_found,
            )
        )
        # (store generation, tenant key -> ids of its sources with a selected stream); see configured()
        self._configured: tuple[int, dict[str, frozenset[int]]] = (-1, {})

    # -- reading -------------------------------------------------------------------------------------
    def of_source(self, tenant: TenantState, source_id: int) -> list[dict[str, Any]]:
        return self.records.list(tenant, where=lambda r: r["source_id"] == source_id)

    def get(self, tenant: TenantState, source_id: int, stream_id: int) -> dict[str, Any]:
        record = self.records.find(tenant, stream_id)
        if record is None or record["source_id"] != source_id:
            raise stream_not_found(stream_id)
        return record

    @staticmethod
    def template(stype: SourceType, record: dict[str, Any]) -> StreamTemplate:
        for tpl in stype.streams:
            if tpl.tap_stream_id == record["template"]:
                return tpl
        raise stream_not_found(record["id"])

    @staticmethod
    def field_selected(tpl: StreamTemplate, record: dict[str, Any], field: str) -> bool:
        """Whether a field is replicated: automatic ones always, available ones when selected."""
        if field in tpl.unsupported:
            return False
        return field in tpl.automatic() or bool(record["fields"].get(field))

    def replicated(self, tenant: TenantState, source: dict[str, Any], stype: SourceType) -> list[dict[str, Any]]:
        """The streams a replication job loads: selected, with at least one replicated field."""
        out = []
        for record in self.of_source(tenant, source["id"]):
            if record["selected"] is True:
                tpl = self.template(stype, record)
                if any(self.field_selected(tpl, record, f) for f in tpl.fields):
                    out.append(record)
        return out

    def configured(self, tenant: TenantState, source: dict[str, Any]) -> bool:
        """Whether a stream of the source is selected with a field: asked by every answer about a
        source, so worked out for all of a tenant's sources in one pass, kept until the store changes."""
        generation = self.engine.store.generation
        if self._configured[0] != generation:
            self._configured = (generation, {})
        by_tenant = self._configured[1]
        ids = by_tenant.get(tenant.key)
        if ids is None:  # at most one entry per tenant asked about within one generation
            ids = by_tenant[tenant.key] = frozenset(
                r["source_id"] for r in self.records.records(tenant).values() if r["selected"] is True and r["fields_any"]
            )
        return source["id"] in ids

    # -- changing ------------------------------------------------------------------------------------
    def discover(self, tenant: TenantState, source: dict[str, Any], stype: SourceType) -> None:
        known = {r["tap_stream_id"] for r in self.of_source(tenant, source["id"])}
        database = str(source["properties"].get("database") or "")
        for tpl in stype.streams:
            record: dict[str, Any] = {
                "source_id": source["id"],
                "template": tpl.tap_stream_id,
                "tap_stream_id": tpl.tap_stream_id,
                "stream_name": tpl.tap_stream_id,
                "selected": None,
                "fields": {},
                "fields_any": bool(tpl.automatic()),
                "replication_method": None,
                "replication_key": None,
                "view_key_properties": None,
                "loaded_rows": 0,
            }
            if stype.database is not None:
                schema = stype.database.get("schema") or database
                record["database_name"] = database
                record["schema_name"] = schema
                parts = [database, schema, tpl.tap_stream_id] if "schema" in stype.database else [database, tpl.tap_stream_id]
                record["tap_stream_id"] = "-".join(parts)
            if record["tap_stream_id"] not in known:
                self.records.create(tenant, record)

    def update_metadata(self, tenant: TenantState, source: dict[str, Any], stype: SourceType, entries: list[dict[str, Any]]) -> None:
        """Apply `{"tap_stream_id", "metadata": [{"breadcrumb", "metadata"}]}` entries, all checked first."""
        streams = {r["tap_stream_id"]: r for r in self.of_source(tenant, source["id"])}
        unknown = [e.get("tap_stream_id") for e in entries if e.get("tap_stream_id") not in streams]
        if unknown:
            shown = " ".join("nil" if i is None else str(i) for i in unknown)
            raise invalid_fields(f"invalid tap-stream-ids:  [{shown}]")
        plan: list[tuple[dict[str, Any], list[str], dict[str, Any]]] = []
        for entry in entries:
            record = streams[entry["tap_stream_id"]]
            tpl = self.template(stype, record)
            for item in entry["metadata"]:
                plan.append((record, list(item["breadcrumb"]), _checked(tpl, list(item["breadcrumb"]), item["metadata"])))
        for record, breadcrumb, values in plan:
            record = self.records.edit(tenant, record["id"])
            if not breadcrumb:
                for key, value in values.items():
                    record[key.replace("-", "_")] = value
            else:
                record["fields"][breadcrumb[1]] = values["selected"]
            tpl = self.template(stype, record)
            record["fields_any"] = any(self.field_selected(tpl, record, f) for f in tpl.fields)


def _checked(tpl: StreamTemplate, breadcrumb: list[str], metadata: dict[str, Any]) -> dict[str, Any]:
    """The metadata values of one breadcrumb, or the vendor's invalid_fields error."""
    read_only = [key for key in metadata if key not in NON_DISCOVERABLE]
    if read_only:
        shown = " ".join(f'"{key}"' for key in read_only)
        raise invalid_fields(f"only non-discoverable metadata can be produced by the UI: #{{{shown}}}")
    if breadcrumb and (len(breadcrumb) != 2 or breadcrumb[0] != "properties" or breadcrumb[1] not in tpl.fields):
        raise invalid_fields(f"invalid breadcrumb: [{' '.join(breadcrumb)}]")  # [infer]
    if breadcrumb:
        extra = [key for key in metadata if key != "selected"]
        if extra or "selected" not in metadata:
            raise invalid_fields(f"only selected can be set on a field: [{' '.join(breadcrumb)}]")  # [infer]
        if metadata["selected"] is True and breadcrumb[1] in tpl.unsupported:
            raise invalid_fields("Unsupported fields cannot be selected by default")
    for key, value in metadata.items():
        if not _valid(tpl, key, value):
            raise invalid_fields(f"invalid value for {key}: {value}")  # [infer]
    return dict(metadata)


def _valid(tpl: StreamTemplate, key: str, value: Any) -> bool:
    if key == "selected":
        return isinstance(value, bool)
    if key == "replication-method":
        return value in REPLICATION_METHODS
    if key == "replication-key":
        return isinstance(value, str) and value in tpl.fields
    return isinstance(value, list) and all(isinstance(v, str) and v in tpl.fields for v in value)
