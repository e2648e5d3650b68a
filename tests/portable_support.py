"""Shared by the Portable tests: tokens, valid property sets, and the vendor's own seed document.

The seed (`shared/seeds/002_...txt`, beside the repository) embeds Portable's OpenAPI excerpt for
`POST /v2/destinations` between ```` fences. Tests read it at run time, so answers are checked
against the vendor's schemas rather than a copy of them; without the file those tests skip.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.spec.documents import RefResolver
from mockserver.spec.validation import compile_schema, errors_of

TOKEN = "portable-org-token"
OTHER_TOKEN = "another-portable-org"
MASK = "********"
NO_API = "Your current plan does not support this feature"

SEED_FILE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "002_a779ac4f8c178b7c.txt"

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


# -- the vendor's seed document ---------------------------------------------------------------------

def seed_document() -> dict[str, Any]:
    if not SEED_FILE.is_file():
        pytest.skip(f"seed not found at {SEED_FILE}")
    text = SEED_FILE.read_text(encoding="utf-8")
    match = re.search(r"````ya?ml[^\n]*\n(.*?)\n````", text, re.S)
    assert match, "no ```` fenced OpenAPI document in the seed"
    return yaml.safe_load(match.group(1))


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
