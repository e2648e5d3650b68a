"""Portable handlers, keyed by operation id: HTTP in, model call, Portable-shaped JSON out."""

from __future__ import annotations

from typing import Any, Sequence

from mockserver.vendors.base import Handler, Reply, RequestContext
from mockserver.vendors.portable import serializers
from mockserver.vendors.portable.models import PortableModel

DEFAULT_LIMIT = 100  # as Portable documents for its one paginated list (flow run attempts)


def page(items: Sequence[Any], query: dict[str, Any]) -> list[Any]:
    """`limit`/`offset` pagination; the spec has already held both to their bounds."""
    offset = int(query.get("offset", 0))
    limit = int(query.get("limit", DEFAULT_LIMIT))
    return list(items[offset : offset + limit])


def build_handlers(model: PortableModel) -> dict[str, Handler]:
    def render(record: dict[str, Any]) -> dict[str, Any]:
        return serializers.destination(record, model.spec_of(record))

    def create(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = model.create(ctx.tenant, body["destinationSpec"], body.get("displayName"), body.get("properties"))
        return Reply(201, {"data": render(record)})

    def list_destinations(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": [render(r) for r in page(model.destinations(ctx.tenant), dict(ctx.query))]})

    def get_destination(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": render(model.destination(ctx.tenant, ctx.path["id"]))})

    def update(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = model.update(
            ctx.tenant,
            ctx.path["id"],
            display_name=body.get("displayName"),
            properties=body.get("properties"),
            spec_name=body.get("destinationSpec"),
        )
        return Reply(200, {"data": render(record)})

    def delete(ctx: RequestContext) -> Reply:
        model.delete(ctx.tenant, ctx.path["id"])
        return Reply(200, {"message": "OK"})

    def list_specs(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": [s.summary() for s in page(model.catalogue.ordered, dict(ctx.query))]})

    def get_spec(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": model.spec(ctx.path["name"]).to_json()})

    return {
        "createDestination": create,
        "listDestinations": list_destinations,
        "getDestination": get_destination,
        "updateDestination": update,
        "deleteDestination": delete,
        "listDestinationSpecs": list_specs,
        "getDestinationSpec": get_spec,
    }
