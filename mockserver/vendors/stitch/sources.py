"""Stitch sources: create, update (pause, unpause), soft delete, and where each stands on its report card.

A source's step is worked out from its record, never stored: `form` (or `oauth`) while a required
user-provided property is missing; `discover_schema` until a connection check with discovery has
succeeded (the `stitch.source_check` lifecycle, same rules as destination checks); then
`field_selection` until a stream with a field is selected, and `fully_configured` after. Import API
sources have no form to fill and no discovery: they are fully configured from the start.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds, parse_iso
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.lifecycles import Run
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch import checks
from mockserver.vendors.stitch.properties import as_stored, bad_properties
from mockserver.vendors.stitch.source_types import SourceCatalogue, SourceType
from mockserver.vendors.stitch.streams import StreamModel

SOURCE_CHECK = "stitch.source_check"
SOURCE_ID_START = 120643  # the source id in the vendor's replication-job examples
IMAGE_VERSION = "1.latest"
NAME_RULE = re.compile(r"^[a-z_][a-z0-9_$]{0,48}$")
CRON_FIELDS = (6, 7)  # Quartz: seconds minutes hours day-of-month month day-of-week [year]


def source_not_found(source_id: Any) -> Invalid:
    return Invalid(f"source not found ({source_id})", code="InvalidId")


def derive_name(display_name: str) -> str:
    """`GitHub` -> `github`, `Import API` -> `import_api`, `Recurly!!!` -> `recurly`, `####` -> ``."""
    lowered = re.sub(r"[\s\-./]+", "_", display_name.strip().lower())
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "", lowered)).strip("_")


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 timestamp, zone-less meaning UTC (python-stitch-data sends those); None if unreadable."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):  # unreadable, or out of range once in UTC (`9999-12-31T23:00:00-05:00`)
        return None


class SourceModel:
    def __init__(self, engine: Engine, types: SourceCatalogue, destinations: Resource) -> None:
        self.engine = engine
        self.types = types
        self.destinations = destinations
        self.records = engine.resources.declare(
            ResourceType(vendor="stitch", name="sources", id_start=SOURCE_ID_START, missing=source_not_found)
        )
        self.streams = StreamModel(engine)
        checks.declare(
            engine,
            SOURCE_CHECK,
            "sources",
            lambda record: sorted(self.type_of(record).credential_names),
            "A source's connection check and discovery: running, then succeeded (streams discovered) or failed",
            on_finish=self._after_check,
        )

    # -- reading -------------------------------------------------------------------------------------
    def type_of(self, record: dict[str, Any]) -> SourceType:
        stype = self.types.get(record["type"])
        if stype is None:  # only a hand-edited state file could hold one; loading refuses it first
            raise Invalid(f"invalid source type ({record['type']})", code="InvalidType")
        return stype

    def list(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        return self.records.get(tenant, source_id)

    def live(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        """A source that is not deleted (a deleted one is not found, for updates)."""
        record = self.records.get(tenant, source_id)
        if record["deleted_at"] is not None:
            raise source_not_found(source_id)
        return record

    def step(self, tenant: TenantState, record: dict[str, Any], stype: SourceType | None = None) -> str:
        before = (stype or self.type_of(record)).step_before_check(record["properties"])
        if before != "discover_schema" or not record["configured"]:
            return before
        return "fully_configured" if self.streams.configured(tenant, record) else "field_selection"

    def body_parts(self, tenant: TenantState, record: dict[str, Any], stype: SourceType) -> tuple[dict[str, Any], Any]:
        """(report card, schedule): both follow from the source's step, worked out once for the two."""
        step = self.step(tenant, record, stype)
        return stype.report_card(step, record["properties"]), self._schedule(record, stype, step)

    def _schedule(self, record: dict[str, Any], stype: SourceType, step: str) -> dict[str, Any] | None:
        """Null while paused, deleted or not fully configured; else the interval (or cron) schedule."""
        if record["paused_at"] or record["deleted_at"] or stype.import_api or step != "fully_configured":
            return None
        props = record["properties"]
        if props.get("cron_expression"):
            return {"type": "cron", "cron_expression": props["cron_expression"], "next_fire_time": None}
        upcoming = self.next_fire(record, stype, self.engine.clock.now())
        assert upcoming is not None  # an interval always has a next turn
        return {"type": "interval", "unit": "minute", "interval": self._minutes(record, stype),
                "next_fire_time": iso_seconds(upcoming)}

    def next_fire(self, record: dict[str, Any], stype: SourceType, now: datetime) -> datetime | None:
        """The interval schedule's next turn strictly after `now`, counted from `anchor_time` (else the
        creation time); None for a cron schedule, which the mock shows but does not run [infer]."""
        props = record["properties"]
        if props.get("cron_expression"):
            return None
        anchor = parse_timestamp(str(props.get("anchor_time") or "")) or parse_iso(record["created_at"])
        every = timedelta(minutes=self._minutes(record, stype))
        periods = max(0, int((now - anchor) / every) + 1) if now >= anchor else 0
        return anchor + periods * every

    def schedulable(self, tenant: TenantState, record: dict[str, Any]) -> bool:
        """Whether the source's schedule runs now: the vendor shows one (not paused, not deleted, fully
        configured, not an Import API source)."""
        stype = self.type_of(record)
        return self._schedule(record, stype, self.step(tenant, record, stype)) is not None

    @staticmethod
    def _minutes(record: dict[str, Any], stype: SourceType) -> float:
        return float(record["properties"].get("frequency_in_minutes") or stype.details.get("default_scheduling_interval") or 60)

    # -- changing ------------------------------------------------------------------------------------
    def create(
        self,
        tenant: TenantState,
        type_name: str,
        display_name: str,
        given: dict[str, Any],
        destination_id: int | None,
    ) -> dict[str, Any]:
        stype = self.types.get(type_name)
        if stype is None:
            raise Invalid(f"invalid source type ({type_name})", code="InvalidType")
        if not stype.accessible:
            raise Invalid(f"you do not have access to source type ({type_name})", code="AccessDenied")
        name = self._new_name(tenant, display_name)
        self._check_properties(tenant, stype, given, {})
        now = self.engine.clock.now_seconds()
        record: dict[str, Any] = {
            "id": self.records.new_id(),
            "type": stype.type,
            "name": name,
            "display_name": display_name,
            "properties": {},
            "destination_id": self._destination(tenant, destination_id),
            **checks.unchecked(now),
            "job_id": None,
        }
        self._apply(record, stype, given)
        self.records.create(tenant, record)
        self._maybe_check(tenant, record, stype)
        return record

    def update(self, tenant: TenantState, source_id: int, body: dict[str, Any]) -> dict[str, Any]:
        record = self.live(tenant, source_id)
        stype = self.type_of(record)
        changes: dict[str, Any] = {}
        if "display_name" in body:
            display = body["display_name"]
            if not display.strip() or not derive_name(display):
                raise Invalid(f"invalid display_name ({display})", code="InvalidDisplayName")
            changes["display_name"] = display  # the name (the destination schema) never changes
        if "paused_at" in body:
            changes["paused_at"] = self._paused_at(body["paused_at"])
        if "destination_id" in body:
            changes["destination_id"] = self._destination(tenant, body["destination_id"])
        given = body.get("properties") or {}
        self._check_properties(tenant, stype, given, record["properties"], record=record)
        record = self.records.edit(tenant, source_id)
        record.update(changes)
        if given:
            self._apply(record, stype, given)
        record["updated_at"] = self.engine.clock.now_seconds()
        if given:
            self._maybe_check(tenant, record, stype)
        return record

    def delete(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        """Soft: the source stays listed with `deleted_at`; its Import API tokens are revoked."""
        record = self.live(tenant, source_id)
        record = self.records.edit(tenant, source_id)
        now = self.engine.clock.now_seconds()
        record["deleted_at"] = now
        record["updated_at"] = now
        return record

    def last_check(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        record = self.records.get(tenant, source_id)
        if record["last_check"] is None:
            raise NotFound(f"no connection check has run for source {source_id}", code="check")
        return dict(record["last_check"])

    # -- internals -----------------------------------------------------------------------------------
    def _new_name(self, tenant: TenantState, display_name: str) -> str:
        name = derive_name(display_name)
        if not name:
            raise Invalid(f"invalid name after deriving it from display_name ({display_name} -> {name})", code="InvalidDisplayName")
        if not NAME_RULE.match(name):
            raise Invalid(
                "The name field must be under 50 characters, and can only contain lowercase letters, numbers, "
                "underscores, or dollar signs. It must begin with a letter or an underscore.",
                code="InvalidName",
            )
        if any(r["name"] == name and r["deleted_at"] is None for r in self.records.list(tenant)):
            if name == display_name:
                raise Invalid(f"non-unique name ({name})", code="InvalidName")
            raise Invalid(f"non-unique name after deriving it from display_name ({display_name} -> {name})", code="InvalidName")
        return name

    def _destination(self, tenant: TenantState, destination_id: int | None) -> int | None:
        if destination_id is None:
            oldest = self.destinations.list(tenant)
            return oldest[0]["id"] if oldest else None
        if self.destinations.find(tenant, destination_id) is None:
            raise Invalid(f"destination not found ({destination_id})", code="InvalidId")
        return destination_id

    def _paused_at(self, value: str | None) -> str | None:
        if value is None:
            return None
        moment = parse_timestamp(value)
        if moment is None:
            raise Invalid("PUT body many only include the keys: display_name, properties, and paused_at", code="InvalidBody")
        return iso_seconds(moment)

    def _check_properties(
        self,
        tenant: TenantState,
        stype: SourceType,
        given: dict[str, Any],
        stored: dict[str, Any],
        record: dict[str, Any] | None = None,
    ) -> None:
        cron = given.get("cron_expression")
        if cron is not None and cron != "":
            if not tenant.attrs.get("cron_scheduling", False):
                raise Invalid("access to cron_expression based scheduling is not permitted", code="AccessDenied")
            problem = cron_problem(str(cron))
            if problem:
                raise Invalid(f'cron_expression "{cron}" is invalid: {problem}', code="InvalidCronExpression")
        bad = [n for n in bad_properties(stype, {k: v for k, v in given.items() if k != "cron_expression"})]
        if bad:
            provided = (set(given) | set(stored)) - set(bad)
            step = self.step(tenant, record) if record is not None else stype.step_before_check(dict.fromkeys(provided))
            raise Invalid(
                "properties do not match schema",
                code="InvalidProperties",
                bad_properties=bad,
                report_card=stype.report_card(step, provided),
            )

    def _apply(self, record: dict[str, Any], stype: SourceType, given: dict[str, Any]) -> None:
        values = dict(record["properties"])
        for name, value in given.items():
            values[name] = None if value is None and name == "cron_expression" else as_stored(value)
        if stype.form_property("image_version") is not None:
            values["image_version"] = IMAGE_VERSION
        record["properties"] = values

    def _maybe_check(self, tenant: TenantState, record: dict[str, Any], stype: SourceType) -> None:
        if stype.import_api or stype.first_open_step(record["properties"]) is not None:
            return
        checks.start(self.engine, SOURCE_CHECK, tenant, record["id"])

    def _after_check(self, tenant: TenantState, record: dict[str, Any], run: Run) -> None:
        if record["configured"]:
            self.streams.discover(tenant, record, self.type_of(record))


def cron_problem(expression: str) -> str | None:
    """Why a Quartz cron expression is refused, or None; the vendor's own message for the common case."""
    fields = expression.split()
    if len(fields) not in CRON_FIELDS:
        return "Unexpected end of expression."
    day_of_month, day_of_week = fields[3], fields[5]
    if day_of_month != "?" and day_of_week != "?":
        return "Support for specifying both a day-of-week AND a day-of-month parameter is not implemented."
    if day_of_month == "?" and day_of_week == "?":
        return "'?' can only be specified for Day-of-Month -OR- Day-of-Week."
    return None
