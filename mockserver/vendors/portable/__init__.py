"""Portable: destinations and destination specs, behind Bearer tokens and plan gating."""

from __future__ import annotations

from typing import Any, Iterable

from aiohttp import web

from mockserver.engine import Engine
from mockserver.engine.errors import DomainError, Forbidden
from mockserver.engine.store import TenantState
from mockserver.resources import fixtures_dir
from mockserver.settings import Settings
from mockserver.spec import Operation, VendorSpec
from mockserver.vendors.base import Reply, Vendor, bearer_token, mask_secrets
from mockserver.vendors.portable import errors, serializers
from mockserver.vendors.portable.catalogue import Catalogue
from mockserver.vendors.portable.handlers import build_handlers
from mockserver.vendors.portable.models import PortableModel


class PortableVendor(Vendor):
    name = "portable"

    def __init__(self, engine: Engine, settings: Settings, spec: VendorSpec) -> None:
        super().__init__(engine, settings, spec)
        self.catalogue = Catalogue.load(fixtures_dir() / "portable" / "destination-specs.yaml")
        self.model = PortableModel(engine, self.catalogue)
        self.handlers = build_handlers(self.model)
        self._secret_names = {name: True for name in self.catalogue.secret_names}

    def authenticate(self, request: web.Request) -> TenantState:
        token = bearer_token(request)
        if not self.has_api_access(token):
            raise Forbidden("plan without API access")
        return self.tenant_for(token)

    def has_api_access(self, token: str) -> bool:
        """False for tokens declared on a plan without API access. Checked before the tenant exists,
        so a refused call leaves no trace in the store."""
        if token in self.settings.portable_no_api_tokens:
            return False
        key = self.tenant_key(token)
        tenant = self.engine.store.find_tenant(self.name, key)
        if tenant is not None and "api_access" in tenant.attrs:
            return bool(tenant.attrs["api_access"])
        declared = {self.tenant_key(t): a for t, a in self.settings.declared_tenants.get(self.name, {}).items()}
        return bool(declared.get(key, {}).get("api_access", True))

    def render_error(self, error: DomainError, operation: Operation | None) -> Reply:
        return errors.render(error, operation)

    def undeclared_method(self, allowed: list[str]) -> Reply:
        return errors.method_not_allowed(allowed)

    def probe(self, tenant: TenantState) -> Iterable[tuple[str, Any]]:
        records = self.model.destinations(tenant)
        yield "listDestinations", {"data": [serializers.destination(r, self.model.spec_of(r)) for r in records]}

    def mask(self, operation: Operation, body: Any) -> Any:
        """PASSWORD properties of any spec (and secret-looking names) never reach the journal."""
        return mask_secrets(body, self._secret_names) if body is not None else None


def create(engine: Engine, settings: Settings, spec: VendorSpec) -> PortableVendor:
    return PortableVendor(engine, settings, spec)


__all__ = ["create", "PortableVendor"]
