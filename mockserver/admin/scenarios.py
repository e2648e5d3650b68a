"""Forced connection-check outcomes: "the next check (or next N) for this vendor/token/resource fails
with this message" (or succeeds, whatever the deterministic rules would say).

The rules themselves live in `engine.outcomes`; vendors consult it when a check starts. Listing
shows a tenant's fingerprint, never the token.
"""

from __future__ import annotations

from typing import Any, Mapping

from mockserver.admin.http import AdminError
from mockserver.engine.journal import fingerprint
from mockserver.engine.outcomes import ForcedOutcome
from mockserver.vendors.base import Vendor

FORCE_KEYS = {"vendor", "ok", "message", "token", "resource_id", "destination_id", "times"}
MAX_TIMES = 1_000_000


def parse_forced(raw: Mapping[str, Any], vendors: Mapping[str, Vendor]) -> ForcedOutcome:
    unknown = sorted(set(raw) - FORCE_KEYS)
    if unknown:
        raise AdminError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(FORCE_KEYS))}")
    vendor = raw.get("vendor")
    if not isinstance(vendor, str) or vendor not in vendors:
        raise AdminError(f"vendor is required and must be one of {', '.join(vendors)}")
    ok = raw.get("ok", False)
    if not isinstance(ok, bool):
        raise AdminError("ok must be true or false")
    message = raw.get("message")
    if message is not None and (not isinstance(message, str) or not message):
        raise AdminError("message must be a non-empty string")
    if ok and message is not None:
        raise AdminError("message only applies to a failing check (ok: false)")
    token = raw.get("token")
    if token is not None and (not isinstance(token, str) or not token):
        raise AdminError("token must be a non-empty string")
    if "resource_id" in raw and "destination_id" in raw:
        raise AdminError("give resource_id or destination_id (the same thing), not both")
    resource = raw.get("resource_id", raw.get("destination_id"))
    if resource is not None and (isinstance(resource, bool) or not isinstance(resource, (str, int)) or resource == ""):
        raise AdminError("resource_id must be a string or an integer")
    times = raw.get("times", 1)
    if not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= MAX_TIMES:
        raise AdminError(f"times must be a whole number from 1 to {MAX_TIMES}")
    return ForcedOutcome(
        vendor=vendor,
        ok=ok,
        message=message,
        tenant=vendors[vendor].tenant_key(token) if token is not None else None,
        resource_id=str(resource) if resource is not None else None,
        remaining=times,
    )


def forced_to_json(rule: ForcedOutcome) -> dict[str, Any]:
    return {
        "id": rule.id,
        "vendor": rule.vendor,
        "ok": rule.ok,
        "message": rule.message,
        "tenant": fingerprint(rule.tenant),
        "resource_id": rule.resource_id,
        "remaining": rule.remaining,
    }
