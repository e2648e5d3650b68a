"""The compiled fast check may only ever say "valid" when jsonschema agrees (spec/fastcheck.py),
and the metaschema check, done once per distinct schema, still refuses broken schemas.

It answers True (certainly valid) or False (ask jsonschema). These tests hold the one-sided rule
over every schema in specs/, with each schema's example and many mutations of it, and pin down the
JSON Schema corners where Python's own equality or types differ from the standard.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from mockserver.app import load_registry
from mockserver.spec.examples import example_for
from mockserver.spec.fastcheck import KNOWN, compile_check
from mockserver.spec.validation import compile_schema, errors_of
from mockserver.vendors import VENDOR_MODULES

SCALARS: list[Any] = [None, True, False, 0, 1, -1, 1.0, 2.5, "", "x", "2024-01-01T00:00:00Z", [], {}, [1], {"a": 1}]


def agrees(schema: Any, instance: Any, *, assert_formats: bool = False) -> None:
    if compile_check(schema, assert_formats=assert_formats)(instance):
        validator = Draft202012Validator(schema)
        assert list(validator.iter_errors(instance)) == [], (schema, instance)


def mutations(value: Any, depth: int = 0) -> Iterator[Any]:
    """The value, every scalar in its place, and each member dropped, retyped or added, recursively."""
    yield value
    yield from SCALARS
    if depth > 3:
        return
    if isinstance(value, dict):
        yield {**value, "unexpected_field": "x"}
        for key, item in value.items():
            rest = {k: v for k, v in value.items() if k != key}
            yield rest
            for changed in mutations(item, depth + 1):
                yield {**rest, key: changed}
    elif isinstance(value, list) and value:
        yield value * 2
        for changed in mutations(value[0], depth + 1):
            yield [changed, *value[1:]]


def every_schema() -> Iterator[tuple[str, dict[str, Any]]]:
    registry = load_registry(tuple(VENDOR_MODULES))
    for op in registry.operations():
        name = f"{op.vendor} {op.operation_id}"
        if op.body_schema is not None:
            yield f"{name} body", op.body_schema
        for param in op.parameters:
            yield f"{name} {param.name}", param.schema
        for status, response in op.responses.items():
            if response.schema is not None:
                yield f"{name} {status}", response.schema


SCHEMAS = list(every_schema())


@pytest.mark.parametrize(("name", "schema"), SCHEMAS, ids=[n for n, _ in SCHEMAS])
def test_fast_check_never_accepts_what_jsonschema_rejects(name: str, schema: dict[str, Any]) -> None:
    example = example_for(schema)
    for instance in mutations(copy.deepcopy(example)):
        agrees(schema, instance)
        agrees(schema, instance, assert_formats=True)


def test_the_fast_path_is_taken_for_typical_valid_bodies() -> None:
    schema = {
        "type": "object",
        "required": ["destinationSpec"],
        "additionalProperties": False,
        "properties": {
            "displayName": {"type": "string", "minLength": 1, "maxLength": 100},
            "destinationSpec": {"type": "string", "enum": ["postgres", "snowflake"]},
            "properties": {"type": "object", "additionalProperties": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}, "maxItems": 3},
            "port": {"type": ["integer", "null"], "minimum": 1, "maximum": 65535},
        },
    }
    body = {"displayName": "x", "destinationSpec": "postgres", "properties": {"a": "b"}, "tags": ["ab"], "port": 5432}
    assert compile_check(schema)(body)
    assert compile_check(schema)({**body, "port": None})


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"type": "integer"}, True),  # a boolean is not an integer in JSON Schema
        ({"type": "number"}, False),
        ({"enum": [1]}, True),  # Python says True == 1; JSON Schema does not
        ({"enum": [0]}, False),
        ({"const": 1.0}, 1),  # JSON Schema says 1 == 1.0: left to jsonschema
        ({"type": "string", "minLength": 2}, "é"),
        ({"type": "object", "required": ["a"]}, {}),
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}),
        ({"additionalProperties": {"type": "string"}}, {"a": 1}),
        ({"patternProperties": {"^a": {"type": "string"}}}, {"ab": 1}),
        ({"items": {"type": "string"}}, ["a", 1]),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1.5),
        ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1),  # both match: invalid
        ({"not": {"type": "string"}}, "x"),
        ({"$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}}, 1),
        ({"type": "string", "format": "date-time"}, "yesterday"),
        ({"exclusiveMaximum": 3}, 3),
        ({"uniqueItems": True}, [1, 1]),
        (False, None),
    ],
)
def test_corners_are_never_accepted_wrongly(schema: Any, instance: Any) -> None:
    if list(Draft202012Validator(schema).iter_errors(instance)):
        assert not compile_check(schema)(instance)


def test_errors_of_still_reports_every_problem_when_the_fast_check_declines() -> None:
    registry = load_registry(tuple(VENDOR_MODULES))
    op = next(op for op in registry.operations() if op.body_validator is not None)
    assert errors_of(op.body_validator, "not an object")


def test_a_broken_schema_is_refused_when_compiled() -> None:
    with pytest.raises(SchemaError):
        compile_schema({"type": "not-a-type"})
    with pytest.raises(SchemaError):  # and again: only schemas that passed are remembered as checked
        compile_schema({"type": "not-a-type"})


def test_a_deferred_check_still_refuses_a_broken_schema_on_first_use() -> None:
    validator = compile_schema({"type": "object", "minProperties": "two"}, check_on_first_use=True)
    with pytest.raises(SchemaError):
        errors_of(validator, {})


def test_the_keywords_written_out_are_jsonschemas_own() -> None:
    """A keyword jsonschema gains in an upgrade must not be ignored by the fast check (it would
    then vouch for instances jsonschema refuses), so the written-out list must follow jsonschema's."""
    assert KNOWN == frozenset(Draft202012Validator.VALIDATORS)
