"""Whole-state export and replace, shared by `PUT /__admin/state`, the state file and `MockServer`.

A replacement is checked before anything changes: its shape against a JSON Schema, ids unique per
collection, job kinds known. If loading still fails, the previous state is put back, so a bad
document never leaves the server half-replaced.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from mockserver.admin.http import AdminError
from mockserver.engine import Engine
from mockserver.engine.journal import masked
from mockserver.spec.validation import errors_of
from mockserver.vendors.base import Vendor

if TYPE_CHECKING:  # jsonschema is imported when a state document is first checked: start-up time
    from jsonschema import Draft202012Validator


@lru_cache(maxsize=8)
def state_validator(vendor_names: tuple[str, ...]) -> Draft202012Validator:
    record = {"type": "object", "required": ["id"], "properties": {"id": {"type": ["integer", "string"]}}}
    tenant = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "attrs": {"type": "object"},
            "collections": {"type": "object", "additionalProperties": {"type": "array", "items": record}},
        },
    }
    vendor = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "sequences": {"type": "object", "additionalProperties": {"type": "integer"}},
            "tenants": {"type": "object", "additionalProperties": tenant},
        },
    }
    job = {
        "type": "object",
        "additionalProperties": False,
        "required": ["due", "seq", "kind", "payload"],
        "properties": {
            "due": {"type": "string", "format": "date-time"},
            "seq": {"type": "integer", "minimum": 1},
            "kind": {"type": "string"},
            "payload": {"type": "object", "required": ["tenant"], "properties": {"tenant": {"type": "string"}}},
        },
    }
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["vendors"],
        "properties": {
            "vendors": {
                "type": "object",
                "propertyNames": {"enum": list(vendor_names)},
                "additionalProperties": vendor,
            },
            "jobs": {"type": "array", "items": job},
        },
    }
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems_of(raw: Any, vendor_names: Iterable[str], job_kinds: Iterable[str]) -> list[str]:
    """Everything wrong with a state document (empty when it can be loaded)."""
    problems = [
        f"{'/'.join(str(p) for p in err.absolute_path) or '(root)'}: {err.message}"
        for err in state_validator(tuple(sorted(vendor_names))).iter_errors(raw)
    ]
    if problems:
        return problems[:10]
    for vendor, data in raw["vendors"].items():
        for key, tenant in (data.get("tenants") or {}).items():
            for name, records in (tenant.get("collections") or {}).items():
                ids = [r["id"] for r in records]
                if len(set(ids)) != len(ids):
                    problems.append(f"vendors/{vendor}/tenants/{key}/collections/{name}: ids repeat")
    kinds = set(job_kinds)
    problems += [f"jobs/{i}/kind: unknown job kind {job['kind']!r}" for i, job in enumerate(raw.get("jobs") or []) if job["kind"] not in kinds]
    return problems[:10]


def unservable(engine: Engine, vendors: Mapping[str, Vendor]) -> list[str]:
    """Records the vendors could not answer with, or not within their specs (empty when all can).

    The outline check above cannot know what a vendor needs of its records; rendering each tenant's
    records the way its handlers do, and holding the result to the spec, does.
    """
    problems: list[str] = []
    for name, vendor in vendors.items():
        answers = {op.operation_id: op.response_for(200) for op in vendor.spec.operations}
        for key, tenant in engine.store.tenants(name).items():
            where = f"vendors/{name}/tenants/{masked(key)}"
            try:
                for operation_id, body in vendor.probe(tenant):
                    spec = answers[operation_id]
                    found = errors_of(spec.validator, body) if spec is not None and spec.validator is not None else []
                    if found:
                        problems.append(f"{where}: a record would not answer {operation_id} as specified: {found[0]}")
                        break
            except Exception as exc:  # noqa: BLE001 - any failure means a record the vendor cannot serve
                problems.append(f"{where}: a record cannot be served ({type(exc).__name__}: {exc})")
            if len(problems) >= 10:
                return problems
    return problems


def replace_state(engine: Engine, raw: Any, vendors: Mapping[str, Vendor]) -> None:
    """Load `raw` as the whole state, or raise AdminError and leave the current state as it was."""
    problems = problems_of(raw, vendors, engine.scheduler.kinds())
    if problems:
        raise AdminError("not a state document: " + "; ".join(problems))
    previous = engine.export()
    try:
        engine.load(copy.deepcopy(raw))
    except (ValueError, KeyError, TypeError) as exc:
        engine.load(previous)
        raise AdminError(f"state not loaded: {exc}") from None
    problems = unservable(engine, vendors)
    if problems:
        engine.load(previous)
        raise AdminError("state not loaded: " + "; ".join(problems))
