"""Domain errors: what went wrong, never how a vendor spells it.

Models and handlers raise these; each vendor renders them into its own error body in one place
(its `errors.py`), so no handler builds an error body inline.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class. `code` lets a vendor pick a documented message; `detail` carries context."""

    def __init__(self, message: str = "", *, code: str = "", **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail


class Unauthorized(DomainError):
    """No usable credential on the request."""


class Forbidden(DomainError):
    """A valid credential that may not do this (e.g. a plan without API access)."""


class NotFound(DomainError):
    """The addressed resource does not exist for this tenant (or the route does not exist)."""


class Invalid(DomainError):
    """The request is well-formed HTTP but its content is not acceptable."""


class MalformedRequest(Invalid):
    """The body is not JSON, not an object, too deep, or not UTF-8."""


class PayloadTooLarge(Invalid):
    """The body is over the configured size limit."""


class InvalidPathParameter(Invalid):
    """A path parameter does not have the declared shape (e.g. a non-numeric id)."""


class LimitReached(DomainError):
    """A per-tenant quota (e.g. Stitch's destination limit) would be exceeded."""


class Conflict(DomainError):
    """The change conflicts with current state."""


class ForcedFault(DomainError):
    """A status the control plane's fault rules force (429, 500, 502, 503...); rendered in the vendor's shape."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message, code="fault")
        self.status = status
