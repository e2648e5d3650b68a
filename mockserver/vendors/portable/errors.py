"""The one place Portable error bodies are made. Every error is `{"message": "..."}`.

- 401 `Unauthorized` and 403 `Your current plan does not support this feature`: the seed's texts.
- 404 `Not Found` for unknown ids, spec names and routes alike.
- 400 for everything about the request's content, with a message that names the problem. Malformed
  ids and query values read like the Go binding errors Portable's stack (oapi-codegen, per the
  seed's `x-go-*` extensions) produces.
- 405 `Method Not Allowed` (with `Allow`) for a method a known path does not declare [infer].
- 413 and forced faults use the HTTP status phrase (`Too Many Requests`, `Service Unavailable`...).
- Any other error is a bug of the mock's and answers 500 `Internal Server Error`, as in every vendor.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    ForcedFault,
    Forbidden,
    Invalid,
    InvalidPathParameter,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from mockserver.spec import Operation
from mockserver.vendors.base import Reply

UNAUTHORIZED = "Unauthorized"
NO_API_ACCESS = "Your current plan does not support this feature"
NOT_FOUND = "Not Found"

_INTEGER = re.compile(r"^[+-]?\d+$")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def message(text: str, status: int = 400) -> Reply:
    return Reply(status, {"message": text})


def binding_message(name: str, value: str) -> str:
    """How Go's parameter binding words a value that is not an int64."""
    reason = "value out of range" if _INTEGER.match(value) else "invalid syntax"
    return (
        f"Invalid format for parameter {name}: error binding string parameter: "
        f"strconv.ParseInt: parsing {json.dumps(value)}: {reason}"
    )


def query_message(error: Invalid, operation: Operation | None) -> str:
    name, value = error.detail.get("name", ""), error.detail.get("value")
    if value is None:
        return error.message
    schema = next((p.schema for p in (operation.parameters if operation else ()) if p.name == name), {})
    if "enum" in schema:  # e.g. `sort`: a choice, not a number
        return f"{name} must be one of {', '.join(map(str, schema['enum']))}, got {json.dumps(value)}"
    if not _INTEGER.match(value) or not -(2**63) <= int(value) < 2**63:  # Go's ParseInt refuses it
        return binding_message(name, value)
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"{name} must be between {low} and {high}, got {value}"
    if low is not None:
        return f"{name} must be {low} or more, got {value}"
    return f"invalid value for {name}: {value}"


def method_not_allowed(allowed: list[str]) -> Reply:
    """A method the path does not declare: 405 with `Allow`, as Go's routers answer [infer]."""
    return Reply(405, {"message": _phrase(405)}, headers={"Allow": ", ".join(allowed)})


# Body-schema sentences said as the vendor would: a cron pattern is quoted whole otherwise, and two
# fields that exclude each other are said as a rule, not as the schema keyword behind it.
_SCHEMA_REWRITES = (
    (re.compile(r"^cron does not match "), "cron must be a cron expression: five fields (minute hour "
     "day-of-month month day-of-week), each *, a number, a range or a list, optionally with a /step"),
    (re.compile(r"must not have all of frequency, cron$"),
     "frequency and cron are mutually exclusive: send one of them"),
)


def schema_message(problem: str) -> str:
    for pattern, plain in _SCHEMA_REWRITES:
        if pattern.search(problem):
            return plain
    return problem


def render(error: DomainError, operation: Operation | None) -> Reply:
    if isinstance(error, ForcedFault):
        return message(error.message or _phrase(error.status), error.status)
    if isinstance(error, Unauthorized):
        return message(UNAUTHORIZED, 401)
    if isinstance(error, Forbidden):
        return message(NO_API_ACCESS, 403)
    if isinstance(error, NotFound):
        return message(NOT_FOUND, 404)
    if isinstance(error, PayloadTooLarge):
        return message(_phrase(413), 413)
    if isinstance(error, InvalidPathParameter):
        return message(binding_message(error.detail.get("name", "id"), str(error.detail.get("value", ""))))
    if isinstance(error, Invalid):
        if error.code == "query":
            return message(query_message(error, operation))
        if error.code == "schema" and error.detail.get("problems"):
            return message("; ".join(schema_message(p) for p in error.detail["problems"]))
        return message(error.message or _phrase(400))
    if isinstance(error, Conflict):
        return message(error.message or _phrase(400))
    return message(_phrase(500), 500)  # anything unlisted is a bug of ours: the vendor's outage, as elsewhere
