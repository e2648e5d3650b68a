"""Shared test harness: a real app over HTTP whose every answer is checked against `specs/`.

`mock` builds an app on a virtual clock (tests advance time instead of sleeping) and returns a
`MockClient`. Each request it sends goes over aiohttp's test server, a real loopback socket, and
each response is validated against the matched operation's schema for that status, or, for paths
no operation matches, against the vendor's declared not-found answer. A violation fails the test.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from mockserver.app import ENGINE, REGISTRY, VENDORS, create_app
from mockserver.engine import Engine
from mockserver.settings import Settings
from mockserver.slashes import merged
from mockserver.admin.docs import check_answer as check_admin_answer
from mockserver.spec.contract import check_response

UNSET: Any = object()


@dataclass
class Answer:
    status: int
    body: Any
    text: str
    headers: Any

    def __repr__(self) -> str:
        return f"Answer({self.status}, {self.text[:300]})"


class MockClient:
    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.app = client.server.app
        self.settings = settings
        self.checked = 0

    @property
    def engine(self) -> Engine:
        return self.app[ENGINE]

    def advance(self, seconds: float) -> int:
        return self.engine.scheduler.advance(seconds)

    def state(self) -> dict[str, Any]:
        """A deep copy of all state, for asserting that a rejected request changed nothing."""
        return copy.deepcopy(self.engine.export())

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = UNSET,
        json_body: Any = UNSET,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        basic: tuple[str, str] | None = None,
        params: dict[str, str] | None = None,
        check: bool = True,
    ) -> Answer:
        sent = dict(headers or {})
        if basic is not None:
            sent["Authorization"] = "Basic " + base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
        elif token is not UNSET and token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if json_body is not UNSET:
            data = json.dumps(json_body)
            sent.setdefault("Content-Type", "application/json")
        async with self.client.request(method, path, data=data, headers=sent, params=params) as resp:
            text = await resp.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = UNSET
            answer = Answer(resp.status, body, text, resp.headers)
            url_path = resp.url.path
        assert body is not UNSET, f"{method} {path} answered non-JSON: {text[:200]!r}"
        assert answer.status < 500 or not check, f"{method} {path} answered {answer}"
        if check:
            self.check_contract(method, url_path, answer)
        return answer

    def check_contract(self, method: str, path: str, answer: Answer) -> None:
        registry = self.app[REGISTRY]
        if "//" in path:  # held to the operation the server routed it to, as a vendor that merges slashes does
            vendor = self.app[VENDORS].get(registry.vendor_for_path(merged(path)) or "")
            path = merged(path) if getattr(vendor, "merge_slashes", False) else path
        _, violation = check_response(registry, method, path, answer.status, answer.body)
        assert violation is None, str(violation)
        if not path.startswith("/__admin"):
            assert registry.vendor_for_path(path) is not None, f"{path} is under no vendor prefix"
        else:  # the control plane is held to its own document, served at /__admin/docs
            violation = check_admin_answer(method, path, answer.status, answer.body)
            assert violation is None, f"/__admin/docs does not allow this answer: {violation}"
        self.checked += 1

    async def get(self, path: str, **kw: Any) -> Answer:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, body: Any = UNSET, **kw: Any) -> Answer:
        return await self.request("POST", path, json_body=body, **kw)

    async def put(self, path: str, body: Any = UNSET, **kw: Any) -> Answer:
        return await self.request("PUT", path, json_body=body, **kw)

    async def patch(self, path: str, body: Any = UNSET, **kw: Any) -> Answer:
        return await self.request("PATCH", path, json_body=body, **kw)

    async def delete(self, path: str, **kw: Any) -> Answer:
        return await self.request("DELETE", path, **kw)


MockFactory = Callable[..., Awaitable[MockClient]]


CLIENTS = Path(__file__).parent / "clients"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """tests/clients drives real vendor clients (the `clients` extra): collected only when named,
    as in `pytest tests/clients`, never by the default run."""
    if collection_path != CLIENTS:
        return None
    named = (config.invocation_params.dir / arg.split("::")[0] for arg in config.args)
    return None if any(p.resolve().is_relative_to(CLIENTS) for p in named) else True


@pytest.fixture
def make_mock(aiohttp_client: Any) -> MockFactory:
    """Build a mock with settings overrides: `await make_mock(check_delay=0)`."""

    async def factory(**overrides: Any) -> MockClient:
        settings = Settings(**{"virtual_clock": True, **overrides})
        client = await aiohttp_client(create_app(settings))
        return MockClient(client, settings)

    return factory


@pytest.fixture
async def mock(make_mock: MockFactory) -> MockClient:
    return await make_mock()
