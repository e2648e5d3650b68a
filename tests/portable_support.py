"""Shared by the Portable tests: tokens, valid property sets, and what Portable documents.

`tests/data/portable-create-destination.yaml` holds what Portable's published OpenAPI excerpt says
about `POST /v2/destinations` (request, 201 answer, 400/401/403 bodies), written down by us, so the
contract tests check answers against the vendor's documented shapes rather than against our own spec,
and need nothing outside the repository. (It was checked field by field against the excerpt.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mockserver.spec.documents import RefResolver
from mockserver.spec.validation import compile_schema, errors_of

TOKEN = "portable-org-token"
OTHER_TOKEN = "another-portable-org"
MASK = "********"
NO_API = "Your current plan does not support this feature"

SEED_FILE = Path(__file__).resolve().parent / "data" / "portable-create-destination.yaml"

SNOWFLAKE: dict[str, str] = {
    "account": "myorg-myaccount",
    "username": "PORTABLE_USER",
    "password": "s3cret-Pa55",
    "warehouse": "PORTABLE_WH",
    "database": "ANALYTICS",
    "schema": "PORTABLE",
}

REDSHIFT: dict[str, Any] = {
    "host": "examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com",
    "port": "5439",
    "database": "dev",
    "schema": "portable",
    "username": "portable",
    "password": "r3dsh1ft",
}

# One valid value per property type, for building a complete property set for any spec.
SAMPLE_VALUES = {
    "STRING": "value",
    "PASSWORD": "pa55word",
    "TEXT": "line one\nline two",
    "NUMBER": "5432",
    "BOOLEAN": "true",
    "DATE": "2026-06-30",
    "DATETIME": "2026-06-30T12:00:00Z",
    "TIME": "09:30",
}


def create_body(spec: str = "snowflake", properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    chosen = dict(SNOWFLAKE if properties is None and spec == "snowflake" else properties or {})
    return {"destinationSpec": spec, "properties": chosen, **extra}


async def create(mock: Any, token: str = TOKEN, **kw: Any) -> dict[str, Any]:
    answer = await mock.post("/v2/destinations", create_body(**kw), token=token)
    assert answer.status == 201, answer
    return answer.body["data"]


async def warm(mock: Any, token: str = TOKEN) -> dict[str, Any]:
    """Make sure the token's organisation exists, then return the state to compare against."""
    assert (await mock.get("/v2/destinations", token=token)).status == 200
    return mock.state()


# -- what Portable documents for creating a destination ---------------------------------------------

def seed_document() -> dict[str, Any]:
    return yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))


def seed_schema(*pointer: str) -> dict[str, Any]:
    """The seed schema at a path of keys, with its `$ref`s inlined from the seed itself."""
    doc = seed_document()
    node: Any = doc
    for key in pointer:
        node = node[key]
    return RefResolver(SEED_FILE.parent).resolve(node, doc)


def seed_problems(schema: dict[str, Any], body: Any) -> list[str]:
    """Violations of a seed schema, formats (date-time) asserted."""
    return errors_of(compile_schema(schema, assert_formats=True), body)


CREATE_OP = ("paths", "/v2/destinations", "post")


def seed_error_schema(name: str) -> dict[str, Any]:
    return seed_schema("components", "responses", name, "content", "application/json", "schema")


# -- sources, flows and runs ------------------------------------------------------------------------

FRESHSALES: dict[str, str] = {"domain": "veradata-3625884588", "api_key": "fs-api-key"}
POSTGRES: dict[str, str] = {
    "host": "db.example.com", "port": "5432", "database": "analytics",
    "schema": "portable", "username": "portable", "password": "pg-pa55",
}
RUN = "portable.flow_run"


async def make_source(mock: Any, token: str = TOKEN, spec: str = "freshsales", **properties: Any) -> dict[str, Any]:
    body = {"sourceSpec": spec, "properties": {**(FRESHSALES if spec == "freshsales" else {}), **properties}}
    answer = await mock.post("/v2/sources", body, token=token)
    assert answer.status == 201, answer
    return answer.body["data"]


async def make_flow(mock: Any, token: str = TOKEN, source: dict[str, Any] | None = None,
                    destination_properties: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A flow from a new Freshsales source (unless given) to a new Postgres destination; `manual` unless
    `fields` say otherwise, so no scheduled run interferes."""
    source = source or await make_source(mock, token)
    destination = await create(mock, token, spec="postgres", properties={**POSTGRES, **(destination_properties or {})})
    body = {"source": source["id"], "destination": destination["id"], **fields}
    if "cron" not in body:
        body.setdefault("frequency", "manual")
    answer = await mock.post("/v2/flows", body, token=token)
    assert answer.status == 201, answer
    return answer.body["data"]


async def advance(mock: Any, seconds: float) -> None:
    """Move the virtual clock through the control plane, as a test client would."""
    assert (await mock.post("/__admin/clock/advance", {"seconds": seconds})).status == 200


async def status(mock: Any, flow_id: int, token: str = TOKEN) -> dict[str, Any]:
    answer = await mock.get(f"/v2/flows/{flow_id}/status", token=token)
    assert answer.status == 200, answer
    return answer.body


async def attempts(mock: Any, flow_id: int, token: str = TOKEN, **params: str) -> list[dict[str, Any]]:
    answer = await mock.get(f"/v2/flows/{flow_id}/run", token=token, params=params or None)
    assert answer.status == 200, answer
    return answer.body["data"]
