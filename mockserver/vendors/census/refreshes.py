"""Object refresh jobs: `POST .../refresh_objects` queues one, `GET .../refresh_objects_status` polls it.

A refresh is `processing` until `refresh_delay` has passed on the engine's clock, then `completed`
(with a delay of 0 it completes within the request). Refresh keys are epoch-like integers, like the
vendor's examples: the current Unix second, or one more than the last key handed out when that is
later, so keys are unique across the whole server. A key only answers for the destination it was
issued for. Each workspace keeps its most recent `KEEP` refreshes; older keys answer 404.
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import NotFound
from mockserver.engine.store import TenantState

JOB_KIND = "census.refresh"
KEEP = 500
PROCESSING, COMPLETED = "processing", "completed"


def start(engine: Engine, tenant: TenantState, destination_id: int) -> int:
    key = engine.store.next_id("census", "refresh_keys", int(engine.clock.timestamp()))
    refreshes = tenant.collection("refreshes")
    refreshes[key] = {
        "id": key,
        "destination_id": destination_id,
        "status": PROCESSING,
        "requested_at": iso_millis(engine.clock.now()),
    }
    while len(refreshes) > KEEP:
        refreshes.pop(next(iter(refreshes)))
    engine.scheduler.run_later(engine.settings.refresh_delay, JOB_KIND, {"tenant": tenant.key, "refresh_key": key})
    return key


def status(tenant: TenantState, destination_id: int, key: int) -> str:
    refresh = tenant.collection("refreshes").get(key)
    if refresh is None or refresh["destination_id"] != destination_id:
        raise NotFound(f"no refresh {key} for destination {destination_id}", code="refresh")
    return str(refresh["status"])


def forget(tenant: TenantState, destination_id: int) -> None:
    refreshes = tenant.collection("refreshes")
    for key in [k for k, r in refreshes.items() if r["destination_id"] == destination_id]:
        del refreshes[key]


def make_runner(engine: Engine) -> Any:
    def finish(payload: dict[str, Any]) -> None:
        tenant = engine.store.find_tenant("census", payload["tenant"])
        refresh = tenant.collection("refreshes").get(payload["refresh_key"]) if tenant else None
        if refresh is not None:
            refresh["status"] = COMPLETED

    return finish
