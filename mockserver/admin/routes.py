"""Admin endpoints. JSON in, JSON out; errors are `{"error": "..."}` with a 4xx status."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mockserver import __version__, jsonio
from mockserver.engine import Engine
from mockserver.settings import Settings
from mockserver.spec import SpecRegistry
from mockserver.vendors.base import Vendor


class AdminError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def reply(body: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=jsonio.dumps(body), content_type="application/json")


async def read_json(request: web.Request, *, default: Any = None) -> Any:
    raw = await request.read()
    if not raw.strip():
        return default
    try:
        return jsonio.loads(raw)
    except jsonio.MalformedJSON as exc:
        raise AdminError(f"malformed JSON: {exc}") from None


def setup_admin(
    app: web.Application,
    engine: Engine,
    registry: SpecRegistry,
    vendors: dict[str, Vendor],
    settings: Settings,
) -> None:
    def wrap(fn: Any) -> Any:
        async def handler(request: web.Request) -> web.StreamResponse:
            try:
                return await fn(request)
            except AdminError as exc:
                return reply({"error": str(exc)}, exc.status)

        return handler

    async def health(request: web.Request) -> web.Response:
        return reply(
            {
                "status": "ok",
                "version": __version__,
                "vendors": [
                    {"name": name, "prefixes": list(v.spec.prefixes), "operations": len(v.spec.operations)}
                    for name, v in vendors.items()
                ],
                "clock": {"virtual": engine.clock.virtual, "now": engine.clock.now().isoformat()},
            }
        )

    async def reset(request: web.Request) -> web.Response:
        body = await read_json(request, default={})
        if not isinstance(body, dict):
            raise AdminError("body must be a JSON object")
        vendor = body.get("vendor", request.query.get("vendor"))
        token = body.get("token", request.query.get("token"))
        if vendor is not None and vendor not in vendors:
            raise AdminError(f"unknown vendor {vendor!r}; known: {', '.join(vendors)}")
        if token is not None and vendor is None:
            raise AdminError("token needs a vendor: tokens are per vendor")
        if token is not None and not isinstance(token, str):
            raise AdminError("token must be a string")
        engine.reset(vendor, vendors[vendor].tenant_key(token) if token is not None else None)
        return reply({"status": "reset", "vendor": vendor, "token": bool(token)})

    app.router.add_get("/__admin/health", wrap(health))
    app.router.add_post("/__admin/reset", wrap(reset))
