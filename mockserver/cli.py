"""`mockserver serve ...`: start all three fake vendors on one port until Ctrl-C or SIGTERM.

Every mistake a user can make on the command line (a bad value, a port in use, an unknown host, a
state file in a missing folder, a broken --config file) ends in one line naming the option and what
is wrong, and a non-zero exit: never a traceback. Every serve option can also come from the
environment (`--check-delay` is `MOCKSERVER_CHECK_DELAY`); see `environment_defaults`.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import gc
import logging
import os
import signal
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping, NoReturn, Sequence

from aiohttp import web

from mockserver import __version__
from mockserver.config import Config, ConfigError, load_config
from mockserver.settings import Settings

LOG_LEVELS = ("debug", "info", "warning", "error")
ENV_PREFIX = "MOCKSERVER_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
SHUTDOWN_TIMEOUT = 5.0  # seconds in-flight requests get to finish once the server is asked to stop


class Parser(argparse.ArgumentParser):
    """argparse, except that a mistake is one line (what is wrong, and where to look), not the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser(environ: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    parser = Parser(prog="mockserver", description="Stateful mock of the Stitch Connect, Portable and Census APIs.")
    parser.add_argument("--version", action="version", version=f"mockserver {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve", help="run the mock server",
        epilog="Every option can also be set in the environment: --check-delay 0 is MOCKSERVER_CHECK_DELAY=0, "
               "a flag such as --virtual-clock is MOCKSERVER_VIRTUAL_CLOCK=1, a repeatable option takes a "
               "comma-separated list. The command line wins over the environment.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="port to bind; 0 picks a free one and prints it (default 8080)")
    serve.add_argument("--seed", type=_integer, default=0, help="seed for ids and generated data: same seed, same output (default 0)")
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
    serve.add_argument("--load", default=None, metavar="FILE",
                       help="start from the state in FILE (JSON, or YAML) and never write to it; a full reset returns to it")
    serve.add_argument("--demo", action="store_true",
                       help="start with seeded demo data for every vendor and print the demo tokens")
    serve.add_argument("--admin-token", default=None, metavar="TOKEN",
                       help="require this token on /__admin (X-Admin-Token or Authorization: Bearer)")
    environment_defaults(serve, os.environ if environ is None else environ)
    return parser


def env_name(option: str) -> str:
    """`--check-delay` -> `MOCKSERVER_CHECK_DELAY`: the one rule for every serve option."""
    return ENV_PREFIX + option.lstrip("-").upper().replace("-", "_")


def environment_defaults(parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
    """Make `MOCKSERVER_<OPTION>` the default of each `--option`, checked like the option itself.

    An empty variable counts as unset. Flags take 1/true/yes/on or 0/false/no/off; a repeatable
    option takes a comma-separated list. The command line still wins."""
    defaults: dict[str, Any] = {}
    for action in parser._actions:
        options = [o for o in action.option_strings if o.startswith("--")]
        if not options or action.dest == "help":
            continue
        name = env_name(options[0])
        text = environ.get(name, "").strip()
        if not text:
            continue
        try:
            defaults[action.dest] = _from_environment(action, text)
        except (argparse.ArgumentTypeError, ValueError) as exc:
            parser.exit(2, f"{parser.prog}: {name}={text!r}: {exc}\n")
    parser.set_defaults(**defaults)


def _from_environment(action: argparse.Action, text: str) -> Any:
    if isinstance(action, argparse._StoreTrueAction):
        word = text.lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError("give 1, true, yes or on (or 0, false, no, off)")
        return word in TRUE_WORDS
    if isinstance(action, argparse._AppendAction):
        return [part.strip() for part in text.split(",") if part.strip()]
    value = action.type(text) if callable(action.type) else text
    if action.choices is not None and value not in action.choices:
        raise ValueError(f"must be one of {', '.join(map(str, action.choices))}")
    return value


def _at_least(cast: Callable[[str], Any], minimum: float, maximum: float | None = None) -> Callable[[str], Any]:
    """An argparse type: `cast` the text and refuse values outside [minimum, maximum]."""

    def parse(text: str) -> Any:
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value != value or value < minimum or (maximum is not None and value > maximum):  # NaN too
            if maximum is not None:
                raise argparse.ArgumentTypeError(f"must be between {minimum:g} and {maximum:g}, got {text}")
            raise argparse.ArgumentTypeError(f"must be {minimum:g} or more, got {text}")
        return value

    return parse


_non_negative = _at_least(float, 0)
_non_negative_int = _at_least(int, 0)
_positive = _at_least(int, 1)
_port = _at_least(int, 0, 65535)


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-01-01T09:00:00Z")
    return moment


def _refuse(message: str) -> NoReturn:
    raise SystemExit(f"mockserver: {message}")


def _check_combinations(args: argparse.Namespace) -> None:
    """Options that cannot work together, or cannot work at all, are refused before anything starts."""
    if args.start_time is not None and not args.virtual_clock:
        _refuse("--start-time needs --virtual-clock (a real clock always starts at the real time)")
    if args.load and args.state_file:
        _refuse("--load and --state-file both set the starting state; to keep changes, copy the file and use --state-file")
    if args.load and args.demo:
        _refuse("--load and --demo both set the starting state; use one")
    if args.state_file:
        path = Path(args.state_file)
        folder = path.parent
        if path.is_dir():
            _refuse(f"--state-file {path}: is a folder; give a file name")
        if not folder.is_dir():
            _refuse(f"--state-file {path}: the folder {folder} does not exist; create it first")
        if not os.access(folder, os.W_OK | os.X_OK):
            _refuse(f"--state-file {path}: the folder {folder} is not writable")
    if args.load and not Path(args.load).is_file():
        _refuse(f"--load {args.load}: no such file")


def settings_from_args(args: argparse.Namespace) -> Settings:
    from mockserver.vendors import VENDOR_MODULES

    _check_combinations(args)
    vendors: tuple[str, ...] = ()
    if args.vendors:
        vendors = tuple(v.strip() for v in args.vendors.split(",") if v.strip())
        unknown = [v for v in vendors if v not in VENDOR_MODULES]
        if unknown:
            _refuse(f"unknown vendor(s) {', '.join(unknown)}; known: {', '.join(VENDOR_MODULES)}")
    config = Config()
    if args.config:
        try:
            config = load_config(args.config)
        except ConfigError as exc:
            _refuse(str(exc))
    if (args.strict_auth or config.strict_auth) and not config.declared_tenants:
        _refuse("--strict-auth refuses every undeclared token; declare tokens with --config")
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
        partners=config.partners,
        lifecycles=config.lifecycles,
        strict_auth=args.strict_auth or config.strict_auth,
        state_file=args.state_file,
        state_write_delay=args.state_write_delay,
        load_file=args.load,
        demo=args.demo,
        admin_token=args.admin_token,
    )


def bind_problem(exc: OSError, host: str, port: int) -> str:
    """One line for why the server could not listen, with what to do about it."""
    if isinstance(exc, socket.gaierror):
        return f"cannot listen on --host {host}: no such host or address ({exc.strerror or exc})"
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (another mockserver, WireMock, ...); "
                "choose another with --port, or --port 0 for a free one")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on --host {host}: that address does not belong to this machine"
    if exc.errno == errno.EACCES:
        return f"cannot listen on port {port}: permission denied (ports below 1024 need privileges)"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def tune_gc() -> None:
    """Collector settings for a served process. Under load, full collections walking start-up objects
    and stored records paused every request for up to 0.1 s (the p99). Start-up objects (specs,
    catalogues, validators) live as long as the process, so they leave the collector's view, and
    young collections run less often; reference counting still frees everything acyclic at once."""
    gc.freeze()
    gc.set_threshold(5000, 20, 10)


def _say(line: str) -> None:
    """Progress for the person at the terminal (stderr, so stdout's first line stays the address)."""
    print(f"mockserver: {line}", file=sys.stderr, flush=True)


def _stop_signals(stop: asyncio.Event) -> None:
    """First Ctrl-C (or SIGTERM): stop gracefully. A second one: exit at once, without a last save."""

    def on_signal() -> None:
        if stop.is_set():
            print("mockserver: second interrupt, exiting at once", file=sys.stderr, flush=True)
            os._exit(130)
        stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)


async def serve(settings: Settings) -> None:
    from mockserver.app import VENDORS, create_app
    from mockserver.persistence import PersistenceError

    stop = asyncio.Event()
    _stop_signals(stop)
    try:
        app = create_app(settings)
    except ConfigError as exc:  # e.g. a --config lifecycle or state the vendors do not declare
        raise SystemExit(f"mockserver: {exc}") from None
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT)
    try:
        await runner.setup()  # loads the state file or the --load file, if any
    except PersistenceError as exc:
        await runner.cleanup()
        _refuse(str(exc))
    tune_gc()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        _refuse(bind_problem(exc, settings.host, settings.port))
    port = settings.port
    server = getattr(site, "_server", None)
    if server is not None and server.sockets:
        port = server.sockets[0].getsockname()[1]
    try:
        demo = await _demo(app, settings, port, stop) if settings.demo else None
        if not stop.is_set():
            vendors = ", ".join(f"{name} ({' '.join(v.spec.prefixes)})" for name, v in app[VENDORS].items())
            print(f"mockserver {__version__} listening on http://{settings.host}:{port} serving {vendors}", flush=True)
            if demo:
                print(demo, flush=True)
            await stop.wait()
    finally:
        print("mockserver stopping (Ctrl-C again to exit at once)", flush=True)
        await runner.cleanup()  # cuts injected latency short; in-flight requests get their answers


async def _demo(app: web.Application, settings: Settings, port: int, stop: asyncio.Event) -> str | None:
    """Seed the demo (health answers 503 meanwhile); None when a signal came first."""
    from mockserver.demo import DemoError, banner, load_demo

    local = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    _say("loading demo data ...")
    seeding = asyncio.ensure_future(load_demo(app, f"http://{local}:{port}", _say))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({seeding, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not seeding.done():
        seeding.cancel()
        return None
    try:
        return banner(seeding.result())
    except DemoError as exc:
        _refuse(str(exc))


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
    try:
        run(serve(settings))
    except KeyboardInterrupt:  # Ctrl-C before the server's own signal handling was in place
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
