"""The tally screen's views: this round or all rounds, a read-only session, and marks
that stay readable without colour."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.app import make_app
from facilitator.models.interactions import log_interaction
from facilitator.models.roster import find_participant
from facilitator.models.rounds import add_round, start_round
from facilitator.models.store import SessionStore
from facilitator.widgets.tally_cards import TallyCards
from facilitator.widgets.tally_panels import (
    EquityPanel, FeedPanel, NotSpokenPanel, TallyBar)
from facilitator.widgets.tally_prompt import TallyPrompt
from tests.test_tally_screen import live, text


def counts(screen: object) -> dict[str, tuple[int, int]]:
    """(spoke, addressed) per code, as the cards show them."""
    cards = screen.query_one(TallyCards)  # type: ignore[attr-defined]
    shown = cards.text()
    return {c.code: (c.spoke, c.addressed) for c in cards.cards
            if f"{c.spoke} spoke · {c.addressed} addr" in shown}


def two_rounds(path: Path) -> None:
    """Round One: Ana then Bob speak; Round Two (current): Ana speaks."""
    with SessionStore.open(path) as store:
        ana, bob = find_participant(store, "al"), find_participant(store, "bs")
        add_round(store, "One", 20)
        add_round(store, "Two", 20)
        start_round(store)
        log_interaction(store, "speak", ana)
        log_interaction(store, "speak", bob, ana)
        start_round(store)
        log_interaction(store, "speak", ana)


async def test_R_switches_whole_session_counts_between_this_round_and_all(
        small_session: Path) -> None:
    two_rounds(small_session)
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert "counts: all rounds" in text(screen, TallyBar)
        assert counts(screen)["al"] == (2, 1)
        await pilot.press("R")
        bar = text(screen, TallyBar)
        assert "counts: this round" in bar and "1 entry" in bar
        assert counts(screen)["al"] == (1, 0) and counts(screen)["bs"] == (0, 0)
        assert "Top voice: Ana Lopez 100%" in text(screen, EquityPanel)
        await pilot.press("R")
        assert "counts: all rounds" in text(screen, TallyBar)
        assert "3 entries" in text(screen, TallyBar)
        assert counts(screen)["bs"] == (1, 0)


async def test_read_only_session_says_so_at_the_first_key_and_writes_nothing(
        small_session: Path) -> None:
    two_rounds(small_session)
    app = make_app(small_session, read_only=True, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        prompt = text(app.screen, TallyPrompt)
        assert "This session is open read-only; nothing can be changed." in prompt
        assert prompt.count("\n") == 1  # the hint is one line, the keys the other
        for keys in (("s", "c", "d"), ("slash", "a", "a", "b"), ("full_stop",),
                     ("space", "ctrl+r")):
            app.screen.hint("")
            await pilot.press(*keys)
            assert "This session is open read-only; nothing can be changed." in text(app.screen, TallyPrompt), keys
        await pilot.press("R", "R")  # looking around still works
        assert "read-only: nothing can be logged" in text(app.screen, TallyPrompt)
        assert counts(app.screen)["bs"] == (1, 0)  # the file's counts still shown
    assert live(small_session, "SELECT count(*) FROM interactions") == [(3,)]
    assert live(small_session, "SELECT name FROM rounds WHERE ended_at IS NULL"
                " AND started_at IS NOT NULL") == [("Two",)]


async def test_without_colour_marks_show_undone_entries_and_who_has_not_spoken(
        small_session: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(small_session, screen="tally")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await pilot.press("a", "l", "b", "s", "ctrl+z")
        await pilot.pause()
        feed = text(app.screen, FeedPanel).splitlines()
        assert "✗ = undone" in feed[0]
        assert "✗ Bob S. spoke to Ana L." in feed[1]  # the undone one
        assert "✗" not in feed[2] and "Ana L. spoke to the group" in feed[2]
        cards = text(app.screen, TallyCards)
        assert "!bs Bob Smith" in cards and "!cd Cleo Diaz" in cards  # flagged by a mark
        assert "▸al Ana Lopez" in cards  # the previous speaker again, after the undo
        assert "! Not spoken this round (3): Bob Smith" in text(app.screen, NotSpokenPanel)
