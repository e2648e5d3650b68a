"""Finds the data folders (`specs/`, `fixtures/`) whether we run from a checkout or an installed wheel.

In a checkout (editable install or not) they sit at the top of the repository; a wheel ships them
inside the package as `mockserver/specs` and `mockserver/fixtures` (see pyproject's package-dir).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mockserver data folder {name!r} not found next to {_PACKAGE}")


def specs_dir() -> Path:
    return _folder("specs")


def fixtures_dir() -> Path:
    return _folder("fixtures")
