"""The demo talks to the server it seeds over HTTP, like any client, so every demo record passed the
vendor's own validation and models: demo state can never be something the API could not produce."""

from __future__ import annotations

from typing import Any

import aiohttp


class DemoError(RuntimeError):
    """A demo call got an answer it did not expect: a vendor changed under the demo."""


class DemoClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")

    async def call(self, method: str, path: str, token: str, body: Any = None, *, expect: int = 200) -> Any:
        async with self.session.request(method, self.base_url + path, json=body,
                                        headers={"Authorization": f"Bearer {token}"}) as resp:
            answer = await resp.json(content_type=None)
            if resp.status != expect:
                raise DemoError(f"demo: {method} {path} answered {resp.status} {answer!r}, expected {expect}")
            return answer
