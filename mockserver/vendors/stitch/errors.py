"""The one place Stitch error bodies are made.

- 401: `{"message": "Not Authorized"}` (the shape Stitch's Import API documents on the same host).
- Destination errors: a bare message sent as a JSON string, with the documented texts and statuses.
- Property and type problems: the `{"error": CODE, "data": {"message": ...}}` object Stitch documents
  for the same problems on its source endpoints.
- Unknown routes, methods and malformed ids: 404 (Stitch answers 404 rather than 405).
- Sources, replication jobs, streams, hooks, custom emails, accounts and OAuth each have their own shape (the
  operation's `x-error-family`, and the error's code, pick it); see the README's Stitch notes.
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

# The sources family: {"error": CODE, "data": {"message": ...}} (destinations borrow it for properties).
CODED = (
    "InvalidBody", "InvalidType", "InvalidName", "InvalidDisplayName", "AccessDenied", "InvalidProperties",
    "InvalidCronExpression", "InvalidId",
)
# The replication-jobs family: {"error": {"type": TYPE, "message": ...}}; already_running is a 200.
JOB_TYPES = ("already_running", "invalid_source", "generic")
SPEC_LEVEL = ("schema", "empty_body", "query")
# The accounts family: {"code": CODE, "message": ..., "errors": {field: what}} (the account form).
INVALID_FORM = "Invalid form data."
# The oauth family [infer: Stitch documents no error for its OAuth flow]: RFC 6749's
# {"error": CODE, "error_description": ...}.
OAUTH_ERRORS = ("invalid_client", "invalid_grant", "unsupported_grant_type")


FAULT_MESSAGES = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def render(error: DomainError, operation: Operation | None) -> Reply:
    family = operation.extensions.get("x-error-family") if operation else None
    if family is not None:
        reply = render_family(error, operation, str(family))
        if reply is not None:
            return reply
    if isinstance(error, ForcedFault):
        return Reply(error.status, error.message or FAULT_MESSAGES.get(error.status, "Error"))
    if isinstance(error, (Unauthorized, Forbidden)):
        if family == "oauth":
            return Reply(401, {"error": "invalid_client", "error_description": "client authentication failed"})
        return Reply(401, {"message": "Not Authorized"})
    if isinstance(error, InvalidPathParameter):
        return Reply(404, "Not Found")
    if isinstance(error, NotFound):
        if error.code == "hook":
            return Reply(404, {"error": "NotFound"})
        if error.code == "custom_email":
            return Reply(404, {"status": "NOT FOUND"})
        # Unknown destination ids are documented as 400s; unknown routes and types are 404s.
        status = 400 if error.code == "destination" else 404
        return Reply(status, error.message or "Not Found")
    if isinstance(error, PayloadTooLarge):
        return Reply(413, "request body is too large")
    if isinstance(error, Conflict) and error.code in JOB_TYPES:
        return Reply(200, {"error": {"type": error.code, "message": error.message}})
    if isinstance(error, (LimitReached, Conflict)):
        if error.code in ("hooks", "custom_emails"):
            return Reply(400, {"error": {"message": error.message}})
        return Reply(400, error.message)
    if isinstance(error, Invalid):
        if error.code == "ExistingUser":
            return Reply(400, {"code": error.code, "message": error.message})
        if error.code in OAUTH_ERRORS:
            return Reply(400, {"error": error.code, "error_description": error.message})
        if error.code in JOB_TYPES:
            return Reply(400, {"error": {"type": error.code, "message": error.message}})
        if error.code == "invalid_fields":
            return Reply(400, {"invalid_fields": error.message})
        if error.code == "email_address":
            return Reply(400, {"error": {"message": {"email_address": error.message}}})
        if error.code == "disabled_at":
            return Reply(400, {"disabled_at": error.message})
        if error.code in CODED:
            data: dict[str, object] = {"message": error.message}
            if error.code == "InvalidProperties":
                data["bad_properties"] = error.detail.get("bad_properties", [])
                data["report_card"] = error.detail["report_card"]
            return Reply(400, {"error": error.code, "data": data})
        documented = (operation.extensions.get("x-invalid-message") if operation else None)
        if documented and (error.code in SPEC_LEVEL or isinstance(error, MalformedRequest)):
            return Reply(400, documented)
        return Reply(400, error.message)
    return Reply(500, "Internal Server Error")


def render_family(error: DomainError, operation: Operation | None, family: str) -> Reply | None:
    """A body, query or JSON problem the spec caught, in the family's shape; None: the common rules."""
    if not isinstance(error, Invalid) or isinstance(error, (InvalidPathParameter, PayloadTooLarge)):
        return None
    if not (error.code in SPEC_LEVEL or isinstance(error, MalformedRequest)):
        return None
    if family == "oauth":
        return Reply(400, {"error": "invalid_request", "error_description": error.message})
    if family == "accounts":
        fields = error.detail.get("fields") or {}
        return Reply(400, {"code": "BadRequest", "message": INVALID_FORM, "errors": {
            name: "required" if keyword in ("required", "minLength") else "invalid" for name, keyword in fields.items() if name
        }})
    documented = str((operation.extensions.get("x-invalid-message") if operation else None) or error.message)
    if family in ("sources", "hooks"):
        return Reply(400, {"error": "InvalidBody", "data": {"message": documented}})
    if family == "emails":
        if operation is not None and operation.method == "PUT":
            return Reply(400, {"disabled_at": ""})
        return Reply(400, {"error": {"message": {"email_address": documented}}})
    if family == "jobs":
        return Reply(400, {"error": {"type": "generic", "message": documented}})
    return Reply(400, documented)
