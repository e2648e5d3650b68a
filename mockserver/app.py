"""create_app(settings): wires specs, vendors, the control plane and the request steps. Nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, AsyncIterator

from aiohttp import web

from mockserver import request_keys as rk
from mockserver.admin import Control, admin_step, setup_admin
from mockserver.app_keys import CONTROL, ENGINE, REGISTRY, SETTINGS, VENDORS
from mockserver.demo import with_demo_tenants
from mockserver.dispatch import make_endpoint, make_not_found
from mockserver.config import ConfigError
from mockserver.engine import Engine
from mockserver.engine.lifecycles import LifecycleError
from mockserver.engine.journal import MAX_BODY_BYTES as JOURNAL_BODY_BYTES
from mockserver.fault_injection import fault_step
from mockserver.latency import Latency
from mockserver.persistence import load_ctx, persistence_ctx
from mockserver.middlewares import add_unmatched, request_steps
from mockserver.resources import specs_dir
from mockserver.settings import Settings
from mockserver.routing import ANY_TAIL, install_resolver
from mockserver.spec import SpecRegistry, VendorSpec, load_vendor_spec
from mockserver.vendors import VENDOR_MODULES, create_vendor
from mockserver.vendors.base import Vendor

log = logging.getLogger("mockserver")

__all__ = ["CONTROL", "ENGINE", "REGISTRY", "SETTINGS", "VENDORS", "create_app", "load_registry"]


@lru_cache(maxsize=None)
def vendor_spec(name: str, folder: Path) -> VendorSpec:
    """Specs are immutable once loaded, so every app in a process shares them (tests build many apps)."""
    return load_vendor_spec(name, folder)


def load_registry(names: tuple[str, ...]) -> SpecRegistry:
    return SpecRegistry([vendor_spec(name, specs_dir() / name) for name in names])


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings()
    if settings.demo:
        settings = with_demo_tenants(settings)  # the demo's tokens are declared tenants
    names = settings.vendors or tuple(VENDOR_MODULES)
    engine = Engine(settings)
    registry = load_registry(tuple(names))
    vendors: dict[str, Vendor] = {name: create_vendor(registry.specs[name], engine, settings) for name in names}
    for vendor in vendors.values():
        check_handlers(vendor)
    for name, overrides in settings.lifecycles.items():  # --config's `lifecycles:` (delays and modes)
        if name.split(".", 1)[0] in vendors:  # a lifecycle of a vendor not served this time is skipped
            try:
                engine.lifecycles.configure(name, overrides.get("mode"), overrides.get("delays"))
            except LifecycleError as exc:
                raise ConfigError(f"config: lifecycles.{name}: {exc}") from None
    engine.lifecycles.settle()

    def mask(request: web.Request, exchange: rk.Exchange) -> Any:
        """The body as the journal keeps it (called only for a request whose body was parsed)."""
        vendor = vendors.get(exchange.vendor or "")
        if exchange.body is None or vendor is None or exchange.operation is None:
            return None
        if exchange.body_size > JOURNAL_BODY_BYTES:  # the journal's memory stays bounded
            return f"<{exchange.body_size} bytes, not kept>"
        return vendor.mask(exchange.body)

    latency = Latency()
    # No aiohttp middleware: every route's handler is wrapped in the request steps (journal and log >
    # faults and Prefer > JSON errors > admin) as it is added, and a last route
    # takes what no other does (see middlewares.py).
    wrap = request_steps(engine, mask, fault_step(engine, registry, vendors, latency), admin_step(settings.admin_token))
    app = web.Application(client_max_size=settings.max_body_bytes)

    def add_route(method: str, path: str, handler: Any, operation: bool = False) -> None:
        app.router.add_route(method, path, wrap(handler, operation=operation))

    app[ENGINE] = engine
    app[SETTINGS] = settings
    app[REGISTRY] = registry
    app[VENDORS] = vendors

    app[CONTROL] = Control(engine, vendors)
    app[CONTROL].starting = settings.demo  # health answers 503 until the demo data is in place
    app.on_shutdown.append(latency.on_shutdown)  # a stopping server cuts injected latency short
    setup_admin(app, app[CONTROL], add_route)
    for vendor in vendors.values():
        # Literal paths before parameterised ones of the same shape, so `/x/types` never reads as `/x/{id}`.
        for op in sorted(vendor.spec.operations, key=lambda o: (o.path.count("{"), o.path)):
            add_route(op.method, op.path, make_endpoint(vendor, op), operation=True)
        not_found = make_not_found(vendor)
        for prefix in vendor.spec.prefixes:
            add_route("*", prefix, not_found)
            add_route("*", prefix + "/" + ANY_TAIL, not_found)
    add_unmatched(app.router, wrap)
    # Vendors behind nginx (Stitch) read `/v4//sources` as `/v4/sources`: merged before routing; and
    # the route that answered a path is remembered for the next request of it (routing.py).
    install_resolver(app.router, [p for v in vendors.values() if getattr(v, "merge_slashes", False) for p in v.spec.prefixes])

    if not engine.clock.virtual:
        app.cleanup_ctx.append(_run_scheduler)
    if settings.state_file:
        app.cleanup_ctx.append(persistence_ctx(engine, settings.state_file, settings.state_write_delay, vendors))
    if settings.load_file:
        app.cleanup_ctx.append(load_ctx(engine, settings.load_file, vendors, app[CONTROL].started))
    return app


def check_handlers(vendor: Vendor) -> None:
    """A handler keyed by a name its spec does not have is a typo that would leave the real operation
    answering examples: refuse to start. Operations without a handler are listed at debug level."""
    operations = {op.operation_id for op in vendor.spec.operations}
    unknown = sorted(set(vendor.handlers) - operations)
    if unknown:
        raise ValueError(f"{vendor.name}: handlers for operations its spec does not have: {', '.join(unknown)}")
    unhandled = sorted(operations - set(vendor.handlers))
    if unhandled:
        log.debug("%s: operations answered from the spec's examples (no handler): %s", vendor.name, ", ".join(unhandled))


async def _run_scheduler(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(app[ENGINE].scheduler.run_forever())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
