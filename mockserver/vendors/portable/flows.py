"""Flows: a source, a destination of the same organisation, and when to run. Knows nothing of HTTP.

A flow keeps exactly one of `frequency` and `cron` (sending one replaces the other); a new flow
without either runs every 24 hours. Its schedule is (re)started whenever it changes.
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.errors import Invalid, NotFound
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.portable.runs import FlowRuns
from mockserver.vendors.portable.schedules import DEFAULT_FREQUENCY

FLOW_ID_START = 568971  # the flow id in Portable's get-flow-status example


class Flows:
    def __init__(self, engine: Engine, sources: Resource, destinations: Resource) -> None:
        self.engine = engine
        self.sources = sources
        self.destinations = destinations
        self.records = engine.resources.declare(ResourceType(
            vendor="portable", name="flows", id_start=FLOW_ID_START,
            missing=lambda rid: NotFound(f"flow {rid} not found", code="flow"),
        ))

    def attach(self, runs: FlowRuns) -> None:
        self.runs = runs

    # -- queries -----------------------------------------------------------------------------------
    def all(self, tenant: TenantState) -> list[dict[str, Any]]:
        return self.records.list(tenant)

    def get(self, tenant: TenantState, flow_id: int) -> dict[str, Any]:
        return self.records.get(tenant, flow_id)

    def using(self, tenant: TenantState, side: str, record_id: int) -> list[dict[str, Any]]:
        """Flows whose `side` ("source" or "destination") is the given record."""
        return self.records.list(tenant, where=lambda f: f[side] == record_id)

    # -- commands ----------------------------------------------------------------------------------
    def create(self, tenant: TenantState, body: dict[str, Any]) -> dict[str, Any]:
        self._check_ends(tenant, body)
        flow = self.records.create(tenant, {
            "displayName": body.get("displayName") or "",
            "source": body["source"],
            "destination": body["destination"],
            "frequency": None if body.get("cron") else body.get("frequency", DEFAULT_FREQUENCY),
            "cron": body.get("cron"),
        })
        self.runs.reschedule(tenant, flow)
        return flow

    def update(self, tenant: TenantState, flow_id: int, body: dict[str, Any]) -> dict[str, Any]:
        self.records.get(tenant, flow_id)
        self._check_ends(tenant, body)
        flow = self.records.edit(tenant, flow_id)
        before = (flow["frequency"], flow["cron"])
        for key in ("displayName", "source", "destination"):
            if key in body:
                flow[key] = body[key]
        if "frequency" in body:
            flow.update(frequency=body["frequency"], cron=None)
        if "cron" in body:
            flow.update(frequency=None, cron=body["cron"])
        if (flow["frequency"], flow["cron"]) != before:
            self.runs.reschedule(tenant, flow)
        return flow

    def delete(self, tenant: TenantState, flow_id: int) -> None:
        """The flow goes with its run attempts; a running attempt and the schedule end with it."""
        self.records.delete(tenant, flow_id)

    def _check_ends(self, tenant: TenantState, body: dict[str, Any]) -> None:
        """A flow joins a source and a destination of this organisation (another's are unknown here)."""
        problems = [
            f"{side} {body[side]} does not exist"
            for side, resource in (("source", self.sources), ("destination", self.destinations))
            if side in body and resource.find(tenant, body[side]) is None
        ]
        if problems:
            raise Invalid("; ".join(problems), code="flow_ends", problems=problems)
