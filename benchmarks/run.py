"""`python benchmarks/run.py`: start the mock server in a subprocess and measure it over loopback.

Reports cold start, req/s and p50/p99 at 32 connections for each scenario (scenarios.py), and the
server's resident memory. `--memory` adds the 1,000,000-request memory run, `--prism` the side-by-side
POST against Stoplight Prism. Every loop here is bounded in count and in time.
Run it with the Python that has mockserver installed (e.g. `.venv/bin/python benchmarks/run.py`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
from loadgen import LoadGenerator, choose  # noqa: E402
from scenarios import Scenario, all_scenarios, portable_create  # noqa: E402
from server import Server, cold_starts, environment_note, machine_busy  # noqa: E402

SERVER_ARGS = ("--check-delay", "0")
TARGETS = {"get_rps": 10_000, "post_rps": 5_000, "p99_ms": 10.0, "cold_start_s": 0.5, "memory_mb": 150, "prism_ratio": 2.0}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=10.0, help="measured seconds per scenario (default 10)")
    p.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per scenario, not measured (default 3)")
    p.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    p.add_argument("--cold-starts", type=int, default=5, help="fresh processes timed for cold start (default 5)")
    p.add_argument("--only", action="append", default=[], metavar="KEY",
                   help="run only these scenarios: stitch-get, portable-post, census-get, rejected (repeatable)")
    p.add_argument("--skip-throughput", action="store_true", help="skip cold start and the scenario table")
    p.add_argument("--memory", action="store_true", help="also send 1,000,000 requests and report memory (minutes)")
    p.add_argument("--memory-requests", type=int, default=1_000_000, help="requests for --memory (default 1,000,000)")
    p.add_argument("--memory-max-minutes", type=float, default=30.0, help="time cap for --memory (default 30)")
    p.add_argument("--prism", action="store_true", help="also run POST /v2/destinations against Prism, side by side")
    p.add_argument("--prism-seed", default=None, metavar="PATH", help="Portable's seed 002 (default: shared/seeds beside the checkout)")
    p.add_argument("--python-loadgen", action="store_true", help="use the Python load generator even if wrk is installed")
    return p.parse_args(argv)


def served_vendors(server: Server) -> set[str]:
    health = server.request("GET", "/__admin/health")
    return {v["name"] for v in health.body["vendors"]}


def measure(gen: LoadGenerator, server: Server, scenario: Scenario, duration: float, warmup: float) -> report.Row:
    base = f"http://127.0.0.1:{server.port}"
    if warmup > 0:
        gen.run(base, scenario.variants, warmup, scenario.expect)
    cpu_before = server.cpu_seconds()
    result = gen.run(base, scenario.variants, duration, scenario.expect)
    cpu_us = (server.cpu_seconds() - cpu_before) / max(1, result.requests) * 1e6
    return report.Row(scenario.title, result, scenario.expect, scenario.note, server.rss_mb(), cpu_us)


def throughput(args: argparse.Namespace, gen: LoadGenerator) -> list[str]:
    times = cold_starts(args.cold_starts, SERVER_ARGS)
    lines = [report.cold_start_line(times), ""]
    rows: list[report.Row] = []
    with Server(args=SERVER_ARGS) as server:
        scenarios, skipped = all_scenarios(served_vendors(server))
        if args.only:
            scenarios = [s for s in scenarios if s.key in args.only]
        print(f"server pid {server.process.pid if server.process else '?'} on port {server.port}, RSS at start {server.rss_mb():.0f} MB", flush=True)
        for scenario in scenarios:
            print(f"... {scenario.title}", flush=True)
            scenario.prepare(server)
            row = measure(gen, server, scenario, args.duration, args.warmup)
            print(f"    {row.result.rps:,.0f} req/s, p50 {row.result.p50_ms:.2f} ms, p99 {row.result.p99_ms:.2f} ms, "
                  f"server CPU {row.cpu_us:.0f} us/request, RSS {row.rss_mb:.0f} MB", flush=True)
            rows.append(row)
    lines += report.throughput_table(rows)
    lines += [f"- {line}" for line in skipped]
    checks = [("cold start, median (s)", sorted(times)[len(times) // 2], TARGETS["cold_start_s"], "max")]
    for row in rows:
        floor = TARGETS["post_rps"] if row.expect == 201 else TARGETS["get_rps"] if row.expect == 200 else None
        if floor is not None:
            checks.append((f"{row.title} req/s", row.result.rps, floor, "min"))
        checks.append((f"{row.title} p99 (ms)", row.result.p99_ms, TARGETS["p99_ms"], "max"))
        if row.result.unexpected:
            lines.append(f"- WARNING: {row.title}: {row.result.unexpected:,} answers with an unexpected status or socket errors")
    return lines + [""] + report.verdicts(checks)


def memory(args: argparse.Namespace, gen: LoadGenerator) -> list[str]:
    """Cycle every scenario in 10 s chunks until the request count is reached; Portable creates are
    reset after each chunk (through /__admin/reset) so growth would mean a leak, not stored state."""
    chunk = 10.0
    deadline = time.monotonic() + args.memory_max_minutes * 60
    with Server(args=SERVER_ARGS) as server:
        scenarios, _ = all_scenarios(served_vendors(server))
        for scenario in scenarios:
            scenario.prepare(server)
        base = f"http://127.0.0.1:{server.port}"
        samples = [(0, server.rss_mb())]
        sent = 0
        i = 0
        while sent < args.memory_requests and time.monotonic() < deadline and i < 10_000:
            scenario = scenarios[i % len(scenarios)]
            i += 1
            result = gen.run(base, scenario.variants, chunk, scenario.expect)
            sent += result.requests
            if scenario.expect == 201:
                reset = server.request("POST", "/__admin/reset", body={"vendor": scenario.vendor})
                if reset.status != 200:
                    raise RuntimeError(f"reset failed: {reset.status} {reset.body}")
            samples.append((sent, server.rss_mb()))
            print(f"    {sent:,} requests, RSS {samples[-1][1]:.0f} MB", flush=True)
        final = samples[-1][1]
    lines = [f"Memory: RSS {samples[0][1]:.0f} MB after setup, {final:.0f} MB after {sent:,} requests "
             f"(peak {max(s[1] for s in samples):.0f} MB; mix: {', '.join(s.key for s in scenarios)})"]
    lines.append("- RSS along the way (requests: MB): " + ", ".join(f"{n:,}: {mb:.0f}" for n, mb in samples))
    if sent < args.memory_requests:
        lines.append(f"- stopped at the time cap: {sent:,} of {args.memory_requests:,} requests")
    return lines + report.verdicts([("RSS after the memory run (MB)", final, TARGETS["memory_mb"], "max")])


def prism_side_by_side(args: argparse.Namespace, gen: LoadGenerator) -> list[str]:
    import prism

    seed = prism.find_seed(args.prism_seed)
    ours_scenario = portable_create()
    variants = ours_scenario.variants
    with Server(args=SERVER_ARGS) as server:
        if "portable" not in served_vendors(server):
            return ["Prism side by side: skipped, Portable is not served by this build"]
        ours_scenario.prepare(server)
        ours = measure(gen, server, ours_scenario, args.duration, args.warmup)
    with prism.Prism(seed) as other:
        base = f"http://127.0.0.1:{other.port}"
        if args.warmup > 0:
            gen.run(base, variants, args.warmup, 201)
        theirs = gen.run(base, variants, args.duration, 201)
        prism_rss = other.rss_mb()
    ratio = ours.result.rps / theirs.rps if theirs.rps else float("inf")
    lines = [
        "| POST /v2/destinations | req/s | p50 | p99 | unexpected | RSS after |",
        "|---|---:|---:|---:|---:|---:|",
        f"| mockserver (validated, stored) | {ours.result.rps:,.0f} | {ours.result.p50_ms:.2f} ms | {ours.result.p99_ms:.2f} ms | {ours.result.unexpected:,} | {ours.rss_mb:.0f} MB |",
        f"| Prism {prism.PRISM_PACKAGE.rsplit('@', 1)[1]} (validated, static example) | {theirs.rps:,.0f} | {theirs.p50_ms:.2f} ms | {theirs.p99_ms:.2f} ms | {theirs.unexpected:,} | {prism_rss:.0f} MB |",
        "",
        f"Ratio mockserver / Prism: {ratio:.2f}x",
    ]
    return lines + report.verdicts([("req/s ratio over Prism", ratio, TARGETS["prism_ratio"], "min")])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    gen = choose(args.python_loadgen, args.connections)
    busy = machine_busy()
    header = ["## Machine", *report.machine(gen.name, environment_note()),
              f"- {args.connections} connections, {args.warmup:g} s warm-up, {args.duration:g} s measured per scenario",
              f"- CPU busy just before the run (all cores, 1 s): {busy:.0%}"
              + (" -- other processes were busy: expect lower figures" if busy > 0.1 else ""), ""]
    print("\n".join(header), flush=True)
    sections: list[str] = []
    if not args.skip_throughput:
        sections += ["## Throughput", *throughput(args, gen), ""]
    if args.memory:
        sections += ["## Memory", *memory(args, gen), ""]
    if args.prism:
        sections += ["## Prism side by side", *prism_side_by_side(args, gen), ""]
    print("\n" + "\n".join(header + sections), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
