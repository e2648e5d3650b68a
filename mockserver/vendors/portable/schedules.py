"""When a flow runs on its own: a fixed frequency, or a five-field cron expression (UTC).

Pure functions of a schedule and a moment; the flow model turns their answer into the delay of the
repeating `portable.flow_schedule` lifecycle. The spec's `Cron` pattern has already held the
expression to the grammar read here (numbers, `*`, ranges, lists, steps; no names or macros).
"""

from __future__ import annotations

from datetime import datetime, timedelta

# Portable's documented frequencies, in seconds; `manual` never runs on its own.
FREQUENCIES: dict[str, float | None] = {
    "manual": None,
    "24h": 24 * 3600.0,
    "12h": 12 * 3600.0,
    "6h": 6 * 3600.0,
    "1h": 3600.0,
    "30m": 30 * 60.0,
    "15m": 15 * 60.0,
}
DEFAULT_FREQUENCY = "24h"  # Portable's create-flow example answers 24h for a body that gave none

# (lowest, highest) of each cron field: minute, hour, day of month, month, day of week (7 = Sunday too)
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_SEARCH_LIMIT = timedelta(days=366 * 5)  # `0 0 31 2 *` never fires: give up rather than loop forever


def _field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    span = high - low + 1
    for item in text.split(","):
        body, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, end = low, high
        else:
            first, _, last = body.partition("-")
            start = int(first)
            end = int(last) if last else (high if step_text else start)
        if end < start:  # a range written backwards wraps around (22-2 is 22, 23, 0, 1, 2)
            end += span
        values.update(low + (v - low) % span for v in range(start, end + 1, step))
    return frozenset(values)


class Cron:
    """A parsed cron expression; `next_after` finds the next minute it fires."""

    def __init__(self, expression: str) -> None:
        fields = expression.split()
        if len(fields) != 5:
            raise ValueError(f"a cron expression has five fields, not {len(fields)}: {expression!r}")
        parsed = [_field(text, low, high) for text, (low, high) in zip(fields, _BOUNDS)]
        self.minutes, self.hours, self.days, self.months, weekdays = parsed
        self.weekdays = frozenset(d % 7 for d in weekdays)  # 7 and 0 are both Sunday
        self.any_day = fields[2] == "*"
        self.any_weekday = fields[4] == "*"

    def _day_matches(self, moment: datetime) -> bool:
        by_day = moment.day in self.days
        by_weekday = (moment.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:  # one unrestricted: the other decides
            return by_day and by_weekday
        return by_day or by_weekday  # both restricted: either (Vixie cron)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first whole minute strictly after `moment` that the expression names; None if none
        comes within five years (e.g. February 31st)."""
        current = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = moment + _SEARCH_LIMIT
        while current <= limit:
            if current.month not in self.months:
                current = (current.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                continue
            if not self._day_matches(current):
                current = current.replace(hour=0, minute=0) + timedelta(days=1)
                continue
            if current.hour not in self.hours:
                current = current.replace(minute=0) + timedelta(hours=1)
                continue
            if current.minute not in self.minutes:
                current += timedelta(minutes=1)
                continue
            return current
        return None


def seconds_until_next(frequency: str | None, cron: str | None, now: datetime) -> float | None:
    """Seconds from `now` to the flow's next scheduled run; None when it only runs when asked."""
    if cron:
        upcoming = Cron(cron).next_after(now)
        return None if upcoming is None else max((upcoming - now).total_seconds(), 1.0)
    return FREQUENCIES.get(frequency or DEFAULT_FREQUENCY)
