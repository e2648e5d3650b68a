"""Cross-cutting request handling, wrapped around every route's handler: the journal and the
one-line access log, fault rules and `Prefer` steering, JSON 404s, and the admin plane's token and
error shape. (A vendor operation marks the engine changed itself, after a write: dispatch.py.)

Each of these was once its own aiohttp middleware; every layer is a coroutine and a call per
request, and any aiohttp middleware at all adds one more of aiohttp's own (which sets the request's
current app) and a cache lookup per request. So they are steps of one function (`request_steps`),
in the same order as before, and `wrap` puts them around each route's handler when the route is
added; `add_unmatched` adds the route that takes what no other route does:

    journal and log > faults and Prefer > JSON errors > admin > the route

The journal step records every request (vendor and admin alike) once the answer is known, so the
journal and the log see the final status, including answers produced by the later steps. It also
sends a refused vendor request's reason back in the `X-Mock-Rejection` header (see rejections.py),
after blanking every credential of the request out of it. The fault step costs two truth tests
when no rule is set and no `Prefer` header is sent; the admin step only runs under `/__admin`.
"""

from __future__ import annotations

import logging
from functools import lru_cache, partial
from time import perf_counter
from typing import Any, Awaitable, Callable, Protocol
from urllib.parse import urlencode

from aiohttp import web

from mockserver import jsonio, prefer, request_keys as rk
from mockserver.request_keys import Exchange
from mockserver.admin.http import ADMIN_PREFIX
from mockserver.engine import Engine
from mockserver.engine.journal import JournalEntry, Row, entry_of, fingerprint, masked, payload
from mockserver.routing import ANY_TAIL
from mockserver.rejections import HEADER as REJECTION_HEADER, header_value, redact, reject, request_secrets
from mockserver.vendors.base import MASK, is_secret_name, mask_secrets

access_log = logging.getLogger("mockserver.access")

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]
StepT = Callable[[web.Request, HandlerT], Awaitable[web.StreamResponse]]
MaskT = Callable[[web.Request, Exchange], object]
DEBUG_BODY_CHARS = 2000
_NO_MARKS: tuple[None, None] = (None, None)


@lru_cache(maxsize=1024)  # the same few tokens call again and again: one pair kept for each
def token_marks(token: str) -> tuple[str | None, str | None]:
    """What the journal keeps of a credential: its fingerprint and the hint a person may see."""
    return fingerprint(token), masked(token)


def shown_query(request: web.Request) -> str:
    """The query string as the log may show it: `?a=1&api_key=********` (secrets masked as in the journal)."""
    if not request.query_string:
        return ""
    pairs = [(k, MASK if v and is_secret_name(k) else v) for k, v in request.query.items()]
    return "?" + urlencode(pairs, safe="*/:,")


class Wrap(Protocol):
    """What `request_steps` gives: put the steps around one route's handler."""

    def __call__(self, handler: HandlerT, *, operation: bool = False) -> HandlerT: ...


def request_steps(engine: Engine, mask: MaskT, faults: StepT, admin: StepT) -> Wrap:
    """`wrap(handler)`: the handler with every step around it. `faults` is fault_injection's step,
    `admin` the admin plane's (both are called as functions here, not as aiohttp layers)."""
    stamp: Callable[[], float] = engine.clock.timestamp  # the journal's clock (a real one's is time.time itself)

    async def inner(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        """What sits under the fault step on every route but the vendors' operations: admin (its own
        paths only) and JSON errors."""
        try:
            if request.path.startswith(ADMIN_PREFIX):
                response = await admin(request, handler)
            else:
                response = await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = json_error(exc)
        return response

    def wrap(handler: HandlerT, *, operation: bool = False) -> HandlerT:
        """`operation`: the handler is a vendor operation's endpoint (dispatch.py), which answers every
        failure itself in the vendor's shape and marks the engine changed after a write; it is
        called with nothing between it and the steps above."""
        guarded = handler if operation else partial(inner, handler=handler)
        direct: Any = handler if operation else None  # an endpoint takes the Exchange as it is made

        async def served(request: web.Request) -> web.StreamResponse:
            started = perf_counter()
            exchange = request[rk.EXCHANGE] = Exchange()
            status = 500
            response: web.StreamResponse | None = None
            try:
                if engine.faults.rules or prefer.HEADER in request.headers:
                    response = await faults(request, guarded)
                elif direct is not None:  # the common case: a vendor operation, no fault rule, no Prefer
                    response = await direct(request, exchange)
                else:
                    response = await guarded(request)
                status = response.status
                return response
            except web.HTTPException as exc:
                status = exc.status
                raise
            finally:
                duration = (perf_counter() - started) * 1000
                if operation or not request.path.startswith(ADMIN_PREFIX):
                    record(engine, stamp(), mask, request, exchange, response, status, duration)
                elif access_log.isEnabledFor(logging.INFO):
                    access_log.info("- %s %s%s %d %.1fms", request.method, request.path, shown_query(request), status, duration)

        return served

    return wrap


def add_unmatched(router: web.UrlDispatcher, wrap: Wrap) -> None:
    """The last route: every method on every path no other route took. Left to aiohttp, such a
    request would get its text 404 or 405 from outside every route, so outside the steps; here it
    goes through them like any other (a JSON error, the admin shape under /__admin, a journal
    entry), and a path that another route serves with other methods still answers 405."""
    catch_all = router.add_resource("/" + ANY_TAIL)

    others: list[tuple[str, web.AbstractResource]] = []  # each route's literal start, filled on first use

    async def unmatched(request: web.Request) -> web.StreamResponse:
        if not others:
            others.extend((r.canonical.split("{", 1)[0], r) for r in router.resources() if r is not catch_all)
        allowed: set[str] = set()
        path = request.path
        for start, resource in others:
            if path.startswith(start):  # only a route that starts like the path can serve it
                found, methods = await resource.resolve(request)
                if found is None:
                    allowed |= methods
        if allowed:
            reject(request, f"method: {request.method} is not allowed on {request.path} (only {', '.join(sorted(allowed))})")
            raise web.HTTPMethodNotAllowed(request.method, sorted(allowed))
        reject(request, f"not found: no route for {request.method} {request.path}")
        raise web.HTTPNotFound()

    catch_all.add_route("*", wrap(unmatched))


def json_error(exc: web.HTTPException) -> web.Response:
    """aiohttp's own 404/405/413 pages are HTML-ish text; outside vendor prefixes answer JSON instead."""
    return web.Response(status=exc.status, body=jsonio.dumps({"message": exc.reason}), content_type="application/json")


def record(
    engine: Engine,
    moment: float,
    mask: MaskT,
    request: web.Request,
    exchange: Exchange,
    response: web.StreamResponse | None,
    status: int,
    duration: float,
) -> None:
    """The journal step: one row in the journal, the access-log line, the rejection header."""
    token = exchange.tenant_key
    body = None if exchange.body is None else mask(request, exchange)
    reason = exchange.rejection
    if reason is not None:
        reason = redact(reason, request_secrets(request, exchange.body, body))
        if response is not None and not response.prepared and status >= 400:
            response.headers[REJECTION_HEADER] = header_value(reason)
    tenant, hint = token_marks(token) if token else _NO_MARKS
    query = mask_secrets(dict(request.query)) if request.query_string else None  # `?api_key=` too
    row: Row = (
        moment, exchange.vendor, request.method, request.path, status, duration, exchange.operation, tenant, hint,
        exchange.fault, reason, exchange.prefer, None if body is None and query is None else payload(query, body),
    )
    engine.journal.record(row)
    if not access_log.isEnabledFor(logging.INFO):
        return
    access_log.info(
        "%s %s %s%s %d %.1fms%s%s%s%s",
        exchange.vendor or "-",
        request.method,
        request.path,
        shown_query(request),
        status,
        duration,
        f" tenant={hint}" if token else "",
        f" fault={exchange.fault}" if exchange.fault else "",
        f" prefer={exchange.prefer}" if exchange.prefer else "",
        f" reason={jsonio.dumps(reason).decode()}" if reason else "",
    )
    if access_log.isEnabledFor(logging.DEBUG):
        access_log.debug("  %s", _detail(request, entry_of(engine.journal.total, row)))


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
