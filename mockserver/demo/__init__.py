"""`--demo`: realistic, seeded demo data for every vendor, created through the vendors' own APIs.

Seeding runs in two phases once the server listens: first the records whose asynchronous work
(connection checks, object refreshes) should be finished when the demo is announced, then a wait
for that work (a virtual clock is advanced; a real clock is waited on, at most `MAX_WAIT` seconds),
then the records that should still be in flight. Until it is done the server's health answers 503
`starting`; the demo's own requests are neither logged nor journaled; and the state it leaves is
what a full reset returns to. The banner says what is true when it is printed: with a check delay
longer than `MAX_WAIT` it says the outcomes are still to come, and when.

The demo tokens are declared tenants (so they work under --strict-auth and carry plan attributes).
A state file that already holds state wins: the demo seeds only an empty server.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from typing import Any, Callable, Iterator

import aiohttp
from aiohttp import web

from mockserver.app_keys import CONTROL, ENGINE, VENDORS
from mockserver.demo import census, portable, stitch
from mockserver.demo.client import DemoClient, DemoError
from mockserver.demo.names import company_name
from mockserver.settings import Settings

VENDOR_DEMOS = {"stitch": stitch, "portable": portable, "census": census}
MAX_WAIT = 10.0
ACCESS_LOG = "mockserver.access"

__all__ = ["DemoError", "DemoReport", "banner", "load_demo", "seed_demo", "with_demo_tenants"]

Rows = list[tuple[str, str, str]]


@dataclasses.dataclass(frozen=True)
class DemoReport:
    rows: Rows  # (vendor, token, what it holds once its work is done); empty: a state file won
    unsettled: float = 0.0  # seconds until work the rows describe as done is done (0: it is)
    running: int = 0  # jobs still pending when the demo was announced (the "running" ones)
    running_for: float = 0.0  # seconds until the last of them ends
    virtual: bool = False  # on a virtual clock those seconds pass only when the clock is advanced


def with_demo_tenants(settings: Settings) -> Settings:
    """The settings with the demo tokens declared (declared attributes from --config win)."""
    declared = {vendor: dict(tokens) for vendor, tokens in settings.declared_tenants.items()}
    for vendor, module in VENDOR_DEMOS.items():
        for token, attrs in module.TENANTS.items():
            declared.setdefault(vendor, {}).setdefault(token, attrs)
    return dataclasses.replace(settings, declared_tenants=declared)


async def seed_demo(app: web.Application, base_url: str) -> Rows:
    """Seed the running app through `base_url`; returns (vendor, token, what it holds) rows."""
    return (await load_demo(app, base_url)).rows


async def load_demo(app: web.Application, base_url: str, progress: Callable[[str], None] | None = None) -> DemoReport:
    """Seed the running app through `base_url`, telling `progress` about any wait."""
    engine, control = app[ENGINE], app[CONTROL]
    if engine.export()["vendors"]:
        control.started(baseline=False)  # a loaded state file is the state; a reset empties it
        return DemoReport([])
    demos = [module for name, module in VENDOR_DEMOS.items() if name in app[VENDORS]]
    company = company_name(engine.random.stream("demo"))
    with _quiet(ACCESS_LOG):  # the user's log starts with the user's requests
        async with aiohttp.ClientSession() as session:
            client = DemoClient(session, base_url)
            for module in demos:
                await module.settled(client, company)
            await _settle(app, progress)
            unsettled = _seconds_to_last_job(app)
            before = len(_pending(app))
            for module in demos:
                await module.in_flight(client, company)
    control.clear_requests()  # the journal starts empty: demo set-up is not the user's traffic
    control.started()  # health turns 200, and a full reset comes back to this
    return DemoReport([row for module in demos for row in module.ROWS], unsettled,
                      max(0, len(_pending(app)) - before), _seconds_to_last_job(app), engine.clock.virtual)


async def _settle(app: web.Application, progress: Callable[[str], None] | None) -> None:
    """Let the settled phase's work finish, at most `MAX_WAIT` seconds of it. Work that comes in
    steps (a sync run: queued, then working) schedules its next step only when the last one ends,
    so this waits again until nothing is pending or the time is up."""
    engine, waited = app[ENGINE], 0.0
    while (wait := min(_seconds_to_last_job(app), MAX_WAIT - waited)) > 0:
        if engine.clock.virtual:
            engine.scheduler.advance(wait)
        else:
            if progress is not None and waited == 0 and wait >= 1:
                progress(f"demo: waiting {wait:.0f} s for its connection checks and refreshes to finish")
            await asyncio.sleep(wait + 0.05)  # the background scheduler runs the jobs
        waited += wait


def _pending(app: web.Application) -> list[Any]:
    """Jobs that end some work; a repeating lifecycle's next wait (a flow's schedule) never does."""
    engine = app[ENGINE]
    repeating = {lc.kind for lc in engine.lifecycles.declared.values() if lc.repeat}
    return [job for job in engine.scheduler.pending() if job.kind not in repeating]


def _seconds_to_last_job(app: web.Application) -> float:
    engine = app[ENGINE]
    pending = _pending(app)
    if not pending:
        return 0.0
    return max(0.0, (pending[-1].due - engine.clock.now()).total_seconds())


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Drop one logger's records for a while (the demo's own requests in the access log)."""
    target = logging.getLogger(logger_name)
    drop = logging.Filter("\0")  # matches no logger name, so every record is filtered out
    target.addFilter(drop)
    try:
        yield
    finally:
        target.removeFilter(drop)


def banner(report: DemoReport | Rows) -> str:
    if not isinstance(report, DemoReport):
        report = DemoReport(report)
    rows = report.rows
    if not rows:
        return "demo: the state file already holds state; no demo data added"
    width = max(len(token) for _, token, _ in rows)
    if report.unsettled > 0:
        lines = [f"demo data created; its connection checks and refreshes finish in about {report.unsettled:.0f} s,",
                 "after which the tokens hold (send as Authorization: Bearer <token>):"]
    else:
        lines = ["demo data loaded; tokens (send as Authorization: Bearer <token>):"]
    lines += [f"  {vendor:<9}{token:<{width + 2}}{what}" for vendor, token, what in rows]
    if report.unsettled <= 0 and report.running:
        clock = " of virtual time (POST /__admin/clock/advance moves it)" if report.virtual else ""
        lines.append(f"the ones shown running end in about {report.running_for:.0f} s{clock}")
    elif report.unsettled <= 0:
        lines.append("with these delays all that work has already finished, the ones shown running too")
    return "\n".join(lines)
