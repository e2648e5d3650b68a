"""Refresh jobs: Census answers a request to refresh something (a destination's objects, one
object's fields, a source's tables, a table's or a model's columns) with a key, and a status to poll.

Every refresh has the vendor's one shape: `POST .../refresh_<what>` answers 200 `{"refresh_key":
<int>}` and `GET .../refresh_<what>_status?refresh_key=` answers `{"status": "processing" |
"completed"}`, neither enveloped. A refresh is a lifecycle: `processing` until the refresh delay
has passed on the engine's clock, then `completed` (with a delay of 0 it completes within the
request). Keys are epoch-like integers, like the vendor's examples: the current Unix second, or one
more than the last key handed out when that is later, so keys are unique across the whole server.

A key answers only where it was issued: for its owner (the destination, or the source) and its
scope on that owner (`objects`, `fields user`, `tables`, `columns table 3`, `columns model 7`);
anywhere else it is a 404 [infer]. Refreshes are children of their owner (deleting it deletes
them); each owner keeps its most recent `KEEP`, and older keys answer 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.errors import NotFound
from mockserver.engine.lifecycles import Lifecycle, Outcome, Run
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.base import Handler, Reply, RequestContext

KEEP = 500
PROCESSING, COMPLETED = "processing", "completed"
OBJECTS = "objects"  # the scope of a destination refresh saved before scopes existed

Locate = Callable[[RequestContext], "tuple[int, str]"]  # a request -> (owner id, scope); NotFound if absent


def _write(record: dict[str, Any], run: Run, now: datetime) -> None:
    record["status"] = run.state


def _decide(tenant: TenantState, record: dict[str, Any], context: Mapping[str, Any]) -> Outcome:
    return Outcome(COMPLETED)


class Refreshes:
    """The refreshes of one kind of owner: a declared resource under it, and a lifecycle."""

    def __init__(self, engine: Engine, *, name: str, owner: str, owner_field: str, lifecycle: str,
                 description: str, job_kind: str | None = None) -> None:
        self.engine = engine
        self.lifecycle = lifecycle
        self._owner_field = owner_field
        self.records: Resource = engine.resources.declare(
            ResourceType(vendor="census", name=name, sequence="refresh_keys", parent=owner,
                         parent_field=owner_field, keep=KEEP)
        )
        engine.lifecycles.declare(Lifecycle(
            name=lifecycle, resource=name, path=(PROCESSING,), outcomes=(COMPLETED,),
            delays={PROCESSING: engine.settings.refresh_delay}, decide=_decide, write=_write,
            job_kind=job_kind, description=description,
        ))

    def start(self, tenant: TenantState, owner_id: int, scope: str) -> int:
        key = self.engine.store.next_id("census", "refresh_keys", int(self.engine.clock.timestamp()))
        now = iso_millis(self.engine.clock.now())
        self.records.create(tenant, {"id": key, self._owner_field: owner_id, "scope": scope, "status": PROCESSING,
                                     "requested_at": now})
        self.engine.lifecycles.start(self.lifecycle, tenant, key)
        return key

    def status(self, tenant: TenantState, owner_id: int, scope: str, key: int) -> str:
        refresh = self.records.find(tenant, key)
        if refresh is None or refresh[self._owner_field] != owner_id or refresh.get("scope", OBJECTS) != scope:
            raise NotFound(f"no refresh {key} for {scope} of {self._owner_field.removesuffix('_id')} {owner_id}",
                           code="refresh")
        return str(refresh["status"])

    def endpoints(self, locate: Locate) -> tuple[Handler, Handler]:
        """The two endpoints of one kind of refresh: start it, and poll it."""

        def start(ctx: RequestContext) -> Reply:
            owner_id, scope = locate(ctx)
            return Reply(200, {"refresh_key": self.start(ctx.tenant, owner_id, scope)})

        def status(ctx: RequestContext) -> Reply:
            owner_id, scope = locate(ctx)
            return Reply(200, {"status": self.status(ctx.tenant, owner_id, scope, int(ctx.query["refresh_key"]))})

        return start, status
