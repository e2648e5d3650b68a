"""The one Operation model every spec format is loaded into.

Routing, request validation, example answers and the test suite's response checks all read this
model, so the server and its specs cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mockserver.spec.validation import Validator, compile_schema


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "path" or "query"
    required: bool
    schema: dict[str, Any]
    validator: Validator


@dataclass(frozen=True)
class ResponseSpec:
    status: str  # "200", "4XX" or "default"
    schema: dict[str, Any] | None
    example: Any = None

    @cached_property
    def validator(self) -> Validator | None:
        """Compiled when first asked for: only the contract checks (tests, a loaded state) read
        response schemas, so a served process never builds the thousand-odd validators at start."""
        if self.schema is None:
            return None
        return compile_schema(self.schema, assert_formats=True, check_on_first_use=True)


FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Operation:
    vendor: str
    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...] = ()
    body_schema: dict[str, Any] | None = None
    body_validator: Validator | None = None
    body_required: bool = False
    body_form: bool = False  # the body is a form (`application/x-www-form-urlencoded`), as OAuth token endpoints take
    responses: dict[str, ResponseSpec] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    def response_for(self, status: int) -> ResponseSpec | None:
        """The declared response for a status: exact code first, then `4XX`-style ranges, then default."""
        code = str(status)
        return (
            self.responses.get(code)
            or self.responses.get(f"{code[0]}XX")
            or self.responses.get("default")
        )

    def success_response(self) -> ResponseSpec | None:
        for code in sorted(self.responses):
            if code.startswith("2"):
                return self.responses[code]
        return None


_PARAM = re.compile(r"\{([^}/]+)\}")


class PathPattern:
    """A path template's regex, compiled on its first match. Compiling the 130-odd templates (for the
    registry and each vendor's 405 table) took 3 ms of every start, and a served process matches them
    only for a method a path does not declare, a fault rule or a contract check."""

    __slots__ = ("template", "_regex")

    def __init__(self, template: str) -> None:
        self.template = template
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = _compile_template(self.template)
        return self._regex

    def match(self, path: str) -> re.Match[str] | None:
        return self.regex.match(path)


def path_regex(template: str) -> PathPattern:
    """A matcher for a path template (`.match(path)`, as a compiled regex has); parameters match one
    segment, as aiohttp's router does."""
    return PathPattern(template)


def _compile_template(template: str) -> re.Pattern[str]:
    out, pos = [], 0
    for m in _PARAM.finditer(template):
        out.append(re.escape(template[pos : m.start()]))
        out.append(f"(?P<{m.group(1)}>[^{{}}/]+)")  # braces never match a parameter in aiohttp either
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(out) + "$")


@dataclass
class VendorSpec:
    """All operations of one vendor, plus the URL prefixes it owns, and the OpenAPI 3.1 document
    they were read from (what `/__admin/specs/{vendor}` serves)."""

    vendor: str
    prefixes: tuple[str, ...]
    operations: list[Operation]
    info: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)
    # The answer to a method a declared path does not have (the document's `x-undeclared-method`).
    undeclared_method: dict[str, ResponseSpec] = field(default_factory=dict)


class SpecRegistry:
    """Looks operations up by id, or by the concrete method and path of a request."""

    def __init__(self, specs: list[VendorSpec]) -> None:
        self.specs = {s.vendor: s for s in specs}
        self._by_id: dict[tuple[str, str], Operation] = {}
        self._matchers: list[tuple[str, PathPattern, Operation]] = []
        for spec in specs:
            for op in spec.operations:
                self._by_id[(spec.vendor, op.operation_id)] = op
                self._matchers.append((op.method, path_regex(op.path), op))
        # Literal segments beat parameters: /v4/destination-types/{t} must not swallow a sibling literal.
        self._matchers.sort(key=lambda m: -m[2].path.count("/") * 100 + m[2].path.count("{"))

    def operation(self, vendor: str, operation_id: str) -> Operation:
        return self._by_id[(vendor, operation_id)]

    def operations(self) -> list[Operation]:
        return [m[2] for m in self._matchers]

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        method = method.upper()
        for op_method, regex, op in self._matchers:
            if op_method == method:
                m = regex.match(path)
                if m:
                    return op, m.groupdict()
        return None

    def declares_path(self, path: str) -> bool:
        """Whether some operation, under any method, has this concrete path."""
        return any(regex.match(path) for _, regex, _ in self._matchers)

    def vendor_for_path(self, path: str) -> str | None:
        for spec in self.specs.values():
            for prefix in spec.prefixes:
                if path == prefix or path.startswith(prefix + "/"):
                    return spec.vendor
        return None
