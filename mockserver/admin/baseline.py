"""What a full reset returns to: the state the server started with.

A server started empty resets to empty. One started with `--demo` or `--load FILE` resets to that
starting state instead, so a demo or a scenario survives a reset (the pytest plugin resets before
every test) and only a restart replaces it. The snapshot is taken once the
starting state is in place: records, pending jobs, the virtual clock's instant and the position of
the random generator, so what follows a reset repeats what followed the start.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.engine import Engine
from mockserver.engine.clock import VirtualClock


@dataclass(frozen=True)
class Baseline:
    state: dict[str, Any]
    clock: datetime | None  # a virtual clock's instant; a real clock keeps running
    random: Any

    @classmethod
    def capture(cls, engine: Engine) -> "Baseline":
        clock = engine.clock.now() if isinstance(engine.clock, VirtualClock) else None
        return cls(copy.deepcopy(engine.export()), clock, engine.random.random.getstate())

    def restore(self, engine: Engine) -> None:
        """Put the starting state back on an engine that was just fully reset."""
        if self.clock is not None and isinstance(engine.clock, VirtualClock):
            engine.clock.set(self.clock)
        engine.load(copy.deepcopy(self.state))
        engine.random.random.setstate(self.random)
