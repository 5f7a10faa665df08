"""End to end: the installed `facilitator` on the tally screen in tmux, as a person
types; a second terminal on the same file shows the same entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import facilitator_command
from tests.tmux import Tmux


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    terminal = Tmux(100, 30)
    yield terminal
    terminal.close()


def entries(path: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT s.code, t.code, i.voided_at FROM interactions i"
            " JOIN participants s ON s.id = i.source_id"
            " LEFT JOIN participants t ON t.id = i.target_id ORDER BY i.id").fetchall()


def not_spoken(screen: str) -> str:
    """The 'not spoken' panel of the right column, its wrapped lines joined."""
    right = [line.split("▏", 1)[1].strip() for line in screen.splitlines() if "▏" in line]
    start = next((i for i, line in enumerate(right) if "Not spoken this round" in line), None)
    if start is None:
        return ""
    panel = []
    for line in right[start:]:
        if not line:
            break
        panel.append(line)
    return " ".join(panel)


def test_three_codes_make_three_turns_seen_in_both_terminals(small_session: Path,
                                                            tmux: Tmux) -> None:
    exe = facilitator_command()[0]
    ana = tmux.start(f"{exe} open {small_session} --screen tally --as ana")
    bob = tmux.start(f"{exe} open {small_session} --screen tally --as bob")
    for window in (ana, bob):
        screen = tmux.wait_for(window, lambda s: "Observing" in s and "Ana Lopez" in s)
        assert "Not spoken this round (4)" in screen, screen

    for code in ("al", "bs", "cd"):
        tmux.keys(ana, code, literal=True)
    screen = tmux.wait_for(ana, lambda s: "Cleo D. spoke to Bob S." in s
                           and "Dev Patel" in not_spoken(s), seconds=5)
    assert "Cleo D. spoke to Bob S." in screen, screen
    assert "! Not spoken this round (1): Dev Patel" == not_spoken(screen), screen
    assert "Gini" in screen and "33%" in screen  # talk share of each of the three speakers

    rows = entries(small_session)
    assert [(s, t) for s, t, _ in rows] == [("al", None), ("bs", "al"), ("cd", "bs")]
    assert sum(t is not None for _, t, _ in rows) == 2

    other = tmux.wait_for(bob, lambda s: "Cleo D. spoke to Bob S." in s
                          and "Dev Patel" in not_spoken(s), seconds=5)
    assert "! Not spoken this round (1): Dev Patel" == not_spoken(other), other

    tmux.keys(ana, "C-z")
    screen = tmux.wait_for(ana, lambda s: "Undid Cleo → Bob, spoke to" in s
                           and "Not spoken this round (2)" in s, seconds=5)
    assert "Not spoken this round (2)" in screen, screen
    assert [v is not None for *_, v in entries(small_session)] == [False, False, True]
    other = tmux.wait_for(bob, lambda s: "Not spoken this round (2)" in s, seconds=5)
    assert "Not spoken this round (2)" in other, other
