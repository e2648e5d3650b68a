"""A compiled yes/maybe check for the JSON Schema keywords our specs use, so valid input skips jsonschema.

jsonschema walks a schema dictionary on every call, which profiling showed to be a fifth of the time
of a validated create. Most requests are valid, so each schema is also compiled once into nested
closures that answer True only when the instance is certainly valid under Draft 2020-12. Anything
else (False) is not a verdict: the caller then asks jsonschema, which also writes the messages.
So the rule every check here keeps is one-sided: True implies jsonschema finds no error. Keywords
jsonschema knows but this module does not implement compile to "maybe" (always False), which is
always safe; keywords jsonschema does not know are ignored, as jsonschema ignores them.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Check = Callable[[Any], bool]

# The keywords jsonschema's Draft 2020-12 validator acts on (`Draft202012Validator.VALIDATORS`),
# written out so that compiling a check needs no jsonschema import (start-up time; validation.py).
# tests/test_fastcheck.py holds it equal to jsonschema's own list.
KNOWN = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains", "dependentRequired",
    "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "if", "items", "maxItems",
    "maxLength", "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum", "multipleOf",
    "not", "oneOf", "pattern", "patternProperties", "prefixItems", "properties", "propertyNames", "required",
    "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
})
# Keywords with no effect on validity here: annotations, and `$defs` (only reachable through `$ref`,
# which is not implemented, so any schema using them answers "maybe").
IGNORED = frozenset({"$defs", "definitions", "$schema", "$id", "$comment", "$anchor", "title", "description",
                     "default", "examples", "readOnly", "writeOnly", "deprecated", "contentMediaType",
                     "contentEncoding", "contentSchema"})


def _maybe(_: Any) -> bool:
    return False


def _always(_: Any) -> bool:
    return True


def _is_int(v: Any) -> bool:
    return type(v) is int  # noqa: E721 - bool is excluded on purpose, as JSON Schema does


def _is_number(v: Any) -> bool:
    return type(v) is int or type(v) is float  # noqa: E721


TYPES: dict[str, Check] = {
    "object": lambda v: type(v) is dict,  # noqa: E721
    "array": lambda v: type(v) is list,  # noqa: E721
    "string": lambda v: type(v) is str,  # noqa: E721
    "integer": _is_int,  # 3.0 is an integer to JSON Schema; answering "maybe" for it is still safe
    "number": _is_number,
    "boolean": lambda v: type(v) is bool,  # noqa: E721
    "null": lambda v: v is None,
}


def compile_check(schema: Any, *, assert_formats: bool = False) -> Check:
    """One closure for the whole schema; never raises, degrades to "maybe" where unsure."""
    if schema is True or schema == {}:
        return _always
    if not isinstance(schema, dict):
        return _maybe
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in IGNORED or keyword not in KNOWN:
            continue
        if keyword == "format" and not assert_formats:
            continue
        build = _KEYWORDS.get(keyword)
        if build is None:
            return _maybe
        check = build(value, schema, assert_formats)
        if check is _maybe:
            return _maybe
        checks.append(check)
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    chain = tuple(checks)

    def every(v: Any) -> bool:
        for c in chain:
            if not c(v):
                return False
        return True

    return every


# The Python types JSON decoding produces for each JSON Schema type. `type(v) in ...` is exact:
# bool is its own type, so it is never taken for an integer; a float 3.0 answers "maybe".
PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,), "null": (type(None),),
}


def _type(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(n, str) and n in TYPES for n in names):
        return _maybe
    if len(names) == 1:
        return TYPES[names[0]]
    allowed = frozenset(t for n in names for t in PY_TYPES[n])
    return lambda v: type(v) in allowed


def _enum(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    if not isinstance(value, list):
        return _maybe
    strings = frozenset(m for m in value if isinstance(m, str))
    allows_null = any(m is None for m in value)
    # Only strings and null are matched here; numbers and booleans (1 == 1.0, True != 1) go to jsonschema.
    return lambda v: (type(v) is str and v in strings) or (v is None and allows_null)  # noqa: E721


def _const(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    return _enum([value], schema, fmt)


def _properties(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    if not isinstance(value, dict):
        return _maybe
    props = {name: compile_check(sub, assert_formats=fmt) for name, sub in value.items()}
    extra = schema.get("additionalProperties", True)
    if "patternProperties" in schema:
        return _maybe
    extra_check = compile_check(extra, assert_formats=fmt) if extra is not False else None

    def check(v: Any) -> bool:
        if type(v) is not dict:  # noqa: E721
            return True
        for key, item in v.items():
            sub = props.get(key)
            if sub is None:
                if extra_check is None or not extra_check(item):
                    return False
            elif not sub(item):
                return False
        return True

    return check


def _additional_properties(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    """Applied by `properties` when both are present; alone, every member is an additional one."""
    return _always if "properties" in schema else _properties({}, schema, fmt)


def _required(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    if not isinstance(value, list):
        return _maybe
    if not all(isinstance(n, str) for n in value):
        return _maybe
    names = frozenset(value)  # a set test on the keys' view runs in C, not a generator per request
    return lambda v: type(v) is not dict or names <= v.keys()  # noqa: E721


def _bound(kind: tuple[type, ...], measure: Callable[[Any], Any], ok: Callable[[Any, Any], bool]) -> Callable[..., Check]:
    def build(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
        if type(value) not in (int, float):  # noqa: E721
            return _maybe
        return lambda v: type(v) not in kind or ok(measure(v), value)  # noqa: E721

    return build


def _pattern(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    try:
        regex = re.compile(value, re.ASCII)  # as validation.ecma_regex: JSON Schema's `\d` is [0-9]
    except (re.error, TypeError):
        return _maybe
    return lambda v: type(v) is not str or regex.search(v) is not None  # noqa: E721


def _items(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    if "prefixItems" in schema:
        return _maybe
    item = compile_check(value, assert_formats=fmt)
    return lambda v: type(v) is not list or all(item(x) for x in v)  # noqa: E721


def _all_of(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    if not isinstance(value, list) or not value:
        return _maybe
    subs = [compile_check(s, assert_formats=fmt) for s in value]
    return lambda v: all(s(v) for s in subs)


def _any_of(value: Any, schema: dict[str, Any], fmt: bool) -> Check:
    if not isinstance(value, list) or not value:
        return _maybe
    subs = [compile_check(s, assert_formats=fmt) for s in value]
    return lambda v: any(s(v) for s in subs)


_NUM = (int, float)
_KEYWORDS: dict[str, Callable[[Any, dict[str, Any], bool], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "pattern": _pattern,
    "items": _items,
    "allOf": _all_of,
    "anyOf": _any_of,
    "minLength": _bound((str,), len, lambda n, b: n >= b),
    "maxLength": _bound((str,), len, lambda n, b: n <= b),
    "minItems": _bound((list,), len, lambda n, b: n >= b),
    "maxItems": _bound((list,), len, lambda n, b: n <= b),
    "minProperties": _bound((dict,), len, lambda n, b: n >= b),
    "maxProperties": _bound((dict,), len, lambda n, b: n <= b),
    "minimum": _bound(_NUM, lambda x: x, lambda n, b: n >= b),
    "maximum": _bound(_NUM, lambda x: x, lambda n, b: n <= b),
    "exclusiveMinimum": _bound(_NUM, lambda x: x, lambda n, b: n > b),
    "exclusiveMaximum": _bound(_NUM, lambda x: x, lambda n, b: n < b),
}

