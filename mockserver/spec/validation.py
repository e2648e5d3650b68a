"""Compiled JSON Schema validators, and error messages a person can read.

Validators are built once per schema at start-up. Formats are checked only where a spec asks for it
(`x-assert-formats`), because JSON Schema 2020-12 treats `format` as an annotation and the vendors'
own documentation examples (placeholders such as `<HOST>`) would not pass strict format checks.
"""

from __future__ import annotations

import ipaddress
import json
import re
import weakref
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, Iterator

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from mockserver.spec import cache
from mockserver.spec.fastcheck import Check, compile_check

_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")

format_checker = FormatChecker(formats=())


@format_checker.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        raise ValueError("not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


@format_checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%d")
    return True


@format_checker.checks("ipv4", raises=ValueError)
def _is_ipv4(value: object) -> bool:
    if isinstance(value, str):
        ipaddress.IPv4Address(value)
    return True


@format_checker.checks("ipv6", raises=ValueError)
def _is_ipv6(value: object) -> bool:
    if isinstance(value, str):
        ipaddress.IPv6Address(value)
    return True


@format_checker.checks("hostname")
def _is_hostname(value: object) -> bool:
    return not isinstance(value, str) or bool(_HOSTNAME.match(value))


@format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$", value))


@lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern as JSON Schema reads it (ECMA-262): `\\d` and `\\w` are ASCII only.

    Python's `re` lets `\\d` match any Unicode digit, so `^\\d+$` would pass `٥٤٣٢` as a port and an
    id like `٣٣٧٦٥٨` would reach `int()`; every vendor here (and JSON Schema itself) means [0-9]."""
    return re.compile(pattern, re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


SchemaValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


# Validator -> its compiled fast check (fastcheck.py), by id: jsonschema validators are unhashable.
# weakref.finalize drops an entry when its validator goes, so an id is never read after reuse.
_fast_checks: dict[int, Check] = {}
# Validator id -> (schema, assert_formats) of a fast check not compiled yet (compiled on first use).
_uncompiled: dict[int, tuple[dict[str, Any], bool]] = {}


# Schemas already checked against the metaschema, as hashes of their canonical JSON. Specs repeat the
# same schemas (every operation gets the vendor-wide error responses), and checking was most of
# start-up time; hashes that passed are also kept across starts (spec/cache.py, per jsonschema version).
_checked: set[str] | None = None
_unsaved: set[str] = set()


def _passed() -> set[str]:
    global _checked
    if _checked is None:
        found = cache.load("metaschema", _cache_name())
        _checked = set(found) if isinstance(found, (set, frozenset)) else set()
    return _checked


@lru_cache(maxsize=1)
def _cache_name() -> str:
    from importlib.metadata import version

    return cache.key("metaschema", version("jsonschema"))


def check_schema_once(schema: dict[str, Any]) -> None:
    try:
        key = cache.key(json.dumps(schema, sort_keys=True, default=repr))
    except (TypeError, ValueError):
        Draft202012Validator.check_schema(schema)
        return
    passed = _passed()
    if key not in passed:
        Draft202012Validator.check_schema(schema)
        passed.add(key)
        _unsaved.add(key)


def remember_checks() -> None:
    """Keep the schemas checked since the last call for the next start (called once a spec is loaded)."""
    if _unsaved:
        stored = cache.load("metaschema", _cache_name())
        merged = set(stored) if isinstance(stored, (set, frozenset)) else set()
        merged |= _passed()
        cache.save("metaschema", _cache_name(), frozenset(merged))
        _unsaved.clear()


# Validator id -> its schema, for validators whose metaschema check waits for their first use.
_unchecked: dict[int, dict[str, Any]] = {}


def compile_schema(schema: dict[str, Any], *, assert_formats: bool = False, check_on_first_use: bool = False) -> Validator:
    """A validator for `schema`. `check_on_first_use` defers the metaschema check (the bulk of
    start-up time) to the first validation: for response schemas, which only the test suite's
    contract checks use, so a served process never pays for them and a broken one still fails tests."""
    if not check_on_first_use:
        check_schema_once(schema)
    if assert_formats:
        validator = SchemaValidator(schema, format_checker=format_checker)
    else:
        validator = SchemaValidator(schema)
    key = id(validator)
    _uncompiled[key] = (schema, assert_formats)  # the fast check is compiled on first use: start-up time
    weakref.finalize(validator, _fast_checks.pop, key, None)
    weakref.finalize(validator, _uncompiled.pop, key, None)
    if check_on_first_use:
        _unchecked[key] = schema
        weakref.finalize(validator, _unchecked.pop, key, None)
    return validator


def _where(error: ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    return ".".join(parts)


def describe(error: ValidationError) -> str:
    """One short sentence for one schema violation, naming the field it concerns."""
    where = _where(error)
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else error.message
        return f"{where + '.' if where else ''}{name} is required"
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        names = ", ".join(extra) if extra else error.message
        return f"unknown field{'s' if len(extra) > 1 else ''} {names}" + (f" in {where}" if where else "")
    subject = where or "body"
    if error.validator == "type":
        return f"{subject} must be of type {_types(error.validator_value)}"
    if error.validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return f"{subject} must be one of {options}"
    if error.validator == "pattern":
        return f"{subject} does not match {error.validator_value}"
    if error.validator in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"):
        return f"{subject}: {error.message}"
    return f"{subject}: {error.message}"


def _types(value: Any) -> str:
    if isinstance(value, list):
        return " or ".join(value)
    return str(value)


def errors_of(validator: Validator, instance: Any) -> list[str]:
    """Every violation, as readable sentences, most specific first and stable in order."""
    if _unchecked:
        pending = _unchecked.pop(id(validator), None)
        if pending is not None:
            check_schema_once(pending)
    fast = _fast_checks.get(id(validator))
    if fast is None and id(validator) in _uncompiled:
        schema, assert_formats = _uncompiled.pop(id(validator))
        fast = _fast_checks[id(validator)] = compile_check(schema, assert_formats=assert_formats)
    if fast is not None and fast(instance):
        return []
    errors: Iterable[ValidationError] = validator.iter_errors(instance)
    ordered = sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    return [describe(e) for e in ordered]
