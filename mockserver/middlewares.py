"""Cross-cutting request handling: the journal and the one-line access log, and JSON 404s.

One middleware records every request (vendor and admin alike) once the answer is known, so the
journal and the log see the final status, including answers produced by later middlewares. It also
sends a refused vendor request's reason back in the `X-Mock-Rejection` header (see rejections.py),
after blanking every credential of the request out of it.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable
from urllib.parse import urlencode

from aiohttp import web

from mockserver import jsonio, request_keys as rk
from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.journal import JournalEntry, fingerprint, masked
from mockserver.rejections import HEADER as REJECTION_HEADER, header_value, redact, request_secrets
from mockserver.vendors.base import MASK, is_secret_name, mask_secrets

access_log = logging.getLogger("mockserver.access")

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]
DEBUG_BODY_CHARS = 2000


def shown_query(request: web.Request) -> str:
    """The query string as the log may show it: `?a=1&api_key=********` (secrets masked as in the journal)."""
    if not request.query_string:
        return ""
    pairs = [(k, MASK if v and is_secret_name(k) else v) for k, v in request.query.items()]
    return "?" + urlencode(pairs, safe="*/:,")


def journal_middleware(engine: Engine, mask: Callable[[web.Request], object]) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def journal(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500
        response: web.StreamResponse | None = None
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            duration = (time.perf_counter() - started) * 1000
            if not request.path.startswith("/__admin"):
                _record(engine, mask, request, response, status, duration)
            elif access_log.isEnabledFor(logging.INFO):
                access_log.info("- %s %s%s %d %.1fms", request.method, request.path, shown_query(request), status, duration)

    return journal


def _record(
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
    prefer = request.get(rk.PREFER)
    entry = JournalEntry(
        id=engine.journal.next_id(),
        at=iso_millis(engine.clock.now()),
        vendor=vendor,
        method=request.method,
        path=request.path,
        query=mask_secrets(dict(request.query)) if request.query else {},  # `?api_key=` too
        status=status,
        duration_ms=round(duration, 3),
        operation_id=request.get(rk.OPERATION),
        tenant=fingerprint(token),
        tenant_hint=masked(token),
        request_body=body,
        fault=fault,
        reason=reason,
        prefer=prefer,
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
            f" prefer={prefer}" if prefer else "",
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


@web.middleware
async def json_errors(request: web.Request, handler: HandlerT) -> web.StreamResponse:
    """aiohttp's own 404/405/413 pages are HTML-ish text; outside vendor prefixes answer JSON instead."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return web.Response(
            status=exc.status,
            body=jsonio.dumps({"message": exc.reason}),
            content_type="application/json",
        )
