"""`mockserver serve ...`: start all three fake vendors on one port until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from datetime import datetime
from typing import Any, Callable, Sequence

from aiohttp import web

from mockserver import __version__
from mockserver.config import Config, ConfigError, load_config
from mockserver.settings import Settings

LOG_LEVELS = ("debug", "info", "warning", "error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description="Stateful mock of the Stitch Connect, Portable and Census APIs.")
    parser.add_argument("--version", action="version", version=f"mockserver {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the mock server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to bind; 0 picks a free one and prints it (default 8080)")
    serve.add_argument("--seed", type=int, default=0, help="seed for ids and generated data: same seed, same output (default 0)")
    serve.add_argument("--check-delay", type=_non_negative, default=2.0, metavar="SECONDS",
                       help="how long a simulated connection check runs; 0 finishes it within the request (default 2)")
    serve.add_argument("--refresh-delay", type=_non_negative, default=2.0, metavar="SECONDS",
                       help="how long a simulated object refresh runs (default 2)")
    serve.add_argument("--virtual-clock", action="store_true",
                       help="start a virtual clock that only moves when advanced through /__admin/clock/advance")
    serve.add_argument("--start-time", type=_timestamp, default=None, metavar="ISO8601",
                       help="with --virtual-clock: the instant the clock starts at")
    serve.add_argument("--stitch-destination-limit", type=_positive, default=1, metavar="N",
                       help="destinations per Stitch account (default 1, the Standard plan)")
    serve.add_argument("--portable-no-api-token", action="append", default=[], metavar="TOKEN",
                       help="a Portable token on a plan without API access (403); repeatable")
    serve.add_argument("--journal-size", type=_non_negative_int, default=1000, metavar="N",
                       help="how many requests the journal keeps (default 1000; 0 keeps none)")
    serve.add_argument("--max-body-bytes", type=_positive, default=1024 * 1024, metavar="BYTES",
                       help="largest request body accepted; larger gets 413 (default 1 MiB)")
    serve.add_argument("--vendors", default=None, metavar="LIST", help="comma-separated subset of vendors to serve (default all)")
    serve.add_argument("--log-level", choices=LOG_LEVELS, default="info", help="info logs one line per request (default info)")
    serve.add_argument("--config", default=None, metavar="FILE",
                       help="YAML file declaring tokens per vendor and their attributes (see the README)")
    serve.add_argument("--strict-auth", action="store_true",
                       help="refuse (401) every token the --config file does not declare")
    serve.add_argument("--state-file", default=None, metavar="FILE",
                       help="load state from FILE at start; save it atomically soon after each change and at exit")
    serve.add_argument("--state-write-delay", type=_non_negative, default=0.2, metavar="SECONDS",
                       help="with --state-file: how long after a change the state is saved (default 0.2)")
    serve.add_argument("--demo", action="store_true",
                       help="start with seeded demo data for every vendor and print the demo tokens")
    serve.add_argument("--admin-token", default=os.environ.get("MOCKSERVER_ADMIN_TOKEN") or None, metavar="TOKEN",
                       help="require this token on /__admin (X-Admin-Token or Authorization: Bearer); "
                            "default: $MOCKSERVER_ADMIN_TOKEN, else none")
    return parser


def _at_least(cast: Callable[[str], Any], minimum: float) -> Callable[[str], Any]:
    """An argparse type: `cast` the text and refuse values below `minimum`."""

    def parse(text: str) -> Any:
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum:g} or more")
        return value

    return parse


_non_negative = _at_least(float, 0)
_non_negative_int = _at_least(int, 0)
_positive = _at_least(int, 1)


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-01-01T09:00:00Z")
    return moment


def settings_from_args(args: argparse.Namespace) -> Settings:
    from mockserver.vendors import VENDOR_MODULES

    vendors: tuple[str, ...] = ()
    if args.vendors:
        vendors = tuple(v.strip() for v in args.vendors.split(",") if v.strip())
        unknown = [v for v in vendors if v not in VENDOR_MODULES]
        if unknown:
            raise SystemExit(f"mockserver: unknown vendor(s) {', '.join(unknown)}; known: {', '.join(VENDOR_MODULES)}")
    config = Config()
    if args.config:
        try:
            config = load_config(args.config)
        except ConfigError as exc:
            raise SystemExit(f"mockserver: {exc}") from None
    if (args.strict_auth or config.strict_auth) and not config.declared_tenants:
        raise SystemExit("mockserver: --strict-auth refuses every undeclared token; declare tokens with --config")
    return Settings(
        host=args.host,
        port=args.port,
        seed=args.seed,
        check_delay=args.check_delay,
        refresh_delay=args.refresh_delay,
        virtual_clock=args.virtual_clock,
        start_time=args.start_time,
        vendors=vendors,
        log_level=args.log_level,
        journal_size=args.journal_size,
        max_body_bytes=args.max_body_bytes,
        stitch_destination_limit=args.stitch_destination_limit,
        portable_no_api_tokens=frozenset(args.portable_no_api_token),
        declared_tenants=config.declared_tenants,
        lifecycles=config.lifecycles,
        strict_auth=args.strict_auth or config.strict_auth,
        state_file=args.state_file,
        state_write_delay=args.state_write_delay,
        demo=args.demo,
        admin_token=args.admin_token,
    )


def tune_gc() -> None:
    """Collector settings for a served process. Under load, full collections walking start-up objects
    and stored records paused every request for up to 0.1 s (the p99). Start-up objects (specs,
    catalogues, validators) live as long as the process, so they leave the collector's view, and
    young collections run less often; reference counting still frees everything acyclic at once."""
    gc.freeze()
    gc.set_threshold(5000, 20, 10)


async def serve(settings: Settings) -> None:
    from mockserver.app import VENDORS, create_app
    from mockserver.persistence import PersistenceError

    try:
        app = create_app(settings)
    except ConfigError as exc:  # e.g. a --config lifecycle or state the vendors do not declare
        raise SystemExit(f"mockserver: {exc}") from None
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=10.0)
    try:
        await runner.setup()  # loads the state file, if any
    except PersistenceError as exc:
        await runner.cleanup()
        raise SystemExit(f"mockserver: {exc}") from None
    tune_gc()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    port = settings.port
    server = getattr(site, "_server", None)
    if server is not None and server.sockets:
        port = server.sockets[0].getsockname()[1]
    demo = None
    if settings.demo:
        from mockserver.demo import banner, seed_demo

        local = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
        demo = banner(await seed_demo(app, f"http://{local}:{port}"))
    vendors = ", ".join(f"{name} ({' '.join(v.spec.prefixes)})" for name, v in app[VENDORS].items())
    print(f"mockserver {__version__} listening on http://{settings.host}:{port} serving {vendors}", flush=True)
    if demo:
        print(demo, flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("mockserver stopping", flush=True)
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_from_args(args)
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper()),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    try:
        import uvloop  # type: ignore[import-not-found]

        run: Callable[..., Any] = uvloop.run
    except ImportError:
        run = asyncio.run
    run(serve(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
