"""The wheel holds every module and data file of the checkout: a package left out of it would pass
an editable install's tests and fail every user's install."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ("specs", "fixtures")


def tracked_files() -> set[str]:
    """What the wheel must hold, as paths inside it: the package's tracked files and the data folders."""
    listed = subprocess.run(["git", "ls-files", "mockserver", *DATA], cwd=ROOT, capture_output=True, text=True, check=True)
    wanted = set()
    for path in listed.stdout.split():
        if not (ROOT / path).is_file():
            continue  # deleted in the working tree, not yet committed
        wanted.add(path if path.startswith("mockserver/") else f"mockserver/{path}")
    return wanted


def installed_files() -> set[str] | None:
    """The files of the installed wheel the tests import, or None when they import the checkout
    itself (an editable install, or the repository first on sys.path): then there is none to list."""
    import mockserver

    if Path(mockserver.__file__).resolve().is_relative_to(ROOT):
        return None
    dist = metadata.distribution("mockserver")
    direct = dist.read_text("direct_url.json")
    if direct and json.loads(direct).get("dir_info", {}).get("editable"):
        return None
    return {str(f) for f in dist.files or [] if str(f).startswith("mockserver/")}


def built_wheel_files(tmp_path: Path) -> set[str]:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("mockserver-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if name.startswith("mockserver/")}


def test_the_installed_or_built_wheel_has_every_module_and_data_file(tmp_path):
    shipped = installed_files()
    if shipped is None:  # an editable install: build the wheel a user would get and look inside
        shipped = built_wheel_files(tmp_path)
    missing = sorted(tracked_files() - shipped)
    assert not missing, f"left out of the wheel: {missing[:20]}"
