"""The fault middleware: applies `engine.faults` rules to vendor requests, never to /__admin.

It sits between the journal and the vendor endpoints, so a faulted request is still journaled (with
`fault` set, and status 0 for a dropped connection), and a forced status is rendered by the matched
vendor's own error renderer, in that vendor's error shape.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Mapping

from aiohttp import web

from mockserver import request_keys as rk
from mockserver.dispatch import json_response
from mockserver.engine import Engine
from mockserver.engine.errors import ForcedFault
from mockserver.spec import SpecRegistry
from mockserver.vendors.base import Vendor

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]
DROPPED = 0  # the journal's status for a request whose connection was dropped


def fault_middleware(engine: Engine, registry: SpecRegistry, vendors: Mapping[str, Vendor]) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def faults(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        if not engine.faults.rules:  # the common case costs one truth test
            return await handler(request)
        vendor = registry.vendor_for_path(request.path)
        if vendor is None or vendor not in vendors:  # /__admin and non-vendor paths are never faulted
            return await handler(request)
        decision = engine.faults.pick(vendor, request.method, request.path)
        if decision is None:
            return await handler(request)
        request[rk.FAULT] = decision.kind
        if decision.delay_seconds > 0:
            await asyncio.sleep(decision.delay_seconds)
        if decision.drop:
            request[rk.VENDOR] = vendor
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=DROPPED)
        if decision.status is not None:
            request[rk.VENDOR] = vendor
            matched = registry.match(request.method, request.path)
            error = ForcedFault(decision.status, decision.message or "")
            return json_response(vendors[vendor].render_error(error, matched[0] if matched else None))
        return await handler(request)

    return faults
