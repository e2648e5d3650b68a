"""Stitch Connect: destinations (v3 and v4) and their types, sources and source types, streams and
field selection, replication jobs with their extractions and loads, Import API tokens, notifications,
partner-made accounts (`POST /v3/accounts` and the partner OAuth flow) and ephemeral sessions."""

from __future__ import annotations

from typing import Any, Iterable

from aiohttp import web

from mockserver.engine import Engine
from mockserver import request_keys as rk
from mockserver.engine.errors import DomainError, NotFound
from mockserver.engine.store import TenantState
from mockserver.resources import fixtures_dir
from mockserver.settings import Settings
from mockserver.spec import Operation, VendorSpec
from mockserver.vendors.base import MASK, Reply, SecretNames, Vendor, bearer_token, mask_secrets
from mockserver.vendors.stitch import checks, errors, serializers, source_serializers
from mockserver.vendors.stitch.accounts import AccountModel, build_account_handlers
from mockserver.vendors.stitch.catalogue import Catalogue
from mockserver.vendors.stitch.connect import ConnectModel
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.stitch.handlers import build_handlers
from mockserver.vendors.stitch.source_handlers import build_source_handlers
from mockserver.vendors.stitch.models import StitchModel


# The log download a 302 points at: like the vendor's pre-signed log URL, it needs no Stitch token.
LOG_DOWNLOAD = "download-extraction-log"
# A partner creating an account, or the partner OAuth flow, sends no token: the request acts for
# no account until the one it makes or finds (this stand-in is never stored or written to).
NO_ACCOUNT_YET = ("create-an-account", "authorize-a-partner", "exchange-an-authorization-code")
NO_ACCOUNT = TenantState(key="")
# What a journaled body may hold that no form names: the OAuth code (a one-time credential).
OAUTH_SECRETS = ("code",)


class StitchVendor(Vendor):
    name = "stitch"
    merge_slashes = True  # the vendor's nginx merges runs of `/` [infer]

    def __init__(self, engine: Engine, settings: Settings, spec: VendorSpec) -> None:
        super().__init__(engine, settings, spec)
        self.catalogue = Catalogue.load(fixtures_dir() / "stitch" / "destination-types.json")
        self.model = StitchModel(engine, self.catalogue, settings.stitch_destination_limit)
        self.connect = ConnectModel(engine, fixtures_dir() / "stitch" / "source-types.yaml", self.model.records)
        answers = EncodedAnswers(engine.store, now=engine.clock.now)  # polled answers, kept encoded while the store does not change
        self.accounts = AccountModel(engine, self.model.init_account, settings.partners.get(self.name, {}), settings.strict_auth)
        self.handlers = {**build_handlers(self.model, self.connect.mapped_destination, answers),
                         **build_source_handlers(self.connect, answers), **build_account_handlers(self.accounts)}
        forms = [t.properties for t in self.catalogue.ordered] + [t.properties for t in self.connect.types.ordered]
        self._credential_names = SecretNames([*(p.name for props in forms for p in props if p.is_credential), *OAUTH_SECRETS])

    def authenticate(self, request: web.Request) -> TenantState:
        operation = rk.exchange(request).operation
        if operation in NO_ACCOUNT_YET:
            return NO_ACCOUNT
        if operation == LOG_DOWNLOAD:
            tenant = checks.tenant_of(self.engine, request.match_info.get("job_name", ""))
            if tenant is None:
                raise NotFound("Not Found", code="job")
            return tenant
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
        yield from self._probe_sources(tenant, client_id)

    def _probe_sources(self, tenant: TenantState, client_id: int) -> Iterable[tuple[str, Any]]:
        connect = self.connect
        for record in connect.sources.list(tenant):
            stype = connect.sources.type_of(record)
            card, schedule = connect.source_body(tenant, record, stype)
            yield "retrieve-a-source", source_serializers.source(record, stype, client_id, card, schedule)
            for stream in connect.streams.of_source(tenant, record["id"]):
                tpl = connect.streams.template(stype, stream)
                yield "retrieve-a-streams-schema", source_serializers.stream_schema(stype, tpl, stream)
        for job in connect.jobs.jobs.list(tenant):
            yield "list-extractions", source_serializers.page([source_serializers.extraction(job, client_id)], 1, f"/v4/{client_id}/extractions")

    def mask(self, body: Any) -> Any:
        return mask_secrets(body, self._credential_names) if body is not None else None


def create(engine: Engine, settings: Settings, spec: VendorSpec) -> StitchVendor:
    return StitchVendor(engine, settings, spec)


__all__ = ["create", "StitchVendor", "MASK"]
