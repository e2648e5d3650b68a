"""`--state-file FILE`: state that survives restarts, and survives `kill -9` at any moment.

- At start the file, if present, is validated and loaded like `PUT /__admin/state` (a file that is
  not a state document stops the start-up with a message, rather than being silently replaced).
- After a change (`engine.version` moved) the saver waits `state_write_delay` seconds, so a burst of
  writes costs one save, then snapshots the state on the event loop (consistent: nothing awaits
  mid-request) and writes it from a worker thread: a temporary file in the same folder, flushed and
  fsynced, then `os.replace`d over the old one. A reader (or a restart after a crash) therefore sees
  the previous file or the new one, never a torn one, and at most the last write window is lost.
- At shutdown a last save runs if anything changed since the previous one.

`--load FILE` is the read-only sibling: the file (JSON, or YAML when named `.yaml`/`.yml`) is
validated and loaded the same way at start, is never written, and becomes what a full reset returns
to, so a team can keep a scenario in its repository and run against it as often as it likes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import threading
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Mapping

from aiohttp import web

from mockserver import jsonio
from mockserver.admin.http import AdminError
from mockserver.admin.state import replace_state
from mockserver.engine import Engine
from mockserver.vendors.base import Vendor

log = logging.getLogger("mockserver.persistence")

MIN_POLL = 0.005  # seconds between looks at the change counter when the write delay is 0
HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]


class PersistenceError(RuntimeError):
    """The state file cannot be read or is not a state document."""


class StateFile:
    """One JSON file written atomically; writes carry a version so an older snapshot never wins."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._written = -1
        self._names = itertools.count(1)

    def read(self) -> Any | None:
        """The document in the file, or None when there is no file yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PersistenceError(f"cannot read state file {self.path}: {exc.strerror or exc}") from None
        try:
            return jsonio.loads(raw)
        except jsonio.MalformedJSON as exc:
            raise PersistenceError(f"state file {self.path} is not JSON: {exc}") from None

    def write(self, data: bytes, version: int) -> bool:
        """Replace the file with `data` unless a newer version was already written; True if written."""
        with self._lock:
            if version <= self._written:
                return False
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{next(self._names)}.tmp")
            try:
                with open(tmp, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
            self._fsync_folder()
            self._written = version
            return True

    def remove_stale_temporaries(self) -> None:
        """Temporary files a killed process left behind; never the state file itself."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _fsync_folder(self) -> None:
        with contextlib.suppress(OSError):
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class StateSaver:
    """Polls the engine's change counter and saves after each quiet-enough window."""

    def __init__(self, engine: Engine, state_file: StateFile, delay: float) -> None:
        self.engine = engine
        self.file = state_file
        self.delay = max(0.0, delay)
        self.saved_version = engine.version
        self.saves = 0
        self._saved = asyncio.Event()

    def load(self, vendors: Mapping[str, Vendor]) -> bool:
        """Load the file into the engine; False when there is no file yet."""
        raw = self.file.read()
        if raw is None:
            return False
        try:
            replace_state(self.engine, raw, vendors)
        except AdminError as exc:
            raise PersistenceError(f"state file {self.file.path}: {exc}") from None
        self.saved_version = self.engine.version
        return True

    async def save_if_changed(self) -> bool:
        version = self.engine.version
        if version == self.saved_version:
            return False
        data = jsonio.dumps(self.engine.export())  # snapshot on the loop: consistent
        await asyncio.get_running_loop().run_in_executor(None, self.file.write, data, version)
        self.saved_version = max(self.saved_version, version)
        self.saves += 1
        self._saved.set()
        self._saved = asyncio.Event()
        return True

    async def wait_saved(self, timeout: float = 5.0) -> None:
        """Until every change made so far is in the file (for tests and `MockServer`)."""
        target = self.engine.version

        async def saved() -> None:
            while self.saved_version < target:
                await self._saved.wait()

        await asyncio.wait_for(saved(), timeout)

    async def run(self) -> None:
        pause = max(self.delay, MIN_POLL)  # a zero delay still must not spin the loop
        failing = False
        while True:
            await asyncio.sleep(pause)
            try:
                await self.save_if_changed()
            except OSError as exc:  # a full disk must not stop the server: say so once, retry each window
                if not failing:
                    log.error("could not write state file %s: %s; retrying until it works", self.file.path, exc.strerror or exc)
                failing = True
            else:
                if failing:
                    log.warning("state file %s written again", self.file.path)
                failing = False


SAVER = web.AppKey("state_saver", StateSaver)


def persistence_ctx(engine: Engine, path: str, delay: float, vendors: Mapping[str, Vendor]) -> Callable[[web.Application], AsyncIterator[None]]:
    """The cleanup context: load before the server accepts requests, save while it runs and at the end."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        state_file = StateFile(path)
        state_file.remove_stale_temporaries()
        saver = StateSaver(engine, state_file, delay)
        saver.load(vendors)
        app[SAVER] = saver
        task = asyncio.create_task(saver.run())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        try:
            await saver.save_if_changed()
        except OSError as exc:  # the folder went away or the disk is full: say so, no traceback at exit
            log.error("could not write state file %s at exit: %s", state_file.path, exc.strerror or exc)

    return ctx


def read_scenario(path: str | Path) -> Any:
    """The state document in a --load file: JSON, or YAML when the name says so."""
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise PersistenceError(f"--load {source}: cannot read: {exc.strerror or exc}") from None
    if source.suffix.lower() in (".yaml", ".yml"):
        from mockserver.config import ConfigError, read_yaml

        try:
            return read_yaml(raw.decode("utf-8"), str(source))
        except (ConfigError, UnicodeDecodeError) as exc:
            raise PersistenceError(f"--load {exc}") from None
    try:
        return jsonio.loads(raw)
    except jsonio.MalformedJSON as exc:
        raise PersistenceError(f"--load {source}: not JSON: {exc}") from None


def load_ctx(engine: Engine, path: str, vendors: Mapping[str, Vendor], started: Callable[[], None]) -> Callable[[web.Application], AsyncIterator[None]]:
    """Load a --load file before the server accepts requests; nothing is ever written back to it."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        raw = read_scenario(path)
        try:
            replace_state(engine, raw, vendors)
        except AdminError as exc:
            raise PersistenceError(f"--load {path}: {exc}") from None
        started()  # what a full reset returns to
        yield

    return ctx
