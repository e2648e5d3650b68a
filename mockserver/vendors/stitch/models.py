"""The Stitch account model: destinations, their report cards and checks. Knows nothing of HTTP."""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid, LimitReached, NotFound
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch import checks
from mockserver.vendors.stitch.catalogue import Catalogue, DestinationType
from mockserver.vendors.stitch.properties import as_stored, bad_properties, missing_required

DESTINATION_ID_START = 337658
CLIENT_ID_START = 116078


class StitchModel:
    def __init__(self, engine: Engine, catalogue: Catalogue, default_limit: int) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.default_limit = default_limit
        self.records = engine.resources.declare(
            ResourceType(
                vendor="stitch",
                name="destinations",
                id_start=DESTINATION_ID_START,
                missing=lambda _id: NotFound("invalid connection id", code="destination"),
            )
        )
        checks.declare(
            engine,
            checks.DESTINATION_CHECK,
            "destinations",
            lambda record: [p.name for p in self.dtype_of(record).properties if p.is_credential],
            "A destination's connection check: running, then succeeded or failed",
        )

    # -- tenants -----------------------------------------------------------------------------------
    def init_account(self, tenant: TenantState) -> None:
        tenant.attrs.setdefault("stitch_client_id", self.engine.store.next_id("stitch", "accounts", CLIENT_ID_START))
        tenant.attrs.setdefault("destination_limit", self.default_limit)

    def destinations(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def dtype_of(self, record: dict[str, Any]) -> DestinationType:
        dtype = self.catalogue.get(record["type"])
        assert dtype is not None, record["type"]
        return dtype

    # -- commands ----------------------------------------------------------------------------------
    def creatable_type(self, name: str, *, invalid_message: str | None = None) -> DestinationType:
        """The type to create; v3 reports a bad type with its one documented body message instead."""
        dtype = self.catalogue.get(name)
        if dtype is not None and dtype.accessible:
            return dtype
        if invalid_message:
            raise Invalid(invalid_message, code="v3_body")
        if dtype is None:
            raise Invalid(f"{name} is not a valid destination type", code="InvalidType")
        raise Invalid(f"destination type {name} is not available on this account's plan", code="AccessDenied")

    def create(
        self,
        tenant: TenantState,
        dtype: DestinationType,
        given: dict[str, Any],
        *,
        name: str | None = None,
        description: str | None = None,
        ignore_unmapped_sources: bool = False,
    ) -> dict[str, Any]:
        if self.records.count(tenant) >= tenant.attrs["destination_limit"]:
            raise LimitReached("you are at your destination limit")
        self._reject_bad(dtype, given, set())
        now = self.engine.clock.now_seconds()
        record: dict[str, Any] = {
            "id": self.records.new_id(),
            "type": dtype.type,
            "name": name if name else dtype.display_name,
            "description": description,
            "display_name": None,
            "properties": {},
            "ignore_unmapped_sources": bool(ignore_unmapped_sources),
            **checks.unchecked(now),
        }
        self._apply(record, dtype, given, replace=True)
        self.records.create(tenant, record)
        self._maybe_check(tenant, record, dtype)
        return record

    def update(
        self,
        tenant: TenantState,
        destination_id: int,
        given: dict[str, Any],
        *,
        type_name: str | None = None,
        name: str | None = None,
        description: str | None = None,
        replace: bool = False,
    ) -> dict[str, Any]:
        record = self.records.edit(tenant, destination_id)
        if type_name is not None and type_name != record["type"]:
            raise Invalid("this API endpoint does not support modifying destination type", code="type_change")
        dtype = self.dtype_of(record)
        self._reject_bad(dtype, given, set(record["properties"]), replacing=replace)
        self._apply(record, dtype, given, replace=replace)
        if name:
            record["name"] = name
        if description is not None:
            record["description"] = description
        record["updated_at"] = self.engine.clock.now_seconds()
        self._maybe_check(tenant, record, dtype)
        return record

    def delete(self, tenant: TenantState, destination_id: int) -> None:
        client = tenant.attrs["stitch_client_id"]
        self.records.delete(
            tenant,
            destination_id,
            missing=lambda _id: NotFound(f"Unable to locate dest ({destination_id}) for client ({client}) to delete", code="destination"),
        )

    def last_check(self, tenant: TenantState, destination_id: int) -> dict[str, Any]:
        record = self.records.get(tenant, destination_id)
        if record["last_check"] is None:
            raise NotFound(f"no connection check has run for destination {destination_id}", code="check")
        return record["last_check"]

    # -- internals ---------------------------------------------------------------------------------
    def _reject_bad(self, dtype: DestinationType, given: dict[str, Any], stored: set[str], replacing: bool = True) -> None:
        bad = bad_properties(dtype, given)
        immutable = [
            name
            for name in given
            if name in stored and (p := dtype.form_property(name)) is not None and p.property_type == "user_provided_immutable"
        ]
        bad += [n for n in immutable if n not in bad]
        if bad:
            provided = (set(given) | (set() if replacing else stored)) - set(bad)
            raise Invalid(
                "properties do not match schema",
                code="InvalidProperties",
                bad_properties=bad,
                report_card=dtype.report_card(provided, configured=False),
            )

    def _apply(self, record: dict[str, Any], dtype: DestinationType, given: dict[str, Any], *, replace: bool) -> None:
        values = {} if replace else dict(record["properties"])
        if replace:  # keep what the system provided; a full replace only covers the caller's values
            for prop in dtype.properties:
                if prop.property_type in ("system_provided_by_default", "read_only") and prop.name in record["properties"]:
                    values[prop.name] = record["properties"][prop.name]
        values.update({name: as_stored(value) for name, value in given.items()})
        if dtype.form_property("encryption_type") is not None:
            values.setdefault("encryption_type", "none")
        for prop in dtype.properties:
            if prop.property_type == "system_provided_by_default" and prop.name not in values:
                values[prop.name] = f"stitch-challenge-file-{self.engine.random.uuid4()}"
        credentials = values.get("service_account_credentials")
        if dtype.form_property("project_id") is not None and isinstance(credentials, dict) and credentials.get("project_id"):
            values["project_id"] = credentials["project_id"]
        record["properties"] = values

    def _maybe_check(self, tenant: TenantState, record: dict[str, Any], dtype: DestinationType) -> None:
        if missing_required(dtype, record["properties"]):
            return
        checks.start(self.engine, checks.DESTINATION_CHECK, tenant, record["id"])
