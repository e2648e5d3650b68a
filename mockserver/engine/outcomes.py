"""Decides how a simulated connection check ends: deterministic by default, forceable from tests.

Default rules, the same for every vendor and documented in the README:
- a host (or URL) under the reserved `.invalid` top-level domain fails to resolve;
- a secret equal to `wrong-password` fails authentication;
- anything else succeeds.
A forced outcome (by vendor, and optionally tenant and resource) overrides the rules for the next
N checks it matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

WRONG_PASSWORD = "wrong-password"


@dataclass(frozen=True)
class CheckOutcome:
    ok: bool
    reason: str = ""  # "", "dns", "auth" or "forced"
    field: str = ""
    value: str = ""
    message: str | None = None


SUCCESS = CheckOutcome(ok=True)


def host_of(value: str) -> str:
    """The host in a bare host, `host:port`, or URL value."""
    text = value.strip()
    if text.lower().startswith("jdbc:"):
        text = text[5:]
    if "://" in text:
        return (urlsplit(text).hostname or "").lower()
    return text.split("/")[0].rsplit(":", 1)[0].strip("[]").lower() if text.count(":") <= 1 else text.lower()


def classify(values: Mapping[str, Any], host_fields: Iterable[str], secret_fields: Iterable[str]) -> CheckOutcome:
    for name in host_fields:
        value = values.get(name)
        if isinstance(value, str) and value and (host_of(value) == "invalid" or host_of(value).endswith(".invalid")):
            return CheckOutcome(ok=False, reason="dns", field=name, value=host_of(value))
    for name in secret_fields:
        if values.get(name) == WRONG_PASSWORD:
            return CheckOutcome(ok=False, reason="auth", field=name)
    return SUCCESS


@dataclass
class ForcedOutcome:
    vendor: str
    ok: bool
    message: str | None = None
    tenant: str | None = None
    resource_id: str | None = None
    remaining: int = 1
    id: int = 0

    def matches(self, vendor: str, tenant: str, resource_id: str) -> bool:
        return (
            self.vendor == vendor
            and (self.tenant is None or self.tenant == tenant)
            and (self.resource_id is None or self.resource_id == str(resource_id))
        )


@dataclass
class OutcomeBook:
    forced: list[ForcedOutcome] = field(default_factory=list)
    _next_id: int = 1

    def force(self, rule: ForcedOutcome) -> ForcedOutcome:
        rule.id = self._next_id
        self._next_id += 1
        self.forced.append(rule)
        return rule

    def take(self, vendor: str, tenant: str, resource_id: Any) -> CheckOutcome | None:
        """The first forced outcome matching this check, consumed once; most specific rules first."""
        candidates = [r for r in self.forced if r.matches(vendor, tenant, str(resource_id))]
        if not candidates:
            return None
        rule = max(candidates, key=lambda r: (r.resource_id is not None, r.tenant is not None, -r.id))
        rule.remaining -= 1
        if rule.remaining <= 0:
            self.forced.remove(rule)
        return CheckOutcome(ok=rule.ok, reason="forced", message=rule.message)

    def decide(
        self, vendor: str, tenant: str, resource_id: Any, values: Mapping[str, Any],
        host_fields: Iterable[str], secret_fields: Iterable[str],
    ) -> CheckOutcome:
        """How the check that starts now will end: a forced outcome if one matches, else the rules."""
        forced = self.take(vendor, tenant, resource_id)
        return forced if forced is not None else classify(values, host_fields, secret_fields)

    def clear(self, vendor: str | None = None) -> None:
        self.forced = [r for r in self.forced if vendor is not None and r.vendor != vendor]
