"""The Census workspace model: destinations and their connection tests. Knows nothing of HTTP.

Checks on create, in order: the type exists, it is creatable via the API, the credentials fit and
the required ones are present. Any failure raises Invalid before anything is stored.
"""

from __future__ import annotations

from typing import Any, Callable

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.census import checks, credentials
from mockserver.vendors.census.refreshes import Refreshes
from mockserver.vendors.census.catalogue import Catalogue, Connector

DESTINATION_ID_START = 12


class CensusModel:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.records = engine.resources.declare(
            ResourceType(
                vendor="census",
                name="destinations",
                id_start=DESTINATION_ID_START,
                order=lambda r: (r["created_at"], r["id"]),
                missing=lambda destination_id: NotFound(f"no destination {destination_id}", code="destination"),
            )
        )
        checks.declare(engine, checks.DESTINATION_TEST, "destinations", self.connector_of,
                       "A destination's connection test: running, then succeeded or failed")
        self.refreshes = Refreshes(
            engine, name="refreshes", owner="destinations", owner_field="destination_id",
            lifecycle="census.object_refresh", job_kind="census.refresh",
            description="A destination's object (or one object's field) refresh: processing, then completed",
        )
        # Called with (tenant, destination id) before a destination is deleted, to delete what needs it.
        self.dependents: list[Callable[[TenantState, int], None]] = []

    # -- queries -----------------------------------------------------------------------------------
    def destinations(self, tenant: TenantState) -> list[dict[str, Any]]:
        """In creation order (oldest first); the pager reverses it for `order=desc`."""
        return self.records.list(tenant)

    def destination(self, tenant: TenantState, destination_id: int) -> dict[str, Any]:
        return self.records.get(tenant, destination_id)

    def connector_of(self, record: dict[str, Any]) -> Connector:
        connector = self.catalogue.get(record["type"])
        assert connector is not None, record["type"]
        return connector

    def connector(self, service_name: str) -> Connector:
        connector = self.catalogue.get(service_name)
        if connector is None:
            raise NotFound(f"no connector {service_name}", code="connector")
        return connector

    def object(self, tenant: TenantState, destination_id: int, full_name: str) -> dict[str, Any]:
        found = self.connector_of(self.destination(tenant, destination_id)).object(full_name)
        if found is None:
            raise NotFound(f"no object {full_name} on destination {destination_id}", code="object")
        return found

    # -- commands ----------------------------------------------------------------------------------
    def creatable(self, type_name: str) -> Connector:
        connector = self.catalogue.get(type_name)
        if connector is None:
            raise Invalid(f"Invalid destination type: {type_name}. Valid types are listed by GET /connectors", code="type")
        if not connector.creatable_via_api:
            hint = "; use a destination connect link instead" if connector.creatable_via_connect_link else ""
            raise Invalid(f"Destinations of type {type_name} cannot be created via the API{hint}", code="type")
        return connector

    def create(self, tenant: TenantState, type_name: str, name: str | None, given: dict[str, Any]) -> dict[str, Any]:
        connector = self.creatable(type_name)
        return self._insert(tenant, connector, name, credentials.merge(connector, {}, given, editing=False))

    def create_linked(self, tenant: TenantState, type_name: str) -> dict[str, Any]:
        """The destination an end user makes by completing a connect link of this type (which the
        link's creation checked): credentials as the user would give them, any connector the link
        allows, API-creatable or not (OAuth-only types are made this way)."""
        connector = self.catalogue.get(type_name)
        assert connector is not None, type_name
        given = credentials.as_end_user_would(connector, lambda: self.engine.random.token(16))
        return self._insert(tenant, connector, None, credentials.merge(connector, {}, given, editing=False))

    def reauthorized(self, tenant: TenantState, destination_id: int) -> dict[str, Any]:
        """The destination after its end user signed in again through a reauthorization link: its
        password fields entered anew, and its connection test run again."""
        connector = self.connector_of(self.destination(tenant, destination_id))
        given = credentials.as_end_user_would(connector, lambda: self.engine.random.token(16), secrets_only=True)
        return self.update(tenant, destination_id, name=None, given=given, type_name=None)

    def _insert(self, tenant: TenantState, connector: Connector, name: str | None, stored: dict[str, Any]) -> dict[str, Any]:
        token = self.engine.random.token(4)
        record: dict[str, Any] = {
            "id": self.records.new_id(),
            "type": connector.service_name,
            "name": name if name else connector.label,
            "created_at": iso_millis(self.engine.clock.now()),
            "credentials": stored,
            "system_token": token,
            "system_details": credentials.system_details(connector, stored, token),
            "last_test_results": None,
            "last_test_succeeded": None,
            "last_tested_at": None,
            "test_job": None,
        }
        self.records.create(tenant, record)
        checks.start(self.engine, checks.DESTINATION_TEST, tenant, record["id"])
        return record

    def update(
        self,
        tenant: TenantState,
        destination_id: int,
        *,
        name: str | None,
        given: dict[str, Any] | None,
        type_name: str | None,
    ) -> dict[str, Any]:
        """Rename and/or merge credentials; a credentials change re-runs the connection test."""
        record = self.records.edit(tenant, destination_id)
        connector = self.connector_of(record)
        if type_name is not None and type_name != record["type"]:
            raise Invalid(f"The type of a destination cannot be changed (it is {record['type']})", code="type_change")
        merged = credentials.merge(connector, record["credentials"], given, editing=True) if given is not None else None
        if name:
            record["name"] = name
        if merged is not None:
            record["credentials"] = merged
            record["system_details"] = credentials.system_details(connector, merged, record["system_token"])
            checks.start(self.engine, checks.DESTINATION_TEST, tenant, record["id"])
        return record

    def delete(self, tenant: TenantState, destination_id: int) -> None:
        self.records.get(tenant, destination_id)
        for dependent in self.dependents:  # syncs to this destination go with it
            dependent(tenant, destination_id)
        self.records.delete(tenant, destination_id)

