"""Hypothesis strategies for fuzzing the mock from its own specs.

Requests are drawn from each operation's spec (path and query parameters, body schema), from valid
example bodies mutated one step (a key dropped, a value retyped, a key added, a nested value
replaced), and from plain garbage: odd ids with path tricks, malformed JSON, non-UTF-8 bytes, deep
nesting, huge numbers, wrong content types, missing or mangled credentials.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from mockserver.spec import Operation

JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)

PATH_TRICKS = st.sampled_from([
    "..", "..%2F..%2Fetc", "%2F", "a%2Fb", "0", "-1", "1.5", "1e3", "00001", "9" * 30, "x" * 600,
    "%00", "%E2%98%83", "%ff", "%20", "true", "null", "{id}", "1;drop", "%2e%2e",
])

RAW_BODIES = st.sampled_from([
    b"", b" ", b"{", b"[", b"null", b"true", b"0", b'"x"', b"[]", b'{"a":', b"\xff\xfe\x00",
    b'{"a": 1}x', b"[" * 5000 + b"]" * 5000, b'{"n": ' + b"9" * 5000 + b"}", b"\x00\x01\x02",
    "{\"caf\u00e9\": \"\u2603\"}".encode("utf-16"),
])


def from_schema(schema: dict[str, Any] | None, depth: int = 0) -> st.SearchStrategy[Any]:
    """A loose generator for a JSON Schema: mostly shaped like it, not always valid (that's the point)."""
    if not schema or depth > 4:
        return JSON_VALUES
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of([from_schema(s, depth + 1) for s in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, depth + 1) for k in kind])
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = list(schema.get("required", []))
        optional = [k for k in props if k not in required]
        extra = schema.get("additionalProperties")
        fixed = {k: from_schema(props[k], depth + 1) for k in required if k in props}
        return st.builds(
            lambda base, opt, more: {**base, **opt, **more},
            st.fixed_dictionaries(fixed),
            st.fixed_dictionaries({}, optional={k: from_schema(props[k], depth + 1) for k in optional}),
            st.dictionaries(st.text(min_size=1, max_size=10), from_schema(extra, depth + 1) if isinstance(extra, dict) else JSON_SCALARS, max_size=3),
        )
    if kind == "array":
        return st.lists(from_schema(schema.get("items"), depth + 1), max_size=3)
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True) | st.text(max_size=12)
        return st.text(max_size=24)
    if kind == "integer":
        return st.integers(-(2**40), 2**40)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    return JSON_VALUES


@st.composite
def mutated(draw: st.DrawFn, example: Any) -> Any:
    """One small step away from a valid body: the cases a careless client really sends."""
    if not isinstance(example, dict) or not example:
        return draw(JSON_VALUES)
    body = json.loads(json.dumps(example))
    key = draw(st.sampled_from(sorted(body)))
    action = draw(st.sampled_from(["drop", "retype", "add", "nested", "same"]))
    if action == "drop":
        body.pop(key)
    elif action == "retype":
        body[key] = draw(JSON_SCALARS)
    elif action == "add":
        body[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUES)
    elif action == "nested" and isinstance(body[key], dict) and body[key]:
        inner = draw(st.sampled_from(sorted(body[key])))
        body[key][inner] = draw(JSON_VALUES)
    return body


@st.composite
def requests_for(draw: st.DrawFn, op: Operation, ids: list[str], examples: list[Any], token: str) -> dict[str, Any]:
    path = op.path
    for param in op.path_parameters:
        value = draw(st.sampled_from(ids) if ids and draw(st.booleans()) else PATH_TRICKS | st.text(min_size=1, max_size=10).map(_quote))
        path = path.replace("{" + param.name + "}", value)
    query = {}
    for param in op.query_parameters:
        if draw(st.booleans()):
            query[param.name] = draw(st.text(max_size=6) | st.sampled_from(["0", "1", "-1", "101", "abc", "99999999999999999999"]))
    if draw(st.integers(0, 4)) == 0:
        query[draw(st.text(min_size=1, max_size=6).map(_quote))] = draw(st.text(max_size=6))
    headers = {}
    auth = draw(st.integers(0, 9))
    if auth == 0:
        pass
    elif auth == 1:
        headers["Authorization"] = draw(st.sampled_from(["Bearer", "Basic !!!", "Bearer a b", "Token x", "Basic " + "A" * 10]))
    else:
        headers["Authorization"] = f"Bearer {token}"
    data: bytes | None = None
    if op.body_schema is not None:
        choice = draw(st.integers(0, 5))
        if choice <= 1 and examples:
            body = draw(mutated(draw(st.sampled_from(examples))))
        elif choice == 2 and examples:
            body = draw(st.sampled_from(examples))
        elif choice == 3:
            body = draw(from_schema(op.body_schema))
        else:
            body = None
            data = draw(RAW_BODIES)
        if body is not None:
            data = json.dumps(body).encode()
        headers["Content-Type"] = draw(st.sampled_from(
            ["application/json"] * 6 + ["application/json;version=2", "text/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]))
    return {"method": op.method, "path": path, "query": query, "headers": headers, "data": data}


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="") or "x"
