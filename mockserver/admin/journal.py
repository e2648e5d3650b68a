"""Journal queries: turn admin filters (query string or JSON) into a `JournalFilter`.

Filters, all optional and combined with AND:
- `vendor`: stitch, portable or census;  `method`: GET, POST, ...;  `operation_id`: the spec's id;
- `path`: a glob over the whole path (`*` also crosses `/`), e.g. `/v4/destinations/*`;
  `path_regex`: a Python regex that must match the whole path, e.g. `/v4/destinations/\\d+`;
- `status`: `404`, or a class such as `4xx`;
- `token`: the raw credential a request used; it is fingerprinted here and compared with the
  entries' fingerprints (the journal never stores a token); `tenant`: a fingerprint as listed;
- `since`: an ISO 8601 instant (entries at or after it, on the server's clock);
- `after_id`: entries with a larger journal id (handy for "what happened since I last looked");
- `limit` (listing only): at most this many entries, the newest ones, in arrival order.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Mapping

from mockserver.admin.http import AdminError
from mockserver.engine.clock import iso_millis
from mockserver.engine import fields
from mockserver.engine.fields import FieldError
from mockserver.engine.journal import JournalFilter, fingerprint
from mockserver.vendors.base import Vendor

FILTER_KEYS = ("vendor", "method", "path", "path_regex", "status", "token", "tenant", "since", "after_id", "operation_id")
DEFAULT_LIMIT = 100


def parse_filter(raw: Mapping[str, Any], vendors: Mapping[str, Vendor], *, allow: tuple[str, ...] = ()) -> JournalFilter:
    try:
        return _parse_filter(raw, vendors, allow)
    except FieldError as exc:
        raise AdminError(str(exc)) from None


def _parse_filter(raw: Mapping[str, Any], vendors: Mapping[str, Vendor], allow: tuple[str, ...]) -> JournalFilter:
    unknown = sorted(set(raw) - set(FILTER_KEYS) - set(allow))
    if unknown:
        raise AdminError(f"unknown filter(s) {', '.join(unknown)}; known: {', '.join(FILTER_KEYS + allow)}")
    vendor = fields.optional_text(raw, "vendor")
    if vendor is not None and vendor not in vendors:
        raise AdminError(f"unknown vendor {vendor!r}; known: {', '.join(vendors)}")
    return JournalFilter(
        vendor=vendor,
        method=fields.method(raw),
        path=fields.path_pattern(raw),
        status=_status_range(raw.get("status")),
        tenants=_tenants(raw, vendor, vendors),
        since=_since(raw.get("since")),
        after_id=whole_number(raw.get("after_id"), "after_id"),
        operation_id=fields.optional_text(raw, "operation_id"),
    )


def parse_limit(raw: Any) -> int:
    limit = whole_number(raw, "limit")
    return DEFAULT_LIMIT if limit is None else limit


def whole_number(raw: Any, name: str) -> int | None:
    """An integer >= 0 from JSON or a query string."""
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) <= 12:
        return int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    raise AdminError(f"{name} must be a whole number of 0 or more")


def _status_range(raw: Any) -> tuple[int, int] | None:
    if raw is None:
        return None
    text = str(raw).strip().lower() if not isinstance(raw, bool) else ""
    if re.fullmatch(r"[1-5]\d\d", text):
        return int(text), int(text)
    if re.fullmatch(r"[1-5]xx", text):
        low = int(text[0]) * 100
        return low, low + 99
    if text == "0":  # dropped connections are journaled with status 0
        return 0, 0
    raise AdminError("status must be a status code such as 404, a class such as 4xx, or 0 (dropped)")


def _tenants(raw: Mapping[str, Any], vendor: str | None, vendors: Mapping[str, Vendor]) -> frozenset[str] | None:
    token = fields.optional_text(raw, "token")
    tenant = fields.optional_text(raw, "tenant")
    if token is not None and tenant is not None:
        raise AdminError("give token or tenant (its fingerprint), not both")
    if tenant is not None:
        return frozenset({tenant})
    if token is None:
        return None
    # Each vendor may normalise a credential (e.g. strip a prefix) before it names a tenant.
    candidates = [vendors[vendor]] if vendor is not None else list(vendors.values())
    return frozenset(f for f in (fingerprint(v.tenant_key(token)) for v in candidates) if f is not None)


def _since(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise AdminError("since must be an ISO 8601 instant, e.g. 2026-01-01T09:00:00Z")
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise AdminError("since must be an ISO 8601 instant, e.g. 2026-01-01T09:00:00Z") from None
    if moment.tzinfo is None:
        raise AdminError("since needs a time zone, e.g. 2026-01-01T09:00:00Z")
    return iso_millis(moment)
