"""Cross-cutting request handling in one aiohttp middleware: the journal and the one-line access
log, fault rules and `Prefer` steering, state-change tracking, JSON 404s, and the admin plane's
token and error shape.

Each of these was once its own middleware; every layer is a coroutine and a call per request for
every request, so they are now steps of one (`request_middleware`), in the same order as before:

    journal and log > faults and Prefer > change tracking and JSON errors > admin > the route

The journal step records every request (vendor and admin alike) once the answer is known, so the
journal and the log see the final status, including answers produced by the later steps. It also
sends a refused vendor request's reason back in the `X-Mock-Rejection` header (see rejections.py),
after blanking every credential of the request out of it. The fault step costs two truth tests
when no rule is set and no `Prefer` header is sent; the admin step only runs under `/__admin`.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import Any, Awaitable, Callable
from urllib.parse import urlencode

from aiohttp import web

from mockserver import jsonio, prefer, request_keys as rk
from mockserver.admin.http import ADMIN_PREFIX
from mockserver.engine import Engine
from mockserver.engine.journal import JournalEntry, fingerprint, masked
from mockserver.persistence import changed_by
from mockserver.rejections import HEADER as REJECTION_HEADER, header_value, redact, request_secrets
from mockserver.vendors.base import MASK, is_secret_name, mask_secrets

access_log = logging.getLogger("mockserver.access")

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]
StepT = Callable[[web.Request, HandlerT], Awaitable[web.StreamResponse]]
DEBUG_BODY_CHARS = 2000
_READ_BACK: tuple[Any, ...] = (rk.FAULT, rk.REJECTION, rk.PREFER)  # None until a step sets them


def shown_query(request: web.Request) -> str:
    """The query string as the log may show it: `?a=1&api_key=********` (secrets masked as in the journal)."""
    if not request.query_string:
        return ""
    pairs = [(k, MASK if v and is_secret_name(k) else v) for k, v in request.query.items()]
    return "?" + urlencode(pairs, safe="*/:,")


def request_middleware(engine: Engine, mask: Callable[[web.Request], object], faults: StepT, admin: StepT) -> Any:
    """The one middleware. `faults` is fault_injection's step, `admin` the admin plane's (both are
    called as functions here, not as aiohttp layers)."""

    async def inner(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        """What sits under the fault step: admin (its own paths only), JSON errors, change tracking."""
        try:
            if request.path.startswith(ADMIN_PREFIX):
                response = await admin(request, handler)
            else:
                response = await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = json_error(exc)
        if changed_by(request, response.status):
            engine.touch()
        return response

    @web.middleware
    async def mock(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500
        response: web.StreamResponse | None = None
        # Read back by the journal step on every request: set up front, a lookup of a missing key costs
        # an exception inside aiohttp's Mapping.get.
        for key in _READ_BACK:
            request[key] = None
        try:
            if prefer.HEADER in request.headers or engine.faults.rules:
                response = await faults(request, partial(inner, handler=handler))
            else:  # the common case: no fault rule set, no Prefer header sent
                response = await inner(request, handler)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            duration = (time.perf_counter() - started) * 1000
            if not request.path.startswith("/__admin"):
                record(engine, mask, request, response, status, duration)
            elif access_log.isEnabledFor(logging.INFO):
                access_log.info("- %s %s%s %d %.1fms", request.method, request.path, shown_query(request), status, duration)

    return mock


def json_error(exc: web.HTTPException) -> web.Response:
    """aiohttp's own 404/405/413 pages are HTML-ish text; outside vendor prefixes answer JSON instead."""
    return web.Response(status=exc.status, body=jsonio.dumps({"message": exc.reason}), content_type="application/json")


def record(
    engine: Engine,
    mask: Callable[[web.Request], object],
    request: web.Request,
    response: web.StreamResponse | None,
    status: int,
    duration: float,
) -> None:
    token = request.get(rk.TENANT_KEY)
    vendor = request.get(rk.VENDOR)
    body = mask(request)
    reason = request.get(rk.REJECTION)
    if reason is not None:
        reason = redact(reason, request_secrets(request, request.get(rk.BODY), body))
        if response is not None and not response.prepared and status >= 400:
            response.headers[REJECTION_HEADER] = header_value(reason)
    fault = request.get(rk.FAULT)
    steering = request.get(rk.PREFER)
    entry = JournalEntry(
        id=engine.journal.next_id(),
        moment=engine.clock.now(),
        vendor=vendor,
        method=request.method,
        path=request.path,
        query=mask_secrets(dict(request.query)) if request.query_string else {},  # `?api_key=` too
        status=status,
        duration=duration,
        operation_id=request.get(rk.OPERATION),
        tenant=fingerprint(token),
        tenant_hint=masked(token),
        request_body=body,
        fault=fault,
        reason=reason,
        prefer=steering,
    )
    engine.journal.record(entry)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(
            "%s %s %s%s %d %.1fms%s%s%s%s",
            vendor or "-",
            request.method,
            request.path,
            shown_query(request),
            status,
            duration,
            f" tenant={masked(token)}" if token else "",
            f" fault={fault}" if fault else "",
            f" prefer={steering}" if steering else "",
            f" reason={jsonio.dumps(reason).decode()}" if reason else "",
        )
    if access_log.isEnabledFor(logging.DEBUG):
        access_log.debug("  %s", _detail(request, entry))


def _detail(request: web.Request, entry: JournalEntry) -> str:
    """What `--log-level debug` adds under each request's line: everything the journal entry holds."""
    shown: dict[str, Any] = {
        "journal_id": entry.id,
        "operation_id": entry.operation_id,
        "query": entry.query,
        "content_type": request.headers.get("Content-Type"),
        "content_length": request.content_length,
        "user_agent": request.headers.get("User-Agent"),
        "prefer": request.headers.get("Prefer"),
        "body": entry.request_body,
    }
    text = jsonio.dumps({k: v for k, v in shown.items() if v not in (None, {}, "")}).decode()
    return text if len(text) <= DEBUG_BODY_CHARS else text[: DEBUG_BODY_CHARS - 3] + "..."
