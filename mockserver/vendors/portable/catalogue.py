"""Portable's destination specs (fixtures/portable/destination-specs.yaml), read once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from mockserver.spec.documents import load_yaml_documents

PROPERTY_TYPES = ("STRING", "PASSWORD", "TEXT", "NUMBER", "BOOLEAN", "DATE", "DATETIME", "TIME")
LIFECYCLES = ("ALPHA", "BETA", "STABLE", "DEPRECATED")


@dataclass(frozen=True)
class PropertyDefinition:
    name: str
    display_name: str
    type: str
    required: bool
    description: str

    @property
    def secret(self) -> bool:
        return self.type == "PASSWORD"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "displayName": self.display_name,
            "type": self.type,
            "required": self.required,
            "description": self.description,
        }


@dataclass(frozen=True)
class DestinationSpec:
    name: str
    display_name: str
    website: str
    tag_line: str
    lifecycle: str
    instructions: str
    properties: tuple[PropertyDefinition, ...]

    def definition(self, name: str) -> PropertyDefinition | None:
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    # Specs never change while serving, so their answers are built once (they are in every answer).
    @cached_property
    def secret_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.properties if p.secret)

    def summary(self) -> dict[str, Any]:
        """The list endpoint's shape: the seed's DestinationSpecSummary."""
        return self._summary

    def to_json(self) -> dict[str, Any]:
        """The full DestinationSpec: the summary plus instructions and property definitions."""
        return self._full

    @cached_property
    def _summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "displayName": self.display_name,
            "website": self.website,
            "tagLine": self.tag_line,
            "lifecycle": self.lifecycle,
        }

    @cached_property
    def _full(self) -> dict[str, Any]:
        return {
            **self._summary,
            "instructions": self.instructions,
            "propertyDefinitions": [p.to_json() for p in self.properties],
        }


class Catalogue:
    def __init__(self, specs: list[DestinationSpec]) -> None:
        self._specs = {s.name: s for s in specs}
        self.ordered = tuple(specs)

    def get(self, name: str) -> DestinationSpec | None:
        return self._specs.get(name)

    @property
    def secret_names(self) -> frozenset[str]:
        """PASSWORD property names across all specs, for masking bodies whose spec is not known."""
        return frozenset().union(*(s.secret_names for s in self.ordered))

    @classmethod
    def load(cls, path: Path) -> "Catalogue":
        (raw,) = load_yaml_documents(path)
        specs = []
        for entry in raw["specs"]:
            props = tuple(
                PropertyDefinition(p["name"], p["displayName"], p["type"], bool(p["required"]), p["description"])
                for p in entry["propertyDefinitions"]
            )
            for prop in props:
                if prop.type not in PROPERTY_TYPES:
                    raise ValueError(f"{path}: {entry['name']}.{prop.name} has unknown type {prop.type}")
            if entry["lifecycle"] not in LIFECYCLES:
                raise ValueError(f"{path}: {entry['name']} has unknown lifecycle {entry['lifecycle']}")
            specs.append(
                DestinationSpec(
                    name=entry["name"],
                    display_name=entry["displayName"],
                    website=entry["website"],
                    tag_line=entry["tagLine"],
                    lifecycle=entry["lifecycle"],
                    instructions=entry["instructions"].rstrip("\n"),
                    properties=props,
                )
            )
        return cls(specs)
