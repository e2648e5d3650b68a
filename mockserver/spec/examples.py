"""Schema-valid example bodies, for operations that are in a spec but have no handler yet.

The design rule is that every operation in `specs/` is routed, so a spec and the server cannot drift
apart: an unimplemented operation answers its declared example, or one built from its schema.
"""

from __future__ import annotations

from typing import Any

_STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "uri": "https://example.com",
    "email": "user@example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
}


def example_for(schema: dict[str, Any] | None) -> Any:
    if not schema:
        return {}
    if "example" in schema:
        return schema["example"]
    if "examples" in schema and schema["examples"]:
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("allOf",):
        if key in schema:
            merged: dict[str, Any] = {}
            for part in schema[key]:
                value = example_for(part)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return example_for(schema[key][0])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        required = schema.get("required", list(props))
        return {name: example_for(props[name]) for name in required if name in props}
    if kind == "array":
        return [example_for(schema.get("items"))] if schema.get("minItems", 0) > 0 else []
    if kind == "string":
        return _STRING_FORMATS.get(schema.get("format", ""), "string")
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return False
    return None
