"""Handlers for connect links of both kinds (destination and source) and for the page a link's
`uri` opens: one set, built per kind from its `ConnectLinks`."""

from __future__ import annotations

from typing import Any

from mockserver.vendors.base import Handler, Reply, RequestContext, redirect
from mockserver.vendors.census import serializers
from mockserver.vendors.census.handlers import ok, origin
from mockserver.vendors.census.links import ConnectLinks, opened
from mockserver.vendors.census.pagination import page_of


def link_handlers(links: ConnectLinks) -> dict[str, Handler]:
    kind = links.kind.capitalize()

    def view(ctx: RequestContext) -> Any:
        now, base = ctx.engine.clock.now(), origin(ctx)
        return lambda link: serializers.connect_link(link, now, base, links.owner_field)

    def list_links(ctx: RequestContext) -> Reply:
        return Reply(200, page_of(links.all(ctx.tenant), ctx.query, ctx.request.url, view(ctx)))

    def create_link(ctx: RequestContext) -> Reply:
        return ok(view(ctx)(links.create(ctx.tenant, ctx.body["type"], ctx.body.get("redirect_uri"))), "created", 201)

    def reauthorization_link(ctx: RequestContext) -> Reply:
        link = links.for_existing(ctx.tenant, int(ctx.path[links.owner_field]), (ctx.body or {}).get("redirect_uri"))
        return ok(view(ctx)(link), "created", 201)

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


def page_handler(kinds: list[ConnectLinks]) -> dict[str, Handler]:
    """`GET /pbc?auth=...`: the end user completes whichever link the auth opens (the vendor's
    `authenticate` found its workspace the same way); then a redirect to the link's `redirect_uri`,
    or a page naming the connection."""

    def complete_link(ctx: RequestContext) -> Reply:
        links, _, link = opened(kinds, ctx.query["auth"])
        link, connection = links.complete(ctx.tenant, link)
        if link["redirect_uri"]:
            return redirect(link["redirect_uri"])
        page = serializers.link_completed_page(links.kind, connection)
        return Reply(200, page, headers={"Content-Type": "text/html; charset=utf-8"})

    return {"completeConnectLink": complete_link}
