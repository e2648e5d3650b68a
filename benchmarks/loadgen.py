"""Load generators: wrk when it is installed, otherwise a small aiohttp client. Both report the same Result.

wrk (a C program) costs the server far less CPU than any Python client on a shared 2-core machine, so
it is preferred; the Python fallback exists so the benchmark still runs anywhere, and says so, because
its numbers are capped by the client's own speed.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass
class Result:
    generator: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    unexpected: int  # answers with another status than the scenario expects, plus socket errors


def wrk_path() -> str | None:
    return shutil.which("wrk")


# --------------------------------------------------------------------------------------------------
# wrk


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    eq = "=" * level
    return f"[{eq}[{text}]{eq}]"


def wrk_script(variants: list[Request]) -> str:
    """A Lua script that sends the variants in turn (pre-formatted once per thread, so it stays cheap)."""
    lines = ["local variants = {"]
    for v in variants:
        headers = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(val)}" for k, val in v.headers)
        body = _lua_string(v.body.decode()) if v.body is not None else "nil"
        lines.append(f"  {{ {_lua_string(v.method)}, {_lua_string(v.path)}, {{ {headers} }}, {body} }},")
    lines += [
        "}",
        "local prepared = {}",
        "local n = 0",
        "function init(args)",
        "  for i, v in ipairs(variants) do prepared[i] = wrk.format(v[1], v[2], v[3], v[4]) end",
        "end",
        "function request()",
        "  n = n % #prepared + 1",
        "  return prepared[n]",
        "end",
    ]
    return "\n".join(lines) + "\n"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _millis(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"cannot read wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str, expect_2xx: bool) -> Result:
    def grab(pattern: str, default: str | None = None) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if match:
            return match.group(1)
        if default is None:
            raise ValueError(f"unexpected wrk output, no {pattern!r}:\n{output}")
        return default

    requests = int(grab(r"^\s*(\d+) requests in"))
    seconds = _millis(grab(r"requests in ([\d.]+\w+),")) / 1000
    non_2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)", "0"))
    socket_errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", grab(r"(Socket errors:.*)$", "")))
    unexpected = (non_2xx if expect_2xx else requests - non_2xx) + socket_errors
    return Result(
        generator="wrk",
        requests=requests,
        seconds=seconds,
        rps=float(grab(r"^Requests/sec:\s+([\d.]+)")),
        p50_ms=_millis(grab(r"^\s+50%\s+(\S+)")),
        p99_ms=_millis(grab(r"^\s+99%\s+(\S+)")),
        unexpected=unexpected,
    )


def run_wrk(base_url: str, variants: list[Request], seconds: float, connections: int, threads: int, expect_2xx: bool) -> Result:
    with tempfile.TemporaryDirectory(prefix="mockbench-") as tmp:
        script = Path(tmp) / "scenario.lua"
        script.write_text(wrk_script(variants), encoding="utf-8")
        command = [
            wrk_path() or "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--latency", "--timeout", "5s", "-s", str(script), base_url,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout, expect_2xx)


# --------------------------------------------------------------------------------------------------
# Python fallback


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def _python_load(base_url: str, variants: list[Request], seconds: float, connections: int, expect: int) -> Result:
    import aiohttp  # the server's own dependency, so always present where the server runs

    latencies: list[float] = []
    unexpected = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout, skip_auto_headers=("User-Agent",)) as session:

        async def worker(offset: int) -> None:
            nonlocal unexpected
            i = offset
            while time.perf_counter() < deadline:
                v = variants[i % len(variants)]
                i += 1
                started = time.perf_counter()
                try:
                    async with session.request(v.method, v.path, headers=dict(v.headers), data=v.body) as resp:
                        await resp.read()
                        if resp.status != expect:
                            unexpected += 1
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    unexpected += 1
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return Result(
        generator="python (aiohttp client)",
        requests=len(latencies),
        seconds=elapsed,
        rps=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        unexpected=unexpected,
    )


def run_python(base_url: str, variants: list[Request], seconds: float, connections: int, expect: int) -> Result:
    return asyncio.run(_python_load(base_url, variants, seconds, connections, expect))


# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadGenerator:
    """Which client to use, chosen once per run: `wrk` if found (unless told not to), else Python."""

    use_wrk: bool
    connections: int = 32
    threads: int = 2

    @property
    def name(self) -> str:
        return "wrk (" + (wrk_path() or "wrk") + ")" if self.use_wrk else "python fallback (aiohttp client)"

    def run(self, base_url: str, variants: list[Request], seconds: float, expect: int) -> Result:
        if self.use_wrk:
            return run_wrk(base_url, variants, seconds, self.connections, self.threads, 200 <= expect < 300)
        return run_python(base_url, variants, seconds, self.connections, expect)


def choose(prefer_python: bool, connections: int) -> LoadGenerator:
    return LoadGenerator(use_wrk=(not prefer_python and wrk_path() is not None), connections=connections)
