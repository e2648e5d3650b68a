"""Object refreshes: `POST .../refresh_objects` starts one, `GET .../refresh_objects_status` polls it.

A refresh is a lifecycle: `processing` until the refresh delay has passed on the engine's clock,
then `completed` (with a delay of 0 it completes within the request). Refresh keys are epoch-like
integers, like the vendor's examples: the current Unix second, or one more than the last key handed
out when that is later, so keys are unique across the whole server. A key only answers for the
destination it was issued for; refreshes are children of their destination (deleting it deletes
them). Each destination keeps its most recent `KEEP` refreshes; older keys answer 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import NotFound
from mockserver.engine.lifecycles import Lifecycle, Outcome, Run
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState

LIFECYCLE = "census.object_refresh"
KEEP = 500
PROCESSING, COMPLETED = "processing", "completed"


class Refreshes:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.records: Resource = engine.resources.declare(
            ResourceType(
                vendor="census", name="refreshes", sequence="refresh_keys",
                parent="destinations", parent_field="destination_id", keep=KEEP,
            )
        )

        def write(record: dict[str, Any], run: Run, now: datetime) -> None:
            record["status"] = run.state

        def decide(tenant: TenantState, record: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
            return Outcome(COMPLETED)

        engine.lifecycles.declare(
            Lifecycle(
                name=LIFECYCLE,
                resource="refreshes",
                path=(PROCESSING,),
                outcomes=(COMPLETED,),
                delays={PROCESSING: engine.settings.refresh_delay},
                decide=decide,
                write=write,
                job_kind="census.refresh",
                description="A destination's object refresh: processing, then completed",
            )
        )

    def start(self, tenant: TenantState, destination_id: int) -> int:
        key = self.engine.store.next_id("census", "refresh_keys", int(self.engine.clock.timestamp()))
        now = iso_millis(self.engine.clock.now())
        self.records.create(tenant, {"id": key, "destination_id": destination_id, "status": PROCESSING, "requested_at": now})
        self.engine.lifecycles.start(LIFECYCLE, tenant, key)
        return key

    def status(self, tenant: TenantState, destination_id: int, key: int) -> str:
        refresh = self.records.find(tenant, key)
        if refresh is None or refresh["destination_id"] != destination_id:
            raise NotFound(f"no refresh {key} for destination {destination_id}", code="refresh")
        return str(refresh["status"])
