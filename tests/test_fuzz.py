"""Property-based fuzzing of every operation of every vendor, straight from `specs/`.

For each request hypothesis draws (valid bodies mutated, schema-shaped bodies, garbage bytes, odd ids
and query strings, bad credentials), the mock must: never answer 5xx, answer JSON that conforms to
the operation's spec for that status, and, when it refuses the request, leave all state unchanged.
Examples are derandomized so CI runs the same cases every time.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from hypothesis import HealthCheck, given, settings, strategies as st
from yarl import URL

from fuzz_support import requests_for
from fuzz_examples import EXAMPLES, SETUP
from mockserver.app import ENGINE, REGISTRY, create_app, load_registry
from mockserver.settings import Settings
from mockserver.spec.contract import check_response
from mockserver.vendors import VENDOR_MODULES

TOKEN = "fuzz-token"


class LiveApp:
    """An app on a real loopback socket, driven from synchronous hypothesis tests on a private loop."""

    def __init__(self, app_settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_app(app_settings)
        self.server = TestServer(self.app)
        self.loop.run_until_complete(self.server.start_server())
        self.session: ClientSession = self.loop.run_until_complete(self._session())

    async def _session(self) -> ClientSession:
        return ClientSession()

    def send(self, method: str, path: str, *, query: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, str, str, str]:
        url = URL(str(self.server.make_url("/")).rstrip("/") + path, encoded=True)
        if query:
            url = url.update_query(query)

        async def go() -> tuple[int, str, str, str]:
            # A documented redirect is the answer under test, not its target (which may be anywhere).
            async with self.session.request(method, url, headers=headers, data=data, allow_redirects=False) as resp:
                return resp.status, await resp.text(), resp.url.raw_path, resp.content_type

        return self.loop.run_until_complete(go())

    def close(self) -> None:
        self.loop.run_until_complete(self.session.close())
        self.loop.run_until_complete(self.server.close())
        self.loop.close()


def vendor_ids(export: dict[str, Any], vendor: str) -> list[str]:
    ids: set[str] = set()
    for tenant in export["vendors"].get(vendor, {}).get("tenants", {}).values():
        for records in tenant["collections"].values():
            for record in records:
                ids.add(str(record["id"]))
                for key in ("full_name", "name"):
                    if isinstance(record.get(key), str):
                        ids.add(record[key])
    return sorted(ids)


@pytest.mark.parametrize("vendor", sorted(VENDOR_MODULES))
def test_fuzz_every_operation(vendor: str) -> None:
    live = LiveApp(Settings(virtual_clock=True, check_delay=0, stitch_destination_limit=5))
    engine = live.app[ENGINE]
    registry = live.app[REGISTRY]
    try:
        for method, path, body in SETUP.get(vendor, []):
            status, text, _, _ = live.send(method, path, headers={"Authorization": f"Bearer {TOKEN}",
                                                               "Content-Type": "application/json"}, data=json.dumps(body).encode())
            assert status < 300, (path, status, text)
        ids = vendor_ids(engine.export(), vendor) + [name for name in EXAMPLES.get(vendor, {}).get("_names", [])]
        operations = registry.specs[vendor].operations
        seen: set[str] = set()

        @settings(max_examples=40 * len(operations), deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.data())
        def fuzz(data: st.DataObject) -> None:
            op = data.draw(st.sampled_from(operations))
            seen.add(op.operation_id)
            examples = EXAMPLES.get(vendor, {}).get(op.operation_id, [])
            req = data.draw(requests_for(op, ids, examples, TOKEN))
            before = copy.deepcopy(engine.export())
            status, text, raw_path, ctype = live.send(req["method"], req["path"], query=req["query"], headers=req["headers"], data=req["data"])
            described = f"{req['method']} {req['path']} {req['query']} {req['headers']} {req['data']!r:.300} -> {status} {text[:300]}"
            assert status < 500, described
            # JSON, but for what an operation declares as a page or a redirect (held to its spec below)
            body = json.loads(text) if ctype == "application/json" or status >= 400 else None
            from urllib.parse import unquote

            _, violation = check_response(registry, req["method"], unquote(raw_path), status, body)
            assert violation is None, f"{violation}\n{described}"
            if status >= 400:
                assert engine.export() == before, f"rejected request changed state: {described}"

        fuzz()
        assert seen == {op.operation_id for op in operations}
    finally:
        live.close()


def test_registry_covers_every_vendor():
    registry = load_registry(tuple(VENDOR_MODULES))
    assert set(registry.specs) == set(VENDOR_MODULES)
