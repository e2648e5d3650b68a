"""JSON in and out of the wire, with orjson (a required dependency): one parser everywhere, so bad
input is judged the same on every machine.

Malformed input: bad UTF-8, bad syntax, nesting deeper than the parser allows, and integers too
long to parse safely. Encoding falls back to the standard library only for values orjson refuses:
integers beyond 64 bits (orjson reads one as a float, so only our own code could make one) and
lone surrogates (a header that was not UTF-8, decoded with surrogateescape, in a tenant hint or a
rejection reason). `preencoded` lets an answer carry a value that
is the same bytes in every answer (a catalogue) already encoded, so it is copied, not re-encoded.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

MAX_DEPTH = 256


class MalformedJSON(ValueError):
    pass


def _depth_ok(raw: bytes) -> bool:
    """A cheap pre-check so the parser never recurses deeply: count bracket nesting outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return False
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return True


def loads(raw: bytes) -> Any:
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and not _depth_ok(raw):
        raise MalformedJSON(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return orjson.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise MalformedJSON(str(exc).split("\n")[0]) from None


def preencoded(value: Any) -> Any:
    """`value` encoded once, to be placed anywhere inside what `dumps` is given: orjson splices the
    bytes in as they are (orjson.Fragment). Only for the wire: what comes back is not a dict or list
    any more, so nothing may inspect it."""
    return orjson.Fragment(dumps_kept(value))


def dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # e.g. an integer beyond 64 bits
        pass
    # ASCII, so a lone surrogate (a header decoded with surrogateescape) is escaped, not an error.
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def dumps_kept(value: Any) -> bytes:
    """`dumps` for bytes that are kept (the journal, cached answers): orjson's result holds on to the
    buffer it grew while encoding, 4 KiB for a 137-byte body (16 KiB for 12 KB), so a kept one is
    copied to its own size; the copy costs about 0.1 µs for a small body."""
    return memoryview(dumps(value)).tobytes()


def pack(value: Any) -> bytes:
    """`value` kept as bytes that `unpack` reads back as it was, for rows held a long time (the
    journal): one object instead of a tree of them. orjson reads its own output back exactly; what
    it refuses to write is written by the standard library behind a leading space, and read back by
    it too (orjson would turn an integer beyond 64 bits into a float)."""
    try:
        return memoryview(orjson.dumps(value)).tobytes()
    except TypeError:
        return b" " + dumps(value)


def unpack(raw: bytes) -> Any:
    return json.loads(raw) if raw[:1] == b" " else orjson.loads(raw)
