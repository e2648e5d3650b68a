"""Decides how a simulated connection check ends: deterministic by default, forceable from tests.

Default rules, the same for every vendor and documented in the README:
- a host (or URL) under the reserved `.invalid` top-level domain fails to resolve;
- a secret equal to `wrong-password` fails authentication;
- anything else succeeds.
A forced outcome (by lifecycle, or by vendor for connection checks, and optionally tenant and
resource) overrides the rules for the next N runs it matches; the lifecycle runner takes it.
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
    """"The next N runs of this lifecycle (for this tenant / record) end so". Without `lifecycle` it is
    the legacy forced connection check: it applies to the vendor's check lifecycles, by `ok`."""

    vendor: str
    ok: bool = False
    message: str | None = None
    tenant: str | None = None
    resource_id: str | None = None
    remaining: int = 1
    id: int = 0
    lifecycle: str | None = None
    state: str | None = None  # the terminal state to end in; None: by `ok`
    data: dict[str, Any] | None = None  # detail for the vendor's writer (e.g. an error code)

    def matches(self, lifecycle: str, check: bool, tenant: str, resource_id: str) -> bool:
        aimed = self.lifecycle == lifecycle if self.lifecycle is not None else check and lifecycle.startswith(self.vendor + ".")
        return (
            aimed
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

    def take(self, lifecycle: str, check: bool, tenant: str, resource_id: Any) -> ForcedOutcome | None:
        """The forced outcome for the run that starts now, consumed once; most specific rules first."""
        candidates = [r for r in self.forced if r.matches(lifecycle, check, tenant, str(resource_id))]
        if not candidates:
            return None
        rule = max(candidates, key=lambda r: (r.resource_id is not None, r.tenant is not None, r.lifecycle is not None, -r.id))
        rule.remaining -= 1
        if rule.remaining <= 0:
            self.forced.remove(rule)
        return rule

    def clear(self, vendor: str | None = None, lifecycle: str | None = None) -> None:
        """All forced outcomes, one vendor's, or one lifecycle's."""
        if lifecycle is not None:
            self.forced = [r for r in self.forced if r.lifecycle != lifecycle]
        else:
            self.forced = [r for r in self.forced if vendor is not None and r.vendor != vendor]
