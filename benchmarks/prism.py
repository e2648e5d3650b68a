"""Prism side by side: the same POST /v2/destinations against Stoplight Prism and against us.

Prism is installed with npm into `benchmarks/.prism/` (git-ignored) on first use, and serves
Portable's own OpenAPI excerpt (seed 002), which is read out of the seed file at run time: the
project keeps no copy of the vendor's document.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from server import rss_mb, terminate

PRISM_PACKAGE = "@stoplight/prism-cli@5.16.0"
HERE = Path(__file__).resolve().parent
INSTALL_DIR = HERE / ".prism"
SEED_NAME = "002_a779ac4f8c178b7c.txt"
START_TIMEOUT = 60.0


def seed_candidates() -> list[Path]:
    """Where the shared seeds live: beside the checkout (CI and developers), or the workplace default."""
    return [HERE.parent.parent / "shared" / "seeds" / SEED_NAME, Path("/work/shared/seeds") / SEED_NAME]


def extract_openapi(seed: Path) -> str:
    """The YAML of the seed's fenced ```` ```yaml ```` block (Portable's OpenAPI for POST /v2/destinations)."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("````yaml") or line.startswith("```yaml")), None)
    if start is None:
        raise RuntimeError(f"{seed}: no fenced yaml block")
    fence = lines[start][: len(lines[start]) - len(lines[start].lstrip("`"))]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == fence), None)
    if end is None:
        raise RuntimeError(f"{seed}: the yaml block never closes")
    return "\n".join(lines[start + 1 : end]) + "\n"


def prism_binary() -> Path:
    return INSTALL_DIR / "node_modules" / ".bin" / "prism"


def install() -> Path:
    """npm-install Prism into benchmarks/.prism once; later runs reuse it."""
    binary = prism_binary()
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("--prism needs node and npm on PATH")
    INSTALL_DIR.mkdir(exist_ok=True)
    print(f"installing {PRISM_PACKAGE} into {INSTALL_DIR} (first use only)...", flush=True)
    subprocess.run(
        [npm, "install", "--prefix", str(INSTALL_DIR), "--no-audit", "--no-fund", "--loglevel=error", PRISM_PACKAGE],
        check=True, timeout=600,
    )
    if not binary.exists():
        raise RuntimeError(f"npm finished but {binary} is missing")
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Prism:
    """A running `prism mock` on loopback; `verbose` None is Prism's default logging (info, a line
    per request), "warn" the quiet setting."""

    def __init__(self, seed: Path, verbose: str | None = "warn") -> None:
        self.seed = seed
        self.verbose = verbose
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> "Prism":
        binary = install()
        self._tmp = tempfile.TemporaryDirectory(prefix="mockbench-prism-")
        spec = Path(self._tmp.name) / "portable-create-destination.yaml"
        spec.write_text(extract_openapi(self.seed), encoding="utf-8")
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(binary), "mock", "-h", "127.0.0.1", "-p", str(self.port), *(("-v", self.verbose) if self.verbose else ()), str(spec)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"prism exited with {self.process.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("prism did not start listening")

    def rss_mb(self) -> float:
        assert self.process is not None
        return rss_mb(self.process.pid)

    def __exit__(self, *exc: object) -> None:
        terminate(self.process, 10)
        if self._tmp is not None:
            self._tmp.cleanup()


def find_seed(explicit: str | None) -> Path:
    candidates = [Path(explicit)] if explicit else seed_candidates()
    for path in candidates:
        if path.is_file():
            return path
    raise RuntimeError("Portable's seed 002 not found; pass --prism-seed PATH (looked in: " + ", ".join(map(str, candidates)) + ")")
