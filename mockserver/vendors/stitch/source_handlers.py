"""Handlers for sources, source types, streams, jobs, extractions, loads, tokens and notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockserver.engine.errors import NotFound, Unauthorized
from mockserver.engine.clock import parse_iso
from mockserver.vendors.answers import EncodedAnswers
from mockserver.vendors.base import Handler, Reply, RequestContext
from mockserver.vendors.stitch import source_serializers as out
from mockserver.vendors.stitch.connect import ConnectModel
from mockserver.vendors.stitch.streams import stream_not_found

LOG_PATH = "/v4/extraction-logs/"
LOG_TOKEN = "x-amz-security-token"


def next_run(answer: dict[str, Any]) -> datetime | None:
    """When a source's answer stops holding on the clock alone: its schedule's next run."""
    schedule = answer.get("schedule")
    fire = schedule.get("next_fire_time") if schedule else None
    return parse_iso(fire) if fire else None


def build_source_handlers(model: ConnectModel, answers: EncodedAnswers) -> dict[str, Handler]:
    sources, streams, jobs = model.sources, model.streams, model.jobs

    def num(ctx: RequestContext, name: str) -> int:
        return int(ctx.path[name])  # the spec's pattern admits digits only

    def client_of(ctx: RequestContext) -> int:
        return int(ctx.tenant.attrs["stitch_client_id"])

    def source(ctx: RequestContext, record: dict[str, Any]) -> dict[str, Any]:
        stype = sources.type_of(record)
        card, schedule = model.source_body(ctx.tenant, record, stype)
        return out.source(record, stype, client_of(ctx), card, schedule)

    def own_client(ctx: RequestContext) -> int:
        """The path's client id, which must be the caller's own (else 401, as the vendor documents)."""
        client = client_of(ctx)
        if int(ctx.path["stitch_client_id"]) != client:
            raise Unauthorized("the token has no access to this client id")
        return client

    # -- source types ----------------------------------------------------------------------------------
    def list_types(ctx: RequestContext) -> Reply:
        return Reply(200, [t.report_card("form", set(), with_details=True) for t in model.types.ordered])

    def get_type(ctx: RequestContext) -> Reply:
        stype = model.types.get(ctx.path["source_type"])
        if stype is None:  # [infer] not documented; the destination types' answer
            raise NotFound(f"source type not found: {ctx.path['source_type']}", code="source_type")
        return Reply(200, stype.report_card("form", set(), with_details=True))

    # -- sources ---------------------------------------------------------------------------------------
    def create(ctx: RequestContext) -> Reply:
        body = ctx.body
        record = sources.create(ctx.tenant, body["type"], body["display_name"], body.get("properties") or {}, body.get("destination_id"))
        jobs.schedule.reschedule(ctx.tenant, record)  # its interval counts from now (or its anchor)
        return Reply(200, source(ctx, record))

    def list_sources(ctx: RequestContext) -> Reply:
        return Reply(200, [source(ctx, r) for r in sources.list(ctx.tenant)])

    def get_source(ctx: RequestContext) -> Reply:
        """Polled while a source's check runs: kept encoded until the store changes or the clock
        reaches the next run its schedule names."""
        source_id = num(ctx, "source_id")
        record = sources.get(ctx.tenant, source_id)
        return answers.reply(("get-source", ctx.tenant.key, source_id), lambda: source(ctx, record), until=next_run)

    def update(ctx: RequestContext) -> Reply:
        record = sources.update(ctx.tenant, num(ctx, "source_id"), ctx.body)
        jobs.schedule.reschedule(ctx.tenant, record)  # a new frequency, anchor or cron
        return Reply(200, source(ctx, record))

    def delete(ctx: RequestContext) -> Reply:
        return Reply(200, source(ctx, model.delete_source(ctx.tenant, num(ctx, "source_id"))))

    def last_check(ctx: RequestContext) -> Reply:
        return Reply(200, sources.last_check(ctx.tenant, num(ctx, "source_id")))

    # -- streams ---------------------------------------------------------------------------------------
    def list_streams(ctx: RequestContext) -> Reply:
        record = sources.get(ctx.tenant, num(ctx, "source_id"))
        stype = sources.type_of(record)
        return Reply(200, [out.stream(stype, streams.template(stype, s), s) for s in streams.of_source(ctx.tenant, record["id"])])

    def stream_schema(ctx: RequestContext) -> Reply:
        record = sources.records.find(ctx.tenant, num(ctx, "source_id"))
        if record is None:
            raise stream_not_found(ctx.path["stream_id"])
        stype = sources.type_of(record)
        stream = streams.get(ctx.tenant, record["id"], num(ctx, "stream_id"))
        return Reply(200, out.stream_schema(stype, streams.template(stype, stream), stream))

    def update_metadata(ctx: RequestContext) -> Reply:
        record = sources.get(ctx.tenant, num(ctx, "source_id"))
        streams.update_metadata(ctx.tenant, record, sources.type_of(record), ctx.body["streams"])
        return Reply(200, {"status": 200})

    # -- replication jobs, extractions, loads -----------------------------------------------------------
    def start_job(ctx: RequestContext) -> Reply:
        return Reply(200, {"job_name": jobs.start(ctx.tenant, num(ctx, "source_id"))["job_name"]})

    def stop_job(ctx: RequestContext) -> Reply:
        jobs.stop(ctx.tenant, num(ctx, "source_id"))
        return Reply(200, {"status": 200})

    def list_extractions(ctx: RequestContext) -> Reply:
        client = own_client(ctx)
        items = [out.extraction(job, client) for job in jobs.extractions(ctx.tenant)]
        return Reply(200, out.page(items, ctx.query.get("page", 1), f"/v4/{client}/extractions"))

    def extraction_logs(ctx: RequestContext) -> Reply:
        own_client(ctx)
        job = jobs.by_name(ctx.tenant, ctx.path["job_name"])
        if job is None:
            raise NotFound("Not Found", code="job")
        origin = str(ctx.request.url.origin())
        location = f"{origin}{LOG_PATH}{job['job_name']}?{LOG_TOKEN}={job['log_token']}"
        return Reply(302, b"", {"Location": location, "Content-Length": "0"})

    def download_log(ctx: RequestContext) -> Reply:
        job = jobs.by_name(ctx.tenant, ctx.path["job_name"])
        if job is None or ctx.query.get(LOG_TOKEN) != job["log_token"]:
            raise NotFound("Not Found", code="job")
        return Reply(200, out.extraction_log(job).encode(), {"Content-Type": "text/plain; charset=utf-8"})

    def list_loads(ctx: RequestContext) -> Reply:
        client = own_client(ctx)
        names = {r["id"]: r["name"] for r in sources.list(ctx.tenant)}
        items = [out.load(r, names.get(r["source_id"], ""), client) for r in jobs.recent_loads(ctx.tenant)]
        return Reply(200, out.page(items, ctx.query.get("page", 1), f"/v4/{client}/loads"))

    # -- Import API tokens -----------------------------------------------------------------------------
    def create_token(ctx: RequestContext) -> Reply:
        token_id, token = model.tokens.generate(ctx.tenant, num(ctx, "source_id"))
        return Reply(200, {"id": token_id, "access_token": token})

    def list_tokens(ctx: RequestContext) -> Reply:
        return Reply(200, model.tokens.ids(ctx.tenant, num(ctx, "source_id")))

    def revoke_token(ctx: RequestContext) -> Reply:
        return Reply(200, source(ctx, model.tokens.revoke(ctx.tenant, num(ctx, "source_id"), num(ctx, "token_id"))))

    # -- notifications ---------------------------------------------------------------------------------
    notes = model.notifications

    def create_hook(ctx: RequestContext) -> Reply:
        record = notes.create_hook(ctx.tenant, ctx.body["destination_id"], ctx.body["config"])
        return Reply(200, out.hook(record, client_of(ctx)))

    def list_hooks(ctx: RequestContext) -> Reply:
        return Reply(200, {"post_load": [out.hook(r, client_of(ctx)) for r in notes.hooks.list(ctx.tenant)]})

    def update_hook(ctx: RequestContext) -> Reply:
        return Reply(200, out.hook(notes.enable_hook(ctx.tenant, num(ctx, "hook_id"), ctx.body["enable"]), client_of(ctx)))

    def delete_hook(ctx: RequestContext) -> Reply:
        notes.delete_hook(ctx.tenant, num(ctx, "hook_id"))
        return Reply(200, b"null", {"Content-Type": "application/json"})  # a JSON null, which Reply(200, None) is not

    def create_email(ctx: RequestContext) -> Reply:
        return Reply(200, out.custom_email(notes.create_email(ctx.tenant, ctx.body["email_address"]), client_of(ctx)))

    def list_emails(ctx: RequestContext) -> Reply:
        return Reply(200, [out.custom_email(r, client_of(ctx)) for r in notes.emails.list(ctx.tenant)])

    def update_email(ctx: RequestContext) -> Reply:
        record = notes.disable_email(ctx.tenant, num(ctx, "custom_email_id"), ctx.body.get("disabled_at", ""))
        return Reply(200, {"disabled_at": record["disabled_at"]})

    def delete_email(ctx: RequestContext) -> Reply:
        notes.delete_email(ctx.tenant, num(ctx, "custom_email_id"))
        return Reply(200, [1])

    return {
        "list-source-types": list_types,
        "get-a-source-type": get_type,
        "create-a-source": create,
        "list-sources": list_sources,
        "retrieve-a-source": get_source,
        "update-a-source": update,
        "delete-a-source": delete,
        "get-source-last-connection-check": last_check,
        "list-streams": list_streams,
        "retrieve-a-streams-schema": stream_schema,
        "update-a-streams-metadata": update_metadata,
        "start-a-replication-job": start_job,
        "stop-a-replication-job": stop_job,
        "list-extractions": list_extractions,
        "get-extraction-logs": extraction_logs,
        "download-extraction-log": download_log,
        "list-loads": list_loads,
        "generate-an-import-api-token": create_token,
        "list-import-api-tokens": list_tokens,
        "revoke-an-import-api-token": revoke_token,
        "create-a-hook": create_hook,
        "list-hooks": list_hooks,
        "update-a-hook": update_hook,
        "delete-a-hook": delete_hook,
        "create-a-custom-email": create_email,
        "list-custom-emails": list_emails,
        "update-a-custom-email": update_email,
        "delete-a-custom-email": delete_email,
    }
