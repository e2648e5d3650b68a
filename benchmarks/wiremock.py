"""WireMock 3 side by side (optional): the same GET and validated POST, when Java is on the machine.

WireMock is installed with npm into `benchmarks/.wiremock/` (git-ignored) on first use: the npm
package `wiremock` bundles the standalone jar, so no other download is needed. It runs with its
defaults (request journal on, no verbose logging) and answers with stubs made at run time from our
own answers: the same status and the same bytes. The POST stub matches the body against the JSON
Schema of Portable's own OpenAPI excerpt (`matchesJsonSchema`), so WireMock validates as Prism and we do.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from prism import extract_openapi, free_port
from server import rss_mb, terminate

WIREMOCK_PACKAGE = "wiremock@3.13.2"
HERE = Path(__file__).resolve().parent
INSTALL_DIR = HERE / ".wiremock"
START_TIMEOUT = 60.0


def java() -> str | None:
    return shutil.which("java")


def jar() -> Path:
    """npm-install the package once; later runs reuse it."""
    found = sorted((INSTALL_DIR / "node_modules" / "wiremock").glob("**/wiremock-standalone-*.jar"))
    if found:
        return found[-1]
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("WireMock needs npm on PATH to install its jar")
    INSTALL_DIR.mkdir(exist_ok=True)
    print(f"installing {WIREMOCK_PACKAGE} into {INSTALL_DIR} (first use only)...", flush=True)
    subprocess.run([npm, "install", "--prefix", str(INSTALL_DIR), "--no-audit", "--no-fund", "--loglevel=error", WIREMOCK_PACKAGE],
                   check=True, timeout=600)
    found = sorted((INSTALL_DIR / "node_modules" / "wiremock").glob("**/wiremock-standalone-*.jar"))
    if not found:
        raise RuntimeError("npm finished but no wiremock-standalone jar was found")
    return found[-1]


def create_schema(seed: Path) -> dict[str, Any]:
    """The request-body schema of POST /v2/destinations in the seed's OpenAPI, with its $refs inlined."""
    import yaml

    doc = yaml.safe_load(extract_openapi(seed))

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                target: Any = doc
                for part in ref[2:].split("/"):
                    target = target[part]
                return inline(target)
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    body = doc["paths"]["/v2/destinations"]["post"]["requestBody"]
    return inline(body["content"]["application/json"]["schema"])


class WireMock:
    """A running WireMock standalone on loopback, with stubs added by `stub()`."""

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "WireMock":
        binary = java()
        if binary is None:
            raise RuntimeError("no java on PATH")
        path = jar()
        self.port = free_port()
        self.process = subprocess.Popen(
            [binary, "-jar", str(path), "--port", str(self.port), "--bind-address", "127.0.0.1", "--disable-banner"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"wiremock exited with {self.process.returncode}")
            try:
                self._call("GET", "/__admin/health")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("wiremock did not start listening")

    def _call(self, method: str, path: str, payload: Any = None) -> Any:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            data = json.dumps(payload).encode() if payload is not None else None
            conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
            response = conn.getresponse()
            raw = response.read()
            if response.status >= 400:
                raise RuntimeError(f"wiremock {method} {path}: {response.status} {raw[:300]!r}")
            return json.loads(raw) if raw else None
        finally:
            conn.close()

    def stub(self, method: str, path: str, status: int, body: bytes, schema: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> None:
        request: dict[str, Any] = {"method": method, "urlPath": path}
        if headers:
            request["headers"] = {k: {"equalTo": v} for k, v in headers.items()}
        if schema is not None:
            request["bodyPatterns"] = [{"matchesJsonSchema": json.dumps(schema), "schemaVersion": "V202012"}]
        response = {"status": status, "body": body.decode("utf-8"), "headers": {"Content-Type": "application/json"}}
        self._call("POST", "/__admin/mappings", {"request": request, "response": response})

    def rss_mb(self) -> float:
        assert self.process is not None
        return rss_mb(self.process.pid)

    def __exit__(self, *exc: object) -> None:
        terminate(self.process, 15)
