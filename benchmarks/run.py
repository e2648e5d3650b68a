"""`python benchmarks/run.py`: every speed goal of the project, as ratios measured side by side in one run.

Absolute req/s move 2-3x between machines; a ratio taken in the same run on the same machine does
not. Each goal therefore compares mockserver with something measured right before or after it:

- the bare-aiohttp ceiling (benchmarks/ceiling.py) answering a static body of the same size as
  our answer: the Stitch list, the polls clients repeat, and the Census list reach >= 50% of it,
  the validated POST >= 35%;
- Stoplight Prism on the same validated POST, both at their default logging and both quiet: >= 3x;
- cold start to the first 200 against `python -c "import aiohttp"`: <= 1.5x;
- resident memory over 1,000,000 requests that trigger and poll every vendor's runs: flat (the
  median RSS of the second half within 10% of the first half's);
- the journal, the rejection-reason header and the lifecycle runner, each on against off: a few
  percent of server CPU per request at most (<= 5%).
WireMock 3 runs on the same GET and POST when Java is on the machine (no goal: for the README).

It prints each ratio with its two figures, a Markdown report, and exits 1 when a ratio misses its goal
(2 when something could not be measured at all). Run it with the Python that has mockserver's
dependencies (e.g. `.venv/bin/python benchmarks/run.py`); the server it measures is this checkout's.
Every loop here is bounded in count and in time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
from loadgen import LoadGenerator, Request, Result, choose  # noqa: E402
from report import Ratio  # noqa: E402
from scenarios import (  # noqa: E402
    NotServed, PORTABLE_TENANTS, Scenario, all_scenarios, census_run_poll, portable_create, portable_rejected, stitch_list,
    triggers,
)
from server import CHECKOUT, Server, cold_starts, environment_note, machine_busy, mockserver_command  # noqa: E402

HERE = Path(__file__).resolve().parent
SERVER_ARGS = ("--check-delay", "0")
GOALS = {"prism": 3.0, "cold_start": 1.5, "memory_growth": 1.10, "part_cost": 1.05}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=8.0, help="measured seconds per figure (default 8)")
    p.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds before each figure, not measured (default 2)")
    p.add_argument("--rounds", type=int, default=4,
                   help="each comparison alternates its two sides this many times, duration/rounds each (default 4), "
                        "so load from other processes falls on both sides alike")
    p.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    p.add_argument("--cold-starts", type=int, default=5, help="fresh processes timed for cold start (default 5)")
    p.add_argument("--only", action="append", default=[], metavar="KEY",
                   help="ceiling scenarios to run: stitch-get, stitch-poll, portable-poll, census-poll, portable-post, "
                        "census-get, rejected (repeatable; default all)")
    p.add_argument("--skip", action="append", default=[], metavar="PART",
                   choices=["cold", "ceiling", "parts", "prism", "memory", "wiremock"],
                   help="leave out one part of the run: cold, ceiling, parts, prism, memory, wiremock (repeatable)")
    p.add_argument("--memory-requests", type=int, default=1_000_000, help="requests for the memory run (default 1,000,000)")
    p.add_argument("--memory-max-minutes", type=float, default=20.0, help="time cap for the memory run (default 20)")
    p.add_argument("--prism-seed", default=None, metavar="PATH", help="Portable's seed 002 (default: shared/seeds beside the checkout)")
    p.add_argument("--python-loadgen", action="store_true", help="use the Python load generator even if wrk is installed")
    return p.parse_args(argv)


@dataclass
class Figure:
    """One measured side: the load generator's result and the server's CPU per request."""

    result: Result
    cpu_us: float
    rss_mb: float


@dataclass
class Side:
    """One server of a comparison and what to send it."""

    port: int
    variants: list[Request]
    expect: int
    cpu_seconds: Callable[[], float] = lambda: float("nan")
    rss_mb: Callable[[], float] = lambda: float("nan")


def side(server: Server, variants: list[Request], expect: int) -> Side:
    return Side(server.port, variants, expect, server.cpu_seconds, server.rss_mb)


def side_by_side(gen: LoadGenerator, args: argparse.Namespace, sides: list[Side]) -> list[Figure]:
    """Warm every side up, then alternate them `--rounds` times (duration/rounds each) and add up:
    a burst of load from elsewhere on the machine lands on both sides instead of one."""
    for s in sides:
        if args.warmup > 0:
            gen.run(f"http://127.0.0.1:{s.port}", s.variants, args.warmup, s.expect)
    rounds = max(1, args.rounds)
    per = max(1.0, args.duration / rounds)
    parts: list[list[tuple[Result, float]]] = [[] for _ in sides]
    for _ in range(rounds):
        for i, s in enumerate(sides):
            before = s.cpu_seconds()
            result = gen.run(f"http://127.0.0.1:{s.port}", s.variants, per, s.expect)
            parts[i].append((result, s.cpu_seconds() - before))
    figures = []
    for s, runs in zip(sides, parts):
        requests = sum(r.requests for r, _ in runs)
        seconds = sum(r.seconds for r, _ in runs)
        total = Result(
            generator=runs[0][0].generator, requests=requests, seconds=seconds,
            rps=requests / seconds if seconds else 0.0,
            p50_ms=statistics.median(r.p50_ms for r, _ in runs),
            p99_ms=statistics.median(r.p99_ms for r, _ in runs),
            unexpected=sum(r.unexpected for r, _ in runs),
        )
        cpu = sum(c for _, c in runs)
        figures.append(Figure(total, cpu / max(1, requests) * 1e6, s.rss_mb()))
    return figures


def say(line: str) -> None:
    print(line, flush=True)


def figure_line(label: str, f: Figure) -> str:
    r = f.result
    unexpected = f", {r.unexpected:,} UNEXPECTED answers" if r.unexpected else ""
    return (f"    {label}: {r.rps:,.0f} req/s, p50 {r.p50_ms:.2f} ms, p99 {r.p99_ms:.2f} ms, "
            f"server CPU {f.cpu_us:.0f} us/request{unexpected}")


def served_vendors(server: Server) -> set[str]:
    health = server.request("GET", "/__admin/health")
    return {v["name"] for v in health.body["vendors"]}


def ceiling_server(sizes: list[int]) -> Server:
    command = [sys.executable, str(HERE / "ceiling.py"), "--port", "0", *[f"--size={n}" for n in sorted(set(sizes))]]
    return Server(command=command, probe=("GET", f"/static/{sizes[0]}", {}))


def prepare_all(server: Server, scenarios: list[Scenario]) -> tuple[list[Scenario], list[str]]:
    ready, skipped = [], []
    for scenario in scenarios:
        try:
            scenario.prepare(server)
            ready.append(scenario)
        except NotServed as exc:
            skipped.append(f"{scenario.title}: not served yet ({exc}), skipped")
            say(f"    {skipped[-1]}")
    return ready, skipped


# -- the parts of the run -------------------------------------------------------------------------


def cold_start(args: argparse.Namespace) -> tuple[list[str], list[Ratio]]:
    say("... cold start: python -c 'import aiohttp' and mockserver spawn-to-first-200, alternately")
    ours, floor = cold_starts(args.cold_starts, SERVER_ARGS)
    ours_s, floor_s = statistics.median(ours), statistics.median(floor)
    lines = [report.cold_start_line(ours),
             f"`python -c \"import aiohttp\"`, {len(floor)} runs: median {floor_s * 1000:.0f} ms "
             f"(min {min(floor) * 1000:.0f}, max {max(floor) * 1000:.0f})"]
    return lines, [Ratio("Cold start to first 200 / `import aiohttp`", ours_s, floor_s, "s", GOALS["cold_start"], "max")]


def against_ceiling(args: argparse.Namespace, gen: LoadGenerator) -> tuple[list[str], list[Ratio]]:
    lines = ["| Scenario | answer | ours req/s | ceiling req/s | ours p99 | ours CPU/req | ceiling CPU/req | unexpected |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    ratios: list[Ratio] = []
    with Server(args=SERVER_ARGS) as server:
        scenarios, skipped = all_scenarios(served_vendors(server))
        if args.only:
            scenarios = [s for s in scenarios if s.key in args.only]
        say(f"... seeding {len(scenarios)} scenarios (server pid {server.process.pid if server.process else '?'})")
        scenarios, not_served = prepare_all(server, scenarios)
        skipped += not_served
        if not scenarios:
            return lines + [f"- {s}" for s in skipped], ratios
        with ceiling_server([s.size for s in scenarios]) as ceiling:
            for s in scenarios:
                say(f"... {s.title} ({s.size:,} B), alternating with the ceiling answering the same body size")
                static = [Request(v.method, f"/static/{s.size}", (), v.body) for v in s.variants[:1]]
                ours, bare = side_by_side(gen, args, [side(server, s.variants, s.expect), side(ceiling, static, 200)])
                say(figure_line("ours   ", ours))
                say(figure_line("ceiling", bare))
                lines.append(f"| {s.title} | {s.size:,} B | {ours.result.rps:,.0f} | {bare.result.rps:,.0f} | "
                             f"{ours.result.p99_ms:.2f} ms | {ours.cpu_us:.0f} µs | {bare.cpu_us:.0f} µs | {ours.result.unexpected:,} |")
                if ours.result.unexpected:
                    lines.append(f"- WARNING: {s.title}: {ours.result.unexpected:,} answers with an unexpected status or socket errors")
                if s.goal is not None:
                    ratios.append(Ratio(f"{s.title} / bare aiohttp, same body size", ours.result.rps, bare.result.rps,
                                        "req/s", s.goal, "min", s.note))
    return lines + [f"- {line}" for line in skipped], ratios


def part_costs(args: argparse.Namespace, gen: LoadGenerator) -> tuple[list[str], list[Ratio]]:
    """Each part on (as shipped) against off (benchmarks/variant.py), same scenario, side by side."""
    cases = [("journal", stitch_list()), ("journal", portable_create()), ("rejection", portable_rejected()),
             ("lifecycles", stitch_list()), ("lifecycles", census_run_poll())]
    lines = ["| part | scenario | on: req/s, CPU/req | off: req/s, CPU/req | cost (CPU/req) |", "|---|---|---:|---:|---:|"]
    ratios: list[Ratio] = []
    for part, scenario in cases:
        say(f"... {part} on and off: {scenario.title}")
        off_command = [sys.executable, str(HERE / "variant.py"), "--without", part, *mockserver_command("warning", SERVER_ARGS)[3:]]
        try:
            with Server(args=SERVER_ARGS) as on_server, Server(args=SERVER_ARGS, command=off_command) as off_server:
                scenario.prepare(on_server)
                scenario.prepare(off_server)
                on, off = side_by_side(gen, args, [side(on_server, scenario.variants, scenario.expect),
                                                   side(off_server, scenario.variants, scenario.expect)])
        except (RuntimeError, NotServed) as exc:
            say(f"    cannot measure: {exc}")
            lines.append(f"| {part} | {scenario.title} | | | not measured ({exc}) |")
            continue
        say(figure_line("on ", on))
        say(figure_line("off", off))
        cost = on.cpu_us / off.cpu_us - 1 if off.cpu_us else float("nan")
        lines.append(f"| {part} | {scenario.title} | {on.result.rps:,.0f}, {on.cpu_us:.0f} µs | "
                     f"{off.result.rps:,.0f}, {off.cpu_us:.0f} µs | {cost:+.1%} |")
        ratios.append(Ratio(f"{part} on / off, CPU per request ({scenario.title})", on.cpu_us, off.cpu_us, "µs",
                            GOALS["part_cost"], "max"))
    return lines, ratios


def prism_side_by_side(args: argparse.Namespace, gen: LoadGenerator) -> tuple[list[str], list[Ratio]]:
    import prism

    if shutil.which("npm") is None and not prism.prism_binary().exists():
        return ["Prism: skipped, npm is not on PATH"], []
    seed = prism.find_seed(args.prism_seed)
    lines = ["| POST /v2/destinations | logging | req/s | p50 | p99 | RSS after |", "|---|---|---:|---:|---:|---:|"]
    ratios: list[Ratio] = []
    version = prism.PRISM_PACKAGE.rsplit("@", 1)[1]
    for label, our_level, their_level in (("default logging", "info", None), ("quiet", "warning", "warn")):
        scenario = portable_create()
        say(f"... Prism side by side, {label}: ours --log-level {our_level}, Prism {'-v ' + their_level if their_level else 'default (info)'}")
        with Server(args=SERVER_ARGS, log_level=our_level) as server, prism.Prism(seed, their_level) as other:
            scenario.prepare(server)
            ours, their_figure = side_by_side(gen, args, [side(server, scenario.variants, 201),
                                                          Side(other.port, scenario.variants, 201, rss_mb=other.rss_mb)])
            theirs, their_rss = their_figure.result, their_figure.rss_mb
        say(figure_line("ours ", ours))
        say(f"    prism: {theirs.rps:,.0f} req/s, p50 {theirs.p50_ms:.2f} ms, p99 {theirs.p99_ms:.2f} ms")
        lines.append(f"| mockserver (validated, stored) | `--log-level {our_level}` | {ours.result.rps:,.0f} | "
                     f"{ours.result.p50_ms:.2f} ms | {ours.result.p99_ms:.2f} ms | {ours.rss_mb:.0f} MB |")
        lines.append(f"| Prism {version} (validated, static example) | {'`-v ' + their_level + '`' if their_level else 'default (info)'} | "
                     f"{theirs.rps:,.0f} | {theirs.p50_ms:.2f} ms | {theirs.p99_ms:.2f} ms | {their_rss:.0f} MB |")
        ratios.append(Ratio(f"POST /v2/destinations / Prism {version}, {label}", ours.result.rps, theirs.rps, "req/s",
                            GOALS["prism"], "min"))
    return lines, ratios


def wiremock_side_by_side(args: argparse.Namespace, gen: LoadGenerator) -> tuple[list[str], list[Ratio]]:
    import prism
    import wiremock

    if wiremock.java() is None:
        return ["WireMock: skipped, no java on PATH"], []
    schema = wiremock.create_schema(prism.find_seed(args.prism_seed))
    get, post = stitch_list(), portable_create()
    post.variants = post.variants[:1]
    lines = ["| scenario | mockserver req/s | WireMock req/s | ratio |", "|---|---:|---:|---:|"]
    with Server(args=SERVER_ARGS) as server:
        for s in (get, post):
            s.prepare(server)
        answers = {s.key: server.request(s.variants[0].method, s.variants[0].path, dict(s.variants[0].headers),
                                         json.loads(s.variants[0].body) if s.variants[0].body is not None else None)
                   for s in (get, post)}
        with wiremock.WireMock() as other:
            other.stub("GET", "/v4/destinations", 200, answers[get.key].raw, headers=dict(get.variants[0].headers))
            other.stub("POST", "/v2/destinations", 201, answers[post.key].raw, schema=schema)
            for s in (get, post):
                say(f"... {s.title}: mockserver alternating with WireMock")
                ours, theirs = side_by_side(gen, args, [side(server, s.variants, s.expect),
                                                        Side(other.port, s.variants, s.expect, rss_mb=other.rss_mb)])
                say(figure_line("ours    ", ours))
                say(figure_line("WireMock", theirs))
                ratio = ours.result.rps / theirs.result.rps if theirs.result.rps else float("nan")
                lines.append(f"| {s.title} | {ours.result.rps:,.0f} | {theirs.result.rps:,.0f} | {ratio:.2f}x |")
    return lines, []


def memory(args: argparse.Namespace, gen: LoadGenerator) -> tuple[list[str], list[Ratio]]:
    """Cycle every scenario and every vendor's run trigger in 5 s chunks until the request count is
    reached. The server runs with its default delays, so runs really wait on the clock and the job
    runner moves them. Creates are removed after each create chunk (a reset of each token that made
    them), so growth would mean a leak or an unbounded history, not stored destinations."""
    chunk = 5.0
    deadline = time.monotonic() + args.memory_max_minutes * 60
    with Server() as server:
        scenarios, _ = all_scenarios(served_vendors(server))
        say("... memory run: seeding")
        mix, skipped = prepare_all(server, [*scenarios, *triggers()])
        samples = [(0, server.rss_mb())]
        sent, i = 0, 0
        base = f"http://127.0.0.1:{server.port}"
        while sent < args.memory_requests and time.monotonic() < deadline and i < 100_000:
            s = mix[i % len(mix)]
            i += 1
            result = gen.run(base, s.variants, chunk, s.expect)
            sent += result.requests
            if s.key == "portable-post":
                for n in range(PORTABLE_TENANTS):
                    server.request("POST", "/__admin/reset", body={"vendor": "portable", "token": f"bench-portable-{n:02d}"})
            samples.append((sent, server.rss_mb()))
            say(f"    {sent:,} requests ({s.key}: {result.rps:,.0f} req/s, {result.unexpected:,} unexpected), RSS {samples[-1][1]:.0f} MB")
        final = samples[-1][1]
    first = [mb for n, mb in samples[1:] if n <= sent / 2] or [samples[0][1]]
    second = [mb for n, mb in samples[1:] if n > sent / 2] or [final]
    lines = [f"RSS {samples[0][1]:.0f} MB after setup, {final:.0f} MB after {sent:,} requests "
             f"(peak {max(mb for _, mb in samples):.0f} MB; mix: {', '.join(s.key for s in mix)})",
             "- RSS along the way (requests: MB): " + ", ".join(f"{n:,}: {mb:.0f}" for n, mb in samples)]
    lines += [f"- {line}" for line in skipped]
    if sent < args.memory_requests:
        lines.append(f"- stopped at the time cap: {sent:,} of {args.memory_requests:,} requests")
    # Medians, because a sample taken right after a chunk of 766 KB Census pages is a passing peak.
    return lines, [Ratio(f"median RSS, second half / first half of {sent:,} requests", statistics.median(second),
                         statistics.median(first), "MB", GOALS["memory_growth"], "max")]


# -------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    gen = choose(args.python_loadgen, args.connections)
    busy = machine_busy()
    load = os.getloadavg()
    header = ["## Machine", *report.machine(gen.name, environment_note()),
              f"- checkout measured: {CHECKOUT}",
              f"- {args.connections} connections, {args.warmup:g} s warm-up, {args.duration:g} s measured per figure",
              f"- before the run: CPU busy {busy:.0%} (all cores, 1 s, /proc/stat), load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
              + (" -- other processes were busy: expect noisier figures" if busy > 0.1 else "")]
    if not gen.use_wrk:
        header.append("- WARNING: wrk is not installed; the Python load generator caps every figure, so ratios "
                      "against the ceiling read low (Debian package `wrk`)")
    say("\n".join(header))
    parts = [("cold", "Cold start", cold_start), ("ceiling", "Against the bare-aiohttp ceiling", against_ceiling),
             ("prism", "Prism side by side", prism_side_by_side), ("parts", "What each part costs", part_costs),
             ("memory", "Memory", memory), ("wiremock", "WireMock 3 side by side", wiremock_side_by_side)]
    sections: list[str] = []
    ratios: list[Ratio] = []
    failed = False
    for key, title, run in parts:
        if key in args.skip:
            continue
        try:
            lines, found = run(args, gen) if key != "cold" else run(args)  # type: ignore[operator]
        except Exception as exc:  # one part failing must not hide the others' figures
            failed = True
            lines, found = [f"FAILED: {type(exc).__name__}: {exc}"], []
            say(f"    {title} FAILED: {exc}")
        sections += [f"## {title}", *lines, ""]
        ratios += found
    after = machine_busy()
    summary = ["## Ratios", *report.ratio_table(ratios), "",
               f"CPU busy right after the run: {after:.0%} (1 s); load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", ""]
    say("\n" + "\n".join(summary + header + [""] + sections))
    missed = [r for r in ratios if not r.met]
    for r in missed:
        say(f"MISSED: {r.name}: {r.value:.2f} (goal {'>=' if r.kind == 'min' else '<='} {r.goal:g}): {r.verdict()}")
    if failed:
        return 2
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
