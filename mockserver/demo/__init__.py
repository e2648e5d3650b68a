"""`--demo`: realistic, seeded demo data for every vendor, created through the vendors' own APIs.

Seeding runs in two phases once the server listens: first the records whose asynchronous work
(connection checks, object refreshes) should be finished when the demo is announced, then a wait
for that work (a virtual clock is advanced; a real clock is waited on, at most `MAX_WAIT` seconds),
then the records that should still be in flight. The demo tokens are declared tenants (so they work
under --strict-auth and carry plan attributes). A state file that already holds state wins: the demo
seeds only an empty server.
"""

from __future__ import annotations

import asyncio
import dataclasses
import aiohttp
from aiohttp import web

from mockserver.app_keys import CONTROL, ENGINE, SETTINGS, VENDORS
from mockserver.demo import census, portable, stitch
from mockserver.demo.client import DemoClient, DemoError
from mockserver.settings import Settings

VENDOR_DEMOS = {"stitch": stitch, "portable": portable, "census": census}
MAX_WAIT = 10.0

__all__ = ["DemoError", "banner", "seed_demo", "with_demo_tenants"]


def with_demo_tenants(settings: Settings) -> Settings:
    """The settings with the demo tokens declared (declared attributes from --config win)."""
    declared = {vendor: dict(tokens) for vendor, tokens in settings.declared_tenants.items()}
    for vendor, module in VENDOR_DEMOS.items():
        for token, attrs in module.TENANTS.items():
            declared.setdefault(vendor, {}).setdefault(token, attrs)
    return dataclasses.replace(settings, declared_tenants=declared)


async def seed_demo(app: web.Application, base_url: str) -> list[tuple[str, str, str]]:
    """Seed the running app through `base_url`; returns (vendor, token, what it holds) rows."""
    engine, settings, control = app[ENGINE], app[SETTINGS], app[CONTROL]
    if engine.export()["vendors"]:
        return []  # a loaded state file is the state
    demos = [module for name, module in VENDOR_DEMOS.items() if name in app[VENDORS]]
    company = engine.random.faker.company()
    async with aiohttp.ClientSession() as session:
        client = DemoClient(session, base_url)
        for module in demos:
            await module.settled(client, company)
        wait = max(settings.check_delay, settings.refresh_delay)
        if engine.clock.virtual:
            engine.scheduler.advance(wait)
        elif wait <= MAX_WAIT:
            await asyncio.sleep(wait + 0.05)  # real time: the background scheduler finishes the jobs
        for module in demos:
            await module.in_flight(client, company)
    control.clear_requests()  # the journal starts empty: demo set-up is not the user's traffic
    return [row for module in demos for row in module.ROWS]


def banner(rows: list[tuple[str, str, str]]) -> str:
    if not rows:
        return "demo: the state file already holds state; no demo data added"
    width = max(len(token) for _, token, _ in rows)
    lines = ["demo data loaded; tokens (send as Authorization: Bearer <token>):"]
    lines += [f"  {vendor:<9}{token:<{width + 2}}{what}" for vendor, token, what in rows]
    return "\n".join(lines)
