"""`MockServer`: the whole mock, in-process, on a free 127.0.0.1 port, for test suites.

    with MockServer() as server:                  # a background thread runs its own event loop,
        requests.get(server.stitch_url + "/v4/destinations", headers=...)   # so blocking clients work

    async with MockServer() as server:            # or on the running loop, for async clients
        ...

Every control call (`reset`, `clock.advance`, `requests`, `force_check`, `add_fault`, ...) runs on
the server's own event loop, between requests, so tests never race the server the way moto's
in-process backends can; they are plain methods in both modes. Bad input raises `ValueError`
(`AdminError`) with the same message the HTTP admin API would give.

The server defaults to a virtual clock: time stands still until `clock.advance(seconds)`, which runs
every job that falls due (connection checks, refreshes), so a test never sleeps.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, TypeVar

from aiohttp import web

from mockserver.admin import AdminError, Control
from mockserver.settings import Settings

T = TypeVar("T")

__all__ = ["AdminError", "MockServer"]


class Clock:
    """`server.clock`: read and move the server's clock."""

    def __init__(self, server: "MockServer") -> None:
        self._server = server

    def now(self) -> datetime:
        return self._server._call(lambda c: c.engine.clock.now())

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move a virtual clock forward, running every job that falls due; returns the clock and `ran`."""
        return self._server._call(lambda c: c.advance(seconds))


class Lifecycle:
    """`server.lifecycle("census.sync_run")`: set its mode and delays, force outcomes, advance runs.
    Each call returns the handle, so calls chain: `.mode("manual").force("failed", message="...")`."""

    def __init__(self, server: "MockServer", name: str) -> None:
        self._server = server
        self.name = name

    def describe(self) -> dict[str, Any]:
        """The declaration, mode, delays, runs in flight and forced outcomes (as GET /__admin/lifecycles/{name})."""
        return self._server._call(lambda c: c.lifecycle(self.name))

    def mode(self, mode: str) -> "Lifecycle":
        """`time` (on the clock), `immediate` (terminal within the request) or `manual` (advance by hand)."""
        self._server._call(lambda c: c.configure_lifecycle(self.name, {"mode": mode}))
        return self

    def delays(self, **seconds: float) -> "Lifecycle":
        """Seconds spent in each timed state, e.g. `.delays(queued=0, working=5)`."""
        self._server._call(lambda c: c.configure_lifecycle(self.name, {"delays": seconds}))
        return self

    def force(self, state: str, *, message: str | None = None, token: str | None = None,
              resource_id: str | int | None = None, times: int = 1, data: dict[str, Any] | None = None) -> "Lifecycle":
        """The next `times` runs (optionally one token's, or one record's) end in `state`."""
        raw: dict[str, Any] = {"state": state, "times": times}
        for key, value in (("message", message), ("token", token), ("resource_id", resource_id), ("data", data)):
            if value is not None:
                raw[key] = value
        self._server._call(lambda c: c.force_lifecycle(self.name, raw))
        return self

    def advance(self, *, token: str | None = None, resource_id: str | int | None = None) -> list[dict[str, Any]]:
        """Move one run (by token and/or record id) or every run one step now; returns the runs moved."""
        raw = {k: v for k, v in (("token", token), ("resource_id", resource_id)) if v is not None}
        return self._server._call(lambda c: c.advance_lifecycle(self.name, raw))["runs"]


class MockServer:
    """The mock server, started in-process; see the module docstring.

    Keyword arguments are `Settings` fields (`seed`, `check_delay`, `refresh_delay`, `journal_size`,
    `declared_tenants`, `strict_auth`, `state_file`, `demo`, ...); `config` is a `--config` YAML
    file whose declared tokens and strict_auth are applied.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, virtual_clock: bool = True,
                 config: str | Path | None = None, **settings: Any) -> None:
        if config is not None:
            from mockserver.config import load_config

            loaded = load_config(config)
            settings.setdefault("declared_tenants", loaded.declared_tenants)
            settings.setdefault("strict_auth", loaded.strict_auth)
            settings.setdefault("lifecycles", loaded.lifecycles)
            settings.setdefault("partners", loaded.partners)
        self.settings = Settings(host=host, port=port, virtual_clock=virtual_clock, **settings)
        self.clock = Clock(self)
        self.demo: list[tuple[str, str, str]] = []  # with demo=True: (vendor, token, what it holds)
        self._control: Control | None = None
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # -- addresses ----------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`: every vendor and `/__admin` live here."""
        if not self._port:
            raise RuntimeError("the mock server is not running")
        return f"http://{self.settings.host}:{self._port}"

    @property
    def stitch_url(self) -> str:
        """Stands in for `https://api.stitchdata.com` (paths start with /v3 or /v4)."""
        return self.url

    @property
    def portable_url(self) -> str:
        """Stands in for `https://api.portable.io` (paths start with /v2)."""
        return self.url

    @property
    def census_url(self) -> str:
        """Stands in for `https://app.getcensus.com/api/v1`, Census's documented base URL."""
        return self.url + "/api/v1"

    # -- lifecycle: a thread with its own loop ------------------------------------------------------
    def __enter__(self) -> "MockServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> "MockServer":
        if self._thread is not None or self._runner is not None:
            raise RuntimeError("the mock server is already running")
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        loop = asyncio.new_event_loop()

        def main() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._astart())
            except BaseException as exc:  # report start-up failures to the caller's thread
                started.set_exception(exc)
                loop.close()
                return
            started.set_result(None)
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._astop())
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=main, name="mockserver", daemon=True)
        self._thread.start()
        try:
            started.result(timeout=60)
        except BaseException:
            self._thread.join()
            self._thread = self._loop = None
            raise
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=60)
        self._thread = self._loop = None

    # -- lifecycle: on the caller's loop --------------------------------------------------------------
    async def __aenter__(self) -> "MockServer":
        if self._thread is not None or self._runner is not None:
            raise RuntimeError("the mock server is already running")
        self._loop = asyncio.get_running_loop()
        await self._astart()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._astop()
        self._loop = None

    async def _astart(self) -> None:
        from mockserver.app import CONTROL, create_app

        app = create_app(self.settings)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.settings.host, self.settings.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._control = app[CONTROL]
        self._port = runner.addresses[0][1]
        if self.settings.demo:
            from mockserver.demo import seed_demo

            self.demo = await seed_demo(app, self.url)

    async def _astop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._control = None
        self._port = 0

    def _call(self, fn: Callable[[Control], T]) -> T:
        """Run `fn(control)` on the server's loop: directly when already on it, else hop and wait."""
        control, loop = self._control, self._loop
        if control is None or loop is None:
            raise RuntimeError("the mock server is not running")
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop or threading.current_thread() is self._thread:
            return fn(control)
        done: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(fn(control))
            except BaseException as exc:
                done.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return done.result(timeout=60)

    # -- control --------------------------------------------------------------------------------------
    def reset(self, vendor: str | None = None, token: str | None = None) -> None:
        """Drop state: everything (journal, faults, forced checks, clock too), one vendor, or one token."""
        self._call(lambda c: c.reset(vendor, token))

    def state(self) -> dict[str, Any]:
        """A copy of all state (what `GET /__admin/state` answers)."""
        from mockserver import jsonio

        return jsonio.loads(self._call(lambda c: jsonio.dumps(c.state())))  # serialised on the loop: consistent

    def load_state(self, document: dict[str, Any]) -> dict[str, Any]:
        """Replace all state (what `PUT /__admin/state` does); refused documents change nothing."""
        return self._call(lambda c: c.replace_state(document))

    def requests(self, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries matching the filters (vendor, method, path, path_regex, status, token,
        tenant, since, after_id, operation_id), oldest first, the newest `limit` of them."""
        query = {k: v for k, v in filters.items() if v is not None}
        if limit is not None:
            query["limit"] = limit
        return self._call(lambda c: c.requests(query)["requests"])

    def count(self, **filters: Any) -> int:
        """How many journal entries match (WireMock's verify): `assert server.count(method="POST") == 1`."""
        query = {k: v for k, v in filters.items() if v is not None}
        return self._call(lambda c: c.count(query)["count"])

    def clear_requests(self) -> None:
        self._call(lambda c: c.clear_requests())

    def force_check(self, vendor: str, *, ok: bool = False, message: str | None = None, token: str | None = None,
                    resource_id: str | int | None = None, times: int = 1) -> dict[str, Any]:
        """Force the outcome of the next `times` connection checks of a vendor (optionally one token's,
        or one resource's, e.g. a Stitch destination id). Fails by default, with `message` if given."""
        raw: dict[str, Any] = {"vendor": vendor, "ok": ok, "times": times}
        for key, value in (("message", message), ("token", token), ("resource_id", resource_id)):
            if value is not None:
                raw[key] = value
        return self._call(lambda c: c.force_check(raw))

    def lifecycle(self, name: str) -> Lifecycle:
        """A handle on one lifecycle (`stitch.connection_check`, `census.sync_run`, ...); see `Lifecycle`."""
        self._call(lambda c: c.lifecycle(name))  # unknown names fail here, with the list of known ones
        return Lifecycle(self, name)

    def lifecycles(self) -> list[dict[str, Any]]:
        """Every lifecycle of every vendor, with its states, delays and mode."""
        return self._call(lambda c: c.lifecycles()["lifecycles"])

    def records(self, vendor: str, resource: str, token: str) -> list[dict[str, Any]]:
        """One token's records of a declared resource (`destinations`, `sql_models`, ...), raw."""
        return self._call(lambda c: c.records(vendor, resource, token)["records"])

    def update_record(self, vendor: str, resource: str, record_id: str | int, token: str, **fields: Any) -> dict[str, Any]:
        """Set fields of one record, e.g. `update_record("census", "sql_models", 3, token, row_count=500)`;
        refused (ValueError) when the vendor could not then serve the record."""
        return self._call(lambda c: c.update_record(vendor, resource, record_id, {"token": token, "fields": fields}))["record"]

    def add_fault(self, vendor: str | None = None, **rule: Any) -> dict[str, Any]:
        """Add a fault rule: method, path / path_regex, probability, count, latency_ms (a number or
        [low, high]), status, drop, message. Returns the rule with its id."""
        raw = {k: v for k, v in {"vendor": vendor, **rule}.items() if v is not None}
        return self._call(lambda c: c.add_fault(raw))

    def remove_fault(self, rule_id: int) -> None:
        self._call(lambda c: c.delete_fault(rule_id))

    def clear_faults(self) -> None:
        self._call(lambda c: c.clear_faults())
