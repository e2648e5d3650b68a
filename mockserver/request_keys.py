"""Typed keys for what the dispatcher records on a request, for the journal and the access log."""

from __future__ import annotations

from typing import Any

from aiohttp import web

VENDOR = web.RequestKey("mock_vendor", str)
OPERATION = web.RequestKey("mock_operation", str)
TENANT_KEY = web.RequestKey("mock_tenant_key", str)
BODY = web.RequestKey("mock_body", object)
FAULT = web.RequestKey("mock_fault", str)  # set by the fault middleware: "latency", "status" or "drop"


def get(request: web.Request, key: "web.RequestKey[Any]") -> Any:
    return request.get(key)
