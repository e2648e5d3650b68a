"""Runs of `/` in a path count as one, before routing and without a redirect, where a vendor says so.

Stitch's answers come from nginx, whose `merge_slashes` is on by default, and a real client (built by
the vendor's owner) sends `/v4//sources` and `//notifications/public/v1/api//hooks`. aiohttp routes
the path as sent, so routing.py resolves such a request as if its path were merged.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"/{2,}")


def merged(path: str) -> str:
    return _RUNS.sub("/", path)
