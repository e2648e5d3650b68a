"""The README's "Run it" walk-through, against a real `mockserver serve` with its default options: the
first create's answer, the second one's 400, and reading the destination and its check back."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def run_it_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Run it"):text.index("## Test it")]


def send(method: str, url: str, body: bytes | None = None) -> tuple[int, dict[str, str], object]:
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Authorization": "Bearer my-token", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def test_the_run_it_walk_through_answers_as_the_readme_says():
    section = run_it_section()
    body = re.search(r"-d '(\{.*?\})'", section, re.S).group(1).encode()  # the curl's body, as written
    create = re.search(r"curl -s -X POST (\S+)", section).group(1)
    reads = re.findall(r"^curl -s (http\S+)", section, re.M)
    assert reads == ["http://127.0.0.1:8080/v4/destinations",
                     "http://127.0.0.1:8080/v4/destinations/337658/last-connection-check"]
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = re.search(r"listening on (http://\S+)", proc.stdout.readline()).group(1)
        here = lambda url: url.replace("http://127.0.0.1:8080", base)  # noqa: E731 - the README's port -> ours
        status, _, created = send("POST", here(create), body)
        assert status == 200 and created["id"] == 337658 and created["report_card"]["current_step_type"] == "form"
        assert '"id":337658' in section and '"current_step_type":"form"' in section
        status, headers, again = send("POST", here(create), body)
        assert (status, again) == (400, "you are at your destination limit")
        assert headers["X-Mock-Rejection"].endswith("you are at your destination limit")
        time.sleep(2.2)  # `sleep 2`, as the README says, plus a little for a loaded machine
        status, _, listed = send("GET", here(reads[0]))
        assert status == 200 and [d["report_card"]["current_step_type"] for d in listed] == ["fully_configured"]
        status, _, check = send("GET", here(reads[1]))
        assert status == 200 and check["status"] == "succeeded" and check["mode"] == "check"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0
