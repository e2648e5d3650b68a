"""Lifecycles: vendor work that takes time (checks, refreshes, sync runs, jobs), declared as data.

A vendor declares each lifecycle once: the non-terminal states a run walks through (`path`), the
terminal states its outcome may pick (`outcomes`, success first), states only a stop reaches
(`stops`), the seconds spent in each path state, its outcome rule (`decide`) and the callback that
writes a state into the record (`write`). One runner moves every run:

- `time` (default): a run stays in each path state for its delay on the engine's clock (a delay of 0
  moves on within the request, which is what `--check-delay 0` promises);
- `immediate`: a run reaches its terminal state within the request that started it;
- `manual`: a run stays in each state until the control plane advances it.

The outcome is decided when a run starts (a forced outcome from the control plane first, else the
vendor's rules), so a run in flight carries its pending result. Runs are plain data kept in the
tenant's store (collection `lifecycle_runs`, one per record: a new run on a record supersedes the
old), so they are exported, restored, reset and undone with the records they belong to; a finished
run leaves only its record behind. Timed steps are scheduler jobs that name the run and the job
sequence number it expects, so a superseded, stopped or hand-advanced run ignores a stale job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from mockserver.engine.clock import Clock, iso_millis
from mockserver.engine.outcomes import OutcomeBook
from mockserver.engine.resources import Resources
from mockserver.engine.scheduler import Scheduler
from mockserver.engine.store import Store, TenantState

RUNS = "lifecycle_runs"
MODES = ("time", "immediate", "manual")
MAX_DELAY = 30 * 24 * 3600.0


@dataclass(frozen=True)
class Outcome:
    """How a run ends: a terminal state, an optional message, and vendor detail (JSON-able)."""

    state: str
    message: str | None = None
    reason: str = "rules"  # "rules", "forced", or the vendor's own rule name ("dns", "auth", ...)
    data: Mapping[str, Any] = field(default_factory=dict)
    after: str | None = None  # end early: go to `state` on leaving this path state

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "message": self.message, "reason": self.reason, "data": dict(self.data), "after": self.after}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "Outcome":
        return cls(raw["state"], raw.get("message"), raw.get("reason", "rules"), raw.get("data") or {}, raw.get("after"))


class Run:
    """A view of one run's plain-data record, handed to the vendor's `write` callback, with the
    tenant it runs in (the tenant owns its runs, so the key is not stored in the run)."""

    __slots__ = ("data", "tenant")

    def __init__(self, data: dict[str, Any], tenant: TenantState | None = None) -> None:
        self.data = data
        self.tenant = tenant

    @property
    def lifecycle(self) -> str:
        return str(self.data["lifecycle"])

    @property
    def record_id(self) -> Any:
        return self.data["record_id"]

    @property
    def state(self) -> str:
        return str(self.data["state"])

    @property
    def outcome(self) -> Outcome:
        return Outcome.from_json(self.data["outcome"])

    @property
    def context(self) -> dict[str, Any]:
        return dict(self.data.get("context") or {})

    @property
    def started_at(self) -> str:
        return str(self.data["started_at"])

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k not in ("id", "job")}


Decide = Callable[[TenantState, dict[str, Any], Mapping[str, Any]], Outcome]
Write = Callable[[dict[str, Any], Run, datetime], None]


@dataclass(frozen=True)
class Lifecycle:
    name: str  # "<vendor>.<what>", e.g. "census.sync_run"
    resource: str  # the declared resource type whose record each run writes into
    path: tuple[str, ...]  # non-terminal states, in order
    outcomes: tuple[str, ...]  # terminal states an outcome may pick; the first is success
    delays: Mapping[str, float]  # default seconds spent in each path state
    decide: Decide
    write: Write
    stops: tuple[str, ...] = ()  # terminal states only `stop()` reaches (cancelled, skipped, ...)
    repeat: bool = False  # a finished run starts the next one on the same record (recurring schedules)
    check: bool = False  # a connection check: the legacy forced-check API applies to it
    job_kind: str | None = None  # the scheduler kind; defaults to the name (kept stable for state files)
    description: str = ""

    @property
    def vendor(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def kind(self) -> str:
        return self.job_kind or self.name

    @property
    def terminal(self) -> tuple[str, ...]:
        return self.outcomes + self.stops

    @property
    def failure(self) -> str:
        """The state a forced failure ends in: the first outcome that is not success."""
        return next((s for s in self.outcomes[1:]), self.outcomes[0])


CHECK_RUNNING, CHECK_SUCCEEDED, CHECK_FAILED = "running", "succeeded", "failed"


def connection_check(
    name: str, resource: str, delay: float, decide: Decide, write: Write, description: str, job_kind: str | None = None
) -> Lifecycle:
    """The shape every vendor's connection check shares: `running`, then `succeeded` or `failed`
    after the check delay; the legacy forced-check API applies to it."""
    return Lifecycle(
        name=name,
        resource=resource,
        path=(CHECK_RUNNING,),
        outcomes=(CHECK_SUCCEEDED, CHECK_FAILED),
        delays={CHECK_RUNNING: delay},
        decide=decide,
        write=write,
        check=True,
        job_kind=job_kind,
        description=description,
    )


class LifecycleError(ValueError):
    """A control-plane request that cannot apply to a lifecycle; the message says why."""


class Lifecycles:
    """`engine.lifecycles`: the declarations, their modes and delays, and the one runner."""

    def __init__(self, store: Store, scheduler: Scheduler, clock: Clock, resources: Resources, outcomes: OutcomeBook) -> None:
        self._store = store
        self._scheduler = scheduler
        self._clock = clock
        self._resources = resources
        self._outcomes = outcomes
        self.declared: dict[str, Lifecycle] = {}
        self.modes: dict[str, str] = {}
        self.delays: dict[str, dict[str, float]] = {}
        self._base: dict[str, tuple[str, dict[str, float]]] = {}  # what a full reset restores
        resources.on_delete(self._record_deleted)

    # -- declaring and configuring -------------------------------------------------------------------
    def declare(self, lifecycle: Lifecycle) -> None:
        if lifecycle.name in self.declared:
            raise ValueError(f"lifecycle {lifecycle.name} is declared twice")
        if set(lifecycle.delays) != set(lifecycle.path):
            raise ValueError(f"lifecycle {lifecycle.name}: give a delay for each path state, and only those")
        self._resources.of(lifecycle.vendor, lifecycle.resource)  # declared first, or this raises
        self.declared[lifecycle.name] = lifecycle
        self.modes[lifecycle.name] = "time"
        self.delays[lifecycle.name] = {state: float(lifecycle.delays[state]) for state in lifecycle.path}
        self._scheduler.register(lifecycle.kind, self._due)

    def get(self, name: str) -> Lifecycle:
        lifecycle = self.declared.get(name)
        if lifecycle is None:
            known = ", ".join(sorted(self.declared)) or "none"
            raise LifecycleError(f"unknown lifecycle {name!r}; known: {known}")
        return lifecycle

    def configure(self, name: str, mode: str | None = None, delays: Mapping[str, Any] | None = None) -> None:
        """Set a lifecycle's mode and/or some of its delays (checked first: nothing changes on error)."""
        lifecycle = self.get(name)
        if mode is not None and mode not in MODES:
            raise LifecycleError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        for state, seconds in (delays or {}).items():
            if state not in lifecycle.path:
                raise LifecycleError(f"{name} has no timed state {state!r}; its states with a delay: {', '.join(lifecycle.path)}")
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds <= MAX_DELAY:
                raise LifecycleError(f"delay of {name}.{state} must be a number of seconds from 0 to {MAX_DELAY:.0f}")
        self.delays[name].update({state: float(seconds) for state, seconds in (delays or {}).items()})
        if mode is not None and mode != self.modes[name]:
            self.modes[name] = mode
            if mode != "manual":
                for tenant, run in self.active_runs(name):
                    self._progress(lifecycle, tenant, run)

    def settle(self) -> None:
        """Start-up done: the current modes and delays are what a full reset returns to."""
        self._base = {name: (self.modes[name], dict(self.delays[name])) for name in self.declared}

    def restore(self) -> None:
        for name, (mode, delays) in self._base.items():
            self.modes[name], self.delays[name] = mode, dict(delays)

    # -- runs ----------------------------------------------------------------------------------------
    def start(self, name: str, tenant: TenantState, record_id: Any, context: Mapping[str, Any] | None = None) -> Run:
        """Start a run on a record (superseding any run in flight on it) and move it per the mode."""
        lifecycle = self.get(name)
        record = self._resources.of(lifecycle.vendor, lifecycle.resource).edit(tenant, record_id)
        context = dict(context or {})
        outcome = self._forced(lifecycle, tenant, record_id) or lifecycle.decide(tenant, record, context)
        if outcome.state not in lifecycle.terminal:
            raise ValueError(f"{name}: outcome {outcome.state!r} is not one of its terminal states")
        now = iso_millis(self._clock.now())
        data = {
            "id": run_key(name, record_id),
            "lifecycle": name,
            "record_id": record_id,
            "state": lifecycle.path[0] if lifecycle.path else outcome.state,
            "outcome": outcome.to_json(),
            "context": context,
            "started_at": now,
            "entered_at": now,
            "job": None,
        }
        runs = tenant.collection(RUNS)
        self._store.note(runs, data["id"])
        runs[data["id"]] = data
        run = Run(data, tenant)
        lifecycle.write(record, run, self._clock.now())
        if not lifecycle.path:
            self._finish(lifecycle, tenant, data)
        else:
            self._progress(lifecycle, tenant, data)
        return run

    def active(self, name: str, tenant: TenantState, record_id: Any) -> Run | None:
        data = tenant.collection(RUNS).get(run_key(name, record_id))
        return Run(data, tenant) if data is not None else None

    def active_runs(self, name: str | None = None, tenant_key: str | None = None, record_id: Any = None) -> list[tuple[TenantState, dict[str, Any]]]:
        """Runs in flight (of one lifecycle, tenant or record), oldest first."""
        vendors = {self.declared[name].vendor} if name is not None else {lc.vendor for lc in self.declared.values()}
        found = []
        for vendor in sorted(vendors):
            for key, tenant in self._store.tenants(vendor).items():
                if tenant_key is not None and key != tenant_key:
                    continue
                for data in tenant.collection(RUNS).values():
                    if name is not None and data["lifecycle"] != name:
                        continue
                    if record_id is not None and str(data["record_id"]) != str(record_id):
                        continue
                    found.append((tenant, data))
        return sorted(found, key=lambda pair: (pair[1]["started_at"], str(pair[1]["id"])))

    def stop(self, name: str, tenant: TenantState, record_id: Any, state: str, message: str | None = None) -> Run | None:
        """End the run in flight on a record now, in a terminal state (e.g. cancelled); None if none runs."""
        lifecycle = self.get(name)
        if state not in lifecycle.terminal:
            raise ValueError(f"{name}: {state!r} is not one of its terminal states")
        runs = tenant.collection(RUNS)
        data = runs.get(run_key(name, record_id))
        if data is None:
            return None
        self._store.note(runs, data["id"])
        data["outcome"] = Outcome(state, message, "stopped").to_json()
        data["stopped"] = True
        self._enter(lifecycle, tenant, data, state)
        return Run(data, tenant)

    def advance(self, name: str, tenant_key: str | None = None, record_id: Any = None) -> list[dict[str, Any]]:
        """Move matching runs one step now, whatever the mode; returns the runs as they are after."""
        lifecycle = self.get(name)
        moved = []
        for tenant, data in self.active_runs(name, tenant_key, record_id):
            runs = tenant.collection(RUNS)
            self._store.note(runs, data["id"])
            if self._step(lifecycle, tenant, data) and data["state"] in lifecycle.path:
                self._progress(lifecycle, tenant, data)  # time mode: the next step is on the clock again
            moved.append(Run(data).to_json())
        return moved

    def pending_jobs(self) -> int:
        return len(self._scheduler.pending())

    def resume(self) -> None:
        """After a state load: give every timed run whose job was not saved a job again."""
        waiting = {job.payload.get("job") for job in self._scheduler.pending() if job.kind in {lc.kind for lc in self.declared.values()}}
        for tenant, data in self.active_runs():
            lifecycle = self.declared.get(data["lifecycle"])
            if lifecycle is not None and self.modes[lifecycle.name] == "time" and data.get("job") not in waiting:
                self._progress(lifecycle, tenant, data)

    # -- describing ----------------------------------------------------------------------------------
    def describe(self, name: str) -> dict[str, Any]:
        lifecycle = self.get(name)
        return {
            "name": name,
            "vendor": lifecycle.vendor,
            "resource": lifecycle.resource,
            "description": lifecycle.description,
            "states": list(lifecycle.path),
            "outcomes": list(lifecycle.outcomes),
            "terminal": list(lifecycle.terminal),
            "delays": dict(self.delays[name]),
            "mode": self.modes[name],
            "repeat": lifecycle.repeat,
            "active_runs": len(self.active_runs(name)),
        }

    # -- the runner ----------------------------------------------------------------------------------
    def _forced(self, lifecycle: Lifecycle, tenant: TenantState, record_id: Any) -> Outcome | None:
        rule = self._outcomes.take(lifecycle.name, lifecycle.check, tenant.key, record_id)
        if rule is None:
            return None
        state = rule.state or (lifecycle.outcomes[0] if rule.ok else lifecycle.failure)
        return Outcome(state, rule.message, "forced", rule.data or {})

    def _delay(self, lifecycle: Lifecycle, data: dict[str, Any]) -> float:
        own = (data.get("context") or {}).get("delays") or {}
        return float(own.get(data["state"], self.delays[lifecycle.name][data["state"]]))

    def _progress(self, lifecycle: Lifecycle, tenant: TenantState, data: dict[str, Any]) -> None:
        """Move the run as far as its mode allows now, and schedule its next timed step."""
        mode = self.modes[lifecycle.name]
        while data["state"] in lifecycle.path and mode != "manual":
            delay = self._delay(lifecycle, data)
            if mode == "time" and delay > 0:
                job = self._scheduler.schedule(delay, lifecycle.kind, {"tenant": tenant.key, "run": data["id"], "state": data["state"]})
                job.payload["job"] = data["job"] = job.seq
                return
            if not self._step(lifecycle, tenant, data):
                return

    def _step(self, lifecycle: Lifecycle, tenant: TenantState, data: dict[str, Any]) -> bool:
        """One step: to the next path state, or to the outcome. False when the record is gone."""
        state = data["state"]
        outcome = Outcome.from_json(data["outcome"])
        index = lifecycle.path.index(state)
        last = index + 1 >= len(lifecycle.path) or outcome.after == state
        return self._enter(lifecycle, tenant, data, outcome.state if last else lifecycle.path[index + 1])

    def _enter(self, lifecycle: Lifecycle, tenant: TenantState, data: dict[str, Any], state: str) -> bool:
        record = self._resources.of(lifecycle.vendor, lifecycle.resource).find(tenant, data["record_id"])
        if record is None:
            self._drop(tenant, data)
            return False
        self._store.note(self._resources.of(lifecycle.vendor, lifecycle.resource).records(tenant), data["record_id"])
        data["state"] = state
        data["entered_at"] = iso_millis(self._clock.now())
        data["job"] = None
        lifecycle.write(record, Run(data, tenant), self._clock.now())
        if state in lifecycle.terminal:
            self._finish(lifecycle, tenant, data)
        return True

    def _finish(self, lifecycle: Lifecycle, tenant: TenantState, data: dict[str, Any]) -> None:
        self._drop(tenant, data)
        if lifecycle.repeat and not data.get("stopped") and self.modes[lifecycle.name] == "time":
            self.start(lifecycle.name, tenant, data["record_id"], data.get("context"))

    def _drop(self, tenant: TenantState, data: dict[str, Any]) -> None:
        runs = tenant.collection(RUNS)
        if runs.get(data["id"]) is data:
            self._store.note(runs, data["id"])
            del runs[data["id"]]

    def _due(self, payload: dict[str, Any]) -> None:
        """A timed step fell due: move the run, unless it moved on, was superseded or stopped since."""
        run_id = payload.get("run")
        lifecycle = self.declared.get(str(run_id).split(":", 1)[0]) if run_id else None
        if lifecycle is None or self.modes[lifecycle.name] != "time":
            return
        tenant = self._store.find_tenant(lifecycle.vendor, payload["tenant"])
        data = tenant.collection(RUNS).get(run_id) if tenant is not None else None
        if data is None or data.get("job") != payload.get("job") or data["state"] != payload.get("state"):
            return
        if self._step(lifecycle, tenant, data):  # type: ignore[arg-type]  # tenant is known here
            self._progress(lifecycle, tenant, data)  # type: ignore[arg-type]

    def _record_deleted(self, tenant: TenantState, resource: str, record_id: Any) -> None:
        runs = tenant.collection(RUNS)
        for data in [d for d in runs.values() if d["record_id"] == record_id]:
            lifecycle = self.declared.get(data["lifecycle"])
            if lifecycle is not None and lifecycle.resource == resource:
                self._store.note(runs, data["id"])
                del runs[data["id"]]


def run_key(name: str, record_id: Any) -> str:
    return f"{name}:{record_id}"
