"""Recurring schedules: a record that does something on its own, again and again (a Portable flow's
frequency or cron, a Census sync's schedule, a Stitch source's replication interval).

A schedule is one declared lifecycle that repeats: it waits, falls due, the vendor's `fire` runs,
and the next wait begins, as long as `next_wait` has one for the record. So a schedule is state
like any other run (saved and loaded with its tenant, dropped with its record, listed, advanced
and forced from the control plane), and nothing fires outside the engine's clock. Vendors declare
what a wait is and what firing does; this module owns the rest, and the cron grammar both use.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from mockserver.engine.errors import DomainError
from mockserver.engine.lifecycles import Lifecycle, Outcome, Run
from mockserver.engine.store import TenantState

if TYPE_CHECKING:
    from mockserver.engine.core import Engine

NextWait = Callable[[dict[str, Any], datetime], "float | None"]  # record, now -> seconds, or None: not scheduled
Fire = Callable[[TenantState, dict[str, Any], datetime], object]  # tenant, record, the moment it fell due (result unused)
WAITING, DUE, STOPPED = "waiting", "due", "stopped"

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
        if step < 1 or not (low <= start <= high and low <= end <= high):
            raise ValueError(f"{item!r} is outside {low}-{high}")
        if end < start:  # a range written backwards wraps around (22-2 is 22, 23, 0, 1, 2)
            end += span
        values.update(low + (v - low) % span for v in range(start, end + 1, step))
    return frozenset(values)


class Cron:
    """A five-field cron expression in UTC (numbers, `*`, ranges, lists and steps; no names or
    macros); `next_after` finds the next minute it fires. Anything else is a ValueError."""

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


def is_cron(expression: str) -> bool:
    try:
        Cron(expression)
    except ValueError:
        return False
    return True


def seconds_to_next(expression: str, now: datetime) -> float | None:
    """Seconds from `now` to the expression's next minute (at least one); None if it never comes."""
    upcoming = Cron(expression).next_after(now)
    return None if upcoming is None else max((upcoming - now).total_seconds(), 1.0)


class Schedule:
    """A record's recurring work, as the repeating lifecycle `name` on `resource`.

    `next_wait(record, now)` says how long until the record's next turn (None: it has none, and the
    schedule stops); `fire(tenant, record, due)` does the turn. `reschedule` (re)starts the wait
    from now and is called whenever what `next_wait` reads changes."""

    def __init__(self, engine: "Engine", name: str, resource: str, next_wait: NextWait, fire: Fire,
                 description: str) -> None:
        self._engine = engine
        self.name = name
        self._resource = resource
        self._next_wait = next_wait
        self._fire = fire
        engine.loaded.append(self._adopt)
        engine.lifecycles.declare(Lifecycle(
            name=name, resource=resource, path=(WAITING,), outcomes=(DUE,), stops=(STOPPED,),
            delays={WAITING: 24 * 3600.0}, decide=lambda tenant, record, context: Outcome(DUE),
            write=self._write, repeat=True, description=description,
        ))

    def reschedule(self, tenant: TenantState, record: dict[str, Any]) -> None:
        wait = self._next_wait(record, self._engine.clock.now())
        if wait is None:
            self._engine.lifecycles.stop(self.name, tenant, record["id"], STOPPED)
            return
        self._engine.lifecycles.start(self.name, tenant, record["id"], {"delays": {WAITING: wait}})

    def _adopt(self) -> None:
        """After a state load, every record with a turn to come and no wait running gets one: a state
        file written by hand, or before its vendor scheduled anything, schedules like the API would."""
        lifecycles = self._engine.lifecycles
        vendor = lifecycles.get(self.name).vendor
        records = self._engine.resources.of(vendor, self._resource)
        for tenant in list(self._engine.store.tenants(vendor).values()):
            for record in records.list(tenant):
                if lifecycles.active(self.name, tenant, record["id"]) is None:
                    self.reschedule(tenant, record)

    def _write(self, record: dict[str, Any], run: Run, now: datetime) -> None:
        if run.state != DUE or run.tenant is None:
            return
        try:
            self._fire(run.tenant, record, now)
        except DomainError:  # the vendor's own rules refuse this turn (as they would a request): skipped
            pass
        wait = self._next_wait(record, now)  # a cron's next wait depends on when this one ended
        if wait is None:
            run.data["stopped"] = True  # no next turn: the lifecycle does not repeat
        else:
            run.data["context"]["delays"] = {WAITING: wait}
