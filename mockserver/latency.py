"""Injected latency (a fault rule's `latency_ms`) that a stopping server cuts short.

A fault rule may hold a request for up to a minute. When the server is asked to stop (Ctrl-C,
SIGTERM, `MockServer.stop()`), waiting out that delay would make shutdown take as long as the
slowest fault; instead every pending delay ends at once and the request carries on (its forced
status or drop, or the vendor's answer), so in-flight requests still get their answers and the
server stops within a moment. aiohttp runs `on_shutdown` before it waits for in-flight handlers.
"""

from __future__ import annotations

import asyncio

from aiohttp import web


class Latency:
    def __init__(self) -> None:
        self.stopping = False
        self._pending: set[asyncio.Future[None]] = set()

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds`, or less if the server starts stopping meanwhile."""
        if seconds <= 0 or self.stopping:
            return
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        timer = loop.call_later(seconds, _finish, done)
        self._pending.add(done)
        try:
            await done
        finally:
            timer.cancel()
            self._pending.discard(done)

    def cut_short(self) -> None:
        """End every pending delay now, and skip the ones asked for from here on."""
        self.stopping = True
        for done in list(self._pending):
            _finish(done)

    async def on_shutdown(self, app: web.Application) -> None:
        self.cut_short()


def _finish(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)
