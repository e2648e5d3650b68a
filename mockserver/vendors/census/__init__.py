"""Census (workspace management API): destinations, their objects and refreshes, connectors and
destination and source connect links (and the page a link opens); source types, sources, their tables and models; syncs and sync runs;
under /api/v1.

Auth: `Authorization: Bearer <workspace key>` (airflow-provider-census sends that), or HTTP Basic
with user `bearer` and the key as the password (dagster-census sends that). Keys may carry the
`secret-token:` prefix Census prints on them; `abc` and `secret-token:abc` are one workspace. Any
non-empty key is a workspace.
"""

from __future__ import annotations

from typing import Any, Iterable

from aiohttp import web
from yarl import URL

from mockserver import request_keys as rk
from mockserver.engine import Engine
from mockserver.engine.errors import DomainError, Unauthorized
from mockserver.engine.store import TenantState
from mockserver.resources import fixtures_dir
from mockserver.settings import Settings
from mockserver.spec import Operation, VendorSpec
from mockserver.vendors.base import Reply, SecretNames, Vendor, basic_credentials, bearer_token, mask_secrets
from mockserver.vendors.census import errors, serializers, sync_serializers, workspace
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.census.catalogue import Catalogue
from mockserver.vendors.census.credentials import masked_headers
from mockserver.vendors.census.handlers import build_handlers
from mockserver.vendors.census.link_handlers import link_handlers, page_handler
from mockserver.vendors.census.links import ConnectLinks, opened
from mockserver.vendors.census.models import CensusModel
from mockserver.vendors.census.sources import Sources
from mockserver.vendors.census.sqlmodels import Models
from mockserver.vendors.census.sync_handlers import Views, build_sync_handlers
from mockserver.vendors.census.sync_runs import SyncRuns
from mockserver.vendors.census.syncs import Syncs

LINK_PAGE = "completeConnectLink"  # the page a connect link's `uri` opens: no API key
KEY_PREFIX = "secret-token:"
BASIC_USER = "bearer"
KNOWN_HEADERS = 1024  # Authorization headers whose workspace key is remembered (then forgotten all at once)


def workspace_key(request: web.Request) -> str:
    """The key of a Bearer header, or the password of a Basic `bearer:<key>` header."""
    header = request.headers.get("Authorization", "")
    if header.strip().lower().startswith("basic "):
        credentials = basic_credentials(request)
        if credentials is None or credentials[0].lower() != BASIC_USER or not credentials[1]:
            raise Unauthorized("Basic auth must be bearer:<workspace key>")
        return credentials[1]
    return bearer_token(request)


class CensusVendor(Vendor):
    name = "census"

    def __init__(self, engine: Engine, settings: Settings, spec: VendorSpec) -> None:
        super().__init__(engine, settings, spec)
        self.catalogue = Catalogue.load(fixtures_dir() / "census")
        self.model = CensusModel(engine, self.catalogue)
        self.sources = Sources(engine, Catalogue.load(fixtures_dir() / "census", "source-types", "tables"))
        self.links = ConnectLinks(engine, "destination", self.catalogue, "connect_links", self.model.destination,
                                  self.model.create_linked, self.model.reauthorized)
        self.source_links = ConnectLinks(engine, "source", self.sources.types, "source_connect_links", self.sources.get,
                                         self.sources.create_linked, self.sources.reauthorized)
        self.models = Models(engine, self.sources)
        self.syncs = Syncs(engine, self.sources, self.models, self.model)
        self.runs = SyncRuns(engine, self.syncs)
        self.views = Views(self.sources, self.models, self.syncs, self.runs)
        self.answers = EncodedAnswers(engine.store, now=engine.clock.now)  # the polled answers, kept while the store does not change
        self.handlers = {
            **build_handlers(self.model, self.answers),
            **link_handlers(self.links),
            **link_handlers(self.source_links),
            **page_handler([self.links, self.source_links]),
            **build_sync_handlers(self.sources, self.models, self.syncs, self.runs, self.answers),
        }
        self._secret_ids = SecretNames(self.catalogue.secret_ids | self.sources.types.secret_ids)
        self._init_workspace = workspace.initialiser(engine)
        # Authorization header -> its workspace key, for headers that gave one: a pure function of the
        # header, asked again on every poll (parsing Bearer or Basic was most of Census's own time in one).
        self._keys: dict[str, str] = {}

    def authenticate(self, request: web.Request) -> TenantState:
        if rk.exchange(request).operation == LINK_PAGE:  # opened by the end user: the link's auth says whose
            return opened([self.links, self.source_links], request.query.get("auth", ""))[1]
        header = request.headers.get("Authorization", "")
        key = self._keys.get(header)
        if key is None:
            key = workspace_key(request)
            if not self.tenant_key(key):
                raise Unauthorized("empty workspace key")
            if len(self._keys) >= KNOWN_HEADERS:
                self._keys.clear()
            self._keys[header] = key
        return self.tenant_for(key, self._init_workspace)

    def tenant_key(self, token: str) -> str:
        return token[len(KEY_PREFIX) :] if token.startswith(KEY_PREFIX) else token

    def render_error(self, error: DomainError, operation: Operation | None) -> Reply:
        return errors.render(error, operation)

    def probe(self, tenant: TenantState) -> Iterable[tuple[str, Any]]:
        yield "fetchAuthenticatedWorkspace", {"status": "success", "data": workspace.view(tenant)}
        for record in self.model.destinations(tenant):
            yield "fetchDestination", {"status": "success", "data": serializers.destination(record, self.model.connector_of(record))}
        for refresh in self.model.refreshes.records.list(tenant):
            yield "fetchDestinationObjectsRefreshStatus", {"status": refresh["status"]}
        for refresh in self.sources.refreshes.records.list(tenant):
            yield "fetchSourceTablesRefreshStatus", {"status": refresh["status"]}
        now, origin = self.engine.clock.now(), URL("http://127.0.0.1")
        for links in (self.links, self.source_links):
            for link in links.all(tenant):
                shown = serializers.connect_link(link, now, origin, links.owner_field)
                yield f"fetch{links.kind.capitalize()}ConnectLink", {"status": "success", "data": shown}
        for source in self.sources.all(tenant):
            yield "fetchSource", {"status": "success", "data": self.views.source(source)}
            for model in self.models.of_source(tenant, source["id"]):
                yield "fetchModel", {"status": "success", "data": self.views.model(tenant, model)}
        for sync in self.syncs.all(tenant):
            yield "fetchSync", {"status": "success", "data": self.views.sync(tenant, sync)}
        for run in self.runs.records.list(tenant):
            yield "fetchSyncRun", {"status": "success", "data": sync_serializers.sync_run(run)}

    def mask(self, body: Any) -> Any:
        """Password-type credentials (and secret custom headers) never reach the journal."""
        if body is None:
            return None
        # Destinations send `service_connection`, sources `connection`.
        key = "service_connection" if isinstance(body, dict) and "service_connection" in body else "connection"
        connection = body.get(key) if isinstance(body, dict) else None
        creds = connection.get("credentials") if isinstance(connection, dict) else None
        if not isinstance(creds, dict):
            return mask_secrets(body, self._secret_ids)
        # Mask inside `credentials` (the base rule would hide the whole object, as its name is secret-like).
        inner = mask_secrets({k: v for k, v in creds.items() if k != "custom_headers"}, self._secret_ids)
        if "custom_headers" in creds:
            inner["custom_headers"] = masked_headers(creds["custom_headers"])
        assert isinstance(connection, dict)  # implied by `creds` being a dict
        outer = mask_secrets({**body, key: {k: v for k, v in connection.items() if k != "credentials"}})
        outer[key]["credentials"] = inner
        return outer


def create(engine: Engine, settings: Settings, spec: VendorSpec) -> CensusVendor:
    return CensusVendor(engine, settings, spec)


__all__ = ["create", "CensusVendor"]
