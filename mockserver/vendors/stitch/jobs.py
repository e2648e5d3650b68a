"""Replication jobs: extraction, then one load per selected stream, as the `stitch.replication_job` lifecycle.

A job walks `extracting` -> `loading` -> `succeeded` (or `failed`, or `stopped` by a stop request),
spending the job delay in each state (0: the whole job finishes inside the POST that started it).
Its outcome follows the same rules as connection checks: a source whose properties would now fail
its check fails the extraction (tap exit status 1); a destination that would fail its check fails
the loads (each stream's load carries an error state). Row counts are fixed when the job starts:
a stream's first load brings the catalogue's rows; later INCREMENTAL loads bring a seeded handful
of new rows, FULL_TABLE loads everything again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds, parse_iso
from mockserver.engine.errors import Conflict, Invalid
from mockserver.engine.lifecycles import Lifecycle, Outcome, Run
from mockserver.engine.outcomes import classify
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.schedules import Schedule
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch import checks
from mockserver.vendors.stitch.sources import SourceModel

REPLICATION_JOB = "stitch.replication_job"
SCHEDULE = "stitch.source_schedule"
EXTRACTING, LOADING = "extracting", "loading"
SUCCEEDED, FAILED, STOPPED = "succeeded", "failed", "stopped"
TERMINATED = "Terminated"
HISTORY = 20  # jobs kept per source
WINDOW = timedelta(days=60)  # extractions and loads are listed for the past 60 days
WAREHOUSE_MESSAGE = "establish a connection to your data warehouse"


class JobModel:
    def __init__(self, engine: Engine, sources: SourceModel, destinations: Resource, delay: float) -> None:
        self.engine = engine
        self.sources = sources
        self.destinations = destinations
        self.jobs = engine.resources.declare(
            ResourceType(vendor="stitch", name="jobs", parent="sources", parent_field="source_id", keep=HISTORY)
        )
        self.loads = engine.resources.declare(
            ResourceType(
                vendor="stitch",
                name="loads",
                parent="sources",
                parent_field="source_id",
                order=lambda r: (r["stream_name"], r["source_id"]),
            )
        )
        engine.lifecycles.declare(
            Lifecycle(
                name=REPLICATION_JOB,
                resource="jobs",
                path=(EXTRACTING, LOADING),
                outcomes=(SUCCEEDED, FAILED),
                stops=(STOPPED,),
                delays={EXTRACTING: delay, LOADING: delay},
                decide=self._decide,
                write=self._write,
                description="A replication job: extracting, loading, then succeeded, failed or stopped",
            )
        )
        self.schedule = Schedule(engine, SCHEDULE, "sources", next_wait=self._next_wait, fire=self._scheduled,
                                 description="a source's replication frequency: each interval ends in a scheduled job")

    # -- reading -------------------------------------------------------------------------------------
    def running(self, tenant: TenantState, source: dict[str, Any]) -> dict[str, Any] | None:
        job_id = source.get("job_id")
        if job_id is None or self.engine.lifecycles.active(REPLICATION_JOB, tenant, job_id) is None:
            return None
        return self.jobs.find(tenant, job_id)

    def extractions(self, tenant: TenantState) -> list[dict[str, Any]]:
        """Each source's latest job of the past 60 days (a running one included), by source id."""
        since = self.engine.clock.now() - WINDOW
        latest: dict[int, dict[str, Any]] = {}
        for job in self.jobs.list(tenant):
            if parse_iso(job["start_time"]) >= since:
                latest[job["source_id"]] = job
        return [latest[k] for k in sorted(latest)]

    def recent_loads(self, tenant: TenantState) -> list[dict[str, Any]]:
        since = self.engine.clock.now() - WINDOW
        return [r for r in self.loads.list(tenant) if parse_iso(r["attempted_at"]) >= since]

    def by_name(self, tenant: TenantState, job_name: str) -> dict[str, Any] | None:
        found = self.jobs.list(tenant, where=lambda r: r["job_name"] == job_name)
        return found[0] if found else None

    # -- changing ------------------------------------------------------------------------------------
    def start(self, tenant: TenantState, source_id: int) -> dict[str, Any]:
        client = tenant.attrs["stitch_client_id"]
        source = self._source(tenant, source_id)
        if self.running(tenant, source) is not None:
            raise Conflict(
                f"Did not create job for client-id: {client}; connection-id: {source_id} because one already exists",
                code="already_running",
            )
        stype = self.sources.type_of(source)
        streams = self.sources.streams.replicated(tenant, source, stype) if source["configured"] else []
        if not streams:  # [infer] the vendor's commented-out `generic` type and text
            raise Invalid(f"Could not create job for client-id: {client}; connection-id: {source_id}", code="generic")
        rows = [
            {"stream_id": s["id"], "stream_name": s["stream_name"], "rows": self._rows(stype, s)}
            for s in streams
        ]
        job = self.jobs.create(
            tenant,
            {
                "id": self.jobs.new_id(),
                "source_id": source_id,
                "source_type": stype.tap,
                "job_name": f"{client}.{source_id}.sync.{self.engine.random.uuid4()}",
                "log_token": self.engine.random.token(20),
                "state": EXTRACTING,
                "streams": rows,
                "start_time": self.engine.clock.now_seconds(),
                "extracted_at": None,
                "completion_time": None,
                "finished_at": None,
                "discovery_exit_status": None,
                "discovery_description": None,
                "tap_exit_status": None,
                "tap_description": None,
                "target_exit_status": None,
                "target_description": None,
                "message": None,
            },
        )
        self.sources.records.update(tenant, source_id, job_id=job["id"])
        self.engine.lifecycles.start(REPLICATION_JOB, tenant, job["id"])
        return self.jobs.get(tenant, job["id"])

    def _next_wait(self, source: dict[str, Any], now: datetime) -> float | None:
        stype = self.sources.type_of(source)
        if source["deleted_at"] or stype.import_api:  # an Import API source is pushed to, never run
            return None
        upcoming = self.sources.next_fire(source, stype, now)
        return None if upcoming is None else max((upcoming - now).total_seconds(), 1.0)

    def _scheduled(self, tenant: TenantState, source: dict[str, Any], due: datetime) -> None:
        """The interval's turn: a job, when the vendor would run one now (a schedule is shown, so the
        source is neither paused nor half configured). A job still running refuses the start, as it
        would a `POST .../sync`, and the turn is skipped [infer]."""
        if self.sources.schedulable(tenant, source):
            self.start(tenant, source["id"])

    def stop(self, tenant: TenantState, source_id: int) -> None:
        """End the running job (if any) now; its extraction reads `Terminated`."""
        source = self._source(tenant, source_id, deleted_ok=True)
        job = self.running(tenant, source)
        if job is not None:
            self.engine.lifecycles.stop(REPLICATION_JOB, tenant, job["id"], STOPPED, TERMINATED)

    # -- internals -----------------------------------------------------------------------------------
    def _source(self, tenant: TenantState, source_id: int, deleted_ok: bool = False) -> dict[str, Any]:
        client = tenant.attrs["stitch_client_id"]
        source = self.sources.records.get(
            tenant,
            source_id,
            missing=lambda sid: Invalid(f"Unable to locate source({sid}) for client ({client})", code="invalid_source"),
        )
        if source["deleted_at"] is not None and not deleted_ok:
            raise Invalid("Integration is deleted.", code="invalid_source")
        return source

    def _rows(self, stype: Any, stream: dict[str, Any]) -> int:
        tpl = self.sources.streams.template(stype, stream)
        method = stream.get("replication_method") or ("INCREMENTAL" if tpl.replication_key else "FULL_TABLE")
        if stream["loaded_rows"] == 0 or method == "FULL_TABLE":
            return tpl.rows
        return self.engine.random.randint(0, max(1, tpl.rows // 50))

    def _decide(self, tenant: TenantState, job: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
        source = self.sources.records.find(tenant, job["source_id"])
        if source is None:
            return Outcome(FAILED, "source not found", data={"phase": "extraction"}, after=EXTRACTING)
        stype = self.sources.type_of(source)
        found = classify(source["properties"], checks.HOST_FIELDS, sorted(stype.credential_names))
        if not found.ok:
            message = checks.failure_message(found.reason, found.field, found.value, source)
            return Outcome(FAILED, message, found.reason, {"phase": "extraction"}, after=EXTRACTING)
        destination = self.destinations.find(tenant, source["destination_id"]) if source["destination_id"] else None
        if destination is not None:
            secrets = [k for k in destination["properties"] if k in ("password", "sentinel_key")]
            found = classify(destination["properties"], checks.HOST_FIELDS, secrets)
            if not found.ok:
                message = checks.failure_message(found.reason, found.field, found.value, destination)
                return Outcome(FAILED, message, found.reason, {"phase": "load"})
        return Outcome(SUCCEEDED)

    def _write(self, job: dict[str, Any], run: Run, now: datetime) -> None:
        stamp = iso_seconds(now)
        previous, job["state"] = job["state"], run.state
        if run.state == EXTRACTING:
            return
        if run.state == LOADING:
            job.update(extracted_at=stamp, completion_time=stamp, discovery_exit_status=0, tap_exit_status=0, target_exit_status=0)
            return
        outcome = run.outcome
        job["completion_time"] = job["completion_time"] or stamp  # the extraction's end
        job["finished_at"] = stamp  # the whole job's
        job["message"] = outcome.message
        tenant = run.tenant
        if run.state == STOPPED:
            job.update(
                extracted_at=job["extracted_at"] or stamp,
                discovery_exit_status=None, tap_exit_status=None, target_exit_status=None,
                discovery_description=TERMINATED, tap_description=TERMINATED, target_description=TERMINATED,
            )
            return
        phase = outcome.data.get("phase") or ("extraction" if previous == EXTRACTING else "load")
        if run.state == FAILED and phase == "extraction":
            job.update(
                extracted_at=stamp, discovery_exit_status=0, tap_exit_status=1, target_exit_status=0,
                tap_description=outcome.message or "Tap exited with a non-zero status",
            )
            return
        job.update(extracted_at=job["extracted_at"] or stamp, discovery_exit_status=0, tap_exit_status=0, target_exit_status=0)
        if tenant is not None:
            error = None if run.state == SUCCEEDED else error_state(outcome.message or WAREHOUSE_MESSAGE)
            self._record_loads(tenant, job, stamp, error)

    def _record_loads(self, tenant: TenantState, job: dict[str, Any], stamp: str, error: dict[str, Any] | None) -> None:
        existing = {r["stream_name"]: r for r in self.loads.list(tenant, where=lambda r: r["source_id"] == job["source_id"])}
        for stream in job["streams"]:
            values = {
                "source_id": job["source_id"],
                "stream_name": stream["stream_name"],
                "attempted_at": stamp,
                "last_batch_loaded_at": None if error else stamp,
                "error_state": error,
                "job_name": job["job_name"],
            }
            if stream["stream_name"] in existing:
                self.loads.update(tenant, existing[stream["stream_name"]]["id"], **values)
            else:
                self.loads.create(tenant, values)
            if error is None and self.sources.streams.records.find(tenant, stream["stream_id"]) is not None:
                record = self.sources.streams.records.edit(tenant, stream["stream_id"])
                record["loaded_rows"] += stream["rows"]


def error_state(message: str) -> dict[str, Any]:
    """A load's error, in the shape of the vendor's LOADER_WAREHOUSE_ERROR example."""
    return {
        "notification_data": {
            "message": WAREHOUSE_MESSAGE,
            "exception_message": WAREHOUSE_MESSAGE,
            "warehouse_error_code": None,
            "error": "LOADER_WAREHOUSE_ERROR",
            "new_column": None,
            "status": "ERROR",
            "warehouse_sql_state": None,
            "action": "get-connection",
            "warehouse_message": message,
            "column": None,
        },
        "exception_chain": [
            {"class": "clojure.lang.ExceptionInfo", "message": WAREHOUSE_MESSAGE, "chain_sequence_num": 0, "action": "get-connection"}
        ],
    }
