"""Sync runs: a trigger starts one; it is the lifecycle `census.sync_run` (queued -> working -> end).

- A trigger while another run of the same sync is queued or working gives a run that is `skipped`
  from the start (the vendor's rule); it never runs.
- Counts are decided when the run is triggered, from the source object: `source_record_count` is its
  rows now; a full sync (forced, or the sync's first completed run) processes all of them, an
  incremental one the rows added since the last completed run (none when the count did not grow);
  `records_updated` is what was processed less `records_failed` and `records_invalid` (both 0).
  While queued or working every count is null and `current_step` names the step; on completion the
  counts are integers and `completed_at` is set.
- Failures come from rules a user can set up on purpose: a source, or a destination, whose last
  connection test failed fails the run in `Checking source and destination configuration`; a model
  whose query reads a table the source does not have fails it in `Unloading data from warehouse`;
  each with an error code, message and detail. Any outcome can be forced from the control plane; a
  forced run's `data` may set any count and the error fields.
- Cancelling a queued or working run [infer: the vendor does not say what a cancelled run reports]
  ends it `failed` with `canceled: true`, so every client sees a terminal status it knows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.lifecycles import Lifecycle, Outcome, Run
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.schedules import Schedule
from mockserver.engine.store import TenantState
from mockserver.vendors.census.schedules import next_wait
from mockserver.vendors.census.syncs import Syncs

LIFECYCLE = "census.sync_run"
RUN_ID_START = 94  # the id in the vendor's examples
KEEP = 200  # runs kept per sync; older ones are dropped [infer]
QUEUED, WORKING, COMPLETED, FAILED, SKIPPED, CANCELLED = "queued", "working", "completed", "failed", "skipped", "cancelled"
IN_FLIGHT = (QUEUED, WORKING)
# A run's pace follows --check-delay (default 2 s: queued 1 s, working 2 s), so `--check-delay 0`
# means every piece of Census work, runs included, finishes within the request that starts it.
QUEUED_SHARE = 0.5
STEP = {QUEUED: "Checking source and destination configuration", WORKING: "Loading data into destination service"}
CONFIG_STEP = "Checking source and destination configuration"
UNLOAD_STEP = "Unloading data from warehouse"
FAILED_STEP = "Running sync"  # the step of the vendor's failed example, for forced failures
COUNTS = ("source_record_count", "source_record_updates", "source_record_deletes", "source_record_invalids",
          "records_processed", "records_updated", "records_failed", "records_invalid")
TRIGGER_REASON = {"ui_tag": "API", "ui_detail": "Triggered through the API"}
SCHEDULE = "census.sync_schedule"
SCHEDULED_REASON = {"ui_tag": "Scheduled", "ui_detail": "Triggered by the sync's schedule"}  # [infer]


def _missing(run_id: Any) -> NotFound:
    return NotFound(f"no sync run {run_id}", code="sync_run")


class SyncRuns:
    def __init__(self, engine: Engine, syncs: Syncs) -> None:
        self.engine = engine
        self.syncs = syncs
        self.records: Resource = engine.resources.declare(
            ResourceType(
                vendor="census", name="sync_runs", id_start=RUN_ID_START,
                order=lambda r: (r["created_at"], r["id"]),
                parent="syncs", parent_field="sync_id", missing=_missing, keep=KEEP,
            )
        )
        engine.lifecycles.declare(
            Lifecycle(
                name=LIFECYCLE,
                resource="sync_runs",
                path=(QUEUED, WORKING),
                outcomes=(COMPLETED, FAILED),
                stops=(CANCELLED, SKIPPED),
                delays={QUEUED: engine.settings.check_delay * QUEUED_SHARE, WORKING: engine.settings.check_delay},
                decide=self._decide,
                write=write,
                description="A sync run: queued, working, then completed or failed (cancel: failed with canceled)",
            )
        )
        # A turn is a trigger like the API's: `skipped` from the start when a run is in flight (the
        # vendor's rule), refused (so not taken) for a sync paused since the schedule began.
        self.schedule = Schedule(
            engine, SCHEDULE, "syncs", next_wait=next_wait,
            fire=lambda tenant, sync, due: self.trigger(tenant, sync["id"], False, scheduled=due),
            description="a sync's schedule: each wait ends in a scheduled sync run",
        )

    # -- queries -----------------------------------------------------------------------------------
    def get(self, tenant: TenantState, run_id: int) -> dict[str, Any]:
        return self.records.get(tenant, run_id)

    def of_sync(self, tenant: TenantState, sync_id: int) -> list[dict[str, Any]]:
        self.syncs.get(tenant, sync_id)
        return self.records.list(tenant, where=lambda r: r["sync_id"] == sync_id)

    def sync_status(self, tenant: TenantState, sync_id: int) -> str:
        """`ready` until a run ends; then `up to date` or `failing` by the latest that completed or failed."""
        ended = [r for r in self.records.list(tenant, where=lambda r: r["sync_id"] == sync_id)
                 if r["status"] in (COMPLETED, FAILED) and not r["canceled"]]
        if not ended:
            return "ready"
        return "up to date" if ended[-1]["status"] == COMPLETED else "failing"

    # -- commands ----------------------------------------------------------------------------------
    def trigger(self, tenant: TenantState, sync_id: int, force_full_sync: bool,
                scheduled: datetime | None = None) -> dict[str, Any]:
        """A run of the sync now: through the API, or by its schedule at `scheduled`."""
        sync = self.syncs.get(tenant, sync_id)
        if sync["paused"]:
            raise Invalid(f"Sync {sync_id} is paused; unpause it to trigger a run", code="sync_paused")
        if force_full_sync and sync["operation"] == "append":
            raise Invalid("Append syncs do not support full syncs", code="full_sync")
        runs = self.records.list(tenant, where=lambda r: r["sync_id"] == sync_id)
        in_flight = any(r["status"] in IN_FLIGHT for r in runs)
        completed = [r for r in runs if r["status"] == COMPLETED]
        full = force_full_sync or not completed
        rows = self.syncs.rows(tenant, sync)
        processed = rows if full else max(0, rows - int(completed[-1]["source_record_count"]))
        now = iso_millis(self.engine.clock.now())
        record = self.records.create(tenant, {
            "id": self.records.new_id(),
            "sync_id": sync_id,
            "status": SKIPPED if in_flight else QUEUED,
            "current_step": None,
            **{name: None for name in COUNTS},
            "created_at": now,
            "updated_at": now,
            "completed_at": None,
            "scheduled_execution_time": None if scheduled is None else iso_millis(scheduled),
            "error_code": None,
            "error_message": None,
            "error_detail": None,
            "canceled": False,
            "full_sync": full,
            "sync_trigger_reason": dict(TRIGGER_REASON if scheduled is None else SCHEDULED_REASON),
        })
        if not in_flight:
            counts = {"source_record_count": rows, "records_processed": processed, "records_failed": 0, "records_invalid": 0}
            self.engine.lifecycles.start(LIFECYCLE, tenant, record["id"], {"counts": counts})
        return record

    def cancel(self, tenant: TenantState, run_id: int) -> dict[str, Any]:
        record = self.get(tenant, run_id)
        if record["status"] not in IN_FLIGHT:
            raise Invalid(f"Sync run {run_id} is not running (it is {record['status']})", code="sync_run_ended")
        self.engine.lifecycles.stop(LIFECYCLE, tenant, run_id, CANCELLED, "The sync run was cancelled through the API")
        return record

    # -- the lifecycle's rules ---------------------------------------------------------------------
    def _decide(self, tenant: TenantState, record: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
        sync = self.syncs.get(tenant, record["sync_id"])
        source = self.syncs.sources.get(tenant, sync["source_id"])
        destination = self.syncs.destinations.destination(tenant, sync["destination_id"])
        for kind, connection, label in (("SOURCE", source, "source"), ("DESTINATION", destination, "destination")):
            if connection["last_test_succeeded"] is False:
                return Outcome(FAILED, reason="connection", data={
                    "error_code": f"{kind}_CONNECTION_FAILED",
                    "error_message": f"Census could not connect to {label} {connection['id']} ({connection['type']})",
                    "error_detail": f"The {label}'s last connection test failed: {_failed_step(connection)}. "
                                    f"Fix its credentials, then trigger the sync again.",
                    "current_step": CONFIG_STEP,
                })
        if sync["source_object"]["type"] == "model":
            missing = self.syncs.models.missing_table(tenant, self.syncs.models.records.get(tenant, sync["source_object"]["id"]))
            if missing is not None:
                return Outcome(FAILED, reason="query", data={
                    "error_code": "WAREHOUSE_QUERY_ERROR",
                    "error_message": f"SQL compilation error: Object '{missing.upper()}' does not exist or not authorized.",
                    "error_detail": f"The model's query reads {missing}, which source {source['id']} does not have. "
                                    "Fix the model's query, then trigger the sync again.",
                    "current_step": UNLOAD_STEP,
                })
        return Outcome(COMPLETED)


def _failed_step(connection: dict[str, Any]) -> str:
    steps = (connection.get("last_test_results") or {}).get("steps") or []
    failed = next((s for s in steps if s.get("status") == "failed"), None)
    if failed is None:
        return "it did not succeed"
    return f"{failed['step']}: {(failed.get('error') or {}).get('message') or 'failed'}"


def write(record: dict[str, Any], run: Run, now: datetime) -> None:
    """Put the run's state into its record: only the vendor's status values ever appear."""
    state = run.state
    record["updated_at"] = iso_millis(now)
    if state in IN_FLIGHT:
        record["status"], record["current_step"] = state, STEP[state]
        return
    outcome = run.outcome
    data = dict(outcome.data)
    counts = {**(run.context.get("counts") or {}), **{k: v for k, v in data.items() if k in COUNTS}}
    if state == COMPLETED:
        processed = int(counts.get("records_processed", 0))
        failed, invalid = int(counts.get("records_failed", 0)), int(counts.get("records_invalid", 0))
        counts.setdefault("records_updated", max(0, processed - failed - invalid))
        counts.setdefault("source_record_updates", processed)
        counts.setdefault("source_record_deletes", 0)
        counts.setdefault("source_record_invalids", invalid)
        record.update({name: int(counts.get(name, 0)) for name in COUNTS})
        record.update(status=COMPLETED, current_step=None, completed_at=iso_millis(now))
    elif state == SKIPPED:
        record.update(status=SKIPPED, current_step=None)
    else:  # failed, or cancelled (reported as failed with canceled: true)
        cancelled = state == CANCELLED
        record["status"] = FAILED
        record["canceled"] = cancelled
        record["source_record_count"] = counts.get("source_record_count")
        record["records_invalid"] = counts.get("records_invalid", 0)
        record["error_code"] = data.get("error_code") or ("SYNC_CANCELED" if cancelled else "SYNC_RUN_FAILED")
        record["error_message"] = data.get("error_message") or outcome.message or "The sync run failed"
        record["error_detail"] = data.get("error_detail") or outcome.message
        if not cancelled or record.get("current_step") is None:
            record["current_step"] = data.get("current_step") or FAILED_STEP
