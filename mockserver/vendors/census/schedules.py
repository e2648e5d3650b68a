"""When a Census sync runs on its own: its `schedule_frequency`, read as a cron expression in UTC.

Every frequency is a cron expression in disguise, so one engine Schedule (`census.sync_schedule`)
serves them all [infer: the vendor documents the fields and their values, not the minute each
fires]: `quarter_hourly` at `schedule_minute` and every 15 minutes after it, `hourly` at
`schedule_minute`, `daily` at `schedule_hour:schedule_minute`, `weekly` on `schedule_day` (Sunday
when none is given), `expression` by `cron_expression`, `continuous` every minute; `never`, and any
paused sync, not at all. Missing hours and minutes count as 0, and the hour 24 (the spec allows it)
as midnight.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockserver.engine.schedules import seconds_to_next

DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
CRON_GRAMMAR = ("five fields (minute hour day-of-month month day-of-week, UTC), each *, a number, "
                "a range or a list, optionally with a /step")


def cron_of(sync: dict[str, Any]) -> str | None:
    """The sync's schedule as a cron expression; None when it runs only when triggered."""
    frequency = sync["schedule_frequency"]
    if sync["paused"] or frequency == "never":
        return None
    minute = sync["schedule_minute"] or 0
    hour = (sync["schedule_hour"] or 0) % 24
    if frequency == "expression":
        return sync["cron_expression"] or None
    if frequency == "continuous":
        return "* * * * *"
    if frequency == "quarter_hourly":
        return f"{minute % 15}/15 * * * *"
    if frequency == "hourly":
        return f"{minute} * * * *"
    if frequency == "daily":
        return f"{minute} {hour} * * *"
    return f"{minute} {hour} * * {DAYS.index(sync['schedule_day'] or 'Sunday')}"  # weekly


def next_wait(sync: dict[str, Any], now: datetime) -> float | None:
    expression = cron_of(sync)
    return None if expression is None else seconds_to_next(expression, now)
