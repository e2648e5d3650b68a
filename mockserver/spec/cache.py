"""A start-up cache for work whose result depends only on its input's bytes: parsed YAML files,
passed metaschema checks and whole loaded vendor specs.

Cold start was mostly this work, redone on every start for specs that had not changed: parsing the
spec YAML (the C loader is still slow on a few hundred kilobytes) and checking every schema against
the JSON Schema metaschema. Both are pure functions of their input (and of the parser's or
jsonschema's version, which is part of every key), so a result found under the hash of the same
input is the result the work would produce again: nothing can go stale, and an edited spec is
simply a new key. A loaded spec is also the work of our own code, so its key holds the source of
the spec package too (`code_fingerprint`).

The cache lives in `$MOCKSERVER_CACHE_DIR`, else `$XDG_CACHE_HOME/mockserver`, else
`~/.cache/mockserver`; `MOCKSERVER_CACHE_DIR=off` turns it off. A folder that cannot be read or
written only costs the time the cache would have saved: nothing here ever fails a start.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

ENV = "MOCKSERVER_CACHE_DIR"
OFF = frozenset({"", "0", "off", "false", "no"})
FORMAT = "1"  # bump when what is stored under a key changes shape
MAX_ENTRIES = 128  # per kind; a start uses about 20 (YAML files) and every edited spec adds keys


@lru_cache(maxsize=None)
def library_version(distribution: str, module: str | None = None) -> str:
    """The installed version of a library, for keys, found without importing it (a key is made
    before we know whether the library is needed): from the `<name>-<version>.dist-info` folder
    beside the package Python would import, else from importlib.metadata (slower to import)."""
    from importlib.util import find_spec

    spec = find_spec(module or distribution)
    if spec is not None and spec.origin and spec.submodule_search_locations is not None:
        prefix = distribution.replace("-", "_").lower() + "-"
        try:
            found = [entry.name[len(prefix):-len(".dist-info")] for entry in os.scandir(Path(spec.origin).parent.parent)
                     if entry.name.lower().startswith(prefix) and entry.name.endswith(".dist-info")]
        except OSError:
            found = []
        if len(found) == 1:
            return found[0]
    from importlib.metadata import version

    return version(distribution)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the spec package's own source files: a loaded spec is what this code makes of the
    files, so a changed loader is a new key (``""`` when the source cannot be read: no caching)."""
    digest = hashlib.sha256()
    try:
        for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()


@lru_cache(maxsize=1)
def folder() -> Path | None:
    configured = os.environ.get(ENV)
    if configured is not None:
        return None if configured.strip().lower() in OFF else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mockserver"


def key(*parts: bytes | str) -> str:
    """A cache key: the hash of everything the result depends on."""
    digest = hashlib.sha256(FORMAT.encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
    return digest.hexdigest()


def load(kind: str, name: str) -> Any | None:
    """What was stored under `name` (a key), or None. Only our own files, written by `save`."""
    where = folder()
    if where is None:
        return None
    try:
        with open(where / kind / f"{name}.pickle", "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, from another Python: recompute
        return None


def save(kind: str, name: str, value: Any) -> None:
    """Store `value` under `name`, atomically (a reader sees the whole file or none); errors are ignored."""
    where = folder()
    if where is None:
        return
    target = where / kind
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, target / f"{name}.pickle")
        except BaseException:
            os.unlink(temp)
            raise
        _prune(target)
    except Exception:
        pass


def _prune(target: Path) -> None:
    """Keep the folder bounded: past MAX_ENTRIES, the least recently written entries go (a start
    that needs one again recomputes and stores it)."""
    entries = list(target.glob("*.pickle"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        old.unlink(missing_ok=True)
