"""Compiled JSON Schema validators, and error messages a person can read.

A request schema is checked against the metaschema at start-up (a broken spec refuses to start),
but the work of validating is set up on first use: the fast check (fastcheck.py) when the first
instance arrives, jsonschema's own validator only when the fast check cannot vouch for one (invalid
input, or a keyword it does not implement). So a start imports no jsonschema at all when the
metaschema checks are found in the start-up cache (spec/cache.py): importing it was a tenth of
cold start, and most processes validate only valid requests for a long while.

Formats are checked only where a spec asks for it (`x-assert-formats`), because JSON Schema 2020-12
treats `format` as an annotation and the vendors' own documentation examples (placeholders such as
`<HOST>`) would not pass strict format checks.
"""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator

from mockserver.spec import cache
from mockserver.spec.fastcheck import Check, compile_check

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator as JsonschemaValidator

_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        raise ValueError("not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


def _is_date(value: object) -> bool:
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%d")
    return True


def _is_ipv4(value: object) -> bool:
    if isinstance(value, str):
        ipaddress.IPv4Address(value)
    return True


def _is_ipv6(value: object) -> bool:
    if isinstance(value, str):
        ipaddress.IPv6Address(value)
    return True


def _is_hostname(value: object) -> bool:
    return not isinstance(value, str) or bool(_HOSTNAME.match(value))


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$", value))


# format name -> (check, the exception that means "does not conform"; None: a False result does)
FORMATS: dict[str, tuple[Any, type[Exception] | None]] = {
    "date-time": (_is_datetime, ValueError),
    "date": (_is_date, ValueError),
    "ipv4": (_is_ipv4, ValueError),
    "ipv6": (_is_ipv6, ValueError),
    "hostname": (_is_hostname, None),
    "uri": (_is_uri, None),
}


@lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern as JSON Schema reads it (ECMA-262): `\\d` and `\\w` are ASCII only.

    Python's `re` lets `\\d` match any Unicode digit, so `^\\d+$` would pass `٥٤٣٢` as a port and an
    id like `٣٣٧٦٥٨` would reach `int()`; every vendor here (and JSON Schema itself) means [0-9]."""
    return re.compile(pattern, re.ASCII)


@lru_cache(maxsize=1)
def _jsonschema() -> tuple[Any, Any]:
    """jsonschema's Draft 2020-12 validator with our `pattern` (ECMA-262 `\\d`), and our format
    checker: built when the first validator needs them, so a start that needs none never imports
    jsonschema."""
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    checker = FormatChecker(formats=())
    for name, (check, raises) in FORMATS.items():
        checker.checks(name, raises=raises or ())(check)
    return validators.extend(Draft202012Validator, {"pattern": pattern}), checker


def format_checker() -> Any:
    """The formats checked where a spec asks for it (`x-assert-formats`), as a jsonschema FormatChecker."""
    return _jsonschema()[1]


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
    return cache.key("metaschema", cache.library_version("jsonschema"),
                     cache.library_version("jsonschema-specifications", "jsonschema_specifications"))


def check_schema_once(schema: dict[str, Any]) -> None:
    """Raises jsonschema's SchemaError for a schema the metaschema refuses; a schema that passed
    once (in this process, or in an earlier start: spec/cache.py) is not checked again."""
    try:
        key = cache.key(json.dumps(schema, sort_keys=True, default=repr))
    except (TypeError, ValueError):
        _jsonschema()[0].check_schema(schema)
        return
    passed = _passed()
    if key not in passed:
        _jsonschema()[0].check_schema(schema)
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


class Validator:
    """A schema's validator. The fast check is compiled on the first instance and jsonschema's
    validator built when the fast check first declines; each at most once per validator. A
    validator whose metaschema check was deferred (`check_on_first_use`) runs it before its first
    answer, and raises SchemaError there for as long as the schema is broken."""

    __slots__ = ("schema", "assert_formats", "_unchecked", "_fast", "_full")

    def __init__(self, schema: Any, *, assert_formats: bool = False, unchecked: bool = False) -> None:
        self.schema = schema
        self.assert_formats = assert_formats
        self._unchecked = unchecked
        self._fast: Check | None = None
        self._full: JsonschemaValidator | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (spec/cache.py) as its schema, flags and whether its check still waits; the
        compiled parts are rebuilt on first use in the process that reads it back."""
        return (_restore, (self.schema, self.assert_formats, self._unchecked))

    def _check(self) -> None:
        check_schema_once(self.schema)
        self._unchecked = False

    def certainly_valid(self, instance: Any) -> bool:
        """True only when the instance is valid; False means "ask `iter_errors`" (fastcheck.py)."""
        if self._unchecked:
            self._check()
        if self._fast is None:
            self._fast = compile_check(self.schema, assert_formats=self.assert_formats)
        return self._fast(instance)

    def jsonschema(self) -> JsonschemaValidator:
        """jsonschema's validator for the schema, built on first use."""
        if self._unchecked:
            self._check()
        if self._full is None:
            cls, checker = _jsonschema()
            self._full = cls(self.schema, format_checker=checker) if self.assert_formats else cls(self.schema)
        return self._full

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        return self.jsonschema().iter_errors(instance)  # type: ignore[no-any-return]

    def is_valid(self, instance: Any) -> bool:
        return self.certainly_valid(instance) or not any(True for _ in self.iter_errors(instance))


def _restore(schema: Any, assert_formats: bool, unchecked: bool) -> Validator:
    return Validator(schema, assert_formats=assert_formats, unchecked=unchecked)


def compile_schema(schema: dict[str, Any], *, assert_formats: bool = False, check_on_first_use: bool = False) -> Validator:
    """A validator for `schema`, its metaschema check done now (SchemaError for a broken schema).
    `check_on_first_use` defers the check (the bulk of start-up time once) to the first validation:
    for response schemas, which only the test suite's contract checks use, so a served process never
    pays for them and a broken one still fails tests."""
    if not check_on_first_use:
        check_schema_once(schema)
    return Validator(schema, assert_formats=assert_formats, unchecked=check_on_first_use)


def _where(error: ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    return ".".join(parts)


def describe(error: ValidationError) -> str:
    """One short sentence for one schema violation, naming the field it concerns.

    Built from the schema's keyword and its value, never from the instance: jsonschema's own
    messages quote the offending value (`'hunter2' is too short`, a whole object under `anyOf`), and
    that value may be a credential. The sentence reaches the client, the `X-Mock-Rejection` header,
    the access log and the journal, so what it cannot quote it cannot leak."""
    where = _where(error)
    keyword, value = error.validator, error.validator_value
    if keyword == "required":
        return f"{where + '.' if where else ''}{_missing_name(error) or error.message} is required"
    if keyword == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        names = ", ".join(extra) if extra else error.message
        return f"unknown field{'s' if len(extra) > 1 else ''} {names}" + (f" in {where}" if where else "")
    subject = where or "body"
    said = _SENTENCES.get(keyword)
    if said is not None:
        return f"{subject} {said(value)}"
    if keyword in ("oneOf", "anyOf"):
        many = keyword == "oneOf" and "is valid under each of" in error.message
        return f"{subject} {'matches more than one' if many else 'matches none'} of the allowed forms"
    if keyword == "not":
        required = value.get("required") if isinstance(value, dict) and len(value) == 1 else None
        if required:
            return f"{subject} must not have all of {', '.join(required)}"
        return f"{subject} matches a form that is not allowed"
    if keyword in ("dependentRequired", "dependencies"):  # jsonschema names the fields only
        return f"{subject}: {error.message}"
    return f"{subject} is not valid ({keyword})"


def _counted(words: str, noun: str) -> Callable[[Any], str]:
    return lambda n: f"{words} {n} {noun}{'' if n == 1 else 's'}"


# What follows the field's name, from the keyword's value alone, for the keywords whose sentence
# needs nothing else.
_SENTENCES: dict[str, Callable[[Any], str]] = {
    "type": lambda v: f"must be of type {_types(v)}",
    "enum": lambda v: f"must be one of {', '.join(str(x) for x in v)}",
    "const": lambda v: f"must be {json.dumps(v)}",
    "pattern": lambda v: f"does not match {v}",
    "format": lambda v: f"must be a valid {v}",
    "minimum": lambda v: f"must be at least {v}",
    "maximum": lambda v: f"must be at most {v}",
    "exclusiveMinimum": lambda v: f"must be greater than {v}",
    "exclusiveMaximum": lambda v: f"must be less than {v}",
    "multipleOf": lambda v: f"must be a multiple of {v}",
    "minLength": _counted("must be at least", "character"),
    "maxLength": _counted("must be at most", "character"),
    "minItems": _counted("must have at least", "item"),
    "maxItems": _counted("must have at most", "item"),
    "minProperties": _counted("must have at least", "field"),
    "maxProperties": _counted("must have at most", "field"),
    "minContains": _counted("must contain at least", "matching item"),
    "maxContains": _counted("must contain at most", "matching item"),
    "uniqueItems": lambda v: "must not repeat an item",
    "contains": lambda v: "must contain an item of the allowed form",
}


def _types(value: Any) -> str:
    if isinstance(value, list):
        return " or ".join(value)
    return str(value)


def errors_of(validator: Validator, instance: Any) -> list[str]:
    """Every violation, as readable sentences, most specific first and stable in order."""
    return [sentence for _, _, sentence in located_errors(validator, instance)]


def located_errors(validator: Validator, instance: Any) -> list[tuple[str, str, str]]:
    """Every violation as `(field, keyword, sentence)`: the top-level field it concerns ("" for the
    whole instance; a missing required field names itself), the schema keyword it broke, and its
    sentence. For vendors whose error bodies map each field to what is wrong with it (Stitch's
    account form answers `"errors": {"email": "required"}`)."""
    if validator.certainly_valid(instance):
        return []
    ordered = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    return [(_field_of(e), str(e.validator), describe(e)) for e in ordered]


def _field_of(error: ValidationError) -> str:
    if error.absolute_path:
        return str(error.absolute_path[0])
    return _missing_name(error) if error.validator == "required" else ""


def _missing_name(error: ValidationError) -> str:
    """The field a `required` error is about (jsonschema names it only in its message)."""
    missing = re.search(r"'([^']+)' is a required property", error.message)
    return missing.group(1) if missing else ""
