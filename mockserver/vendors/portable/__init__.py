"""Portable: destinations, sources and their specs, flows and flow runs, behind Bearer tokens and
plan gating."""

from __future__ import annotations

from typing import Any, Iterable

from aiohttp import web

from mockserver.engine import Engine
from mockserver.engine.errors import DomainError, Forbidden
from mockserver.engine.store import TenantState
from mockserver.resources import fixtures_dir
from mockserver.settings import Settings
from mockserver.spec import Operation, VendorSpec
from mockserver.vendors.base import Reply, SecretNames, Vendor, bearer_token, mask_secrets
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.portable import errors, serializers
from mockserver.vendors.portable.catalogue import Catalogue
from mockserver.vendors.portable.flows import Flows
from mockserver.vendors.portable.handlers import flow_handlers, spec_handlers, spec_record_handlers
from mockserver.vendors.portable.models import DESTINATION, SOURCE, SpecRecords
from mockserver.vendors.portable.runs import FlowRuns


class PortableVendor(Vendor):
    name = "portable"

    def __init__(self, engine: Engine, settings: Settings, spec: VendorSpec) -> None:
        super().__init__(engine, settings, spec)
        destination_specs = Catalogue.load(fixtures_dir() / "portable" / "destination-specs.yaml")
        source_specs = Catalogue.load(fixtures_dir() / "portable" / "source-specs.yaml", kind="source")
        self.destinations = SpecRecords(engine, destination_specs, DESTINATION)
        self.sources = SpecRecords(engine, source_specs, SOURCE)
        self.flows = Flows(engine, self.sources.records, self.destinations.records)
        self.runs = FlowRuns(engine, self.flows.records, self.sources.records, self.destinations.records,
                             self.sources.spec_of, self.destinations.spec_of)
        self.flows.attach(self.runs)
        self.destinations.in_use = lambda tenant, rid: [f["id"] for f in self.flows.using(tenant, "destination", rid)]
        self.sources.in_use = lambda tenant, rid: [f["id"] for f in self.flows.using(tenant, "source", rid)]
        self.handlers = {
            **spec_record_handlers(self.destinations, serializers.destination, "Destinations"),
            **spec_handlers(destination_specs, self.destinations, "DestinationSpecs"),
            **spec_record_handlers(self.sources, serializers.source, "Sources"),
            **spec_handlers(source_specs, self.sources, "SourceSpecs"),
            "listConnectors": spec_handlers(source_specs, self.sources, "SourceSpecs")["listSourceSpecs"],
            **flow_handlers(self.flows, self.runs, EncodedAnswers(engine.store, now=engine.clock.now)),
        }
        secret = destination_specs.secret_names | source_specs.secret_names
        self._secret_names = SecretNames(secret)
        # Declared tenants' API access by store key: settings never change while serving, and every
        # call asks (before its tenant exists, and after for a tenant without its own `api_access`).
        self._declared_access = {
            self.tenant_key(token): bool(attrs.get("api_access", True))
            for token, attrs in settings.declared_tenants.get(self.name, {}).items()
        }

    def authenticate(self, request: web.Request) -> TenantState:
        token = bearer_token(request)
        tenant = self.engine.store.find_tenant(self.name, self.tenant_key(token))
        if not self.has_api_access(token, tenant):
            raise Forbidden("plan without API access")
        return self.tenant_for(token)

    def has_api_access(self, token: str, tenant: TenantState | None) -> bool:
        """False for tokens declared on a plan without API access (`tenant`: the token's, if it exists
        yet). Checked before the tenant is created, so a refused call leaves no trace in the store."""
        if token in self.settings.portable_no_api_tokens:
            return False
        if tenant is not None and "api_access" in tenant.attrs:
            return bool(tenant.attrs["api_access"])
        return self._declared_access.get(self.tenant_key(token), True)

    def render_error(self, error: DomainError, operation: Operation | None) -> Reply:
        return errors.render(error, operation)

    def undeclared_method(self, allowed: list[str]) -> Reply:
        return errors.method_not_allowed(allowed)

    def probe(self, tenant: TenantState) -> Iterable[tuple[str, Any]]:
        for model, render, operation in ((self.destinations, serializers.destination, "listDestinations"),
                                         (self.sources, serializers.source, "listSources")):
            yield operation, {"data": [render(r, model.spec_of(r)) for r in model.all(tenant)]}
        flows = self.flows.all(tenant)
        yield "listFlows", {"data": [serializers.flow(f) for f in flows]}
        for flow in flows:
            history = self.runs.history(tenant, flow["id"])
            yield "getRunAttempts", {"data": [serializers.run_attempt(a) for a in history]}
            yield "getFlowStatus", serializers.flow_status(flow["id"], history[-1] if history else None)

    def mask(self, body: Any) -> Any:
        """PASSWORD properties of any spec (and secret-looking names) never reach the journal."""
        return mask_secrets(body, self._secret_names) if body is not None else None


def create(engine: Engine, settings: Settings, spec: VendorSpec) -> PortableVendor:
    return PortableVendor(engine, settings, spec)


__all__ = ["create", "PortableVendor"]
