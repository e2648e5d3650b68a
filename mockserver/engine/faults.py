"""Fault rules: make chosen vendor requests slow, fail with a status, or lose their connection.

A rule matches by vendor, method and path pattern (all optional), fires with a probability and/or
for a limited count, and does one of: add latency (fixed or a uniform range, milliseconds), force a
status (which the vendor renders in its own error shape), or drop the connection. Latency can be
combined with a status or a drop (slow, then failing). Rules are checked in the order they were
added and the first one that fires wins, so a specific rule added before a broad one takes
precedence. Dice come from their own seeded stream (`engine.random.stream("faults")`), so a
probabilistic rule is reproducible and never shifts the ids the vendors generate.

Nothing here knows about HTTP or vendors: the fault middleware asks `pick()` and acts on the answer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from mockserver.engine.fields import FieldError, method, optional_text, path_pattern
MAX_LATENCY_MS = 60_000
RULE_KEYS = {"vendor", "method", "path", "path_regex", "probability", "count", "latency_ms", "status", "drop", "message"}


class FaultRuleError(FieldError):
    """The rule as given cannot be used; the message says which field and why."""


@dataclass
class FaultRule:
    vendor: str | None = None
    method: str | None = None
    path: str | None = None  # glob; `*` crosses `/`
    path_regex: str | None = None  # must match the whole path
    probability: float = 1.0
    remaining: int | None = None  # None: fires until deleted
    latency_ms: tuple[float, float] | None = None  # (low, high); low == high for a fixed delay
    status: int | None = None
    drop: bool = False
    message: str | None = None
    id: int = 0
    fired: int = 0
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: Any) -> "FaultRule":
        if not isinstance(raw, Mapping):
            raise FaultRuleError("a fault rule must be a JSON object")
        unknown = sorted(set(raw) - RULE_KEYS)
        if unknown:
            raise FaultRuleError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(RULE_KEYS))}")
        rule = cls(
            vendor=optional_text(raw, "vendor"),
            method=method(raw),
            path=optional_text(raw, "path"),
            path_regex=optional_text(raw, "path_regex"),
            probability=_probability(raw.get("probability", 1.0)),
            remaining=_count(raw.get("count")),
            latency_ms=_latency(raw.get("latency_ms")),
            status=_status(raw.get("status")),
            drop=_bool(raw, "drop"),
            message=optional_text(raw, "message"),
        )
        rule._pattern = path_pattern(raw)
        if rule.status is not None and rule.drop:
            raise FaultRuleError("a rule either forces a status or drops the connection, not both")
        if rule.status is None and not rule.drop and rule.latency_ms is None:
            raise FaultRuleError("a rule needs an effect: latency_ms, status or drop")
        if rule.message is not None and rule.status is None:
            raise FaultRuleError("message only applies with status")
        return rule

    def matches(self, vendor: str, method: str, path: str) -> bool:
        return (
            (self.vendor is None or self.vendor == vendor)
            and (self.method is None or self.method == method)
            and (self._pattern is None or self._pattern.fullmatch(path) is not None)
        )

    def to_json(self) -> dict[str, Any]:
        latency: Any = None
        if self.latency_ms is not None:
            low, high = self.latency_ms
            latency = low if low == high else [low, high]
        return {
            "id": self.id,
            "vendor": self.vendor,
            "method": self.method,
            "path": self.path,
            "path_regex": self.path_regex,
            "probability": self.probability,
            "count": self.remaining,
            "latency_ms": latency,
            "status": self.status,
            "drop": self.drop,
            "message": self.message,
            "fired": self.fired,
        }


@dataclass(frozen=True)
class FaultDecision:
    """What to do to one request: wait `delay_seconds`, then answer `status`, drop, or carry on."""

    rule_id: int
    delay_seconds: float
    status: int | None
    drop: bool
    message: str | None

    @property
    def kind(self) -> str:
        return "drop" if self.drop else "status" if self.status is not None else "latency"


class FaultBook:
    def __init__(self, dice: random.Random) -> None:
        self.rules: list[FaultRule] = []
        self._dice = dice
        self._next_id = 1

    def add(self, rule: FaultRule) -> FaultRule:
        rule.id = self._next_id
        self._next_id += 1
        self.rules.append(rule)
        return rule

    def delete(self, rule_id: int) -> bool:
        before = len(self.rules)
        self.rules = [r for r in self.rules if r.id != rule_id]
        return len(self.rules) != before

    def clear(self, vendor: str | None = None) -> None:
        """All rules, or the rules aimed at one vendor (rules for any vendor stay)."""
        self.rules = [] if vendor is None else [r for r in self.rules if r.vendor != vendor]

    def pick(self, vendor: str, method: str, path: str) -> FaultDecision | None:
        for rule in self.rules:
            if not rule.matches(vendor, method, path):
                continue
            if rule.probability < 1.0 and self._dice.random() >= rule.probability:
                continue
            rule.fired += 1
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.rules.remove(rule)
            delay = 0.0
            if rule.latency_ms is not None:
                low, high = rule.latency_ms
                delay = (low if low == high else self._dice.uniform(low, high)) / 1000.0
            return FaultDecision(rule.id, delay, rule.status, rule.drop, rule.message)
        return None


# -- field parsing: each says what it wants when it gets something else ---------------------------

def _bool(raw: Mapping[str, Any], name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise FaultRuleError(f"{name} must be true or false")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _probability(value: Any) -> float:
    if not _number(value) or not 0 < value <= 1:
        raise FaultRuleError("probability must be a number above 0 and at most 1")
    return float(value)


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise FaultRuleError("count must be a whole number of at least 1")
    return value


def _status(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 400 <= value <= 599:
        raise FaultRuleError("status must be a whole number from 400 to 599")
    return value


def _latency(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if _number(value):
        low = high = value
    elif isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value):
        low, high = value
    else:
        raise FaultRuleError("latency_ms must be a number or a [low, high] pair of numbers")
    if not 0 <= low <= high <= MAX_LATENCY_MS:
        raise FaultRuleError(f"latency_ms must satisfy 0 <= low <= high <= {MAX_LATENCY_MS}")
    return float(low), float(high)
