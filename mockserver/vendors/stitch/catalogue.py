"""Stitch's destination types (fixtures/stitch/destination-types.json) and their report cards."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from mockserver.spec.validation import Validator, compile_schema

# Property types a caller may set. `read_only` and `system_provided_by_default` ones the system fills.
USER_SETTABLE = ("user_provided", "user_provided_immutable", "user_provided_advanced")
MAX_CARDS = 256  # report cards kept per destination type


@dataclass(frozen=True)
class FormProperty:
    name: str
    is_required: bool
    is_credential: bool
    system_provided: bool
    property_type: str
    json_schema: dict[str, Any] | None
    validator: Validator | None

    def card_entry(self, provided: bool) -> dict[str, Any]:
        return {
            "name": self.name,
            "is_required": self.is_required,
            "is_credential": self.is_credential,
            "system_provided": self.system_provided,
            "property_type": self.property_type,
            "json_schema": self.json_schema,
            "provided": provided,
        }


# What destination types and source types both answer about their forms, written once.
def accessible(details: dict[str, Any]) -> bool:
    return bool(details.get("access"))


class FormIndex:
    """A type's form properties by name, built once per type: every answer about a record looks up
    each of its stored properties, so a scan of the form per lookup added up."""

    __slots__ = ("_by_name", "names", "credential_names")

    def __init__(self, properties: tuple[FormProperty, ...]) -> None:
        self._by_name: dict[str, FormProperty] = {}
        for prop in properties:
            self._by_name.setdefault(prop.name, prop)  # the first of a name wins, as a scan in order finds it
        self.names = frozenset(self._by_name)
        self.credential_names = frozenset(p.name for p in properties if p.is_credential)

    def get(self, name: str) -> FormProperty | None:
        return self._by_name.get(name)


class SharedCards:
    """Report cards a type's records share, by what they depend on. Every answer about a record
    carries one and records of a type share a few, so each is built once: read-only to callers."""

    def __init__(self) -> None:
        self._cards: dict[Any, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self._cards)

    def get(self, key: Any) -> dict[str, Any] | None:
        return self._cards.get(key)

    def keep(self, key: Any, card: dict[str, Any]) -> dict[str, Any]:
        if len(self._cards) >= MAX_CARDS:  # property combinations are the caller's choice: stay bounded
            self._cards.clear()
        self._cards[key] = card
        return card


class FormLookups:
    """What destination and source types both answer about their forms, from their `form_index`."""

    @property
    def form_index(self) -> FormIndex:
        raise NotImplementedError  # each type builds its own, once

    def form_property(self, name: str) -> FormProperty | None:
        return self.form_index.get(name)

    @property
    def credential_names(self) -> frozenset[str]:
        return self.form_index.credential_names


class FormType(Protocol):
    """What property checks and serializers need of a type: destination and source types both are."""

    @property
    def form_index(self) -> FormIndex: ...

    def form_property(self, name: str) -> FormProperty | None: ...


@dataclass(frozen=True)
class DestinationType(FormLookups):
    type: str
    display_name: str
    default_port: int | None
    details: dict[str, Any]
    properties: tuple[FormProperty, ...]

    @property
    def accessible(self) -> bool:
        return accessible(self.details)

    @cached_property
    def form_index(self) -> FormIndex:
        return FormIndex(self.properties)

    @cached_property
    def _cards(self) -> SharedCards:
        return SharedCards()

    def report_card(self, provided: set[str], configured: bool, *, with_details: bool = False) -> dict[str, Any]:
        """The card for a record with these properties (shared: see SharedCards)."""
        if with_details:
            return self._report_card(provided, configured, with_details=True)
        key = (self.form_index.names.intersection(provided), configured)
        return self._cards.get(key) or self._cards.keep(key, self._report_card(provided, configured))

    def _report_card(self, provided: set[str], configured: bool, *, with_details: bool = False) -> dict[str, Any]:
        card: dict[str, Any] = {
            "type": self.type,
            "current_step": 2 if configured else 1,
            "current_step_type": "fully_configured" if configured else "form",
            "steps": [
                {"type": "form", "properties": [p.card_entry(p.name in provided) for p in self.properties]},
                {"type": "fully_configured", "properties": []},
            ],
        }
        if with_details:
            card["details"] = dict(self.details)
        return card


class Named(Protocol):
    @property
    def type(self) -> str: ...


T = TypeVar("T", bound=Named)


class TypeIndex(Generic[T]):
    """Types by their API name, and in catalogue order (destination and source types alike)."""

    def __init__(self, types: list[T]) -> None:
        self._types = {t.type: t for t in types}
        self.ordered = tuple(types)

    def get(self, name: str) -> T | None:
        return self._types.get(name)


class Catalogue(TypeIndex[DestinationType]):

    @classmethod
    def load(cls, path: Path) -> "Catalogue":
        raw = json.loads(path.read_text(encoding="utf-8"))
        types = []
        for entry in raw["types"]:
            props = tuple(
                FormProperty(
                    name=p["name"],
                    is_required=p["is_required"],
                    is_credential=p["is_credential"],
                    system_provided=p["system_provided"],
                    property_type=p["property_type"],
                    json_schema=p["json_schema"],
                    validator=compile_schema(p["json_schema"]) if p["json_schema"] is not None else None,
                )
                for p in entry["properties"]
            )
            types.append(DestinationType(entry["type"], entry["display_name"], entry.get("default_port"), entry["details"], props))
        return cls(types)
