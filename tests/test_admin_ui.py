"""The dashboard at /__admin/ui, driven in a real headless browser: Debian's chromium through its
chromedriver, spoken to over the W3C WebDriver protocol with `requests` (no browser download, no
Selenium). Without chromium and chromedriver these tests fail (.ci/run installs them).

Set MOCKSERVER_UI_SCREENSHOT=docs/dashboard.png to write the README's screenshot from the demo data.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests
from stitch_support import SEED_V4_CREATE

from mockserver.testing import MockServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]
AUTH = {"Authorization": "Bearer sk-dashboard-team"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def until(check: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except (KeyError, RuntimeError, requests.RequestException) as exc:  # not up or not drawn yet
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class Browser:
    """Just enough WebDriver: open a page, find, click, type, run a script, take a screenshot."""

    def __init__(self) -> None:
        assert CHROMIUM and CHROMEDRIVER, (
            "the dashboard tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"
        )
        self.profile = tempfile.mkdtemp(prefix="mockserver-chromium-")
        port = free_port()
        self.driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        until(lambda: requests.get(f"{self.base}/status", timeout=1).json()["value"]["ready"], "chromedriver")
        options = {"binary": CHROMIUM, "args": [*FLAGS, f"--user-data-dir={self.profile}"]}
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}})
        self.session = f"/session/{answer['sessionId']}"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, self.base + path, json=body, timeout=60)
        value = response.json().get("value")
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {value}")
        return value

    def open(self, url: str) -> None:
        self._call("POST", f"{self.session}/url", {"url": url})

    def script(self, source: str, *args: Any) -> Any:
        return self._call("POST", f"{self.session}/execute/sync", {"script": source, "args": list(args)})

    def element(self, css: str) -> str:
        found = self._call("POST", f"{self.session}/element", {"using": "css selector", "value": css})
        return str(found[ELEMENT])

    def click(self, css: str) -> None:
        """Find and click; found again if the page redrew the element in between (it polls)."""
        for attempt in range(3):
            try:
                self._call("POST", f"{self.session}/element/{self.element(css)}/click", {})
                return
            except RuntimeError as exc:
                if "stale element" not in str(exc) or attempt == 2:
                    raise

    def type(self, css: str, text: str) -> None:
        element = self.element(css)
        self._call("POST", f"{self.session}/element/{element}/clear", {})
        self._call("POST", f"{self.session}/element/{element}/value", {"text": text})

    def text(self, css: str) -> str:
        return str(self.script("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css) or "")

    def texts(self, css: str) -> list[str]:
        return list(self.script("return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText);", css))

    def select(self, css: str, value: str) -> None:
        self.script("const s = document.querySelector(arguments[0]); s.value = arguments[1]; for (const kind of ['input', 'change']) s.dispatchEvent(new Event(kind, {bubbles: true}));", css, value)

    def resize(self, width: int, height: int) -> None:
        self._call("POST", f"{self.session}/window/rect", {"width": width, "height": height})

    def screenshot(self, path: Path) -> bytes:
        png = base64.b64decode(self._call("GET", f"{self.session}/screenshot"))
        path.write_bytes(png)
        return png

    def close(self) -> None:
        try:
            self._call("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    opened = Browser()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(check_delay=2, seed=3) as running:
        yield running


@pytest.fixture
def page(server: MockServer, browser: Browser) -> Browser:
    server.reset()
    browser.open(f"{server.url}/__admin/ui")
    until(lambda: browser.script("return document.body.dataset.ready === 'true'"), "the dashboard's first draw")
    return browser


def record_state(page: Browser, vendor: str) -> str:
    return page.text(f"tr.record[data-vendor={vendor}] .state")


def test_a_connection_check_moves_as_the_clock_is_advanced(server, page):
    created = requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE, headers=AUTH).json()
    until(lambda: record_state(page, "stitch") == "connection_check: running", "the running check")
    assert page.text(f"tr.record[data-id='{created['id']}']").startswith("destinations")
    assert page.text("#clock-kind") == "virtual clock"
    assert page.text("#clock-now") == "2026-01-01T09:00:00.000Z"
    assert "sk-d…" in page.text("#records")  # tokens are shown as the journal shows them

    page.type("#advance-seconds", "2")
    page.click("#advance")
    until(lambda: record_state(page, "stitch") == "check succeeded", "the finished check")
    assert page.text("#clock-now") == "2026-01-01T09:00:02.000Z"
    assert "pending job" in page.text("#clock-jobs")


def test_opening_the_dashboard_leaves_the_journal_alone(browser):
    """A browser asks for /favicon.ico unless the page names an icon; that 404 would be the first
    journal entry of anyone who opened the dashboard."""
    with MockServer() as fresh:
        browser.open(f"{fresh.url}/__admin/ui")
        until(lambda: browser.script("return document.body.dataset.ready === 'true'"), "the dashboard's first draw")
        browser.open(f"{fresh.url}/__admin/docs?format=html")
        until(lambda: browser.text("h1"), "the admin docs page")
        time.sleep(0.5)  # a favicon request, if one were made, comes after the page
        assert requests.get(f"{fresh.url}/__admin/requests").json()["journal"]["total"] == 0


def test_the_journal_lists_requests_with_their_reasons_and_filters(server, page):
    requests.get(f"{server.stitch_url}/v4/destinations", headers=AUTH)
    requests.get(f"{server.portable_url}/v2/destinations")  # no credential: 401
    requests.get(f"{server.census_url}/destinations", headers={**AUTH, "Prefer": "code=503"})
    until(lambda: len(page.texts("#journal-rows tr")) == 3, "three journal rows")
    rows = page.texts("#journal-rows tr")
    assert "GET /api/v1/destinations" in rows[0] and "prefer: code=503" in rows[0]  # newest first
    assert "auth: missing or malformed bearer token" in rows[1]

    page.type("#journal-status", "4xx")
    until(lambda: len(page.texts("#journal-rows tr")) == 1, "the 4xx filter")
    page.type("#journal-status", "")
    page.select("#journal-vendor", "stitch")
    until(lambda: [r.split("\t")[2] for r in page.texts("#journal-rows tr")] == ["stitch"], "the vendor filter")
    page.select("#journal-vendor", "")


def test_forcing_an_outcome_from_the_page(server, page):
    page.select("#force-vendor", "stitch")
    page.type("#force-message", "FATAL: too many connections")
    page.click("#force-submit")
    until(lambda: "FATAL: too many connections" in page.text("#checks-rows"), "the forced outcome listed")

    requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE, headers=AUTH)
    page.click("#advance")
    until(lambda: record_state(page, "stitch") == "check failed", "the forced failure")
    assert page.text("#checks-rows") == ""  # used up


def test_lifecycles_are_listed_and_advanced_by_hand(server, page):
    until(lambda: "stitch.connection_check" in page.text("#lifecycles-rows"), "the lifecycles table")
    server.lifecycle("stitch.connection_check").mode("manual")
    requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE, headers=AUTH)
    until(lambda: record_state(page, "stitch") == "connection_check: running", "the running check")
    page.click("tr[data-lifecycle='stitch.connection_check'] button.advance")
    until(lambda: record_state(page, "stitch") == "check succeeded", "the check advanced by hand")

    row = "tr[data-lifecycle='stitch.connection_check']"
    page.select(f"{row} select.outcome", "failed")
    page.click(f"{row} button.force")
    until(lambda: "the next stitch.connection_check run ends failed" in page.text("#status"), "the forced outcome")
    requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE, headers={"Authorization": "Bearer sk-other-team-x"})
    page.click(f"{row} button.advance")
    until(lambda: "check failed" in page.texts("tr.record .state"), "the forced failure")


def test_fault_rules_and_reset_from_the_page(server, page):
    page.select("#fault-vendor", "portable")
    page.type("#fault-status", "503")
    page.type("#fault-count", "1")
    page.click("#fault-submit")
    until(lambda: "status 503 (1 left)" in page.text("#faults-rows"), "the fault rule listed")
    assert requests.get(f"{server.portable_url}/v2/destinations", headers=AUTH).status_code == 503
    until(lambda: page.text("#faults-rows") == "", "the used-up rule gone")

    requests.post(f"{server.stitch_url}/v4/destinations", json=SEED_V4_CREATE, headers=AUTH)
    until(lambda: page.texts("tr.record"), "a record")
    page.click("#reset-all")
    until(lambda: "No records yet" in page.text("#records"), "the reset")
    assert page.texts("#journal-rows tr") == []


def test_a_server_with_an_admin_token_asks_for_it(browser):
    with MockServer(admin_token="let-me-in") as guarded:
        browser.open(f"{guarded.url}/__admin/ui")
        until(lambda: browser.script("return !document.getElementById('token-box').hidden"), "the token box")
        browser.type("#token", "let-me-in")
        browser.click("#token-save")
        until(lambda: browser.script("return document.body.dataset.ready === 'true'"), "the dashboard after the token")
        assert browser.text("#clock-kind") == "virtual clock"
        browser.script("sessionStorage.clear();")


def test_a_screenshot_of_the_demo(browser, tmp_path):
    target = os.environ.get("MOCKSERVER_UI_SCREENSHOT")
    with MockServer(demo=True, check_delay=2, seed=7) as demo:
        token = {"Authorization": "Bearer demo-stitch-team"}
        requests.get(f"{demo.stitch_url}/v4/destinations", headers=token)
        requests.get(f"{demo.stitch_url}/v4/destinations/1", headers=token)
        requests.get(f"{demo.census_url}/destinations", headers={**token, "Prefer": "code=429"})
        requests.get(f"{demo.portable_url}/v2/destinations", headers={"Authorization": "Bearer demo-portable-starter"})
        browser.open(f"{demo.url}/__admin/ui")
        until(lambda: browser.script("return document.body.dataset.ready === 'true'"), "the demo's dashboard")
        until(lambda: len(browser.texts("tr.record")) >= 10, "the demo records")
        assert browser.script("return document.getElementById('token-box').offsetParent === null")  # not shown
        browser.script("document.getElementById('auto').checked = false;")
        browser.resize(1400, 1500)
        png = browser.screenshot(Path(target) if target else tmp_path / "dashboard.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
