"""`python benchmarks/journal_memory.py [--requests N] [--journal-size N]`: memory under a long run.

Starts the mock in-process (`async with MockServer()`, on the benchmark's own event loop) and sends N requests (default
100,000) over loopback from 32 concurrent aiohttp connections: a mix of reads, updates carrying
passwords (Stitch, Portable) and unauthenticated calls, spread over 100 tokens. Prints the process's
resident memory (server and client together) at checkpoints, the journal's size, and checks that no
token or password reached the journal. WireMock's unbounded journal is what this guards against: its
memory grows with every request; ours must stay flat once the journal is full.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver.testing import MockServer  # noqa: E402

PASSWORD = "bench-secret-password"
TOKENS = [f"bench-token-{i:03d}" for i in range(100)]
POSTGRES = {"type": "postgres", "properties": {"host": "db.example.com", "port": "5432", "username": "loader",
                                                "password": PASSWORD, "database": "analytics"}}
SNOWFLAKE = {"displayName": "Warehouse", "destinationSpec": "snowflake",
             "properties": {"account": "org-acct", "username": "LOADER", "password": PASSWORD,
                            "warehouse": "WH", "database": "DB", "schema": "PUBLIC"}}


def rss_mb() -> float:
    """Current resident set size, from /proc where there is one (peak RSS otherwise)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def setup(session: aiohttp.ClientSession, server: MockServer) -> dict[str, tuple[int, int]]:
    """One Stitch and one Portable destination per token, to update during the run."""
    ids = {}
    for token in TOKENS:
        auth = {"Authorization": f"Bearer {token}"}
        async with session.post(server.stitch_url + "/v4/destinations", json=POSTGRES, headers=auth) as r:
            stitch_id = (await r.json())["id"]
        async with session.post(server.portable_url + "/v2/destinations", json=SNOWFLAKE, headers=auth) as r:
            portable_id = (await r.json())["data"]["id"]
        ids[token] = (stitch_id, portable_id)
    return ids


async def run(total: int, server: MockServer, checkpoints: int = 5) -> list[tuple[int, float]]:
    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(connector=connector) as session:
        ids = await setup(session, server)
        sent = 0
        marks = [(0, rss_mb())]
        step = max(1, total // checkpoints)

        async def one(i: int) -> None:
            token = TOKENS[i % len(TOKENS)]
            auth = {"Authorization": f"Bearer {token}"}
            stitch_id, portable_id = ids[token]
            kind = i % 4
            if kind == 0:
                request = session.put(f"{server.stitch_url}/v4/destinations/{stitch_id}",
                                      json={"properties": {"password": PASSWORD}}, headers=auth)
            elif kind == 1:
                request = session.patch(f"{server.portable_url}/v2/destinations/{portable_id}",
                                        json={"properties": {"password": PASSWORD}}, headers=auth)
            elif kind == 2:
                request = session.get(server.census_url + "/destinations", headers=auth)
            else:
                request = session.get(server.stitch_url + "/v4/destinations")  # 401
            async with request as resp:
                await resp.read()

        async def worker(start: int) -> None:
            nonlocal sent
            for i in range(start, total, 32):
                await one(i)
                sent += 1
                if sent % step == 0:
                    marks.append((sent, rss_mb()))

        await asyncio.gather(*(worker(w) for w in range(32)))
        return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000, help="requests to send (default 100,000)")
    parser.add_argument("--journal-size", type=int, default=1000, help="the server's --journal-size (default 1000)")
    args = parser.parse_args(argv)

    async def measure() -> tuple[list[tuple[int, float]], float, list[dict], int]:
        # Client and server share one event loop: no thread hand-offs, so the run measures the server.
        async with MockServer(check_delay=0, journal_size=args.journal_size, log_level="warning",
                              stitch_destination_limit=10) as server:
            started = time.perf_counter()
            marks = await run(args.requests, server)
            elapsed = time.perf_counter() - started
            return marks, elapsed, server.requests(limit=args.journal_size), server.count()

    marks, elapsed, entries, total = asyncio.run(measure())
    journal = json.dumps(entries)
    leaked = [s for s in (PASSWORD, *TOKENS) if s in journal]

    print(f"{args.requests:,} requests in {elapsed:.1f} s ({args.requests / elapsed:,.0f} req/s), "
          f"journal size {args.journal_size:,}")
    print("requests sent -> resident memory (server and client, one process)")
    for sent, mb in marks:
        print(f"  {sent:>9,} -> {mb:6.1f} MB")
    print(f"journal holds {total:,} entries (bound {args.journal_size:,}); "
          f"tokens or passwords in it: {'NONE' if not leaked else leaked[:3]}")
    return 0 if not leaked and total <= args.journal_size else 1


if __name__ == "__main__":
    raise SystemExit(main())
