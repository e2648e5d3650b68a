"""Encoded answers kept while the store does not change: the answers clients poll (Census's page of
destinations and its sync runs, Stitch's destination list, Portable's flow status) are rendered and
encoded once, then sent as the same bytes until anything in the store changes. Every vendor keeps
its own, and a handler opts in per answer (`reply(key, render)`).

Why: rendering and encoding such an answer costs as much as everything else in the request, or (a
766 KB page of 100 Census destinations) three times what sending it does; an orchestrator polls the
same answer over and over while nothing changes. Only an answer that depends on the store and its
key alone may be kept, or one that also reads the clock but says until when it holds (`until`: a
Stitch source's schedule names its next run, and the answer is rendered again once that instant
has come).

Never stale: every record changes through the engine's resources, which move the store's
`generation` before each change (lifecycle steps and rollbacks too), and the whole cache is dropped
when it moves. Everything else an answer depends on is in its key (the tenant, and whatever of the
request shapes it). Bounded: at most `MAX_ANSWERS` answers and `MAX_BYTES` bytes are kept, the
oldest dropped first; an answer bigger than the budget is sent and not kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Hashable

from mockserver import jsonio
from mockserver.engine.store import Store
from mockserver.vendors.base import Reply

MAX_ANSWERS = 64
MAX_BYTES = 8 * 1024 * 1024
JSON_HEADERS = {"Content-Type": "application/json"}  # what the dispatcher sets on a JSON body


Until = Callable[[Any], "datetime | None"]  # the instant a rendered answer stops holding (None: never)


class EncodedAnswers:
    def __init__(self, store: Store, now: Callable[[], datetime], max_answers: int = MAX_ANSWERS,
                 max_bytes: int = MAX_BYTES) -> None:
        self._store = store
        self._now = now  # the engine's clock, for answers kept `until` an instant
        self._max_answers, self._max_bytes = max_answers, max_bytes
        self._generation = -1
        self._kept: dict[Hashable, tuple[bytes, datetime | None]] = {}
        self._bytes = 0

    def reply(self, key: Hashable, render: Callable[[], Any], status: int = 200, until: Until | None = None) -> Reply:
        """The answer `render()` gives, encoded as the dispatcher would encode it; `render` must not
        change anything and must depend on nothing but the store and `key`, and the clock only up to
        the instant `until(answer)` names (the answer is rendered again from then on)."""
        generation = self._store.generation
        if generation != self._generation:
            self._kept.clear()
            self._bytes, self._generation = 0, generation
        kept = self._kept.get(key)
        if kept is None or (kept[1] is not None and self._now() >= kept[1]):
            value = render()
            if self._store.generation == generation:  # a render that changed something is not kept
                body = jsonio.dumps_kept(value)
                self._keep(key, body, until(value) if until is not None else None)
            else:
                body = jsonio.dumps(value)
        else:
            body = kept[0]
        return Reply(status, body, dict(JSON_HEADERS))

    def _keep(self, key: Hashable, body: bytes, until: datetime | None) -> None:
        if len(body) > self._max_bytes:
            return
        old = self._kept.pop(key, None)
        if old is not None:
            self._bytes -= len(old[0])
        while self._kept and (len(self._kept) >= self._max_answers or self._bytes + len(body) > self._max_bytes):
            self._bytes -= len(self._kept.pop(next(iter(self._kept)))[0])
        self._kept[key] = (body, until)
        self._bytes += len(body)

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def size(self) -> int:
        """Bytes kept."""
        return self._bytes
