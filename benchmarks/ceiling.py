"""The ceiling: a bare aiohttp app answering static JSON bodies, run the way mockserver runs.

`python benchmarks/ceiling.py --port 0 --size 1234 --size 765000` serves `GET /static/<size>` with a
body of exactly that many bytes (`application/json`, already encoded, never rebuilt), on the same
event loop mockserver picks (uvloop when installed) with the access log off, and prints
`listening on http://127.0.0.1:<port>` as mockserver does. Whatever mockserver does per request on top
of this is ours to spend; this app is what the stack itself costs on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
from typing import Any

from aiohttp import web


def static_body(size: int) -> bytes:
    """Valid JSON of exactly `size` bytes (>= 12): a string padded to length."""
    size = max(size, 12)
    return b'{"pad":"' + b"x" * (size - 10) + b'"}'


def build(sizes: list[int]) -> web.Application:
    app = web.Application()
    for size in sizes:
        body = static_body(size)

        async def answer(request: web.Request, body: bytes = body) -> web.Response:
            return web.Response(body=body, content_type="application/json")

        app.router.add_route("*", f"/static/{size}", answer)
    return app


async def serve(host: str, port: int, sizes: list[int]) -> None:
    runner = web.AppRunner(build(sizes), access_log=None, handle_signals=True)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1]
    print(f"listening on http://{host}:{bound}", flush=True)
    gc.freeze()
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--size", type=int, action="append", default=[], help="body size in bytes (repeatable)")
    args = p.parse_args()
    run: Any = asyncio.run
    try:
        import uvloop  # type: ignore[import-not-found]

        run = uvloop.run
    except ImportError:
        pass
    try:
        run(serve(args.host, args.port, args.size or [100]))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
