"""Portable's spec catalogues, read once at start-up: destination specs
(fixtures/portable/destination-specs.yaml) and source specs (fixtures/portable/source-specs.yaml).

Both kinds share one shape (the seed's DestinationSpec); a source spec adds its authentication type
and, for flow runs only, the names of the resources (tables) a run extracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from mockserver import jsonio
from mockserver.spec.documents import load_yaml_documents

PROPERTY_TYPES = ("STRING", "PASSWORD", "TEXT", "NUMBER", "BOOLEAN", "DATE", "DATETIME", "TIME")
LIFECYCLES = ("ALPHA", "BETA", "STABLE", "DEPRECATED")
AUTHENTICATION_TYPES = ("NONE", "BASIC", "TOKEN", "AUTH_CODE", "CLIENT_CREDENTIALS", "FETCH_CREDENTIALS", "OIDC")


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
class Spec:
    name: str
    display_name: str
    website: str
    tag_line: str
    lifecycle: str
    instructions: str
    properties: tuple[PropertyDefinition, ...]
    kind: str = "destination"  # "destination" or "source": how messages name the spec
    authentication_type: str | None = None  # source specs only
    resources: tuple[str, ...] = ()  # source specs only; not served, named by flow run attempts

    def definition(self, name: str) -> PropertyDefinition | None:
        return self.definitions.get(name)

    # Specs never change while serving, so what every create, update and answer reads is built once.
    @cached_property
    def definitions(self) -> dict[str, PropertyDefinition]:
        """By name; the first of a name wins, as a scan in order finds it."""
        out: dict[str, PropertyDefinition] = {}
        for prop in self.properties:
            out.setdefault(prop.name, prop)
        return out

    @cached_property
    def types(self) -> dict[str, str]:
        """Property name -> its type (as `definitions`): what every create and update asks of each value."""
        return {name: prop.type for name, prop in self.definitions.items()}

    @cached_property
    def required_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.required)

    @cached_property
    def required_set(self) -> frozenset[str]:
        return frozenset(self.required_names)

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
        summary = {
            "name": self.name,
            "displayName": self.display_name,
            "website": self.website,
            "tagLine": self.tag_line,
            "lifecycle": self.lifecycle,
        }
        if self.authentication_type is not None:
            summary["authenticationType"] = self.authentication_type
        return summary

    @cached_property
    def wire(self) -> Any:
        """The full spec encoded once (jsonio.preencoded), for answers only: every destination of a
        spec embeds the same bytes, most of its answer."""
        return jsonio.preencoded(self._full)

    @cached_property
    def _full(self) -> dict[str, Any]:
        return {
            **self._summary,
            "instructions": self.instructions,
            "propertyDefinitions": [p.to_json() for p in self.properties],
        }


DestinationSpec = Spec  # the seed's name for the shape both kinds share


class Catalogue:
    def __init__(self, specs: list[Spec]) -> None:
        self._specs = {s.name: s for s in specs}
        self.ordered = tuple(specs)

    def get(self, name: str) -> Spec | None:
        return self._specs.get(name)

    @property
    def secret_names(self) -> frozenset[str]:
        """PASSWORD property names across all specs, for masking bodies whose spec is not known."""
        return frozenset().union(*(s.secret_names for s in self.ordered))

    @classmethod
    def load(cls, path: Path, kind: str = "destination") -> "Catalogue":
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
            auth = entry.get("authenticationType")
            if (auth is None) != (kind == "destination") or (auth is not None and auth not in AUTHENTICATION_TYPES):
                raise ValueError(f"{path}: {entry['name']} has authentication type {auth!r}")
            specs.append(
                Spec(
                    name=entry["name"],
                    display_name=entry["displayName"],
                    website=entry["website"],
                    tag_line=entry["tagLine"],
                    lifecycle=entry["lifecycle"],
                    instructions=entry["instructions"].rstrip("\n"),
                    properties=props,
                    kind=kind,
                    authentication_type=auth,
                    resources=tuple(entry.get("resources") or ()),
                )
            )
        return cls(specs)
