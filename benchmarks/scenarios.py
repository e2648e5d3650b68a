"""What the benchmark sends: one scenario per figure the README reports, with the state it needs.

Each scenario seeds its state through the public API first (the way a user's tests would), then
sends one request of each variant and checks the status before any load is applied, so a wrong
body shows up as a clear error instead of a very fast stream of 400s. A scenario whose endpoints
this build does not serve yet (its setup meets a 404) is skipped with a "not served yet" line.
"""

from __future__ import annotations

import itertools
import json
import time
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


class NotServed(Exception):
    """The endpoints a scenario needs are not in this build yet (a 404 during its setup)."""


@dataclass
class Scenario:
    key: str
    title: str
    vendor: str
    expect: int
    variants: list[Request]
    setup: Callable[[Server], str] = lambda server: ""
    note: str = field(default="")
    goal: float | None = None  # least share of the bare-aiohttp ceiling (same body size) it must reach
    size: int = 0  # bytes of one answer, measured by prepare()
    build: Callable[[Server], list[Request]] | None = None  # variants that need ids made by the setup

    def prepare(self, server: Server) -> None:
        """Seed state, then prove every variant answers the expected status once."""
        self.note = self.setup(server)
        if self.build is not None:
            self.variants = self.build(server)
        sizes = []
        for v in self.variants:
            answer = server.request(v.method, v.path, dict(v.headers), json.loads(v.body) if v.body else None)
            if answer.status != self.expect:
                raise RuntimeError(f"{self.key}: {v.method} {v.path} answered {answer.status}, expected {self.expect}: {answer.body}")
            sizes.append(answer.size)
        self.size = round(sum(sizes) / len(sizes)) if sizes else 0


def must(server: Server, method: str, path: str, headers: dict[str, str], payload: Any, expect: int, what: str) -> Any:
    """One setup call; a 404 means the endpoint is not served by this build yet."""
    answer = server.request(method, path, headers, payload)
    if answer.status == 404:
        raise NotServed(f"{method} {path.split('?')[0]} answers 404")
    if answer.status != expect:
        raise RuntimeError(f"{what}: {method} {path} answered {answer.status}, expected {expect}: {answer.body}")
    return answer.body


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
        goal=0.50,
    )


STITCH_POLL_TOKEN = "bench-stitch-poll"
# A source type every Stitch account may create with no credentials beyond a start date [infer from
# the vendor's create-a-source example]; the benchmark polls the source as clients poll its check.
STITCH_SOURCE = {"type": "platform.hubspot", "display_name": "Bench HubSpot", "properties": {"start_date": "2026-01-01T00:00:00Z"}}


_SOURCE_NUMBERS = itertools.count(1)


def _stitch_source(server: Server) -> int:
    """A new source each call: Stitch refuses a second source whose name derives to the same one."""
    body = dict(STITCH_SOURCE, display_name=f"{STITCH_SOURCE['display_name']} {next(_SOURCE_NUMBERS)}")
    created = must(server, "POST", "/v4/sources", dict([bearer(STITCH_POLL_TOKEN)]), body, 200, "stitch source")
    return int(created["id"])


def stitch_source_poll() -> Scenario:
    ids: list[int] = []

    def setup(server: Server) -> str:
        ids.append(_stitch_source(server))
        return "1 source, as a client polls it after a create"

    return Scenario(
        key="stitch-poll",
        title="Stitch GET /v4/sources/{id}",
        vendor="stitch",
        expect=200,
        variants=[],
        setup=setup,
        build=lambda server: [Request("GET", f"/v4/sources/{ids[-1]}", (bearer(STITCH_POLL_TOKEN),))],
        goal=0.50,
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
        goal=0.35,
    )


PORTABLE_POLL_TOKEN = "bench-portable-poll"
PORTABLE_SOURCE = {"displayName": "Bench calendar", "sourceSpec": "google_calendar"}  # the vendor's own example


def _portable_flow(server: Server) -> int:
    headers = dict([bearer(PORTABLE_POLL_TOKEN)])
    source = must(server, "POST", "/v2/sources", headers, PORTABLE_SOURCE, 201, "portable source")["data"]["id"]
    destination = must(server, "POST", "/v2/destinations", headers, PORTABLE_CREATE, 201, "portable destination")["data"]["id"]
    flow = must(server, "POST", "/v2/flows", headers, {"source": source, "destination": destination}, 201, "portable flow")
    return int(flow["data"]["id"])


def portable_flow_poll() -> Scenario:
    ids: list[int] = []

    def setup(server: Server) -> str:
        flow = _portable_flow(server)
        must(server, "POST", f"/v2/flows/{flow}/run", dict([bearer(PORTABLE_POLL_TOKEN)]), None, 201, "portable run")
        ids.append(flow)
        return "1 flow with a run, as Shipyard's and Keboola's clients poll it"

    return Scenario(
        key="portable-poll",
        title="Portable GET /v2/flows/{id}/status",
        vendor="portable",
        expect=200,
        variants=[],
        setup=setup,
        build=lambda server: [Request("GET", f"/v2/flows/{ids[-1]}/status", (bearer(PORTABLE_POLL_TOKEN),))],
        goal=0.50,
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
        goal=0.50,
    )


CENSUS_POLL_TOKEN = "secret-token:bench-census-poll"
# A Snowflake source with a model over its USERS table, synced into Braze's user object (the shapes of
# the vendor's docs; fixtures/census/tables/ holds the table).
CENSUS_SOURCE = {"connection": {"type": "snowflake", "credentials": {
    "account": "xy12345.us-east-1", "warehouse": "COMPUTE_WH", "user": "CENSUS", "password": "s3cret"}}}
CENSUS_MODEL = {"name": "Active users", "query": "select ID, EMAIL from ANALYTICS.PUBLIC.USERS where IS_ACTIVE"}


def _census_sync(server: Server) -> int:
    """A source, a model, a destination and an upsert sync between them, made as a user would."""
    headers = dict([bearer(CENSUS_POLL_TOKEN)])
    source = must(server, "POST", "/api/v1/sources", headers, CENSUS_SOURCE, 201, "census source")["data"]["id"]
    model = must(server, "POST", f"/api/v1/sources/{source}/models", headers, CENSUS_MODEL, 201, "census model")["data"]["id"]
    created = json.loads(json.dumps(CENSUS_CREATE).replace("{n}", "poll"))
    destination = must(server, "POST", "/api/v1/destinations", headers, created, 201, "census destination")["data"]["id"]
    sync = must(server, "POST", "/api/v1/syncs", headers, {
        "operation": "upsert",
        "source_attributes": {"connection_id": source, "object": {"type": "model", "id": model}},
        "destination_attributes": {"connection_id": destination, "object": "user"},
        "mappings": [{"from": {"type": "column", "data": "ID"}, "to": "external_id", "is_primary_identifier": True},
                     {"from": {"type": "column", "data": "EMAIL"}, "to": "email", "is_primary_identifier": False}],
    }, 201, "census sync")
    return int(sync["data"]["sync_id"])


def census_run_poll() -> Scenario:
    ids: list[int] = []

    def setup(server: Server) -> str:
        sync = _census_sync(server)
        run = must(server, "POST", f"/api/v1/syncs/{sync}/trigger", dict([bearer(CENSUS_POLL_TOKEN)]), None, 200, "census trigger")
        ids.append(int(run["data"]["sync_run_id"]))
        return "1 sync run, as dagster-census and Airflow's sensor poll it"

    return Scenario(
        key="census-poll",
        title="Census GET /api/v1/sync_runs/{id}",
        vendor="census",
        expect=200,
        variants=[],
        setup=setup,
        build=lambda server: [Request("GET", f"/api/v1/sync_runs/{ids[-1]}", (bearer(CENSUS_POLL_TOKEN),))],
        goal=0.50,
    )


# -- triggers, for the memory run: every vendor's runs started and polled again and again -----------

def triggers() -> list[Scenario]:
    """Each vendor's "start a run" call (its lifecycle's trigger); the memory run mixes these with the polls."""
    made: dict[str, int] = {}

    def census(server: Server) -> str:
        made["census"] = _census_sync(server)
        return "trigger one sync again and again (later runs are skipped while one is in flight)"

    def portable(server: Server) -> str:
        made["portable"] = _portable_flow(server)
        return "run one flow again and again"

    def stitch(server: Server) -> str:
        source = made["stitch"] = _stitch_source(server)
        # A job starts only for a fully configured source: its check discovers the streams (on the
        # clock: the memory run keeps the default delays), then one is selected, as a client's
        # setup does. Waiting is bounded.
        headers = dict([bearer(STITCH_POLL_TOKEN)])
        streams: list[dict[str, Any]] = []
        for _ in range(150):
            streams = must(server, "GET", f"/v4/sources/{source}/streams", headers, None, 200, "stitch streams")
            if streams:
                break
            time.sleep(0.1)
        if not streams:
            raise RuntimeError("stitch trigger setup: the source's check discovered no streams within 15 s")
        chosen = {"streams": [{"tap_stream_id": streams[0]["tap_stream_id"],
                               "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]}]}
        must(server, "PUT", f"/v4/sources/{source}/streams/metadata", headers, chosen, 200, "stitch stream selection")
        return "start one source's replication job again and again"

    return [
        Scenario(key="census-trigger", title="Census POST /api/v1/syncs/{id}/trigger", vendor="census", expect=200,
                 variants=[], setup=census,
                 build=lambda server: [Request("POST", f"/api/v1/syncs/{made['census']}/trigger", (bearer(CENSUS_POLL_TOKEN),))]),
        Scenario(key="portable-trigger", title="Portable POST /v2/flows/{id}/run", vendor="portable", expect=201,
                 variants=[], setup=portable,
                 build=lambda server: [Request("POST", f"/v2/flows/{made['portable']}/run", (bearer(PORTABLE_POLL_TOKEN),))]),
        Scenario(key="stitch-trigger", title="Stitch POST /v4/sources/{id}/sync", vendor="stitch", expect=200,
                 variants=[], setup=stitch,
                 build=lambda server: [Request("POST", f"/v4/sources/{made['stitch']}/sync", (bearer(STITCH_POLL_TOKEN),))]),
    ]


def all_scenarios(vendors: set[str]) -> tuple[list[Scenario], list[str]]:
    """The scenarios the served vendors allow, and a line for each one left out."""
    wanted = [stitch_list(), stitch_source_poll(), portable_flow_poll(), census_run_poll(), portable_create(), census_list()]
    wanted.append(portable_rejected() if "portable" in vendors else stitch_rejected())
    chosen = [s for s in wanted if s.vendor in vendors]
    skipped = [f"{s.title}: skipped, vendor {s.vendor!r} is not served by this build" for s in wanted if s.vendor not in vendors]
    return chosen, skipped
