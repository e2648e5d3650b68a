"""Flow runs: run attempts (a declared resource under flows) driven by two lifecycles on the flow.

- `portable.flow_run` walks a flow's current attempt through PENDING and RUNNING to SUCCEEDED or
  FAILED (`stop` to CANCELLED, shown as FAILED). It runs on the flow record, so one attempt runs at
  a time, and forcing or advancing names the flow's id. The outcome is decided when the attempt
  starts: a source (then a destination) whose properties meet the shared failure rules (a host under
  `.invalid`, a PASSWORD equal to `wrong-password`) fails it; otherwise it succeeds.
- `portable.flow_schedule` repeats on the flow while it has a frequency or cron: each time its wait
  ends, a scheduled attempt starts (skipped while one is still running), and the next wait begins.

Each run's context carries the id of the attempt it writes into.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.lifecycles import Lifecycle, Outcome, Run
from mockserver.engine.outcomes import classify
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.schedules import Schedule
from mockserver.engine.store import TenantState
from mockserver.vendors.portable.catalogue import Spec
from mockserver.vendors.portable.schedules import seconds_until_next

SpecOf = Callable[[dict[str, Any]], Spec]  # a source or destination record -> its spec

RUN = "portable.flow_run"
SCHEDULE = "portable.flow_schedule"
RUN_ID_START = 1200001  # ours: Portable's examples show no run attempt ids
KEEP_ATTEMPTS = 100  # run attempts kept per flow; older ones are dropped (the default page size)
CANCELLED_MESSAGE = "The flow run was cancelled"
FORCED_FAILURE = "Failed to connect to the source"  # the run-attempt error in Portable's example


class FlowRuns:
    """Triggers, cancels and reports a flow's run attempts, and keeps its schedule running."""

    def __init__(self, engine: Engine, flows: Resource, sources: Resource, destinations: Resource,
                 source_spec: SpecOf, destination_spec: SpecOf) -> None:
        self.engine = engine
        self.flows = flows
        self.sources = sources
        self.destinations = destinations
        self._source_spec = source_spec
        self._destination_spec = destination_spec
        self._dice = engine.random.stream("portable.flow_runs")
        self.attempts = engine.resources.declare(ResourceType(
            vendor="portable", name="flow_runs", id_start=RUN_ID_START, parent="flows", parent_field="flow",
            missing=lambda rid: NotFound(f"run attempt {rid} not found", code="flow_run"), keep=KEEP_ATTEMPTS,
        ))
        engine.lifecycles.declare(Lifecycle(
            name=RUN, resource="flows", path=("PENDING", "RUNNING"), outcomes=("SUCCEEDED", "FAILED"),
            stops=("CANCELLED",), delays={"PENDING": 2.0, "RUNNING": 8.0}, decide=self._decide,
            write=self._write_run, description="a flow's run attempt: PENDING, RUNNING, then SUCCEEDED or FAILED",
        ))
        self.schedule = Schedule(
            engine, SCHEDULE, "flows",
            next_wait=lambda flow, now: seconds_until_next(flow.get("frequency"), flow.get("cron"), now),
            fire=self._scheduled, description="a flow's frequency or cron: each wait ends in a scheduled run attempt",
        )

    # -- reading ---------------------------------------------------------------------------------------
    def history(self, tenant: TenantState, flow_id: int) -> list[dict[str, Any]]:
        """The flow's attempts, oldest first."""
        return self.attempts.list(tenant, where=lambda r: r["flow"] == flow_id)

    def latest(self, tenant: TenantState, flow_id: int) -> dict[str, Any] | None:
        history = self.history(tenant, flow_id)
        return history[-1] if history else None

    # -- commands --------------------------------------------------------------------------------------
    def trigger(self, tenant: TenantState, flow_id: int, trigger: str = "manual") -> dict[str, Any]:
        """Start an attempt now; a flow with one pending or running is refused."""
        self.flows.get(tenant, flow_id)
        if self.engine.lifecycles.active(RUN, tenant, flow_id) is not None:
            raise Invalid(f"flow {flow_id} is already running", code="flow_running")
        attempt = self.attempts.create(tenant, {
            "flow": flow_id,
            "trigger": trigger,
            "lifecycle": "PENDING",
            "disposition": "NONE",
            "resources": [],
            "errors": None,
            "completedAt": None,
            "createdAt": self.engine.clock.now_seconds(),
        })
        self.engine.lifecycles.start(RUN, tenant, flow_id, {"attempt": attempt["id"]})
        return attempt

    def cancel(self, tenant: TenantState, flow_id: int) -> None:
        """End the running attempt, if any (no attempt running: nothing changes)."""
        self.flows.get(tenant, flow_id)
        self.engine.lifecycles.stop(RUN, tenant, flow_id, "CANCELLED", message=CANCELLED_MESSAGE)

    def reschedule(self, tenant: TenantState, flow: dict[str, Any]) -> None:
        """(Re)start the flow's schedule from now, or stop it for a manual flow."""
        self.schedule.reschedule(tenant, flow)

    # -- lifecycle callbacks ---------------------------------------------------------------------------
    def _decide(self, tenant: TenantState, flow: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
        """The shared failure rules, source first: what a connection would meet when the run starts."""
        ends = (("source", self.sources, self._source_spec), ("destination", self.destinations, self._destination_spec))
        for side, resource, spec_of in ends:
            record = resource.find(tenant, flow[side])
            if record is None:
                return Outcome("FAILED", f"Failed to connect to the {side}: {side} {flow[side]} no longer exists")
            spec = spec_of(record)
            hosts = [p.name for p in spec.properties if p.type in ("STRING", "TEXT")]
            secrets = [p.name for p in spec.properties if p.secret]
            check = classify(record["properties"], hosts, secrets)
            if check.reason == "dns":
                return Outcome("FAILED", f'Failed to connect to the {side}: could not resolve host "{check.value}"', "dns")
            if check.reason == "auth":
                label = spec.definition(check.field)
                name = label.display_name if label else check.field
                return Outcome("FAILED", f"Failed to connect to the {side}: authentication failed ({name} was rejected)", "auth")
        return Outcome("SUCCEEDED")

    def _write_run(self, flow: dict[str, Any], run: Run, now: datetime) -> None:
        tenant = run.tenant
        attempt_id = run.context["attempt"]
        if tenant is None or self.attempts.find(tenant, attempt_id) is None:
            return  # dropped from the kept history while it ran
        attempt = self.attempts.edit(tenant, attempt_id)
        state = run.state
        if state in ("PENDING", "RUNNING"):
            attempt.update(lifecycle=state, disposition="NONE")
            return
        attempt.update(lifecycle="NOT_RUNNING", completedAt=iso_seconds(now))
        if state == "SUCCEEDED":
            attempt.update(disposition="SUCCEEDED", errors=None, resources=self._resources(tenant, flow))
        else:
            message = run.outcome.message or (CANCELLED_MESSAGE if state == "CANCELLED" else FORCED_FAILURE)
            attempt.update(disposition="FAILED", errors=[message], resources=[])

    def _resources(self, tenant: TenantState, flow: dict[str, Any]) -> list[dict[str, Any]]:
        """One entry per table of the source spec, with seeded row counts (all of them loaded)."""
        source = self.sources.find(tenant, flow["source"])
        names = self._source_spec(source).resources if source is not None else ()
        counts = [(name, self._dice.randint(0, 5000)) for name in names]
        return [{"name": name, "extracted": n, "analyzed": n, "loaded": n} for name, n in counts]

    def _scheduled(self, tenant: TenantState, flow: dict[str, Any], due: datetime) -> None:
        """The schedule's turn: a scheduled attempt. One still running refuses it, as it would a
        `POST .../run`, and the turn is skipped."""
        self.trigger(tenant, flow["id"], trigger="scheduled")
