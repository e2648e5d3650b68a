"""Why a vendor request was refused, said once and shown in three places.

The vendors' error bodies are kept exactly as the vendors send them, and several say nothing useful
(Census answers `{"status": 401}`, Stitch one generic sentence for any bad body). So whoever refuses
a request (the dispatcher, the fault middleware, a `Prefer` header) records a short reason on it;
the journal middleware then sends it back in the `X-Mock-Rejection` header (as Prism's
`sl-violations` does), writes it in the access log line and keeps it in the journal entry.

A reason may quote what the caller sent (a schema message naming a value), so before it is shown
anywhere every credential of the request (the token, the body's masked fields) is blanked out of it.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Iterable

from aiohttp import web

from mockserver import request_keys as rk
from mockserver.engine.errors import (
    Conflict,
    DomainError,
    ForcedFault,
    Forbidden,
    InvalidPathParameter,
    LimitReached,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from mockserver.vendors.base import MASK, basic_credentials

HEADER = "X-Mock-Rejection"
MAX_HEADER_CHARS = 1000

# Most specific class first: MalformedRequest and PayloadTooLarge are Invalids too.
_KINDS: tuple[tuple[type[DomainError], str], ...] = (
    (ForcedFault, "fault"),
    (Unauthorized, "auth"),
    (Forbidden, "forbidden"),
    (NotFound, "not found"),
    (InvalidPathParameter, "invalid path"),
    (MalformedRequest, "malformed"),
    (PayloadTooLarge, "too large"),
    (LimitReached, "limit"),
    (Conflict, "conflict"),
)


def describe(error: DomainError) -> str:
    """`<kind>: <what>`, e.g. `auth: missing or malformed bearer token`, `invalid: type is required`."""
    kind = _KIND_OF.get(type(error))
    if kind is None:
        kind = _KIND_OF[type(error)] = next((name for cls, name in _KINDS if isinstance(error, cls)), "")
    if not kind:
        kind = "invalid" if error.code != "internal" else "internal"
    return f"{kind}: {error.message or error.code or type(error).__name__}"


# Error class -> its kind ("" when it is none of _KINDS): the classes are few, each decided once.
_KIND_OF: dict[type[DomainError], str] = {}


def reject(request: web.Request, reason: str) -> None:
    """Record why this request is refused (the first reason given wins)."""
    exchange = rk.exchange(request)
    if exchange.rejection is None:
        exchange.rejection = reason


def rejected(request: web.Request, error: DomainError) -> None:
    reject(request, describe(error))


# -- keeping credentials out of it ----------------------------------------------------------------

def request_secrets(request: web.Request, raw_body: Any, masked_body: Any) -> set[str]:
    """Every credential the request carried: its Authorization value, the Basic password, and each
    body value the vendor's journal mask blanked out (found by comparing the body with its masked copy)."""
    found: set[str] = set()
    scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
    value = value.strip()
    if value:
        found.add(value)
        basic = basic_credentials(request) if scheme.lower() == "basic" else None
        if basic is not None:
            found.add(basic[1])
    tenant = rk.exchange(request).tenant_key
    if tenant:
        found.add(tenant)
    found.update(_masked_values(raw_body, masked_body))
    found.discard("")
    found.discard(MASK)
    return found


def _masked_values(raw: Any, masked: Any) -> Iterable[str]:
    if masked is raw:  # the mask shares every part it left alone (mask_secrets): nothing blanked there
        return
    if masked == MASK and raw != MASK:
        yield from _leaves(raw)
    elif isinstance(raw, dict) and isinstance(masked, dict):
        for key, item in raw.items():
            yield from _masked_values(item, masked.get(key))
    elif isinstance(raw, list) and isinstance(masked, list):
        for item, shown in zip(raw, masked):
            yield from _masked_values(item, shown)


def _leaves(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def redact(text: str, secrets: Collection[str]) -> str:
    """`text` with each secret (as a whole word, longest first) replaced by the mask."""
    for secret in secrets:
        if secret in text:
            break
    else:  # nearly every reason names no secret: nothing to sort or scan for
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = re.sub(rf"(?<![\w]){re.escape(secret)}(?![\w])", MASK, text)
    return text


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]+")


def header_value(reason: str) -> str:
    """One line of printable ASCII (other characters as `\\u` escapes), at most 1,000 characters."""
    if reason.isascii() and reason.isprintable():  # nearly every reason: nothing to replace
        text = reason
    else:
        text = _UNSAFE.sub(" ", reason).encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= MAX_HEADER_CHARS else text[: MAX_HEADER_CHARS - 3] + "..."
