"""End to end: the installed `facilitator` in tmux, fixing an entry three back with
ctrl+e as a facilitator would (ctrl+e survives tmux), while a co-facilitator's
window follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.models.interactions import get_interaction, log_interaction
from facilitator.models.roster import find_participant
from facilitator.models.store import SessionStore
from tests.conftest import facilitator_command
from tests.tmux import Tmux


@pytest.fixture
def tmux() -> Tmux:
    terminal = Tmux(80, 24)
    yield terminal
    terminal.close()


def test_undo_an_entry_three_back_in_tmux(small_session: Path, tmux: Tmux) -> None:
    with SessionStore.open(small_session, identity="ana") as store:
        p = {c: find_participant(store, c) for c in ("al", "bs", "cd", "dp")}
        ids = [log_interaction(store, "speak", p[a], p[b]).id
               for a, b in (("al", "bs"), ("bs", "cd"), ("cd", "dp"), ("dp", "al"))]
    exe = facilitator_command()[0]
    sam = tmux.start(f"{exe} open {small_session} --as sam --screen tally")
    kim = tmux.start(f"{exe} open {small_session} --as kim --screen tally")
    for window in (sam, kim):
        tmux.wait_for(window, lambda s: "Recent entries" in s)
    tmux.keys(sam, "C-e")
    tmux.wait_for(sam, lambda s: "Entries:" in s)
    tmux.keys(sam, "Down", "Down", "Down", "v")
    screen = tmux.wait_for(sam, lambda s: f"Undid #{ids[0]}" in s, seconds=5)
    assert "Ana Lopez → Bob Smith" in screen
    with SessionStore.open(small_session) as store:
        assert get_interaction(store, ids[0]).voided_by == "sam"
        assert all(get_interaction(store, i).voided_at is None for i in ids[1:])
    # Kim's tally follows: the feed marks the entry undone (✗).
    screen = tmux.wait_for(kim, lambda s: "✗ Ana L. spoke to Bob S." in s, seconds=5)
    assert "✗ Ana L. spoke to Bob S." in screen
    tmux.keys(sam, "Escape")  # on its own: Escape then ctrl+q at once reads as alt+ctrl+q
    tmux.wait_for(sam, lambda s: "Entries:" not in s, seconds=5)
    for window in (sam, kim):
        tmux.keys(window, "C-q")
        tmux.wait_for(window, lambda s: "Recent entries" not in s, seconds=5)
