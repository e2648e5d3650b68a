"""Census handlers, keyed by operation id: HTTP in, model call, Census-shaped JSON out."""

from __future__ import annotations

from typing import Any

from yarl import URL

from mockserver.vendors.base import Handler, Reply, RequestContext
from mockserver.vendors.census import serializers, workspace
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.census.models import CensusModel
from mockserver.vendors.census.pagination import page_of
from mockserver.vendors.census.refreshes import OBJECTS


def origin(ctx: RequestContext) -> URL:
    """Scheme and host the client called, for the `next` and connect-link URLs."""
    return ctx.request.url.origin()


def ok(data: Any, status: str = "success", code: int = 200) -> Reply:
    return Reply(code, {"status": status, "data": data})


def build_handlers(model: CensusModel, answers: EncodedAnswers) -> dict[str, Handler]:
    def show(record: dict[str, Any]) -> dict[str, Any]:
        return serializers.destination(record, model.connector_of(record), wire=True)

    def destination_id(ctx: RequestContext) -> int:
        return int(ctx.path["destination_id"])

    def list_destinations(ctx: RequestContext) -> Reply:
        # The page depends on the tenant's records and the URL (its query, and the host `next` names).
        url = ctx.request.url
        return answers.reply(("listDestinations", ctx.tenant.key, url),
                             lambda: page_of(model.destinations(ctx.tenant), ctx.query, url, show))

    def get_destination(ctx: RequestContext) -> Reply:
        return answers.reply(("fetchDestination", ctx.tenant.key, destination_id(ctx)),
                             lambda: {"status": "success", "data": show(model.destination(ctx.tenant, destination_id(ctx)))})

    def create_destination(ctx: RequestContext) -> Reply:
        connection = ctx.body["service_connection"]
        record = model.create(ctx.tenant, connection["type"], connection.get("name"), connection.get("credentials") or {})
        return ok(show(record), "created", 201)

    def update_destination(ctx: RequestContext) -> Reply:
        connection = ctx.body["service_connection"]
        record = model.update(
            ctx.tenant,
            destination_id(ctx),
            name=connection.get("name"),
            given=connection.get("credentials"),
            type_name=connection.get("type"),
        )
        return ok(show(record), "updated")

    def delete_destination(ctx: RequestContext) -> Reply:
        model.delete(ctx.tenant, destination_id(ctx))
        return Reply(200, {"status": "deleted"})

    def list_objects(ctx: RequestContext) -> Reply:
        connector = model.connector_of(model.destination(ctx.tenant, destination_id(ctx)))
        return Reply(200, page_of(connector.objects, ctx.query, ctx.request.url))

    def get_object(ctx: RequestContext) -> Reply:
        return ok(model.object(ctx.tenant, destination_id(ctx), ctx.path["object_full_name"]))

    def objects_of(ctx: RequestContext) -> tuple[int, str]:
        return model.destination(ctx.tenant, destination_id(ctx))["id"], OBJECTS

    def fields_of(ctx: RequestContext) -> tuple[int, str]:
        found = model.object(ctx.tenant, destination_id(ctx), ctx.path["object_full_name"])
        return destination_id(ctx), f"fields {found['full_name']}"

    refresh_objects, objects_refresh_status = model.refreshes.endpoints(objects_of)
    refresh_fields, fields_refresh_status = model.refreshes.endpoints(fields_of)

    def list_connectors(ctx: RequestContext) -> Reply:
        return Reply(200, page_of(model.catalogue.ordered, ctx.query, ctx.request.url, serializers.connector))

    def get_connector(ctx: RequestContext) -> Reply:
        return ok(serializers.connector(model.connector(ctx.path["service_name"])))

    def fetch_workspace(ctx: RequestContext) -> Reply:
        return ok(workspace.view(ctx.tenant))

    return {
        "fetchAuthenticatedWorkspace": fetch_workspace,
        "listDestinations": list_destinations,
        "fetchDestination": get_destination,
        "createDestination": create_destination,
        "updateDestination": update_destination,
        "deleteDestination": delete_destination,
        "listDestinationObjects": list_objects,
        "fetchDestinationObject": get_object,
        "refreshDestinationObjects": refresh_objects,
        "fetchDestinationObjectsRefreshStatus": objects_refresh_status,
        "refreshDestinationObjectFields": refresh_fields,
        "fetchDestinationObjectFieldsRefreshStatus": fields_refresh_status,
        "listConnectors": list_connectors,
        "fetchConnector": get_connector,
    }
