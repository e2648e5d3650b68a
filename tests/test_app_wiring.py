"""Start-up wiring: a handler must name an operation of its vendor's spec."""

from __future__ import annotations

import logging

import pytest

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.vendors.stitch import handlers as stitch_handlers


def test_a_handler_keyed_by_an_unknown_operation_stops_the_start(monkeypatch):
    real = stitch_handlers.build_handlers

    def with_a_typo(*args, **kwargs):
        built = real(*args, **kwargs)
        built["list-destination-v4"] = built["list-destinations-v4"]  # one letter off
        return built

    monkeypatch.setattr("mockserver.vendors.stitch.build_handlers", with_a_typo)
    with pytest.raises(ValueError, match="stitch: handlers for operations its spec does not have: list-destination-v4"):
        create_app(Settings(virtual_clock=True, vendors=("stitch",)))


def test_operations_without_a_handler_are_listed_at_debug_level(monkeypatch, caplog):
    real = stitch_handlers.build_handlers

    def without_one(*args, **kwargs):
        built = real(*args, **kwargs)
        del built["list-destinations-v3"]
        return built

    monkeypatch.setattr("mockserver.vendors.stitch.build_handlers", without_one)
    with caplog.at_level(logging.DEBUG, logger="mockserver"):
        create_app(Settings(virtual_clock=True, vendors=("stitch",)))
    assert any("list-destinations-v3" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records)


async def test_a_brace_in_a_path_segment_is_no_parameter_and_answers_404_not_405(mock):
    """aiohttp's router never matches `{` or `}` as a parameter, so `/v2/destinations/{` is no
    destination path: it is not found, not a method the path lacks (found by test_fuzz)."""
    for path in ("/v2/destinations/%7B", "/v2/destinations/%7D1"):
        answer = await mock.get(path, token="pt-braces")
        assert (answer.status, answer.body) == (404, {"message": "Not Found"})
