"""Talking to a real `mockserver serve` process from tests: a blocking JSON call over urllib."""

from __future__ import annotations

import json
import urllib.request


def call(url: str, method: str = "GET", body: object = None, token: str = "ac_process") -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as resp:
        return resp.status, json.loads(resp.read())
