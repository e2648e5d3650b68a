"""Cross-cutting request handling: the journal and the one-line access log, and JSON 404s.

One middleware records every request (vendor and admin alike) once the answer is known, so the
journal and the log see the final status, including answers produced by later middlewares.
"""

from __future__ import annotations

import logging
import time
from typing import Awaitable, Callable

from aiohttp import web

from mockserver import jsonio, request_keys as rk
from mockserver.engine import Engine
from mockserver.engine.clock import iso_millis
from mockserver.engine.journal import JournalEntry, fingerprint, masked
from mockserver.vendors.base import mask_secrets

access_log = logging.getLogger("mockserver.access")

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]


def journal_middleware(engine: Engine, mask: Callable[[web.Request], object]) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def journal(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            duration = (time.perf_counter() - started) * 1000
            token = request.get(rk.TENANT_KEY)
            vendor = request.get(rk.VENDOR)
            if not request.path.startswith("/__admin"):
                engine.journal.record(
                    JournalEntry(
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
                        request_body=mask(request),
                        fault=request.get(rk.FAULT),
                    )
                )
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %s %d %.1fms%s",
                    vendor or "-",
                    request.method,
                    request.path,
                    status,
                    duration,
                    f" tenant={masked(token)}" if token else "",
                )

    return journal


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
