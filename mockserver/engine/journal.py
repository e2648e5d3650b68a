"""A bounded request journal: what was called, in order, with credentials masked.

WireMock's unbounded journal is the most reported way its users run out of memory; this one keeps
the last `size` entries only (a deque), and never holds a token: entries carry a short fingerprint
of it, so a test can still ask "what did this token do?" by fingerprinting its own token.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any, Iterator


def fingerprint(token: str | None) -> str | None:
    if not token:
        return None
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def masked(token: str | None) -> str | None:
    """What a person may see of a token: its first four characters, if it is long enough to spare them."""
    if not token:
        return None
    return (token[:4] + "…") if len(token) > 12 else "…"


@dataclass
class JournalEntry:
    id: int
    at: str
    vendor: str | None
    method: str
    path: str
    query: dict[str, str]
    status: int
    duration_ms: float
    operation_id: str | None
    tenant: str | None  # fingerprint of the credential
    tenant_hint: str | None  # masked credential, for people
    request_body: Any = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: deque[JournalEntry] = deque(maxlen=max(0, size))
        self._ids = itertools.count(1)
        self.total = 0

    def next_id(self) -> int:
        return next(self._ids)

    def record(self, entry: JournalEntry) -> None:
        self.total += 1
        if self.size:
            self._entries.append(entry)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
