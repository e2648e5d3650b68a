"""pytest fixtures for projects that install mockserver (registered through the `pytest11` entry point).

- `mockserver`: the running `MockServer`, reset before each test (state, journal, fault rules, forced
  checks, and the virtual clock back to its start), so tests never see each other's data.
- `stitch_url`, `portable_url`, `census_url`: each vendor's base URL on that server.
- `mockserver_options` (session): override it in a conftest.py to pass `MockServer` keyword
  arguments (e.g. `{"check_delay": 0, "config": "tests/mock.yaml"}`).
- `mockserver_session`: the one server of the session, started the first time a test needs it.

Nothing is imported or started until a test asks for one of these fixtures, so installing the
package costs other test suites nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from mockserver.testing import MockServer


@pytest.fixture(scope="session")
def mockserver_options() -> dict[str, Any]:
    """Keyword arguments for the session's `MockServer`; override in your conftest.py."""
    return {}


@pytest.fixture(scope="session")
def mockserver_session(mockserver_options: dict[str, Any]) -> Iterator["MockServer"]:
    from mockserver.testing import MockServer

    with MockServer(**mockserver_options) as server:
        yield server


@pytest.fixture
def mockserver(mockserver_session: "MockServer") -> "MockServer":
    mockserver_session.reset()
    return mockserver_session


@pytest.fixture
def stitch_url(mockserver: "MockServer") -> str:
    return mockserver.stitch_url


@pytest.fixture
def portable_url(mockserver: "MockServer") -> str:
    return mockserver.portable_url


@pytest.fixture
def census_url(mockserver: "MockServer") -> str:
    return mockserver.census_url
