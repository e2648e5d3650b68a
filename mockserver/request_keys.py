"""What the steps record on a request, for the journal and the access log: one Exchange per request.

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


class Exchange:
    """What the steps of one request learn about it (which vendor and operation, whose credential, the
    parsed body, a fault, `Prefer` steering, why it was refused), read back once by the journal and
    the access log.

    One plain object per request, under one key of the request's mapping: the request middleware
    makes it and hands it on, so the steps set attributes instead of calling the request's mapping
    for each fact (a Python-level call apiece in aiohttp). Every fact is None until a step sets it:
    the defaults are class attributes, so making one costs no `__init__`.
    """

    vendor: str | None = None
    operation: str | None = None
    tenant_key: str | None = None
    body: Any = None
    body_size: int = 0  # the body's length in bytes as read (also for a chunked body, which has no Content-Length)
    fault: str | None = None  # set by the fault step: "latency", "status" or "drop"
    rejection: str | None = None  # why the request was refused (rejections.py)
    prefer: str | None = None  # the Prefer steering applied, e.g. "code=503" (prefer.py)


EXCHANGE = _key("mock_exchange", Exchange)
ADMIN_BODY = _key("mock_admin_body", object)  # an admin call's parsed body, once read (admin/http.py)


def exchange(request: web.Request) -> Exchange:
    """The request's Exchange. A request that did not come through the middleware (a step called on
    its own in a test) gets a new one, kept on it, so the steps never need to ask which case it is."""
    try:
        return request[EXCHANGE]  # one call into the request's mapping, where get() would be two
    except KeyError:
        found = request[EXCHANGE] = Exchange()
        return found
