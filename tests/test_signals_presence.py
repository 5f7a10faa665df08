"""Exits that leave nothing behind, and presence that tells the truth, as seen in tmux:
SIGHUP, SIGTERM and a closed terminal restore the terminal and remove the presence
row at once; SIGKILL or a frozen process drops out of the others' headers within 10 s."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.models.presence import PRESENCE_STALE
from tests.conftest import facilitator_command
from tests.tmux import Tmux


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    terminal = Tmux(100, 30)
    yield terminal
    terminal.close()


def present(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT who FROM presence ORDER BY who")]


def header(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


def app_pid(tmux: Tmux, window: str) -> int:
    """The app's process: the shell of the window runs it as its only child."""
    shell = tmux.display(window, "#{pane_pid}")
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    return int(children[0]) if children else int(shell)


def start_pair(tmux: Tmux, session: Path, screen: str = "roster") -> tuple[str, str]:
    exe = facilitator_command()[0]
    ana = tmux.start(f"{exe} open {session} --as ana --screen {screen}; echo EXIT=$?; sleep 30")
    bob = tmux.start(f"{exe} open {session} --as bob --screen {screen}; echo EXIT=$?; sleep 30")
    for window, other in ((ana, "bob"), (bob, "ana")):
        screen = tmux.wait_for(window, lambda s: f"with: {other}" in header(s), seconds=10)
        assert f"with: {other}" in header(screen), screen
    return ana, bob


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_the_app_cleanly(small_session: Path, tmux: Tmux, signum: int,
                                       code: int) -> None:
    ana, bob = start_pair(tmux, small_session, screen="tally")
    assert tmux.display(ana, "#{alternate_on} #{mouse_any_flag}") == "1 1"
    tmux.keys(ana, "al", literal=True)
    tmux.wait_for(ana, lambda s: "Ana L. spoke" in s, seconds=5)
    os.kill(app_pid(tmux, ana), signum)
    screen = tmux.wait_for(ana, lambda s: "EXIT=" in s, seconds=5)
    assert f"EXIT={code}" in screen, screen
    # The shell is back on the normal screen, with no mouse tracking left on.
    assert tmux.display(ana, "#{alternate_on} #{mouse_any_flag}") == "0 0"
    assert "Traceback" not in screen
    assert present(small_session) == ["bob"]
    screen = tmux.wait_for(bob, lambda s: "ana" not in header(s), seconds=6)
    assert "with:" not in header(screen), screen
    # What was acknowledged before the signal is in the file.
    with sqlite3.connect(small_session) as conn:
        assert conn.execute("SELECT logged_by FROM interactions").fetchall() == [("ana",)]


def test_ctrl_q_removes_its_presence_at_once(small_session: Path, tmux: Tmux) -> None:
    ana, bob = start_pair(tmux, small_session)
    tmux.keys(ana, "C-q")
    screen = tmux.wait_for(ana, lambda s: "EXIT=" in s, seconds=5)
    assert "EXIT=0" in screen, screen
    assert present(small_session) == ["bob"]
    screen = tmux.wait_for(bob, lambda s: "ana" not in header(s), seconds=6)
    assert "with:" not in header(screen), screen


def test_a_closed_terminal_removes_its_presence_at_once(small_session: Path, tmux: Tmux) -> None:
    ana, bob = start_pair(tmux, small_session)
    pid = app_pid(tmux, ana)
    tmux.kill_window(ana)
    screen = tmux.wait_for(bob, lambda s: "ana" not in header(s), seconds=6)
    assert "with:" not in header(screen), screen
    assert present(small_session) == ["bob"]
    deadline = time.monotonic() + 15  # a loaded CI machine is slow to tear down
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


@pytest.mark.parametrize("how", ["killed", "frozen"])
def test_a_process_that_cannot_say_goodbye_drops_out_within_10_s(
        small_session: Path, tmux: Tmux, how: str) -> None:
    ana, bob = start_pair(tmux, small_session)
    pid = app_pid(tmux, ana)
    started = time.monotonic()
    os.kill(pid, signal.SIGKILL if how == "killed" else signal.SIGSTOP)
    try:
        screen = tmux.wait_for(bob, lambda s: "ana" not in header(s), seconds=12)
        gone_after = time.monotonic() - started
        assert "with:" not in header(screen), screen
        assert gone_after < 10, gone_after
        # ...and not before it missed its heartbeats: someone who is there stays there.
        assert gone_after > PRESENCE_STALE.total_seconds() - 3, gone_after
        # Whoever saw the stale row deleted it: the table holds who is here now.
        assert present(small_session) == ["bob"]
        if how == "frozen":
            os.kill(pid, signal.SIGCONT)  # back again: present again
            screen = tmux.wait_for(bob, lambda s: "with: ana" in header(s), seconds=6)
            assert "with: ana" in header(screen), screen
    finally:
        if how == "frozen":
            os.kill(pid, signal.SIGCONT)
