"""The machine description and the Markdown tables the README's "Benchmarks" section is pasted from."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass

from loadgen import Result


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        out = subprocess.run(["free", "-h"], capture_output=True, text=True, timeout=5, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Mem:"):
                return line.split()[1]
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


def machine(generator: str, extras: str) -> list[str]:
    return [
        f"- CPU: {os.cpu_count()} cores (`nproc`), {cpu_model()}; RAM {memory_total()} (`free -h`)",
        f"- OS: {platform.system()} {platform.release()}; Python {platform.python_version()} ({extras})",
        f"- Load generator: {generator}; server and generator share the same cores",
    ]


@dataclass
class Row:
    title: str
    result: Result
    expect: int
    note: str = ""
    rss_mb: float = float("nan")
    cpu_us: float = float("nan")  # server CPU per request: steadier than req/s when the machine is shared


def throughput_table(rows: list[Row]) -> list[str]:
    out = [
        "| Scenario | status | req/s | p50 | p99 | server CPU/req | requests | unexpected | RSS after | notes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        res = r.result
        out.append(
            f"| {r.title} | {r.expect} | {res.rps:,.0f} | {res.p50_ms:.2f} ms | {res.p99_ms:.2f} ms | {r.cpu_us:.0f} µs | "
            f"{res.requests:,} | {res.unexpected:,} | {r.rss_mb:.0f} MB | {r.note} |"
        )
    return out


def cold_start_line(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return (f"Cold start (spawn to first 200), {len(ms)} runs: median {statistics.median(ms):.0f} ms "
            f"(min {ms[0]:.0f}, max {ms[-1]:.0f})")


def verdicts(checks: list[tuple[str, float, float, str]]) -> list[str]:
    """`(name, measured, target, 'min'|'max')` -> lines saying met or missed, and by how much."""
    out = []
    for name, value, target, kind in checks:
        ok = value >= target if kind == "min" else value <= target
        if ok:
            out.append(f"- {name}: {value:,.2f} (target {'>=' if kind == 'min' else '<='} {target:,}) met")
        else:
            gap = (target / value if kind == "min" else value / target) if value else float("inf")
            out.append(f"- {name}: {value:,.2f} (target {'>=' if kind == 'min' else '<='} {target:,}) MISSED by {gap:.2f}x")
    return out


@dataclass
class Ratio:
    """One goal of the run: `ours` against `theirs`, both measured in this run, side by side."""

    name: str
    ours: float
    theirs: float
    unit: str  # "req/s", "s", "MB"
    goal: float
    kind: str  # "min": ours/theirs must be at least goal; "max": at most goal
    note: str = ""

    @property
    def value(self) -> float:
        return self.ours / self.theirs if self.theirs else float("nan")

    @property
    def met(self) -> bool:
        v = self.value
        return v >= self.goal if self.kind == "min" else v <= self.goal

    def verdict(self) -> str:
        if self.met:
            return "met"
        v = self.value
        gap = (self.goal / v if self.kind == "min" else v / self.goal) if v else float("inf")
        return f"**missed by {gap:.2f}x**"


def _figure(value: float, unit: str) -> str:
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:,.0f} {unit}"


def ratio_table(ratios: list[Ratio]) -> list[str]:
    out = ["| ratio | ours | against | ratio | goal | verdict |", "|---|---:|---:|---:|---|---|"]
    for r in ratios:
        sign = ">=" if r.kind == "min" else "<="
        out.append(f"| {r.name} | {_figure(r.ours, r.unit)} | {_figure(r.theirs, r.unit)} | {r.value:.2f} | "
                   f"{sign} {r.goal:g} | {r.verdict()} |")
    return out
