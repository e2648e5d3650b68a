"""The fault step: applies `engine.faults` rules, and a request's own `Prefer: code=...`, to
vendor requests; never to /__admin.

It is a step of the one request middleware (middlewares.py), between the journal and the vendor
endpoints, so a faulted or steered request is still
journaled (with `fault` or `prefer` set, status 0 for a dropped connection, and the reason it was
refused), and a forced status is rendered by the matched vendor's own error renderer, in that
vendor's error shape. A `Prefer` header wins over fault rules: it is one caller's explicit request.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Mapping

from aiohttp import web

from mockserver import prefer, request_keys as rk
from mockserver.dispatch import json_response
from mockserver.engine import Engine
from mockserver.engine.errors import ForcedFault
from mockserver.latency import Latency
from mockserver.rejections import reject
from mockserver.spec import SpecRegistry
from mockserver.vendors.base import Vendor

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]
DROPPED = 0  # the journal's status for a request whose connection was dropped


def fault_step(engine: Engine, registry: SpecRegistry, vendors: Mapping[str, Vendor],
               latency: Latency | None = None) -> Callable[[web.Request, HandlerT], Awaitable[web.StreamResponse]]:
    latency = latency or Latency()

    async def faults(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        steered = prefer.HEADER in request.headers
        if not steered and not engine.faults.rules:  # the common case costs two truth tests
            return await handler(request)
        vendor = registry.vendor_for_path(request.path)
        if vendor is None or vendor not in vendors:  # /__admin and non-vendor paths are never faulted
            return await handler(request)
        if steered:
            return await _steer(request, handler, registry, vendors[vendor])
        decision = engine.faults.pick(vendor, request.method, request.path)
        if decision is None:
            return await handler(request)
        exchange = rk.exchange(request)
        exchange.fault = decision.kind
        if decision.delay_seconds > 0:
            await latency.sleep(decision.delay_seconds)  # cut short when the server stops
        if decision.drop:
            exchange.vendor = vendor
            reject(request, f"fault: rule {decision.rule_id} dropped the connection")
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=DROPPED)
        if decision.status is not None:
            exchange.vendor = vendor
            reject(request, f"fault: rule {decision.rule_id} forced status {decision.status}")
            matched = registry.match(request.method, request.path)
            error = ForcedFault(decision.status, decision.message or "")
            return json_response(vendors[vendor].render_error(error, matched[0] if matched else None))
        return await handler(request)

    return faults


async def _steer(request: web.Request, handler: HandlerT, registry: SpecRegistry, vendor: Vendor) -> web.StreamResponse:
    matched = registry.match(request.method, request.path)
    operation = matched[0] if matched else None
    steering = prefer.steer(request.headers.getall(prefer.HEADER), vendor, operation)
    if steering.reply is None:
        response = await handler(request)
    else:
        exchange = rk.exchange(request)
        exchange.vendor = vendor.name
        if operation is not None:
            exchange.operation = operation.operation_id
        exchange.prefer = steering.applied or ""
        if steering.reply.status >= 400:
            reject(request, f"prefer: {steering.applied} asked for by the request's Prefer header")
        response = json_response(steering.reply)
        response.headers[prefer.APPLIED_HEADER] = steering.applied or ""
    if steering.ignored and not response.prepared:
        response.headers[prefer.IGNORED_HEADER] = "; ".join(steering.ignored)
    return response
