"""Portable handlers, keyed by operation id: HTTP in, model call, Portable-shaped JSON out."""

from __future__ import annotations

from typing import Any, Sequence

from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.base import Handler, Reply, RequestContext
from mockserver.vendors.portable import serializers
from mockserver.vendors.portable.serializers import Render
from mockserver.vendors.portable.catalogue import Catalogue
from mockserver.vendors.portable.flows import Flows
from mockserver.vendors.portable.models import SpecRecords
from mockserver.vendors.portable.runs import FlowRuns

DEFAULT_LIMIT = 100  # as Portable documents for its one paginated list (flow run attempts)



def page(items: Sequence[Any], query: dict[str, Any]) -> list[Any]:
    """`limit`/`offset` pagination; the spec has already held both to their bounds."""
    offset = int(query.get("offset", 0))
    limit = int(query.get("limit", DEFAULT_LIMIT))
    return list(items[offset : offset + limit])


def spec_record_handlers(model: SpecRecords, render: Render, plural: str) -> dict[str, Handler]:
    """create/list/get/update/delete for destinations or sources (`plural`: "Destinations")."""
    singular = plural[:-1]
    spec_field = model.kind.spec_field

    def shown(record: dict[str, Any]) -> dict[str, Any]:
        return render(record, model.spec_of(record), wire=True)

    def create(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = model.create(ctx.tenant, body[spec_field], body.get("displayName"), body.get("properties"))
        return Reply(201, {"data": shown(record)})

    def listing(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": [shown(r) for r in page(model.all(ctx.tenant), ctx.query)]})

    def get(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": shown(model.get(ctx.tenant, ctx.path["id"]))})

    def update(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = model.update(
            ctx.tenant,
            ctx.path["id"],
            display_name=body.get("displayName"),
            properties=body.get("properties"),
            spec_name=body.get(spec_field),
        )
        return Reply(200, {"data": shown(record)})

    def delete(ctx: RequestContext) -> Reply:
        model.delete(ctx.tenant, ctx.path["id"])
        return Reply(200, {"message": "OK"})

    return {
        f"create{singular}": create,
        f"list{plural}": listing,
        f"get{singular}": get,
        f"update{singular}": update,
        f"delete{singular}": delete,
    }


def spec_handlers(catalogue: Catalogue, model: SpecRecords, plural: str) -> dict[str, Handler]:
    """The catalogue's summaries and one spec by name (`plural`: "DestinationSpecs")."""

    def listing(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": [s.summary() for s in page(catalogue.ordered, ctx.query)]})

    def get(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": model.spec(ctx.path["name"]).to_json()})

    return {f"list{plural}": listing, f"get{plural[:-1]}": get}


def flow_handlers(flows: Flows, runs: FlowRuns, answers: EncodedAnswers) -> dict[str, Handler]:
    def create(ctx: RequestContext) -> Reply:
        return Reply(201, {"data": serializers.flow(flows.create(ctx.tenant, ctx.body))})

    def listing(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": [serializers.flow(f) for f in page(flows.all(ctx.tenant), ctx.query)]})

    def get(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": serializers.flow(flows.get(ctx.tenant, ctx.path["id"]))})

    def update(ctx: RequestContext) -> Reply:
        return Reply(200, {"data": serializers.flow(flows.update(ctx.tenant, ctx.path["id"], ctx.body))})

    def delete(ctx: RequestContext) -> Reply:
        flows.delete(ctx.tenant, ctx.path["id"])
        return Reply(200, {"message": "OK"})

    def run(ctx: RequestContext) -> Reply:
        runs.trigger(ctx.tenant, ctx.path["id"])
        return Reply(201, {"message": "Created"})

    def attempts(ctx: RequestContext) -> Reply:
        flows.get(ctx.tenant, ctx.path["id"])
        history = runs.history(ctx.tenant, ctx.path["id"])
        if ctx.query.get("sort", "desc") == "desc":
            history.reverse()
        return Reply(200, {"data": [serializers.run_attempt(a) for a in page(history, ctx.query)]})

    def status(ctx: RequestContext) -> Reply:
        """Polled by every orchestrator while a run goes on: kept encoded until the store changes."""
        flow_id = ctx.path["id"]
        flows.get(ctx.tenant, flow_id)
        return answers.reply(("getFlowStatus", ctx.tenant.key, flow_id),
                             lambda: serializers.flow_status(flow_id, runs.latest(ctx.tenant, flow_id)))

    def cancel(ctx: RequestContext) -> Reply:
        runs.cancel(ctx.tenant, ctx.path["id"])
        return Reply(200, {"message": "OK"})

    return {
        "createFlow": create,
        "listFlows": listing,
        "getFlow": get,
        "updateFlow": update,
        "deleteFlow": delete,
        "runFlow": run,
        "getRunAttempts": attempts,
        "getFlowStatus": status,
        "cancelFlow": cancel,
    }
