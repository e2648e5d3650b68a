"""A bounded request journal: what was called, in order, with credentials masked.

WireMock's unbounded journal is the most reported way its users run out of memory; this one keeps
the last `size` entries only (a deque), and never holds a token: entries carry a short fingerprint
of it, so a test can still ask "what did this token do?" by fingerprinting its own token.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Iterable, Iterator

from mockserver import jsonio
from mockserver.engine.clock import iso_millis

MAX_BODY_BYTES = 64 * 1024  # a larger request body is journaled as a short note, not kept


@lru_cache(maxsize=1024)  # the same few tokens call again and again; a hash per request adds up
def fingerprint(token: str | None) -> str | None:
    if not token:
        return None
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def masked(token: str | None) -> str | None:
    """What a person may see of a token: its first four characters, if it is long enough to spare them."""
    if not token:
        return None
    return (token[:4] + "…") if len(token) > 12 else "…"


class JournalEntry:
    """One request as the journal keeps it, made only when the journal is read.

    Recording runs on every request, reading rarely, so the journal keeps each request as a
    compact row (see `Journal`) and makes an entry from it only when it is read; `at` and
    `duration_ms` are worked out then. Secrets are never among the pieces: the caller passes the
    token's fingerprint and hint, and a request body and query already masked (masking stays eager,
    so nothing secret is ever held).
    """

    __slots__ = ("id", "moment", "vendor", "method", "path", "query", "status", "duration", "operation_id",
                 "tenant", "tenant_hint", "request_body", "fault", "reason", "prefer", "_at")

    def __init__(
        self,
        id: int,
        moment: float,  # seconds since the epoch, from the engine's clock
        vendor: str | None,
        method: str,
        path: str,
        query: dict[str, str] | None,
        status: int,
        duration: float,
        operation_id: str | None,
        tenant: str | None,  # fingerprint of the credential
        tenant_hint: str | None,  # masked credential, for people
        request_body: Any = None,  # a JSON value, masked
        fault: str | None = None,  # "latency", "status" or "drop" when a fault rule touched the request
        reason: str | None = None,  # why the request was refused (as in the X-Mock-Rejection header), credentials blanked
        prefer: str | None = None,  # the `Prefer` steering applied to it, e.g. "code=503"
    ) -> None:
        self.id = id
        self.moment = moment
        self.vendor = vendor
        self.method = method
        self.path = path
        self.query = query if query is not None else {}
        self.status = status
        self.duration = duration  # milliseconds, as measured
        self.operation_id = operation_id
        self.tenant = tenant
        self.tenant_hint = tenant_hint
        self.request_body = request_body
        self.fault = fault
        self.reason = reason
        self.prefer = prefer
        self._at: str | None = None

    @property
    def at(self) -> str:
        """The instant in the Census style (`2023-07-22T23:42:47.239Z`), formatted once, when first read."""
        if self._at is None:
            self._at = iso_millis(datetime.fromtimestamp(self.moment, timezone.utc))
        return self._at

    @property
    def duration_ms(self) -> float:
        return round(self.duration, 3)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "vendor": self.vendor,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "duration_ms": self.duration_ms,
            "operation_id": self.operation_id,
            "tenant": self.tenant,
            "tenant_hint": self.tenant_hint,
            "request_body": self.request_body,
            "fault": self.fault,
            "reason": self.reason,
            "prefer": self.prefer,
        }

    def __repr__(self) -> str:
        return f"JournalEntry({self.id}, {self.vendor} {self.method} {self.path} {self.status})"


# What `Journal.record` keeps of one request, in this order: moment, vendor, method, path, status,
# duration, operation_id, tenant, tenant_hint, fault, reason, prefer, and `payload`: None, or the
# request's query and body (both masked already) as `payload(query, body)` made them.
Row = tuple[float, str | None, str, str, int, float, str | None, str | None, str | None, str | None, str | None,
            str | None, bytes | None]


def payload(query: dict[str, str] | None, body: Any) -> bytes:
    """The part of a row that may be a tree of objects, kept as one bytes object (its JSON). The
    body the journal masked shares what held no secret with the body a handler may keep and change
    later, so it is encoded at once; the query is a dict, encoded with it. A row with neither keeps
    None instead (the caller tests that, saving a call for every request that sends neither)."""
    return jsonio.pack((query, body))


def entry_of(id: int, row: Row) -> "JournalEntry":
    moment, vendor, method, path, status, duration, operation_id, tenant, hint, fault, reason, prefer, packed = row
    query, body = (None, None) if packed is None else jsonio.unpack(packed)
    return JournalEntry(id, moment, vendor, method, path, query, status, duration, operation_id, tenant, hint,
                        body, fault, reason, prefer)


class Journal:
    """The last `size` requests. Ids count every request recorded (1, 2, ...), kept or not, so `total`
    is the newest id; a cleared journal goes on from there. The kept rows are always the newest ones,
    so their ids are not stored: they run up to `total`.

    A row is a tuple of strings and numbers only, with the request's query and body (when it has
    either) as one bytes object (`payload`). A row leaves the ring a thousand requests after it came,
    from memory the CPU no longer has at hand, so what matters is how few objects it frees there
    and how little it costs to make. Measured in the server (CPU per request, A/B against no
    journal): a tuple holding the body as a tree cost 2.7 µs a POST to free; the whole row encoded
    as one bytes object cost 5.7 µs a GET to make and keep (2.4 of it the encoding), this shape
    2.3. A tuple of atoms also leaves the garbage collector's lists at its first collection.
    Reading makes entries from the rows, which only a journal query does.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._rows: deque[Row] = deque(maxlen=max(0, size))
        self.total = 0

    def record(self, row: Row) -> None:
        self.total += 1
        if self.size:
            self._rows.append(row)

    def __iter__(self) -> Iterator[JournalEntry]:
        rows = list(self._rows)
        first = self.total - len(rows) + 1
        return (entry_of(first + i, row) for i, row in enumerate(rows))

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        self._rows.clear()

    def find(self, where: "JournalFilter", limit: int | None = None) -> tuple[list[JournalEntry], int]:
        """Matching entries in arrival order, the newest `limit` of them, and how many matched in all."""
        found = [e for e in self if where.matches(e)]
        kept = found if limit is None else found[max(0, len(found) - limit):]
        return kept, len(found)

    def count(self, where: "JournalFilter") -> int:
        return sum(1 for e in self if where.matches(e))


@dataclass(frozen=True)
class JournalFilter:
    """What a journal query asks for; every field left as None matches anything.

    `path` is a compiled pattern matched against the whole path (a glob or a regex, both compiled by
    the caller); `tenants` are fingerprints (a raw token is fingerprinted before it gets here, the
    journal never sees one); `status` is an inclusive range so `404` and `4xx` read the same way;
    `since` is an instant formatted like entries' `at` (iso_millis), so comparing strings is exact.
    """

    vendor: str | None = None
    method: str | None = None
    path: re.Pattern[str] | None = None
    status: tuple[int, int] | None = None
    tenants: frozenset[str] | None = None
    since: str | None = None
    after_id: int | None = None
    operation_id: str | None = None

    def matches(self, entry: JournalEntry) -> bool:
        return (
            (self.vendor is None or entry.vendor == self.vendor)
            and (self.method is None or entry.method == self.method)
            and (self.status is None or self.status[0] <= entry.status <= self.status[1])
            and (self.tenants is None or entry.tenant in self.tenants)
            and (self.since is None or entry.at >= self.since)
            and (self.after_id is None or entry.id > self.after_id)
            and (self.operation_id is None or entry.operation_id == self.operation_id)
            and (self.path is None or self.path.fullmatch(entry.path) is not None)
        )


def fingerprints(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(f for f in (fingerprint(t) for t in tokens) if f is not None)
