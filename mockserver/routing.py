"""How a request finds its route: aiohttp's router, with two things in front of it.

- Runs of `/` count as one under the prefixes of a vendor that says so (slashes.py): Stitch answers
  from nginx, whose `merge_slashes` is on by default, and its own client sends `/v4//sources`. The
  request is resolved as if its path were merged, while the request itself (and so the journal and
  the access log) keeps the path that was sent.
- The resource that answered a (method, path) is remembered, bounded: clients poll one path again
  and again, and aiohttp's router tries, one coroutine each, every route that shares the path's
  literal start (a Portable flow's status is the fifth under `/v2/flows`). Routes do not change once
  the app serves, so the remembered resource matches again; were it ever not to, the router decides.

aiohttp has no pre-routing hook, so this replaces the router's `resolve`.
"""

from __future__ import annotations

from typing import Any, Iterable

from aiohttp import web
from yarl import URL

from mockserver.slashes import merged

KNOWN_PATHS = 4096  # remembered (method, path) pairs; all forgotten at once when full
# The rest of a path, whatever it holds, for catch-all routes: `.*` alone stops at a newline (`%0A`
# in a path), and such a request fell through every route to aiohttp's own text 404.
ANY_TAIL = "{tail:(?s:.*)}"


def install_resolver(router: web.UrlDispatcher, merge_prefixes: Iterable[str]) -> None:
    resolve = router.resolve
    owned = tuple(merge_prefixes)
    known: dict[tuple[str, str], web.AbstractResource] = {}

    def applies(path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in owned)

    async def resolve_known(request: web.Request) -> Any:
        path = request.rel_url.raw_path
        if owned and "//" in path:
            clean = merged(path)
            if applies(clean):
                request = request.clone(rel_url=URL.build(path=clean, query_string=request.rel_url.raw_query_string, encoded=True))
                path = clean
        key = (request.method, path)
        resource = known.get(key)
        if resource is not None:
            found, _ = await resource.resolve(request)
            if found is not None:
                return found
        match_info = await resolve(request)
        if match_info.http_exception is None and match_info.route.resource is not None:
            if len(known) >= KNOWN_PATHS:
                known.clear()
            known[key] = match_info.route.resource
        return match_info

    router.resolve = resolve_known  # type: ignore[method-assign]
