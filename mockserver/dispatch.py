"""Turns one spec operation into an aiohttp handler: auth, validation, handler, vendor-shaped reply.

The body's bytes are read first (only that awaits; an over-size body is refused there, before
auth). Then, synchronously: credentials (an anonymous caller learns nothing about ids or bodies),
path and query parameters, the JSON body, the vendor's handler. Any domain error on the way is
rendered by the vendor; anything unexpected becomes the vendor's 500, logged.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from mockserver import jsonio, request_keys as rk
from mockserver.engine.errors import DomainError, Invalid, InvalidPathParameter, MalformedRequest, PayloadTooLarge
from mockserver.rejections import reject, rejected
from mockserver.spec import Operation, Parameter
from mockserver.spec.model import FORM_TYPE, path_regex
from mockserver.spec.examples import example_for
from mockserver.spec.validation import errors_of, located_errors
from mockserver.vendors.base import Reply, RequestContext, Vendor

log = logging.getLogger("mockserver")

JSON_TYPE = "application/json"
BODY_METHODS = ("POST", "PUT", "PATCH")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # requests that never change state


# Only plain ASCII spellings convert: Python's int() and float() would also take `1_000`, `+12`,
# ` 12`, `١٢`, `inf` and `nan`, so `/destinations/1_2` would have named destination 12.
_INTEGER = re.compile(r"-?[0-9]{1,19}")
_NUMBER = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def coerce(raw: str, schema: dict[str, Any]) -> Any:
    """A path or query string converted to the type its schema asks for, when it is spelled as one."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds and _INTEGER.fullmatch(raw) and _INT64_MIN <= int(raw) <= _INT64_MAX:
        return int(raw)  # 64-bit only: the specs say `format: int64`, as the vendors' servers parse ids
    if "number" in kinds and _NUMBER.fullmatch(raw):
        return float(raw)
    if "boolean" in kinds and raw in ("true", "false"):
        return raw == "true"
    return raw


def _check_parameter(param: Parameter, raw: str) -> Any:
    value = coerce(raw, param.schema)
    if errors_of(param.validator, value):
        if param.location == "path":
            raise InvalidPathParameter(f"invalid {param.name}: {raw}", code="path", name=param.name, value=raw)
        raise Invalid(f"invalid value for query parameter {param.name}", code="query", name=param.name, value=raw)
    return value


_UNSEEN = object()
CHECKED_PATH_VALUES = 1024  # per operation; a client polling a few ids hits it on every request after the first


def path_values(params: tuple[Parameter, ...], match_info: Any, seen: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """The path parameters, coerced and checked. A value once found valid is remembered (per
    operation, bounded): the check is a pure function of the string, and polls repeat the same ids."""
    values = {}
    for p in params:
        raw = match_info[p.name]
        value = seen.get((p.name, raw), _UNSEEN)
        if value is _UNSEEN:
            value = _check_parameter(p, raw)  # raises for an invalid value, which is never remembered
            if len(seen) >= CHECKED_PATH_VALUES:
                seen.clear()
            seen[(p.name, raw)] = value
        values[p.name] = value
    return values


def arrived_body(request: web.Request, limit: int) -> bytes | None:
    """The body bytes of an operation that takes one, read before anything else so the rest of the
    request runs without awaiting. A body that has arrived whole (the parser saw its end: nearly every
    JSON body) is taken from the buffer as it is, with no coroutine; None when more is to come, for
    `awaited_body`."""
    content = request.content
    if not content.is_eof():
        return None
    raw = content.read_nowait(-1)
    if len(raw) > limit:
        raise PayloadTooLarge("request body too large", code="too_large")
    return raw


async def awaited_body(request: web.Request) -> bytes:
    """The rest of a body still arriving (aiohttp's `read()`, which enforces the same limit)."""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise PayloadTooLarge("request body too large", code="too_large") from None


def decode_body(request: web.Request, raw: bytes, form: bool = False) -> Any:
    """A body's JSON value; a body that is not JSON is refused here. Its schema is checked after
    (`check_body`), once the journal can see the value: a refused body is journaled too, and its
    credentials are known to the reason's masking (rejections.request_secrets). `form`: the
    operation takes a form, and a body sent as one is read as an object of its fields."""
    if form and request.content_type == FORM_TYPE:
        return decode_form(raw)
    if request.headers.get("Content-Type") != JSON_TYPE:  # the usual spelling needs no parsing
        ctype = request.content_type
        if ctype and "json" not in ctype and ctype not in ("application/x-www-form-urlencoded", "application/octet-stream", "text/plain"):
            raise MalformedRequest(f"unsupported content type {ctype}; send application/json", code="content_type")
    try:
        return jsonio.loads(raw)
    except jsonio.MalformedJSON as exc:
        raise MalformedRequest(f"malformed JSON: {exc}", code="malformed") from None


def decode_form(raw: bytes) -> dict[str, str]:
    """A urlencoded form as an object of strings; a field given twice is refused (OAuth forbids it,
    and keeping either value would be a guess)."""
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw.strip()))
    except (UnicodeDecodeError, ValueError):
        raise MalformedRequest("malformed form body", code="malformed") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise MalformedRequest(f"form field {name} given more than once", code="malformed")
        fields[name] = value
    return fields


def check_body(operation: Operation, body: Any) -> None:
    if operation.body_validator is not None:
        located = located_errors(operation.body_validator, body)
        if located:
            problems = [sentence for _, _, sentence in located]
            fields: dict[str, str] = {}
            for field, keyword, _ in located:
                fields.setdefault(field, keyword)  # a field's first problem, in errors_of's order
            raise Invalid("; ".join(problems), code="schema", problems=problems, fields=fields)


def json_response(reply: Reply) -> web.Response:
    if reply.body is None and reply.status in (204, 304):
        return web.Response(status=reply.status, headers=reply.headers)
    if isinstance(reply.body, bytes):  # not JSON (a redirect, a log file): sent as it is, typed by its headers
        return web.Response(status=reply.status, body=reply.body, headers=reply.headers)
    return web.Response(
        status=reply.status,
        body=jsonio.dumps(reply.body if reply.body is not None else {}),
        content_type=JSON_TYPE,
        headers=reply.headers,
    )


def make_endpoint(vendor: Vendor, operation: Operation) -> Any:
    engine = vendor.engine
    name = vendor.name
    operation_id = operation.operation_id
    path_params = operation.path_parameters
    query_params = operation.query_parameters
    reads_body = operation.body_schema is not None
    limit = vendor.settings.max_body_bytes  # what aiohttp's own read() enforces (client_max_size)
    seen: dict[tuple[str, str], Any] = {}

    async def endpoint(request: web.Request, exchange: rk.Exchange | None = None) -> web.Response:
        if exchange is None:  # called through the fault step, or on its own in a test
            exchange = rk.exchange(request)
        exchange.vendor = name
        exchange.operation = operation_id
        raw = None
        if reads_body and request.method in BODY_METHODS:
            try:
                raw = arrived_body(request, limit)
                if raw is None:
                    raw = await awaited_body(request)
                exchange.body_size = len(raw)
            except DomainError as error:
                rejected(request, error)
                return json_response(vendor.render_error(error, operation))
        # From here on nothing awaits (vendor handlers are synchronous), so a request's changes are
        # atomic, and a request that ends in an error is undone by the store's write log: every
        # record it changed (through the engine's resources), a tenant it created on first sight
        # and the id sequences it advanced.
        engine.scheduler.run_due()
        store = engine.store
        store.begin()
        try:
            tenant = vendor.authenticate(request)
            exchange.tenant_key = tenant.key
            path = path_values(path_params, request.match_info, seen) if path_params else {}
            query: dict[str, Any] = {}
            for p in query_params:
                if p.name in request.query:
                    query[p.name] = _check_parameter(p, request.query[p.name])
                elif p.required:
                    raise Invalid(f"query parameter {p.name} is required", code="query", name=p.name)
            body = None
            if raw is not None and raw.strip():
                body = exchange.body = decode_body(request, raw, operation.body_form)
                check_body(operation, body)
            elif raw is not None and operation.body_required:
                raise Invalid("request body is required", code="empty_body")
            handler = vendor.handlers.get(operation_id)  # looked up per request, so a test can swap one in
            if handler is None:
                reply = example_reply(operation)
            else:
                reply = handler(RequestContext(request, operation, engine, tenant, path, query, body))
            store.commit()
        except DomainError as error:
            rejected(request, error)
            reply = vendor.render_error(error, operation)
            store.rollback()
        except Exception:  # a bug of ours: answer like the vendor's outage, and say so in the log
            log.exception("unhandled error in %s %s", operation.method, operation.path)
            reject(request, "internal: an error in the mock itself (its traceback is in the server log)")
            reply = vendor.render_error(DomainError("internal error", code="internal"), operation)
            store.rollback()
        if request.method not in SAFE_METHODS and reply.status < 400:
            engine.touch()  # state may have changed: persistence saves soon after
        return json_response(reply)

    return endpoint


def example_reply(operation: Operation) -> Reply:
    success = operation.success_response()
    if success is None:
        return Reply(200, {})
    body = success.example if success.example is not None else example_for(success.schema)
    return Reply(int(success.status) if success.status.isdigit() else 200, body)


def make_not_found(vendor: Vendor) -> Any:
    templates = [(path_regex(op.path), op.method) for op in vendor.spec.operations]

    async def not_found(request: web.Request) -> web.Response:
        rk.exchange(request).vendor = vendor.name
        allowed = sorted({method for regex, method in templates if regex.match(request.path)})
        if allowed:  # a known path, a method it does not declare: the vendor's answer for that
            reject(request, f"method: {request.method} is not declared for {request.path} (only {', '.join(allowed)})")
            return json_response(vendor.undeclared_method(allowed))
        reject(request, f"not found: no {vendor.name} operation matches {request.method} {request.path}")
        return json_response(vendor.not_found())

    return not_found
