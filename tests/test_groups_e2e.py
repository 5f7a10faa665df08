"""End to end: group moves typed in one burst into the installed `facilitator`
in tmux (one send-keys, as fast as an SSH connection delivers them)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_groups_screen import members_by_name

from tests.conftest import facilitator_command
from tests.tmux import Tmux


@pytest.fixture
def tmux() -> Tmux:
    terminal = Tmux(80, 24)
    yield terminal
    terminal.close()


def test_a_burst_of_moves_and_a_topic_through_tmux(demo_session: Path, tmux: Tmux) -> None:
    exe = facilitator_command()[0]
    before = members_by_name(demo_session)
    window = tmux.start(f"{exe} open {demo_session} --as sam --screen groups")
    screen = tmux.wait_for(window, lambda s: "Mixed 4" in s and "Ungrouped" in s, seconds=15)
    assert "Mixed 4" in screen, screen
    tmux.keys(window, "j", "mr 2", "Enter", "j", "cw 3", "Enter", "n", "Open data rsgcx @wz",
              "Enter")
    deadline = time.monotonic() + 10
    after = members_by_name(demo_session)
    while "Open data rsgcx" not in after and time.monotonic() < deadline:
        time.sleep(0.1)
        after = members_by_name(demo_session)
    assert "mr" in after["Mixed 2"] and "cw" in after["Mixed 3"], after
    assert after["Open data rsgcx"] == {"wz"}
    assert {name for name in after} == set(before) | {"Open data rsgcx"}
    tmux.keys(window, "C-q")
