"""Notifications (`/notifications/public/v1/api`): post-load hooks and custom notification emails.

At most 10 of each per account. Hooks point at one of the account's destinations; the mock records
them but delivers nothing (the network is closed to it) [infer].
"""

from __future__ import annotations

import re
from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import iso_seconds
from mockserver.engine.errors import Invalid, LimitReached, NotFound
from mockserver.engine.resources import Resource, ResourceType
from mockserver.engine.store import TenantState
from mockserver.vendors.stitch.sources import parse_timestamp

LIMIT = 10
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotificationModel:
    def __init__(self, engine: Engine, destinations: Resource) -> None:
        self.engine = engine
        self.destinations = destinations
        self.hooks = engine.resources.declare(
            ResourceType(vendor="stitch", name="hooks", missing=lambda _id: NotFound("hook not found", code="hook"))
        )
        self.emails = engine.resources.declare(
            ResourceType(vendor="stitch", name="custom_emails", missing=lambda _id: NotFound("custom email not found", code="custom_email"))
        )

    def _now(self) -> str:
        return self.engine.clock.now_seconds()

    # -- hooks ---------------------------------------------------------------------------------------
    def create_hook(self, tenant: TenantState, destination_id: int, config: dict[str, Any]) -> dict[str, Any]:
        if self.destinations.find(tenant, destination_id) is None:  # [infer] a hook needs a real destination
            raise Invalid("Invalid POST body", code="InvalidBody")
        if self.hooks.count(tenant) >= LIMIT:
            raise LimitReached(f"You have exceeded the limit of {LIMIT} hooks.", code="hooks")
        now = self._now()
        return self.hooks.create(
            tenant,
            {"type": "post_load", "version": 1, "destination_id": destination_id, "config": dict(config),
             "created_at": now, "modified_at": now, "disabled_at": None},
        )

    def enable_hook(self, tenant: TenantState, hook_id: int, enable: bool) -> dict[str, Any]:
        record = self.hooks.edit(tenant, hook_id)
        now = self._now()
        if enable:
            record["disabled_at"] = None
        elif record["disabled_at"] is None:
            record["disabled_at"] = now
        record["modified_at"] = now
        return record

    def delete_hook(self, tenant: TenantState, hook_id: int) -> None:
        self.hooks.delete(tenant, hook_id)

    # -- custom emails -------------------------------------------------------------------------------
    def create_email(self, tenant: TenantState, address: str) -> dict[str, Any]:
        if not EMAIL.match(address):
            raise Invalid("Required. Must be valid email address format.", code="email_address")
        if self.emails.count(tenant) >= LIMIT:
            raise LimitReached(
                "Account not authorized to create additional custom notification email addresses.", code="custom_emails"
            )
        return self.emails.create(tenant, {"email_address": address, "created_at": self._now(), "disabled_at": None})

    def disable_email(self, tenant: TenantState, email_id: int, value: Any) -> dict[str, Any]:
        """`disabled_at`: any ISO 8601 timestamp disables, null re-enables; anything else is echoed back as invalid."""
        self.emails.get(tenant, email_id)
        stamp = None
        if value is not None:
            moment = parse_timestamp(value) if isinstance(value, str) else None
            if moment is None:
                raise Invalid(str(value), code="disabled_at")
            stamp = iso_seconds(moment)
        return self.emails.update(tenant, email_id, disabled_at=stamp)

    def delete_email(self, tenant: TenantState, email_id: int) -> None:
        self.emails.delete(tenant, email_id)
