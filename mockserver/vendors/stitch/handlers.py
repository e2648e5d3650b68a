"""Stitch handlers, keyed by operation id: HTTP in, model call, Stitch-shaped JSON out."""

from __future__ import annotations

from typing import Any, Callable

from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.store import TenantState
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.base import Handler, Reply, RequestContext
from mockserver.vendors.stitch import serializers
from mockserver.vendors.stitch.models import StitchModel

V3_INVALID = "body must be a map with type = redshift, postgres, or snowflake. required-keys = type, connection"
LIST_PARAMS = ("source_id", "destination_id")


# The destination a source loads into (None: none, or no such source), for `?source_id=`.
MappedDestination = Callable[[TenantState, int], "int | None"]


def build_handlers(model: StitchModel, mapped_destination: MappedDestination, answers: EncodedAnswers) -> dict[str, Handler]:
    def v4(ctx: RequestContext, record: dict[str, Any]) -> dict[str, Any]:
        return serializers.destination_v4(record, model.dtype_of(record), ctx.tenant.attrs["stitch_client_id"])

    def v3(record: dict[str, Any]) -> dict[str, Any]:
        return serializers.destination_v3(record, model.dtype_of(record))

    def create_v4(ctx: RequestContext) -> Reply:
        body = ctx.body
        dtype = model.creatable_type(body["type"])
        record = model.create(
            ctx.tenant,
            dtype,
            body["properties"],
            name=body.get("name"),
            description=body.get("description"),
            ignore_unmapped_sources=body.get("ignore_unmapped_sources", False),
        )
        return Reply(200, v4(ctx, record))

    def list_v4(ctx: RequestContext) -> Reply:
        if any(key not in LIST_PARAMS for key in ctx.request.query):
            raise Invalid("GET may only include the params: source_id and/or destination_id", code="params")

        def render() -> list[dict[str, Any]]:
            records = model.destinations(ctx.tenant)
            if "destination_id" in ctx.query:
                records = [r for r in records if r["id"] == int(ctx.query["destination_id"])]
            if "source_id" in ctx.query:
                mapped = mapped_destination(ctx.tenant, int(ctx.query["source_id"]))
                records = [r for r in records if r["id"] == mapped]
            return [v4(ctx, r) for r in records]

        # Polled by clients waiting on a check: kept encoded until the store changes.
        return answers.reply(("list-destinations-v4", ctx.tenant.key, tuple(sorted(ctx.query.items()))), render)

    def update_v4(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = model.update(
            ctx.tenant,
            int(ctx.path["destination_id"]),
            body["properties"],
            type_name=body.get("type"),
            name=body.get("name"),
            description=body.get("description"),
        )
        return Reply(200, v4(ctx, record))

    def delete_v4(ctx: RequestContext) -> Reply:
        model.delete(ctx.tenant, int(ctx.path["destination_id"]))
        return Reply(200, {})

    def last_check(ctx: RequestContext) -> Reply:
        return Reply(200, serializers.connection_check(model.last_check(ctx.tenant, int(ctx.path["destination_id"]))))

    def list_types(ctx: RequestContext) -> Reply:
        return Reply(200, [t.report_card(set(), False, with_details=True) for t in model.catalogue.ordered])

    def get_type(ctx: RequestContext) -> Reply:
        dtype = model.catalogue.get(ctx.path["destination_type"])
        if dtype is None:
            raise NotFound(f"destination type not found: {ctx.path['destination_type']}", code="type")
        return Reply(200, dtype.report_card(set(), False, with_details=True))

    def create_v3(ctx: RequestContext) -> Reply:
        dtype = model.creatable_type(ctx.body["type"], invalid_message=V3_INVALID)
        record = model.create(ctx.tenant, dtype, ctx.body["connection"])
        return Reply(200, v3(record))

    def update_v3(ctx: RequestContext) -> Reply:
        record = model.update(
            ctx.tenant, int(ctx.path["destination_id"]), ctx.body["connection"], type_name=ctx.body["type"], replace=True
        )
        return Reply(200, v3(record))

    def list_v3(ctx: RequestContext) -> Reply:
        return Reply(200, [v3(r) for r in model.destinations(ctx.tenant)])

    return {
        "create-a-destination-v4": create_v4,
        "list-destinations-v4": list_v4,
        "update-a-destination-v4": update_v4,
        "delete-a-destination-v4": delete_v4,
        "get-destination-last-connection-check": last_check,
        "list-destination-types": list_types,
        "get-a-destination-type": get_type,
        "create-a-destination-v3": create_v3,
        "update-a-destination-v3": update_v3,
        "list-destinations-v3": list_v3,
    }
