"""Forced outcomes: "the next run (or next N) of this lifecycle, for this token/resource, ends in this
state with this message". The legacy form, `/__admin/scenarios/checks`, names a vendor and `ok`
and applies to that vendor's connection-check lifecycles.

The rules live in `engine.outcomes`; the lifecycle runner takes one when a run starts. Listing
shows a tenant's fingerprint, never the token.
"""

from __future__ import annotations

from typing import Any, Mapping

from mockserver.admin.http import AdminError
from mockserver.engine.journal import fingerprint
from mockserver.engine.lifecycles import Lifecycle
from mockserver.engine.outcomes import ForcedOutcome
from mockserver.vendors.base import Vendor

FORCE_KEYS = {"vendor", "ok", "message", "token", "resource_id", "destination_id", "times"}
LIFECYCLE_FORCE_KEYS = {"state", "message", "token", "resource_id", "times", "data"}
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
    message = _message(raw)
    if ok and message is not None:
        raise AdminError("message only applies to a failing check (ok: false)")
    if "resource_id" in raw and "destination_id" in raw:
        raise AdminError("give resource_id or destination_id (the same thing), not both")
    token, resource, times = _token(raw), _resource(raw.get("resource_id", raw.get("destination_id"))), _times(raw)
    return ForcedOutcome(
        vendor=vendor,
        ok=ok,
        message=message,
        tenant=vendors[vendor].tenant_key(token) if token is not None else None,
        resource_id=resource,
        remaining=times,
    )


def parse_lifecycle_force(lifecycle: Lifecycle, raw: Mapping[str, Any], vendors: Mapping[str, Vendor]) -> ForcedOutcome:
    unknown = sorted(set(raw) - LIFECYCLE_FORCE_KEYS)
    if unknown:
        raise AdminError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(LIFECYCLE_FORCE_KEYS))}")
    state = raw.get("state")
    if state not in lifecycle.outcomes:
        raise AdminError(f"state is required and must be one of {lifecycle.name}'s outcomes: {', '.join(lifecycle.outcomes)}")
    data = raw.get("data")
    if data is not None and not isinstance(data, dict):
        raise AdminError("data must be a JSON object (detail for the vendor, e.g. an error code)")
    token = _token(raw)
    vendor = vendors[lifecycle.vendor]
    return ForcedOutcome(
        vendor=lifecycle.vendor,
        ok=state == lifecycle.outcomes[0],
        message=_message(raw),
        tenant=vendor.tenant_key(token) if token is not None else None,
        resource_id=_resource(raw.get("resource_id")),
        remaining=_times(raw),
        lifecycle=lifecycle.name,
        state=state,
        data=data,
    )


def lifecycle_force_to_json(rule: ForcedOutcome) -> dict[str, Any]:
    return {
        "id": rule.id,
        "lifecycle": rule.lifecycle,
        "state": rule.state,
        "ok": rule.ok,
        "message": rule.message,
        "data": rule.data,
        "tenant": fingerprint(rule.tenant),
        "resource_id": rule.resource_id,
        "remaining": rule.remaining,
    }


# -- fields both forms share ----------------------------------------------------------------------

def _message(raw: Mapping[str, Any]) -> str | None:
    message = raw.get("message")
    if message is not None and (not isinstance(message, str) or not message):
        raise AdminError("message must be a non-empty string")
    return message


def _token(raw: Mapping[str, Any]) -> str | None:
    token = raw.get("token")
    if token is not None and (not isinstance(token, str) or not token):
        raise AdminError("token must be a non-empty string")
    return token


def _resource(resource: Any) -> str | None:
    if resource is not None and (isinstance(resource, bool) or not isinstance(resource, (str, int)) or resource == ""):
        raise AdminError("resource_id must be a string or an integer")
    return str(resource) if resource is not None else None


def _times(raw: Mapping[str, Any]) -> int:
    times = raw.get("times", 1)
    if not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= MAX_TIMES:
        raise AdminError(f"times must be a whole number from 1 to {MAX_TIMES}")
    return times


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
