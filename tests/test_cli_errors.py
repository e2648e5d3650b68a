"""Every command-line mistake ends in one line saying what is wrong and a non-zero exit, never a
traceback: each case runs the real `mockserver serve` as a user would."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

SERVE = [sys.executable, "-m", "mockserver", "serve"]


def refused(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `mockserver serve ARGS`, expecting it to refuse to start; returns (exit code, stderr)."""
    result = subprocess.run([*SERVE, *args], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return result.returncode, lines[0]


def test_a_port_in_use_is_one_line_naming_the_port_and_the_way_out():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, line = refused("--port", str(port))
    assert code == 1
    assert line == (f"mockserver: port {port} on 127.0.0.1 is already in use (another mockserver, WireMock, ...); "
                    "choose another with --port, or --port 0 for a free one")


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_refused_before_binding(port):
    code, line = refused("--port", port)
    assert code == 2
    assert line.startswith("mockserver serve: argument --port: ")
    assert line.endswith("(see mockserver serve --help)")


def test_an_unknown_host_is_one_line():
    code, line = refused("--host", "no-such-host.invalid", "--port", "0")
    assert code == 1
    assert line.startswith("mockserver: cannot listen on --host no-such-host.invalid: no such host or address")


def test_an_address_of_another_machine_is_one_line():
    code, line = refused("--host", "192.0.2.1", "--port", "0")  # TEST-NET-1: never local
    assert line == "mockserver: cannot listen on --host 192.0.2.1: that address does not belong to this machine"


def test_a_state_file_in_a_missing_folder_is_refused_at_start(tmp_path: Path):
    target = tmp_path / "no-such-folder" / "state.json"
    code, line = refused("--state-file", str(target), "--port", "0")
    assert line == f"mockserver: --state-file {target}: the folder {target.parent} does not exist; create it first"
    assert not target.parent.exists()


def test_a_state_file_that_is_a_folder_is_refused(tmp_path: Path):
    _, line = refused("--state-file", str(tmp_path), "--port", "0")
    assert line == f"mockserver: --state-file {tmp_path}: is a folder; give a file name"


def test_start_time_without_a_virtual_clock_is_refused_not_ignored():
    _, line = refused("--start-time", "2026-01-01T09:00:00Z", "--port", "0")
    assert line == "mockserver: --start-time needs --virtual-clock (a real clock always starts at the real time)"


def test_a_yaml_syntax_error_keeps_its_line_and_column(tmp_path: Path):
    config = tmp_path / "mock.yaml"
    config.write_text("tokens:\n  stitch: [sk-a, sk-b\n  portable: [pt-a]\n")
    _, line = refused("--config", str(config), "--port", "0")
    assert line == (f"mockserver: {config}:3:11: not valid YAML: while parsing a flow sequence: "
                    "expected ',' or ']', but got ':'")


def test_a_duplicate_key_in_the_config_is_refused_with_the_key_and_both_lines(tmp_path: Path):
    config = tmp_path / "mock.yaml"
    config.write_text("tokens:\n  stitch:\n    sk-team: {destination_limit: 5}\n    sk-other: {}\n    sk-team: {}\n")
    _, line = refused("--config", str(config), "--port", "0")
    assert line == f"mockserver: {config}:5: key 'sk-team' given twice (first on line 3)"


def test_a_duplicate_top_level_key_is_refused_too(tmp_path: Path):
    config = tmp_path / "mock.yaml"
    config.write_text("strict_auth: true\ntokens: {stitch: [sk-a]}\nstrict_auth: false\n")
    _, line = refused("--config", str(config), "--port", "0")
    assert line == f"mockserver: {config}:3: key 'strict_auth' given twice (first on line 1)"


def test_load_and_state_file_together_are_refused(tmp_path: Path):
    scenario = tmp_path / "scenario.json"
    scenario.write_text('{"vendors": {}}')
    _, line = refused("--load", str(scenario), "--state-file", str(tmp_path / "s.json"), "--port", "0")
    assert line.startswith("mockserver: --load and --state-file both set the starting state")


def test_load_of_a_missing_file_is_one_line(tmp_path: Path):
    _, line = refused("--load", str(tmp_path / "nope.json"), "--port", "0")
    assert line == f"mockserver: --load {tmp_path / 'nope.json'}: no such file"


def test_load_of_a_file_that_is_not_state_is_one_line(tmp_path: Path):
    scenario = tmp_path / "scenario.json"
    scenario.write_text('{"vendors": {"nobody": {}}}')
    _, line = refused("--load", str(scenario), "--port", "0")
    assert line.startswith(f"mockserver: --load {scenario}: not a state document: vendors: 'nobody' is not one of")


def test_version():
    result = subprocess.run([sys.executable, "-m", "mockserver", "--version"], capture_output=True, text=True, timeout=60)
    from mockserver import __version__

    assert result.returncode == 0 and result.stdout == f"mockserver {__version__}\n"


def test_a_state_folder_removed_while_running_is_one_error_line_not_a_flood_or_a_traceback(tmp_path: Path):
    import re
    import shutil
    import signal
    import time

    from process_support import call

    folder = tmp_path / "state"
    folder.mkdir()
    proc = subprocess.Popen([*SERVE, "--port", "0", "--log-level", "warning", "--state-file", str(folder / "s.json"),
                             "--state-write-delay", "0.05"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = re.search(r"listening on (http://\S+)", proc.stdout.readline()).group(1)
        shutil.rmtree(folder)
        for n in range(3):
            assert call(base + "/v4/destinations", token=f"gone-{n}")[0] == 200  # each creates an account
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "Traceback" not in err
    errors = [line for line in err.splitlines() if " ERROR " in line]
    assert len(errors) == 2, err  # once while running, once at exit
    assert "retrying until it works" in errors[0] and "at exit" in errors[1]
