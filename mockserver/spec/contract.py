"""Holds responses to the specs: the test suite runs every answer of the server through this.

A response conforms when its status is declared for the matched operation and its JSON body
validates against that status's schema. Requests that match no operation must get the vendor's
not-found answer (a status every operation declares), or, for a method a known path does not have,
the answer the spec declares under `x-undeclared-method`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockserver.spec.model import Operation, SpecRegistry
from mockserver.spec.validation import errors_of


@dataclass
class ContractViolation:
    method: str
    path: str
    status: int
    problems: list[str]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}: " + "; ".join(self.problems)


def check_response(
    registry: SpecRegistry, method: str, path: str, status: int, body: Any
) -> tuple[Operation | None, ContractViolation | None]:
    """Validate one response; returns the matched operation (if any) and what is wrong (if anything).

    A path under a vendor's prefix that matches no operation must carry one of the vendor's
    vendor-wide errors (its not-found answer, or a fault), or, for a known path under a method it
    does not declare, the vendor's `x-undeclared-method` answer; paths under no prefix are not checked.
    """
    found = registry.match(method, path)
    if found is None:
        vendor = registry.vendor_for_path(path)
        if vendor is None or not registry.specs[vendor].operations:
            return None, None
        spec = None
        if registry.declares_path(path):  # a method the path does not declare: `x-undeclared-method`
            spec = registry.specs[vendor].undeclared_method.get(str(status))
        spec = spec or registry.specs[vendor].operations[0].response_for(status)
        if spec is None:
            return None, ContractViolation(method, path, status, [f"status {status} is not a declared {vendor} error"])
        problems = errors_of(spec.validator, body) if spec.validator is not None else []
        return None, (ContractViolation(method, path, status, problems) if problems else None)
    op, _ = found
    spec = op.response_for(status)
    if spec is None:
        declared = ", ".join(sorted(op.responses)) or "none"
        return op, ContractViolation(method, path, status, [f"status {status} not declared for {op.operation_id} (declared: {declared})"])
    if spec.validator is None:
        return op, None
    problems = errors_of(spec.validator, body)
    return op, (ContractViolation(method, path, status, problems) if problems else None)
