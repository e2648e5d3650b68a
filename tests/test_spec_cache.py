"""The start-up cache (spec/cache.py) may only ever give what loading the files would give now.

A loaded vendor spec is kept under the hash of every file in its folder, the spec package's source
and the library versions: these tests load each vendor with the cache off and from a filled cache
and compare, change a file and expect the change, and check what must never be stored.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from jsonschema.exceptions import SchemaError

from mockserver.resources import specs_dir
from mockserver.spec import VendorSpec, cache, load_vendor_spec
from mockserver.spec.documents import SpecError
from mockserver.spec.validation import errors_of

VENDORS = ("stitch", "portable", "census")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    cache.folder.cache_clear()
    yield folder
    cache.folder.cache_clear()


def cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    cache.folder.cache_clear()


def projection(spec: VendorSpec) -> Any:
    """Everything a spec says, as plain data (validators compare by identity, so by their schema)."""
    return (
        spec.vendor, spec.prefixes, spec.info, spec.document,
        {s: (r.schema, r.example) for s, r in spec.undeclared_method.items()},
        [(op.operation_id, op.method, op.path, op.body_schema, op.body_required, op.extensions,
          op.body_validator.schema if op.body_validator else None,
          [(p.name, p.location, p.required, p.schema, p.validator.schema) for p in op.parameters],
          {s: (r.schema, r.example) for s, r in op.responses.items()})
         for op in spec.operations],
    )


def stored(folder: Path) -> list[Path]:
    return sorted((folder / "spec").glob("*.pickle")) if (folder / "spec").exists() else []


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_spec_read_back_from_the_cache_is_the_spec_the_files_give(vendor, cache_dir, monkeypatch):
    first = load_vendor_spec(vendor, specs_dir() / vendor)
    assert len(stored(cache_dir)) == 1
    again = load_vendor_spec(vendor, specs_dir() / vendor)
    assert again is not first  # read back, not the same object
    cache_off(monkeypatch)
    fresh = load_vendor_spec(vendor, specs_dir() / vendor)
    assert projection(again) == projection(first) == projection(fresh)


def test_validators_read_back_from_the_cache_still_validate(cache_dir):
    load_vendor_spec("stitch", specs_dir() / "stitch")
    spec = load_vendor_spec("stitch", specs_dir() / "stitch")
    op = next(op for op in spec.operations if op.body_validator is not None)
    assert errors_of(op.body_validator, "not an object")
    param = next(p for op in spec.operations for p in op.parameters if p.schema.get("type") == "string")
    assert errors_of(param.validator, 7) and not errors_of(param.validator, "7")


def test_a_changed_file_is_a_new_key(cache_dir, tmp_path):
    folder = tmp_path / "portable"
    shutil.copytree(specs_dir() / "portable", folder)
    before = load_vendor_spec("portable", folder)
    text = (folder / "openapi.yaml").read_text(encoding="utf-8")
    (folder / "openapi.yaml").write_text(text.replace(f"title: {before.info['title']}", "title: Changed", 1), encoding="utf-8")
    after = load_vendor_spec("portable", folder)
    assert after.info["title"] == "Changed"
    assert len(stored(cache_dir)) == 2


def test_a_new_file_in_the_folder_is_a_new_key(cache_dir, tmp_path):
    folder = tmp_path / "stitch"
    shutil.copytree(specs_dir() / "stitch", folder)
    load_vendor_spec("stitch", folder)
    (folder / "notes.txt").write_text("anything", encoding="utf-8")
    load_vendor_spec("stitch", folder)
    assert len(stored(cache_dir)) == 2


def one_operation(folder: Path, method: str, schema: str, *, request: bool) -> Path:
    """A spec folder with one operation whose request body (or 200 answer) has `schema` (YAML)."""
    folder.mkdir()
    media = f"content: {{application/json: {{schema: {schema}}}}}"
    body = f"      requestBody: {{{media}}}\n" if request else ""
    answer = f"{{description: ok, {media}}}" if not request else "{description: ok}"
    (folder / "openapi.yaml").write_text(
        f"openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /v1/x:\n    {method}:\n      operationId: x\n"
        f"{body}      responses: {{'200': {answer}}}\n", encoding="utf-8")
    return folder


def test_a_spec_that_fails_to_load_is_never_stored(cache_dir, tmp_path):
    folder = one_operation(tmp_path / "broken", "post", "{type: not-a-type}", request=True)
    for _ in range(2):  # refused the second time too: nothing was stored the first time
        with pytest.raises(SchemaError):
            load_vendor_spec("broken", folder)
    assert stored(cache_dir) == []


def test_a_spec_whose_refs_leave_its_folder_is_never_stored(cache_dir, tmp_path):
    (tmp_path / "shared.yaml").write_text("type: object\n", encoding="utf-8")
    folder = one_operation(tmp_path / "outside", "get", "{$ref: '../shared.yaml'}", request=False)
    spec = load_vendor_spec("outside", folder)
    assert spec.operations[0].responses["200"].schema == {"type": "object"}
    assert stored(cache_dir) == []


def test_no_cache_when_it_is_off(monkeypatch):
    cache_off(monkeypatch)
    try:
        assert load_vendor_spec("census", specs_dir() / "census").operations
    finally:
        cache.folder.cache_clear()


def test_library_versions_are_found_without_importing_them():
    from importlib.metadata import version

    assert cache.library_version("jsonschema") == version("jsonschema")
    assert cache.library_version("pyyaml", "yaml") == version("pyyaml")
    assert cache.library_version("jsonschema-specifications", "jsonschema_specifications") == version("jsonschema-specifications")


def test_a_spec_error_is_still_raised(cache_dir, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(SpecError):
        load_vendor_spec("empty", folder)


def test_a_start_with_a_filled_cache_imports_no_jsonschema(tmp_path):
    """Importing jsonschema was a tenth of cold start; with the cache filled, serving valid requests
    needs none of it (a validator builds jsonschema's own on the first input the fast check declines)."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom mockserver.app import create_app\ncreate_app()\n"
            "print('jsonschema' in sys.modules)")
    env = {**os.environ, cache.ENV: str(tmp_path / "cache")}
    root = Path(__file__).resolve().parent.parent
    runs = [subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert runs[1].stdout.strip() == "False", runs[1].stderr


def test_the_cache_folder_stays_bounded(cache_dir, monkeypatch):
    import os
    import time

    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for n in range(6):
        cache.save("yaml", cache.key(str(n)), [n])
        written = time.time() - 100 + n  # one second apart: file times can be coarser than a save
        os.utime(cache_dir / "yaml" / f"{cache.key(str(n))}.pickle", (written, written))
    names = {p.stem for p in (cache_dir / "yaml").glob("*.pickle")}
    assert names == {cache.key(str(n)) for n in (3, 4, 5)}  # the most recently written are kept
