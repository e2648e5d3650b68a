"""The control plane described: `docs/openapi.yaml`, served at /__admin/docs, and held to.

The document is loaded with the same spec loader as the vendors' specs, so the same code matches
admin requests to operations and checks admin answers against it (the test suite runs every admin
answer of its admin tests through `check_answer`). Each admin route is wrapped by `guard`, which
checks what the document can say about a request before the call runs: query parameter names, and
that a body is the JSON object the operation expects, with no fields the document does not list.
What a field's value may be is the control plane's own rule (`Control`, shared with the Python API).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable

from aiohttp import web

from mockserver.admin.http import AdminError, read_json, reply
from mockserver.spec import Operation, SpecRegistry, VendorSpec, load_vendor_spec
from mockserver.spec.contract import ContractViolation, check_response
from mockserver.spec.documents import load_yaml_documents

FOLDER = Path(__file__).resolve().parent / "docs"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


@lru_cache(maxsize=1)
def admin_spec() -> VendorSpec:
    return load_vendor_spec("admin", FOLDER)


@lru_cache(maxsize=1)
def admin_registry() -> SpecRegistry:
    return SpecRegistry([admin_spec()])


@lru_cache(maxsize=1)
def _source() -> dict[str, Any]:
    (doc,) = load_yaml_documents(FOLDER / "openapi.yaml")
    return dict(doc)


def document(server_url: str | None = None) -> dict[str, Any]:
    """The document as served: plain OpenAPI 3.1 (the errors every call may answer are written
    into each operation rather than kept in our `x-default-responses` extension)."""
    doc = copy.deepcopy(_source())
    defaults = doc.pop("x-default-responses", {})
    for item in doc["paths"].values():
        for method in HTTP_METHODS:
            if method in item:
                responses = item[method].setdefault("responses", {})
                for status, response in defaults.items():
                    responses.setdefault(status, response)
    if server_url:
        doc["servers"] = [{"url": server_url, "description": "this server"}]
    return doc


def operation_for(method: str, template: str) -> Operation | None:
    """The documented operation of a route, by method and path template."""
    return next((op for op in admin_spec().operations if op.method == method and op.path == template), None)


def check_answer(method: str, path: str, status: int, body: Any) -> ContractViolation | None:
    """Whether an admin answer is one the document allows (an undocumented call is a violation)."""
    if admin_registry().match(method, path) is None and status not in (401, 404, 405):
        return ContractViolation(method, path, status, ["not a documented admin call"])
    _, violation = check_response(admin_registry(), method, path, status, body)
    return violation


def guard(method: str, template: str, handler: Route) -> Route:
    """`handler`, preceded by the checks the document drives (see the module docstring)."""
    operation = operation_for(method, template)
    if operation is None:  # not documented (yet): the docs test names it; the call still works
        return handler
    known = {p.name for p in operation.query_parameters}
    own_check = operation.extensions.get("x-own-body-check", False)  # PUT state: its own schema, its own words
    noun = operation.extensions.get("x-noun")  # what the call names its parameters (the journal: "filter")
    schema = operation.body_schema or {}
    fields = set(schema.get("properties", {})) if schema.get("additionalProperties") is False else None

    async def checked(request: web.Request) -> web.StreamResponse:
        unknown = sorted(set(request.query) - known)
        if unknown:
            raise AdminError(f"unknown {noun or 'query parameter'}(s) {', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}")
        if operation.body_schema is not None and not own_check:
            body = await read_json(request, default=None)  # kept on the request for the handler
            if body is None and operation.body_required:
                raise AdminError("this call needs a JSON object body")
            if body is not None and schema.get("type") == "object" and not isinstance(body, dict):
                raise AdminError("body must be a JSON object")
            if fields is not None and isinstance(body, dict) and set(body) - fields:
                extra = ", ".join(sorted(set(body) - fields))
                raise AdminError(f"unknown {noun or 'field'}(s) {extra}; known: {', '.join(sorted(fields))}")
        return await handler(request)

    return checked


def page() -> str:
    """A small page that shows the document (no framework: the JSON, indented, with links)."""
    return (FOLDER / "docs.html").read_text(encoding="utf-8")


def docs_routes() -> list[tuple[str, str, Route]]:
    async def docs(request: web.Request) -> web.StreamResponse:
        fmt = request.query.get("format", "json")
        if fmt == "html":
            return web.Response(text=page(), content_type="text/html")
        if fmt != "json":
            raise AdminError("format must be json or html")
        return reply(document(f"{request.scheme}://{request.host}"))

    return [("GET", "/__admin/docs", docs)]
