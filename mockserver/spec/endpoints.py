"""Stitch-style endpoint definitions converted to one OpenAPI 3.1 document.

Stitch publishes its API reference as one YAML document per endpoint (method, URL, arguments). We
write Stitch's spec in that form, extended with `returns`/`errors` schemas and `body` rules; this
module turns the folder into an OpenAPI 3.1 document, so Stitch is loaded, validated, served at
`/__admin/specs/stitch` and fuzzed exactly as the OpenAPI vendors are.

The mapping:
- `short-url` and `method` -> a path item's operation; `key` -> `operationId`; `title` -> `summary`.
- arguments of type `path parameter` / `query parameter` -> parameters (their `json_schema`, else a
  string); every other argument -> a property of the JSON request body (its `json_schema`, else the
  schema its `type` names); `required: true` -> the property is required.
- `body.strict` -> `additionalProperties: false`; `body.form` -> the body is a form
  (`application/x-www-form-urlencoded`, as OAuth token endpoints take) instead of JSON; `body.example` -> the request body's example (what
  the examples phase of a fuzzer sends first); `invalid-message` (endpoint or body) ->
  `x-invalid-message`, the one message Stitch answers for any argument that breaks the rules.
- `returns`/`errors` -> responses (`schema`, `example`, `links` as OpenAPI has them); api.yaml's
  `default-errors` are added to every endpoint that does not declare the status itself, and its
  `undeclared-method` (the answer to a method a path does not have) becomes `x-undeclared-method`.
- `x-anonymous: true` -> `security: []` (no credential needed); other `x-` keys are kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockserver.spec.documents import RefResolver, SpecError, load_yaml_documents
from mockserver.spec.model import FORM_TYPE

ARGUMENT_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "object": {"type": "object"},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer"},
    "array": {"type": "array"},
}
BODY_METHODS = ("post", "put", "patch")
SECURITY_SCHEME = "bearer"


def endpoint_document(folder: Path, refs: RefResolver | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document for a folder of endpoint definitions (`endpoints/*.yaml`, `api.yaml`);
    `refs` resolves their `$ref`s (a new resolver for the folder when not given)."""
    refs = refs or RefResolver(folder)
    api: dict[str, Any] = {}
    if (folder / "api.yaml").exists():
        (api,) = load_yaml_documents(folder / "api.yaml")
    defaults = {
        str(status): _response(str(status), resp or {}, "Error")
        for status, resp in refs.resolve(api.get("default-errors") or {}, api).items()
    }
    undeclared = {
        str(status): _response(str(status), resp or {}, "Method not declared for this path")
        for status, resp in refs.resolve(api.get("undeclared-method") or {}, api).items()
    }
    paths: dict[str, dict[str, Any]] = {}
    for file in sorted((folder / "endpoints").glob("*.yaml")):
        for doc in load_yaml_documents(file):
            if doc.get("content-type") != "api-endpoint":
                continue
            path, method, operation = _operation(refs.resolve(doc, doc), file.name)
            item = paths.setdefault(path, {})
            if method in item:
                raise SpecError(f"{file.name}: {method.upper()} {path} is defined twice")
            operation["responses"] = {**defaults, **operation["responses"]}
            item[method] = operation
    info = {"title": str(api.get("title", "API")), "version": str(api.get("version", "1"))}
    if api.get("description"):
        info["description"] = str(api["description"])
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": info,
        "paths": paths,
        "components": {"securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer"}}},
        "security": [{SECURITY_SCHEME: []}],
    }
    if api.get("base-url"):
        document["servers"] = [{"url": str(api["base-url"])}]
    if undeclared:
        document["x-undeclared-method"] = undeclared
    document.update({k: v for k, v in api.items() if k.startswith("x-")})
    return document


def _operation(doc: dict[str, Any], source: str) -> tuple[str, str, dict[str, Any]]:
    for key in ("key", "method", "short-url"):
        if key not in doc:
            raise SpecError(f"{source}: endpoint definition without {key!r}")
    method = str(doc["method"]).lower()
    parameters: list[dict[str, Any]] = []
    properties: dict[str, Any] = {}
    required: list[str] = []
    for arg in doc.get("arguments") or []:
        kind = str(arg.get("type", "string"))
        described = {"description": arg["description"]} if arg.get("description") else {}
        if kind in ("path parameter", "query parameter"):
            location = kind.split()[0]
            parameters.append({
                "name": arg["name"], "in": location, "required": location == "path" or bool(arg.get("required")),
                "schema": arg.get("json_schema") or {"type": "string"}, **described,
            })
            continue
        properties[arg["name"]] = {**(arg.get("json_schema") or ARGUMENT_TYPES.get(kind, {"type": "string"})), **described}
        if arg.get("required"):
            required.append(arg["name"])
    operation: dict[str, Any] = {"operationId": str(doc["key"]), "summary": str(doc.get("title", doc["key"]))}
    if doc.get("description"):
        operation["description"] = str(doc["description"])
    if doc.get("endpoint"):
        operation["tags"] = [str(doc["endpoint"])]
    if parameters:
        operation["parameters"] = parameters
    body = doc.get("body") or {}
    if properties:
        schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
        if body.get("strict", False):
            schema["additionalProperties"] = False
        media: dict[str, Any] = {"schema": schema}
        if "example" in body:
            media["example"] = body["example"]
        media_type = FORM_TYPE if body.get("form", False) else "application/json"
        operation["requestBody"] = {"required": method in BODY_METHODS, "content": {media_type: media}}
    responses = {
        **{str(s): _response(str(s), r or {}, "OK") for s, r in (doc.get("returns") or {}).items()},
        **{str(s): _response(str(s), r or {}, "Error") for s, r in (doc.get("errors") or {}).items()},
    }
    operation["responses"] = responses
    message = body.get("invalid-message", doc.get("invalid-message"))
    if message:
        operation["x-invalid-message"] = message
    if doc.get("x-anonymous"):
        operation["security"] = []
    operation.update({k: v for k, v in doc.items() if k.startswith("x-")})
    return str(doc["short-url"]).strip(), method, operation


def _response(status: str, resp: dict[str, Any], default_description: str) -> dict[str, Any]:
    out: dict[str, Any] = {"description": str(resp.get("description", default_description))}
    media: dict[str, Any] = {}
    if "schema" in resp:
        media["schema"] = resp["schema"]
    if "example" in resp:
        media["example"] = resp["example"]
    if media:
        out["content"] = {"application/json": media}
    if resp.get("links"):
        out["links"] = resp["links"]
    return out
