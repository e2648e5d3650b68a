"""The server under test, as a subprocess: spawn, find its port, time the first 200, read its memory.

The benchmark talks to the server only over loopback HTTP, the way a user's tests would, so what it
measures includes aiohttp, the middlewares and the vendor code, and nothing of the load generator.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

READY = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
START_TIMEOUT = 20.0
POLL_INTERVAL = 0.002
COLD_PROBE = ("GET", "/v4/destinations", {"Authorization": "Bearer bench-cold-start"})
# The checkout this benchmark belongs to: `-m mockserver` runs from here, so a copy of the repository
# (another commit, side by side) benchmarks its own code and not whatever is installed.
CHECKOUT = Path(__file__).resolve().parent.parent


def mockserver_command(log_level: str = "warning", args: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", "0",
            "--log-level", log_level, *args]


@dataclass
class Answer:
    status: int
    body: Any
    size: int = 0  # bytes of the body on the wire
    raw: bytes = b""


@dataclass
class Server:
    """One `python -m mockserver serve --port 0` process (or `command`, any server that prints
    `listening on http://127.0.0.1:<port>`); always stop() it (it is also a context manager)."""

    args: tuple[str, ...] = ()
    log_level: str = "warning"
    command: list[str] | None = None
    probe: tuple[str, str, dict[str, str]] = COLD_PROBE
    process: subprocess.Popen[str] | None = None
    port: int = 0
    cold_start_s: float = 0.0
    _conn: http.client.HTTPConnection | None = field(default=None, repr=False)

    def start(self) -> "Server":
        command = self.command or mockserver_command(self.log_level, self.args)
        spawned = time.perf_counter()
        # stderr (where the per-request log lines go at info) is drained by /dev/null, as a terminal would
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=CHECKOUT)
        self.port = self._read_port()
        self._wait_for_200(spawned)
        return self

    def _read_port(self) -> int:
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = READY.search(line)
            if match:
                return int(match.group(1))
        self.stop()
        raise RuntimeError("mockserver did not print its port; is the package installed in this Python?")

    def _wait_for_200(self, spawned: float) -> None:
        method, path, headers = self.probe
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request(method, path, headers=headers)
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    self.cold_start_s = time.perf_counter() - spawned
                    return
            except OSError:
                pass
            time.sleep(POLL_INTERVAL)
        self.stop()
        raise RuntimeError("mockserver never answered 200")

    # -- requests for setting up state ------------------------------------------------------------
    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None) -> Answer:
        """One request on a kept-alive connection; the answer's JSON decoded when it has any."""
        data = json.dumps(body).encode() if body is not None else None
        sent = dict(headers or {})
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self._conn.request(method, path, body=data, headers=sent)
                response = self._conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, OSError):
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return Answer(response.status, parsed, len(raw), raw)

    # -- observation -------------------------------------------------------------------------------
    def rss_mb(self) -> float:
        assert self.process is not None
        return rss_mb(self.process.pid)

    def cpu_seconds(self) -> float:
        assert self.process is not None
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def terminate(process: "subprocess.Popen[Any] | None", timeout: float) -> None:
    """Stop a peer server (Prism, WireMock): politely, then by force if it lingers past `timeout`."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB, from /proc (Linux); NaN once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far, from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def machine_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy over `seconds`, from /proc/stat: other work on the machine makes
    every figure here smaller, so the report says how quiet it was just before the run."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return float("nan")
    spent = total1 - total0
    return 1.0 - (idle1 - idle0) / spent if spent else float("nan")


def cold_starts(runs: int, args: tuple[str, ...] = ()) -> tuple[list[float], list[float]]:
    """Spawn-to-first-200 for `runs` fresh processes, each right after timing `python -c "import
    aiohttp"` in the same interpreter (the floor any aiohttp server pays): (ours, import aiohttp).

    Both sides run as an installed package does: with its modules' bytecode (pip compiles it at
    install; aiohttp's is in site-packages), so one untimed start first writes the checkout's
    (`PYTHONDONTWRITEBYTECODE` is dropped for these runs: with it, every start would recompile
    mockserver from source while aiohttp loads its bytecode). That start also fills mockserver's
    start-up cache (spec/cache.py), as a user's first start does."""
    with _bytecode_allowed():
        with Server(args=args):
            pass
        ours, floor = [], []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import aiohttp"], check=True, cwd=CHECKOUT)
            floor.append(time.perf_counter() - started)
            with Server(args=args) as server:
                ours.append(server.cold_start_s)
    return ours, floor


@contextlib.contextmanager
def _bytecode_allowed() -> Iterator[None]:
    saved = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = saved


def environment_note() -> str:
    """Whether the optional speed-ups of the `fast` extra are importable in this Python."""
    found = []
    for name in ("orjson", "uvloop"):
        try:
            __import__(name)
            found.append(f"{name} yes")
        except ImportError:
            found.append(f"{name} no")
    return ", ".join(found)


if os.name != "posix":  # pragma: no cover - the benchmark reads /proc and sends SIGTERM
    raise SystemExit("benchmarks/run.py needs Linux")
