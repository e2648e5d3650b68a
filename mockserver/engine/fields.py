"""Reading the control plane's request fields, the same way wherever they appear.

A journal filter and a fault rule both pick requests by method and by path (a glob, or a regex that
must match the whole path); reading those here once keeps "which requests does this name?" one rule.
Each reader says what it wants when it gets something else, as a `FieldError`.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any, Mapping

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class FieldError(ValueError):
    """A field that cannot be used; the message names it and says why."""


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A shell-style glob as a regex; `*` also crosses `/`, so `/v4/*` covers every path below /v4."""
    return re.compile(fnmatch.translate(pattern))


def optional_text(raw: Mapping[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise FieldError(f"{name} must be a non-empty string")
    return value


def method(raw: Mapping[str, Any]) -> str | None:
    value = raw.get("method")
    if value is None:
        return None
    if not isinstance(value, str) or value.upper() not in METHODS:
        raise FieldError(f"method must be one of {', '.join(METHODS)}")
    return value.upper()


def path_pattern(raw: Mapping[str, Any]) -> re.Pattern[str] | None:
    """`path` (a glob) or `path_regex` (whole-path regex), compiled; at most one of them."""
    glob, regex = optional_text(raw, "path"), optional_text(raw, "path_regex")
    if glob is not None and regex is not None:
        raise FieldError("give path (a glob) or path_regex, not both")
    if glob is not None:
        return glob_regex(glob)
    if regex is None:
        return None
    try:
        return re.compile(regex)
    except re.error as exc:
        raise FieldError(f"path_regex does not compile: {exc}") from None
