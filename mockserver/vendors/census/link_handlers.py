"""Handlers for connect links of both kinds (destination and source) and for the page a link's
`uri` opens: one set, built per kind from its `ConnectLinks` and the lookup of its connections."""

from __future__ import annotations

from typing import Any, Callable

from mockserver.engine.errors import NotFound
from mockserver.engine.store import TenantState
from mockserver.vendors.base import Handler, Reply, RequestContext, redirect
from mockserver.vendors.census import serializers
from mockserver.vendors.census.handlers import ok, origin
from mockserver.vendors.census.links import ConnectLinks
from mockserver.vendors.census.pagination import page_of

# A kind's connection by id (its vendor's "no such record" when missing).
Lookup = Callable[[TenantState, int], dict[str, Any]]


def link_handlers(links: ConnectLinks, lookup: Lookup) -> dict[str, Handler]:
    kind = links.kind.capitalize()

    def view(ctx: RequestContext) -> Any:
        now, base = ctx.engine.clock.now(), origin(ctx)
        return lambda link: serializers.connect_link(link, now, base, links.owner_field)

    def list_links(ctx: RequestContext) -> Reply:
        return Reply(200, page_of(links.all(ctx.tenant), ctx.query, ctx.request.url, view(ctx)))

    def create_link(ctx: RequestContext) -> Reply:
        return ok(view(ctx)(links.create(ctx.tenant, ctx.body["type"], ctx.body.get("redirect_uri"))), "created", 201)

    def reauthorization_link(ctx: RequestContext) -> Reply:
        record = lookup(ctx.tenant, int(ctx.path[links.owner_field]))
        body = ctx.body or {}
        return ok(view(ctx)(links.for_existing(ctx.tenant, record, body.get("redirect_uri"))), "created", 201)

    def get_link(ctx: RequestContext) -> Reply:
        return ok(view(ctx)(links.get(ctx.tenant, int(ctx.path["connect_link_id"]))))

    def revoke_link(ctx: RequestContext) -> Reply:
        return ok(view(ctx)(links.revoke(ctx.tenant, int(ctx.path["connect_link_id"]))))

    return {
        f"list{kind}ConnectLinks": list_links,
        f"create{kind}ConnectLink": create_link,
        f"fetch{kind}ConnectLink": get_link,
        f"revoke{kind}ConnectLink": revoke_link,
        f"create{kind}ReauthorizationLink": reauthorization_link,
    }


def page_handler(kinds: list[tuple[ConnectLinks, Lookup]]) -> dict[str, Handler]:
    """`GET /pbc?auth=...`: the end user completes whichever link the auth opens; then a redirect to
    the link's `redirect_uri`, or a page naming the connection."""

    def complete_link(ctx: RequestContext) -> Reply:
        auth = ctx.query["auth"]
        for links, lookup in kinds:
            found = links.find_auth(auth)
            if found is not None and found[0] is ctx.tenant:
                link = links.complete(ctx.tenant, found[1])
                if link["redirect_uri"]:
                    return redirect(link["redirect_uri"])
                record = lookup(ctx.tenant, link[links.owner_field])
                page = serializers.link_completed_page(links.kind, record)
                return Reply(200, page, headers={"Content-Type": "text/html; charset=utf-8"})
        raise NotFound("no connect link with this auth", code="connect_link")

    return {"completeConnectLink": complete_link}


def tenant_of_link(kinds: list[ConnectLinks], auth: str) -> TenantState:
    """The workspace whose link (of any kind) this `auth` opens: the page needs no API key."""
    for links in kinds:
        found = links.find_auth(auth)
        if found is not None:
            return found[0]
    raise NotFound("no connect link with this auth", code="connect_link")
