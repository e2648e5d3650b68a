"""Loads a vendor's spec folder, whichever of the two formats it is written in.

- `openapi.yaml` present: an OpenAPI 3.x document (Portable, Census).
- otherwise `endpoints/*.yaml`: Stitch-style endpoint definitions, the format Stitch publishes its
  own API reference in (one YAML document per endpoint: method, URL, arguments), extended with the
  response schemas the published form only describes in prose.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from mockserver.spec.documents import RefResolver, SpecError, load_yaml_documents
from mockserver.spec.model import Operation, Parameter, ResponseSpec, VendorSpec
from mockserver.spec.validation import compile_schema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def load_vendor_spec(vendor: str, folder: Path) -> VendorSpec:
    if (folder / "openapi.yaml").exists():
        operations, info = _load_openapi(vendor, folder)
    elif (folder / "endpoints").is_dir():
        operations, info = _load_endpoint_definitions(vendor, folder)
    else:
        raise SpecError(f"{folder}: neither openapi.yaml nor endpoints/ found")
    seen: set[str] = set()
    for op in operations:
        if op.operation_id in seen:
            raise SpecError(f"{vendor}: duplicate operation id {op.operation_id}")
        seen.add(op.operation_id)
    return VendorSpec(vendor=vendor, prefixes=_prefixes(op.path for op in operations), operations=operations, info=info)


def _prefixes(paths: Any) -> tuple[str, ...]:
    """The URL prefixes a vendor owns: its version segment (`/v4`), or `/api/v1`-style pairs."""
    out = set()
    for path in paths:
        segments = [s for s in path.split("/") if s]
        keep = 1 if re.fullmatch(r"v\d+", segments[0]) else 2
        out.add("/" + "/".join(segments[:keep]))
    return tuple(sorted(out))


def _param(name: str, location: str, required: bool, schema: dict[str, Any]) -> Parameter:
    return Parameter(name=name, location=location, required=required, schema=schema, validator=compile_schema(schema))


def _response(status: str, schema: dict[str, Any] | None, example: Any) -> ResponseSpec:
    validator = compile_schema(schema, assert_formats=True, check_on_first_use=True) if schema is not None else None
    return ResponseSpec(status=status, schema=schema, validator=validator, example=example)


# --------------------------------------------------------------------------------------------------
# OpenAPI 3.x


def _load_openapi(vendor: str, folder: Path) -> tuple[list[Operation], dict[str, Any]]:
    (doc,) = load_yaml_documents(folder / "openapi.yaml")
    if not str(doc.get("openapi", "")).startswith("3."):
        raise SpecError(f"{folder}/openapi.yaml is not OpenAPI 3")
    refs = RefResolver(folder)
    # `x-default-responses`: errors any operation may answer (401, unknown route 404, 413, faults),
    # merged into each operation unless it declares that status itself.
    defaults = {
        str(status): _openapi_response(str(status), resp)
        for status, resp in refs.resolve(doc.get("x-default-responses") or {}, doc).items()
    }
    operations = []
    for path, item in (doc.get("paths") or {}).items():
        item = refs.resolve(item, doc)
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            op = _openapi_operation(vendor, path, method, raw, shared)
            operations.append(replace(op, responses={**defaults, **op.responses}))
    return operations, doc.get("info", {})


def _openapi_response(status: str, resp: dict[str, Any]) -> ResponseSpec:
    media = (resp.get("content") or {}).get("application/json") or {}
    example = media.get("example")
    if example is None and media.get("examples"):
        first = next(iter(media["examples"].values()))
        example = first.get("value") if isinstance(first, dict) else first
    return _response(status, media.get("schema"), example)


def _openapi_operation(vendor: str, path: str, method: str, raw: dict[str, Any], shared: list[Any]) -> Operation:
    if "operationId" not in raw:
        raise SpecError(f"{method.upper()} {path}: operationId is required")
    params: dict[tuple[str, str], Parameter] = {}
    for p in [*shared, *raw.get("parameters", [])]:
        if p.get("in") not in ("path", "query"):
            continue
        params[(p["in"], p["name"])] = _param(
            p["name"], p["in"], bool(p.get("required", p["in"] == "path")), p.get("schema", {})
        )
    body_schema, body_required = None, False
    request_body = raw.get("requestBody")
    if request_body:
        body_schema = (request_body.get("content", {}).get("application/json", {}) or {}).get("schema")
        body_required = bool(request_body.get("required", False))
    responses = {str(status): _openapi_response(str(status), resp) for status, resp in (raw.get("responses") or {}).items()}
    return Operation(
        vendor=vendor,
        operation_id=raw["operationId"],
        method=method.upper(),
        path=path,
        parameters=tuple(params.values()),
        body_schema=body_schema,
        body_validator=compile_schema(body_schema) if body_schema else None,
        body_required=body_required,
        responses=responses,
        extensions={k: v for k, v in raw.items() if k.startswith("x-")},
    )


# --------------------------------------------------------------------------------------------------
# Stitch-style endpoint definitions

_ARGUMENT_TYPES = {
    "string": {"type": "string"},
    "object": {"type": "object"},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer"},
    "array": {"type": "array"},
}


def _load_endpoint_definitions(vendor: str, folder: Path) -> tuple[list[Operation], dict[str, Any]]:
    refs = RefResolver(folder)
    info: dict[str, Any] = {}
    if (folder / "api.yaml").exists():
        (info,) = load_yaml_documents(folder / "api.yaml")
    defaults = {
        str(status): _response(str(status), (resp or {}).get("schema"), (resp or {}).get("example"))
        for status, resp in refs.resolve(info.get("default-errors") or {}, info).items()
    }
    operations = []
    for file in sorted((folder / "endpoints").glob("*.yaml")):
        for doc in load_yaml_documents(file):
            if doc.get("content-type") != "api-endpoint":
                continue
            op = _endpoint_operation(vendor, refs.resolve(doc, doc), file.name)
            operations.append(replace(op, responses={**defaults, **op.responses}))
    return operations, info


def _endpoint_operation(vendor: str, doc: dict[str, Any], source: str) -> Operation:
    for key in ("key", "method", "short-url"):
        if key not in doc:
            raise SpecError(f"{source}: endpoint definition without {key!r}")
    path = str(doc["short-url"]).strip()
    params: list[Parameter] = []
    body_props: dict[str, Any] = {}
    body_required: list[str] = []
    for arg in doc.get("arguments") or []:
        kind = str(arg.get("type", "string"))
        schema = arg.get("json_schema") or _ARGUMENT_TYPES.get(kind, {"type": "string"})
        if kind == "path parameter":
            params.append(_param(arg["name"], "path", True, arg.get("json_schema") or {"type": "string"}))
        elif kind == "query parameter":
            params.append(_param(arg["name"], "query", bool(arg.get("required")), arg.get("json_schema") or {"type": "string"}))
        else:
            body_props[arg["name"]] = schema
            if arg.get("required"):
                body_required.append(arg["name"])
    body = doc.get("body") or {}
    body_schema: dict[str, Any] | None = None
    if body_props:
        body_schema = {"type": "object", "properties": body_props, "required": body_required}
        if body.get("strict", False):
            body_schema["additionalProperties"] = False
    responses = {}
    for status, resp in {**(doc.get("returns") or {}), **(doc.get("errors") or {})}.items():
        resp = resp or {}
        responses[str(status)] = _response(str(status), resp.get("schema"), resp.get("example"))
    extensions = {k: v for k, v in doc.items() if k.startswith("x-")}
    # The vendor's one documented message for any argument that breaks the rules (body or query).
    message = body.get("invalid-message", doc.get("invalid-message"))
    if message:
        extensions["x-invalid-message"] = message
    return Operation(
        vendor=vendor,
        operation_id=str(doc["key"]),
        method=str(doc["method"]).upper(),
        path=path,
        parameters=tuple(params),
        body_schema=body_schema,
        body_validator=compile_schema(body_schema) if body_schema else None,
        body_required=bool(body_schema) and doc["method"].lower() in ("post", "put", "patch"),
        responses=responses,
        extensions=extensions,
    )
