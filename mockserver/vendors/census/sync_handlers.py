"""Census handlers for source types, sources, source objects, models (and datasets, their newer
name), syncs and sync runs."""

from __future__ import annotations

from typing import Any

from mockserver.engine.errors import Invalid
from mockserver.engine.store import TenantState
from mockserver.vendors.base import Handler, Reply, RequestContext
from mockserver.vendors.census import sync_serializers as show
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.census.handlers import ok
from mockserver.vendors.census.pagination import page_of
from mockserver.vendors.census.sources import Sources
from mockserver.vendors.census.sqlmodels import Models
from mockserver.vendors.census.sync_runs import SyncRuns
from mockserver.vendors.census.syncs import Syncs

DELETED = Reply(200, {"status": "deleted"})




class Views:
    """Records to JSON, with what each needs from its neighbours (a model's columns, a sync's status)."""

    def __init__(self, sources: Sources, models: Models, syncs: Syncs, runs: SyncRuns) -> None:
        self.sources, self.models, self.syncs, self.runs = sources, models, syncs, runs

    def source(self, record: dict[str, Any]) -> dict[str, Any]:
        return show.source(record, self.sources.type_of(record))

    def model(self, tenant: TenantState, record: dict[str, Any]) -> dict[str, Any]:
        return show.model(record, self.models.columns(self.sources.get(tenant, record["source_id"]), record))

    def sync(self, tenant: TenantState, record: dict[str, Any]) -> dict[str, Any]:
        source, found = self.syncs.source_object(tenant, record)
        shown = self.model(tenant, found) if record["source_object"]["type"] == "model" else found
        return show.sync(record, shown, self.runs.sync_status(tenant, record["id"]))

    def objects(self, tenant: TenantState, source: dict[str, Any]) -> list[dict[str, Any]]:
        """Tables in catalogue order, then models oldest first: "creation order" for the pager."""
        models = self.models.of_source(tenant, source["id"])
        return [*self.sources.tables(source), *(self.model(tenant, m) for m in models)]


def build_sync_handlers(
    sources: Sources, models: Models, syncs: Syncs, runs: SyncRuns, answers: EncodedAnswers
) -> dict[str, Handler]:
    views = Views(sources, models, syncs, runs)

    def page(ctx: RequestContext, items: Any, render: Any = lambda item: item) -> Reply:
        return Reply(200, page_of(items, ctx.query, ctx.request.url, render))

    # -- source types and sources --------------------------------------------------------------------
    def list_source_types(ctx: RequestContext) -> Reply:
        return page(ctx, sources.types.ordered, lambda t: t.answer)

    def get_source_type(ctx: RequestContext) -> Reply:
        return ok(sources.source_type(ctx.path["service_name"]).answer)

    def list_sources(ctx: RequestContext) -> Reply:
        return page(ctx, sources.all(ctx.tenant), views.source)

    def create_source(ctx: RequestContext) -> Reply:
        given = ctx.body["connection"]
        record = sources.create(ctx.tenant, given["type"], given.get("label"), given.get("credentials") or {},
                                bool(given.get("read_only_connection", False)))
        return ok(views.source(record), "created", 201)

    def get_source(ctx: RequestContext) -> Reply:
        return ok(views.source(sources.get(ctx.tenant, ctx.path["source_id"])))

    def update_source(ctx: RequestContext) -> Reply:
        return ok(views.source(sources.update(ctx.tenant, ctx.path["source_id"], ctx.body["connection"])), "updated")

    def delete_source(ctx: RequestContext) -> Reply:
        sources.delete(ctx.tenant, ctx.path["source_id"])
        return DELETED

    def list_source_objects(ctx: RequestContext) -> Reply:
        return page(ctx, views.objects(ctx.tenant, sources.get(ctx.tenant, ctx.path["source_id"])))

    def get_table(ctx: RequestContext) -> Reply:
        return ok(sources.served_table(ctx.tenant, ctx.path["source_id"], ctx.path["table_id"])[1])

    # -- refreshes: the source's tables, a table's or a model's columns ------------------------------
    def tables_of(ctx: RequestContext) -> tuple[int, str]:
        return sources.get(ctx.tenant, ctx.path["source_id"])["id"], "tables"

    def table_columns_of(ctx: RequestContext) -> tuple[int, str]:
        source, table = sources.served_table(ctx.tenant, ctx.path["source_id"], ctx.path["table_id"])
        return source["id"], f"columns table {table['id']}"

    def model_columns_of(ctx: RequestContext) -> tuple[int, str]:
        model = models.get(ctx.tenant, ctx.path["source_id"], ctx.path["model_id"])
        return model["source_id"], f"columns model {model['id']}"

    refresh_tables, tables_refresh_status = sources.refreshes.endpoints(tables_of)
    refresh_table_columns, table_columns_refresh_status = sources.refreshes.endpoints(table_columns_of)
    refresh_model_columns, model_columns_refresh_status = sources.refreshes.endpoints(model_columns_of)

    # -- models --------------------------------------------------------------------------------------
    def list_models(ctx: RequestContext) -> Reply:
        return page(ctx, models.of_source(ctx.tenant, ctx.path["source_id"]), lambda m: views.model(ctx.tenant, m))

    def create_model(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = models.create(ctx.tenant, ctx.path["source_id"], body["name"], body["query"], body.get("description"))
        return ok(views.model(ctx.tenant, record), "created", 201)

    def get_model(ctx: RequestContext) -> Reply:
        return ok(views.model(ctx.tenant, models.get(ctx.tenant, ctx.path["source_id"], ctx.path["model_id"])))

    def update_model(ctx: RequestContext) -> Reply:
        record = models.update(ctx.tenant, ctx.path["source_id"], ctx.path["model_id"], ctx.body)
        return ok(views.model(ctx.tenant, record), "updated")

    def delete_model(ctx: RequestContext) -> Reply:
        models.delete(ctx.tenant, ctx.path["source_id"], ctx.path["model_id"])
        return DELETED

    # -- datasets: the same models, by id alone -------------------------------------------------------
    def list_datasets(ctx: RequestContext) -> Reply:
        listed = models.all(ctx.tenant) if ctx.query.get("type", "sql") == "sql" else []  # every dataset is SQL
        return page(ctx, listed, show.dataset)

    def create_dataset(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = models.create(ctx.tenant, body["source_id"], body["name"], body["query"], body.get("description"))
        return ok(show.dataset(record), "created", 201)

    def get_dataset(ctx: RequestContext) -> Reply:
        return ok(show.dataset(models.dataset(ctx.tenant, ctx.path["dataset_id"])))

    def update_dataset(ctx: RequestContext) -> Reply:
        found = models.dataset(ctx.tenant, ctx.path["dataset_id"])
        if ctx.body.get("source_id", found["source_id"]) != found["source_id"]:
            raise Invalid(f"The source of a dataset cannot be changed (it is {found['source_id']})", code="dataset_source")
        changes = {k: v for k, v in ctx.body.items() if k != "source_id"}
        return ok(show.dataset(models.update(ctx.tenant, found["source_id"], found["id"], changes)), "updated")

    def delete_dataset(ctx: RequestContext) -> Reply:
        found = models.dataset(ctx.tenant, ctx.path["dataset_id"])
        models.delete(ctx.tenant, found["source_id"], found["id"])
        return DELETED

    def dataset_columns_of(ctx: RequestContext) -> tuple[int, str]:
        found = models.dataset(ctx.tenant, ctx.path["dataset_id"])
        return found["source_id"], f"columns model {found['id']}"  # one refresh for a model and its dataset

    refresh_dataset_columns, dataset_columns_refresh_status = sources.refreshes.endpoints(dataset_columns_of)

    # -- syncs and runs ------------------------------------------------------------------------------
    def list_syncs(ctx: RequestContext) -> Reply:
        return page(ctx, syncs.all(ctx.tenant), lambda s: views.sync(ctx.tenant, s))

    def create_sync(ctx: RequestContext) -> Reply:
        record = syncs.create(ctx.tenant, ctx.body)
        if record is None:  # validate_only
            return ok({})
        runs.schedule.reschedule(ctx.tenant, record)
        return ok({"sync_id": record["id"]}, "created", 201)

    def get_sync(ctx: RequestContext) -> Reply:
        return ok(views.sync(ctx.tenant, syncs.get(ctx.tenant, ctx.path["sync_id"])))

    def update_sync(ctx: RequestContext) -> Reply:
        record = syncs.update(ctx.tenant, ctx.path["sync_id"], ctx.body)
        runs.schedule.reschedule(ctx.tenant, record)  # a new frequency, time or pause
        return ok(views.sync(ctx.tenant, record), "updated")

    def delete_sync(ctx: RequestContext) -> Reply:
        syncs.delete(ctx.tenant, ctx.path["sync_id"])
        return DELETED

    def trigger_sync(ctx: RequestContext) -> Reply:
        # Query and JSON body both may carry force_full_sync (Rails merges them; the query wins).
        body = ctx.body if isinstance(ctx.body, dict) else {}
        force = ctx.query.get("force_full_sync", body.get("force_full_sync", False))
        run = runs.trigger(ctx.tenant, ctx.path["sync_id"], bool(force))
        return ok({"sync_run_id": run["id"]})

    def list_sync_runs(ctx: RequestContext) -> Reply:
        return page(ctx, runs.of_sync(ctx.tenant, ctx.path["sync_id"]), show.sync_run)

    def get_sync_run(ctx: RequestContext) -> Reply:  # what dagster-census and Airflow's sensor poll
        run_id = ctx.path["sync_run_id"]
        return answers.reply(("fetchSyncRun", ctx.tenant.key, run_id),
                             lambda: {"status": "success", "data": show.sync_run(runs.get(ctx.tenant, run_id))})

    def cancel_sync_run(ctx: RequestContext) -> Reply:
        runs.cancel(ctx.tenant, ctx.path["sync_run_id"])
        return Reply(200, {"status": "cancelled", "data": {}})

    return {
        "listSourceTypes": list_source_types,
        "fetchSourceType": get_source_type,
        "listSources": list_sources,
        "createSource": create_source,
        "fetchSource": get_source,
        "updateSource": update_source,
        "deleteSource": delete_source,
        "listSourceObjects": list_source_objects,
        "fetchSourceTable": get_table,
        "refreshSourceTables": refresh_tables,
        "fetchSourceTablesRefreshStatus": tables_refresh_status,
        "refreshTableColumns": refresh_table_columns,
        "fetchTableColumnsRefreshStatus": table_columns_refresh_status,
        "refreshModelColumns": refresh_model_columns,
        "fetchModelColumnsRefreshStatus": model_columns_refresh_status,
        "listModels": list_models,
        "createModel": create_model,
        "fetchModel": get_model,
        "updateModel": update_model,
        "deleteModel": delete_model,
        "listDatasets": list_datasets,
        "createDataset": create_dataset,
        "fetchDataset": get_dataset,
        "updateDataset": update_dataset,
        "deleteDataset": delete_dataset,
        "refreshDatasetColumns": refresh_dataset_columns,
        "fetchDatasetColumnsRefreshStatus": dataset_columns_refresh_status,
        "listSyncs": list_syncs,
        "createSync": create_sync,
        "fetchSync": get_sync,
        "updateSync": update_sync,
        "deleteSync": delete_sync,
        "triggerSync": trigger_sync,
        "listSyncRuns": list_sync_runs,
        "fetchSyncRun": get_sync_run,
        "cancelSyncRun": cancel_sync_run,
    }
