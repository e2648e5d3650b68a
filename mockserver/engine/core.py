"""The Engine: one object that hands a vendor its clock, jobs, store, resources, lifecycles,
randomness and journal."""

from __future__ import annotations

from typing import Any, Callable

from mockserver.engine.clock import RealClock, VirtualClock
from mockserver.engine.faults import FaultBook
from mockserver.engine.journal import Journal
from mockserver.engine.lifecycles import Lifecycles
from mockserver.engine.outcomes import OutcomeBook
from mockserver.engine.randomness import Randomness
from mockserver.engine.resources import Resources
from mockserver.engine.scheduler import Scheduler
from mockserver.engine.store import Store
from mockserver.settings import Settings


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.clock = VirtualClock(settings.start_time) if settings.virtual_clock else RealClock()
        self.scheduler = Scheduler(self.clock)
        self.store = Store()
        self.random = Randomness(settings.seed)
        self.journal = Journal(settings.journal_size)
        self.outcomes = OutcomeBook()
        self.resources = Resources(self.store)
        self.lifecycles = Lifecycles(self.store, self.scheduler, self.clock, self.resources, self.outcomes)
        self.faults = FaultBook(self.random.stream("faults"))
        self.loaded: list[Callable[[], None]] = []  # called after a state load (schedules adopt their records)
        self._touched = 0

    def touch(self) -> None:
        """Note that state changed (a successful write, a reset, a load): persistence saves soon after."""
        self._touched += 1

    @property
    def version(self) -> int:
        """A number that grows whenever state may have changed; cheap enough to poll."""
        return self._touched + self.scheduler.runs + self.store.tenants_created

    def reset(self, vendor: str | None = None, tenant: str | None = None) -> None:
        """Drop state: everything (as if freshly started, same seed), one vendor, or one tenant."""
        self.store.reset(vendor, tenant)
        self.touch()
        if vendor is None:
            self.scheduler.clear()
            self.outcomes.clear()
            self.lifecycles.restore()
            self.faults.clear()
            self.random.reseed()
            self.journal.clear()
            if isinstance(self.clock, VirtualClock):
                self.clock.rewind()
            return
        prefix = vendor + "."

        def belongs(job: Any) -> bool:
            return job.kind.startswith(prefix) and (tenant is None or job.payload.get("tenant") == tenant)

        self.scheduler.clear(belongs)
        if tenant is None:
            self.outcomes.clear(vendor)
            self.faults.clear(vendor)

    def export(self) -> dict[str, Any]:
        return {"vendors": self.store.export(), "jobs": self.scheduler.export()}

    def load(self, raw: dict[str, Any]) -> None:
        self.store.load(raw.get("vendors") or {})
        self.scheduler.load(raw.get("jobs") or [])
        self.lifecycles.resume()
        for adopt in self.loaded:
            adopt()
        self.touch()
