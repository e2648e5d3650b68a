"""Connect links (Census Embedded), for destinations and for sources alike: created for a type,
or to reauthorize one existing connection; they expire, can be revoked, and are completed once,
when the link's page is opened (the mock stands in for the end user).

A link expires 24 hours after creation on the engine's clock; `expired` is computed from the clock
each time the link is shown, so no job is needed. Revoking is idempotent. The link's secret is an
`auth` token; its `uri` is built when shown, on the host the request came to (see serializers).
Completing a link for a type makes a connection of that type (`make`); completing a
reauthorization link re-enters the credentials of the connection it names (`reauthorize`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis, parse_iso
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.census.catalogue import Catalogue

LIFETIME = timedelta(hours=24)
LINK_ID_START = 469
SEQUENCE = "connect_links"  # one id sequence for both kinds [infer]

# A connection (destination or source) by id, as found or changed: the vendor's not-found when missing.
Connection = Callable[[TenantState, int], dict[str, Any]]


class ConnectLinks:
    """The links of one kind: `kind` is "destination" (types from /connectors) or "source" (types from
    /source_types); a link names its connection in `<kind>_id`."""

    def __init__(self, engine: Engine, kind: str, types: Catalogue, resource: str, lookup: Connection,
                 make: Callable[[TenantState, str], dict[str, Any]], reauthorize: Connection) -> None:
        self.engine = engine
        self.kind = kind
        self.owner_field = f"{kind}_id"
        self.types = types
        self.lookup = lookup  # a connection of this kind by id, or its vendor's not-found
        self.make = make
        self.reauthorize = reauthorize
        self.records = engine.resources.declare(
            ResourceType(
                vendor="census",
                name=resource,
                id_start=LINK_ID_START,
                sequence=SEQUENCE,
                order=lambda r: (r["created_at"], r["id"]),
                missing=lambda link_id: NotFound(f"no connect link {link_id}", code="connect_link"),
            )
        )

    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, link_id: int) -> dict[str, Any]:
        return self.records.get(tenant, link_id)

    def create(self, tenant: TenantState, type_name: str, redirect_uri: str | None) -> dict[str, Any]:
        found = self.types.get(type_name)
        if found is None:
            raise Invalid(f"Invalid {self.kind} type: {type_name}", code="type")
        if not found.creatable_via_connect_link:
            raise Invalid(f"{self.kind.capitalize()}s of type {type_name} cannot be created via connect link", code="type")
        return self._insert(tenant, type_name, redirect_uri, None)

    def for_existing(self, tenant: TenantState, owner_id: int, redirect_uri: str | None) -> dict[str, Any]:
        """A link to reauthorize one connection: its type, and its id at once."""
        record = self.lookup(tenant, owner_id)
        return self._insert(tenant, record["type"], redirect_uri, record["id"])

    def _insert(self, tenant: TenantState, type_name: str, redirect_uri: str | None, owner: int | None) -> dict[str, Any]:
        now = self.engine.clock.now()
        link = {
            "id": self.records.new_id(),
            "type": type_name,
            "created_at": iso_millis(now),
            "expiration": iso_millis(now + LIFETIME),
            "revoked": False,
            "redirect_uri": redirect_uri,
            self.owner_field: owner,
            "reauthorizes": owner is not None,
            "completed_at": None,
            "auth": self.engine.random.token(24),
        }
        return self.records.create(tenant, link)

    def revoke(self, tenant: TenantState, link_id: int) -> dict[str, Any]:
        return self.records.update(tenant, link_id, revoked=True)

    def find_auth(self, auth: str) -> tuple[TenantState, dict[str, Any]] | None:
        """The link this `auth` opens, with its workspace: the page is opened without an API key."""
        return self.records.locate(lambda link: link["auth"] == auth)

    def complete(self, tenant: TenantState, link: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The end user finishes the link's flow: the link, and the connection it made or reauthorized.
        A link is used once; a revoked or expired one not at all."""
        if link["revoked"]:
            raise Invalid("This connect link has been revoked", code="connect_link")
        if self.engine.clock.now() >= parse_iso(link["expiration"]):
            raise Invalid("This connect link has expired", code="connect_link")
        if link.get("completed_at") is not None or (not link.get("reauthorizes") and link[self.owner_field] is not None):
            raise Invalid("This connect link has already been used", code="connect_link")
        if link.get("reauthorizes"):
            owner = self.reauthorize(tenant, link[self.owner_field])
        else:
            owner = self.make(tenant, link["type"])
        completed = iso_millis(self.engine.clock.now())
        return self.records.update(tenant, link["id"], **{self.owner_field: owner["id"], "completed_at": completed}), owner


def opened(kinds: list[ConnectLinks], auth: str) -> tuple[ConnectLinks, TenantState, dict[str, Any]]:
    """The link (of any kind) this `auth` opens, with its kind and workspace: the page needs no API key."""
    for links in kinds:
        found = links.find_auth(auth)
        if found is not None:
            return links, found[0], found[1]
    raise NotFound("no connect link with this auth", code="connect_link")
