"""What the benchmark sends: one scenario per figure the README reports, with the state it needs.

Each scenario seeds its state through the public API first (the way a user's tests would), then
sends one request of each variant and checks the status before any load is applied, so a wrong
body shows up as a clear error instead of a very fast stream of 400s.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from loadgen import Request
from server import Server

JSON = ("Content-Type", "application/json")

# Stitch seed 001's create body, with values a connection check accepts.
STITCH_CREATE = {
    "type": "postgres",
    "name": "Bench",
    "description": "benchmark destination",
    "properties": {
        "database": "bench", "encryption_type": "none", "host": "db.example.com", "password": "secret",
        "port": "5432", "ssl": "false", "username": "bench",
    },
}

# Portable: seed 002's create body (destinationSpec names a spec of the mock's catalogue).
PORTABLE_CREATE = {
    "displayName": "Bench warehouse",
    "destinationSpec": "postgres",
    "properties": {
        "host": "db.example.com", "port": "5432", "database": "bench", "schema": "public",
        "username": "bench", "password": "secret",
    },
}
# Rejected before any state changes: `destinationSpec` is required and must be a string.
PORTABLE_REJECTED = {"displayName": 42, "properties": {"host": "db.example.com"}}
PORTABLE_TENANTS = 64  # creates are spread over organisations, so no single list grows very long

CENSUS_STORED = 1000


def bearer(token: str) -> tuple[str, str]:
    return ("Authorization", f"Bearer {token}")


def body(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@dataclass
class Scenario:
    key: str
    title: str
    vendor: str
    expect: int
    variants: list[Request]
    setup: Callable[[Server], str] = lambda server: ""
    note: str = field(default="")

    def prepare(self, server: Server) -> None:
        """Seed state, then prove every variant answers the expected status once."""
        self.note = self.setup(server)
        for v in self.variants:
            answer = server.request(v.method, v.path, dict(v.headers), json.loads(v.body) if v.body else None)
            if answer.status != self.expect:
                raise RuntimeError(f"{self.key}: {v.method} {v.path} answered {answer.status}, expected {self.expect}: {answer.body}")


# -- Stitch ---------------------------------------------------------------------------------------

def _stitch_list_setup(server: Server) -> str:
    answer = server.request("POST", "/v4/destinations", dict([bearer("bench-stitch")]), STITCH_CREATE)
    if answer.status != 200:
        raise RuntimeError(f"stitch setup: create answered {answer.status}: {answer.body}")
    return "1 destination (the Standard plan's limit)"


def stitch_list() -> Scenario:
    return Scenario(
        key="stitch-get",
        title="Stitch GET /v4/destinations",
        vendor="stitch",
        expect=200,
        variants=[Request("GET", "/v4/destinations", (bearer("bench-stitch"),))],
        setup=_stitch_list_setup,
    )


def stitch_rejected() -> Scenario:
    """Used for the rejected-create figure when Portable is not served."""
    bad = dict(STITCH_CREATE, type="not-a-destination")
    return Scenario(
        key="rejected",
        title="Stitch POST /v4/destinations, rejected (400)",
        vendor="stitch",
        expect=400,
        variants=[Request("POST", "/v4/destinations", (bearer("bench-stitch-rejected"), JSON), body(bad))],
    )


# -- Portable -------------------------------------------------------------------------------------

def portable_create() -> Scenario:
    variants = [
        Request("POST", "/v2/destinations", (bearer(f"bench-portable-{n:02d}"), JSON), body(PORTABLE_CREATE))
        for n in range(PORTABLE_TENANTS)
    ]
    return Scenario(
        key="portable-post",
        title="Portable POST /v2/destinations (validated, stored)",
        vendor="portable",
        expect=201,
        variants=variants,
        setup=lambda server: f"creates spread over {PORTABLE_TENANTS} organisations",
    )


def portable_rejected() -> Scenario:
    return Scenario(
        key="rejected",
        title="Portable POST /v2/destinations, rejected (400)",
        vendor="portable",
        expect=400,
        variants=[Request("POST", "/v2/destinations", (bearer("bench-portable-rejected"), JSON), body(PORTABLE_REJECTED))],
    )


# -- Census ---------------------------------------------------------------------------------------

CENSUS_TOKEN = "secret-token:bench-census"
# A Braze destination (the type with the shortest valid credentials); `{n}` numbers the names.
CENSUS_CREATE: dict[str, Any] = {
    "service_connection": {
        "type": "braze",
        "name": "Braze {n}",
        "credentials": {"instance_url": "https://rest.iad-03.braze.com", "api_key": "braze-rest-key", "client_key": "app-1"},
    }
}


def _census_setup(server: Server) -> str:
    headers = dict([bearer(CENSUS_TOKEN)])
    for n in range(CENSUS_STORED):
        payload = json.loads(json.dumps(CENSUS_CREATE).replace("{n}", str(n)))
        answer = server.request("POST", "/api/v1/destinations", headers, payload)
        if answer.status != 201:
            raise RuntimeError(f"census setup: create #{n} answered {answer.status}: {answer.body}")
    return f"{CENSUS_STORED:,} destinations stored"


def census_list() -> Scenario:
    return Scenario(
        key="census-get",
        title=f"Census GET /api/v1/destinations?per_page=100 ({CENSUS_STORED:,} stored)",
        vendor="census",
        expect=200,
        variants=[Request("GET", "/api/v1/destinations?per_page=100", (bearer(CENSUS_TOKEN),))],
        setup=_census_setup,
    )


def all_scenarios(vendors: set[str]) -> tuple[list[Scenario], list[str]]:
    """The scenarios the served vendors allow, and a line for each one left out."""
    wanted = [stitch_list(), portable_create(), census_list()]
    wanted.append(portable_rejected() if "portable" in vendors else stitch_rejected())
    chosen = [s for s in wanted if s.vendor in vendors]
    skipped = [f"{s.title}: skipped, vendor {s.vendor!r} is not served by this build" for s in wanted if s.vendor not in vendors]
    return chosen, skipped
