"""Keys for what the dispatcher records on a request, for the journal and the access log.

aiohttp 3.14 added typed request keys (`web.RequestKey`); older releases (3.9-3.13, still common in
projects that use the pytest plugin) take plain string keys. Both behave the same as mapping keys,
so the typed key is used where aiohttp has it and the key's name otherwise: one code path either way.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from aiohttp import web

T = TypeVar("T")


def _key(name: str, kind: type[T]) -> "web.RequestKey[T]":
    factory = getattr(web, "RequestKey", None)
    if factory is None:  # aiohttp < 3.14: a string key, typed as the key it stands for
        return cast("web.RequestKey[T]", name)
    return cast("web.RequestKey[T]", factory(name, kind))


VENDOR = _key("mock_vendor", str)
OPERATION = _key("mock_operation", str)
TENANT_KEY = _key("mock_tenant_key", str)
BODY = _key("mock_body", object)
FAULT = _key("mock_fault", str)  # set by the fault middleware: "latency", "status" or "drop"
REJECTION = _key("mock_rejection", str)  # why the request was refused (rejections.py)
PREFER = _key("mock_prefer", str)  # the Prefer steering applied, e.g. "code=503" (prefer.py)
ADMIN_BODY = _key("mock_admin_body", object)  # an admin call's parsed body, once read (admin/http.py)


def get(request: web.Request, key: "web.RequestKey[Any]") -> Any:
    return request.get(key)
