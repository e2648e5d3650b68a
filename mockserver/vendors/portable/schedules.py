"""When a flow runs on its own: a fixed frequency, or a five-field cron expression (UTC).

A pure function of a flow's schedule and a moment: the wait of its `portable.flow_schedule` (an
engine Schedule). The spec's `Cron` pattern has already held the expression to the grammar the
engine's cron reads (numbers, `*`, ranges, lists, steps; no names or macros).
"""

from __future__ import annotations

from datetime import datetime

from mockserver.engine.schedules import seconds_to_next

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


def seconds_until_next(frequency: str | None, cron: str | None, now: datetime) -> float | None:
    """Seconds from `now` to the flow's next scheduled run; None when it only runs when asked."""
    if cron:
        return seconds_to_next(cron, now)
    return FREQUENCIES.get(frequency or DEFAULT_FREQUENCY)
