"""Census's connection types and their catalogues, from fixtures/census/: destination types
("connectors") with their objects, and source types with their tables.

`connectors.json` holds each destination type as GET /connectors serves it, plus `x-mock-*` keys of
our own (never served); `objects/<service_name>.json` holds the objects every destination of that
type has. `source-types.json` and `tables/<service_name>.json` are the same for sources: both kinds
share one shape (configuration fields, creatable flags), so one class reads both.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from mockserver import jsonio

REQUIRED = "required"
REQUIRED_ON_CREATE = "required:notForEditing"  # required when creating, may be left blank when editing


@dataclass(frozen=True)
class ConfigField:
    """One credential a connector asks for (an entry of `configuration_fields.fields`)."""

    id: str
    label: str
    type: str
    rules: tuple[str, ...]
    secret: bool
    input_type: str
    possible_values: tuple[str, ...] | None
    pattern: re.Pattern[str] | None
    placeholder: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "ConfigField":
        rules = raw.get("rules") or ()
        return cls(
            id=raw["id"],
            label=raw["label"],
            type=raw.get("type", "string"),
            rules=(rules,) if isinstance(rules, str) else tuple(rules),
            secret=bool(raw.get("is_password_type_field")),
            input_type=raw.get("input_type", "textbox"),
            possible_values=tuple(raw["possible_values"]) if raw.get("possible_values") else None,
            pattern=re.compile(raw["matches"]) if raw.get("matches") else None,
            placeholder=raw.get("placeholder") if isinstance(raw.get("placeholder"), str) else None,
        )

    def required(self, editing: bool) -> bool:
        return REQUIRED in self.rules or (not editing and REQUIRED_ON_CREATE in self.rules)

    @property
    def blank_keeps_value(self) -> bool:
        """A `notForEditing` field sent blank on an edit means "keep what is stored" (the UI's password box)."""
        return REQUIRED_ON_CREATE in self.rules


@dataclass(frozen=True)
class Connector:
    service_name: str
    label: str
    creatable_via_api: bool
    creatable_via_connect_link: bool
    fields: tuple[ConfigField, ...]
    objects: tuple[dict[str, Any], ...]
    system_details: dict[str, dict[str, str]]
    served: dict[str, Any]
    name_from: str | None = None  # sources: the credential Census shows in a source's generated name

    @cached_property
    def answer(self) -> dict[str, Any]:
        """As the fixture has it, built once; each field's `placeholder` is also sent as `placholder`,
        the key the vendor's spec and docs spell (clients generated from that spec read the misspelt one)."""
        fields = [
            {**field, "placholder": field["placeholder"]} if "placeholder" in field else dict(field)
            for field in self.served["configuration_fields"]["fields"]
        ]
        return {**self.served, "configuration_fields": {"fields": fields}}

    @cached_property
    def objects_wire(self) -> Any:
        """The `objects` every destination of this type embeds, encoded once (jsonio.preencoded): they are
        the same bytes in every answer, and most of a destination's answer (a page of 100 is 765 KB)."""
        return jsonio.preencoded(list(self.objects))

    def field(self, field_id: str) -> ConfigField | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def object(self, full_name: str) -> dict[str, Any] | None:
        return next((o for o in self.objects if o["full_name"] == full_name), None)

    @property
    def secret_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields if f.secret)


class Catalogue:
    def __init__(self, connectors: list[Connector]) -> None:
        self.ordered = tuple(connectors)
        self._by_name = {c.service_name: c for c in connectors}

    def get(self, service_name: str) -> Connector | None:
        return self._by_name.get(service_name)

    @property
    def secret_ids(self) -> frozenset[str]:
        return frozenset(i for c in self.ordered for i in c.secret_ids)

    @classmethod
    def load(cls, folder: Path, index: str = "connectors", objects_dir: str = "objects") -> "Catalogue":
        """`<index>.json` (a list under the key `index`, `-` read as `_`), each type's `<objects_dir>/<name>.json`."""
        key = index.replace("-", "_")
        raw = json.loads((folder / f"{index}.json").read_text(encoding="utf-8"))
        connectors = []
        for entry in raw[key]:
            name = entry["service_name"]
            objects = json.loads((folder / objects_dir / f"{name}.json").read_text(encoding="utf-8"))[objects_dir]
            connectors.append(
                Connector(
                    service_name=name,
                    label=entry["label"],
                    creatable_via_api=bool(entry["creatable_via_api"]),
                    creatable_via_connect_link=bool(entry["creatable_via_connect_link"]),
                    fields=tuple(ConfigField.from_json(f) for f in entry["configuration_fields"]["fields"]),
                    objects=tuple(objects),
                    system_details=entry.get("x-mock-system-details", {}),
                    served={k: v for k, v in entry.items() if not k.startswith("x-mock-")},
                    name_from=entry.get("x-mock-name-from"),
                )
            )
        return cls(connectors)
