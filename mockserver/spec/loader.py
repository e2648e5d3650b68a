"""Loads a vendor's spec folder, whichever of the two formats it is written in, as OpenAPI 3.1.

- `openapi.yaml` present: an OpenAPI 3.x document (Portable, Census).
- otherwise `endpoints/*.yaml`: Stitch-style endpoint definitions, the format Stitch publishes its
  own API reference in, converted to OpenAPI 3.1 by `endpoints.py`.

Either way the result is one OpenAPI 3.1 document per vendor (`VendorSpec.document`): the one the
server routes and validates by, the test suite checks answers against, and `/__admin/specs/{vendor}`
serves to outside tools (schemathesis, Prism, client generators). Operations are read from it.

A loaded spec is kept in the start-up cache (spec/cache.py) under the hash of every file in its
folder, this package's source and the versions of PyYAML and jsonschema: loading (`$ref` inlining,
conversion, metaschema checks) was a fifth of cold start. Only a spec that loaded without error is
stored, and one whose `$ref`s reach outside its folder is never stored (its key would not cover them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mockserver.spec import cache
from mockserver.spec.documents import RefResolver, SpecError, expected_loader, load_yaml_documents
from mockserver.spec.endpoints import endpoint_document
from mockserver.spec.model import FORM_TYPE, Operation, Parameter, ResponseSpec, VendorSpec
from mockserver.spec.validation import compile_schema, remember_checks

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Integer parameters are 64-bit, as in every vendor's own server (Go int64, Rails bigint, a JVM long),
# and the dispatcher converts only that range. OpenAPI says so with `format: int64`.
INTEGER_FORMAT = "int64"


def load_vendor_spec(vendor: str, folder: Path) -> VendorSpec:
    """The vendor's spec: from the start-up cache when its files and our code are unchanged."""
    name = _cache_key(vendor, folder)
    if name is not None:
        found = cache.load("spec", name)
        if isinstance(found, VendorSpec):
            return found
    refs = RefResolver(folder)
    spec = _load_vendor_spec(vendor, folder, refs)
    if name is not None and not refs.outside:
        cache.save("spec", name, spec)
    return spec


def _cache_key(vendor: str, folder: Path) -> str | None:
    """Everything a loaded spec depends on, hashed; None (no caching) when a file cannot be read."""
    code = cache.code_fingerprint()
    if not code or cache.folder() is None:
        return None
    parts: list[bytes | str] = [
        "spec", vendor, code, cache.library_version("pyyaml", "yaml"), expected_loader(),
        cache.library_version("jsonschema"), cache.library_version("jsonschema-specifications", "jsonschema_specifications"),
    ]
    try:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    except OSError:
        return None
    return cache.key(*parts)


def _load_vendor_spec(vendor: str, folder: Path, refs: RefResolver) -> VendorSpec:
    document = openapi_document(folder, refs)
    # A converted document has its `$ref`s inlined already; only a written one needs resolving.
    operations = _operations(vendor, document, refs if (folder / "openapi.yaml").exists() else None)
    seen: set[str] = set()
    for op in operations:
        if op.operation_id in seen:
            raise SpecError(f"{vendor}: duplicate operation id {op.operation_id}")
        seen.add(op.operation_id)
    undeclared = {
        str(status): _openapi_response(str(status), resp)
        for status, resp in refs.resolve(document.get("x-undeclared-method") or {}, document).items()
    }
    remember_checks()  # the next start skips the metaschema checks this one passed (spec/cache.py)
    return VendorSpec(vendor=vendor, prefixes=_prefixes(op.path for op in operations), operations=operations,
                      info=document.get("info", {}), document=document, undeclared_method=undeclared)


def openapi_document(folder: Path, refs: RefResolver | None = None) -> dict[str, Any]:
    """The vendor's OpenAPI 3.1 document: converted from endpoint definitions, or read and completed."""
    if (folder / "openapi.yaml").exists():
        (doc,) = load_yaml_documents(folder / "openapi.yaml")
        if not str(doc.get("openapi", "")).startswith("3."):
            raise SpecError(f"{folder}/openapi.yaml is not OpenAPI 3")
    elif (folder / "endpoints").is_dir():
        doc = endpoint_document(folder, refs)
    else:
        raise SpecError(f"{folder}: neither openapi.yaml nor endpoints/ found")
    return _complete(doc)


def _complete(doc: dict[str, Any]) -> dict[str, Any]:
    """Says in every operation what the server does for all of them: `x-default-responses` (401,
    unknown-id 404, 413, faults) merged into each operation's responses unless it declares the status,
    and the 64-bit range of integer parameters (`format: int64`). Changes `doc` (freshly read) in place."""
    defaults = doc.pop("x-default-responses", None) or {}
    for item in (doc.get("paths") or {}).values():
        for p in item.get("parameters", []):
            _bound_integer(p)
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            op["responses"] = {**{str(s): r for s, r in defaults.items()}, **{str(s): r for s, r in (op.get("responses") or {}).items()}}
            _describe_rejects(op)
            for p in op.get("parameters", []):
                _bound_integer(p)
    for p in ((doc.get("components") or {}).get("parameters") or {}).values():
        _bound_integer(p)
    return doc


def _describe_rejects(op: dict[str, Any]) -> None:
    """`x-rejects` lists what the server refuses (with 400) that JSON Schema cannot say, such as "the
    type must be one of the catalogue's"; it is also written into the description, for readers."""
    rejects = op.get("x-rejects")
    if not rejects:
        return
    if "400" not in op["responses"]:
        raise SpecError(f"{op.get('operationId')}: x-rejects is given, so 400 must be a declared response")
    listed = "\n".join(f"- {rule}" for rule in rejects)
    text = f"Refused with 400 although the schema allows it:\n{listed}"
    op["description"] = f"{op['description'].rstrip()}\n\n{text}" if op.get("description") else text


def _bound_integer(parameter: dict[str, Any]) -> None:
    """Marks an integer parameter's schema `format: int64`, in place (a `$ref` is marked at its
    target, under components)."""
    schema = parameter.get("schema")
    if isinstance(schema, dict) and schema.get("type") == "integer":
        schema.setdefault("format", INTEGER_FORMAT)


def _prefixes(paths: Any) -> tuple[str, ...]:
    """The URL prefixes a vendor owns: a version pair (`/api/v1`), else the first segment (`/v4`,
    `/notifications`, `/oauth`, `/pbc`): everything under it is the vendor's, unknown paths included."""
    out = set()
    for path in paths:
        segments = [s for s in path.split("/") if s]
        keep = 2 if len(segments) > 1 and re.fullmatch(r"v\d+", segments[1]) and not re.fullmatch(r"v\d+", segments[0]) else 1
        out.add("/" + "/".join(segments[:keep]))
    return tuple(sorted(out))


def _param(name: str, location: str, required: bool, schema: dict[str, Any]) -> Parameter:
    return Parameter(name=name, location=location, required=required, schema=schema, validator=compile_schema(schema))


def _response(status: str, schema: dict[str, Any] | None, example: Any) -> ResponseSpec:
    return ResponseSpec(status=status, schema=schema, example=example)  # its validator is built on first use


def _operations(vendor: str, doc: dict[str, Any], refs: RefResolver | None) -> list[Operation]:
    operations = []
    for path, item in (doc.get("paths") or {}).items():
        item = refs.resolve(item, doc) if refs is not None else item
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            raw = item.get(method)
            if raw is not None:
                operations.append(_operation(vendor, path, method, raw, shared))
    return operations


def _openapi_response(status: str, resp: dict[str, Any]) -> ResponseSpec:
    media = (resp.get("content") or {}).get("application/json") or {}
    example = media.get("example")
    if example is None and media.get("examples"):
        first = next(iter(media["examples"].values()))
        example = first.get("value") if isinstance(first, dict) else first
    return _response(status, media.get("schema"), example)


def _operation(vendor: str, path: str, method: str, raw: dict[str, Any], shared: list[Any]) -> Operation:
    if "operationId" not in raw:
        raise SpecError(f"{method.upper()} {path}: operationId is required")
    params: dict[tuple[str, str], Parameter] = {}
    for p in [*shared, *raw.get("parameters", [])]:
        if p.get("in") not in ("path", "query"):
            continue
        params[(p["in"], p["name"])] = _param(
            p["name"], p["in"], bool(p.get("required", p["in"] == "path")), p.get("schema", {})
        )
    body_schema, body_required, body_form = None, False, False
    request_body = raw.get("requestBody")
    if request_body:
        content = request_body.get("content", {})
        body_form = FORM_TYPE in content and "application/json" not in content
        body_schema = (content.get(FORM_TYPE if body_form else "application/json", {}) or {}).get("schema")
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
        body_form=body_form,
        responses=responses,
        extensions={k: v for k, v in raw.items() if k.startswith("x-")},
    )
