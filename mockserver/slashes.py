"""Runs of `/` in a path count as one, before routing and without a redirect, where a vendor says so.

Stitch's answers come from nginx, whose `merge_slashes` is on by default, and a real client (built by
the vendor's owner) sends `/v4//sources` and `//notifications/public/v1/api//hooks`. aiohttp routes
the path as sent, and its middlewares run after routing, so the merge wraps the router's `resolve`:
the request is resolved as if its path were merged, while the request itself (and so the journal
and the access log) keeps the path that was sent.
"""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Iterable

from aiohttp import web
from yarl import URL

_RUNS = re.compile(r"/{2,}")


def merged(path: str) -> str:
    return _RUNS.sub("/", path)


def merge_slashes(router: web.UrlDispatcher, prefixes: Iterable[str]) -> None:
    """Make `router` resolve `//`-paths under `prefixes` (e.g. `/v4`) as their merged spelling."""
    owned = tuple(prefixes)
    if not owned:
        return
    resolve: Callable[[web.Request], Awaitable[Any]] = router.resolve

    def applies(path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in owned)

    def resolve_merged(request: web.Request) -> Awaitable[Any]:
        # A plain function handing back the router's own awaitable: no coroutine of its own per request.
        path = request.rel_url.raw_path
        if "//" in path:
            clean = merged(path)
            if applies(clean):
                target = URL.build(path=clean, query_string=request.rel_url.raw_query_string, encoded=True)
                return resolve(request.clone(rel_url=target))
        return resolve(request)

    router.resolve = resolve_merged  # type: ignore[method-assign,assignment]  # aiohttp has no pre-routing hook
