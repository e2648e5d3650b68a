"""Jobs that fall due on the engine's clock: connection checks, object refreshes, link expiry.

A job is data (due time, kind, payload), and the code that runs it is registered by kind, so pending
jobs can be exported and restored with the rest of the state. Due jobs run in due-time order (ties
in scheduling order) before every request, on `advance()` of a virtual clock, and in real-clock mode
also from a background task, so state is current whenever anyone looks.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from mockserver.engine.clock import Clock, VirtualClock, iso_millis, parse_iso

JobRunner = Callable[[dict[str, Any]], None]
log = logging.getLogger("mockserver")


@dataclass(order=True)
class Job:
    due: datetime
    seq: int
    kind: str = field(compare=False)
    payload: dict[str, Any] = field(compare=False)
    stamp: float = field(init=False, compare=False, repr=False)  # `due` in seconds since the epoch

    def __post_init__(self) -> None:
        self.stamp = self.due.timestamp()

    def to_json(self) -> dict[str, Any]:
        return {"due": iso_millis(self.due), "seq": self.seq, "kind": self.kind, "payload": self.payload}


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        # Asked before every request: the instant as a float (a real clock's is time.time itself),
        # where now() would build a datetime.
        self._stamp: Callable[[], float] = clock.timestamp
        self._heap: list[Job] = []
        self._runners: dict[str, JobRunner] = {}
        self._seq = itertools.count(1)
        self._wake: asyncio.Event | None = None  # created inside the running loop by run_forever
        self.runs = 0  # jobs run so far; part of the engine's change counter

    def register(self, kind: str, runner: JobRunner) -> None:
        self._runners[kind] = runner

    def kinds(self) -> list[str]:
        return sorted(self._runners)

    def schedule(self, delay_seconds: float, kind: str, payload: dict[str, Any]) -> Job:
        if kind not in self._runners:
            raise KeyError(f"no runner registered for job kind {kind!r}")
        job = Job(self.clock.now() + timedelta(seconds=max(0.0, delay_seconds)), next(self._seq), kind, payload)
        heapq.heappush(self._heap, job)
        if self._wake is not None:
            self._wake.set()
        return job

    def run_later(self, delay_seconds: float, kind: str, payload: dict[str, Any]) -> Job:
        """Simulated vendor work (a check, a refresh): due after the delay, or done before the
        request answers when the delay is zero, which is what `--check-delay 0` promises."""
        job = self.schedule(delay_seconds, kind, payload)
        if delay_seconds <= 0:
            self.run_due()
        return job

    def next_due(self) -> datetime | None:
        return self._heap[0].due if self._heap else None

    def run_due(self) -> int:
        """Run every job due now; jobs scheduled by jobs run too if they are already due."""
        heap = self._heap
        if not heap or heap[0].stamp > self._stamp():  # every request asks; most often nothing is due
            return 0
        ran = 0
        now = self.clock.now()
        while self._heap and self._heap[0].due <= now:
            job = heapq.heappop(self._heap)
            try:
                self._runners[job.kind](job.payload)
            except Exception:  # a bug of ours in one job: the others still run, the request still answers
                log.exception("a %s job failed (a bug in the mock; the job is dropped)", job.kind)
            ran += 1
        self.runs += ran
        return ran

    def advance(self, seconds: float) -> int:
        """Move a virtual clock forward, stopping at each job's due time so it sees its own 'now'."""
        if not isinstance(self.clock, VirtualClock):
            raise RuntimeError("only a virtual clock can be advanced")
        target = self.clock.now() + timedelta(seconds=seconds)
        ran = 0
        while self._heap and self._heap[0].due <= target:
            self.clock.set(max(self.clock.now(), self._heap[0].due))
            ran += self.run_due()
        self.clock.set(target)
        return ran + self.run_due()

    def pending(self) -> list[Job]:
        return sorted(self._heap)

    def clear(self, predicate: Callable[[Job], bool] | None = None) -> None:
        self._heap = [j for j in self._heap if predicate is not None and not predicate(j)]
        heapq.heapify(self._heap)

    def export(self) -> list[dict[str, Any]]:
        return [job.to_json() for job in self.pending()]

    def load(self, jobs: list[dict[str, Any]]) -> None:
        self._heap = []
        top = 0
        for raw in jobs:
            if raw["kind"] not in self._runners:
                raise ValueError(f"unknown job kind {raw['kind']!r}")
            job = Job(parse_iso(raw["due"]), int(raw["seq"]), raw["kind"], dict(raw["payload"]))
            top = max(top, job.seq)
            self._heap.append(job)
        heapq.heapify(self._heap)
        self._seq = itertools.count(top + 1)

    async def run_forever(self) -> None:
        """Real-clock mode: sleep until the next due job (or a newly scheduled one), then run it."""
        self._wake = asyncio.Event()
        while True:
            due = self.next_due()
            timeout = None if due is None else max(0.0, (due - self.clock.now()).total_seconds())
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except asyncio.TimeoutError:
                pass
            self.run_due()
