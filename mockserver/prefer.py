"""Per-request steering with the `Prefer` header, as Prism users know it: `Prefer: code=503`.

`code=<status>` answers one request with that status, in the vendor's own shape, without the request
reaching the vendor (no auth, no state read or changed), like a one-shot fault rule:
- an error status (400-599) is rendered by the vendor's error renderer: 400/401/403/404/413 as the
  vendor words that kind of refusal, anything else as a forced fault (Stitch `"Too Many Requests"`,
  Census `{"status": 429}`...);
- a success status the operation declares answers the spec's example for it (or one built from its
  schema), as Prism does.
Prism's `example=<name>` and `dynamic=true|false` do not apply here: the specs carry one example per
response, not named ones, and answers already come from the server's state. They, an unknown or
unusable `code`, and any other preference are ignored, and the answer says so in
`X-Mock-Preference-Ignored`; an applied one is echoed in `Preference-Applied` (RFC 7240).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mockserver.engine.errors import DomainError, ForcedFault, Forbidden, Invalid, NotFound, PayloadTooLarge, Unauthorized
from mockserver.spec import Operation
from mockserver.spec.examples import example_for
from mockserver.vendors.base import Reply, Vendor

HEADER = "Prefer"
APPLIED_HEADER = "Preference-Applied"
IGNORED_HEADER = "X-Mock-Preference-Ignored"

WHY_NOT = {
    "example": "named examples are not supported (the specs carry one example per response)",
    "dynamic": "not supported: answers already come from the server's state",
}

# How each vendor words these refusals of its own accord; other statuses are forced faults.
_NATURAL: dict[int, type[DomainError]] = {
    400: Invalid,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    413: PayloadTooLarge,
}
_MESSAGES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 413: "Request body is too large"}


@dataclass
class Preferences:
    code: str | None = None
    ignored: list[str] = field(default_factory=list)


def parse(values: list[str]) -> Preferences:
    """`Prefer` header values (RFC 7240: comma-separated `name=value`, `;` parameters ignored)."""
    prefs = Preferences()
    for value in values:
        for item in value.split(","):
            token = item.split(";", 1)[0].strip()
            if not token:
                continue
            name, _, raw = token.partition("=")
            name, raw = name.strip().lower(), raw.strip().strip('"')
            if name == "code" and prefs.code is None:
                prefs.code = raw
            else:
                reason = WHY_NOT.get(name, "not a preference this server knows")
                prefs.ignored.append(f"{token}: {reason}")
    return prefs


@dataclass
class Steering:
    """What a request's preferences come to: a reply to send instead (or None), and what was ignored."""

    reply: Reply | None
    applied: str | None
    ignored: list[str]


def steer(values: list[str], vendor: Vendor, operation: Operation | None) -> Steering:
    prefs = parse(values)
    if prefs.code is None:
        return Steering(None, None, prefs.ignored)
    code = prefs.code
    status = int(code) if code.isascii() and code.isdigit() and len(code) == 3 else None
    problem = None
    reply = None
    if status is None or not 100 <= status <= 599:
        problem = "not an HTTP status code"
    elif operation is None:
        problem = "no operation matches this request"
    elif status >= 400:
        reply = error_reply(vendor, operation, status)
    else:
        reply = success_reply(operation, status)
        if reply is None:
            declared = ", ".join(s for s in sorted(operation.responses) if s[0] in "23") or "none"
            problem = f"not a success status {operation.operation_id} declares (declared: {declared})"
    if reply is None:
        return Steering(None, None, [f"code={code}: {problem}", *prefs.ignored])
    return Steering(reply, f"code={status}", prefs.ignored)


def error_reply(vendor: Vendor, operation: Operation, status: int) -> Reply:
    """`status` as the vendor sends it: its own refusal of that kind when it has one, else a forced fault."""
    natural = _NATURAL.get(status)
    if natural is not None:
        error: DomainError = natural(_MESSAGES[status], code="schema" if status == 400 else "route")
        reply = vendor.render_error(error, operation)
        if reply.status == status:
            return reply
    return vendor.render_error(ForcedFault(status), operation)


def success_reply(operation: Operation, status: int) -> Reply | None:
    declared = operation.responses.get(str(status))
    if declared is None:
        return None
    if status == 204 or (declared.schema is None and declared.example is None):
        return Reply(status, None if status == 204 else {})
    body = declared.example if declared.example is not None else example_for(declared.schema)
    return Reply(status, body)
