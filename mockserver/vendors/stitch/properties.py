"""How Stitch treats destination property values.

Callers send values as strings or as JSON booleans and numbers (Stitch's own examples do both), and
Stitch answers with strings. A value is checked against its property's `json_schema` in whichever
form that schema expects: `"false"` satisfies `{"type": "boolean"}`, and `5439` satisfies a digits
pattern once it reads `"5439"`. Properties a type does not declare are kept as given (Stitch's own v3
example sends `ssl` to Redshift, which has no such property).
"""

from __future__ import annotations

from typing import Any

from mockserver.spec.validation import errors_of
from mockserver.vendors.stitch.catalogue import USER_SETTABLE, DestinationType, FormType


def as_stored(value: Any) -> Any:
    """The stored (and answered) form: scalars become strings, objects stay objects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return value


def _candidates(stored: Any, schema: dict[str, Any]) -> list[Any]:
    """The forms a stored value may be checked in against a schema."""
    forms = [stored]
    if isinstance(stored, str):
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "boolean" in kinds and stored in ("true", "false"):
            forms.append(stored == "true")
        if "integer" in kinds or "number" in kinds:
            try:
                forms.append(int(stored))
            except ValueError:
                try:
                    forms.append(float(stored))
                except ValueError:
                    pass
    return forms


def bad_properties(dtype: FormType, given: dict[str, Any]) -> list[str]:
    """Names of given properties whose value does not fit, in the order given."""
    bad = []
    for name, value in given.items():
        prop = dtype.form_property(name)
        if value is None or (isinstance(value, str) and value == "" and prop is not None and prop.is_required):
            bad.append(name)
            continue
        if prop is None:
            if not isinstance(value, (str, int, float, bool)):
                bad.append(name)
            continue
        if prop.property_type not in USER_SETTABLE and prop.property_type != "system_provided_by_default":
            bad.append(name)  # read-only: the system sets it
            continue
        if prop.validator is None:
            continue
        stored = as_stored(value)
        if all(errors_of(prop.validator, form) for form in _candidates(stored, prop.json_schema or {})):
            bad.append(name)
    return bad


def missing_required(dtype: DestinationType, values: dict[str, Any]) -> list[str]:
    return [p.name for p in dtype.properties if p.is_required and p.property_type in USER_SETTABLE and p.name not in values]
