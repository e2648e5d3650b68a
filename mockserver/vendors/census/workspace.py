"""The workspace an API key names: created on the key's first use, named by `--config` if declared.

`GET /api/v1/workspace` is how Census clients (the embedded demo among them) check that a key works,
so it is also where a declared `workspace_name` shows.
"""

from __future__ import annotations

from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.store import TenantInit, TenantState

WORKSPACE_ID_START = 123  # the id in the vendor's example
ORGANIZATION_ID = 1  # every workspace of the mock belongs to one organization


def initialiser(engine: Engine) -> TenantInit:
    def init(tenant: TenantState) -> None:
        tenant.attrs.setdefault("workspace_id", engine.store.next_id("census", "workspaces", WORKSPACE_ID_START))
        tenant.attrs.setdefault("workspace_created_at", iso_millis(engine.clock.now()))

    return init


def view(tenant: TenantState) -> dict[str, Any]:
    workspace_id = tenant.attrs.get("workspace_id", WORKSPACE_ID_START)
    return {
        "id": workspace_id,
        "name": tenant.attrs.get("workspace_name") or f"Workspace {workspace_id}",
        "organization_id": ORGANIZATION_ID,
        "created_at": tenant.attrs.get("workspace_created_at") or "1970-01-01T00:00:00.000Z",
        "notification_emails": list(tenant.attrs.get("notification_emails", [])),
    }
