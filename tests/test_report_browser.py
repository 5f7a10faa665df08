"""The organisers' HTML report, opened in a real Chromium (headless): every section
rendered, one SVG node per participant where the stored layout puts them, no
console error, no fetch of anything, no horizontal scrolling on a phone, prints.

Chromium is driven over the DevTools protocol with a tiny websocket client below
(stdlib only): the browser is the one dependency, installed by .ci/run."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from facilitator.cli import cli
from facilitator.models.roster import add_participant
from facilitator.models.store import SessionStore

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="chromium is not installed (.ci/run installs it)")
#: Started as the brief of this machine says: no sandbox (root in a container), no
#: GPU, nothing that reaches the network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1"]
SECTIONS = ["participation", "groups", "coverage", "network", "timeline"]


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: masked text frames out,
    text frames in (pings answered, fragments joined)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            assert chunk, "the browser closed the connection during the handshake"
            response += chunk
        assert response.startswith(b"HTTP/1.1 101"), response[:200]
        self.buffer = response.split(b"\r\n\r\n", 1)[1]

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            assert chunk, "the browser closed the connection"
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            opcode = first & 0x0F
            if opcode == 0x9:  # ping: answer, keep reading
                self.sock.sendall(bytes([0x8A, 0x80]) + os.urandom(4))
                continue
            assert opcode != 0x8, "the browser closed the connection"
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        self.sock.close()


class Browser:
    """One headless Chromium with a fresh profile, and one page in it."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM, "chromium is not installed"
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            assert self.process.poll() is None, "chromium did not start"
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        self.ws = WebSocket(f"ws://127.0.0.1:{port}{path}")
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.receive())
            if reply.get("id") == self.next_id:
                assert "error" not in reply, (method, reply["error"])
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = json.loads(self.ws.receive())
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, url: str, width: int = 1000) -> None:
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=900,
                  deviceScaleFactor=1, mobile=width < 600)
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def value(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, log errors (a blocked
        fetch or a CSP violation lands here)."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                out.append(f"console: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                out.append(f"log: {params['entry'].get('text')}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    opened = Browser(profile)
    try:
        yield opened
    finally:
        opened.close()


def html_report(session: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["report", str(session), "--format", "html", "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Wrote the report" in result.output
    return out


def test_the_demo_report_renders_every_section_and_every_participant(
        demo_session: Path, tmp_path: Path, browser: Browser) -> None:
    from facilitator.core.layout import ensure_layout
    from facilitator.core.network import load_network
    from facilitator.models.layout import stored_layout

    with SessionStore.open(demo_session) as store:
        ensure_layout(store, load_network(store))  # as the network screen stores it
        stored, _ = stored_layout(store)
        people = {r[0]: r[1] for r in store.rows("SELECT id, name FROM participants")}
        rounds = store.scalar("SELECT count(*) FROM rounds")
    page = html_report(demo_session, tmp_path / "report.html")
    browser.open(page.as_uri())

    assert browser.value("document.title").startswith("Wildlife emergency network unworkshop")
    for key in SECTIONS:
        heading = browser.value(f"document.querySelector('section#{key} > h2')?.textContent")
        assert heading, f"section {key} is missing"
        assert browser.value(f"document.querySelector('section#{key}').getBoundingClientRect().height") > 40
    nodes = browser.value("[...document.querySelectorAll('#sociogram g.node')].map(g => ["
                          "g.dataset.name, +g.querySelector('circle').getAttribute('cx'),"
                          " +g.querySelector('circle').getAttribute('cy')])")
    assert sorted(n[0] for n in nodes) == sorted(people.values())
    # Where the stored layout puts them: the same left-to-right and top-to-bottom order.
    by_name = {name: stored[pid] for pid, name in people.items()}
    assert [n[0] for n in sorted(nodes, key=lambda n: (n[1], n[0]))] == \
        sorted(by_name, key=lambda name: (round(by_name[name][0], 6), name))
    assert [n[0] for n in sorted(nodes, key=lambda n: (n[2], n[0]))] == \
        sorted(by_name, key=lambda name: (round(by_name[name][1], 6), name))
    assert browser.value("document.querySelectorAll('#sociogram line.tie').length") > 50
    assert browser.value("document.querySelectorAll('#talk-share g.share').length") == len(people)
    assert browser.value("document.querySelectorAll('#gini-by-round g.gini').length") == rounds
    # What an organiser who was not in the room reads: the goals, the challenge and
    # the group's answer, the neglected topic, the findings in sentences.
    text = browser.value("document.body.innerText")
    assert "Share sightings in one spreadsheet before the next season" in text
    assert "We will count call-outs per sighting" in text
    assert "Evaluation" in text and "neglected" in text
    assert "Hubs:" in text and "To introduce next" in text
    assert browser.value("document.scripts.length") == 0
    assert browser.problems() == []
    assert [u for u in browser.requests() if u != page.as_uri()] == []


def test_on_a_phone_nothing_scrolls_sideways_and_it_prints(
        demo_session: Path, tmp_path: Path, browser: Browser) -> None:
    page = html_report(demo_session, tmp_path / "report.html")
    browser.open(page.as_uri(), width=375)
    assert browser.value("document.documentElement.scrollWidth") <= 375
    assert browser.value("document.querySelector('#sociogram').getBoundingClientRect().width") <= 375
    pdf = browser.call("Page.printToPDF", session=True)["data"]
    assert base64.b64decode(pdf).startswith(b"%PDF")
    assert browser.problems() == []


def test_names_with_markup_show_as_typed(small_session: Path, tmp_path: Path,
                                         browser: Browser) -> None:
    hostile = '<script>alert("x")</script> & <b>Zoë</b>'
    with SessionStore.open(small_session) as store:
        add_participant(store, hostile)
    CliRunner().invoke(cli, ["log", str(small_session), "Ana Lopez", hostile, "--note", "<img src=x>"])
    page = html_report(small_session, tmp_path / "report.html")
    browser.open(page.as_uri())
    names = browser.value("[...document.querySelectorAll('#sociogram g.node')].map(g => g.dataset.name)")
    assert hostile in names and len(names) == 5
    assert browser.value("document.scripts.length") == 0
    assert browser.value("document.querySelectorAll('img, b').length") == 0
    assert hostile in browser.value("document.body.innerText")
    assert browser.problems() == []
    assert [u for u in browser.requests() if u != page.as_uri()] == []
