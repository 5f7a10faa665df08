"""End to end: the installed `facilitator` in tmux, two co-facilitators and a CLI log."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import facilitator_command
from tests.tmux import Tmux


def spoke_count(screen: str, name: str) -> int | None:
    for line in screen.splitlines():
        if name in line:
            match = re.search(re.escape(name) + r"\s+(?:yes|absent)\s+(\d+)", line)
            return int(match.group(1)) if match else None
    return None


@pytest.fixture
def tmux() -> Tmux:
    terminal = Tmux(100, 30)
    yield terminal
    terminal.close()


def test_two_terminals_see_a_cli_entry_live(small_session: Path, tmux: Tmux) -> None:
    exe = facilitator_command()[0]
    ana = tmux.start(f"{exe} open {small_session} --as ana")
    bob = tmux.start(f"{exe} open {small_session} --as bob")
    for window in (ana, bob):
        screen = tmux.wait_for(window, lambda s: "Ana Lopez" in s)
        assert spoke_count(screen, "Ana Lopez") == 0, screen
    subprocess.run([exe, "log", str(small_session), "al", "bs", "--as", "cleo"], check=True)
    for window in (ana, bob):
        screen = tmux.wait_for(window, lambda s: spoke_count(s, "Ana Lopez") == 1, seconds=5)
        assert spoke_count(screen, "Ana Lopez") == 1, screen
    # Each sees the other in the header.
    screen = tmux.wait_for(ana, lambda s: "with: bob" in s, seconds=8)
    assert "with: bob" in screen
    tmux.keys(ana, "C-q")
    tmux.wait_for(ana, lambda s: "Ana Lopez" not in s, seconds=5)


def test_bad_file_prints_one_sentence_in_a_terminal(tmp_path: Path, tmux: Tmux) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("hello")
    exe = facilitator_command()[0]
    window = tmux.start(f"{exe} open {bad}; echo EXIT=$?; sleep 5")
    screen = tmux.wait_for(window, lambda s: "EXIT=" in s)
    assert "EXIT=1" in screen
    joined = screen.replace("\n", "")
    assert "not a facilitator session" in joined and "Traceback" not in joined
