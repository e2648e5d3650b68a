"""Finds the data folders (`specs/`, `fixtures/`) whether we run from a checkout or an installed wheel."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(package: str, checkout_name: str) -> Path:
    local = _CHECKOUT / checkout_name
    if local.is_dir():
        return local
    return Path(str(importlib.resources.files(package)))


def specs_dir() -> Path:
    return _folder("mockserver.specs", "specs")


def fixtures_dir() -> Path:
    return _folder("mockserver.fixtures", "fixtures")
