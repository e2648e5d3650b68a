"""The pytest plugin, as another project sees it: fixtures from the `pytest11` entry point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests  # noqa: F401  imported here so pytester's in-process runs keep one copy of it

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parent.parent / "README.md"

ISOLATION = '''
import requests

AUTH = {"Authorization": "Bearer tok-plugin"}
BODY = {"type": "postgres", "properties": {"host": "db.example.com", "port": "5432", "username": "u",
        "password": "p", "database": "d"}}


def test_first_creates(stitch_url, mockserver):
    assert requests.post(stitch_url + "/v4/destinations", json=BODY, headers=AUTH).status_code == 200
    mockserver.add_fault("stitch", method="GET", status=503)
    mockserver.clock.advance(60)


def test_second_starts_clean(stitch_url, mockserver):
    assert requests.get(stitch_url + "/v4/destinations", headers=AUTH).json() == []
    assert mockserver.requests(method="POST") == []
    assert mockserver.clock.now().isoformat() == "2026-01-01T09:00:00+00:00"


def test_vendor_urls(mockserver, stitch_url, portable_url, census_url):
    assert stitch_url == portable_url == mockserver.url
    assert census_url == mockserver.url + "/api/v1"
'''


@pytest.fixture
def pytester(pytester):
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def test_fixtures_give_each_test_a_clean_server(pytester):
    pytester.makepyfile(test_isolation=ISOLATION)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_options_fixture_configures_the_session_server(pytester):
    pytester.makeconftest('''
import pytest

@pytest.fixture(scope="session")
def mockserver_options():
    return {"check_delay": 0, "seed": 42}
''')
    pytester.makepyfile(test_options='''
def test_settings(mockserver):
    assert mockserver.settings.check_delay == 0 and mockserver.settings.seed == 42
''')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def readme_example() -> str:
    """The complete example test in the README's Control plane section."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(# test_example\.py.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "the README must hold exactly one `# test_example.py` block"
    return blocks[0]


def test_the_readme_example_passes(pytester):
    pytester.makepyfile(test_example=readme_example())
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=readme_example().count("\ndef test_"))
