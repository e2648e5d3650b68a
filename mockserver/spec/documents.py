"""Reading spec files and inlining their `$ref`s.

Specs are split over several YAML files that point at each other. Validators run faster and stay
simpler on self-contained schemas, so every `$ref` is replaced by what it points to once, at load.
Our specs have no recursive schemas; a cycle is reported rather than looped on.
"""

from __future__ import annotations

import copy
import os
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from mockserver.spec import cache


class SpecError(Exception):
    """A spec file is malformed; raised at start-up, never while serving."""


def _loader() -> Any:
    """PyYAML's C loader when libyaml is there (start-up time), else its Python one; importing yaml
    waits for the first file not found in the cache."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def expected_loader() -> str:
    """The name `_loader()` would give, without importing yaml: whether PyYAML's C extension is
    installed beside it. A file parsed by the other loader is not stored (see load_yaml_documents)."""
    spec = find_spec("yaml")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            if any(name.startswith("_yaml.") for name in os.listdir(folder)):
                return "CSafeLoader"
        except OSError:
            pass
    return "SafeLoader"


def load_yaml_documents(path: Path) -> list[Any]:
    """The file's YAML documents; parsed once per content (spec/cache.py), then read back from the cache."""
    raw = path.read_bytes()
    name = cache.key("yaml", cache.library_version("pyyaml", "yaml"), expected_loader(), raw)
    found = cache.load("yaml", name)
    if isinstance(found, list):
        return found
    import yaml

    loader = _loader()
    docs = [doc for doc in yaml.load_all(raw.decode("utf-8"), Loader=loader) if doc is not None]
    if loader.__name__ == expected_loader():  # the key said which loader parsed it: only then is it true
        cache.save("yaml", name, docs)
    return docs


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


class RefResolver:
    """Resolves `#/a/b`, `file.yaml` and `file.yaml#/a/b` references relative to a spec folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, Any] = {}
        self.outside = False  # whether a $ref reached a file outside the folder (spec/loader.py's cache)

    def _document(self, name: str) -> Any:
        if name not in self._files:
            path = self.folder / name
            if not path.resolve().is_relative_to(self.folder.resolve()):
                self.outside = True
            docs = load_yaml_documents(path)
            if len(docs) != 1:
                raise SpecError(f"{name}: a referenced file must hold exactly one YAML document")
            self._files[name] = docs[0]
        return self._files[name]

    def resolve(self, node: Any, current: Any, stack: tuple[str, ...] = ()) -> Any:
        """A deep copy of `node` with every $ref inlined; `current` is the document local refs point into."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref in stack:
                    raise SpecError(f"recursive $ref {ref}")
                target, target_doc = self._lookup(ref, current)
                merged = self.resolve(target, target_doc, stack + (ref,))
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                if siblings and isinstance(merged, dict):
                    merged = {**merged, **self.resolve(siblings, current, stack)}
                return merged
            return {k: self.resolve(v, current, stack) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, current, stack) for v in node]
        if type(node) in _IMMUTABLE:  # most leaves: copying them would return them anyway
            return node
        return copy.copy(node)

    def _lookup(self, ref: str, current: Any) -> tuple[Any, Any]:
        file_part, _, pointer = ref.partition("#")
        doc = self._document(file_part) if file_part else current
        target = doc
        for raw in [p for p in pointer.split("/") if p]:
            key = raw.replace("~1", "/").replace("~0", "~")
            try:
                target = target[int(key)] if isinstance(target, list) else target[key]
            except (KeyError, IndexError, ValueError, TypeError) as exc:
                raise SpecError(f"unresolvable $ref {ref}") from exc
        return target, doc
