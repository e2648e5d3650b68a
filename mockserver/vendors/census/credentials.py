"""How Census treats the `credentials` of a service connection: checked against the connector's
configuration fields, merged on edit, and shown back only as non-secret `connection_details`.

Rules (documented in the README's Census notes):
- a value must fit its field: `string` fields take strings (`keyvaluepairs` fields take an object of
  header name -> string or `{"value", "is_secret"}`), `integer` fields integers or digit strings,
  `boolean` fields booleans or "true"/"false"; a `possible_values` list and a `matches` regex bind too;
- a blank value (`""` or null) is no value; on an edit, a blank `required:notForEditing` field keeps
  what is stored (the password box left empty), any other blank field is cleared;
- keys the connector does not declare are kept but never shown;
- wrong values are reported before missing ones, each kind in one message naming every field.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from mockserver.engine.errors import Invalid
from mockserver.vendors.base import MASK
from mockserver.vendors.census.catalogue import ConfigField, Connector

KEY_VALUE_PAIRS = "keyvaluepairs"


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _fit(field: ConfigField, value: Any) -> tuple[Any, str | None]:
    """The value as stored, or a reason it does not fit the field."""
    if field.input_type == KEY_VALUE_PAIRS:
        if not isinstance(value, dict) or not all(_header_ok(v) for v in value.values()):
            return value, "must be an object of header names to values"
        return value, None
    if field.type == "integer":
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            return value, "must be an integer"
    elif field.type == "boolean":
        if value in ("true", "false"):
            value = value == "true"
        if not isinstance(value, bool):
            return value, "must be a boolean"
    elif not isinstance(value, str):
        return value, "must be a string"
    if field.possible_values is not None and str(value) not in field.possible_values:
        return value, "must be one of " + ", ".join(field.possible_values)
    if field.pattern is not None and not field.pattern.search(str(value)):
        return value, "is not in the expected format"
    return value, None


def _header_ok(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, dict) and isinstance(value.get("value"), str) and isinstance(value.get("is_secret", False), bool)


def merge(connector: Connector, stored: dict[str, Any], given: dict[str, Any], *, editing: bool) -> dict[str, Any]:
    """The credentials after applying `given` over `stored`; Invalid (nothing changed) when they do not fit."""
    merged = dict(stored)
    problems: list[str] = []
    for key, value in given.items():
        field = connector.field(key)
        if _blank(value):
            if not (editing and field is not None and field.blank_keeps_value):
                merged.pop(key, None)
            continue
        if field is None:
            merged[key] = value
            continue
        value, problem = _fit(field, value)
        if problem:
            problems.append(f"{field.id} {problem}")
        merged[key] = value
    if problems:
        raise Invalid(f"Invalid credentials for {connector.service_name}: " + "; ".join(problems), code="credentials")
    missing = [f.id for f in connector.fields if f.required(editing) and _blank(merged.get(f.id))]
    if missing:
        raise Invalid(f"Missing required credentials for {connector.service_name}: " + ", ".join(missing), code="credentials")
    return merged


def as_end_user_would(connector: Connector, secret: Callable[[], str], *, secrets_only: bool = False) -> dict[str, Any]:
    """Credentials for every field a new connection requires, as an end user completing a connect
    link would give them: the field's first allowed value, else its placeholder (the form's own
    example, which fits its pattern), else `secret()` for a password field, else a plain
    `<field id>-value`. `merge` then checks and types them like any API-given credentials.
    `secrets_only`: what a user reauthorizing a connection enters again (its password fields)."""
    given: dict[str, Any] = {}
    for field in connector.fields:
        if not field.required(editing=False) or (secrets_only and not field.secret):
            continue
        if field.input_type == KEY_VALUE_PAIRS:
            given[field.id] = {}
        elif field.possible_values:
            given[field.id] = field.possible_values[0]
        elif field.placeholder and not field.secret:
            given[field.id] = field.placeholder
        elif field.type == "boolean":
            given[field.id] = False
        elif field.type == "integer":
            given[field.id] = 1
        else:
            given[field.id] = secret() if field.secret else f"{field.id}-value"
    return given


def masked_headers(headers: Any) -> Any:
    """Custom headers with every secret header's value replaced by the mask (anything else unreadable: masked)."""
    if not isinstance(headers, dict):
        return MASK if headers not in (None, "") else headers
    return {
        name: ({**value, "value": MASK} if isinstance(value, dict) and value.get("is_secret") else value)
        for name, value in headers.items()
    }


def connection_details(connector: Connector, credentials: dict[str, Any], system: dict[str, Any]) -> dict[str, Any]:
    """What Census shows of a connection: declared non-password fields, then what the system filled in."""
    details: dict[str, Any] = {}
    for field in connector.fields:
        if field.secret or field.id not in credentials:
            continue
        value = credentials[field.id]
        details[field.id] = masked_headers(value) if field.input_type == KEY_VALUE_PAIRS else value
    details.update(system)
    return details


def system_details(connector: Connector, credentials: dict[str, Any], token: str) -> dict[str, Any]:
    """Values Census fills in itself (e.g. the service account a Google Sheet is shared with).

    Each `x-mock-system-details` entry may read a key out of a JSON credential (`from_json`/`key`),
    else falls back to its `default` template, whose `{hex}` is a per-destination random token.
    """
    out: dict[str, Any] = {}
    for name, rule in connector.system_details.items():
        value = None
        source = credentials.get(rule.get("from_json", ""))
        if isinstance(source, str):
            try:
                parsed = json.loads(source)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict) and isinstance(parsed.get(rule["key"]), str):
                value = parsed[rule["key"]]
        out[name] = value if value is not None else rule["default"].format(hex=token)
    return out
