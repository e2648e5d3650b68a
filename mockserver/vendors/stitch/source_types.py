"""Stitch's source types (fixtures/stitch/source-types.yaml): forms, report cards and stream catalogues.

The fixture is written compactly (shared property sets, defaults left out, fields as short type
names); this module expands it once at start-up into the shapes the API serves: form properties as
report-card entries, and per stream a JSON schema and the metadata discovery produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from mockserver.spec.documents import load_yaml_documents
from mockserver.spec.validation import compile_schema
from mockserver.vendors.stitch.catalogue import (
    USER_SETTABLE, FormIndex, FormLookups, FormProperty, SharedCards, TypeIndex, accessible,
)

PROPERTY_DEFAULTS: dict[str, Any] = {
    "is_required": False,
    "is_credential": False,
    "system_provided": False,
    "property_type": "user_provided",
    "json_schema": None,
    "tap_mutable": False,
}

# Short field types of SaaS streams -> the nullable JSON schemas Singer taps emit.
SAAS_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": ["null", "string"]},
    "integer": {"type": ["null", "integer"]},
    "number": {"type": ["null", "number"]},
    "boolean": {"type": ["null", "boolean"]},
    "date-time": {"type": ["null", "string"], "format": "date-time"},
    "object": {"type": ["null", "object"], "properties": {}},
    "array": {"type": ["null", "array"], "items": {}},
}

# Database column types (the `sql-datatype` metadata) -> JSON schema.
SQL_TYPES: dict[str, dict[str, Any]] = {
    "integer": SAAS_TYPES["integer"], "int": SAAS_TYPES["integer"], "bigint": SAAS_TYPES["integer"],
    "tinyint": SAAS_TYPES["integer"], "numeric": SAAS_TYPES["number"], "decimal": SAAS_TYPES["number"],
    "boolean": SAAS_TYPES["boolean"], "date": SAAS_TYPES["date-time"], "datetime": SAAS_TYPES["date-time"],
    "timestamp": SAAS_TYPES["date-time"], "timestamp without time zone": SAAS_TYPES["date-time"],
    "timestamp with time zone": SAAS_TYPES["date-time"], "jsonb": {"type": ["null", "object", "array"]},
}
STRING = SAAS_TYPES["string"]

CARD_KEYS = ("name", "is_required", "is_credential", "system_provided", "property_type", "json_schema")


@dataclass(frozen=True)
class StreamTemplate:
    """One stream of a type's catalogue; database streams get their ids from the source's database."""

    tap_stream_id: str  # SaaS: the id; database: the table name
    key: tuple[str, ...]
    replication_key: str | None
    rows: int
    fields: dict[str, dict[str, Any]]  # field -> JSON schema
    sql_types: dict[str, str]  # database streams only
    unsupported: dict[str, str]
    view: bool = False

    def schema(self) -> dict[str, Any]:
        return {"type": ["null", "object"], "additionalProperties": False, "properties": dict(self.fields)}

    def automatic(self) -> set[str]:
        """Fields always replicated: the key and the replication key."""
        return set(self.key) | ({self.replication_key} if self.replication_key else set())


@dataclass(frozen=True)
class SourceType(FormLookups):
    type: str
    display_name: str
    tap: str
    details: dict[str, Any]
    form: tuple[FormProperty, ...]
    oauth: tuple[FormProperty, ...] | None
    tap_mutable: frozenset[str]
    streams: tuple[StreamTemplate, ...]
    database: dict[str, Any] | None = None  # {"schema": "public"} for Postgres, {} for MySQL
    import_api: bool = False

    @property
    def accessible(self) -> bool:
        return accessible(self.details)

    # A type never changes while serving: what every answer about its sources needs is built once.
    @cached_property
    def properties(self) -> tuple[FormProperty, ...]:
        return self.form + (self.oauth or ())

    @cached_property
    def form_index(self) -> FormIndex:
        return FormIndex(self.properties)

    @cached_property
    def step_types(self) -> tuple[str, ...]:
        if self.import_api:
            return ("form", "fully_configured")
        return ("form",) + (("oauth",) if self.oauth is not None else ()) + ("discover_schema", "field_selection", "fully_configured")

    def missing(self, props: tuple[FormProperty, ...], values: dict[str, Any]) -> list[str]:
        return [p.name for p in props if p.is_required and p.property_type in USER_SETTABLE and p.name not in values]

    @cached_property
    def _required(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(step, the names a source must have before it is past that step), form then oauth."""
        steps = [("form", self.form)] + ([("oauth", self.oauth)] if self.oauth is not None else [])
        return tuple((step, tuple(self.missing(props, {}))) for step, props in steps)

    def first_open_step(self, values: dict[str, Any]) -> str | None:
        """`form` or `oauth` while that step still lacks a required user-provided property."""
        for step, names in self._required:
            for name in names:
                if name not in values:
                    return step
        return None

    def step_before_check(self, values: dict[str, Any]) -> str:
        """Where a source with these values stands until a check has succeeded."""
        if self.import_api:
            return "fully_configured"
        return self.first_open_step(values) or "discover_schema"

    def entry(self, prop: FormProperty, provided: bool) -> dict[str, Any]:
        out = prop.card_entry(provided)
        out["tap_mutable"] = prop.name in self.tap_mutable
        return out

    @cached_property
    def _cards(self) -> SharedCards:
        return SharedCards()

    def report_card(self, step: str, provided: Iterable[str], *, with_details: bool = False) -> dict[str, Any]:
        """The card of a source at this step with these properties (shared: see SharedCards)."""
        names = self.form_index.names.intersection(provided)
        if with_details:
            return self._report_card(step, names, with_details=True)
        key = (step, names)
        return self._cards.get(key) or self._cards.keep(key, self._report_card(step, names))

    def _report_card(self, step: str, provided: frozenset[str], *, with_details: bool = False) -> dict[str, Any]:
        steps = self.step_types
        card: dict[str, Any] = {
            "type": self.type,
            "current_step": steps.index(step) + 1,
            "current_step_type": step,
            "steps": [
                {
                    "type": kind,
                    "properties": [
                        self.entry(p, p.name in provided)
                        for p in (self.form if kind == "form" else self.oauth or () if kind == "oauth" else ())
                    ],
                }
                for kind in steps
            ],
        }
        if with_details:
            card["details"] = dict(self.details)
        return card


class SourceCatalogue(TypeIndex[SourceType]):

    @classmethod
    def load(cls, path: Path) -> "SourceCatalogue":
        (raw,) = load_yaml_documents(path)  # the C loader, and parsed once per content (spec/cache.py): start-up time
        sets = raw.get("property-sets") or {}
        return cls([_source_type(entry, sets) for entry in raw["types"]])


def _expand(items: list[dict[str, Any]], sets: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if "use" in item:
            out.extend(_expand(sets[item["use"]], sets))
        else:
            out.append({**PROPERTY_DEFAULTS, **item})
    return out


def _property(raw: dict[str, Any]) -> FormProperty:
    schema = raw["json_schema"]
    return FormProperty(
        **{key: raw[key] for key in CARD_KEYS},
        validator=compile_schema(schema) if schema is not None else None,
    )


def _stream(raw: dict[str, Any], database: bool) -> StreamTemplate:
    fields: dict[str, dict[str, Any]] = {}
    sql_types: dict[str, str] = {}
    for name, kind in raw["fields"].items():
        if isinstance(kind, dict):
            fields[name] = kind
        elif database:
            sql_types[name] = kind
            fields[name] = dict(SQL_TYPES.get(kind, STRING))
        else:
            fields[name] = dict(SAAS_TYPES[kind])
    return StreamTemplate(
        tap_stream_id=raw.get("table") or raw["tap_stream_id"],
        key=tuple(raw.get("key") or ()),
        replication_key=raw.get("replication_key"),
        rows=int(raw["rows"]),
        fields=fields,
        sql_types=sql_types,
        unsupported=dict(raw.get("unsupported") or {}),
        view=bool(raw.get("view", False)),
    )


def _source_type(entry: dict[str, Any], sets: dict[str, list[dict[str, Any]]]) -> SourceType:
    form = _expand(entry.get("form") or [], sets)
    oauth = _expand(entry["oauth"], sets) if "oauth" in entry else None
    database = entry.get("database")
    return SourceType(
        type=entry["type"],
        display_name=entry["display_name"],
        tap=entry["tap"],
        details=dict(entry["details"]),
        form=tuple(_property(p) for p in form),
        oauth=tuple(_property(p) for p in oauth) if oauth is not None else None,
        tap_mutable=frozenset(p["name"] for p in form + (oauth or []) if p["tap_mutable"]),
        streams=tuple(_stream(s, database is not None) for s in entry.get("streams") or []),
        database=dict(database) if database is not None else None,
        import_api=bool(entry.get("import_api", False)),
    )
