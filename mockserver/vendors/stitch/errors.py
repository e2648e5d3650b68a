"""The one place Stitch error bodies are made.

- 401: `{"message": "Not Authorized"}` (the shape Stitch's Import API documents on the same host).
- Destination errors: a bare message sent as a JSON string, with the documented texts and statuses.
- Property and type problems: the `{"error": CODE, "data": {"message": ...}}` object Stitch documents
  for the same problems on its source endpoints.
- Unknown routes, methods and malformed ids: 404 (Stitch answers 404 rather than 405).
"""

from __future__ import annotations

from mockserver.engine.errors import (
    Conflict,
    DomainError,
    ForcedFault,
    Forbidden,
    Invalid,
    InvalidPathParameter,
    LimitReached,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from mockserver.spec import Operation
from mockserver.vendors.base import Reply

CODED = ("InvalidProperties", "InvalidType", "AccessDenied")


FAULT_MESSAGES = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def render(error: DomainError, operation: Operation | None) -> Reply:
    if isinstance(error, ForcedFault):
        return Reply(error.status, error.message or FAULT_MESSAGES.get(error.status, "Error"))
    if isinstance(error, (Unauthorized, Forbidden)):
        return Reply(401, {"message": "Not Authorized"})
    if isinstance(error, InvalidPathParameter):
        return Reply(404, "Not Found")
    if isinstance(error, NotFound):
        # Unknown destination ids are documented as 400s; unknown routes and types are 404s.
        status = 400 if error.code == "destination" else 404
        return Reply(status, error.message or "Not Found")
    if isinstance(error, PayloadTooLarge):
        return Reply(413, "request body is too large")
    if isinstance(error, (LimitReached, Conflict)):
        return Reply(400, error.message)
    if isinstance(error, Invalid):
        if error.code in CODED:
            data: dict[str, object] = {"message": error.message}
            if error.code == "InvalidProperties":
                data["bad_properties"] = error.detail.get("bad_properties", [])
                data["report_card"] = error.detail["report_card"]
            return Reply(400, {"error": error.code, "data": data})
        documented = (operation.extensions.get("x-invalid-message") if operation else None)
        if documented and (error.code in ("schema", "empty_body", "query") or isinstance(error, MalformedRequest)):
            return Reply(400, documented)
        return Reply(400, error.message)
    return Reply(500, "Internal Server Error")
