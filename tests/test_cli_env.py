"""Every serve option from the environment, by one rule: `--check-delay` is `MOCKSERVER_CHECK_DELAY`.

The command line wins; an empty variable counts as unset; flags take 1/true/yes/on or 0/false/no/off;
a repeatable option takes a comma-separated list; a bad value is refused like the option's own."""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from process_support import call
from stitch_support import SEED_V4_CREATE

from mockserver.cli import build_parser, env_name

README = Path(__file__).resolve().parents[1] / "README.md"

# dest -> (the variable's text, the parsed value): one entry per serve option, so a new option
# without an environment form (or with another rule) fails `test_every_serve_option_is_covered`.
SAMPLES = {
    "host": ("0.0.0.0", "0.0.0.0"),
    "port": ("9090", 9090),
    "seed": ("7", 7),
    "check_delay": ("0", 0.0),
    "refresh_delay": ("0.5", 0.5),
    "virtual_clock": ("true", True),
    "start_time": ("2026-01-01T09:00:00Z", datetime(2026, 1, 1, 9, tzinfo=timezone.utc)),
    "stitch_destination_limit": ("3", 3),
    "portable_no_api_token": ("pt-a, pt-b", ["pt-a", "pt-b"]),
    "journal_size": ("10", 10),
    "max_body_bytes": ("2048", 2048),
    "vendors": ("stitch,census", "stitch,census"),
    "log_level": ("warning", "warning"),
    "config": ("mock.yaml", "mock.yaml"),
    "strict_auth": ("yes", True),
    "state_file": ("state.json", "state.json"),
    "state_write_delay": ("1", 1.0),
    "load": ("scenario.json", "scenario.json"),
    "demo": ("on", True),
    "admin_token": ("s3cret", "s3cret"),
}


def serve_options() -> dict[str, str]:
    """dest -> its --option, for every option of `mockserver serve`."""
    sub = next(a for a in build_parser({})._actions if isinstance(a, argparse._SubParsersAction))
    serve = sub.choices["serve"]
    return {a.dest: a.option_strings[0] for a in serve._actions if a.option_strings and a.dest != "help"}


def parse(environ: dict[str, str], *argv: str) -> argparse.Namespace:
    return build_parser(environ).parse_args(["serve", *argv])


def test_every_serve_option_is_covered():
    assert set(serve_options()) == set(SAMPLES)


@pytest.mark.parametrize("dest", sorted(SAMPLES))
def test_each_option_reads_its_variable(dest):
    option = serve_options()[dest]
    text, expected = SAMPLES[dest]
    name = env_name(option)
    assert name == "MOCKSERVER_" + option[2:].upper().replace("-", "_")
    assert getattr(parse({name: text}), dest) == expected
    assert getattr(parse({}), dest) != expected  # the sample differs from the default


def test_the_command_line_wins_and_empty_means_unset():
    assert parse({"MOCKSERVER_PORT": "9090"}, "--port", "0").port == 0
    assert parse({"MOCKSERVER_PORT": ""}).port == 8080
    assert parse({"MOCKSERVER_VIRTUAL_CLOCK": "0"}).virtual_clock is False
    assert parse({"MOCKSERVER_PORTABLE_NO_API_TOKEN": "a"}, "--portable-no-api-token", "b").portable_no_api_token == ["a", "b"]


@pytest.mark.parametrize("name, text, message", [
    ("MOCKSERVER_PORT", "99999", "must be between 0 and 65535, got 99999"),
    ("MOCKSERVER_CHECK_DELAY", "soon", "not a number: 'soon'"),
    ("MOCKSERVER_VIRTUAL_CLOCK", "maybe", "give 1, true, yes or on (or 0, false, no, off)"),
    ("MOCKSERVER_LOG_LEVEL", "loud", "must be one of debug, info, warning, error"),
])
def test_a_bad_value_is_one_line_naming_the_variable(name, text, message):
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve"], capture_output=True, text=True,
                            timeout=60, env={**os.environ, name: text})
    assert result.returncode == 2
    assert result.stderr == f"mockserver serve: {name}={text!r}: {message}\n"


def test_a_server_configured_only_from_the_environment():
    env = {**os.environ, "MOCKSERVER_PORT": "0", "MOCKSERVER_CHECK_DELAY": "0", "MOCKSERVER_VIRTUAL_CLOCK": "1",
           "MOCKSERVER_START_TIME": "2030-05-01T12:00:00Z", "MOCKSERVER_LOG_LEVEL": "warning",
           "MOCKSERVER_STITCH_DESTINATION_LIMIT": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        base = re.search(r"listening on (http://\S+)", proc.stdout.readline()).group(1)
        status, health = call(base + "/__admin/health")
        assert status == 200 and health["clock"] == {"virtual": True, "now": "2030-05-01T12:00:00+00:00"}
        for _ in range(2):
            status, created = call(base + "/v4/destinations", "POST", SEED_V4_CREATE, token="env-account")
            assert status == 200 and created["report_card"]["current_step_type"] == "fully_configured"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "INFO" not in err  # warning level: no access lines



def test_the_readme_states_the_rule():
    text = README.read_text(encoding="utf-8")
    assert "MOCKSERVER_CHECK_DELAY" in text and "MOCKSERVER_<OPTION>" in text
