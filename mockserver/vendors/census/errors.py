"""The one place Census error bodies are made.

Census uses two shapes: a bare integer status for "who are you / no such thing"
(401 `{"status": 401}`, 404 `{"status": 404}`, 403 adds a `message`), and
`{"status": "error", "message": ...}` for requests it understood but will not do (400). We follow:
- bad or missing credentials: 401 `{"status": 401}`;
- unknown ids, routes, connectors, objects, refresh keys, and ids that are not integers: 404
  `{"status": 404}` (a Rails `find` on a non-numeric id is a not-found too);
- validation of any kind (malformed JSON, wrong content type, schema, type, credentials, query
  parameters): 400 `{"status": "error", "message": ...}`;
- body over the size limit: 413 `{"status": "error", "message": ...}`;
- forced faults: 429 `{"status": 429}` (the integer convention, nothing is documented), 5xx
  `{"status": "error", "message": ...}`; any other forced status its bare integer form;
- a bug of ours: 500 `{"status": "error", "message": "Internal server error"}`.
"""

from __future__ import annotations

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

FAULT_MESSAGES = {500: "Internal server error", 502: "Bad gateway", 503: "Service unavailable"}


def _message(status: int, message: str) -> Reply:
    return Reply(status, {"status": "error", "message": message})


def render(error: DomainError, operation: Operation | None) -> Reply:
    if isinstance(error, ForcedFault):
        if error.status >= 500:
            return _message(error.status, error.message or FAULT_MESSAGES.get(error.status, "Server error"))
        return Reply(error.status, {"status": error.status})
    if isinstance(error, Unauthorized):
        return Reply(401, {"status": 401})
    if isinstance(error, Forbidden):
        return Reply(403, {"status": 403, "message": error.message or "Forbidden"})
    if isinstance(error, (NotFound, InvalidPathParameter)):  # a non-integer id names no record
        return Reply(404, {"status": 404})
    if isinstance(error, PayloadTooLarge):
        return _message(413, "Request body is too large")
    if isinstance(error, (Invalid, Conflict)):
        return _message(400, error.message)
    return _message(500, FAULT_MESSAGES[500])
