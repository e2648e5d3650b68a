"""The admin API's HTTP plumbing: JSON replies, JSON bodies, `{"error": ...}` for every failure,
and the optional admin token.

Every admin failure answers `{"error": "<what and why>"}` with a 4xx status, including aiohttp's own
404 (unknown admin path) and 405 (known path, wrong method), so a client never has to parse HTML.
"""

from __future__ import annotations

import hmac
from typing import Any, Awaitable, Callable

from aiohttp import web

from mockserver import jsonio
from mockserver.request_keys import ADMIN_BODY

ADMIN_PREFIX = "/__admin"
TOKEN_HEADER = "X-Admin-Token"
DASHBOARD = ADMIN_PREFIX + "/ui"
PUBLIC = frozenset({DASHBOARD, ADMIN_PREFIX + "/docs"})  # served without the admin token (see _public)
# Admin bodies (a whole exported state) may outgrow the vendors' request limit, so they have their own.
ADMIN_MAX_BODY = 64 * 1024 * 1024

HandlerT = Callable[[web.Request], Awaitable[web.StreamResponse]]


class AdminError(ValueError):
    """Bad admin input (400 unless told otherwise); the message is shown to the caller as is."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def reply(body: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, body=jsonio.dumps(body), content_type="application/json")


async def read_json(request: web.Request, *, default: Any = None) -> Any:
    """The parsed body (None for an empty one), read once: a later call gets the same value."""
    if ADMIN_BODY in request:
        kept = request[ADMIN_BODY]
        return default if kept is None else kept
    value = await _parse_body(request)
    request[ADMIN_BODY] = value
    return default if value is None else value


async def _parse_body(request: web.Request) -> Any:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > ADMIN_MAX_BODY:
            raise AdminError(f"admin request body over {ADMIN_MAX_BODY} bytes", 413)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return None
    try:
        return jsonio.loads(raw)
    except jsonio.MalformedJSON as exc:
        raise AdminError(f"malformed JSON: {exc}") from None


async def read_object(request: web.Request, *, required: bool = False) -> dict[str, Any]:
    """A JSON object body; an empty body is `{}` unless the call needs one."""
    body = await read_json(request, default=None)
    if body is None:
        if required:
            raise AdminError("this call needs a JSON object body")
        return {}
    if not isinstance(body, dict):
        raise AdminError("body must be a JSON object")
    return body


def presented_token(request: web.Request) -> str:
    """The admin token of `X-Admin-Token: <t>` or `Authorization: Bearer <t>`, or ''."""
    header = request.headers.get(TOKEN_HEADER)
    if header:
        return header.strip()
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _public(request: web.Request) -> bool:
    """The dashboard's files and the admin API's description hold no data, and a browser cannot send a
    header with a page it opens; the dashboard's script sends the token with every API call."""
    path = request.path
    return request.method == "GET" and (path in PUBLIC or path.startswith(DASHBOARD + "/"))


def admin_step(admin_token: str | None) -> Callable[..., Awaitable[web.StreamResponse]]:
    """The admin plane's step of the request steps (middlewares.py): the token, and the admin error
    shape for everything that goes wrong under /__admin."""
    expected = (admin_token or "").encode()

    async def admin(request: web.Request, handler: HandlerT) -> web.StreamResponse:
        if not (request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/")):
            return await handler(request)
        if expected and not _public(request) and not hmac.compare_digest(presented_token(request).encode(), expected):
            return reply({"error": f"admin token required: send {TOKEN_HEADER}: <token> or Authorization: Bearer <token>"}, 401)
        try:
            return await handler(request)
        except AdminError as exc:
            return reply({"error": str(exc)}, exc.status)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            if exc.status == 405:
                message = f"{request.method} is not allowed on {request.path}"
            elif exc.status == 404:
                message = f"no admin call {request.method} {request.path}; see the README's Control plane section"
            else:
                message = exc.reason
            return reply({"error": message}, exc.status)

    return admin
