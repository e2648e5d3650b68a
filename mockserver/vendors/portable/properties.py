"""How Portable destination and source property values are accepted, checked and stored.

The seed types property values as strings, but marks them `x-go-type: any`: the vendor's server
takes any JSON value. The mock accepts strings, numbers and booleans, stores every value as a
string (numbers in their shortest form, booleans as `true`/`false`) and answers strings, so answers
always fit the seed's `PropertyInput`. Each value must then read as its definition's type.
`null` or `""` means "no value"; for a PASSWORD property the mask `********` (what a GET answers)
means "keep the current value", so a client can send back what it read.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, time
from typing import Any, Callable

from mockserver.engine.errors import Invalid
from mockserver.vendors.base import MASK
from mockserver.vendors.portable.catalogue import Spec

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


def _parses(pattern: re.Pattern[str], parse: Callable[[str], Any]) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        if not pattern.match(text):
            return False
        try:
            parse(text)
        except ValueError:
            return False
        return True

    return check


def _datetime(text: str) -> datetime:
    return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))


# type -> (does a string read as it (any true value: yes), how the message describes it)
CHECKS: dict[str, tuple[Callable[[str], object], str]] = {
    "NUMBER": (_NUMBER.match, "a NUMBER"),
    "BOOLEAN": (lambda text: text in ("true", "false"), "a BOOLEAN (true or false)"),
    "DATE": (_parses(_DATE, date.fromisoformat), "a DATE (YYYY-MM-DD)"),
    "DATETIME": (_parses(_DATETIME, _datetime), "a DATETIME (RFC 3339, e.g. 2026-01-31T09:30:00Z)"),
    "TIME": (_parses(_TIME, time.fromisoformat), "a TIME (HH:MM or HH:MM:SS)"),
}


def as_text(value: Any) -> str | None:
    """The stored form of an accepted JSON value; None for "no value"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def _mistyped(name: str, described: str, text: str) -> str:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return f'property "{name}" must be {described}, got {json.dumps(shown)}'


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def resolve(spec: Spec, given: dict[str, Any], current: dict[str, str]) -> dict[str, str]:
    """The stored properties after merging `given` into `current`, sorted by name (as Go maps encode).

    Raises Invalid naming every problem (unknown names, values of the wrong type, required
    properties left without a value); nothing is changed then. One pass over `given`: every create
    and update of a destination or source comes this way.
    """
    values = dict(current)
    types = spec.types
    unknown: list[str] = []
    mistyped: list[str] = []
    wrong: set[str] = set()  # given with a value of the wrong type: reported as that, not as missing
    for name, raw in given.items():
        kind = types.get(name)
        if kind is None:
            unknown.append(name)
            continue
        text = raw if type(raw) is str else as_text(raw)  # most values come as strings: kept as they are
        if not text:  # null or "": no value
            values.pop(name, None)
            continue
        if kind == "PASSWORD" and text == MASK:
            continue  # the mask a GET answered, sent back: keep what is stored
        check = CHECKS.get(kind)  # STRING and the like take any text
        if check is not None and not check[0](text):
            mistyped.append(_mistyped(name, check[1], text))
            wrong.add(name)
            continue
        values[name] = text
    if not unknown and not mistyped and values.keys() >= spec.required_set:
        return dict(sorted(values.items()))
    missing = [name for name in spec.required_names if name not in values and name not in wrong]
    problems = []
    if unknown:
        noun = "property" if len(unknown) == 1 else "properties"
        problems.append(f'unknown {noun} {_quoted(unknown)} for {spec.kind} spec "{spec.name}"')
    problems += mistyped
    if missing:
        noun = "property" if len(missing) == 1 else "properties"
        problems.append(f'missing required {noun} {_quoted(missing)} for {spec.kind} spec "{spec.name}"')
    raise Invalid("; ".join(problems), code="properties", problems=problems)
