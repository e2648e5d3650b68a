"""Where all time comes from. A vendor never calls `datetime.now()`.

The real clock follows the wall clock. The virtual clock stands still until advanced, which lets a
test finish a connection check or a refresh without sleeping, and makes timestamps reproducible.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

DEFAULT_VIRTUAL_START = datetime(2026, 1, 1, 9, 0, 0, tzinfo=timezone.utc)


class Clock:
    virtual: bool = False

    def now(self) -> datetime:
        raise NotImplementedError

    def timestamp(self) -> float:
        return self.now().timestamp()

    def now_seconds(self) -> str:
        """`iso_seconds(self.now())`, the stamp most writes put on a record."""
        return iso_seconds(self.now())


class RealClock(Clock):
    virtual = False

    def __init__(self) -> None:
        self._second = -1
        self._second_text = ""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def now_seconds(self) -> str:
        # The wall clock's own second, formatted once per second: no datetime is made for a stamp.
        second = int(time.time())
        if second != self._second:
            self._second_text = iso_seconds(datetime.fromtimestamp(second, timezone.utc))
            self._second = second
        return self._second_text

    # time.time itself, not a method calling it: the journal and the scheduler ask on every request,
    # and a builtin costs no Python frame.
    timestamp = staticmethod(time.time)


class VirtualClock(Clock):
    virtual = True

    def __init__(self, start: datetime | None = None) -> None:
        self.start = (start or DEFAULT_VIRTUAL_START).astimezone(timezone.utc)
        self._now = self.start

    def rewind(self) -> None:
        """Back to the start instant; only a full reset does this, when no job is left to see time go back."""
        self._now = self.start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment < self._now:
            raise ValueError("the virtual clock never moves backwards")
        self._now = moment

    def advance_by(self, seconds: float) -> None:
        self.set(self._now + timedelta(seconds=seconds))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)


# Both formatters: datetime's own C isoformat, with its `+00:00` cut off (UTC always has it), is a
# third faster than f-strings and twice as fast as strftime. The real clock's `now_seconds` formats
# each second once, so the writes of a request do not come here.
def iso_seconds(moment: datetime) -> str:
    """`2021-06-03T16:11:03Z`: Stitch and Portable's timestamp style."""
    return _utc(moment).isoformat(timespec="seconds")[:-6] + "Z"


def iso_millis(moment: datetime) -> str:
    """`2023-07-22T23:42:47.239Z`: Census's timestamp style."""
    return _utc(moment).isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
