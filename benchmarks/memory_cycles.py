"""`python benchmarks/memory_cycles.py [--cycles 8]`: is a rise of resident memory a leak, or a high-water mark?

The memory run of `run.py` mixes 5 s chunks of validated creates (about 40,000 stored Portable
destinations, deleted again by a reset of their tenants) with polls; after each create chunk the
server's RSS stays higher than before it, because memory freed by Python stays in its allocator for
reuse. This repeats the same create-then-reset cycle and prints RSS after each: a high-water mark
settles after the first cycle or two, a leak goes on climbing by the same step every cycle.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen  # noqa: E402
import scenarios  # noqa: E402
from server import Server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=8, help="create-then-reset cycles (default 8)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of creates per cycle (default 5)")
    args = parser.parse_args()
    gen = loadgen.choose(False, 32)
    with Server() as server:
        creates, reads = scenarios.portable_create(), scenarios.stitch_list()
        creates.prepare(server)
        reads.prepare(server)
        base = f"http://127.0.0.1:{server.port}"
        print(f"after setup: RSS {server.rss_mb():.0f} MB", flush=True)
        for cycle in range(1, max(1, args.cycles) + 1):
            made = gen.run(base, creates.variants, args.seconds, 201)
            full = server.rss_mb()
            for n in range(scenarios.PORTABLE_TENANTS):
                server.request("POST", "/__admin/reset", body={"vendor": "portable", "token": f"bench-portable-{n:02d}"})
            gen.run(base, reads.variants, 2.0, 200)
            print(f"cycle {cycle}: {made.requests:,} creates, RSS {full:.0f} MB; after the reset and 2 s of reads "
                  f"{server.rss_mb():.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
