"""Stitch Connect: destinations (v3 and v4), destination types and connection checks."""

from __future__ import annotations

from typing import Any, Iterable

from aiohttp import web

from mockserver.engine import Engine
from mockserver.engine.errors import DomainError
from mockserver.engine.store import TenantState
from mockserver.resources import fixtures_dir
from mockserver.settings import Settings
from mockserver.spec import Operation, VendorSpec
from mockserver.vendors.base import MASK, Reply, Vendor, bearer_token, mask_secrets
from mockserver.vendors.stitch import errors, serializers
from mockserver.vendors.stitch.catalogue import Catalogue
from mockserver.vendors.stitch.handlers import build_handlers
from mockserver.vendors.stitch.models import StitchModel


class StitchVendor(Vendor):
    name = "stitch"

    def __init__(self, engine: Engine, settings: Settings, spec: VendorSpec) -> None:
        super().__init__(engine, settings, spec)
        self.catalogue = Catalogue.load(fixtures_dir() / "stitch" / "destination-types.json")
        self.model = StitchModel(engine, self.catalogue, settings.stitch_destination_limit)
        self.handlers = build_handlers(self.model)
        self._credential_names = {p.name: True for t in self.catalogue.ordered for p in t.properties if p.is_credential}

    def authenticate(self, request: web.Request) -> TenantState:
        return self.tenant_for(bearer_token(request), self.model.init_account)

    def render_error(self, error: DomainError, operation: Operation | None) -> Reply:
        return errors.render(error, operation)

    def probe(self, tenant: TenantState) -> Iterable[tuple[str, Any]]:
        records = self.model.destinations(tenant)
        client_id = tenant.attrs["stitch_client_id"]
        yield "list-destinations-v4", [serializers.destination_v4(r, self.model.dtype_of(r), client_id) for r in records]
        yield "list-destinations-v3", [serializers.destination_v3(r, self.model.dtype_of(r)) for r in records]
        for record in records:
            if record["last_check"] is not None:
                yield "get-destination-last-connection-check", serializers.connection_check(record["last_check"])

    def mask(self, operation: Operation, body: Any) -> Any:
        return mask_secrets(body, self._credential_names) if body is not None else None


def create(engine: Engine, settings: Settings, spec: VendorSpec) -> StitchVendor:
    return StitchVendor(engine, settings, spec)


__all__ = ["create", "StitchVendor", "MASK"]
