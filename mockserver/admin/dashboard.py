"""The dashboard at /__admin/ui: three static files shipped in the package (`ui/`), no build step,
no framework. The page's script calls the admin API (sending the admin token when one is set).

The files hold no data, so they are served without the admin token (see `http._public`): a browser
cannot add a header to a page it navigates to, and the script asks for the token on the first 401.
"""

from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable

from aiohttp import web

from mockserver.admin.http import AdminError

FOLDER = Path(__file__).resolve().parent / "ui"
FILES = {"index.html": "text/html", "app.js": "text/javascript", "style.css": "text/css"}


Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _file(name: str) -> web.Response:
    if name not in FILES:
        raise AdminError(f"no dashboard file {name!r}; files: {', '.join(FILES)}", 404)
    return web.Response(
        body=(FOLDER / name).read_bytes(),
        content_type=FILES[name],
        charset="utf-8",
        headers={"Cache-Control": "no-cache"},
    )


def dashboard_routes() -> list[tuple[str, str, Route]]:
    async def page(request: web.Request) -> web.StreamResponse:
        return _file("index.html")

    async def asset(request: web.Request) -> web.StreamResponse:
        return _file(request.match_info["file"])

    return [("GET", "/__admin/ui", page), ("GET", "/__admin/ui/{file}", asset)]
